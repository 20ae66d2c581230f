"""The file analyzers over a whole snapshot: each file read once, its facts answered from
the analysis cache when its text was seen before, the rest analysed, in worker processes
when there are many.

Reading stays in this process (a snapshot of a commit reads blobs through its own git
process); workers get the text and return facts, so they never touch the target. Results
are put back in listing order: a scan gives the same facts whether they came from one
process, several or the cache.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent import futures
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from portfolio_check.analyzers.base import AnalysisContext, FileAnalyzer
from portfolio_check.analyzers.cache import AnalysisCache, Scope
from portfolio_check.analyzers.ci import CiAnalyzer
from portfolio_check.analyzers.configs import ConfigAnalyzer, KubernetesAnalyzer
from portfolio_check.analyzers.content import ContentAnalyzer
from portfolio_check.analyzers.dependencies import DependencyAnalyzer
from portfolio_check.analyzers.docs import DocsAnalyzer
from portfolio_check.analyzers.infrastructure import InfrastructureAnalyzer
from portfolio_check.analyzers.makefiles import MakefileAnalyzer
from portfolio_check.analyzers.notebooks import NotebookAnalyzer
from portfolio_check.analyzers.provenance import ProvenanceAnalyzer, index_digest
from portfolio_check.analyzers.python import PythonAnalyzer
from portfolio_check.analyzers.secrets import SecretsAnalyzer
from portfolio_check.analyzers.shell_scripts import ShellScriptAnalyzer
from portfolio_check.analyzers.task_runners import TaskRunnerAnalyzer
from portfolio_check.common import collector
from portfolio_check.intake.snapshot import MAX_NOTEBOOK_BYTES, EntryKind, FileEntry, Snapshot
from portfolio_check.model.facts import Fact, FindingFact
from portfolio_check.model.location import Location

#: Fewer files to analyse than this, and starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 300
#: Files per task sent to a worker: enough to amortise the round trip, small enough to
#: balance the load when a few files are much larger than the rest.
CHUNK_FILES = 48
#: Chunks handed out per worker and not yet done before reading waits for the workers:
#: enough that no worker idles, few enough that a huge repository's text does not pile
#: up in this process (reading is ten times faster than analysing).
CHUNKS_AHEAD_PER_WORKER = 4


def file_analyzers(context: AnalysisContext) -> list[FileAnalyzer]:
    return [
        PythonAnalyzer(),
        NotebookAnalyzer(),
        DependencyAnalyzer(),
        DocsAnalyzer(),
        ConfigAnalyzer(),
        KubernetesAnalyzer(),
        InfrastructureAnalyzer(),
        CiAnalyzer(),
        MakefileAnalyzer(),
        ShellScriptAnalyzer(),
        TaskRunnerAnalyzer(),
        ContentAnalyzer(context),
        ProvenanceAnalyzer(context.upstream_index),
        SecretsAnalyzer(),
    ]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


#: What the pack keeps of a file read (or known) in a slot: its key, path and identity.
PackedSlot = tuple[str, str, str | None]


@dataclass(frozen=True, kw_only=True)
class FileJob:
    """One file to analyse: its listing entry, its text and its cache key (if cached)."""

    slot: int  # where its facts go in the results
    entry: FileEntry
    text: str | None  # None once handed to a worker
    key: str | None


class FileRun:
    """The file facts of one scan, started with `start` and collected with `facts`."""

    def __init__(
        self,
        snapshot: Snapshot,
        context: AnalysisContext,
        *,
        cache: AnalysisCache | None = None,
        workers: int = 1,
    ) -> None:
        self.snapshot = snapshot
        self.context = context
        self.cache = cache
        self.workers = workers
        self._results: list[list[Fact]] = []
        self._keys: list[PackedSlot | None] = []  # each slot's cache key, path and identity
        self._jobs: list[FileJob] = []
        self._pool: Executor | None = None
        self._futures: list[Future[list[list[Fact]]]] = []
        self._submitted = 0  # jobs handed to the workers so far
        self._entries: Iterator[FileEntry] = iter(())
        self._analyzers: list[FileAnalyzer] = []
        self._scope: Scope | None = None

    def start(self) -> None:
        """Read until the workers have a full queue (or every file, without workers),
        taking what the cache knows; `facts` reads the rest."""
        self._analyzers = file_analyzers(self.context)
        self._scope = _scope(self.context) if self.cache is not None else None
        if self.cache is not None and self._scope is not None:
            self.cache.use_pack(self._scope.pack_name(_place(self.snapshot)))
        self._entries = iter(self.snapshot)
        self._read_on(wait=False)

    def _read_on(self, *, wait: bool) -> None:
        """Read the listing on, handing out chunks as they fill. When the workers are
        behind, return (`wait` false) or wait for them; the last chunk goes at the end."""
        # With workers, this loop only reads, and decodes cached facts: tens of thousands
        # of objects, no cycles, that the collector would otherwise walk again and again.
        with collector.paused(self.workers >= 2):
            for entry in self._entries:
                if self._known(entry):
                    continue
                wanting = [analyzer for analyzer in self._analyzers if analyzer.wants(entry)]
                if not wanting:
                    continue
                self._read(entry, wanting, self._scope)
                self._hand_out(CHUNK_FILES)
                if self._workers_behind():
                    if not wait:
                        return
                    futures.wait(self._futures[: -self._chunks_ahead()])
        self._hand_out(1)

    def _chunks_ahead(self) -> int:
        return CHUNKS_AHEAD_PER_WORKER * self.workers

    def _workers_behind(self) -> bool:
        """Whether more chunks than `_chunks_ahead` wait for the workers (their texts held
        here until a worker takes them)."""
        ahead = self._chunks_ahead()
        return len(self._futures) > ahead and not self._futures[-ahead - 1].done()

    def _hand_out(self, at_least: int) -> None:
        """Send the jobs read so far to the workers, in chunks, once there are enough
        to make workers worth starting: they analyse while this process reads on."""
        if self.workers < 2 or len(self._jobs) - self._submitted < at_least:
            return
        if self._pool is None:
            if len(self._jobs) < PARALLEL_MIN_FILES:
                return
            self._pool = _executor(self.workers, self.context, self.cache)
        try:
            for chunk in _chunks(self._jobs[self._submitted :], CHUNK_FILES):
                self._futures.append(self._pool.submit(_analyze_chunk, chunk))
        except (BrokenProcessPool, OSError, RuntimeError):
            self.workers = 1  # no workers after all: `facts` analyses everything here
        # the workers have the text now: a huge repository's text is not kept here too
        for index in range(self._submitted, len(self._jobs)):
            self._jobs[index] = dataclasses.replace(self._jobs[index], text=None)
        self._submitted = len(self._jobs)

    def _read(self, entry: FileEntry, wanting: list[FileAnalyzer], scope: Scope | None) -> None:
        read = self.snapshot.read_text(entry, limit=max(a.read_limit for a in wanting))
        if read.text is None:
            self._results.append(_unread(entry, read.skipped))
            self._keys.append(None)
            return
        key = scope.key(entry.path, read.text) if scope is not None else None
        self._keys.append((key, entry.path, entry.identity) if key is not None else None)
        cached = self.cache.get(key) if self.cache is not None and key is not None else None
        self._results.append(cached or [])
        if cached is not None:
            return
        job = FileJob(slot=len(self._results) - 1, entry=entry, text=read.text, key=key)
        if self.workers < 2:  # analysed at once, so that no text waits in memory
            self._results[job.slot] = _analyze_jobs([job], self.context, self.cache)[0]
        else:
            self._jobs.append(job)

    def _known(self, entry: FileEntry) -> bool:
        """Take the facts of a file the pack knows by its identity, without reading it. The
        pack holds only files some analyzer wanted, and the scope in its name fixes which
        analyzers want a path of that size: neither is asked again."""
        if self.cache is None or entry.identity is None:
            return False
        key = self.cache.key_of(entry.path, entry.identity)
        cached = self.cache.get(key) if key is not None else None
        if key is None or cached is None:
            return False
        self._results.append(cached)
        self._keys.append((key, entry.path, entry.identity))
        return True

    def facts(self) -> list[Fact]:
        """Every file fact, in listing order: reads what `start` left, waits for the
        workers."""
        self._read_on(wait=True)
        computed = self._from_workers() if self._pool is not None else None
        if computed is None:
            jobs = [self._with_text(job) for job in self._jobs]
            computed = _analyze_jobs(jobs, self.context, self.cache)
        for job, facts in zip(self._jobs, computed, strict=True):
            self._results[job.slot] = facts
        if self.cache is not None:
            self.cache.update_pack(
                [
                    (*slot, facts)
                    for slot, facts in zip(self._keys, self._results, strict=True)
                    if slot
                ]
            )
            if len(self._jobs) >= 1000:
                self.cache.prune()
        return [fact for facts in self._results for fact in facts]

    def _with_text(self, job: FileJob) -> FileJob:
        """The job with its file's text, read again if it went to workers that failed."""
        if job.text is not None:
            return job
        text = self.snapshot.read_text(job.entry, limit=MAX_NOTEBOOK_BYTES).text
        return dataclasses.replace(job, text=text or "")

    def _from_workers(self) -> list[list[Fact]] | None:
        """The workers' results in order, or None when the pool broke (a worker killed by
        the system, say): then this process analyses every file itself."""
        assert self._pool is not None
        try:
            if self.workers < 2:
                return None
            return [facts for future in self._futures for facts in future.result()]
        except (BrokenProcessPool, OSError):
            return None
        finally:
            self._pool.shutdown(cancel_futures=True)


def analyze_file(
    entry: FileEntry, text: str, analyzers: Iterable[FileAnalyzer], context: AnalysisContext
) -> list[Fact]:
    """The facts every wanting analyzer finds in one file. One that breaks is a finding."""
    facts: list[Fact] = []
    for analyzer in analyzers:
        try:
            facts.extend(analyzer.analyze(entry, text, context))
        except Exception as error:
            message = f"{analyzer.name} analyzer failed on this file ({type(error).__name__})"
            location = Location(path=entry.path)
            facts.append(FindingFact(location=location, analyzer=analyzer.name, message=message))
    return facts


def _unread(entry: FileEntry, skipped: str | None) -> list[Fact]:
    if entry.kind is EntryKind.SYMLINK:
        return []  # the inventory already records it; nothing to analyse behind a link
    location = Location(path=entry.path)
    return [FindingFact(location=location, analyzer="reader", message=f"not analysed: {skipped}")]


def _place(snapshot: Snapshot) -> str:
    """Which repository, and whether its work tree or a commit, for the name of its pack."""
    read_from = "commit" if snapshot.reader is not None else "tree"
    return f"{os.fspath(snapshot.root.absolute())}\0{read_from}"


def _scope(context: AnalysisContext) -> Scope:
    return Scope.of(
        modules=context.layout.key_items(),
        upstreams=index_digest(context.upstream_index),
        analyzers=(analyzer.name for analyzer in file_analyzers(context)),
        queries=(
            (
                query.id,
                query.glob,
                query.pattern.pattern,
                str(query.pattern.flags),
                str(query.prose),
            )
            for query in context.queries
        ),
    )


def _chunks(jobs: Sequence[FileJob], size: int) -> Iterator[list[FileJob]]:
    for start in range(0, len(jobs), size):
        yield list(jobs[start : start + size])


def _analyze_jobs(
    jobs: Sequence[FileJob], context: AnalysisContext, cache: AnalysisCache | None
) -> list[list[Fact]]:
    analyzers = file_analyzers(context)
    results: list[list[Fact]] = []
    for job in jobs:
        assert job.text is not None, "a job without its text"
        facts = analyze_file(job.entry, job.text, _wanting(analyzers, job.entry), context)
        if cache is not None and job.key is not None:
            cache.put(job.key, facts)
        results.append(facts)
    return results


def _wanting(analyzers: Iterable[FileAnalyzer], entry: FileEntry) -> list[FileAnalyzer]:
    return [analyzer for analyzer in analyzers if analyzer.wants(entry)]


# the worker processes --------------------------------------------------------------------
_worker_context: AnalysisContext | None = None
_worker_cache: AnalysisCache | None = None


def _init_worker(context: AnalysisContext, cache_root: Path | None) -> None:
    global _worker_context, _worker_cache  # noqa: PLW0603 - one scan's state per worker
    _worker_context = context
    _worker_cache = AnalysisCache(cache_root) if cache_root is not None else None
    # the modules and the context are long-lived: keep the collector from walking them
    # again and again while each file's syntax trees come and go
    gc.freeze()


def _analyze_chunk(jobs: list[FileJob]) -> list[list[Fact]]:
    assert _worker_context is not None, "worker not initialised"
    return _analyze_jobs(jobs, _worker_context, _worker_cache)


def _executor(
    workers: int, context: AnalysisContext, cache: AnalysisCache | None
) -> ProcessPoolExecutor:
    # Never `fork`: the scanning process may have threads (GitPython's, a timer), and
    # forking a threaded process can deadlock. A fork server that has imported the
    # analyzers once starts each worker in milliseconds; `spawn` where there is none.
    arguments = (context, cache.root if cache is not None else None)
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=arguments,
        )
    mp_context = multiprocessing.get_context("forkserver")
    mp_context.set_forkserver_preload([__name__])
    return ProcessPoolExecutor(
        workers, mp_context=mp_context, initializer=_init_worker, initargs=arguments
    )
