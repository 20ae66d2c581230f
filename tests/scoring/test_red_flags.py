"""Red flags: what a reviewer should know first, right under the verdict in every view and
as columns of the batch comparison. README claims nothing backs (one flag with the count),
most of the repository copied from a known upstream, a history of one upload, hard-coded
secrets (tests/test_secrets.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from portfolio_check.app import batch
from portfolio_check.app.scan import scan
from portfolio_check.common.resources import json_schema
from portfolio_check.intake.targets import parse_target
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import render
from portfolio_check.report.view import reviewer_line
from tests import repos
from tests.analyzers.test_provenance import template_with_own_work
from tests.repos import RepoBuilder
from tests.upstreams import (
    STARTER_FILES,
    starter_upstream,
    template_upstream,
    use_index,
    write_index,
)


@pytest.fixture(scope="module")
def buzzword_card(tmp_path_factory: pytest.TempPathFactory) -> Scorecard:
    """Claims everything in its README, proves nothing, in one commit."""
    return scan(repos.buzzword_repo(tmp_path_factory.mktemp("repos") / "mlops-platform"))


@pytest.fixture
def starter_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_index(tmp_path / "index", [starter_upstream(), template_upstream()])
    use_index(monkeypatch, folder)
    return folder


def _flags(card: Scorecard, kind: str) -> list[tuple[str, str | None]]:
    return [(flag.detail, flag.where) for flag in card.red_flags if flag.kind == kind]


def test_unbacked_readme_claims_are_one_flag_with_their_count(buzzword_card: Scorecard) -> None:
    said = [claim for claim in buzzword_card.claims if claim.prose]
    assert len(said) >= 5
    assert len(said) < len(buzzword_card.claims)  # placeholders are claims, not README ones
    assert _flags(buzzword_card, "unbacked-claims") == [
        (f"{len(said)} README claims have no evidence", f"README.md:{said[0].line}")
    ]


def test_a_history_of_one_upload_is_a_flag(buzzword_card: Scorecard, coursework_path: Path) -> None:
    assert _flags(buzzword_card, "one-day-history") == [
        ("a one-day dump of the work (1 commit on 1 day)", None)
    ]
    coursework = scan(coursework_path)
    assert _flags(coursework, "one-day-history") == [
        ("a one-day dump of the work (1 commit on 1 day, 1 web upload)", None)
    ]


def test_a_project_built_over_weeks_with_its_own_code_has_no_flag(
    production_card: Scorecard,
) -> None:
    assert production_card.red_flags == ()
    assert "Red flags" not in render(production_card, "text")
    assert 'id="red-flags"' not in render(production_card, "html")
    assert "Red flags" not in render(production_card, "markdown")
    assert reviewer_line(production_card) == production_card.profile.reviewer  # type: ignore[union-attr]


def test_copied_material_is_a_flag_naming_the_upstream(tmp_path: Path, starter_index: Path) -> None:
    lab = RepoBuilder(tmp_path / "census").files(STARTER_FILES).commit("Add files via upload")
    card = scan(lab.root)
    assert _flags(card, "copied-material") == [
        (
            "100 % matches Demo ML DevOps starter (coursera-demo/census-fastapi-starter)",
            "ml/model.py",
        )
    ]


def test_a_template_under_the_authors_own_work_is_no_flag(
    tmp_path: Path, starter_index: Path
) -> None:
    card = scan(template_with_own_work(tmp_path / "fraud").root)
    assert card.provenance is not None and card.provenance.upstreams  # it does match
    copied = 1 - card.provenance.own_share
    assert bool(_flags(card, "copied-material")) == (copied >= 0.25), copied


def test_red_flags_sit_right_under_the_verdict_in_every_view(buzzword_card: Scorecard) -> None:
    html = render(buzzword_card, "html")
    verdict = html.index('id="verdict"')
    flags = html.index('id="red-flags"')
    assert verdict < flags < html.index('id="next-steps"') < html.index('class="quadrant"')
    reviewer = re.search(r"<strong>For a reviewer:</strong> ([^<]*)</p>", html)
    assert reviewer is not None
    # the flags follow right below it: counted, not said twice on a phone's first screen
    assert reviewer.group(1).endswith(" 2 red flags, listed below.")
    assert "a one-day dump of the work (1 commit on 1 day)" in html[flags:]
    assert "Red flags: a one-day dump of the work (1 commit on 1 day); 10 README claims" in (
        reviewer_line(buzzword_card) or ""
    )
    markdown = render(buzzword_card, "markdown")
    assert markdown.index("**Red flags (2)**") < markdown.index("### Next steps")
    assert "README claims have no evidence." in markdown.split("**Red flags")[0]  # the verdict
    text = render(buzzword_card, "text")
    assert (
        text.index("Profile: ") < text.index("Red flags (2)") < text.index("Real-world evidence\n")
    )
    assert "! 10 README claims have no evidence (README.md:5)" in text


def test_the_json_carries_the_flags_and_validates(buzzword_card: Scorecard) -> None:
    document = json.loads(render(buzzword_card, "json"))
    jsonschema.validate(document, json_schema("scorecard.schema.json"))
    assert document["red_flags"] == [
        {
            "kind": "one-day-history",
            "detail": "a one-day dump of the work (1 commit on 1 day)",
            "path": None,
            "line": None,
        },
        {
            "kind": "unbacked-claims",
            "detail": "10 README claims have no evidence",
            "path": "README.md",
            "line": 5,
        },
    ]
    broken = {**document, "red_flags": [{"kind": "gossip", "detail": "x", "path": None}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json_schema("scorecard.schema.json"))


# the batch ------------------------------------------------------------------------------
LONG_URL = "https://gitlab.example.org/" + "deeply-nested-group/" * 12 + "project.git"


def test_batch_rows_carry_claims_and_red_flags(buzzword_card: Scorecard, tmp_path: Path) -> None:
    row = batch.scored_row(parse_target("mlops-platform"), buzzword_card, seconds=1.0)
    batch.append_row(tmp_path / "results.jsonl", row)
    (stored,) = batch.read_results(tmp_path / "results.jsonl")
    stored_json = stored.to_json_dict()
    assert stored_json["claims"] == len(buzzword_card.claims) == 17
    assert stored_json["red_flags"] == [flag.to_json_dict() for flag in buzzword_card.red_flags]
    error = batch.error_row(label="gone", spec="gh:ada/gone", reason="repository not found")
    error_json = error.to_json_dict()
    assert (error_json["claims"], error_json["red_flags"]) == (None, [])
    assert list(row.to_json_dict()) == list(batch.ROW_KEYS) == list(error_json)


def test_the_comparison_shows_claims_and_flags_and_gives_errors_a_wide_cell(
    buzzword_card: Scorecard, tmp_path: Path
) -> None:
    scored = batch.scored_row(parse_target("mlops-platform"), buzzword_card, seconds=1.0)
    failed = batch.error_row(label="far-away", spec=LONG_URL, reason="clone timed out")
    html = batch.write_comparison(tmp_path, [scored, failed]).read_text(encoding="utf-8")
    assert '<th scope="col">Claims</th><th scope="col">Red flags</th>' in html
    assert '<td class="num claims">17</td>' in html
    assert "<li>10 README claims have no evidence</li>" in html
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", html)
    assert header is not None
    columns = header.group(1).count("<th ")
    error_row = re.search(r'<tr class="error">(.*?)</tr>', html, re.DOTALL)
    assert error_row is not None
    cells = re.findall(r"<td[^>]*>", error_row.group(1))
    assert len(cells) == 3  # number, candidate, and one cell for the reason
    assert f'colspan="{columns - 2}"' in cells[2]
    assert "clone timed out" in error_row.group(1)
    assert 'class="candidate"' in cells[1]
    # the URL may wrap after each slash, never mid-word
    assert LONG_URL.replace("/", "/<wbr>") in error_row.group(1)


def test_a_hand_edited_row_shows_only_well_formed_flags(tmp_path: Path) -> None:
    row = {
        "label": "ada",
        "spec": "gh:ada/x",
        "status": "ok",
        "claims": "many",
        "red_flags": [
            {"kind": "gossip", "detail": "not a kind of flag"},
            {"kind": "unbacked-claims", "detail": "3 README claims\nhave no evidence"},
            "not a flag",
        ],
    }
    (tmp_path / "results.jsonl").write_text(json.dumps(row) + "\n")
    rows = batch.read_results(tmp_path / "results.jsonl")
    html = batch.write_comparison(tmp_path, rows).read_text(encoding="utf-8")
    assert "<li>3 README claims have no evidence</li>" in html
    assert "gossip" not in html and "not a kind of flag" not in html
    assert '<td class="num claims">\u2013</td>' in html
