"""The text of the pull-request comment that portfolio-check keeps: the hidden marker that
identifies it, and cutting a body to GitHub's size limit without leaving a code fence or a
`<details>` element open. Pure string work; `github_api` sends the result.
"""

from __future__ import annotations

import re

#: Hidden in the comment body; identifies the comment this tool owns.
MARKER = "<!-- portfolio-check:scorecard -->"
#: GitHub refuses a comment body longer than this many characters.
MAX_COMMENT_CHARS = 65536
#: Appended to a body that `truncate` had to cut.
TRUNCATION_NOTE = (
    "\n\n> Truncated: the full scorecard is in the job summary and the workflow artifact."
)

_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_DETAILS_OPEN_RE = re.compile(r"<details(?=[\s>])", re.IGNORECASE)
_DETAILS_CLOSE_RE = re.compile(r"</details\s*>", re.IGNORECASE)
_DETAILS_CLOSER = "\n</details>"


def truncate(body: str, limit: int = MAX_COMMENT_CHARS) -> str:
    """`body` if it fits in `limit` characters; otherwise cut at the last line break that
    leaves room, close a code fence or `<details>` the cut left open, and add a note."""
    if len(body) <= limit:
        return body
    room = limit - len(TRUNCATION_NOTE)
    if room < 0:
        return body[:limit]
    blocks = _OpenBlocks()
    best: tuple[int, str] | None = None
    start = 0
    while True:
        end = body.find("\n", start)
        if end < 0 or end > room:
            break
        blocks.feed(body[start:end])
        if end + blocks.closing_length() <= room:
            best = (end, blocks.closing())
        start = end + 1
    if best is not None:
        head, closing = body[: best[0]], best[1]
    else:  # no line break early enough: cut inside the first line
        head = body[:room]
        closing = _closing_of(head)
        while head and len(head) + len(closing) > room:
            head = head[: max(0, min(len(head) - 1, room - len(closing)))]
            closing = _closing_of(head)
    return head.removesuffix("\r") + closing + TRUNCATION_NOTE


def marked(body: str) -> str:
    """`body` with the marker at the top (unless present) and cut to fit a comment."""
    text = truncate(body if MARKER in body else f"{MARKER}\n{body}")
    if MARKER not in text:  # the caller's marker sat past the cut
        text = f"{MARKER}\n{truncate(body, MAX_COMMENT_CHARS - len(MARKER) - 1)}"
    return text


def same_text(left: str, right: str) -> bool:
    return left.replace("\r\n", "\n") == right.replace("\r\n", "\n")


class _OpenBlocks:
    """Tracks, line by line, a Markdown code fence and `<details>` elements left open."""

    def __init__(self) -> None:
        self.fence = ""
        self.details = 0

    def feed(self, line: str) -> None:
        line = line.removesuffix("\r")
        match = _FENCE_RE.fullmatch(line)
        if self.fence:
            if (
                match
                and match.group(1)[0] == self.fence[0]
                and len(match.group(1)) >= len(self.fence)
                and not match.group(2).strip()
            ):
                self.fence = ""
            return
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            self.fence = match.group(1)
            return
        opened = len(_DETAILS_OPEN_RE.findall(line))
        closed = len(_DETAILS_CLOSE_RE.findall(line))
        self.details = max(0, self.details + opened - closed)

    def closing_length(self) -> int:
        fence = len(self.fence) + 1 if self.fence else 0
        return fence + self.details * len(_DETAILS_CLOSER)

    def closing(self) -> str:
        fence = "\n" + self.fence if self.fence else ""
        return fence + _DETAILS_CLOSER * self.details


def _closing_of(text: str) -> str:
    blocks = _OpenBlocks()
    for line in text.split("\n"):
        blocks.feed(line)
    return blocks.closing()
