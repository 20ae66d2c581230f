"""TOML from untrusted files: tomllib, with the one input it chokes on refused first.

tomllib takes time quadratic in the number of parts of a dotted key (`a.a.a. ... = 1`, a
`[a.a.a. ...]` header, or the same inside an inline table): 100 KB of such a key take
minutes, a 2 MB file hours. One linear pass refuses keys of more than `MAX_KEY_PARTS`
parts before tomllib sees the text; real files use a handful (`tool.poetry.group.dev`).
Nesting (`a = [[[...`) is left to tomllib, which stops at the recursion limit.
"""

from __future__ import annotations

import sys
from typing import Any

from portfolio_check.common.errors import PortfolioCheckError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MAX_KEY_PARTS = 64
#: Characters that may continue a dotted key: bare-key characters, dots and blanks.
_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-. \t")


class TomlError(PortfolioCheckError, ValueError):
    """TOML that is malformed, or built to make the parser take hours."""


def load_toml(text: str) -> dict[str, Any]:
    """The TOML document in `text`. Raises `TomlError` (a ValueError) on anything wrong."""
    if _longest_dotted_run(text) > MAX_KEY_PARTS:
        raise TomlError(f"a dotted key of more than {MAX_KEY_PARTS} parts")
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlError(str(error)) from None
    except RecursionError:
        raise TomlError("nested too deeply") from None
    return document


def _longest_dotted_run(text: str) -> int:
    """The most parts of any run of key characters and quoted strings joined by dots,
    outside comments and string values: at least the parts of the longest dotted key.
    One pass; strings and comments are skipped as TOML reads them, so that no key can
    hide from it inside what only looks like a string."""
    longest = parts = 1
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == ".":
            parts += 1
            longest = max(longest, parts)
        elif char in "\"'":
            index = _string_end(text, index)
            continue
        elif char == "#":
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
            continue
        elif char not in _KEY_CHARS:
            parts = 1  # `=`, `[`, `{`, `,`, a newline: any key starts afresh
        index += 1
    return longest


def _string_end(text: str, start: int) -> int:
    """The index just past the string (basic or literal, one- or multi-line) at `start`,
    or the end of the text for one never closed. A one-line string ends at its line's end."""
    quote = text[start]
    multiline = text.startswith(quote * 3, start)
    index = start + (3 if multiline else 1)
    while index < len(text):
        char = text[index]
        if char == "\\" and quote == '"':
            index += 2
        elif char == quote and not multiline:
            return index + 1
        elif char == "\n" and not multiline:
            return index
        elif multiline and text.startswith(quote * 3, index):
            end = index + 3
            extra = 0  # up to two more quotes end the content, not the text after it
            while extra < 2 and end < len(text) and text[end] == quote:
                end, extra = end + 1, extra + 1
            return end
        else:
            index += 1
    return len(text)
