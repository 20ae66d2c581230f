"""--resume: which rows of an earlier run may stand, so that their candidates are not
scanned again."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from portfolio_check.app.batch.candidates import Candidate, RejectedTarget
from portfolio_check.app.batch.rows import Row
from portfolio_check.app.batch.store import has_scorecard, latest_rows, read_results
from portfolio_check.app.batch.worker import commit_of
from portfolio_check.intake.targets import Target


def reusable_rows(path: Path, candidates: Sequence[Candidate]) -> dict[str, Row]:
    """--resume: the earlier ok rows that may stand, by label. A local folder's row stands if
    the folder is still at its commit (asked now); a URL's row is kept for the worker, which
    compares it with the commit it fetches. A row whose label now names another spec is not
    reused."""
    earlier = latest_rows(read_results(path))
    reusable: dict[str, Row] = {}
    for candidate in candidates:
        row = earlier.get(candidate.label)
        if isinstance(candidate, RejectedTarget) or row is None or not row.ok:
            continue
        if row.spec != candidate.spec or not has_scorecard(path.parent, row.label):
            continue
        if candidate.kind == "url" or _still_current(candidate, row):
            reusable[candidate.label] = row
    return reusable


def _still_current(target: Target, previous: Row) -> bool:
    """Resume: is this local folder still at the commit its ok row was scored at? Asked of
    git cheaply (`rev-parse`), before any scan. A folder outside git has no commit; its
    earlier row stands as long as the folder exists."""
    root = Path(target.location)
    if not root.is_dir():
        return False
    return commit_of(root, target.ref) == previous.commit
