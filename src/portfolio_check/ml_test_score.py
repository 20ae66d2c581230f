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

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from portfolio_check.analyzers.base import ContentQuery
from portfolio_check.errors import RubricError
from portfolio_check.evaluation import SignalOutcome, shown_evidence, signal_outcomes
from portfolio_check.facts import Fact, Facts, ForeignPlaces
from portfolio_check.levels import EvidenceLevel
from portfolio_check.ml_test_results import (
    SECTIONS,
    TESTS_PER_SECTION,
    MLTestEvidence,
    MLTestResult,
    MLTestScore,
    MLTestSection,
    Section,
    Status,
    band_for,
)
from portfolio_check.resources import json_schema, rubrics_dir
from portfolio_check.rubric import build_signal, display_source, is_packaged, read_document
from portfolio_check.rubric_model import Side, Signal
from portfolio_check.rubric_schema import validate_document

SignalKind = Literal["manual", "automated"]

DEFAULT_ML_TESTS = "ml-test-score"
ML_TESTS_SCHEMA = "ml-tests.schema.json"  # the shipped schema of the tests' file
MAX_EVIDENCE_PER_TEST = 10
#: The evidence level each kind of signal is built with (a manual check is a real artefact).
SIGNAL_LEVELS: Mapping[SignalKind, EvidenceLevel] = {
    "manual": EvidenceLevel.PRESENT,
    "automated": EvidenceLevel.AUTOMATED,
}
#: The tests judge facts as the rubric's real-world criteria do: what is only a claim
#: there (a placeholder, work that is not the learner's own) proves no test.
SIDE: Side = "real_world"


# the tests, as loaded -------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class MLTest:
    """One of the 28 tests, with the signals that show it run by hand or automatically."""

    id: str  # D1-D7, M1-M7, I1-I7, Mo1-Mo7
    section: Section
    title: str
    manual: tuple[Signal, ...]
    automated: tuple[Signal, ...]
    static: str = ""  # the catalogue's visibility: H, P, L, N or a pair such as "P/L"


@dataclass(frozen=True, kw_only=True)
class MLTestSuite:
    id: str
    version: str
    source: str  # the file it was loaded from, as errors name it
    tests: tuple[MLTest, ...]
    shared: tuple[Signal, ...] = ()  # signals that tests `require`; they score nothing

    def signals(self) -> Iterator[Signal]:
        yield from self.shared
        for test in self.tests:
            yield from test.manual
            yield from test.automated

    @property
    def content_queries(self) -> tuple[ContentQuery, ...]:
        return tuple(signal.query for signal in self.signals() if signal.query is not None)


# loading --------------------------------------------------------------------------------
def load_ml_tests(path: str | os.PathLike[str] | None = None) -> MLTestSuite:
    """The ML Test Score's tests from `path`, or the file that ships with the tool. Every
    error names the file and the key path (`tests[D7].automated[0].where.covers`)."""
    file = Path(path) if path is not None else rubrics_dir() / f"{DEFAULT_ML_TESTS}.yaml"
    source = display_source(file)
    document = read_document(file)
    if not is_packaged(file):  # the shipped file is validated by the test suite, as rubrics are
        validate_document(document, json_schema(ML_TESTS_SCHEMA), source, by_id=True)
    return _build(document, source)


@cache
def default_ml_tests() -> MLTestSuite:
    return load_ml_tests()


def _build(document: Mapping[str, Any], source: str) -> MLTestSuite:
    shared = tuple(
        build_signal(item, f"signals[{item['id']}]", source, item["id"], level=EvidenceLevel.WIRED)
        for item in document.get("signals", [])
    )
    tests = tuple(_test(item, source) for item in document["tests"])
    suite = MLTestSuite(
        id=document["id"],
        version=str(document["version"]),
        source=source,
        tests=tests,
        shared=shared,
    )
    _check(suite, source)
    return suite


def _test(item: Mapping[str, Any], source: str) -> MLTest:
    test_id = item["id"]

    def signals(kind: SignalKind) -> tuple[Signal, ...]:
        return tuple(
            build_signal(
                signal,
                f"tests[{test_id}].{kind}[{index}]",
                source,
                f"mts.{test_id.lower()}.{kind}.{index + 1}",
                level=SIGNAL_LEVELS[kind],
            )
            for index, signal in enumerate(item[kind])
        )

    return MLTest(
        id=test_id,
        section=item["section"],
        title=item["title"],
        manual=signals("manual"),
        automated=signals("automated"),
        static=item.get("static", ""),
    )


def _check(suite: MLTestSuite, source: str) -> None:
    sections = {prefix: section for section, prefix, _ in SECTIONS}
    seen: set[str] = set()
    for test in suite.tests:
        if test.id in seen:
            raise RubricError(source, f"tests[{test.id}].id", f"test id '{test.id}' is used twice")
        seen.add(test.id)
        expected = sections[test.id.rstrip("0123456789")]
        if test.section != expected:
            raise RubricError(
                source, f"tests[{test.id}].section", f"test {test.id} belongs to '{expected}'"
            )
    wanted = [
        f"{prefix}{number}"
        for _, prefix, _ in SECTIONS
        for number in range(1, TESTS_PER_SECTION + 1)
    ]
    missing = [test_id for test_id in wanted if test_id not in seen]
    if missing:
        raise RubricError(source, "tests", f"missing tests: {', '.join(missing)}")
    ids: set[str] = set()
    for signal in suite.signals():
        if signal.id in ids:
            raise RubricError(source, "tests", f"two signals share the id '{signal.id}'")
        ids.add(signal.id)
    shared = {signal.id for signal in suite.shared}
    for test in suite.tests:
        for kind, signals in (("manual", test.manual), ("automated", test.automated)):
            for index, signal in enumerate(signals):
                for required in signal.requires:
                    if required not in shared:
                        raise RubricError(
                            source,
                            f"tests[{test.id}].{kind}[{index}].requires",
                            f"no shared signal with id '{required}'",
                        )


# scoring --------------------------------------------------------------------------------
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


def _detail(signal: Signal, fact: Fact) -> str:
    """The signal's detail with what the fact is, or what the fact is."""
    described = fact.describe()
    return f"{signal.detail} ({described})" if signal.detail else described
