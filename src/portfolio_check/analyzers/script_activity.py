"""What a script does, read from its commands as text: runs tests, builds an image, runs
the pipeline, lints, deploys, provisions infrastructure; and how many lines of a README's
code block set up, build or start a project.

Nothing is ever run. CI jobs, DVC stages, Dockerfiles (`configs`, `ci`), Makefiles
(`makefiles`), shell scripts (`shell_scripts`) and the other task runners
(`task_runners`) are read with these same rules, so a Makefile's `test` target and a CI
job that runs `pytest` are judged alike. Which files a command runs and which tasks it
hands over to are `command_links`'s.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TypedDict

# `make test` or `just ci` are not read here: what they run is the task's own commands,
# followed by the linker, so a CI job that calls a target that does not exist proves nothing.
RUNS_TESTS = re.compile(
    r"(?<![\w-])(pytest|py\.test|tox|nox|unittest|hatch\s+test|nbval|nbmake)(?![\w-])"
)
BUILDS_IMAGE = re.compile(
    r"docker\s+(build|buildx|compose\s+build|image\s+build)|docker-compose\s+build"
)
RUNS_PIPELINE = re.compile(
    r"dvc\s+(repro|exp\s+run)|mlflow\s+run|"
    r"python3?\s+(-m\s+)?\S*(train|evaluate|pipeline)\S*|kedro\s+run"
)
LINTS = re.compile(
    r"(?<![\w-])(ruff|flake8|black|mypy|pylint|pre-commit\s+run|isort|hatch\s+fmt)(?![\w-])"
)
#: Commands that publish an image or put a service in front of users: a registry push, a
#: platform deploy, an infrastructure apply.
DEPLOYS = re.compile(
    r"(?<![\w-])(docker(-compose|\s+compose)?\s+push|podman\s+push"
    r"|gcloud\s+(builds\s+submit|(run|functions|app)\s+deploy|ai\s+endpoints\s+deploy-model)"
    r"|aws\s+(ecs\s+update-service|lambda\s+update-function-code|sagemaker\s+(create|update)-endpoint)"
    r"|(cdk|sam|serverless|sls|fly|flyctl|modal|railway)\s+(deploy|up)\b|eb\s+deploy"
    r"|terraform(\s+-\S+)*\s+apply"
    r"|pulumi\s+up|kubectl\s+(apply|set\s+image|rollout\s+restart)|helm\s+(upgrade|install)"
    r"|az\s+(webapp|containerapp|ml)\s+[\w-]*\s*(up|deploy|create)|heroku\s+container:release"
    r"|git\s+push\s+heroku|huggingface-cli\s+upload|mlflow\s+deployments\s+create)(?![\w-])"
)
GIT_PUSH = re.compile(r"(?<![\w-])git\s+push(?![\w-])")
#: Infrastructure-as-code tools at work: planning, synthesising, applying.
PROVISIONS = re.compile(
    r"(?<![\w-])(terraform(\s+-\S+)*\s+(plan|apply|validate)|(cdk|cdktf)\s+(synth|deploy|diff)"
    r"|sam\s+(build|validate|deploy)|(serverless|sls)\s+deploy|pulumi\s+(preview|up)"
    r"|helm\s+(lint|template|upgrade|install)|kubectl\s+apply|aws\s+cloudformation\s+deploy)(?![\w-])"
)
INSTALLS = re.compile(
    r"^(sudo\s+)?(python3?\s+-m\s+)?(pip3?|uv\s+pip|uv|poetry|pipx|conda|mamba|micromamba|"
    r"apt(-get)?)\s+(install|add)\b"
)
TRIVIAL_COMMANDS = frozenset(
    {"echo", "printf", "true", ":", "ls", "pwd", "date", "env", "sleep", "cat", "whoami", "cd"}
)


#: Programs a README's instructions run to set up, build or start a project.
SETUP_PROGRAMS = frozenset(
    {"pip", "pip3", "pipx", "uv", "poetry", "pipenv", "pdm", "hatch", "conda", "mamba",
     "micromamba", "git", "docker", "docker-compose", "podman", "make", "just", "python",
     "python3", "uvicorn", "gunicorn", "streamlit", "flask", "fastapi", "gradio", "dvc",
     "mlflow", "jupyter", "pytest", "tox", "nox", "kubectl", "helm", "terraform", "cdk",
     "sam", "npm", "bentoml", "prefect", "dagster", "airflow", "kedro", "zenml", "metaflow"}
)  # fmt: skip


def setup_commands(code: str) -> int:
    """How many lines of a code block run a program that sets up, builds or starts a
    project (`pip install -r requirements.txt`, `docker compose up`, `python -m app`):
    instructions a reader can follow, whatever their heading says."""
    count = 0
    for line in code.splitlines()[:MAX_SETUP_LINES]:
        words = line.strip().removeprefix("$").split(maxsplit=2)
        while words and words[0] in ("sudo", "!", "%"):
            words = words[1:]
        if words and PurePosixPath(words[0]).name in SETUP_PROGRAMS:
            count += 1
    return count


MAX_SETUP_LINES = 2_000  # lines of one code block read for instructions


# what a script does -----------------------------------------------------------------
@dataclass(frozen=True)
class ScriptActivity:
    """What a script (CI run steps, a make recipe) does, read from its commands."""

    commands: tuple[str, ...]  # the commands that do more than echo
    runs_tests: bool
    builds_image: bool
    runs_pipeline: bool
    lints: bool
    deploys: bool = False  # publishes an image or deploys a service
    provisions: bool = False  # runs an infrastructure-as-code tool

    def flags(self) -> ActivityFlags:
        """What it does, as the fields of the task and CI job facts name it."""
        return ActivityFlags(
            runs_tests=self.runs_tests,
            builds_image=self.builds_image,
            runs_pipeline=self.runs_pipeline,
            lints=self.lints,
            deploys=self.deploys,
            provisions=self.provisions,
        )


class ActivityFlags(TypedDict):
    """The things a script may do, as fields of TaskFact and WorkflowJobFact."""

    runs_tests: bool
    builds_image: bool
    runs_pipeline: bool
    lints: bool
    deploys: bool
    provisions: bool


ACTIVITY_FLAGS = tuple(ActivityFlags.__annotations__)


def script_activity(scripts: Iterable[str]) -> ScriptActivity:
    commands = _commands(scripts)
    # what the script runs, not what it installs or echoes: `pip install pytest` runs no tests
    script = "\n".join(command for command in commands if not INSTALLS.match(command))
    return ScriptActivity(
        commands=tuple(commands),
        runs_tests=bool(RUNS_TESTS.search(script)),
        builds_image=bool(BUILDS_IMAGE.search(script)),
        runs_pipeline=bool(RUNS_PIPELINE.search(script)),
        lints=_lints(scripts),
        deploys=_deploys(script, commands),
        provisions=bool(PROVISIONS.search(script)),
    )


#: What makes a linter's run unable to fail the build: `flake8 --exit-zero`,
#: `pylint --fail-under=1` (any score passes), `ruff check . || true`.
LINT_CANNOT_FAIL = re.compile(
    r"--exit-zero|--fail-under[=\s]+[0-4](?:\.\d+)?(?!\d)|\|\|\s*(?:true|:|exit\s+0)\b"
)


def _lints(scripts: Iterable[str]) -> bool:
    """Whether a line runs a linter that can fail: a lint whose result is thrown away
    enforces nothing."""
    return any(
        LINTS.search(line) and not INSTALLS.match(line.strip()) and not _lint_cannot_fail(line)
        for script in scripts
        for line in script.splitlines()
    )


def _lint_cannot_fail(line: str) -> bool:
    """Every linter on the line has its failure thrown away (the line is cut at each `&&`
    and `;`: `ruff check . || true && mypy .` still runs mypy for real)."""
    parts = [part for part in re.split(r"&&|;", line) if LINTS.search(part)]
    return all(LINT_CANNOT_FAIL.search(part) for part in parts)


def _deploys(script: str, commands: Iterable[str]) -> bool:
    """Whether the script publishes or deploys: a deploy command, `docker buildx build
    --push`, or a git push to a Hugging Face Space (whose remote is often added on another
    line, so the script is read whole; two plain searches keep it linear)."""
    if DEPLOYS.search(script):
        return True
    if any("buildx" in command and "--push" in command for command in commands):
        return True
    return "huggingface.co/spaces" in script and bool(GIT_PUSH.search(script))


def _commands(runs: Iterable[str]) -> list[str]:
    """The shell commands of the run steps that do more than echo-like commands."""
    commands = []
    for script in runs:
        for line in script.splitlines():
            for command in re.split(r"&&|\|\||;|\|", line):
                # the first word as the shell splits it only matters when quoted: rare,
                # and a full split of every command of a long script costs
                first = command.split(maxsplit=1)[0] if command.strip() else ""
                if first[:1] in ("'", '"'):
                    first = next(iter(_words(command)), "")
                if first and first not in TRIVIAL_COMMANDS and not first.startswith("#"):
                    commands.append(command.strip())
    return commands


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command, comments=True)
    except ValueError:
        return command.split()
