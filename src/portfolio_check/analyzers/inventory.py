"""One fact per listed file, so a rubric can ask for paths (`fact: file`), and a finding for
each part of the target that could not be read."""

from __future__ import annotations

from collections.abc import Iterator

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.intake.snapshot import EntryKind, Snapshot
from portfolio_check.model.facts import Fact, FindingFact, SourceFileFact
from portfolio_check.model.location import Location


class InventoryListingAnalyzer:
    name = "inventory"

    def analyze_listing(self, snapshot: Snapshot, context: AnalysisContext) -> Iterator[Fact]:
        for entry in snapshot:
            symlink = entry.kind is EntryKind.SYMLINK
            empty = entry.size == 0 and not symlink
            yield SourceFileFact(
                location=Location(path=entry.path),
                size=entry.size,
                is_symlink=symlink,
                empty=empty,
                placeholder="an empty file" if empty else None,
            )
        for part in snapshot.unreadable:
            yield FindingFact(
                location=Location(path=part.path), analyzer=self.name, message=part.reason
            )
