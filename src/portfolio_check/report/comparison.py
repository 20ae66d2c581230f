"""The batch's comparison page: every candidate on one page, in three orders (real-world
score, certification-only score, label), switched without JavaScript.

Reads only `ComparisonEntry` values, built by the batch from its rows. The page depends on
the entries only, never on their order or on the time, so equal entries give byte-identical
pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portfolio_check import __version__
from portfolio_check.report.templating import html_environment


@dataclass(frozen=True, kw_only=True)
class ComparisonEntry:
    """One candidate's line of the comparison, every field ready to show."""

    label: str
    spec: str
    href: str | None  # relative, URL-quoted link to the candidate's scorecard
    ok: bool
    commit: str | None
    real_world: float | None
    certification: float | None
    own_share: float | None  # 0-1; None: not compared with the upstream index
    upstream: str | None  # what most of the rest matches
    grade: str | None
    profile: str | None
    strengths: tuple[str, ...]
    gaps: tuple[str, ...]
    claims: int | None  # claims without evidence; None: not scored (or an older row)
    red_flags: tuple[str, ...]  # in a few words each (`red_flags.summary`)
    error: str | None


def render_comparison(entries: Iterable[ComparisonEntry]) -> str:
    """`comparison.html`, its views sorted here (by label first, so that ties keep one order)."""
    by_label = sorted(entries, key=lambda entry: (entry.label.casefold(), entry.label))
    by_real_world = sorted(by_label, key=lambda e: (not e.ok, -(e.real_world or 0.0)))
    by_certification = sorted(by_label, key=lambda e: (not e.ok, -(e.certification or 0.0)))
    return (
        html_environment()
        .get_template("comparison.html.j2")
        .render(
            tool_version=__version__,
            total=len(by_label),
            ok=sum(entry.ok for entry in by_label),
            errors=sum(not entry.ok for entry in by_label),
            views=[
                ("by-certification", "certification-only score", by_certification),
                ("by-label", "label", by_label),
                ("by-real-world", "real-world score", by_real_world),
            ],
            default_view="by-real-world",
        )
    )
