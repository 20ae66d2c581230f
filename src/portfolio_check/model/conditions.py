"""`where:` conditions of rubric signals, compiled once from YAML values into predicates.

A condition is a value (equal), a list (any of), or a mapping of operators that must all
hold: `glob`, `regex`, `prefix` (dotted names), `min`, `max` and `not`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from portfolio_check.common.errors import RubricError
from portfolio_check.common.globs import glob_matcher
from portfolio_check.model.facts import Fact, Facts, fact_value


@dataclass(frozen=True, kw_only=True)
class Condition:
    """One `where:` entry: a fact field and a test of its value."""

    field: str
    test: Callable[[Any], bool]

    def holds(self, fact: Fact) -> bool:
        return self.test(fact_value(fact, self.field))


#: Below this many candidates, a condition is tested fact by fact; above, per value.
_PER_VALUE_FROM = 256


def select(facts: Facts, kind: str, where: Sequence[Condition]) -> tuple[Fact, ...]:
    """The facts of `kind` (in their order) for which every condition holds. On many facts
    each test runs once per distinct value of its field: a large repository has a hundred
    thousand facts, and they share far fewer values (scopes, names, folders)."""
    items = facts.of(kind)
    chosen: set[int] | None = None  # None: every fact of the kind
    for condition in where:
        if chosen is None or len(chosen) >= _PER_VALUE_FROM:
            groups = facts.grouped(kind, condition.field)
            passing = set(
                chain.from_iterable(
                    members for (_, value), members in groups.items() if condition.test(value)
                )
            )
            chosen = passing if chosen is None else chosen & passing
        else:
            chosen = {index for index in chosen if condition.holds(items[index])}
    if chosen is None:
        return items
    return tuple(items[index] for index in sorted(chosen))


def _each(test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """A multi-valued field (`roles`, `keywords`) holds when any of its values does."""
    return lambda value: any(test(v) for v in value) if isinstance(value, tuple) else test(value)


def compile_condition(expected: Any, source: str, path: str) -> Callable[[Any], bool]:
    """A predicate over a fact field's value. On a multi-valued field (a tuple) the positive
    tests hold when any value does, and `not` holds when no value is excluded."""
    if isinstance(expected, list):
        choices = tuple(expected)
        return _each(lambda value: value in choices)
    if not isinstance(expected, dict):
        return _each(equals(expected))
    tests: list[Callable[[Any], bool]] = []
    if "glob" in expected:
        tests.append(_each(glob_test(expected["glob"])))
    if "regex" in expected:
        pattern = compile_regex(expected["regex"], source, f"{path}.regex")
        tests.append(_each(lambda value: isinstance(value, str) and bool(pattern.search(value))))
    if "prefix" in expected:
        tests.append(_each(_prefix_test(_strings(expected["prefix"]))))
    if "min" in expected:
        low = expected["min"]
        tests.append(_each(lambda value: isinstance(value, (int, float)) and value >= low))
    if "max" in expected:
        high = expected["max"]
        tests.append(_each(lambda value: isinstance(value, (int, float)) and value <= high))
    if "not" in expected:
        excluded = tuple(_as_list(expected["not"]))
        is_excluded = _each(lambda value: value in excluded)
        tests.append(lambda value: not is_excluded(value))
    return tests[0] if len(tests) == 1 else lambda value: all(test(value) for test in tests)


def _prefix_test(prefixes: tuple[str, ...]) -> Callable[[Any], bool]:
    """`pandera` matches `pandera` and `pandera.DataFrameModel`, not `panderas`; `litserve.`
    matches only what is under `litserve`. Looked up per dotted part of the value (a set
    lookup for each of its few parts), not per prefix: rubrics list dozens of prefixes and a
    large repository has tens of thousands of distinct call names."""
    whole = frozenset(p for p in prefixes if not p.endswith("."))
    parents = whole | frozenset(p[:-1] for p in prefixes if p.endswith("."))

    def test(value: Any) -> bool:
        if not isinstance(value, str):
            return False
        if value in whole:
            return True
        end = value.find(".")
        while end != -1:
            if value[:end] in parents:
                return True
            end = value.find(".", end + 1)
        return False

    return test


def glob_test(globs: str | list[str]) -> Callable[[Any], bool]:
    matches = glob_matcher(_strings(globs))
    return lambda value: isinstance(value, str) and matches(value)


def equals(expected: Any) -> Callable[[Any], bool]:
    return lambda value: bool(value == expected)


def _strings(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def compile_regex(pattern: str, source: str, path: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise RubricError(source, path, f"invalid regular expression: {error}") from None
