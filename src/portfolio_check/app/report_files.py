"""Where a report is written on disk: the default report folder, and atomic writes.

By default a scan writes `portfolio-check-report/scorecard.<ext>` in the current folder,
which may be the repository being scanned (`portfolio-check .`). Following coverage.py's
`htmlcov/`, the folder carries its own `.gitignore` holding `*`, so neither the folder nor
anything in it ever shows in `git status`. An explicit `-o` is always honoured as given.

The folder may sit in a repository nobody has vetted: a `portfolio-check-report` that is a
symlink or a file is refused (writing through it could land anywhere), and every report
replaces its file by a rename (`atomic_files`), so a planted symlink is replaced, never
followed.
"""

from __future__ import annotations

from pathlib import Path

from portfolio_check.common.atomic_files import (
    existing_mode,
    is_device,
    write_atomic,
    write_through,
)
from portfolio_check.common.errors import PortfolioCheckError
from portfolio_check.intake.snapshot import REPORT_DIR_GITIGNORE, REPORT_DIR_NAME

#: The file name of a report in the default folder, before its extension.
REPORT_STEM = "scorecard"


def default_report_path(extension: str, base: Path | None = None) -> Path:
    """`portfolio-check-report/scorecard.<extension>`, under `base` (the current folder)."""
    return (base or Path()) / REPORT_DIR_NAME / f"{REPORT_STEM}.{extension}"


def prepare_report_folder(folder: Path) -> None:
    """Create the default report folder with its `.gitignore`, or check an existing one.

    A `.gitignore` already there is left as it is (it may be the user's own)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise PortfolioCheckError(
            f"{folder}: is not a folder portfolio-check can write its report into (a symlink "
            "or a file); remove it, or give the report's place with -o"
        )
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise PortfolioCheckError(
            f"{folder}: cannot create the report folder ({error.strerror})"
        ) from None
    ignore = folder / ".gitignore"
    if not ignore.exists() and not ignore.is_symlink():
        write_report(ignore, REPORT_DIR_GITIGNORE)


def write_report(path: Path, report: str) -> None:
    """Write atomically: a reader never sees half a report, and a failure loses no old one.
    A device or FIFO the user named is written through; an existing report keeps its mode."""
    directory = path.parent if str(path.parent) else Path()
    if not directory.is_dir():
        raise PortfolioCheckError(
            f"{path}: cannot write the report, folder {directory} does not exist"
        )
    if path.is_dir():
        raise PortfolioCheckError(f"{path}: is a folder, expected a file name for the report")
    if is_device(path):
        write_through(path, report, what="the report")
        return
    write_atomic(path, report, mode=existing_mode(path), what="the report")
