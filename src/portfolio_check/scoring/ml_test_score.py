"""The ML Test Score (Breck et al., IEEE Big Data 2017), estimated from the files alone.

The paper's 28 tests sit in four sections of seven. A test earns half a point when it is
run by hand with documented results, a full point when a system runs it automatically and
repeatedly; each section sums its tests, and the final score is the minimum of the four
sums, read against the paper's Table V. `rubrics/ml-test-score.yaml` says, per test, which
facts show a "manual" check (the check exists as code, a notebook or a documented result)
and which an "automated" one (tests, CI, a schedule or the serving path runs it). Its
signals use the rubric syntax without `level`. This is a static estimate: nothing runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from portfolio_check.model.facts import Facts, ForeignPlaces
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.ml_test_results import (
    SECTIONS,
    MLTestEvidence,
    MLTestResult,
    MLTestScore,
    MLTestSection,
    Status,
    band_for,
)
from portfolio_check.model.ml_test_suite import MLTest, MLTestSuite
from portfolio_check.model.rubric import Side, Signal
from portfolio_check.scoring.evaluation import SignalOutcome, shown_evidence, signal_outcomes

MAX_EVIDENCE_PER_TEST = 10
#: The tests judge facts as the rubric's real-world criteria do: what is only a claim
#: there (a placeholder, work that is not the learner's own) proves no test.
SIDE: Side = "real_world"


def ml_test_score(tests: MLTestSuite, facts: Facts) -> MLTestScore:
    """Each test's status and evidence, the section sums and the final score. Pure: the
    facts are all it reads. Signals are evaluated as the rubric's real-world criteria are
    (`evaluation.py`): placeholders and work that is not the learner's own (course material,
    files inherited or copied unchanged) prove no more than a claim, which scores nothing
    here and is not listed."""
    foreign = ForeignPlaces.of(facts)
    signals = tuple(tests.signals())
    outcomes = signal_outcomes(
        signals, dict.fromkeys((s.id for s in signals), SIDE), facts, foreign
    )
    results = tuple(_result(test, tests, outcomes, foreign) for test in tests.tests)
    sections = tuple(
        MLTestSection(
            id=section,
            name=name,
            points=sum(result.points for result in results if result.section == section),
        )
        for section, _, name in SECTIONS
    )
    final = min(section.points for section in sections)
    band, description = band_for(final)
    return MLTestScore(
        tests=results, sections=sections, final=final, band=band, description=description
    )


def _result(
    test: MLTest,
    suite: MLTestSuite,
    outcomes: Mapping[str, SignalOutcome],
    foreign: ForeignPlaces,
) -> MLTestResult:
    """A test's status, and one evidence item per fact under the first signal (automated
    before manual) that shows it: the automated signals that hold with what they require,
    then the manual ones, and automated ones whose automation (`requires`) is not visible."""
    shared = {signal.id: outcomes[signal.id] for signal in suite.shared}
    automated = [outcomes[s.id] for s in test.automated if outcomes[s.id].holds]
    manual = [outcomes[s.id] for s in test.manual if outcomes[s.id].holds] + [
        outcomes[s.id] for s in test.automated if outcomes[s.id].enough and not outcomes[s.id].holds
    ]
    status: Status = "automated" if automated else "manual" if manual else "not visible"
    shown = [
        *(
            (outcome, EvidenceLevel.AUTOMATED)
            for held in automated
            for outcome in (held, *(shared[r] for r in held.signal.requires))
        ),
        *((outcome, EvidenceLevel.PRESENT) for outcome in manual),
    ]
    proved = shown_evidence(shown, SIDE, foreign, _detail, claims=False)
    return MLTestResult(
        id=test.id,
        section=test.section,
        title=test.title,
        status=status,
        evidence=tuple(
            MLTestEvidence(
                path=item.path,
                line=item.line,
                cell=item.cell,
                detail=item.detail,
                automated=item.level == EvidenceLevel.AUTOMATED,
            )
            for item in proved[:MAX_EVIDENCE_PER_TEST]
        ),
    )


def _detail(signal: Signal, described: str) -> str:
    """The signal's detail with what the fact is, or what the fact is."""
    return f"{signal.detail} ({described})" if signal.detail else described
