"""Links facts across files once every file is read: the import graph of the target's own
modules, what runs each module, whether commands name files that exist, and train/serve
parity. This is what separates "a Dockerfile exists" from "the Dockerfile starts the API
that the tests exercise".

Roles given to a file (and to every fact in it):
- `tested`: a test file imports it, directly or through other project modules;
- `serving`: it defines HTTP routes, a container starts it as a server, or such code imports it;
- `pipeline`: training code or a pipeline stage (DVC, Makefile) runs it;
- `ci`: a CI job runs it by name (`python -m pkg.monitor`), directly or through the tasks
  and scripts it hands over to (`task_graph`), or code that one names imports it;
- `scheduled`: a scheduled CI job runs it.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.coursework import template_clones
from portfolio_check.analyzers.repo_summary import mark_unused_dependencies, summaries
from portfolio_check.analyzers.task_graph import follow_tasks
from portfolio_check.facts import (
    CallFact,
    DockerfileFact,
    DvcStageFact,
    Fact,
    ImportFact,
    PythonModuleFact,
    TaskFact,
    TrainServeParityFact,
    WorkflowJobFact,
)
from portfolio_check.snapshot import Location, Snapshot

SERVING_CALL = re.compile(
    r"^(fastapi\.(FastAPI|APIRouter)\(\)|flask\.(Flask|Blueprint)\(\)|litestar\.Litestar\(\)"
    r"|starlette\.applications\.Starlette\(\))\.(get|post|put|patch|delete|route|api_route)$"
    r"|^bentoml\.(api|service)$|^litserve\.|^ray\.serve\.deployment$"
)
SERVER_COMMAND = re.compile(
    r"\b(uvicorn|gunicorn|hypercorn|bentoml\s+serve|streamlit\s+run|flask)\b"
)
TRAINING_CALL_ENDINGS = frozenset({"fit", "train", "start_run"})
TRAINING_MODULE = re.compile(r"(^|[._])train(ing|er)?($|[._])")
FEATURE_MODULE = re.compile(r"feature|preprocess|transform|prepar|clean|encod|pipeline|process")
CONTAINER_PREFIXES = ("app/", "code/", "workspace/", "opt/app/", "usr/src/app/", "src/app/")


def link(facts: Sequence[Fact], context: AnalysisContext, snapshot: Snapshot) -> list[Fact]:
    """The facts with roles and command targets filled in, plus the facts only the whole
    picture shows: train/serve parity, unused dependencies, code balance and health."""
    resolver = _Resolver(context, snapshot)
    graph = _import_graph(facts)
    followed = follow_tasks(facts, snapshot)  # what CI jobs run through tasks and scripts
    linked = mark_unused_dependencies([resolver.checked(fact) for fact in followed])
    seeds = _seeds(linked, resolver)
    linked.extend(_parity(seeds["serving-direct"], seeds["training-direct"], graph, context))
    roles = _roles(seeds, graph)
    linked = [_with_roles(fact, roles.get(fact.path, ())) for fact in linked]
    linked.extend(summaries(linked))
    linked.extend(template_clones(linked))
    return linked


class _Resolver:
    """Names in commands (`churn.api`, `src/train.py`) to files of the target."""

    def __init__(self, context: AnalysisContext, snapshot: Snapshot) -> None:
        self.paths = context.layout.paths
        self.snapshot = snapshot

    def resolve(self, reference: str, base_dir: str) -> str | None:
        if reference.endswith(".py") or "/" in reference:
            return self._file(reference, base_dir)
        return self.paths.get(reference) or self._module_near(reference, base_dir)

    def _module_near(self, module: str, base_dir: str) -> str | None:
        """A module of a service in a subfolder, importable from where its Dockerfile or
        pipeline runs: `fastserve` next to `services/api/Dockerfile`."""
        if not base_dir:
            return None
        stem = module.replace(".", "/")
        candidates = [
            f"{base_dir}/{root}{stem}{tail}"
            for root in ("", "src/")
            for tail in (".py", "/__init__.py")
        ]
        return next((c for c in candidates if self.snapshot.exists(c)), None)

    def _file(self, reference: str, base_dir: str) -> str | None:
        relative = reference.lstrip("/")
        candidates = [posixpath.normpath(posixpath.join(base_dir, relative)), relative]
        if reference.startswith("/"):  # a path inside the image: /app/src/serve.py
            candidates += [relative[len(p) :] for p in CONTAINER_PREFIXES if relative.startswith(p)]
        return next(
            (c for c in candidates if not c.startswith("..") and self.snapshot.exists(c)), None
        )

    def targets(self, fact: Fact, references: Iterable[str]) -> tuple[list[str], list[str]]:
        """(resolved files, references that name nothing in the target)."""
        base_dir = posixpath.dirname(fact.path)
        found, missing = [], []
        for reference in references:
            path = self.resolve(reference, base_dir)
            if path:
                found.append(path)
            else:
                missing.append(reference)
        return found, missing

    def checked(self, fact: Fact) -> Fact:
        """Dockerfiles and DVC stages whose command names a missing file are inert."""
        if not isinstance(fact, (DockerfileFact, DvcStageFact)) or not fact.references:
            return fact
        _, missing = self.targets(fact, fact.references)
        if not missing:
            return dataclasses.replace(fact, target_exists=True)
        reason = f"its command names {missing[0]}, which is not in the repository"
        return dataclasses.replace(
            fact, target_exists=False, placeholder=fact.placeholder or reason
        )


def _import_graph(facts: Iterable[Fact]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        if isinstance(fact, ImportFact) and fact.target and fact.target != fact.path:
            graph[fact.path].add(fact.target)
    return graph


def _seeds(facts: Sequence[Fact], resolver: _Resolver) -> dict[str, set[str]]:
    """Files each role starts from, before following imports."""
    seeds: dict[str, set[str]] = defaultdict(set)
    code_modules = {f.path for f in facts if isinstance(f, PythonModuleFact) and f.scope == "code"}
    for fact in facts:
        if isinstance(fact, ImportFact) and fact.scope == "test" and fact.target:
            seeds["tested"].add(fact.target)
        elif isinstance(fact, CallFact) and fact.path in code_modules:
            if SERVING_CALL.search(fact.name):
                seeds["serving-direct"].add(fact.path)
            if fact.name.rsplit(".", 1)[-1] in TRAINING_CALL_ENDINGS:
                seeds["training-direct"].add(fact.path)
        elif (
            isinstance(fact, PythonModuleFact)
            and fact.scope == "code"
            and TRAINING_MODULE.search(fact.module.rsplit(".", 1)[-1])
        ):
            seeds["training-direct"].add(fact.path)
        _command_seeds(fact, resolver, seeds)
    seeds["serving"] |= seeds["serving-direct"]
    seeds["pipeline"] |= seeds["training-direct"]
    return seeds


def _command_seeds(fact: Fact, resolver: _Resolver, seeds: dict[str, set[str]]) -> None:
    if isinstance(fact, DockerfileFact) and fact.command and SERVER_COMMAND.search(fact.command):
        found, _ = resolver.targets(fact, fact.references)
        seeds["serving"].update(found)
        seeds["serving-direct"].update(p for p in found if p.endswith(".py"))
    elif isinstance(fact, DvcStageFact) or (isinstance(fact, TaskFact) and fact.runs_pipeline):
        seeds["pipeline"].update(resolver.targets(fact, fact.references)[0])
    elif isinstance(fact, WorkflowJobFact):
        found, _ = resolver.targets(fact, fact.references)
        seeds["ci"].update(found)
        if fact.scheduled:
            seeds["scheduled"].update(found)


def _reach(starts: Iterable[str], graph: Mapping[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        path = stack.pop()
        if path not in seen:
            seen.add(path)
            stack.extend(graph.get(path, ()))
    return seen


def _roles(
    seeds: Mapping[str, set[str]], graph: Mapping[str, set[str]]
) -> dict[str, tuple[str, ...]]:
    reached = {
        role: _reach(seeds.get(role, ()), graph)
        for role in ("tested", "serving", "pipeline", "ci", "scheduled")
    }
    roles: dict[str, set[str]] = defaultdict(set)
    for role, paths in reached.items():
        for path in paths:
            roles[path].add(role)
    return {path: tuple(sorted(names)) for path, names in roles.items()}


def _with_roles(fact: Fact, roles: tuple[str, ...]) -> Fact:
    return dataclasses.replace(fact, roles=roles) if roles and fact.roles != roles else fact


def _parity(
    serving: set[str], training: set[str], graph: Mapping[str, set[str]], context: AnalysisContext
) -> list[TrainServeParityFact]:
    """Serving code that imports the feature code training uses (directly or not)."""
    modules = {path: name for name, path in context.layout.paths.items()}
    facts: list[TrainServeParityFact] = []
    reach = {path: _reach([path], graph) - {path} for path in serving | training}
    for serve in sorted(serving):
        serve_reach = reach[serve]
        for train in sorted(training - {serve}):
            train_reach = reach[train]
            shared = sorted(
                path
                for path in (serve_reach & train_reach) | ({train} & serve_reach)
                if FEATURE_MODULE.search(modules.get(path, path)) or path == train
            )
            if shared:
                module = modules.get(shared[0], shared[0])
                facts.append(_parity_fact("serving", serve, module, train))
                facts.append(_parity_fact("training", train, module, serve))
                break
    return facts


def _parity_fact(side: str, path: str, module: str, other: str) -> TrainServeParityFact:
    return TrainServeParityFact(
        location=Location(path=path),
        side="serving" if side == "serving" else "training",
        shared_module=module,
        other_path=other,
    )
