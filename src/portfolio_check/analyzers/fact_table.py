"""`FactTable`: the facts of one scan in their order, with where each class of fact sits
indexed once, so that a linker step reads or changes only the kinds of fact it is about
(the few Dockerfiles, the manifests) instead of walking every fact of a large repository.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar, cast

from portfolio_check.model.facts import Fact

F = TypeVar("F", bound=Fact)


class FactTable:
    """Facts in scan order, with the positions of each class. A change replaces a fact by
    one of the same class at the same place, so the index stays true without a rebuild."""

    def __init__(self, facts: Iterable[Fact] = ()) -> None:
        self._facts: list[Fact] = []
        self._positions: dict[type[Fact], list[int]] = defaultdict(list)
        self.extend(facts)

    @property
    def facts(self) -> list[Fact]:
        """Every fact, in order (a copy: changes go through the table)."""
        return list(self._facts)

    def __len__(self) -> int:
        return len(self._facts)

    def extend(self, facts: Iterable[Fact]) -> None:
        known, positions = self._facts, self._positions
        start = len(known)
        known.extend(facts)
        for position in range(start, len(known)):
            positions[type(known[position])].append(position)

    def positions(self, *classes: type[Fact]) -> list[int]:
        """Where the facts that are instances of any of `classes` sit, in order."""
        lists = [p for cls, p in self._positions.items() if issubclass(cls, classes)]
        if len(lists) == 1:
            return list(lists[0])
        if len(lists) == len(self._positions):  # every class: every fact
            return list(range(len(self._facts)))
        return sorted(position for positions in lists for position in positions)

    def of(self, *classes: type[F]) -> list[F]:
        """The facts that are instances of any of `classes`, in order."""
        facts = self._facts
        return cast("list[F]", [facts[position] for position in self.positions(*classes)])

    def replace(self, classes: type[F] | tuple[type[F], ...], change: Callable[[F], F]) -> None:
        """Each fact of `classes` replaced, in place, by what `change` makes of it."""
        wanted = classes if isinstance(classes, tuple) else (classes,)
        facts = cast("list[F]", self._facts)
        for position in self.positions(*wanted):
            old = facts[position]
            new = change(old)
            if new is not old:
                _same_class(old, new)
                facts[position] = new

    def replace_all(self, changed: Sequence[F], classes: tuple[type[F], ...]) -> None:
        """The facts of `classes`, in order, replaced one for one by `changed`."""
        positions = self.positions(*classes)
        if len(positions) != len(changed):
            raise ValueError(f"{len(changed)} facts to put in {len(positions)} places")
        facts = self._facts
        for position, new in zip(positions, changed, strict=True):
            _same_class(facts[position], new)
            facts[position] = new

    def remove(self, kind: type[F], unwanted: Callable[[F], bool]) -> None:
        """Drop the facts of `kind` that are `unwanted` (the rest keep their order)."""
        facts = self._facts
        gone = {p for p in self.positions(kind) if unwanted(cast("F", facts[p]))}
        if gone:
            kept = [fact for position, fact in enumerate(self._facts) if position not in gone]
            self._facts, self._positions = [], defaultdict(list)
            self.extend(kept)


def replaced(fact: F, **changes: object) -> F:
    """`dataclasses.replace(fact, **changes)` through the class's own constructor, with the
    class's fields looked up once rather than once per fact: linking a large repository
    gives thousands of facts their roles."""
    fields = {name: getattr(fact, name) for name in _field_names(type(fact))}
    return type(fact)(**{**fields, **changes})


_FIELD_NAMES: dict[type[Fact], tuple[str, ...]] = {}


def _field_names(kind: type[Fact]) -> tuple[str, ...]:
    """The fields a fact of `kind` is built from."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = tuple(field.name for field in dataclasses.fields(kind) if field.init)
        _FIELD_NAMES[kind] = names
    return names


def _same_class(old: Fact, new: Fact) -> None:
    if type(new) is not type(old):
        raise TypeError(f"a {type(old).__name__} replaced by a {type(new).__name__}")
