"""Facts about prose read for what it says: document headings and the notebook notes that
interpret an evaluation (see analyzers/writeup.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from portfolio_check.common.plural import counted
from portfolio_check.model.facts.base import Fact


@dataclass(frozen=True, kw_only=True, slots=True)
class WrittenFact(Fact):
    """Prose read for what it says (analyzers/writeup.py): the metrics it names, the
    statements that report them with precise numbers, and whether it compares, slices,
    names failures, explains, states limitations or only repeats template filler."""

    metrics: tuple[str, ...] = ()  # metric names: accuracy, f1, rmse, mrr, hit-rate, ...
    readings: int = 0  # statements (table rows included) reporting a metric with a number
    approximate: int = 0  # statements whose only numbers are hedged ("around 80%")
    results_table: bool = False  # a table that reports metrics
    compares: bool = False  # against a baseline, or one metric for several variants
    slices: bool = False  # quality per class, segment or group, with numbers
    failure_cases: bool = False  # where the model goes wrong, named
    explains: bool = False  # a reason given for a result
    caveats: int = 0  # statements of a concrete limitation
    perfect_score: bool = False  # a perfect score nothing in the text questions
    template_filler: bool = False  # mostly `[More Information Needed]`

    def content(self) -> str:
        """What the prose proves, for a person: ", 3 metric readings in a table"."""
        parts: list[str] = []
        if self.readings:
            parts.append(counted(self.readings, "metric reading"))
        elif self.approximate:
            parts.append("only approximate numbers")
        parts += [
            name
            for name, holds in (
                ("in a table", self.results_table),
                ("a comparison", self.compares),
                ("per slice", self.slices),
                ("failure cases", self.failure_cases),
            )
            if holds
        ]
        if self.perfect_score:
            parts.append("a perfect score left unquestioned")
        return f": {', '.join(parts)}" if parts else ""


@dataclass(frozen=True, kw_only=True, slots=True)
class HeadingFact(WrittenFact):
    kind: ClassVar[str] = "heading"
    text: str
    level: int
    words: int  # words of prose under the heading, up to the next heading of its level
    body: str  # that prose, shortened
    has_table: bool
    has_numbers: bool
    code_blocks: int = 0  # fenced or indented code blocks in the section
    #: Headings of the whole document that a model card or datasheet has (Model details,
    #: Intended use, Training data, Metrics, Ethical considerations, ...).
    card_sections: int = 0
    #: Command lines in its code blocks that set up, build or start the project.
    setup_commands: int = 0

    def describe(self) -> str:
        code = f" and {counted(self.code_blocks, 'code block')}" if self.code_blocks else ""
        return f"heading '{self.text}' with {counted(self.words, 'word')}{code}{self.content()}"


@dataclass(frozen=True, kw_only=True, slots=True)
class NotebookAnalysisFact(WrittenFact):
    """A notebook Markdown cell next to a code cell whose outputs report metrics: the prose
    that interprets an evaluation (or introduces it)."""

    kind: ClassVar[str] = "notebook_analysis"
    heading: str  # the nearest heading at or above the cell, "" if none
    words: int
    output_metrics: tuple[str, ...]  # metrics the neighbouring outputs report
    cites_outputs: bool  # quotes a number those outputs printed

    def describe(self) -> str:
        about = f" under '{self.heading}'" if self.heading else ""
        return f"notebook notes{about} beside evaluation output{self.content()}"
