"""How a shell command is read into words, statically: the simple commands of a line
(`&&`, `;`, `|`, newlines), the folder each starts in as far as `cd` says, and the layers
of wrapping in front of the command that does the work (variables, `sudo`, `env`,
`uv run`, `docker run IMAGE`). Nothing is ever run.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator

PYTHON_PROGRAM = re.compile(r"^python(?:\d+(?:\.\d+)?)?$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")
_SHELL_PUNCTUATION = "();<>|&\n"
#: Variables, prefixes (`sudo`, `env`) and wrappers (`uv run`, `docker run IMAGE`) read in
#: front of a command: real commands have a few; what follows more is taken as it stands.
_MAX_LAYERS = 32
UNRESOLVED = re.compile(r"[$`{}*?<>]")  # variables, globs, templates: nothing to name
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


def located_commands(command: str) -> Iterator[tuple[str, list[str], bool]]:
    """Each simple command with the folder it starts in, as far as `cd` says (relative to
    where the whole command started), and whether a `cd` went somewhere that cannot be
    known (`cd /tmp`, `cd lab$(N)`): the folder is then the last one known."""
    folder, lost = "", False
    for words in _simple_commands(command):
        if len(words) == 2 and words[0] == "cd":
            target = words[1]
            if target.startswith(("/", "~", "-")) or UNRESOLVED.search(target):
                lost = True
            else:
                folder = posixpath.normpath(posixpath.join(folder, target))
            continue
        yield folder, words, lost


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


def command_layers(words: list[str]) -> list[tuple[dict[str, str], list[str]]]:
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


def _skip_options(words: list[str]) -> list[str]:
    index = 0  # one slice at the end: `sudo -E -E -E ...` stays linear
    while index < len(words) and words[index].startswith("-") and words[index] != "-":
        if words[index] == "--":
            return words[index + 1 :]
        index += 2 if words[index] in _OPTION_VALUES else 1
    return words[index:]


# containers ------------------------------------------------------------------------------
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
