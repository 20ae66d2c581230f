"""A person's portfolio: every repository of an account, and what they add up to.

The model of `candidate.json` (`gh:USER`) and its JSON contract, whose JSON Schema ships as
`schemas/candidate.schema.json`. The summary is a pure function of the repositories: the
strongest project by real-world evidence, the real-world categories shown anywhere and
nowhere, own work across the portfolio weighted by lines, and the span of the own commits.
Standard library only; `candidate` fills it in, the renderers read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

SCHEMA_VERSION = "1"
#: A category is covered by a repository whose best criterion in it reaches this level
#: (`present`: a real artefact with real content, not a claim).
COVERED_LEVEL = 2
LEVEL_NAMES = ("absent", "claimed", "present", "wired", "automated")

RepositoryStatus = Literal["scored", "error", "empty", "fork", "skipped"]
STATUSES: tuple[RepositoryStatus, ...] = ("scored", "error", "empty", "fork", "skipped")


@dataclass(frozen=True, kw_only=True)
class RedFlag:
    """Something a reviewer should see first (issue 12), as the batch row carries it."""

    kind: str
    detail: str
    path: str | None = None
    line: int | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail, "path": self.path, "line": self.line}


@dataclass(frozen=True, kw_only=True)
class CategoryLevel:
    """How far one repository's evidence in one real-world category goes."""

    id: str
    name: str
    level: int  # the best criterion's level, 0-4
    counted: bool  # False: inconclusive or not applicable for this repository


@dataclass(frozen=True, kw_only=True)
class PortfolioRepository:
    """One listed repository: scored, or why not."""

    name: str
    spec: str  # gh:owner/name
    label: str  # names its files under candidates/
    status: RepositoryStatus
    note: str | None = None  # why it is not scored, or what to know about it
    fork: bool = False
    archived: bool = False
    pushed_at: str | None = None
    scorecard: str | None = None  # relative link to its HTML scorecard
    commit: str | None = None
    real_world: float | None = None
    certification: float | None = None
    grade: str | None = None
    profile: str | None = None
    own_share: float | None = None  # 0-1, from provenance
    lines: int | None = None  # code and text lines provenance compared
    own_commits: int | None = None  # commits of the people working on it now
    upstream: str | None = None
    first_commit: str | None = None  # of the own history, YYYY-MM-DD
    last_commit: str | None = None
    red_flags: tuple[RedFlag, ...] = ()
    categories: tuple[CategoryLevel, ...] = ()

    @property
    def covered(self) -> tuple[str, ...]:
        """The ids of the real-world categories this repository shows at `present` or more."""
        return tuple(c.id for c in self.categories if c.counted and c.level >= COVERED_LEVEL)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "spec": self.spec,
            "label": self.label,
            "status": self.status,
            "note": self.note,
            "fork": self.fork,
            "archived": self.archived,
            "pushed_at": self.pushed_at,
            "scorecard": self.scorecard,
            "commit": self.commit,
            "real_world": self.real_world,
            "certification": self.certification,
            "grade": self.grade,
            "profile": self.profile,
            "own_share": self.own_share,
            "lines": self.lines,
            "own_commits": self.own_commits,
            "upstream": self.upstream,
            "first_commit": self.first_commit,
            "last_commit": self.last_commit,
            "red_flags": [flag.to_json_dict() for flag in self.red_flags],
            "covered_categories": list(self.covered),
        }


@dataclass(frozen=True, kw_only=True)
class Coverage:
    """A real-world category across the portfolio: the best level any repository reaches."""

    id: str
    name: str
    level: int
    repository: str | None  # the repository that reaches it (the stronger one on a tie)

    @property
    def covered(self) -> bool:
        return self.level >= COVERED_LEVEL

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]


@dataclass(frozen=True, kw_only=True)
class PortfolioSummary:
    counts: dict[str, int]  # repositories by status, and "listed" and "archived"
    strongest: PortfolioRepository | None
    categories: tuple[Coverage, ...]  # every real-world category of the rubric, in its order
    own_share: float | None  # line-weighted over the scored repositories provenance compared
    own_lines: int
    lines: int
    own_commits: int
    first_commit: str | None
    last_commit: str | None
    active_repositories: int  # scored repositories with a history

    @property
    def covered(self) -> tuple[Coverage, ...]:
        return tuple(c for c in self.categories if c.covered)

    @property
    def uncovered(self) -> tuple[Coverage, ...]:
        return tuple(c for c in self.categories if not c.covered)

    @property
    def span_days(self) -> int | None:
        if self.first_commit is None or self.last_commit is None:
            return None
        return (date.fromisoformat(self.last_commit) - date.fromisoformat(self.first_commit)).days

    def to_json_dict(self) -> dict[str, Any]:
        strongest = self.strongest
        return {
            "counts": dict(self.counts),
            "strongest": None
            if strongest is None
            else {
                "name": strongest.name,
                "real_world": strongest.real_world,
                "certification": strongest.certification,
                "own_share": strongest.own_share,
                "profile": strongest.profile,
                "scorecard": strongest.scorecard,
            },
            "categories_covered": [_coverage_json(c) for c in self.covered],
            "categories_uncovered": [_coverage_json(c) for c in self.uncovered],
            "own_work": {
                "share": None if self.own_share is None else round(self.own_share, 3),
                "own_lines": self.own_lines,
                "lines": self.lines,
                "own_commits": self.own_commits,
            },
            "activity": {
                "first_commit": self.first_commit,
                "last_commit": self.last_commit,
                "span_days": self.span_days,
                "active_repositories": self.active_repositories,
            },
        }


@dataclass(frozen=True, kw_only=True)
class Portfolio:
    """An account and its repositories (every one listed, each with its status)."""

    tool_version: str
    user: str
    server: str  # where the repositories were cloned from
    repositories: tuple[PortfolioRepository, ...]
    summary: PortfolioSummary
    notes: tuple[str, ...] = ()  # about the listing: entries ignored, pages left out

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "portfolio-check", "version": self.tool_version},
            "user": self.user,
            "server": self.server,
            "notes": list(self.notes),
            "repositories": [repository.to_json_dict() for repository in self.repositories],
            "summary": self.summary.to_json_dict(),
        }


def _coverage_json(coverage: Coverage) -> dict[str, Any]:
    return {
        "id": coverage.id,
        "name": coverage.name,
        "level": coverage.level_name,
        "repository": coverage.repository,
    }


# the summary ------------------------------------------------------------------------------
def summarise(
    repositories: Sequence[PortfolioRepository], categories: Sequence[tuple[str, str]]
) -> PortfolioSummary:
    """What the repositories add up to. `categories` are the rubric's real-world categories
    (id, name), in its order: those no repository covers are named too."""
    scored = [repo for repo in repositories if repo.status == "scored"]
    counts: dict[str, int] = {"listed": len(repositories)}
    counts.update(dict.fromkeys(STATUSES, 0))
    for repo in repositories:
        counts[repo.status] += 1
    counts["archived"] = sum(repo.archived for repo in repositories)
    compared = [r for r in scored if r.own_share is not None and r.lines]
    lines = sum(r.lines or 0 for r in compared)
    own_lines = round(sum((r.own_share or 0.0) * (r.lines or 0) for r in compared))
    first = [r.first_commit for r in scored if r.first_commit]
    last = [r.last_commit for r in scored if r.last_commit]
    return PortfolioSummary(
        counts=counts,
        strongest=strongest(scored),
        categories=tuple(_coverage(cid, name, scored) for cid, name in categories),
        own_share=own_lines / lines if lines else None,
        own_lines=own_lines,
        lines=lines,
        own_commits=sum(r.own_commits or 0 for r in scored),
        first_commit=min(first) if first else None,
        last_commit=max(last) if last else None,
        active_repositories=sum(1 for r in scored if r.first_commit),
    )


def strongest(scored: Sequence[PortfolioRepository]) -> PortfolioRepository | None:
    """The highest real-world score; on a tie the larger own share, then the name."""
    ranked = sorted(scored, key=_strength)
    return ranked[0] if ranked else None


def _strength(repo: PortfolioRepository) -> tuple[float, float, str]:
    return (-(repo.real_world or 0.0), -(repo.own_share or 0.0), repo.name.casefold())


def _coverage(category_id: str, name: str, scored: Sequence[PortfolioRepository]) -> Coverage:
    best: tuple[int, PortfolioRepository] | None = None
    for repo in sorted(scored, key=_strength):
        level = next((c.level for c in repo.categories if c.id == category_id and c.counted), 0)
        if level > 0 and (best is None or level > best[0]):
            best = (level, repo)
    if best is None:
        return Coverage(id=category_id, name=name, level=0, repository=None)
    return Coverage(id=category_id, name=name, level=best[0], repository=best[1].name)
