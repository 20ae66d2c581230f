"""Task runners other than make: just recipes, mise tasks, the task tables of
pyproject.toml (poe, hatch, pdm, taskipy), tox environments and nox sessions.

Each task becomes a `TaskFact`: what its commands do and name (read by `script_activity`
and `command_links`, as every command is), and the other tasks it runs first or hands
over to. Nothing is run: a noxfile is read as a syntax tree, never imported. Whether a
task is run at all, by CI or by nothing, is the linker's question (`task_graph`): a `ci`
recipe that no CI config calls runs nothing by itself.
"""

from __future__ import annotations

import ast
import configparser
import re
import shlex
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.command_links import command_links
from portfolio_check.analyzers.script_activity import script_activity
from portfolio_check.analyzers.task_invocations import Invocation
from portfolio_check.common.safe_toml import TomlError, load_toml
from portfolio_check.intake.snapshot import MAX_TEXT_BYTES, FileEntry
from portfolio_check.model.facts import Fact, FindingFact, TaskFact
from portfolio_check.model.location import Location

JUSTFILES = frozenset({"justfile", ".justfile"})  # just matches the name in any case
MISE_FILES = frozenset({"mise.toml", ".mise.toml"})
TASK_FILES = frozenset({"pyproject.toml", "tox.ini", "noxfile.py"})
MAX_TASKS = 2_000  # per file: more is a file built to be large, not a project's tasks


class TaskRunnerAnalyzer:
    name = "task-runners"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return (
            entry.name.lower() in JUSTFILES or entry.name in MISE_FILES or entry.name in TASK_FILES
        )

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        name = entry.name
        try:
            if name.lower() in JUSTFILES:
                tasks = list(just_tasks(text))
            elif name == "noxfile.py":
                tasks = list(nox_tasks(text))
            elif name == "tox.ini":
                tasks = list(tox_tasks(text))
            elif name in MISE_FILES:
                tasks = list(mise_tasks(load_toml(text)))
            else:
                tasks = list(pyproject_tasks(load_toml(text)))
        except (TomlError, configparser.Error) as error:
            if name != "pyproject.toml":  # the dependency analyzer reports a broken one
                message = f"{name} could not be read: {str(error).splitlines()[0][:200]}"
                yield FindingFact(
                    location=Location(path=entry.path), analyzer=self.name, message=message
                )
            return
        lines = _DefinitionLines(text)
        for task in tasks[:MAX_TASKS]:
            yield task.fact(entry.path, lines.get(task.key or task.name))


@dataclass
class Task:
    """A task as its file defines it, before it becomes a fact."""

    runner: str
    name: str
    commands: list[str] = field(default_factory=list)  # shell commands, run in order
    runs_first: list[str] = field(default_factory=list)  # tasks of the same file
    references: list[str] = field(default_factory=list)  # modules it calls directly
    default: bool = False
    key: str | None = None  # how its definition line is found, if not by its name

    def fact(self, path: str, line: int | None) -> TaskFact:
        activity = script_activity(self.commands)
        script = "\n".join(self.commands)
        references, invocations = command_links(script)
        first = (Invocation(self.runner, "", name).encode() for name in self.runs_first)
        return TaskFact(
            location=Location(path=path, line=line),
            runner=self.runner,
            name=self.name,
            commands=script,
            **activity.flags(),
            references=tuple(dict.fromkeys((*self.references, *references))),
            invokes=tuple(dict.fromkeys((*first, *invocations))),
            default=self.default,
        )


class _DefinitionLines:
    """The first line that defines each name: `name:` (a recipe), `name =` (a TOML or INI
    key), `[section.name]` or `[testenv:name]` (a table), `def name(` (a session).
    Indexed in one pass."""

    _PATTERN = re.compile(
        r"^\s*(?:def\s+(\w+)\s*\(|\[+([^\]]+)\]+|[\"']?([\w.:-]+)[\"']?\s*=|"
        r"@?([A-Za-z_][\w-]*)[^\n:]*:(?!=))"
    )

    def __init__(self, text: str) -> None:
        self._lines: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            match = self._PATTERN.match(line)
            if match:
                name = next(group for group in match.groups() if group is not None)
                for key in {name, name.rsplit(".", 1)[-1], name.rsplit(":", 1)[-1]}:
                    self._lines.setdefault(key.strip("\"' "), number)

    def get(self, name: str) -> int | None:
        return self._lines.get(name)


# just ------------------------------------------------------------------------------------
_JUST_RECIPE = re.compile(r"^@?([A-Za-z_][\w-]*)((?:\s+[^:]*?)?)\s*:(?!=)(.*)$")
_JUST_ASSIGNMENT = re.compile(r"^(?:export\s+)?([A-Za-z_][\w-]*)\s*:=\s*(.*)$")
_JUST_ALIAS = re.compile(r"^alias\s+([A-Za-z_][\w-]*)\s*:=\s*([A-Za-z_][\w-]*)")
_JUST_INTERPOLATION = re.compile(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}")
_JUST_DEPENDENCY = re.compile(r"\(?\s*([A-Za-z_][\w-]*)")


def just_tasks(text: str) -> Iterator[Task]:
    """The recipes of a justfile: `name params: dependencies` and the indented lines
    under it, `{{variables}}` filled in where they are plain strings; aliases too. The
    first recipe is the default."""
    variables: dict[str, str] = {}
    recipes: list[Task] = []  # aliases too
    current: Task | None = None
    has_recipe = False
    for line in text.splitlines():
        if line[:1] in (" ", "\t"):
            body = line.strip()
            if current is not None and body and not body.startswith("#"):
                current.commands.append(body.lstrip("@-"))
            elif (
                current is not None
                and body.startswith("#!")
                and not current.commands
                and not re.match(r"#!\S*/(env\s+)?(ba|z|da)?sh\b", body)
            ):
                current = None  # a Python or Node recipe: its lines are no commands
            continue
        current = None
        if not line.strip() or line.startswith(("#", "[", "set ", "import ", "mod ")):
            continue
        assignment, alias = _JUST_ASSIGNMENT.match(line), _JUST_ALIAS.match(line)
        if alias:
            recipes.append(Task("just", alias.group(1), runs_first=[alias.group(2)]))
        elif assignment:
            value = assignment.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                variables[assignment.group(1)] = value[1:-1]
        else:
            header = _JUST_RECIPE.match(line)
            if header:
                dependencies = re.sub(r"\"[^\"]*\"|'[^']*'|#.*$", " ", header.group(3))
                current = Task("just", header.group(1), default=not has_recipe)
                has_recipe = True
                current.runs_first = _JUST_DEPENDENCY.findall(dependencies.replace("&&", " "))
                recipes.append(current)
    for task in recipes:
        task.commands = [_fill(command, variables) for command in task.commands]
    return iter(recipes)


def _fill(command: str, variables: Mapping[str, str]) -> str:
    return _JUST_INTERPOLATION.sub(lambda m: variables.get(m.group(1), m.group(0)), command)


# TOML task tables ------------------------------------------------------------------------
def mise_tasks(document: Mapping[str, Any]) -> Iterator[Task]:
    """`[tasks.name]` with `run` and `depends`, or `[tasks] name = "command"`."""
    for name, spec in _table(document.get("tasks")).items():
        body = _table(spec) if isinstance(spec, Mapping) else {"run": spec}
        yield Task(
            "mise",
            str(name),
            commands=_strings(body.get("run")),
            runs_first=[word.split()[0] for word in _strings(body.get("depends")) if word.split()],
        )


def pyproject_tasks(document: Mapping[str, Any]) -> Iterator[Task]:
    tool = _table(document.get("tool"))
    yield from _poe(_table(_table(tool.get("poe")).get("tasks")))
    for env, spec in _table(_table(tool.get("hatch")).get("envs")).items():
        yield from _hatch(str(env), _table(_table(spec).get("scripts")))
    yield from _pdm(_table(_table(tool.get("pdm")).get("scripts")))
    for name, spec in _table(_table(tool.get("taskipy")).get("tasks")).items():
        command = _table(spec).get("cmd") if isinstance(spec, Mapping) else spec
        yield Task("taskipy", str(name), commands=_strings(command))
    tox = _table(tool.get("tox"))
    legacy = tox.get("legacy_tox_ini")
    if isinstance(legacy, str):
        yield from tox_tasks(legacy)
    else:
        yield from _native_tox(tox)


def _poe(tasks: Mapping[str, Any]) -> Iterator[Task]:
    """Poe the Poet: a string is a command; a table has `cmd`, `shell`, `script`
    (`pkg.mod:main`), `sequence` (of task names or inline tasks), `ref` and `deps`."""
    for name, spec in tasks.items():
        task = Task("poe", str(name))
        body: Mapping[str, Any] = {"cmd": spec} if isinstance(spec, str) else _table(spec)
        items = spec if isinstance(spec, list) else _list(body.get("sequence"))
        for key in ("cmd", "shell"):
            task.commands += _strings(body.get(key))
        if isinstance(body.get("script"), str):
            task.references.append(str(body["script"]).split(":", 1)[0].strip())
        for item in items:  # strings in a sequence are names of other tasks
            if isinstance(item, str) and item.split():
                task.runs_first.append(item.split()[0])
            elif isinstance(item, Mapping):
                task.commands += _strings(item.get("cmd")) + _strings(item.get("shell"))
                if isinstance(item.get("ref"), str) and item["ref"].split():
                    task.runs_first.append(item["ref"].split()[0])
        for ref in [body.get("ref"), *_list(body.get("deps"))]:
            if isinstance(ref, str) and ref.split():
                task.runs_first.append(ref.split()[0])
        yield task


def _hatch(env: str, scripts: Mapping[str, Any]) -> Iterator[Task]:
    """Hatch scripts of one environment: a command, or a list of them; a command whose
    first word is another script of the environment runs that script."""
    for name, spec in scripts.items():
        task = Task("hatch", f"{env}:{name}", key=str(name))
        for command in _strings(spec):
            first = command.split(maxsplit=1)[0] if command.split() else ""
            if first in scripts:
                task.runs_first.append(f"{env}:{first}")
            else:
                task.commands.append(command)
        yield task


def _pdm(scripts: Mapping[str, Any]) -> Iterator[Task]:
    """PDM scripts: a command, or a table with `cmd`, `shell`, `call` (`pkg.mod:main`) or
    `composite` (other scripts by name, or commands)."""
    for name, spec in scripts.items():
        if name == "_":  # settings shared by every script
            continue
        body: Mapping[str, Any] = {"cmd": spec} if isinstance(spec, str) else _table(spec)
        task = Task("pdm", str(name))
        task.commands += _strings(body.get("cmd")) if isinstance(body.get("cmd"), str) else []
        if isinstance(body.get("cmd"), list):
            task.commands.append(shlex.join(map(str, body["cmd"])))
        task.commands += _strings(body.get("shell"))
        if isinstance(body.get("call"), str):
            task.references.append(str(body["call"]).split(":", 1)[0].strip())
        for command in _strings(body.get("composite")):
            first = command.split(maxsplit=1)[0] if command.split() else ""
            if first in scripts:
                task.runs_first.append(first)
            else:
                task.commands.append(command)
        yield task


def _native_tox(tox: Mapping[str, Any]) -> Iterator[Task]:
    """tox's own TOML: `[tool.tox.env_run_base]` and `[tool.tox.env.name]`, whose
    `commands` are lists of words."""
    defaults = [str(env) for env in _list(tox.get("env_list"))]
    base = _tox_commands(_table(tox.get("env_run_base")).get("commands"))
    envs = _table(tox.get("env"))
    if base:
        yield Task(
            "tox",
            "testenv",
            commands=base,
            default=not defaults or any(e not in envs for e in defaults),
            key="env_run_base",
        )
    for name, spec in envs.items():
        commands = _tox_commands(_table(spec).get("commands")) or base
        yield Task("tox", str(name), commands=commands, default=str(name) in defaults)


def _tox_commands(value: object) -> list[str]:
    return [shlex.join(map(str, words)) for words in _list(value) if isinstance(words, list)]


# tox.ini ---------------------------------------------------------------------------------
def tox_tasks(text: str) -> Iterator[Task]:
    """`[testenv:name]` sections and the `[testenv]` base (named `testenv`), which every
    environment without a section of its own (`py311`) runs. The default environments are
    those of `env_list`."""
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.read_string(text)
    section = "tox" if parser.has_section("tox") else "tox:tox"
    listed = parser.get(section, "env_list", fallback=parser.get(section, "envlist", fallback=""))
    defaults = {env.strip() for env in re.split(r"[,\n]", listed) if env.strip()}
    base = _ini_commands(parser, "testenv")
    envs = [name.partition(":")[2] for name in parser.sections() if name.startswith("testenv:")]
    if base:
        bare = not defaults or any(env not in envs for env in defaults)
        yield Task("tox", "testenv", commands=base, default=bare, key="testenv")
    for env in envs:
        commands = _ini_commands(parser, f"testenv:{env}") or base
        yield Task("tox", env, commands=commands, default=env in defaults)


def _ini_commands(parser: configparser.RawConfigParser, section: str) -> list[str]:
    text = "\n".join(parser.get(section, key, fallback="") for key in ("commands_pre", "commands"))
    joined = re.sub(r"[ \t]*\\\n\s*", " ", text)  # a line continued with `\`
    return [line.strip().lstrip("-!").strip() for line in joined.splitlines() if line.strip()]


# noxfile.py ------------------------------------------------------------------------------
def nox_tasks(text: str) -> Iterator[Task]:
    """The sessions of a noxfile, read from its syntax tree: `@nox.session` functions,
    what they `session.run` (constant words; anything else is `$ARG`), `session.chdir`
    and `session.notify`. The default sessions are `nox.options.sessions`, or all."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    defaults: set[str] | None = None
    sessions: list[Task] = []
    decorators = {"nox.session", "nox_poetry.session", "nox_uv.session"}
    for node in tree.body:  # `from nox import session as nox_session`
        if isinstance(node, ast.ImportFrom) and node.module in ("nox", "nox_poetry", "nox_uv"):
            decorators |= {
                alias.asname or alias.name for alias in node.names if alias.name == "session"
            }
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            _dotted(t) == "nox.options.sessions" for t in node.targets
        ):
            defaults = set(_constant_strings(node.value))
        elif isinstance(node, ast.FunctionDef) and node.args.args:
            decorator = next((d for d in node.decorator_list if _is_session(d, decorators)), None)
            if decorator is not None:
                sessions.append(_nox_session(node, decorator))
    for session in sessions:
        session.default = session.default and (defaults is None or session.name in defaults)
        yield session


def _is_session(decorator: ast.expr, names: set[str]) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return _dotted(target) in names


def _nox_session(function: ast.FunctionDef, decorator: ast.expr) -> Task:
    name, default = function.name, True
    if isinstance(decorator, ast.Call):
        for keyword in decorator.keywords:
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                name = str(keyword.value.value)
            elif keyword.arg == "default" and isinstance(keyword.value, ast.Constant):
                default = bool(keyword.value.value)
    task = Task("nox", name, default=default, key=function.name)
    session = function.args.args[0].arg
    for node in ast.walk(function):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if _dotted(node.func.value) != session:
            continue
        method = node.func.attr
        if method in ("run", "run_always"):
            task.commands.append(" ".join(_words(node.args)))
        elif method == "chdir" and node.args:
            task.commands.append(f"cd {' '.join(_words(node.args[:1]))}")
        elif method == "notify" and node.args:
            task.runs_first.extend(_constant_strings(node.args[0]))
    return task


def _words(arguments: Iterable[ast.expr]) -> list[str]:
    return [
        shlex.quote(argument.value)
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str)
        else "$ARG"
        for argument in arguments
    ]


def _constant_strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    return []


def _dotted(node: ast.expr) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


# shapes ----------------------------------------------------------------------------------
def _table(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    """A command or a list of them; anything else is nothing."""
    if isinstance(value, str):
        return [value]
    return [item for item in _list(value) if isinstance(item, str)]
