"""The batch's rows as the entries of the comparison page, and the page written into the
output folder (`report.comparison` renders it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from portfolio_check.app.batch.rows import SHOWN_CATEGORIES, Row, reason_line
from portfolio_check.app.batch.store import (
    CANDIDATES_DIR,
    COMPARISON_FILE,
    latest_rows,
    safe_label,
)
from portfolio_check.common.atomic_files import write_atomic
from portfolio_check.common.text_safety import one_line
from portfolio_check.model.scorecard import RedFlag
from portfolio_check.report.comparison import ComparisonEntry, render_comparison
from portfolio_check.scoring import red_flags

MAX_ROW_FLAGS = 20  # red flags of one row shown at most


def write_comparison(out_dir: Path, rows: Sequence[Row]) -> Path:
    """Render `out_dir/comparison.html` from rows (the last row of each label). The page
    depends on the rows only, never on their order or on the time."""
    entries = [entry(out_dir, row) for row in latest_rows(rows).values()]
    page = render_comparison(entries)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / COMPARISON_FILE
    write_atomic(path, page, durable=True)
    return path


def entry(out_dir: Path, row: Row) -> ComparisonEntry:
    """A row as the page shows it: scores only for a candidate that scored, a link only to
    a scorecard that is there, every text one line."""
    ok = row.ok
    page = out_dir / CANDIDATES_DIR / f"{row.label}.html"
    linked = ok and safe_label(row.label) and page.is_file()
    flags = tuple(
        RedFlag(kind=flag.kind, detail=reason_line(flag.detail), path=flag.path)
        for flag in row.red_flags[:MAX_ROW_FLAGS]
    )
    return ComparisonEntry(
        label=row.label,
        spec=one_line(row.spec),
        href=f"{CANDIDATES_DIR}/{quote(row.label + '.html', safe='')}" if linked else None,
        ok=ok,
        commit=row.commit or None,
        real_world=_float(row.real_world) if ok else None,
        certification=_float(row.certification) if ok else None,
        own_share=_float(row.own_share) if ok else None,
        upstream=(row.upstream or None) if ok else None,
        grade=row.grade or None,
        profile=row.profile or None,
        strengths=row.strengths[:SHOWN_CATEGORIES],
        gaps=row.gaps[:SHOWN_CATEGORIES],
        claims=row.claims if ok else None,
        red_flags=red_flags.summary(flags) if ok else (),
        error=None if ok else reason_line(row.error or "unknown error"),
    )


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)
