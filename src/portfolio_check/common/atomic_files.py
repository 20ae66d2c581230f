"""Atomic file writes: the one place a file the tool produces is put on disk.

A file is written to a temporary file in its own folder and renamed over its name, so a
reader never sees half a file and a failure loses no old one. The rename replaces whatever
sits at the name: a symlink planted there is replaced, never followed. A device or a FIFO the
user named (`-o /dev/null`) is written through instead, since a rename would replace the
device with a regular file and never reach a FIFO's reader.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from portfolio_check.common.errors import PortfolioCheckError

_UMASK_LINE = re.compile(rb"^Umask:\s*([0-7]+)$", re.MULTILINE)


def write_atomic(
    path: Path,
    content: str | bytes,
    *,
    durable: bool = False,
    mode: int | None = None,
    what: str = "",
) -> None:
    """Write `content` to `path` through a temporary file and a rename.

    `durable` syncs the file to disk before the rename (a batch's results survive a power
    cut). `mode` is the new file's permission bits, by default what the user's umask gives a
    new file (temporary files start private; reports are not). A failure is one line naming
    the path and, in `what`, the thing written ("the report")."""
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "wb" if isinstance(content, bytes) else "w",
            encoding=None if isinstance(content, bytes) else "utf-8",
            dir=path.parent,
            prefix=f".{path.name}.",
            delete=False,
        ) as handle:
            temporary = Path(handle.name)
            handle.write(content)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        temporary.chmod(new_file_mode() if mode is None else mode)
        temporary.replace(path)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise PortfolioCheckError(_cannot_write(path, what, error)) from None


def write_through(path: Path, content: str, *, what: str = "") -> None:
    """Write into an existing device or FIFO the user named, without replacing it."""
    try:
        with path.open("w", encoding="utf-8") as handle:
            handle.write(content)
    except OSError as error:
        raise PortfolioCheckError(_cannot_write(path, what, error)) from None


def is_device(path: Path) -> bool:
    """`-o /dev/null`, a FIFO or a terminal named by the user (not a symlink planted to one)."""
    return not path.is_symlink() and path.exists() and not path.is_file()


def existing_mode(path: Path) -> int:
    """The mode an existing regular file has, or what the user's umask gives a new file."""
    if path.exists() and not path.is_symlink():
        return path.stat().st_mode & 0o777
    return new_file_mode()


def new_file_mode() -> int:
    """What the user's umask gives a new file (read fresh each time: a caller may change it)."""
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it where Linux tells it (setting and
    restoring it would race with a thread creating a file meanwhile)."""
    try:
        found = _UMASK_LINE.search(Path("/proc/self/status").read_bytes())
    except OSError:
        found = None
    if found is not None:
        return int(found[1], 8)
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _cannot_write(path: Path, what: str, error: OSError) -> str:
    return f"{path}: cannot write{' ' + what if what else ''} ({error.strerror})"
