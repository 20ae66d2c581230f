"""Facts to JSON-ready values and back, for the analysis cache.

Only plain JSON goes to disk (never pickle): a cache folder may be shared, and reading a
cache entry must not be able to run anything. Decoding is strict: an unknown kind, an
unknown field or a value of the wrong shape raises `FactDecodeError`, and the caller treats
the entry as missing.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from portfolio_check.model.facts import FACT_TYPES, Fact
from portfolio_check.model.location import Location

JsonFact = dict[str, Any]
T = TypeVar("T")
_MISSING = object()


class FactDecodeError(ValueError):
    """A cached fact that does not decode to a fact of a known kind."""


@functools.cache
def _field_names(kind: str) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(FACT_TYPES[kind]) if f.name != "location")


@functools.cache
def _field_types(kind: str) -> tuple[tuple[str, frozenset[type]], ...]:
    """Each field but the location, with the JSON types it may decode from, read from its
    annotation (a string, with `from __future__ import annotations`)."""
    return tuple(
        (f.name, _allowed(str(f.type)))
        for f in dataclasses.fields(FACT_TYPES[kind])
        if f.name != "location"
    )


def _allowed(annotation: str) -> frozenset[type]:
    """`int | None` allows int and None; a float field, ints too; a tuple, a JSON list.
    By exact type: `True` is not an int here."""
    if annotation.startswith("tuple"):
        return frozenset({list})
    allowed: set[type] = set()
    for part in annotation.split("|"):
        name = part.strip()
        if name == "None":
            allowed.add(type(None))
        elif name == "float":
            allowed |= {float, int}
        elif name in ("int", "bool"):
            allowed.add(int if name == "int" else bool)
        else:  # str, and the Literal aliases of str (Scope, CallUsage, Literal[...])
            allowed.add(str)
    return frozenset(allowed)


def encode_fact(fact: Fact) -> JsonFact:
    """A fact as a JSON object: its kind, its location and every other field."""
    encoded: JsonFact = {"kind": fact.kind, "location": fact.location.to_json_dict()}
    for name in _field_names(fact.kind):
        value = getattr(fact, name)
        encoded[name] = list(value) if isinstance(value, tuple) else value
    return encoded


def encode_facts(facts: Iterable[Fact]) -> list[JsonFact]:
    return [encode_fact(fact) for fact in facts]


def decode_fact(encoded: object) -> Fact:
    if not isinstance(encoded, dict):
        raise FactDecodeError("a fact is not an object")
    kind = encoded.get("kind")
    if not isinstance(kind, str) or kind not in FACT_TYPES:
        raise FactDecodeError(f"unknown fact kind {kind!r}")
    fields = _field_types(kind)
    if len(encoded) != len(fields) + 2:
        raise FactDecodeError(f"fields of a {kind} fact do not match")
    values: dict[str, Any] = {"location": _decode_location(encoded.get("location"))}
    for name, allowed in fields:
        value = encoded.get(name, _MISSING)
        if type(value) not in allowed:
            raise FactDecodeError(f"field {name} of a {kind} fact is missing or of a wrong type")
        if type(value) is list:
            if not all(type(item) is str for item in value):
                raise FactDecodeError(f"field {name} of a {kind} fact is not a list of strings")
            value = tuple(value)
        values[name] = value
    return _frozen(FACT_TYPES[kind], values)


def decode_facts(encoded: object) -> list[Fact]:
    if not isinstance(encoded, list):
        raise FactDecodeError("facts are not a list")
    return [decode_fact(item) for item in encoded]


def _decode_location(value: object) -> Location:
    if not isinstance(value, dict) or not set(value) <= {"path", "line", "cell"}:
        raise FactDecodeError("a location is not an object of path, line and cell")
    path, line, cell = value.get("path"), value.get("line"), value.get("cell")
    if not isinstance(path, str) or not all(_is_line(number) for number in (line, cell)):
        raise FactDecodeError("a location has a bad path, line or cell")
    return _frozen(Location, {"path": path, "line": line, "cell": cell})


def _frozen(cls: type[T], values: dict[str, Any]) -> T:
    """An instance of a frozen dataclass from values already checked against its fields,
    set field by field as unpickling does (`__init__` would double the time of a warm scan)."""
    instance = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(instance, name, value)
    return instance


def _is_line(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


# rows: the compact form of a packed cache entry -------------------------------------------
@dataclass(frozen=True)
class _RowKind:
    """One fact kind as rows hold it: its class, its fields but the location, the JSON
    types each may decode from, and a setter per slot (location first)."""

    kind: str
    cls: type[Fact]
    names: tuple[str, ...]
    allowed: tuple[frozenset[type], ...]
    setters: tuple[Callable[[Fact, Any], None], ...]
    lists: tuple[int, ...]  # which fields are tuples, stored as JSON lists


#: Shapes of rows that checked out (the kind's number and each value's type) and their kind.
_SHAPES: dict[tuple[Any, ...], _RowKind] = {}
MAX_SHAPES = 4096


@functools.cache
def _row_kinds() -> tuple[_RowKind, ...]:
    """Every fact kind, sorted by name: a row's first value indexes this table."""
    table = []
    for kind in sorted(FACT_TYPES):
        cls, names = FACT_TYPES[kind], _field_names(kind)
        allowed = tuple(types for _, types in _field_types(kind))
        setters = tuple(inspect.getattr_static(cls, n).__set__ for n in ("location", *names))
        lists = tuple(i for i, types in enumerate(allowed) if list in types)
        table.append(_RowKind(kind, cls, names, allowed, setters, lists))
    return tuple(table)


@functools.cache
def _kind_numbers() -> dict[str, int]:
    return {row_kind.kind: number for number, row_kind in enumerate(_row_kinds())}


def row_header() -> list[list[Any]]:
    """What the rows of a pack mean: each kind and its fields, in row order. A pack whose
    header differs from this one was written by another version and is not read."""
    return [[row_kind.kind, list(row_kind.names)] for row_kind in _row_kinds()]


def encode_rows(path: str, facts: Iterable[Fact]) -> list[list[Any]]:
    """The facts of the file at `path`, one list each: the kind's number in `row_header`,
    the location's path (0 for `path` itself), line and cell, then the other fields."""
    numbers = _kind_numbers()
    rows: list[list[Any]] = []
    for fact in facts:
        where = fact.location
        row: list[Any] = [numbers[fact.kind], 0 if where.path == path else where.path]
        row += (where.line, where.cell)
        for name in _field_names(fact.kind):
            value = getattr(fact, name)
            row.append(list(value) if isinstance(value, tuple) else value)
        rows.append(row)
    return rows


def decode_rows(path: str, rows: object) -> list[Fact]:
    """`encode_rows` undone, as strictly as `decode_fact`: a row of an unknown kind, of the
    wrong length or with a value of the wrong type raises `FactDecodeError`. Rows are
    checked by the exact types of their values, once per kind and shape."""
    if type(rows) is not list:
        raise FactDecodeError("rows are not a list")
    shapes = _SHAPES
    locations: dict[tuple[Any, ...], Location] = {}
    facts: list[Fact] = []
    for row in rows:
        if type(row) is not list or not row or type(row[0]) is not int:
            raise FactDecodeError("a row is not a list that starts with a kind")
        shape = (row[0], *map(type, row))
        row_kind = shapes.get(shape) or _row_kind(row, shape)
        values = row[4:]
        for index in row_kind.lists:
            if not all(type(item) is str for item in values[index]):
                raise FactDecodeError("a row's list is not a list of strings")
            values[index] = tuple(values[index])
        fact = object.__new__(row_kind.cls)
        setters = row_kind.setters
        setters[0](fact, _row_location(path, row, locations))
        for index, value in enumerate(values, 1):
            setters[index](fact, value)
        facts.append(fact)
    return facts


def _row_kind(row: list[Any], shape: tuple[Any, ...]) -> _RowKind:
    """The kind of a row whose values have types not seen before, once they check out;
    remembered by shape (a few hundred at most from real rows, and never more than
    `MAX_SHAPES`)."""
    kinds = _row_kinds()
    if not 0 <= row[0] < len(kinds):
        raise FactDecodeError("a row of an unknown kind")
    row_kind: _RowKind = kinds[row[0]]
    if len(row) != len(row_kind.names) + 4:
        raise FactDecodeError(f"fields of a {row_kind.kind} row do not match")
    where, line, cell = row[1:4]
    if type(where) not in (str, int):
        raise FactDecodeError("a row's path is neither a string nor 0")
    if not (line is None or type(line) is int) or not (cell is None or type(cell) is int):
        raise FactDecodeError("a row has a bad line or cell")  # by exact type: no bools
    for name, types, value in zip(row_kind.names, row_kind.allowed, row[4:], strict=True):
        if type(value) not in types:
            raise FactDecodeError(f"field {name} of a {row_kind.kind} row is of a wrong type")
    if len(_SHAPES) < MAX_SHAPES:
        _SHAPES[shape] = row_kind
    return row_kind


def _row_location(path: str, row: list[Any], seen: dict[tuple[Any, ...], Location]) -> Location:
    """The location of a row (types checked by its shape), one instance per place."""
    where = row[1]
    if type(where) is int:
        if where != 0:
            raise FactDecodeError("a row's path is neither a string nor 0")
        where = path
    place = (where, row[2], row[3])
    location = seen.get(place)
    if location is None:
        values = {"path": where, "line": row[2], "cell": row[3]}
        location = seen[place] = _frozen(Location, values)
    return location
