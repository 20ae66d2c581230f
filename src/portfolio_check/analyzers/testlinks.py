"""What each test reaches, once every file is read.

A test file reaches the project through more than its own imports: pytest hands it the
fixtures of every `conftest.py` in its folder and the folders above, and its test helpers
(`tests/helpers.py`) import the project for it. And docstring examples are tests only when
pytest runs them (`--doctest-modules` in its configuration or on a command line).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from portfolio_check.analyzers.base import scope_of
from portfolio_check.model.content_query import ContentQuery
from portfolio_check.model.facts import ContentMatchFact, Fact, ImportFact, TestFunctionFact
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


def link_tests(facts: Sequence[Fact]) -> list[Fact]:
    """Test functions with what they reach through fixtures and helpers; doctests kept only
    when pytest runs them."""
    runs_doctests = any(
        isinstance(fact, ContentMatchFact) and fact.query == DOCTEST_QUERY for fact in facts
    )
    reached = _reached(facts)
    linked: list[Fact] = []
    for fact in facts:
        if not isinstance(fact, TestFunctionFact):
            linked.append(fact)
        elif fact.doctest:
            if runs_doctests:  # otherwise documentation: nothing runs it
                linked.append(fact)
        else:
            covers = reached.get(fact.path, ())
            changed = covers and covers != fact.covers
            linked.append(
                dataclasses.replace(fact, covers=covers, imports_project=True) if changed else fact
            )
    return linked


def _reached(facts: Sequence[Fact]) -> dict[str, tuple[str, ...]]:
    """Each test file's code files: imported by it, by the conftest.py files above it, or by
    the test helpers these import."""
    imports: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        if isinstance(fact, ImportFact) and fact.target:
            imports[fact.path].add(fact.target)
    conftests = {path.rpartition("/")[0]: path for path in imports if _is_conftest(path)}
    tests = {f.path for f in facts if isinstance(f, TestFunctionFact) and not f.doctest}
    return {path: _code_of(_starts(path, conftests), imports) for path in sorted(tests)}


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
