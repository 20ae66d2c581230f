"""A person's portfolio (`gh:USER`) as a page and as a short text for the terminal.

Reads only the `Portfolio` model. The page is self-contained like the scorecard (the same
head: a Content-Security-Policy that allows no script and no request), and each scored
repository links to its own scorecard under `candidates/`.
"""

from __future__ import annotations

import textwrap
from urllib.parse import quote

from portfolio_check.common.text_safety import encodable, terminal_line
from portfolio_check.report.templating import html_environment
from portfolio_check.scoring.portfolio import Portfolio, PortfolioRepository

#: Width of the repository column in the text view, and of its summary lines.
NAME_WIDTH = 28
WIDTH = 100


def render_html(portfolio: Portfolio) -> str:
    """`candidate.html`: the summary first, then every listed repository with its status."""
    page = (
        html_environment()
        .get_template("candidate.html.j2")
        .render(
            portfolio=portfolio,
            summary=portfolio.summary,
            links={repo.label: _href(repo) for repo in portfolio.repositories},
        )
    )
    return encodable(page)


def _href(repository: PortfolioRepository) -> str | None:
    if repository.scorecard is None:
        return None
    folder, _, name = repository.scorecard.rpartition("/")
    return f"{folder}/{quote(name, safe='')}" if folder else quote(name, safe="")


def render_text(portfolio: Portfolio) -> str:
    """The short version: counts, the strongest project, the categories covered and not,
    own work and activity, then one line per repository."""
    summary = portfolio.summary
    counts = summary.counts
    lines = [f"gh:{portfolio.user}: {_listed(counts)}"]
    strongest = summary.strongest
    if strongest is None:
        lines.append("Strongest project: none scored")
    else:
        own = "" if strongest.own_share is None else f", own work {_percent(strongest.own_share)}"
        lines.append(
            f"Strongest project: {strongest.name}, real-world {_points(strongest.real_world)}"
            f"/100, certification-only {_points(strongest.certification)}/100{own}"
        )
    covered = [c.name for c in summary.covered]
    total = len(summary.categories)
    lines.append(f"Covered somewhere ({len(covered)} of {total}): {', '.join(covered) or 'none'}")
    lines.append(f"Covered nowhere: {', '.join(c.name for c in summary.uncovered) or 'none'}")
    if summary.own_share is not None:
        lines.append(
            f"Own work across the portfolio: {_percent(summary.own_share)} of "
            f"{summary.lines:,} lines, {summary.own_commits:,} own commits"
        )
    if summary.first_commit and summary.last_commit:
        lines.append(
            f"Active: {summary.first_commit} to {summary.last_commit} ({summary.span_days} days, "
            f"{summary.active_repositories} repositories)"
        )
    lines.extend(portfolio.notes)
    wrapped = [
        part
        for line in lines
        for part in textwrap.wrap(terminal_line(line), WIDTH, subsequent_indent="  ")
    ]
    table = [terminal_line(_repository_line(repo)) for repo in portfolio.repositories]
    return "\n".join([*wrapped, "", *table]) + "\n"


#: How each status is counted in the first line: (status, one, several).
_COUNTED = (
    ("error", "error", "errors"),
    ("empty", "empty", "empty"),
    ("fork", "fork not scored", "forks not scored"),
    ("skipped", "not scanned", "not scanned"),
)


def _listed(counts: dict[str, int]) -> str:
    parts = [f"{counts['scored']} scored"]
    parts += [
        f"{counts[key]} {one if counts[key] == 1 else several}"
        for key, one, several in _COUNTED
        if counts.get(key)
    ]
    listed = counts["listed"]
    return f"{listed} repositor{'y' if listed == 1 else 'ies'} listed; " + ", ".join(parts)


def _repository_line(repo: PortfolioRepository) -> str:
    name = repo.name if len(repo.name) <= NAME_WIDTH else repo.name[: NAME_WIDTH - 1] + "…"
    if repo.status == "scored":
        own = "" if repo.own_share is None else f"  own {_percent(repo.own_share)}"
        detail = (
            f"real-world {_points(repo.real_world):>3}  certification "
            f"{_points(repo.certification):>3}{own}"
        )
        if repo.red_flags:
            detail += f"  {len(repo.red_flags)} red flag{'s' if len(repo.red_flags) != 1 else ''}"
    else:
        detail = repo.note or ""
    tags = [
        tag
        for tag, on in (
            ("fork", repo.fork and repo.status == "scored"),
            ("archived", repo.archived),
        )
        if on
    ]
    shown = f"  ({', '.join(tags)})" if tags else ""
    return f"  {name:<{NAME_WIDTH}} {repo.status:<8} {detail}{shown}"


def _points(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}"


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"
