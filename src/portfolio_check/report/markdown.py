"""The Markdown view, safe for GitHub: repo text is escaped, never interpreted."""

from __future__ import annotations

from portfolio_check.report.templating import markdown_environment
from portfolio_check.report.view import scorecard_view
from portfolio_check.scorecard import Scorecard


def render(scorecard: Scorecard) -> str:
    return (
        markdown_environment().get_template("scorecard.md.j2").render(**scorecard_view(scorecard))
    )
