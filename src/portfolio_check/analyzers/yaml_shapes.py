"""The shapes YAML configs share: where a key is written, a value read as a mapping or a
list whatever it holds, and the finding a file that is not YAML becomes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from portfolio_check.common.safe_yaml import YamlError
from portfolio_check.intake.snapshot import FileEntry
from portfolio_check.model.facts import FindingFact
from portfolio_check.model.location import Location


def yaml_finding(entry: FileEntry, analyzer: str, error: YamlError) -> FindingFact:
    return FindingFact(
        location=Location(path=entry.path),
        analyzer=analyzer,
        message=f"{entry.name} is not valid YAML: {error}",
    )


def mapping(value: object) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


def sequence(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


class KeyLines:
    """The line of each `key:` of a YAML block mapping: the top-level keys, or the direct
    children of top-level `parent:` (so a service named in another service's `depends_on:`
    does not count). Indexed in one pass, since a workflow may hold thousands of jobs."""

    def __init__(self, text: str, parent: str | None = None) -> None:
        self._lines: dict[str, int] = {}
        lines = text.splitlines()
        start, indent = 0, 0
        if parent is not None:
            heading = re.compile(rf"^['\"]?{re.escape(parent)}['\"]?[^\S\n]*:")
            start = next((n for n, line in enumerate(lines, 1) if heading.match(line)), 0)
            indent = -1  # the indentation of the first child, once seen
        for number, line in enumerate(lines[start:], start=start + 1):
            content = line.lstrip()
            if not content or content.startswith("#"):
                continue
            depth = len(line) - len(content)
            if parent is not None and depth == 0:
                break  # past the end of the parent's block
            indent = depth if indent < 0 else indent
            if depth == indent:
                for key in _written_keys(content):
                    self._lines.setdefault(key, number)

    def get(self, key: str) -> int | None:
        return self._lines.get(key)


_KEY_END = re.compile(r":(?=\s|$)")


def _written_keys(content: str) -> Iterator[str]:
    """The key a mapping line starts with, as written: `name: x` and `"name": x` give
    `name`; a quoted key may hold `: ` (`"a: b": x` gives `a: b`)."""
    quote = content[0]
    if quote in "'\"":
        close = content.find(quote, 1)
        if close > 0 and content[close + 1 :].lstrip().startswith(":"):
            yield content[1:close]
    end = _KEY_END.search(content)
    if end is not None:
        key = content[: end.start()].rstrip()
        yield key
        if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"":
            yield key[1:-1]
