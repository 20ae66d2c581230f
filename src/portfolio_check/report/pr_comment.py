"""The pull-request comment and job summary: scores against the base, and what changed."""

from __future__ import annotations

from portfolio_check.common.text_safety import encodable
from portfolio_check.model.source_links import SourceLinks
from portfolio_check.report.templating import markdown_environment
from portfolio_check.scoring.compare import Comparison


def render(comparison: Comparison, *, links: SourceLinks | None = None, title: str = "") -> str:
    template = markdown_environment().get_template("pr-comment.md.j2")
    return encodable(
        template.render(
            head=comparison.head,
            base=comparison.base,
            categories=comparison.categories,
            rose=comparison.rose,
            fell=comparison.fell,
            real_world_delta=comparison.real_world_delta or 0.0,
            certification_delta=comparison.certification_delta or 0.0,
            links=links,
            title=title,
        )
    )
