"""Where a file of the scanned repository can be read on the web, line by line: the URL
rules, pure (`git_links` asks git which files they apply to).

A report links an evidence path to the file at the scanned commit when the repository's
`origin` remote is on GitHub or GitLab, and when the file scanned is byte for byte the one
in that commit (an edited or untracked file would link to other lines, so it stays plain
text). The remote URL is the target's own config, so it is parsed strictly and rebuilt from
its host, owner and name only: credentials and anything odd in it never reach a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, urlsplit

Host = Literal["github", "gitlab"]
HOSTS: dict[str, Host] = {"github.com": "github", "gitlab.com": "gitlab"}
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
