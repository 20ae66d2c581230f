"""What a batch tells its caller: an event as each candidate starts, changes phase and
finishes; the result at the end; `BatchInterrupted` after Ctrl-C."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from portfolio_check.app.batch.rows import Row

EventState = Literal["started", "phase", "ok", "error", "skipped"]
#: What a candidate in flight is doing: fetching its repository, or being scanned.
Phase = Literal["clone", "scan"]


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
    #: Lines of earlier results files left out as not rows, one line each (file:line: why).
    problems: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.rows)
