"""The Jinja2 environments of the HTML and Markdown renderers.

HTML is autoescaped. Markdown has no autoescape in Jinja2, so its environment escapes every
`{{ }}` through `finalize` instead: text from a scanned repo can never become markup, a
mention or a link (bare URLs included, which GitHub would otherwise link by itself),
whether or not a template remembers to filter it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2
import markupsafe

from portfolio_check.common import text_safety
from portfolio_check.common.plural import counted
from portfolio_check.common.resources import templates_dir
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.report import charts


class MarkdownLink(str):
    """A link the renderer built from escaped text and a percent-encoded URL: the one kind
    of Markdown that passes `finalize` unescaped."""


def markdown_link(text: Any, url: str) -> MarkdownLink:
    safe_url = re.sub(r"[\s()<>\[\]]", lambda m: f"%{ord(m.group(0)):02X}", url)
    return MarkdownLink(f"[{markdown_escape(text)}]({safe_url})")


def markdown_escape(value: Any) -> str:
    """Render repo text literally in GitHub Markdown (`text_safety.markdown`); the links
    the renderer built pass as they are."""
    if isinstance(value, MarkdownLink):
        return str(value)
    return text_safety.markdown(value)


def _common(env: jinja2.Environment) -> jinja2.Environment:
    env.globals["LEVELS"] = list(EvidenceLevel)
    env.filters["points"] = lambda value: f"{value:.0f}"
    env.filters["counted"] = counted
    return env


def _wrap_at_slashes(escaped: str) -> str:
    """Let escaped text wrap after each `/` (`<wbr>`) rather than inside a name: the one
    place the HTML pages make long paths fit a narrow column."""
    return escaped.replace("/", "/<wbr>")


def inline_code(value: Any) -> markupsafe.Markup:
    """Escape, then show `backticked` spans as code (paths in them wrap at their slashes):
    markup is added only after escaping."""
    escaped = str(text_safety.html(value))
    return markupsafe.Markup(
        re.sub(r"`([^`]+)`", lambda code: f"<code>{_wrap_at_slashes(code[1])}</code>", escaped)
    )


def breakable(value: Any) -> markupsafe.Markup:
    """A path or URL, escaped, that wraps after each `/` rather than mid-word."""
    return markupsafe.Markup(_wrap_at_slashes(str(text_safety.html(value))))


@cache
def html_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline_code"] = inline_code
    env.filters["breakable"] = breakable
    env.globals["ladder"] = charts.ladder
    env.globals["LADDER_WIDTH"] = charts.LADDER_WIDTH
    env.globals["LADDER_HEIGHT"] = charts.LADDER_HEIGHT
    env.globals["deepest_level"] = charts.deepest_level
    return _common(env)


@cache
def markdown_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=markdown_escape,
    )
    env.filters["link"] = markdown_link
    env.filters["signed"] = lambda value: f"{value:+.0f}" if round(value) else "0"
    return _common(env)
