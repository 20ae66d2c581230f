"""The CI systems other than GitHub Actions: GitLab CI, CircleCI, Google Cloud Build, AWS
CodeBuild, Azure Pipelines, Bitbucket Pipelines and Jenkinsfiles, each job a
`WorkflowJobFact` (`ci_jobs`). Only GitLab says in the file what starts a job; the others
run on every push unless the file declares a schedule (CircleCI `triggers`, Azure
`schedules`, a Jenkins `cron`), or are started by hand (Bitbucket `custom`).
"""

from __future__ import annotations

import bisect
import posixpath
import re
import shlex
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

from portfolio_check.analyzers.ci_jobs import Run, folder_from, job_fact
from portfolio_check.analyzers.yaml_shapes import KeyLines, mapping, sequence
from portfolio_check.model.facts import WorkflowJobFact

#: Builders whose job is to build an image (Cloud Build steps, Azure tasks).
IMAGE_BUILDERS = re.compile(r"kaniko-project/executor|^Docker@\d")
_CIRCLECI_ROOT = "~/project"  # where CircleCI checks out, unless a job says otherwise
_MAX_COMMAND_DEPTH = 4  # CircleCI commands made of commands


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
                    str(run.get("command")), root, folder_from(folder, run.get("working_directory"))
                ),
                folder_from(folder, run.get("working_directory")),
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
    return folder_from("", working[len(root) + 1 :]), root


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
        Run(command, "" if clones else folder_from("", step.get("dir")))
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
