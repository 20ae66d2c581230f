"""Written analysis inside notebooks: Markdown cells next to evaluation output.

A notebook's write-up lives beside its numbers: a code cell prints a classification report
or a table of scores, and the Markdown cell after it (or before it) says what they mean.
Such a cell is written analysis, read by the same rules as a README section (`writeup`),
plus whether it quotes a number the output printed (`cites_outputs`). Markdown far from any
evaluation output (a lab's instructions, a tutorial's narration) is not read here.

An output is an evaluation when a line of it names a metric next to a number. Outputs are
read up to `MAX_OUTPUT_CHARS` per cell and for the first `MAX_OUTPUTS_READ` cells with
output, Markdown up to `MAX_NOTES_CHARS` per notebook, and at most `MAX_NOTES` facts come
from one notebook.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from portfolio_check.analyzers.markdown import Block, count_words, parse, plain
from portfolio_check.analyzers.writeup import (
    cited,
    metric_lines,
    printed_numbers,
    quoted_values,
    read_blocks,
)
from portfolio_check.model.facts import NotebookAnalysisFact
from portfolio_check.model.location import Location

MAX_OUTPUT_CHARS = 16 * 1024
MAX_OUTPUTS_READ = 300
MAX_NOTES_CHARS = 256 * 1024
MAX_NOTES = 50
MAX_PRINTED_NUMBERS = 200
HEADING_LOOKBACK = 8


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
    """A fact for each Markdown cell with prose right before or after an evaluation. Only
    those cells, and the few above them that hold their heading, are parsed: most
    notebooks print no metrics, and their Markdown costs nothing here."""
    reader = _Reader(cells=cells)
    emitted = 0
    for index, cell in enumerate(cells):
        beside = [near.evaluation for near in _neighbours(cells, index) if near.evaluation]
        if cell.markdown is None or not beside or emitted >= MAX_NOTES:
            continue
        blocks = reader.blocks(index)
        if blocks is None:
            break  # the notebook's Markdown budget is spent
        fact = _fact(path, cell.number, blocks, beside, reader.heading(index))
        if fact is not None:
            emitted += 1
            yield fact


@dataclass(kw_only=True)
class _Reader:
    """Markdown cells parsed on demand, once, within the notebook's budget."""

    cells: Sequence[CellView]
    budget: int = MAX_NOTES_CHARS
    parsed: dict[int, tuple[Block, ...]] = field(default_factory=dict)

    def blocks(self, index: int) -> tuple[Block, ...] | None:
        if index not in self.parsed:
            source = self.cells[index].markdown or ""
            if self.budget <= 0:
                return None
            self.budget -= len(source[: self.budget])
            self.parsed[index] = parse(source[:MAX_NOTES_CHARS]).blocks
        return self.parsed[index]

    def heading(self, index: int) -> str:
        """The cell's own first heading, else the last one of the nearest Markdown cells
        above it (looking back at most HEADING_LOOKBACK cells)."""
        own = self._titles(index)
        if own:
            return own[0]
        for above in range(index - 1, max(-1, index - 1 - HEADING_LOOKBACK), -1):
            titles = self._titles(above) if self.cells[above].markdown is not None else []
            if titles:
                return titles[-1]
        return ""

    def _titles(self, index: int) -> list[str]:
        blocks = self.blocks(index) or ()
        return [plain(block.text) for block in blocks if block.kind == "heading"]


def _neighbours(cells: Sequence[CellView], index: int) -> list[CellView]:
    return [cells[near] for near in (index - 1, index + 1) if 0 <= near < len(cells)]


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
