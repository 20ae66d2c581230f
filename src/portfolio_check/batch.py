"""Many candidates at once, for a reviewer: parallel, resumable, sharded, and compared.

`run_batch` scans a list of targets (local folders and git URLs) and writes, into one output
folder:

- `results.jsonl`: one JSON object per candidate, appended and fsynced the moment that
  candidate finishes, so a batch that is killed loses nothing it had finished;
- `candidates/<label>.html` and `.json`: the ordinary scorecard of every candidate that
  scored, each written atomically;
- `comparison.html`: one page that compares them all, sortable without JavaScript.

A candidate that cannot be scored (a missing folder, a refused URL, a clone that is too big
or too slow, a crash inside the scan, a worker process that died) becomes an error row with
a one-line reason; the others go on. `--resume` skips the candidates already scored at the
commit they are at now, and retries the errors. `--shard I/N` keeps every N-th candidate, so
N machines share one list; `merge` then joins their folders into one.

Ctrl-C (SIGINT, to this process alone or to the terminal's whole process group) stops the
batch at once: the workers stop, the candidates in flight leave no scorecard behind, the
comparison shows those finished, and `BatchInterrupted` tells the caller how far it got, so
that every scorecard in the folder has its row and `--resume` scans the rest.

Candidates never choose what is scanned: their own `.portfolio-check.yaml` is ignored.
"""

from __future__ import annotations

import contextlib
import glob
import json
import multiprocessing
import os
import queue as queue_module
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import cache
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import git

from portfolio_check import __version__, red_flags
from portfolio_check.atomic_files import write_atomic
from portfolio_check.clone import CloneOptions, checkout
from portfolio_check.errors import PortfolioCheckError, TargetError
from portfolio_check.git_runner import hardened_git
from portfolio_check.plural import counted
from portfolio_check.report import render
from portfolio_check.report.templating import html_environment
from portfolio_check.rubric import Rubric, load_rubric
from portfolio_check.scan import ScanOptions, scan
from portfolio_check.scorecard import RED_FLAG_KINDS, RedFlag, Scorecard
from portfolio_check.targets import (
    Target,
    check_label,
    parse_target,
    redact,
    slug_label,
    target_lines,
    unique_label,
)

RESULTS_FILE = "results.jsonl"
COMPARISON_FILE = "comparison.html"
CANDIDATES_DIR = "candidates"
#: The keys of every row of `results.jsonl`, in the order they are written.
ROW_KEYS = (
    "label",
    "spec",
    "status",
    "commit",
    "real_world",
    "certification",
    "own_share",
    "upstream",
    "grade",
    "profile",
    "strengths",
    "gaps",
    "claims",
    "red_flags",
    "error",
    "seconds",
)
SHOWN_CATEGORIES = 3  # strengths and gaps listed per candidate
MAX_ROW_FLAGS = 20  # red flags read from one row
MAX_REASON = 300  # characters of an error reason
WORKER_DIED = (
    "the worker process scanning it died twice (killed, or out of memory); scan it alone to see why"
)

#: C0 and C1 controls, DEL, and the bidirectional overrides and isolates.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: How often the parent looks for the workers' phase changes while it waits.
PHASE_POLL_SECONDS = 0.25

Row = dict[str, Any]
EventState = Literal["started", "phase", "ok", "error", "skipped"]
#: What a candidate in flight is doing: fetching its repository, or being scanned.
Phase = Literal["clone", "scan"]


@dataclass(frozen=True, kw_only=True)
class RejectedTarget:
    """A target that could not even be parsed. It becomes an error row, not an abort: one bad
    line in a list of fifty candidates should not stop the other forty-nine."""

    spec: str  # as written, with any password redacted
    label: str
    reason: str


Candidate = Target | RejectedTarget


@dataclass(frozen=True, kw_only=True)
class CandidateEvent:
    """Progress, for a display: a candidate started, moved on to another phase (cloned, now
    scanned), or finished in one of three ways."""

    label: str
    state: EventState
    done: int  # candidates finished so far, this one included
    total: int
    seconds: float | None = None  # how long it took, once finished
    row: Row | None = None  # its row, once finished
    phase: Phase | None = None  # started and phase events: what it is doing now


class BatchInterrupted(Exception):
    """Ctrl-C stopped the batch. Every candidate finished before has its row (and, if it
    scored, its scorecards); those in flight have neither."""

    def __init__(self, *, finished: int, total: int, comparison: Path) -> None:
        noun = "candidate" if total == 1 else "candidates"
        super().__init__(f"interrupted after {finished} of {total} {noun}")
        self.finished = finished
        self.total = total
        self.comparison = comparison


@dataclass(frozen=True, kw_only=True)
class BatchResult:
    rows: tuple[Row, ...]  # one per candidate, in input order (merge: sorted by label)
    ok: int  # rows with status ok, the skipped ones included
    errors: int  # rows with status error
    skipped: int  # ok rows kept from an earlier run by --resume, not scanned again
    comparison: Path

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, kw_only=True)
class CandidateJob:
    """What a worker process needs to scan one candidate. Everything in it pickles."""

    target: Target
    rubric_name: str
    out_dir: Path
    clone_options: CloneOptions
    #: --resume: this candidate's ok row from the earlier run. A URL target found at the same
    #: commit after the fetch is not scanned again; this row is returned instead.
    previous: Row | None = None
    #: The analysis cache's folder, or None to analyse every file afresh.
    analysis_cache: Path | None = None


@dataclass(frozen=True, kw_only=True)
class CandidateOutcome:
    row: Row
    skipped: bool = False


# targets --------------------------------------------------------------------------------------
def collect_candidates(specs: Sequence[str], target_list: Path | None = None) -> list[Candidate]:
    """The candidates named on the command line, then those of a `--from` file.

    A spec that does not parse becomes a `RejectedTarget` (an error row) instead of stopping
    the batch. A `--from` file that cannot be read at all raises `TargetError`.
    """
    candidates: list[Candidate] = [_parse_or_reject(spec, None, where="") for spec in specs]
    if target_list is not None:
        candidates.extend(read_candidates(target_list))
    return candidates


def read_candidates(path: Path) -> list[Candidate]:
    """A target list (`targets.target_lines`), with each bad line turned into a
    `RejectedTarget` that names the file and the line, rather than an error for the file."""
    candidates: list[Candidate] = []
    for line in target_lines(path):
        where = f"{path}:{line.number}: "
        problem = line.problem()
        if problem is not None:
            candidates.append(_rejected(line.spec, None, where + problem))
        else:
            candidates.append(_parse_or_reject(line.spec, line.label, where))
    return candidates


def _parse_or_reject(spec: str, label: str | None, where: str) -> Candidate:
    try:
        return parse_target(spec, label)
    except TargetError as error:
        return _rejected(spec, label, where + str(error))


def _rejected(spec: str, label: str | None, reason: str) -> RejectedTarget:
    shown = redact(spec.strip())
    try:
        name = check_label(label) if label is not None else slug_label(shown)
    except TargetError:
        name = slug_label(shown)
    return RejectedTarget(spec=shown, label=name, reason=_one_line(reason))


def unique_labels(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Give every candidate its own label (`-2`, `-3`, ... compared without case, as
    `read_target_list` does): the label names its files and its row."""
    used: set[str] = set()
    unique: list[Candidate] = []
    for candidate in candidates:
        label = unique_label(candidate.label, used)
        used.add(label.casefold())
        unique.append(candidate if label == candidate.label else replace(candidate, label=label))
    return unique


def parse_shard(text: str) -> tuple[int, int]:
    """`I/N` as (I, N), 1 <= I <= N. Raises `ValueError` with a message for a person."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise ValueError(f"{text!r}: expected I/N, for example 1/4")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= index <= count:
        raise ValueError(f"{text!r}: I must be between 1 and N (here N is {count})")
    return index, count


def select_shard(candidates: Sequence[Candidate], shard: tuple[int, int] | None) -> list[Candidate]:
    """Shard I of N keeps candidates I-1, I-1+N, I-1+2N, ... so that the N shards cover the
    list exactly once, whatever its length."""
    if shard is None:
        return list(candidates)
    index, count = shard
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: I must be between 1 and N")
    return list(candidates[index - 1 :: count])


# the batch ------------------------------------------------------------------------------------
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
    _prepare_out_dir(out_dir)
    results = out_dir / RESULTS_FILE
    reusable = _reusable_rows(results, candidates) if resume else {}
    if resume:
        _start_results(results, {candidate.label for candidate in candidates}, keep=reusable)
    else:
        write_atomic(results, "", durable=True)  # a fresh batch
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
        _compact_results(results)
        finished = [tracker.rows[c.label] for c in candidates if c.label in tracker.rows]
        comparison = write_comparison(out_dir, finished)
        raise BatchInterrupted(
            finished=len(finished), total=len(candidates), comparison=comparison
        ) from None
    _compact_results(results)
    rows = tuple(tracker.rows[candidate.label] for candidate in candidates)
    return BatchResult(
        rows=rows,
        ok=sum(row["status"] == "ok" for row in rows),
        errors=sum(row["status"] == "error" for row in rows),
        skipped=tracker.skipped,
        comparison=write_comparison(out_dir, rows),
    )


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
                _remove_candidate_files(self.out_dir, label)

    def elapsed(self, label: str) -> float:
        return round(time.monotonic() - self.started.get(label, time.monotonic()), 2)

    def finish(self, outcome: CandidateOutcome) -> None:
        row = outcome.row
        label = str(row["label"])
        state: EventState
        if outcome.skipped:
            self.skipped += 1
            state = "skipped"
            self.rows[label] = row
        else:
            state = "ok" if row["status"] == "ok" else "error"
            with _interrupts_deferred():  # the row and its bookkeeping, whole
                if state == "error":
                    _remove_candidate_files(self.out_dir, label)  # no stale scorecard to link to
                append_row(self.out_dir / RESULTS_FILE, row)
                self.rows[label] = row
        if self.progress:
            self.progress(
                CandidateEvent(
                    label=label,
                    state=state,
                    done=len(self.rows),
                    total=self.total,
                    seconds=row.get("seconds"),
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
        _worker.report = tracker.phase
        try:
            for job in jobs:
                tracker.start(job.target.label, _first_phase(job.target))
                tracker.finish(scan_in_worker(job))
        finally:
            _worker.report = None
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
                    future = pool.submit(scan_in_worker, job)
                except BrokenProcessPool:  # a worker died since the last wait
                    queue.appendleft(job)
                    broken = True
                    break
                tracker.start(job.target.label, _first_phase(job.target))
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
        tracker.start(job.target.label, _first_phase(job.target))
        with _executor(1) as pool, _stopped_on_interrupt(pool):
            try:
                outcome = pool.submit(scan_in_worker, job).result()
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
        _worker.report = lambda label, phase: phases.put((label, phase))


def _exit_on_term(signum: int, frame: object) -> None:
    """Unwind a scan in progress (its clone folder removed, its git killed). An idle worker
    goes on to read the shutdown sentinel: stopping it inside a read of the shared call
    queue would leave half a message there for the next worker."""
    if _worker.busy:
        raise SystemExit(128 + signum)


class _WorkerState:
    """`report`: where a scan reports its phase, the parent's tracker (--jobs 1) or, in a
    worker, the queue the parent reads. `busy`: a scan is in progress in this process."""

    report: Callable[[str, Phase], None] | None = None
    busy: bool = False


_worker = _WorkerState()


def _first_phase(target: Target) -> Phase:
    return "scan" if target.kind == "path" else "clone"


# the worker -------------------------------------------------------------------------------------
def scan_candidate(job: CandidateJob) -> CandidateOutcome:
    """Clone (or open) one candidate, scan it, write its scorecards, return its row.

    Runs in a worker process. It never raises for a problem with the candidate: every
    failure, a bug in the scan included, becomes an error row for this candidate alone.
    """
    _worker.busy = True
    try:
        return _scan_candidate(job)
    finally:
        _worker.busy = False


def _scan_candidate(job: CandidateJob) -> CandidateOutcome:
    started = time.monotonic()
    target = job.target
    commit: str | None = None
    try:
        with checkout(target, job.clone_options) as clone:
            if target.kind != "path" and _worker.report is not None:
                _worker.report(target.label, "scan")
            commit = commit_of(clone.root, clone.revision)
            previous = job.previous
            if previous is not None and commit is not None and previous.get("commit") == commit:
                return CandidateOutcome(row=previous, skipped=True)
            options = ScanOptions(
                revision=clone.revision,
                display_path=target.spec,
                use_repo_config=False,
                cache_dir=job.analysis_cache,
                workers=1,  # candidates already run side by side, one per process
            )
            card = scan(clone.root, rubric=_worker_rubric(job.rubric_name), options=options)
        _write_candidate_files(job.out_dir, target.label, card)
        return CandidateOutcome(row=scored_row(target, card, seconds=_since(started)))
    except PortfolioCheckError as error:
        reason = str(error)
    except Exception as error:  # a bug, or the disk: this candidate's problem, not the batch's
        reason = f"internal error: {type(error).__name__}: {error}"
    row = error_row(
        label=target.label, spec=target.spec, reason=reason, commit=commit, seconds=_since(started)
    )
    return CandidateOutcome(row=row)


#: The function each worker runs. A module attribute so that a test can swap in one that
#: kills its own process; pickled by name, so a replacement must be a top-level function.
scan_in_worker: Callable[[CandidateJob], CandidateOutcome] = scan_candidate


@cache
def _worker_rubric(name: str) -> Rubric:
    """Each worker process loads the rubric once (a Rubric holds compiled matchers, which
    are cheaper to rebuild than to pickle)."""
    return load_rubric(name)


def _since(started: float) -> float:
    return round(time.monotonic() - started, 2)


def _write_candidate_files(out_dir: Path, label: str, card: Scorecard) -> None:
    folder = out_dir / CANDIDATES_DIR
    write_atomic(folder / f"{label}.json", render(card, "json"), durable=True)
    write_atomic(folder / f"{label}.html", render(card, "html"), durable=True)


def _remove_candidate_files(out_dir: Path, label: str) -> None:
    """The candidate's scorecards, and any a stopped worker left half-written."""
    if _safe_label(label):
        folder = out_dir / CANDIDATES_DIR
        for suffix in (".html", ".json"):
            (folder / f"{label}{suffix}").unlink(missing_ok=True)
            for temporary in folder.glob(f".{glob.escape(label + suffix)}.*"):
                temporary.unlink(missing_ok=True)


def _still_current(target: Target, previous: Mapping[str, Any]) -> bool:
    """Resume: is this local folder still at the commit its ok row was scored at? Asked of
    git cheaply (`rev-parse`), before any scan. A folder outside git has no commit; its
    earlier row stands as long as the folder exists."""
    root = Path(target.location)
    if not root.is_dir():
        return False
    return commit_of(root, target.ref) == previous.get("commit")


def commit_of(root: Path, revision: str | None) -> str | None:
    """The commit a scan of `root` reads: `revision` resolved (a bare clone, or a folder at a
    ref), or for a work tree its HEAD. None for a folder that is not a git repository (it is
    walked, as `sources.open_target` does) or a repository without commits."""
    if revision is None and not (root / ".git").is_dir():
        return None
    runner = hardened_git(root)
    wanted = f"{revision or 'HEAD'}^{{commit}}"
    try:
        sha = str(runner.rev_parse("--verify", "--quiet", "--end-of-options", wanted))
    except (git.CommandError, OSError):
        return None
    return sha.strip() or None


# rows -------------------------------------------------------------------------------------------
def scored_row(target: Target, card: Scorecard, *, seconds: float) -> Row:
    """The row of a candidate that scored: both scores, and its best and worst categories
    (real-world side; a category this target cannot show is left out, ties keep the
    rubric's order)."""
    real_world = [category for category in card.side("real_world") if category.counted]
    best_first = sorted(real_world, key=lambda category: -category.score)
    worst_first = sorted(real_world, key=lambda category: category.score)
    return {
        "label": target.label,
        "spec": target.spec,
        "status": "ok",
        "commit": card.target.commit,
        "real_world": round(card.real_world_score, 1),
        "certification": round(card.certification_score, 1),
        "own_share": round(card.provenance.own_share, 3) if card.provenance else None,
        "upstream": _main_upstream(card),
        "grade": card.grade,
        "profile": card.profile.name if card.profile else None,
        "strengths": [c.name for c in best_first if c.score > 0][:SHOWN_CATEGORIES],
        "gaps": [c.name for c in worst_first if c.score < 100][:SHOWN_CATEGORIES],
        "claims": len(card.claims),
        "red_flags": [flag.to_json_dict() for flag in card.red_flags],
        "error": None,
        "seconds": seconds,
    }


def _main_upstream(card: Scorecard) -> str | None:
    """The upstream the most of the repository matches, as a person names it."""
    provenance = card.provenance
    if provenance is None or not provenance.upstreams:
        return None
    upstream = provenance.upstreams[0]
    return f"{upstream.source} ({upstream.name})"


def error_row(
    *, label: str, spec: str, reason: str, commit: str | None = None, seconds: float = 0.0
) -> Row:
    """The row of a candidate that could not be scored, with a one-line reason."""
    return {
        "label": label,
        "spec": spec,
        "status": "error",
        "commit": commit,
        "real_world": None,
        "certification": None,
        "own_share": None,
        "upstream": None,
        "grade": None,
        "profile": None,
        "strengths": [],
        "gaps": [],
        "claims": None,
        "red_flags": [],
        "error": _one_line(reason) or "unknown error",
        "seconds": seconds,
    }


def _one_line(text: str) -> str:
    """One line, without the control and bidirectional characters a terminal would obey
    (the reason may quote a candidate's file names or git's stderr)."""
    line = _UNPRINTABLE.sub("?", " ".join(text.split()))
    return line if len(line) <= MAX_REASON else line[: MAX_REASON - 1] + "…"


# results.jsonl ----------------------------------------------------------------------------------
def append_row(path: Path, row: Row) -> None:
    """Append one row and make it durable before going on: a batch killed a moment later
    still has it."""
    line = json.dumps({key: row.get(key) for key in ROW_KEYS}, ensure_ascii=False)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_results(path: Path) -> list[Row]:
    """The rows of a results file, in file order. A line that is not a complete row (the
    last line of a batch killed mid-write) is left out."""
    return _read_results(path)[0]


def _read_results(path: Path) -> tuple[list[Row], bool]:
    """The rows, and whether any line had to be left out."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return [], False
    except OSError as error:
        raise PortfolioCheckError(f"{path}: cannot read ({error.strerror})") from None
    rows: list[Row] = []
    damaged = False
    for line in text.splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            damaged = damaged or bool(line.strip())
            continue
        if _is_row(row):
            rows.append(row)
        else:
            damaged = True
    return rows, damaged


def _is_row(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("label"), str)
        and bool(value["label"])
        and value.get("status") in ("ok", "error")
    )


def latest_rows(rows: Iterable[Row]) -> dict[str, Row]:
    """The last row of each label, in the order labels first appear."""
    latest: dict[str, Row] = {}
    for row in rows:
        latest[row["label"]] = row
    return latest


def _reusable_rows(path: Path, candidates: Sequence[Candidate]) -> dict[str, Row]:
    """--resume: the earlier ok rows that may stand, by label. A local folder's row stands if
    the folder is still at its commit (asked now); a URL's row is kept for the worker, which
    compares it with the commit it fetches. A row whose label now names another spec is not
    reused."""
    earlier = latest_rows(read_results(path))
    reusable: dict[str, Row] = {}
    for candidate in candidates:
        row = earlier.get(candidate.label)
        if isinstance(candidate, RejectedTarget) or row is None or row["status"] != "ok":
            continue
        if row.get("spec") != candidate.spec or not _has_scorecard(path.parent, row["label"]):
            continue
        if candidate.kind == "url" or _still_current(candidate, row):
            reusable[candidate.label] = row
    return reusable


def _start_results(path: Path, labels: set[str], *, keep: Mapping[str, Row]) -> None:
    """--resume: start the results file with the earlier rows that stand: those in `keep`,
    and those of candidates not in this batch (another shard's, say). The rows of this
    batch's other candidates, and any half-written line, go: the batch writes them again,
    and no label and commit is ever listed twice."""
    rows, damaged = _read_results(path)
    kept = [
        row
        for row in latest_rows(rows).values()
        if row["label"] not in labels or keep.get(row["label"]) == row
    ]
    if damaged or kept != rows:
        write_atomic(path, _jsonl(kept), durable=True)


def _compact_results(path: Path) -> None:
    """A resumed URL candidate fetched at a new commit (or failing now) has a second row by
    now, next to its earlier one: keep the last."""
    rows = read_results(path)
    latest = latest_rows(rows)
    if len(latest) != len(rows):
        write_atomic(path, _jsonl(latest.values()), durable=True)


def _jsonl(rows: Iterable[Row]) -> str:
    return "".join(
        json.dumps({key: row.get(key) for key in ROW_KEYS}, ensure_ascii=False) + "\n"
        for row in rows
    )


# files --------------------------------------------------------------------------------------------
def _prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise PortfolioCheckError(f"{out_dir}: is a file; the batch output must be a folder")
    try:
        (out_dir / CANDIDATES_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PortfolioCheckError(
            f"{out_dir}: cannot create the output folder ({error.strerror})"
        ) from None


def _has_scorecard(out_dir: Path, label: str) -> bool:
    """An ok row stands only with its scorecard (a batch stopped between writing the row and
    the page, or a page removed by hand, is scanned again)."""
    return _safe_label(label) and (out_dir / CANDIDATES_DIR / f"{label}.html").is_file()


def _safe_label(label: str) -> bool:
    """A label from a results file may have been edited by hand: only a safe file name is
    ever joined to a path."""
    try:
        check_label(label)
    except TargetError:
        return False
    return True


# comparison ---------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ComparisonEntry:
    label: str
    spec: str
    href: str | None  # relative, URL-quoted link to the candidate's scorecard
    ok: bool
    commit: str | None
    real_world: float | None
    certification: float | None
    own_share: float | None  # 0-1; None: not compared with the upstream index
    upstream: str | None  # what most of the rest matches
    grade: str | None
    profile: str | None
    strengths: tuple[str, ...]
    gaps: tuple[str, ...]
    claims: int | None  # claims without evidence; None: not scored (or an older row)
    red_flags: tuple[str, ...]  # in a few words each (`red_flags.summary`)
    error: str | None


def write_comparison(out_dir: Path, rows: Sequence[Row]) -> Path:
    """Render `out_dir/comparison.html` from rows. The page depends on the rows only, never
    on their order or on the time, so equal rows give byte-identical pages."""
    entries = sorted(
        (_entry(out_dir, row) for row in latest_rows(row for row in rows if _is_row(row)).values()),
        key=lambda entry: (entry.label.casefold(), entry.label),
    )
    by_real_world = sorted(entries, key=lambda e: (not e.ok, -(e.real_world or 0.0)))
    by_certification = sorted(entries, key=lambda e: (not e.ok, -(e.certification or 0.0)))
    page = (
        html_environment()
        .get_template("comparison.html.j2")
        .render(
            tool_version=__version__,
            total=len(entries),
            ok=sum(entry.ok for entry in entries),
            errors=sum(not entry.ok for entry in entries),
            views=[
                ("by-certification", "certification-only score", by_certification),
                ("by-label", "label", entries),
                ("by-real-world", "real-world score", by_real_world),
            ],
            default_view="by-real-world",
        )
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / COMPARISON_FILE
    write_atomic(path, page, durable=True)
    return path


def _entry(out_dir: Path, row: Mapping[str, Any]) -> ComparisonEntry:
    label = str(row["label"])
    ok = row["status"] == "ok"
    page = out_dir / CANDIDATES_DIR / f"{label}.html"
    linked = ok and _safe_label(label) and page.is_file()
    return ComparisonEntry(
        label=label,
        spec=_text(row.get("spec")) or "",
        href=f"{CANDIDATES_DIR}/{quote(label + '.html', safe='')}" if linked else None,
        ok=ok,
        commit=_text(row.get("commit")),
        real_world=_number(row.get("real_world")) if ok else None,
        certification=_number(row.get("certification")) if ok else None,
        own_share=_share(row.get("own_share")) if ok else None,
        upstream=_text(row.get("upstream")) if ok else None,
        grade=_text(row.get("grade")),
        profile=_text(row.get("profile")),
        strengths=_texts(row.get("strengths")),
        gaps=_texts(row.get("gaps")),
        claims=_count(row.get("claims")) if ok else None,
        red_flags=red_flags.summary(_red_flags(row.get("red_flags"))) if ok else (),
        error=None if ok else (_text(row.get("error")) or "unknown error"),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _share(value: Any) -> float | None:
    """A share from a row, which may have been edited by hand: only 0 to 1."""
    number = _number(value)
    return number if number is not None and 0.0 <= number <= 1.0 else None


def _count(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number >= 0 and number == int(number) else None


def _red_flags(value: Any) -> tuple[RedFlag, ...]:
    """The red flags of a row, which may have been edited by hand: well-formed ones only,
    at most `MAX_ROW_FLAGS`, each detail one line of at most `MAX_REASON` characters."""
    if not isinstance(value, list):
        return ()
    flags = []
    for item in value[:MAX_ROW_FLAGS]:
        if not isinstance(item, dict) or item.get("kind") not in RED_FLAG_KINDS:
            continue
        detail = _text(item.get("detail"))
        if detail is not None:
            path = _text(item.get("path"))
            flags.append(RedFlag(kind=item["kind"], detail=_one_line(detail), path=path))
    return tuple(flags)


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))[:SHOWN_CATEGORIES]


# merge ------------------------------------------------------------------------------------------
def merge(dirs: Sequence[Path], out_dir: Path) -> BatchResult:
    """Join the output folders of several shards (or runs) into `out_dir`: one results file
    with the last row of each label (folders later in `dirs` win), sorted by label, their
    scorecards, and one comparison page."""
    if not dirs:
        raise PortfolioCheckError("merge: give the batch output folders to merge")
    winners: dict[str, tuple[Row, Path]] = {}
    for directory in dirs:
        results = directory / RESULTS_FILE
        if not results.is_file():
            raise PortfolioCheckError(
                f"{directory}: no {RESULTS_FILE} in it; is it the output folder of a batch?"
            )
        for row in read_results(results):
            winners[row["label"]] = (row, directory)
    _prepare_out_dir(out_dir)
    ordered = sorted(winners.items(), key=lambda item: item[0])
    for label, (row, source) in ordered:
        _merge_candidate_files(label, row, source, out_dir)
    rows = tuple(row for _, (row, _) in ordered)
    write_atomic(out_dir / RESULTS_FILE, _jsonl(rows), durable=True)
    return BatchResult(
        rows=rows,
        ok=sum(row["status"] == "ok" for row in rows),
        errors=sum(row["status"] == "error" for row in rows),
        skipped=0,
        comparison=write_comparison(out_dir, rows),
    )


def _merge_candidate_files(label: str, row: Row, source: Path, out_dir: Path) -> None:
    if not _safe_label(label):
        return
    for suffix in (".html", ".json"):
        origin = source / CANDIDATES_DIR / f"{label}{suffix}"
        destination = out_dir / CANDIDATES_DIR / f"{label}{suffix}"
        if destination.exists() and origin.exists() and destination.samefile(origin):
            continue
        if row["status"] == "ok" and origin.is_file():
            try:
                text = origin.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                destination.unlink(missing_ok=True)
                continue
            write_atomic(destination, text, durable=True)
        else:
            destination.unlink(missing_ok=True)


# display ----------------------------------------------------------------------------------------
def describe_event(event: CandidateEvent) -> str | None:
    """One line for a progress display when a candidate finishes; None for a start."""
    row = event.row
    if event.state == "started" or row is None:
        return None
    counter = f"[{event.done:>{len(str(event.total))}}/{event.total}]"
    seconds = f"({_number(row.get('seconds')) or 0.0:.1f}s)"
    if row["status"] == "error":
        return f"{counter} error     {row['label']}: {row.get('error')} {seconds}"
    real_world, certification = _number(row.get("real_world")), _number(row.get("certification"))
    scores = f"real-world {_points(real_world)}, certification {_points(certification)}"
    state = "unchanged" if event.state == "skipped" else "scored"
    return f"{counter} {state:<9} {row['label']}: {scores} {seconds}"


def _points(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}"


def summary_line(result: BatchResult) -> str:
    """`20 candidates: 17 scored, 3 errors; comparison: out/comparison.html`."""
    scored = f"{result.ok} scored"
    if result.skipped:
        scored += f" ({result.skipped} unchanged since the last run)"
    errors = counted(result.errors, "error")
    total = counted(result.total, "candidate")
    return f"{total}: {scored}, {errors}; comparison: {result.comparison}"
