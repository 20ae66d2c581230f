"""What a shell command links to, read in one pass: the project modules and files it
runs (`python -m churn.train`, `uvicorn churn.api:app`, `pytest tests/test_api.py`), read
here, and the tasks and scripts it hands over to (`task_invocations`). Serverless
handlers (`app.lambda_handler`) name their module the same way. Nothing is ever run.
"""

from __future__ import annotations

import posixpath
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath

from portfolio_check.analyzers.shell_syntax import (
    PYTHON_PROGRAM,
    UNRESOLVED,
    command_layers,
    located_commands,
)
from portfolio_check.analyzers.task_invocations import (
    MAX_INVOCATIONS,
    simple_command_invocations,
)

Runner = Callable[[list[str], Mapping[str, str]], list[str]]

_MODULE = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
#: What an ASGI or WSGI server loads: `pkg.mod:app`, `pkg.mod:create_app()`. An attribute
#: with a dot or a digit first (`unix:app.sock`, `localhost:8000`) is an address instead.
_APP = re.compile(r"^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):[A-Za-z_]\w*(?:\(.*\))?$")
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
    for folder, words, lost in located_commands(command):
        try:
            named = _references(words)
            handed = simple_command_invocations(words, folder) if not lost else []
        except RecursionError:  # launchers nested a thousand deep (`coverage run -m coverage
            continue  # run -m ...`): a command built to exhaust the stack names nothing
        references.extend(
            posixpath.join(folder, ref) if folder and _is_relative_file(ref) else ref
            for ref in named
        )
        if len(invocations) < MAX_INVOCATIONS:
            invocations.extend(invocation.encode() for invocation in handed)
    return tuple(dict.fromkeys(references)), tuple(dict.fromkeys(invocations[:MAX_INVOCATIONS]))


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


def handler_references(handler: str, code_dir: str = "") -> tuple[str, ...]:
    """The project module a serverless handler names: `app.lambda_handler` (AWS Lambda,
    SAM, the Serverless Framework, a Lambda image's CMD) names module `app`, and
    `src/handlers/predict.main` module `src.handlers.predict`; `code_dir` (SAM's
    `CodeUri`) is the folder the module sits in, so the reference is its file instead."""
    module, dot, _ = handler.strip().rpartition(".")
    module = module.replace("/", ".").strip(".")
    if not dot or not _MODULE.match(module):
        return ()
    if code_dir and not UNRESOLVED.search(code_dir):
        folder = posixpath.normpath(code_dir.strip("/"))
        path = posixpath.join(*([] if folder == "." else [folder]), *module.split(".")) + ".py"
        return (path,) if not path.startswith("..") else ()
    return tuple(_module(module))


def _is_relative_file(reference: str) -> bool:
    return (reference.endswith(".py") or "/" in reference) and not reference.startswith("/")


def _references(words: list[str]) -> list[str]:
    env, words = command_layers(words)[-1]
    if not words:
        return []
    program = PurePosixPath(words[0]).name
    if PYTHON_PROGRAM.match(program):
        return _python(words[1:])
    if program in _RUNNERS:
        return _RUNNERS[program](words[1:], env)
    if "/" in words[0]:  # an executable script run by its path: `./scripts/evaluate.py`
        return _file(words[0])
    return []


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
    return [word] if word.endswith(".py") and not UNRESOLVED.search(word) else []


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
