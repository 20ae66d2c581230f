"""The contract every analyzer keeps, and the shared context they read.

There are two kinds. A `FileAnalyzer` says which files it wants and turns the text of one
file into facts; the runner reads each file once and hands the same text to every analyzer
that wants it. A `ListingAnalyzer` looks only at the list of files (names, folders, sizes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Protocol

from portfolio_check.facts import Fact, Scope
from portfolio_check.snapshot import FileEntry, Snapshot

#: Folders that hold a project's importable code besides the repo root.
SOURCE_ROOTS = ("src", "lib", "python")
TEST_FILE = re.compile(r"^(test_.*|.*_test|conftest|tests?)\.py$")
TEST_FOLDERS = frozenset({"test", "tests", "testing"})


@dataclass(frozen=True, kw_only=True)
class ContentQuery:
    """A rubric question about file content: which files, and which pattern per line.
    A `prose` query asks what a README claims: only lines that assert something of the
    project count (not code, a table of contents, a plan or a hedge)."""

    id: str
    glob: str
    pattern: re.Pattern[str]
    prose: bool = False


@dataclass(frozen=True, kw_only=True)
class ProjectLayout:
    """Which importable modules belong to the target itself, from the file list alone."""

    modules: frozenset[str]  # dotted names of every module and package of the target
    top_level: frozenset[str]  # their first components: what `import X` of the project uses
    paths: Mapping[str, str] = field(default_factory=dict)  # module name -> its file

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> ProjectLayout:
        # a source root with its own `__init__.py` is also imported as a package itself
        # (`from src.features import build`), so its modules are known by both names
        packaged = {root for root in SOURCE_ROOTS if snapshot.exists(f"{root}/__init__.py")}
        paths: dict[str, str] = {}
        for entry in snapshot:
            names = [module_name(entry.path)]
            if entry.parts[0] in packaged:
                names.append(module_name(entry.path, keep_root=True))
            for name in names:
                if name:
                    paths.setdefault(name, entry.path)
        return cls(
            modules=frozenset(paths),
            top_level=frozenset(m.split(".")[0] for m in paths),
            paths=paths,
        )

    def resolve(self, dotted: str) -> str | None:
        """The file of the longest prefix of `dotted` that is a module of the target:
        `churn.features.build` resolves to `src/churn/features.py`."""
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            path = self.paths.get(".".join(parts[:end]))
            if path is not None:
                return path
        return None

    def is_project_module(self, dotted: str) -> bool:
        top = dotted.split(".", maxsplit=1)[0]
        return top in self.top_level and top not in _SHADOWED_NAMES


# Names a project may hold as a file but that are, when imported, almost always the
# third-party or standard module (a repo's own `test.py` does not make `import test` local).
_SHADOWED_NAMES = frozenset({"test", "tests", "setup", "conftest", "__main__"})


def module_name(path: str, *, keep_root: bool = False) -> str | None:
    """The dotted module name a `.py` file is imported as, or None for non-modules.

    A leading source root (`src/`, `lib/`, `python/`) is dropped unless `keep_root`.
    """
    if not path.endswith(".py"):  # cheap first: asked of every listed file
        return None
    pure = PurePosixPath(path)
    if pure.suffix != ".py":
        return None
    parts = list(pure.with_suffix("").parts)
    if not keep_root and parts and parts[0] in SOURCE_ROOTS and len(parts) > 1:
        parts = parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def scope_of(path: str) -> Scope:
    pure = PurePosixPath(path)
    if pure.suffix == ".ipynb":
        return "notebook"
    if TEST_FILE.match(pure.name) or any(part in TEST_FOLDERS for part in pure.parts[:-1]):
        return "test"
    return "code"


@dataclass(frozen=True, kw_only=True)
class AnalysisContext:
    layout: ProjectLayout
    queries: tuple[ContentQuery, ...] = field(default=())


class FileAnalyzer(Protocol):
    name: str
    read_limit: int

    def wants(self, entry: FileEntry) -> bool: ...

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]: ...


class ListingAnalyzer(Protocol):
    name: str

    def analyze_listing(self, snapshot: Snapshot, context: AnalysisContext) -> Iterator[Fact]: ...
