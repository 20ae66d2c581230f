"""What a change did to the scorecard: head against base, per category and per criterion.

Pure: two Scorecards in, a Comparison out. The pull-request comment is rendered from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.scorecard import CriterionResult, Evidence, Scorecard

MAX_EVIDENCE_PER_CHANGE = 3


@dataclass(frozen=True, kw_only=True)
class CategoryChange:
    id: str
    name: str
    side: str
    before: float | None
    after: float

    @property
    def delta(self) -> float | None:
        return None if self.before is None else self.after - self.before


@dataclass(frozen=True, kw_only=True)
class CriterionChange:
    id: str
    name: str
    category: str
    before: EvidenceLevel
    after: EvidenceLevel
    before_score: float
    after_score: float
    evidence: tuple[Evidence, ...]  # what the head shows (rose) or what the base showed (fell)


@dataclass(frozen=True, kw_only=True)
class Comparison:
    head: Scorecard
    base: Scorecard | None
    categories: tuple[CategoryChange, ...]
    rose: tuple[CriterionChange, ...]
    fell: tuple[CriterionChange, ...]

    @property
    def real_world_delta(self) -> float | None:
        return (
            None if self.base is None else self.head.real_world_score - self.base.real_world_score
        )

    @property
    def certification_delta(self) -> float | None:
        if self.base is None:
            return None
        return self.head.certification_score - self.base.certification_score


def compare(head: Scorecard, base: Scorecard | None) -> Comparison:
    before = _criteria(base) if base else {}
    base_categories = {c.id: c.score for c in base.categories} if base else {}
    categories = tuple(
        CategoryChange(
            id=category.id,
            name=category.name,
            side=category.side,
            before=base_categories.get(category.id) if base else None,
            after=category.score,
        )
        for category in head.categories
    )
    rose: list[CriterionChange] = []
    fell: list[CriterionChange] = []
    for category, criterion in _pairs(head):
        old = before.get(criterion.id)
        if old is None or (
            old.level == criterion.level and abs(old.score - criterion.score) < 0.05
        ):
            continue
        went_up = (criterion.level, criterion.score) > (old.level, old.score)
        shown = criterion.evidence if went_up else old.evidence
        change = CriterionChange(
            id=criterion.id,
            name=criterion.name,
            category=category,
            before=old.level,
            after=criterion.level,
            before_score=old.score,
            after_score=criterion.score,
            evidence=tuple(shown[:MAX_EVIDENCE_PER_CHANGE]),
        )
        (rose if went_up else fell).append(change)
    return Comparison(
        head=head, base=base, categories=categories, rose=tuple(rose), fell=tuple(fell)
    )


def _pairs(card: Scorecard) -> list[tuple[str, CriterionResult]]:
    return [
        (category.name, criterion)
        for category in card.categories
        for criterion in category.criteria
    ]


def _criteria(card: Scorecard) -> dict[str, CriterionResult]:
    return {criterion.id: criterion for _, criterion in _pairs(card)}
