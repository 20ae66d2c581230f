"""What each test reaches, once every file is read.

A test file reaches the project through more than its own imports: pytest hands it the
fixtures of every `conftest.py` in its folder and the folders above, and its test helpers
(`tests/helpers.py`) import the project for it. And docstring examples are tests only when
pytest runs them (`--doctest-modules` in its configuration or on a command line).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from portfolio_check.analyzers.base import scope_of
from portfolio_check.analyzers.fact_table import FactTable, replaced
from portfolio_check.model.content_query import ContentQuery
from portfolio_check.model.facts import ContentMatchFact, ImportFact, TestFunctionFact
from portfolio_check.model.location import ancestors

DOCTEST_QUERY = "pytest-doctest-modules"
#: Where pytest's options are set or its command is written.
_DOCTEST_PLACES = (
    "pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini", "noxfile.py", "Makefile",
    "justfile", "*.sh", ".github/workflows/*.yml", ".github/workflows/*.yaml",
    ".gitlab-ci.yml", ".circleci/config.yml",
)  # fmt: skip
#: The option on a line that is not commented out (`# --doctest-modules` turns it off).
_DOCTEST_OPTION = re.compile(r"^[^#]*--doctest-modules\b")
DOCTEST_QUERIES = tuple(
    ContentQuery(id=DOCTEST_QUERY, glob=glob, pattern=_DOCTEST_OPTION) for glob in _DOCTEST_PLACES
)
#: Test-side files followed from one test file (helpers of helpers); bounds hostile graphs.
MAX_TEST_FILES_FOLLOWED = 200


def link_tests(table: FactTable) -> None:
    """Test functions with what they reach through fixtures and helpers; doctests kept only
    when pytest runs them."""
    runs_doctests = any(fact.query == DOCTEST_QUERY for fact in table.of(ContentMatchFact))
    tests = table.of(TestFunctionFact)
    reached = _reached(table.of(ImportFact), tests)

    def covered(fact: TestFunctionFact) -> TestFunctionFact:
        covers = () if fact.doctest else reached.get(fact.path, ())
        changed = covers and covers != fact.covers
        return replaced(fact, covers=covers, imports_project=True) if changed else fact

    table.replace(TestFunctionFact, covered)
    if not runs_doctests:  # documentation: nothing runs it
        table.remove(TestFunctionFact, lambda fact: fact.doctest)


def _reached(
    imported: Iterable[ImportFact], tests: Iterable[TestFunctionFact]
) -> dict[str, tuple[str, ...]]:
    """Each test file's code files: imported by it, by the conftest.py files above it, or by
    the test helpers these import."""
    imports: dict[str, set[str]] = defaultdict(set)
    for fact in imported:
        if fact.target:
            imports[fact.path].add(fact.target)
    conftests = {path.rpartition("/")[0]: path for path in imports if _is_conftest(path)}
    paths = {test.path for test in tests if not test.doctest}
    return {path: _code_of(_starts(path, conftests), imports) for path in sorted(paths)}


def _is_conftest(path: str) -> bool:
    return path == "conftest.py" or path.endswith("/conftest.py")


def _starts(path: str, conftests: dict[str, str]) -> list[str]:
    folders = ["", *ancestors(path)]
    return [path, *(conftests[f] for f in folders if f in conftests and conftests[f] != path)]


def _code_of(starts: Iterable[str], imports: dict[str, set[str]]) -> tuple[str, ...]:
    code: set[str] = set()
    seen = set(starts)
    queue = list(seen)
    while queue and len(seen) <= MAX_TEST_FILES_FOLLOWED:
        for target in imports.get(queue.pop(), ()):
            if scope_of(target) == "code":
                code.add(target)
            elif target not in seen:  # a test helper: what it imports, the test reaches
                seen.add(target)
                queue.append(target)
    return tuple(sorted(code))
