"""CI configs: GitHub Actions, GitLab CI, CircleCI, Google Cloud Build, AWS CodeBuild,
Azure Pipelines, Bitbucket Pipelines and Jenkinsfiles, each job a `WorkflowJobFact`.

A job is read for what its commands do (`automation`'s rules), which project files they
name, and which tasks and scripts they hand over to (`make test`, `./tasks/unit_test.sh`),
each from the folder the job runs in. What those tasks do is the linker's to add
(`task_graph`). Only GitHub and GitLab say in the file what starts a job; the others run
on every push unless the file declares a schedule (CircleCI `triggers`, Azure
`schedules`, a Jenkins `cron`), or are started by hand (Bitbucket `custom`).
"""

from __future__ import annotations

import bisect
import dataclasses
import posixpath
import re
import shlex
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

from portfolio_check.analyzers.automation import Invocation, command_links, script_activity
from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.yaml_shapes import KeyLines, mapping, sequence, yaml_finding
from portfolio_check.facts import Fact, TaskFact, WorkflowJobFact
from portfolio_check.safe_yaml import YamlError, load_yaml
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
#: Actions that run linters (pre-commit hooks, ruff, black, flake8, a super-linter).
LINT_ACTIONS = (
    "pre-commit/action",
    "pre-commit-ci/lite-action",
    "astral-sh/ruff-action",
    "chartboost/ruff-action",
    "jpetrucciani/ruff-check",
    "psf/black",
    "py-actions/flake8",
    "reviewdog/action-flake8",
    "wearerequired/lint-action",
    "super-linter/super-linter",
    "github/super-linter",
)
#: Builders whose job is to build an image (Cloud Build steps, Azure tasks).
IMAGE_BUILDERS = re.compile(r"kaniko-project/executor|^Docker@\d")
_TOP_LEVEL_STEPS = re.compile(r"^['\"]?steps['\"]?[^\S\n]*:", re.MULTILINE)
_CIRCLECI_ROOT = "~/project"  # where CircleCI checks out, unless a job says otherwise
_MAX_COMMAND_DEPTH = 4  # CircleCI commands made of commands


def is_github_workflow(path: str) -> bool:
    pure = PurePosixPath(path)
    return pure.parent.as_posix() == ".github/workflows" and pure.suffix.lower() in (
        ".yml",
        ".yaml",
    )


def ci_system(path: str) -> str | None:
    """The CI system a file configures, from its path alone (Cloud Build configs with
    another name are recognised by their content)."""
    pure = PurePosixPath(path)
    name, suffix = pure.name.lower(), pure.suffix.lower()
    if name == "jenkinsfile" or name.startswith("jenkinsfile."):
        return "jenkins"
    if suffix not in (".yml", ".yaml"):
        return None
    if is_github_workflow(path):
        return "github-actions"
    if name == ".gitlab-ci.yml":
        return "gitlab-ci"
    if pure.parent.name == ".circleci":
        return "circleci"
    if name.startswith("cloudbuild"):
        return "cloud-build"
    if name.startswith("buildspec"):
        return "codebuild"
    if name.startswith("azure-pipelines"):
        return "azure-pipelines"
    if name == "bitbucket-pipelines.yml":
        return "bitbucket-pipelines"
    return None


def is_ci_config(path: str) -> bool:
    return ci_system(path) is not None


class CiAnalyzer:
    """Every CI config. Any YAML file may be a Cloud Build config (`steps:` of builder
    images), so it takes every YAML file and reads the others only when a top-level
    `steps:` line is there."""

    name = "ci"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return entry.suffix in (".yml", ".yaml") or ci_system(entry.path) == "jenkins"

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        system = ci_system(entry.path)
        if system == "jenkins":
            yield from jenkins_facts(entry.path, text)
            return
        if system is None and entry.name not in ACTION_FILES and not _TOP_LEVEL_STEPS.search(text):
            return
        try:
            document = load_yaml(text)
        except YamlError as error:
            if system is not None:  # any other YAML is not ours to judge
                yield yaml_finding(entry, self.name, error)
            return
        if system is None:
            if entry.name in ACTION_FILES:
                yield from composite_action_fact(entry.path, text, document)
            elif is_cloud_build(document):
                yield from cloud_build_facts(entry.path, text, document)
            return
        yield from _READERS[system](entry.path, text, document)


# a job -----------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Run:
    """A script a job runs, and the folder it starts in (relative to the repository)."""

    script: str
    folder: str = ""

    def located(self) -> str:
        return f"cd {shlex.quote(self.folder)}\n{self.script}" if self.folder else self.script


def job_fact(
    system: str,
    path: str,
    line: int | None,
    workflow: str,
    job: str,
    triggers: tuple[str, ...],
    runs: Iterable[Run],
    uses: Iterable[str] = (),
    *,
    builds_image: bool = False,
    deploys: bool = False,
) -> WorkflowJobFact:
    """A job from what it runs: each script read from its own folder (a `cd` in one
    GitHub step does not carry to the next), and the actions or builders it uses; a
    local action or reusable workflow (`./.github/actions/setup`) is handed over to."""
    scripts = [run.located() for run in runs if run.script.strip()]
    uses = list(uses)
    local = tuple(_local_uses(uses))
    activity = script_activity(scripts)
    links = [command_links(script) for script in scripts]
    fact = WorkflowJobFact(
        location=Location(path=path, line=line),
        system=system,
        workflow=workflow,
        job=job,
        triggers=triggers,
        runs_tests=activity.runs_tests,
        builds_image=builds_image
        or activity.builds_image
        or any(u.startswith(IMAGE_ACTIONS) for u in uses),
        runs_pipeline=activity.runs_pipeline,
        lints=activity.lints or any(u.startswith(LINT_ACTIONS) for u in uses),
        deploys=deploys or activity.deploys,
        provisions=activity.provisions,
        scheduled="schedule" in triggers,
        references=_unique(ref for references, _ in links for ref in references),
        invokes=_unique((*(inv for _, invocations in links for inv in invocations), *local)),
    )
    if (
        not activity.commands
        and not builds_image
        and all(u.startswith(SETUP_ACTIONS) for u in uses)
    ):
        return dataclasses.replace(fact, placeholder="a CI job that only echoes")
    return fact


def _local_uses(uses: Iterable[str]) -> Iterator[str]:
    """`./.github/workflows/tests.yml` (a reusable workflow) and `./.github/actions/setup`
    (a composite action): the repository's own, so they can be followed."""
    for use in uses:
        if use.startswith("./") and not re.search(r"[$`{}*?@]", use):
            path = posixpath.normpath(use)
            runner = "workflow" if path.endswith((".yml", ".yaml")) else "action"
            yield Invocation(runner, "", path).encode()


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _folder(base: str, relative: object) -> str:
    """`relative` (a working directory as a config writes it) from `base`; the base when
    it names somewhere that cannot be known."""
    text = str(relative or "").strip()
    if not text or re.search(r"[$`{}*?]", text) or text.startswith(("/", "~")):
        return base
    joined = posixpath.normpath(posixpath.join(base, text))
    return "" if joined == "." or joined.startswith("..") else joined


# GitHub Actions --------------------------------------------------------------------------
def github_facts(path: str, text: str, document: object) -> Iterator[WorkflowJobFact]:
    workflow = mapping(document)
    triggers = _triggers(workflow.get("on", workflow.get(True)))  # YAML 1.1 reads `on` as True
    name = str(workflow.get("name") or PurePosixPath(path).name)
    folder = _working_directory("", workflow)
    lines = KeyLines(text, parent="jobs")
    for job_id, spec in mapping(workflow.get("jobs")).items():
        job = mapping(spec)
        job_folder = _working_directory(folder, job)
        steps = [mapping(step) for step in sequence(job.get("steps"))]
        runs = [
            Run(str(step["run"]), _folder(job_folder, step.get("working-directory")))
            for step in steps
            if step.get("run")
        ]
        uses = [str(step["uses"]) for step in steps if step.get("uses")]
        if job.get("uses"):
            uses.append(str(job["uses"]))
        line = lines.get(str(job_id))
        deploys = any(_deploy_step(step) for step in steps)
        yield job_fact(
            "github-actions", path, line, name, str(job_id), triggers, runs, uses, deploys=deploys
        )


def _deploy_step(step: Mapping[Any, Any]) -> bool:
    """A step that deploys through an action, or pushes the image it builds."""
    uses = str(step.get("uses") or "")
    if uses.startswith(DEPLOY_ACTIONS):
        return True
    push = mapping(step.get("with")).get("push")
    return uses.startswith(IMAGE_ACTIONS) and (push is True or str(push).lower() == "true")


def _working_directory(base: str, spec: Mapping[Any, Any]) -> str:
    """`defaults: run: working-directory:` of a workflow or a job."""
    return _folder(base, mapping(mapping(spec.get("defaults")).get("run")).get("working-directory"))


def _triggers(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    if isinstance(value, Mapping):
        return tuple(str(key) for key in value)
    return ()


# GitHub composite actions ----------------------------------------------------------------
ACTION_FILES = frozenset({"action.yml", "action.yaml"})


def composite_action_fact(path: str, text: str, document: object) -> Iterator[TaskFact]:
    """A composite action's steps as one task, named by its folder (as `uses:` names it).
    Its steps run where the job runs, not in the action's folder."""
    runs = mapping(mapping(document).get("runs"))
    if str(runs.get("using", "")).lower() != "composite":
        return
    steps = [mapping(step) for step in sequence(runs.get("steps"))]
    scripts = [str(step["run"]) for step in steps if step.get("run")]
    uses = [str(step["uses"]) for step in steps if step.get("uses")]
    activity = script_activity(scripts)
    links = [command_links(script) for script in scripts]
    yield TaskFact(
        location=Location(path=path, line=KeyLines(text).get("runs")),
        runner="action",
        name=posixpath.dirname(path) or ".",
        commands="\n".join(scripts),
        runs_tests=activity.runs_tests,
        builds_image=activity.builds_image or any(u.startswith(IMAGE_ACTIONS) for u in uses),
        runs_pipeline=activity.runs_pipeline,
        lints=activity.lints or any(u.startswith(LINT_ACTIONS) for u in uses),
        deploys=activity.deploys or any(_deploy_step(step) for step in steps),
        provisions=activity.provisions,
        references=_unique(ref for references, _ in links for ref in references),
        invokes=_unique(
            (*(inv for _, invocations in links for inv in invocations), *_local_uses(uses))
        ),
    )


# GitLab CI -------------------------------------------------------------------------------
def gitlab_facts(path: str, text: str, document: object) -> Iterator[WorkflowJobFact]:
    pipeline = mapping(document)
    resolved: dict[str, Mapping[Any, Any]] = {}
    lines = KeyLines(text)
    for job_id in pipeline:
        job = _extended(pipeline, str(job_id), resolved, (str(job_id),))
        if str(job_id).startswith(".") or "script" not in job:
            continue
        runs = [
            Run(str(line))
            for key in ("before_script", "script")
            for line in (sequence(job.get(key)) or [job.get(key)])
            if line
        ]
        scheduled = "schedule" in repr(job.get("rules", "")) or "schedules" in repr(
            job.get("only", "")
        )
        triggers = ("push", "schedule") if scheduled else ("push",)
        line = lines.get(str(job_id))
        yield job_fact("gitlab-ci", path, line, ".gitlab-ci.yml", str(job_id), triggers, runs)


def _extended(
    pipeline: Mapping[Any, Any],
    job_id: str,
    resolved: dict[str, Mapping[Any, Any]],
    chain: tuple[str, ...],
) -> Mapping[Any, Any]:
    """A GitLab job with the keys it inherits through `extends` (its own keys win)."""
    if job_id not in resolved:
        job = mapping(pipeline.get(job_id))
        parents = job.get("extends")
        merged: dict[Any, Any] = {}
        named = [parents] if isinstance(parents, str) else sequence(parents)
        for parent in dict.fromkeys(map(str, named)):  # each parent once
            if str(parent) not in chain and len(chain) <= 11:  # GitLab allows 11 levels
                merged.update(_extended(pipeline, str(parent), resolved, (*chain, str(parent))))
        resolved[job_id] = {**merged, **job}
    return resolved[job_id]


# CircleCI --------------------------------------------------------------------------------
def circleci_facts(path: str, text: str, document: object) -> Iterator[WorkflowJobFact]:
    """The jobs of a CircleCI config that a workflow runs (every job, with no workflows).
    A setup config that continues into another file (`config-path`) has no jobs of its
    own; the file it continues into is read as a config of its own. Commands run where
    the job's `working_directory` is, relative to where the code is checked out."""
    config = mapping(document)
    commands = mapping(config.get("commands"))
    workflows = {
        str(name): mapping(spec)
        for name, spec in mapping(config.get("workflows")).items()
        if isinstance(spec, Mapping)
    }
    runs_in = _circleci_workflows(workflows)
    lines = KeyLines(text, parent="jobs")
    for job_id, spec in mapping(config.get("jobs")).items():
        if workflows and str(job_id) not in runs_in:
            continue  # no workflow runs it
        job = mapping(spec)
        steps = _circleci_steps(sequence(job.get("steps")), commands, 0)
        folder, root = _circleci_folder(job, steps)
        runs = [
            Run(
                _rooted(
                    str(run.get("command")), root, _folder(folder, run.get("working_directory"))
                ),
                _folder(folder, run.get("working_directory")),
            )
            for run in steps
            if run.get("command")
        ]
        workflow, triggers = runs_in.get(str(job_id), (PurePosixPath(path).name, ("push",)))
        yield job_fact(
            "circleci", path, lines.get(str(job_id)), workflow, str(job_id), triggers, runs
        )


def _circleci_workflows(
    workflows: Mapping[str, Mapping[Any, Any]],
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each job a workflow runs: the first workflow's name, and whether any runs it on a
    schedule (`triggers: - schedule:`) or on pushes."""
    runs_in: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name, workflow in workflows.items():
        scheduled = any("schedule" in mapping(t) for t in sequence(workflow.get("triggers")))
        triggers = ("schedule",) if scheduled else ("push",)
        for item in sequence(workflow.get("jobs")):
            job = item if isinstance(item, str) else next(iter(mapping(item)), None)
            if job is None:
                continue
            first, known = runs_in.get(str(job), (name, ()))
            runs_in[str(job)] = (first, tuple(dict.fromkeys((*known, *triggers))))
    return runs_in


def _circleci_steps(
    steps: list[Any], commands: Mapping[Any, Any], depth: int
) -> list[Mapping[Any, Any]]:
    """The steps of a job as `run` bodies (`{command, working_directory}`) and `checkout`
    (`{checkout: path}`), with the config's own reusable commands written out."""
    found: list[Mapping[Any, Any]] = []
    for step in steps:
        name, body = (
            (step, None)
            if isinstance(step, str)
            else next(iter(mapping(step).items()), (None, None))
        )
        if name == "run":
            found.append(mapping(body) if isinstance(body, Mapping) else {"command": body})
        elif name == "checkout":
            found.append({"checkout": mapping(body).get("path")})
        elif name in commands and depth < _MAX_COMMAND_DEPTH:
            inner = sequence(mapping(commands[name]).get("steps"))
            found.extend(_circleci_steps(inner, commands, depth + 1))
    return found


def _circleci_folder(job: Mapping[Any, Any], steps: list[Mapping[Any, Any]]) -> tuple[str, str]:
    """(the folder of the repository the job runs in, where the repository is checked out
    as the job writes it): `working_directory: ~/project/api` with the code checked out in
    `~/project` runs in `api`."""
    working = str(job.get("working_directory") or _CIRCLECI_ROOT).rstrip("/")
    checkout = next((step for step in steps if "checkout" in step), None)
    root = str(checkout.get("checkout") or working).rstrip("/") if checkout else working
    if working == root or not working.startswith(root + "/"):
        return "", root
    return _folder("", working[len(root) + 1 :]), root


def _rooted(command: str, root: str, folder: str) -> str:
    """A command with the checkout's absolute path (`~/project/scripts/x.sh`) written
    relative to the folder it runs in."""
    if not root or root + "/" not in command:
        return command
    up = "../" * len(PurePosixPath(folder).parts) if folder else "./"
    return command.replace(root + "/", up)


# Google Cloud Build ----------------------------------------------------------------------
def is_cloud_build(document: object) -> bool:
    """A top-level `steps:` list of builder steps: an image `name` with `args`, an
    `entrypoint` or a `script`, and nothing that makes it a Kubernetes or Azure file."""
    build = mapping(document)
    if "apiVersion" in build or "kind" in build:
        return False
    steps = [mapping(step) for step in sequence(build.get("steps"))]
    return bool(steps) and all(
        isinstance(step.get("name"), str) and ({"args", "entrypoint", "script"} & set(step))
        for step in steps
    )


def cloud_build_facts(path: str, text: str, document: object) -> Iterator[WorkflowJobFact]:
    """One job per build config. A step runs its `script`, or its `entrypoint` with its
    `args`, or the builder's own tool (`gcr.io/cloud-builders/docker` runs `docker`).
    A build that clones the repository first works in the clone, so a step's `dir`
    then names the clone's folder rather than a folder of the repository."""
    build = mapping(document)
    steps = [mapping(step) for step in sequence(build.get("steps"))]
    commands = [_cloud_build_command(step) for step in steps]
    clones = any(re.match(r"git\s+clone\b", command) for command in commands)
    runs = [
        Run(command, "" if clones else _folder("", step.get("dir")))
        for step, command in zip(steps, commands, strict=True)
    ]
    builds = any(IMAGE_BUILDERS.search(str(step.get("name"))) for step in steps)
    line = KeyLines(text).get("steps")
    name = PurePosixPath(path)
    yield job_fact(
        "cloud-build", path, line, name.name, name.stem, ("push",), runs, builds_image=builds
    )


def _cloud_build_command(step: Mapping[Any, Any]) -> str:
    if isinstance(step.get("script"), str):
        return str(step["script"])
    args = [str(arg) for arg in sequence(step.get("args"))] or (
        shlex.split(str(step["args"])) if isinstance(step.get("args"), str) else []
    )
    builder = str(step.get("name") or "")
    if step.get("entrypoint"):
        return shlex.join([str(step["entrypoint"]), *args])
    if "/cloud-builders/" in builder:
        return shlex.join([builder.rsplit("/", 1)[-1].split(":", maxsplit=1)[0], *args])
    # options only (`--destination=...`): the image's own entrypoint runs with them, and
    # what it does is the builder's (`IMAGE_BUILDERS`), not a command to read
    return shlex.join(args)


# AWS CodeBuild ---------------------------------------------------------------------------
def codebuild_facts(path: str, text: str, document: object) -> Iterator[WorkflowJobFact]:
    """A buildspec's phases, in order. CodeBuild reads a buildspec from the root of the
    source it builds, so its commands run in the buildspec's folder."""
    phases = mapping(mapping(document).get("phases"))
    folder = posixpath.dirname(path)
    runs = [
        Run(str(command), folder)
        for phase in ("install", "pre_build", "build", "post_build")
        for command in sequence(mapping(phases.get(phase)).get("commands"))
        if command
    ]
    line = KeyLines(text).get("phases")
    yield job_fact("codebuild", path, line, PurePosixPath(path).name, "build", ("push",), runs)


# Azure Pipelines -------------------------------------------------------------------------
_AZURE_SCRIPTS = ("script", "bash", "pwsh", "powershell")


def azure_facts(path: str, text: str, document: object) -> Iterator[WorkflowJobFact]:
    """Every job of a pipeline (`steps:` alone is one job; `jobs:` or `stages:` hold
    several). Scripts, `Bash@3` and `PythonScript@0` tasks by their file, and
    `Docker@2` tasks that build."""
    pipeline = mapping(document)
    triggers = _azure_triggers(pipeline)
    jobs = [
        mapping(job)
        for stage in sequence(pipeline.get("stages"))
        for job in sequence(mapping(stage).get("jobs"))
    ]
    jobs += [mapping(job) for job in sequence(pipeline.get("jobs"))]
    if "steps" in pipeline:
        jobs.append({"job": "job", "steps": pipeline["steps"]})
    name = PurePosixPath(path).name
    lines = KeyLines(text)
    for job in jobs:
        job_id = str(job.get("job") or job.get("deployment") or "job")
        steps = [mapping(step) for step in sequence(job.get("steps"))]
        runs = [Run(str(step[key])) for step in steps for key in _AZURE_SCRIPTS if step.get(key)]
        builds = False
        for step in steps:
            task, inputs = str(step.get("task") or ""), mapping(step.get("inputs"))
            if task.startswith("Bash@") and inputs.get("filePath"):
                runs.append(Run(shlex.join(["bash", str(inputs["filePath"])])))
            elif task.startswith("PythonScript@") and inputs.get("scriptPath"):
                runs.append(Run(shlex.join(["python", str(inputs["scriptPath"])])))
            builds = builds or (
                bool(IMAGE_BUILDERS.search(task))
                and "build" in str(inputs.get("command", "build")).lower()
            )
        yield job_fact(
            "azure-pipelines",
            path,
            lines.get("jobs") or lines.get("stages") or lines.get("steps"),
            name,
            job_id,
            triggers,
            runs,
            builds_image=builds,
        )


def _azure_triggers(pipeline: Mapping[Any, Any]) -> tuple[str, ...]:
    """Pushes and pull requests unless turned off (`trigger: none`); `schedules:`."""
    triggers = []
    if pipeline.get("trigger", "") != "none":
        triggers.append("push")
    if pipeline.get("pr", "") != "none":
        triggers.append("pull_request")
    if pipeline.get("schedules"):
        triggers.append("schedule")
    return tuple(triggers)


# Bitbucket Pipelines ---------------------------------------------------------------------
_BITBUCKET_TRIGGERS = {
    "default": "push",
    "branches": "push",
    "tags": "push",
    "pull-requests": "pull_request",
    "custom": "manual",
}


def bitbucket_facts(path: str, text: str, document: object) -> Iterator[WorkflowJobFact]:
    """Each step of each pipeline: `default`, per branch, tag or pull request, or
    `custom` (started by hand or by a schedule set outside the file)."""
    pipelines = mapping(mapping(document).get("pipelines"))
    lines = KeyLines(text, parent="pipelines")
    for section, trigger in _BITBUCKET_TRIGGERS.items():
        spec = pipelines.get(section)
        groups = {section: spec} if isinstance(spec, list) else mapping(spec)
        for group, items in groups.items():
            for number, step in enumerate(_bitbucket_steps(sequence(items)), start=1):
                job = str(step.get("name") or f"{group} step {number}")
                runs = [
                    Run(str(line)) for line in sequence(step.get("script")) if isinstance(line, str)
                ]
                yield job_fact(
                    "bitbucket-pipelines",
                    path,
                    lines.get(section),
                    str(group),
                    job,
                    (trigger,),
                    runs,
                )


def _bitbucket_steps(items: list[Any]) -> Iterator[Mapping[Any, Any]]:
    for item in items:
        body = mapping(item)
        if "step" in body:
            yield mapping(body["step"])
        parallel = body.get("parallel")
        for inner in sequence(parallel) or sequence(mapping(parallel).get("steps")):
            if "step" in mapping(inner):
                yield mapping(mapping(inner)["step"])


# Jenkins ---------------------------------------------------------------------------------
_JENKINS_STAGE = re.compile(r"\bstage\s*\(\s*(?:name\s*:\s*)?['\"]([^'\"\n]{1,200})['\"]")
_JENKINS_SHELL = re.compile(r"\b(?:sh|bat)\b\s*\(?\s*(?:script\s*:\s*)?(?=['\"])")
_JENKINS_CRON = re.compile(r"\b(cron|parameterizedCron)\s*\(")


def jenkins_facts(path: str, text: str) -> Iterator[WorkflowJobFact]:
    """One job per `stage('name')` of a Jenkinsfile, with the `sh` and `bat` steps that
    follow it; read by pattern, since a Jenkinsfile is a Groovy program."""
    triggers = ("push", "schedule") if _JENKINS_CRON.search(text) else ("push",)
    stages = [(match.start(), match.group(1)) for match in _JENKINS_STAGE.finditer(text)]
    starts = [start for start, _ in stages]
    scripts: dict[str, list[Run]] = {name: [] for _, name in stages} or {"pipeline": []}
    for start, script in _jenkins_shells(text):
        index = bisect.bisect_left(starts, start) - 1  # the last stage opened before it
        scripts.setdefault(stages[index][1] if index >= 0 else "pipeline", []).append(Run(script))
    lines: dict[str, int] = {}
    line, counted = 1, 0
    for start, name in stages:  # in order: each newline counted once
        line += text.count("\n", counted, start)
        counted = start
        lines.setdefault(name, line)
    name = PurePosixPath(path).name
    for stage, runs in scripts.items():
        yield job_fact("jenkins", path, lines.get(stage), name, stage, triggers, runs)


def _jenkins_shells(text: str) -> Iterator[tuple[int, str]]:
    """(offset, script) of each `sh '...'`, `sh '''...'''`, `sh(script: '...')`: each
    closing quote found once, so an unclosed string ends the search (linear)."""
    position = 0
    while True:
        match = _JENKINS_SHELL.search(text, position)
        if match is None:
            return
        start = match.end()
        quote = (
            text[start : start + 3] if text[start : start + 3] in ("'''", '"""') else text[start]
        )
        end = text.find(quote, start + len(quote))
        if end < 0:
            return
        yield match.start(), text[start + len(quote) : end].replace("\\\n", " ")
        position = end + len(quote)


_READERS = {
    "github-actions": github_facts,
    "gitlab-ci": gitlab_facts,
    "circleci": circleci_facts,
    "cloud-build": cloud_build_facts,
    "codebuild": codebuild_facts,
    "azure-pipelines": azure_facts,
    "bitbucket-pipelines": bitbucket_facts,
}
