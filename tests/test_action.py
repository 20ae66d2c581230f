"""action.yml as GitHub would run it: its `run:` steps in bash, in order, with a simulated
Actions environment (event, outputs, summary) and a fake GitHub API on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import subprocess
import venv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.app.github.test_api import MARKER, TOKEN, FakeGitHub
from tests.app.test_candidate import Account, account  # noqa: F401 - the fake account
from tests.repos import PRODUCTION_PACKAGE, RepoBuilder

PROJECT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((PROJECT / "action.yml").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
#: The one kind of `if:` a `run:` step may have: an input compared with the empty string.
INPUT_CONDITION = re.compile(r"\$\{\{ inputs\.([a-z-]+) (==|!=) '' \}\}")


@pytest.fixture(scope="module")
def runner_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh Python for the job, like setup-python gives: the action installs into it."""
    env_dir = tmp_path_factory.mktemp("runner") / "python"
    venv.create(env_dir, with_pip=True)
    return env_dir / "bin"


def evaluate(expression: str, context: Mapping[str, str]) -> str:
    """The few expressions action.yml uses in `env:` values."""
    if expression not in context:
        raise AssertionError(
            f"action.yml uses an expression the test does not simulate: {expression}"
        )
    return context[expression]


def run_action(
    inputs: Mapping[str, str], workspace: Path, environment: Mapping[str, str], bin_dir: Path
) -> tuple[list[str], list[subprocess.CompletedProcess[str]]]:
    """Run every `run:` step of the composite action in order; `uses:` steps are skipped."""
    context = {"github.action_path": str(PROJECT), "github.token": TOKEN}
    defaults = {
        name: EXPRESSION.sub(lambda m: evaluate(m.group(1), context), str(spec.get("default", "")))
        for name, spec in ACTION["inputs"].items()
    }  # a default may itself be an expression: github-token defaults to ${{ github.token }}
    context |= {f"inputs.{name}": value for name, value in {**defaults, **inputs}.items()}
    skipped, results = [], []
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            skipped.append(step["uses"])
            continue
        assert "${{" not in step["run"], (
            f"step {step.get('name')} expands an expression inside run:"
        )
        if "if" in step and not _holds(step["if"], context):
            continue
        env = {
            name: EXPRESSION.sub(lambda m: evaluate(m.group(1), context), str(value))
            for name, value in step.get("env", {}).items()
        }
        full_env = {**environment, **env, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        results.append(done)
        if done.returncode != 0:
            break
    return skipped, results


def _holds(condition: str, context: Mapping[str, str]) -> bool:
    match = INPUT_CONDITION.fullmatch(condition)
    assert match, f"action.yml has a run: step condition the test does not simulate: {condition}"
    empty = context[f"inputs.{match.group(1)}"] == ""
    return empty if match.group(2) == "==" else not empty


def pull_request(tmp_path: Path) -> tuple[Path, Path]:
    repo = RepoBuilder(tmp_path / "workspace")
    repo.files(
        {k: v for k, v in PRODUCTION_PACKAGE.items() if not k.startswith(("tests/", ".github/"))}
    )
    repo.commit("Project", date="2026-02-02T09:00:00+00:00")
    base = repo.head()
    repo.files(PRODUCTION_PACKAGE).commit("Add tests and CI", date="2026-02-09T09:00:00+00:00")
    event: dict[str, Any] = {
        "number": 7,
        "pull_request": {
            "number": 7,
            "base": {"sha": base, "repo": {"full_name": "octo/churnwatch"}},
            "head": {"sha": repo.head(), "repo": {"full_name": "octo/churnwatch"}},
        },
    }
    event_path = tmp_path / "event.json"
    event_path.write_text(json.dumps(event))
    return repo.root, event_path


def actions_environment(tmp_path: Path, event: Path, fake: FakeGitHub) -> dict[str, str]:
    (tmp_path / "runner-temp").mkdir(exist_ok=True)
    return {
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_REPOSITORY": "octo/churnwatch",
        "GITHUB_JOB": "scorecard",
        "GITHUB_API_URL": fake.api_url,
        "GITHUB_SERVER_URL": "https://github.com",
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
    }


def test_every_input_reaches_the_shell_through_env_only() -> None:
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step.get("name")
    names = set(ACTION["inputs"])
    assert names >= {
        "path",
        "rubric",
        "fail-under",
        "fail-on-drop",
        "comment",
        "github-token",
        "python-version",
        "sarif",
        "artifact-name",
    }
    assert set(ACTION["outputs"]) == {
        "score",
        "certification-score",
        "delta",
        "report-path",
        "artifact-name",
    }


def test_the_action_comments_summarises_and_sets_outputs(
    tmp_path: Path, github: FakeGitHub, runner_python: Path
) -> None:
    workspace, event = pull_request(tmp_path)
    environment = actions_environment(tmp_path, event, github)
    skipped, results = run_action({"sarif": "true"}, workspace, environment, runner_python)
    assert [r.returncode for r in results] == [0, 0], results[-1].stderr
    assert skipped == [
        "actions/setup-python@v5",
        "actions/upload-artifact@v4",  # the scorecard
        "actions/upload-artifact@v4",  # the comment, for comment: artifact
        "github/codeql-action/upload-sarif@v3",
        "actions/upload-artifact@v4",  # the candidate's review (target), skipped in a run
    ]
    output = dict(line.split("=", 1) for line in (tmp_path / "output.txt").read_text().splitlines())
    assert float(output["score"]) > 60 and float(output["delta"]) > 20
    assert Path(output["report-path"]).is_file()
    assert (tmp_path / "runner-temp" / "portfolio-check" / "portfolio-check.sarif").is_file()
    (body,) = github.bodies(7)
    assert body.startswith(MARKER) and "| **Real-world evidence** |" in body
    assert MARKER in (tmp_path / "summary.md").read_text()
    assert all(seen.headers.get("authorization") == f"Bearer {TOKEN}" for seen in github.requests)


def test_fail_under_fails_the_step_after_publishing(
    tmp_path: Path, github: FakeGitHub, runner_python: Path
) -> None:
    workspace, event = pull_request(tmp_path)
    environment = actions_environment(tmp_path, event, github)
    _, results = run_action(
        {"fail-under": "99", "comment": "false"}, workspace, environment, runner_python
    )
    assert results[-1].returncode == 1
    assert "below --fail-under 99" in results[-1].stderr
    assert "score=" in (tmp_path / "output.txt").read_text()  # outputs are there for later steps
    assert github.bodies(7) == []


def test_an_input_cannot_inject_shell_code(
    tmp_path: Path, github: FakeGitHub, runner_python: Path
) -> None:
    workspace, event = pull_request(tmp_path)
    canary = tmp_path / "injected"
    environment = actions_environment(tmp_path, event, github)
    hostile = {"rubric": f'ml-portfolio"; touch {canary}; echo "', "path": f"$(touch {canary})"}
    _, results = run_action(hostile, workspace, environment, runner_python)
    assert results[-1].returncode == 2  # the odd rubric name is just a name that does not exist
    assert f'ml-portfolio"; touch {canary}; echo "' in results[-1].stderr  # data, not code
    assert not canary.exists()


def test_a_candidate_target_reviews_an_account_instead_of_the_workspace(
    tmp_path: Path,
    github: FakeGitHub,
    runner_python: Path,
    account: Account,  # noqa: F811 - the fixture imported above
) -> None:
    """A matrix of `target: gh:USER` jobs: each reviews one person, summary and artifact."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()  # a candidate job checks nothing out
    event = tmp_path / "event.json"
    event.write_text("{}")
    environment = {
        **actions_environment(tmp_path, event, github),
        "GITHUB_SERVER_URL": account.server.as_uri(),
        "GITHUB_API_URL": account.api.origin,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    skipped, results = run_action({"target": "gh:ada"}, workspace, environment, runner_python)
    assert [r.returncode for r in results] == [0, 0], results[-1].stderr
    assert "actions/upload-artifact@v4" in skipped
    output = dict(line.split("=", 1) for line in (tmp_path / "output.txt").read_text().splitlines())
    assert output["candidate-artifact"] == "portfolio-check-candidate-ada"
    data = json.loads((Path(output["candidate-path"]) / "candidate.json").read_text())
    assert data["summary"]["strongest"]["name"] == "churnwatch"
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("```text\ngh:ada: 6 repositories listed; 3 scored")
    assert "score=" not in (tmp_path / "output.txt").read_text()  # the PR check did not run
    assert github.requests == []  # no comment API call
    assert account.api.seen[-1][1] == f"Bearer {TOKEN}"
