"""The batch's display on a terminal: a line per finished candidate (`describe_event`), and
under them the candidates in flight, each with its phase (clone or scan) and how long it has
been at it, redrawn in place by rich; the summary line at the end (`summary_line`). The live
display only when stderr is a terminal; nothing at all otherwise, so logs and pipes get the
one summary line.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.text import Text

from portfolio_check.app.batch.events import BatchResult, CandidateEvent, Phase
from portfolio_check.common.plural import counted

#: Candidates in flight shown at most; more is "and N more".
MAX_SHOWN = 12
PHASE_NAMES: dict[Phase, str] = {"clone": "cloning", "scan": "scanning"}


@dataclass
class _Flight:
    phase: Phase
    since: float  # time.monotonic() when this phase began
    started: float


class InFlight:
    """The candidates started and not finished, as rich draws them (on every refresh, so
    the times go on counting between events)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.flights: dict[str, _Flight] = {}
        self.done = 0
        self.total = 0

    def update(self, event: CandidateEvent) -> None:
        self.done, self.total = event.done, event.total
        now = self.clock()
        if event.state == "started":
            self.flights[event.label] = _Flight(event.phase or "scan", now, now)
        elif event.state == "phase" and event.label in self.flights:
            flight = self.flights[event.label]
            flight.phase, flight.since = event.phase or flight.phase, now
        elif event.state in ("ok", "error", "skipped"):
            self.flights.pop(event.label, None)

    def __rich__(self) -> RenderableType:
        now = self.clock()
        counts = f"{self.done}/{self.total} done, {len(self.flights)} in flight"
        header = Text(counts if self.total else "starting", style="bold")
        lines: list[RenderableType] = [header]
        shown = sorted(self.flights.items(), key=lambda item: item[1].started)[:MAX_SHOWN]
        width = max((len(label) for label, _ in shown), default=0)
        for label, flight in shown:
            line = Text("  ")
            line.append(f"{PHASE_NAMES[flight.phase]:<9}", style="cyan")
            line.append(f" {label:<{width}} ")
            line.append(_duration(now - flight.started), style="dim")
            lines.append(line)
        hidden = len(self.flights) - len(shown)
        if hidden > 0:
            lines.append(Text(f"  and {hidden} more"))
        return Group(*lines)


def _duration(seconds: float) -> str:
    whole = int(max(0.0, seconds))
    return f"{whole // 60}m{whole % 60:02d}s" if whole >= 60 else f"{whole}s"


@contextlib.contextmanager
def batch_progress(*, enabled: bool) -> Iterator[Callable[[CandidateEvent], None] | None]:
    """A progress callback for `run_batch` while the block runs, or None when there is
    nothing to show (not `enabled`, or stderr is not a terminal). The live area is erased
    at the end, also after Ctrl-C; the finished lines stay."""
    stream = sys.stderr  # click's test runner replaces it too
    if not enabled or stream is None or not stream.isatty():
        yield None
        return
    console = Console(file=stream, highlight=False)
    board = InFlight()

    def show(event: CandidateEvent) -> None:
        board.update(event)
        line = describe_event(event)
        if line is not None:
            console.print(Text(line), soft_wrap=True)  # above the live area, unwrapped

    with Live(board, console=console, refresh_per_second=4, transient=True):
        yield show


def describe_event(event: CandidateEvent) -> str | None:
    """One line for a progress display when a candidate finishes; None for a start."""
    row = event.row
    if event.state == "started" or row is None:
        return None
    counter = f"[{event.done:>{len(str(event.total))}}/{event.total}]"
    seconds = f"({row.seconds or 0.0:.1f}s)"
    if not row.ok:
        return f"{counter} error     {row.label}: {row.error} {seconds}"
    scores = f"real-world {_points(row.real_world)}, certification {_points(row.certification)}"
    state = "unchanged" if event.state == "skipped" else "scored"
    return f"{counter} {state:<9} {row.label}: {scores} {seconds}"


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
