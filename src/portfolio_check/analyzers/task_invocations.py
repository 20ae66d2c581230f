"""What a shell command hands over to: the tasks and scripts it starts (`make -C api test`,
`just ci`, `nox -s lint`, `tox -e py311`, `./tasks/unit_test.sh`, `sbatch jobs/train.sh`),
each an `Invocation` from the folder it starts in. Nothing is looked up here: whether
the task exists, and what it does, is the linker's question (`task_graph`).
"""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from portfolio_check.analyzers.shell_syntax import (
    PYTHON_PROGRAM,
    UNRESOLVED,
    command_layers,
    located_commands,
)

#: The runners whose tasks the linker can look up, by how a command starts them.
TASK_RUNNERS = (
    "make", "just", "mise", "poe", "hatch", "pdm", "taskipy", "nox", "tox", "script",
    "action", "workflow",  # a local GitHub composite action, a reusable workflow (`ci`)
)  # fmt: skip
MAX_INVOCATIONS = 64  # per fact: a file of ten thousand `make` lines names the first few
#: Folders that hold installed tools, not the project's scripts (`.venv/bin/pytest`).
_TOOL_FOLDERS = frozenset(
    {"venv", ".venv", "env", "node_modules", ".bin", ".tox", ".nox", "site-packages"}
)
#: What a script run by its path (`./tasks/test`) may end with.
_SCRIPT_SUFFIXES = frozenset({"", ".sh", ".bash", ".zsh"})
#: Shell scripts by their suffix: read as tasks (`shell_scripts`), and when sourced.
SCRIPT_SUFFIXES = frozenset({".sh", ".bash"})
#: The files make reads when no `-f` names one (`makefiles` reads them as tasks).
MAKEFILES = frozenset({"Makefile", "makefile", "GNUmakefile"})


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


def _script_invocations(script: str, folder: str) -> list[Invocation]:
    """The invocations of a script that starts in `folder`; none after a `cd` to a place
    that cannot be known."""
    found: list[Invocation] = []
    for inner, words, lost in located_commands(script):
        start = _in(folder, inner)
        if not lost and start is not None:
            found.extend(simple_command_invocations(words, start))
        if len(found) >= MAX_INVOCATIONS:
            break
    return found


def simple_command_invocations(words: list[str], folder: str) -> list[Invocation]:
    layers = command_layers(words)
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
    elif (
        PYTHON_PROGRAM.match(program) and words[1:2] == ["-m"] and words[2:3] in (["nox"], ["tox"])
    ):
        found.extend(_INVOKERS[words[2]](words[3:], folder))
    elif "/" in words[0]:
        found.extend(_script(words[0], folder, by_path=True))
    return found


def _in(folder: str, relative: str) -> str | None:
    """`relative` from `folder` (`..` may lead above it: the linker knows where it
    started), or None when it cannot be known."""
    if UNRESOLVED.search(relative) or relative.startswith(("/", "~")):
        return None
    joined = posixpath.normpath(posixpath.join(folder, relative))
    return "" if joined == "." else joined


def _script(path: str, folder: str, *, by_path: bool = False) -> list[Invocation]:
    """A shell script run by `bash path` or (`by_path`) as `./path`; not an installed tool
    (`.venv/bin/pytest`), and by its path only a script's suffix or none."""
    pure = PurePosixPath(path)
    if UNRESOLVED.search(path) or not pure.name or pure.suffix == ".py":
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
    chosen = [name for name in given if not UNRESOLVED.search(name)]
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
