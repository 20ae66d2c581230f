"""Operational configuration: Dockerfiles, CI workflows, compose files, DVC pipelines,
Makefiles, pre-commit hooks, Kubernetes manifests, the commands they run, and the bounded
YAML loader they are read with."""

from __future__ import annotations

import textwrap
import time

import pytest

from portfolio_check.analyzers import file_analyzers
from portfolio_check.analyzers.automation import (
    MakefileAnalyzer,
    command_references,
    make_target_facts,
)
from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.configs import (
    ConfigAnalyzer,
    KubernetesAnalyzer,
    dockerfile_instructions,
)
from portfolio_check.facts import (
    ComposeServiceFact,
    DockerfileFact,
    DvcStageFact,
    Fact,
    FindingFact,
    K8sResourceFact,
    MakeTargetFact,
    PrecommitHookFact,
    WorkflowJobFact,
)
from portfolio_check.safe_yaml import (
    MAX_YAML_BYTES,
    YamlError,
    load_yaml,
    load_yaml_documents,
)
from portfolio_check.snapshot import EntryKind, FileEntry

CONTEXT = AnalysisContext(layout=ProjectLayout(modules=frozenset(), top_level=frozenset()))

# The classic "billion laughs": 9 levels of 9 aliases, 9**9 strings once expanded.
BILLION_LAUGHS = f"lol0: &lol0 [{', '.join(['lol'] * 9)}]\n" + "".join(
    f"lol{level}: &lol{level} [{', '.join([f'*lol{level - 1}'] * 9)}]\n" for level in range(1, 9)
)
UVICORN = 'ENTRYPOINT ["uvicorn"]\nCMD ["churnwatch.api:app", "--port", "80"]'
UVICORN_LAST = 'CMD ["--port", "80"]\nENTRYPOINT ["uvicorn", "churnwatch.api:app"]'


def analyze(path: str, text: str) -> list[Fact]:
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    return list(ConfigAnalyzer().analyze(entry, text, CONTEXT))


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
        (".gitlab-ci.yml", True),
        (".github/workflows/ci.yml", True),
        (".github/workflows/release.YAML", True),
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
        ("make test", {"runs_tests"}),
        ("uv run pytest --cov", {"runs_tests"}),
        ("pip install -e . && pytest", {"runs_tests"}),
        ("docker build -t churnwatch:${{ github.sha }} .", {"builds_image"}),
        ("docker compose build api", {"builds_image"}),
        ("docker buildx build --platform linux/amd64 .", {"builds_image"}),
        ("ruff check src tests", {"lints"}),
        ("pre-commit run --all-files", {"lints"}),
        ("mypy src", {"lints"}),
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
    assert finding.analyzer == "configs"
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
