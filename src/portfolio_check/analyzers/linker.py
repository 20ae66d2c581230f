"""Links facts across files once every file is read: the import graph of the target's own
modules, what runs each module, whether commands name files that exist, and train/serve
parity. This is what separates "a Dockerfile exists" from "the Dockerfile starts the API
that the tests exercise".

Roles given to a file (and to every fact in it):
- `tested`: a test file imports it, directly or through other project modules;
- `serving`: it is an entry point that serves (HTTP routes, an interactive app, a serverless
  handler), a container or a platform starts it as a server, or such code imports it;
- `pipeline`: training code, a pipeline stage (DVC, a task) or an orchestrated pipeline
  (an Airflow DAG, a Prefect flow...) runs it;
- `ci`: a CI job runs it by name (`python -m pkg.monitor`), directly or through the tasks
  and scripts it hands over to (`task_graph`), or code that one names imports it;
- `scheduled`: a scheduled CI job or a scheduled pipeline runs it.

The entry points themselves (`entry_points`) become facts too, with what they reach.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from portfolio_check.analyzers import entry_points
from portfolio_check.analyzers.base import AnalysisContext, module_name
from portfolio_check.analyzers.configs import is_lambda_image
from portfolio_check.analyzers.entry_points import Candidate, ModelUse
from portfolio_check.analyzers.fact_table import FactTable, replaced
from portfolio_check.analyzers.provenance import settle
from portfolio_check.analyzers.repo_summary import (
    mark_locked_manifests,
    mark_unused_dependencies,
    summaries,
)
from portfolio_check.analyzers.task_graph import RUNNABLES, follow_tasks
from portfolio_check.analyzers.templates import template_clones
from portfolio_check.analyzers.testlinks import link_tests
from portfolio_check.intake.snapshot import Snapshot
from portfolio_check.model.facts import (
    CallFact,
    CourseMarkerFact,
    DockerfileFact,
    DvcStageFact,
    EntryPointFact,
    Fact,
    ImportFact,
    InfrastructureFact,
    PythonModuleFact,
    TaskFact,
    TestFunctionFact,
    TrainServeParityFact,
    WorkflowJobFact,
)
from portfolio_check.model.location import Location

SERVER_COMMAND = re.compile(
    r"\b(uvicorn|gunicorn|hypercorn|bentoml\s+serve|streamlit\s+run|flask)\b"
)
#: Platform processes that serve (a Procfile's `web`, an App Engine service) or run on a
#: clock (a Procfile's `clock`).
SERVING_PROCESSES = frozenset({("heroku", "web"), ("app-engine", "service")})
SCHEDULED_PROCESSES = frozenset({("heroku", "clock")})
SERVING_FORMS = frozenset({"api", "app", "serverless"})
FEATURE_MODULE = re.compile(r"feature|preprocess|transform|prepar|clean|encod|pipeline|process")
CONTAINER_PREFIXES = ("app/", "code/", "workspace/", "opt/app/", "usr/src/app/", "src/app/")


def link(facts: Sequence[Fact], context: AnalysisContext, snapshot: Snapshot) -> list[Fact]:
    """The facts with roles and command targets filled in, plus the facts only the whole
    picture shows: train/serve parity, unused dependencies, locked manifests, code balance
    and health, and which upstreams the repository's copies count for."""
    resolver = _Resolver(context, snapshot)
    table = FactTable(facts)  # each step visits only the kinds of fact it is about
    graph = _import_graph(table.of(ImportFact))
    # what CI jobs run through tasks and scripts
    table.replace_all(follow_tasks(table.of(*RUNNABLES), snapshot), RUNNABLES)
    table.replace(CHECKED_COMMANDS, resolver.checked)
    mark_unused_dependencies(table)
    mark_locked_manifests(table)
    link_tests(table)
    code_files = frozenset(f.path for f in table.of(PythonModuleFact) if f.scope == "code")
    entries = entry_points.candidates(
        table.of(*entry_points.CANDIDATE_SOURCES), code_files, resolver.found
    )
    code_calls = [call for call in table.of(CallFact) if call.path in code_files]
    seeds = _seeds(table, resolver, code_calls, entries)
    table.extend(_parity(seeds["serving-direct"], seeds["training-direct"], graph, context))
    roles = _roles(seeds, graph)
    table.extend(_entry_point_facts(entries, code_calls, seeds, roles, graph))
    table.replace(Fact, _roles_giver(roles))
    table.extend(summaries(table))
    table.extend(template_clones(table.of(CourseMarkerFact)))
    return settle(table.facts, context.upstream_index, context.upstream_store)


#: The facts whose command or handler must name a file of the target (`_Resolver.checked`).
TARGETED = (DockerfileFact, DvcStageFact, InfrastructureFact)
#: The facts whose commands `_Resolver.checked` checks: the targeted ones, and tasks.
CHECKED_COMMANDS = (TaskFact, *TARGETED)


class _Resolver:
    """Names in commands (`churn.api`, `src/train.py`) to files of the target."""

    def __init__(self, context: AnalysisContext, snapshot: Snapshot) -> None:
        self.layout = context.layout
        self.snapshot = snapshot

    def resolve(self, reference: str, base_dir: str) -> str | None:
        """A file as written, or a module as Python finds it from where the command runs
        (`fastserve` next to `services/api/Dockerfile`, `churn.api` under `src/`)."""
        if reference.endswith(".py") or "/" in reference:
            return self._file(reference, base_dir)
        return self.layout.find(reference, base_dir)

    def _file(self, reference: str, base_dir: str) -> str | None:
        relative = reference.lstrip("/")
        candidates = [posixpath.normpath(posixpath.join(base_dir, relative)), relative]
        if reference.startswith("/"):  # a path inside the image: /app/src/serve.py
            candidates += [relative[len(p) :] for p in CONTAINER_PREFIXES if relative.startswith(p)]
        return next(
            (c for c in candidates if not c.startswith("..") and self.snapshot.exists(c)), None
        )

    def in_image(self, fact: DockerfileFact, reference: str) -> str | None:
        """A reference as the container sees it (from its WORKDIR), traced back through the
        COPY instructions to a file of the repository; the build context is the Dockerfile's
        folder or the repository root."""
        if reference.endswith(".py") or "/" in reference:
            images = [posixpath.normpath(posixpath.join(fact.workdir, reference))]
        else:  # a module, imported from the working directory
            stem = posixpath.join(fact.workdir, *reference.split("."))
            images = [f"{stem}.py", f"{stem}/__init__.py"]
        contexts = dict.fromkeys((posixpath.dirname(fact.path), ""))
        for image in images:
            for source in _copied_from(image, fact.copies):
                for context in contexts:
                    path = posixpath.normpath(posixpath.join(context, source))
                    if not path.startswith("..") and self.snapshot.exists(path):
                        return path
        return None

    def targets(self, fact: Fact, references: Iterable[str]) -> tuple[list[str], list[str]]:
        """(resolved files, references that name nothing in the target)."""
        base_dir = posixpath.dirname(fact.path)
        found, missing = [], []
        for reference in references:
            path = self.resolve(reference, base_dir)
            if not path and isinstance(fact, DockerfileFact):
                path = self.in_image(fact, reference)
            if path:
                found.append(path)
            else:
                missing.append(reference)
        return found, missing

    def found(self, fact: Fact, references: Iterable[str]) -> list[str]:
        """The files of the target that the references resolve to."""
        return self.targets(fact, references)[0]

    def checked(self, fact: Fact) -> Fact:
        """Dockerfiles, DVC stages and deploy configs (a Procfile, a serverless function)
        whose command or handler names a missing file are inert, as are tasks that run a
        Python script that is not there (a Makefile target left pointing at a deleted
        `make_dataset.py`)."""
        if isinstance(fact, TaskFact):
            return self._checked_task(fact)
        if not isinstance(fact, TARGETED):
            return fact
        if not fact.references:
            return fact
        _, missing = self.targets(fact, fact.references)
        if not missing:
            return dataclasses.replace(fact, target_exists=True)
        what = "it runs" if isinstance(fact, InfrastructureFact) else "its command names"
        reason = f"{what} {missing[0]}, which is not in the repository"
        return dataclasses.replace(
            fact, target_exists=False, placeholder=fact.placeholder or reason
        )

    def _checked_task(self, fact: TaskFact) -> Fact:
        """Only scripts count: a task may name modules and folders its tools generate."""
        scripts = [reference for reference in fact.references if reference.endswith(".py")]
        _, missing = self.targets(fact, scripts)
        if not missing or fact.placeholder:
            return fact
        reason = f"its command names {missing[0]}, which is not in the repository"
        return dataclasses.replace(fact, placeholder=reason)


def _copied_from(image: str, copies: Sequence[tuple[str, str]]) -> Iterator[str]:
    """The build-context paths that may have put `image` in place, latest COPY first."""
    for written, destination in reversed(copies):
        source = written.strip("/") or "."
        folder = destination.rstrip("/")
        if image == destination:
            yield source
        elif image.startswith(folder + "/"):
            rest = image[len(folder) + 1 :]
            name = posixpath.basename(source)
            if "*" in name or "?" in name:
                if fnmatch.fnmatchcase(rest, name):
                    yield posixpath.join(posixpath.dirname(source), rest)
            else:
                yield posixpath.join(source, rest)  # a folder copied into the folder
                if destination.endswith("/") and rest == name:
                    yield source  # a file copied into the folder


def _import_graph(facts: Iterable[Fact]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        if isinstance(fact, ImportFact) and fact.target and fact.target != fact.path:
            graph[fact.path].add(fact.target)
    return graph


def _seeds(
    table: FactTable,
    resolver: _Resolver,
    code_calls: Sequence[CallFact],
    entries: Sequence[Candidate],
) -> dict[str, set[str]]:
    """Files each role starts from, before following imports."""
    seeds: dict[str, set[str]] = defaultdict(set)
    seeds["tested"].update(
        fact.target for fact in table.of(ImportFact) if fact.scope == "test" and fact.target
    )
    seeds["tested"].update(  # pytest runs its docstring examples
        fact.path for fact in table.of(TestFunctionFact) if fact.doctest
    )
    names = {call.name for call in code_calls}  # each judged once
    training_calls = {name for name in names if entry_points.is_training_call(name)}
    seeds["training-direct"].update(c.path for c in code_calls if c.name in training_calls)
    seeds["training-direct"].update(
        fact.path
        for fact in table.of(PythonModuleFact)
        if fact.scope == "code" and entry_points.is_training_module(fact.module)
    )
    for fact in table.of(*COMMANDS):
        _command_seeds(fact, resolver, seeds)
    for entry in entries:
        if entry.form in SERVING_FORMS:
            seeds["serving-direct"].update(entry.starts)
        elif entry.form == "pipeline":
            seeds["pipeline"].update(entry.starts)
        if entry.scheduled:
            seeds["scheduled"].update(entry.starts)
    seeds["serving"] |= seeds["serving-direct"]
    seeds["pipeline"] |= seeds["training-direct"]
    return seeds


#: The facts whose commands or processes start files: a role's seeds.
COMMANDS = (*CHECKED_COMMANDS, WorkflowJobFact)


def _command_seeds(fact: Fact, resolver: _Resolver, seeds: dict[str, set[str]]) -> None:
    if isinstance(fact, DockerfileFact) and fact.command and _serves(fact):
        found, _ = resolver.targets(fact, fact.references)
        seeds["serving"].update(found)
        seeds["serving-direct"].update(p for p in found if p.endswith(".py"))
    elif isinstance(fact, InfrastructureFact) and fact.references:
        process = (fact.tool, fact.resource if fact.tool == "app-engine" else fact.name)
        if process in SERVING_PROCESSES:
            seeds["serving"].update(resolver.found(fact, fact.references))
        elif process in SCHEDULED_PROCESSES:
            seeds["scheduled"].update(resolver.found(fact, fact.references))
    elif isinstance(fact, DvcStageFact) or (isinstance(fact, TaskFact) and fact.runs_pipeline):
        seeds["pipeline"].update(resolver.targets(fact, fact.references)[0])
    elif isinstance(fact, WorkflowJobFact):
        found, _ = resolver.targets(fact, fact.references)
        seeds["ci"].update(found)
        if fact.scheduled:
            seeds["scheduled"].update(found)


def _serves(fact: DockerfileFact) -> bool:
    """A container that starts a server, or an AWS Lambda image (its CMD is the handler)."""
    command = fact.command or ""
    return bool(SERVER_COMMAND.search(command)) or is_lambda_image(fact.base_image, command)


def _entry_point_facts(
    entries: Sequence[Candidate],
    code_calls: Iterable[CallFact],
    seeds: Mapping[str, set[str]],
    roles: Mapping[str, tuple[str, ...]],
    graph: Mapping[str, set[str]],
) -> list[EntryPointFact]:
    """An `EntryPointFact` per entry point. What each reaches is found backwards, once for
    all of them: the files that import (directly or not) model-using or training code."""
    if not entries:
        return []
    use = ModelUse.of(code_calls)
    training = frozenset(seeds.get("training-direct", ()))
    reverse: dict[str, set[str]] = defaultdict(set)
    for source, targets in graph.items():
        for target in targets:
            reverse[target].add(source)
    reaching = entry_points.Reaching(
        any_model=frozenset(_reach(use.loads | use.deploys, reverse)),
        served_model=frozenset(_reach(use.deploys | (use.loads - training), reverse)),
        training=frozenset(_reach(training, reverse)),
    )
    scheduled = frozenset(path for path, names in roles.items() if "scheduled" in names)
    return [entry_points.entry_point(entry, reaching, scheduled) for entry in entries]


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


def _roles_giver(roles: Mapping[str, tuple[str, ...]]) -> Callable[[Fact], Fact]:
    """What gives a fact the roles of its file."""

    def give(fact: Fact) -> Fact:
        wanted = roles.get(fact.location.path)
        return replaced(fact, roles=wanted) if wanted and fact.roles != wanted else fact

    return give


def _parity(
    serving: set[str], training: set[str], graph: Mapping[str, set[str]], context: AnalysisContext
) -> list[TrainServeParityFact]:
    """Serving code that imports the feature code training uses (directly or not)."""
    facts: list[TrainServeParityFact] = []
    reach = {path: _reach([path], graph) - {path} for path in serving | training}
    for serve in sorted(serving):
        serve_reach = reach[serve]
        for train in sorted(training - {serve}):
            train_reach = reach[train]
            shared = sorted(
                path
                for path in (serve_reach & train_reach) | ({train} & serve_reach)
                if FEATURE_MODULE.search(module_name(path) or path) or path == train
            )
            if shared:
                module = module_name(shared[0]) or shared[0]
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
