"""Python source: one `ast` parse per file gives imports, calls and test functions.

The same visitor serves notebook code cells, so a notebook's `import mlflow` and a module's
`import mlflow` become the same kind of fact. Nothing is imported or run.
"""

from __future__ import annotations

import ast
import dataclasses
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from portfolio_check.analyzers import coursework, teaching_data, testfunctions
from portfolio_check.analyzers.base import AnalysisContext, module_name, scope_of
from portfolio_check.analyzers.metrics import module_metrics
from portfolio_check.intake.snapshot import MAX_TEXT_BYTES, FileEntry
from portfolio_check.model.facts import (
    CallFact,
    CallUsage,
    CourseMarkerFact,
    Fact,
    FindingFact,
    ImportFact,
    PythonModuleFact,
    Scope,
    TestFunctionFact,
    ToyDatasetFact,
)
from portfolio_check.model.location import Location

GRADER = "a course grader, not a project test"
NO_CHECK = "a test that asserts nothing"


class ParseFailure(Exception):
    """Source that `ast` cannot parse: a syntax error, null bytes, or nesting too deep."""


#: Deepest syntax tree the recursive visitor walks; real code stays far below (stdlib: ~35).
MAX_TREE_DEPTH = 200


def parse_python(source: str, filename: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is the author's concern
        try:
            tree = ast.parse(source, filename=filename)
        except SyntaxError as error:
            where = f" on line {error.lineno}" if error.lineno else ""
            raise ParseFailure(f"syntax error{where}: {error.msg}") from None
        except (ValueError, RecursionError, MemoryError) as error:
            raise ParseFailure(f"cannot be parsed ({type(error).__name__})") from None
    if _depth_exceeds(tree, MAX_TREE_DEPTH):
        raise ParseFailure(f"nesting too deep (more than {MAX_TREE_DEPTH} levels)")
    return tree


def _depth_exceeds(tree: ast.AST, limit: int) -> bool:
    """Whether the tree is deeper than `limit`, found without recursion. (Fields are read
    directly: `ast.iter_child_nodes` costs as much again as the parse.)"""
    node_type = ast.AST
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth > limit:
            return True
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type):
                        push((item, depth + 1))
            elif isinstance(value, node_type):
                push((value, depth + 1))
    return False


@dataclass(kw_only=True)
class CodeFacts:
    """What one parse yields; `first_seen` keeps one fact per name per file."""

    path: str
    scope: Scope
    context: AnalysisContext
    current_module: str | None = None
    cell: int | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    calls: dict[tuple[str, str], int] = field(default_factory=dict)  # (usage, name) -> index
    first_seen: set[tuple[str, str]] = field(default_factory=set)
    guarded: int = 0  # inside a `try`: an import there may be optional

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]

    def package(self, level: int) -> str | None:
        """The folder a relative import of `level` dots starts from, None above the root."""
        folder = self.folder
        for _ in range(level - 1):
            if not folder:
                return None
            folder = folder.rpartition("/")[0]
        return folder

    def location(self, node: ast.AST) -> Location:
        return Location(path=self.path, line=getattr(node, "lineno", None), cell=self.cell)

    def once(self, kind: str, name: str) -> bool:
        key = (kind, name)
        if key in self.first_seen:
            return False
        self.first_seen.add(key)
        return True

    def covers(self) -> tuple[str, ...]:
        """The target's code files this file imports (its test helpers are not the code)."""
        targets = {f.target for f in self.facts if isinstance(f, ImportFact) and f.target}
        return tuple(sorted(path for path in targets if scope_of(path) == "code"))


class _Visitor(ast.NodeVisitor):
    def __init__(self, sink: CodeFacts) -> None:
        self.sink = sink

    # traversal: as ast.NodeVisitor's, without its per-node generators and lookups -------
    def visit(self, node: ast.AST) -> Any:
        method = _DISPATCH.get(node.__class__)
        if method is None:
            name = f"visit_{node.__class__.__name__}"
            method = _DISPATCH[node.__class__] = getattr(_Visitor, name, _Visitor.generic_visit)
        return method(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def visit_Constant(self, node: ast.Constant) -> None:
        """Nothing below a constant. (NodeVisitor's own looks for the visit_Num and
        visit_Str of old, raising AttributeError for every constant of the file.)"""

    # imports -----------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            self.sink.aliases[bound] = alias.name if alias.asname else bound
            self._record_absolute(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        base = self._absolute(module, node.level)
        names = [alias for alias in node.names if alias.name != "*"]
        for alias in names:
            target = f"{base}.{alias.name}" if base else alias.name
            self.sink.aliases[alias.asname or alias.name] = target
        layout = self.sink.context.layout
        if node.level == 0:
            self._record_absolute(base, node)
            for alias in names:  # `from pkg import features` imports module pkg.features
                found = layout.find(f"{base}.{alias.name}", self.sink.folder)
                if found:
                    self._record_import(f"{base}.{alias.name}", node, True, found)
            return
        # relative: the project's by definition, found from the importing file's folder
        package = self.sink.package(node.level)
        if package is None:  # more dots than folders above the file
            self._record_import(base or ".", node, True, None)
            return
        self._record_import(base or ".", node, True, layout.find_in(package, module))
        for alias in names:  # `from . import features` imports module features
            found = layout.find_in(package, f"{module}.{alias.name}" if module else alias.name)
            named = f"{base}.{alias.name}" if base else alias.name
            if found:
                self._record_import(named, node, True, found)

    def visit_Try(self, node: ast.Try) -> None:
        self.sink.guarded += 1
        self.generic_visit(node)
        self.sink.guarded -= 1

    visit_TryStar = visit_Try

    def _absolute(self, module: str, level: int) -> str:
        if level == 0 or self.sink.current_module is None:
            return module
        package = self.sink.current_module.split(".")
        anchor = package[: max(len(package) - level, 0)]
        return ".".join([*anchor, module] if module else anchor)

    def _record_absolute(self, module: str, node: ast.AST) -> None:
        """An absolute import: the project's when Python finds it among the target's files,
        or when a package of the target should hold it but does not (a broken import)."""
        layout = self.sink.context.layout
        found = layout.find(module, self.sink.folder)
        if found == self.sink.path:  # `import mysql` in `helpers/mysql.py` means the library
            found = None
        broken = not found and layout.missing(module, self.sink.folder) is not None
        recorded = self._record_import(module, node, bool(found) or broken, found)
        if recorded and broken and not self.sink.guarded:
            self.sink.facts.append(
                FindingFact(
                    location=self.sink.location(node),
                    analyzer="python",
                    message=f"imports {module}, which is not in the repository",
                )
            )

    def _record_import(self, module: str, node: ast.AST, project: bool, target: str | None) -> bool:
        if not self.sink.once("import", module):
            return False
        self.sink.facts.append(
            ImportFact(
                location=self.sink.location(node),
                module=module,
                top=module.split(".", maxsplit=1)[0],
                scope=self.sink.scope,
                project=project,
                target=target,
            )
        )
        return True

    def visit_Assign(self, node: ast.Assign) -> None:
        """`app = FastAPI()` lets `@app.post` resolve to `fastapi.FastAPI().post`."""
        self.generic_visit(node)
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = self.dotted(node.value.func) if isinstance(node.value, ast.Call) else None
            if value:
                self.sink.aliases[node.targets[0].id] = f"{value}()"

    # calls and decorators ----------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        name = self.dotted(node.func)
        if name:
            # a keyword given a literal None sets nothing: `random_state=None` fixes no seed,
            # `schedule=None` schedules no DAG
            keywords = tuple(
                keyword.arg
                for keyword in node.keywords
                if keyword.arg
                and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is None)
            )
            self._record_call(name, node, usage="call", keywords=keywords)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._decorators(node)
        self.generic_visit(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._decorators(node)
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._decorators(node)
        for base in node.bases:
            name = self.dotted(base)
            if name:
                self._record_call(name, base, usage="base")
        self.generic_visit(node)

    def _decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = self.dotted(target)
            if name:
                self._record_call(name, decorator, usage="decorator")

    def _record_call(
        self, name: str, node: ast.AST, *, usage: CallUsage, keywords: tuple[str, ...] = ()
    ) -> None:
        key = (usage, name)
        if key in self.sink.calls:  # one fact per name; keywords gather across its calls
            index = self.sink.calls[key]
            known = self.sink.facts[index]
            assert isinstance(known, CallFact)
            merged = tuple(dict.fromkeys((*known.keywords, *keywords)))
            if merged != known.keywords:
                self.sink.facts[index] = dataclasses.replace(known, keywords=merged)
            return
        self.sink.calls[key] = len(self.sink.facts)
        location = self.sink.location(node)
        self.sink.facts.append(
            CallFact(
                location=location, name=name, scope=self.sink.scope, usage=usage, keywords=keywords
            )
        )
        dataset = teaching_data.by_loader(name)
        if dataset:
            self.sink.facts.append(ToyDatasetFact(location=location, dataset=dataset, via="loader"))

    def dotted(self, node: ast.AST) -> str | None:
        """`np.random.seed` with `import numpy as np` becomes `numpy.random.seed`."""
        attributes: list[str] = []
        while isinstance(node, ast.Attribute):
            attributes.append(node.attr)
            node = node.value
        if isinstance(node, ast.Call):  # FastAPI().get -> a call on a fresh object
            inner = self.dotted(node.func)
            base = f"{inner}()" if inner else None
        elif isinstance(node, ast.Name):
            base = self.sink.aliases.get(node.id, node.id)
        else:
            return None
        if base is None:
            return None
        return ".".join([base, *reversed(attributes)])


#: Each node class's visit method, found once rather than by name at every node.
_DISPATCH: dict[type, Callable[[_Visitor, ast.AST], Any]] = {}


def code_facts(tree: ast.Module, sink: CodeFacts) -> list[Fact]:
    """Imports and calls of one parsed module or notebook cell."""
    _Visitor(sink).visit(tree)
    return sink.facts


def test_facts(tree: ast.Module, sink: CodeFacts, *, marker_family: str | None) -> Iterator[Fact]:
    """The tests of a test module, and course graders (shown as claims only) wherever they
    sit. `marker_family`: the course whose scaffolding markers the text carries."""
    name = sink.path.rpartition("/")[2]
    if name == "conftest.py":  # fixtures and hooks, not tests
        return
    if sink.scope != "test" and not _defines_checks(tree):
        return  # an assignment's own code is not a grader, whatever markers it carries
    resolve = _Visitor(sink).dotted  # the module's aliases: pytest.raises and friends
    covers = sink.covers()
    family = testfunctions.grader_family(
        tree, resolve, marker_family=marker_family, imports_project=bool(covers)
    ) or coursework.course_helper_in_place(sink.path)
    if family:
        yield CourseMarkerFact(
            location=Location(path=sink.path),
            marker="course-helper-file",
            family=coursework.COURSE_HELPER_FILES.get(name.lower(), family),
            text=name,
        )
    elif sink.scope != "test":
        return
    for test in testfunctions.read_tests(tree, resolve):
        yield TestFunctionFact(
            location=sink.location(test.node),
            name=test.node.name,
            asserts=test.asserts,
            imports_project=bool(covers),
            covers=covers,
            placeholder=GRADER if family else (None if test.asserts else NO_CHECK),
        )


def _defines_checks(tree: ast.Module) -> bool:
    """Module-level `test_*` or `*_test` functions: what a grader outside tests holds."""
    return any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (node.name.startswith("test") or node.name.endswith("_test"))
        for node in tree.body
    )


def doctest_facts(tree: ast.Module, path: str) -> Iterator[TestFunctionFact]:
    """Docstring examples, as tests of their own module. Whether anything runs them
    (`pytest --doctest-modules`) is settled once every file is read."""
    for doctest in testfunctions.doctests(tree):
        yield TestFunctionFact(
            location=Location(path=path, line=doctest.line),
            name=doctest.name,
            asserts=doctest.checked,
            imports_project=True,
            covers=(path,),
            doctest=True,
            placeholder=None if doctest.checked else NO_CHECK,
        )


class PythonAnalyzer:
    name = "python"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return entry.suffix == ".py"

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        scope = scope_of(entry.path)
        module = module_name(entry.path) or entry.path
        location = Location(path=entry.path)
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        markers = list(coursework.markers_in_text(text, location))
        yield from markers
        try:
            tree = parse_python(text, entry.path)
        except ParseFailure as failure:
            yield PythonModuleFact(
                location=location, module=module, scope=scope, lines=lines, parse_error=True
            )
            yield FindingFact(location=location, analyzer=self.name, message=str(failure))
            return
        metrics = module_metrics(tree, text, path=entry.path, scope=scope)
        yield PythonModuleFact(
            location=location,
            module=module,
            scope=scope,
            lines=lines,
            sloc=metrics.lines.sloc,
            comments=metrics.lines.comments,
            blank=metrics.lines.blank,
            multi=metrics.lines.multi,
            complexity=metrics.complexity,
            maintainability=metrics.maintainability,
            functions=sum(1 for f in metrics.functions if f.type != "class"),
            classes=metrics.classes,
        )
        yield from metrics.functions
        # relative imports resolve against the package; for `__init__.py` that is the module
        anchor = f"{module}.__init__" if entry.name == "__init__.py" else module
        sink = CodeFacts(path=entry.path, scope=scope, context=context, current_module=anchor)
        yield from code_facts(tree, sink)
        yield from test_facts(tree, sink, marker_family=coursework.grader_marker_family(markers))
        if scope == "code" and ">>>" in text:
            yield from doctest_facts(tree, entry.path)
