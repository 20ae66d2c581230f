"""Broken and unusual git states: no commits, a shallow clone, a detached HEAD, corrupt
objects, a bare repository, a worktree, a submodule, and a repository being written to
while it is scanned. Each scans, or fails with one line (TargetError, exit code 2): never a
traceback, never a file read from outside.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.common.errors import TargetError
from portfolio_check.intake.sources import open_target
from tests.hostile import corpus
from tests.repos import RepoBuilder


def three_commits(root: Path) -> RepoBuilder:
    repo = RepoBuilder(root)
    repo.files({"src/model.py": "import numpy\n", "README.md": "# model\n"})
    repo.commit("first", date="2026-01-05T10:00:00+00:00")
    repo.write("tests/test_model.py", "from src import model\n\n\ndef test_x():\n    assert 1\n")
    repo.commit("tests", date="2026-01-12T10:00:00+00:00")
    repo.write("Dockerfile", "FROM python:3.11\n").commit(
        "docker", date="2026-01-19T10:00:00+00:00"
    )
    return repo


def command(root: Path, outside: Path) -> dict[str, object] | str:
    """The command's JSON report, or its one-line error; anything else fails the test."""
    result = corpus.run_cli([root, "-f", "json", "-o", "-"], cwd=outside)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        report: dict[str, object] = json.loads(result.stdout)
        return report
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("portfolio-check: error: "), lines
    return lines[0]


def test_no_commits_yet(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "repo").files({"train.py": "import sklearn\n"})
    card = scan(repo.root)
    assert card.target.commit is None and card.history is None
    assert card.target.files == 1


def test_a_shallow_clone(tmp_path: Path, outside: Path) -> None:
    source = three_commits(tmp_path / "source")
    corpus.git(tmp_path, "clone", "-q", "--depth", "1", f"file://{source.root}", "shallow")
    card = scan(tmp_path / "shallow")
    assert card.history is not None and card.history.shallow
    assert card.history.commits == 1
    report = command(tmp_path / "shallow", outside)
    assert isinstance(report, dict) and report["history"]["shallow"] is True  # type: ignore[index]


def test_a_detached_head(tmp_path: Path) -> None:
    repo = three_commits(tmp_path / "repo")
    repo.git("checkout", "-q", "--detach", "HEAD~1")
    card = scan(repo.root)
    assert card.target.commit == repo.head()
    assert card.history is not None and card.history.commits == 2


def _object_file(root: Path, sha: str) -> Path:
    return root / ".git" / "objects" / sha[:2] / sha[2:]


def test_a_missing_blob(tmp_path: Path, outside: Path) -> None:
    repo = three_commits(tmp_path / "repo")
    base = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    blob = repo.git("rev-parse", "HEAD:src/model.py").strip()
    _object_file(repo.root, blob).unlink()
    card = scan(repo.root)  # the work tree still has the file
    assert card.history is not None and card.history.commits == 3
    old = scan(repo.root, options=ScanOptions(revision=base))  # read from objects: gone
    assert [f.message for f in old.findings if f.path == "src/model.py"] == [
        "not analysed: unreadable"
    ]
    assert isinstance(command(repo.root, outside), dict)


def test_a_missing_head_commit(tmp_path: Path, outside: Path) -> None:
    repo = three_commits(tmp_path / "repo")
    head = repo.head()
    _object_file(repo.root, head).unlink()
    card = scan(repo.root)
    assert card.target.commit is None and card.history is None
    assert card.target.files == 4
    with pytest.raises(TargetError, match="no such commit") as error:
        scan(repo.root, options=ScanOptions(revision="HEAD"))
    assert "\n" not in str(error.value)
    assert isinstance(command(repo.root, outside), dict)


def test_a_garbled_tree(tmp_path: Path, outside: Path) -> None:
    repo = three_commits(tmp_path / "repo")
    tree = repo.git("rev-parse", "HEAD~1^{tree}").strip()
    path = _object_file(repo.root, tree)
    path.chmod(0o644)
    path.write_bytes(b"\x78\x9c garbage, not zlib")
    card = scan(repo.root)
    history = [f.message for f in card.findings if f.path == ".git"]
    assert card.history is None and len(history) == 1
    assert history[0].startswith("git log failed")
    report = command(repo.root, outside)
    assert isinstance(report, dict) and report["history"] is None


def test_a_bare_repository_is_a_one_line_error(tmp_path: Path, outside: Path) -> None:
    source = three_commits(tmp_path / "source")
    corpus.git(tmp_path, "clone", "-q", "--bare", str(source.root), "bare.git")
    with pytest.raises(TargetError, match="bare git repository") as error:
        scan(tmp_path / "bare.git")
    assert "\n" not in str(error.value)
    message = command(tmp_path / "bare.git", outside)
    assert isinstance(message, str) and "bare git repository" in message


def test_a_worktree(tmp_path: Path) -> None:
    repo = three_commits(tmp_path / "repo")
    repo.git("worktree", "add", "-q", str(tmp_path / "wt"), "HEAD~1")
    main = scan(repo.root)
    tree = scan(tmp_path / "wt")
    assert main.target.files == 4
    paths = {entry.path for entry in open_target(tmp_path / "wt")}
    assert {"README.md", "src/model.py", "tests/test_model.py"} <= paths
    assert "Dockerfile" not in paths  # the worktree is at the second commit
    assert tree.target.files == len(paths)


def test_a_submodule_is_not_followed(tmp_path: Path, secrets: corpus.Secrets) -> None:
    library = RepoBuilder(tmp_path / "library")
    library.write("lib.py", f"SECRET = '{secrets.token}'\n").commit("lib")
    (library.root / "notes.md").symlink_to(secrets.folder / "notes.md")
    library.commit("link")
    repo = three_commits(tmp_path / "repo")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q",
             str(library.root), "vendor/lib")  # fmt: skip
    repo.commit("vendor")
    assert (repo.root / "vendor/lib/lib.py").is_file()
    paths = {entry.path for entry in open_target(repo.root)}
    assert ".gitmodules" in paths
    assert not any(path.startswith("vendor/lib") for path in paths)
    card = scan(repo.root)
    for output_format, report in corpus.all_formats(card).items():
        assert secrets.token not in report.lower(), output_format


def test_a_repository_written_to_during_the_scan(tmp_path: Path, secrets: corpus.Secrets) -> None:
    """A thread adds and removes files, and swaps a file and a folder for symlinks to the
    secrets and back, while scans run: every scan ends, and no secret is ever read."""
    repo = three_commits(tmp_path / "repo")
    root = repo.root
    stop = threading.Event()
    errors: list[BaseException] = []

    def churn() -> None:
        number = 0
        try:
            while not stop.is_set():
                number += 1
                folder = root / "churn"
                folder.mkdir(exist_ok=True)
                (folder / f"m{number % 40}.py").write_text("import os\n")
                (folder / f"m{(number + 20) % 40}.py").unlink(missing_ok=True)
                swap, docs = root / "src/swap.md", root / "docs"
                swap.unlink(missing_ok=True)
                if docs.is_symlink():
                    docs.unlink()
                else:
                    shutil.rmtree(docs, ignore_errors=True)
                if number % 2:
                    swap.symlink_to(secrets.folder / "notes.md")
                    docs.symlink_to(secrets.folder / "docs")
                else:
                    swap.write_text("# Results\n\nrecall 0.5\n")
                    docs.mkdir()
                    (docs / "README.md").write_text("# Docs\n")
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    thread = threading.Thread(target=churn, daemon=True)
    thread.start()
    scans = 0
    try:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline or scans < 3:
            card = scan(root)
            for output_format, report in corpus.all_formats(card).items():
                assert secrets.token not in report.lower(), output_format
            scans += 1
    finally:
        stop.set()
        thread.join(timeout=10)
    assert errors == []
    assert scans >= 3
