"""Content questions a rubric asks (`file:` signals with `contains:`, and the claims a
README makes), answered per line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.claims import claim_lines
from portfolio_check.common.globs import glob_matcher
from portfolio_check.intake.snapshot import MAX_TEXT_BYTES, FileEntry
from portfolio_check.model.content_query import ContentQuery
from portfolio_check.model.facts import ContentMatchFact, Fact
from portfolio_check.model.location import Location

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
        claims: list[tuple[int, str]] | None = None  # read once, if a query asks
        for query in context.queries:
            if not entry.matches(query.glob):
                continue
            if query.prose:
                claims = list(claim_lines(text)) if claims is None else claims
                yield from _matches(entry.path, query, claims, lines)
            else:
                yield from _matches(entry.path, query, enumerate(lines, start=1), lines)


def _matches(
    path: str, query: ContentQuery, candidates: Iterable[tuple[int, str]], lines: list[str]
) -> Iterator[ContentMatchFact]:
    """The first matches of `query` among the candidate lines, each shown as written."""
    found = 0
    for number, candidate in candidates:
        if query.pattern.search(candidate):
            yield ContentMatchFact(
                location=Location(path=path, line=number),
                query=query.id,
                text=lines[number - 1].strip()[:160],
            )
            found += 1
            if found == MAX_MATCHES_PER_QUERY:
                return
