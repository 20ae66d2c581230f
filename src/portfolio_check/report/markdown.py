"""The Markdown view, safe for GitHub: repo text is escaped, never interpreted."""

from __future__ import annotations

from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report.templating import markdown_environment
from portfolio_check.report.view import scorecard_view


def render(scorecard: Scorecard) -> str:
    return (
        markdown_environment().get_template("scorecard.md.j2").render(**scorecard_view(scorecard))
    )
