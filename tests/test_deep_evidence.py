"""Issue 3's acceptance: levels that follow the wiring, not the presence, of evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.app.scan import scan
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.rubric import Rubric
from portfolio_check.model.scorecard import CriterionResult, Scorecard
from tests.repos import PRODUCTION_PACKAGE, RepoBuilder

CI_WITHOUT_TESTS = """
name: ci
on: [push]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e .
      - run: ruff check .
"""
ASSERTLESS_TESTS = """
from churnwatch.features import build_features


def test_adds_charges_per_month():
    build_features


def test_api():
    pass
"""
GRADER = """
def test_sigmoid(target):
    assert target(0) == 0.5
    print("All tests passed!")
"""


def criterion(card: Scorecard, criterion_id: str) -> CriterionResult:
    return next(c for cat in card.categories for c in cat.criteria if c.id == criterion_id)


def variant(root: Path, changes: dict[str, str | None]) -> Path:
    """The production-like project with some files replaced (a value) or removed (None)."""
    files = {
        path: text for path, text in PRODUCTION_PACKAGE.items() if changes.get(path, "") is not None
    }
    files.update({path: text for path, text in changes.items() if text is not None})
    repo = RepoBuilder(root)
    repo.files(files).commit("project", date="2026-02-02T09:00:00+00:00")
    return root


def test_tests_that_import_the_package_and_run_in_ci_are_automated(
    production_card: Scorecard,
) -> None:
    testing = criterion(production_card, "unit-tests")
    assert testing.level is EvidenceLevel.AUTOMATED
    assert any(
        e.path == ".github/workflows/ci.yml" and e.level is EvidenceLevel.AUTOMATED
        for e in testing.evidence
    )


def test_the_same_tests_without_the_ci_step_are_wired(tmp_path: Path, rubric: Rubric) -> None:
    card = scan(
        variant(tmp_path / "repo", {".github/workflows/ci.yml": CI_WITHOUT_TESTS}), rubric=rubric
    )
    testing = criterion(card, "unit-tests")
    assert testing.level is EvidenceLevel.WIRED
    assert {e.path for e in testing.evidence if e.level is EvidenceLevel.WIRED} == {
        "tests/test_features.py",
        "tests/test_api.py",
    }


def test_tests_without_asserts_stay_claimed(tmp_path: Path, rubric: Rubric) -> None:
    card = scan(
        variant(
            tmp_path / "repo",
            {"tests/test_features.py": ASSERTLESS_TESTS, "tests/test_api.py": None},
        ),
        rubric=rubric,
    )
    testing = criterion(card, "unit-tests")
    assert testing.level is EvidenceLevel.CLAIMED
    assert {c.detail for c in card.claims if c.criterion == "unit-tests"} >= {
        "test test_api asserts nothing (a test that asserts nothing)",
    }


def test_course_graders_are_not_project_tests(tmp_path: Path, rubric: Rubric) -> None:
    card = scan(
        variant(
            tmp_path / "repo",
            {
                "tests/test_features.py": None,
                "tests/test_api.py": None,
                "Week2/public_tests.py": GRADER,
                "testCases_v2.py": GRADER,
            },
        ),
        rubric=rubric,
    )
    testing = criterion(card, "unit-tests")
    assert testing.level is EvidenceLevel.CLAIMED
    reasons = {e.placeholder for e in testing.evidence}
    assert "a course grader, not a project test" in reasons


CONFTEST = """
import pandas as pd
import pytest

from churnwatch.features import build_features


@pytest.fixture
def features():
    return build_features(pd.DataFrame({"tenure_months": [1], "monthly_charges": [20.0], "support_calls": [0]}))
"""
FIXTURE_TESTS = """
def test_adds_charges_per_month(features):
    assert "charges_per_month" in features.columns


def test_keeps_rows(features):
    assert len(features) == 1
"""


def test_tests_that_get_the_project_from_conftest_fixtures_import_it(
    tmp_path: Path, rubric: Rubric
) -> None:
    card = scan(
        variant(
            tmp_path / "repo",
            {
                "tests/test_api.py": None,
                "tests/unit/conftest.py": CONFTEST,
                "tests/unit/test_features.py": FIXTURE_TESTS,
                "tests/test_features.py": None,
            },
        ),
        rubric=rubric,
    )
    unit = criterion(card, "unit-tests")
    assert unit.level is EvidenceLevel.AUTOMATED  # CI runs tests that import the package
    assert "tests/unit/test_features.py" in {e.path for e in unit.evidence}


PROJECT_TEST_UTILS = """
from churnwatch.features import build_features

from tests.test_features import frame


def test_build_features_keeps_every_row():
    assert len(build_features(frame())) == 2
"""


def test_a_projects_own_test_utils_is_a_test_not_a_course_grader(
    tmp_path: Path, rubric: Rubric
) -> None:
    """Issue 3 read `test_utils.py` as a DeepLearning.AI grader by its name."""
    card = scan(
        variant(
            tmp_path / "repo",
            {"tests/test_api.py": None, "tests/test_utils.py": PROJECT_TEST_UTILS},
        ),
        rubric=rubric,
    )
    assert criterion(card, "unit-tests").level is EvidenceLevel.AUTOMATED
    graded = next(c for c in card.categories if c.id == "coursework")
    assert graded.score == 0
    assert not [c for c in card.claims if "test_utils.py" in c.path]


BROKEN_MAIN = """
from churnwatch.features import build_features
from churnwatch.models.train_models import train_models


def main():
    train_models(build_features(None))
"""


def test_an_import_of_a_project_module_that_is_not_there_is_reported(
    tmp_path: Path, rubric: Rubric
) -> None:
    card = scan(
        variant(
            tmp_path / "repo",
            {
                "src/churnwatch/models/__init__.py": "",
                "src/churnwatch/models/train_model.py": "def train_model():\n    return 1\n",
                "src/churnwatch/main.py": BROKEN_MAIN,
            },
        ),
        rubric=rubric,
    )
    assert [(f.path, f.line, f.message) for f in card.findings] == [
        (
            "src/churnwatch/main.py",
            2,
            "imports churnwatch.models.train_models, which is not in the repository",
        )
    ]


def test_train_serve_parity_is_reported_with_both_paths(production_card: Scorecard) -> None:
    parity = criterion(production_card, "train-serve-parity")
    assert parity.level is EvidenceLevel.WIRED
    assert {e.path for e in parity.evidence} == {"src/churnwatch/api.py", "src/churnwatch/train.py"}


def test_reimplemented_preprocessing_is_not_parity(tmp_path: Path, rubric: Rubric) -> None:
    api = PRODUCTION_PACKAGE["src/churnwatch/api.py"].replace(
        "from churnwatch.features import build_features\n", ""
    )
    card = scan(variant(tmp_path / "repo", {"src/churnwatch/api.py": api}), rubric=rubric)
    assert criterion(card, "train-serve-parity").level is EvidenceLevel.ABSENT


def test_validation_on_the_tested_path_is_automated_without_a_pandera_test(
    tmp_path: Path, rubric: Rubric
) -> None:
    tests = (
        PRODUCTION_PACKAGE["tests/test_features.py"]
        .replace("import pandera.errors\n", "")
        .replace("pandera.errors.SchemaError", "Exception")
    )
    card = scan(variant(tmp_path / "repo", {"tests/test_features.py": tests}), rubric=rubric)
    validation = criterion(card, "schema-validation")
    assert validation.level is EvidenceLevel.AUTOMATED
    assert any("validation runs on a path" in e.detail for e in validation.evidence)


def test_a_folder_without_history_leaves_history_out_of_the_score(
    tmp_path: Path, rubric: Rubric
) -> None:
    RepoBuilder(tmp_path / "plain", git=False).files(PRODUCTION_PACKAGE)
    card = scan(tmp_path / "plain", rubric=rubric)
    history = next(c for c in card.categories if c.id == "history")
    assert history.inconclusive and criterion(card, "iterative-history").inconclusive
    assert card.history is None
    assert "iterative-history" not in {step.criterion for step in card.next_steps}
    # the same project as a repository: history counts, and a 3-commit history is weak
    repo_card = scan(variant(tmp_path / "repo", {}), rubric=rubric)
    assert not criterion(repo_card, "iterative-history").inconclusive
    assert repo_card.real_world_score < card.real_world_score


@pytest.mark.parametrize("card_name", ["production_card", "coursework_card"])
def test_history_summary_in_the_scorecard(card_name: str, request: pytest.FixtureRequest) -> None:
    card: Scorecard = request.getfixturevalue(card_name)
    assert card.history is not None
    expected = {
        "production_card": (3, "2026-02-02", "2026-02-20"),
        "coursework_card": (1, "2026-01-10", "2026-01-10"),
    }
    assert (card.history.commits, card.history.first_commit, card.history.last_commit) == expected[
        card_name
    ]
