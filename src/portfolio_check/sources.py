"""Turn a target on disk into a `Snapshot`: hardened git listing, or a bounded walk.

Git is asked only read-only questions (`ls-files`, `rev-parse`), with command-line config
that overrides anything the target's own `.git/config` could use to run a program.
"""

from __future__ import annotations

import os
from pathlib import Path

import git

from portfolio_check.errors import TargetError
from portfolio_check.snapshot import FileEntry, Snapshot, entry_for, is_own_report

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
