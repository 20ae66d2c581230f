"""Shell commands: what a script does (runs tests, builds an image, runs the pipeline,
lints), which project modules and files it runs, and which tasks and scripts it hands
over to (`make test`, `just ci`, `nox -s lint`, `./tasks/unit_test.sh`); Makefile targets
and shell scripts read that way.

Everything here reads commands as text; nothing is ever run. CI jobs, DVC stages,
Dockerfiles (`configs`, `ci`) and the other task runners (`task_runners`) are read with
the same rules, so a Makefile's `test` target and a CI job that runs `pytest` are judged
alike. Following what a command hands over to is the linker's job (`task_graph`).
"""

from __future__ import annotations

import itertools
import posixpath
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TypedDict

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.facts import Fact, TaskFact
from portfolio_check.snapshot import MAX_TEXT_BYTES, FileEntry, Location

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


# command references ----------------------------------------------------------------------
Runner = Callable[[list[str], Mapping[str, str]], list[str]]

_PYTHON = re.compile(r"^python(?:\d+(?:\.\d+)?)?$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")
_MODULE = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
#: What an ASGI or WSGI server loads: `pkg.mod:app`, `pkg.mod:create_app()`. An attribute
#: with a dot or a digit first (`unix:app.sock`, `localhost:8000`) is an address instead.
_APP = re.compile(r"^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):[A-Za-z_]\w*(?:\(.*\))?$")
_SHELL_PUNCTUATION = "();<>|&\n"
#: Variables, prefixes (`sudo`, `env`) and wrappers (`uv run`, `docker run IMAGE`) read in
#: front of a command: real commands have a few; what follows more is taken as it stands.
_MAX_LAYERS = 32
_UNRESOLVED = re.compile(r"[$`{}*?<>]")  # variables, globs, templates: nothing to name
#: Words that run the rest of the command, and the options of theirs that take a value.
_PREFIXES = frozenset({"exec", "nohup", "time", "env", "command", "nice", "sudo"})
_WRAPPERS = frozenset(
    {"uv", "poetry", "pipenv", "pdm", "hatch", "rye", "conda", "mamba", "micromamba", "pipx"}
)
_OPTION_VALUES = frozenset(
    {"-n", "-u", "-g", "-p", "-e", "--name", "--prefix", "--user", "--python", "--with",
     "--with-requirements", "--with-editable", "--extra", "--group", "--package", "--env",
     "--env-file", "--directory", "--project", "--index", "--from"}
)  # fmt: skip
_PYTEST_VALUES = frozenset(
    {"-k", "-m", "-c", "-p", "-o", "-W", "--ignore", "--ignore-glob", "--deselect",
     "--rootdir", "--confcutdir", "--basetemp", "--junitxml", "--junit-xml", "--cov",
     "--cov-report", "--cov-config", "--log-file", "--override-ini", "--config-file"}
)  # fmt: skip
#: Modules run with `python -m` that are tools, not the project's own code (the standard
#: library is recognised separately).
_TOOL_MODULES = frozenset(
    {"pip", "pipx", "virtualenv", "build", "twine", "wheel", "setuptools", "poetry", "uv",
     "pytest", "coverage", "mypy", "ruff", "black", "isort", "flake8", "pylint", "pyright",
     "bandit", "pre_commit", "tox", "nox", "jupyter", "notebook", "nbconvert", "jupytext",
     "papermill", "ipykernel", "nbstripout", "spacy", "nltk", "mlflow", "dvc", "celery",
     "sphinx", "mkdocs", "gdown", "huggingface_hub", "tensorboard", "wandb", "kedro",
     "pip_audit", "grpc_tools", "debugpy", "playwright", "PyInstaller", "alembic", "locust",
     "torch", "tensorflow", "transformers", "tf2onnx", "onnxruntime", "accelerate",
     "streamlit", "uvicorn", "gunicorn", "hypercorn", "flask", "bentoml", "gradio"}
)  # fmt: skip
_STDLIB_SHADOWED = frozenset({"code"})  # a stdlib name that is also a common project folder


def command_references(command: str) -> tuple[str, ...]:
    """The project modules (dotted: `churn.api`) and files (as written: `src/train.py`) that
    a shell command runs, unique and in order of appearance.

    Read statically from the words of each simple command (`&&`, `;`, `|` and newlines
    separate them): Python with `-m` or a script, ASGI/WSGI servers and their `module:app`,
    `streamlit run`, `flask --app`, `bentoml serve`, test files given to pytest, launchers
    (`torchrun`, `accelerate launch`, `coverage run`), `bash -c` scripts, commands run in
    a container (`docker run IMAGE python train.py`) and Python scripts run by their path.
    Tools and the standard library (`python -m pip`, `python -m venv`, `python -m pytest`)
    name nothing, nor does code given inline (`python -c`). A relative file is named from
    where the command started: `cd src && python train.py` names `src/train.py`.
    """
    return command_links(command)[0]


def command_links(command: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(`command_references`, `command_invocations`) of a command, read in one pass."""
    references: list[str] = []
    invocations: list[str] = []
    for folder, words, lost in _located_commands(command):
        try:
            named = _references(words)
            handed = _invocations(words, folder) if not lost else []
        except RecursionError:  # launchers nested a thousand deep (`coverage run -m coverage
            continue  # run -m ...`): a command built to exhaust the stack names nothing
        references.extend(
            posixpath.join(folder, ref) if folder and _is_relative_file(ref) else ref
            for ref in named
        )
        if len(invocations) < _MAX_INVOCATIONS:
            invocations.extend(invocation.encode() for invocation in handed)
    return tuple(dict.fromkeys(references)), tuple(dict.fromkeys(invocations[:_MAX_INVOCATIONS]))


def _located_commands(command: str) -> Iterator[tuple[str, list[str], bool]]:
    """Each simple command with the folder it starts in, as far as `cd` says (relative to
    where the whole command started), and whether a `cd` went somewhere that cannot be
    known (`cd /tmp`, `cd lab$(N)`): the folder is then the last one known."""
    folder, lost = "", False
    for words in _simple_commands(command):
        if len(words) == 2 and words[0] == "cd":
            target = words[1]
            if target.startswith(("/", "~", "-")) or _UNRESOLVED.search(target):
                lost = True
            else:
                folder = posixpath.normpath(posixpath.join(folder, target))
            continue
        yield folder, words, lost


def handler_references(handler: str, code_dir: str = "") -> tuple[str, ...]:
    """The project module a serverless handler names: `app.lambda_handler` (AWS Lambda,
    SAM, the Serverless Framework, a Lambda image's CMD) names module `app`, and
    `src/handlers/predict.main` module `src.handlers.predict`; `code_dir` (SAM's
    `CodeUri`) is the folder the module sits in, so the reference is its file instead."""
    module, dot, _ = handler.strip().rpartition(".")
    module = module.replace("/", ".").strip(".")
    if not dot or not _MODULE.match(module):
        return ()
    if code_dir and not _UNRESOLVED.search(code_dir):
        folder = posixpath.normpath(code_dir.strip("/"))
        path = posixpath.join(*([] if folder == "." else [folder]), *module.split(".")) + ".py"
        return (path,) if not path.startswith("..") else ()
    return tuple(_module(module))


def _is_relative_file(reference: str) -> bool:
    return (reference.endswith(".py") or "/" in reference) and not reference.startswith("/")


def _simple_commands(command: str) -> Iterator[list[str]]:
    """The words of each simple command, with redirections and comments dropped."""
    text = re.sub(r"\\\r?\n", " ", command)
    lexer = shlex.shlex(text, posix=True, punctuation_chars=_SHELL_PUNCTUATION)
    lexer.whitespace_split, lexer.whitespace, lexer.commenters = True, " \t\r", ""
    try:
        tokens = list(lexer)
    except ValueError:  # an unclosed quote: take the words as they stand
        for part in re.split(r"&&|\|\||[;|&\n]", text):
            yield part.split()
        return
    words: list[str] = []
    skip = comment = False
    for token in tokens:
        if token and set(token) <= set(_SHELL_PUNCTUATION):
            if "<" in token or ">" in token:  # a redirection: its target is no argument
                skip = True
                continue
            yield words
            words, skip, comment = [], False, False
        elif skip:
            skip = False
        elif comment or token.startswith("#"):
            comment = True
        else:
            words.append(token)
    yield words


def _layers(words: list[str]) -> list[tuple[dict[str, str], list[str]]]:
    """The command at each layer of wrapping, outermost first, with the variables set for
    it: `FOO=1 exec uv run --with x pytest -q` is `uv run --with x pytest -q`, then
    `pytest -q` (with FOO set); `docker run IMAGE pytest` is itself, then `pytest`."""
    env: dict[str, str] = {}
    layers: list[tuple[dict[str, str], list[str]]] = []
    for _ in range(_MAX_LAYERS):  # each step copies the rest: `sudo sudo ...` is bounded
        if not words:
            break
        if _ASSIGNMENT.match(words[0]):
            name, _, value = words[0].partition("=")
            env[name] = value
            words = words[1:]
        elif words[0] in _PREFIXES:
            words = _skip_options(words[1:])
        elif words[0] in _WRAPPERS and words[1:2] == ["run"]:
            layers.append((dict(env), words))
            words = _skip_options(words[2:])
        elif words[0] == "uvx":  # `uv tool run`
            layers.append((dict(env), words))
            words = _skip_options(words[1:])
        elif words[0] in _CONTAINERS and container_command(words[1:]):
            # `docker run IMAGE pytest`: a loop, not a recursion, so that a command of a
            # thousand nested `docker run`s is read as plainly as one
            layers.append((dict(env), words))
            words = container_command(words[1:])
        else:
            break
    layers.append((env, words))
    return layers


def _references(words: list[str]) -> list[str]:
    env, words = _layers(words)[-1]
    if not words:
        return []
    program = PurePosixPath(words[0]).name
    if _PYTHON.match(program):
        return _python(words[1:])
    if program in _RUNNERS:
        return _RUNNERS[program](words[1:], env)
    if "/" in words[0]:  # an executable script run by its path: `./scripts/evaluate.py`
        return _file(words[0])
    return []


def _skip_options(words: list[str]) -> list[str]:
    index = 0  # one slice at the end: `sudo -E -E -E ...` stays linear
    while index < len(words) and words[index].startswith("-") and words[index] != "-":
        if words[index] == "--":
            return words[index + 1 :]
        index += 2 if words[index] in _OPTION_VALUES else 1
    return words[index:]


def _python(args: list[str]) -> list[str]:
    """`python [-u -O -W arg -X opt] (-m module | -c code | script.py) ...`"""
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if word == "-":  # the program comes from stdin
            return []
        if word == "--check-hash-based-pycs":
            index += 1
        elif word.startswith("-") and not word.startswith("--"):
            for position, flag in enumerate(word[1:], start=2):
                if flag in "cmWX":  # these take the rest of the word or the next one
                    value = word[position:] or (args[index] if index < len(args) else "")
                    index += 0 if word[position:] else 1
                    if flag == "c":
                        return []
                    if flag == "m":
                        return _run_module(value, args[index:])
                    break
        else:
            return _file(word)
    return []


def _run_module(module: str, args: list[str]) -> list[str]:
    if module in _RUNNERS:  # `python -m uvicorn churn.api:app`, `python -m pytest`
        return _RUNNERS[module](args, {})
    return _module(module)


def _module(name: str) -> list[str]:
    top = name.split(".", 1)[0]
    if not _MODULE.match(name) or top in _TOOL_MODULES:
        return []
    if top in sys.stdlib_module_names and top not in _STDLIB_SHADOWED:
        return []
    return [name]


def _file(word: str) -> list[str]:
    """A Python file as written. Only `.py` files: a reference without a slash that is not
    one reads as a module name (`train.ipynb` would look like module `train.ipynb`)."""
    return [word] if word.endswith(".py") and not _UNRESOLVED.search(word) else []


def _first_script(args: list[str], env: Mapping[str, str]) -> list[str]:
    """The first Python file among the arguments, before any `--`."""
    for word in args:
        if word == "--":
            break
        if not word.startswith("-") and word.endswith(".py"):
            return _file(word)
    return []


def _app_server(args: list[str], env: Mapping[str, str]) -> list[str]:
    """`uvicorn [options] pkg.mod:app`, `gunicorn -k worker -w 4 pkg.mod:create_app()`."""
    for word in args:
        match = _APP.match(word)
        if match:
            return _module(match.group(1))
    return []


def _flask(args: list[str], env: Mapping[str, str]) -> list[str]:
    """`flask --app pkg.mod run`, or `FLASK_APP=pkg.mod flask run`."""
    target = env.get("FLASK_APP", "")
    for index, word in enumerate(args):
        if word.startswith("--app="):
            target = word.removeprefix("--app=")
        elif word in ("--app", "-A") and index + 1 < len(args):
            target = args[index + 1]
    target = re.sub(r":.*$", "", target)  # `pkg.mod:create_app()` loads pkg.mod
    return _file(target) if target.endswith(".py") else _module(target)


def _bentoml(args: list[str], env: Mapping[str, str]) -> list[str]:
    """`bentoml serve service:svc` serves module `service`; `bentoml serve .` and a built
    bento's tag (`iris_classifier:latest`) name no source file."""
    if not args or args[0] not in ("serve", "serve-http", "serve-grpc"):
        return []
    target = next((word for word in args[1:] if not word.startswith("-")), "")
    source, _, attribute = target.partition(":")
    if source.endswith(".py"):
        return _file(source)
    generated = len(attribute) >= 10 and attribute.isalnum() and attribute.islower()
    if not attribute or attribute == "latest" or generated:
        return []
    return _module(source)


def _pytest(args: list[str], env: Mapping[str, str]) -> list[str]:
    """The test files given to pytest (`tests/test_api.py::test_health` names the file)."""
    files: list[str] = []
    for index, word in enumerate(args):
        if word.startswith("-") or (index and args[index - 1] in _PYTEST_VALUES):
            continue
        files.extend(_file(word.split("::", 1)[0]))
    return files


def _launched(args: list[str], env: Mapping[str, str]) -> list[str]:
    """`torchrun --nproc-per-node 2 train.py`, `coverage run -m churn.train`."""
    for index, word in enumerate(args):
        if word in ("-m", "--module") and index + 1 < len(args):
            return _run_module(args[index + 1], args[index + 2 :])
        if not word.startswith("-") and word.endswith(".py"):
            return _file(word)
    return []


def _shell(args: list[str], env: Mapping[str, str]) -> list[str]:
    """`bash -c "cd src && python train.py"` runs what its script runs."""
    for index, word in enumerate(args):
        if re.fullmatch(r"-[a-z]*c[a-z]*", word):  # -c, -ec, -lc
            return list(command_references(args[index + 1])) if index + 1 < len(args) else []
        if not word.startswith(("-", "+")):
            break  # a shell script: not Python code
    return []


def _subcommand(names: frozenset[str], runner: Runner) -> Runner:
    """A runner for `tool <subcommand> ...` (`streamlit run`, `accelerate launch`)."""

    def run(args: list[str], env: Mapping[str, str]) -> list[str]:
        return runner(args[1:], env) if args and args[0] in names else []

    return run


_RUNNERS: dict[str, Runner] = {
    **dict.fromkeys(("uvicorn", "gunicorn", "hypercorn", "daphne", "granian"), _app_server),
    **dict.fromkeys(("streamlit", "chainlit"), _subcommand(frozenset({"run"}), _first_script)),
    "panel": _subcommand(frozenset({"serve"}), _first_script),
    "fastapi": _subcommand(frozenset({"run", "dev"}), _first_script),
    "gradio": _first_script,
    "flask": _flask,
    "bentoml": _bentoml,
    **dict.fromkeys(("pytest", "py.test"), _pytest),
    **dict.fromkeys(("torchrun", "deepspeed", "torch.distributed.run"), _launched),
    "torch.distributed.launch": _launched,
    "accelerate": _subcommand(frozenset({"launch"}), _launched),
    "coverage": _subcommand(frozenset({"run"}), _launched),
    **dict.fromkeys(("bash", "sh", "zsh", "dash"), _shell),
}


# containers and job schedulers -------------------------------------------------------------
_DOCKER_VALUES = frozenset(
    {"-e", "--env", "--env-file", "-v", "--volume", "-p", "--publish", "-w", "--workdir",
     "--name", "--network", "--net", "-u", "--user", "--gpus", "--mount", "-m", "--memory",
     "--cpus", "--shm-size", "--runtime", "--platform", "-l", "--label", "--add-host",
     "--device", "--ipc", "--pid", "-h", "--hostname", "--restart", "--log-driver",
     "--log-opt", "--cap-add", "--cap-drop", "--security-opt", "--ulimit", "--tmpfs",
     "--link", "--dns", "--expose", "--pull", "--cidfile", "--env-from-file", "-f", "--file",
     "--project-name", "--profile", "--project-directory", "-c", "--context", "--ulimits"}
)  # fmt: skip
#: The container subcommands that run a command, and how many words name what they run in
#: (`docker run IMAGE cmd`, `docker compose run SERVICE cmd`, `docker exec CONTAINER cmd`).
_CONTAINER_RUNS = frozenset({"run", "exec"})
_CONTAINERS = frozenset({"docker", "docker-compose", "podman"})


def container_command(args: list[str]) -> list[str]:
    """The command that `docker [compose] run|exec [options] IMAGE ...` (the arguments
    after `docker`) runs inside the container, with `--entrypoint` put back in front;
    empty when it runs the image's own command."""
    entrypoint: list[str] = []
    index = 0
    while index < len(args) and args[index] not in _CONTAINER_RUNS:
        word = args[index]  # `docker compose -f ci.yml run`: global options, `compose`
        index += 2 if word in _DOCKER_VALUES else 1
    index += 1
    while index < len(args) and args[index].startswith("-"):
        word = args[index]
        if word == "--entrypoint" and index + 1 < len(args):
            entrypoint = [args[index + 1]]
        elif word.startswith("--entrypoint="):
            entrypoint = [word.removeprefix("--entrypoint=")]
        index += 2 if word in _DOCKER_VALUES or word == "--entrypoint" else 1
    inner = args[index + 1 :]  # after the image, service or container
    return [*entrypoint, *inner] if inner or entrypoint else []


def _submitted_script(args: list[str]) -> tuple[str | None, str | None]:
    """(script, wrapped command) of `sbatch`/`qsub [options] script.sh`: single-letter
    options take a value (`-J name`, `-p gpu`), `--long=value` holds its own."""
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--wrap" and index + 1 < len(args):
            return None, args[index + 1]
        if word.startswith("--wrap="):
            return None, word.removeprefix("--wrap=")
        if not word.startswith("-"):
            return word, None
        index += 2 if len(word) == 2 else 1
    return None, None


# invocations: what a command hands over to ----------------------------------------------
#: The runners whose tasks the linker can look up, by how a command starts them.
TASK_RUNNERS = (
    "make", "just", "mise", "poe", "hatch", "pdm", "taskipy", "nox", "tox", "script",
    "action", "workflow",  # a local GitHub composite action, a reusable workflow (`ci`)
)  # fmt: skip
_MAX_INVOCATIONS = 64  # per fact: a file of ten thousand `make` lines names the first few
#: Folders that hold installed tools, not the project's scripts (`.venv/bin/pytest`).
_TOOL_FOLDERS = frozenset(
    {"venv", ".venv", "env", "node_modules", ".bin", ".tox", ".nox", "site-packages"}
)
_SCRIPT_SUFFIXES = frozenset({"", ".sh", ".bash", ".zsh"})


@dataclass(frozen=True)
class Invocation:
    """A task or script that a command starts, as its words say: `make -C api test` is
    Invocation("make", "api", "test"). `folder` is where the runner starts, relative to
    where the command started ("" for there); `name` is empty for the runner's default
    task. A script's name is its path as written, relative to `folder`."""

    runner: str
    folder: str
    name: str

    def encode(self) -> str:
        return "\t".join((self.runner, self.folder, self.name))

    @classmethod
    def decode(cls, text: str) -> Invocation | None:
        parts = text.split("\t", 2)
        return cls(*parts) if len(parts) == 3 and parts[0] in TASK_RUNNERS else None

    def label(self) -> str:
        """How a person would type it: `make test`, `tasks/unit_test.sh`."""
        if self.runner in ("script", "action", "workflow"):
            return posixpath.normpath(posixpath.join(self.folder, self.name))
        where = f" (in {self.folder})" if self.folder else ""
        return f"{self.runner} {self.name or '(default)'}{where}"


def command_invocations(command: str) -> tuple[str, ...]:
    """The tasks and scripts a shell command starts, encoded (`Invocation.encode`), unique
    and in order: make targets (`make -C api test`, `$(MAKE) lint`), just recipes, `mise
    run`, `poe`, `hatch run`, `pdm run`, taskipy's `task`, nox sessions and tox
    environments (`nox -s lint`, `tox -e py311`, through `uv run`, `poetry run`, `uvx` or
    `python -m`), shell scripts (`./tasks/test.sh`, `bash scripts/lint.sh`, `source x.sh`),
    scripts submitted to a scheduler (`sbatch jobs/train.sh`), and what a container runs
    (`docker run IMAGE bash tasks/test.sh`). Nothing is looked up here: whether the task
    exists, and what it does, is the linker's question."""
    return command_links(command)[1]


def _script_invocations(script: str, folder: str) -> list[Invocation]:
    """The invocations of a script that starts in `folder`; none after a `cd` to a place
    that cannot be known."""
    found: list[Invocation] = []
    for inner, words, lost in _located_commands(script):
        start = _in(folder, inner)
        if not lost and start is not None:
            found.extend(_invocations(words, start))
        if len(found) >= _MAX_INVOCATIONS:
            break
    return found


def _invocations(words: list[str], folder: str) -> list[Invocation]:
    layers = _layers(words)
    found: list[Invocation] = []
    for _, layer in layers[:-1]:
        if layer[0] in ("hatch", "pdm"):  # `pdm run test`: a script of theirs, if defined
            found.extend(_INVOKERS[layer[0]](layer[1:], folder))
    words = layers[-1][1]
    if not words:
        return found
    program = PurePosixPath(words[0]).name
    if program in _INVOKERS:
        found.extend(_INVOKERS[program](words[1:], folder))
    elif _PYTHON.match(program) and words[1:2] == ["-m"] and words[2:3] in (["nox"], ["tox"]):
        found.extend(_INVOKERS[words[2]](words[3:], folder))
    elif "/" in words[0]:
        found.extend(_script(words[0], folder, by_path=True))
    return found


def _in(folder: str, relative: str) -> str | None:
    """`relative` from `folder` (`..` may lead above it: the linker knows where it
    started), or None when it cannot be known."""
    if _UNRESOLVED.search(relative) or relative.startswith(("/", "~")):
        return None
    joined = posixpath.normpath(posixpath.join(folder, relative))
    return "" if joined == "." else joined


def _script(path: str, folder: str, *, by_path: bool = False) -> list[Invocation]:
    """A shell script run by `bash path` or (`by_path`) as `./path`; not an installed tool
    (`.venv/bin/pytest`), and by its path only a script's suffix or none."""
    pure = PurePosixPath(path)
    if _UNRESOLVED.search(path) or not pure.name or pure.suffix == ".py":
        return []
    if _TOOL_FOLDERS & set(pure.parts) or (by_path and pure.suffix not in _SCRIPT_SUFFIXES):
        return []
    return [Invocation("script", folder, path)]


def _shell_invocations(args: list[str], folder: str) -> list[Invocation]:
    """`bash -e tasks/test.sh`, `sh -c "make lint"`."""
    for index, word in enumerate(args):
        if re.fullmatch(r"-[a-z]*c[a-z]*", word):
            script = args[index + 1] if index + 1 < len(args) else ""
            return _script_invocations(script, folder)
        if not word.startswith(("-", "+")):
            return _script(word, folder)
    return []


def _sourced(args: list[str], folder: str) -> list[Invocation]:
    """`source scripts/common.sh`; not the settings files (`.env`, `venv/bin/activate`)
    that most `source` lines read."""
    if not args or PurePosixPath(args[0]).suffix not in SCRIPT_SUFFIXES:
        return []
    return _script(args[0], folder)


def _options(
    args: list[str], valued: frozenset[str], folder_options: frozenset[str], folder: str
) -> tuple[list[str], str | None, dict[str, list[str]]]:
    """(positional words, folder, the values of each valued option) of a runner's
    arguments; `--opt=value` and `-Xvalue` forms too. The folder is None when an option
    moves it somewhere that cannot be known."""
    positional: list[str] = []
    values: dict[str, list[str]] = {}
    where: str | None = folder
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        name, value = word, None
        if word.startswith("--") and "=" in word:
            name, _, value = word.partition("=")
        elif len(word) > 2 and word[0] == "-" and word[1] != "-" and word[:2] in valued:
            name, value = word[:2], word[2:]
        if name in valued:
            if value is None:
                value = args[index] if index < len(args) else ""
                index += 1
            values.setdefault(name, []).append(value)
            if name in folder_options:
                where = _in(where, value) if where is not None else None
        elif word == "--":
            positional.extend(args[index:])
            break
        elif not word.startswith("-"):
            positional.append(word)
    return positional, where, values


def _named(runner: str, folder: str | None, names: Iterable[str]) -> list[Invocation]:
    """An invocation per task name, or of the default task when none is named; none when
    the folder or every name is unknown (`just _build-{{target}}`)."""
    given = list(names)
    chosen = [name for name in given if not _UNRESOLVED.search(name)]
    if folder is None or (given and not chosen):
        return []
    return [Invocation(runner, folder, name) for name in chosen or [""]]


def _make(args: list[str], folder: str) -> list[Invocation]:
    """`make [-C dir] [-f file] [VAR=value] targets...`; no target: the default goal."""
    positional, where, values = _options(
        args,
        frozenset({"-C", "--directory", "-f", "--file", "--makefile", "-o", "-W", "-I",
                   "--include-dir", "--old-file", "--what-if", "--assume-new", "--assume-old"}),
        frozenset({"-C", "--directory"}),
        folder,
    )  # fmt: skip
    for makefile in values.get("-f", []) + values.get("--file", []) + values.get("--makefile", []):
        if PurePosixPath(makefile).name not in MAKEFILES:
            return []  # a Makefile by another name is not read: nothing to say
        where = _in(where, posixpath.dirname(makefile)) if where is not None else None
    if any(flag in args for flag in ("-n", "--dry-run", "--just-print", "-q", "--question")):
        return []
    return _named("make", where, (word for word in positional if "=" not in word))


def _just(args: list[str], folder: str) -> list[Invocation]:
    """`just [-d dir] [-f justfile] [VAR=value] recipe [arguments or recipes...]`."""
    if any(word.startswith(("--list", "-l", "--summary", "--show", "--dry-run", "-n",
                            "--evaluate", "--dump", "--fmt", "--choose", "--edit",
                            "--init", "--variables", "--completions", "--groups"))
           for word in args):  # fmt: skip
        return []
    positional, where, values = _options(
        args,
        frozenset({"-f", "--justfile", "-d", "--working-directory", "--set", "--shell",
                   "--shell-arg", "--dotenv-filename", "--dotenv-path", "--color"}),
        frozenset(),
        folder,
    )  # fmt: skip
    for justfile in values.get("-f", []) + values.get("--justfile", []):
        where = _in(where, posixpath.dirname(justfile)) if where is not None else None
    return _named("just", where, (word for word in positional if "=" not in word))


def _mise(args: list[str], folder: str) -> list[Invocation]:
    """`mise run [options] task [args] [::: task ...]`, `mise run` alone asks which."""
    if args[:2] == ["tasks", "run"] or args[:2] == ["task", "run"]:
        args = args[1:]
    if not args or args[0] not in ("run", "r"):
        return []
    positional, where, _ = _options(
        args[1:], frozenset({"-C", "--cd", "-j", "--jobs", "-o", "--output", "-t"}),
        frozenset({"-C", "--cd"}), folder,
    )  # fmt: skip
    names = [positional[0]] if positional else []
    names += [after for before, after in itertools.pairwise(positional) if before == ":::"]
    return _named("mise", where, names) if names else []


def _first_task(
    runner: str, valued: frozenset[str], folder_options: frozenset[str]
) -> Callable[[list[str], str], list[Invocation]]:
    """A runner started as `tool [options] task [arguments]`."""

    def invoke(args: list[str], folder: str) -> list[Invocation]:
        positional, where, _ = _options(args, valued, folder_options, folder)
        return _named(runner, where, positional[:1]) if positional else []

    return invoke


def _hatch(args: list[str], folder: str) -> list[Invocation]:
    """`hatch [-e env] run [env:]script [args]`; `hatch test` and `hatch fmt` are hatch's
    own commands (read by the flags' patterns)."""
    env = "default"
    while args and args[0].startswith("-"):
        if args[0] in ("-e", "--env") and len(args) > 1:
            env, args = args[1], args[2:]
        else:
            args = args[1:]
    if not args or args[0] != "run":
        return []
    positional, where, _ = _options(args[1:], frozenset(), frozenset(), folder)
    if not positional:
        return []
    script = positional[0]
    return _named("hatch", where, [script if ":" in script else f"{env}:{script}"])


_pdm_script = _first_task("pdm", frozenset({"-p", "--project"}), frozenset({"-p", "--project"}))


def _pdm(args: list[str], folder: str) -> list[Invocation]:
    """`pdm run [options] script [args]`: a script of `[tool.pdm.scripts]`, if defined."""
    return _pdm_script(args[1:], folder) if args[:1] == ["run"] else []


def _nox(args: list[str], folder: str) -> list[Invocation]:
    """`nox [-f noxfile] [-s session ...]`; no session: the default ones."""
    sessions: list[str] = []
    where: str | None = folder
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if word in ("-s", "-e", "--session", "--sessions"):
            while index < len(args) and not args[index].startswith("-"):
                sessions.append(args[index])
                index += 1
        elif word.startswith(("--session=", "--sessions=")):
            sessions.append(word.partition("=")[2])
        elif word in ("-f", "--noxfile") and index < len(args):
            where = _in(folder, posixpath.dirname(args[index]))
            index += 1
        elif word in ("-l", "--list", "--list-sessions", "--json", "-t", "--tags"):
            return []  # lists the sessions, or picks them by tags: nothing known runs
    return _named("nox", where, sessions)


def _tox(args: list[str], folder: str) -> list[Invocation]:
    """`tox [run|r|p] [-e env,env] [-c config]`; no environment: the default list."""
    if args and args[0] in ("run", "r", "run-parallel", "p", "exec", "x"):
        args = args[1:]
    elif args and not args[0].startswith("-"):
        return []  # `tox list`, `tox config`, `tox devenv`...
    _, where, values = _options(
        args, frozenset({"-e", "-c", "--conf", "-x", "--override", "-m", "--root"}),
        frozenset(), folder,
    )  # fmt: skip
    for config in values.get("-c", []) + values.get("--conf", []):
        named_file = PurePosixPath(config).suffix in (".ini", ".toml", ".cfg")
        place = posixpath.dirname(config) if named_file else config
        where = _in(where, place) if where is not None else None
    envs = [env for value in values.get("-e", []) for env in value.split(",") if env]
    return _named("tox", where, envs)


def _submitted(args: list[str], folder: str) -> list[Invocation]:
    """A batch job: `sbatch [options] jobs/train.sh`, `sbatch --wrap "pytest"`."""
    script, wrapped = _submitted_script(args)
    if wrapped is not None:
        return _script_invocations(wrapped, folder)
    return _script(script, folder) if script else []


_INVOKERS: dict[str, Callable[[list[str], str], list[Invocation]]] = {
    **dict.fromkeys(("make", "gmake"), _make),
    "just": _just,
    "mise": _mise,
    "poe": _first_task(
        "poe",
        frozenset({"-C", "--directory", "--root", "-e", "--executor"}),
        frozenset({"-C", "--directory", "--root"}),
    ),
    "hatch": _hatch,
    "pdm": _pdm,
    "task": _first_task("taskipy", frozenset(), frozenset()),
    "nox": _nox,
    "tox": _tox,
    **dict.fromkeys(("bash", "sh", "zsh", "dash"), _shell_invocations),
    **dict.fromkeys(("source", "."), _sourced),
    **dict.fromkeys(("sbatch", "qsub"), _submitted),
}


# shell scripts ---------------------------------------------------------------------------
SCRIPT_SUFFIXES = frozenset({".sh", ".bash"})
#: Folders whose files without a suffix are read when they start with a shell's `#!`
#: (`tasks/lint`, `scripts/test`).
SCRIPT_FOLDERS = frozenset({"scripts", "script", "tasks", "ci", ".ci", "automation", "hack"})
#: A script longer than this is generated, not written: its first part is read.
MAX_SCRIPT_CHARS = 100_000
_SHELL_SHEBANG = re.compile(r"#![ \t]*\S*/(?:env[ \t]+)?(?:ba|z|da|k)?sh\b")


class ShellScriptAnalyzer:
    """Shell scripts, each one task (`runner: script`) named by its path."""

    name = "shell-scripts"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        if entry.suffix in SCRIPT_SUFFIXES:
            return True
        return entry.suffix == "" and any(part in SCRIPT_FOLDERS for part in entry.parts[:-1])

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        if entry.suffix in SCRIPT_SUFFIXES or _SHELL_SHEBANG.match(text):
            yield script_fact(entry.path, text)


def script_fact(path: str, text: str) -> TaskFact:
    """What a shell script does, from its commands (the first `MAX_SCRIPT_CHARS` of it).
    A relative path in it is relative to where it is run from, which only its caller
    knows: the linker joins them."""
    script = text[:MAX_SCRIPT_CHARS]
    activity = script_activity([script])
    references, invocations = command_links(script)
    return TaskFact(
        location=Location(path=path, line=1),
        runner="script",
        name=path,
        commands=script,
        **activity.flags(),
        references=references,
        invokes=invocations,
    )


# Makefiles -------------------------------------------------------------------------------
MAKEFILES = frozenset({"Makefile", "makefile", "GNUmakefile"})
_MAKE_ASSIGNMENT = re.compile(
    r"^(?:(?:export|override|private)\s+)*([^\s:#=]+)\s*(\?=|:::=|::=|:=|\+=|!=|=)\s*(.*)$"
)
_MAKE_CONDITIONALS = frozenset({"ifeq", "ifneq", "ifdef", "ifndef", "else", "endif"})
_MAKE_VARIABLE = re.compile(r"\$[({]([^\s:=#(){}$]+)[)}]")
_MAX_EXPANSION = 16_384  # characters a recipe line may grow to once variables are filled in


class MakefileAnalyzer:
    name = "makefile"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return entry.name in MAKEFILES

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        yield from make_target_facts(entry.path, text)


@dataclass
class MakeRule:
    line: int
    targets: list[str]  # special (`.PHONY`) and pattern (`%.o`) targets left out
    commands: list[str]  # recipe lines, without their `@`, `-` and `+` prefixes
    prerequisites: list[str] = field(default_factory=list)


def make_target_facts(path: str, text: str) -> Iterator[TaskFact]:
    """One fact per target. Its flags and references come from its recipe with the
    Makefile's variables filled in (`$(PYTHON) -m churn.train`); `commands` is as written.
    What it invokes are its prerequisites (make builds them first) and the tasks and
    scripts its recipe runs (`$(MAKE) lint`, `./scripts/test.sh`)."""
    rules, variables = make_rules(text)
    targets: dict[str, tuple[int, list[str], list[str]]] = {}
    for rule in rules:  # a target named by several rules has all their lines
        for target in rule.targets:
            _, commands, prerequisites = targets.setdefault(target, (rule.line, [], []))
            commands.extend(rule.commands)
            prerequisites.extend(rule.prerequisites)
    default = variables.get(".DEFAULT_GOAL") or next(iter(targets), None)
    for target, (line, commands, prerequisites) in targets.items():
        expanded = [_expand(command, variables) for command in commands]
        activity = script_activity(expanded)
        references, invocations = command_links("\n".join(expanded))
        needs = (_expand(word, variables) for word in prerequisites)
        built_first = tuple(
            Invocation("make", "", word).encode() for word in needs if not _UNRESOLVED.search(word)
        )
        yield TaskFact(
            location=Location(path=path, line=line),
            runner="make",
            name=target,
            commands="\n".join(commands),
            **activity.flags(),
            references=references,
            invokes=tuple(dict.fromkeys((*built_first, *invocations))),
            default=target == default,
        )


def make_rules(text: str) -> tuple[list[MakeRule], dict[str, str]]:
    """The rules of a Makefile in order, and its variables (last assignment wins)."""
    rules: list[MakeRule] = []
    variables = {"MAKE": "make"}
    current: MakeRule | None = None
    in_define = False
    for number, logical, tabbed in _make_lines(text):
        if in_define:
            in_define = not re.match(r"(override\s+|export\s+)?endef\b", logical)
        elif tabbed and current is not None:
            command = logical.lstrip("@-+ \t")
            if command:
                current.commands.append(command)
        elif logical and not logical.startswith("#"):  # blank and comment lines change nothing
            content = re.sub(r"(?<!\\)#.*$", "", logical).strip()
            first = content.split(maxsplit=1)[0] if content else ""
            if first in _MAKE_CONDITIONALS:
                continue  # conditionals do not end a recipe
            current = None
            in_define = bool(re.match(r"((override|export)\s+)*define\b", content))
            assignment = _MAKE_ASSIGNMENT.match(content)
            if assignment:
                _assign(variables, *assignment.groups())
            elif not in_define:
                current = _make_rule(number, logical)
                if current is not None:
                    rules.append(current)
    return rules, variables


def _make_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(line, logical line, starts with a tab), backslash-continued lines joined."""
    physical = text.splitlines()
    index = 0
    while index < len(physical):
        number, parts = index + 1, [physical[index]]
        index += 1
        while parts[-1].endswith("\\") and index < len(physical):
            parts[-1] = parts[-1][:-1]
            parts.append(physical[index])
            index += 1
        logical = " ".join(part.strip() for part in parts if part.strip())
        yield number, logical, physical[number - 1].startswith("\t")


def _make_rule(number: int, line: str) -> MakeRule | None:
    """The rule `targets: prerequisites [; recipe]`, or None for a line that is none."""
    split = _split_outside_references(line, ":#")
    if split is None or split[1] != ":":
        return None
    targets, rest = line[: split[0]], line[split[0] + 1 :].removeprefix(":")  # `::` rules too
    inline = _split_outside_references(rest, ";#")
    prerequisites = rest[: inline[0]] if inline else rest
    recipe = rest[inline[0] + 1 :].strip() if inline and inline[1] == ";" else ""
    rule = MakeRule(
        line=number,
        targets=[],
        commands=[recipe.lstrip("@-+ ")] if recipe else [],
        prerequisites=[word for word in prerequisites.split() if word != "|"],
    )
    specific = _MAKE_ASSIGNMENT.match(prerequisites.strip())  # `test: ARGS = -x`
    static_pattern = "%" in prerequisites and ":" in prerequisites  # `$(OBJS): %.o: %.c`
    if not (specific or static_pattern or "%" in targets):
        rule.targets = [
            target
            for target in targets.removesuffix("&").split()  # `a b &:` grouped targets
            if not target.startswith(".")
        ]
    return rule


def _split_outside_references(text: str, stops: str) -> tuple[int, str] | None:
    """The first of `stops` that is not inside `$(...)` or `${...}`, and where."""
    depth = 0
    for index, char in enumerate(text):
        if char in "({":
            depth += 1
        elif char in ")}":
            depth = max(depth - 1, 0)
        elif char in stops and depth == 0 and not text[:index].endswith("\\"):
            return index, char
    return None


def _assign(variables: dict[str, str], name: str, operator: str, value: str) -> None:
    if operator == "?=":
        variables.setdefault(name, value)
    elif operator == "+=":
        variables[name] = f"{variables[name]} {value}" if name in variables else value
    elif operator != "!=":  # `!=` takes a shell command's output: unknown here
        variables[name] = value


def _expand(command: str, variables: Mapping[str, str]) -> str:
    """A recipe line with the Makefile's variables filled in, nested ones too; as written
    if it would grow past a bound (variables can be built to explode)."""
    text = command.replace("$$", "\0")  # `$$` is a literal `$` for the shell
    for _ in range(10):
        pieces: list[str] = []
        start = size = 0
        for match in _MAKE_VARIABLE.finditer(text):
            value = variables.get(match.group(1))
            if value is not None:
                pieces += [text[start : match.start()], value.replace("$$", "\0")]
                size += match.start() - start + len(value)
                start = match.end()
                if size > _MAX_EXPANSION:
                    return command
        if not pieces:
            break
        text = "".join(pieces) + text[start:]
    return text.replace("\0", "$")
