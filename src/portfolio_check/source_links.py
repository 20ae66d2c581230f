"""Where a file of the scanned repository can be read on the web, line by line.

A report links an evidence path to the file at the scanned commit when the repository's
`origin` remote is on GitHub or GitLab, and when the file scanned is byte for byte the one
in that commit (an edited or untracked file would link to other lines, so it stays plain
text). The remote URL is the target's own config, so it is parsed strictly and rebuilt from
its host, owner and name only: credentials and anything odd in it never reach a report.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, urlsplit

import git

from portfolio_check.git_runner import hardened_git
from portfolio_check.snapshot import EntryKind, Snapshot, read_bytes_inside

Host = Literal["github", "gitlab"]
HOSTS: dict[str, Host] = {"github.com": "github", "gitlab.com": "gitlab"}
#: A file larger than this is not hashed to compare it with the commit: it stays plain text.
MAX_HASHED_BYTES = 20 * 1024 * 1024
#: At most this much is read, in all, to compare the named files with the commit; the files
#: past it (in path order) stay plain text. A report names a few hundred files at most.
HASH_BUDGET_BYTES = 128 * 1024 * 1024
#: One owner, group or repository name; GitLab nests groups, GitHub does not.
SEGMENT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9_])?")
SCP_LIKE = re.compile(r"(?:[^@/:\s]+@)?(?P<host>[^@/:\s]+):(?P<path>[^\s]+)")
FULL_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True, kw_only=True)
class SourceLinks:
    """How to link a path and line of the scanned commit to its page on GitHub or GitLab."""

    host: Host
    repository_url: str  # https://github.com/owner/name, with nothing else in it
    commit: str  # as it goes in a URL
    paths: frozenset[str]  # the paths whose scanned content is the commit's

    @classmethod
    def on_github(
        cls, *, server_url: str, repository: str, commit: str, paths: Iterable[str]
    ) -> SourceLinks:
        """Links for a GitHub Actions run (GitHub Enterprise included): the server and the
        `owner/name` come from the run's settings, not from the scanned repository, and
        `paths` are those of the scorecard scanned at that commit."""
        url = f"{server_url.rstrip('/')}/{quote(repository)}"
        return cls(host="github", repository_url=url, commit=quote(commit), paths=frozenset(paths))

    def commit_url(self) -> str:
        separator = "/-/commit/" if self.host == "gitlab" else "/commit/"
        return f"{self.repository_url}{separator}{self.commit}"

    def url(self, path: str, line: int | None = None) -> str | None:
        """The file's page at the commit (and the line), or None when it cannot be linked."""
        if path not in self.paths:
            return None
        separator = "/-/blob/" if self.host == "gitlab" else "/blob/"
        anchor = f"#L{line}" if line else ""
        return f"{self.repository_url}{separator}{self.commit}/{quote(path)}{anchor}"


def repository_url(remote: str) -> tuple[Host, str] | None:
    """`https://github.com/owner/name` from a remote URL on github.com or gitlab.com (https,
    ssh:// or scp-like `git@host:owner/name.git`), or None for any other host or shape."""
    remote = remote.strip()
    if "://" in remote:
        parts = urlsplit(remote)
        if parts.fragment:
            return None
        if parts.scheme not in {"https", "http", "ssh", "git", "git+ssh"} or parts.query:
            return None
        host, path = parts.hostname or "", parts.path
    else:
        match = SCP_LIKE.fullmatch(remote)
        if match is None:
            return None
        host, path = match["host"], match["path"]
    kind = HOSTS.get(host.lower())
    if kind is None:
        return None
    segments = path.strip("/").removesuffix(".git").split("/")
    too_deep = kind == "github" and len(segments) != 2
    if len(segments) < 2 or too_deep or not all(SEGMENT.fullmatch(s) for s in segments):
        return None
    return kind, f"https://{host.lower()}/{'/'.join(segments)}"


def repository_name(remote: str) -> str | None:
    """`churn-model` from any remote URL (`https://host/ada/churn-model.git`,
    `git@host:ada/churn-model`, `/srv/git/churn-model.git`): the last path segment, when it
    is a plain repository name; None for anything else."""
    remote = remote.strip()
    if "://" in remote:
        path = urlsplit(remote).path
    else:
        match = SCP_LIKE.fullmatch(remote)
        path = match["path"] if match else remote
    name = path.rstrip("/").rpartition("/")[2].removesuffix(".git")
    return name if SEGMENT.fullmatch(name) else None


def project_name(snapshot: Snapshot) -> str:
    """What a report calls the project: the `origin` repository's name, else the name of
    the folder scanned (a user's `.` is never a name). Asks git one read-only question."""
    folder = snapshot.root.name or str(snapshot.root)
    if not snapshot.is_git:
        return folder
    try:
        remote = str(hardened_git(snapshot.root).config("--get", "remote.origin.url"))
    except git.GitCommandError:
        return folder
    return repository_name(remote) or folder


def source_links(snapshot: Snapshot, paths: Iterable[str]) -> SourceLinks | None:
    """Links for those of `paths` that are unchanged at the snapshot's commit, or None when
    the target has no commit or no GitHub/GitLab `origin`. Only asks git read-only questions
    (`config`, `ls-tree`) through the hardened runner."""
    commit = snapshot.commit
    if not snapshot.is_git or commit is None or not FULL_SHA.fullmatch(commit):
        return None
    runner = hardened_git(snapshot.root)
    try:
        remote = str(runner.config("--get", "remote.origin.url"))
        listing = str(runner.ls_tree("-r", "-z", "--full-tree", commit))
    except git.GitCommandError:
        return None
    found = repository_url(remote)
    if found is None:
        return None
    host, url = found
    unchanged = _unchanged_paths(snapshot, paths, _blob_ids(listing))
    return SourceLinks(host=host, repository_url=url, commit=commit, paths=unchanged)


def _blob_ids(listing: str) -> dict[str, str]:
    """path -> blob id of the regular files in `git ls-tree -r -z` output."""
    blobs: dict[str, str] = {}
    for record in listing.split("\0"):
        meta, _, path = record.partition("\t")
        fields = meta.split()
        if len(fields) == 3 and fields[1] == "blob" and fields[0] in {"100644", "100755"}:
            blobs[path] = fields[2]
    return blobs


def _unchanged_paths(
    snapshot: Snapshot, paths: Iterable[str], blobs: dict[str, str]
) -> frozenset[str]:
    """The paths whose scanned file is the commit's blob. A snapshot read from git objects
    always is; a work-tree file is hashed the way git hashes it, within the budget."""
    unchanged: set[str] = set()
    budget = HASH_BUDGET_BYTES
    for path in sorted(set(paths) & blobs.keys()):
        entry = snapshot.get(path)
        if entry is None or entry.kind is not EntryKind.FILE or entry.size > MAX_HASHED_BYTES:
            continue
        if snapshot.reader is not None:
            unchanged.add(path)
        elif entry.size <= budget:
            budget -= entry.size
            if _has_blob_id(snapshot, path, entry.size, blobs[path]):
                unchanged.add(path)
    return frozenset(unchanged)


def _has_blob_id(snapshot: Snapshot, path: str, size: int, blob: str) -> bool:
    data = read_bytes_inside(snapshot.root, path, limit=size + 1)
    if data is None or len(data) != size:
        return False
    algorithm = hashlib.sha256 if len(blob) == 64 else hashlib.sha1
    return algorithm(b"blob %d\0" % len(data) + data).hexdigest() == blob
