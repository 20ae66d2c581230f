"""Facts about the repository as a whole, computed once every file's facts are in: where
the code lives (notebooks or modules), how complex it is, which declared dependencies
nothing imports, and which manifests a lock file pins.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Iterable, Sequence

from portfolio_check.analyzers.distributions import (
    PICKLED_MODEL_MODULES,
    UNPICKLING_CALLS,
    conda_distribution,
    import_names,
    is_tool,
)
from portfolio_check.analyzers.fact_table import F, FactTable
from portfolio_check.model.facts import (
    CallFact,
    CodeBalanceFact,
    CodeHealthFact,
    CourseFolderFact,
    CourseMarkerFact,
    DependencyFact,
    DependencyManifestFact,
    Fact,
    FunctionFact,
    ImportFact,
    LockfileFact,
    NotebookFact,
    PythonModuleFact,
    course_places,
    in_place,
)
from portfolio_check.model.location import Location, ancestors

REPOSITORY = Location(path=".")
SIMPLE_COMPLEXITY = 10  # radon ranks A and B


def summaries(table: FactTable) -> list[Fact]:
    """The repository-wide facts: code balance and code health, where there is code.
    Course folders and course helper files are the course's code, so they are left out."""
    places = course_places(table.of(CourseFolderFact, CourseMarkerFact))

    def own(facts: list[F]) -> list[F]:
        if not places:  # most repositories: no course folder at all
            return facts
        return [fact for fact in facts if in_place(fact.path, places) is None]

    modules = own([f for f in table.of(PythonModuleFact) if f.scope == "code"])
    functions = own([f for f in table.of(FunctionFact) if f.type != "class" and f.scope == "code"])
    notebook_imports = own([f for f in table.of(ImportFact) if f.scope == "notebook" and f.project])
    return [
        *_balance(modules, own(table.of(NotebookFact)), notebook_imports),
        *_health(functions, modules),
    ]


def mark_unused_dependencies(table: FactTable) -> None:
    """Mark the declared libraries that no module, test or notebook imports: a dependency
    hygiene finding, never evidence. Import names come from packaged data (`cv2` is
    opencv-python's, conda's `pytorch` is torch); tools that are run rather than imported
    (pytest, uvicorn, pip, CUDA) are never unused, nor is scikit-learn where code unpickles
    the model it fitted."""
    if not table.positions(PythonModuleFact, NotebookFact):
        return  # no code at all: nothing to tell used from unused
    imported = {fact.top.lower() for fact in table.of(ImportFact)}
    if any(call.name in UNPICKLING_CALLS for call in table.of(CallFact)):
        imported |= {name.lower() for name in PICKLED_MODEL_MODULES}  # a loaded model's
    table.replace(DependencyFact, lambda fact: _marked(fact, imported))


def _marked(fact: DependencyFact, imported: set[str]) -> DependencyFact:
    # a lock's or a freeze's transitive pins are not the project's own choices
    if fact.manifest not in ("lock", "freeze") and _unused(fact, imported):
        return dataclasses.replace(fact, unused=True)
    return fact


def _unused(fact: DependencyFact, imported: set[str]) -> bool:
    distribution = conda_distribution(fact.name) if fact.conda else fact.name
    if distribution is None or is_tool(distribution):
        return False  # no Python distribution (CUDA, a compiler), or one that is run
    return not {name.lower() for name in import_names(distribution)} & imported


#: Which manifests a lock file known by name pins: those of its folder and below.
LOCKED_MANIFESTS = {
    "Poetry": "pyproject", "uv": "pyproject", "PDM": "pyproject", "pixi": "pyproject",
    "Rye": "pyproject", "Pipenv": "pipfile", "conda-lock": "environment",
}  # fmt: skip


def mark_locked_manifests(table: FactTable) -> None:
    """Mark each manifest whose open ranges a lock pins: a `poetry.lock` or `uv.lock` pins
    the `pyproject.toml` of its folder and below, `Pipfile.lock` the Pipfile, a pip-compile
    output the `.in` files it was compiled from, and a lock named with `-c` the file that
    names it."""
    locks = _Locks(table.of(LockfileFact, DependencyManifestFact))
    if locks:
        table.replace(DependencyManifestFact, lambda fact: _locked(fact, locks))


class _Locks:
    """Which lock pins which manifest: by the manifest's path (pip-compile inputs,
    constraints), or by its folder and kind (a tool's lock file)."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        self.by_path: dict[str, str] = {}
        self.by_folder: dict[tuple[str, str], str] = {}
        for fact in facts:
            folder = posixpath.dirname(fact.path)
            if isinstance(fact, LockfileFact) and fact.tool in LOCKED_MANIFESTS:
                self.by_folder.setdefault((folder, LOCKED_MANIFESTS[fact.tool]), fact.path)
            elif isinstance(fact, DependencyManifestFact) and fact.manifest == "lock":
                stem, _, suffix = fact.path.rpartition(".")
                inputs = [fact.path, f"{stem}.in"] if suffix == "txt" else [fact.path]
                for written in fact.compiled_from:  # relative to where pip-compile ran
                    inputs += [written, posixpath.normpath(posixpath.join(folder, written))]
                for path in inputs:
                    self.by_path.setdefault(path, fact.path)

    def __bool__(self) -> bool:
        return bool(self.by_path or self.by_folder)

    def pinning(self, manifest: DependencyManifestFact) -> str | None:
        """The lock that pins the manifest: its own, the nearest tool lock at or above its
        folder, or a lock it includes."""
        nearest_first = [*reversed(list(ancestors(manifest.path))), ""]
        return (
            self.by_path.get(manifest.path)
            or next(
                (
                    self.by_folder[key]
                    for key in ((folder, manifest.manifest) for folder in nearest_first)
                    if key in self.by_folder
                ),
                None,
            )
            or next((self.by_path[p] for p in manifest.includes if p in self.by_path), None)
        )


def _locked(fact: DependencyManifestFact, locks: _Locks) -> DependencyManifestFact:
    if fact.manifest == "lock":
        return fact
    lock = locks.pinning(fact)
    return dataclasses.replace(fact, locked_by=lock) if lock else fact


def _balance(
    modules: Sequence[PythonModuleFact],
    notebooks: Sequence[NotebookFact],
    notebook_imports: Sequence[ImportFact],
) -> list[CodeBalanceFact]:
    """Lines of code in modules and in notebooks (`modules`: the project's code, not its
    tests), and how many notebooks import the project."""
    module_lines = sum(f.sloc for f in modules)
    notebook_lines = sum(f.code_lines for f in notebooks)
    if module_lines + notebook_lines == 0:
        return []
    importing = {f.path for f in notebook_imports}
    return [
        CodeBalanceFact(
            location=REPOSITORY,
            module_lines=module_lines,
            notebook_lines=notebook_lines,
            notebook_share=round(notebook_lines / (module_lines + notebook_lines), 3),
            notebooks_importing_project=len(importing),
        )
    ]


def _health(
    functions: Sequence[FunctionFact], modules: Sequence[PythonModuleFact]
) -> list[CodeHealthFact]:
    """Complexity of the project's functions (not classes, not tests) and the mean
    maintainability of its modules."""
    if not functions:
        return []
    indices = [f.maintainability for f in modules if f.maintainability is not None]
    simple = sum(1 for f in functions if f.complexity <= SIMPLE_COMPLEXITY)
    return [
        CodeHealthFact(
            location=REPOSITORY,
            functions=len(functions),
            max_complexity=max(f.complexity for f in functions),
            simple_share=round(simple / len(functions), 3),
            mean_maintainability=round(sum(indices) / len(indices), 1) if indices else None,
        )
    ]
