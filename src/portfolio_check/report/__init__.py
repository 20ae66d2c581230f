"""Renderers: one module per output format, all reading only the Scorecard.

`render` imports the one renderer it is asked for, so that naming the formats (the command
line's `--format` choices) costs no template engine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NoReturn

from portfolio_check.common.text_safety import encodable

if TYPE_CHECKING:
    from portfolio_check.model.scorecard import Scorecard

Format = Literal["text", "html", "json", "markdown", "sarif", "shields"]
FORMATS: tuple[Format, ...] = ("text", "html", "json", "markdown", "sarif", "shields")
EXTENSIONS: dict[Format, str] = {
    "text": "txt",
    "html": "html",
    "json": "json",
    "markdown": "md",
    "sarif": "sarif",
    "shields": "badge.json",
}


def assert_never(value: NoReturn) -> NoReturn:  # typing.assert_never arrived in 3.11
    raise AssertionError(f"unhandled format: {value!r}")


def render(scorecard: Scorecard, output_format: Format, *, color: bool = False) -> str:
    """The report as text that can always be written as UTF-8: an undecodable file name
    of the target shows as U+FFFD instead of failing the write."""
    return encodable(_render(scorecard, output_format, color=color))


def _render(scorecard: Scorecard, output_format: Format, *, color: bool) -> str:
    match output_format:
        case "text":
            from portfolio_check.report import text

            return text.render(scorecard, color=color)
        case "html":
            from portfolio_check.report import html

            return html.render(scorecard)
        case "json":
            from portfolio_check.report import json_report

            return json_report.render(scorecard)
        case "markdown":
            from portfolio_check.report import markdown

            return markdown.render(scorecard)
        case "sarif":
            from portfolio_check.report import sarif

            return sarif.render(scorecard)
        case "shields":
            from portfolio_check.report import shields

            return shields.render(scorecard)
        case _:
            assert_never(output_format)
