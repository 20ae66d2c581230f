"""Facts: what the analyzers found, each with the place it was found.

Facts are frozen data. Each kind has a name that rubrics use (`fact: import`) and fields a
rubric can match on (`where: {scope: code}`). A fact is a `placeholder` when it has the
shape of evidence without the substance (a test that asserts nothing, an empty
Dockerfile, a workflow that only echoes): it can never prove more than a claim.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from portfolio_check.plural import counted
from portfolio_check.snapshot import Location, ancestors

Scope = Literal["code", "test", "notebook"]
CallUsage = Literal["call", "decorator", "base"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Fact:
    kind: ClassVar[str] = "fact"
    location: Location
    placeholder: str | None = None  # why this is only the shape of evidence, if it is
    #: What runs the file this fact sits in, filled in by the linker once every file is
    #: read: "tested" (tests import it), "serving" (on the request path), "pipeline"
    #: (a pipeline stage or training runs it), "ci" (a CI job runs it), "scheduled".
    roles: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return self.location.path

    def describe(self) -> str:
        """One line for a person: what this fact is."""
        return self.kind


@dataclass(frozen=True, kw_only=True, slots=True)
class SourceFileFact(Fact):
    """A file of the target, with its type as far as the listing can tell."""

    kind: ClassVar[str] = "file"
    size: int
    is_symlink: bool = False
    empty: bool = False

    def describe(self) -> str:
        return "symlink (not followed)" if self.is_symlink else f"file ({self.size:,} bytes)"


@dataclass(frozen=True, kw_only=True, slots=True)
class DependencyFact(Fact):
    kind: ClassVar[str] = "dependency"
    name: str  # normalised distribution name (PEP 503), or the conda package's name
    spec: str
    pinned: bool  # exactly one version: `==1.2.3` (no wildcard), `===`, conda's `=1.2.3`
    #: requirements, lock (compiled pins), freeze (an environment snapshot, as `pip freeze`
    #: writes), pyproject, environment, pipfile, setup.cfg
    manifest: str
    conda: bool = False  # a conda package (environment.yml), not a PyPI distribution
    #: set once every file is read: declared, yet no module, test or notebook imports it
    #: and it is no tool that is run rather than imported
    unused: bool = False

    def describe(self) -> str:
        return f"dependency {self.name}{self.spec} in {self.manifest}"


@dataclass(frozen=True, kw_only=True, slots=True)
class DependencyManifestFact(Fact):
    """One manifest as a whole: how many of its dependencies are pinned, what it includes."""

    kind: ClassVar[str] = "dependency_manifest"
    manifest: str  # as DependencyFact.manifest
    dependencies: int  # named dependencies (not `-e .`, includes or options)
    pinned: int
    pinned_share: float  # pinned / dependencies, 0.0 when it names none
    fully_pinned: bool  # it names dependencies, and every one is pinned
    includes: tuple[str, ...] = ()  # files it reads with `-r` or `-c`, from the repo root
    #: for a pip-compile (or `uv pip compile`) output, the input files it was compiled from
    compiled_from: tuple[str, ...] = ()
    #: set once every file is read: the lock file that pins what this manifest leaves open
    locked_by: str | None = None

    def describe(self) -> str:
        lock = f", pinned by {self.locked_by}" if self.locked_by else ""
        return f"{self.pinned} of {self.dependencies} dependencies pinned in {self.manifest}{lock}"


@dataclass(frozen=True, kw_only=True, slots=True)
class LockfileFact(Fact):
    kind: ClassVar[str] = "lockfile"
    tool: str

    def describe(self) -> str:
        return f"{self.tool} lock file"


@dataclass(frozen=True, kw_only=True, slots=True)
class PythonModuleFact(Fact):
    kind: ClassVar[str] = "python_module"
    module: str  # dotted module name as the project would import it
    scope: Scope
    lines: int
    parse_error: bool = False
    sloc: int = 0  # lines holding code
    comments: int = 0  # lines holding a comment
    blank: int = 0
    multi: int = 0  # lines inside multi-line strings (docstrings, literals)
    complexity: int = 0  # cyclomatic complexity summed over the module's blocks
    maintainability: float | None = None  # radon's maintainability index, 0-100
    functions: int = 0
    classes: int = 0

    def describe(self) -> str:
        return f"python module {self.module} ({counted(self.lines, 'line')})"


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportFact(Fact):
    kind: ClassVar[str] = "import"
    module: str  # full dotted name, e.g. "sklearn.datasets"
    top: str  # first component, e.g. "sklearn"
    scope: Scope
    project: bool  # resolves to a module of the target itself
    target: str | None = None  # the target's file for that module, when it resolves to one

    def describe(self) -> str:
        where = {"code": "code", "test": "a test", "notebook": "a notebook"}[self.scope]
        return f"import {self.module} in {where}"


@dataclass(frozen=True, kw_only=True, slots=True)
class CallFact(Fact):
    """A use of a name: a call, a decorator, or a base class (`class M(pa.DataFrameModel)`)."""

    kind: ClassVar[str] = "call"
    name: str  # dotted callee with import aliases resolved, e.g. "sklearn.datasets.load_iris"
    scope: Scope
    usage: CallUsage = "call"
    keywords: tuple[str, ...] = ()  # keyword arguments seen in any call of it in the file

    def describe(self) -> str:
        shown = {
            "call": f"{self.name}()",
            "decorator": f"@{self.name}",
            "base": f"subclass of {self.name}",
        }
        return f"{shown[self.usage]} in {self.scope}"


@dataclass(frozen=True, kw_only=True, slots=True)
class TestFunctionFact(Fact):
    __test__: ClassVar[bool] = False  # a fact about tests, not a pytest test class
    kind: ClassVar[str] = "test_function"
    name: str
    asserts: int  # checks: asserts, checking calls, its own helpers' checks; doctest outputs
    imports_project: bool  # the test reaches the target's own code (see `covers`)
    #: files of the target's code that the test file imports, directly or through its test
    #: helpers and the conftest.py fixtures above it; a doctest covers its own module
    covers: tuple[str, ...] = ()
    doctest: bool = False  # docstring examples that pytest --doctest-modules runs

    def describe(self) -> str:
        what = f"doctest of {self.name}" if self.doctest else f"test {self.name}"
        if self.asserts == 0:
            return f"{what} asserts nothing"
        return f"{what} with {counted(self.asserts, 'assertion')}"


@dataclass(frozen=True, kw_only=True, slots=True)
class NotebookFact(Fact):
    kind: ClassVar[str] = "notebook"
    code_cells: int
    markdown_cells: int
    executed_cells: int
    error_outputs: int
    #: "linear" (run top to bottom), "non-linear" (out of order), "never" (no cell run),
    #: "partial" (some code cells never run)
    execution: str = "never"
    output_bytes: int = 0  # size of all outputs, as stored
    absolute_paths: int = 0  # hard-coded absolute paths in code cells
    code_lines: int = 0

    def describe(self) -> str:
        return f"notebook with {self.code_cells} code and {self.markdown_cells} markdown cells"


@dataclass(frozen=True, kw_only=True, slots=True)
class WrittenFact(Fact):
    """Prose read for what it says (analyzers/writeup.py): the metrics it names, the
    statements that report them with precise numbers, and whether it compares, slices,
    names failures, explains, states limitations or only repeats template filler."""

    metrics: tuple[str, ...] = ()  # metric names: accuracy, f1, rmse, mrr, hit-rate, ...
    readings: int = 0  # statements (table rows included) reporting a metric with a number
    approximate: int = 0  # statements whose only numbers are hedged ("around 80%")
    results_table: bool = False  # a table that reports metrics
    compares: bool = False  # against a baseline, or one metric for several variants
    slices: bool = False  # quality per class, segment or group, with numbers
    failure_cases: bool = False  # where the model goes wrong, named
    explains: bool = False  # a reason given for a result
    caveats: int = 0  # statements of a concrete limitation
    perfect_score: bool = False  # a perfect score nothing in the text questions
    template_filler: bool = False  # mostly `[More Information Needed]`

    def content(self) -> str:
        """What the prose proves, for a person: ", 3 metric readings in a table"."""
        parts: list[str] = []
        if self.readings:
            parts.append(counted(self.readings, "metric reading"))
        elif self.approximate:
            parts.append("only approximate numbers")
        parts += [
            name
            for name, holds in (
                ("in a table", self.results_table),
                ("a comparison", self.compares),
                ("per slice", self.slices),
                ("failure cases", self.failure_cases),
            )
            if holds
        ]
        if self.perfect_score:
            parts.append("a perfect score left unquestioned")
        return f": {', '.join(parts)}" if parts else ""


@dataclass(frozen=True, kw_only=True, slots=True)
class HeadingFact(WrittenFact):
    kind: ClassVar[str] = "heading"
    text: str
    level: int
    words: int  # words of prose under the heading, up to the next heading of its level
    body: str  # that prose, shortened
    has_table: bool
    has_numbers: bool
    code_blocks: int = 0  # fenced or indented code blocks in the section
    #: Headings of the whole document that a model card or datasheet has (Model details,
    #: Intended use, Training data, Metrics, Ethical considerations, ...).
    card_sections: int = 0
    #: Command lines in its code blocks that set up, build or start the project.
    setup_commands: int = 0

    def describe(self) -> str:
        code = f" and {counted(self.code_blocks, 'code block')}" if self.code_blocks else ""
        return f"heading '{self.text}' with {counted(self.words, 'word')}{code}{self.content()}"


@dataclass(frozen=True, kw_only=True, slots=True)
class NotebookAnalysisFact(WrittenFact):
    """A notebook Markdown cell next to a code cell whose outputs report metrics: the prose
    that interprets an evaluation (or introduces it)."""

    kind: ClassVar[str] = "notebook_analysis"
    heading: str  # the nearest heading at or above the cell, "" if none
    words: int
    output_metrics: tuple[str, ...]  # metrics the neighbouring outputs report
    cites_outputs: bool  # quotes a number those outputs printed

    def describe(self) -> str:
        about = f" under '{self.heading}'" if self.heading else ""
        return f"notebook notes{about} beside evaluation output{self.content()}"


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


@dataclass(frozen=True, kw_only=True, slots=True)
class CourseMarkerFact(Fact):
    kind: ClassVar[str] = "course_marker"
    marker: str  # stable id, e.g. "graded-function"
    family: str  # who puts it there, e.g. "DeepLearning.AI"
    text: str  # what was seen

    def describe(self) -> str:
        return f"{self.family} course marker: {self.text}"


@dataclass(frozen=True, kw_only=True, slots=True)
class CourseFolderFact(Fact):
    """A folder whose name follows a course layout (week2/, C1W2/, assignment3/)."""

    kind: ClassVar[str] = "course_folder"
    folder: str

    def describe(self) -> str:
        return f"course-style folder {self.folder}/"


@dataclass(frozen=True, kw_only=True, slots=True)
class ToyDatasetFact(Fact):
    kind: ClassVar[str] = "toy_dataset"
    dataset: str
    via: str  # file (its name), loader (a call that fetches it), content (header or rows)

    def describe(self) -> str:
        return f"teaching dataset {self.dataset} ({self.via})"


@dataclass(frozen=True, kw_only=True, slots=True)
class CertificateFact(Fact):
    kind: ClassVar[str] = "certificate"
    via: str  # file or link
    text: str

    def describe(self) -> str:
        return f"certificate {self.via}: {self.text}"


@dataclass(frozen=True, kw_only=True, slots=True)
class ContentMatchFact(Fact):
    """A line of a file that a rubric asked about (a `file` signal with `contains`)."""

    kind: ClassVar[str] = "content_match"
    query: str
    text: str

    def describe(self) -> str:
        return f"'{self.text}'"


@dataclass(frozen=True, kw_only=True, slots=True)
class FindingFact(Fact):
    """Something that could not be analysed as it stands, or is broken: a file that does not
    parse or was skipped, an import of a project module that is not there."""

    kind: ClassVar[str] = "finding"
    analyzer: str
    message: str

    def describe(self) -> str:
        return self.message


@dataclass(frozen=True, kw_only=True, slots=True)
class FunctionFact(Fact):
    """A function, method or class, with radon's cyclomatic complexity."""

    kind: ClassVar[str] = "function"
    name: str  # qualified within the module: "Model.predict"
    type: Literal["function", "method", "class"]
    complexity: int
    rank: str  # radon's A (simple) to F (very complex)
    lines: int
    scope: Scope

    def describe(self) -> str:
        return f"{self.type} {self.name} has cyclomatic complexity {self.complexity} ({self.rank})"


@dataclass(frozen=True, kw_only=True, slots=True)
class HardcodedPathFact(Fact):
    """An absolute path written into code: it runs only on the author's machine."""

    kind: ClassVar[str] = "hardcoded_path"
    text: str

    def describe(self) -> str:
        return f"hard-coded absolute path {self.text}"


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


@dataclass(frozen=True, kw_only=True, slots=True)
class HistoryFact(Fact):
    """The shape of the git history, from one streamed `git log`."""

    kind: ClassVar[str] = "history"
    commits: int
    authors: int
    active_days: int
    active_weeks: int
    span_days: int  # first to last commit
    merges: int
    pr_merges: int  # "Merge pull request #..." and "(#12)" squash merges
    web_uploads: int  # "Add files via upload" and other web-editor subjects
    largest_commit_share: float  # share of all added files that arrived in one commit
    days_after_largest: int = 0  # days with commits after that one: work that followed it
    shallow: bool
    first_commit: str  # ISO dates
    last_commit: str
    first_test: str | None = None  # when a test file first appeared
    first_ci: str | None = None
    first_deploy: str | None = None
    #: Older commits by other people only, before today's authors started (a course starter
    #: forked with its history): left out of every figure above.
    inherited_commits: int = 0
    #: The oldest commit with no parent ("" when the history was cut short): the same root
    #: as an indexed upstream's means the repository carries that upstream's history.
    root_commit: str = ""
    #: Today's main authors (at least 2 % of the commits above each), most commits first,
    #: as the upstream index keys them (`upstream_index.author_key`: a hash of the e-mail
    #: address): a repository by an upstream's own authors is that upstream, not a copy.
    author_keys: tuple[str, ...] = ()
    latest_author: str = ""  # the key of the newest commit's author: who works on it now

    def describe(self) -> str:
        authors = counted(self.authors, "author")
        days = f"on {counted(self.active_days, 'day')} over {counted(self.span_days, 'day')}"
        inherited = (
            f", after {counted(self.inherited_commits, 'inherited commit')} by others"
            if self.inherited_commits
            else ""
        )
        return f"{counted(self.commits, 'commit')} by {authors} {days}{inherited}"


@dataclass(frozen=True, kw_only=True, slots=True)
class TrainServeParityFact(Fact):
    """Serving and training import the same feature code (ML Test Score, Monitor 3)."""

    kind: ClassVar[str] = "train_serve_parity"
    side: Literal["serving", "training"]
    shared_module: str
    other_path: str

    def describe(self) -> str:
        other = "training" if self.side == "serving" else "serving"
        shared = f"imports {self.shared_module}"
        return f"{self.side} code {shared}, as does {other} code in {self.other_path}"


@dataclass(frozen=True, kw_only=True, slots=True)
class CodeBalanceFact(Fact):
    """Where the work lives: notebooks only, or importable modules too."""

    kind: ClassVar[str] = "code_balance"
    module_lines: int  # code lines of non-test modules
    notebook_lines: int  # code lines of notebooks
    notebook_share: float  # notebook_lines / (module_lines + notebook_lines), 0.0 with no code
    notebooks_importing_project: int  # notebooks that import the target's own modules

    def describe(self) -> str:
        share = f"{self.notebook_share:.0%} of the code is in notebooks"
        importing = self.notebooks_importing_project
        verb = "imports" if importing == 1 else "import"
        return f"{share}; {counted(importing, 'notebook')} {verb} the project's modules"


@dataclass(frozen=True, kw_only=True, slots=True)
class CodeHealthFact(Fact):
    """How complex the project's own functions are, from radon's ranks."""

    kind: ClassVar[str] = "code_health"
    functions: int  # functions and methods outside tests
    max_complexity: int
    simple_share: float  # share of them ranked A or B (cyclomatic complexity 10 or less)
    mean_maintainability: float | None  # mean maintainability index of the modules

    def describe(self) -> str:
        return (
            f"{self.simple_share:.0%} of {counted(self.functions, 'function')} are simple "
            f"(complexity at most 10); the most complex has {self.max_complexity}"
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class InheritedFileFact(Fact):
    """A file as the earlier authors of an inherited history left it (a starter's
    requirements, workflow or data, forked with its history and never changed since): the
    upstream's work, not today's authors'."""

    kind: ClassVar[str] = "inherited_file"
    since: str  # the last inherited commit, abbreviated

    def describe(self) -> str:
        return f"unchanged since commit {self.since} of the inherited history"


@dataclass(frozen=True, kw_only=True, slots=True)
class CopiedFileFact(Fact):
    """A file whose content matches a file of a known upstream (a course, lab, starter,
    template or tutorial repository in the upstream index): the same normalised text, or
    most of its winnowed fingerprints. `similarity` is the share of the file's fingerprints
    the upstream file has (1.0 for the same text); only a near-whole copy is `copied`, a
    file that matches in part is an upstream file the author changed (a starter's TODOs
    filled in)."""

    kind: ClassVar[str] = "copied_file"
    upstream: str  # owner/name of the upstream repository
    family: str  # the course or template family, e.g. "Udacity ML DevOps"
    material: str  # course, lab, starter, template or tutorial
    upstream_path: str  # the matching file in the upstream
    similarity: float  # share of the file's fingerprints found in the upstream file, 0-1
    exact: bool  # the same normalised text
    copied: bool  # a near-whole copy: exact, or similarity at the copy threshold
    lines: int  # non-blank lines of code or text it weighs in the repository's share
    #: other upstreams holding as good a match, and their matching files (same order)
    others: tuple[str, ...] = ()
    other_paths: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The upstream as a person names it: `udacity/X (Udacity ML DevOps starter)`."""
        return f"{self.upstream} ({self.family} {self.material})"

    @property
    def upstream_lines(self) -> float:
        """The lines of this file that are upstream material: the matching part."""
        return self.lines * self.similarity

    def describe(self) -> str:
        if self.copied:
            return f"copied from {self.source}: {self.upstream_path}"
        share = f"{self.similarity:.0%}"
        return f"{share} matches {self.upstream_path} of {self.source}, changed since"


@dataclass(frozen=True, kw_only=True, slots=True)
class OwnFileFact(Fact):
    """A file of code or text that matches no known upstream: the author's own, as far as
    the upstream index can tell."""

    kind: ClassVar[str] = "own_file"
    lines: int  # non-blank lines of code or text it weighs in the repository's share

    def describe(self) -> str:
        return f"{counted(self.lines, 'line')} matching no known upstream"


@dataclass(frozen=True, kw_only=True, slots=True)
class UpstreamRepositoryFact(Fact):
    """The repository is an indexed upstream itself: its history starts at that upstream's
    root commit and carries no inherited era. Its matches with its own family are not
    copies: an upstream is not a copy of itself."""

    kind: ClassVar[str] = "upstream_repository"
    upstream: str
    family: str
    material: str

    def describe(self) -> str:
        return f"the upstream {self.upstream} ({self.family} {self.material}) itself"


@dataclass(frozen=True, kw_only=True, slots=True)
class SecretFact(Fact):
    """A hard-coded secret (an API token, a password, a private key), found by
    detect-secrets. The value is never kept: only its kind and its line."""

    kind: ClassVar[str] = "secret"
    secret_type: str  # detect-secrets' name for it: "AWS Access Key", "Secret Keyword"

    def describe(self) -> str:
        return f"hard-coded {self.secret_type}"


@dataclass(frozen=True)
class ForeignPlaces:
    """Where the content is not the learner's own work: course folders and course helper
    files, files inherited unchanged from earlier authors, and files copied whole from a
    known upstream (a course, lab, starter, template or tutorial). Evidence found there
    proves no more than a claim on the real-world side."""

    course: frozenset[str] = frozenset()
    inherited: Mapping[str, str] = dataclasses.field(default_factory=dict)  # path -> commit
    copied: Mapping[str, str] = dataclasses.field(default_factory=dict)  # path -> upstream

    @classmethod
    def of(cls, facts: Facts) -> ForeignPlaces:
        return cls(
            course=course_places([*facts.of("course_folder"), *facts.of("course_marker")]),
            inherited={
                fact.path: fact.since
                for fact in facts.of("inherited_file")
                if isinstance(fact, InheritedFileFact)
            },
            # a file the author changed (a starter's TODOs filled in) stays theirs
            copied={
                fact.path: fact.source
                for fact in facts.of("copied_file")
                if isinstance(fact, CopiedFileFact) and fact.copied
            },
        )

    def reason(self, path: str) -> str | None:
        """Why what sits at `path` is not the learner's, or None when it is."""
        if path in self.copied:
            return f"copied from {self.copied[path]}"
        if path in self.inherited:
            return f"inherited unchanged from earlier authors (commit {self.inherited[path]})"
        place = in_place(path, self.course)
        if place is None:
            return None
        if place == path:
            return "course material (a course helper file)"
        return f"course material (under {place}/)"


def course_places(facts: Iterable[Fact]) -> frozenset[str]:
    """Folders laid out like a course (`Week2`, `C1W3`) and course helper files
    (`public_tests.py`): what sits there is the course's work, not the learner's."""
    return frozenset(
        fact.folder if isinstance(fact, CourseFolderFact) else fact.path
        for fact in facts
        if isinstance(fact, CourseFolderFact)
        or (isinstance(fact, CourseMarkerFact) and fact.marker == "course-helper-file")
    )


def in_place(path: str, places: AbstractSet[str]) -> str | None:
    """The course place `path` belongs to, if any: the outermost of its folders (or the
    path itself) that is one. Looked up per folder, so thousands of places cost nothing."""
    if not places:  # most repositories: no course folder at all
        return None
    return next((p for p in (*ancestors(path), path) if p in places), None)


FACT_TYPES: dict[str, type[Fact]] = {
    cls.kind: cls
    for cls in (
        SourceFileFact,
        InheritedFileFact,
        DependencyFact,
        DependencyManifestFact,
        LockfileFact,
        PythonModuleFact,
        ImportFact,
        CallFact,
        TestFunctionFact,
        NotebookFact,
        HeadingFact,
        NotebookAnalysisFact,
        DockerfileFact,
        WorkflowJobFact,
        ComposeServiceFact,
        DvcStageFact,
        CourseMarkerFact,
        CourseFolderFact,
        ToyDatasetFact,
        CertificateFact,
        ContentMatchFact,
        FindingFact,
        FunctionFact,
        HardcodedPathFact,
        TaskFact,
        PrecommitHookFact,
        K8sResourceFact,
        InfrastructureFact,
        EntryPointFact,
        HistoryFact,
        TrainServeParityFact,
        CodeBalanceFact,
        CodeHealthFact,
        CopiedFileFact,
        OwnFileFact,
        UpstreamRepositoryFact,
        SecretFact,
    )
}


def fact_fields(kind: str) -> frozenset[str]:
    """The names a rubric may use in `where:` for facts of this kind (plus `path`)."""
    fields = {f.name for f in dataclasses.fields(FACT_TYPES[kind]) if f.name != "location"}
    return frozenset(fields | {"path"})


def fact_value(fact: Fact, name: str) -> Any:
    if name == "path":
        return fact.location.path
    return getattr(fact, name)


class Facts:
    """All facts of one scan, grouped by kind in a stable order."""

    def __init__(self, facts: Iterable[Fact] = (), *, unknown: Iterable[str] = ()) -> None:
        #: kinds of fact this target cannot show at all (a plain folder has no history)
        self.unknown = frozenset(unknown)
        grouped: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            grouped[fact.kind].append(fact)
        self._by_kind = {
            kind: tuple(sorted(items, key=lambda f: (f.location.path, f.location.line or 0)))
            for kind, items in grouped.items()
        }
        self._groups: dict[tuple[str, str], dict[tuple[type, Any], list[int]]] = {}

    def of(self, kind: str) -> tuple[Fact, ...]:
        return self._by_kind.get(kind, ())

    def grouped(self, kind: str, name: str) -> dict[tuple[type, Any], list[int]]:
        """The positions in `of(kind)` of the facts by the value of their field `name`
        (keyed with its type: True and 1 are equal keys), computed once per scan."""
        key = (kind, name)
        groups = self._groups.get(key)
        if groups is None:
            groups = defaultdict(list)
            for index, fact in enumerate(self.of(kind)):
                value = fact_value(fact, name)
                groups[(value.__class__, value)].append(index)
            self._groups[key] = groups = dict(groups)
        return groups

    def __iter__(self) -> Iterator[Fact]:
        for kind in sorted(self._by_kind):
            yield from self._by_kind[kind]

    def __len__(self) -> int:
        return sum(len(items) for items in self._by_kind.values())

    def count(self, kind: str) -> int:
        return len(self.of(kind))
