"""The batch's output folder: `results.jsonl` (appended row by row, read back for `--resume`
and `merge`) and the scorecards under `candidates/`, every file written atomically.

Reading a results file parses and validates each line once (`rows.parse_row`); a line that
is not a row (the last line of a batch killed mid-write, a line edited by hand) is left out,
and `Results.problems` says which, one line each, naming the file and the line.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from portfolio_check.app.batch.rows import Row, RowError, parse_row
from portfolio_check.common.atomic_files import write_atomic
from portfolio_check.common.errors import PortfolioCheckError, TargetError
from portfolio_check.intake.targets import check_label

RESULTS_FILE = "results.jsonl"
COMPARISON_FILE = "comparison.html"
CANDIDATES_DIR = "candidates"


@dataclass(frozen=True, kw_only=True)
class Results:
    """A results file as read: its rows in file order, and a line for each line left out."""

    rows: tuple[Row, ...]
    problems: tuple[str, ...] = ()


# results.jsonl ----------------------------------------------------------------------------------
def append_row(path: Path, row: Row) -> None:
    """Append one row and make it durable before going on: a batch killed a moment later
    still has it."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(row.to_line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_results(path: Path) -> list[Row]:
    """The rows of a results file, in file order. A line that is not a complete row (the
    last line of a batch killed mid-write) is left out."""
    return list(load_results(path).rows)


def load_results(path: Path) -> Results:
    """The rows of a results file and the problems of the lines left out. A missing file
    has no rows; one that cannot be read raises `PortfolioCheckError`."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return Results(rows=())
    except OSError as error:
        raise PortfolioCheckError(f"{path}: cannot read ({error.strerror})") from None
    rows: list[Row] = []
    problems: list[str] = []
    # rows end in "\n" only: str.splitlines would also cut a row at a U+2028 in a target
    # spec (written as is, ensure_ascii=False) and drop it as damaged on resume
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rows.append(parse_row(line, path=path, number=number))
        except RowError as error:
            problems.append(str(error))
    return Results(rows=tuple(rows), problems=tuple(problems))


def latest_rows(rows: Iterable[Row]) -> dict[str, Row]:
    """The last row of each label, in the order labels first appear."""
    latest: dict[str, Row] = {}
    for row in rows:
        latest[row.label] = row
    return latest


def jsonl(rows: Iterable[Row]) -> str:
    """Rows as the text of a results file."""
    return "".join(row.to_line() + "\n" for row in rows)


def start_results(path: Path, labels: set[str], *, keep: Mapping[str, Row]) -> None:
    """--resume: start the results file with the earlier rows that stand: those in `keep`,
    and those of candidates not in this batch (another shard's, say). The rows of this
    batch's other candidates, and any half-written line, go: the batch writes them again,
    and no label and commit is ever listed twice."""
    results = load_results(path)
    kept = [
        row
        for row in latest_rows(results.rows).values()
        if row.label not in labels or keep.get(row.label) == row
    ]
    if results.problems or kept != list(results.rows):
        write_atomic(path, jsonl(kept), durable=True)


def compact_results(path: Path) -> None:
    """A resumed URL candidate fetched at a new commit (or failing now) has a second row by
    now, next to its earlier one: keep the last."""
    rows = read_results(path)
    latest = latest_rows(rows)
    if len(latest) != len(rows):
        write_atomic(path, jsonl(latest.values()), durable=True)


# files --------------------------------------------------------------------------------------------
def prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise PortfolioCheckError(f"{out_dir}: is a file; the batch output must be a folder")
    try:
        (out_dir / CANDIDATES_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PortfolioCheckError(
            f"{out_dir}: cannot create the output folder ({error.strerror})"
        ) from None


def has_scorecard(out_dir: Path, label: str) -> bool:
    """An ok row stands only with its scorecard (a batch stopped between writing the row and
    the page, or a page removed by hand, is scanned again)."""
    return safe_label(label) and (out_dir / CANDIDATES_DIR / f"{label}.html").is_file()


def safe_label(label: str) -> bool:
    """A label from a results file may have been edited by hand: only a safe file name is
    ever joined to a path."""
    try:
        check_label(label)
    except TargetError:
        return False
    return True


def remove_candidate_files(out_dir: Path, label: str) -> None:
    """The candidate's scorecards, and any a stopped worker left half-written."""
    if safe_label(label):
        folder = out_dir / CANDIDATES_DIR
        for suffix in (".html", ".json"):
            (folder / f"{label}{suffix}").unlink(missing_ok=True)
            for temporary in folder.glob(f".{glob.escape(label + suffix)}.*"):
                temporary.unlink(missing_ok=True)
