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

from portfolio_check.levels import EvidenceLevel
from portfolio_check.plural import counted
from portfolio_check.report import charts
from portfolio_check.resources import templates_dir

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
#: Control characters, bidirectional marks and overrides ("Trojan Source"), and line and
#: paragraph separators: none belongs in one line of a report.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
#: What GitHub turns into a link on its own: `http://`, `https://`, `ftp://` and `www.`.
AUTOLINK = re.compile(r"(?i)(?<![a-z0-9])(?:https?|ftp)(?=:/)|(?<![a-z0-9])www(?=\.)")
#: Lone surrogates: an undecodable file name (`os.fsdecode`) or a `\udcff` escape in JSON.
#: No UTF-8 file can hold one, so every report replaces them.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """`text` with lone surrogates replaced (U+FFFD), so that it can be written as UTF-8."""
    return LONE_SURROGATE.sub("\ufffd", text)


class MarkdownLink(str):
    """A link the renderer built from escaped text and a percent-encoded URL: the one kind
    of Markdown that passes `finalize` unescaped."""


def markdown_link(text: Any, url: str) -> MarkdownLink:
    safe_url = re.sub(r"[\s()<>\[\]]", lambda m: f"%{ord(m.group(0)):02X}", url)
    return MarkdownLink(f"[{markdown_escape(text)}]({safe_url})")


def markdown_escape(value: Any) -> str:
    """Render repo text literally in GitHub Markdown: no HTML, links, mentions or refs."""
    if isinstance(value, MarkdownLink):
        return str(value)
    text = CONTROL.sub("", str(value)).replace("\r", " ").replace("\n", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = AUTOLINK.sub(lambda m: f"{m.group(0)}\u200b", text)  # defuse bare URLs
    text = re.sub(r"@(?=\w)", "@\u200b", text)  # defuse @mentions
    return re.sub(r"(?<=#)(?=\d)", "\u200b", text)  # defuse #123 references


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
    escaped = str(markupsafe.escape(value))
    return markupsafe.Markup(
        re.sub(r"`([^`]+)`", lambda code: f"<code>{_wrap_at_slashes(code[1])}</code>", escaped)
    )


def breakable(value: Any) -> markupsafe.Markup:
    """A path or URL, escaped, that wraps after each `/` rather than mid-word."""
    return markupsafe.Markup(_wrap_at_slashes(str(markupsafe.escape(value))))


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
