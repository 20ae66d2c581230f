"""The HTML scorecard: one self-contained, autoescaped page with no external requests."""

from __future__ import annotations

from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report.templating import html_environment
from portfolio_check.report.view import scorecard_view


def render(scorecard: Scorecard) -> str:
    return html_environment().get_template("scorecard.html.j2").render(**scorecard_view(scorecard))
