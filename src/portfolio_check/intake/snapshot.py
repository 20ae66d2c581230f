"""The read-only view of a target: which files it has, and bounded, safe reads of them.

A `Snapshot` never follows a symlink, never reads a file that has other hard links (it may
be a file outside the root under a second name), never reads outside its root and never
reads more than a fixed number of bytes from one file. Everything an analyzer learns about
the target comes through here.
"""

from __future__ import annotations

import enum
import functools
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from portfolio_check.common.globs import glob_match
from portfolio_check.model.location import ancestors, path_parts, suffix_of

#: Bytes read at most from one text file. Larger files are listed but not read.
MAX_TEXT_BYTES = 2 * 1024 * 1024
#: Notebooks carry outputs, so they get a larger budget.
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
#: Bytes sniffed to tell text from binary.
SNIFF_BYTES = 8192
#: A work-tree file changed this recently (nanoseconds, by its mtime or ctime) when it is
#: listed gets no `identity`: a change within the same tick of a coarse file-system clock
#: would leave its stat unchanged (git's "racily clean" entries). Two seconds and more
#: covers every common file system's timestamp granularity.
SETTLE_NS = 3_000_000_000

#: Why a file with several hard links is not read.
HARDLINK_SKIPPED = "hard link (recorded, not read: its other name may be outside the folder)"

#: Our own report files; a learner who scans their repo twice must not score the report.
#: (Reports were written beside the repository's files before they had a folder.)
REPORT_FILE_PREFIX = "portfolio-check-report."
#: The folder a scan writes its report into by default, and the `.gitignore` it carries
#: (coverage.py's convention for htmlcov/): git ignores the folder and everything in it.
REPORT_DIR_NAME = "portfolio-check-report"
REPORT_DIR_GITIGNORE = (
    "# Created by portfolio-check: git ignores this folder and everything in it.\n*\n"
)


class EntryKind(enum.Enum):
    FILE = "file"
    SYMLINK = "symlink"
    HARDLINK = "hardlink"  # a regular file with more than one name: listed, never read
    OTHER = "other"  # fifo, socket, device: never opened


@dataclass(frozen=True, kw_only=True)
class FileEntry:
    """One listed path of the target, classified without reading it."""

    path: str
    size: int
    kind: EntryKind
    #: What stands for the file's exact content without reading it, or None: the blob's
    #: id in a commit; in a work tree, the lstat of a file that had settled when it was
    #: listed (inode, size, mtime and ctime in nanoseconds: any write, rename or `touch`
    #: since gives another ctime). Equal identities of one path mean equal content.
    identity: str | None = None

    # name, suffix and parts as PurePosixPath gives them (`model.location`), computed once:
    # every analyzer asks them of every listed file
    @functools.cached_property
    def name(self) -> str:
        return self.path.rpartition("/")[2]

    @functools.cached_property
    def suffix(self) -> str:
        return suffix_of(self.name).lower()

    @functools.cached_property
    def parts(self) -> tuple[str, ...]:
        return tuple(path_parts(self.path))

    def matches(self, pattern: str) -> bool:
        """Case-insensitive glob match; a pattern without `/` matches the file name anywhere."""
        return glob_match(self.path, pattern)


@dataclass(frozen=True, kw_only=True)
class TextRead:
    """The outcome of reading one file as text. `text` is None when the file was not read."""

    text: str | None
    skipped: str | None = None  # why it was not read: "binary", "too large", "symlink", ...


class UnsafePathError(ValueError):
    """A path that would leave the snapshot root."""


def is_safe_path(relative: str) -> bool:
    """Whether a listed path stays inside the root: relative, with no empty, `.` or `..`
    part. Git refuses such paths on checkout, but a crafted index or tree can hold them."""
    parts = relative.split("/")
    return bool(relative) and all(part not in ("", ".", "..") for part in parts)


@dataclass(frozen=True, kw_only=True)
class Unreadable:
    """A part of the target that could not be read, and why: the scan is partial there."""

    path: str  # repo-relative; ".git" for the repository itself
    reason: str  # one sentence a reader can act on


@dataclass(kw_only=True)
class Snapshot:
    """The files of one target, as listed by git or by a bounded directory walk."""

    root: Path
    entries: tuple[FileEntry, ...]
    commit: str | None = None
    is_git: bool = False
    notes: list[str] = field(default_factory=list)
    #: What could not be read (a folder without permission, a repository git refused):
    #: each becomes a finding, so that a partial scan says where and why.
    unreadable: list[Unreadable] = field(default_factory=list)
    #: Reads at most `limit` bytes of a listed path; by default from the work tree under
    #: `root`. A snapshot of a commit reads blobs from the object store instead.
    reader: Callable[[str, int], bytes | None] | None = None
    _by_path: dict[str, FileEntry] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_path = {entry.path: entry for entry in self.entries}

    def __iter__(self) -> Iterator[FileEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, path: str) -> FileEntry | None:
        return self._by_path.get(path)

    def exists(self, path: str) -> bool:
        return path in self._by_path

    def glob(self, pattern: str) -> list[FileEntry]:
        return [entry for entry in self.entries if entry.matches(pattern)]

    def _read(self, path: str, limit: int) -> bytes | None:
        if self.reader is not None:
            return self.reader(path, limit)
        try:
            return read_bytes_inside(self.root, path, limit=limit)
        except UnsafePathError:
            return None

    def read_text(self, entry: FileEntry, *, limit: int = MAX_TEXT_BYTES) -> TextRead:
        """Read a listed regular file as UTF-8 (undecodable bytes replaced), within `limit`."""
        if entry.kind is EntryKind.SYMLINK:
            return TextRead(text=None, skipped="symlink (recorded, not followed)")
        if entry.kind is EntryKind.HARDLINK:
            return TextRead(text=None, skipped=HARDLINK_SKIPPED)
        if entry.kind is not EntryKind.FILE:
            return TextRead(text=None, skipped="not a regular file")
        if entry.size > limit:
            return TextRead(text=None, skipped=f"too large ({entry.size:,} bytes)")
        data = self._read(entry.path, limit)
        if data is None:
            return TextRead(text=None, skipped="unreadable")
        if b"\x00" in data[:SNIFF_BYTES]:
            return TextRead(text=None, skipped="binary")
        return TextRead(text=data.decode("utf-8", errors="replace"))

    def read_head(self, entry: FileEntry, *, limit: int = 4096) -> str:
        """The first line of a regular text file (at most `limit` bytes), or ""."""
        if entry.kind is not EntryKind.FILE:
            return ""
        data = self._read(entry.path, limit) or b""
        if b"\x00" in data:
            return ""
        return data.decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0]


def read_bytes_inside(root: Path, relative: str, *, limit: int) -> bytes | None:
    """Read at most `limit` bytes of `root/relative` without following any symlink.

    Every folder on the way is opened with O_NOFOLLOW relative to its parent, so neither a
    symlinked folder nor a file swapped for a symlink after listing can lead outside `root`.
    A file with more than one hard link is not read either (None): its other name may be
    outside `root`, and nothing in the file tells which name is the original.
    """
    if not is_safe_path(relative):
        raise UnsafePathError(relative)
    parts = relative.split("/")
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    directory_flag = getattr(os, "O_DIRECTORY", 0)
    fds: list[int] = []
    try:
        fds.append(os.open(root, os.O_RDONLY | directory_flag))
        for part in parts[:-1]:
            fds.append(os.open(part, os.O_RDONLY | directory_flag | nofollow, dir_fd=fds[-1]))
        fd = os.open(
            parts[-1], os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0), dir_fd=fds[-1]
        )
        fds.append(fd)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(limit)
    except (OSError, ValueError):  # ValueError: an embedded NUL
        return None
    finally:
        for fd in fds:
            os.close(fd)


def entry_for(
    root: Path,
    relative: str,
    *,
    real_folders: set[str] | None = None,
    settled_before_ns: int | None = None,
) -> FileEntry | None:
    """Classify `root/relative` with lstat, never following a symlink. None if it is gone,
    is a directory, sits behind a symlinked folder or is not a path inside `root`.
    `real_folders` remembers the folders already found not to be symlinks, for a listing.
    A regular file last changed before `settled_before_ns` (wall clock) gets its identity."""
    if not is_safe_path(relative):
        return None
    base = os.fspath(root)
    try:
        for folder in ancestors(relative):
            if real_folders is not None and folder in real_folders:
                continue
            if stat.S_ISLNK(os.lstat(f"{base}/{folder}").st_mode):
                return None
            if real_folders is not None:
                real_folders.add(folder)
        info = os.lstat(f"{base}/{relative}")
    except (OSError, ValueError):  # ValueError: an embedded NUL
        return None
    if stat.S_ISLNK(info.st_mode):
        return FileEntry(path=relative, size=0, kind=EntryKind.SYMLINK)
    if stat.S_ISDIR(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        return FileEntry(path=relative, size=info.st_size, kind=EntryKind.OTHER)
    if info.st_nlink > 1:
        return FileEntry(path=relative, size=info.st_size, kind=EntryKind.HARDLINK)
    identity = stat_identity(info, settled_before_ns)
    return FileEntry(path=relative, size=info.st_size, kind=EntryKind.FILE, identity=identity)


def stat_identity(info: os.stat_result, settled_before_ns: int | None) -> str | None:
    """A regular file's identity from its lstat, if it had settled by `settled_before_ns`.
    POSIX only: elsewhere `st_ctime` is the creation time, which a write leaves alone."""
    if settled_before_ns is None or os.name != "posix":
        return None
    if max(info.st_mtime_ns, info.st_ctime_ns) >= settled_before_ns:
        return None
    return f"stat {info.st_ino} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}"


def is_own_report(path: str) -> bool:
    return "/" not in path and path.startswith(REPORT_FILE_PREFIX)


def is_own_report_dir(root: Path, relative: str) -> bool:
    """The report folder a scan wrote (its `.gitignore` is ours), at the top of `root`. Git
    ignores it through that file; a plain walk asks this. A folder of that name without our
    `.gitignore` is the repository's own and is scanned like any other."""
    if relative != REPORT_DIR_NAME:
        return False
    limit = len(REPORT_DIR_GITIGNORE) + 1
    marker = read_bytes_inside(root, f"{relative}/.gitignore", limit=limit)
    return marker == REPORT_DIR_GITIGNORE.encode()
