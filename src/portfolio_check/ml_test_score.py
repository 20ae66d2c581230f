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

import copy
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from portfolio_check.analyzers.base import ContentQuery
from portfolio_check.errors import RubricError
from portfolio_check.facts import Fact, Facts, ForeignPlaces
from portfolio_check.levels import EvidenceLevel
from portfolio_check.resources import rubrics_dir
from portfolio_check.rubric import Signal, build_signal, display_source, read_document
from portfolio_check.rubric_schema import full_schema, validate_document
from portfolio_check.snapshot import Location

Section = Literal["data", "model", "infrastructure", "monitoring"]
Status = Literal["automated", "manual", "not visible"]
SignalKind = Literal["manual", "automated"]

DEFAULT_ML_TESTS = "ml-test-score"
#: The paper's four sections (Tables I-IV), the prefix of their test ids, and a short name.
SECTIONS: tuple[tuple[Section, str, str], ...] = (
    ("data", "D", "Data"),
    ("model", "M", "Model"),
    ("infrastructure", "I", "Infrastructure"),
    ("monitoring", "Mo", "Monitoring"),
)
TESTS_PER_SECTION = 7
POINTS: Mapping[Status, float] = {"automated": 1.0, "manual": 0.5, "not visible": 0.0}
#: Table V of the paper: the upper bound of each band (inclusive) and its wording.
BANDS: tuple[tuple[float, str, str], ...] = (
    (0.0, "0", "More of a research project than a productionized system."),
    (
        1.0,
        "(0,1]",
        "Not totally untested, but it is worth considering the possibility of serious holes "
        "in reliability.",
    ),
    (
        2.0,
        "(1,2]",
        "There's been first pass at basic productionization, but additional investment may "
        "be needed.",
    ),
    (
        3.0,
        "(2,3]",
        "Reasonably tested, but it's possible that more of those tests and procedures may be "
        "automated.",
    ),
    (
        5.0,
        "(3,5]",
        "Strong levels of automated testing and monitoring, appropriate for mission-critical "
        "systems.",
    ),
)
TOP_BAND = ("> 5", "Exceptional levels of automated testing and monitoring.")
MAX_EVIDENCE_PER_TEST = 10
#: The evidence level each kind of signal is built with (a manual check is a real artefact).
SIGNAL_LEVELS: Mapping[SignalKind, EvidenceLevel] = {
    "manual": EvidenceLevel.PRESENT,
    "automated": EvidenceLevel.AUTOMATED,
}


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


# the result -----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class MLTestEvidence:
    """A fact that shows a test, like `scorecard.Evidence`, and whether it shows automation."""

    path: str
    line: int | None
    detail: str
    automated: bool
    cell: int | None = None

    @property
    def where(self) -> str:
        return str(Location(path=self.path, line=self.line, cell=self.cell))

    def to_json_dict(self) -> dict[str, Any]:
        place = Location(path=self.path, line=self.line, cell=self.cell).to_json_dict()
        data: dict[str, Any] = {**place, "detail": self.detail}
        data["shows"] = "automated" if self.automated else "manual"
        return data


@dataclass(frozen=True, kw_only=True)
class MLTestResult:
    id: str
    section: Section
    title: str
    status: Status
    evidence: tuple[MLTestEvidence, ...] = ()

    @property
    def points(self) -> float:
        return POINTS[self.status]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section": self.section,
            "title": self.title,
            "status": self.status,
            "points": self.points,
            "evidence": [item.to_json_dict() for item in self.evidence],
        }


@dataclass(frozen=True, kw_only=True)
class MLTestSection:
    id: Section
    name: str
    points: float  # 0 to 7

    def to_json_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "points": self.points}


@dataclass(frozen=True, kw_only=True)
class MLTestScore:
    """The 28 tests with their status, the section sums, and the final (minimum) score."""

    tests: tuple[MLTestResult, ...]
    sections: tuple[MLTestSection, ...]
    final: float
    band: str  # Table V's range, such as "(1,2]"
    description: str  # Table V's wording for that range

    def section(self, section_id: str) -> MLTestSection:
        return next(section for section in self.sections if section.id == section_id)

    def test(self, test_id: str) -> MLTestResult:
        return next(test for test in self.tests if test.id == test_id)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "estimate": "static",
            "sections": [section.to_json_dict() for section in self.sections],
            "final": self.final,
            "band": self.band,
            "description": self.description,
            "tests": [test.to_json_dict() for test in self.tests],
        }


def band_for(score: float) -> tuple[str, str]:
    """Table V: the range a final score falls in, and the paper's description of it."""
    for upper, label, description in BANDS:
        if score <= upper:
            return label, description
    return TOP_BAND


# loading --------------------------------------------------------------------------------
def load_ml_tests(path: str | os.PathLike[str] | None = None) -> MLTestSuite:
    """The ML Test Score's tests from `path`, or the file that ships with the tool. Every
    error names the file and the key path (`tests[D7].automated[0].where.covers`)."""
    file = Path(path) if path is not None else rubrics_dir() / f"{DEFAULT_ML_TESTS}.yaml"
    source = display_source(file)
    document = read_document(file)
    validate_document(document, _schema(), source, by_id=True)
    return _build(document, source)


@cache
def default_ml_tests() -> MLTestSuite:
    return load_ml_tests()


@cache
def _schema() -> dict[str, Any]:
    """The rubric schema's signal and condition definitions, with a test list on top."""
    defs = copy.deepcopy(full_schema()["$defs"])
    signal = defs["signal"]
    del signal["properties"]["level"]
    signal.pop("required", None)
    shared = copy.deepcopy(signal)
    shared["required"] = ["id"]
    del shared["properties"]["requires"]
    defs["shared_signal"] = shared
    signals = {"type": "array", "items": {"$ref": "#/$defs/signal"}}
    defs["ml_test"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "section", "title", "manual", "automated"],
        "properties": {
            "id": {"type": "string", "pattern": "^(D|M|I|Mo)[1-7]$"},
            "section": {"enum": [section for section, _, _ in SECTIONS]},
            "title": {"type": "string", "minLength": 1},
            "static": {"type": "string", "pattern": "^[HPLN](/[HPLN])?$"},
            "manual": signals,
            "automated": signals,
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "version", "tests"],
        "properties": {
            "id": {"$ref": "#/$defs/identifier"},
            "version": {"type": "string", "minLength": 1},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "source": {"type": "string"},
            "signals": {"type": "array", "items": {"$ref": "#/$defs/shared_signal"}},
            "tests": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/ml_test"}},
        },
        "$defs": defs,
    }


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
    facts are all it reads. Placeholders and work that is not the learner's own (course
    material, files inherited unchanged) prove nothing."""
    foreign = ForeignPlaces.of(facts)
    real = {
        signal.id: tuple(fact for fact in signal.select(facts) if _proves(fact, foreign))
        for signal in tests.signals()
    }
    shared = {signal.id: signal for signal in tests.shared}

    def enough(signal: Signal) -> bool:
        return len(real[signal.id]) >= signal.min_count

    def holds(signal: Signal) -> bool:  # shared signals require nothing: the loader checks
        return enough(signal) and all(enough(shared[r]) for r in signal.requires)

    results = tuple(_result(test, real, shared, enough, holds) for test in tests.tests)
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


def _proves(fact: Fact, foreign: ForeignPlaces) -> bool:
    return not fact.placeholder and foreign.reason(fact.path) is None


def _result(
    test: MLTest,
    real: Mapping[str, tuple[Fact, ...]],
    shared: Mapping[str, Signal],
    enough: Callable[[Signal], bool],
    holds: Callable[[Signal], bool],
) -> MLTestResult:
    automated = [signal for signal in test.automated if holds(signal)]
    # a manual check, or an automated one whose automation (`requires`) is not visible
    manual = [signal for signal in test.manual if holds(signal)] + [
        signal for signal in test.automated if not holds(signal) and enough(signal)
    ]
    status: Status = "automated" if automated else "manual" if manual else "not visible"
    # one item per fact, under the first (automated before manual) signal that shows it
    shown: dict[tuple[str, int | None, int | None, str], MLTestEvidence] = {}

    def add(signal: Signal, is_automated: bool) -> None:
        for fact in real[signal.id]:
            described = fact.describe()
            detail = f"{signal.detail} ({described})" if signal.detail else described
            key = (fact.path, fact.location.line, fact.location.cell, described)
            shown.setdefault(
                key,
                MLTestEvidence(
                    path=fact.path,
                    line=fact.location.line,
                    cell=fact.location.cell,
                    detail=detail,
                    automated=is_automated,
                ),
            )

    for signal in automated:
        add(signal, True)
        for required in signal.requires:
            add(shared[required], True)
    for signal in manual:
        add(signal, False)
    return MLTestResult(
        id=test.id,
        section=test.section,
        title=test.title,
        status=status,
        evidence=tuple(shown.values())[:MAX_EVIDENCE_PER_TEST],
    )
