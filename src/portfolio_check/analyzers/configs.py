"""Operational configuration: Dockerfiles, compose files, DVC pipelines, pre-commit hooks
and Kubernetes manifests (CI configs are `ci`'s).

Each file becomes facts about what it would do if run (build an image, run the tests,
reproduce a pipeline), and a placeholder mark when it would do nothing that can be checked:
an empty Dockerfile. What a command does and which project modules and files it names
are read by `script_activity` and `command_links`, with the same rules for every kind of
file that holds commands (CI jobs and Makefiles included).
"""

from __future__ import annotations

import bisect
import json
import posixpath
import re
import shlex
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.ci import is_ci_config
from portfolio_check.analyzers.command_links import command_references, handler_references
from portfolio_check.analyzers.yaml_shapes import KeyLines, mapping, sequence, yaml_finding
from portfolio_check.common.safe_yaml import YamlError, load_yaml, load_yaml_documents
from portfolio_check.intake.snapshot import MAX_TEXT_BYTES, FileEntry
from portfolio_check.model.facts import (
    ComposeServiceFact,
    DockerfileFact,
    DvcStageFact,
    Fact,
    K8sResourceFact,
    PrecommitHookFact,
)
from portfolio_check.model.location import Location

COMPOSE_FILES = frozenset(
    {"docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"}
)
PRECOMMIT_CONFIG = ".pre-commit-config.yaml"
#: Folders whose YAML files are read as Kubernetes manifests, at any depth.
K8S_FOLDERS = frozenset(
    {"k8s", "kubernetes", "manifests", "deploy", "deployment", "helm", "charts", "kustomize"}
)
#: Base images of AWS Lambda container images: their CMD names a handler, not a program.
LAMBDA_IMAGE = re.compile(r"^(public\.ecr\.aws/lambda/|amazon/aws-lambda-)")
_API_VERSION_LINE = re.compile(r"^['\"]?apiVersion['\"]?\s*:", re.MULTILINE)
_KIND_LINE = re.compile(r"^['\"]?kind['\"]?\s*:", re.MULTILINE)


def is_dockerfile(name: str) -> bool:
    lower = name.lower()
    return lower == "dockerfile" or lower.startswith("dockerfile.") or lower.endswith(".dockerfile")


def is_config_file(entry: FileEntry) -> bool:
    """The files `ConfigAnalyzer` reads, from the path alone."""
    name = entry.name.lower()
    return is_dockerfile(name) or name in COMPOSE_FILES or name in ("dvc.yaml", PRECOMMIT_CONFIG)


class ConfigAnalyzer:
    name = "configs"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return is_config_file(entry)

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        name = entry.name.lower()
        if is_dockerfile(name):
            yield dockerfile_fact(entry.path, text)
            return
        try:
            document = load_yaml(text)
        except YamlError as error:
            yield yaml_finding(entry, self.name, error)
            return
        if name in COMPOSE_FILES:
            yield from compose_facts(entry.path, text, document)
        elif name == "dvc.yaml":
            yield from dvc_facts(entry.path, text, document)
        else:
            yield from precommit_facts(entry.path, text, document)


class KubernetesAnalyzer:
    """Kubernetes manifests: YAML files under a deployment folder (`k8s/`, `helm/`...), or
    anywhere when they hold top-level `apiVersion:` and `kind:` lines. Any YAML file may be
    one, so `wants` takes every YAML file that `ConfigAnalyzer` does not and that is not a
    CI config by its path, and `analyze` looks."""

    name = "kubernetes"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return (
            entry.suffix in (".yaml", ".yml")
            and not is_config_file(entry)
            and not is_ci_config(entry.path)
        )

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        folders = [part.lower() for part in entry.parts[:-1]]
        in_folder = any(folder in K8S_FOLDERS for folder in folders)
        if not in_folder and not (_API_VERSION_LINE.search(text) and _KIND_LINE.search(text)):
            return
        try:
            documents = load_yaml_documents(text)
        except YamlError as error:
            # a Helm template is YAML only once rendered: its `{{ }}` rarely parse
            if not ("templates" in folders and "{{" in text):
                yield yaml_finding(entry, self.name, error)
            return
        yield from k8s_facts(entry.path, text, documents)


# Dockerfile ------------------------------------------------------------------------------
def dockerfile_instructions(text: str) -> list[tuple[int, str, str]]:
    """(line, INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions: list[tuple[int, str, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # blank and comment lines, even inside a continued instruction
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1].strip())
            continue
        pending.append(line)
        joined = " ".join(part for part in pending if part)
        pending = []
        keyword, _, arguments = joined.partition(" ")
        instructions.append((start, keyword.upper(), arguments.strip()))
    return instructions


def dockerfile_fact(path: str, text: str) -> DockerfileFact:
    instructions = dockerfile_instructions(text)
    images = (_image(args) for _, kw, args in instructions if kw == "FROM")
    base = next((image for image in images if image), None)
    cmd = next((args for _, kw, args in reversed(instructions) if kw == "CMD"), None)
    entrypoint = next((args for _, kw, args in reversed(instructions) if kw == "ENTRYPOINT"), None)
    command = _effective_command(entrypoint, cmd)
    runs = _effective_command(entrypoint, cmd, form=_exec_as_shell)
    placeholder = None
    if not instructions:
        placeholder = "an empty Dockerfile"
    elif base is None:
        placeholder = "a Dockerfile with no FROM instruction"
    workdir, copies = _image_files(instructions)
    references = command_references(runs) if runs else ()
    if cmd and is_lambda_image(base, entrypoint):  # CMD ["app.handler"]: the handler to call
        items = _quoted_items(cmd) if cmd.startswith("[") else cmd.split()
        references = handler_references(items[0]) if items else ()
    return DockerfileFact(
        location=Location(path=path, line=instructions[0][0] if instructions else None),
        base_image=base,
        command=command,
        instructions=len(instructions),
        exposes=any(kw == "EXPOSE" for _, kw, _ in instructions),
        placeholder=placeholder,
        references=references,
        workdir=workdir,
        copy_sources=tuple(source for source, _ in copies),
        copy_targets=tuple(target for _, target in copies),
    )


#: COPY and ADD sources, and WORKDIR values, kept per Dockerfile (a bound on crafted input).
MAX_COPIES = 200


def _image_files(
    instructions: list[tuple[int, str, str]],
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The final WORKDIR, and what COPY/ADD put where, read for the last build stage (an
    earlier stage's files reach it only by `COPY --from`, which names no repository file).
    Destinations are made absolute against the WORKDIR of their moment."""
    workdir = "/"
    copies: list[tuple[str, str]] = []
    for _, keyword, arguments in instructions:
        if keyword == "FROM":
            workdir, copies = "/", []
        elif keyword == "WORKDIR" and arguments and "$" not in arguments:
            workdir = posixpath.normpath(posixpath.join(workdir, arguments.strip("\"'")))
        elif keyword in ("COPY", "ADD") and len(copies) < MAX_COPIES:
            words = _copy_words(arguments)
            if len(words) >= 2 and not any(w.startswith("--from") for w in arguments.split()):
                *sources, destination = words
                folder = destination.endswith("/") or len(sources) > 1 or destination in (".", "./")
                target = posixpath.normpath(posixpath.join(workdir, destination))
                target = target.rstrip("/") + "/" if folder else target
                copies.extend((source, target) for source in sources if "$" not in source)
    return workdir, tuple(copies[:MAX_COPIES])


def _copy_words(arguments: str) -> list[str]:
    """The sources and destination of `COPY [--chown=x] a b dest` or `COPY ["a", "dest"]`."""
    if arguments.startswith("["):
        items = _quoted_items(arguments)
        return [item for item in items if not item.startswith("--")]
    return [word for word in arguments.split() if not word.startswith("--")]


def is_lambda_image(base: str | None, entrypoint: str | None = None) -> bool:
    """An AWS Lambda container image: a Lambda base image, or the runtime interface client
    as its entry point (`python -m awslambdaric`)."""
    return bool(base and LAMBDA_IMAGE.match(base)) or "awslambdaric" in (entrypoint or "")


def _image(arguments: str) -> str | None:
    """The image of `FROM [--platform=...] image [AS name]`."""
    return next((word for word in arguments.split() if not word.startswith("--")), None)


def _effective_command(
    entrypoint: str | None, cmd: str | None, form: Callable[[str], str] | None = None
) -> str | None:
    """What the container runs: an exec-form ENTRYPOINT takes CMD as its arguments, a
    shell-form one ignores CMD. `form` writes out an exec-form list (`_exec_form`)."""
    form = form or _exec_form
    if entrypoint and cmd and entrypoint.startswith("["):
        return f"{form(entrypoint)} {form(cmd)}"
    command = entrypoint or cmd
    return form(command) if command else None


def _exec_form(command: str) -> str:
    """`["uvicorn", "app:app"]` reads as `uvicorn app:app`."""
    if command.startswith("["):
        items = _quoted_items(command)
        return " ".join(items) if items else command
    return command


def _quoted_items(text: str) -> list[str]:
    """The double-quoted strings of `text` as written (escapes kept), in one pass: a regex
    retried at every quote of an unclosed string is quadratic in its length."""
    items: list[str] = []
    start: int | None = None  # where the open string's text starts
    index = 0
    while index < len(text):
        char = text[index]
        if start is None:
            if char == '"':
                start = index + 1
        elif char == "\\":
            index += 1  # the escaped character, whatever it is
        elif char == '"':
            items.append(text[start:index])
            start = None
        index += 1
    return items


def _exec_as_shell(command: str) -> str:
    """An exec-form list as the shell command it amounts to, each item quoted, so that
    `["sh", "-c", "uvicorn api:app"]` keeps its script in one word."""
    if command.startswith("["):
        try:
            items = json.loads(command)
        except ValueError:
            return command
        if isinstance(items, list) and all(isinstance(item, str) for item in items):
            return shlex.join(items)
    return command


# docker compose --------------------------------------------------------------------------
def compose_facts(path: str, text: str, document: object) -> Iterator[ComposeServiceFact]:
    services = mapping(mapping(document).get("services"))
    lines = KeyLines(text, parent="services")
    for service, spec in services.items():
        body = mapping(spec)
        image = body.get("image")
        yield ComposeServiceFact(
            location=Location(path=path, line=lines.get(str(service))),
            service=str(service),
            image=str(image) if image else None,
            builds="build" in body,
            healthcheck="healthcheck" in body,
            placeholder=None if body.get("image") or "build" in body else "a service with no image",
        )


# DVC -------------------------------------------------------------------------------------
def dvc_facts(path: str, text: str, document: object) -> Iterator[DvcStageFact]:
    lines = KeyLines(text, parent="stages")
    for stage, spec in mapping(mapping(document).get("stages")).items():
        body = mapping(spec)
        cmd = body.get("cmd")
        command = " && ".join(map(str, cmd)) if isinstance(cmd, list) else str(cmd or "")
        yield DvcStageFact(
            location=Location(path=path, line=lines.get(str(stage))),
            stage=str(stage),
            command=command,
            deps=len(sequence(body.get("deps"))),
            outs=len(sequence(body.get("outs"))),
            placeholder=None if command.strip() else "a stage with no command",
            references=command_references(command),
        )


# pre-commit ------------------------------------------------------------------------------
def precommit_facts(path: str, text: str, document: object) -> Iterator[PrecommitHookFact]:
    lines = _HookLines(text)
    cursor = 0  # hooks are found in order, so a hook id used twice gets each its own line
    for repo_spec in sequence(mapping(document).get("repos")):
        repo = mapping(repo_spec)
        for hook_spec in sequence(repo.get("hooks")):
            hook = mapping(hook_spec).get("id")
            if not hook:
                continue
            found = lines.after(str(hook), cursor)
            cursor = cursor if found is None else found
            yield PrecommitHookFact(
                location=Location(path=path, line=found),
                hook=str(hook),
                repo=str(repo.get("repo") or ""),
            )


#: `id: ruff`, `- id: 'ruff'`, `{id: ruff, ...}`: the id as written, up to `,`, `}` or `#`.
_HOOK_ID = re.compile(
    r"""(?:^|(?<=[\s{,-]))id[^\S\n]*:[^\S\n]*(?:(['"])([^'"\n]*)\1|([^'"\s,}#][^,}#\n]*))"""
)


class _HookLines:
    """The lines where each hook id is written, indexed in one pass: a search per hook
    would be quadratic in a config of thousands of hooks (or of ids it cannot find)."""

    def __init__(self, text: str) -> None:
        self._lines: dict[str, list[int]] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _HOOK_ID.finditer(line):
                quoted, plain = match.group(2), match.group(3)
                if quoted is not None and not _ends_value(line, match.end()):
                    continue
                hook = quoted if quoted is not None else plain.rstrip()
                found = self._lines.setdefault(hook, [])
                if not found or found[-1] != number:
                    found.append(number)

    def after(self, hook: str, line: int) -> int | None:
        """The first line after `line` (1-based; 0 for the start) that declares `hook`."""
        found = self._lines.get(hook, [])
        index = bisect.bisect_right(found, line)
        return found[index] if index < len(found) else None


def _ends_value(line: str, end: int) -> bool:
    """Whether a quoted id is the whole value: only spaces, then `,`, `}`, `#` or the end."""
    rest = line[end:].lstrip()
    return not rest or rest[0] in ",}#"


# Kubernetes ------------------------------------------------------------------------------
def k8s_facts(path: str, text: str, documents: list[Any]) -> Iterator[K8sResourceFact]:
    # each document's top-level `kind:` line, in order (a document's own keys are unindented)
    kind_lines = (n for n, line in enumerate(text.splitlines(), 1) if _KIND_LINE.match(line))
    for document in documents:
        body = mapping(document)
        line = next(kind_lines, None) if "kind" in body else None
        if not body.get("apiVersion") or not body.get("kind"):
            continue
        kind, spec = str(body["kind"]), body.get("spec")
        name = mapping(body.get("metadata")).get("name")
        images = (str(node["image"]) for node in _nodes(spec) if isinstance(node.get("image"), str))
        yield K8sResourceFact(
            location=Location(path=path, line=line),
            api_version=str(body["apiVersion"]),
            resource=kind,
            name=str(name) if name else "",
            images=tuple(dict.fromkeys(image for image in images if image)),
            schedule=_schedule(kind, spec),
            probes=any("readinessProbe" in n or "livenessProbe" in n for n in _nodes(spec)),
        )


def _nodes(value: object) -> Iterator[Mapping[Any, Any]]:
    """Every mapping inside `value`, in document order: the containers of a Deployment, a
    CronJob's job template, a KServe predictor. Walked without recursion, each shared
    (aliased) node once."""
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, Mapping):
            yield item
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _schedule(kind: str, spec: object) -> str | None:
    if kind not in ("CronJob", "CronWorkflow"):  # Kubernetes and Argo
        return None
    body = mapping(spec)
    schedule = body.get("schedule") or ", ".join(map(str, sequence(body.get("schedules"))))
    return str(schedule) if schedule else None
