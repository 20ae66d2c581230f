"""Where a scan's time goes, before anything is changed to make it faster.

    python benchmarks/profile_scan.py phases REPO [portfolio-check options]
    python benchmarks/profile_scan.py analyzers REPO

`phases` runs one scan as the command line does (same options, same cache) and prints the
wall time of each step of the pipeline: imports, reading the files (with the cache), the
listing, collecting the workers' facts, linking, the two scores and the report. Run it
twice with the same `XDG_CACHE_HOME` and one file changed in between to see a warm rescan.

`analyzers` analyses every file of REPO in this one process, without cache or workers, and
prints the time each file analyzer spent, over how many files: the CPU a cold scan spreads
over its workers.
"""

# The package is imported inside each mode, so that `phases` can time the imports.
# ruff: noqa: PLC0415

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()

#: The steps of a scan, as (module, attribute, what the table calls it), in pipeline order.
_PIPELINE = "portfolio_check.analyzers.pipeline"
PHASES = (
    ("portfolio_check.analyzers.runner", "FileRun.start", "read files, take cached facts"),
    (_PIPELINE, "InventoryListingAnalyzer.analyze_listing", "listing: inventory"),
    (_PIPELINE, "CourseworkListingAnalyzer.analyze_listing", "listing: coursework"),
    (_PIPELINE, "LockfileListingAnalyzer.analyze_listing", "listing: lock files"),
    (_PIPELINE, "HistoryListingAnalyzer.analyze_listing", "listing: history (a thread)"),
    ("portfolio_check.analyzers.runner", "FileRun.facts", "read the rest, analyse, collect"),
    (_PIPELINE, "link", "link across files"),
    ("portfolio_check.scoring.engine", "_signal_outcomes", "rubric signals"),
    ("portfolio_check.scoring.engine", "ml_test_score", "ML Test Score"),
    ("portfolio_check.app.scan", "evaluate", "scorecard (all scoring)"),
    ("portfolio_check.report", "_render", "render a report"),
)


class Timers:
    """Wall time spent inside chosen functions, by label (a call inside another counts in
    both: the table is per step, not a partition)."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                result = original(*args, **kwargs)
                # a generator's work happens as it is drawn: draw it here
                return list(result) if isinstance(result, Iterator) else result
            finally:
                self.seconds[label] += time.perf_counter() - started
                self.calls[label] += 1

        setattr(owner, name, timed)

    def table(self, labels: Iterable[str]) -> str:
        rows = [f"{'step':34s} {'calls':>6s} {'wall (s)':>9s}"]
        rows += [
            f"{label:34s} {self.calls[label]:6d} {self.seconds[label]:9.3f}"
            for label in labels
            if self.calls[label]
        ]
        return "\n".join(rows)


def _owner(module_name: str, dotted: str) -> tuple[Any, str]:
    """The object holding `dotted` (a function or Class.method) in `module_name`."""
    owner: Any = importlib.import_module(module_name)
    *parents, name = dotted.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    return owner, name


def profile_phases(arguments: list[str]) -> str:
    from portfolio_check.cli import main

    timers = Timers()
    for module_name, dotted, label in PHASES:
        timers.wrap(*_owner(module_name, dotted), label)
    imported = time.perf_counter() - STARTED
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the scan's summary: not ours
            main(arguments)
    except SystemExit as stop:
        if stop.code not in (0, 1, None):  # 1: the scan's own verdict, not a failure
            raise
    total = time.perf_counter() - STARTED
    labels = [label for _, _, label in PHASES]
    return f"imports {imported:.3f} s, whole run {total:.3f} s\n" + timers.table(labels)


def profile_analyzers(repo: Path) -> str:
    from portfolio_check.analyzers import runner
    from portfolio_check.analyzers.pipeline import analyze
    from portfolio_check.intake.sources import open_target
    from portfolio_check.rubric.loading import load_rubric
    from portfolio_check.rubric.ml_tests import default_ml_tests

    timers = Timers()
    make_analyzers: Callable[..., list[Any]] = runner.file_analyzers

    def timed_analyzers(context: Any) -> list[Any]:
        analyzers = make_analyzers(context)
        for analyzer in analyzers:
            timers.wrap(analyzer, "analyze", analyzer.name)
        return analyzers

    runner.file_analyzers = timed_analyzers  # type: ignore[assignment]
    rubric, ml_tests = load_rubric(), default_ml_tests()
    queries = (*rubric.content_queries, *ml_tests.content_queries)
    started = time.perf_counter()
    analyze(open_target(repo), queries, cache=None, workers=1)
    total = time.perf_counter() - started
    rows = [
        f"whole analysis {total:.2f} s in one process",
        f"{'analyzer':16s} {'files':>7s} {'cpu (s)':>8s} {'ms/file':>8s}",
    ]
    for name, seconds in timers.seconds.most_common():
        files = timers.calls[name]
        rows.append(f"{name:16s} {files:7d} {seconds:8.3f} {1000 * seconds / files:8.2f}")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("phases", "analyzers"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, repo, *options = argv
    if not Path(repo).is_dir():
        print(f"profile_scan.py: {repo}: not a folder", file=sys.stderr)
        return 2
    if mode == "phases":
        print(profile_phases([repo, *options]))
    else:
        print(profile_analyzers(Path(repo)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
