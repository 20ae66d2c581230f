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
from pathlib import PurePosixPath
from typing import Any

from portfolio_check.analyzers import coursework, teaching_data
from portfolio_check.analyzers.base import TEST_FOLDERS, AnalysisContext, module_name, scope_of
from portfolio_check.analyzers.metrics import module_metrics
from portfolio_check.facts import (
    CallFact,
    CallUsage,
    Fact,
    FindingFact,
    ImportFact,
    PythonModuleFact,
    Scope,
    TestFunctionFact,
    ToyDatasetFact,
)
from portfolio_check.snapshot import MAX_TEXT_BYTES, FileEntry, Location

#: Callees whose use inside a test counts as an assertion.
ASSERTING_CALLS = frozenset({"pytest.raises", "pytest.warns", "pytest.approx", "pytest.fail"})
ASSERTING_PREFIXES = ("assert", "check", "verify", "expect")


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

    def location(self, node: ast.AST) -> Location:
        return Location(path=self.path, line=getattr(node, "lineno", None), cell=self.cell)

    def once(self, kind: str, name: str) -> bool:
        key = (kind, name)
        if key in self.first_seen:
            return False
        self.first_seen.add(key)
        return True

    @property
    def imports_project(self) -> bool:
        return any(isinstance(f, ImportFact) and f.project for f in self.facts)


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
            self._record_import(alias.name, node, relative=False)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._absolute(node.module or "", node.level)
        self._record_import(base or ".", node, relative=node.level > 0)
        for alias in node.names:
            if alias.name != "*":
                target = f"{base}.{alias.name}" if base else alias.name
                self.sink.aliases[alias.asname or alias.name] = target
                if target in self.sink.context.layout.paths:  # `from pkg import features`
                    self._record_import(target, node, relative=False)

    def _absolute(self, module: str, level: int) -> str:
        if level == 0 or self.sink.current_module is None:
            return module
        package = self.sink.current_module.split(".")
        anchor = package[: max(len(package) - level, 0)]
        return ".".join([*anchor, module] if module else anchor)

    def _record_import(self, module: str, node: ast.AST, *, relative: bool) -> None:
        if not self.sink.once("import", module):
            return
        layout = self.sink.context.layout
        project = relative or layout.is_project_module(module)
        self.sink.facts.append(
            ImportFact(
                location=self.sink.location(node),
                module=module,
                top=module.split(".", maxsplit=1)[0],
                scope=self.sink.scope,
                project=project,
                target=layout.resolve(module) if project else None,
            )
        )

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
    """Imports, calls and (in test files) test functions of one parsed module or cell."""
    _Visitor(sink).visit(tree)
    if sink.scope == "test" or is_course_grader(sink.path):  # graders show up, as claims only
        sink.facts.extend(_test_functions(tree, sink))
    return sink.facts


def _test_functions(tree: ast.Module, sink: CodeFacts) -> Iterator[TestFunctionFact]:
    visitor = _Visitor(sink)  # reuses the alias table to resolve pytest.raises and friends
    covers = tuple(sorted({f.target for f in sink.facts if isinstance(f, ImportFact) and f.target}))
    grader = is_course_grader(sink.path)
    imports_project = sink.imports_project  # once: the facts grow as tests are found
    for node in _test_definitions(tree):
        asserts = sum(_assertion_count(child, visitor) for child in ast.walk(node))
        placeholder = None if asserts else "a test that asserts nothing"
        yield TestFunctionFact(
            location=sink.location(node),
            name=node.name,
            asserts=asserts,
            imports_project=imports_project,
            covers=covers,
            placeholder="a course grader, not a project test" if grader else placeholder,
        )


def is_course_grader(path: str) -> bool:
    """Course grader modules (`public_tests.py`, `testCases_v2.py`) look like tests but check
    an assignment. `test_utils.py` is a grader outside a tests folder, a test inside one."""
    pure = PurePosixPath(path)
    name = pure.name.lower()
    if name == "test_utils.py":
        return not any(part in TEST_FOLDERS for part in pure.parts[:-1])
    return name in coursework.COURSE_HELPER_FILES or name.startswith("testcases")


def _test_definitions(
    tree: ast.Module,
) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(
            "test"
        ):
            yield node
        elif (isinstance(node, ast.ClassDef) and node.name.startswith("Test")) or (
            isinstance(node, ast.ClassDef) and _is_testcase(node)
        ):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                    member.name.startswith("test")
                ):
                    yield member


def _is_testcase(node: ast.ClassDef) -> bool:
    return any(
        isinstance(base, (ast.Name, ast.Attribute))
        and (base.id if isinstance(base, ast.Name) else base.attr) == "TestCase"
        for base in node.bases
    )


def _assertion_count(node: ast.AST, visitor: _Visitor) -> int:
    if isinstance(node, ast.Assert):
        return 0 if isinstance(node.test, ast.Constant) else 1  # `assert True` proves nothing
    if isinstance(node, ast.Call):
        name = visitor.dotted(node.func) or ""
        last = name.rsplit(".", 1)[-1]
        if name in ASSERTING_CALLS or last.startswith(ASSERTING_PREFIXES):
            return 1
    return 0


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
        yield from coursework.markers_in_text(text, location)
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
