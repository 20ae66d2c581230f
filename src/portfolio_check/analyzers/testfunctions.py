"""What the tests of one parsed module are and what they check.

- A test is a `test*` function or a `test*` method of a `Test*` or `TestCase` class; a
  pytest fixture is not, whatever its name, and a `conftest.py` holds fixtures, not tests.
- A check is an `assert` on something other than a constant, a checking call
  (`pytest.raises`, `self.assertEqual`, `np.testing.assert_allclose`, `mock.assert_called`,
  `subprocess.check_call`, `subprocess.run(..., check=True)`), or one made by a helper of
  the same module that the test calls (`_check_prediction(...)`, `self._assert_valid(...)`),
  followed a few calls deep.
- A doctest is a docstring example (`>>> f(2)` and the output it must print).
- A course grader checks code it is handed, not code it imports: a DeepLearning.AI table of
  `{"name", "input", "expected"}` cases, functions that call the learner's function they are
  given and print the verdict, or the course scaffolding markers. Never its file name alone.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

#: Callees whose use in a test is a check.
ASSERTING_CALLS = frozenset(
    {"pytest.raises", "pytest.warns", "pytest.approx", "pytest.fail", "pytest.deprecated_call"}
)
#: Checking calls by their last name: `assertEqual`, `assert_frame_equal`, `check_output`,
#: `verify_schema`, `expect(...)`; not `checkpoint` or `expected_rows`.
ASSERTING_NAME = re.compile(r"^(?:assert|check|verify|expect|fail)(?:$|_|[A-Z])")
#: Calls that raise when the command they run fails, given `check=True`.
CHECKED_RUNS = frozenset({"subprocess.run"})
#: Calls below a test into the helpers of its module that are followed for checks.
MAX_HELPER_DEPTH = 3
#: The keys of a DeepLearning.AI grader's table of test cases.
GRADER_CASE_KEYS = frozenset({"name", "input", "expected"})
GRADER_FAMILY = "course grader"

Function = ast.FunctionDef | ast.AsyncFunctionDef
#: A callee's dotted name with the module's import aliases resolved (`np.testing.x` ->
#: `numpy.testing.x`).
Resolve = Callable[[ast.AST], str | None]


@dataclass(frozen=True, kw_only=True)
class TestDefinition:
    __test__ = False  # a reading of a test, not a pytest test class

    node: Function
    asserts: int


@dataclass(frozen=True, kw_only=True)
class Doctest:
    name: str  # the function, class or module whose docstring holds the examples
    line: int
    examples: int  # `>>>` statements
    checked: int  # examples followed by the output they must print


@dataclass(frozen=True, kw_only=True)
class _Body:
    """One function's own checks and the helpers of the module it calls."""

    asserts: int
    helpers: tuple[str, ...]
    prints: bool
    calls_parameter: bool


class _Module:
    """The module-level functions and class methods of one module, each body read once."""

    def __init__(self, tree: ast.Module, resolve: Resolve) -> None:
        self.resolve = resolve
        self.functions: dict[str, tuple[Function, str | None]] = {}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name] = (node, None)
            elif isinstance(node, ast.ClassDef):
                for member in node.body:
                    if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self.functions[f"{node.name}.{member.name}"] = (member, node.name)
        self._bodies: dict[str, _Body] = {}

    def body(self, key: str) -> _Body:
        known = self._bodies.get(key)
        if known is None:
            node, owner = self.functions[key]
            known = self._bodies[key] = self._read(node, owner)
        return known

    def checks(self, key: str) -> int:
        """The checks of a function and of the helpers it calls, each helper once."""
        total, seen, frontier = 0, {key}, [key]
        for _ in range(MAX_HELPER_DEPTH + 1):
            following: list[str] = []
            for name in frontier:
                body = self.body(name)
                total += body.asserts
                following.extend(h for h in body.helpers if h not in seen)
                seen.update(body.helpers)
            frontier = following
        return total

    def _read(self, node: Function, owner: str | None) -> _Body:
        parameters = {arg.arg for arg in (*node.args.posonlyargs, *node.args.args)} - {
            "self",
            "cls",
        }
        asserts, helpers, prints, calls_parameter = 0, [], False, False
        for child in ast.walk(node):
            if isinstance(child, ast.Assert):
                asserts += not isinstance(child.test, ast.Constant)  # `assert True` proves nothing
            elif isinstance(child, ast.Call):
                helper = self._helper(child.func, owner)
                if helper is not None:
                    helpers.append(helper)
                    continue
                asserts += self._is_check(child)
                name = child.func.id if isinstance(child.func, ast.Name) else None
                prints = prints or name == "print"
                calls_parameter = calls_parameter or name in parameters
        return _Body(
            asserts=asserts,
            helpers=tuple(dict.fromkeys(helpers)),
            prints=prints,
            calls_parameter=calls_parameter,
        )

    def _helper(self, func: ast.expr, owner: str | None) -> str | None:
        """The module's own function or method a call names: `check(x)`, `self._check(x)`."""
        if isinstance(func, ast.Name) and func.id in self.functions:
            return func.id
        if (
            owner
            and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in ("self", "cls")
            and f"{owner}.{func.attr}" in self.functions
        ):
            return f"{owner}.{func.attr}"
        return None

    def _is_check(self, call: ast.Call) -> bool:
        name = self.resolve(call.func) or ""
        if name in ASSERTING_CALLS or ASSERTING_NAME.match(name.rsplit(".", 1)[-1]):
            return True
        return name in CHECKED_RUNS and any(
            keyword.arg == "check"
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value is True
            for keyword in call.keywords
        )


def read_tests(tree: ast.Module, resolve: Resolve) -> list[TestDefinition]:
    """The tests of a module with the checks each makes."""
    module = _Module(tree, resolve)
    return [
        TestDefinition(node=node, asserts=module.checks(key)) for key, node in _tests(tree, resolve)
    ]


def _tests(tree: ast.Module, resolve: Resolve) -> Iterator[tuple[str, Function]]:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name.startswith("test") and not _is_fixture(node, resolve):
                yield node.name, node
        elif isinstance(node, ast.ClassDef) and (
            node.name.startswith("Test") or _is_testcase(node)
        ):
            for member in node.body:
                if (
                    isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and member.name.startswith("test")
                    and not _is_fixture(member, resolve)
                ):
                    yield f"{node.name}.{member.name}", member


def _is_fixture(node: Function, resolve: Resolve) -> bool:
    """`@pytest.fixture`, `@pytest.fixture(scope=...)`, `@pytest_asyncio.fixture`."""
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if (resolve(target) or "").rsplit(".", 1)[-1] == "fixture":
            return True
    return False


def _is_testcase(node: ast.ClassDef) -> bool:
    return any(
        isinstance(base, (ast.Name, ast.Attribute))
        and (base.id if isinstance(base, ast.Name) else base.attr) == "TestCase"
        for base in node.bases
    )


# doctests ----------------------------------------------------------------------------------
def doctests(tree: ast.Module) -> list[Doctest]:
    """Docstring examples of the module, its classes and functions (nested ones included)."""
    found: list[Doctest] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            docstring = ast.get_docstring(node, clean=False)
            if docstring and ">>>" in docstring:
                examples, checked = _examples(docstring)
                if examples:
                    name = getattr(node, "name", "module")
                    line = getattr(node, "lineno", 1)
                    found.append(Doctest(name=name, line=line, examples=examples, checked=checked))
    return found


def _examples(docstring: str) -> tuple[int, int]:
    """(`>>>` statements, those followed by an expected output) as `doctest` reads them."""
    examples = checked = 0
    pending = False  # the last statement has not yet shown an output line
    for raw in docstring.splitlines():
        line = raw.strip()
        if line.startswith(">>>"):
            examples += 1
            pending = True
        elif line.startswith("...") and pending:
            continue  # a continuation of the statement
        elif line and pending:
            checked += 1
            pending = False
        elif not line:
            pending = False
    return examples, checked


# course graders ----------------------------------------------------------------------------
def grader_family(
    tree: ast.Module, resolve: Resolve, *, marker_family: str | None, imports_project: bool
) -> str | None:
    """The course a module grades assignments for, or None for anything else. A module that
    imports the project's own code tests that code, whatever else it holds."""
    if imports_project:
        return None
    if marker_family:
        return marker_family
    if _has_case_table(tree):
        return "DeepLearning.AI"
    module = _Module(tree, resolve)
    graders = [
        key for key in module.functions if _checks_by_name(key) and module.body(key).calls_parameter
    ]
    if graders and any(_prints(module, key) for key in graders):
        return GRADER_FAMILY
    return None


def _checks_by_name(key: str) -> bool:
    name = key.rsplit(".", 1)[-1]
    return name.startswith("test") or name.endswith("_test")


def _prints(module: _Module, key: str) -> bool:
    """Whether a function, or a helper it calls directly, prints (a verdict for a learner)."""
    body = module.body(key)
    return body.prints or any(module.body(helper).prints for helper in body.helpers)


def _has_case_table(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if keys >= GRADER_CASE_KEYS:
                return True
    return False
