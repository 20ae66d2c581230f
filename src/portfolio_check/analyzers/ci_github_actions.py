"""GitHub Actions: each job of a workflow (`.github/workflows/*.yml`) as a
`WorkflowJobFact` with the events that start it, and a local composite action
(`action.yml`) as one task that a job's `uses: ./path` hands over to.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

from portfolio_check.analyzers.ci_jobs import (
    IMAGE_ACTIONS,
    LINT_ACTIONS,
    Run,
    folder_from,
    job_fact,
    local_uses,
    unique,
)
from portfolio_check.analyzers.command_links import command_links
from portfolio_check.analyzers.script_activity import script_activity
from portfolio_check.analyzers.yaml_shapes import KeyLines, mapping, sequence
from portfolio_check.model.facts import TaskFact, WorkflowJobFact
from portfolio_check.model.location import Location

# GitHub Actions --------------------------------------------------------------------------
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
            Run(str(step["run"]), folder_from(job_folder, step.get("working-directory")))
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
    return folder_from(
        base, mapping(mapping(spec.get("defaults")).get("run")).get("working-directory")
    )


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
        references=unique(ref for references, _ in links for ref in references),
        invokes=unique(
            (*(inv for _, invocations in links for inv in invocations), *local_uses(uses))
        ),
    )
