"""Written analysis inside notebooks: Markdown cells next to evaluation output.

A notebook's write-up lives beside its numbers: a code cell prints a classification report
or a table of scores, and the Markdown cell after it (or before it) says what they mean.
Such a cell is written analysis, read by the same rules as a README section (`writeup`),
plus whether it quotes a number the output printed (`cites_outputs`). Markdown far from any
evaluation output (a lab's instructions, a tutorial's narration) is not read here.

An output is an evaluation when a line of it names a metric next to a number. Outputs are
read up to `MAX_OUTPUT_CHARS` per cell, Markdown up to `MAX_NOTES_CHARS` per notebook, and
at most `MAX_NOTES` facts come from one notebook.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from portfolio_check.analyzers.markdown import Block, count_words, parse, plain
from portfolio_check.analyzers.writeup import (
    cited,
    metric_lines,
    printed_numbers,
    quoted_values,
    read_blocks,
)
from portfolio_check.facts import NotebookAnalysisFact
from portfolio_check.snapshot import Location

MAX_OUTPUT_CHARS = 16 * 1024
MAX_NOTES_CHARS = 256 * 1024
MAX_NOTES = 50
MAX_PRINTED_NUMBERS = 200


@dataclass(frozen=True, kw_only=True, slots=True)
class Evaluation:
    """What one code cell's outputs report."""

    metrics: tuple[str, ...]
    numbers: tuple[float, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class CellView:
    """A cell as this module needs it: Markdown source, or a code cell's evaluation."""

    number: int  # 1-based cell number
    markdown: str | None = None  # the source of a Markdown cell
    evaluation: Evaluation | None = None  # for a code cell whose outputs report metrics


def evaluation(output_text: str) -> Evaluation | None:
    """The metrics and numbers an output shows, or None when it shows no metric."""
    text = output_text[:MAX_OUTPUT_CHARS]
    metrics = metric_lines(text)
    if not metrics:
        return None
    return Evaluation(
        metrics=tuple(sorted(metrics)), numbers=tuple(printed_numbers(text, MAX_PRINTED_NUMBERS))
    )


def notes(path: str, cells: Sequence[CellView]) -> Iterator[NotebookAnalysisFact]:
    """A fact for each Markdown cell with prose right before or after an evaluation."""
    budget = MAX_NOTES_CHARS
    heading = ""
    emitted = 0
    for index, cell in enumerate(cells):
        if cell.markdown is None or budget <= 0:
            continue
        beside = [
            near.evaluation
            for near in (cells[index - 1] if index else None, _at(cells, index + 1))
            if near is not None and near.evaluation is not None
        ]
        source = cell.markdown[:budget]
        budget -= len(source)
        blocks = parse(source).blocks
        titles = [block.text for block in blocks if block.kind == "heading"]
        if beside and emitted < MAX_NOTES:
            fact = _fact(path, cell.number, blocks, beside, plain(titles[0]) if titles else heading)
            if fact is not None:
                emitted += 1
                yield fact
        if titles:
            heading = plain(titles[-1])


def _at(cells: Sequence[CellView], index: int) -> CellView | None:
    return cells[index] if index < len(cells) else None


def _fact(
    path: str, number: int, blocks: Sequence[Block], beside: Sequence[Evaluation], heading: str
) -> NotebookAnalysisFact | None:
    prose = [block for block in blocks if block.kind in ("paragraph", "table", "heading")]
    if not count_words(block for block in prose if block.kind != "heading"):
        return None  # a title for the cells below, not a reading of them
    words = count_words(prose)
    printed = [value for evaluation in beside for value in evaluation.numbers]
    return NotebookAnalysisFact(
        location=Location(path=path, cell=number),
        heading=heading[:200],
        words=words,
        output_metrics=tuple(sorted({m for evaluation in beside for m in evaluation.metrics})),
        cites_outputs=cited(quoted_values(prose), printed),
        **read_blocks(prose).fields(),
    )
