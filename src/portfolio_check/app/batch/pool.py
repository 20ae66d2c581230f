"""Running a batch: the candidates of this shard, each scanned by a worker in a pool of
processes (or in this one, `jobs=1`), its row appended to `results.jsonl` the moment it
finishes, progress reported, and the comparison page written at the end.

A worker process that dies (killed, out of memory) takes only the candidates in flight with
it: they are run again one at a time, so that the one that kills its worker again becomes an
error row and the others are scored. Ctrl-C (SIGINT, to this process alone or to the
terminal's whole process group) stops the batch at once: the workers stop, the candidates in
flight leave no scorecard behind, the comparison shows those finished, and
`BatchInterrupted` tells the caller how far it got, so that every scorecard in the folder
has its row and `--resume` scans the rest.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue as queue_module
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.queues import Queue
from pathlib import Path

from portfolio_check.app.batch import worker
from portfolio_check.app.batch.candidates import (
    Candidate,
    RejectedTarget,
    select_shard,
    unique_labels,
)
from portfolio_check.app.batch.comparison import write_comparison
from portfolio_check.app.batch.events import (
    BatchInterrupted,
    BatchResult,
    CandidateEvent,
    EventState,
    Phase,
)
from portfolio_check.app.batch.resume import reusable_rows
from portfolio_check.app.batch.rows import Row, error_row
from portfolio_check.app.batch.store import (
    RESULTS_FILE,
    append_row,
    compact_results,
    load_results,
    prepare_out_dir,
    remove_candidate_files,
    start_results,
)
from portfolio_check.app.batch.worker import CandidateJob, CandidateOutcome, first_phase
from portfolio_check.common.atomic_files import write_atomic
from portfolio_check.intake.clone import CloneOptions
from portfolio_check.rubric.loading import load_rubric

WORKER_DIED = (
    "the worker process scanning it died twice (killed, or out of memory); scan it alone to see why"
)
#: How often the parent looks for the workers' phase changes while it waits.
PHASE_POLL_SECONDS = 0.25


def run_batch(
    targets: Sequence[Candidate],
    *,
    rubric_name: str,
    out_dir: Path,
    jobs: int,
    clone_options: CloneOptions,
    resume: bool,
    shard: tuple[int, int] | None,
    progress: Callable[[CandidateEvent], None] | None,
    analysis_cache: Path | None = None,
) -> BatchResult:
    """Scan `targets` (this shard of them) into `out_dir`; see the module docstring.

    `jobs=1` scans in this process, which is the easy one to debug. A broken rubric or an
    unusable output folder raises `PortfolioCheckError` before any candidate is scanned.
    """
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    load_rubric(rubric_name)  # a broken rubric stops the batch here, not in every worker
    candidates = select_shard(unique_labels(targets), shard)
    prepare_out_dir(out_dir)
    results = out_dir / RESULTS_FILE
    reusable, problems = _open_results(results, candidates, resume=resume)
    tracker = _Tracker(out_dir, total=len(candidates), progress=progress)
    to_scan: list[CandidateJob] = []
    for candidate in candidates:
        if isinstance(candidate, RejectedTarget):
            tracker.start(candidate.label)
            row = error_row(label=candidate.label, spec=candidate.spec, reason=candidate.reason)
            tracker.finish(CandidateOutcome(row=row))
            continue
        previous = reusable.get(candidate.label)
        if previous is not None and candidate.kind == "path":
            tracker.finish(CandidateOutcome(row=previous, skipped=True))
            continue
        to_scan.append(
            CandidateJob(
                target=candidate,
                rubric_name=rubric_name,
                out_dir=out_dir,
                clone_options=clone_options,
                previous=previous,
                analysis_cache=analysis_cache,
            )
        )
    try:
        _run_jobs(to_scan, jobs, tracker)
    except KeyboardInterrupt:
        tracker.abandon_in_flight()
        compact_results(results)
        finished = [tracker.rows[c.label] for c in candidates if c.label in tracker.rows]
        comparison = write_comparison(out_dir, finished)
        raise BatchInterrupted(
            finished=len(finished), total=len(candidates), comparison=comparison
        ) from None
    compact_results(results)
    rows = tuple(tracker.rows[candidate.label] for candidate in candidates)
    return BatchResult(
        rows=rows,
        ok=sum(row.ok for row in rows),
        errors=sum(not row.ok for row in rows),
        skipped=tracker.skipped,
        comparison=write_comparison(out_dir, rows),
        problems=problems,
    )


def _open_results(
    results: Path, candidates: Sequence[Candidate], *, resume: bool
) -> tuple[dict[str, Row], tuple[str, ...]]:
    """A fresh results file; or, with --resume, the earlier rows that stand (by label) kept
    in it, and the lines of it that were not rows (one line each, file and line)."""
    if not resume:
        write_atomic(results, "", durable=True)
        return {}, ()
    problems = load_results(results).problems
    reusable = reusable_rows(results, candidates)
    start_results(results, {candidate.label for candidate in candidates}, keep=reusable)
    return reusable, problems


class _Tracker:
    """The parent's bookkeeping: appends each finished row, reports progress."""

    def __init__(
        self, out_dir: Path, *, total: int, progress: Callable[[CandidateEvent], None] | None
    ) -> None:
        self.out_dir = out_dir
        self.total = total
        self.progress = progress
        self.rows: dict[str, Row] = {}
        self.skipped = 0
        self.started: dict[str, float] = {}

    def start(self, label: str, phase: Phase = "scan") -> None:
        self.started[label] = time.monotonic()
        if self.progress:
            self.progress(
                CandidateEvent(
                    label=label, state="started", done=len(self.rows), total=self.total, phase=phase
                )
            )

    def phase(self, label: str, phase: Phase) -> None:
        """A candidate in flight moved on (its clone is done: it is being scanned)."""
        if self.progress and label in self.started and label not in self.rows:
            self.progress(
                CandidateEvent(
                    label=label, state="phase", done=len(self.rows), total=self.total, phase=phase
                )
            )

    def abandon_in_flight(self) -> None:
        """After Ctrl-C: a candidate started and not finished has no row, so it must have no
        scorecard either (a worker may have written it just before it was stopped)."""
        for label in self.started:
            if label not in self.rows:
                remove_candidate_files(self.out_dir, label)

    def elapsed(self, label: str) -> float:
        return round(time.monotonic() - self.started.get(label, time.monotonic()), 2)

    def finish(self, outcome: CandidateOutcome) -> None:
        row = outcome.row
        label = row.label
        state: EventState
        if outcome.skipped:
            self.skipped += 1
            state = "skipped"
            self.rows[label] = row
        else:
            state = "ok" if row.ok else "error"
            with _interrupts_deferred():  # the row and its bookkeeping, whole
                if state == "error":
                    remove_candidate_files(self.out_dir, label)  # no stale scorecard to link to
                append_row(self.out_dir / RESULTS_FILE, row)
                self.rows[label] = row
        if self.progress:
            self.progress(
                CandidateEvent(
                    label=label,
                    state=state,
                    done=len(self.rows),
                    total=self.total,
                    seconds=row.seconds,
                    row=row,
                )
            )


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """A Ctrl-C during the block is raised when it ends, so that a row written is also a row
    counted (and its scorecard kept). Only the main thread receives signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and previous is not signal.SIG_IGN:
        raise KeyboardInterrupt


def _run_jobs(jobs: Sequence[CandidateJob], workers: int, tracker: _Tracker) -> None:
    """`workers=1`: in this process, one after the other. Otherwise in worker processes,
    even for a single candidate, so that one that crashes its process is only an error row."""
    if workers == 1:
        worker.state.report = tracker.phase
        try:
            for job in jobs:
                tracker.start(job.target.label, first_phase(job.target))
                tracker.finish(worker.scan_in_worker(job))
        finally:
            worker.state.report = None
        return
    queue = deque(jobs)
    workers = min(workers, len(jobs))
    while queue:
        waiting = len(queue)
        suspects = _run_parallel(queue, workers, tracker)
        if not suspects and len(queue) == waiting:
            suspects = [queue.popleft()]  # the pool broke before taking any work: one alone
        _run_isolated(suspects, tracker)


def _run_parallel(
    queue: deque[CandidateJob], workers: int, tracker: _Tracker
) -> list[CandidateJob]:
    """Run the queue in a pool, never more than `workers` candidates in flight, so that when
    a worker dies, the candidates that may have killed it are exactly those in flight. They
    are returned (the suspects); the queue keeps the ones never started."""
    suspects: list[CandidateJob] = []
    broken = False
    phases = _phase_queue()
    with _executor(workers, phases) as pool, _stopped_on_interrupt(pool):
        running: dict[Future[CandidateOutcome], CandidateJob] = {}
        while (queue and not broken) or running:
            while queue and not broken and len(running) < workers:
                job = queue.popleft()
                try:
                    future = pool.submit(worker.scan_in_worker, job)
                except BrokenProcessPool:  # a worker died since the last wait
                    queue.appendleft(job)
                    broken = True
                    break
                tracker.start(job.target.label, first_phase(job.target))
                running[future] = job
            if not running:
                break
            finished, _ = wait(running, timeout=PHASE_POLL_SECONDS, return_when=FIRST_COMPLETED)
            _drain_phases(phases, tracker)
            for future in finished:
                job = running.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    suspects.append(job)
                    broken = True
                    continue
                except Exception as error:  # the result could not come back: an error row
                    reason = f"internal error: {type(error).__name__}: {error}"
                    outcome = _crashed(job, tracker, reason)
                tracker.finish(outcome)
    return suspects


def _run_isolated(suspects: Sequence[CandidateJob], tracker: _Tracker) -> None:
    """After a worker died: run each candidate that was in flight alone, so that one that
    kills its worker again is named, and the innocent ones are scored."""
    for job in suspects:
        tracker.start(job.target.label, first_phase(job.target))
        with _executor(1) as pool, _stopped_on_interrupt(pool):
            try:
                outcome = pool.submit(worker.scan_in_worker, job).result()
            except BrokenProcessPool:
                outcome = _crashed(job, tracker, WORKER_DIED)
            except Exception as error:
                reason = f"internal error: {type(error).__name__}: {error}"
                outcome = _crashed(job, tracker, reason)
        tracker.finish(outcome)


def _crashed(job: CandidateJob, tracker: _Tracker, reason: str) -> CandidateOutcome:
    target = job.target
    seconds = tracker.elapsed(target.label)
    row = error_row(label=target.label, spec=target.spec, reason=reason, seconds=seconds)
    return CandidateOutcome(row=row)


def _context() -> multiprocessing.context.BaseContext:
    # Never `fork`: the parent has threads (the executor's own), and forking a threaded
    # process can deadlock (Python 3.12 warns). A fork server that has imported the scanner
    # once starts each worker in milliseconds; `spawn` where there is no fork server.
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])  # read only when the server first starts
    return context


def _executor(workers: int, phases: Queue[tuple[str, Phase]] | None = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_init_worker, initargs=(phases,)
    )


def _phase_queue() -> Queue[tuple[str, Phase]]:
    return _context().Queue()


def _drain_phases(phases: Queue[tuple[str, Phase]], tracker: _Tracker) -> None:
    while True:
        try:
            label, phase = phases.get_nowait()
        except (queue_module.Empty, OSError, ValueError):
            return
        tracker.phase(label, phase)


@contextlib.contextmanager
def _stopped_on_interrupt(pool: ProcessPoolExecutor) -> Iterator[None]:
    """On Ctrl-C, stop the workers now rather than wait for the candidates in flight: each
    worker turns SIGTERM into SystemExit, so its clone folder is removed and its git killed."""
    try:
        yield
    except KeyboardInterrupt:
        for process in list((pool._processes or {}).values()):
            with contextlib.suppress(OSError, ValueError):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise


def _init_worker(phases: Queue[tuple[str, Phase]] | None) -> None:
    """In each worker: the parent alone decides what Ctrl-C does (a terminal sends SIGINT to
    every process of the group); SIGTERM from the parent unwinds the scan, cleaning up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_term)
    if phases is not None:
        worker.state.report = lambda label, phase: phases.put((label, phase))


def _exit_on_term(signum: int, frame: object) -> None:
    """Unwind a scan in progress (its clone folder removed, its git killed). An idle worker
    goes on to read the shutdown sentinel: stopping it inside a read of the shared call
    queue would leave half a message there for the next worker."""
    if worker.state.busy:
        raise SystemExit(128 + signum)
