"""Loading the ML Test Score's tests: `rubrics/ml-test-score.yaml`, checked against its shipped
schema (`schemas/ml-tests.schema.json`) and then for what a schema cannot say (every test
present once, signal ids unique, `requires` naming a shared signal). Its signals use the
rubric syntax without `level`: a manual check is built as a present artefact, an automated
one as automated."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from portfolio_check.common.errors import RubricError
from portfolio_check.common.resources import json_schema, rubrics_dir
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.ml_test_results import SECTIONS, TESTS_PER_SECTION
from portfolio_check.model.ml_test_suite import MLTest, MLTestSuite
from portfolio_check.model.rubric import Signal
from portfolio_check.rubric.loading import (
    build_signal,
    display_source,
    is_packaged,
    read_document,
)
from portfolio_check.rubric.schema import validate_document

SignalKind = Literal["manual", "automated"]

DEFAULT_ML_TESTS = "ml-test-score"
ML_TESTS_SCHEMA = "ml-tests.schema.json"  # the shipped schema of the tests' file
#: The evidence level each kind of signal is built with (a manual check is a real artefact).
SIGNAL_LEVELS: Mapping[SignalKind, EvidenceLevel] = {
    "manual": EvidenceLevel.PRESENT,
    "automated": EvidenceLevel.AUTOMATED,
}


def load_ml_tests(path: str | os.PathLike[str] | None = None) -> MLTestSuite:
    """The ML Test Score's tests from `path`, or the file that ships with the tool. Every
    error names the file and the key path (`tests[D7].automated[0].where.covers`). The
    shipped file is validated by the test suite (tests/rubric/test_ml_tests.py), as the
    shipped rubrics are, rather than on every scan; any other file at load time."""
    file = Path(path) if path is not None else rubrics_dir() / f"{DEFAULT_ML_TESTS}.yaml"
    source = display_source(file)
    document = read_document(file)
    if not is_packaged(file):
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
