"""The one git runner: hardened settings on every call, bounded runs, one error text."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from portfolio_check.intake.git_runner import (
    HARDENED_GIT_CONFIG,
    command_error_reason,
    git_output,
    git_reason,
    hardened_git,
    run_bounded,
)
from tests.repos import RepoBuilder


def test_the_reason_is_gits_last_fatal_line_redacted_on_one_line() -> None:
    stderr = (
        b"Cloning into bare repository 'x.git'...\n"
        b"fatal: unable to access 'https://ada:hunter2@example.org/x.git/': \x1b[31mdenied\n"
    )
    reason = git_reason(stderr, 128)
    assert "hunter2" not in reason and "\x1b" not in reason
    assert reason.startswith("unable to access 'https://ada:***@example.org/x.git/'")


def test_a_generic_transport_failure_gives_the_line_that_explains_it() -> None:
    stderr = "ERROR: Repository not found.\nfatal: Could not read from remote repository.\n"
    assert git_reason(stderr, 128) == "ERROR: Repository not found."
    assert git_reason(b"", 3) == "git exited with 3"


def test_a_gitpython_error_gives_the_same_text(tmp_path: Path) -> None:
    with pytest.raises(git.GitCommandError) as raised:
        hardened_git(tmp_path).rev_parse("--verify", "HEAD")
    assert command_error_reason(raised.value) == git_reason(
        "fatal: not a git repository (or any of the parent directories): .git\n", 128
    )


def test_the_gitpython_runner_carries_every_hardening_flag(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "repo")
    repo.files({"a.py": "x = 1\n"}).commit("one", date="2026-01-01T09:00:00+00:00")
    canary = tmp_path / "ran"
    hook = repo.root / ".git" / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {canary}\n")
    hook.chmod(0o755)
    with (repo.root / ".git" / "config").open("a") as config:
        config.write(f"[core]\n\tfsmonitor = {hook}\n")
    assert "a.py" in hardened_git(repo.root).ls_files()
    assert not canary.exists()
    assert "core.fsmonitor=false" in HARDENED_GIT_CONFIG


def test_a_bounded_run_is_stopped_past_its_size(tmp_path: Path) -> None:
    source = RepoBuilder(tmp_path / "source")
    source.files({"big.bin": "x" * 200_000}).commit("big", date="2026-01-01T09:00:00+00:00")
    dest = tmp_path / "dest.git"
    run = run_bounded(
        ["clone", "--bare", "--", f"file://{source.root}", str(dest)],
        scheme="file",
        cwd=tmp_path,
        watch=dest,
        max_bytes=1,
        timeout=60,
    )
    assert run.stopped == "size"
    unbounded = tmp_path / "ok.git"
    run = run_bounded(
        ["clone", "--bare", "--", f"file://{source.root}", str(unbounded)],
        scheme="file",
        cwd=tmp_path,
        watch=unbounded,
        max_bytes=10**9,
        timeout=60,
    )
    assert run.stopped is None and run.returncode == 0
    assert git_output(unbounded, "rev-parse", "--is-bare-repository") == "true"
