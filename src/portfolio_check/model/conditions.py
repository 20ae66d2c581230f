"""`where:` conditions of rubric signals, compiled once from YAML values into predicates,
and `select`: the facts of one kind for which every condition of a signal holds.

A condition is a value (equal), a list (any of), or a mapping of operators that must all
hold: `glob`, `regex`, `prefix` (dotted names), `min`, `max` and `not`. An equality, an any-of
or a pure `prefix` condition also says what it accepts (a `Lookup`), so that `select`
answers it from an index of the field's values instead of testing each value.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from portfolio_check.common.errors import RubricError
from portfolio_check.common.globs import glob_matcher
from portfolio_check.model.facts import Fact, Facts, fact_value


@dataclass(frozen=True, kw_only=True)
class Lookup:
    """What a condition accepts, in a form an index answers: a value (for a multi-valued
    field, any of its values) equal to one of `values`, or a string under one of `parents`
    (a dotted name whose part before one of its dots is a parent: `pandera.DataFrameModel`
    is under `pandera`). It must accept exactly what the condition's test accepts."""

    values: tuple[Hashable, ...] = ()
    parents: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class Condition:
    """One `where:` entry: a fact field and a test of its value (and, when an index can
    answer the test, what it accepts)."""

    field: str
    test: Callable[[Any], bool]
    lookup: Lookup | None = None

    def holds(self, fact: Fact) -> bool:
        return self.test(fact_value(fact, self.field))


def where_condition(field: str, expected: Any, source: str, path: str) -> Condition:
    """The condition a rubric's `where: {field: expected}` entry says; `path` is its key path
    for errors."""
    test = compile_condition(expected, source, path)
    return Condition(field=field, test=test, lookup=_lookup_for(expected))


def equal_condition(field: str, expected: Hashable) -> Condition:
    """The field's value equals `expected`."""
    return Condition(field=field, test=equals(expected), lookup=Lookup(values=(expected,)))


#: Below this many candidates, a condition is tested fact by fact; above, per value.
_PER_VALUE_FROM = 256
#: Positions of facts in `Facts.of(kind)`.
Positions = list[int]
#: The longest dotted parent a value index holds: indexing all of them would take memory
#: quadratic in a name's length (a hostile call chain of thousands of long parts). A
#: `prefix` condition with a longer prefix is tested value by value.
LONGEST_INDEXED_PARENT = 256


def select(facts: Facts, kind: str, where: Sequence[Condition]) -> tuple[Fact, ...]:
    """The facts of `kind` (in their order) for which every condition holds. A large
    repository has a hundred thousand facts, sharing far fewer values (scopes, names,
    folders): a condition with a `Lookup` is answered from an index of its field's values,
    the others are tested once per distinct value, or fact by fact once few facts are left.
    The looked-up conditions go first, fewest facts first; none is tested once no fact is
    left. The order changes no answer: the result is the facts every condition holds for."""
    items = facts.of(kind)
    chosen: set[int] | None = None  # None: every fact of the kind
    for condition, found in _in_order(facts, kind, where):
        if chosen is not None and len(chosen) < _PER_VALUE_FROM:
            chosen = {index for index in chosen if condition.holds(items[index])}
        else:
            groups = _passing_groups(facts, kind, condition) if found is None else found
            members = chain.from_iterable(groups)
            chosen = set(members) if chosen is None else chosen.intersection(members)
        if not chosen:
            return ()
    if chosen is None:
        return items
    return tuple(map(items.__getitem__, sorted(chosen)))


def _in_order(
    facts: Facts, kind: str, where: Sequence[Condition]
) -> Iterator[tuple[Condition, list[Positions] | None]]:
    """The conditions, each with the positions of the facts it holds for when an index
    answered it (None when it must be tested): those an index answered first, fewest facts
    first, then the others in the rubric's order. No index is built past a condition that
    leaves few facts: the conditions after it are tested on those few, fact by fact."""
    looked_up: list[tuple[Condition, list[Positions]]] = []
    rest: list[Condition] = []
    few = False
    for condition in where:
        if condition.lookup is None or few:
            rest.append(condition)
            continue
        found = _looked_up(facts, kind, condition.field, condition.lookup)
        looked_up.append((condition, found))
        few = _count(found) < _PER_VALUE_FROM
    looked_up.sort(key=lambda pair: _count(pair[1]))
    yield from looked_up
    yield from ((condition, None) for condition in rest)


def _count(groups: list[Positions]) -> int:
    return sum(map(len, groups))


def _passing_groups(facts: Facts, kind: str, condition: Condition) -> list[Positions]:
    """The positions of the facts of `kind` the condition holds for, in groups by value:
    each distinct value of the field tested once."""
    groups = facts.grouped(kind, condition.field)
    return [members for (_, value), members in groups.items() if condition.test(value)]


def _looked_up(facts: Facts, kind: str, field: str, lookup: Lookup) -> list[Positions]:
    """The positions of the facts of `kind` whose field `lookup` accepts, in groups (a
    fact may be in several)."""
    index = facts.derived(ValueIndex.of, kind, field)
    found = [index.by_value.get(value, ()) for value in lookup.values]
    found += [index.by_parent.get(parent, ()) for parent in lookup.parents]
    return list(chain.from_iterable(found))


@dataclass(frozen=True, kw_only=True)
class ValueIndex:
    """The facts of one kind by the value of one field, as groups of positions (those of
    `Facts.grouped`): under the value (each value of a multi-valued field), and under each
    dotted parent of a string value (`a.b.c` under `a` and `a.b`: the part before each of
    its dots). Keyed by the values themselves: equal values share a key (True and 1), as
    they pass one equality test."""

    by_value: dict[Hashable, list[Positions]]
    by_parent: dict[str, list[Positions]]

    @classmethod
    def of(cls, facts: Facts, kind: str, field: str) -> ValueIndex:
        by_value: defaultdict[Hashable, list[Positions]] = defaultdict(list)
        by_parent: defaultdict[str, list[Positions]] = defaultdict(list)
        for (_, value), members in facts.grouped(kind, field).items():
            for single in value if isinstance(value, tuple) else (value,):
                by_value[single].append(members)
                if isinstance(single, str):
                    for parent in _parents(single, LONGEST_INDEXED_PARENT):
                        by_parent[parent].append(members)
        return cls(by_value=dict(by_value), by_parent=dict(by_parent))


def _parents(name: str, longest: int | None = None) -> Iterator[str]:
    """The part of a dotted name before each of its dots: `a.b.c` gives `a`, `a.b` (those
    of at most `longest` characters, if given)."""
    end = name.find(".", 0, None if longest is None else longest + 1)
    while end != -1:
        yield name[:end]
        end = name.find(".", end + 1, None if longest is None else longest + 1)


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


def _prefix_sets(prefixes: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The names a `prefix` list matches whole (with what is under them), and the parents
    what it matches must be under: `litserve.` matches only what is under `litserve`."""
    whole = frozenset(p for p in prefixes if not p.endswith("."))
    return whole, whole | frozenset(p[:-1] for p in prefixes if p.endswith("."))


def _prefix_test(prefixes: tuple[str, ...]) -> Callable[[Any], bool]:
    """`pandera` matches `pandera` and `pandera.DataFrameModel`, not `panderas`; `litserve.`
    matches only what is under `litserve`. Looked up per dotted part of the value (a set
    lookup for each of its few parts), not per prefix: rubrics list dozens of prefixes and a
    large repository has tens of thousands of distinct call names."""
    whole, parents = _prefix_sets(prefixes)

    def test(value: Any) -> bool:
        if not isinstance(value, str):
            return False
        return value in whole or any(parent in parents for parent in _parents(value))

    return test


def _lookup_for(expected: Any) -> Lookup | None:
    """What an equality, any-of or pure `prefix` condition accepts (as `compile_condition`
    tests it); None for the other conditions, and for values no index can hold."""
    if isinstance(expected, dict):
        if set(expected) != {"prefix"}:
            return None
        whole, parents = _prefix_sets(_strings(expected["prefix"]))
        if any(len(parent) > LONGEST_INDEXED_PARENT for parent in parents):
            return None
        return Lookup(values=tuple(sorted(whole)), parents=parents)
    choices = tuple(_as_list(expected))
    try:
        hash(choices)
    except TypeError:  # a list or mapping among them
        return None
    if any(isinstance(choice, float) and math.isnan(choice) for choice in choices):
        return None  # equal to nothing, but a dict finds the very same NaN
    return Lookup(values=choices)


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
