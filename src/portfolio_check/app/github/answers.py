"""The typed answers of the GitHub API and their validation: a checked `owner/name`, an
account's repositories (names and flags only, never a URL the answer supplies) and a
pull-request comment. Whatever does not check out is dropped or refused with `GitHubError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from portfolio_check.common.errors import PortfolioCheckError

OWNER_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
_NAME_RE = re.compile(r"[A-Za-z0-9._-]{1,100}")


class GitHubError(PortfolioCheckError):
    """A GitHub API call failed. `status` is the HTTP status, or None without a response."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Repo:
    owner: str
    name: str

    @classmethod
    def parse(cls, value: str) -> Repo:
        """`owner/name`, as in GITHUB_REPOSITORY."""
        owner, slash, name = value.strip().partition("/")
        if not (
            slash
            and OWNER_RE.fullmatch(owner)
            and _NAME_RE.fullmatch(name)
            and name not in {".", ".."}
        ):
            shown = value if len(value) <= 100 else value[:100] + "..."
            raise GitHubError(f"repository must look like 'owner/name', got {shown!r}")
        return cls(owner, name)

    def __str__(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass(frozen=True, kw_only=True)
class AccountRepository:
    """One public repository of an account, as far as the API's answer is believed: its
    checked owner and name, and flags that only decide how it is listed."""

    owner: str
    name: str
    fork: bool
    archived: bool
    size_kb: int | None  # GitHub's estimate; 0 for an empty repository (and some tiny ones)
    pushed_at: str | None  # ISO 8601, UTC, as checked; None if the answer had none


@dataclass(frozen=True, kw_only=True)
class AccountListing:
    """An account's public repositories, the most recently pushed first."""

    user: str
    repositories: tuple[AccountRepository, ...]
    #: entries left out: not an object, a name GitHub would refuse, another owner, a repeat
    ignored: int = 0
    truncated: bool = False  # more than `MAX_PAGES` pages


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    url: str  # the comment's page on GitHub (html_url)


def account_repository(item: Any, owner: str) -> AccountRepository | None:
    """An entry of an account's repository list, if it is one: a checked name owned by
    `owner` (compared without case, as GitHub does). Everything else is dropped."""
    if not isinstance(item, dict):
        return None
    login = item.get("owner", {}).get("login") if isinstance(item.get("owner"), dict) else None
    name = item.get("name")
    if not isinstance(login, str) or not isinstance(name, str):
        return None
    try:
        repo = Repo.parse(f"{login}/{name}")
    except GitHubError:
        return None
    if repo.owner.casefold() != owner.casefold():
        return None
    size = item.get("size")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        size = None
    return AccountRepository(
        owner=repo.owner,
        name=repo.name,
        fork=item.get("fork") is True,
        archived=item.get("archived") is True,
        size_kb=size,
        pushed_at=_timestamp(item.get("pushed_at")),
    )


def _timestamp(value: Any) -> str | None:
    """An ISO 8601 time from an answer, normalised to `YYYY-MM-DDTHH:MM:SSZ`, or None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def listing(
    owner: str, found: Mapping[str, AccountRepository], ignored: int, *, truncated: bool
) -> AccountListing:
    """Most recently pushed first (never pushed last), then by name: the order is the
    tool's own, not the answer's."""
    ordered = sorted(found.values(), key=lambda repo: repo.name.casefold())
    ordered.sort(key=lambda repo: repo.pushed_at or "", reverse=True)
    return AccountListing(
        user=owner, repositories=tuple(ordered), ignored=ignored, truncated=truncated
    )


def parse_comment(item: Any) -> Comment:
    if not isinstance(item, dict):
        raise GitHubError("GitHub returned a comment that is not an object")
    ident, body = item.get("id"), item.get("body")
    if isinstance(ident, bool) or not isinstance(ident, int):
        raise GitHubError("GitHub returned a comment without an id")
    url = item.get("html_url") or item.get("url") or ""
    return Comment(
        id=ident,
        body=body if isinstance(body, str) else "",
        url=url if isinstance(url, str) else "",
    )
