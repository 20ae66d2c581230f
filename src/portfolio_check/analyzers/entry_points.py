"""Entry points: where something outside the code starts the project's work, and how far
that work reaches into the project's own model code.

A model is deployed in more ways than a web API. The forms read here:
- `api`: HTTP routes (FastAPI, Flask, ...), BentoML, LitServe, Ray Serve, KServe models;
- `app`: interactive apps a person uses (Gradio, Streamlit, Dash);
- `serverless`: a handler a platform calls (an AWS Lambda image or template, Google Cloud
  Functions, Azure Functions, Chalice, an ASGI app wrapped by Mangum);
- `endpoint`: a managed endpoint deployed from code (SageMaker, Vertex AI, Azure ML, CDK);
- `pipeline`: an orchestrated pipeline or batch job (Airflow, Dagster, Prefect, Metaflow,
  ZenML, Kedro, Kubeflow, TFX, SageMaker Pipelines, Luigi) or a scheduled CI job.

This module owns which callee names make an entry point, which make a schedule, and which
calls use, train or deploy a model. The linker asks it for the seeds of the `serving`,
`pipeline` and `scheduled` roles, and for an `EntryPointFact` per entry point once it knows
the import graph and the roles.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from portfolio_check.analyzers.configs import is_lambda_image
from portfolio_check.model.facts import (
    CallFact,
    DockerfileFact,
    EntryForm,
    EntryPointFact,
    Fact,
    InfrastructureFact,
    WorkflowJobFact,
)
from portfolio_check.model.location import Location

#: Keywords that schedule an Airflow DAG (a keyword given None is not recorded).
_DAG_SCHEDULE = frozenset({"schedule", "schedule_interval", "timetable"})
#: Keywords that schedule a Prefect flow when it is served or deployed.
_FLOW_SCHEDULE = frozenset({"cron", "interval", "rrule", "schedule", "schedules"})


@dataclass(frozen=True)
class EntryKind:
    """Callee names that define one kind of entry point."""

    pattern: re.Pattern[str]
    form: EntryForm
    framework: str
    scheduled: bool = False  # the callee is itself a schedule or a sensor
    schedule_keywords: frozenset[str] = frozenset()  # keywords that give it a schedule
    needs_keywords: frozenset[str] = frozenset()  # it counts only with one of these

    def defines(self, call: CallFact) -> bool:
        if self.needs_keywords and self.needs_keywords.isdisjoint(call.keywords):
            return False
        return bool(self.pattern.search(call.name))


def _kind(
    pattern: str,
    form: EntryForm,
    framework: str,
    *,
    scheduled: bool = False,
    schedule_keywords: frozenset[str] = frozenset(),
    needs_keywords: frozenset[str] = frozenset(),
) -> EntryKind:
    return EntryKind(
        re.compile(pattern), form, framework, scheduled, schedule_keywords, needs_keywords
    )


_ROUTE_METHODS = r"(get|post|put|patch|delete|route|api_route|websocket)"
#: Entry kinds by the first part of the callee's name, so that each call is tested against
#: the few kinds of its package only.
ENTRY_KINDS: Mapping[str, tuple[EntryKind, ...]] = {
    # web APIs and model servers
    "fastapi": (_kind(rf"^fastapi\.(FastAPI|APIRouter)\(\)\.{_ROUTE_METHODS}$", "api", "fastapi"),),
    "flask": (_kind(rf"^flask\.(Flask|Blueprint)\(\)\.{_ROUTE_METHODS}$", "api", "flask"),),
    "litestar": (_kind(rf"^litestar\.Litestar\(\)\.{_ROUTE_METHODS}$", "api", "litestar"),),
    "starlette": (
        _kind(rf"^starlette\.applications\.Starlette\(\)\.{_ROUTE_METHODS}$", "api", "starlette"),
    ),
    "bentoml": (_kind(r"^bentoml\.(api|service|Service(\(\)\.api)?)$", "api", "bentoml"),),
    "litserve": (_kind(r"^litserve\.", "api", "litserve"),),
    "ray": (_kind(r"^ray\.serve\.(deployment|ingress)$", "api", "ray-serve"),),
    "kserve": (_kind(r"^kserve\.(Model|ModelServer)$", "api", "kserve"),),
    # serverless handlers
    "mangum": (_kind(r"^mangum\.Mangum$", "serverless", "aws-lambda"),),
    "functions_framework": (
        _kind(r"^functions_framework\.(http|cloud_event)$", "serverless", "cloud-functions"),
    ),
    "azure": (
        _kind(r"^azure\.functions\.FunctionApp\(\)\.timer_trigger$", "serverless",
              "azure-functions", scheduled=True),
        _kind(r"^azure\.functions\.FunctionApp\(\)\.(route|\w+_trigger)$", "serverless",
              "azure-functions"),
        _kind(r"^azure\.ai\.ml\.entities\.(ManagedOnline|Kubernetes|Batch)Deployment$",
              "endpoint", "azure-ml"),
    ),
    "chalice": (
        _kind(r"^chalice\.Chalice\(\)\.schedule$", "serverless", "chalice", scheduled=True),
        _kind(r"^chalice\.Chalice\(\)\.(route|lambda_function)$", "serverless", "chalice"),
    ),
    # interactive apps
    "gradio": (
        _kind(r"^gradio\.(Interface|Blocks|ChatInterface|TabbedInterface)$", "app", "gradio"),
    ),
    "streamlit": (_kind(r"^streamlit\.", "app", "streamlit"),),
    "dash": (_kind(r"^dash\.Dash$", "app", "dash"),),
    # managed endpoints deployed from code
    "sagemaker": (
        _kind(r"^sagemaker\..*\.deploy$", "endpoint", "sagemaker"),
        _kind(r"^sagemaker\.workflow\.pipeline\.Pipeline$", "pipeline", "sagemaker"),
    ),
    "boto3": (
        _kind(r"^boto3\.(client|Session\(\)\.client)\(\)\.(create|update)_endpoint$",
              "endpoint", "sagemaker"),
    ),
    "aws_cdk": (_kind(r"^aws_cdk\.aws_sagemaker\.CfnEndpoint$", "endpoint", "sagemaker"),),
    "google": (
        _kind(r"^google\.cloud\.aiplatform\..*\.deploy$", "endpoint", "vertex-ai"),
        _kind(r"^google\.cloud\.aiplatform\.PipelineJobSchedule$", "pipeline", "vertex-ai",
              scheduled=True),
    ),
    # pipelines and batch jobs
    "airflow": (
        _kind(r"^airflow\.(models\.(dag\.)?DAG|DAG|(decorators|sdk)\.dag|sdk\.DAG)$",
              "pipeline", "airflow", schedule_keywords=_DAG_SCHEDULE),
    ),
    "dagster": (
        _kind(r"^dagster\.(schedule|sensor|asset_sensor|multi_asset_sensor|ScheduleDefinition"
              r"|SensorDefinition|build_schedule_from_partitioned_job)$",
              "pipeline", "dagster", scheduled=True),
        _kind(r"^dagster\.(job|asset|multi_asset|graph_asset|op|graph|define_asset_job"
              r"|Definitions|repository)$", "pipeline", "dagster"),
    ),
    "prefect": (
        _kind(r"^prefect\.(client|server)\.schemas\.schedules\.", "pipeline", "prefect",
              scheduled=True),
        _kind(r"^prefect\.(flow|deployments\.Deployment\.build_from_flow)$", "pipeline",
              "prefect", schedule_keywords=_FLOW_SCHEDULE),
    ),
    "metaflow": (
        _kind(r"^metaflow\.schedule$", "pipeline", "metaflow", scheduled=True),
        _kind(r"^metaflow\.FlowSpec$", "pipeline", "metaflow"),
    ),
    "zenml": (
        _kind(r"^zenml\.config\.schedule\.Schedule$", "pipeline", "zenml", scheduled=True),
        _kind(r"^zenml\.(pipelines\.)?pipeline$", "pipeline", "zenml"),
    ),
    "kedro": (_kind(r"^kedro\.pipeline\.(Pipeline|pipeline)$", "pipeline", "kedro"),),
    "kfp": (
        _kind(r"^kfp\.(v2\.)?Client\(\)\.create_recurring_run$", "pipeline", "kubeflow",
              scheduled=True),
        _kind(r"^kfp\.(v2\.)?dsl\.pipeline$", "pipeline", "kubeflow"),
    ),
    "tfx": (_kind(r"^tfx\.(v1\.dsl\.Pipeline|orchestration\.pipeline\.Pipeline)$", "pipeline",
                  "tfx"),),
    "luigi": (_kind(r"^luigi\.(Task|WrapperTask)$", "pipeline", "luigi"),),
    "schedule": (_kind(r"^schedule\.every", "pipeline", "schedule", scheduled=True),),
    "apscheduler": (
        _kind(r"^apscheduler\.schedulers\..*\.(add_job|scheduled_job)$", "pipeline",
              "apscheduler", scheduled=True),
    ),
}  # fmt: skip
#: A flow served or deployed on a schedule (`flow.serve(cron=...)`): only Prefect does this,
#: on any name, so it is known by its keywords.
_SERVED_FLOW = _kind(
    r"\.(serve|deploy|to_deployment)$", "pipeline", "prefect",
    scheduled=True, needs_keywords=_FLOW_SCHEDULE,
)  # fmt: skip

#: Calls that use a trained model: load it, predict with it, or deploy it to a service.
_LOAD_NAMES = frozenset(
    {"joblib.load", "pickle.load", "dill.load", "cloudpickle.load", "torch.load",
     "torch.jit.load", "tensorflow.saved_model.load", "spacy.load", "transformers.pipeline",
     "sentence_transformers.SentenceTransformer", "onnxruntime.InferenceSession",
     "tensorflow.lite.Interpreter", "tflite_runtime.interpreter.Interpreter", "ultralytics.YOLO"}
)  # fmt: skip
_LOAD_ENDINGS = frozenset(
    {"load_model", "from_pretrained", "load_from_checkpoint", "use_model", "model_from_json",
     "load_learner"}
)  # fmt: skip
_PREDICT_ENDINGS = frozenset({"predict", "predict_proba", "batch_predict"})
_DEPLOY_CALL = re.compile(
    r"^(sagemaker\..*\.(deploy|transformer)|sagemaker\.transformer\.Transformer"
    r"|google\.cloud\.aiplatform\..*\.(deploy|batch_predict)"
    r"|google\.cloud\.aiplatform\.BatchPredictionJob\.create"
    r"|boto3\.(client|Session\(\)\.client)\(\)\.(create_endpoint|update_endpoint"
    r"|create_transform_job|invoke_endpoint)"
    r"|aws_cdk\.aws_sagemaker\.CfnEndpoint|tfx\..*\bPusher)$"
)
_TRAINING_ENDINGS = frozenset({"fit", "train", "start_run"})
_TRAINING_MODULE = re.compile(r"(^|[._])train(ing|er)?($|[._])")


def entry_kind(call: CallFact) -> EntryKind | None:
    """The kind of entry point a call (or decorator, or base class) defines, if any."""
    top = call.name.split(".", 1)[0]
    kinds = (*ENTRY_KINDS.get(top, ()), _SERVED_FLOW)
    return next((kind for kind in kinds if kind.defines(call)), None)


def is_training_module(module: str) -> bool:
    """`train.py`, `training`, `model_trainer`: a module named for training."""
    return bool(_TRAINING_MODULE.search(module.rsplit(".", 1)[-1]))


#: Training declared as a pipeline step or a managed job rather than called with `.fit()`.
_TRAINING_STEP = re.compile(
    r"^(sagemaker\.workflow\.steps\.TrainingStep|sagemaker\.workflow\.steps\.TuningStep"
    r"|tfx\.[\w.]*\.Trainer"
    r"|google\.cloud\.aiplatform\.\w*(Training|Tuning)Job"
    r"|azure\.ai\.ml\.command)$"
)


def is_training_call(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in _TRAINING_ENDINGS or bool(_TRAINING_STEP.match(name))


@dataclass(frozen=True)
class ModelUse:
    """What the project's code does with models, file by file."""

    loads: frozenset[str]  # files that load a trained model or predict with one
    deploys: frozenset[str]  # files that deploy a model to a service or a batch job

    @classmethod
    def of(cls, calls: Iterable[CallFact]) -> ModelUse:
        loads: set[str] = set()
        deploys: set[str] = set()
        for call in calls:
            last = call.name.rsplit(".", 1)[-1]
            if call.name in _LOAD_NAMES or last in _LOAD_ENDINGS or last in _PREDICT_ENDINGS:
                loads.add(call.path)
            if _DEPLOY_CALL.search(call.name):
                deploys.add(call.path)
        return cls(loads=frozenset(loads), deploys=frozenset(deploys))


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """An entry point before the linker knows what it reaches: where it is defined, and the
    files it starts from (its own, or those a config names)."""

    location: Location
    form: EntryForm
    framework: str
    name: str
    starts: tuple[str, ...]
    scheduled: bool


_FUNCTION_TOOLS = frozenset({"sam", "cloudformation", "serverless"})
#: Endpoints declared as infrastructure, as `aws_cdk.aws_sagemaker.CfnEndpoint` is in code.
ENDPOINT_RESOURCES: Mapping[str, str] = {
    "aws_sagemaker_endpoint": "sagemaker",
    "AWS::SageMaker::Endpoint": "sagemaker",
    "google_vertex_ai_endpoint": "vertex-ai",
}
Resolve = Callable[[Fact, Iterable[str]], list[str]]


def candidates(
    facts: Iterable[Fact], code_files: frozenset[str], resolve: Resolve
) -> list[Candidate]:
    """Every entry point of the project, one per file, form and framework. `code_files`
    are the project's own modules (not tests, not notebooks); `resolve` turns the names a
    config gives (a handler, a command) into files of the target."""
    found: dict[tuple[str, str, str], Candidate] = {}
    for candidate in _all_candidates(facts, code_files, resolve):
        key = (candidate.location.path, candidate.form, candidate.framework)
        known = found.get(key)
        if known is None:
            found[key] = candidate
        elif candidate.scheduled and not known.scheduled:  # the file's schedule counts
            found[key] = dataclasses.replace(known, scheduled=True)
    return list(found.values())


#: The kinds of fact an entry point is found in: `candidates` reads no other.
CANDIDATE_SOURCES = (CallFact, DockerfileFact, InfrastructureFact, WorkflowJobFact)


def _all_candidates(
    facts: Iterable[Fact], code_files: frozenset[str], resolve: Resolve
) -> Iterator[Candidate]:
    kinds: dict[tuple[str, tuple[str, ...]], EntryKind | None] = {}  # a kind depends on these
    for fact in facts:
        if isinstance(fact, CallFact):
            if fact.path not in code_files:
                continue
            key = (fact.name, fact.keywords)
            if key not in kinds:  # the same callee, used the same way in many files
                kinds[key] = entry_kind(fact)
            kind = kinds[key]
            if kind is not None:
                yield _from_call(fact, kind)
        elif isinstance(fact, DockerfileFact) and is_lambda_image(fact.base_image, fact.command):
            targets = resolve(fact, fact.references)
            yield from _handlers(fact, "aws-lambda", fact.command or "", targets)
        elif isinstance(fact, InfrastructureFact):
            yield from _declared(fact, resolve)
        elif isinstance(fact, WorkflowJobFact) and fact.scheduled and not fact.placeholder:
            starts = tuple(p for p in resolve(fact, fact.references) if p in code_files)
            if starts:
                yield Candidate(
                    location=fact.location,
                    form="pipeline",
                    framework=fact.system,
                    name=f"job {fact.job}",
                    starts=starts,
                    scheduled=True,
                )


def _declared(fact: InfrastructureFact, resolve: Resolve) -> Iterator[Candidate]:
    """An endpoint declared as infrastructure, or the handlers of declared functions."""
    if fact.resource in ENDPOINT_RESOURCES:
        yield Candidate(
            location=fact.location,
            form="endpoint",
            framework=ENDPOINT_RESOURCES[fact.resource],
            name=f"{fact.resource} {fact.name}".strip(),
            starts=(),
            scheduled=False,
        )
    elif fact.tool in _FUNCTION_TOOLS:
        framework = "aws-lambda" if "aws" in fact.resource.lower() else fact.tool
        yield from _handlers(fact, framework, fact.name, resolve(fact, fact.references))


def _from_call(call: CallFact, kind: EntryKind) -> Candidate:
    scheduled = kind.scheduled or bool(kind.schedule_keywords & set(call.keywords))
    return Candidate(
        location=call.location,
        form=kind.form,
        framework=kind.framework,
        name=call.name,
        starts=(call.path,),
        scheduled=scheduled,
    )


def _handlers(fact: Fact, framework: str, name: str, targets: list[str]) -> Iterator[Candidate]:
    """A serverless handler a config names, placed in the handler's own module."""
    for target in targets:
        if target.endswith(".py"):
            yield Candidate(
                location=Location(path=target),
                form="serverless",
                framework=framework,
                name=f"{name} ({fact.path})",
                starts=(target,),
                scheduled=False,
            )


@dataclass(frozen=True, kw_only=True)
class Reaching:
    """The files from which, following imports, the project's code reaches each kind of
    model work (a file reaches what it holds itself)."""

    any_model: frozenset[str]  # code that loads, predicts with or deploys a model
    served_model: frozenset[str]  # the same, outside training code (which loads to evaluate)
    training: frozenset[str]  # training code


def entry_point(
    candidate: Candidate, reaching: Reaching, scheduled_files: frozenset[str]
) -> EntryPointFact:
    """The fact for one entry point. A pipeline uses a model when it deploys one or loads one
    outside training code (training code loads and predicts too, to evaluate); a server or
    an app uses one when anything it reaches does; an endpoint is a deployed model."""
    starts = candidate.starts
    if candidate.form == "endpoint":
        uses_model = True
    elif candidate.form == "pipeline":
        uses_model = any(path in reaching.served_model for path in starts)
    else:
        uses_model = any(path in reaching.any_model for path in starts)
    return EntryPointFact(
        location=candidate.location,
        form=candidate.form,
        framework=candidate.framework,
        name=candidate.name,
        reaches_model=uses_model,
        trains=any(path in reaching.training for path in starts),
        scheduled=candidate.scheduled or any(path in scheduled_files for path in starts),
    )
