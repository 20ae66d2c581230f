"""Operational configuration: Dockerfiles, compose files, CI workflows, DVC pipelines,
pre-commit hooks and Kubernetes manifests.

Each file becomes facts about what it would do if run (build an image, run the tests,
reproduce a pipeline), and a placeholder mark when it would do nothing that can be checked:
an empty Dockerfile, or a workflow whose steps only echo. What a command does and which
project modules and files it names are read by `automation`, with the same rules for
every kind of file that holds commands (Makefiles included).
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import posixpath
import re
import shlex
from collections.abc import Callable, Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

from portfolio_check.analyzers.automation import (
    command_references,
    handler_references,
    script_activity,
)
from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.facts import (
    ComposeServiceFact,
    DockerfileFact,
    DvcStageFact,
    Fact,
    FindingFact,
    K8sResourceFact,
    PrecommitHookFact,
    WorkflowJobFact,
)
from portfolio_check.safe_yaml import YamlError, load_yaml, load_yaml_documents
from portfolio_check.snapshot import MAX_TEXT_BYTES, FileEntry, Location

IMAGE_ACTIONS = ("docker/build-push-action", "docker/bake-action")
#: Actions that deploy whatever they are given (an image push is read from `with: push`).
DEPLOY_ACTIONS = (
    "google-github-actions/deploy-cloudrun",
    "google-github-actions/deploy-cloud-functions",
    "google-github-actions/deploy-appengine",
    "aws-actions/amazon-ecs-deploy-task-definition",
    "aws-actions/aws-cloudformation-github-deploy",
    "azure/webapps-deploy",
    "azure/container-apps-deploy-action",
    "akhileshns/heroku-deploy",
)
SETUP_ACTIONS = (
    "actions/checkout",
    "actions/setup-python",
    "actions/cache",
    "actions/upload-artifact",
)
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


def is_github_workflow(path: str) -> bool:
    pure = PurePosixPath(path)
    return pure.parent.as_posix() == ".github/workflows" and pure.suffix.lower() in (
        ".yml",
        ".yaml",
    )


def is_config_file(entry: FileEntry) -> bool:
    """The files `ConfigAnalyzer` reads, from the path alone."""
    name = entry.name.lower()
    return (
        is_dockerfile(name)
        or name in COMPOSE_FILES
        or name in ("dvc.yaml", ".gitlab-ci.yml", PRECOMMIT_CONFIG)
        or is_github_workflow(entry.path)
    )


def yaml_finding(entry: FileEntry, analyzer: str, error: YamlError) -> FindingFact:
    return FindingFact(
        location=Location(path=entry.path),
        analyzer=analyzer,
        message=f"{entry.name} is not valid YAML: {error}",
    )


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
        elif name == ".gitlab-ci.yml":
            yield from gitlab_facts(entry.path, text, document)
        elif name == PRECOMMIT_CONFIG:
            yield from precommit_facts(entry.path, text, document)
        else:
            yield from github_facts(entry.path, text, document)


class KubernetesAnalyzer:
    """Kubernetes manifests: YAML files under a deployment folder (`k8s/`, `helm/`...), or
    anywhere when they hold top-level `apiVersion:` and `kind:` lines. Any YAML file may be
    one, so `wants` takes every YAML file `ConfigAnalyzer` does not, and `analyze` looks."""

    name = "kubernetes"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return entry.suffix in (".yaml", ".yml") and not is_config_file(entry)

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
    services = _mapping(_mapping(document).get("services"))
    lines = _KeyLines(text, parent="services")
    for service, spec in services.items():
        body = _mapping(spec)
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
    lines = _KeyLines(text, parent="stages")
    for stage, spec in _mapping(_mapping(document).get("stages")).items():
        body = _mapping(spec)
        cmd = body.get("cmd")
        command = " && ".join(map(str, cmd)) if isinstance(cmd, list) else str(cmd or "")
        yield DvcStageFact(
            location=Location(path=path, line=lines.get(str(stage))),
            stage=str(stage),
            command=command,
            deps=len(_sequence(body.get("deps"))),
            outs=len(_sequence(body.get("outs"))),
            placeholder=None if command.strip() else "a stage with no command",
            references=command_references(command),
        )


# pre-commit ------------------------------------------------------------------------------
def precommit_facts(path: str, text: str, document: object) -> Iterator[PrecommitHookFact]:
    lines = _HookLines(text)
    cursor = 0  # hooks are found in order, so a hook id used twice gets each its own line
    for repo_spec in _sequence(_mapping(document).get("repos")):
        repo = _mapping(repo_spec)
        for hook_spec in _sequence(repo.get("hooks")):
            hook = _mapping(hook_spec).get("id")
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
        body = _mapping(document)
        line = next(kind_lines, None) if "kind" in body else None
        if not body.get("apiVersion") or not body.get("kind"):
            continue
        kind, spec = str(body["kind"]), body.get("spec")
        name = _mapping(body.get("metadata")).get("name")
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
    body = _mapping(spec)
    schedule = body.get("schedule") or ", ".join(map(str, _sequence(body.get("schedules"))))
    return str(schedule) if schedule else None


# CI --------------------------------------------------------------------------------------
def github_facts(path: str, text: str, document: object) -> Iterator[WorkflowJobFact]:
    workflow = _mapping(document)
    triggers = _triggers(workflow.get("on", workflow.get(True)))  # YAML 1.1 reads `on` as True
    name = str(workflow.get("name") or PurePosixPath(path).name)
    lines = _KeyLines(text, parent="jobs")
    for job_id, spec in _mapping(workflow.get("jobs")).items():
        job = _mapping(spec)
        steps = [_mapping(step) for step in _sequence(job.get("steps"))]
        runs = [str(step["run"]) for step in steps if step.get("run")]
        uses = [str(step["uses"]) for step in steps if step.get("uses")]
        if job.get("uses"):
            uses.append(str(job["uses"]))
        line = lines.get(str(job_id))
        fact = _job_fact("github-actions", path, line, name, str(job_id), triggers, runs, uses)
        if not fact.deploys and any(_deploy_step(step) for step in steps):
            fact = dataclasses.replace(fact, deploys=True)
        yield fact


def _deploy_step(step: Mapping[Any, Any]) -> bool:
    """A step that deploys through an action, or pushes the image it builds."""
    uses = str(step.get("uses") or "")
    if uses.startswith(DEPLOY_ACTIONS):
        return True
    push = _mapping(step.get("with")).get("push")
    return uses.startswith(IMAGE_ACTIONS) and (push is True or str(push).lower() == "true")


def gitlab_facts(path: str, text: str, document: object) -> Iterator[WorkflowJobFact]:
    pipeline = _mapping(document)
    resolved: dict[str, Mapping[Any, Any]] = {}
    lines = _KeyLines(text)
    for job_id in pipeline:
        job = _extended(pipeline, str(job_id), resolved, (str(job_id),))
        if str(job_id).startswith(".") or "script" not in job:
            continue
        runs = [
            str(line)
            for key in ("before_script", "script")
            for line in (_sequence(job.get(key)) or [job.get(key)])
            if line
        ]
        scheduled = "schedule" in repr(job.get("rules", "")) or "schedules" in repr(
            job.get("only", "")
        )
        triggers = ("push", "schedule") if scheduled else ("push",)
        line = lines.get(str(job_id))
        yield _job_fact("gitlab-ci", path, line, ".gitlab-ci.yml", str(job_id), triggers, runs, [])


def _extended(
    pipeline: Mapping[Any, Any],
    job_id: str,
    resolved: dict[str, Mapping[Any, Any]],
    chain: tuple[str, ...],
) -> Mapping[Any, Any]:
    """A GitLab job with the keys it inherits through `extends` (its own keys win)."""
    if job_id not in resolved:
        job = _mapping(pipeline.get(job_id))
        parents = job.get("extends")
        merged: dict[Any, Any] = {}
        named = [parents] if isinstance(parents, str) else _sequence(parents)
        for parent in dict.fromkeys(map(str, named)):  # each parent once
            if str(parent) not in chain and len(chain) <= 11:  # GitLab allows 11 levels
                merged.update(_extended(pipeline, str(parent), resolved, (*chain, str(parent))))
        resolved[job_id] = {**merged, **job}
    return resolved[job_id]


def _job_fact(
    system: str,
    path: str,
    line: int | None,
    workflow: str,
    job: str,
    triggers: tuple[str, ...],
    runs: list[str],
    uses: list[str],
) -> WorkflowJobFact:
    activity = script_activity(runs)
    fact = WorkflowJobFact(
        location=Location(path=path, line=line),
        system=system,
        workflow=workflow,
        job=job,
        triggers=triggers,
        runs_tests=activity.runs_tests,
        builds_image=activity.builds_image or any(u.startswith(IMAGE_ACTIONS) for u in uses),
        runs_pipeline=activity.runs_pipeline,
        lints=activity.lints,
        deploys=activity.deploys,
        provisions=activity.provisions,
        scheduled="schedule" in triggers,
        references=command_references("\n".join(runs)),
    )
    if not activity.commands and all(u.startswith(SETUP_ACTIONS) for u in uses):
        return dataclasses.replace(fact, placeholder="a CI job that only echoes")
    return fact


def _triggers(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    if isinstance(value, Mapping):
        return tuple(str(key) for key in value)
    return ()


def _mapping(value: object) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


def _sequence(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


class _KeyLines:
    """The line of each `key:` of a YAML block mapping: the top-level keys, or the direct
    children of top-level `parent:` (so a service named in another service's `depends_on:`
    does not count). Indexed in one pass, since a workflow may hold thousands of jobs."""

    def __init__(self, text: str, parent: str | None = None) -> None:
        self._lines: dict[str, int] = {}
        lines = text.splitlines()
        start, indent = 0, 0
        if parent is not None:
            heading = re.compile(rf"^['\"]?{re.escape(parent)}['\"]?[^\S\n]*:")
            start = next((n for n, line in enumerate(lines, 1) if heading.match(line)), 0)
            indent = -1  # the indentation of the first child, once seen
        for number, line in enumerate(lines[start:], start=start + 1):
            content = line.lstrip()
            if not content or content.startswith("#"):
                continue
            depth = len(line) - len(content)
            if parent is not None and depth == 0:
                break  # past the end of the parent's block
            indent = depth if indent < 0 else indent
            if depth == indent:
                for key in _written_keys(content):
                    self._lines.setdefault(key, number)

    def get(self, key: str) -> int | None:
        return self._lines.get(key)


_KEY_END = re.compile(r":(?=\s|$)")


def _written_keys(content: str) -> Iterator[str]:
    """The key a mapping line starts with, as written: `name: x` and `"name": x` give
    `name`; a quoted key may hold `: ` (`"a: b": x` gives `a: b`)."""
    quote = content[0]
    if quote in "'\"":
        close = content.find(quote, 1)
        if close > 0 and content[close + 1 :].lstrip().startswith(":"):
            yield content[1:close]
    end = _KEY_END.search(content)
    if end is not None:
        key = content[: end.start()].rstrip()
        yield key
        if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"":
            yield key[1:-1]
