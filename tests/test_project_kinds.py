"""A repository with no ML in it: no ML verdict, and the ML categories not applicable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from portfolio_check.app.scan import scan
from portfolio_check.common.errors import RubricError
from portfolio_check.model.rubric import Rubric
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.rubric.loading import load_rubric
from tests.repos import RepoBuilder

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
ML_CATEGORIES = {
    "deployment",
    "data-validation",
    "monitoring",
    "tracking",
    "documentation",
    "responsible-ai",
}
CLI_TOOL = {
    "README.md": "# wordcount\n\nCounts words in text files.\n\n## Usage\n\n```\nwc-py notes.txt\n```\n",
    "pyproject.toml": '[project]\nname = "wordcount"\nversion = "1.0"\n\n[tool.ruff]\nline-length = 100\n',
    "src/wordcount/__init__.py": "",
    "src/wordcount/count.py": (
        "import logging\n\nlog = logging.getLogger(__name__)\n\n\n"
        "def count(text: str) -> int:\n    return len(text.split())\n"
    ),
    "tests/test_count.py": (
        "from wordcount.count import count\n\n\n"
        "def test_count() -> None:\n    assert count('a b c') == 3\n"
    ),
    ".github/workflows/ci.yml": (
        "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: pip install -e . pytest ruff\n"
        "      - run: ruff check .\n      - run: pytest -q\n"
    ),
}


@pytest.fixture(scope="module")
def tool_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = RepoBuilder(tmp_path_factory.mktemp("kinds") / "wordcount")
    repo.files(CLI_TOOL).commit("a word counter", date="2026-01-05T10:00:00+00:00")
    return repo.root


@pytest.fixture(scope="module")
def tool_card(tool_repo: Path) -> Scorecard:
    return scan(tool_repo, rubric=load_rubric())


def test_a_repository_without_ml_gets_no_ml_verdict(tool_card: Scorecard) -> None:
    assert tool_card.profile is not None
    assert tool_card.profile.id == "no-ml-project"
    assert tool_card.profile.name == "No ML project found"


def test_ml_categories_are_not_applicable_and_left_out(tool_card: Scorecard) -> None:
    not_applicable = {c.id for c in tool_card.categories if c.not_applicable}
    assert not_applicable == ML_CATEGORIES
    counted = [c for c in tool_card.side("real_world") if c.counted]
    expected = sum(c.score * c.weight for c in counted) / sum(c.weight for c in counted)
    assert tool_card.real_world_score == pytest.approx(expected)
    # the tested, linted, CI-checked tool scores on what there is to judge: counting the
    # ML categories as zero would have halved its score
    every = tool_card.side("real_world")
    as_zero = sum(c.score * c.weight for c in every) / sum(c.weight for c in every)
    assert tool_card.real_world_score > 1.5 * as_zero
    assert tool_card.category("testing").score >= 50
    assert not {step.category for step in tool_card.next_steps} & {
        c.name for c in tool_card.categories if c.not_applicable
    }


def test_an_ml_repository_is_judged_on_every_category(
    coursework_card: Scorecard, production_card: Scorecard
) -> None:
    for card in (coursework_card, production_card):
        assert not [c.id for c in card.categories if c.not_applicable]
        assert card.profile is not None and card.profile.id != "no-ml-project"


def test_one_notebook_or_model_file_makes_an_ml_project(tmp_path: Path, rubric: Rubric) -> None:
    repo = RepoBuilder(tmp_path / "tiny")
    repo.files({**CLI_TOOL, "models/classifier.joblib": b"\x80\x04joblib"}).commit("model")
    card = scan(repo.root, rubric=rubric)
    assert card.profile is not None and card.profile.id != "no-ml-project"
    assert not [c.id for c in card.categories if c.not_applicable]


def test_not_applicable_shows_apart_from_zero_in_every_view(
    tool_repo: Path, tmp_path: Path
) -> None:
    """Through the installed entry point, as a user runs it."""
    outputs = {}
    for fmt in ("json", "markdown", "html"):
        target = tmp_path / f"card.{fmt}"
        subprocess.run(
            [str(ENTRY_POINT), str(tool_repo), "-f", fmt, "-o", str(target), "-q"], check=True
        )
        outputs[fmt] = target.read_text(encoding="utf-8")
    text = subprocess.run(
        [str(ENTRY_POINT), str(tool_repo), "-f", "text", "--no-color"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    card = json.loads(outputs["json"])
    monitoring = next(c for c in card["categories"] if c["id"] == "monitoring")
    assert monitoring["not_applicable"] is True
    assert card["profile"]["id"] == "no-ml-project"
    assert "| Monitoring and observability | real-world | not applicable |" in outputs["markdown"]
    assert "Not applicable: nothing here for it to judge" in outputs["html"]
    assert "Monitoring and observability" in text and "not applicable" in text
    assert "No ML project found" in text


def test_a_category_naming_an_unknown_kind_is_a_rubric_error(tmp_path: Path) -> None:
    rubric = tmp_path / "team.yaml"
    rubric.write_text(
        "id: team\nextends: ml-portfolio\ncategories:\n  - id: monitoring\n    applies_to: llm\n",
        encoding="utf-8",
    )
    with pytest.raises(RubricError) as error:
        load_rubric(str(rubric))
    assert str(error.value).endswith(
        "team.yaml: categories[monitoring].applies_to: no project kind with id 'llm'"
    )


def test_removing_a_category_drops_the_claims_filed_under_it(tmp_path: Path) -> None:
    rubric = tmp_path / "team.yaml"
    rubric.write_text(
        "id: team\nextends: ml-portfolio\ncategories:\n  - id: monitoring\n    remove: true\n",
        encoding="utf-8",
    )
    extended = load_rubric(str(rubric))
    assert "monitoring" not in {claim.id for claim in extended.claims}
    assert "mlflow" in {claim.id for claim in extended.claims}


def test_a_service_around_a_pickled_model_is_an_ml_project(tmp_path: Path, rubric: Rubric) -> None:
    """No ML import and no model file extension: the declared ML library says what it is."""
    repo = RepoBuilder(tmp_path / "iris-app")
    repo.files(
        {
            "app.py": (
                "import pickle\nfrom flask import Flask\n\napp = Flask(__name__)\n"
                "model = pickle.load(open('model_pkl', 'rb'))\n"
            ),
            "model_pkl": b"\x80\x04\x95",
            "requirements.txt": "Flask==2.1.0\nscikit-learn==1.0.2\n",
        }
    ).commit("app")
    card = scan(repo.root, rubric=rubric)
    assert card.profile is not None and card.profile.id != "no-ml-project"
    assert not [c.id for c in card.categories if c.not_applicable]
