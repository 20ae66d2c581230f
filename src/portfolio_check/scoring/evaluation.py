"""Signal evaluation, the one home of the rules both scores apply (the rubric's scorecard in
`engine.py`, the ML Test Score in `ml_test_score.py`): which signals hold over the facts, and
the evidence they give, one item per fact at the highest level any signal gives it.

A placeholder, and on the real-world side work that is not the learner's own (course
folders and course helper files, inherited and copied files: `ForeignPlaces`), proves no
more than a claim: it counts toward no signal and is shown at "claimed", with the reason.
Pure: the facts are all it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from portfolio_check.model.facts import Fact, Facts, ForeignPlaces
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.rubric import Side, Signal
from portfolio_check.model.scorecard import Evidence

#: What makes two evidence items one: the place and what the fact is.
EvidenceKey = tuple[str, int | None, int | None, str]
#: The text an evidence item shows for a fact a signal matched, given what the fact is
#: (its `describe()`).
DetailFormat = Callable[[Signal, str], str]


@dataclass(frozen=True, kw_only=True)
class SignalOutcome:
    signal: Signal
    matches: tuple[Fact, ...]
    enough: bool  # at least `min_count` matches prove their level (none is capped)
    holds: bool  # enough, and every required signal holds


def cap_reason(fact: Fact, side: Side, foreign: ForeignPlaces) -> str | None:
    """Why a fact proves no more than a claim, or None when it can prove its full level:
    a placeholder, or (on the real-world side) work that is not the learner's own."""
    if fact.placeholder:
        return fact.placeholder
    return foreign.reason(fact.path) if side == "real_world" else None


def signal_outcomes(
    signals: Iterable[Signal],
    sides: Mapping[str, Side],
    facts: Facts,
    foreign: ForeignPlaces,
) -> dict[str, SignalOutcome]:
    """Each signal's matches, and whether it holds. `sides`: the side each signal's facts
    are judged on, by signal id. Every id a signal `requires` must be among `signals` and
    form no cycle (the loaders check)."""
    by_id = {signal.id: signal for signal in signals}
    matched = {signal_id: signal.select(facts) for signal_id, signal in by_id.items()}
    enough = {
        signal_id: _proves(found, by_id[signal_id].min_count, sides[signal_id], foreign)
        for signal_id, found in matched.items()
    }

    def holds(signal_id: str) -> bool:
        return enough[signal_id] and all(holds(r) for r in by_id[signal_id].requires)

    return {
        signal_id: SignalOutcome(
            signal=by_id[signal_id],
            matches=found,
            enough=enough[signal_id],
            holds=holds(signal_id),
        )
        for signal_id, found in matched.items()
    }


def _proves(found: Iterable[Fact], min_count: int, side: Side, foreign: ForeignPlaces) -> bool:
    """Whether at least `min_count` of `found` prove their level (none is capped)."""
    proving = 0
    for fact in found:
        if proving >= min_count:
            break
        if cap_reason(fact, side, foreign) is None:
            proving += 1
    return proving >= min_count


def signal_detail(signal: Signal, described: str) -> str:
    """The rubric's wording: the signal's detail, else what the fact is."""
    return signal.detail or described


def shown_evidence(
    shown: Iterable[tuple[SignalOutcome, EvidenceLevel | None]],
    side: Side,
    foreign: ForeignPlaces,
    detail: DetailFormat = signal_detail,
    *,
    claims: bool = True,
) -> list[Evidence]:
    """One evidence item per fact, in the order first seen, at the highest level any of
    `shown` gives it (among equals, the first signal's). Each pair is a signal's outcome and
    the level its matches prove, or None when it proves nothing here; either way, a match
    that proves no more than a claim (`cap_reason`) is shown at "claimed", with the reason,
    or (`claims` False) not at all."""
    best: dict[EvidenceKey, tuple[EvidenceLevel, Signal, str | None]] = {}
    # The signals of one criterion match many of the same facts, a level up each: each fact
    # is judged and described once (by identity: `shown` holds it to the end), and each
    # item is made once, at its best level.
    judged: dict[int, tuple[str | None, EvidenceKey]] = {}
    for outcome, proves in shown:
        for fact in outcome.matches:
            known = judged.get(id(fact))
            if known is None:
                known = judged[id(fact)] = (cap_reason(fact, side, foreign), _key(fact))
            capped, key = known
            if (capped is None and proves is None) or (capped is not None and not claims):
                continue
            level = EvidenceLevel.CLAIMED if capped or proves is None else proves
            held = best.get(key)
            if held is None or held[0] < level:
                best[key] = (level, outcome.signal, capped)
    return [
        Evidence(
            path=path,
            line=line,
            cell=cell,
            detail=detail(signal, described),
            level=level,
            signal=signal.id,
            placeholder=capped,
        )
        for (path, line, cell, described), (level, signal, capped) in best.items()
    ]


def _key(fact: Fact) -> EvidenceKey:
    where = fact.location
    return (where.path, where.line, where.cell, fact.describe())
