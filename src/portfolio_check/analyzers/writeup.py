"""What a written analysis says: results, error analysis, limitations, read for content.

A section (or a notebook's Markdown cell) is read statement by statement: each sentence of
a paragraph, each list item, each table row. This module owns the rules that turn those
statements into a `Writeup` (the words it reads with are in `writeup_vocabulary`):

- `metrics`: the evaluation metrics it names (accuracy, F1, RMSE, MRR, hit rate, AUC, ...).
- `readings`: statements that report a metric with a precise number ("F1 0.87", a table
  row under an "F1" column). `approximate` counts those whose only numbers are hedged
  ("around 75-80% accuracy", "~$10,000 MAE"): a claim, not a measurement.
- `results_table`: a table that reports metrics.
- `compares`: results set against a baseline or between variants: a statement naming a
  baseline or comparing ("vs", "outperforms") with a number in it, or one metric reported
  with different values.
- `slices`: quality per class, segment or group: slice words in a statement with a number,
  or in a heading or table header of a section that reports metrics.
- `failure_cases`: where the model goes wrong, named (misclassified, false negatives,
  the worst class, fails on ...).
- `explains`: a reason given for a result ("lower, possibly because ...").
- `caveats`: statements of a concrete limitation: what the model was not trained or
  tested on, inputs it should not be used for, bias, drift, a small sample.
- `perfect_score`: a perfect score (accuracy 1.00, AUC 100%) that nothing in the text
  questions (leakage, overfitting): a reviewer reads that as a warning, not a result.
- `template_filler`: most statements are template filler (`[More Information Needed]`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from portfolio_check.analyzers.markdown import Block, plain
from portfolio_check.analyzers.writeup_vocabulary import (
    HEDGE_SIGNS,
    HEDGE_WORDS,
    HIGHER_IS_BETTER,
    METRIC,
    METRIC_NAMED,
    METRIC_NAMES,
    NOT_SLICES,
    NUMBER,
    RANGE_SIGNS,
    SAYS,
    SENTENCE_END,
    SEPARATOR,
)

#: Statements longer than this are read up to here (a paragraph without full stops).
MAX_STATEMENT_CHARS = 2000
#: Table columns read (a results table has a handful; thousands are crafted).
MAX_COLUMNS = 64
#: Metric names kept on a fact.
MAX_METRICS = 12
#: Values remembered per metric, to tell "reported with different values".
MAX_VALUES = 16


@dataclass(frozen=True, kw_only=True, slots=True)
class Writeup:
    """What one section or Markdown cell says; see the module docstring."""

    metrics: tuple[str, ...] = ()
    readings: int = 0
    approximate: int = 0
    results_table: bool = False
    compares: bool = False
    slices: bool = False
    failure_cases: bool = False
    explains: bool = False
    caveats: int = 0
    perfect_score: bool = False
    template_filler: bool = False

    def fields(self) -> dict[str, Any]:
        """The fields by name, as the facts that carry them spell them."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True, kw_only=True, slots=True)
class Value:
    number: float
    decimals: int  # digits after the point, to compare a quoted value with a printed one
    percent: bool
    hedged: bool


@dataclass(kw_only=True, slots=True)
class Passage:
    """What the statements of one block say, kept so that sections merge them cheaply."""

    metrics: set[str] = field(default_factory=set)
    values: dict[str, set[float]] = field(default_factory=dict)  # precise values per metric
    readings: int = 0
    approximate: int = 0
    table_readings: int = 0
    compares: bool = False
    slice_numbers: bool = False  # slice words in a statement with a number
    slice_words: bool = False  # slice words anywhere (a heading, a table header)
    failure_cases: bool = False
    explains: bool = False
    caveats: int = 0
    perfect: bool = False
    questioned: bool = False
    statements: int = 0
    filler: int = 0


def read_blocks(blocks: Iterable[Block]) -> Writeup:
    """The reading of a run of blocks (a section, a notebook cell)."""
    return combine(read_block(block) for block in blocks)


def read_block(block: Block) -> Passage:
    passage = Passage()
    if block.kind == "table":
        _read_table(block.rows, passage)
    elif block.kind in ("paragraph", "heading"):
        for statement in statements(block.text):
            _read_statement(statement, passage, heading=block.kind == "heading")
    return passage


def statements(inline: str) -> Iterator[str]:
    """Sentences, clauses after `;` and list-like lines of a paragraph, as plain text."""
    for part in SENTENCE_END.split(inline):
        text = " ".join(plain(part[:MAX_STATEMENT_CHARS]).split())
        if text:
            yield text


def combine(passages: Iterable[Passage]) -> Writeup:
    merged = Passage()
    for passage in passages:
        _merge(merged, passage)
    repeated = any(len(values) > 1 for values in merged.values.values())
    return Writeup(
        metrics=tuple(sorted(merged.metrics))[:MAX_METRICS],
        readings=merged.readings,
        approximate=merged.approximate,
        results_table=merged.table_readings > 0,
        compares=merged.compares or repeated,
        slices=merged.slice_numbers or (merged.slice_words and merged.readings > 0),
        failure_cases=merged.failure_cases,
        explains=merged.explains,
        caveats=merged.caveats,
        perfect_score=merged.perfect and not merged.questioned,
        template_filler=merged.filler > 0 and 2 * merged.filler >= merged.statements,
    )


def _merge(into: Passage, passage: Passage) -> None:
    into.metrics |= passage.metrics
    for metric, values in passage.values.items():
        known = into.values.setdefault(metric, set())
        known |= set(list(values)[: max(0, MAX_VALUES - len(known))])
    into.readings += passage.readings
    into.approximate += passage.approximate
    into.table_readings += passage.table_readings
    into.compares |= passage.compares
    into.slice_numbers |= passage.slice_numbers
    into.slice_words |= passage.slice_words
    into.failure_cases |= passage.failure_cases
    into.explains |= passage.explains
    into.caveats += passage.caveats
    into.perfect |= passage.perfect
    into.questioned |= passage.questioned
    into.statements += passage.statements
    into.filler += passage.filler


def metrics_in(text: str) -> list[tuple[str, int, int]]:
    """(metric, start, end) of every metric name in `text`."""
    found = []
    for match in METRIC.finditer(text):
        named = METRIC_NAMED.fullmatch(match.group(0))
        if named is not None and named.lastgroup is not None:
            found.append((METRIC_NAMES[int(named.lastgroup[1:])], match.start(), match.end()))
    return found


def values_in(text: str, names: Sequence[tuple[int, int]] = ()) -> list[Value]:
    """The numbers of a statement that can be a metric's value: decimals and percentages
    anywhere, whole numbers right after a metric name ("RMSE: 23000"), years never.
    `names` holds the spans of metric names (the 1 of F1 is not a value)."""
    found: list[Value] = []
    previous_hedged = False
    for match in NUMBER.finditer(text):
        start = match.start()
        if any(low <= start < high for low, high in names):
            continue
        value = _value(match.group(0), text[max(0, start - 24) : start], previous_hedged)
        if value is None:
            continue
        # a range's first number may be a whole number that is no value itself ("75-80%")
        previous_hedged = value.hedged
        if value.percent or value.decimals or _follows_name(text, start, names):
            found.append(value)
    return found


def _value(token: str, before: str, previous_hedged: bool) -> Value | None:
    percent = token.endswith("%")
    digits = token.rstrip("% ").replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    try:
        number = float(digits)
    except ValueError:  # digits Python does not read as a number
        return None
    if not percent and not decimals and 1900 <= number <= 2100:
        return None  # a year
    # the second number of a range ("75-80%") is as hedged as the first
    tail = before.rstrip().rstrip("$").rstrip().lower()
    hedged = _hedged(tail) or (previous_hedged and _continues_range(tail))
    return Value(number=number, decimals=decimals, percent=percent, hedged=hedged)


def _hedged(tail: str) -> bool:
    """Whether the text before a number ends in an estimate's word or sign. Plain string
    tests: this runs for every number of every statement."""
    if tail.endswith(HEDGE_SIGNS):
        return True
    return any(
        tail.endswith(word) and not tail[: -len(word)][-1:].isalnum() for word in HEDGE_WORDS
    )


def _continues_range(tail: str) -> bool:
    """Whether the text before a number is the first half of a range: `75-`, `0.5 to`."""
    sign = next((sign for sign in RANGE_SIGNS if tail.endswith(sign)), None)
    if sign is None:
        return False
    first = tail[: -len(sign)].rstrip().rstrip("%").rstrip()
    return first[-1:].isdigit()


def _follows_name(text: str, start: int, names: Sequence[tuple[int, int]]) -> bool:
    """A number right after a metric name and a separator: `MAE: 1200`, `RMSE = 23`."""
    return any(0 <= start - end <= 8 and SEPARATOR.fullmatch(text[end:start]) for _, end in names)


def said(text: str) -> set[str]:
    """The kinds of `SAYS` a statement holds: compare, slice, failure, explains,
    questioned, caveat, filler."""
    return {match.lastgroup for match in SAYS.finditer(text.lower()) if match.lastgroup}


def _read_statement(text: str, passage: Passage, *, heading: bool = False) -> None:
    passage.statements += 1
    named = metrics_in(text)
    values = values_in(text, [(start, end) for _, start, end in named])
    precise = [value for value in values if not value.hedged]
    metrics = {name for name, _, _ in named}
    passage.metrics |= metrics
    if metrics and precise:
        passage.readings += 1
        for metric in metrics:
            _remember(passage, metric, precise)
        passage.perfect |= bool(metrics & HIGHER_IS_BETTER) and any(map(_is_perfect, precise))
    elif metrics and values:
        passage.approximate += 1
    kinds = said(text)
    passage.compares |= bool(precise) and "compare" in kinds
    if "slice" in kinds:
        passage.slice_words = True
        passage.slice_numbers |= bool(values) and not heading
    passage.failure_cases |= "failure" in kinds
    passage.explains |= "explains" in kinds and bool(metrics or kinds & {"compare", "failure"})
    passage.caveats += bool(kinds & {"caveat", "failure"})
    passage.questioned |= "questioned" in kinds
    passage.filler += "filler" in kinds


def _read_table(rows: Sequence[Sequence[str]], passage: Passage) -> None:
    """A table: the header names columns, each body row is a statement; a number under a
    metric's column (or in a row that names a metric) is a reading of that metric. Rows
    read under a metric's column are slices (classes, segments, plans) unless the first
    column names models, runs, splits or metrics."""
    if not rows:
        return
    header = [_cell(cell) for cell in rows[0][:MAX_COLUMNS]]
    columns = [{name for name, _, _ in metrics_in(cell)} for cell in header]
    _read_statement(" | ".join(header), passage, heading=True)
    measured_rows = 0
    for row in rows[1:]:
        before = passage.readings
        measured_rows += _read_row([_cell(cell) for cell in row[:MAX_COLUMNS]], columns, passage)
        if passage.readings > before:
            passage.table_readings += 1
    if measured_rows >= 2 and header and not NOT_SLICES.fullmatch(header[0]):
        passage.slice_numbers = True


def _read_row(cells: Sequence[str], columns: Sequence[set[str]], passage: Passage) -> bool:
    """Read one body row; whether it holds a number under a metric's column."""
    before = passage.readings
    _read_statement(" | ".join(cells), passage)
    measured = False
    for column, cell in enumerate(cells):
        metrics = columns[column] if column < len(columns) else set()
        precise = [value for value in values_in(cell) if not value.hedged]
        if not (metrics and precise):
            continue
        measured = True
        passage.metrics |= metrics
        for metric in metrics:
            _remember(passage, metric, precise)
        passage.perfect |= bool(metrics & HIGHER_IS_BETTER) and any(map(_is_perfect, precise))
    if measured and passage.readings == before:
        passage.readings += 1
    return measured


def _cell(text: str) -> str:
    return " ".join(plain(text[:MAX_STATEMENT_CHARS]).split())


def _remember(passage: Passage, metric: str, values: Sequence[Value]) -> None:
    known = passage.values.setdefault(metric, set())
    for value in values:
        if len(known) < MAX_VALUES:
            known.add(_as_fraction(value))


def _as_fraction(value: Value) -> float:
    return round(value.number / 100 if value.percent else value.number, 6)


def _is_perfect(value: Value) -> bool:
    return (value.percent and value.number == 100) or (
        not value.percent and value.decimals > 0 and value.number == 1
    )


def cited(quoted: Iterable[Value], printed: Iterable[float]) -> bool:
    """Whether a number quoted in prose is one an output printed, as rounded for the text:
    `0.87` or `87%` quotes a printed 0.8712, `0.8712` quotes itself."""
    printed = list(printed)
    for value in quoted:
        if value.hedged or not (value.decimals or value.percent):
            continue
        for number in printed:
            candidates = (number, number * 100) if value.percent else (number,)
            if any(round(candidate, value.decimals) == value.number for candidate in candidates):
                return True
    return False


def printed_numbers(text: str, limit: int) -> list[float]:
    """Up to `limit` decimal numbers an output printed."""
    found: list[float] = []
    for match in NUMBER.finditer(text):
        token = match.group(0).rstrip("% ").replace(",", "")
        if "." in token:
            found.append(float(token))
            if len(found) >= limit:
                break
    return found


def metric_lines(text: str) -> set[str]:
    """Metrics an output reports: named on a line that holds a number, or on a header
    line (`precision  recall  f1-score`) followed by lines of numbers."""
    found: set[str] = set()
    header: set[str] = set()
    for line in text.splitlines():
        named = metrics_in(line)
        numbers = values_in(line, [(start, end) for _, start, end in named])
        if named and numbers:
            found |= {name for name, _, _ in named}
        elif named:
            header = {name for name, _, _ in named}
        if numbers:
            found |= header
            header = set()
    return found


def quoted_values(blocks: Iterable[Block]) -> list[Value]:
    """The numbers quoted in the prose of some blocks (for `cited`)."""
    found: list[Value] = []
    for block in blocks:
        texts = [" | ".join(row) for row in block.rows] if block.kind == "table" else [block.text]
        for text in texts:
            found.extend(values_in(plain(text[:MAX_STATEMENT_CHARS])))
    return found
