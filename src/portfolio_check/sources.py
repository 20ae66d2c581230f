"""Turn a target on disk into a `Snapshot`: hardened git listing, or a bounded walk.

Git is asked only read-only questions (`ls-files`, `rev-parse`), with command-line config
that overrides anything the target's own `.git/config` could use to run a program.
"""

from __future__ import annotations

import os
from pathlib import Path

import git

from portfolio_check.errors import TargetError
from portfolio_check.snapshot import EntryKind, FileEntry, Snapshot, entry_for, is_own_report

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

#: `-c` settings that neutralise every config key known to run a program or leave the repo.
HARDENED_GIT_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.gitProxy=",
    "core.askPass=",
    "core.untrackedCache=false",
    "core.excludesFile=/dev/null",
    "core.attributesFile=/dev/null",
    "diff.external=",
    "credential.helper=",
    "protocol.allow=never",
    "protocol.file.allow=never",
    "protocol.ext.allow=never",
    "submodule.recurse=false",
)
HARDENED_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_PAGER": "cat",
    "GIT_EXTERNAL_DIFF": "",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
}


def open_target(target: str | os.PathLike[str]) -> Snapshot:
    """Snapshot a local folder. Raises `TargetError` with a one-line reason on bad input."""
    root = _checked_root(Path(target))
    if (root / ".git").is_dir() and not (root / ".git").is_symlink():
        snapshot = _git_snapshot(root)
        if snapshot is not None:
            return snapshot
        walked = _walk_snapshot(root)
        walked.notes.append("git could not list this repository; files were walked instead")
        return walked
    return _walk_snapshot(root)


def _checked_root(path: Path) -> Path:
    if not path.exists():
        raise TargetError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise TargetError(f"{path}: is a file, expected a directory (a repository to scan)")
    if not os.access(path, os.R_OK | os.X_OK):
        raise TargetError(f"{path}: permission denied")
    return path.resolve()


def hardened_git(root: Path) -> git.Git:
    """A GitPython command runner whose every call carries the hardened config."""
    runner = git.Git(str(root))
    runner.set_persistent_git_options(c=list(HARDENED_GIT_CONFIG))
    runner.update_environment(**HARDENED_GIT_ENV)
    return runner


def _git_snapshot(root: Path) -> Snapshot | None:
    runner = hardened_git(root)
    try:
        listing = runner.ls_files("-z", "--cached", "--others", "--exclude-standard")
    except git.GitCommandError:
        return None
    paths = sorted({path for path in listing.split("\0") if path})
    entries, truncated = _entries(root, paths)
    snapshot = Snapshot(root=root, entries=entries, commit=_head_commit(runner), is_git=True)
    if truncated:
        snapshot.notes.append(f"only the first {MAX_FILES:,} files were scanned")
    return snapshot


def _head_commit(runner: git.Git) -> str | None:
    try:
        sha = str(runner.rev_parse("--verify", "--quiet", "HEAD^{commit}")).strip()
    except git.GitCommandError:
        return None
    return sha or None


def _walk_snapshot(root: Path) -> Snapshot:
    paths: list[str] = []
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(name for name in dirnames if name not in SKIPPED_DIRS)
        relative_folder = Path(folder).relative_to(root)
        for name in filenames:
            paths.append((relative_folder / name).as_posix())
        # symlinked folders are listed by os.walk among dirnames; record them as entries
        paths.extend(
            (relative_folder / name).as_posix()
            for name in dirnames
            if (Path(folder) / name).is_symlink()
        )
        if len(paths) > MAX_FILES:
            break
    entries, truncated = _entries(root, sorted(paths))
    snapshot = Snapshot(root=root, entries=entries)
    if truncated:
        snapshot.notes.append(f"only the first {MAX_FILES:,} files were scanned")
    return snapshot


def _entries(root: Path, paths: list[str]) -> tuple[tuple[FileEntry, ...], bool]:
    entries: list[FileEntry] = []
    for path in paths[:MAX_FILES]:
        if is_own_report(path):
            continue
        entry = entry_for(root, path)
        if entry is not None:
            entries.append(entry)
    return tuple(entries), len(paths) > MAX_FILES


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
        raise TargetError(f"{revision}: cannot list the commit ({_git_reason(error)})") from None
    entries: list[FileEntry] = []
    blobs: dict[str, str] = {}
    for record in listing.split("\0"):
        if not record:
            continue
        meta, _, path = record.partition("\t")
        mode, kind, blob, size = meta.split()
        if mode == MODE_SUBMODULE or kind != "blob" or is_own_report(path):
            continue
        if mode == MODE_SYMLINK:
            entries.append(FileEntry(path=path, size=0, kind=EntryKind.SYMLINK))
            continue
        entries.append(FileEntry(path=path, size=int(size), kind=EntryKind.FILE))
        blobs[path] = blob
        if len(entries) >= MAX_FILES:
            break

    def read_blob(path: str, limit: int) -> bytes | None:
        blob = blobs.get(path)
        if blob is None:
            return None
        try:
            _, _, _, data = runner.get_object_data(blob)
        except (git.GitCommandError, ValueError, OSError):
            return None
        return bytes(data[:limit])

    snapshot = Snapshot(
        root=root, entries=tuple(entries), commit=sha, is_git=True, reader=read_blob
    )
    if len(entries) >= MAX_FILES:
        snapshot.notes.append(f"only the first {MAX_FILES:,} files were scanned")
    return snapshot


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


def _git_reason(error: git.GitCommandError) -> str:
    lines = str(error.stderr or "").strip().splitlines()
    return lines[-1].strip(" '") if lines else f"git exited with {error.status}"
