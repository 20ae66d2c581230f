"""The worker: one candidate cloned (or opened), scanned, its scorecards written, its row
returned. Runs in a worker process (or, with `--jobs 1`, in the batch's own).

It never raises for a problem with the candidate: every failure, a bug in the scan
included, becomes an error row for this candidate alone. A candidate's own
`.portfolio-check.yaml` is ignored: candidates never choose what is scanned.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import git

from portfolio_check.app.batch.events import Phase
from portfolio_check.app.batch.rows import Row, error_row, scored_row
from portfolio_check.app.batch.store import CANDIDATES_DIR
from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.common.atomic_files import write_atomic
from portfolio_check.common.errors import PortfolioCheckError
from portfolio_check.intake.clone import CloneOptions, checkout
from portfolio_check.intake.git_runner import hardened_git
from portfolio_check.intake.targets import Target
from portfolio_check.model.rubric import Rubric
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import render
from portfolio_check.rubric.loading import load_rubric


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


class WorkerState:
    """`report`: where a scan reports its phase, the parent's tracker (--jobs 1) or, in a
    worker, the queue the parent reads. `busy`: a scan is in progress in this process."""

    report: Callable[[str, Phase], None] | None = None
    busy: bool = False


state = WorkerState()


def first_phase(target: Target) -> Phase:
    return "scan" if target.kind == "path" else "clone"


def scan_candidate(job: CandidateJob) -> CandidateOutcome:
    """Clone (or open) one candidate, scan it, write its scorecards, return its row."""
    state.busy = True
    try:
        return _scan_candidate(job)
    finally:
        state.busy = False


def _scan_candidate(job: CandidateJob) -> CandidateOutcome:
    started = time.monotonic()
    target = job.target
    commit: str | None = None
    try:
        with checkout(target, job.clone_options) as clone:
            if target.kind != "path" and state.report is not None:
                state.report(target.label, "scan")
            commit = commit_of(clone.root, clone.revision)
            previous = job.previous
            if previous is not None and commit is not None and previous.commit == commit:
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
