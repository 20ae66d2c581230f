"""The fact every kind derives from, and `Facts`: all facts of one scan, grouped by kind.

A fact is frozen data with the place it was found (a `Location`). Each kind has a name that
rubrics use (`fact: import`) and fields a rubric can match on (`where: {scope: code}`).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, ClassVar, TypeVar, cast

from portfolio_check.model.location import Location


@dataclass(frozen=True, kw_only=True, slots=True)
class Fact:
    kind: ClassVar[str] = "fact"
    location: Location
    placeholder: str | None = None  # why this is only the shape of evidence, if it is
    #: What runs the file this fact sits in, filled in by the linker once every file is
    #: read: "tested" (tests import it), "serving" (on the request path), "pipeline"
    #: (a pipeline stage or training runs it), "ci" (a CI job runs it), "scheduled".
    roles: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return self.location.path

    def describe(self) -> str:
        """One line for a person: what this fact is."""
        return self.kind


@functools.cache
def field_reader(name: str) -> Callable[[Fact], Any]:
    """What reads a fact's field `name` (a rubric's `path` is the fact's location's)."""
    return attrgetter("location.path" if name == "path" else name)


def fact_value(fact: Fact, name: str) -> Any:
    return field_reader(name)(fact)


_Derived = TypeVar("_Derived")


class Facts:
    """All facts of one scan, grouped by kind in a stable order."""

    def __init__(self, facts: Iterable[Fact] = (), *, unknown: Iterable[str] = ()) -> None:
        #: kinds of fact this target cannot show at all (a plain folder has no history)
        self.unknown = frozenset(unknown)
        grouped: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            grouped[fact.kind].append(fact)
        self._by_kind = {
            kind: tuple(sorted(items, key=lambda f: (f.location.path, f.location.line or 0)))
            for kind, items in grouped.items()
        }
        self._groups: dict[tuple[str, str], dict[tuple[type, Any], list[int]]] = {}
        self._derived: dict[tuple[Callable[..., Any], str, str], Any] = {}

    def of(self, kind: str) -> tuple[Fact, ...]:
        return self._by_kind.get(kind, ())

    def grouped(self, kind: str, name: str) -> dict[tuple[type, Any], list[int]]:
        """The positions in `of(kind)` of the facts by the value of their field `name`
        (keyed with its type: True and 1 are equal keys), computed once per scan."""
        key = (kind, name)
        groups = self._groups.get(key)
        if groups is None:
            groups = defaultdict(list)
            for index, value in enumerate(map(field_reader(name), self.of(kind))):
                groups[(value.__class__, value)].append(index)
            self._groups[key] = groups = dict(groups)
        return groups

    def derived(
        self, build: Callable[[Facts, str, str], _Derived], kind: str, name: str
    ) -> _Derived:
        """What `build(self, kind, name)` makes of the facts of `kind` (an index of their
        field `name`), computed once per scan: every signal over that field asks for it."""
        key = (build, kind, name)
        if key not in self._derived:
            self._derived[key] = build(self, kind, name)
        return cast(_Derived, self._derived[key])

    def __iter__(self) -> Iterator[Fact]:
        for kind in sorted(self._by_kind):
            yield from self._by_kind[kind]

    def __len__(self) -> int:
        return sum(len(items) for items in self._by_kind.values())

    def count(self, kind: str) -> int:
        return len(self.of(kind))
