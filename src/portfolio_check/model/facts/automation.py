"""Facts about what builds, runs, ships and deploys the project: Dockerfiles, CI jobs,
compose services, DVC stages, tasks, pre-commit hooks, Kubernetes and infrastructure
resources, and the entry points the linker finds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from portfolio_check.model.facts.base import Fact


@dataclass(frozen=True, kw_only=True, slots=True)
class DockerfileFact(Fact):
    kind: ClassVar[str] = "dockerfile"
    base_image: str | None
    command: str | None  # CMD or ENTRYPOINT, as written
    instructions: int
    exposes: bool
    references: tuple[str, ...] = ()  # modules and files the command names
    target_exists: bool | None = None  # whether they exist in the target; None: none named
    workdir: str = "/"  # where the command runs in the image (the last WORKDIR)
    #: what COPY and ADD put in the image, in order: each source in the build context, and
    #: at the same index its absolute destination (ending in `/` when it is a folder)
    copy_sources: tuple[str, ...] = ()
    copy_targets: tuple[str, ...] = ()

    @property
    def copies(self) -> tuple[tuple[str, str], ...]:
        return tuple(zip(self.copy_sources, self.copy_targets, strict=False))

    def describe(self) -> str:
        if self.base_image is None:
            return "Dockerfile without a FROM instruction"
        run = f", runs `{self.command}`" if self.command else ", no CMD or ENTRYPOINT"
        return f"Dockerfile FROM {self.base_image}{run}"


@dataclass(frozen=True, kw_only=True, slots=True)
class WorkflowJobFact(Fact):
    kind: ClassVar[str] = "workflow_job"
    #: github-actions, gitlab-ci, circleci, cloud-build, codebuild, azure-pipelines,
    #: bitbucket-pipelines, jenkins
    system: str
    workflow: str
    job: str
    triggers: tuple[str, ...]
    runs_tests: bool
    builds_image: bool
    runs_pipeline: bool  # dvc repro, training or evaluation entry points
    lints: bool
    scheduled: bool
    references: tuple[str, ...] = ()  # modules and files its commands name
    deploys: bool = False  # publishes an image or deploys a service (CD)
    provisions: bool = False  # runs an infrastructure-as-code tool (terraform, cdk, helm...)
    #: Tasks and scripts its commands run (`make test`, `./tasks/unit_test.sh`), as
    #: `task_invocations.Invocation`s; the linker follows them and ORs in what they do.
    invokes: tuple[str, ...] = ()
    via: tuple[str, ...] = ()  # what the linker reached through `invokes`, for a person

    def describe(self) -> str:
        on = ", ".join(self.triggers) or "no trigger"
        return f"CI job {self.job} ({self.workflow}, on {on}) {_activity(self)}{_via(self.via)}"


@dataclass(frozen=True, kw_only=True, slots=True)
class ComposeServiceFact(Fact):
    kind: ClassVar[str] = "compose_service"
    service: str
    image: str | None
    builds: bool
    healthcheck: bool

    def describe(self) -> str:
        source = "built here" if self.builds else (self.image or "no image")
        return f"compose service {self.service} ({source})"


@dataclass(frozen=True, kw_only=True, slots=True)
class DvcStageFact(Fact):
    kind: ClassVar[str] = "dvc_stage"
    stage: str
    command: str
    deps: int
    outs: int
    references: tuple[str, ...] = ()  # modules and files the command names
    target_exists: bool | None = None

    def describe(self) -> str:
        return f"DVC stage {self.stage}: `{self.command}`"


#: How a person names each kind of task.
TASK_NOUNS = {
    "make": "make target",
    "just": "just recipe",
    "mise": "mise task",
    "poe": "poe task",
    "hatch": "hatch script",
    "pdm": "pdm script",
    "taskipy": "taskipy task",
    "nox": "nox session",
    "tox": "tox environment",
    "script": "shell script",
    "action": "composite action",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class TaskFact(Fact):
    """A task a person or CI runs by name: a Makefile target, a just recipe, a mise, poe,
    hatch, pdm or taskipy task, a nox session, a tox environment, a shell script, or a
    GitHub composite action of the repository's own."""

    kind: ClassVar[str] = "task"
    runner: str  # one of TASK_NOUNS
    name: str  # the target, recipe, session or environment; a script's path
    commands: str  # as written
    runs_tests: bool
    builds_image: bool
    runs_pipeline: bool
    lints: bool
    references: tuple[str, ...] = ()  # modules and files its commands name
    deploys: bool = False  # publishes an image or deploys a service (CD)
    provisions: bool = False  # runs an infrastructure-as-code tool (terraform, cdk, helm...)
    invokes: tuple[str, ...] = ()  # tasks and scripts it runs (`task_invocations.Invocation`)
    default: bool = False  # what the runner runs when it is given no task name
    via: tuple[str, ...] = ()  # what the linker reached through `invokes`, for a person

    def describe(self) -> str:
        noun = TASK_NOUNS.get(self.runner, f"{self.runner} task")
        return f"{noun} {self.name} {_activity(self)}{_via(self.via)}"


def _activity(fact: WorkflowJobFact | TaskFact) -> str:
    actions = [
        label
        for label, flag in (
            ("runs tests", fact.runs_tests),
            ("builds an image", fact.builds_image),
            ("runs the pipeline", fact.runs_pipeline),
            ("lints", fact.lints),
            ("deploys", fact.deploys),
            ("provisions infrastructure", fact.provisions),
        )
        if flag
    ]
    return ", ".join(actions) if actions else "does nothing checkable"


def _via(via: tuple[str, ...]) -> str:
    if not via:
        return ""
    shown = ", ".join(via[:3]) + (f" and {len(via) - 3} more" if len(via) > 3 else "")
    return f" (through {shown})"


@dataclass(frozen=True, kw_only=True, slots=True)
class PrecommitHookFact(Fact):
    kind: ClassVar[str] = "precommit_hook"
    hook: str  # hook id, e.g. "ruff"
    repo: str  # hook repository URL, or "local"

    def describe(self) -> str:
        return f"pre-commit hook {self.hook}"


@dataclass(frozen=True, kw_only=True, slots=True)
class K8sResourceFact(Fact):
    kind: ClassVar[str] = "k8s_resource"
    api_version: str
    resource: str  # the manifest's `kind`: Deployment, Service, CronJob, InferenceService...
    name: str
    images: tuple[str, ...] = ()
    schedule: str | None = None  # CronJob schedule
    probes: bool = False  # readiness or liveness probes declared

    def describe(self) -> str:
        return f"Kubernetes {self.resource} {self.name}"


@dataclass(frozen=True, kw_only=True, slots=True)
class InfrastructureFact(Fact):
    """A resource declared in an infrastructure-as-code or platform file: a Terraform
    resource, a CloudFormation/SAM resource, a Serverless Framework function, a Helm chart,
    a Procfile process."""

    kind: ClassVar[str] = "infrastructure"
    tool: str  # terraform, cloudformation, sam, serverless, helm, pulumi, heroku, app-engine
    resource: str  # the type as the tool writes it: aws_lambda_function, AWS::Serverless::Function
    name: str
    references: tuple[str, ...] = ()  # project modules and files it runs (a handler, a command)
    target_exists: bool | None = None  # whether they exist in the target; None: none named

    def describe(self) -> str:
        named = f" {self.name}" if self.name else ""
        return f"{self.tool} {self.resource}{named}"


EntryForm = Literal["api", "app", "serverless", "endpoint", "pipeline"]


@dataclass(frozen=True, kw_only=True, slots=True)
class EntryPointFact(Fact):
    """Where something outside the code starts the project's work, found by the linker: a
    web route, an interactive app, a serverless handler, a managed endpoint deployed from
    code, or a pipeline or batch job (an orchestrator's DAG or flow, a scheduled job)."""

    kind: ClassVar[str] = "entry_point"
    form: EntryForm
    framework: str  # fastapi, gradio, aws-lambda, sagemaker, airflow, github-actions...
    name: str  # what defines it: a callee (`airflow.DAG`), a handler, a CI job
    #: It, or the project code it imports, uses a model: loads or predicts with one (for a
    #: pipeline: loads one outside training code), or deploys one.
    reaches_model: bool
    trains: bool  # it, or the project code it imports, trains a model
    scheduled: bool  # a schedule starts it: a DAG's schedule, a cron job, a schedule decorator

    def describe(self) -> str:
        forms = {
            "api": "web API",
            "app": "interactive app",
            "serverless": "serverless handler",
            "endpoint": "managed endpoint",
            "pipeline": "pipeline",
        }
        what = [f"{self.framework} {forms[self.form]} {self.name}"]
        if self.scheduled:
            what.append("on a schedule")
        if self.reaches_model:
            what.append("that uses a model")
        elif self.trains:
            what.append("that trains a model")
        return " ".join(what)
