"""Shell commands: what a script does (runs tests, builds an image, runs the pipeline,
lints) and which project modules and files it runs, and Makefile targets read that way.

Everything here reads commands as text; nothing is ever run. CI jobs, DVC stages and
Dockerfiles (`configs`) are read with the same rules, so a Makefile's `test` target and a
CI job that runs `pytest` are judged alike.
"""

from __future__ import annotations

import posixpath
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.facts import Fact, MakeTargetFact
from portfolio_check.snapshot import MAX_TEXT_BYTES, FileEntry, Location

RUNS_TESTS = re.compile(
    r"(?<![\w-])(pytest|py\.test|tox|nox|unittest|make\s+(test|check)|"
    r"hatch\s+(run\s+)?test|nbval|nbmake)(?![\w-])"
)
BUILDS_IMAGE = re.compile(
    r"docker\s+(build|buildx|compose\s+build|image\s+build)|docker-compose\s+build"
)
RUNS_PIPELINE = re.compile(
    r"dvc\s+(repro|exp\s+run)|mlflow\s+run|make\s+(train|pipeline|evaluate|all)|"
    r"python3?\s+(-m\s+)?\S*(train|evaluate|pipeline)\S*|kedro\s+run"
)
LINTS = re.compile(r"(?<![\w-])(ruff|flake8|black|mypy|pylint|pre-commit\s+run|isort)(?![\w-])")
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
    {"echo", "printf", "true", ":", "ls", "pwd", "date", "env", "sleep", "cat", "whoami"}
)


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


def script_activity(scripts: Iterable[str]) -> ScriptActivity:
    commands = _commands(scripts)
    # what the script runs, not what it installs or echoes: `pip install pytest` runs no tests
    script = "\n".join(command for command in commands if not INSTALLS.match(command))
    return ScriptActivity(
        commands=tuple(commands),
        runs_tests=bool(RUNS_TESTS.search(script)),
        builds_image=bool(BUILDS_IMAGE.search(script)),
        runs_pipeline=bool(RUNS_PIPELINE.search(script)),
        lints=bool(LINTS.search(script)),
        deploys=_deploys(script, commands),
        provisions=bool(PROVISIONS.search(script)),
    )


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
                words = _words(command)
                if words and words[0] not in TRIVIAL_COMMANDS and not words[0].startswith("#"):
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
_UNRESOLVED = re.compile(r"[$`{}*?<>]")  # variables, globs, templates: nothing to name
#: Words that run the rest of the command, and the options of theirs that take a value.
_PREFIXES = frozenset({"exec", "nohup", "time", "env", "command", "nice", "sudo"})
_WRAPPERS = frozenset(
    {"uv", "poetry", "pipenv", "pdm", "hatch", "rye", "conda", "mamba", "micromamba"}
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
    (`torchrun`, `accelerate launch`, `coverage run`), `bash -c` scripts and Python scripts
    run by their path. Tools and the standard library (`python -m pip`, `python -m venv`,
    `python -m pytest`) name nothing, nor does code given inline (`python -c`). A relative
    file is named from where the command started: `cd src && python train.py` names
    `src/train.py`.
    """
    references: list[str] = []
    folder = ""
    for words in _simple_commands(command):
        if len(words) == 2 and words[0] == "cd" and not words[1].startswith(("/", "~", "$", "-")):
            folder = posixpath.normpath(posixpath.join(folder, words[1]))
            continue
        references.extend(
            posixpath.join(folder, ref) if folder and _is_relative_file(ref) else ref
            for ref in _references(words)
        )
    return tuple(dict.fromkeys(references))


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


def _references(words: list[str]) -> list[str]:
    env: dict[str, str] = {}
    while words:  # `FOO=1 exec uv run --with x python ...` runs `python ...`
        if _ASSIGNMENT.match(words[0]):
            name, _, value = words[0].partition("=")
            env[name] = value
            words = words[1:]
        elif words[0] in _PREFIXES:
            words = _skip_options(words[1:])
        elif words[0] in _WRAPPERS and words[1:2] == ["run"]:
            words = _skip_options(words[2:])
        else:
            break
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
    while words and words[0].startswith("-") and words[0] != "-":
        if words[0] == "--":
            return words[1:]
        words = words[2:] if words[0] in _OPTION_VALUES else words[1:]
    return words


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


def make_target_facts(path: str, text: str) -> Iterator[MakeTargetFact]:
    """One fact per target. Its flags and references come from its recipe with the
    Makefile's variables filled in (`$(PYTHON) -m churn.train`); `commands` is as written."""
    rules, variables = make_rules(text)
    targets: dict[str, tuple[int, list[str]]] = {}
    for rule in rules:  # a target named by several rules has all their recipe lines
        for target in rule.targets:
            targets.setdefault(target, (rule.line, []))[1].extend(rule.commands)
    for target, (line, commands) in targets.items():
        expanded = [_expand(command, variables) for command in commands]
        activity = script_activity(expanded)
        yield MakeTargetFact(
            location=Location(path=path, line=line),
            target=target,
            commands="\n".join(commands),
            runs_tests=activity.runs_tests,
            builds_image=activity.builds_image,
            runs_pipeline=activity.runs_pipeline,
            lints=activity.lints,
            deploys=activity.deploys,
            provisions=activity.provisions,
            references=command_references("\n".join(expanded)),
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
    rule = MakeRule(line=number, targets=[], commands=[recipe.lstrip("@-+ ")] if recipe else [])
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
