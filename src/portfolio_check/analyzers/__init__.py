"""Run every analyzer over a snapshot, reading each file once, collect the facts, and link
them across files (import graph, roles, command targets)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from portfolio_check.analyzers.automation import MakefileAnalyzer
from portfolio_check.analyzers.base import (
    AnalysisContext,
    ContentQuery,
    FileAnalyzer,
    ListingAnalyzer,
    ProjectLayout,
)
from portfolio_check.analyzers.configs import ConfigAnalyzer, KubernetesAnalyzer
from portfolio_check.analyzers.content import ContentAnalyzer
from portfolio_check.analyzers.coursework import CourseworkListingAnalyzer
from portfolio_check.analyzers.dependencies import DependencyAnalyzer, LockfileListingAnalyzer
from portfolio_check.analyzers.docs import DocsAnalyzer
from portfolio_check.analyzers.history import HistoryListingAnalyzer
from portfolio_check.analyzers.inventory import InventoryListingAnalyzer
from portfolio_check.analyzers.linker import link
from portfolio_check.analyzers.notebooks import NotebookAnalyzer
from portfolio_check.analyzers.python import PythonAnalyzer
from portfolio_check.facts import Fact, Facts, FindingFact
from portfolio_check.snapshot import EntryKind, FileEntry, Location, Snapshot

__all__ = ["ContentQuery", "analyze"]


def file_analyzers(context: AnalysisContext) -> list[FileAnalyzer]:
    return [
        PythonAnalyzer(),
        NotebookAnalyzer(),
        DependencyAnalyzer(),
        DocsAnalyzer(),
        ConfigAnalyzer(),
        KubernetesAnalyzer(),
        MakefileAnalyzer(),
        ContentAnalyzer(context),
    ]


def listing_analyzers() -> list[ListingAnalyzer]:
    return [
        InventoryListingAnalyzer(),
        CourseworkListingAnalyzer(),
        LockfileListingAnalyzer(),
        HistoryListingAnalyzer(),
    ]


def analyze(snapshot: Snapshot, queries: Sequence[ContentQuery] = ()) -> Facts:
    """All facts about `snapshot`. A file that breaks an analyzer becomes a finding."""
    context = AnalysisContext(layout=ProjectLayout.from_snapshot(snapshot), queries=tuple(queries))
    facts: list[Fact] = []
    for listing in listing_analyzers():
        facts.extend(listing.analyze_listing(snapshot, context))
    analyzers = file_analyzers(context)
    for entry in snapshot:
        wanting = [analyzer for analyzer in analyzers if analyzer.wants(entry)]
        if wanting:
            facts.extend(_analyze_file(snapshot, entry, wanting, context))
    linked = link(facts, context, snapshot)
    has_history = any(fact.kind == "history" for fact in linked)
    return Facts(linked, unknown=() if has_history else ("history",))


def _analyze_file(
    snapshot: Snapshot, entry: FileEntry, wanting: Iterable[FileAnalyzer], context: AnalysisContext
) -> list[Fact]:
    analyzers = list(wanting)
    read = snapshot.read_text(entry, limit=max(analyzer.read_limit for analyzer in analyzers))
    location = Location(path=entry.path)
    if read.text is None:
        if entry.kind is EntryKind.SYMLINK:
            return []  # the inventory already records it; nothing to analyse behind a link
        return [
            FindingFact(
                location=location, analyzer="reader", message=f"not analysed: {read.skipped}"
            )
        ]
    facts: list[Fact] = []
    for analyzer in analyzers:
        try:
            facts.extend(analyzer.analyze(entry, read.text, context))
        except Exception as error:
            message = f"{analyzer.name} analyzer failed on this file ({type(error).__name__})"
            facts.append(FindingFact(location=location, analyzer=analyzer.name, message=message))
    return facts
