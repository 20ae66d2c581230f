"""The linker's task graph: what CI jobs really run through task runners and scripts."""

from __future__ import annotations

from pathlib import Path

from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.app.scan import scan
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import Facts, PythonModuleFact, TaskFact, WorkflowJobFact
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.rubric import Rubric
from portfolio_check.model.scorecard import CriterionResult, Scorecard
from tests.repos import PRODUCTION_PACKAGE, RepoBuilder

PUSH_WORKFLOW = """
name: checks
on: [push, pull_request]
jobs:
  checks:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
{steps}
"""


def workflow(*runs: str) -> str:
    steps = "".join(f"      - run: {run}\n" for run in runs)
    return PUSH_WORKFLOW.format(steps=steps.rstrip("\n"))


def project(root: Path, changes: dict[str, str | None]) -> Path:
    """The production-like project with files replaced (a value) or removed (None)."""
    files = {path: text for path, text in PRODUCTION_PACKAGE.items() if path not in changes}
    files.update({path: text for path, text in changes.items() if text is not None})
    RepoBuilder(root).files(files).commit("project", date="2026-02-02T09:00:00+00:00")
    return root


def facts_of(root: Path, changes: dict[str, str | None]) -> Facts:
    return analyze(open_target(project(root, changes)))


def jobs(facts: Facts) -> dict[str, WorkflowJobFact]:
    return {f.job: f for f in facts.of("workflow_job") if isinstance(f, WorkflowJobFact)}


def tasks(facts: Facts) -> dict[str, TaskFact]:
    return {f.name: f for f in facts.of("task") if isinstance(f, TaskFact)}


def flags(fact: WorkflowJobFact | TaskFact) -> set[str]:
    names = ("runs_tests", "builds_image", "runs_pipeline", "lints")
    return {name for name in names if getattr(fact, name)}


def roles(facts: Facts, path: str) -> tuple[str, ...]:
    module = next(f for f in facts.of("python_module") if f.path == path)
    assert isinstance(module, PythonModuleFact)
    return module.roles


def criterion(card: Scorecard, criterion_id: str) -> CriterionResult:
    return next(c for cat in card.categories for c in cat.criteria if c.id == criterion_id)


# a workflow step -> a script -> a script -> commands (as a course repo's `tasks/` do)
UNIT_TESTS = """\
#!/bin/bash
set -uo pipefail
FAILURE=false
# the suite, configured in pyproject.toml
python -m pytest || FAILURE=true
./ci/smoke_train.sh || FAILURE=true
if [ "$FAILURE" = true ]; then
  echo "Unit tests failed"
  exit 1
fi
"""
SMOKE_TRAIN = """\
#!/bin/bash
set -euo pipefail
echo "one epoch on a sample"
python src/churnwatch/train.py --sample 100 --epochs 1
"""


def test_a_step_that_runs_a_script_runs_what_the_script_runs(tmp_path: Path) -> None:
    facts = facts_of(
        tmp_path / "repo",
        {
            ".github/workflows/ci.yml": workflow("./ci/unit_tests.sh"),
            "ci/unit_tests.sh": UNIT_TESTS,
            "ci/smoke_train.sh": SMOKE_TRAIN,
        },
    )
    job = jobs(facts)["checks"]
    assert flags(job) == {"runs_tests", "runs_pipeline"}
    assert job.via == ("ci/unit_tests.sh", "ci/smoke_train.sh")
    assert job.references == ("src/churnwatch/train.py",)
    assert job.placeholder is None
    assert "runs tests, runs the pipeline (through ci/unit_tests.sh" in job.describe()
    # so the CI role reaches the training module and what it imports
    assert "ci" in roles(facts, "src/churnwatch/train.py")
    assert "ci" in roles(facts, "src/churnwatch/features.py")


def test_steps_that_run_checks_through_bash_and_a_job_whose_scripts_are_absent(
    tmp_path: Path,
) -> None:
    training = """
name: train
on: workflow_dispatch
jobs:
  train:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: bash jobs/train/install.sh
      - run: bash jobs/train/run_training.sh
"""
    facts = facts_of(
        tmp_path / "repo",
        {
            ".github/workflows/ci.yml": workflow(
                "bash jobs/checks/install.sh",
                "bash jobs/checks/lint.sh",
                "bash jobs/checks/test.sh",
            ),
            ".github/workflows/train.yml": training,
            "jobs/checks/install.sh": "python -m pip install --upgrade pip\npip install -e .\n",
            "jobs/checks/lint.sh": "pip install flake8\nflake8 src\n",
            "jobs/checks/test.sh": "pip install pytest\npytest\n",
        },
    )
    checks, train = jobs(facts)["checks"], jobs(facts)["train"]
    assert flags(checks) == {"lints", "runs_tests"}
    assert checks.via == ("jobs/checks/lint.sh", "jobs/checks/test.sh")  # not the installer
    assert flags(train) == set()
    assert train.placeholder == "it runs jobs/train/install.sh, which is not in the repository"


def test_make_targets_run_from_ci_and_a_target_with_no_makefile(tmp_path: Path) -> None:
    makefile = (
        "install:\n\tpip install -e .[test]\n\n"
        "lint:\n\tpython -m pylint --fail-under=8 src/ tests/\n\n"
        "test:\n\tpython -m pytest -vv tests/ --cov=churnwatch\n\n"
        "all: install lint test\n"
    )
    root = tmp_path / "with-makefile"
    facts = facts_of(
        root,
        {
            ".github/workflows/ci.yml": workflow("make install", "make lint", "make test"),
            "Makefile": makefile,
        },
    )
    assert flags(jobs(facts)["checks"]) == {"lints", "runs_tests"}
    assert jobs(facts)["checks"].via == ("make lint", "make test")
    assert flags(tasks(facts)["all"]) == {"lints", "runs_tests"}  # through its prerequisites
    # the same workflow where there is no Makefile: `make test` runs nothing
    bare = facts_of(
        tmp_path / "without",
        {".github/workflows/ci.yml": workflow("make install", "make lint", "make test")},
    )
    job = jobs(bare)["checks"]
    assert flags(job) == set()
    assert job.placeholder == "it runs make install, which is not in the repository"


def test_make_in_a_subfolder_and_a_cycle_of_targets(tmp_path: Path) -> None:
    makefile = (
        "check: lint\n\tpython -m pytest\n\n"
        "lint: check\n\truff check .\n\n"  # a cycle make itself would refuse
        "loop:\n\t$(MAKE) loop\n"
    )
    facts = facts_of(
        tmp_path / "repo",
        {
            ".github/workflows/ci.yml": workflow(
                "cd service && make check", "make -C service loop"
            ),
            "service/Makefile": makefile,
        },
    )
    job = jobs(facts)["checks"]
    assert flags(job) == {"lints", "runs_tests"}
    assert set(job.via) == {"make check", "make lint"}


def test_task_runners_reached_through_uv_poetry_and_nox(tmp_path: Path) -> None:
    pyproject = PRODUCTION_PACKAGE["pyproject.toml"] + (
        "\n[tool.poe.tasks]\n"
        'types = "mypy src"\n'
        'check = ["types", "unit"]\n'
        '[tool.poe.tasks.unit]\ncmd = "pytest -q tests"\n'
    )
    noxfile = (
        "import nox\n\n"
        'nox.options.sessions = ["lint"]\n\n\n'
        "@nox.session\n"
        "def lint(session):\n"
        '    session.install("ruff")\n'
        '    session.run("ruff", "check", "src")\n\n\n'
        '@nox.session(name="train-smoke")\n'
        "def smoke(session):\n"
        '    session.run("python", "-m", "churnwatch.train", "--sample", "10")\n'
    )
    facts = facts_of(
        tmp_path / "repo",
        {
            "pyproject.toml": pyproject,
            "noxfile.py": noxfile,
            ".github/workflows/ci.yml": workflow("uv run poe check", "uvx nox -s train-smoke"),
            ".github/workflows/lint.yml": workflow("pipx run nox").replace("checks", "style"),
        },
    )
    job = jobs(facts)["checks"]
    assert flags(job) == {"lints", "runs_tests", "runs_pipeline"}
    assert job.via == ("poe check", "nox train-smoke", "poe types", "poe unit")
    assert "churnwatch.train" in job.references
    assert "ci" in roles(facts, "src/churnwatch/train.py")
    # `nox` alone runs the default sessions: lint, not the smoke training
    assert jobs(facts)["style"].via == ("nox lint",)


def test_a_justfile_ci_recipe_with_no_ci_config_is_not_ci(tmp_path: Path, rubric: Rubric) -> None:
    justfile = (
        "set dotenv-load\n\n"
        "tidy:\n  @uv run ruff check --fix\n  @uv run ruff format\n\n"
        'test tests="":\n  @uv run pytest tests/{{tests}}\n\n'
        "# the checks CI would run\nci:\n  @just tidy\n  @just test\n"
    )
    root = project(tmp_path / "repo", {".github/workflows/ci.yml": None, "Justfile": justfile})
    facts = analyze(open_target(root))
    assert facts.of("workflow_job") == ()
    assert flags(tasks(facts)["ci"]) == {"lints", "runs_tests"}
    card = scan(root, rubric=rubric)
    assert criterion(card, "ci-pipeline").level is EvidenceLevel.ABSENT
    assert criterion(card, "unit-tests").level is EvidenceLevel.WIRED  # never automated


def test_ci_that_tests_through_a_script_is_automated_in_the_score(
    tmp_path: Path, rubric: Rubric
) -> None:
    root = project(
        tmp_path / "repo",
        {
            ".github/workflows/ci.yml": workflow("pip install -e .[test]", "bash scripts/test.sh"),
            "scripts/test.sh": "#!/usr/bin/env bash\nset -e\npytest -q --cov=churnwatch\n",
        },
    )
    card = scan(root, rubric=rubric)
    assert criterion(card, "ci-pipeline").level is EvidenceLevel.AUTOMATED
    assert criterion(card, "unit-tests").level is EvidenceLevel.AUTOMATED


def test_reusable_workflows_and_local_composite_actions(tmp_path: Path) -> None:
    caller = """
name: ci
on: [push]
jobs:
  checks:
    uses: ./.github/workflows/checks.yml
  smoke:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/smoke-train
  gone:
    uses: ./.github/workflows/removed.yml
"""
    called = """
name: checks
on: workflow_call
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: pre-commit/action@v3.0.1
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
"""
    action = """
name: smoke-train
description: train on a sample
runs:
  using: composite
  steps:
    - uses: actions/setup-python@v5
    - run: python -m churnwatch.train --sample 100
      shell: bash
"""
    facts = facts_of(
        tmp_path / "repo",
        {
            ".github/workflows/ci.yml": caller,
            ".github/workflows/checks.yml": called,
            ".github/actions/smoke-train/action.yml": action,
            "Makefile": "test:\n\tpytest -q\n",
        },
    )
    found = {(f.path, f.job): f for f in facts.of("workflow_job") if isinstance(f, WorkflowJobFact)}
    checks = found[(".github/workflows/ci.yml", "checks")]
    assert flags(checks) == {"lints", "runs_tests"}
    assert checks.via == (
        ".github/workflows/checks.yml job lint",
        ".github/workflows/checks.yml job test",
        "make test",
    )
    smoke = found[(".github/workflows/ci.yml", "smoke")]
    assert flags(smoke) == {"runs_pipeline"} and smoke.references == ("churnwatch.train",)
    assert "ci" in roles(facts, "src/churnwatch/train.py")
    gone = found[(".github/workflows/ci.yml", "gone")]
    assert gone.placeholder == (
        "it runs .github/workflows/removed.yml, which is not in the repository"
    )
