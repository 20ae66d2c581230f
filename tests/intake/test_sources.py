"""Sources: a folder or git repo on disk becomes a Snapshot, safely."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from portfolio_check.common.errors import TargetError
from portfolio_check.intake.sources import open_target
from tests.repos import RepoBuilder


def test_git_repo_lists_tracked_and_untracked_but_not_ignored_files(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "repo")
    repo.files({".gitignore": "data/\n*.log\n", "src/app.py": "x = 1\n", "data/raw.csv": "a\n"})
    repo.commit("first")
    repo.write("notes.md", "# new, not yet committed\n").write("debug.log", "noise\n")
    snapshot = open_target(repo.root)
    paths = {entry.path for entry in snapshot}
    assert paths == {".gitignore", "src/app.py", "notes.md"}
    assert snapshot.is_git
    assert snapshot.commit == repo.head()


def test_repo_without_commits_has_no_commit(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "fresh")
    repo.write("train.py", "print(1)\n")
    snapshot = open_target(repo.root)
    assert snapshot.commit is None
    assert [entry.path for entry in snapshot] == ["train.py"]


def test_plain_folder_walk_skips_environments_and_caches(tmp_path: Path) -> None:
    RepoBuilder(tmp_path, git=False).files(
        {
            "model.py": "x = 1\n",
            ".venv/lib/site.py": "x\n",
            "venv/bin/activate": "x\n",
            "node_modules/pkg/index.js": "x\n",
            "src/__pycache__/model.cpython-311.pyc": "x\n",
            "notebooks/.ipynb_checkpoints/a-checkpoint.ipynb": "{}",
            "notebooks/a.ipynb": "{}",
        }
    )
    snapshot = open_target(tmp_path)
    assert [entry.path for entry in snapshot] == ["model.py", "notebooks/a.ipynb"]
    assert not snapshot.is_git


def test_our_own_report_is_not_scanned(tmp_path: Path) -> None:
    RepoBuilder(tmp_path, git=False).files(
        {
            "portfolio-check-report.html": "<h1>Docker Kubernetes MLflow</h1>",
            "model.py": "x = 1\n",
        }
    )
    assert [entry.path for entry in open_target(tmp_path)] == ["model.py"]


def test_repo_config_cannot_run_programs_during_a_scan(tmp_path: Path) -> None:
    """core.fsmonitor in the scanned repo's own config would run on `git ls-files`."""
    canary = tmp_path / "canary"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {canary}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    repo = RepoBuilder(tmp_path / "repo")
    repo.write("a.py", "x = 1\n").commit("first")
    for key in ("core.fsmonitor", "core.pager", "diff.external", "core.sshCommand"):
        repo.git("config", key, str(script))
    hook = repo.root / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {canary}\n")
    hook.chmod(0o755)
    snapshot = open_target(repo.root)
    assert [entry.path for entry in snapshot] == ["a.py"]
    assert not canary.exists()


def test_scan_does_not_write_into_the_repo(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "repo")
    repo.write("a.py", "x = 1\n").commit("first")
    repo.write("b.py", "y = 2\n")  # untracked: ls-files --others must not touch the index
    before = {p: p.stat().st_mtime_ns for p in repo.root.rglob("*") if p.is_file()}
    open_target(repo.root)
    after = {p: p.stat().st_mtime_ns for p in repo.root.rglob("*") if p.is_file()}
    assert after == before


def test_missing_path_is_a_one_line_target_error(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="no such file or directory"):
        open_target(tmp_path / "nope")


def test_a_file_is_not_a_target(tmp_path: Path) -> None:
    (tmp_path / "model.pkl").write_bytes(b"\x80")
    with pytest.raises(TargetError, match="is a file, expected a directory"):
        open_target(tmp_path / "model.pkl")
