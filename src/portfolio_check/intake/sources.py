"""Turn a target on disk into a `Snapshot`: hardened git listing, or a bounded walk.

Git is asked only read-only questions (`ls-files`, `rev-parse`), through
`git_runner.hardened_git`, whose command-line config overrides anything the target's own
`.git/config` could use to run a program.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import git

from portfolio_check.common.errors import TargetError
from portfolio_check.common.plural import counted, noun_for
from portfolio_check.intake.git_runner import command_error_reason, hardened_git
from portfolio_check.intake.snapshot import (
    SETTLE_NS,
    EntryKind,
    FileEntry,
    Snapshot,
    Unreadable,
    entry_for,
    is_own_report,
    is_own_report_dir,
    is_safe_path,
)
from portfolio_check.model.location import ancestors

#: Folders a plain walk never enters: tooling state, environments and caches, not the work.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        "env",
        ".env",
        "site-packages",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".ipynb_checkpoints",
        ".cache",
        "dist",
        "build",
        ".eggs",
    }
)
#: Files listed at most; past this the snapshot says it is partial.
MAX_FILES = 200_000


def open_target(target: str | os.PathLike[str]) -> Snapshot:
    """Snapshot a local folder. Raises `TargetError` with a one-line reason on bad input."""
    root = _checked_root(Path(target))
    if _is_bare_repository(root):
        raise TargetError(
            f"{target}: is a bare git repository, with no files to scan; "
            "scan a clone of it (git clone PATH FOLDER)"
        )
    if (root / ".git").is_dir() and not (root / ".git").is_symlink():
        listed = _git_snapshot(root)
        if isinstance(listed, Snapshot):
            return listed
        walked = _walk_snapshot(root)
        walked.unreadable.insert(0, Unreadable(path=".git", reason=_refusal(root, listed)))
        return walked
    return _walk_snapshot(root)


#: git's own words when the repository belongs to another user (git 2.35.2 and later).
DUBIOUS_OWNERSHIP = "dubious ownership"


def _refusal(root: Path, error: git.GitCommandError) -> str:
    """Why git would not list the repository, and what a user can do about it."""
    reason = command_error_reason(error)
    if DUBIOUS_OWNERSHIP in reason:
        reason += " (the repository belongs to another user, so git will not read it)"
    return (
        f"git refused this repository: {reason}. Its files were walked instead, so its "
        "history, commit and .gitignore were not read; to score them, scan a clone you own "
        f"(git clone {root} COPY)"
    )


def _is_bare_repository(root: Path) -> bool:
    """A git folder itself (`HEAD`, `objects/`, `refs/` at its top, no `.git`): walking it
    would score git's own files. Told from the layout, without asking git."""
    return (
        not (root / ".git").exists()
        and (root / "HEAD").is_file()
        and (root / "objects").is_dir()
        and (root / "refs").is_dir()
    )


def _checked_root(path: Path) -> Path:
    if not path.exists():
        raise TargetError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise TargetError(f"{path}: is a file, expected a directory (a repository to scan)")
    if not os.access(path, os.R_OK | os.X_OK):
        raise TargetError(f"{path}: permission denied")
    return path.resolve()


def _git_snapshot(root: Path) -> Snapshot | git.GitCommandError:
    """The files git lists, or git's error when it refuses the repository."""
    runner = hardened_git(root)
    try:
        _, listing, warnings = runner.ls_files(
            "-z", "--cached", "--others", "--exclude-standard", with_extended_output=True
        )
    except git.GitCommandError as error:
        return error
    paths = sorted({path for path in listing.split("\0") if path})
    unsafe = [path for path in paths if not is_safe_path(path)]
    unreadable = _unlisted_folders(warnings)
    entries, truncated = _entries(
        root, [path for path in paths if is_safe_path(path)], unreadable=unreadable
    )
    snapshot = Snapshot(root=root, entries=entries, commit=_head_commit(runner), is_git=True)
    snapshot.unreadable.extend(unreadable.values())
    if unsafe:
        snapshot.notes.append(_unsafe_note(unsafe))
    if truncated:
        snapshot.notes.append(f"only the first {MAX_FILES:,} files were scanned")
    return snapshot


def _unsafe_note(paths: list[str]) -> str:
    """A crafted index or tree can name paths outside the repository (`../x`); git never
    checks them out, and neither are they listed, read or named in a report."""
    count, verb = counted(len(paths), "path"), noun_for(len(paths), "was")
    return f"{count} that would lead outside the repository (such as `..`) {verb} skipped"


def _head_commit(runner: git.Git) -> str | None:
    try:
        sha = str(runner.rev_parse("--verify", "--quiet", "HEAD^{commit}")).strip()
    except git.GitCommandError:
        return None
    return sha or None


def _walk_snapshot(root: Path) -> Snapshot:
    paths: list[str] = []
    unreadable: dict[str, Unreadable] = {}
    for path in _walk(root, unreadable):
        paths.append(path)
        if len(paths) > MAX_FILES:
            break
    entries, truncated = _entries(root, sorted(paths), unreadable=unreadable)
    snapshot = Snapshot(root=root, entries=entries)
    snapshot.unreadable.extend(unreadable[path] for path in sorted(unreadable))
    if truncated:
        snapshot.notes.append(f"only the first {MAX_FILES:,} files were scanned")
    return snapshot


def _walk(root: Path, unreadable: dict[str, Unreadable]) -> Iterator[str]:
    """The relative paths of everything under `root` but folders: files, symlinks (to
    folders too, never entered) and special files, skipping `SKIPPED_DIRS`. A folder that
    cannot be listed is recorded in `unreadable`, with the reason. Iterative: `os.walk`
    recurses once per level, and a tree 2,000 folders deep exhausts the stack."""
    stack = [""]
    while stack:
        relative = stack.pop()
        try:
            with os.scandir(f"{root}/{relative}" if relative else root) as found:
                items = sorted(found, key=lambda item: item.name, reverse=True)
        except FileNotFoundError:
            continue  # gone since it was listed
        except OSError as error:
            _record_folder(unreadable, relative or ".", error.strerror or type(error).__name__)
            continue
        for item in items:
            path = f"{relative}/{item.name}" if relative else item.name
            try:
                if item.is_dir(follow_symlinks=False):
                    if item.name not in SKIPPED_DIRS and not is_own_report_dir(root, path):
                        stack.append(path)
                    continue
                if item.is_symlink() and item.name in SKIPPED_DIRS and item.is_dir():
                    continue  # a linked `.venv` is as uninteresting as a real one
            except OSError:
                continue
            yield path


def _entries(
    root: Path, paths: list[str], *, unreadable: dict[str, Unreadable]
) -> tuple[tuple[FileEntry, ...], bool]:
    """The listed paths, classified. A path lost behind a folder that cannot be entered
    records that folder in `unreadable`. Files that had settled before the listing began
    get their identity (`SETTLE_NS`)."""
    entries: list[FileEntry] = []
    real_folders: set[str] = set()
    settled_before = time.time_ns() - SETTLE_NS
    for path in paths[:MAX_FILES]:
        if is_own_report(path):
            continue
        entry = entry_for(root, path, real_folders=real_folders, settled_before_ns=settled_before)
        if entry is not None:
            entries.append(entry)
        elif "/" in path and not any(folder in unreadable for folder in ancestors(path)):
            folder = _closed_folder(root, path)
            if folder is not None:
                _record_folder(unreadable, folder, "Permission denied")
    return tuple(entries), len(paths) > MAX_FILES


def _closed_folder(root: Path, path: str) -> str | None:
    """The outermost folder above `path` that this user may not enter, if any."""
    for folder in ancestors(path):
        if not os.access(root / folder, os.X_OK, follow_symlinks=False):
            return folder
    return None


#: How git says it skipped a folder it could not list (`git ls-files --others`).
UNLISTED_FOLDER = re.compile(r"could not open directory '(?P<path>[^']*)': (?P<reason>.+)$")


def _unlisted_folders(warnings: str) -> dict[str, Unreadable]:
    """The folders git could not list, from its warnings (it lists the rest)."""
    found: dict[str, Unreadable] = {}
    for line in warnings.splitlines():
        match = UNLISTED_FOLDER.search(line)
        if match and is_safe_path(match["path"].rstrip("/")):
            _record_folder(found, match["path"].rstrip("/"), match["reason"].strip())
    return found


def _record_folder(unreadable: dict[str, Unreadable], folder: str, reason: str) -> None:
    unreadable.setdefault(
        folder,
        Unreadable(
            path=folder,
            reason=f"folder could not be read ({reason}): nothing in it was scanned",
        ),
    )


# a commit read from the object store -----------------------------------------------------
MODE_SYMLINK = "120000"
MODE_SUBMODULE = "160000"


def open_commit(target: str | os.PathLike[str], revision: str) -> Snapshot:
    """Snapshot the files of one commit of a local repository, read from git objects.

    Nothing is checked out: the work tree is never touched, and no checkout filter, hook or
    attribute of the repository runs. Used to scan a pull request's base next to its head.
    """
    root = _checked_root(Path(target))
    runner = hardened_git(root)
    sha = _resolve(runner, revision)
    try:
        listing = runner.ls_tree("-r", "-z", "--long", "--full-tree", sha)
    except git.GitCommandError as error:
        reason = command_error_reason(error)
        raise TargetError(f"{revision}: cannot list the commit ({reason})") from None
    entries: list[FileEntry] = []
    blobs: dict[str, tuple[str, int]] = {}  # path -> (blob, size)
    unsafe: list[str] = []
    for record in listing.split("\0"):
        if not record:
            continue
        meta, _, path = record.partition("\t")
        mode, kind, blob, size = meta.split()
        if mode == MODE_SUBMODULE or kind != "blob" or is_own_report(path):
            continue
        if not is_safe_path(path):
            unsafe.append(path)
            continue
        if mode == MODE_SYMLINK:
            entries.append(FileEntry(path=path, size=0, kind=EntryKind.SYMLINK))
            continue
        # a blob missing from the object store is listed with size "BAD": it reads as nothing
        bytes_ = int(size) if size.isdigit() else 0
        entries.append(
            FileEntry(path=path, size=bytes_, kind=EntryKind.FILE, identity=f"blob {blob}")
        )
        blobs[path] = (blob, bytes_)
        if len(entries) >= MAX_FILES:
            break

    def read_blob(path: str, limit: int) -> bytes | None:
        found = blobs.get(path)
        if found is None:
            return None
        blob, size = found
        if size > limit:  # a header sniff of a large blob: never the whole blob in memory
            return _blob_head(runner, blob, limit)
        try:
            _, _, _, data = runner.get_object_data(blob)
        except (git.GitCommandError, ValueError, OSError):
            return None
        return bytes(data[:limit])

    snapshot = Snapshot(
        root=root, entries=tuple(entries), commit=sha, is_git=True, reader=read_blob
    )
    if unsafe:
        snapshot.notes.append(_unsafe_note(unsafe))
    if len(entries) >= MAX_FILES:
        snapshot.notes.append(f"only the first {MAX_FILES:,} files were scanned")
    return snapshot


def _blob_head(runner: git.Git, blob: str, limit: int) -> bytes | None:
    """The first `limit` bytes of a blob, streamed by `git cat-file` and cut off there.
    A blob of gigabytes of zeros takes a few megabytes in the object store (a zip bomb in
    git form); GitPython's readers would hold all of it in memory, even to skip it."""
    try:
        process = runner.cat_file("blob", blob, as_process=True)
    except (git.GitCommandError, OSError):
        return None
    popen = process.proc
    if popen is None or popen.stdout is None:
        return None
    try:
        head: bytes = popen.stdout.read(limit)
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            popen.kill()
        popen.stdout.close()
        if popen.stderr is not None:
            popen.stderr.close()
        popen.wait()
    return head


def _resolve(runner: git.Git, revision: str) -> str:
    if revision.startswith("-"):
        raise TargetError(f"{revision}: not a revision")
    try:
        sha = str(
            runner.rev_parse("--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
        )
    except git.GitCommandError:
        sha = ""
    if not sha.strip():
        raise TargetError(
            f"{revision}: no such commit in the repository (in GitHub Actions, check out with "
            "fetch-depth: 0 or fetch the base commit first)"
        )
    return sha.strip()
