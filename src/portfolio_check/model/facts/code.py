"""Facts about the project's code, in modules and notebooks: modules, imports, calls, tests,
functions and their complexity, hard-coded paths, and where the work lives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from portfolio_check.common.plural import counted
from portfolio_check.model.facts.base import Fact

Scope = Literal["code", "test", "notebook"]


CallUsage = Literal["call", "decorator", "base"]


@dataclass(frozen=True, kw_only=True, slots=True)
class PythonModuleFact(Fact):
    kind: ClassVar[str] = "python_module"
    module: str  # dotted module name as the project would import it
    scope: Scope
    lines: int
    parse_error: bool = False
    sloc: int = 0  # lines holding code
    comments: int = 0  # lines holding a comment
    blank: int = 0
    multi: int = 0  # lines inside multi-line strings (docstrings, literals)
    complexity: int = 0  # cyclomatic complexity summed over the module's blocks
    maintainability: float | None = None  # radon's maintainability index, 0-100
    functions: int = 0
    classes: int = 0

    def describe(self) -> str:
        return f"python module {self.module} ({counted(self.lines, 'line')})"


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportFact(Fact):
    kind: ClassVar[str] = "import"
    module: str  # full dotted name, e.g. "sklearn.datasets"
    top: str  # first component, e.g. "sklearn"
    scope: Scope
    project: bool  # resolves to a module of the target itself
    target: str | None = None  # the target's file for that module, when it resolves to one

    def describe(self) -> str:
        where = {"code": "code", "test": "a test", "notebook": "a notebook"}[self.scope]
        return f"import {self.module} in {where}"


@dataclass(frozen=True, kw_only=True, slots=True)
class CallFact(Fact):
    """A use of a name: a call, a decorator, or a base class (`class M(pa.DataFrameModel)`)."""

    kind: ClassVar[str] = "call"
    name: str  # dotted callee with import aliases resolved, e.g. "sklearn.datasets.load_iris"
    scope: Scope
    usage: CallUsage = "call"
    keywords: tuple[str, ...] = ()  # keyword arguments seen in any call of it in the file

    def describe(self) -> str:
        shown = {
            "call": f"{self.name}()",
            "decorator": f"@{self.name}",
            "base": f"subclass of {self.name}",
        }
        return f"{shown[self.usage]} in {self.scope}"


@dataclass(frozen=True, kw_only=True, slots=True)
class TestFunctionFact(Fact):
    __test__: ClassVar[bool] = False  # a fact about tests, not a pytest test class
    kind: ClassVar[str] = "test_function"
    name: str
    asserts: int  # checks: asserts, checking calls, its own helpers' checks; doctest outputs
    imports_project: bool  # the test reaches the target's own code (see `covers`)
    #: files of the target's code that the test file imports, directly or through its test
    #: helpers and the conftest.py fixtures above it; a doctest covers its own module
    covers: tuple[str, ...] = ()
    doctest: bool = False  # docstring examples that pytest --doctest-modules runs

    def describe(self) -> str:
        what = f"doctest of {self.name}" if self.doctest else f"test {self.name}"
        if self.asserts == 0:
            return f"{what} asserts nothing"
        return f"{what} with {counted(self.asserts, 'assertion')}"


@dataclass(frozen=True, kw_only=True, slots=True)
class NotebookFact(Fact):
    kind: ClassVar[str] = "notebook"
    code_cells: int
    markdown_cells: int
    executed_cells: int
    error_outputs: int
    #: "linear" (run top to bottom), "non-linear" (out of order), "never" (no cell run),
    #: "partial" (some code cells never run)
    execution: str = "never"
    output_bytes: int = 0  # size of all outputs, as stored
    absolute_paths: int = 0  # hard-coded absolute paths in code cells
    code_lines: int = 0

    def describe(self) -> str:
        return f"notebook with {self.code_cells} code and {self.markdown_cells} markdown cells"


@dataclass(frozen=True, kw_only=True, slots=True)
class FunctionFact(Fact):
    """A function, method or class, with radon's cyclomatic complexity."""

    kind: ClassVar[str] = "function"
    name: str  # qualified within the module: "Model.predict"
    type: Literal["function", "method", "class"]
    complexity: int
    rank: str  # radon's A (simple) to F (very complex)
    lines: int
    scope: Scope

    def describe(self) -> str:
        return f"{self.type} {self.name} has cyclomatic complexity {self.complexity} ({self.rank})"


@dataclass(frozen=True, kw_only=True, slots=True)
class HardcodedPathFact(Fact):
    """An absolute path written into code: it runs only on the author's machine."""

    kind: ClassVar[str] = "hardcoded_path"
    text: str

    def describe(self) -> str:
        return f"hard-coded absolute path {self.text}"


@dataclass(frozen=True, kw_only=True, slots=True)
class TrainServeParityFact(Fact):
    """Serving and training import the same feature code (ML Test Score, Monitor 3)."""

    kind: ClassVar[str] = "train_serve_parity"
    side: Literal["serving", "training"]
    shared_module: str
    other_path: str

    def describe(self) -> str:
        other = "training" if self.side == "serving" else "serving"
        shared = f"imports {self.shared_module}"
        return f"{self.side} code {shared}, as does {other} code in {self.other_path}"


@dataclass(frozen=True, kw_only=True, slots=True)
class CodeBalanceFact(Fact):
    """Where the work lives: notebooks only, or importable modules too."""

    kind: ClassVar[str] = "code_balance"
    module_lines: int  # code lines of non-test modules
    notebook_lines: int  # code lines of notebooks
    notebook_share: float  # notebook_lines / (module_lines + notebook_lines), 0.0 with no code
    notebooks_importing_project: int  # notebooks that import the target's own modules

    def describe(self) -> str:
        share = f"{self.notebook_share:.0%} of the code is in notebooks"
        importing = self.notebooks_importing_project
        verb = "imports" if importing == 1 else "import"
        return f"{share}; {counted(importing, 'notebook')} {verb} the project's modules"


@dataclass(frozen=True, kw_only=True, slots=True)
class CodeHealthFact(Fact):
    """How complex the project's own functions are, from radon's ranks."""

    kind: ClassVar[str] = "code_health"
    functions: int  # functions and methods outside tests
    max_complexity: int
    simple_share: float  # share of them ranked A or B (cyclomatic complexity 10 or less)
    mean_maintainability: float | None  # mean maintainability index of the modules

    def describe(self) -> str:
        return (
            f"{self.simple_share:.0%} of {counted(self.functions, 'function')} are simple "
            f"(complexity at most 10); the most complex has {self.max_complexity}"
        )
