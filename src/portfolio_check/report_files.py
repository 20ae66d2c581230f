"""Where a report is written on disk: the default report folder, and atomic writes.

By default a scan writes `portfolio-check-report/scorecard.<ext>` in the current folder,
which may be the repository being scanned (`portfolio-check .`). Following coverage.py's
`htmlcov/`, the folder carries its own `.gitignore` holding `*`, so neither the folder nor
anything in it ever shows in `git status`. An explicit `-o` is always honoured as given.

The folder may sit in a repository nobody has vetted: a `portfolio-check-report` that is a
symlink or a file is refused (writing through it could land anywhere), and every report
replaces its file by a rename, so a planted symlink is replaced, never followed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from portfolio_check.errors import PortfolioCheckError
from portfolio_check.snapshot import REPORT_DIR_GITIGNORE, REPORT_DIR_NAME

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
    """Write atomically: a reader never sees half a report, and a failure loses no old one."""
    directory = path.parent if str(path.parent) else Path()
    if not directory.is_dir():
        raise PortfolioCheckError(
            f"{path}: cannot write the report, folder {directory} does not exist"
        )
    if path.is_dir():
        raise PortfolioCheckError(f"{path}: is a folder, expected a file name for the report")
    if _is_device(path):
        _write_through(path, report)
        return
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=directory, prefix=f".{path.name}.", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(report)
        temporary.chmod(_file_mode(path))  # temporary files start private; reports are not
        temporary.replace(path)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise PortfolioCheckError(f"{path}: cannot write the report ({error.strerror})") from None


def _is_device(path: Path) -> bool:
    """`-o /dev/null`, a FIFO or a terminal named by the user (not a symlink planted to one)."""
    return not path.is_symlink() and path.exists() and not path.is_file()


def _write_through(path: Path, report: str) -> None:
    """A rename would replace the device with a regular file (as root, `/dev/null` itself,
    after which every git call fails) and never reach a FIFO's reader."""
    try:
        with path.open("w", encoding="utf-8") as handle:
            handle.write(report)
    except OSError as error:
        raise PortfolioCheckError(f"{path}: cannot write the report ({error.strerror})") from None


def _file_mode(path: Path) -> int:
    """The mode an existing report has, or what the user's umask gives a new file."""
    if path.exists() and not path.is_symlink():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
