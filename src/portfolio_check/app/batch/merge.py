"""`merge`: the output folders of several shards (or runs) joined into one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from portfolio_check.app.batch.comparison import write_comparison
from portfolio_check.app.batch.events import BatchResult
from portfolio_check.app.batch.rows import Row
from portfolio_check.app.batch.store import (
    CANDIDATES_DIR,
    RESULTS_FILE,
    jsonl,
    load_results,
    prepare_out_dir,
    safe_label,
)
from portfolio_check.common.atomic_files import write_atomic
from portfolio_check.common.errors import PortfolioCheckError


def merge(dirs: Sequence[Path], out_dir: Path) -> BatchResult:
    """Join the output folders of several shards (or runs) into `out_dir`: one results file
    with the last row of each label (folders later in `dirs` win), sorted by label, their
    scorecards, and one comparison page."""
    if not dirs:
        raise PortfolioCheckError("merge: give the batch output folders to merge")
    winners: dict[str, tuple[Row, Path]] = {}
    problems: list[str] = []
    for directory in dirs:
        results = directory / RESULTS_FILE
        if not results.is_file():
            raise PortfolioCheckError(
                f"{directory}: no {RESULTS_FILE} in it; is it the output folder of a batch?"
            )
        read = load_results(results)
        problems.extend(read.problems)
        for row in read.rows:
            winners[row.label] = (row, directory)
    prepare_out_dir(out_dir)
    ordered = sorted(winners.items(), key=lambda item: item[0])
    for label, (row, source) in ordered:
        _merge_candidate_files(label, row, source, out_dir)
    rows = tuple(row for _, (row, _) in ordered)
    write_atomic(out_dir / RESULTS_FILE, jsonl(rows), durable=True)
    return BatchResult(
        rows=rows,
        ok=sum(row.ok for row in rows),
        errors=sum(not row.ok for row in rows),
        skipped=0,
        comparison=write_comparison(out_dir, rows),
        problems=tuple(problems),
    )


def _merge_candidate_files(label: str, row: Row, source: Path, out_dir: Path) -> None:
    if not safe_label(label):
        return
    for suffix in (".html", ".json"):
        origin = source / CANDIDATES_DIR / f"{label}{suffix}"
        destination = out_dir / CANDIDATES_DIR / f"{label}{suffix}"
        if destination.exists() and origin.exists() and destination.samefile(origin):
            continue
        if row.ok and origin.is_file():
            try:
                text = origin.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                destination.unlink(missing_ok=True)
                continue
            write_atomic(destination, text, durable=True)
        else:
            destination.unlink(missing_ok=True)
