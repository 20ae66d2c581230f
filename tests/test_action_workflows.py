"""The workflows people copy, run the way GitHub would run them.

- The README's cohort matrix: every leg runs action.yml's steps on its own candidate, and
  the artifact names its legs upload are all different (GitHub fails a leg whose artifact
  name another leg took).
- The fork pattern in examples/workflows/: the pull-request run saves the comment and calls
  no API; the workflow_run side (the installed entry point) posts it to a fake GitHub on
  127.0.0.1, checked and sanitised.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from portfolio_check.app.github.comment import MARKER, MAX_COMMENT_CHARS
from portfolio_check.app.github.relay import COMMENT_FILE, MAX_BODY_BYTES, PULL_FILE
from tests.app.github.test_api import TOKEN, FakeGitHub
from tests.repos import PRODUCTION_PACKAGE, RepoBuilder
from tests.test_action import (
    ACTION,
    actions_environment,
    pull_request,
    run_action,
    runner_python,
)

__all__ = ["runner_python"]  # a fixture, used by name

PROJECT = Path(__file__).resolve().parent.parent
README = (PROJECT / "README.md").read_text(encoding="utf-8")
EXAMPLES = PROJECT / "examples" / "workflows"
ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
CHECKER = Path(sys.executable).parent / "check-jsonschema"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
ACTION_USES = "portfolio-check/portfolio-check@"


def readme_workflows() -> list[dict[str, Any]]:
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)
    return [yaml.safe_load(block) for block in blocks if block.startswith("name:")]


def evaluate(text: str, context: Mapping[str, str]) -> str:
    """`${{ }}` expressions of the shapes these workflows use: a context value, a quoted
    literal, and `a || b` (the first that is not empty)."""

    def one(expression: str) -> str:
        for alternative in expression.split("||"):
            term = alternative.strip()
            if term.startswith("'") and term.endswith("'"):
                value = term[1:-1]
            else:
                assert term in context, f"the test does not simulate {term}"
                value = context[term]
            if value:
                return value
        return ""

    return EXPRESSION.sub(lambda match: one(match.group(1)), text)


def matrix_legs(job: Mapping[str, Any]) -> list[dict[str, str]]:
    matrix = dict(job.get("strategy", {}).get("matrix", {}))
    assert not {"include", "exclude"} & matrix.keys(), "the test expands plain matrices only"
    names = sorted(matrix)
    return [
        {f"matrix.{name}": str(value) for name, value in zip(names, values, strict=True)}
        for values in itertools.product(*(matrix[name] for name in names))
    ]


def outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def candidate_workspace(root: Path, repository: str) -> Path:
    """What `actions/checkout` leaves for `repository`: its history, and origin on GitHub."""
    repo = RepoBuilder(root)
    repo.files(
        {k: v for k, v in PRODUCTION_PACKAGE.items() if not k.startswith((".github/", "tests/"))}
    )
    repo.commit("Project", date="2026-02-02T09:00:00+00:00")
    repo.git("remote", "add", "origin", f"https://github.com/{repository}")
    return repo.root


# the README's matrix ------------------------------------------------------------------------
def test_readme_cohort_matrix_uploads_one_artifact_per_candidate(
    tmp_path: Path, github: FakeGitHub, runner_python: Path
) -> None:
    matrix_jobs = [
        (name, job)
        for workflow in readme_workflows()
        for name, job in workflow["jobs"].items()
        if "strategy" in job
        and any(ACTION_USES in step.get("uses", "") for step in job["steps"])
        and any("actions/checkout" in step.get("uses", "") for step in job["steps"])
    ]  # cohorts of checked-out repositories; a matrix of gh: accounts uploads one per user
    assert matrix_jobs, "the README has no matrix workflow that uses the action"
    upload = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Upload the scorecard")
    for job_id, job in matrix_jobs:
        names = []
        for number, leg in enumerate(matrix_legs(job)):
            checkout = next(s for s in job["steps"] if "actions/checkout" in s.get("uses", ""))
            repository = evaluate(checkout.get("with", {}).get("repository", ""), leg)
            leg_dir = tmp_path / f"leg-{number}"
            workspace = candidate_workspace(leg_dir / "workspace", repository or "octo/churnwatch")
            event = leg_dir / "event.json"
            event.write_text("{}")
            environment = actions_environment(leg_dir, event, github) | {
                "GITHUB_EVENT_NAME": "workflow_dispatch",
                "GITHUB_JOB": job_id,
            }
            step = next(s for s in job["steps"] if ACTION_USES in s.get("uses", ""))
            inputs = {key: evaluate(str(value), leg) for key, value in step.get("with", {}).items()}
            _, results = run_action(inputs, workspace, environment, runner_python)
            assert [r.returncode for r in results] == [0, 0], results[-1].stderr
            context = {
                f"steps.check.outputs.{k}": v for k, v in outputs(leg_dir / "output.txt").items()
            }
            context |= {f"inputs.{k}": v for k, v in inputs.items()}
            context.setdefault("inputs.artifact-name", "")
            names.append(evaluate(upload["with"]["name"], context))
        assert len(set(names)) == len(names) > 1, names
        assert all(name.startswith(f"portfolio-check-{job_id}-") for name in names), names
        assert not any(re.search(r'[":<>|*?\\/\r\n]', name) for name in names), names
    assert github.requests == []  # comment: false and no pull request: nothing posted


def test_every_readme_matrix_upload_is_named_per_leg() -> None:
    """`upload-artifact` steps the README writes itself (the shards) differ by leg too."""
    checked = 0
    for workflow in readme_workflows():
        for job in workflow["jobs"].values():
            legs = matrix_legs(job)
            for step in job["steps"]:
                if "actions/upload-artifact" in step.get("uses", "") and len(legs) > 1:
                    names = [evaluate(step["with"]["name"], leg) for leg in legs]
                    assert len(set(names)) == len(names), names
                    checked += 1
    assert checked


def test_an_explicit_artifact_name_wins(
    tmp_path: Path, github: FakeGitHub, runner_python: Path
) -> None:
    workspace, event = pull_request(tmp_path)
    environment = actions_environment(tmp_path, event, github)
    _, results = run_action(
        {"comment": "false", "artifact-name": "ada-scorecard"},
        workspace,
        environment,
        runner_python,
    )
    assert results[-1].returncode == 0, results[-1].stderr
    context = {f"steps.check.outputs.{k}": v for k, v in outputs(tmp_path / "output.txt").items()}
    upload = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Upload the scorecard")
    assert evaluate(upload["with"]["name"], context) == "ada-scorecard"


def test_an_artifact_name_cannot_smuggle_outputs(
    tmp_path: Path, github: FakeGitHub, runner_python: Path
) -> None:
    workspace, event = pull_request(tmp_path)
    environment = actions_environment(tmp_path, event, github)
    hostile = "x\nreport-path=/etc/passwd"
    _, results = run_action(
        {"comment": "false", "artifact-name": hostile}, workspace, environment, runner_python
    )
    assert results[-1].returncode == 2
    assert "artifact name" in results[-1].stderr and "control characters" in results[-1].stderr
    assert not (tmp_path / "output.txt").exists()


# the fork pattern ---------------------------------------------------------------------------
def example(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("name", ["portfolio-check.yml", "portfolio-check-comment.yml"])
def test_example_workflows_validate(name: str) -> None:
    checker = CHECKER if CHECKER.exists() else shutil.which("check-jsonschema")
    assert checker, "check-jsonschema is a test dependency; install '.[test]'"
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(EXAMPLES / name)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_posting_workflow_never_checks_out_the_pull_request() -> None:
    scan_side, post_side = example("portfolio-check.yml"), example("portfolio-check-comment.yml")
    on = post_side[True] if True in post_side else post_side["on"]  # YAML 1.1 reads `on` as True
    assert on["workflow_run"]["workflows"] == [scan_side["name"]]
    steps = [step for job in post_side["jobs"].values() for step in job["steps"]]
    assert not any("actions/checkout" in step.get("uses", "") for step in steps)
    download = next(s for s in steps if "actions/download-artifact" in s.get("uses", ""))
    assert download["with"]["name"] == "portfolio-check-comment"
    assert "workflow_run.id" in download["with"]["run-id"]
    assert any("portfolio-check github-comment" in step.get("run", "") for step in steps)
    assert "write" not in json.dumps(scan_side["permissions"])  # the fork side can write nothing
    (scan_job,) = scan_side["jobs"].values()
    action_step = next(s for s in scan_job["steps"] if ACTION_USES in s.get("uses", ""))
    assert action_step["with"]["comment"] == "artifact"


def workflow_run_event(tmp_path: Path, head_sha: str) -> Path:
    event = {
        "action": "completed",
        "workflow_run": {"id": 4242, "event": "pull_request", "head_sha": head_sha},
    }
    path = tmp_path / "workflow_run.json"
    path.write_text(json.dumps(event))
    return path


def post(directory: Path, event: Path, fake: FakeGitHub) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": "octo/churnwatch",
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": fake.api_url,
        "GITHUB_SERVER_URL": "https://github.com",
    }
    return subprocess.run(
        [str(ENTRY_POINT), "github-comment", str(directory)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_fork_pull_request_saves_the_comment_and_the_workflow_run_posts_it(
    tmp_path: Path, github: FakeGitHub, runner_python: Path
) -> None:
    workspace, event = pull_request(tmp_path)
    head = json.loads(event.read_text())["pull_request"]["head"]["sha"]
    environment = actions_environment(tmp_path, event, github)
    _, results = run_action({"comment": "artifact"}, workspace, environment, runner_python)
    assert results[-1].returncode == 0, results[-1].stderr
    assert github.requests == []  # the fork's run calls no API at all
    comment_upload = next(
        s for s in ACTION["runs"]["steps"] if s.get("name", "").startswith("Upload the comment")
    )
    assert "inputs.comment == 'artifact'" in comment_upload["if"]
    assert comment_upload["with"]["name"] == "portfolio-check-comment"
    saved = Path(outputs(tmp_path / "output.txt")["comment-path"])
    assert json.loads((saved / PULL_FILE).read_text()) == {"number": 7, "head_sha": head}
    body = (saved / COMMENT_FILE).read_text(encoding="utf-8")
    # download-artifact in the other workflow: a copy, somewhere else
    downloaded = tmp_path / "downloaded"
    shutil.copytree(saved, downloaded)
    github.pulls[7] = head
    done = post(downloaded, workflow_run_event(tmp_path, head), github)
    assert done.returncode == 0, done.stderr
    (posted,) = github.bodies(7)
    assert posted == body  # our own comment passes the sanitiser unchanged, links included
    assert "](https://github.com/octo/churnwatch/blob/" in posted
    assert "comment on pull request #7" in done.stderr
    # a second run updates the same comment
    assert post(downloaded, workflow_run_event(tmp_path, head), github).returncode == 0
    assert len(github.bodies(7)) == 1


HEAD = "a" * 40
HOSTILE = (
    "Ping @octo-org/maintainers and @admin, see #1 and octo/churnwatch#2.\n"
    "<img src=x onerror=alert(1)> <details open><summary>ok</summary></details>\n"
    "&#64;admin [win a prize](https://evil.example/phish) ![t](https://evil.example/t.png)\n"
    "https://evil.example/bare www.evil.example\u202e [file](https://github.com/octo/"
    f"churnwatch/blob/{HEAD}/src/app.py#L3) [up](https://github.com/octo/churnwatch/blob/"
    f"{HEAD}/../../../evil/repo)\n"
)


def saved_artifact(directory: Path, body: str | bytes, number: int = 7, head: str = HEAD) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    data = body.encode("utf-8") if isinstance(body, str) else body
    (directory / COMMENT_FILE).write_bytes(data)
    (directory / PULL_FILE).write_text(json.dumps({"number": number, "head_sha": head}))
    return directory


def test_an_artifact_body_is_untrusted_and_sanitised(tmp_path: Path, github: FakeGitHub) -> None:
    github.pulls[7] = HEAD
    done = post(saved_artifact(tmp_path / "a", HOSTILE), workflow_run_event(tmp_path, HEAD), github)
    assert done.returncode == 0, done.stderr
    (posted,) = github.bodies(7)
    assert posted.startswith(MARKER)
    assert not re.search(r"@\w", posted)  # no mention pings anyone
    assert not re.search(r"#\d", posted)  # no reference links another issue
    assert "<img" not in posted and "<details open>" not in posted
    assert "<summary>ok</summary>" in posted  # the scorecard's own tags stay
    assert "&#64;" not in posted and "\u202e" not in posted
    assert "](https://evil" not in posted and "https://evil" not in posted
    assert "win a prize" in posted  # the link's text stays, as text
    assert f"[file](https://github.com/octo/churnwatch/blob/{HEAD}/src/app.py#L3)" in posted
    assert "](https://github.com/octo/churnwatch/blob/" + HEAD + "/../" not in posted


def test_a_forged_pull_request_number_is_not_posted(tmp_path: Path, github: FakeGitHub) -> None:
    github.pulls[7] = HEAD
    github.pulls[8] = "b" * 40  # someone else's pull request
    artifact = saved_artifact(tmp_path / "a", f"{MARKER}\nscore", number=8)
    done = post(artifact, workflow_run_event(tmp_path, HEAD), github)
    assert done.returncode == 0, done.stderr
    assert "pull request #8 is at bbbbbbbbbbbb" in done.stderr and "not posted" in done.stderr
    assert github.bodies(8) == [] and github.bodies(7) == []


def test_an_artifact_for_another_commit_is_refused(tmp_path: Path, github: FakeGitHub) -> None:
    artifact = saved_artifact(tmp_path / "a", f"{MARKER}\nscore", head="c" * 40)
    done = post(artifact, workflow_run_event(tmp_path, HEAD), github)
    assert done.returncode == 2
    assert "made for commit cccccccccccc" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert github.requests == []


@pytest.mark.parametrize(
    ("body", "pull", "message"),
    [
        (b"x" * (MAX_BODY_BYTES + 1), {"number": 7, "head_sha": HEAD}, "larger than"),
        (b"ok", {"number": "7; rm -rf /", "head_sha": HEAD}, "no pull-request number"),
        (b"ok", {"number": 7, "head_sha": "HEAD"}, "no head commit"),
        (b"ok", ["not", "an", "object"], "not a JSON object"),
    ],
)
def test_a_malformed_artifact_is_a_one_line_error(
    tmp_path: Path, github: FakeGitHub, body: bytes, pull: Any, message: str
) -> None:
    artifact = tmp_path / "a"
    artifact.mkdir()
    (artifact / COMMENT_FILE).write_bytes(body)
    (artifact / PULL_FILE).write_text(json.dumps(pull))
    done = post(artifact, workflow_run_event(tmp_path, HEAD), github)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert github.requests == []


def test_a_long_body_is_cut_to_what_a_comment_holds(tmp_path: Path, github: FakeGitHub) -> None:
    github.pulls[7] = HEAD
    body = MARKER + "\n" + "| row | 1 |\n" * (MAX_COMMENT_CHARS // 8)
    done = post(saved_artifact(tmp_path / "a", body), workflow_run_event(tmp_path, HEAD), github)
    assert done.returncode == 0, done.stderr
    (posted,) = github.bodies(7)
    assert len(posted) <= MAX_COMMENT_CHARS and "Truncated" in posted


def test_not_a_workflow_run_event(tmp_path: Path, github: FakeGitHub) -> None:
    event = tmp_path / "push.json"
    event.write_text(json.dumps({"ref": "refs/heads/main"}))
    done = post(saved_artifact(tmp_path / "a", "x"), event, github)
    assert done.returncode == 2 and "not a workflow_run event" in done.stderr
