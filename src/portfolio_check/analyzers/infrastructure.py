"""Infrastructure as code and platform deploy files: Terraform, CloudFormation and SAM
templates, the Serverless Framework, AWS CDK and Pulumi projects, Helm charts, Heroku
Procfiles and App Engine configs.

Each declared resource becomes an `InfrastructureFact`. Where a resource runs the project's
own code (a Lambda function's handler, a Procfile process, the app a `cdk.json` starts), the
fact names that module or file, and the linker follows it as it follows a Dockerfile's CMD.
Resources written in Python (CDK constructs, Pulumi resources) are calls, read by `python`.

Terraform is read line by line: a `resource "type" "name"` or `module "name"` header starts
a top-level block in HCL, so no parser is needed to list them, and the pass stays linear
whatever the file holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.command_links import command_references, handler_references
from portfolio_check.analyzers.yaml_shapes import yaml_finding
from portfolio_check.common.safe_yaml import YamlError, load_yaml
from portfolio_check.intake.snapshot import MAX_TEXT_BYTES, FileEntry
from portfolio_check.model.facts import Fact, FindingFact, InfrastructureFact
from portfolio_check.model.location import Location

#: Resources kept per file: a generated template may declare thousands.
MAX_RESOURCES = 500
_TERRAFORM_BLOCK = re.compile(r'^\s*(resource|module)\s+"([^"\n]{1,200})"(?:\s+"([^"\n]{1,200})")?')
#: A CloudFormation template says what it is near the top, or declares AWS resource types.
_CLOUDFORMATION = re.compile(
    r"^(AWSTemplateFormatVersion|Transform)[ \t]*:|^[ \t]+Type[ \t]*:[ \t]*['\"]?AWS::",
    re.MULTILINE,
)
_PROCFILE_LINE = re.compile(r"^([A-Za-z0-9_-]{1,64})\s*:\s*(\S.*)$")
_YAML_SUFFIXES = (".yaml", ".yml")
_SERVERLESS_FILES = frozenset({"serverless.yml", "serverless.yaml"})
_CHART_FILES = frozenset({"Chart.yaml", "Chart.yml"})
_PULUMI_FILES = frozenset({"Pulumi.yaml", "Pulumi.yml"})
_APP_ENGINE_FILES = frozenset({"app.yaml", "app.yml"})
#: Keys only an App Engine `app.yaml` holds next to `runtime` (other tools use the name too).
_APP_ENGINE_KEYS = frozenset({"entrypoint", "handlers", "instance_class", "automatic_scaling"})


class InfrastructureAnalyzer:
    name = "infrastructure"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return (
            entry.suffix == ".tf"
            or entry.suffix in _YAML_SUFFIXES
            or entry.name in ("Procfile", "cdk.json")
        )

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        if entry.suffix == ".tf":
            yield from terraform_facts(entry.path, text)
        elif entry.name == "Procfile":
            yield from procfile_facts(entry.path, text)
        elif entry.name == "cdk.json":
            yield from cdk_facts(entry.path, text)
        else:
            yield from self._yaml(entry, text)

    def _yaml(self, entry: FileEntry, text: str) -> Iterator[Fact]:
        family = _yaml_family(entry.name, text)
        if family is None:
            return
        try:
            document = _mapping(load_yaml(text))
        except YamlError as error:
            if family != "cloudformation":  # any YAML may look like one; only say so if sure
                yield yaml_finding(entry, self.name, error)
            return
        reader = _YAML_READERS[family]
        yield from reader(entry.path, text, document)


def _yaml_family(name: str, text: str) -> str | None:
    if name in _SERVERLESS_FILES:
        return "serverless"
    if name in _CHART_FILES:
        return "helm"
    if name in _PULUMI_FILES:
        return "pulumi"
    if name in _APP_ENGINE_FILES and re.search(r"^runtime[ \t]*:", text, re.MULTILINE):
        return "app-engine"
    if _CLOUDFORMATION.search(text):
        return "cloudformation"
    return None


# Terraform --------------------------------------------------------------------------------
def terraform_facts(path: str, text: str) -> Iterator[InfrastructureFact]:
    found = 0
    for number, line in enumerate(text.splitlines(), start=1):
        match = _TERRAFORM_BLOCK.match(line)
        if match is None:
            continue
        block, first, second = match.groups()
        resource, name = (first, second or "") if block == "resource" else ("module", first)
        yield InfrastructureFact(
            location=Location(path=path, line=number),
            tool="terraform",
            resource=resource,
            name=name,
        )
        found += 1
        if found == MAX_RESOURCES:
            return


# CloudFormation and SAM ----------------------------------------------------------------------
_FUNCTION_TYPES = frozenset({"AWS::Serverless::Function", "AWS::Lambda::Function"})


def cloudformation_facts(
    path: str, text: str, document: Mapping[Any, Any]
) -> Iterator[InfrastructureFact]:
    transform = document.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    serverless = any(str(item).startswith("AWS::Serverless") for item in transforms if item)
    tool = "sam" if serverless else "cloudformation"
    defaults = _mapping(_mapping(document.get("Globals")).get("Function"))
    lines = _LineIndex(text)
    resources = _mapping(document.get("Resources"))
    for logical_id, spec in list(resources.items())[:MAX_RESOURCES]:
        body = _mapping(spec)
        kind = body.get("Type")
        if not isinstance(kind, str):
            continue
        references: tuple[str, ...] = ()
        if kind in _FUNCTION_TYPES:
            properties = {**defaults, **_mapping(body.get("Properties"))}
            handler, code = properties.get("Handler"), properties.get("CodeUri")
            if isinstance(handler, str):
                references = handler_references(handler, code if isinstance(code, str) else "")
        yield InfrastructureFact(
            location=Location(path=path, line=lines.key(str(logical_id))),
            tool=tool,
            resource=kind,
            name=str(logical_id),
            references=references,
        )


# Serverless Framework ---------------------------------------------------------------------
def serverless_facts(
    path: str, text: str, document: Mapping[Any, Any]
) -> Iterator[InfrastructureFact]:
    provider = document.get("provider")
    platform = _mapping(provider).get("name") if isinstance(provider, Mapping) else provider
    lines = _LineIndex(text)
    functions = _mapping(document.get("functions"))
    for name, spec in list(functions.items())[:MAX_RESOURCES]:
        handler = _mapping(spec).get("handler")
        yield InfrastructureFact(
            location=Location(path=path, line=lines.key(str(name))),
            tool="serverless",
            resource=f"{platform} function" if platform else "function",
            name=str(name),
            references=handler_references(handler) if isinstance(handler, str) else (),
        )


# Helm, Pulumi, App Engine -----------------------------------------------------------------
def chart_facts(path: str, text: str, document: Mapping[Any, Any]) -> Iterator[InfrastructureFact]:
    if document.get("apiVersion") and document.get("name"):
        yield InfrastructureFact(
            location=Location(path=path, line=1),
            tool="helm",
            resource="chart",
            name=str(document["name"]),
        )


def pulumi_facts(path: str, text: str, document: Mapping[Any, Any]) -> Iterator[InfrastructureFact]:
    runtime = document.get("runtime")
    if document.get("name") and runtime:
        language = _mapping(runtime).get("name") if isinstance(runtime, Mapping) else runtime
        yield InfrastructureFact(
            location=Location(path=path, line=1),
            tool="pulumi",
            resource=f"{language} project",
            name=str(document["name"]),
        )


def app_engine_facts(
    path: str, text: str, document: Mapping[Any, Any]
) -> Iterator[InfrastructureFact]:
    if not _APP_ENGINE_KEYS & set(map(str, document)):
        return
    entrypoint = document.get("entrypoint")
    yield InfrastructureFact(
        location=Location(path=path, line=1),
        tool="app-engine",
        resource="service",
        name=str(document.get("service") or "default"),
        references=command_references(entrypoint) if isinstance(entrypoint, str) else (),
    )


_YAML_READERS = {
    "serverless": serverless_facts,
    "helm": chart_facts,
    "pulumi": pulumi_facts,
    "app-engine": app_engine_facts,
    "cloudformation": cloudformation_facts,
}


# Procfile and cdk.json ----------------------------------------------------------------------
def procfile_facts(path: str, text: str) -> Iterator[InfrastructureFact]:
    """`web: gunicorn app:app`: each process type and the command the platform runs."""
    for number, line in enumerate(text.splitlines()[:MAX_RESOURCES], start=1):
        match = _PROCFILE_LINE.match(line.strip())
        if match is None or line.lstrip().startswith("#"):
            continue
        process, command = match.groups()
        yield InfrastructureFact(
            location=Location(path=path, line=number),
            tool="heroku",
            resource="process",
            name=process,
            references=command_references(command),
        )


def cdk_facts(path: str, text: str) -> Iterator[Fact]:
    """`cdk.json`: the command that synthesises the CDK app (`python3 app.py`)."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        yield FindingFact(
            location=Location(path=path), analyzer="infrastructure", message="cdk.json is not JSON"
        )
        return
    app = _mapping(document).get("app")
    if isinstance(app, str) and app.strip():
        yield InfrastructureFact(
            location=Location(path=path, line=1),
            tool="cdk",
            resource="app",
            name=PurePosixPath(path).parent.name or "",
            references=command_references(app),
        )


# helpers ----------------------------------------------------------------------------------
def _mapping(value: object) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


class _LineIndex:
    """The first line where each indented `key:` is written, indexed in one pass (a
    template may hold thousands of resources)."""

    def __init__(self, text: str) -> None:
        self._lines: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            content = line.strip()
            if line[:1] in (" ", "\t") and ":" in content and not content.startswith("#"):
                key = content.split(":", 1)[0].strip().strip("'\"")
                self._lines.setdefault(key, number)

    def key(self, key: str) -> int | None:
        return self._lines.get(key)
