"""The ML Test Score view: loading the 28 tests, scoring them on facts, and the reports."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.docs import DocsAnalyzer
from portfolio_check.app.scan import scan
from portfolio_check.common.errors import RubricError
from portfolio_check.common.resources import json_schema, rubrics_dir
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.model.facts import (
    CallFact,
    ContentMatchFact,
    CourseFolderFact,
    Fact,
    Facts,
    HeadingFact,
    LockfileFact,
    SourceFileFact,
    TestFunctionFact,
    TrainServeParityFact,
    WorkflowJobFact,
)
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.location import Location
from portfolio_check.model.ml_test_results import BANDS, MLTestScore, band_for
from portfolio_check.model.ml_test_suite import MLTestSuite
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import render
from portfolio_check.rubric.loading import build_signal, builtin_rubrics, load_rubric
from portfolio_check.rubric.ml_tests import load_ml_tests
from portfolio_check.scoring.ml_test_score import ml_test_score
from tests.repos import RepoBuilder

SHIPPED = rubrics_dir() / "ml-test-score.yaml"
ALL_IDS = [f"{prefix}{n}" for prefix in ("D", "M", "I", "Mo") for n in range(1, 8)]


@pytest.fixture(scope="module")
def suite() -> MLTestSuite:
    return load_ml_tests()


def score_of(suite: MLTestSuite, *facts: Fact) -> MLTestScore:
    return ml_test_score(suite, Facts(facts))


def statuses(score: MLTestScore) -> dict[str, str]:
    return {test.id: test.status for test in score.tests}


# synthetic facts -------------------------------------------------------------------------
def ci_job(**overrides: Any) -> WorkflowJobFact:
    fields: dict[str, Any] = {
        "location": Location(path=".github/workflows/ci.yml", line=6),
        "system": "github-actions",
        "workflow": "ci",
        "job": "test",
        "triggers": ("push", "pull_request"),
        "runs_tests": True,
        "builds_image": False,
        "runs_pipeline": False,
        "lints": False,
        "scheduled": False,
    }
    fields.update(overrides)
    return WorkflowJobFact(**fields)


def feature_test(path: str = "tests/test_features.py", **overrides: Any) -> TestFunctionFact:
    fields: dict[str, Any] = {
        "location": Location(path=path, line=3),
        "name": "test_scales_income",
        "asserts": 2,
        "imports_project": True,
        "covers": ("src/pkg/features.py",),
    }
    fields.update(overrides)
    return TestFunctionFact(**fields)


def schema_call(roles: tuple[str, ...], path: str = "src/pkg/schema.py") -> CallFact:
    return CallFact(
        location=Location(path=path, line=4),
        name="pandera.DataFrameModel",
        scope="code",
        usage="base",
        roles=roles,
    )


def parity() -> TrainServeParityFact:
    return TrainServeParityFact(
        location=Location(path="src/pkg/api.py"),
        side="serving",
        shared_module="pkg.features",
        other_path="src/pkg/train.py",
        roles=("serving",),
    )


def dependabot() -> SourceFileFact:
    return SourceFileFact(location=Location(path=".github/dependabot.yml"), size=120)


# loading ---------------------------------------------------------------------------------
def test_the_shipped_file_holds_all_28_tests_in_four_sections_of_seven(
    suite: MLTestSuite,
) -> None:
    assert [test.id for test in suite.tests] == ALL_IDS
    by_section: dict[str, list[str]] = {}
    for test in suite.tests:
        by_section.setdefault(test.section, []).append(test.id)
    assert by_section == {
        "data": [f"D{n}" for n in range(1, 8)],
        "model": [f"M{n}" for n in range(1, 8)],
        "infrastructure": [f"I{n}" for n in range(1, 8)],
        "monitoring": [f"Mo{n}" for n in range(1, 8)],
    }
    titles = {test.id: test.title for test in suite.tests}
    assert titles["D1"] == "Feature expectations are captured in a schema"
    assert titles["M5"] == "A simpler model is not better"
    assert titles["I3"] == "The ML pipeline is integration tested"
    assert titles["Mo3"] == "Training and serving features compute the same values"


def test_shipped_signals_carry_no_level_and_take_one_from_their_list(
    suite: MLTestSuite,
) -> None:
    document = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for test in document["tests"]:
        for signal in test["manual"] + test["automated"]:
            assert "level" not in signal, test["id"]
    d1 = next(test for test in suite.tests if test.id == "D1")
    assert {signal.level for signal in d1.manual} == {EvidenceLevel.PRESENT}
    assert {signal.level for signal in d1.automated} == {EvidenceLevel.AUTOMATED}


def test_not_visible_tests_are_the_ones_without_static_evidence(suite: MLTestSuite) -> None:
    d6 = next(test for test in suite.tests if test.id == "D6")
    assert d6.static == "N/L"
    assert d6.manual == () and d6.automated == ()
    # every test the catalogue marks H (usually visible) has both kinds of signal
    for test in suite.tests:
        if test.static.startswith("H"):
            assert test.manual and test.automated, test.id


def test_content_queries_are_collected_with_unique_ids(suite: MLTestSuite) -> None:
    queries = suite.content_queries
    ids = [query.id for query in queries]
    assert len(ids) == len(set(ids)) >= 5
    assert all(query_id.startswith("mts.") for query_id in ids)
    rubric_ids = {query.id for query in load_rubric().content_queries}
    assert not rubric_ids & set(ids)


def test_the_data_file_is_not_offered_as_a_rubric() -> None:
    assert "ml-test-score" not in builtin_rubrics()
    assert "ml-portfolio" in builtin_rubrics()
    with pytest.raises(RubricError, match="no rubric by that name or path"):
        load_rubric("ml-test-score")


def test_build_signal_keeps_the_rubric_behaviour() -> None:
    signal = build_signal({"level": "wired", "fact": "import"}, "s[0]", "r.yaml", "a.b.1")
    assert signal.level is EvidenceLevel.WIRED
    assert signal.id == "a.b.1"
    given = build_signal({"fact": "import"}, "s[0]", "r.yaml", "x", level=EvidenceLevel.PRESENT)
    assert given.level is EvidenceLevel.PRESENT
    with pytest.raises(RubricError, match=r"r\.yaml: s\[0\]\.fact: unknown fact 'nope'"):
        build_signal({"fact": "nope"}, "s[0]", "r.yaml", "x", level=EvidenceLevel.PRESENT)


def _shipped_document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    return loaded


def _test_item(document: dict[str, Any], test_id: str) -> dict[str, Any]:
    item: dict[str, Any] = next(t for t in document["tests"] if t["id"] == test_id)
    return item


def _unknown_fact(doc: dict[str, Any]) -> None:
    _test_item(doc, "D1")["automated"][0]["fact"] = "nonsense"


def _bad_regex(doc: dict[str, Any]) -> None:
    _test_item(doc, "D7")["automated"][0]["where"]["covers"] = {"regex": "feature("}


def _unknown_field(doc: dict[str, Any]) -> None:
    _test_item(doc, "M3")["manual"][0]["where"]["colour"] = "blue"


def _with_level(doc: dict[str, Any]) -> None:
    _test_item(doc, "I1")["manual"][0]["level"] = "present"


def _missing_test(doc: dict[str, Any]) -> None:
    doc["tests"] = [t for t in doc["tests"] if t["id"] != "Mo7"]


def _wrong_section(doc: dict[str, Any]) -> None:
    _test_item(doc, "D2")["section"] = "model"


def _duplicate(doc: dict[str, Any]) -> None:
    doc["tests"].append(copy.deepcopy(_test_item(doc, "M2")))


def _unknown_requirement(doc: dict[str, Any]) -> None:
    _test_item(doc, "D7")["automated"][0]["requires"] = ["ghost"]


def _bad_id(doc: dict[str, Any]) -> None:
    _test_item(doc, "I4")["id"] = "I8"


@pytest.mark.parametrize(
    ("change", "key_path", "problem"),
    [
        (_unknown_fact, "tests[D1].automated[0].fact", "unknown fact 'nonsense'"),
        (_bad_regex, "tests[D7].automated[0].where.covers.regex", "invalid regular expression"),
        (_unknown_field, "tests[M3].manual[0].where.colour", "fact 'call' has no such field"),
        (_with_level, "tests[I1].manual[0].level", "unknown key"),
        (_missing_test, "tests", "missing tests: Mo7"),
        (_wrong_section, "tests[D2].section", "belongs to 'data'"),
        (_duplicate, "tests[M2].id", "test id 'M2' is used twice"),
        (_unknown_requirement, "tests[D7].automated[0].requires", "'ghost'"),
        (_bad_id, "tests[I8].id", "expected"),
    ],
)
def test_a_broken_file_names_the_file_and_the_key_path(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], key_path: str, problem: str
) -> None:
    document = _shipped_document()
    change(document)
    path = tmp_path / "mts.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    with pytest.raises(RubricError) as caught:
        load_ml_tests(path)
    message = str(caught.value)
    assert message.startswith(f"{path.as_posix()}: {key_path}: "), message
    assert problem in message


def test_an_unreadable_file_is_a_rubric_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("tests: [unclosed\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"broken\.yaml: not valid YAML"):
        load_ml_tests(path)
    with pytest.raises(RubricError, match=r"missing\.yaml"):
        load_ml_tests(tmp_path / "missing.yaml")


# statuses on synthetic facts -------------------------------------------------------------
def test_no_facts_means_nothing_is_visible(suite: MLTestSuite) -> None:
    score = score_of(suite)
    assert set(statuses(score).values()) == {"not visible"}
    assert [section.points for section in score.sections] == [0.0, 0.0, 0.0, 0.0]
    assert score.final == 0.0
    assert score.band == "0"
    assert score.description == "More of a research project than a productionized system."


def test_a_test_of_feature_code_is_manual_and_automated_once_ci_runs_the_tests(
    suite: MLTestSuite,
) -> None:
    manual = score_of(suite, feature_test())
    assert manual.test("D7").status == "manual"
    assert manual.test("D7").points == 0.5
    assert [item.automated for item in manual.test("D7").evidence] == [False]

    automated = score_of(suite, feature_test(), ci_job())
    d7 = automated.test("D7")
    assert d7.status == "automated"
    assert d7.points == 1.0
    assert [item.where for item in d7.evidence] == [
        "tests/test_features.py:3",
        ".github/workflows/ci.yml:6",
    ]
    assert all(item.automated for item in d7.evidence)
    assert "CI runs tests of the feature code" in d7.evidence[0].detail


def test_placeholders_prove_nothing(suite: MLTestSuite) -> None:
    echo_ci = ci_job(placeholder="the job only echoes")
    assert score_of(suite, feature_test(), echo_ci).test("D7").status == "manual"
    hollow = feature_test(asserts=0, placeholder="asserts nothing")
    assert score_of(suite, hollow, ci_job()).test("D7").status == "not visible"
    assert score_of(suite, feature_test(asserts=0)).test("D7").status == "not visible"


def test_facts_under_a_course_folder_prove_nothing(suite: MLTestSuite) -> None:
    folder = CourseFolderFact(location=Location(path="week3"), folder="week3")
    in_course = feature_test(path="week3/test_features.py")
    assert score_of(suite, folder, in_course, ci_job()).test("D7").status == "not visible"
    assert score_of(suite, in_course, ci_job()).test("D7").status == "automated"


def test_roles_decide_between_manual_and_automated(suite: MLTestSuite) -> None:
    assert score_of(suite, schema_call(())).test("D1").status == "manual"
    assert score_of(suite, schema_call(("serving",))).test("D1").status == "automated"
    assert score_of(suite, schema_call(("pipeline",))).test("D1").status == "automated"
    # tests reach the schema, but only CI makes the tests run again
    assert score_of(suite, schema_call(("tested",))).test("D1").status == "manual"
    assert score_of(suite, schema_call(("tested",)), ci_job()).test("D1").status == "automated"
    # on the serving path a schema also keeps serving inputs valid (Monitor 2)
    assert score_of(suite, schema_call(("serving",))).test("Mo2").status == "automated"
    assert score_of(suite, schema_call(("pipeline",))).test("Mo2").status == "not visible"


def test_workflow_and_file_facts_automate_tests(suite: MLTestSuite) -> None:
    score = score_of(suite, dependabot(), parity(), ci_job(runs_pipeline=True, runs_tests=False))
    found = statuses(score)
    assert found["Mo1"] == "automated"
    assert found["Mo3"] == "automated"
    assert found["I3"] == "automated"  # CI runs the pipeline end to end
    assert found["I1"] == "automated"  # CI reruns training
    assert score.test("Mo1").evidence[0].path == ".github/dependabot.yml"


def test_headings_give_documented_manual_results(suite: MLTestSuite) -> None:
    text = "# Churn\n\n" + "\n" * 9 + "## Results\n\n| model | AUC |\n|---|---|\n"
    text += "| baseline | 0.50 |\n| gbm | 0.81 |\n"
    entry = FileEntry(path="README.md", size=len(text), kind=EntryKind.FILE)
    context = AnalysisContext(layout=ProjectLayout())
    (results,) = [
        fact
        for fact in DocsAnalyzer().analyze(entry, text, context)
        if isinstance(fact, HeadingFact) and fact.text == "Results"
    ]
    score = score_of(suite, results)
    assert score.test("M5").status == "manual"
    assert score.test("M5").evidence[0].where == "README.md:12"
    assert score.test("M5").evidence[0].automated is False


def test_content_queries_are_answered_by_content_match_facts(suite: MLTestSuite) -> None:
    mo1 = next(test for test in suite.tests if test.id == "Mo1")
    query = next(signal.query for signal in mo1.automated if signal.query is not None)
    assert query.pattern.search("      - run: pip-audit --strict")
    match = ContentMatchFact(
        location=Location(path=".github/workflows/audit.yml", line=9),
        query=query.id,
        text="- run: pip-audit --strict",
    )
    assert score_of(suite, match).test("Mo1").status == "automated"
    other = dataclasses.replace(match, query="security.pip-audit.1")
    assert score_of(suite, other).test("Mo1").status == "not visible"


def test_an_automated_check_without_its_requirement_still_counts_as_manual(
    suite: MLTestSuite,
) -> None:
    d4 = next(test for test in suite.tests if test.id == "D4")
    signal = next(signal for signal in d4.automated if signal.query is not None)
    assert signal.requires == ("ci-runs-tests",)
    match = ContentMatchFact(
        location=Location(path="tests/test_features.py", line=26),
        query=signal.id,
        text='assert "price" not in features.columns',
    )
    alone = score_of(suite, match).test("D4")
    assert alone.status == "manual"
    assert [(item.where, item.automated) for item in alone.evidence] == [
        ("tests/test_features.py:26", False)
    ]
    assert score_of(suite, match, ci_job()).test("D4").status == "automated"


# sums, the min rule and the bands --------------------------------------------------------
def test_section_sums_and_the_minimum_rule(suite: MLTestSuite) -> None:
    notebook_baseline = CallFact(
        location=Location(path="eda.ipynb", line=2, cell=4),
        name="sklearn.dummy.DummyClassifier",
        scope="notebook",
    )
    score = score_of(
        suite,
        schema_call(("serving",)),  # D1 automated, Mo2 automated
        feature_test(),  # D7 manual (no CI runs the tests)
        notebook_baseline,  # M5 manual
        LockfileFact(location=Location(path="uv.lock"), tool="uv"),  # I1 manual
        dependabot(),  # Mo1 automated
        parity(),  # Mo3 automated
    )
    sums = {section.id: section.points for section in score.sections}
    assert sums == {"data": 1.5, "model": 0.5, "infrastructure": 0.5, "monitoring": 3.0}
    assert score.final == 0.5 == min(sums.values())
    assert score.band == "(0,1]"
    assert score.description.startswith("Not totally untested")
    assert score.test("M5").evidence[0].where == "eda.ipynb cell 4:2"


def test_a_strong_section_cannot_lift_an_empty_one(suite: MLTestSuite) -> None:
    score = score_of(suite, schema_call(("serving",)), feature_test(), ci_job(), dependabot())
    assert score.section("data").points == 2.0
    assert score.section("monitoring").points == 2.0  # Mo1 and Mo2
    assert score.section("model").points == 0.0
    assert score.final == 0.0
    assert score.band == "0"


@pytest.mark.parametrize(
    ("final", "band", "start"),
    [
        (0.0, "0", "More of a research project"),
        (0.5, "(0,1]", "Not totally untested"),
        (1.0, "(0,1]", "Not totally untested"),
        (1.5, "(1,2]", "There's been first pass at basic productionization"),
        (2.0, "(1,2]", "There's been first pass"),
        (2.5, "(2,3]", "Reasonably tested"),
        (3.0, "(2,3]", "Reasonably tested"),
        (3.5, "(3,5]", "Strong levels of automated testing and monitoring"),
        (5.0, "(3,5]", "Strong levels"),
        (5.5, "> 5", "Exceptional levels of automated testing and monitoring."),
        (7.0, "> 5", "Exceptional"),
    ],
)
def test_table_v_bands(final: float, band: str, start: str) -> None:
    label, description = band_for(final)
    assert label == band
    assert description.startswith(start)


def test_band_wording_is_the_papers() -> None:
    wording = [description for _, _, description in BANDS]
    assert wording[1] == (
        "Not totally untested, but it is worth considering the possibility of serious holes "
        "in reliability."
    )
    assert wording[4] == (
        "Strong levels of automated testing and monitoring, appropriate for mission-critical "
        "systems."
    )


# end to end on the fixture repositories --------------------------------------------------
def test_production_repository(production_card: Scorecard) -> None:
    score = production_card.ml_test_score
    assert score is not None
    found = statuses(score)
    for test_id in ("D1", "D7", "I2", "Mo2", "Mo3", "Mo6"):
        assert found[test_id] == "automated", test_id
    for test_id in ("M5", "M6", "I1", "I7"):
        assert found[test_id] == "manual", test_id
    for test_id in ("D6", "M2", "M3", "I6", "Mo4"):
        assert found[test_id] == "not visible", test_id
    assert score.test("D1").evidence[0].path == "src/churnwatch/schema.py"
    assert score.test("D7").evidence[0].path == "tests/test_features.py"
    assert score.test("Mo3").evidence[0].path == "src/churnwatch/api.py"
    assert [(s.id, s.points) for s in score.sections] == [
        ("data", 2.0),
        ("model", 1.0),
        ("infrastructure", 2.0),
        ("monitoring", 3.0),
    ]
    assert score.final == 1.0
    assert score.band == "(0,1]"


def test_coursework_repository_is_not_visible(coursework_card: Scorecard) -> None:
    score = coursework_card.ml_test_score
    assert score is not None
    found = statuses(score)
    for test_id in ("D1", "D7", "M3", "M5", "I1", "I2", "Mo1", "Mo3"):
        assert found[test_id] == "not visible", test_id
    assert sum(1 for status in found.values() if status == "not visible") >= 26
    assert score.final == 0.0
    assert score.description == "More of a research project than a productionized system."


def test_scan_asks_the_analyzers_the_content_questions(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "audited", git=False)
    repo.files(
        {
            ".github/workflows/audit.yml": """
                name: audit
                on: [push]
                jobs:
                  audit:
                    runs-on: ubuntu-latest
                    steps:
                      - run: pip install pip-audit
                      - run: pip-audit --strict
            """,
        }
    )
    score = scan(repo.root).ml_test_score
    assert score is not None
    mo1 = score.test("Mo1")
    assert mo1.status == "automated"
    assert mo1.evidence[0].path == ".github/workflows/audit.yml"
    assert mo1.evidence[0].line == 7


# JSON and the renderers ------------------------------------------------------------------
@pytest.mark.parametrize("card_name", ["production_card", "coursework_card", "buzzword_card"])
def test_json_validates_against_the_schema(card_name: str, request: pytest.FixtureRequest) -> None:
    card: Scorecard = request.getfixturevalue(card_name)
    document = json.loads(render(card, "json"))
    jsonschema.Draft202012Validator(json_schema("scorecard.schema.json")).validate(document)
    mts = document["ml_test_score"]
    assert [test["id"] for test in mts["tests"]] == ALL_IDS
    assert [section["id"] for section in mts["sections"]] == [
        "data",
        "model",
        "infrastructure",
        "monitoring",
    ]
    assert mts["final"] == min(section["points"] for section in mts["sections"])
    assert mts["estimate"] == "static"


def test_json_of_the_production_card(production_card: Scorecard) -> None:
    mts = production_card.to_json_dict()["ml_test_score"]
    d1 = next(test for test in mts["tests"] if test["id"] == "D1")
    assert d1["section"] == "data"
    assert d1["title"] == "Feature expectations are captured in a schema"
    assert d1["status"] == "automated"
    assert d1["points"] == 1.0
    assert d1["evidence"][0]["path"] == "src/churnwatch/schema.py"
    assert d1["evidence"][0]["shows"] == "automated"
    assert mts["final"] == 1.0
    assert mts["band"] == "(0,1]"
    assert mts["description"].startswith("Not totally untested")


def test_json_without_the_view_is_null_and_valid(production_card: Scorecard) -> None:
    card = dataclasses.replace(production_card, ml_test_score=None)
    document = json.loads(render(card, "json"))
    assert document["ml_test_score"] is None
    jsonschema.Draft202012Validator(json_schema("scorecard.schema.json")).validate(document)


def test_schema_rejects_a_wrong_status(production_card: Scorecard) -> None:
    document = production_card.to_json_dict()
    document["ml_test_score"]["tests"][0]["status"] = "partly"
    validator = jsonschema.Draft202012Validator(json_schema("scorecard.schema.json"))
    assert not validator.is_valid(document)


def test_text_view_shows_section_sums_and_the_band(production_card: Scorecard) -> None:
    text = render(production_card, "text")
    assert "ML Test Score (static estimate)" in text
    assert "Data 2.0  Model 1.0  Infrastructure 2.0  Monitoring 3.0" in text
    assert "Final 1.0 (the lowest section), band (0,1]: Not totally untested" in text
    assert text.index("ML Test Score") > text.index("Engineering texture")
    bare = render(dataclasses.replace(production_card, ml_test_score=None), "text")
    assert "ML Test Score" not in bare


def test_html_has_a_collapsible_section_before_the_claims(production_card: Scorecard) -> None:
    html = render(production_card, "html")
    start = html.index('<section class="panel" aria-labelledby="ml-test-score">')
    end = html.index("</section>", start)
    section = html[start:end]
    assert start < html.index('<section class="panel" aria-labelledby="claims">')
    assert "<details>" in section and "<summary>" in section
    assert "ML Test Score (static estimate)" in section
    assert "Not totally untested" in section and "band (0,1]" in section
    for name, points in (("Data", "2.0"), ("Model", "1.0"), ("Monitoring", "3.0")):
        assert f'<th scope="col">{name}</th>' in section
        assert f"{points} / 7" in section
    assert section.count("<tr><td>") == 28
    assert (
        '<tr><td>D1</td><td>Feature expectations are captured in a schema</td><td><span class="level l4">automated</span></td><td><span class="path">src/<wbr>churnwatch/<wbr>schema.py:5</span></td></tr>'
        in section
    )
    assert (
        '<td>D6</td><td>New features can be added quickly</td><td><span class="level l0">not visible</span></td><td><span class="empty">none</span></td>'
        in section
    )
    bare = render(dataclasses.replace(production_card, ml_test_score=None), "html")
    assert "ml-test-score" not in bare


def test_markdown_has_two_lines_in_the_engineering_texture(production_card: Scorecard) -> None:
    markdown = render(production_card, "markdown")
    texture = markdown[markdown.index("### Engineering texture") :]
    lines = [line for line in texture.splitlines() if "ML Test Score" in line]
    assert lines == [
        "- ML Test Score (static estimate, Breck et al. 2017): Data 2.0, Model 1.0, "
        "Infrastructure 2.0, Monitoring 3.0 (of 7 each)",
        "- ML Test Score final (lowest section): 1.0, band \\(0,1\\]: Not totally untested, "
        "but it is worth considering the possibility of serious holes in reliability.",
    ]
