"""Property tests for every parser that reads repository content.

Analyzers must not raise at all, whatever the file holds: arbitrary text, and text shaped
like the format but wrong (notebook JSON with the wrong types, YAML with the right keys and
odd values, TOML, Dockerfiles, Markdown, Python token soup). Loaders that report errors to a
user (YAML, TOML, rubrics) may raise only the project's own `PortfolioCheckError`. Escaping
must leave no markup, link, mention or terminal control, whatever the text.

`python -m pytest tests/hostile/test_fuzz.py --hypothesis-profile=deep` runs 5,000 examples
per test instead of 50.
"""

from __future__ import annotations

import copy
import json
import re
import string
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from portfolio_check.analyzers.base import AnalysisContext, FileAnalyzer, ProjectLayout
from portfolio_check.analyzers.ci import CiAnalyzer, is_ci_config
from portfolio_check.analyzers.command_links import command_invocations, command_references
from portfolio_check.analyzers.configs import ConfigAnalyzer, KubernetesAnalyzer, _quoted_items
from portfolio_check.analyzers.content import ContentAnalyzer
from portfolio_check.analyzers.dependencies import (
    DependencyAnalyzer,
    conda_spec,
    logical_lines,
    parse_requirement,
)
from portfolio_check.analyzers.docs import DocsAnalyzer
from portfolio_check.analyzers.history import _Tally
from portfolio_check.analyzers.infrastructure import InfrastructureAnalyzer
from portfolio_check.analyzers.makefiles import MakefileAnalyzer
from portfolio_check.analyzers.notebooks import NotebookAnalyzer
from portfolio_check.analyzers.provenance import ProvenanceAnalyzer
from portfolio_check.analyzers.python import PythonAnalyzer
from portfolio_check.analyzers.secrets import SecretsAnalyzer, detector_types
from portfolio_check.analyzers.shell_scripts import ShellScriptAnalyzer
from portfolio_check.analyzers.task_runners import TaskRunnerAnalyzer
from portfolio_check.analyzers.writeup_vocabulary import METRIC_NAMES
from portfolio_check.common.errors import PortfolioCheckError
from portfolio_check.common.globs import glob_match
from portfolio_check.common.safe_toml import TomlError, _longest_dotted_run, load_toml
from portfolio_check.common.safe_yaml import YamlError, load_yaml, load_yaml_documents
from portfolio_check.common.text_safety import terminal as safe
from portfolio_check.intake.repo_config import read_repo_config
from portfolio_check.intake.snapshot import EntryKind, FileEntry, is_safe_path
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import CopiedFileFact, Fact, HeadingFact, OwnFileFact, SecretFact
from portfolio_check.report.templating import markdown_escape
from portfolio_check.rubric.loading import load_rubric
from portfolio_check.rubric.ml_tests import default_ml_tests
from tests.hostile.corpus import TERMINAL_UNSAFE

RUBRIC = load_rubric()
CONTEXT = AnalysisContext(
    layout=ProjectLayout.of_paths(["src/churn/__init__.py", "src/churn/api.py"]),
    queries=(*RUBRIC.content_queries, *default_ml_tests().content_queries),
)


def check_analysis(analyzer: FileAnalyzer, path: str, text: str) -> list[Fact]:
    """Run one analyzer the way the runner does; it must want the file and never raise."""
    entry = FileEntry(
        path=path, size=len(text.encode("utf-8", "surrogatepass")), kind=EntryKind.FILE
    )
    assert analyzer.wants(entry), path
    facts = list(analyzer.analyze(entry, text, CONTEXT))
    assert all(isinstance(fact, Fact) for fact in facts)
    for fact in facts:
        fact.describe()  # every fact can say what it is
    return facts


# strategies ---------------------------------------------------------------------------
def nested(
    scalars: st.SearchStrategy[Any], keys: st.SearchStrategy[Any], *, size: int, leaves: int
) -> st.SearchStrategy[Any]:
    """Lists and mappings (with keys from `keys`) of `scalars`, nested as `leaves` allows."""

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.lists(children, max_size=size) | st.dictionaries(keys, children, max_size=size)

    return st.recursive(scalars, extend, max_leaves=leaves)


any_text = st.text(max_size=400)
#: Characters that mean something to one format or another.
PUNCTUATION = [*"[]{}()<>\"'`#*_:=-.,;|!@&$%^~\\/\t\n\r", "\x1b", "\u202e", "\x00"]
soup_text = st.lists(
    st.sampled_from(PUNCTUATION) | st.text(string.ascii_letters + string.digits, max_size=6),
    max_size=80,
).map("".join)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "code",
            "markdown",
            "raw",
            "stream",
            "error",
            "execute_result",
            "display_data",
            "import os\n",
            "%matplotlib inline",
            "/home/ada/data.csv",
            "# GRADED FUNCTION: f",
            "All tests passed!",
            "text/plain",
            "image/png",
            "stdout",
        ]
    )
)
NOTEBOOK_KEYS = [
    "cells",
    "cell_type",
    "source",
    "outputs",
    "metadata",
    "execution_count",
    "output_type",
    "text",
    "data",
    "name",
    "ename",
    "evalue",
    "traceback",
    "nbformat",
    "nbformat_minor",
    "coursera",
    "nbgrader",
    "worksheets",
    "id",
    "attachments",
    "kernelspec",
    "language",
]
json_values = nested(
    json_scalars, st.sampled_from(NOTEBOOK_KEYS) | st.text(max_size=5), size=4, leaves=25
)
cells = st.fixed_dictionaries(
    {"cell_type": st.sampled_from(["code", "markdown", "raw"]) | json_scalars},
    optional={
        "source": st.text(max_size=200) | st.lists(st.text(max_size=40), max_size=5) | json_values,
        "outputs": st.lists(
            st.fixed_dictionaries(
                {"output_type": st.sampled_from(["stream", "error", "display_data"])},
                optional={"text": json_values, "data": json_values, "traceback": json_values},
            )
            | json_values,
            max_size=3,
        )
        | json_values,
        "execution_count": st.integers(-3, 5) | json_scalars,
        "metadata": json_values,
        "id": json_scalars,
    },
)
notebooks = st.fixed_dictionaries(
    {"cells": st.lists(cells | json_values, max_size=5) | json_values},
    optional={
        "metadata": json_values,
        "nbformat": st.sampled_from([4, 3, 2, 5, "4", None]) | json_scalars,
        "nbformat_minor": st.integers(-1, 10) | json_scalars,
        "worksheets": json_values,
    },
)

YAML_KEYS = [
    "on",
    "jobs",
    "steps",
    "run",
    "uses",
    "name",
    "services",
    "image",
    "build",
    "healthcheck",
    "stages",
    "cmd",
    "deps",
    "outs",
    "repos",
    "hooks",
    "id",
    "repo",
    "script",
    "before_script",
    "extends",
    "rules",
    "only",
    "apiVersion",
    "kind",
    "spec",
    "metadata",
    "containers",
    "template",
    "schedule",
    "schedules",
    "dependencies",
    "pip",
    "exclude",
    "readinessProbe",
    "phases",
    "commands",
    "workflows",
    "working_directory",
    "checkout",
    "command",
    "args",
    "entrypoint",
    "dir",
    "pipelines",
    "step",
    "parallel",
    "trigger",
    "task",
    "inputs",
    "runs",
    "using",
]
yaml_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-1000, 1000)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "pytest -q",
            "docker build .",
            "uvicorn churn.api:app",
            "python -m churn.train",
            "dvc repro",
            "[",
            "*",
            "&a",
            "ruff check .",
            "pip install -e .",
            "cd src && python x.py",
            "bash -c 'pytest'",
            "make -C api test",
            "./tasks/test.sh",
            "gcr.io/cloud-builders/docker",
            "~/project/api",
            "git",
            "clone",
            "composite",
            "./.github/actions/x",
            "CronJob",
            "Deployment",
            "v1",
            "schedule",
            "push",
            ".base",
        ]
    )
)
yaml_values = nested(yaml_scalars, st.sampled_from(YAML_KEYS) | yaml_scalars, size=4, leaves=30)


def yaml_text(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


CONFIG_FILES = [
    "Dockerfile",
    "docker-compose.yml",
    "compose.yaml",
    "dvc.yaml",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    ".github/workflows/ci.yml",
    ".circleci/config.yml",
    "cloudbuild.yaml",
    "buildspec.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    "build/pipeline-deployment.yaml",
    ".github/actions/setup/action.yml",
]
DEPENDENCY_FILES = [
    "requirements.txt",
    "requirements-dev.in",
    "pyproject.toml",
    "Pipfile",
    "setup.cfg",
    "environment.yml",
]
DOCKER_WORDS = [
    "FROM",
    "CMD",
    "ENTRYPOINT",
    "RUN",
    "EXPOSE",
    "COPY",
    "WORKDIR",
    "#",
    "\\",
    "\n",
    "[",
    "]",
    '"',
    "'",
    ",",
    "uvicorn",
    "app:app",
    "python",
    "-m",
    "sh",
    "-c",
    "train.py",
    "&&",
    " ",
    "--platform=linux",
    "AS",
    "build",
    "/app/src/serve.py",
    "$PORT",
]
PYTHON_WORDS = [
    "def",
    "test_x",
    "(",
    ")",
    ":",
    "\n",
    "    ",
    "import",
    "os",
    "from",
    ".",
    "as",
    "assert",
    "x",
    "=",
    "1",
    "[",
    "]",
    "{",
    "}",
    "lambda",
    "class",
    "Test",
    "@",
    "app",
    ".get",
    "'/home/a'",
    "f'{x}'",
    "pytest.raises",
    "with",
    "async",
    "await",
    "yield",
    "#",
    "GRADED FUNCTION",
    "\\",
    '"""',
    "'",
    "if",
    "else",
    "for",
    "in",
    "return",
    "*",
    "**",
    "+",
    "-",
    "not",
    ",",
    ";",
    "fastapi.FastAPI()",
    "churn",
    "sklearn.datasets.load_iris",
    "unittest.TestCase",
    "match",
]
MARKDOWN_PREFIXES = [
    "#",
    "##",
    "######",
    "####### ",
    "```",
    "~~~",
    "````",
    "---",
    "===",
    "|",
    "| --- | --- |",
    "- ",
    "* ",
    ">",
    "    ",
    "1.",
    "[x](y)",
    "![i](j)",
    "<details>",
    "coursera.org/verify/",
    "| F1 | 0.5 |",
    "Accuracy: 1.00",
    "around 75-80% accuracy",
    "[More Information Needed]",
]
#: Words the written-analysis reader looks for, to make fuzzed prose say something.
WRITEUP_WORDS = [
    "accuracy",
    "F1",
    "MRR",
    "hit_rate:",
    "0.87",
    "91%",
    "~",
    "around",
    "baseline",
    "vs",
    "per-class",
    "false negatives",
    "because",
    "leakage",
    "not intended for",
    "only",
    "|",
    "-",
    "\u2013",
    ".",
    ";",
    "\n",
]
markdown_text = st.lists(
    st.tuples(st.sampled_from(["", *MARKDOWN_PREFIXES]), st.text(max_size=30)).map(
        lambda pair: f"{pair[0]} {pair[1]}".rstrip()
    ),
    max_size=25,
).map("\n".join)


# analyzers ----------------------------------------------------------------------------
@given(text=any_text | soup_text)
def test_notebook_analyzer_on_any_text(text: str) -> None:
    check_analysis(NotebookAnalyzer(), "analysis.ipynb", text)


@given(document=notebooks | json_values)
def test_notebook_analyzer_on_structured_but_wrong_json(document: Any) -> None:
    facts = check_analysis(NotebookAnalyzer(), "notebooks/analysis.ipynb", json.dumps(document))
    assert facts  # a notebook fact or a finding, never silence


#: Text shaped like the secrets detect-secrets looks for: names, tokens' prefixes, URLs.
secret_words = st.lists(
    st.sampled_from(
        ["password", "api_key", "secret", "=", ": ", '"', "'", "AKIA", "ghp_", "sk-", "xoxb-",
         "-----BEGIN RSA PRIVATE KEY-----", "https://", "@", "Zq9Xw8Vu7Ts6", "\n", "${", "}"]
    )
    | soup_text,
    max_size=60,
).map("".join)  # fmt: skip


@given(
    path=st.sampled_from(["app.py", ".env", "config.yaml", "README.md", "run.sh", "x.ipynb"]),
    text=any_text | soup_text | secret_words,
)
def test_secrets_analyzer_on_any_text(path: str, text: str) -> None:
    for fact in check_analysis(SecretsAnalyzer(), path, text):
        assert isinstance(fact, SecretFact)
        assert fact.secret_type in detector_types()  # a detector's name, never file text


@given(document=notebooks | json_values)
def test_secrets_analyzer_on_structured_but_wrong_json(document: Any) -> None:
    check_analysis(SecretsAnalyzer(), "notebooks/keys.ipynb", json.dumps(document))


@given(path=st.sampled_from(DEPENDENCY_FILES), text=any_text | soup_text)
def test_dependency_analyzer_on_any_text(path: str, text: str) -> None:
    check_analysis(DependencyAnalyzer(), path, text)


conda_words = st.lists(
    st.sampled_from(
        ["numpy", "conda-forge::", "=", "==", ">=", "<", "!=", "~=", "*", ",", "|", " ", "1",
         ".", "26", "py310_0", "[version='", "']", "\n", "\\", "#"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@given(text=any_text | conda_words)
def test_conda_specs_pin_only_one_version(text: str) -> None:
    """A conda spec is pinned only with an exact version: no range, no wildcard."""
    declared = conda_spec(text)
    if declared is not None and declared.pinned:
        assert not any(op in declared.spec for op in "<>!~,|[")
        version = declared.spec.strip().lstrip("=").split("=")[0].split()[0]
        assert version and "*" not in version


@given(text=any_text | soup_text)
def test_requirement_lines_never_raise_and_keep_their_line_numbers(text: str) -> None:
    lines = list(logical_lines(text))
    assert [number for number, _ in lines] == sorted({number for number, _ in lines})
    for _, line in lines:
        declared = parse_requirement(line)
        if declared is not None:
            assert declared.key and "\n" not in declared.key


requirement_lines = st.lists(
    st.tuples(
        st.sampled_from(
            ["", "-e ", "--hash ", "# ", "git+https://x/", "./", "numpy", "Scikit_Learn"]
        ),
        st.text(string.ascii_letters + "[]=<>!~;.,@ -#\\", max_size=25),
    ).map("".join),
    max_size=10,
)
toml_values = nested(
    st.text(max_size=15) | st.integers(-5, 5) | st.booleans(),
    st.sampled_from(["version", "extras", "python", "git"]),
    size=3,
    leaves=10,
)


def toml_text(tables: dict[str, dict[str, Any]]) -> str:
    """TOML written by hand (no writer is installed): tables of key = JSON-ish values, which
    TOML mostly accepts; when it does not, the analyzer must say so in a finding."""
    lines = []
    for table, items in tables.items():
        lines.append(f"[{table}]")
        lines.extend(f"{json.dumps(key)} = {json.dumps(value)}" for key, value in items.items())
    return "\n".join(lines) + "\n"


@given(
    lines=requirement_lines,
    tables=st.dictionaries(
        st.sampled_from(
            [
                "project",
                "project.optional-dependencies",
                "tool.poetry.dependencies",
                "tool.poetry.group.dev.dependencies",
                "dependency-groups",
                "packages",
                "dev-packages",
                "tool.portfolio-check",
            ]
        ),
        st.dictionaries(
            st.sampled_from(["dependencies", "test", "numpy", "python", "exclude"]), toml_values
        ),
        max_size=4,
    ),
)
def test_dependency_analyzer_on_manifests_shaped_right(
    lines: list[str], tables: dict[str, dict[str, Any]]
) -> None:
    check_analysis(DependencyAnalyzer(), "requirements.txt", "\n".join(lines))
    for path in ("pyproject.toml", "Pipfile"):
        check_analysis(DependencyAnalyzer(), path, toml_text(tables))
    check_analysis(
        DependencyAnalyzer(),
        "setup.cfg",
        "[options]\ninstall_requires =\n    " + "\n    ".join(lines),
    )


INFRASTRUCTURE_FILES = [
    "infra/main.tf",
    "template.yaml",
    "serverless.yml",
    "charts/api/Chart.yaml",
    "Pulumi.yaml",
    "app.yaml",
    "Procfile",
    "cdk.json",
]


@given(path=st.sampled_from(INFRASTRUCTURE_FILES), value=yaml_values)
def test_infrastructure_analyzer_on_yaml_shaped_right(path: str, value: Any) -> None:
    text = yaml_text(value)
    check_analysis(InfrastructureAnalyzer(), path, text)
    # the same value as a CloudFormation template, and under the keys each family reads
    check_analysis(InfrastructureAnalyzer(), "stack.yaml", "AWSTemplateFormatVersion: x\n" + text)
    for key in ("Resources", "functions", "Globals", "runtime"):
        check_analysis(InfrastructureAnalyzer(), path, yaml_text({key: value}))


@given(path=st.sampled_from(INFRASTRUCTURE_FILES), text=any_text | soup_text)
def test_infrastructure_analyzer_on_any_text(path: str, text: str) -> None:
    check_analysis(InfrastructureAnalyzer(), path, text)


def config_analyzer(path: str) -> FileAnalyzer:
    ci = is_ci_config(path) or path.startswith("build/") or path.endswith("action.yml")
    return CiAnalyzer() if ci else ConfigAnalyzer()


@given(path=st.sampled_from(CONFIG_FILES), value=yaml_values)
def test_config_analyzer_on_yaml_shaped_right(path: str, value: Any) -> None:
    text = yaml_text(value)
    if path == "Dockerfile":
        text = "FROM python\n" + text
    elif path.startswith("build/"):  # any YAML with top-level steps may be a Cloud Build
        text = yaml_text({"steps": value})
    check_analysis(config_analyzer(path), path, text)
    check_analysis(KubernetesAnalyzer(), "k8s/deploy.yaml", text)
    check_analysis(DependencyAnalyzer(), "environment.yml", text)


@given(path=st.sampled_from(CONFIG_FILES), text=any_text | soup_text)
def test_config_analyzer_on_any_text(path: str, text: str) -> None:
    check_analysis(config_analyzer(path), path, text)
    check_analysis(KubernetesAnalyzer(), "charts/app/templates/deploy.yaml", text)


@given(words=st.lists(st.sampled_from(DOCKER_WORDS) | st.text(max_size=8), max_size=60))
def test_dockerfile_parser(words: list[str]) -> None:
    check_analysis(ConfigAnalyzer(), "Dockerfile", " ".join(words))
    check_analysis(ConfigAnalyzer(), "docker/api.dockerfile", "".join(words))


@given(text=markdown_text | any_text)
def test_docs_analyzer_on_markdown_headings(text: str) -> None:
    facts = check_analysis(DocsAnalyzer(), "README.md", text)
    lines = text.splitlines()
    for fact in facts:
        if fact.kind == "heading":
            assert fact.location.line is not None and 1 <= fact.location.line <= len(lines)


@given(
    text=st.lists(st.sampled_from(WRITEUP_WORDS) | st.text(max_size=6), max_size=80).map(" ".join)
)
def test_docs_analyzer_reads_any_write_up(text: str) -> None:
    facts = check_analysis(DocsAnalyzer(), "MODEL_CARD.md", f"# Card\n\n## Results\n\n{text}\n")
    for fact in facts:
        if isinstance(fact, HeadingFact):
            # what the reading says holds together, whatever the prose
            assert set(fact.metrics) <= set(METRIC_NAMES)
            assert not fact.readings or fact.metrics
            assert not fact.results_table or fact.has_table
            assert not fact.perfect_score or fact.readings


@given(
    notes=st.lists(st.sampled_from(WRITEUP_WORDS) | st.text(max_size=6), max_size=40).map(" ".join),
    output=st.lists(st.sampled_from(WRITEUP_WORDS) | st.text(max_size=6), max_size=40).map(
        " ".join
    ),
)
def test_notebook_notes_beside_any_output(notes: str, output: str) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "## Evaluation"},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": 1,
            "source": "print(report)",
            "outputs": [{"output_type": "stream", "name": "stdout", "text": output}],
        },
        {"cell_type": "markdown", "metadata": {}, "source": notes},
    ]
    document = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    check_analysis(NotebookAnalyzer(), "notebooks/eval.ipynb", json.dumps(document))


@given(text=st.lists(st.sampled_from(PYTHON_WORDS), max_size=60).map(" ".join) | any_text)
def test_python_analyzer(text: str) -> None:
    check_analysis(PythonAnalyzer(), "src/churn/model.py", text)
    check_analysis(PythonAnalyzer(), "tests/test_model.py", text)
    check_analysis(PythonAnalyzer(), "Week2/public_tests.py", text)


@given(text=any_text | soup_text | markdown_text)
def test_makefile_and_content_analyzers(text: str) -> None:
    check_analysis(MakefileAnalyzer(), "Makefile", text)
    check_analysis(ContentAnalyzer(CONTEXT), "README.md", text)
    command_references(text)
    command_invocations(text)


@given(
    text=st.lists(st.sampled_from(PYTHON_WORDS), max_size=80).map(" ".join)
    | any_text
    | soup_text
    | markdown_text,
    path=st.sampled_from(["src/churn/model.py", "README.md", "Dockerfile", "notes.ipynb"]),
)
def test_provenance_analyzer_on_any_text(text: str, path: str) -> None:
    """Fingerprinted and looked up in the index that ships, whatever the file holds."""
    facts = check_analysis(ProvenanceAnalyzer(), path, text)
    assert len(facts) <= 1
    assert all(isinstance(fact, (CopiedFileFact, OwnFileFact)) for fact in facts)


@given(document=notebooks | json_values)
def test_provenance_analyzer_on_structured_but_wrong_notebooks(document: Any) -> None:
    check_analysis(ProvenanceAnalyzer(), "notebooks/analysis.ipynb", json.dumps(document))


#: Words that mean something to a task runner or a shell.
TASK_WORDS = [
    *"\n\t :=@-[]{}()'\"#$*+,&|;\\",
    "make", "-C", "-f", "just", "mise", "run", "poe", "hatch", "pdm", "task", "nox", "-s",
    "tox", "-e", "bash", "sh", "source", "sbatch", "--wrap", "docker", "compose", "exec",
    "--entrypoint", "./tasks/t.sh", "cd", "..", "/", "~", "pytest", "ruff", "alias", "set",
    "{{x}}", "x :=", "#!/usr/bin/env python", "[testenv:lint]", "[testenv]", "[tox]",
    "commands =", "envlist =", "[tasks.test]", "depends", "[tool.poe.tasks]", "sequence",
    "@nox.session", "def lint(session):", "session.run(", "session.notify(", "stage('x')",
    "sh '''", 'sh """', "sh(script: '", "steps {", "cron(",
]  # fmt: skip
task_text = st.lists(st.sampled_from(TASK_WORDS), max_size=80).map("".join)
TASK_FILES = [
    "justfile",
    "mise.toml",
    "pyproject.toml",
    "tox.ini",
    "noxfile.py",
    "scripts/test.sh",
    "tasks/lint",
    "Jenkinsfile",
]


@given(path=st.sampled_from(TASK_FILES), text=task_text | any_text | soup_text)
def test_task_runner_and_script_readers(path: str, text: str) -> None:
    if path == "Jenkinsfile":
        analyzer: FileAnalyzer = CiAnalyzer()
    elif path.startswith(("scripts/", "tasks/")):
        analyzer = ShellScriptAnalyzer()
        text = "#!/bin/bash\n" + text
    else:
        analyzer = TaskRunnerAnalyzer()
    check_analysis(analyzer, path, text)
    command_invocations(text)


@given(lines=st.lists(st.text(max_size=60) | soup_text, max_size=20))
def test_git_log_reader(lines: list[str]) -> None:
    """Commit subjects and file names reach the history reader from the repository."""
    tally = _Tally()
    for line in lines:
        tally.feed(line)
        tally.feed("\x1e" + line)
        tally.feed(" create mode 100644 " + line)
    fact = tally.fact(shallow=False)
    # whatever the log says, the summary stays within its own bounds
    assert fact is None or (0.0 <= fact.largest_commit_share <= 1.0 and fact.commits >= 0)


# loaders that may say no, with the project's own error ------------------------------------
@given(text=any_text | soup_text | st.builds(yaml_text, yaml_values))
def test_safe_yaml_raises_only_its_own_error(text: str) -> None:
    for load in (load_yaml, load_yaml_documents):
        try:
            load(text)
        except YamlError as error:
            assert isinstance(error, PortfolioCheckError)
            assert str(error)


@given(
    text=any_text
    | soup_text
    | st.builds(
        toml_text,
        st.dictionaries(
            st.text(max_size=8),
            st.dictionaries(st.text(max_size=8), toml_values, max_size=3),
            max_size=3,
        ),
    )
)
def test_safe_toml_raises_only_its_own_error(text: str) -> None:
    try:
        load_toml(text)
    except TomlError as error:
        assert isinstance(error, PortfolioCheckError)


key_part = st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True) | st.text(
    string.ascii_letters + ". #=[]{}\"'", max_size=6
).map(json.dumps)


@given(
    parts=st.lists(key_part, min_size=1, max_size=12),
    spaces=st.sampled_from(["", " ", "\t "]),
    context=st.sampled_from(
        [
            "{key} = 1",
            "[{key}]",
            "[[{key}]]",
            'x = {{a = """q""""", {key} = 1}}',
            '# """\n{key} = 1\n# """',
            "x = '''a'b'''\n{key} = 2",
            'x = "a\\"#"\n{key} = 3',
        ]
    ),
)
def test_no_dotted_key_hides_from_the_toml_guard(
    parts: list[str], spaces: str, context: str
) -> None:
    """Whatever strings or comments stand around it, the guard counts at least the parts of
    every dotted key tomllib reads: a key it missed could still take tomllib hours."""
    document = context.format(key=f"{spaces}.{spaces}".join(parts))
    try:
        load_toml(document)
    except TomlError:
        assume(False)  # not valid TOML after all: nothing to hide
    assert _longest_dotted_run(document) >= len(parts)


RUBRIC_KEYS = [
    "id",
    "version",
    "name",
    "description",
    "extends",
    "categories",
    "criteria",
    "signals",
    "weight",
    "side",
    "level",
    "fact",
    "where",
    "file",
    "glob",
    "contains",
    "requires",
    "min_count",
    "remove",
    "remediation",
    "max_level",
    "scoring",
    "effort",
    "level_scores",
    "grades",
    "min",
    "grade",
    "label",
    "profiles",
    "when",
    "real_world",
    "certification",
    "learner",
    "reviewer",
    "regex",
    "prefix",
    "max",
    "not",
    "path",
    "detail",
]
rubric_scalars = yaml_scalars | st.sampled_from(
    [
        "ml-portfolio",
        "real_world",
        "certification",
        "present",
        "wired",
        "automated",
        "claimed",
        "file",
        "import",
        "heading",
        "**/*.py",
        "(",
        "[a-",
        "self.yaml",
        "../x.yaml",
        "levels",
        "share",
        "presence",
        1.5,
        -1,
        0,
        10**9,
        "",
        "\x00",
    ]
)
rubric_values = nested(rubric_scalars, st.sampled_from(RUBRIC_KEYS), size=5, leaves=30)
rubric_documents = st.fixed_dictionaries(
    {"id": rubric_scalars, "version": rubric_scalars, "name": rubric_scalars},
    optional={
        "extends": st.sampled_from(["ml-portfolio", "self.yaml", "missing.yaml", "a\x00b"])
        | rubric_scalars,
        "categories": st.lists(rubric_values, max_size=3) | rubric_values,
        "level_scores": rubric_values,
        "grades": rubric_values,
        "profiles": rubric_values,
    },
)


@pytest.fixture(scope="module")
def rubric_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rubrics")


@given(document=rubric_documents | rubric_values, raw=st.booleans(), text=any_text)
def test_rubric_loader_raises_only_rubric_errors(
    rubric_folder: Path, document: Any, raw: bool, text: str
) -> None:
    path = rubric_folder / "self.yaml"
    path.write_text(text if raw else yaml_text(document), encoding="utf-8")
    try:
        rubric = load_rubric(str(path))
    except PortfolioCheckError as error:
        assert str(error).startswith("self.yaml") or str(path) in str(error)
    else:
        assert rubric.categories


#: A complete rubric, small enough to load fast (the shipped one takes 0.25 s to parse),
#: using every part of the format: level scores, grades, profiles, both sides, signals on
#: facts and on file content, `requires`, `min_count`, and every `where:` operator.
SMALL_RUBRIC = yaml.safe_load(
    """\
id: small
version: "1"
name: Small
description: A rubric small enough to mutate quickly.
level_scores: {absent: 0, claimed: 10, present: 50, wired: 75, automated: 100}
grades:
  - {min: 80, grade: A, label: strong}
  - {min: 0, grade: E}
profiles:
  - id: builder
    name: Builder
    learner: Keep going.
    reviewer: Builds things.
    when: {real_world: {min: 50}, certification: {max: 40}}
categories:
  - id: testing
    name: Testing
    side: real_world
    weight: 10
    criteria:
      - id: unit-tests
        name: Tests
        weight: 2
        effort: 1
        remediation: {present: Write tests., automated: Run them in CI.}
        signals:
          - {id: tests, level: present, fact: test_function, where: {asserts: {min: 1}, path: {glob: "tests/**"}}}
          - {id: ci, level: automated, fact: workflow_job, where: {runs_tests: true, roles: [ci]}, requires: [tests], min_count: 1}
          - {level: claimed, file: {glob: "README*", contains: "(?i)pytest"}, detail: The README says so}
          - {level: wired, fact: import, where: {module: {prefix: [pytest, hypothesis]}, scope: {not: code}}}
  - id: certificates
    name: Certificates
    side: certification
    weight: 5
    criteria:
      - id: certs
        name: Certificates
        weight: 1
        scoring: presence
        max_level: present
        remediation: Nothing to do.
        signals:
          - {level: present, fact: certificate, where: {via: [file, link], text: {regex: coursera}}}
"""
)


def _written(path: Path, document: Any) -> Path:
    path.write_text(yaml_text(document), encoding="utf-8")
    return path


@given(data=st.data())
def test_rubric_loader_on_a_mutated_rubric(rubric_folder: Path, data: st.DataObject) -> None:
    """A valid rubric with one to three values somewhere inside replaced: past the schema
    more often than a random document, into the building of signals and profiles."""
    assert load_rubric(str(_written(rubric_folder / "small.yaml", SMALL_RUBRIC))).categories
    document = copy.deepcopy(SMALL_RUBRIC)
    for _ in range(data.draw(st.integers(1, 3))):
        node = document
        while isinstance(node, (dict, list)) and node:
            key = data.draw(
                st.sampled_from(sorted(node, key=str))
                if isinstance(node, dict)
                else st.integers(0, len(node) - 1)
            )
            if data.draw(st.booleans()) or not isinstance(node[key], (dict, list)):
                node[key] = data.draw(rubric_values)
                break
            node = node[key]
    path = _written(rubric_folder / "mutated.yaml", document)
    try:
        rubric = load_rubric(str(path))
    except PortfolioCheckError as error:
        assert str(path) in str(error) or str(error).startswith("mutated.yaml")
    else:
        assert rubric.categories


@pytest.fixture(scope="module")
def config_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("config")


@given(
    name=st.sampled_from([".portfolio-check.yaml", ".portfolio-check.yml", "pyproject.toml"]),
    value=yaml_values,
    text=any_text,
    raw=st.booleans(),
)
def test_repository_config_never_raises(
    config_folder: Path, name: str, value: Any, text: str, raw: bool
) -> None:
    for old in config_folder.iterdir():
        old.unlink()
    if name == "pyproject.toml":
        content = text if raw else "[tool.portfolio-check]\n" + text
    else:
        content = text if raw else yaml_text({"exclude": value})
    (config_folder / name).write_text(content, encoding="utf-8")
    (config_folder / "app.py").write_text("import os\n")
    snapshot = open_target(config_folder)
    config = read_repo_config(snapshot)
    assert all(isinstance(pattern, str) for pattern in config.exclude)


# escaping, and two rewrites checked against what they replaced ---------------------------
@given(text=st.text() | soup_text)
def test_escaped_text_is_inert(text: str) -> None:
    shown = safe(text)
    assert not set(shown) & TERMINAL_UNSAFE
    escaped = markdown_escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert "](" not in escaped and "\n" not in escaped and "\r" not in escaped
    assert not re.search(r"@\w", escaped)
    assert not re.search(r"(?i)(?<![a-z0-9])(?:https?|ftp)://|(?<![a-z0-9])www\.", escaped)
    assert not set(escaped) & TERMINAL_UNSAFE


QUOTED_ITEM = re.compile(r'"((?:[^"\\]|\\.)*)"')


@given(text=st.text(alphabet='"\\ab[], ', max_size=40).map(lambda t: "[" + t))
def test_quoted_items_match_the_regex_they_replace(text: str) -> None:
    assert _quoted_items(text) == QUOTED_ITEM.findall(text)


def reference_glob(path: str, pattern: str) -> bool:
    """`glob_match` as it was, one fnmatch per alternative."""
    path_l, pattern_l = path.lower(), pattern.lower()
    if "/" not in pattern_l:
        return fnmatchcase(PurePosixPath(path_l).name, pattern_l)
    if pattern_l.startswith("**/"):
        return fnmatchcase(path_l, pattern_l[3:]) or fnmatchcase(path_l, pattern_l)
    if "/**/" in pattern_l:
        return fnmatchcase(path_l, pattern_l) or reference_glob(
            path, pattern.replace("/**/", "/", 1)
        )
    return fnmatchcase(path_l, pattern_l)


def _segments(alphabet: str) -> st.SearchStrategy[str]:
    return st.lists(st.text(alphabet, min_size=1, max_size=4), min_size=1, max_size=4).map("/".join)


@given(
    path=_segments("aB.py_"),
    pattern=_segments("aB.*?[]!_") | _segments("*a.").map(lambda p: "**/" + p),
)
def test_compiled_globs_match_as_fnmatch_did(path: str, pattern: str) -> None:
    assume(is_safe_path(path))  # `.` and `..` are never listed
    assert glob_match(path, pattern) == reference_glob(path, pattern)
