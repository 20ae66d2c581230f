"""What the README tells people to copy must work: its workflows validate offline."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
README = (PROJECT / "README.md").read_text()
WORKFLOWS = [
    block
    for block in re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)
    if block.startswith("name:") and "jobs:" in block
]
CHECKER = Path(sys.executable).parent / "check-jsonschema"


def test_the_readme_has_both_workflows() -> None:
    assert len(WORKFLOWS) >= 2
    assert any("pull_request" in w for w in WORKFLOWS) and any("matrix" in w for w in WORKFLOWS)


@pytest.mark.parametrize("number", range(len(WORKFLOWS)))
def test_readme_workflow_is_a_valid_github_workflow(number: int, tmp_path: Path) -> None:
    checker = CHECKER if CHECKER.exists() else shutil.which("check-jsonschema")
    assert checker, "check-jsonschema is a test dependency; install '.[test]'"
    workflow = tmp_path / "workflow.yml"
    workflow.write_text(WORKFLOWS[number])
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_metadata_is_valid() -> None:
    checker = CHECKER if CHECKER.exists() else shutil.which("check-jsonschema")
    assert checker
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-actions", str(PROJECT / "action.yml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_quick_start_is_the_first_section_with_two_commands() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"```bash\n(.*?)```", quick, re.DOTALL)[0].strip().splitlines()
    assert commands == [
        "pip install . && portfolio-check examples/churn-service -o scorecard.html",
        "pip install '.[test]' && python -m pytest",
    ]
