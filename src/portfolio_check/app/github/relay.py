"""Pull requests from forks: the comment made in one workflow run, posted by another.

GitHub gives a fork's pull request a read-only token, so its workflow cannot comment. It
saves the comment instead (`save_comment`: `comment.md` and `pull-request.json`), uploads
that folder as an artifact, and a `workflow_run` workflow, which has a write token and never
checks out the fork's code, posts it (`post_saved_comment`), as coverage-comment actions do.

The artifact was made by a job that ran with the fork's workflow and code, so here it is
untrusted input. It is read bounded; its pull-request number counts only if GitHub says
that pull request's head is the commit the finished run was for (taken from the
`workflow_run` event, not from the artifact); and the body is sanitised before it is posted
under this repository's bot: no mentions or issue references that would notify anyone, no
HTML but the few tags the scorecard comment uses, no links but to this repository's files,
and no more than a comment can hold.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portfolio_check.app.github.answers import Comment, Repo
from portfolio_check.app.github.api import GitHubClient
from portfolio_check.app.github.comment import MARKER, MAX_COMMENT_CHARS, truncate
from portfolio_check.common import text_safety
from portfolio_check.common.errors import PortfolioCheckError

COMMENT_FILE = "comment.md"
PULL_FILE = "pull-request.json"
#: UTF-8 takes at most four bytes a character: a longer file cannot be a comment we wrote.
MAX_BODY_BYTES = 4 * MAX_COMMENT_CHARS
MAX_PULL_BYTES = 4096
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
#: The HTML the scorecard comment itself uses; any other `<` is shown as text.
_ALLOWED_TAG = re.compile(r"<!-- portfolio-check:scorecard -->|</?(?:details|summary|sub)>")
#: `[text](url)`, where the text may hold backslash escapes (`\]` in a file name).
_INLINE_LINK = re.compile(r"(!?)\[((?:\\.|[^\]\\\n]){0,500})\]\(([^()\s]{1,2000})\)")
#: An `&` that does not start one of the entities the scorecard's own escaping writes:
#: `&#64;` would be an @ after rendering.
_LOOSE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot);)")


@dataclass(frozen=True, kw_only=True)
class SavedComment:
    number: int
    head_sha: str
    body: str


@dataclass(frozen=True, kw_only=True)
class RelayRequest:
    directory: Path  # the downloaded artifact
    event: dict[str, Any]  # the workflow_run event payload
    repository: str  # owner/name: where the comment goes
    token: str
    api_url: str
    server_url: str


def save_comment(directory: Path, markdown: str, *, number: int, head_sha: str) -> Path:
    """Write the comment and its pull request into `directory` (the artifact to upload)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / COMMENT_FILE).write_text(markdown, encoding="utf-8")
    pull = {"number": number, "head_sha": head_sha}
    (directory / PULL_FILE).write_text(json.dumps(pull) + "\n", encoding="utf-8")
    return directory


def read_saved(directory: Path) -> SavedComment:
    """The artifact's comment, bounded and checked for shape (not yet sanitised)."""
    pull = _json_object(_read_bounded(directory / PULL_FILE, MAX_PULL_BYTES))
    number, head_sha = pull.get("number"), pull.get("head_sha")
    if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
        raise PortfolioCheckError(f"{directory / PULL_FILE}: no pull-request number in it")
    if not isinstance(head_sha, str) or not _SHA.fullmatch(head_sha):
        raise PortfolioCheckError(f"{directory / PULL_FILE}: no head commit in it")
    raw = _read_bounded(directory / COMMENT_FILE, MAX_BODY_BYTES)
    return SavedComment(number=number, head_sha=head_sha, body=raw.decode("utf-8", "replace"))


def run_head(event: dict[str, Any]) -> str:
    """The commit the finished pull-request run was for, from the `workflow_run` event."""
    run = event.get("workflow_run")
    if not isinstance(run, dict):
        raise PortfolioCheckError("not a workflow_run event: run this from `on: workflow_run`")
    sha = run.get("head_sha")
    if not isinstance(sha, str) or not _SHA.fullmatch(sha):
        raise PortfolioCheckError("the workflow_run event names no head commit")
    return sha


def sanitise(body: str, *, files_url: str) -> str:
    """`body` safe to post under this repository's bot; see the module docstring. Links
    stay only when they lead under `files_url` (`https://github.com/owner/name/`)."""
    body = text_safety.markdown_body(body)
    pieces: list[str] = []
    position = 0
    for link in _INLINE_LINK.finditer(body):
        pieces.append(_plain(body[position : link.start()]))
        text = _plain(link.group(2))
        url = link.group(3)
        kept = not link.group(1) and url.startswith(files_url) and ".." not in url.split("/")
        pieces.append(f"[{text}]({url})" if kept else text)
        position = link.end()
    pieces.append(_plain(body[position:]))
    text = "".join(pieces)
    if not text.startswith(MARKER):
        text = f"{MARKER}\n{text}"
    return truncate(text, MAX_COMMENT_CHARS)


def post_saved_comment(request: RelayRequest) -> tuple[Comment | None, str]:
    """Post the artifact's comment on its pull request, if it is still that run's; returns
    the comment (None when nothing was posted) and one line saying what happened."""
    head = run_head(request.event)
    saved = read_saved(request.directory)
    if saved.head_sha != head:
        raise PortfolioCheckError(
            f"{request.directory / PULL_FILE}: made for commit {saved.head_sha[:12]}, but the "
            f"run that finished was for {head[:12]}"
        )
    repo = Repo.parse(request.repository)
    client = GitHubClient(token=request.token, api_url=request.api_url)
    current = client.pull_request_head(repo, saved.number)
    if current != head:
        return None, (
            f"pull request #{saved.number} is at {current[:12]}, not at {head[:12]} (the run's "
            "commit): not posted; the run for its newest commit will post"
        )
    files_url = f"{request.server_url.rstrip('/')}/{repo}/blob/{head}/"
    comment = client.upsert_comment(repo, saved.number, sanitise(saved.body, files_url=files_url))
    return comment, f"comment on pull request #{saved.number}: {text_safety.one_line(comment.url)}"


def _plain(text: str) -> str:
    """Markdown text with no HTML but the allowed tags, no bare links that GitHub would
    make by itself, and no mention or reference that notifies anyone."""
    text = _LOOSE_AMPERSAND.sub("&amp;", text)
    kept = _ALLOWED_TAG.findall(text)
    parts = _ALLOWED_TAG.split(text)
    escaped = [part.replace("<", "&lt;").replace(">", "&gt;") for part in parts]
    joined = "".join(
        part + (kept[index] if index < len(kept) else "") for index, part in enumerate(escaped)
    )
    return text_safety.defuse_github_links(joined)


def _read_bounded(path: Path, limit: int) -> bytes:
    if path.is_symlink() or not path.is_file():
        raise PortfolioCheckError(f"{path}: missing from the downloaded artifact")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise PortfolioCheckError(f"{path}: cannot read ({error.strerror})") from None
    if len(data) > limit:
        raise PortfolioCheckError(f"{path}: larger than {limit} bytes; not a saved comment")
    return data


def _json_object(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise PortfolioCheckError(f"{PULL_FILE}: not a JSON object")
    return value
