"""The rubric's model: the frozen dataclasses a loaded rubric is made of.

A rubric lists categories (each on the real-world or the certification side) of weighted
criteria. A criterion is proved by signals: declarative matchers over facts that each say
which evidence level they prove. Loading, merging and validating them is `rubric`'s job.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Literal

from portfolio_check.model.conditions import Condition, select
from portfolio_check.model.content_query import ContentQuery
from portfolio_check.model.facts import Fact, Facts
from portfolio_check.model.levels import EvidenceLevel

Side = Literal["real_world", "certification"]
Scoring = Literal["levels", "share", "line-share", "presence"]


@dataclass(frozen=True, kw_only=True)
class Signal:
    id: str
    level: EvidenceLevel
    fact_kind: str
    where: tuple[Condition, ...]
    requires: tuple[str, ...] = ()
    min_count: int = 1
    detail: str | None = None
    query: ContentQuery | None = None  # set for `file: {contains: ...}` signals

    def matches(self, fact: Fact) -> bool:
        return all(condition.holds(fact) for condition in self.where)

    def select(self, facts: Facts) -> tuple[Fact, ...]:
        """The facts this signal matches, in their order (as `matches` on each fact of its
        kind, but each test runs once per distinct field value)."""
        return select(facts, self.fact_kind, self.where)


@dataclass(frozen=True, kw_only=True)
class Criterion:
    id: str
    name: str
    weight: float
    remediation: Mapping[EvidenceLevel, str]  # what to do to reach each level
    signals: tuple[Signal, ...]
    description: str = ""
    max_level: EvidenceLevel = EvidenceLevel.AUTOMATED
    scoring: Scoring = "levels"
    effort: int = 2  # 1 an hour's work, 2 an afternoon, 3 days: next steps favour cheap gains

    def remediation_for(self, level: EvidenceLevel) -> str:
        """The advice for the next level above `level` that the rubric has advice for."""
        ahead = [target for target in sorted(self.remediation) if target > level]
        return self.remediation[ahead[0] if ahead else max(self.remediation)]


@dataclass(frozen=True, kw_only=True)
class Category:
    id: str
    name: str
    side: Side
    weight: float
    criteria: tuple[Criterion, ...]
    description: str = ""
    #: the project kind this category judges; for a repository of another kind it is not
    #: applicable (an ML-only category in a repository with no ML in it)
    applies_to: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProjectKind:
    """What a repository is (an ML project), read from its facts: any signal holding."""

    id: str
    name: str
    signals: tuple[Signal, ...]


@dataclass(frozen=True, kw_only=True)
class CriterionLevel:
    """Evidence for a claim: a criterion that reached at least this level."""

    criterion: str
    min_level: EvidenceLevel


@dataclass(frozen=True, kw_only=True)
class ClaimRule:
    """A tool or practice a README may claim (Docker, MLflow, monitoring), and what in the
    repository backs the claim: any of its signals, named signals or criterion levels."""

    id: str
    name: str
    query: ContentQuery  # the README lines that make the claim
    criterion: str  # where an unmet claim shows as "claimed"
    signals: tuple[Signal, ...] = ()
    signal_ids: tuple[str, ...] = ()
    criteria: tuple[CriterionLevel, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Grade:
    min: float
    grade: str
    label: str = ""


#: How good a grade is among the rubric's grades, for colour: reports never print a low
#: grade the way they print a high one.
GradeTone = Literal["high", "middle", "low"]


@dataclass(frozen=True, kw_only=True)
class Profile:
    """A plain-language place for a repository, from its two scores (first match wins)."""

    id: str
    name: str
    learner: str  # a paragraph for the learner: what the scores say and what to do
    reviewer: str  # one line for a hiring reviewer
    real_world: tuple[float, float] = (0, 100)  # inclusive score range
    certification: tuple[float, float] = (0, 100)
    missing_kinds: tuple[str, ...] = ()  # fits only a repository of none of these kinds

    def fits(self, real_world: float, certification: float, kinds: AbstractSet[str]) -> bool:
        return (
            self.real_world[0] <= real_world <= self.real_world[1]
            and self.certification[0] <= certification <= self.certification[1]
            and not any(kind in kinds for kind in self.missing_kinds)
        )


@dataclass(frozen=True, kw_only=True)
class Rubric:
    id: str
    version: str
    name: str
    description: str
    source: str
    categories: tuple[Category, ...]
    level_scores: tuple[float, ...]  # indexed by EvidenceLevel
    grades: tuple[Grade, ...]
    profiles: tuple[Profile, ...] = ()
    project_kinds: tuple[ProjectKind, ...] = ()
    claims: tuple[ClaimRule, ...] = ()

    def signals(self) -> Iterator[Signal]:
        """The signals of the criteria: what scores."""
        for category in self.categories:
            for criterion in category.criteria:
                yield from criterion.signals

    def matchers(self) -> Iterator[Signal]:
        """Every signal the engine evaluates: the criteria's, and those that tell the project
        kind or back a README claim (they score nothing themselves)."""
        yield from self.signals()
        for kind in self.project_kinds:
            yield from kind.signals
        for claim in self.claims:
            yield from claim.signals

    @property
    def content_queries(self) -> tuple[ContentQuery, ...]:
        queries = [signal.query for signal in self.matchers() if signal.query is not None]
        return (*queries, *(claim.query for claim in self.claims))

    def profile_for(
        self, real_world: float, certification: float, kinds: AbstractSet[str] = frozenset()
    ) -> Profile | None:
        return next((p for p in self.profiles if p.fits(real_world, certification, kinds)), None)

    def grade_for(self, score: float) -> Grade:
        for grade in sorted(self.grades, key=lambda g: g.min, reverse=True):
            if score >= grade.min:
                return grade
        return Grade(min=0, grade="-")

    def grade_tone(self, score: float) -> GradeTone:
        """The grade's place among the rubric's grades, best first: the top third of the
        ladder is high, the bottom third low (ml-portfolio: A and B high, C middle, D and E
        low). A rubric's own grade letters need no colour of their own."""
        ladder = sorted(self.grades, key=lambda g: g.min, reverse=True)
        grade = self.grade_for(score)
        if grade not in ladder:
            return "low"  # below every grade
        position = ladder.index(grade) / max(1, len(ladder) - 1)  # 0 best .. 1 worst
        return "high" if position < 1 / 3 else "middle" if position <= 2 / 3 else "low"
