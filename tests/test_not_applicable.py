"""Suppressions with reasons: `.portfolio-check.yaml` may mark criteria (or a whole
category) not applicable, each with the reason every view shows; they leave the score as a
category of another project kind does, a broken entry is a one-line note naming the file
and the key, and a reviewer's `--ignore-repo-config` overrules them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.common.resources import json_schema
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import render
from tests import repos
from tests.repos import RepoBuilder

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
SERVE = "a research repository: there is no model to serve"
MONITOR = "offline experiments only, nothing runs in production"
TRACK = "results are logged in the paper's tables"
CONFIG = f"""
not-applicable:
  model-api: "{SERVE}"
  monitoring: "{MONITOR}"
  experiment-tracking: "{TRACK}"
"""


def research_repo(root: Path, config: str | None = CONFIG) -> Path:
    """The honest spam filter, a research project, with its own config committed."""
    repos.honest_repo(root)
    if config is not None:
        RepoBuilder(root).write(".portfolio-check.yaml", config).commit(
            "Say what does not apply", date="2026-03-20T10:00:00+00:00"
        )
    return root


@pytest.fixture(scope="module")
def research_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return research_repo(tmp_path_factory.mktemp("repos") / "spamfilter")


@pytest.fixture(scope="module")
def research_card(research_path: Path) -> Scorecard:
    return scan(research_path)


@pytest.fixture(scope="module")
def ignored_card(research_path: Path) -> Scorecard:
    return scan(research_path, options=ScanOptions(use_repo_config=False))


def test_marked_criteria_leave_the_score_with_their_reasons(
    research_card: Scorecard, ignored_card: Scorecard
) -> None:
    api = research_card.criterion("model-api")
    assert (api.not_applicable, api.counted) == (SERVE, False)
    tracking = research_card.criterion("experiment-tracking")
    assert tracking.not_applicable == TRACK
    monitoring = research_card.category("monitoring")
    assert (monitoring.not_applicable, monitoring.not_applicable_reason) == (True, MONITOR)
    assert all(c.not_applicable == MONITOR for c in monitoring.criteria)
    # each left out as a category of another project kind is, not counted as zero
    assert ignored_card.category("monitoring").counted
    assert not research_card.category("monitoring").counted
    assert research_card.real_world_score > ignored_card.real_world_score
    assert "experiment-tracking" in {step.criterion for step in ignored_card.next_steps}
    assert "experiment-tracking" not in {step.criterion for step in research_card.next_steps}
    (note,) = [n for n in research_card.target.notes if "not applicable" in n]
    assert note == (
        "3 criteria marked not applicable by .portfolio-check.yaml"
        " (model-api, monitoring, experiment-tracking), left out of the score"
    )


def test_every_view_shows_the_reason(research_card: Scorecard) -> None:
    document = json.loads(render(research_card, "json"))
    jsonschema.validate(document, json_schema("scorecard.schema.json"))
    criteria = {c["id"]: c for cat in document["categories"] for c in cat["criteria"]}
    assert (
        criteria["model-api"]["not_applicable"],
        criteria["model-api"]["not_applicable_reason"],
    ) == (True, SERVE)
    assert criteria["unit-tests"]["not_applicable"] is False
    monitoring = next(c for c in document["categories"] if c["id"] == "monitoring")
    assert monitoring["not_applicable_reason"] == MONITOR
    html = render(research_card, "html")
    assert f"the repository says: <q>{SERVE}</q>" in html
    assert f"the repository says: <q>{MONITOR}</q>" in html
    text = render(research_card, "text")
    assert f"n/a        {SERVE}" in text
    assert f"the repository says: {MONITOR}" in text
    markdown = render(research_card, "markdown")
    assert "(not applicable: a research repository: there is no model to serve)" in markdown
    assert "not applicable: offline experiments only, nothing runs in production |" in markdown


def test_the_installed_command_honours_them_unless_told_to_ignore_them(
    research_path: Path, tmp_path: Path
) -> None:
    assert ENTRY_POINT.exists(), f"portfolio-check is not installed next to {sys.executable}"
    cards = {}
    for name, extra in (("own", []), ("reviewer", ["--ignore-repo-config"])):
        out = tmp_path / f"{name}.json"
        done = subprocess.run(
            [str(ENTRY_POINT), str(research_path), "-f", "json", "-o", str(out), *extra],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        cards[name] = json.loads(out.read_text(encoding="utf-8"))
    api = {
        name: next(
            c for cat in card["categories"] for c in cat["criteria"] if c["id"] == "model-api"
        )
        for name, card in cards.items()
    }
    assert api["own"]["not_applicable_reason"] == SERVE
    assert (api["reviewer"]["not_applicable"], api["reviewer"]["not_applicable_reason"]) == (
        False,
        None,
    )
    assert cards["reviewer"]["real_world"]["score"] < cards["own"]["real_world"]["score"]


@pytest.mark.parametrize(
    ("config", "note"),
    [
        (
            "not-applicable:\n  model-api:\n",
            "`.portfolio-check.yaml` ignored: not-applicable.model-api needs a reason,"
            " a sentence saying why it does not apply (found nothing)",
        ),
        (
            'not-applicable:\n  model-api: "  "\n',
            "`.portfolio-check.yaml` ignored: not-applicable.model-api needs a reason,"
            " a sentence saying why it does not apply (found a string)",
        ),
        (
            "not-applicable: [model-api]\n",
            "`.portfolio-check.yaml` ignored: not-applicable must map criterion ids to reasons,"
            " found a list",
        ),
        (
            'not-applicable:\n  "Model API!": "no model"\n',
            "`.portfolio-check.yaml` ignored: not-applicable key 'Model API!' is not a"
            " criterion id",
        ),
    ],
    ids=["no-reason", "blank-reason", "a-list", "bad-id"],
)
def test_a_broken_entry_is_a_one_line_note_naming_the_file_and_key(
    tmp_path: Path, config: str, note: str
) -> None:
    card = scan(research_repo(tmp_path / "repo", config))
    assert note in card.target.notes, card.target.notes
    assert all("\n" not in n for n in card.target.notes)
    assert card.criterion("model-api").not_applicable is None  # nothing was marked


def test_an_id_the_rubric_does_not_have_is_left_out_with_a_note(tmp_path: Path) -> None:
    config = f'not-applicable:\n  serving: "nothing to serve"\n  model-api: "{SERVE}"\n'
    card = scan(research_repo(tmp_path / "repo", config))
    assert (
        ".portfolio-check.yaml: not-applicable.serving ignored: rubric ml-portfolio has no"
        " criterion or category with that id"
    ) in card.target.notes
    assert card.criterion("model-api").not_applicable == SERVE  # the rest applies


def test_pyproject_can_mark_them_too(tmp_path: Path) -> None:
    root = research_repo(tmp_path / "repo", config=None)
    RepoBuilder(root).write(
        "pyproject.toml",
        f'[project]\nname = "spamfilter"\n\n[tool.portfolio-check.not-applicable]\nmodel-api = "{SERVE}"\n',
    ).commit("Configure", date="2026-03-21T10:00:00+00:00")
    assert scan(root).criterion("model-api").not_applicable == SERVE
