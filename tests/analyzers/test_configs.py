"""Operational configuration: Dockerfiles, CI workflows, compose files, DVC pipelines,
Makefiles, pre-commit hooks, Kubernetes manifests, the commands they run, and the bounded
YAML loader they are read with."""

from __future__ import annotations

import textwrap
import time

import pytest

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.ci import CiAnalyzer, is_ci_config
from portfolio_check.analyzers.command_links import command_invocations, command_references
from portfolio_check.analyzers.configs import (
    ConfigAnalyzer,
    KubernetesAnalyzer,
    dockerfile_instructions,
)
from portfolio_check.analyzers.makefiles import MakefileAnalyzer, make_target_facts
from portfolio_check.analyzers.runner import file_analyzers
from portfolio_check.analyzers.shell_scripts import ShellScriptAnalyzer
from portfolio_check.analyzers.task_invocations import Invocation
from portfolio_check.common.safe_yaml import (
    MAX_YAML_BYTES,
    YamlError,
    load_yaml,
    load_yaml_documents,
)
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.model.facts import (
    ComposeServiceFact,
    DockerfileFact,
    DvcStageFact,
    Fact,
    FindingFact,
    K8sResourceFact,
    PrecommitHookFact,
    TaskFact,
    WorkflowJobFact,
)

CONTEXT = AnalysisContext(layout=ProjectLayout())

# The classic "billion laughs": 9 levels of 9 aliases, 9**9 strings once expanded.
BILLION_LAUGHS = f"lol0: &lol0 [{', '.join(['lol'] * 9)}]\n" + "".join(
    f"lol{level}: &lol{level} [{', '.join([f'*lol{level - 1}'] * 9)}]\n" for level in range(1, 9)
)
UVICORN = 'ENTRYPOINT ["uvicorn"]\nCMD ["churnwatch.api:app", "--port", "80"]'
UVICORN_LAST = 'CMD ["--port", "80"]\nENTRYPOINT ["uvicorn", "churnwatch.api:app"]'


def analyze(path: str, text: str) -> list[Fact]:
    """The facts of every operational-config analyzer that wants the file."""
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    analyzers = [a for a in (ConfigAnalyzer(), CiAnalyzer()) if a.wants(entry)]
    return [fact for analyzer in analyzers for fact in analyzer.analyze(entry, text, CONTEXT)]


def dockerfile(text: str, path: str = "Dockerfile") -> DockerfileFact:
    (fact,) = analyze(path, textwrap.dedent(text))
    assert isinstance(fact, DockerfileFact)
    return fact


def jobs(path: str, text: str) -> dict[str, WorkflowJobFact]:
    facts = analyze(path, textwrap.dedent(text))
    assert all(isinstance(fact, WorkflowJobFact) for fact in facts), facts
    return {fact.job: fact for fact in facts if isinstance(fact, WorkflowJobFact)}


def flags(fact: WorkflowJobFact) -> set[str]:
    names = ("runs_tests", "builds_image", "runs_pipeline", "lints", "scheduled")
    return {name for name in names if getattr(fact, name)}


def workflow_job(steps: str) -> WorkflowJobFact:
    """The one job of a push-triggered workflow with these steps (YAML, indented 6)."""
    text = "on: push\njobs:\n  job:\n    runs-on: ubuntu-latest\n    steps:\n" + textwrap.indent(
        textwrap.dedent(steps), " " * 6
    )
    return jobs(".github/workflows/ci.yml", text)["job"]


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("Dockerfile", True),
        ("docker/Dockerfile.gpu", True),
        ("services/api.dockerfile", True),
        ("docker-compose.yml", True),
        ("deploy/compose.yaml", True),
        ("dvc.yaml", True),
        (".gitlab-ci.yml", False),  # CI configs are the CI analyzer's
        (".github/workflows/ci.yml", False),
        (".github/dependabot.yml", False),
        (".github/workflows/scripts/check.yml", False),
        ("dvc.lock", False),
        ("config.yaml", False),
        ("Dockerfile-notes.md", False),
    ],
)
def test_wants_only_operational_files(path: str, wanted: bool) -> None:
    entry = FileEntry(path=path, size=100, kind=EntryKind.FILE)
    assert ConfigAnalyzer().wants(entry) is wanted


# Dockerfile ------------------------------------------------------------------------------
SERVICE_DOCKERFILE = """\
    # syntax=docker/dockerfile:1
    # Churn scoring API

    FROM python:3.11-slim AS runtime

    WORKDIR /app
    ENV PYTHONDONTWRITEBYTECODE=1 \\
        PYTHONUNBUFFERED=1
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt \\
        # the package itself, after its dependencies for better caching
        && pip install --no-cache-dir .

    COPY src/ src/
    EXPOSE 8000
    CMD ["uvicorn", "churnwatch.api:app", "--host", "0.0.0.0", "--port", "8000"]
    """


def test_dockerfile_of_a_service() -> None:
    fact = dockerfile(SERVICE_DOCKERFILE)
    assert fact.base_image == "python:3.11-slim"
    assert fact.command == "uvicorn churnwatch.api:app --host 0.0.0.0 --port 8000"
    assert fact.exposes is True
    assert fact.instructions == 8
    assert fact.location.line == 4  # the first instruction, after the comments
    assert fact.placeholder is None
    assert fact.describe() == (
        "Dockerfile FROM python:3.11-slim, runs `uvicorn churnwatch.api:app --host 0.0.0.0 "
        "--port 8000`"
    )


def test_dockerfile_records_what_it_copies_where_for_the_last_stage() -> None:
    fact = dockerfile(
        """
        FROM python:3.11 AS build
        COPY requirements.txt /build/
        FROM python:3.11-slim
        WORKDIR /opt/dagster/app
        COPY src/dagster/definitions.py /opt/dagster/app/
        COPY src/dagster/assets/. ./assets/
        COPY --chown=app:app src/model/create_dataset.py src/model/train.py ./
        COPY ["src/helpers", "helpers"]
        COPY --from=build /build /build
        ADD $CONFIG /etc/config
        WORKDIR sub
        """
    )
    assert fact.workdir == "/opt/dagster/app/sub"
    assert fact.copies == (
        ("src/dagster/definitions.py", "/opt/dagster/app/"),
        ("src/dagster/assets/.", "/opt/dagster/app/assets/"),
        ("src/model/create_dataset.py", "/opt/dagster/app/"),
        ("src/model/train.py", "/opt/dagster/app/"),
        ("src/helpers", "/opt/dagster/app/helpers"),
    )


def test_dockerfile_instructions_join_continuations_and_drop_comments() -> None:
    instructions = dockerfile_instructions(textwrap.dedent(SERVICE_DOCKERFILE))
    assert [(line, keyword) for line, keyword, _ in instructions] == [
        (4, "FROM"),
        (6, "WORKDIR"),
        (7, "ENV"),
        (9, "COPY"),
        (10, "RUN"),
        (14, "COPY"),
        (15, "EXPOSE"),
        (16, "CMD"),
    ]
    run = instructions[4][2]
    assert run == ("pip install --no-cache-dir -r requirements.txt && pip install --no-cache-dir .")
    assert instructions[2][2] == "PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1"


def test_dockerfile_lowercase_instructions_and_blank_continuation_lines() -> None:
    text = "from python:3.12\nrun apt-get update && \\\n\n    apt-get install -y curl\n"
    instructions = dockerfile_instructions(text)
    assert instructions == [
        (1, "FROM", "python:3.12"),
        (2, "RUN", "apt-get update && apt-get install -y curl"),
    ]


def test_multi_stage_dockerfile_reports_the_first_stage_image_and_the_last_command() -> None:
    fact = dockerfile(
        """\
        FROM python:3.11 AS builder
        WORKDIR /build
        COPY . .
        RUN pip wheel --wheel-dir /wheels .

        FROM python:3.11-slim
        COPY --from=builder /wheels /wheels
        RUN pip install --no-cache-dir /wheels/*.whl
        ENTRYPOINT ["python", "-m", "churnwatch.serve"]
        """
    )
    assert fact.base_image == "python:3.11"
    assert fact.command == "python -m churnwatch.serve"
    assert fact.instructions == 8
    assert fact.exposes is False


def test_from_with_a_platform_flag_reports_the_image() -> None:
    fact = dockerfile("FROM --platform=linux/amd64 python:3.11-slim AS base\nCMD python app.py\n")
    assert fact.base_image == "python:3.11-slim"
    assert fact.command == "python app.py"


@pytest.mark.parametrize(
    ("lines", "command"),
    [
        ('CMD ["python", "serve.py"]', "python serve.py"),
        ("CMD gunicorn -w 4 churnwatch.api:app", "gunicorn -w 4 churnwatch.api:app"),
        ('ENTRYPOINT ["streamlit", "run", "app.py"]', "streamlit run app.py"),
        # an exec-form ENTRYPOINT takes CMD as its default arguments
        (UVICORN, "uvicorn churnwatch.api:app --port 80"),
        (UVICORN_LAST, "uvicorn churnwatch.api:app --port 80"),
        # a shell-form ENTRYPOINT ignores CMD
        ('ENTRYPOINT python serve.py\nCMD ["--debug"]', "python serve.py"),
        # the last CMD wins
        ('CMD ["bash"]\nCMD ["python", "-m", "churnwatch"]', "python -m churnwatch"),
        ("CMD ['python', 'app.py']", "['python', 'app.py']"),
        ("RUN pip install .", None),
    ],
)
def test_dockerfile_command_is_what_the_container_runs(lines: str, command: str | None) -> None:
    fact = dockerfile(f"FROM python:3.11-slim\n{lines}\n")
    assert fact.command == command


@pytest.mark.parametrize("text", ["", "\n\n", "# TODO: containerise the model\n\n# later\n"])
def test_empty_dockerfile_is_a_placeholder(text: str) -> None:
    fact = dockerfile(text)
    assert fact.placeholder == "an empty Dockerfile"
    assert (fact.instructions, fact.base_image, fact.command) == (0, None, None)
    assert fact.location.line is None


def test_dockerfile_without_from_is_a_placeholder() -> None:
    fact = dockerfile('RUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n')
    assert fact.placeholder == "a Dockerfile with no FROM instruction"
    assert fact.base_image is None
    assert fact.command == "python app.py"
    assert fact.describe() == "Dockerfile without a FROM instruction"


def test_dockerfile_variants_are_read_as_dockerfiles() -> None:
    fact = dockerfile("FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\n", path="docker/Dockerfile.gpu")
    assert fact.path == "docker/Dockerfile.gpu"
    assert fact.base_image == "nvidia/cuda:12.4.1-runtime-ubuntu22.04"


# GitHub Actions --------------------------------------------------------------------------
CI_WORKFLOW = """\
    name: CI
    on:
      push:
        branches: [main]
      pull_request:
      schedule:
        - cron: "0 6 * * 1"

    jobs:
      test:
        runs-on: ubuntu-latest
        strategy:
          matrix:
            python-version: ["3.11", "3.12"]
        steps:
          - uses: actions/checkout@v4
          - uses: actions/setup-python@v5
            with:
              python-version: ${{ matrix.python-version }}
          - run: pip install -e ".[test]"
          - run: python -m pytest -q --cov=churnwatch

      lint:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: |
              pip install ruff==0.5.0
              ruff check .
              ruff format --check .

      image:
        needs: [test]
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: docker/setup-buildx-action@v3
          - uses: docker/build-push-action@v6
            with:
              push: false
              tags: churnwatch:ci

      retrain:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: pip install -r requirements.txt
          - run: dvc pull && dvc repro
    """


def test_github_workflow_reads_triggers_even_though_yaml_reads_on_as_true() -> None:
    assert load_yaml("on: push\n") == {True: "push"}
    found = jobs(".github/workflows/ci.yml", CI_WORKFLOW)
    assert list(found) == ["test", "lint", "image", "retrain"]
    for fact in found.values():
        assert fact.triggers == ("push", "pull_request", "schedule")
        assert fact.scheduled is True
        assert (fact.system, fact.workflow) == ("github-actions", "CI")


def test_github_workflow_jobs_say_what_they_do() -> None:
    found = jobs(".github/workflows/ci.yml", CI_WORKFLOW)
    assert {job: flags(fact) - {"scheduled"} for job, fact in found.items()} == {
        "test": {"runs_tests"},
        "lint": {"lints"},
        "image": {"builds_image"},
        "retrain": {"runs_pipeline"},
    }
    assert {job: fact.location.line for job, fact in found.items()} == {
        "test": 10,
        "lint": 23,
        "image": 32,
        "retrain": 43,
    }
    assert all(fact.placeholder is None for fact in found.values())


@pytest.mark.parametrize(
    ("on", "triggers"),
    [
        ("on: push", ("push",)),
        ("on: [push, pull_request]", ("push", "pull_request")),
        ('"on": workflow_dispatch', ("workflow_dispatch",)),
        (
            "on:\n  schedule:\n    - cron: '0 3 * * *'\n  workflow_dispatch:",
            ("schedule", "workflow_dispatch"),
        ),
        ("# no trigger at all", ()),
    ],
)
def test_github_triggers_in_every_form(on: str, triggers: tuple[str, ...]) -> None:
    text = f"{on}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"
    fact = jobs(".github/workflows/tests.yml", text)["test"]
    assert fact.triggers == triggers
    assert fact.scheduled is ("schedule" in triggers)
    assert fact.workflow == "tests.yml"  # no `name:`, so the file name


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("pytest -q", {"runs_tests"}),
        ("python -m pytest tests/", {"runs_tests"}),
        ("tox -e py311", {"runs_tests"}),
        ("nox -s tests", {"runs_tests"}),
        ("python -m unittest discover", {"runs_tests"}),
        ("make test", set()),  # what the target runs, the linker adds (tests/test_task_graph.py)
        ("uv run pytest --cov", {"runs_tests"}),
        ("pip install -e . && pytest", {"runs_tests"}),
        ("docker build -t churnwatch:${{ github.sha }} .", {"builds_image"}),
        ("docker compose build api", {"builds_image"}),
        ("docker buildx build --platform linux/amd64 .", {"builds_image"}),
        ("ruff check src tests", {"lints"}),
        ("pre-commit run --all-files", {"lints"}),
        ("mypy src", {"lints"}),
        # the starter workflow's flake8: the first line fails on syntax errors, the second
        # is advice only
        ("flake8 . --count --select=E9,F63,F7,F82 --show-source --statistics", {"lints"}),
        ("flake8 . --count --exit-zero --max-complexity=10 --statistics", set()),
        ("pylint --disable=R,C --fail-under=1 app/*.py", set()),  # any score passes
        ("pylint --fail-under=8 src", {"lints"}),
        ("ruff check . || true", set()),
        ("ruff check . || true && mypy src", {"lints"}),
        ("dvc repro", {"runs_pipeline"}),
        ("python src/train.py --config configs/base.yaml", {"runs_pipeline"}),
        ("python -m churnwatch.evaluate", {"runs_pipeline"}),
        ("mlflow run . -e train", {"runs_pipeline"}),
        ("python scripts/report.py", set()),
        ("pip install pytest ruff black", set()),
        ("python -m pip install --upgrade pip tox", set()),
        ("uv pip install --system pytest", set()),
        ("pytest-benchmark-report.sh", set()),
    ],
)
def test_github_job_flags_come_from_the_commands_it_runs(run: str, expected: set[str]) -> None:
    fact = workflow_job(f"- uses: actions/checkout@v4\n- run: {run}\n")
    assert flags(fact) == expected
    assert fact.placeholder is None


def test_echo_only_job_is_a_placeholder_even_if_it_mentions_pytest() -> None:
    fact = workflow_job(
        """\
        - uses: actions/checkout@v4
        - uses: actions/setup-python@v5
        - run: echo "Running pytest..."
        - run: |
            # pytest would go here
            echo "All 42 tests passed" && sleep 1
            ls -la | cat
        """
    )
    assert fact.placeholder == "a CI job that only echoes"
    assert flags(fact) == set()


def test_installing_pytest_then_echoing_runs_no_tests() -> None:
    fact = workflow_job('- run: pip install pytest\n- run: echo "pytest passed"\n')
    assert fact.runs_tests is False
    assert fact.placeholder is None  # it installs something, it does not only echo


def test_job_using_a_non_setup_action_is_not_a_placeholder() -> None:
    fact = workflow_job(
        """\
        - uses: actions/checkout@v4
        - uses: pypa/gh-action-pypi-publish@release/v1
        - run: echo "published"
        """
    )
    assert fact.placeholder is None
    assert flags(fact) == set()


def test_reusable_workflow_job_is_not_a_placeholder() -> None:
    found = jobs(
        ".github/workflows/release.yml",
        """\
        on: [release]
        jobs:
          call-tests:
            uses: ./.github/workflows/tests.yml
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
        """,
    )
    assert found["call-tests"].placeholder is None
    assert found["build"].placeholder == "a CI job that only echoes"


def test_job_lines_are_found_under_jobs_not_in_other_keys() -> None:
    found = jobs(
        ".github/workflows/ci.yml",
        """\
        on:
          workflow_dispatch:
            inputs:
              build:
                type: boolean
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: docker build .
        """,
    )
    assert found["build"].location.line == 7


def test_workflow_without_jobs_yields_nothing() -> None:
    assert analyze(".github/workflows/ci.yml", "name: CI\non: push\n") == []
    assert analyze(".github/workflows/ci.yml", "") == []
    assert analyze(".github/workflows/ci.yml", "- just\n- a list\n") == []


# GitLab CI -------------------------------------------------------------------------------
GITLAB_CI = """\
    stages: [lint, test, build, train]

    variables:
      PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"

    default:
      image: python:3.11

    .python:
      before_script:
        - pip install -r requirements-dev.txt

    .tests:
      extends: .python
      script:
        - pytest -q

    lint:
      stage: lint
      extends: .python
      script: ruff check .

    unit-tests:
      stage: test
      extends: .tests

    integration:
      stage: test
      script:
        - !reference [.python, before_script]
        - tox -e integration

    build-image:
      stage: build
      image: docker:24
      services: [docker:24-dind]
      script:
        - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .

    retrain:
      stage: train
      rules:
        - if: '$CI_PIPELINE_SOURCE == "schedule"'
      script:
        - dvc repro

    nightly-report:
      only: [schedules]
      script: python scripts/report.py

    notify:
      script:
        - echo "pipeline finished"
    """


def test_gitlab_jobs_skip_hidden_templates_and_global_keys() -> None:
    found = jobs(".gitlab-ci.yml", GITLAB_CI)
    assert list(found) == [
        "lint",
        "unit-tests",
        "integration",
        "build-image",
        "retrain",
        "nightly-report",
        "notify",
    ]
    assert {fact.system for fact in found.values()} == {"gitlab-ci"}
    assert {fact.workflow for fact in found.values()} == {".gitlab-ci.yml"}


def test_gitlab_jobs_say_what_they_do() -> None:
    found = jobs(".gitlab-ci.yml", GITLAB_CI)
    assert {job: flags(fact) for job, fact in found.items()} == {
        "lint": {"lints"},
        "unit-tests": {"runs_tests"},  # its script comes from the `.tests` template
        "integration": {"runs_tests"},
        "build-image": {"builds_image"},
        "retrain": {"runs_pipeline", "scheduled"},
        "nightly-report": {"scheduled"},
        "notify": set(),
    }
    assert found["retrain"].triggers == ("push", "schedule")
    assert found["lint"].triggers == ("push",)
    assert found["notify"].placeholder == "a CI job that only echoes"
    assert found["unit-tests"].placeholder is None
    assert {job: fact.location.line for job, fact in found.items()} == {
        "lint": 18,
        "unit-tests": 23,
        "integration": 27,
        "build-image": 33,
        "retrain": 40,
        "nightly-report": 47,
        "notify": 51,
    }


def test_gitlab_extends_cycles_do_not_loop() -> None:
    found = jobs(
        ".gitlab-ci.yml",
        """\
        .a:
          extends: .b
          script: [pytest]
        .b:
          extends: .a
        job:
          extends: [.a, .missing]
        """,
    )
    assert list(found) == ["job"]
    assert found["job"].runs_tests is True


# docker compose --------------------------------------------------------------------------
COMPOSE = """\
    services:
      api:
        build: .
        ports: ["8000:8000"]
        depends_on:
          mlflow:
            condition: service_healthy
        healthcheck:
          test: ["CMD", "curl", "-f", "http://localhost:8000/health"]
          interval: 30s
      mlflow:
        image: ghcr.io/mlflow/mlflow:v2.14.1
        healthcheck:
          test: ["CMD", "curl", "-f", "http://localhost:5000"]
      worker:
        build:
          context: .
          dockerfile: docker/Dockerfile.worker
        image: churnwatch-worker:latest
      scratch:
        environment:
          LOG_LEVEL: debug

    volumes:
      mlflow:
    """


def test_compose_services() -> None:
    facts = analyze("docker-compose.yml", textwrap.dedent(COMPOSE))
    assert all(isinstance(fact, ComposeServiceFact) for fact in facts)
    found = {fact.service: fact for fact in facts if isinstance(fact, ComposeServiceFact)}
    assert {
        name: (fact.image, fact.builds, fact.healthcheck, fact.placeholder, fact.location.line)
        for name, fact in found.items()
    } == {
        "api": (None, True, True, None, 2),
        "mlflow": ("ghcr.io/mlflow/mlflow:v2.14.1", False, True, None, 11),
        "worker": ("churnwatch-worker:latest", True, False, None, 15),
        "scratch": (None, False, False, "a service with no image", 20),
    }
    assert found["api"].describe() == "compose service api (built here)"


def test_compose_without_services_yields_nothing() -> None:
    assert analyze("compose.yaml", "version: '3.8'\n") == []


# DVC -------------------------------------------------------------------------------------
DVC = """\
    stages:
      prepare:
        cmd: python src/prepare.py data/raw/churn.csv data/prepared
        deps:
          - data/raw/churn.csv
          - src/prepare.py
        outs:
          - data/prepared
      train:
        cmd:
          - python src/train.py data/prepared models/model.pkl
          - python src/export.py models/model.pkl models/model.onnx
        deps: [data/prepared, src/train.py, src/export.py]
        params: [train.epochs, train.learning_rate]
        outs:
          - models/model.pkl
          - models/model.onnx:
              cache: false
        metrics:
          - metrics.json:
              cache: false
      evaluate:
        deps: [models/model.pkl]
    """


def test_dvc_stages() -> None:
    facts = analyze("dvc.yaml", textwrap.dedent(DVC))
    assert all(isinstance(fact, DvcStageFact) for fact in facts)
    found = {fact.stage: fact for fact in facts if isinstance(fact, DvcStageFact)}
    assert {
        name: (fact.command, fact.deps, fact.outs, fact.placeholder, fact.location.line)
        for name, fact in found.items()
    } == {
        "prepare": ("python src/prepare.py data/raw/churn.csv data/prepared", 2, 1, None, 2),
        "train": (
            "python src/train.py data/prepared models/model.pkl"
            " && python src/export.py models/model.pkl models/model.onnx",
            3,
            2,
            None,
            9,
        ),
        "evaluate": ("", 1, 0, "a stage with no command", 22),
    }


# invalid and hostile YAML ----------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [".github/workflows/ci.yml", ".gitlab-ci.yml", "docker-compose.yml", "dvc.yaml"],
)
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("jobs:\n  test:\n    steps: [\n", "line 4: "),
        ("jobs:\n  test:\n    runs-on: ubuntu-latest\n   steps: []\n", "line 4: "),
        ("key: *undefined\n", "found undefined alias"),
        ("created: 2024-13-45\n", "month must be in 1..12"),
    ],
)
def test_invalid_yaml_becomes_a_finding(path: str, text: str, problem: str) -> None:
    (finding,) = analyze(path, text)
    assert isinstance(finding, FindingFact)
    assert finding.analyzer == ("ci" if is_ci_config(path) else "configs")
    assert finding.path == path
    name = path.rsplit("/", 1)[-1]
    assert finding.message.startswith(f"{name} is not valid YAML: ")
    assert problem in finding.message


def test_load_yaml_rejects_billion_laughs_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(YamlError, match="alias bomb"):
        load_yaml(BILLION_LAUGHS)
    assert time.perf_counter() - started < 2


def test_load_yaml_rejects_many_aliases() -> None:
    text = "base: &base {image: python}\n" + "".join(f"job{i}: *base\n" for i in range(201))
    with pytest.raises(YamlError, match="more than 200 aliases"):
        load_yaml(text)


def test_alias_bomb_in_a_workflow_becomes_a_finding() -> None:
    text = BILLION_LAUGHS + "jobs:\n  test:\n    steps:\n      - run: *lol8\n"
    started = time.perf_counter()
    (finding,) = analyze(".github/workflows/ci.yml", text)
    assert time.perf_counter() - started < 2
    assert isinstance(finding, FindingFact)
    assert "alias bomb" in finding.message


def test_ordinary_anchors_and_merge_keys_still_load() -> None:
    text = textwrap.dedent(
        """\
        .defaults: &defaults
          image: python:3.11
          tags: [docker]
        test:
          <<: *defaults
          script: [pytest]
        lint:
          <<: *defaults
          script: [ruff check .]
        """
    )
    document = load_yaml(text)
    assert document["test"] == {"image": "python:3.11", "tags": ["docker"], "script": ["pytest"]}
    assert document["lint"]["image"] == "python:3.11"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!python/object/apply:os.system ['echo hi']\n", "could not determine a constructor"),
        ("a: !!float not-a-number\n", "could not convert string to float"),
        ("a: !!int ten\n", "invalid literal for int()"),
        ("[" * 600 + "]" * 600, "nested too deeply"),
        ("a: [1, 2\n", "line 2: "),
    ],
)
def test_load_yaml_turns_every_failure_into_yaml_error(text: str, message: str) -> None:
    with pytest.raises(YamlError) as caught:
        load_yaml(text)
    assert message in str(caught.value)


def test_load_yaml_refuses_oversized_text() -> None:
    with pytest.raises(YamlError, match="larger than 1024 KiB"):
        load_yaml("a: " + "x" * MAX_YAML_BYTES)


def test_load_yaml_reads_application_tags_as_plain_data() -> None:
    assert load_yaml("script: !reference [.setup, script]\nbucket: !Ref Bucket\n") == {
        "script": [".setup", "script"],
        "bucket": "Bucket",
    }


def test_load_yaml_documents_reads_every_document() -> None:
    text = "---\nkind: Deployment\n---\nkind: Service\n...\n---\n- a\n- b\n"
    assert load_yaml_documents(text) == [{"kind": "Deployment"}, {"kind": "Service"}, ["a", "b"]]
    assert load_yaml(text) == {"kind": "Deployment"}


def test_load_yaml_of_an_empty_stream() -> None:
    assert load_yaml_documents("") == []
    assert load_yaml("") is None
    assert load_yaml("# only a comment\n") is None


def test_load_yaml_documents_fails_on_a_broken_later_document() -> None:
    with pytest.raises(YamlError, match="line 4"):
        load_yaml_documents("a: 1\n---\nb: [\n")


# command references ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("command", "references"),
    [
        # Python modules and scripts, with interpreter flags
        ("python -m churn.serve", ("churn.serve",)),
        ("python3 -u -m churn.monitor --since 7d", ("churn.monitor",)),
        ("python3.11 -O -B -m churn.train", ("churn.train",)),
        ("python -um churn.serve", ("churn.serve",)),  # -m inside a flag cluster
        ("python -W ignore -X dev scripts/evaluate.py --split test", ("scripts/evaluate.py",)),
        ("python src/train.py --config params.yaml", ("src/train.py",)),
        (".venv/bin/python src/train.py", ("src/train.py",)),
        ("./scripts/evaluate.py --out metrics.json", ("./scripts/evaluate.py",)),
        # ASGI and WSGI servers name the module of their app
        ("uvicorn churn.api:app --host 0.0.0.0 --port 8000", ("churn.api",)),
        ("uvicorn --reload --factory churn.api:create_app", ("churn.api",)),
        ("python -m uvicorn main:app", ("main",)),
        (
            "gunicorn -k uvicorn.workers.UvicornWorker --workers 4 -b 0.0.0.0:8000 churn.api:app",
            ("churn.api",),
        ),
        ("gunicorn --bind unix:app.sock 'churn.wsgi:create_app()'", ("churn.wsgi",)),
        ("hypercorn churn.api:app --bind 0.0.0.0:8000", ("churn.api",)),
        ("gunicorn -c gunicorn.conf.py", ()),  # the app is in the config file
        # other serving entry points
        ("streamlit run app.py --server.port 8501", ("app.py",)),
        ("python -m streamlit run dashboard/app.py", ("dashboard/app.py",)),
        ("flask --app churn.web run --port 5000", ("churn.web",)),
        ("flask --app=churn.web:create_app run", ("churn.web",)),
        ("FLASK_APP=churn.web flask run", ("churn.web",)),
        ("bentoml serve service:svc --port 3000", ("service",)),
        ("bentoml serve .", ()),
        ("bentoml serve churn_classifier:latest", ()),  # a built bento, not source
        ("fastapi run app/main.py", ("app/main.py",)),
        # test files, not test tools
        ("pytest tests/test_api.py", ("tests/test_api.py",)),
        ("pytest -q tests/test_api.py::test_health -k fast", ("tests/test_api.py",)),
        ("python -m pytest tests/test_model.py", ("tests/test_model.py",)),
        ("coverage run -m pytest tests/test_model.py", ("tests/test_model.py",)),
        ("pytest -q", ()),
        ("python -m pytest", ()),
        ("pytest --ignore tests/test_slow.py tests/", ()),
        # launchers and wrappers run what follows them
        ("torchrun --nproc-per-node 2 -m churn.train", ("churn.train",)),
        ("accelerate launch --num_processes 2 train.py", ("train.py",)),
        ("uv run --with pandas python -m churn.report", ("churn.report",)),
        ("poetry run uvicorn app.main:app", ("app.main",)),
        ("conda run -n churn python src/train.py", ("src/train.py",)),
        ("exec gunicorn churn.api:app", ("churn.api",)),
        ("FOO=1 PYTHONPATH=src python -m churn.x", ("churn.x",)),
        ("env -i PATH=/usr/bin python -m churn.y", ("churn.y",)),
        ("sh -c 'uvicorn churn.api:app --port $PORT'", ("churn.api",)),
        ("bash -lc 'cd src && python train.py'", ("src/train.py",)),
        # every part of a compound command, each reference once, in order
        ("cd src && python train.py", ("src/train.py",)),
        (
            "python -m churn.prepare; python -m churn.train | tee train.log",
            ("churn.prepare", "churn.train"),
        ),
        ("python -m churn.train && python -m churn.train --resume", ("churn.train",)),
        (
            "python evaluate.py > metrics.txt 2>&1 || python fallback.py",
            ("evaluate.py", "fallback.py"),
        ),
        ("python a.py \\\n  --flag\npython b.py  # then python c.py", ("a.py", "b.py")),
        # not project code
        ("mlflow run .", ()),
        ("mlflow run . -e train", ()),
        ("dvc repro", ()),
        ("make train", ()),
        ("python -m pip install -e .", ()),
        ("python -m venv .venv", ()),
        ("python -m http.server 8000", ()),
        ("python -m json.tool metrics.json", ()),
        ("python -m spacy download en_core_web_sm", ()),
        ('python -c "import churn; churn.train()"', ()),
        ("python -", ()),
        ("echo 'python -m churn.x'", ()),
        ("python $SCRIPT", ()),
        ("python src/${STAGE}.py", ()),
        ("bash scripts/train.sh", ()),
        ("python 'unclosed", ()),
        ("", ()),
    ],
)
def test_command_references(command: str, references: tuple[str, ...]) -> None:
    assert command_references(command) == references


def test_dockerfile_references_come_from_the_command_it_runs() -> None:
    service = dockerfile(SERVICE_DOCKERFILE)
    assert service.references == ("churnwatch.api",)
    assert service.target_exists is None  # resolved later, against the whole target
    serve = dockerfile('FROM python:3.11-slim\nENTRYPOINT ["python", "-m", "churn.serve"]\n')
    assert serve.references == ("churn.serve",)
    assert dockerfile(f"FROM python:3.11-slim\n{UVICORN}\n").references == ("churnwatch.api",)


def test_dockerfile_exec_form_keeps_a_shell_script_as_one_word() -> None:
    fact = dockerfile(
        'FROM python:3.11-slim\nCMD ["sh", "-c", "uvicorn churn.api:app --port ${PORT:-8000}"]\n'
    )
    assert fact.command == "sh -c uvicorn churn.api:app --port ${PORT:-8000}"
    assert fact.references == ("churn.api",)


@pytest.mark.parametrize(
    "lines",
    ["RUN pip install .", 'CMD ["bash"]', 'CMD ["python", "-m", "http.server"]', ""],
)
def test_dockerfile_that_runs_no_project_code_has_no_references(lines: str) -> None:
    fact = dockerfile(f"FROM python:3.11-slim\n{lines}\n")
    assert fact.references == ()
    assert fact.target_exists is None


def test_dvc_stage_references() -> None:
    facts = analyze("dvc.yaml", textwrap.dedent(DVC))
    found = {fact.stage: fact for fact in facts if isinstance(fact, DvcStageFact)}
    assert {name: fact.references for name, fact in found.items()} == {
        "prepare": ("src/prepare.py",),
        "train": ("src/train.py", "src/export.py"),
        "evaluate": (),
    }
    assert {fact.target_exists for fact in found.values()} == {None}


def test_dvc_stage_with_a_config_flag_names_its_script() -> None:
    text = "stages:\n  train:\n    cmd: python src/train.py --config params.yaml\n"
    (fact,) = analyze("dvc.yaml", text)
    assert isinstance(fact, DvcStageFact)
    assert fact.references == ("src/train.py",)


MONITOR_WORKFLOW = """\
    name: Drift monitor
    on:
      schedule:
        - cron: "0 5 * * *"
      workflow_dispatch:
    jobs:
      monitor:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: actions/setup-python@v5
            with:
              python-version: "3.11"
          - run: pip install -r requirements.txt
          - run: python -m churn.monitor --window 7d
          - run: |
              cd reports
              python render.py --input ../monitoring.json
    """


def test_scheduled_workflow_job_names_the_modules_it_runs() -> None:
    fact = jobs(".github/workflows/monitor.yml", MONITOR_WORKFLOW)["monitor"]
    assert fact.references == ("churn.monitor", "reports/render.py")
    assert fact.scheduled is True
    assert fact.triggers == ("schedule", "workflow_dispatch")
    assert flags(fact) == {"scheduled"}


def test_ci_workflow_job_references() -> None:
    found = jobs(".github/workflows/ci.yml", CI_WORKFLOW)
    # `python -m pytest` runs tests but names no file; the lint and image jobs run none
    assert {job: fact.references for job, fact in found.items()} == {
        "test": (),
        "lint": (),
        "image": (),
        "retrain": (),
    }


def test_gitlab_job_references_include_inherited_scripts() -> None:
    text = textwrap.dedent(
        """\
        .train:
          before_script:
            - pip install -r requirements.txt
          script:
            - python -m churn.train --epochs 10
        train:
          extends: .train
          script:
            - python -m churn.train
            - python scripts/evaluate.py
        report:
          script: python scripts/report.py
        """
    )
    found = jobs(".gitlab-ci.yml", text)
    assert found["train"].references == ("churn.train", "scripts/evaluate.py")
    assert found["report"].references == ("scripts/report.py",)


# Makefile --------------------------------------------------------------------------------
MAKEFILE = """\
    # Churn model: common tasks
    PYTHON ?= python3
    SRC := src
    IMAGE = churnwatch
    TAG ?= $(shell git rev-parse --short HEAD)
    PYTEST_ARGS = -q
    PYTEST_ARGS += --maxfail=1

    .PHONY: all install test train docker-build lint clean help
    .DEFAULT_GOAL := help

    all: lint test  ## lint, then test

    help:  ## show this help
    \t@grep -E '^[a-zA-Z_-]+:.*?## .*$$' $(MAKEFILE_LIST) | sort

    install:
    \t$(PYTHON) -m pip install --upgrade pip
    \t$(PYTHON) -m pip install -e ".[dev]"

    test: ; pytest -q

    train: data/processed/train.csv
    \t@echo "Training the model"
    \t$(PYTHON) -m churn.train \\
    \t\t--config params.yaml

    data/processed/train.csv: data/raw/churn.csv
    \t$(PYTHON) src/prepare.py $< $@

    docker-build:
    \tdocker build -t $(IMAGE):$(TAG) .

    lint:
    \t-ruff check $(SRC) tests
    \t+mypy $(SRC)

    %.html: %.ipynb
    \tjupyter nbconvert --to html $<

    ifeq ($(CI),true)
    test: PYTEST_ARGS += --cov=churn
    endif

    serve dev-serve:
    \t$(PYTHON) -m uvicorn churn.api:app

    clean:
    \trm -rf .pytest_cache build dist
    """


def make_targets(text: str = MAKEFILE, path: str = "Makefile") -> dict[str, TaskFact]:
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    facts = list(MakefileAnalyzer().analyze(entry, textwrap.dedent(text), CONTEXT))
    assert all(isinstance(fact, TaskFact) and fact.runner == "make" for fact in facts), facts
    return {fact.name: fact for fact in facts if isinstance(fact, TaskFact)}


def make_flags(fact: TaskFact) -> set[str]:
    names = ("runs_tests", "builds_image", "runs_pipeline", "lints")
    return {name for name in names if getattr(fact, name)}


def test_makefile_targets_skip_special_pattern_and_variable_lines() -> None:
    targets = make_targets()
    assert list(targets) == [
        "all",
        "help",
        "install",
        "test",
        "train",
        "data/processed/train.csv",
        "docker-build",
        "lint",
        "serve",
        "dev-serve",
        "clean",
    ]
    assert {name: fact.location.line for name, fact in targets.items()} == {
        "all": 12,
        "help": 14,
        "install": 17,
        "test": 21,
        "train": 23,
        "data/processed/train.csv": 28,
        "docker-build": 31,
        "lint": 34,
        "serve": 45,
        "dev-serve": 45,
        "clean": 48,
    }


def test_makefile_targets_say_what_they_do() -> None:
    targets = make_targets()
    assert {name: make_flags(fact) for name, fact in targets.items()} == {
        "all": set(),  # prerequisites only: nothing of its own
        "help": set(),
        "install": set(),  # `python3 -m pip install` installs, it runs nothing
        "test": {"runs_tests"},
        "train": {"runs_pipeline"},  # `$(PYTHON) -m churn.train` once PYTHON is filled in
        "data/processed/train.csv": set(),
        "docker-build": {"builds_image"},
        "lint": {"lints"},
        "serve": set(),
        "dev-serve": set(),
        "clean": set(),
    }


def test_makefile_recipes_as_written_without_prefixes() -> None:
    targets = make_targets()
    assert targets["all"].commands == ""
    assert targets["test"].commands == "pytest -q"  # an inline recipe after `;`
    assert targets["train"].commands == (
        'echo "Training the model"\n$(PYTHON) -m churn.train --config params.yaml'
    )
    assert targets["lint"].commands == "ruff check $(SRC) tests\nmypy $(SRC)"
    assert targets["install"].commands == (
        '$(PYTHON) -m pip install --upgrade pip\n$(PYTHON) -m pip install -e ".[dev]"'
    )
    assert targets["serve"].commands == targets["dev-serve"].commands
    assert targets["train"].describe() == "make target train runs the pipeline"


def test_makefile_references_use_the_makefiles_variables() -> None:
    targets = make_targets()
    assert {name: fact.references for name, fact in targets.items() if fact.references} == {
        "train": ("churn.train",),
        "data/processed/train.csv": ("src/prepare.py",),
        "serve": ("churn.api",),
        "dev-serve": ("churn.api",),
    }


def test_make_variables_escape_and_stay_bounded() -> None:
    # `$$` is the shell's `$`, not a make variable; unknown variables stay as written
    (fact,) = make_target_facts("Makefile", "run:\n\tpython $$SCRIPT $(UNKNOWN)\n")
    assert fact.references == ()
    assert fact.commands == "python $$SCRIPT $(UNKNOWN)"
    # each level doubles the text: the expansion stops at a bound instead of exploding
    levels = "".join(f"V{n} = $(V{n + 1})$(V{n + 1})\n" for n in range(40))
    started = time.perf_counter()
    (fact,) = make_target_facts("Makefile", f"{levels}V40 = pytest\nbomb:\n\t$(V0)\n")
    assert time.perf_counter() - started < 2
    assert fact.commands == "$(V0)"
    assert fact.runs_tests is False  # left unexpanded, so nothing to see


def test_makefile_define_blocks_and_double_colon_rules() -> None:
    text = (
        "define USAGE\n"
        "\tpytest is run by `make check`\n"
        "fake: target\n"
        "endef\n"
        "check::\n"
        "\tpytest tests/test_api.py\n"
        "check::\n"
        "\t@ruff check .\n"
        "$(VENV)/bin/python: requirements.txt\n"
        "\tpython -m venv $(VENV)\n"
    )
    targets = make_targets(text)
    assert list(targets) == ["check", "$(VENV)/bin/python"]
    check = targets["check"]
    assert check.commands == "pytest tests/test_api.py\nruff check ."
    assert make_flags(check) == {"runs_tests", "lints"}
    assert check.references == ("tests/test_api.py",)
    assert check.location.line == 5


def test_makefile_without_rules_yields_nothing() -> None:
    assert make_targets("# nothing yet\nPYTHON = python3\n\n") == {}
    assert make_targets("") == {}


def test_makefile_prerequisites_are_invoked_and_the_first_target_is_the_default() -> None:
    targets = make_targets()
    assert [name for name, fact in targets.items() if fact.default] == ["help"]  # .DEFAULT_GOAL
    decoded = (Invocation.decode(text) for text in targets["all"].invokes)
    assert [i.label() for i in decoded if i] == ["make lint", "make test"]
    first = make_targets("build:\n\tdocker build .\ncheck: build\n\truff check .\n")
    assert [name for name, fact in first.items() if fact.default] == ["build"]


# what a command hands over to ------------------------------------------------------------
@pytest.mark.parametrize(
    ("command", "invoked"),
    [
        ("make test", ["make test"]),
        ("make", ["make (default)"]),
        (
            "cd services/api && make lint test",
            ["make lint (in services/api)", "make test (in services/api)"],
        ),
        ("make -C model PY=python3 train", ["make train (in model)"]),
        ("$(MAKE) -j4 check", []),  # unexpanded: a Makefile's own reader fills $(MAKE) in
        ("make -n test", []),  # a dry run runs nothing
        ("make -f ci.mk test", []),  # a Makefile by another name is not read
        ("just ci", ["just ci"]),
        ("just --list", []),
        ("mise run test ::: lint", ["mise test", "mise lint"]),
        ("uv run poe check", ["poe check"]),
        ("poetry run task test", ["taskipy test"]),
        ("hatch run test:cov", ["hatch test:cov"]),
        ("hatch -e lint run check", ["hatch lint:check"]),
        ("pdm run lint", ["pdm lint"]),
        ("nox", ["nox (default)"]),
        ("uvx nox -s lint tests-3.12", ["nox lint", "nox tests-3.12"]),
        ("python -m tox -e py311,lint", ["tox py311", "tox lint"]),
        ("tox -c ci/tox.ini", ["tox (default) (in ci)"]),
        ("./tasks/unit_test.sh", ["tasks/unit_test.sh"]),
        ("bash automation/check_code/run_tests.sh", ["automation/check_code/run_tests.sh"]),
        ("cd ci && ./lint.sh || FAILURE=true", ["ci/lint.sh"]),
        ("sh -c 'cd api && make test'", ["make test (in api)"]),
        ("source scripts/env.sh && source .venv/bin/activate", ["scripts/env.sh"]),
        (".venv/bin/pytest -q", []),
        ("cd /tmp && ./build.sh", []),  # somewhere that cannot be known
        ("sbatch --gres=gpu:1 -J eval jobs/evaluate.sh", ["jobs/evaluate.sh"]),
        ("sbatch --wrap 'bash jobs/evaluate.sh'", ["jobs/evaluate.sh"]),
        ("docker run --rm -v $PWD:/w -w /w img bash tasks/test.sh", ["tasks/test.sh"]),
        ("docker compose run --rm api make test", ["make test"]),
        ("docker build -t app .", []),
        ("python scripts/run_tests.py", []),  # Python: a reference, not a task
    ],
)
def test_command_invocations(command: str, invoked: list[str]) -> None:
    decoded = (Invocation.decode(text) for text in command_invocations(command))
    assert [invocation.label() for invocation in decoded if invocation] == invoked


# shell scripts ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("tasks/lint.sh", True),
        ("deploy/run.bash", True),
        ("scripts/test", True),  # a script with no suffix, if it starts with a shell's #!
        ("ci/check", True),
        ("bin/tool", False),
        ("src/run", False),
        ("scripts/train.py", False),
    ],
)
def test_shell_script_analyzer_wants_scripts(path: str, wanted: bool) -> None:
    entry = FileEntry(path=path, size=100, kind=EntryKind.FILE)
    assert ShellScriptAnalyzer().wants(entry) is wanted


def test_a_shell_script_is_a_task_named_by_its_path() -> None:
    text = (
        "#!/usr/bin/env bash\n"
        "set -euo pipefail\n"
        "# unit tests, then a smoke run of training\n"
        'python -m pytest "$@"\n'
        "python training/run_experiment.py --max_epochs 1 || FAILURE=true\n"
        "./training/tests/test_memorize.sh\n"
    )
    entry = FileEntry(path="tasks/unit_test.sh", size=len(text), kind=EntryKind.FILE)
    (fact,) = ShellScriptAnalyzer().analyze(entry, text, CONTEXT)
    assert isinstance(fact, TaskFact)
    assert (fact.runner, fact.name) == ("script", "tasks/unit_test.sh")
    assert make_flags(fact) == {"runs_tests", "runs_pipeline"}
    assert fact.references == ("training/run_experiment.py",)
    decoded = (Invocation.decode(text) for text in fact.invokes)
    assert [i.label() for i in decoded if i] == ["training/tests/test_memorize.sh"]
    assert fact.describe() == "shell script tasks/unit_test.sh runs tests, runs the pipeline"


def test_a_file_without_a_suffix_is_a_script_only_with_a_shell_shebang() -> None:
    entry = FileEntry(path="scripts/serve", size=30, kind=EntryKind.FILE)
    assert (
        list(ShellScriptAnalyzer().analyze(entry, "#!/usr/bin/env python3\nprint(1)\n", CONTEXT))
        == []
    )
    (fact,) = ShellScriptAnalyzer().analyze(entry, "#!/bin/sh\nexec uvicorn app:app\n", CONTEXT)
    assert isinstance(fact, TaskFact) and fact.references == ("app",)


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("Makefile", True),
        ("makefile", True),
        ("GNUmakefile", True),
        ("docs/Makefile", True),
        ("Makefile.inc", False),
        ("rules.mk", False),
        ("MAKEFILE.md", False),
    ],
)
def test_makefile_analyzer_wants_makefiles(path: str, wanted: bool) -> None:
    entry = FileEntry(path=path, size=100, kind=EntryKind.FILE)
    assert MakefileAnalyzer().wants(entry) is wanted


# pre-commit ------------------------------------------------------------------------------
PRECOMMIT = """\
    default_language_version:
      python: python3.11
    repos:
      - repo: https://github.com/astral-sh/ruff-pre-commit
        rev: v0.5.0
        hooks:
          - id: ruff
            args: [--fix]
          - id: ruff-format
      - repo: https://github.com/psf/black
        rev: 24.4.2
        hooks:
          - id: black
      - repo: https://github.com/kynan/nbstripout
        rev: 0.7.1
        hooks:
          - {id: nbstripout, files: "^notebooks/"}
      - repo: local
        hooks:
          - name: unit tests
            id: pytest
            entry: pytest -q
            language: system
            pass_filenames: false
      - repo: meta
        hooks:
          - id: check-hooks-apply
    """


def test_precommit_hooks() -> None:
    facts = analyze(".pre-commit-config.yaml", textwrap.dedent(PRECOMMIT))
    assert all(isinstance(fact, PrecommitHookFact) for fact in facts)
    hooks = [
        (fact.hook, fact.repo, fact.location.line)
        for fact in facts
        if isinstance(fact, PrecommitHookFact)
    ]
    assert hooks == [
        ("ruff", "https://github.com/astral-sh/ruff-pre-commit", 7),
        ("ruff-format", "https://github.com/astral-sh/ruff-pre-commit", 9),
        ("black", "https://github.com/psf/black", 13),
        ("nbstripout", "https://github.com/kynan/nbstripout", 17),
        ("pytest", "local", 21),
        ("check-hooks-apply", "meta", 27),
    ]
    assert facts[0].describe() == "pre-commit hook ruff"


def test_precommit_hook_used_twice_gets_each_its_own_line() -> None:
    text = (
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: mypy\n"
        "        name: mypy src\n"
        "      - id: mypy\n"
        "        name: mypy tests\n"
    )
    lines = [fact.location.line for fact in analyze(".pre-commit-config.yaml", text)]
    assert lines == [4, 6]


def test_precommit_without_repos_yields_nothing() -> None:
    assert analyze(".pre-commit-config.yaml", "default_stages: [commit]\n") == []
    assert analyze(".pre-commit-config.yaml", "repos:\n  - repo: local\n") == []


def test_invalid_precommit_config_becomes_a_finding() -> None:
    (finding,) = analyze(".pre-commit-config.yaml", "repos:\n  - repo: local\n   hooks: [\n")
    assert isinstance(finding, FindingFact)
    assert finding.analyzer == "configs"
    assert finding.message.startswith(".pre-commit-config.yaml is not valid YAML: line ")


def test_config_analyzer_wants_the_precommit_config() -> None:
    entry = FileEntry(path=".pre-commit-config.yaml", size=100, kind=EntryKind.FILE)
    assert ConfigAnalyzer().wants(entry) is True
    assert KubernetesAnalyzer().wants(entry) is False


# Kubernetes ------------------------------------------------------------------------------
K8S_MANIFESTS = """\
    # churn API: deployment, service, autoscaler, and the nightly retraining job
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: churn-api
      labels: {app: churn-api}
    spec:
      replicas: 2
      selector:
        matchLabels: {app: churn-api}
      template:
        metadata:
          labels: {app: churn-api}
        spec:
          initContainers:
            - name: fetch-model
              image: ghcr.io/acme/model-fetcher:0.3
              args: ["s3://models/churn/latest", "/models"]
          containers:
            - name: api
              image: ghcr.io/acme/churn-api:1.4.0
              ports:
                - containerPort: 8000
              readinessProbe:
                httpGet: {path: /health, port: 8000}
              livenessProbe:
                httpGet: {path: /health, port: 8000}
                initialDelaySeconds: 10
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: churn-api
    spec:
      selector: {app: churn-api}
      ports:
        - port: 80
          targetPort: 8000
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: churn-api
    spec:
      scaleTargetRef:
        apiVersion: apps/v1
        kind: Deployment
        name: churn-api
      minReplicas: 2
      maxReplicas: 5
    ---
    apiVersion: batch/v1
    kind: CronJob
    metadata:
      name: churn-retrain
    spec:
      schedule: "0 3 * * 1"
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: OnFailure
              containers:
                - name: retrain
                  image: ghcr.io/acme/churn-train:1.4.0
                  command: ["python", "-m", "churn.train"]
    """


def k8s(path: str, text: str) -> list[K8sResourceFact]:
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    facts = list(KubernetesAnalyzer().analyze(entry, textwrap.dedent(text), CONTEXT))
    assert all(isinstance(fact, K8sResourceFact) for fact in facts), facts
    return [fact for fact in facts if isinstance(fact, K8sResourceFact)]


def test_multi_document_kubernetes_manifest() -> None:
    facts = k8s("k8s/churn-api.yaml", K8S_MANIFESTS)
    assert [(fact.resource, fact.name, fact.api_version, fact.location.line) for fact in facts] == [
        ("Deployment", "churn-api", "apps/v1", 3),
        ("Service", "churn-api", "v1", 31),
        # the autoscaler's own `kind:`, not the one in its scaleTargetRef
        ("HorizontalPodAutoscaler", "churn-api", "autoscaling/v2", 41),
        ("CronJob", "churn-retrain", "batch/v1", 53),
    ]
    deployment, service, autoscaler, cronjob = facts
    assert deployment.images == ("ghcr.io/acme/model-fetcher:0.3", "ghcr.io/acme/churn-api:1.4.0")
    assert (deployment.probes, deployment.schedule) == (True, None)
    assert (service.images, service.probes, service.schedule) == ((), False, None)
    assert autoscaler.images == ()
    assert cronjob.images == ("ghcr.io/acme/churn-train:1.4.0",)
    assert (cronjob.schedule, cronjob.probes) == ("0 3 * * 1", False)
    assert cronjob.describe() == "Kubernetes CronJob churn-retrain"


def test_kserve_inference_service_images_come_from_its_predictor() -> None:
    text = """\
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: churn-model
          annotations:
            serving.kserve.io/deploymentMode: RawDeployment
        spec:
          predictor:
            minReplicas: 1
            containers:
              - name: kserve-container
                image: ghcr.io/acme/churn-predictor:1.4.0
                readinessProbe:
                  httpGet: {path: /v2/health/ready, port: 8080}
          transformer:
            containers:
              - name: transformer
                image: ghcr.io/acme/churn-transformer:1.4.0
        ---
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: churn-sklearn
        spec:
          predictor:
            model:
              modelFormat: {name: sklearn}
              storageUri: gs://acme-models/churn/v3
        """
    custom, stock = k8s("deploy/kserve/inference.yaml", text)
    assert (custom.resource, custom.name, custom.location.line) == (
        "InferenceService",
        "churn-model",
        2,
    )
    assert custom.images == (
        "ghcr.io/acme/churn-predictor:1.4.0",
        "ghcr.io/acme/churn-transformer:1.4.0",
    )
    assert custom.probes is True
    assert (stock.name, stock.images, stock.probes, stock.location.line) == (
        "churn-sklearn",
        (),
        False,
        21,
    )


def test_argo_cron_workflow_schedule() -> None:
    text = """\
        apiVersion: argoproj.io/v1alpha1
        kind: CronWorkflow
        metadata:
          name: nightly-training
        spec:
          schedule: "30 2 * * *"
          workflowSpec:
            entrypoint: train
            templates:
              - name: train
                container:
                  image: ghcr.io/acme/churn-train:1.4.0
        """
    (fact,) = k8s("pipelines/nightly.yaml", text)  # found by its content, not its folder
    assert (fact.resource, fact.schedule) == ("CronWorkflow", "30 2 * * *")
    assert fact.images == ("ghcr.io/acme/churn-train:1.4.0",)


def test_only_mappings_with_api_version_and_kind_are_resources() -> None:
    text = """\
        ---
        ---
        kind: Note
        text: no apiVersion here
        ---
        - a list
        ---
        apiVersion: v1
        kind: ConfigMap
        data:
          MODEL_PATH: /models/churn.onnx
        """
    (fact,) = k8s("k8s/config.yaml", text)
    assert (fact.resource, fact.name, fact.location.line) == ("ConfigMap", "", 9)
    assert fact.images == ()


@pytest.mark.parametrize(
    "path",
    ["k8s/values.yaml", "helm/churn/Chart.yaml", "charts/churn/values.yaml", "config/train.yaml"],
)
def test_yaml_that_is_not_a_manifest_yields_nothing(path: str) -> None:
    text = "apiVersion: v2\nname: churn\nimage:\n  repository: ghcr.io/acme/churn-api\n"
    assert k8s(path, text) == []


def test_yaml_outside_deployment_folders_is_parsed_only_when_it_looks_like_a_manifest() -> None:
    broken = "model:\n  layers: [64, 32\n"
    assert analyze_k8s_raw("config/model.yaml", broken) == []  # not a manifest: not parsed
    (finding,) = analyze_k8s_raw("k8s/model.yaml", broken)  # in a deployment folder it is
    assert isinstance(finding, FindingFact)
    assert finding.message.startswith("model.yaml is not valid YAML: ")


def test_helm_template_that_does_not_parse_is_skipped_quietly() -> None:
    template = """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ include "churn.fullname" . }}
          labels:
            {{- include "churn.labels" . | nindent 4 }}
        spec:
          replicas: {{ .Values.replicaCount }}
          template:
            spec:
              containers:
                - name: {{ .Chart.Name }}
                  image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
        """
    entry = FileEntry(path="charts/churn/templates/deployment.yaml", size=1, kind=EntryKind.FILE)
    facts = list(KubernetesAnalyzer().analyze(entry, textwrap.dedent(template), CONTEXT))
    assert facts == []
    # the same text anywhere but a chart's templates is invalid YAML, and says so
    (finding,) = analyze_k8s_raw("k8s/deployment.yaml", textwrap.dedent(template))
    assert isinstance(finding, FindingFact)
    assert finding.analyzer == "kubernetes"
    assert finding.message.startswith("deployment.yaml is not valid YAML: line ")


def test_helm_template_that_parses_still_yields_its_resource() -> None:
    template = """\
        apiVersion: v1
        kind: Service
        metadata:
          name: "{{ .Release.Name }}-api"
        spec:
          ports:
            - port: 80
        """
    (fact,) = k8s("helm/churn/templates/service.yaml", template)
    assert (fact.resource, fact.name) == ("Service", "{{ .Release.Name }}-api")


def analyze_k8s_raw(path: str, text: str) -> list[Fact]:
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    return list(KubernetesAnalyzer().analyze(entry, text, CONTEXT))


def test_alias_bomb_in_a_manifest_becomes_a_finding() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\ndata:\n" + textwrap.indent(BILLION_LAUGHS, "  ")
    started = time.perf_counter()
    (finding,) = analyze_k8s_raw("k8s/bomb.yaml", text)
    assert time.perf_counter() - started < 2
    assert isinstance(finding, FindingFact)
    assert "alias bomb" in finding.message


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("k8s/deployment.yaml", True),
        ("deploy/helm/churn/templates/service.yml", True),
        ("config/params.yaml", True),  # may hold a manifest: `analyze` looks at the text
        ("mkdocs.yml", True),
        ("docker-compose.yml", False),
        ("deploy/compose.yaml", False),
        ("dvc.yaml", False),
        (".github/workflows/deploy.yml", False),
        (".gitlab-ci.yml", False),
        (".pre-commit-config.yaml", False),
        ("k8s/README.md", False),
        ("k8s/kustomization.json", False),
    ],
)
def test_kubernetes_analyzer_wants_yaml_not_claimed_elsewhere(path: str, wanted: bool) -> None:
    entry = FileEntry(path=path, size=100, kind=EntryKind.FILE)
    assert KubernetesAnalyzer().wants(entry) is wanted


def test_new_analyzers_are_registered() -> None:
    kinds = {type(analyzer) for analyzer in file_analyzers(CONTEXT)}
    assert {ConfigAnalyzer, KubernetesAnalyzer, MakefileAnalyzer, CiAnalyzer} <= kinds


# deploys and provisions ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("docker push ghcr.io/acme/churn:${{ github.sha }}", {"deploys"}),
        ("docker buildx build --platform linux/amd64 --push -t acme/churn .", {"builds_image", "deploys"}),
        ("gcloud builds submit --tag gcr.io/$PROJECT_ID/churn", {"deploys"}),
        ("gcloud run deploy churn-api --image gcr.io/p/churn --region europe-west1", {"deploys"}),
        ("npx cdk deploy --all --require-approval never", {"deploys", "provisions"}),
        ("sam deploy --no-confirm-changeset", {"deploys", "provisions"}),
        ("terraform -chdir=infra apply -auto-approve", {"deploys", "provisions"}),
        ("terraform plan -out plan.tfplan", {"provisions"}),
        ("cdk synth", {"provisions"}),
        ("helm upgrade --install churn ./chart", {"deploys", "provisions"}),
        ("kubectl apply -f k8s/", {"deploys", "provisions"}),
        ("kubectl get pods", set()),
        ("git push heroku main", {"deploys"}),
        ("pip install sagemaker", set()),
        ("docker pull python:3.11", set()),
        ("git push origin main", set()),
    ],
)  # fmt: skip
def test_jobs_that_publish_deploy_or_provision(run: str, expected: set[str]) -> None:
    fact = workflow_job(f"- uses: actions/checkout@v4\n- run: {run}\n")
    assert {name for name in ("builds_image", "deploys", "provisions") if getattr(fact, name)} == (
        expected
    )


def test_a_git_push_to_a_hugging_face_space_deploys() -> None:
    """The remote is added on one line and pushed on another, as in a Spaces sync job."""
    fact = workflow_job(
        """\
        - uses: actions/checkout@v4
          with:
            fetch-depth: 0
        - run: |
            git remote add space https://user:$HF_TOKEN@huggingface.co/spaces/$HF_USER/rag-docs
            git push space main:main --force
        - run: echo "Space URL https://huggingface.co/spaces/x" >> $GITHUB_STEP_SUMMARY
        """
    )
    assert fact.deploys is True
    # a job that only echoes a link to its Space, then pushes to its own repo, deploys nothing
    assert not workflow_job('- run: echo "see huggingface.co/spaces/x"\n- run: git push\n').deploys


def test_a_link_to_a_space_without_a_push_deploys_nothing() -> None:
    fact = workflow_job("- run: curl https://huggingface.co/spaces/x/raw/main/README.md\n")
    assert fact.deploys is False


@pytest.mark.parametrize(
    ("step", "deploys"),
    [
        ("uses: docker/build-push-action@v5\n  with:\n    push: true\n    tags: acme/churn:latest", True),
        ("uses: docker/build-push-action@v5\n  with:\n    push: ${{ github.ref == 'refs/heads/main' }}", False),
        ("uses: docker/build-push-action@v5\n  with:\n    load: true", False),
        ("uses: google-github-actions/deploy-cloudrun@v2\n  with:\n    service: churn-api", True),
        ("uses: aws-actions/amazon-ecr-login@v2", False),
    ],
)  # fmt: skip
def test_actions_that_publish_or_deploy(step: str, deploys: bool) -> None:
    fact = workflow_job(f"- uses: actions/checkout@v4\n- {step}\n")
    assert fact.deploys is deploys


LAMBDA = 'FROM public.ecr.aws/lambda/python:3.10\nCOPY api.py ./\nCMD ["api.handler"]\n'


def test_a_lambda_image_names_its_handler_module() -> None:
    fact = dockerfile(LAMBDA)
    assert fact.command == "api.handler"
    assert fact.references == ("api",)
    nested = dockerfile(
        'FROM amazon/aws-lambda-python:3.9\nCMD ["serving/predict.lambda_handler"]\n'
    )
    assert nested.references == ("serving.predict",)


def test_a_custom_lambda_image_with_the_runtime_client_names_its_handler() -> None:
    fact = dockerfile(
        "FROM python:3.11-slim\nRUN pip install awslambdaric\n"
        'ENTRYPOINT ["python", "-m", "awslambdaric"]\nCMD ["app.handler"]\n'
    )
    assert fact.references == ("app",)


def test_a_plain_image_whose_cmd_looks_like_a_handler_names_nothing() -> None:
    assert dockerfile('FROM python:3.11-slim\nCMD ["api.handler"]\n').references == ()
