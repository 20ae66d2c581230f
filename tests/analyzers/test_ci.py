"""CI systems other than GitHub Actions and GitLab (read the same way, in analyzers/ci_other_systems.py):
CircleCI, Google Cloud Build, AWS CodeBuild, Azure Pipelines, Bitbucket Pipelines and
Jenkinsfiles; each job with its system, triggers, flags, references and invocations."""

from __future__ import annotations

import textwrap

import pytest

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.ci import CiAnalyzer, ci_system
from portfolio_check.analyzers.task_invocations import Invocation
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.model.facts import Fact, FindingFact, TaskFact, WorkflowJobFact

CONTEXT = AnalysisContext(layout=ProjectLayout())


def analyze(path: str, text: str) -> list[Fact]:
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    analyzer = CiAnalyzer()
    if not analyzer.wants(entry):
        return []
    return list(analyzer.analyze(entry, textwrap.dedent(text), CONTEXT))


def jobs(path: str, text: str) -> dict[str, WorkflowJobFact]:
    facts = analyze(path, text)
    assert all(isinstance(fact, WorkflowJobFact) for fact in facts), facts
    return {fact.job: fact for fact in facts if isinstance(fact, WorkflowJobFact)}


def flags(fact: WorkflowJobFact) -> set[str]:
    names = ("runs_tests", "builds_image", "runs_pipeline", "lints", "scheduled")
    return {name for name in names if getattr(fact, name)}


def invoked(fact: WorkflowJobFact) -> list[str]:
    decoded = (Invocation.decode(text) for text in fact.invokes)
    return [invocation.label() for invocation in decoded if invocation is not None]


@pytest.mark.parametrize(
    ("path", "system"),
    [
        (".github/workflows/ci.yml", "github-actions"),
        (".gitlab-ci.yml", "gitlab-ci"),
        (".circleci/config.yml", "circleci"),
        (".circleci/continue_config.yml", "circleci"),
        ("cloudbuild.yaml", "cloud-build"),
        ("deploy/cloudbuild-prod.yaml", "cloud-build"),
        ("buildspec.yml", "codebuild"),
        ("pipelines/train/buildspec-test.yml", "codebuild"),
        ("azure-pipelines.yml", "azure-pipelines"),
        ("bitbucket-pipelines.yml", "bitbucket-pipelines"),
        ("Jenkinsfile", "jenkins"),
        ("ci/Jenkinsfile.nightly", "jenkins"),
        ("build/pipeline-deployment.yaml", None),  # a Cloud Build by its content only
        ("config/params.yaml", None),
        (".github/dependabot.yml", None),
        ("./.github/workflows/ci.yml", "github-actions"),  # as pathlib reads it
        ("/.github/workflows/ci.yml", None),  # not the repository's own folder
        ("docs/.github/workflows/ci.yml", None),
        (".github/workflows/sub/ci.yml", None),
        ("/.circleci/config.yml", "circleci"),
        (".circleci/", None),
    ],
)
def test_ci_system_from_the_path(path: str, system: str | None) -> None:
    assert ci_system(path) == system


# CircleCI: a setup config that continues into another file ------------------------------
SETUP_CONFIG = """\
version: 2.1
setup: true
orbs:
  path-filtering: circleci/path-filtering@1.0.0
workflows:
  choose:
    jobs:
      - path-filtering/filter:
          mapping: |
            model/.* run-model true
          config-path: .circleci/continue.yml
"""
CONTINUE_CONFIG = """\
version: 2.1
parameters:
  run-model:
    type: boolean
    default: false
defaults: &defaults
  docker:
    - image: cimg/python:3.11
  working_directory: ~/project/model
venv: &venv
  run:
    name: Make a virtualenv
    command: |
      python3 -m venv venv
      . venv/bin/activate
      pip install poetry
commands:
  fetch-data:
    steps:
      - run: ~/project/scripts/fetch_data.sh
jobs:
  lint:
    <<: *defaults
    steps:
      - checkout:
          path: ~/project
      - *venv
      - run: poetry run flake8 housing/
  test:
    <<: *defaults
    steps:
      - checkout:
          path: ~/project
      - *venv
      - fetch-data
      - run:
          name: Train, then test
          command: |
            poetry run python housing/train_pipeline.py
            poetry run pytest -q housing/tests
  publish-image:
    docker:
      - image: cimg/python:3.11
    steps:
      - checkout
      - setup_remote_docker
      - run: make build-api push-api
  retrain-weekly:
    <<: *defaults
    steps:
      - checkout:
          path: ~/project
      - run: poetry run python housing/train_pipeline.py
  unused:
    docker:
      - image: cimg/base:stable
    steps:
      - run: pytest
workflows:
  model:
    when: << pipeline.parameters.run-model >>
    jobs:
      - lint
      - test
      - publish-image:
          requires: [lint, test]
  weekly:
    triggers:
      - schedule:
          cron: "0 4 * * 1"
          filters:
            branches:
              only: [main]
    jobs:
      - retrain-weekly
"""


def test_circleci_setup_config_has_no_jobs_of_its_own() -> None:
    assert analyze(".circleci/config.yml", SETUP_CONFIG) == []


def test_circleci_continued_config_jobs_run_from_their_working_directory() -> None:
    found = jobs(".circleci/continue.yml", CONTINUE_CONFIG)
    assert set(found) == {"lint", "test", "publish-image", "retrain-weekly"}  # not `unused`
    lint, test, publish = found["lint"], found["test"], found["publish-image"]
    assert (lint.system, lint.workflow, lint.triggers) == ("circleci", "model", ("push",))
    assert flags(lint) == {"lints"}
    assert flags(test) == {"runs_tests", "runs_pipeline"}
    # `~/project/model` with the code in `~/project`: commands run in `model/`
    assert test.references == ("model/housing/train_pipeline.py",)
    # the config's own command, with the checkout's absolute path made relative
    assert invoked(test) == ["scripts/fetch_data.sh"]
    assert invoked(publish) == ["make build-api", "make push-api"]
    assert test.location.line == 29


def test_circleci_scheduled_workflow() -> None:
    weekly = jobs(".circleci/continue.yml", CONTINUE_CONFIG)["retrain-weekly"]
    assert weekly.triggers == ("schedule",)
    assert flags(weekly) == {"runs_pipeline", "scheduled"}
    assert weekly.workflow == "weekly"


def test_circleci_2_0_config_without_workflows_runs_every_job() -> None:
    text = "version: 2\njobs:\n  build:\n    steps:\n      - checkout\n      - run: tox -e py311\n"
    (build,) = jobs(".circleci/config.yml", text).values()
    assert flags(build) == {"runs_tests"}
    assert invoked(build) == ["tox py311"]


# Google Cloud Build -----------------------------------------------------------------------
PIPELINE_BUILD = """\
# Test and deploy the training pipeline.
steps:
- name: 'gcr.io/cloud-builders/git'
  args: ['clone', '--branch', '$_BRANCH', '$_REPO_URL', '--depth', '1']
  id: 'Clone'
- name: '$_CI_IMAGE'
  entrypoint: 'pytest'
  args: ['src/tests/test_features.py', '-q']
  dir: 'churn-repo'
- name: '$_CI_IMAGE'
  entrypoint: 'pytest'
  args: ['src/tests/test_pipeline.py::test_local_run']
  dir: 'churn-repo'
- name: 'gcr.io/cloud-builders/docker'
  args: ['build', '-t', '$_IMAGE', '.']
  dir: 'churn-repo'
- name: '$_CI_IMAGE'
  entrypoint: 'python'
  args: ['build/compile.py', '--pipeline', '$_NAME']
  dir: 'churn-repo'
images: ['$_IMAGE']
"""


def test_cloud_build_config_recognised_by_its_steps_under_any_name() -> None:
    (build,) = jobs("build/pipeline-deployment.yaml", PIPELINE_BUILD).values()
    assert (build.system, build.job, build.triggers) == (
        "cloud-build",
        "pipeline-deployment",
        ("push",),
    )
    assert flags(build) == {"runs_tests", "builds_image"}
    # the build clones the repository into `dir`: paths are the repository's own
    assert build.references == (
        "src/tests/test_features.py",
        "src/tests/test_pipeline.py",
        "build/compile.py",
    )
    assert build.location.line == 2


def test_cloud_build_that_only_builds_an_image() -> None:
    text = "steps:\n- name: gcr.io/cloud-builders/docker\n  args: [build, -t, gcr.io/$PROJECT_ID/app, .]\n"
    (build,) = jobs("cloudbuild.yaml", text).values()
    assert flags(build) == {"builds_image"}
    assert build.placeholder is None


def test_cloud_build_steps_run_in_their_dir_and_kaniko_builds() -> None:
    text = """\
    steps:
    - name: python:3.11
      entrypoint: bash
      args: ['-c', 'pip install -e . && ./scripts/test.sh']
      dir: services/api
    - name: gcr.io/kaniko-project/executor
      args: ['--destination=gcr.io/$PROJECT_ID/api', '--context=services/api']
    """
    (build,) = jobs("cloudbuild.yaml", text).values()
    assert invoked(build) == ["services/api/scripts/test.sh"]
    assert flags(build) == {"builds_image"}


@pytest.mark.parametrize(
    "text",
    [
        "steps:\n  - run: pytest\n",  # not builder steps
        "apiVersion: tekton.dev/v1\nkind: Task\nsteps:\n- name: x\n  args: [y]\n",
        "steps: []\n",
        "name: notes\nsteps: [one, two]\n",
    ],
)
def test_yaml_with_steps_that_are_not_a_cloud_build(text: str) -> None:
    assert analyze("docs/steps.yaml", text) == []


def test_broken_yaml_outside_ci_paths_is_not_a_finding() -> None:
    assert analyze("data/steps.yaml", "steps: [\n") == []
    (finding,) = analyze("cloudbuild.yaml", "steps: [\n")
    assert isinstance(finding, FindingFact)


# AWS CodeBuild ---------------------------------------------------------------------------
def test_codebuild_buildspec_runs_in_its_folder() -> None:
    text = """\
    version: 0.2
    phases:
      install:
        commands:
          - npm install aws-cdk@2
          - python -m pip install -r requirements.txt
      build:
        commands:
          - npx cdk synth -o dist
    """
    (build,) = jobs("batch_pipeline/buildspec.yml", text).values()
    assert (build.system, build.job, build.triggers) == ("codebuild", "build", ("push",))
    assert flags(build) == set()  # a real build that synthesises infrastructure, no tests
    assert build.placeholder is None
    tested = jobs(
        "service/buildspec.yml", "phases:\n  build:\n    commands:\n      - ./run_tests.sh\n"
    )
    assert invoked(tested["build"]) == ["service/run_tests.sh"]


# Azure Pipelines -------------------------------------------------------------------------
def test_azure_pipeline_jobs_scripts_and_tasks() -> None:
    text = """\
    trigger:
      branches:
        include: [main]
    pr: none
    schedules:
      - cron: "0 2 * * *"
        branches:
          include: [main]
    stages:
      - stage: checks
        jobs:
          - job: test
            steps:
              - script: python -m pytest tests
              - task: Bash@3
                inputs:
                  filePath: scripts/lint.sh
          - job: image
            steps:
              - task: Docker@2
                inputs:
                  command: buildAndPush
                  repository: churn
    """
    found = jobs("azure-pipelines.yml", text)
    assert set(found) == {"test", "image"}
    assert found["test"].triggers == ("push", "schedule")
    assert flags(found["test"]) == {"runs_tests", "scheduled"}
    assert invoked(found["test"]) == ["scripts/lint.sh"]
    assert flags(found["image"]) == {"builds_image", "scheduled"}


# Bitbucket Pipelines ---------------------------------------------------------------------
def test_bitbucket_pipeline_steps() -> None:
    text = """\
    image: python:3.11
    pipelines:
      default:
        - parallel:
            - step:
                name: Lint
                script:
                  - pip install ruff
                  - ruff check .
            - step:
                name: Test
                script:
                  - pytest -q
      pull-requests:
        '**':
          - step:
              script:
                - make test
      custom:
        retrain:
          - step:
              name: Retrain
              script:
                - python -m churn.train
    """
    found = jobs("bitbucket-pipelines.yml", text)
    assert set(found) == {"Lint", "Test", "** step 1", "Retrain"}
    assert flags(found["Lint"]) == {"lints"} and found["Lint"].triggers == ("push",)
    assert found["** step 1"].triggers == ("pull_request",)
    assert invoked(found["** step 1"]) == ["make test"]
    assert found["Retrain"].triggers == ("manual",)
    assert found["Retrain"].references == ("churn.train",)


# Jenkins ---------------------------------------------------------------------------------
def test_jenkinsfile_stages_and_their_shell_steps() -> None:
    text = """\
    pipeline {
      agent { docker { image 'python:3.11' } }
      triggers { cron('H 3 * * 1') }
      stages {
        stage('Install') { steps { sh 'pip install -e .[test]' } }
        stage('Test') {
          steps {
            sh '''
              ruff check src
              pytest -q tests
            '''
          }
        }
        stage('Smoke') { steps { sh(script: "./ci/smoke.sh", returnStatus: true) } }
      }
    }
    """
    found = jobs("Jenkinsfile", text)
    assert list(found) == ["Install", "Test", "Smoke"]
    assert flags(found["Test"]) == {"runs_tests", "lints", "scheduled"}
    assert invoked(found["Smoke"]) == ["ci/smoke.sh"]
    assert found["Test"].location.line == 6


# job submissions -------------------------------------------------------------------------
def test_a_job_that_submits_a_test_script_or_runs_tests_in_a_container() -> None:
    text = """\
    name: gpu
    on: [push]
    jobs:
      cluster:
        runs-on: [self-hosted, slurm]
        steps:
          - run: sbatch --gres=gpu:1 -J tests jobs/run_tests.sh
      container:
        runs-on: ubuntu-latest
        steps:
          - run: docker build -t churn .
          - run: docker run --rm -v $PWD:/app -w /app churn python -m pytest tests/test_api.py
          - run: docker run --rm --entrypoint bash churn scripts/eval.sh
    """
    found = jobs(".github/workflows/gpu.yml", text)
    assert invoked(found["cluster"]) == ["jobs/run_tests.sh"]
    assert flags(found["container"]) == {"builds_image", "runs_tests"}
    assert found["container"].references == ("tests/test_api.py",)
    assert invoked(found["container"]) == ["scripts/eval.sh"]


# GitHub composite actions ----------------------------------------------------------------
def test_a_local_composite_action_is_a_task_named_by_its_folder() -> None:
    text = """\
    name: test
    runs:
      using: composite
      steps:
        - uses: actions/setup-python@v5
        - run: pip install -e .[test] && pytest -q
          shell: bash
        - uses: ./.github/actions/report
    """
    (action,) = analyze(".github/actions/test/action.yml", text)
    assert isinstance(action, TaskFact)
    assert (action.runner, action.name) == ("action", ".github/actions/test")
    assert action.runs_tests and action.describe().startswith(
        "composite action .github/actions/test"
    )
    decoded = (Invocation.decode(text) for text in action.invokes)
    assert [i.label() for i in decoded if i] == [".github/actions/report"]
    docker = "name: x\nruns:\n  using: docker\n  image: Dockerfile\n"
    assert analyze(".github/actions/lint/action.yml", docker) == []
