"""Engine: a pure function of (rubric, facts). Synthetic facts pin down every rule."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from portfolio_check.model.facts import (
    CourseFolderFact,
    CourseMarkerFact,
    Fact,
    Facts,
    FindingFact,
    FunctionFact,
    HistoryFact,
    NotebookFact,
    PythonModuleFact,
    TestFunctionFact,
    WorkflowJobFact,
)
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.location import Location
from portfolio_check.model.rubric import Rubric
from portfolio_check.model.scorecard import Scorecard, TargetInfo
from portfolio_check.rubric.loading import load_rubric
from portfolio_check.scoring.engine import evaluate

RUBRIC = """
id: unit
version: "1"
name: Unit
level_scores: {absent: 0, claimed: 10, present: 50, wired: 75, automated: 100}
categories:
  - id: testing
    name: Testing
    side: real_world
    weight: 3
    criteria:
      - id: tests
        name: Tests
        weight: 1
        remediation: Add tests that import the package.
        signals:
          - {level: claimed, fact: test_function}
          - {id: asserting, level: present, fact: test_function, where: {asserts: {min: 1}}}
          - {id: importing, level: wired, fact: test_function, where: {asserts: {min: 1}, imports_project: true}}
          - {level: automated, fact: workflow_job, where: {runs_tests: true}, requires: [importing]}
      - id: many-tests
        name: Many tests
        weight: 1
        max_level: present
        remediation: Add more tests.
        signals:
          - {level: present, fact: test_function, where: {asserts: {min: 1}}, min_count: 3}
  - id: docs
    name: Docs
    side: real_world
    weight: 1
    criteria:
      - id: notebook
        name: A notebook
        weight: 1
        remediation: Write a notebook.
        signals:
          - {level: present, fact: notebook}
  - id: course
    name: Course
    side: certification
    weight: 1
    criteria:
      - id: graded
        name: Graded
        weight: 1
        scoring: share
        remediation: Move coursework aside.
        signals:
          - {level: present, fact: course_marker}
          - {level: present, fact: course_folder}
"""


@pytest.fixture(scope="module")
def unit_rubric(tmp_path_factory: pytest.TempPathFactory) -> Rubric:
    path = Path(tmp_path_factory.mktemp("rubric")) / "unit.yaml"
    path.write_text(textwrap.dedent(RUBRIC))
    return load_rubric(str(path))


def make_test(
    path: str, asserts: int, imports_project: bool = True, line: int = 3
) -> TestFunctionFact:
    return TestFunctionFact(
        location=Location(path=path, line=line),
        name="test_x",
        asserts=asserts,
        imports_project=imports_project,
        placeholder=None if asserts else "a test that asserts nothing",
    )


def job(runs_tests: bool = True) -> WorkflowJobFact:
    return WorkflowJobFact(
        location=Location(path=".github/workflows/ci.yml", line=5),
        system="github-actions",
        workflow="ci",
        job="test",
        triggers=("push",),
        runs_tests=runs_tests,
        builds_image=False,
        runs_pipeline=False,
        lints=False,
        scheduled=False,
    )


def card(rubric: Rubric, *facts: Fact) -> Scorecard:
    target = TargetInfo(path="repo", commit=None, is_git=False, files=len(facts))
    return evaluate(rubric, Facts(facts), target, tool_version="test")


def result(scorecard: Scorecard, criterion_id: str):  # type: ignore[no-untyped-def]
    return next(c for cat in scorecard.categories for c in cat.criteria if c.id == criterion_id)


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        ((), EvidenceLevel.ABSENT),
        ((make_test("tests/test_a.py", 0),), EvidenceLevel.CLAIMED),
        ((make_test("tests/test_a.py", 2, imports_project=False),), EvidenceLevel.PRESENT),
        ((make_test("tests/test_a.py", 2),), EvidenceLevel.WIRED),
        ((make_test("tests/test_a.py", 2), job()), EvidenceLevel.AUTOMATED),
        # CI running tests that do not import the project proves no more than the tests
        ((make_test("tests/test_a.py", 2, imports_project=False), job()), EvidenceLevel.PRESENT),
        # CI running placeholder tests proves nothing
        ((make_test("tests/test_a.py", 0), job()), EvidenceLevel.CLAIMED),
    ],
)
def test_levels_follow_the_deepest_signal_that_holds(
    unit_rubric: Rubric, facts: tuple[Fact, ...], level: EvidenceLevel
) -> None:
    assert result(card(unit_rubric, *facts), "tests").level == level


def test_scores_follow_level_scores(unit_rubric: Rubric) -> None:
    scorecard = card(unit_rubric, make_test("tests/test_a.py", 2))
    assert result(scorecard, "tests").score == 75
    # testing: (75 + 0) / 2 = 37.5, docs: 0, weighted 3:1 -> 28.125
    assert scorecard.real_world_score == pytest.approx(28.125)


def test_max_level_scales_the_score(unit_rubric: Rubric) -> None:
    facts = [make_test(f"tests/test_{i}.py", 1) for i in range(3)]
    many = result(card(unit_rubric, *facts), "many-tests")
    assert many.level == EvidenceLevel.PRESENT and many.score == 100


def test_min_count_is_required(unit_rubric: Rubric) -> None:
    facts = [make_test(f"tests/test_{i}.py", 1) for i in range(2)]
    assert result(card(unit_rubric, *facts), "many-tests").level == EvidenceLevel.ABSENT


def test_min_count_counts_only_facts_that_prove_their_level(unit_rubric: Rubric) -> None:
    week = CourseFolderFact(location=Location(path="Week2"), folder="Week2")
    own = [make_test(f"tests/test_{i}.py", 1) for i in range(2)]
    course = make_test("Week2/test_lab.py", 1)
    assert result(card(unit_rubric, *own, course, week), "many-tests").level == (
        EvidenceLevel.CLAIMED  # two of the three are the learner's: only the course's claims
    )
    third = make_test("tests/test_2.py", 1)
    assert result(card(unit_rubric, *own, course, third, week), "many-tests").level == (
        EvidenceLevel.PRESENT
    )


def test_real_world_artefacts_under_a_course_folder_only_count_as_claims(
    unit_rubric: Rubric,
) -> None:
    scorecard = card(
        unit_rubric,
        make_test("Week2/test_lab.py", 3),
        CourseFolderFact(location=Location(path="Week2"), folder="Week2"),
    )
    tests = result(scorecard, "tests")
    assert tests.level == EvidenceLevel.CLAIMED
    assert tests.evidence[0].placeholder == "course material (under Week2/)"
    assert [claim.path for claim in scorecard.claims] == ["Week2/test_lab.py"]


def test_placeholders_appear_as_claims_even_next_to_real_evidence(unit_rubric: Rubric) -> None:
    scorecard = card(
        unit_rubric, make_test("tests/test_a.py", 2), make_test("tests/test_b.py", 0, line=9)
    )
    assert result(scorecard, "tests").level == EvidenceLevel.WIRED
    assert [(claim.path, claim.line) for claim in scorecard.claims] == [("tests/test_b.py", 9)]
    assert "asserts nothing" in scorecard.claims[0].detail


def test_share_scoring_counts_work_files_covered_by_course_evidence(unit_rubric: Rubric) -> None:
    modules = [
        PythonModuleFact(
            location=Location(path=p), module=p[:-3].replace("/", "."), scope="code", lines=10
        )
        for p in ("Week1/lab.py", "Week1/utils.py", "src/pkg/model.py", "src/pkg/api.py")
    ]
    scorecard = card(
        unit_rubric,
        *modules,
        CourseFolderFact(location=Location(path="Week1"), folder="Week1"),
        CourseMarkerFact(
            location=Location(path="src/pkg/model.py", line=1),
            marker="graded-function",
            family="x",
            text="# GRADED FUNCTION",
        ),
    )
    assert result(scorecard, "graded").score == 75  # 3 of 4 work files
    assert scorecard.certification_score == 75


def test_certification_evidence_is_never_capped_by_course_folders(unit_rubric: Rubric) -> None:
    notebook = NotebookFact(
        location=Location(path="Week1/a.ipynb"),
        code_cells=3,
        markdown_cells=1,
        executed_cells=3,
        error_outputs=0,
    )
    scorecard = card(
        unit_rubric,
        notebook,
        CourseFolderFact(location=Location(path="Week1"), folder="Week1"),
        CourseMarkerFact(
            location=Location(path="Week1/a.ipynb", cell=2), marker="m", family="f", text="t"
        ),
    )
    assert result(scorecard, "graded").score == 100
    assert result(scorecard, "notebook").level == EvidenceLevel.CLAIMED  # real-world side: capped


def test_next_steps_rank_by_points_gained(unit_rubric: Rubric) -> None:
    scorecard = card(unit_rubric, make_test("tests/test_a.py", 2))
    gains = [(step.criterion, round(step.gain, 2)) for step in scorecard.next_steps]
    # many-tests: 3/4 * 1/2 * 100 = 37.5; notebook: 1/4 * 100 = 25; tests: 3/4 * 1/2 * 25 = 9.38
    assert gains == [("many-tests", 37.5), ("notebook", 25.0), ("tests", 9.38)]
    assert scorecard.next_steps[0].action == "Add more tests."


def test_findings_are_carried_to_the_scorecard(unit_rubric: Rubric) -> None:
    broken = FindingFact(
        location=Location(path="nb.ipynb"), analyzer="notebooks", message="notebook not valid JSON"
    )
    scorecard = card(unit_rubric, broken)
    assert [(f.path, f.message) for f in scorecard.findings] == [
        ("nb.ipynb", "notebook not valid JSON")
    ]


def test_evaluation_is_deterministic_whatever_the_fact_order(unit_rubric: Rubric) -> None:
    facts = [make_test("tests/test_b.py", 1), make_test("tests/test_a.py", 0), job()]
    assert card(unit_rubric, *facts) == card(unit_rubric, *reversed(facts))


def test_empty_repo_scores_zero_on_both_sides(unit_rubric: Rubric) -> None:
    scorecard = card(unit_rubric)
    assert scorecard.real_world_score == 0 and scorecard.certification_score == 0
    assert scorecard.claims == ()


def test_hotspots_list_complex_project_functions_worst_first(unit_rubric: Rubric) -> None:
    def function(name: str, complexity: int, scope: str = "code") -> FunctionFact:
        rank = "A" if complexity <= 5 else ("C" if complexity <= 20 else "D")
        return FunctionFact(
            location=Location(path=f"src/{name}.py", line=3),
            name=name,
            type="function",
            complexity=complexity,
            rank=rank,
            lines=40,
            scope=scope,  # type: ignore[arg-type]
        )

    scorecard = card(
        unit_rubric,
        function("simple", 4),
        function("tangled", 25),
        function("busy", 12),
        function("test_huge", 30, scope="test"),
    )
    assert [(h.name, h.complexity, h.path, h.line) for h in scorecard.hotspots] == [
        ("tangled", 25, "src/tangled.py", 3),
        ("busy", 12, "src/busy.py", 3),
    ]


def test_notebook_hygiene_names_each_problem(unit_rubric: Rubric) -> None:
    def notebook(path: str, **fields: object) -> NotebookFact:
        base = {"code_cells": 4, "markdown_cells": 1, "executed_cells": 4, "error_outputs": 0}
        return NotebookFact(location=Location(path=path), **{**base, **fields})  # type: ignore[arg-type]

    scorecard = card(
        unit_rubric,
        notebook("clean.ipynb", execution="linear"),
        notebook(
            "messy.ipynb",
            execution="non-linear",
            error_outputs=2,
            absolute_paths=1,
            output_bytes=3_000_000,
        ),
    )
    (messy,) = scorecard.notebooks
    assert messy.path == "messy.ipynb"
    assert messy.problems == (
        "cells were run out of order",
        "2 error outputs left in",
        "1 hard-coded absolute paths",
        "3.0 MB of outputs",
    )


def test_history_summary_and_its_note(unit_rubric: Rubric) -> None:
    history = HistoryFact(
        location=Location(path=".git"),
        commits=1,
        authors=1,
        active_days=1,
        active_weeks=1,
        span_days=0,
        merges=0,
        pr_merges=0,
        web_uploads=1,
        largest_commit_share=1.0,
        shallow=False,
        first_commit="2026-01-10",
        last_commit="2026-01-10",
        placeholder="a one-day dump of the work",
    )
    scorecard = card(unit_rubric, history)
    assert scorecard.history is not None
    assert (scorecard.history.commits, scorecard.history.note) == (1, "a one-day dump of the work")
    assert card(unit_rubric).history is None
