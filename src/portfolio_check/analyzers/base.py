"""The contract every analyzer keeps, and the shared context they read.

There are two kinds. A `FileAnalyzer` says which files it wants and turns the text of one
file into facts; the runner reads each file once and hands the same text to every analyzer
that wants it. A `ListingAnalyzer` looks only at the list of files (names, folders, sizes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from portfolio_check.analyzers.layout import SOURCE_ROOTS, ProjectLayout, module_name
from portfolio_check.intake.snapshot import FileEntry, Snapshot
from portfolio_check.model.content_query import ContentQuery
from portfolio_check.model.facts import Fact, Scope
from portfolio_check.model.location import folders_and_name, suffix_of

__all__ = [
    "SOURCE_ROOTS",
    "AnalysisContext",
    "FileAnalyzer",
    "ListingAnalyzer",
    "ProjectLayout",
    "module_name",
    "scope_of",
]

#: Test modules by name: pytest's `test_*.py` and `*_test.py`, the `*_tests.py` some teams
#: use (run by naming them to pytest), and conftest fixtures.
TEST_FILE = re.compile(r"^(test_.*|.*_tests?|conftest|tests?)\.py$")
TEST_FOLDERS = frozenset({"test", "tests", "testing"})


def scope_of(path: str) -> Scope:
    folders, name = folders_and_name(path)
    if suffix_of(name) == ".ipynb":
        return "notebook"
    if TEST_FILE.match(name) or any(part in TEST_FOLDERS for part in folders):
        return "test"
    return "code"


@dataclass(frozen=True, kw_only=True)
class AnalysisContext:
    """What every analyzer may read besides the file it is given."""

    layout: ProjectLayout
    queries: tuple[ContentQuery, ...] = field(default=())
    #: the folder of the upstream index provenance reads; None: the one that ships
    upstream_index: Path | None = None
    #: where the index is kept decoded between scans (`upstream_store`, in the analysis
    #: cache); None: decoded from its packaged files (no cache)
    upstream_store: Path | None = None


class FileAnalyzer(Protocol):
    name: str
    read_limit: int

    def wants(self, entry: FileEntry) -> bool: ...

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]: ...


class ListingAnalyzer(Protocol):
    name: str

    def analyze_listing(self, snapshot: Snapshot, context: AnalysisContext) -> Iterator[Fact]: ...
