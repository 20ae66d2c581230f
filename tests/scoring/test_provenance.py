"""What provenance does to the scorecard: a copied lab's CI and tests are the course's,
at most claimed and named as such; a template with real own work on top keeps credit for
the own work; the certification side counts the copied share of lines; the JSON, the
views and the batch comparison say how much is the author's own."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from portfolio_check.analyzers.cache import Scope
from portfolio_check.app import batch
from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.common.resources import json_schema
from portfolio_check.intake.targets import parse_target
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import render
from portfolio_check.report.view import provenance_line
from tests import repos
from tests.analyzers.test_provenance import (
    FILLED_IN,
    forked,
    root_commit,
    starter_repository,
    template_with_own_work,
)
from tests.repos import RepoBuilder
from tests.upstreams import (
    STAFF_EMAIL,
    STARTER,
    STARTER_FILES,
    STARTER_MODEL,
    TEMPLATE,
    Upstream,
    starter_upstream,
    template_upstream,
    use_index,
    write_index,
)

COPIED = "copied from coursera-demo/census-fastapi-starter (Demo ML DevOps starter)"


@pytest.fixture
def starter_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_index(tmp_path / "index", [starter_upstream(), template_upstream()])
    use_index(monkeypatch, folder)
    return folder


@pytest.fixture
def copied_lab(tmp_path: Path, starter_index: Path) -> Scorecard:
    """The starter with its FastAPI app, its tests and its CI, uploaded as it came."""
    repo = RepoBuilder(tmp_path / "census").files(STARTER_FILES).commit("Add files via upload")
    return scan(repo.root)


def test_a_copied_lab_with_ci_and_tests_earns_no_real_world_credit_for_them(
    copied_lab: Scorecard,
) -> None:
    for criterion in ("unit-tests", "ci-pipeline", "model-api", "pinned-dependencies"):
        result = copied_lab.criterion(criterion)
        assert result.level <= EvidenceLevel.CLAIMED, criterion
        found = [item for item in result.evidence if not item.claim]  # not the README's words
        assert found, criterion  # seen, and named for what it is
        assert all(item.placeholder == COPIED for item in found), criterion
    claims = {claim.path: claim.detail for claim in copied_lab.claims}
    assert claims["test_ml.py"].endswith(f"({COPIED})")
    assert copied_lab.real_world_score < 5


def test_a_copied_lab_is_certification_evidence_by_its_copied_share(
    copied_lab: Scorecard,
) -> None:
    copies = copied_lab.criterion("upstream-copies")
    assert copies.score == 100  # every line of it is the starter's
    assert {item.path for item in copies.evidence} >= {"ml/model.py", "test_ml.py"}
    assert copied_lab.category("copied-material").score == 100
    assert copied_lab.certification_score > 20
    provenance = copied_lab.provenance
    assert provenance is not None
    assert provenance.own_share == 0.0
    (upstream,) = provenance.upstreams
    assert (upstream.name, upstream.family, upstream.kind, upstream.files) == (
        STARTER,
        "Demo ML DevOps",
        "starter",
        7,
    )
    assert upstream.share == 1.0
    assert upstream.example == "ml/model.py"  # the largest


def test_a_template_plus_own_work_keeps_credit_for_the_own_work(
    tmp_path: Path, starter_index: Path
) -> None:
    card = scan(template_with_own_work(tmp_path / "fraud").root)
    tests = card.criterion("unit-tests")
    assert tests.level == EvidenceLevel.AUTOMATED  # the own tests, run by the own CI
    own_tests = [item for item in tests.evidence if item.path == "tests/test_features.py"]
    assert own_tests and all(item.placeholder is None for item in own_tests)
    assert card.criterion("ci-pipeline").level == EvidenceLevel.AUTOMATED
    # the template's lint target and its environment check are the template's
    lint = card.criterion("lint-config")
    assert lint.level <= EvidenceLevel.CLAIMED
    assert {item.placeholder for item in lint.evidence} == {
        "copied from demo-org/cookiecutter-demo-science (cookiecutter-demo-science v1 template)"
    }
    provenance = card.provenance
    assert provenance is not None
    assert [u.name for u in provenance.upstreams] == [TEMPLATE]
    assert provenance.upstreams[0].files == 6
    assert 0.2 < provenance.own_share < 0.6
    copies = card.criterion("upstream-copies").score
    assert copies == pytest.approx(100 * (1 - provenance.own_share), abs=0.1)


def test_a_starter_with_its_blanks_filled_in_counts_the_filled_part_as_own(
    tmp_path: Path, starter_index: Path
) -> None:
    repo = RepoBuilder(tmp_path / "census").files(STARTER_FILES)
    repo.write("ml/model.py", STARTER_MODEL + FILLED_IN).commit("Add files via upload")
    card = scan(repo.root)
    provenance = card.provenance
    assert provenance is not None
    assert 0.05 < provenance.own_share < 0.3
    assert provenance.copied_files == 6  # the model module is changed, not copied
    model = [i for i in card.criterion("upstream-copies").evidence if i.path == "ml/model.py"]
    assert model and "62% matches ml/model.py" in model[0].detail


def test_the_own_and_inherited_commits_of_a_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starter = starter_repository(tmp_path / "starter")
    upstream = starter_upstream(root=root_commit(starter.root), authors=(STAFF_EMAIL,))
    use_index(monkeypatch, write_index(tmp_path / "index", [upstream]))
    card = scan(forked(starter, tmp_path / "learner").root)
    provenance = card.provenance
    assert provenance is not None and provenance.itself is None
    assert (provenance.own_commits, provenance.upstream_commits) == (2, 6)
    assert [u.name for u in provenance.upstreams] == [STARTER]


def test_the_upstream_scanned_as_itself_is_reported_as_that_upstream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starter = starter_repository(tmp_path / "starter")
    upstream = starter_upstream(root=root_commit(starter.root), authors=(STAFF_EMAIL,))
    use_index(monkeypatch, write_index(tmp_path / "index", [upstream]))
    card = scan(starter.root)
    provenance = card.provenance
    assert provenance is not None and provenance.itself is not None
    assert provenance.itself.name == STARTER
    assert (provenance.own_share, provenance.upstreams) == (1.0, ())
    assert provenance_line(card) == (
        "Own work: 100 %: this repository is coursera-demo/census-fastapi-starter itself, "
        "the Demo ML DevOps starter the upstream index holds, not a copy of it."
    )
    assert card.criterion("unit-tests").level >= EvidenceLevel.WIRED  # its own tests
    assert card.criterion("upstream-copies").score == 0
    document = card.to_json_dict()["provenance"]
    assert document["is_upstream"] == {
        "name": STARTER,
        "family": "Demo ML DevOps",
        "kind": "starter",
    }


def test_without_an_index_provenance_is_unknown_not_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_index(monkeypatch, tmp_path / "no-index")  # a folder without one
    repo = RepoBuilder(tmp_path / "census").files(STARTER_FILES).commit("Add files via upload")
    card = scan(repo.root)
    assert card.provenance is None
    assert card.to_json_dict()["provenance"] is None
    assert card.category("copied-material").inconclusive  # left out of the score
    assert provenance_line(card) is None
    assert "Own work" not in render(card, "text")


# what a reader sees ---------------------------------------------------------------------------
def test_the_json_report_carries_provenance_and_matches_the_schema(
    copied_lab: Scorecard,
) -> None:
    document = json.loads(render(copied_lab, "json"))
    jsonschema.Draft202012Validator(json_schema("scorecard.schema.json")).validate(document)
    provenance = document["provenance"]
    assert provenance["own_share"] == 0.0
    assert provenance["upstreams"] == [
        {
            "name": STARTER,
            "family": "Demo ML DevOps",
            "kind": "starter",
            "share": 1.0,
            "files": 7,
            "example": "ml/model.py",
            "upstream_path": "ml/model.py",
        }
    ]
    assert (provenance["own_commits"], provenance["upstream_commits"]) == (1, 0)
    assert provenance["is_upstream"] is None


LINE = (
    "Own work: 0 %. The rest matches Demo ML DevOps starter "
    "(coursera-demo/census-fastapi-starter, 7 files)."
)


@pytest.mark.parametrize("output_format", ["text", "markdown", "html"])
def test_the_views_say_how_much_is_own_work_near_the_top(
    copied_lab: Scorecard, output_format: str
) -> None:
    page = render(copied_lab, output_format)  # type: ignore[arg-type]
    page = " ".join(page.replace("\\", "").split())  # as read: unwrapped, unescaped
    assert LINE in page
    # near the top: before the categories and the evidence
    assert page.index(LINE) < page.index("Graded coursework")


def test_two_upstreams_are_named_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = Upstream(
        repo="academy/deploy-lab",
        family="Academy MLOps",
        kind="lab",
        files={
            "Dockerfile": "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\n"
            'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]\n',
            "docker-compose.yml": "services:\n  api:\n    build: .\n    ports:\n"
            '      - "8000:8000"\n    restart: unless-stopped\n'
            "    environment:\n      - MODEL_PATH=/app/model/model.pkl\n",
            "scripts/smoke.sh": "#!/bin/sh\nset -e\ncurl -fsS http://localhost:8000/ \n"
            'curl -fsS -X POST http://localhost:8000/data/ -d @sample.json -H "Content-Type: '
            'application/json"\n',
        },
    )
    use_index(monkeypatch, write_index(tmp_path / "index", [starter_upstream(), other]))
    repo = RepoBuilder(tmp_path / "census").files({**STARTER_FILES, **other.files})
    repo.commit("Add files via upload")
    card = scan(repo.root)
    line = provenance_line(card)
    assert line is not None
    assert line.startswith("Own work: 0 %. The rest matches Demo ML DevOps starter")
    assert line.endswith(" and Academy MLOps lab (academy/deploy-lab, 3 files).")


def test_the_batch_row_and_comparison_show_the_own_share(
    copied_lab: Scorecard, tmp_path: Path
) -> None:
    row = batch.scored_row(parse_target("census"), copied_lab, seconds=1.0)
    assert row.own_share == 0.0
    assert row.upstream == "Demo ML DevOps starter (coursera-demo/census-fastapi-starter)"
    batch.append_row(tmp_path / "results.jsonl", row)
    (stored,) = batch.read_results(tmp_path / "results.jsonl")
    assert stored.own_share == 0.0
    html = batch.write_comparison(tmp_path, [stored]).read_text()
    assert '<th scope="col">Own work</th>' in html
    assert '0 %<br><span class="tag">rest: Demo ML DevOps starter' in html


def test_a_row_without_provenance_shows_a_dash(tmp_path: Path) -> None:
    row = {
        "label": "ada",
        "spec": "gh:ada/x",
        "status": "ok",
        "real_world": 40.0,
        "certification": 10.0,
        "own_share": 7,  # edited by hand: not a share
    }
    (tmp_path / "results.jsonl").write_text(json.dumps(row) + "\n")
    rows = batch.read_results(tmp_path / "results.jsonl")
    html = batch.write_comparison(tmp_path, rows).read_text()
    assert '<td class="num own">\u2013</td>' in html  # an en dash


# the cache ------------------------------------------------------------------------------------
def test_a_new_index_is_new_analysis() -> None:
    before = Scope.of(modules=(), queries=(), upstreams="digest-1")
    after = Scope.of(modules=(), queries=(), upstreams="digest-2")
    assert before.key("ml/model.py", STARTER_MODEL) != after.key("ml/model.py", STARTER_MODEL)


def test_a_cached_scan_with_another_index_finds_the_other_upstream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = RepoBuilder(tmp_path / "census").files(STARTER_FILES).commit("Add files via upload")
    options = ScanOptions(cache_dir=tmp_path / "cache")
    use_index(monkeypatch, write_index(tmp_path / "one", [starter_upstream()]))
    first = scan(repo.root, options=options).provenance
    renamed = Upstream(
        repo="udacity-demo/census", family="Udacity demo", kind="course", files=STARTER_FILES
    )
    use_index(monkeypatch, write_index(tmp_path / "two", [renamed]))
    second = scan(repo.root, options=options).provenance
    assert first is not None and second is not None
    assert [u.name for u in first.upstreams] == [STARTER]
    assert [u.name for u in second.upstreams] == ["udacity-demo/census"]


# a course mention in the README ---------------------------------------------------------------
CAPSTONE_README = """
# Churn watch: MLOps Zoomcamp final project

A churn model retrained weekly, served with FastAPI and monitored for drift.
"""


def test_a_capstone_built_by_its_author_is_not_course_material(
    tmp_path: Path, starter_index: Path
) -> None:
    """The README says a course asked for it; provenance finds none of it in any known
    course material: the author's own project, written for a course."""
    root = repos.production_repo(tmp_path / "capstone")
    RepoBuilder(root).write("README.md", CAPSTONE_README).commit("Capstone")
    card = scan(root)
    assert card.provenance is not None and card.provenance.own_share == 1.0
    graded = card.criterion("graded-material")
    assert [item.path for item in graded.evidence] == ["README.md"]  # still shown
    assert graded.score == 0


def test_without_an_index_the_readme_still_says_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_index(monkeypatch, tmp_path / "no-index")
    root = repos.production_repo(tmp_path / "capstone")
    RepoBuilder(root).write("README.md", CAPSTONE_README).commit("Capstone")
    assert scan(root).criterion("graded-material").score == 100


def test_a_readme_that_names_the_course_of_a_copied_starter_makes_it_all_course_work(
    tmp_path: Path, starter_index: Path
) -> None:
    """Provenance finds the starter, partly filled in: the README's word stands for all."""
    repo = RepoBuilder(tmp_path / "census").files(STARTER_FILES)
    repo.write("ml/model.py", STARTER_MODEL + FILLED_IN)
    repo.write("README.md", "# Census income\n\nMy project for the ML DevOps Nanodegree.\n")
    card = scan(repo.commit("Add files via upload").root)
    provenance = card.provenance
    assert provenance is not None and 0 < provenance.own_share < 0.5
    assert card.criterion("graded-material").score == 100
