"""History analyzer: the shape of a real git history, read from one streamed `git log`."""

from __future__ import annotations

import os
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.history import (
    HistoryListingAnalyzer,
    is_ci_file,
    is_deploy_file,
    is_test_file,
)
from portfolio_check.analyzers.pipeline import analyze, listing_analyzers
from portfolio_check.analyzers.upstream_index import author_key
from portfolio_check.app.scan import scan
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import Fact, FindingFact, HistoryFact, InheritedFileFact
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.location import Location
from portfolio_check.report.view import history_line
from tests.repos import GIT_IDENTITY, RepoBuilder

BOB = "Bob Builder"


def run_history(path: Path, analyzer: HistoryListingAnalyzer | None = None) -> list[Fact]:
    snapshot = open_target(path)
    context = AnalysisContext(layout=ProjectLayout.from_snapshot(snapshot))
    return list((analyzer or HistoryListingAnalyzer()).analyze_listing(snapshot, context))


def only_history(facts: list[Fact]) -> HistoryFact:
    """The one history fact, besides the files an inherited history left unchanged."""
    others = [fact for fact in facts if not isinstance(fact, InheritedFileFact)]
    assert len(others) == 1, facts
    fact = others[0]
    assert isinstance(fact, HistoryFact)
    return fact


def commit_as(repo: RepoBuilder, message: str, date: str, email: str, name: str = BOB) -> None:
    """Commit everything as another author (RepoBuilder always commits as Ada)."""
    repo.git("add", "-A")
    env = {
        **os.environ,
        **GIT_IDENTITY,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=repo.root,
        env=env,
        check=True,
        capture_output=True,
    )


def git_run(cwd: Path, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        input=stdin,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def team_repo(root: Path) -> RepoBuilder:
    """Ten commits over five ISO weeks by two authors, with a feature branch merged --no-ff."""
    repo = RepoBuilder(root)
    repo.files({"README.md": "# churn\n", "src/model.py": "x = 1\n"}).commit(
        "Initial commit", date="2026-01-05T09:00:00+00:00"
    )  # 2 files added
    repo.files({"data/a.csv": "a\n", "data/b.csv": "b\n", "notebook.ipynb": "{}"}).commit(
        "Add files via upload", date="2026-01-05T18:00:00+00:00"
    )  # 3 files added, the largest commit
    repo.write("tests/test_model.py", "def test_x():\n    assert True\n")
    commit_as(repo, "Add tests", "2026-01-07T10:00:00+00:00", "Bob@Example.com")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("src/model.py", "x = 2\n")
    commit_as(repo, "Update model.py", "2026-01-13T10:00:00+00:00", "bob@example.com")
    repo.write(".github/workflows/ci.yml", "on: push\n")
    commit_as(repo, "Add CI workflow", "2026-01-14T10:00:00+00:00", "bob@example.com")
    repo.git("checkout", "-q", "main")
    repo.write("Dockerfile", "FROM python:3.11\n").commit(
        "Add Dockerfile (#7)", date="2026-01-15T15:00:00+00:00"
    )
    repo.git(
        "merge",
        "--no-ff",
        "-q",
        "-m",
        "Merge pull request #12 from ada/feature",
        "feature",
        date="2026-01-20T09:00:00+00:00",
    )
    # 01:00 in Tokyo on 3 February is 16:00 UTC on 2 February
    repo.write("k8s/deployment.yaml", "kind: Deployment\n").commit(
        "Add files via upload", date="2026-02-03T01:00:00+09:00"
    )
    repo.write("notes.md", "notes\n").commit("Create notes.md", date="2026-02-03T12:00:00+00:00")
    repo.write("src/model.py", "x = 3\n").commit("Update model", date="2026-02-04T12:00:00+00:00")
    return repo


@pytest.fixture
def far_east_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time at UTC+14, so a date taken in local time instead of UTC shows."""
    monkeypatch.setenv("TZ", "XXX-14")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("far_east_local_time")
def test_every_field_of_a_team_history(tmp_path: Path) -> None:
    repo = team_repo(tmp_path / "team")
    fact = only_history(run_history(repo.root))
    assert fact.location == Location(path=".git")
    assert fact.commits == 10
    assert fact.authors == 2  # Bob@Example.com and bob@example.com are one author
    # 01-05, 01-07, 01-13, 01-14, 01-15, 01-20, 02-02 (UTC), 02-03, 02-04
    assert fact.active_days == 9
    assert fact.active_weeks == 4  # ISO weeks 2, 3, 4 and 6 of 2026
    assert fact.span_days == 30
    assert fact.merges == 1
    assert fact.pr_merges == 2  # "Merge pull request #12 ..." and "... (#7)"
    # two "Add files via upload", "Update model.py", "Create notes.md"; not "Initial
    # commit" nor "Update model" (no file name)
    assert fact.web_uploads == 4
    assert fact.largest_commit_share == 3 / 10
    assert fact.shallow is False
    assert fact.first_commit == "2026-01-05"
    assert fact.last_commit == "2026-02-04"
    assert fact.first_test == "2026-01-07"
    assert fact.first_ci == "2026-01-14"
    assert fact.first_deploy == "2026-01-15"
    assert fact.placeholder is None


def test_history_is_registered_and_runs_in_a_full_analysis(tmp_path: Path) -> None:
    repo = team_repo(tmp_path / "team")
    assert "history" in [analyzer.name for analyzer in listing_analyzers()]
    facts = analyze(open_target(repo.root))
    (fact,) = facts.of("history")
    assert isinstance(fact, HistoryFact)
    assert fact.commits == 10


def test_a_history_without_tests_ci_or_deployment_leaves_those_dates_unset(
    tmp_path: Path,
) -> None:
    repo = RepoBuilder(tmp_path / "plain")
    repo.files({"train.py": "x = 1\n", "testing_notes.md": "no\n"}).commit(
        "Start", date="2026-03-02T10:00:00+00:00"
    )
    repo.write("utils.py", "y = 2\n").commit("More", date="2026-03-09T10:00:00+00:00")
    fact = only_history(run_history(repo.root))
    assert (fact.first_test, fact.first_ci, fact.first_deploy) == (None, None, None)
    assert (fact.commits, fact.span_days, fact.active_weeks) == (2, 7, 2)
    assert fact.largest_commit_share == 2 / 3


def test_only_modifying_commits_still_count(tmp_path: Path) -> None:
    """A commit that adds no file is still a commit (a diff filter would hide it)."""
    repo = RepoBuilder(tmp_path / "edits")
    repo.write("a.py", "x = 1\n").commit("Start", date="2026-03-02T10:00:00+00:00")
    for day in (3, 4, 5):
        repo.write("a.py", f"x = {day}\n").commit(f"Edit {day}", date=f"2026-03-0{day}T10:00:00Z")
    fact = only_history(run_history(repo.root))
    assert (fact.commits, fact.active_days, fact.span_days) == (4, 4, 3)
    assert fact.largest_commit_share == 1.0
    assert fact.placeholder is None


@pytest.mark.parametrize(
    ("commits", "placeholder"),
    [
        # six files and one more, all on one day
        (
            [
                ({f"f{i}.py": "x\n" for i in range(6)}, "2026-03-02T09:00:00Z"),
                ({"g.py": "y\n"}, "2026-03-02T17:00:00Z"),
            ],
            "a one-day dump of the work",
        ),
        # over two weeks, but eight of ten files arrived in one commit (share exactly 0.8)
        (
            [
                ({f"f{i}.py": "x\n" for i in range(8)}, "2026-03-02T09:00:00Z"),
                ({"g.py": "y\n", "h.py": "z\n"}, "2026-03-16T09:00:00Z"),
            ],
            "a one-day dump of the work",
        ),
        # over two weeks, seven of ten files in one commit: real work
        (
            [
                ({f"f{i}.py": "x\n" for i in range(7)}, "2026-03-02T09:00:00Z"),
                ({"g.py": "y\n", "h.py": "z\n", "i.py": "w\n"}, "2026-03-16T09:00:00Z"),
            ],
            None,
        ),
        # a project imported in one commit, then changed on three more days: an import, not
        # a dump (a reference repository published from elsewhere, then maintained)
        (
            [
                ({f"f{i}.py": "x\n" for i in range(10)}, "2026-03-02T09:00:00Z"),
                ({"f1.py": "y\n"}, "2026-03-09T09:00:00Z"),
                ({"f2.py": "y\n"}, "2026-03-20T09:00:00Z"),
                ({"f3.py": "y\n"}, "2026-04-02T09:00:00Z"),
            ],
            None,
        ),
        # the same import, changed on only two later days: still one upload
        (
            [
                ({f"f{i}.py": "x\n" for i in range(10)}, "2026-03-02T09:00:00Z"),
                ({"f1.py": "y\n"}, "2026-03-09T09:00:00Z"),
                ({"f2.py": "y\n"}, "2026-03-20T09:00:00Z"),
            ],
            "a one-day dump of the work",
        ),
        # one day, but only four files: too little to call a dump
        (
            [
                ({"a.py": "x\n", "b.py": "y\n"}, "2026-03-02T09:00:00Z"),
                ({"c.py": "x\n", "d.py": "y\n"}, "2026-03-02T12:00:00Z"),
            ],
            None,
        ),
    ],
)
def test_dump_placeholder(
    tmp_path: Path, commits: list[tuple[dict[str, str], str]], placeholder: str | None
) -> None:
    repo = RepoBuilder(tmp_path / "dump")
    for index, (files, date) in enumerate(commits):
        repo.files(files).commit(f"Work {index}", date=date)
    fact = only_history(run_history(repo.root))
    assert fact.commits == len(commits)
    assert fact.placeholder == placeholder


def test_single_commit_repo(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "single")
    repo.files({"model.py": "x = 1\n", "README.md": "# m\n"}).commit(
        "Initial commit",
        date="2026-04-01T23:30:00-02:00",  # 01:30 UTC on 2 April
    )
    fact = only_history(run_history(repo.root))
    assert fact.commits == 1
    assert fact.authors == 1
    assert (fact.active_days, fact.active_weeks, fact.span_days) == (1, 1, 0)
    assert fact.first_commit == fact.last_commit == "2026-04-02"
    assert fact.web_uploads == 0  # "Initial commit" is not a web-editor subject
    assert fact.largest_commit_share == 1.0
    assert fact.placeholder == "a single commit"


def test_single_commit_dump_is_called_a_dump(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "single-dump")
    repo.files({f"nb{i}.ipynb": "{}" for i in range(5)}).commit("Add files via upload")
    fact = only_history(run_history(repo.root))
    assert (fact.commits, fact.web_uploads) == (1, 1)
    assert fact.placeholder == "a one-day dump of the work"


def test_a_plain_folder_has_no_history(tmp_path: Path) -> None:
    RepoBuilder(tmp_path / "plain", git=False).write("model.py", "x = 1\n")
    assert run_history(tmp_path / "plain") == []


def test_a_repo_without_commits_has_no_history(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "fresh")
    repo.write("model.py", "x = 1\n")
    snapshot = open_target(repo.root)
    assert snapshot.is_git
    assert snapshot.commit is None
    assert run_history(repo.root) == []


def test_shallow_clone_reports_what_it_has(tmp_path: Path) -> None:
    origin = team_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    git_run(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin.root}", str(clone))
    fact = only_history(run_history(clone))
    assert fact.shallow is True
    assert fact.commits == 1
    assert fact.first_commit == fact.last_commit == "2026-02-04"
    # the boundary commit shows every file of the tree as added: all nine of them
    assert fact.largest_commit_share == 1.0
    assert fact.first_test == fact.first_ci == fact.first_deploy == "2026-02-04"
    assert fact.placeholder == "a one-day dump of the work"


def test_history_is_capped_at_max_commits(tmp_path: Path) -> None:
    repo = team_repo(tmp_path / "team")
    facts = run_history(repo.root, HistoryListingAnalyzer(max_commits=3))
    history = [fact for fact in facts if isinstance(fact, HistoryFact)]
    findings = [fact for fact in facts if isinstance(fact, FindingFact)]
    assert len(history) == 1
    # the newest three commits: 02-02 (UTC), 02-03 and 02-04
    assert history[0].commits == 3
    assert (history[0].first_commit, history[0].last_commit) == ("2026-02-02", "2026-02-04")
    assert history[0].web_uploads == 2
    assert [(f.analyzer, f.message) for f in findings] == [
        ("history", "the history has more than 3 commits; only the newest 3 were read")
    ]


def test_a_slow_git_log_is_stopped(tmp_path: Path) -> None:
    repo = team_repo(tmp_path / "team")
    facts = run_history(repo.root, HistoryListingAnalyzer(timeout=0))
    assert len(facts) == 1
    finding = facts[0]
    assert isinstance(finding, FindingFact)
    assert finding.analyzer == "history"
    assert finding.message == "git log took more than 0 s and was stopped"


def _armed_script(tmp_path: Path, canary: Path) -> Path:
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {canary}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def _signed_commit(repo: RepoBuilder, message: str) -> None:
    """A commit carrying a (fake) signature: `log.showSignature` would run gpg on it."""
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    parent = repo.head()
    body = (
        f"tree {tree}\nparent {parent}\n"
        "author Ada Learner <ada@example.com> 1775124000 +0000\n"
        "committer Ada Learner <ada@example.com> 1775124000 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n"
        f"\n{message}\n"
    )
    sha = git_run(repo.root, "hash-object", "-t", "commit", "-w", "--stdin", stdin=body)
    repo.git("update-ref", "refs/heads/main", sha)


def test_repo_config_cannot_run_programs_during_the_log(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    script = _armed_script(tmp_path, canary)
    repo = RepoBuilder(tmp_path / "repo")
    repo.write("a.py", "x = 1\n").commit("first", date="2026-04-01T10:00:00Z")
    _signed_commit(repo, "signed")
    for key in ("core.fsmonitor", "core.pager", "diff.external", "gpg.program"):
        repo.git("config", key, str(script))
    repo.git("config", "log.showSignature", "true")
    fact = only_history(run_history(repo.root))
    assert fact.commits == 2
    assert fact.last_commit == "2026-04-02"
    assert not canary.exists()
    # the trap is real: an unhardened `git log` in this repo runs the script
    repo.git("log", "-1")
    assert canary.exists()


def test_repo_config_cannot_change_what_is_counted(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "repo")
    repo.files(
        {"src/a.py": "x = 1\n", "src/b.py": "def f():\n    return 1\n" * 20, "src/c.py": "z\n"}
    ).commit("Start", date="2026-04-01T10:00:00Z")
    (repo.root / "tests").mkdir()
    repo.git("mv", "src/b.py", "tests/test_b.py")
    repo.commit("Move into tests", date="2026-04-08T10:00:00Z")
    repo.write("tést_ünïcode.py", "x = 1\n").commit("Add unicode", date="2026-04-09T10:00:00Z")
    for key, value in (
        ("log.showRoot", "false"),  # would hide the first commit's files
        ("diff.renames", "copies"),  # would show the move as a rename, not an addition
        ("color.ui", "always"),
        ("core.quotePath", "true"),
        ("i18n.logOutputEncoding", "ISO-8859-1"),
        ("log.abbrevCommit", "true"),
    ):
        repo.git("config", key, value)
    fact = only_history(run_history(repo.root))
    assert fact.commits == 3
    assert fact.largest_commit_share == 3 / 5  # the first commit's three of five files
    assert fact.first_test == "2026-04-08"  # the move added tests/test_b.py


def test_corrupt_repo_becomes_a_finding(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "corrupt")
    repo.write("a.py", "x = 1\n").commit("first", date="2026-04-01T10:00:00Z")
    parent = repo.head()
    repo.write("b.py", "y = 2\n").commit("second", date="2026-04-02T10:00:00Z")
    (repo.root / ".git" / "objects" / parent[:2] / parent[2:]).unlink()
    facts = run_history(repo.root)
    assert len(facts) == 1
    finding = facts[0]
    assert isinstance(finding, FindingFact)
    assert finding.analyzer == "history"
    assert finding.location == Location(path=".git")
    assert finding.message.startswith("git log failed (exit 128): ")
    assert "\n" not in finding.message


@pytest.mark.parametrize(
    ("path", "test", "ci", "deploy"),
    [
        ("tests/test_model.py", True, False, False),
        ("pkg/test/helpers.py", True, False, False),
        ("test_model.py", True, False, False),
        ("src/model_test.py", True, False, False),
        ("tests/data.csv", False, False, False),
        ("src/testing.py", False, False, False),
        (".github/workflows/ci.yml", False, True, False),
        (".github/workflows/release.yaml", False, True, False),
        (".github/workflows/README.md", False, False, False),
        (".gitlab-ci.yml", False, True, False),
        (".circleci/config.yml", False, True, False),
        ("Jenkinsfile", False, True, False),
        ("azure-pipelines.yml", False, True, False),
        ("Dockerfile", False, False, True),
        ("docker/api.dockerfile", False, False, True),
        ("Dockerfile.gpu", False, False, True),
        ("docker-compose.yml", False, False, True),
        ("compose.yaml", False, False, True),
        ("deploy/k8s/service.yaml", False, False, True),
        ("kubernetes/deployment.yml", False, False, True),
        ("Procfile", False, False, True),
        ("serverless.yml", False, False, True),
        ("bentofile.yaml", False, False, True),
        ("config.yaml", False, False, False),
        ("src//tests/./helpers.py", True, False, False),  # parts as pathlib reads them
        ("tests/", False, False, False),
        (".py", False, False, False),  # a dot file, not a Python module
        ("K8S/Service.YAML", False, False, True),
        ("deploy/k8s/", False, False, False),
        ("ops/Compose.yml", False, False, True),
    ],
)
def test_file_kinds(path: str, test: bool, ci: bool, deploy: bool) -> None:
    assert (is_test_file(path), is_ci_file(path), is_deploy_file(path)) == (test, ci, deploy)


@pytest.mark.parametrize(
    ("subject", "web", "pr"),
    [
        ("Add files via upload", True, False),
        ("Create README.md", True, False),
        ("Update src/model.py", True, False),
        ("Delete old.ipynb", True, False),
        ("Rename a.py to b.py", True, False),
        ("Update model", False, False),
        ("Create two files.md", False, False),
        ("Initial commit", False, False),
        ("add files via upload", False, False),
        ("Merge pull request #3 from ada/x", False, True),
        ("Add training loop (#41)", False, True),
        ("Merge branch 'main' into feature", False, False),
        ("Fix #41", False, False),
    ],
)
def test_subjects(tmp_path: Path, subject: str, web: bool, pr: bool) -> None:
    repo = RepoBuilder(tmp_path / "subjects")
    repo.write("a.py", "x = 1\n").commit(subject)
    fact = only_history(run_history(repo.root))
    assert (fact.web_uploads, fact.pr_merges) == (int(web), int(pr))


def starter_with_a_learner(root: Path, learner_days: list[str]) -> RepoBuilder:
    """A course starter built over months by three staff authors with pull requests, forked
    with its history; then the learner's commits (as Ada) on the given days."""
    repo = RepoBuilder(root)
    staff = ["anna@course.example", "thiago@course.example", "kim@course.example"]
    for month in range(1, 7):
        repo.write(f"starter/step{month}.py", f"# TODO {month}\n")
        commit_as(
            repo,
            f"Merge pull request #{month} from staff/step{month}",
            f"2023-{month:02d}-10T10:00:00+00:00",
            staff[month % 3],
            name=staff[month % 3].split("@")[0],
        )
    for index, day in enumerate(learner_days):
        repo.write(f"starter/step{index + 1}.py", f"answer = {index}\n").commit(
            f"Fill in step {index + 1}", date=f"{day}T10:00:00+00:00"
        )
    return repo


def test_a_forked_starters_history_is_inherited_not_the_learners(tmp_path: Path) -> None:
    repo = starter_with_a_learner(tmp_path / "starter", ["2025-08-05"] * 3)
    fact = only_history(run_history(repo.root))
    assert fact.inherited_commits == 6
    assert (fact.commits, fact.authors, fact.active_days, fact.pr_merges) == (3, 1, 1, 0)
    assert fact.first_commit == "2025-08-05"
    assert fact.describe() == (
        "3 commits by 1 author on 1 day over 0 days, after 6 inherited commits by others"
    )


def test_a_learner_who_worked_for_weeks_on_a_fork_keeps_that_history(tmp_path: Path) -> None:
    days = ["2025-08-05", "2025-08-14", "2025-08-26", "2025-09-09", "2025-09-23"]
    repo = starter_with_a_learner(tmp_path / "starter", days)
    fact = only_history(run_history(repo.root))
    assert (fact.inherited_commits, fact.commits, fact.active_weeks) == (6, 5, 5)
    assert fact.placeholder is None


def test_a_team_whose_members_overlap_inherits_nothing(tmp_path: Path) -> None:
    """A newcomer joins a team that keeps committing: one history, not two."""
    repo = starter_with_a_learner(tmp_path / "team", ["2025-08-05"])
    repo.write("starter/step9.py", "fix\n")
    commit_as(repo, "Review fix", "2025-08-06T10:00:00+00:00", "anna@course.example", name="anna")
    repo.write("starter/step10.py", "more\n").commit("More", date="2025-08-07T10:00:00+00:00")
    fact = only_history(run_history(repo.root))
    assert (fact.inherited_commits, fact.commits) == (0, 9)


def test_one_person_under_two_addresses_is_one_author(tmp_path: Path) -> None:
    """Commits made in GitHub's web editor carry a noreply address but the same name."""
    repo = RepoBuilder(tmp_path / "solo")
    for month in range(1, 7):
        repo.write(f"nb{month}.ipynb", "{}")
        commit_as(
            repo,
            f"Add files via upload {month}",
            f"2025-{month:02d}-02T10:00:00+00:00",
            "123+ada@users.noreply.github.com",
            name="Ada Learner",
        )
    repo.write("train.py", "x = 1\n").commit("Train", date="2025-07-01T10:00:00+00:00")
    fact = only_history(run_history(repo.root))
    assert (fact.inherited_commits, fact.commits) == (0, 7)


def test_the_scorecard_judges_the_learners_own_history(tmp_path: Path) -> None:
    repo = starter_with_a_learner(tmp_path / "starter", ["2025-08-05"] * 6)
    card = scan(repo.root)
    assert card.history is not None and card.history.inherited_commits == 6
    history = card.criterion("iterative-history")
    assert history.score == 0  # a one-day dump, however long the starter's history
    assert history_line(card) == (
        "6 commits by 1 author on 1 day, 2025-08-05 to 2025-08-05, "
        "after 6 inherited commits by others"
    )
    assert card.to_json_dict()["history"]["inherited_commits"] == 6


def test_a_learner_under_two_unlinked_names_starts_as_one(tmp_path: Path) -> None:
    """The learner's first commit came from the web editor under their account name, the
    rest from their laptop under another: both are today's work, not the starter's."""
    repo = starter_with_a_learner(tmp_path / "starter", [])
    repo.write(".github/workflows/ci.yml", "on: push\n")
    commit_as(
        repo,
        "Create ci.yml",
        "2025-08-05T09:00:00+00:00",
        "9+tyler@users.noreply.github.com",
        name="tyler",
    )
    for step in range(3):
        repo.write(f"starter/step{step + 1}.py", f"answer = {step}\n").commit(
            f"Fill in step {step + 1}", date="2025-08-05T10:00:00+00:00"
        )
    fact = only_history(run_history(repo.root))
    assert (fact.inherited_commits, fact.commits, fact.authors) == (6, 4, 2)


def test_files_left_as_the_starter_had_them_are_not_the_learners(tmp_path: Path) -> None:
    """The starter's pinned requirements and its workflow, untouched, are its work; the
    step the learner filled in and the test they wrote are theirs."""
    repo = RepoBuilder(tmp_path / "starter")
    repo.write("requirements.txt", "pandas==2.2.2\nscikit-learn==1.5.1\nfastapi==0.111.0\n")
    repo.write(
        ".github/workflows/manual.yml",
        "on: workflow_dispatch\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: pytest\n",
    )
    repo.write("ml/model.py", "def train(x):\n    raise NotImplementedError  # TODO\n")
    for month in range(1, 7):
        repo.write(f"docs/step{month}.md", f"# Step {month}\n")
        commit_as(
            repo,
            f"Step {month}",
            f"2023-{month:02d}-10T10:00:00+00:00",
            "staff@course.example",
            name="staff",
        )
    repo.write(
        "ml/model.py",
        "from sklearn.linear_model import LogisticRegression\n\n\ndef train(x, y):\n    return LogisticRegression().fit(x, y)\n",
    )
    repo.write(
        "tests/test_model.py",
        "from ml.model import train\n\n\ndef test_train():\n    assert train([[0], [1]], [0, 1]) is not None\n",
    )
    repo.commit("Fill in the model", date="2025-08-05T10:00:00+00:00")
    facts = run_history(repo.root)
    inherited = sorted(fact.path for fact in facts if isinstance(fact, InheritedFileFact))
    assert inherited == [
        ".github/workflows/manual.yml",
        *(f"docs/step{m}.md" for m in range(1, 7)),
        "requirements.txt",
    ]
    card = scan(repo.root)
    pinned = card.criterion("pinned-dependencies")
    assert pinned.level <= EvidenceLevel.CLAIMED
    assert any(
        item.placeholder and item.placeholder.startswith("inherited unchanged from earlier authors")
        for item in pinned.evidence
    )
    assert card.criterion("unit-tests").level >= EvidenceLevel.WIRED  # the learner's own test


def test_the_root_commit_and_the_main_authors_are_known(tmp_path: Path) -> None:
    """What tells an upstream's own repository from a copy: where its history starts, and
    who made it (as the upstream index keys authors: hashes of their e-mail addresses)."""
    repo = RepoBuilder(tmp_path / "team")
    for day in range(1, 4):
        repo.write(f"step{day}.py", f"x = {day}\n")
        commit_as(repo, f"Step {day}", f"2025-05-0{day}T10:00:00+00:00", "bob@example.com")
    repo.write("step4.py", "x = 4\n").commit("Step 4", date="2025-05-05T10:00:00+00:00")
    root = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    fact = only_history(run_history(repo.root))
    assert fact.root_commit == root
    assert fact.author_keys == (author_key("bob@example.com"), author_key("ada@example.com"))
    assert fact.latest_author == author_key("ada@example.com")
    assert "bob@example.com" not in repr(fact)  # keys only, no address


def test_a_shallow_clone_has_no_root_to_compare(tmp_path: Path) -> None:
    origin = RepoBuilder(tmp_path / "origin")
    for day in range(1, 4):
        origin.write("x.py", f"x = {day}\n").commit(f"x{day}", date=f"2025-05-0{day}T10:00:00Z")
    subprocess.run(
        ["git", "clone", "-q", "--depth=1", f"file://{origin.root}", str(tmp_path / "shallow")],
        check=True,
        capture_output=True,
    )
    fact = only_history(run_history(tmp_path / "shallow"))
    assert fact.shallow and fact.root_commit == ""
