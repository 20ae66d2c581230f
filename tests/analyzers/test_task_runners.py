"""Task runners read into tasks: just recipes, mise tasks, pyproject task tables (poe,
hatch, pdm, taskipy, tox), tox.ini environments and nox sessions (read as a syntax tree)."""

from __future__ import annotations

import textwrap

import pytest

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.task_invocations import Invocation
from portfolio_check.analyzers.task_runners import TaskRunnerAnalyzer
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.model.facts import Fact, FindingFact, TaskFact

CONTEXT = AnalysisContext(layout=ProjectLayout())


def analyze(path: str, text: str) -> list[Fact]:
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    analyzer = TaskRunnerAnalyzer()
    assert analyzer.wants(entry), path
    return list(analyzer.analyze(entry, textwrap.dedent(text), CONTEXT))


def tasks(path: str, text: str) -> dict[str, TaskFact]:
    facts = analyze(path, text)
    assert all(isinstance(fact, TaskFact) for fact in facts), facts
    return {fact.name: fact for fact in facts if isinstance(fact, TaskFact)}


def flags(fact: TaskFact) -> set[str]:
    names = ("runs_tests", "builds_image", "runs_pipeline", "lints")
    return {name for name in names if getattr(fact, name)}


def invoked(fact: TaskFact) -> list[str]:
    decoded = (Invocation.decode(text) for text in fact.invokes)
    return [invocation.label() for invocation in decoded if invocation is not None]


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("justfile", True),
        ("Justfile", True),
        ("api/.justfile", True),
        ("mise.toml", True),
        (".mise.toml", True),
        ("pyproject.toml", True),
        ("tox.ini", True),
        ("noxfile.py", True),
        ("src/noxfile_helpers.py", False),
        ("setup.cfg", False),
    ],
)
def test_wants_task_runner_files(path: str, wanted: bool) -> None:
    entry = FileEntry(path=path, size=10, kind=EntryKind.FILE)
    assert TaskRunnerAnalyzer().wants(entry) is wanted


JUSTFILE = """\
set dotenv-load
python := "uv run python"

alias t := test

# list the recipes
default:
  @just --list

# lint and format
tidy:
  @echo "Linting..."
  @uv run ruff check --fix

  @uv run ruff format

test tests="":
  uv run pytest tests/{{tests}} --cov=src/

[private]
train: tidy
  {{python}} -m churn.train --sample 100

ci: tidy test && report
  @echo "all green"

report:
  #!/usr/bin/env python3
  import pytest
  print("report")

container cmd *args:
  @just _container-{{cmd}} {{args}}
"""


def test_justfile_recipes_dependencies_variables_and_aliases() -> None:
    found = tasks("Justfile", JUSTFILE)
    assert list(found) == ["t", "default", "tidy", "test", "train", "ci", "report", "container"]
    assert found["default"].default and not found["tidy"].default  # the first recipe
    assert flags(found["tidy"]) == {"lints"}  # a blank line does not end a recipe
    assert flags(found["test"]) == {"runs_tests"}
    assert found["train"].commands == "uv run python -m churn.train --sample 100"
    assert found["train"].references == ("churn.train",)
    assert invoked(found["train"]) == ["just tidy"]
    assert invoked(found["ci"]) == ["just tidy", "just test", "just report"]
    assert invoked(found["t"]) == ["just test"]
    assert found["report"].commands == ""  # a Python recipe is no shell command
    assert invoked(found["container"]) == []  # which recipe depends on an argument
    assert found["tidy"].location.line == 11


def test_mise_tasks_in_both_forms() -> None:
    text = """\
    [tools]
    python = "3.12"

    [tasks]
    fmt = "ruff format ."

    [tasks.test]
    run = ["pytest -q", "python -m churn.evaluate"]
    depends = ["fmt", "lint --fix"]

    [tasks.lint]
    run = "ruff check src"
    """
    found = tasks("mise.toml", text)
    assert flags(found["test"]) == {"runs_tests", "runs_pipeline"}
    assert invoked(found["test"]) == ["mise fmt", "mise lint"]
    assert flags(found["lint"]) == {"lints"}
    assert found["test"].location.line == 7


PYPROJECT = """\
[project]
name = "churn"

[tool.poe.tasks]
format = "ruff format src"
check = ["lint", "unit"]
serve.script = "churn.api:main"

[tool.poe.tasks.lint]
cmd = "ruff check src"
help = "lint"

[tool.poe.tasks.unit]
shell = "pytest -q tests && python -m churn.train --epochs 1"
deps = ["format"]

[tool.hatch.envs.default.scripts]
test = "pytest {args:tests}"
cov = ["test --cov=churn", "coverage report"]

[tool.hatch.envs.lint.scripts]
style = ["ruff check {args:.}", "black --check {args:.}"]

[tool.pdm.scripts]
_.env_file = ".env"
types = "mypy src"
all = {composite = ["types", "pytest"]}
train = {call = "churn.train:main"}

[tool.taskipy.tasks]
test = "pytest"
ci = "task test && task lint"
"""


def test_pyproject_task_tables() -> None:
    facts = analyze("pyproject.toml", PYPROJECT)
    found = {(f.runner, f.name): f for f in facts if isinstance(f, TaskFact)}
    assert invoked(found[("poe", "check")]) == ["poe lint", "poe unit"]
    assert flags(found[("poe", "unit")]) == {"runs_tests", "runs_pipeline"}
    assert invoked(found[("poe", "unit")]) == ["poe format"]
    assert found[("poe", "serve")].references == ("churn.api",)
    assert flags(found[("hatch", "default:test")]) == {"runs_tests"}
    assert invoked(found[("hatch", "default:cov")]) == ["hatch default:test"]
    assert flags(found[("hatch", "lint:style")]) == {"lints"}
    assert ("pdm", "_") not in found  # settings, not a script
    assert invoked(found[("pdm", "all")]) == ["pdm types"]
    assert flags(found[("pdm", "all")]) == {"runs_tests"}
    assert found[("pdm", "train")].references == ("churn.train",)
    assert invoked(found[("taskipy", "ci")]) == ["taskipy test", "taskipy lint"]
    assert found[("poe", "lint")].location.line == 9


def test_broken_pyproject_is_left_to_the_dependency_analyzer() -> None:
    assert analyze("pyproject.toml", "[tool.poe.tasks\n") == []
    (finding,) = analyze("mise.toml", "[tasks\n")
    assert isinstance(finding, FindingFact)


TOX_INI = """\
[tox]
envlist = py{310,311}, lint

[testenv]
deps = -r requirements-dev.txt
commands =
    pytest {posargs:tests} \\
        --cov=churn

[testenv:lint]
skip_install = true
commands = ruff check src
    - mypy src

[testenv:docs]
commands = sphinx-build docs docs/_build
"""


def test_tox_environments_and_the_base_environment() -> None:
    found = tasks("tox.ini", TOX_INI)
    assert set(found) == {"testenv", "lint", "docs"}
    assert flags(found["testenv"]) == {"runs_tests"}
    assert found["testenv"].commands == "pytest {posargs:tests} --cov=churn"
    # `py310` has no section: it runs the base, which is therefore a default
    assert found["testenv"].default and found["lint"].default and not found["docs"].default
    assert found["lint"].commands == "ruff check src\nmypy src"
    assert found["lint"].location.line == 10


def test_tox_configured_in_pyproject() -> None:
    legacy = 'legacy_tox_ini = """\n[tox]\nenvlist = lint\n[testenv:lint]\ncommands = ruff check .\n"""\n'
    (lint,) = tasks("pyproject.toml", "[tool.tox]\n" + legacy).values()
    assert (lint.runner, lint.name, flags(lint)) == ("tox", "lint", {"lints"})
    native = (
        '[tool.tox]\nenv_list = ["3.12", "type"]\n'
        '[tool.tox.env_run_base]\ncommands = [["pytest", "{posargs}"]]\n'
        '[tool.tox.env.type]\ncommands = [["mypy", "src"]]\n'
    )
    found = tasks("pyproject.toml", native)
    assert flags(found["testenv"]) == {"runs_tests"} and found["testenv"].default
    assert flags(found["type"]) == {"lints"}


NOXFILE = """\
import nox
from nox import session as nox_session

nox.options.sessions = ["lint", "tests"]
PYTHONS = ["3.11", "3.12"]


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "src")


@nox.session(python=PYTHONS)
def tests(session):
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)
    session.notify("coverage")


@nox.session(name="smoke-train", default=False)
def smoke(session):
    session.chdir("pipelines")
    session.run("python", "train.py", "--rows", "100")


@nox_session
def coverage(s):
    s.run("coverage", "report")


def helper(session):
    session.run("rm", "-rf", "/")
"""


def test_nox_sessions_read_from_the_syntax_tree() -> None:
    found = tasks("noxfile.py", NOXFILE)
    assert list(found) == ["lint", "tests", "smoke-train", "coverage"]  # not the helper
    assert flags(found["lint"]) == {"lints"}
    assert found["tests"].commands == "pytest $ARG"
    assert flags(found["tests"]) == {"runs_tests"}
    assert invoked(found["tests"]) == ["nox coverage"]
    assert found["smoke-train"].references == ("pipelines/train.py",)
    assert flags(found["smoke-train"]) == {"runs_pipeline"}
    assert {name for name, fact in found.items() if fact.default} == {"lint", "tests"}
    assert found["smoke-train"].location.line == 22


def test_a_noxfile_that_does_not_parse_has_no_sessions() -> None:
    assert analyze("noxfile.py", "@nox.session\ndef broken(:\n") == []
