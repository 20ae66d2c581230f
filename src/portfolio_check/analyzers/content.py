"""Content questions a rubric asks (`file:` signals with `contains:`), answered per line."""

from __future__ import annotations

from collections.abc import Iterator

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.facts import ContentMatchFact, Fact
from portfolio_check.snapshot import MAX_TEXT_BYTES, FileEntry, Location, glob_matcher

MAX_MATCHES_PER_QUERY = 5


class ContentAnalyzer:
    name = "content"
    read_limit = MAX_TEXT_BYTES

    def __init__(self, context: AnalysisContext) -> None:
        self._wanted = glob_matcher(tuple(query.glob for query in context.queries))

    def wants(self, entry: FileEntry) -> bool:
        return self._wanted(entry.path)

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        lines = text.splitlines()
        for query in context.queries:
            if not entry.matches(query.glob):
                continue
            found = 0
            for number, line in enumerate(lines, start=1):
                match = query.pattern.search(line)
                if match:
                    yield ContentMatchFact(
                        location=Location(path=entry.path, line=number),
                        query=query.id,
                        text=line.strip()[:160],
                    )
                    found += 1
                    if found == MAX_MATCHES_PER_QUERY:
                        break
