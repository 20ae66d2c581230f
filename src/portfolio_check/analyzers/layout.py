"""Where Python finds the target's own modules: the import search path, read from the file
list alone.

Python imports a module from the first folder on `sys.path` that holds it, and which
folders those are depends on how the code runs: a script puts its own folder first, a
project in a subfolder is run from that subfolder (`cd api && uvicorn main:app`, a
Dockerfile's `WORKDIR`), pytest and `python -m` add the folder they start in, and an
installed package (a folder with `setup.py` or `pyproject.toml`, or a `src/` layout) is
importable from anywhere. A folder needs no `__init__.py` to be imported (a namespace
package). So a name imported from a file is looked for, nearest first, in the file's own
folder and each folder above it (each also with its `src/`, `lib/`, `python/`), then in the
installable packages of the repository. Only a file settles a name: a folder of the same
name as a library (`src/mlflow/` holding a Dockerfile) does not make `import mlflow` local.
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from portfolio_check.intake.snapshot import Snapshot

#: Folders that hold a project's importable code besides the folder itself.
SOURCE_ROOTS = ("src", "lib", "python")
#: Files that make their folder an installable distribution (`pip install ./regression_model`).
DISTRIBUTION_FILES = frozenset({"setup.py", "setup.cfg", "pyproject.toml"})
#: Names a project may hold as a file but that are, when imported, almost always the
#: standard or third-party module (a repo's own `test.py` does not make `import test` local).
SHADOWED_NAMES = frozenset({"test", "setup", "conftest", "__main__"})
#: Modules generated at build time that a repository does not hold (`pkg/_version.py` from
#: setuptools-scm, protobuf stubs): importing one that is absent is not a broken import.
GENERATED_SUFFIXES = ("_pb2", "_pb2_grpc", "_version", "version")
#: Deepest dotted name indexed; deeper files are still found by their nearer names.
MAX_NAME_DEPTH = 12


@dataclass(frozen=True, kw_only=True)
class ProjectLayout:
    """The target's Python files, indexed by every dotted name a folder above them gives."""

    files: frozenset[str] = frozenset()  # every `.py` file of the target
    #: dotted name relative to some folder -> the files it names (`churn.api` names
    #: `src/churn/api.py` from `src` and `svc/churn/api.py` from `svc`)
    named: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    distributions: frozenset[str] = frozenset()  # folders with setup.py or pyproject.toml
    folders: frozenset[str] = frozenset()  # folders holding `.py` files, at any depth below
    #: the search folders of each importing folder, worked out once per folder
    _ranks: dict[str, dict[str, int]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> ProjectLayout:
        return cls.of_paths(entry.path for entry in snapshot)

    @classmethod
    def of_paths(cls, paths: Iterable[str]) -> ProjectLayout:
        files: set[str] = set()
        named: dict[str, list[str]] = {}
        distributions: set[str] = set()
        folders: set[str] = set()
        for path in paths:
            folder, _, name = path.rpartition("/")
            if name in DISTRIBUTION_FILES:
                distributions.add(folder)
            if not name.endswith(".py"):
                continue
            files.add(path)
            while folder and folder not in folders:  # each folder once, however many files
                folders.add(folder)
                folder = folder.rpartition("/")[0]
            for dotted in _names(path):
                named.setdefault(dotted, []).append(path)
        return cls(
            files=frozenset(files),
            named={name: tuple(sorted(found)) for name, found in named.items()},
            distributions=frozenset(distributions),
            folders=frozenset(folders),
        )

    def key_items(self) -> list[tuple[str, str]]:
        """What resolution depends on, for the analysis cache's key (`folders` and `named`
        follow from the files)."""
        return sorted(
            [*(("file", path) for path in self.files), *(("dist", d) for d in self.distributions)]
        )

    def find(self, dotted: str, folder: str) -> str | None:
        """The file Python imports for `dotted` when imported from a file in `folder`, or
        run from it: `churn.api` from `tests/` is `src/churn/api.py`. A standard-library
        name is the library's unless a package of the target takes it."""
        if dotted.split(".", 1)[0] in SHADOWED_NAMES:
            return None
        candidates = self.named.get(dotted)
        if not candidates:
            return None
        if dotted in sys.stdlib_module_names:  # `import logging` next to a `logging.py`
            candidates = tuple(path for path in candidates if path.endswith("/__init__.py"))
        ranks = self._root_ranks(folder)
        best: tuple[int, str] | None = None
        for path in candidates:
            rank = ranks.get(_root_of(path, dotted))
            if rank is None:
                rank = self._installed_rank(_root_of(path, dotted))
            if rank is not None and (best is None or (rank, path) < best):
                best = (rank, path)
        return best[1] if best else None

    def find_in(self, package: str, dotted: str) -> str | None:
        """The module `dotted` of the folder `package` (relative imports): `from .io import
        x` in `pkg/api.py` is `pkg/io.py` or `pkg/io/__init__.py`; an empty name is the
        package itself."""
        stem = posixpath.join(package, *dotted.split(".")) if dotted else package
        candidates = (f"{stem}.py", f"{stem}/__init__.py") if stem else ("__init__.py",)
        return next((c for c in candidates if c in self.files), None)

    def missing(self, dotted: str, folder: str) -> str | None:
        """The package of the project that should hold `dotted` but does not: for
        `src.models.train_models`, with `src/models/__init__.py` and no such module, that
        package's file. None when `dotted` resolves (a namespace folder included), or no
        package of the target holds its first names."""
        parts = dotted.split(".")
        if len(parts) < 2 or parts[-1].endswith(GENERATED_SUFFIXES):
            return None
        if self.find(dotted, folder):
            return None
        for end in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:end])
            found = self.find(prefix, folder)
            if found and found.endswith("/__init__.py"):  # a package, not a module
                root = _root_of(found, prefix)
                namespace = posixpath.join(root, *parts)  # `import pkg.tests`, a folder
                return None if namespace in self.folders else found
        return None

    def _root_ranks(self, folder: str) -> dict[str, int]:
        """The folders imports from `folder` search, nearest first."""
        known = self._ranks.get(folder)
        if known is not None:
            return known
        ranks = self._ranks[folder] = {}
        for depth, ancestor in enumerate(_self_and_ancestors(folder)):
            ranks.setdefault(ancestor, 4 * depth)
            for offset, root in enumerate(SOURCE_ROOTS, start=1):
                ranks.setdefault(posixpath.join(ancestor, root), 4 * depth + offset)
        return ranks

    def _installed_rank(self, root: str) -> int | None:
        """Installable packages elsewhere in the repository come after every folder above."""
        if root in self.distributions:
            return 10_000
        parent, _, name = root.rpartition("/")
        if name in SOURCE_ROOTS and parent in self.distributions:
            return 10_001
        return None


def _self_and_ancestors(folder: str) -> Iterator[str]:
    """`a/b` gives `a/b`, `a`, `` (the repository root)."""
    while folder:
        yield folder
        folder = folder.rpartition("/")[0]
    yield ""


def _names(path: str) -> list[str]:
    """Each dotted name `path` is imported as from some folder above it: `a/b/c.py` is
    `c`, `b.c` and `a.b.c`; `a/b/__init__.py` is `b` and `a.b`."""
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    names: list[str] = []
    dotted = ""
    for part in reversed(parts[-MAX_NAME_DEPTH:]):
        if not part.isidentifier():
            break
        dotted = f"{part}.{dotted}" if dotted else part
        names.append(dotted)
    return names


def _root_of(path: str, dotted: str) -> str:
    """The folder from which `path` is imported as `dotted`."""
    drop = dotted.count(".") + 1 + path.endswith("/__init__.py")
    parts = path.split("/")
    return "/".join(parts[: len(parts) - drop])


def module_name(path: str, *, keep_root: bool = False) -> str | None:
    """The dotted module name a `.py` file is imported as from the repository root, or None
    for non-modules. A leading source root (`src/`, `lib/`, `python/`) is dropped unless
    `keep_root`."""
    if not path.endswith(".py"):  # cheap first: asked of every listed file
        return None
    parts = path[:-3].split("/")
    if not keep_root and parts and parts[0] in SOURCE_ROOTS and len(parts) > 1:
        parts = parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)
