"""`portfolio-check github`: a pull request scanned against its base, published to a fake
GitHub on 127.0.0.1, as the Action and other CI systems run it."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.cli import main
from portfolio_check.model.source_links import SourceLinks
from portfolio_check.report.pr_comment import render as render_comment
from portfolio_check.scoring.compare import compare
from tests.app.github.test_api import MARKER, TOKEN, FakeGitHub, Fault
from tests.repos import PRODUCTION_PACKAGE, RepoBuilder

GOLDEN = Path(__file__).resolve().parents[2] / "golden"
BASE_FILES = {
    k: v for k, v in PRODUCTION_PACKAGE.items() if k.startswith(("src/", "pyproject", "README"))
}
PR_NUMBER = 7


def pull_request_repo(root: Path, *, raise_score: bool = True) -> tuple[Path, str, str]:
    """A repo whose PR adds (or removes) the tests and CI: (path, base sha, head sha)."""
    repo = RepoBuilder(root)
    start = BASE_FILES if raise_score else PRODUCTION_PACKAGE
    repo.files(start).commit("Project", date="2026-02-02T09:00:00+00:00")
    base = repo.head()
    if raise_score:
        repo.files(PRODUCTION_PACKAGE).commit("Add tests and CI", date="2026-02-09T09:00:00+00:00")
    else:
        for path in ("tests/test_api.py", "tests/test_features.py", ".github/workflows/ci.yml"):
            (root / path).unlink()
        repo.commit("Drop the tests", date="2026-02-09T09:00:00+00:00")
    return root, base, repo.head()


def event_file(directory: Path, base: str, head: str, *, fork: bool = False) -> Path:
    head_repo = "mallory/churnwatch" if fork else "octo/churnwatch"
    event = {
        "action": "synchronize",
        "number": PR_NUMBER,
        "pull_request": {
            "number": PR_NUMBER,
            "base": {"sha": base, "repo": {"full_name": "octo/churnwatch"}},
            "head": {"sha": head, "repo": {"full_name": head_repo}},
        },
    }
    path = directory / "event.json"
    path.write_text(json.dumps(event))
    return path


def run_github(
    args: list[str],
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str, str]:
    for name in (
        "GITHUB_EVENT_PATH",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_OUTPUT",
        "GITHUB_REPOSITORY",
        "GITHUB_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exited:
        main(["github", *args])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def actions_env(tmp_path: Path, event: Path, fake: FakeGitHub) -> dict[str, str]:
    return {
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "outputs.txt"),
        "GITHUB_REPOSITORY": "octo/churnwatch",
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": fake.api_url,
        "GITHUB_SERVER_URL": "https://github.com",
    }


def outputs(tmp_path: Path) -> dict[str, str]:
    lines = (tmp_path / "outputs.txt").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_pull_request_comment_summary_and_outputs(
    tmp_path: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, base, head = pull_request_repo(tmp_path / "repo")
    env = actions_env(tmp_path, event_file(tmp_path, base, head), github)
    code, _, err = run_github(
        [str(repo), "--report-dir", str(tmp_path / "out")], env, monkeypatch, capsys
    )
    assert code == 0, err
    values = outputs(tmp_path)
    assert float(values["delta"]) > 20
    assert float(values["score"]) > 50
    assert Path(values["report-path"]).read_text().startswith("<!DOCTYPE html>")
    (body,) = github.bodies(PR_NUMBER)
    assert body.startswith(MARKER)
    assert "⬆️ **Tests that import the project and assert on it**" in body
    assert f"https://github.com/octo/churnwatch/blob/{head}/tests/test_api.py#L" in body
    assert (tmp_path / "summary.md").read_text().strip() == body.strip()
    assert [m for m, _ in github.calls()] == ["GET", "POST"]
    # the next push updates the same comment instead of adding one
    code, _, _ = run_github(
        [str(repo), "--report-dir", str(tmp_path / "out")], env, monkeypatch, capsys
    )
    assert code == 0
    assert len(github.bodies(PR_NUMBER)) == 1
    assert [m for m, _ in github.calls()][-1] in (
        "GET",
        "PATCH",
    )  # identical body: nothing to write


def test_a_fork_pull_request_warns_and_still_writes_the_summary(
    tmp_path: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, base, head = pull_request_repo(tmp_path / "repo")
    github.faults.append(
        Fault(method="POST", status=403, body={"message": "Resource not accessible by integration"})
    )
    env = actions_env(tmp_path, event_file(tmp_path, base, head, fork=True), github)
    code, _, err = run_github(
        [str(repo), "--report-dir", str(tmp_path / "out")], env, monkeypatch, capsys
    )
    assert code == 0
    assert "::warning title=portfolio-check::could not update the pull-request comment" in err
    assert TOKEN not in err
    assert MARKER in (tmp_path / "summary.md").read_text()
    assert github.bodies(PR_NUMBER) == []


def test_comment_false_deletes_our_comment(
    tmp_path: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, base, head = pull_request_repo(tmp_path / "repo")
    github.add(f"{MARKER}\nold scorecard", login="github-actions[bot]", number=PR_NUMBER)
    github.add("a human's review", number=PR_NUMBER)
    env = actions_env(tmp_path, event_file(tmp_path, base, head), github)
    code, _, _ = run_github(
        [str(repo), "--no-comment", "--report-dir", str(tmp_path / "out")], env, monkeypatch, capsys
    )
    assert code == 0
    assert github.bodies(PR_NUMBER) == ["a human's review"]


def test_fail_on_drop_fails_a_pull_request_that_lowers_the_score(
    tmp_path: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, base, head = pull_request_repo(tmp_path / "repo", raise_score=False)
    env = actions_env(tmp_path, event_file(tmp_path, base, head), github)
    args = [str(repo), "--fail-on-drop", "5", "--report-dir", str(tmp_path / "out")]
    code, _, err = run_github(args, env, monkeypatch, capsys)
    assert code == 1
    assert re.search(
        r"lowers the real-world score by \d+\.\d points, more than --fail-on-drop 5", err
    )
    assert float(outputs(tmp_path)["delta"]) < -5  # outputs are written before the gate
    assert "⬇️" in github.bodies(PR_NUMBER)[0]


def test_fail_under_gates_the_head_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, base, _ = pull_request_repo(tmp_path / "repo")
    args = [
        str(repo),
        "--base",
        base,
        "--no-comment",
        "--fail-under",
        "99",
        "--report-dir",
        str(tmp_path),
    ]
    code, _, err = run_github(args, {}, monkeypatch, capsys)
    assert code == 1 and "below --fail-under 99" in err


def test_a_missing_base_commit_is_a_clear_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _, _ = pull_request_repo(tmp_path / "repo")
    missing = "0" * 40
    code, _, err = run_github(
        [str(repo), "--base", missing, "--report-dir", str(tmp_path)], {}, monkeypatch, capsys
    )
    assert code == 2
    assert err.strip() == (
        f"portfolio-check: error: {missing}: no such commit in the repository (in GitHub Actions, "
        "check out with fetch-depth: 0 or fetch the base commit first)"
    )


def test_outside_github_the_markdown_goes_to_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """GitLab CI or a laptop: no event, no token; the base is given by hand."""
    repo, base, _ = pull_request_repo(tmp_path / "repo")
    markdown = tmp_path / "scorecard.md"
    args = [
        str(repo),
        "--base",
        base,
        "--no-comment",
        "--markdown",
        str(markdown),
        "--report-dir",
        str(tmp_path),
    ]
    code, _, err = run_github(args, {}, monkeypatch, capsys)
    assert code == 0, err
    text = markdown.read_text()
    assert text.startswith(MARKER) and "| **Real-world evidence** |" in text
    assert "this change" in text


def test_the_base_is_read_from_git_objects_not_checked_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, base, _ = pull_request_repo(tmp_path / "repo")
    (repo / "notes.txt").write_text("uncommitted work in progress\n")
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    head_ref = (repo / ".git" / "HEAD").read_text()
    code, _, _ = run_github(
        [str(repo), "--base", base, "--no-comment", "--report-dir", str(tmp_path)],
        {},
        monkeypatch,
        capsys,
    )
    assert code == 0
    after = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before and (repo / ".git" / "HEAD").read_text() == head_ref


# golden Markdown -----------------------------------------------------------------------
@pytest.mark.parametrize("case", ["raises", "lowers"])
def test_pull_request_markdown_matches_the_golden_file(tmp_path: Path, case: str) -> None:
    repo, base, head = pull_request_repo(tmp_path / "repo", raise_score=case == "raises")
    options = ScanOptions(display_path=".")
    head_card = scan(repo, options=options)
    base_card = scan(repo, options=ScanOptions(display_path=".", revision=base))
    links = SourceLinks.on_github(
        server_url="https://github.com",
        repository="octo/churnwatch",
        commit=head,
        paths=head_card.paths(),
    )
    markdown = render_comment(
        compare(head_card, base_card), links=links, title="octo/churnwatch #7"
    )
    golden = GOLDEN / f"pr-{case}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(markdown)
    assert markdown == golden.read_text(), (
        f"re-run with UPDATE_GOLDEN=1 if the change to {golden.name} is intended"
    )


def test_hostile_names_and_text_render_literally_in_the_comment(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "repo")
    repo.files(BASE_FILES).commit("Project", date="2026-02-02T09:00:00+00:00")
    base = repo.head()
    hostile_test = "tests/test_[pwn](javascript:alert(1))_@octocat_#12.py"
    repo.files(
        {
            hostile_test: "from churnwatch.features import build_features\n\n\ndef test_x():\n    assert build_features\n",
            "README.md": "# x\n\n## Results\n\n<img src=x onerror=alert(1)> @octocat fixes #12 </details>\n",
        }
    ).commit("hostile", date="2026-02-09T09:00:00+00:00")
    head_card = scan(repo.root, options=ScanOptions(display_path="."))
    base_card = scan(repo.root, options=ScanOptions(display_path=".", revision=base))
    links = SourceLinks.on_github(
        server_url="https://github.com",
        repository="octo/churnwatch",
        commit=repo.head(),
        paths=head_card.paths(),
    )
    markdown = render_comment(compare(head_card, base_card), links=links)
    assert (
        "test\\_\\[pwn\\]\\(javascript:alert\\(1\\)\\)\\_@\u200boctocat\\_\\#\u200b12.py"
        in markdown
    )
    assert "](javascript" not in markdown and "<img" not in markdown
    assert "@octocat" not in markdown and "#12" not in markdown
    # the link target is percent-encoded, so the name cannot close it early
    assert "test_%5Bpwn%5D%28javascript%3Aalert%281%29%29_%40octocat_%2312.py" in markdown
