"""What CI jobs and tasks really run: each one followed, statically, through the tasks and
scripts it hands over to (a workflow step -> `make test` -> `./tasks/unit_test.sh` ->
`pytest`), and given what everything it reaches does and names.

A linker step: it needs every task of the repository, so it runs once all files are
read. The walk is breadth first, bounded in depth and in tasks per start, and never
visits a task twice from one start, so cycles (`a: b`, `b: a`) end. Nothing is run.

A reusable workflow's jobs and a composite action are followed the same way. A CI job
whose own commands do nothing checkable and that hands over only to scripts, make
targets, actions or workflows that are not in the repository is a placeholder: it would fail, or do
nothing, the first time it ran.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

from portfolio_check.analyzers.script_activity import ACTIVITY_FLAGS
from portfolio_check.analyzers.task_invocations import MAKEFILES, Invocation
from portfolio_check.intake.snapshot import Snapshot
from portfolio_check.model.facts import Fact, TaskFact, WorkflowJobFact

MAX_DEPTH = 8  # tasks handing over to tasks: real chains are two or three deep
MAX_REACHED = 200  # tasks reached from one start
#: Invocations looked up or queued from one start: a file of thousands of tasks that each
#: name dozens of others would otherwise make every start walk most of them.
MAX_WORK = 600
MAX_VIA = 8  # tasks named in a fact's `via`
Lookup = Literal["found", "missing", "unknown"]
_BY_PATH = frozenset({"script", "action"})  # tasks named by their path, run where called
Runnable = WorkflowJobFact | TaskFact
RUNNABLES = (WorkflowJobFact, TaskFact)  # the kinds of fact `follow_tasks` follows


@dataclasses.dataclass(frozen=True)
class Reached:
    """A task (or a reusable workflow's job) reached from a start, and the folder its
    commands run in."""

    task: Runnable
    folder: str
    parent: int = -1  # the reached task that ran it (its place in the list), or the start


class TaskIndex:
    """Every task of the repository, by runner, folder and name; each invocation looked
    up once."""

    def __init__(self, facts: Iterable[Fact], snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # keyed by the encoded invocation: a string caches its hash, a dataclass does not
        self._looked_up: dict[tuple[str, str], tuple[list[Reached], Lookup]] = {}
        self._decoded: dict[str, Invocation | None] = {}
        self.named: dict[tuple[str, str, str], list[TaskFact]] = defaultdict(list)
        self.defaults: dict[tuple[str, str], list[TaskFact]] = defaultdict(list)
        self.folders: set[tuple[str, str]] = set()  # (runner, folder) that define tasks
        self.workflows: dict[str, list[WorkflowJobFact]] = defaultdict(list)
        for fact in facts:
            if isinstance(fact, WorkflowJobFact):
                self.workflows[fact.path].append(fact)
            elif isinstance(fact, TaskFact):
                folder = "" if fact.runner in _BY_PATH else posixpath.dirname(fact.path)
                self.named[(fact.runner, folder, fact.name)].append(fact)
                self.folders.add((fact.runner, folder))
                if fact.default:
                    self.defaults[(fact.runner, folder)].append(fact)

    def decoded(self, encoded: str) -> Invocation | None:
        if encoded not in self._decoded:
            self._decoded[encoded] = Invocation.decode(encoded)
        return self._decoded[encoded]

    def lookup(self, encoded: str, base: str) -> tuple[list[Reached], Lookup]:
        """The tasks an invocation runs, from a command that runs in `base`."""
        key = (encoded, base)
        if key not in self._looked_up:
            invocation = self.decoded(encoded)
            found = self._lookup(invocation, base) if invocation else ([], "unknown")
            self._looked_up[key] = found
        return self._looked_up[key]

    def _lookup(self, invocation: Invocation, base: str) -> tuple[list[Reached], Lookup]:
        start = _join(base, invocation.folder)
        if start is None:
            return [], "unknown"
        if invocation.runner == "script":
            return self._script(invocation.name, start, base)
        if invocation.runner in ("action", "workflow"):
            return self._github(invocation.runner, invocation.name, base)
        if invocation.runner == "make":  # make reads the Makefile where it starts, only
            return self._in_folder("make", start, invocation.name, missing=self._no_makefile)
        for folder in _upwards(start):  # the other runners look up the tree for their file
            if (invocation.runner, folder) in self.folders:
                return self._in_folder(invocation.runner, folder, invocation.name)
        missing = invocation.runner == "just" and not any(
            self.snapshot.exists(posixpath.join(folder, name))
            for folder in _upwards(start)
            for name in ("justfile", "Justfile", ".justfile")
        )
        return [], "missing" if missing else "unknown"

    def _in_folder(
        self, runner: str, folder: str, name: str, *, missing: object = None
    ) -> tuple[list[Reached], Lookup]:
        tasks = (
            self.named.get((runner, folder, name), []) if name else self.defaults[(runner, folder)]
        )
        if not tasks and runner == "tox" and name:  # `tox -e py311` runs the base `[testenv]`
            tasks = self.named.get(("tox", folder, "testenv"), [])
        if tasks:
            return [Reached(task, folder) for task in tasks], "found"
        absent = callable(missing) and missing(folder)
        return [], "missing" if absent else "unknown"

    def _no_makefile(self, folder: str) -> bool:
        return not any(self.snapshot.exists(posixpath.join(folder, name)) for name in MAKEFILES)

    def _github(self, runner: str, name: str, base: str) -> tuple[list[Reached], Lookup]:
        """A local composite action (its folder) or reusable workflow (its file)."""
        path = _join("", name)
        if path is None:
            return [], "unknown"
        found: list[Runnable] = [*(self.workflows.get(path, []) if runner == "workflow" else [])]
        found += self.named.get(("action", "", path), []) if runner == "action" else []
        if found:
            return [Reached(task, base) for task in found], "found"
        files = [path] if runner == "workflow" else [f"{path}/action.yml", f"{path}/action.yaml"]
        exists = any(self.snapshot.exists(file) for file in files)
        return [], "unknown" if exists else "missing"

    def _script(self, name: str, start: str, base: str) -> tuple[list[Reached], Lookup]:
        if name.startswith(("/", "~")):
            return [], "unknown"  # a path on the machine the job runs on
        path = _join(start, name)
        if path is None:
            return [], "unknown"
        found = self.named.get(("script", "", path))
        if found:
            return [Reached(task, base) for task in found], "found"
        return [], "unknown" if self.snapshot.exists(path) else "missing"


def follow_tasks(facts: Sequence[Fact], snapshot: Snapshot) -> list[Fact]:
    """The facts with every CI job and task given what the tasks it reaches do: flags
    ORed in, their references added (relative to the repository), and `via` naming them."""
    index = TaskIndex(facts, snapshot)
    return [_followed(fact, index) if isinstance(fact, Runnable) else fact for fact in facts]


def _followed(fact: Runnable, index: TaskIndex) -> Runnable:
    if not fact.invokes:
        return fact
    reached, missing = _reach(fact, index)
    references = list(fact.references)
    for step in reached:
        references.extend(_from(step, reference) for reference in step.task.references)
    changes: dict[str, object] = {
        flag: getattr(fact, flag) or any(getattr(s.task, flag) for s in reached)
        for flag in ACTIVITY_FLAGS
    }
    changes["references"] = tuple(dict.fromkeys(references))
    changes["via"] = _via(reached)
    # only a CI job: a local task may call what its tools generate (Sphinx's `_build/`)
    idle = not (reached or fact.references or _any_flag(fact))
    if isinstance(fact, WorkflowJobFact) and idle and missing and fact.placeholder is None:
        changes["placeholder"] = f"it runs {missing[0].label()}, which is not in the repository"
    return dataclasses.replace(fact, **changes)  # type: ignore[arg-type]


def _reach(fact: Runnable, index: TaskIndex) -> tuple[list[Reached], list[Invocation]]:
    """The tasks reached from `fact`, breadth first, and its own invocations that name
    nothing in the repository."""
    base = _base(fact)
    queue = deque((encoded, base, 1, -1) for encoded in fact.invokes)
    queued = {(encoded, base) for encoded in fact.invokes}
    seen: set[tuple[str, str, str]] = set()
    reached: list[Reached] = []
    missing: list[Invocation] = []
    work = len(queue)
    while queue and len(reached) < MAX_REACHED and work < MAX_WORK:
        encoded, folder, depth, parent = queue.popleft()
        found, lookup = index.lookup(encoded, folder)
        work += 1
        invocation = index.decoded(encoded)
        if lookup == "missing" and depth == 1 and invocation is not None:
            missing.append(invocation)
        for step in found:
            key = (step.task.path, _label(step.task), step.folder)
            if key in seen or step.task is fact:
                continue
            seen.add(key)
            reached.append(dataclasses.replace(step, parent=parent))
            if depth >= MAX_DEPTH:
                continue
            inner = _base(step.task, step.folder)
            for sub in step.task.invokes:
                work += 1
                if work >= MAX_WORK:
                    break  # nothing more will be looked up from this start
                if (sub, inner) not in queued:
                    queued.add((sub, inner))
                    queue.append((sub, inner, depth + 1, len(reached) - 1))
    return reached, missing


def _base(fact: Runnable, caller: str = "") -> str:
    """Where a fact's commands run: a CI job's are relative to the repository (its
    reader wrote the working directory into them), a script runs where its caller is
    (the repository, for a script no one calls), as do a composite action's steps; a
    task runs where its file is."""
    if isinstance(fact, WorkflowJobFact) or fact.runner in _BY_PATH:
        return caller
    return posixpath.dirname(fact.path)


def _from(step: Reached, reference: str) -> str:
    """A reference of a reached task, relative to the repository: a file from the folder
    the task ran in; a module as it is."""
    if not (reference.endswith(".py") or "/" in reference) or reference.startswith("/"):
        return reference
    folder = _base(step.task, step.folder)
    return _join(folder, reference) or reference


def _label(task: Runnable) -> str:
    if isinstance(task, WorkflowJobFact):
        return f"{task.path} job {task.job}"
    return task.name if task.runner in _BY_PATH else f"{task.runner} {task.name}"


def _via(reached: list[Reached]) -> tuple[str, ...]:
    """The reached tasks that add something, and those that led to them (an install
    script that leads nowhere is left out), in the order they were reached."""
    useful: set[int] = set()
    for place, step in enumerate(reached):
        index = place if _contributes(step.task) else -1
        while index >= 0 and index not in useful:
            useful.add(index)
            index = reached[index].parent
    labels = (_label(step.task) for index, step in enumerate(reached) if index in useful)
    return tuple(dict.fromkeys(labels))[:MAX_VIA]


def _contributes(task: Runnable) -> bool:
    """Whether a reached task adds anything of its own (an install script does not)."""
    return _any_flag(task) or bool(task.references)


def _any_flag(fact: Runnable) -> bool:
    return any(getattr(fact, flag) for flag in ACTIVITY_FLAGS)


def _join(folder: str, relative: str) -> str | None:
    joined = posixpath.normpath(posixpath.join(folder, relative))
    if joined.startswith(".."):
        return None
    return "" if joined == "." else joined


def _upwards(folder: str) -> Iterator[str]:
    while True:
        yield folder
        if not folder:
            return
        folder = posixpath.dirname(folder)
