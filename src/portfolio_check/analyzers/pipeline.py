"""Run every analyzer over a snapshot, reading each file once, collect the facts, and link
them across files (import graph, roles, command targets)."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent import futures

from portfolio_check.analyzers.base import AnalysisContext, ListingAnalyzer, ProjectLayout
from portfolio_check.analyzers.cache import AnalysisCache
from portfolio_check.analyzers.coursework import CourseworkListingAnalyzer
from portfolio_check.analyzers.dependencies import LockfileListingAnalyzer
from portfolio_check.analyzers.history import HistoryListingAnalyzer
from portfolio_check.analyzers.inventory import InventoryListingAnalyzer
from portfolio_check.analyzers.linker import link
from portfolio_check.analyzers.provenance import PROVENANCE_KINDS, index_folder
from portfolio_check.analyzers.runner import FileRun
from portfolio_check.analyzers.testlinks import DOCTEST_QUERIES
from portfolio_check.analyzers.upstream_store import store_folder
from portfolio_check.common import collector
from portfolio_check.intake.snapshot import Snapshot
from portfolio_check.model.content_query import ContentQuery
from portfolio_check.model.facts import Fact, Facts


def listing_analyzers() -> list[ListingAnalyzer]:
    return [
        InventoryListingAnalyzer(),
        CourseworkListingAnalyzer(),
        LockfileListingAnalyzer(),
        HistoryListingAnalyzer(),
    ]


#: Listings read in a thread while the files are read: they wait on a git process of their
#: own and touch nothing of the snapshot but its listing (the files' reader is not shared).
READ_ALONGSIDE = frozenset({"history"})


def _listed(listing: ListingAnalyzer, snapshot: Snapshot, context: AnalysisContext) -> list[Fact]:
    return list(listing.analyze_listing(snapshot, context))


def analyze(
    snapshot: Snapshot,
    queries: Sequence[ContentQuery] = (),
    *,
    cache: AnalysisCache | None = None,
    workers: int = 1,
) -> Facts:
    """All facts about `snapshot`. A file that breaks an analyzer becomes a finding.

    `cache` answers for files whose text was analysed before; `workers` > 1 analyses the
    rest in that many processes when there are enough of them. Neither changes the facts.
    """
    # the rubric's questions, and whether pytest runs docstring examples
    context = AnalysisContext(
        layout=ProjectLayout.from_snapshot(snapshot),
        queries=(*queries, *DOCTEST_QUERIES),
        upstream_index=index_folder(),  # resolved here: workers get it, not the environment
        upstream_store=store_folder(cache.root) if cache is not None else None,
    )
    files = FileRun(snapshot, context, cache=cache, workers=workers)
    listings = listing_analyzers()
    with futures.ThreadPoolExecutor(max_workers=1) as background:
        # git works out the history in a process of its own while this one reads the files
        early = {
            listing.name: background.submit(_listed, listing, snapshot, context)
            for listing in listings
            if listing.name in READ_ALONGSIDE
        }
        files.start()  # workers analyse files while this process reads the listing
        facts: list[Fact] = []
        # what the cache gave lives to the end: later collections need not walk it
        with collector.settled():
            for listing in listings:
                if listing.name in early:
                    facts.extend(early[listing.name].result())
                else:
                    facts.extend(listing.analyze_listing(snapshot, context))
            facts.extend(files.facts())
            linked = link(facts, context, snapshot)
            unknown = [] if any(fact.kind == "history" for fact in linked) else ["history"]
            if not any(fact.kind in PROVENANCE_KINDS for fact in linked):
                unknown.extend(PROVENANCE_KINDS)  # nothing compared (no index): not "no copies"
            return Facts(linked, unknown=unknown)
