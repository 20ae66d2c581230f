"""Signal evaluation, shared by the rubric's scorecard and the ML Test Score: the two read
the same facts the same way, so a place that proves no more than a claim in one proves
nothing in the other."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from portfolio_check.common.resources import json_schema
from portfolio_check.model.facts import CallFact, CourseMarkerFact, Facts, ForeignPlaces
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.location import Location
from portfolio_check.model.ml_test_results import SECTIONS
from portfolio_check.model.rubric import Side
from portfolio_check.rubric.loading import build_signal
from portfolio_check.rubric.ml_tests import ML_TESTS_SCHEMA
from portfolio_check.scoring.evaluation import cap_reason, shown_evidence, signal_outcomes
from tests.repos import RepoBuilder

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
HELPER = "lab_utils_common.py"  # a course helper file by its name, wherever it sits
OWN = "src/checks.py"
SCHEMA_CHECK = """
    import pandas as pd
    import pandera as pa


    def check(frame: pd.DataFrame) -> pd.DataFrame:
        schema = pa.DataFrameSchema({"age": pa.Column(int, pa.Check.ge(0))})
        return schema.validate(frame)
"""


def scan_json(path: Path, tmp_path: Path) -> dict[str, Any]:
    """The JSON scorecard, from the installed entry point as a user runs it."""
    out = tmp_path / f"{path.name}.json"
    subprocess.run(
        [str(ENTRY_POINT), str(path), "-q", "-f", "json", "-o", str(out)],
        check=True,
        capture_output=True,
    )
    document: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return document


def repo_with_schema_check(root: Path, place: str) -> Path:
    (
        RepoBuilder(root)
        .files({"README.md": "# Churn\n\nA churn model.\n", place: SCHEMA_CHECK})
        .commit("schema check")
    )
    return root


def rubric_evidence(card: dict[str, Any], path: str) -> list[dict[str, Any]]:
    return [
        item
        for category in card["categories"]
        if category["side"] == "real_world"
        for criterion in category["criteria"]
        for item in criterion["evidence"]
        if item["path"] == path
    ]


def ml_test_evidence(card: dict[str, Any], path: str) -> list[dict[str, Any]]:
    tests = card["ml_test_score"]["tests"]
    return [item for test in tests for item in test["evidence"] if item["path"] == path]


def d1(card: dict[str, Any]) -> str:
    return next(t["status"] for t in card["ml_test_score"]["tests"] if t["id"] == "D1")


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("evaluation")
    return {
        place: scan_json(repo_with_schema_check(root / place.replace("/", "-"), place), root)
        for place in (OWN, HELPER)
    }


def test_own_code_proves_the_schema_check_in_both(cards: dict[str, dict[str, Any]]) -> None:
    card = cards[OWN]
    levels = {item["level"] for item in rubric_evidence(card, OWN)}
    assert "wired" in levels
    assert d1(card) == "manual"
    assert ml_test_evidence(card, OWN)


def test_a_course_helper_file_is_a_claim_in_both(cards: dict[str, dict[str, Any]]) -> None:
    """The same code in a course helper file: the rubric shows it as a claim, the ML Test
    Score (which has no claim level) neither counts nor lists it."""
    card = cards[HELPER]
    items = rubric_evidence(card, HELPER)
    assert items
    assert {item["level"] for item in items} == {"claimed"}
    assert any(claim["path"] == HELPER for claim in card["claims_without_evidence"])
    assert d1(card) == "not visible"
    assert ml_test_evidence(card, HELPER) == []


def test_what_the_ml_test_score_counts_the_rubric_does_not_cap(
    cards: dict[str, dict[str, Any]],
) -> None:
    for card in cards.values():
        for test in card["ml_test_score"]["tests"]:
            for shown in test["evidence"]:
                assert all(
                    item["level"] != "claimed"
                    for item in rubric_evidence(card, shown["path"])
                    if item.get("line") == shown.get("line")
                )


# the shared rule on synthetic facts ------------------------------------------------------
def pandera_call(path: str, placeholder: str | None = None) -> CallFact:
    return CallFact(
        location=Location(path=path, line=3),
        name="pandera.DataFrameSchema",
        scope="code",
        placeholder=placeholder,
    )


def test_the_cap_depends_on_the_side() -> None:
    helper = CourseMarkerFact(
        location=Location(path=HELPER), marker="course-helper-file", family="DLAI", text=HELPER
    )
    foreign = ForeignPlaces.of(Facts([helper]))
    fact = pandera_call(HELPER)
    assert cap_reason(fact, "real_world", foreign) == "course material (a course helper file)"
    assert cap_reason(fact, "certification", foreign) is None
    assert cap_reason(pandera_call(OWN, "empty file"), "certification", foreign) == "empty file"


def test_evidence_is_one_item_per_fact_at_its_highest_level() -> None:
    item = {"fact": "call", "where": {"name": {"prefix": ["pandera"]}}}
    present = build_signal(item, "s", "test", "present", level=EvidenceLevel.PRESENT)
    wired = build_signal(item, "s", "test", "wired", level=EvidenceLevel.WIRED)
    facts = Facts([pandera_call(OWN), pandera_call("notes/draft.py", "placeholder")])
    outcomes = signal_outcomes(
        (present, wired), {"present": "real_world", "wired": "real_world"}, facts, ForeignPlaces()
    )
    shown = [(outcomes["present"], present.level), (outcomes["wired"], wired.level)]
    items = shown_evidence(shown, "real_world", ForeignPlaces())
    assert sorted((i.path, i.level, i.signal) for i in items) == [
        ("notes/draft.py", EvidenceLevel.CLAIMED, "present"),
        (OWN, EvidenceLevel.WIRED, "wired"),
    ]
    unclaimed = shown_evidence(shown, "real_world", ForeignPlaces(), claims=False)
    assert [i.path for i in unclaimed] == [OWN]


def test_evidence_items_come_in_the_order_first_seen_from_the_first_best_signal() -> None:
    """Each item once, where its fact was first seen, from the first signal that gives it
    its highest level (with that signal's detail); a second fact at the same place and of
    the same description is the same item; a capped fact is claimed, or left out."""
    pandera = {"name": {"prefix": ["pandera"]}}
    specs = [
        ("first", EvidenceLevel.PRESENT, {"path": "src/api.py"}),
        ("second", EvidenceLevel.WIRED, pandera),
        ("third", EvidenceLevel.WIRED, pandera),  # no higher: the second's items stay
    ]
    signals = [
        build_signal({"fact": "call", "where": where, "detail": name}, "s", "t", name, level=level)
        for name, level, where in specs
    ]
    facts = Facts(
        [
            pandera_call(OWN),
            pandera_call("notes/draft.py", "placeholder"),
            pandera_call("src/api.py"),
            pandera_call(OWN),  # another fact, the same item
        ]
    )
    sides: dict[str, Side] = {signal.id: "real_world" for signal in signals}
    outcomes = signal_outcomes(signals, sides, facts, ForeignPlaces())
    shown = [(outcomes[signal.id], signal.level) for signal in signals]
    items = shown_evidence(shown, "real_world", ForeignPlaces())
    assert [(i.path, i.level, i.signal, i.detail, i.placeholder) for i in items] == [
        ("src/api.py", EvidenceLevel.WIRED, "second", "second", None),
        ("notes/draft.py", EvidenceLevel.CLAIMED, "second", "second", "placeholder"),
        (OWN, EvidenceLevel.WIRED, "second", "second", None),
    ]
    unclaimed = shown_evidence(shown, "real_world", ForeignPlaces(), claims=False)
    assert [(i.path, i.signal) for i in unclaimed] == [("src/api.py", "second"), (OWN, "second")]


def test_the_ml_tests_schema_names_the_papers_sections() -> None:
    schema = json_schema(ML_TESTS_SCHEMA)
    sections = schema["$defs"]["ml_test"]["properties"]["section"]["enum"]
    assert sections == [section for section, _, _ in SECTIONS]
