"""One candidate, all their repositories: `portfolio-check gh:USER -o DIR`.

The account's public repositories are listed through the GitHub API (`github_api`), the
most recently pushed first, and scanned as one batch (`batch.run_batch`: parallel,
resumable, cached, with the same clone safety). The API's answer is believed only for
names, checked, and for flags that decide how a repository is listed: every clone comes
from `$GITHUB_SERVER_URL/OWNER/NAME.git` (`targets.github_target`), never from a URL the
answer supplies. Then `DIR/candidate.json` and `DIR/candidate.html` say what the
repositories add up to for a person (`portfolio`).

Forks are listed and not scanned; with `include_forks` each fork is compared with the
upstream GitHub names for it, in git (`clone.commits_ahead`), and scored only if it has
commits of its own. Repositories past `max_repos` are listed as not scanned.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from portfolio_check import __version__
from portfolio_check.app.batch import (
    CANDIDATES_DIR,
    BatchResult,
    CandidateEvent,
    Row,
    run_batch,
)
from portfolio_check.app.github.answers import AccountListing, AccountRepository, GitHubError
from portfolio_check.app.github.api import GitHubClient
from portfolio_check.common.atomic_files import write_atomic
from portfolio_check.common.errors import TargetError
from portfolio_check.intake.clone import EMPTY_REPOSITORY, CloneOptions, checkout, commits_ahead
from portfolio_check.intake.targets import (
    DEFAULT_MAX_REPOS,
    Target,
    check_label,
    github_server_url,
    github_target,
)
from portfolio_check.report.candidate import render_html
from portfolio_check.rubric.loading import load_rubric
from portfolio_check.scoring.portfolio import (
    CategoryLevel,
    Portfolio,
    PortfolioRepository,
    RedFlag,
    RepositoryStatus,
    summarise,
)

CANDIDATE_JSON = "candidate.json"
CANDIDATE_HTML = "candidate.html"
#: Bytes of a candidate's scorecard JSON read back at most (they are a few hundred KB).
MAX_SCORECARD_BYTES = 32 * 1024 * 1024
MAX_RED_FLAGS = 50
FORK = "a fork: not scanned (--include-forks scores one with commits of its own)"


@dataclass(frozen=True, kw_only=True)
class CandidateRequest:
    user: str
    out_dir: Path
    rubric_name: str
    jobs: int
    clone_options: CloneOptions
    analysis_cache: Path | None
    resume: bool = False
    include_forks: bool = False
    max_repos: int = DEFAULT_MAX_REPOS
    progress: Callable[[CandidateEvent], None] | None = None
    token: str | None = None
    api_url: str = "https://api.github.com"


@dataclass(frozen=True, kw_only=True)
class CandidateResult:
    portfolio: Portfolio
    batch: BatchResult
    json_path: Path
    html_path: Path


@dataclass(frozen=True, kw_only=True)
class _Planned:
    """A listed repository and what is done with it: scanned (a target), or why not."""

    repository: AccountRepository
    target: Target
    status: RepositoryStatus | None  # None: scanned; its status comes from its row
    note: str | None = None


# accounts ------------------------------------------------------------------------------------
# the review -----------------------------------------------------------------------------------
def run_candidate(request: CandidateRequest) -> CandidateResult:
    """List the account's repositories, scan them, write `candidate.json` and `.html`.

    Raises `PortfolioCheckError` (GitHubError, TargetError) when the account cannot be
    listed; a repository that cannot be scanned is only an error in the listing.
    """
    if request.max_repos < 1:
        raise ValueError("max_repos must be at least 1")
    rubric = load_rubric(request.rubric_name)
    server = github_server_url()
    client = GitHubClient(token=request.token, api_url=request.api_url)
    listing = client.list_repositories(request.user)
    planned = _plan(listing, request, client)
    scanned = [item for item in planned if item.status is None]
    result = run_batch(
        [item.target for item in scanned],
        rubric_name=request.rubric_name,
        out_dir=request.out_dir,
        jobs=request.jobs,
        clone_options=request.clone_options,
        resume=request.resume,
        shard=None,
        progress=request.progress,
        analysis_cache=request.analysis_cache,
    )
    rows = iter(result.rows)  # one per scanned repository, in their order
    repositories = tuple(
        _repository(item, next(rows) if item.status is None else None, request.out_dir)
        for item in planned
    )
    categories = [(c.id, c.name) for c in rubric.categories if c.side == "real_world"]
    portfolio = Portfolio(
        tool_version=__version__,
        user=listing.user,
        server=server,
        repositories=repositories,
        summary=summarise(repositories, categories),
        notes=_listing_notes(listing),
    )
    json_path = request.out_dir / CANDIDATE_JSON
    html_path = request.out_dir / CANDIDATE_HTML
    write_atomic(json_path, json.dumps(portfolio.to_json_dict(), indent=2) + "\n", durable=True)
    write_atomic(html_path, render_html(portfolio), durable=True)
    return CandidateResult(
        portfolio=portfolio, batch=result, json_path=json_path, html_path=html_path
    )


def _listing_notes(listing: AccountListing) -> tuple[str, ...]:
    notes = []
    if listing.ignored:
        one = listing.ignored == 1
        entries = "1 entry" if one else f"{listing.ignored} entries"
        notes.append(
            f"{entries} of GitHub's answer {'was' if one else 'were'} left out (not a "
            "repository of this account, a name GitHub would refuse, or a repeat)"
        )
    if listing.truncated:
        notes.append("the account has more repositories than GitHub's pages this tool reads")
    return tuple(notes)


def _plan(
    listing: AccountListing, request: CandidateRequest, client: GitHubClient
) -> list[_Planned]:
    """Most recently pushed first: forks aside (unless `include_forks`), the first
    `max_repos` repositories are cloned, the rest listed as not scanned."""
    planned: list[_Planned] = []
    cloned = 0
    for repository in listing.repositories:
        target = _target(repository)
        if repository.fork and not request.include_forks:
            planned.append(_Planned(repository=repository, target=target, status="fork", note=FORK))
            continue
        if cloned >= request.max_repos:
            note = f"not scanned: past --max-repos {request.max_repos} (the most recent are)"
            planned.append(
                _Planned(repository=repository, target=target, status="skipped", note=note)
            )
            continue
        cloned += 1
        if repository.fork:
            planned.append(_fork(repository, target, request, client))
        else:
            planned.append(_Planned(repository=repository, target=target, status=None))
    return planned


def _target(repository: AccountRepository) -> Target:
    return github_target(repository.owner, repository.name)


def _fork(
    repository: AccountRepository, target: Target, request: CandidateRequest, client: GitHubClient
) -> _Planned:
    """A fork is scored only with commits of its own on top of its upstream, counted in git
    against the upstream GitHub names (cloned from the server, like any repository)."""
    try:
        parent = client.fork_parent(repository.owner, repository.name)
    except GitHubError as error:
        return _Planned(repository=repository, target=target, status="error", note=str(error))
    if parent is None:
        note = "a fork whose upstream GitHub does not name: scored as it stands"
        return _Planned(repository=repository, target=target, status=None, note=note)
    upstream = github_target(parent.owner, parent.name)
    try:
        with checkout(target, request.clone_options) as clone:
            ahead = commits_ahead(clone, upstream, request.clone_options)
    except TargetError as error:
        return _Planned(repository=repository, target=target, status="error", note=str(error))
    if ahead == 0:
        note = f"a fork of {parent} with no commits of its own: listed, not scored"
        return _Planned(repository=repository, target=target, status="fork", note=note)
    own = "1 commit" if ahead == 1 else f"{ahead} commits"
    note = f"a fork of {parent}, with {own} of its own on top"
    return _Planned(repository=repository, target=target, status=None, note=note)


# one repository's entry ---------------------------------------------------------------------
def _repository(planned: _Planned, row: Row | None, out_dir: Path) -> PortfolioRepository:
    listed = planned.repository
    entry = PortfolioRepository(
        name=listed.name,
        spec=planned.target.spec,
        label=_label(planned.target, row),
        status=planned.status or "error",
        note=planned.note,
        fork=listed.fork,
        archived=listed.archived,
        pushed_at=listed.pushed_at,
    )
    if row is None:
        return entry
    if not row.ok:
        error = row.error or "unknown error"
        empty = error.endswith(EMPTY_REPOSITORY)
        return replace(
            entry,
            status="empty" if empty else "error",
            note="empty: no commits to scan" if empty else error,
            commit=row.commit or None,
        )
    card = _scorecard_json(out_dir / CANDIDATES_DIR / f"{entry.label}.json")
    page = out_dir / CANDIDATES_DIR / f"{entry.label}.html"
    return replace(
        entry,
        status="scored",
        scorecard=f"{CANDIDATES_DIR}/{entry.label}.html" if page.is_file() else None,
        commit=row.commit or None,
        real_world=_float(row.real_world),
        certification=_float(row.certification),
        grade=row.grade or None,
        profile=row.profile or None,
        own_share=_float(row.own_share),
        upstream=row.upstream or None,
        red_flags=_red_flags(row),
        lines=_count(_path(card, "provenance", "lines")),
        own_commits=_count(_path(card, "history", "commits")),
        first_commit=_day(_path(card, "history", "first_commit")),
        last_commit=_day(_path(card, "history", "last_commit")),
        categories=_categories(card.get("categories")),
    )


def _label(target: Target, row: Row | None) -> str:
    """The label the batch gave the repository (made unique), if it is a safe file name."""
    label = row.label if row is not None else target.label
    try:
        return check_label(label)
    except TargetError:
        return target.label


def _scorecard_json(path: Path) -> dict[str, Any]:
    """The scorecard the batch wrote for a repository; {} if it is missing or unreadable
    (a file of an earlier run, edited by hand, is read as data and checked field by field)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SCORECARD_BYTES + 1)
        data = json.loads(raw) if len(raw) <= MAX_SCORECARD_BYTES else None
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _categories(value: Any) -> tuple[CategoryLevel, ...]:
    if not isinstance(value, list):
        return ()
    levels = []
    for item in value:
        if not isinstance(item, dict) or item.get("side") != "real_world":
            continue
        ident, name, criteria = item.get("id"), item.get("name"), item.get("criteria")
        if not isinstance(ident, str) or not isinstance(name, str):
            continue
        best = max(
            (
                c["level"]
                for c in (criteria if isinstance(criteria, list) else [])
                if isinstance(c, dict) and _count(c.get("level")) is not None and c["level"] <= 4
            ),
            default=0,
        )
        counted = not item.get("inconclusive") and not item.get("not_applicable")
        levels.append(CategoryLevel(id=ident, name=name, level=best, counted=counted))
    return tuple(levels)


def _red_flags(row: Row) -> tuple[RedFlag, ...]:
    """A row's red flags (issue 12: `{kind, detail, path, line}`), if it carries any."""
    return tuple(
        RedFlag(kind=flag.kind, detail=flag.detail, path=flag.path, line=flag.line)
        for flag in row.red_flags[:MAX_RED_FLAGS]
    )


def _path(data: Mapping[str, Any], *keys: str) -> Any:
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _day(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None
