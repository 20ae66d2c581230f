"""Geometry of the scorecard's inline SVG charts, computed here so templates only draw.

Three charts, none needing a library or a script: the quadrant that places the repository
by its two scores, one bar chart per side of the rubric, and the five-step ladder that
shows how deep a criterion's evidence goes. Every chart also has a text alternative in
the template (a data table or a label), so colour and shape never carry meaning alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.scorecard import CategoryResult

Anchor = Literal["start", "middle", "end"]

#: The quadrant's plot area in its 320 x 300 viewBox: room for the axis titles left and below.
PLOT_LEFT, PLOT_TOP, PLOT_SIZE = 34.0, 8.0, 262.0


@dataclass(frozen=True, kw_only=True)
class QuadrantLabel:
    lines: tuple[str, str]  # two short lines: a quadrant is a sixth of a phone wide
    x: float
    y: float


@dataclass(frozen=True, kw_only=True)
class Quadrant:
    """The repository as a point: x is real-world evidence, y certification-only, 0-100."""

    real_world: int
    certification: int
    point_x: float
    point_y: float
    label_x: float
    label_y: float
    label_anchor: Anchor
    labels: tuple[QuadrantLabel, ...]
    left: float = PLOT_LEFT
    top: float = PLOT_TOP
    size: float = PLOT_SIZE

    @property
    def middle_x(self) -> float:
        return self.left + self.size / 2

    @property
    def middle_y(self) -> float:
        return self.top + self.size / 2


def _plot_x(score: float) -> float:
    return PLOT_LEFT + PLOT_SIZE * _clamp(score) / 100


def _plot_y(score: float) -> float:
    return PLOT_TOP + PLOT_SIZE * (1 - _clamp(score) / 100)


def _clamp(score: float) -> float:
    return min(100.0, max(0.0, score))


def quadrant(real_world: float, certification: float) -> Quadrant:
    """Most repositories score 0 on one side, so they sit on an edge of the plot: the four
    quadrant names sit away from the edges (top quadrants at the top, bottom ones just
    under the middle line), and the point's own label leans towards the centre."""
    x, y = round(real_world), round(certification)
    anchor: Anchor
    if x > 60:
        label_x, anchor = _plot_x(x) - 12, "end"
    elif x < 40:
        label_x, anchor = _plot_x(x) + 12, "start"
    else:
        label_x, anchor = _plot_x(x), "middle"
    label_y = _plot_y(y) - 14 if y < 50 else _plot_y(y) + 24
    labels = (
        QuadrantLabel(lines=("Mostly", "coursework"), x=_plot_x(25), y=_plot_y(93)),
        QuadrantLabel(lines=("Coursework", "and practice"), x=_plot_x(75), y=_plot_y(93)),
        QuadrantLabel(lines=("Little", "evidence yet"), x=_plot_x(25), y=_plot_y(43)),
        QuadrantLabel(lines=("Mostly", "real-world"), x=_plot_x(75), y=_plot_y(43)),
    )
    return Quadrant(
        real_world=x,
        certification=y,
        point_x=_plot_x(x),
        point_y=_plot_y(y),
        label_x=label_x,
        label_y=label_y,
        label_anchor=anchor,
        labels=labels,
    )


#: Height of one bar chart row (a name line, then the bar), in CSS pixels.
BAR_ROW_HEIGHT = 40


@dataclass(frozen=True, kw_only=True)
class BarRow:
    """One category of a bar chart; the chart's x axis is in percent of its width."""

    name: str
    score: int | None  # None: left out of the score, for the reason `unscored` gives
    weight: float
    level: EvidenceLevel
    text_y: int
    bar_y: int
    unscored: str = "unknown"  # "unknown" (the target cannot show it) or "not applicable"


@dataclass(frozen=True, kw_only=True)
class BarChart:
    rows: tuple[BarRow, ...]
    height: int


def bar_chart(categories: tuple[CategoryResult, ...]) -> BarChart:
    rows = tuple(
        BarRow(
            name=category.name,
            score=round(category.score) if category.counted else None,
            unscored="not applicable" if category.not_applicable else "unknown",
            weight=category.weight,
            level=deepest_level(category),
            text_y=index * BAR_ROW_HEIGHT + 16,
            bar_y=index * BAR_ROW_HEIGHT + 24,
        )
        for index, category in enumerate(categories)
    )
    return BarChart(rows=rows, height=len(rows) * BAR_ROW_HEIGHT)


def deepest_level(category: CategoryResult) -> EvidenceLevel:
    """How deep the category's best evidence goes (its score says how complete it is)."""
    levels = [criterion.level for criterion in category.criteria if not criterion.inconclusive]
    return max(levels, default=EvidenceLevel.ABSENT)


@dataclass(frozen=True, kw_only=True)
class LadderStep:
    level: EvidenceLevel
    x: int
    y: int
    height: int
    reached: bool


#: The ladder's box: five steps of rising height, like a signal-strength icon.
LADDER_WIDTH, LADDER_HEIGHT = 44, 16


def ladder(level: EvidenceLevel) -> tuple[LadderStep, ...]:
    """Five steps, absent to automated; the steps up to `level` are filled."""
    return tuple(
        LadderStep(
            level=step,
            x=step.value * 9,
            y=LADDER_HEIGHT - (4 + step.value * 3),
            height=4 + step.value * 3,
            reached=step <= level,
        )
        for step in EvidenceLevel
    )
