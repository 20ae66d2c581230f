"""A learner's first scans, as they run them: `portfolio-check .` inside their own git
repository, through the installed command, and what `git status`, the terminal and the
reports then show (issue 15, "For the learner")."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portfolio_check.common.plural import counted, noun_for, plural_of
from tests import repos

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
PROJECT = Path(__file__).resolve().parents[1]
REPORT = Path("portfolio-check-report") / "scorecard.html"
#: A count of one with a plural noun, as "1 days" or "1 files" would be.
WRONG_SINGULAR = re.compile(
    r"\b1 (?:commits|days|files|authors|points|pts|cells|lines|words|assertions|notebooks)\b"
)


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """The installed `portfolio-check`, as a learner runs it from a shell."""
    return subprocess.run(
        [*prefix, str(ENTRY_POINT), *args],
        check=False,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def git_status(repo: Path) -> str:
    result = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        env={**os.environ, **repos.GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def one_commit_repo(root: Path) -> Path:
    """One file, one commit, one author, one day: every count in the report is 1."""
    repo = repos.RepoBuilder(root)
    repo.write("train.py", "import sklearn\n\n\ndef fit(rows):\n    return sorted(rows)\n")
    repo.commit("first and only commit")
    return root


# 1. the default report leaves nothing `git status` shows ----------------------------------
@pytest.mark.parametrize("fmt", [None, "html", "json", "markdown", "sarif"])
def test_a_scan_of_the_current_repository_leaves_git_status_clean(
    fmt: str | None, tmp_path: Path
) -> None:
    repo = repos.honest_repo(tmp_path / "spamfilter")
    assert git_status(repo) == ""
    files = _files_scanned(repo)
    first = run(".", *(("-f", fmt) if fmt else ()), cwd=repo)
    assert first.returncode == 0, first.stderr
    assert git_status(repo) == ""
    extension = {None: "html", "html": "html", "json": "json", "markdown": "md", "sarif": "sarif"}
    written = repo / "portfolio-check-report" / f"scorecard.{extension[fmt]}"
    assert written.is_file()
    assert (repo / "portfolio-check-report" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert f"Scorecard written to {written.relative_to(repo)} (a folder git ignores" in first.stderr
    assert _files_scanned(repo) == files  # a rescan does not score its own report
    assert git_status(repo) == ""


def _files_scanned(folder: Path) -> str:
    """`(8 files)`, from the summary's header."""
    header = run(".", "-f", "text", cwd=folder).stdout.splitlines()[1]
    found = re.search(r"\((\d+ files?)\)$", header)
    assert found, header
    return found[1]


def test_a_plain_folder_never_scores_its_own_report_folder(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    repos.RepoBuilder(folder, git=False).write("analysis.py", "import pandas\n")
    assert run(".", cwd=folder).returncode == 0
    assert (folder / REPORT).is_file()
    assert _files_scanned(folder) == "1 file"


def test_a_folder_of_that_name_that_is_not_ours_is_scanned(tmp_path: Path) -> None:
    """Naming a folder like ours cannot hide the repository's own files from the scan."""
    repo = repos.RepoBuilder(tmp_path / "project")
    repo.write("portfolio-check-report/Week1_graded_notebook.py", "# GRADED FUNCTION\n")
    repo.commit("course work")
    assert _files_scanned(repo.root) == "1 file"


def test_an_explicit_output_is_honoured_as_given(tmp_path: Path) -> None:
    repo = repos.honest_repo(tmp_path / "spamfilter")
    result = run(".", "-o", "mine.html", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "mine.html").is_file()
    assert not (repo / "portfolio-check-report").exists()
    assert git_status(repo) == "?? mine.html\n"  # the user asked for that file there
    assert "Scorecard written to mine.html\n" in result.stderr


def test_a_planted_report_link_is_refused_and_nothing_written_through_it(tmp_path: Path) -> None:
    repo = repos.honest_repo(tmp_path / "spamfilter")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "portfolio-check-report").symlink_to(elsewhere, target_is_directory=True)
    result = run(".", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "portfolio-check-report: is not a folder portfolio-check can write" in result.stderr
    assert list(elsewhere.iterdir()) == []


# 2. the report is named after the project ------------------------------------------------
def test_reports_are_named_after_the_origin_repository_never_dot(tmp_path: Path) -> None:
    repo = repos.honest_repo(tmp_path / "checkout")
    subprocess.run(
        ["git", "remote", "add", "origin", "git@github.com:ada/spam-filter.git"],
        cwd=repo,
        check=True,
    )
    assert run(".", "-q", cwd=repo).returncode == 0
    html = (repo / REPORT).read_text()
    assert "<title>portfolio-check: spam-filter</title>" in html
    assert "<h1>spam-filter</h1>" in html
    text = run(".", "-f", "text", cwd=repo).stdout
    assert "Project: spam-filter (.)" in text
    markdown = run(".", "-f", "markdown", "-o", "-", cwd=repo).stdout
    assert markdown.startswith("## portfolio-check: spam-filter\n")
    document = json.loads(run(".", "-f", "json", "-o", "-", cwd=repo).stdout)
    assert document["target"]["name"] == "spam-filter"
    assert document["target"]["path"] == "."


def test_without_an_origin_the_report_takes_the_folder_name(tmp_path: Path) -> None:
    repo = repos.honest_repo(tmp_path / "my-first-model")
    run(".", "-q", cwd=repo)
    html = (repo / REPORT).read_text()
    assert "<title>portfolio-check: my-first-model</title>" in html
    assert "portfolio-check: .<" not in html and "<h1>.</h1>" not in html
    markdown = run(".", "-f", "markdown", "-o", "-", cwd=repo).stdout
    assert markdown.startswith("## portfolio-check: my-first-model\n")


# 4. -q, stdout and plurals ---------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        (),
        ("-f", "text"),
        ("-f", "html"),
        ("-f", "json", "-o", "card.json"),
        ("-f", "markdown"),
        ("-f", "sarif"),
    ],
)
def test_quiet_prints_nothing_in_any_format(args: tuple[str, ...], tmp_path: Path) -> None:
    repo = repos.honest_repo(tmp_path / "spamfilter")
    result = run(".", "-q", *args, cwd=repo)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_quiet_still_prints_the_error_that_fails_the_gate(tmp_path: Path) -> None:
    repo = repos.honest_repo(tmp_path / "spamfilter")
    result = run(".", "-q", "-f", "text", "--fail-under", "99", cwd=repo)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        next(line for line in result.stderr.splitlines() if "below --fail-under 99" in line)
    ]


def test_the_pre_commit_hook_prints_nothing_unless_it_fails(tmp_path: Path) -> None:
    """The hook as `.pre-commit-hooks.yaml` declares it, run the way pre-commit runs it."""
    (hook,) = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    command = shlex.split(hook["entry"])
    assert command[0] == "portfolio-check"
    repo = repos.honest_repo(tmp_path / "spamfilter")
    passing = run(*command[1:], "--fail-under", "5", cwd=repo)
    assert (passing.returncode, passing.stdout, passing.stderr) == (0, "", "")
    failing = run(*command[1:], "--fail-under", "99", cwd=repo)
    assert failing.returncode == 1
    assert len((failing.stdout + failing.stderr).splitlines()) == 1
    assert git_status(repo) == ""


def test_a_json_file_report_keeps_the_summary_off_stdout(tmp_path: Path) -> None:
    repo = repos.honest_repo(tmp_path / "spamfilter")
    result = run(".", "-f", "json", "-o", "card.json", cwd=repo)
    assert result.returncode == 0
    assert result.stdout == ""
    assert "Real-world evidence" in result.stderr  # the summary, for the person watching
    json.loads((repo / "card.json").read_text())


@pytest.mark.parametrize("quiet", [(), ("-q",)])
def test_stdout_holds_only_the_document_with_dash_o(quiet: tuple[str, ...], tmp_path: Path) -> None:
    repo = repos.honest_repo(tmp_path / "spamfilter")
    result = run(".", *quiet, "-f", "json", "-o", "-", cwd=repo)
    assert json.loads(result.stdout)["target"]["name"] == "spamfilter"
    assert result.stderr == ""


def test_counts_of_one_are_singular_in_every_format(tmp_path: Path) -> None:
    repo = one_commit_repo(tmp_path / "tiny")
    text = run(".", "-f", "text", cwd=repo).stdout
    assert "(1 file)" in text
    assert "1 commit by 1 author on 1 day" in text
    for fmt in ("text", "markdown", "json", "html", "sarif"):
        output = run(".", "-f", fmt, "-o", "-", cwd=repo).stdout
        assert not WRONG_SINGULAR.search(output), (fmt, WRONG_SINGULAR.findall(output))
    html = run(".", "-f", "html", "-o", "-", cwd=repo).stdout
    assert "1 file scanned" in html


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "file", "1 file"),
        (0, "file", "0 files"),
        (2, "day", "2 days"),
        (1_204, "commit", "1,204 commits"),
        (3, "dependency", "3 dependencies"),
        (2, "match", "2 matches"),
        (1.0, "point", "1 point"),
        (2.6, "point", "3 points"),
        (0.6, "point", "1 point"),
    ],
)
def test_counted(count: float, noun: str, expected: str) -> None:
    assert counted(count, noun) == expected


def test_plural_forms() -> None:
    assert [plural_of(noun) for noun in ("key", "box", "criterion", "was")] == [
        "keys",
        "boxes",
        "criteria",
        "were",
    ]
    assert noun_for(1, "was") == "was" and noun_for(3, "was") == "were"


# 5. a scan that degrades says why --------------------------------------------------------
def _refused_by_git(repo: Path) -> dict[str, str]:
    """Make git refuse `repo` as it refuses a repository of another user: for real, by
    giving it to another user (as root), else with git's own switch for that case."""
    if os.geteuid() == 0:
        for path in [repo, *repo.rglob("*")]:
            os.lchown(path, 12345, 12345)
        return {}
    return {"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"}


def test_a_repository_git_refuses_is_a_finding_with_gits_reason(tmp_path: Path) -> None:
    repo = repos.honest_repo(tmp_path / "shared")
    env = _refused_by_git(repo)
    out = tmp_path / "out"
    out.mkdir()
    result = run(str(repo), "-f", "json", "-o", "-", cwd=out, env=env)
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    (refusal,) = [finding for finding in findings if finding["path"] == ".git"]
    assert "git refused this repository: detected dubious ownership" in refusal["message"]
    assert "belongs to another user" in refusal["message"]
    assert "scan a clone you own" in refusal["message"]
    text = run(str(repo), "-f", "text", cwd=out, env=env).stdout
    assert "! .git: git refused this repository: detected dubious ownership" in text
    markdown = run(str(repo), "-f", "markdown", "-o", "-", cwd=out, env=env).stdout
    assert "dubious ownership" in markdown
    html = run(str(repo), "-f", "html", "-o", "-", cwd=out, env=env).stdout
    assert "dubious ownership" in html


def _without_read_bypass() -> tuple[str, ...]:
    """How to run the command so that a folder's mode 000 is obeyed. As root, permissions
    bind only once the capabilities that bypass them are dropped (setpriv)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, where chmod 000 blocks no read, and no setpriv to drop it")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search")


@pytest.mark.parametrize("git", [True, False])
def test_a_folder_that_cannot_be_read_is_a_finding_with_the_reason(
    git: bool, tmp_path: Path
) -> None:
    prefix = _without_read_bypass()
    builder = repos.RepoBuilder(tmp_path / "project", git=git)
    builder.write("src/model.py", "import sklearn\n").write("private/secret.py", "x = 1\n")
    if git:
        builder.commit("code")
    private = builder.root / "private"
    private.chmod(0)
    try:
        result = run(".", "-f", "json", "-o", "-", "--no-cache", cwd=builder.root, prefix=prefix)
        text = run(".", "-f", "text", "--no-cache", cwd=builder.root, prefix=prefix).stdout
    finally:
        private.chmod(0o755)
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert {
        "path": "private",
        "line": None,
        "message": ("folder could not be read (Permission denied): nothing in it was scanned"),
    } in findings
    assert "! private: folder could not be read (Permission denied)" in text


# 6. a low grade is not printed in a high grade's colour ---------------------------------
def test_the_terminal_colours_the_score_by_its_grade(tmp_path: Path) -> None:
    low = repos.coursework_repo(tmp_path / "course")
    high = repos.production_repo(tmp_path / "service")
    coloured = {
        name: run(".", "-f", "text", "--color", cwd=repo).stdout.splitlines()
        for name, repo in (("low", low), ("high", high))
    }
    score_line = {
        name: next(line for line in lines if "Real-world evidence" in line)
        for name, lines in coloured.items()
    }
    assert re.search(r"grade [AB]", score_line["high"]) and "\x1b[32m" in score_line["high"]
    assert re.search(r"grade [DE]", score_line["low"]) and "\x1b[31m" in score_line["low"]
    assert "\x1b[32m" not in score_line["low"]
