"""Code execution: nothing in a scanned repository runs, and nothing is written into it.

The repository holds Python that would leave a canary file if imported or run (`setup.py`,
`conftest.py`, a test module, a package `__init__.py`, a notebook cell), a `.git/config`
whose keys name programs (fsmonitor, pager, external diff, ssh, a filter driver used by
`.gitattributes`, gpg for a signed HEAD...), hooks, and LFS pointers. A control test shows
the payloads are live under plain Python and git; the scans then must fire none of them.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from portfolio_check.app.scan import ScanOptions, scan
from tests.hostile import corpus

PYTHON_PAYLOADS = ("setup.py", "conftest.py", "test-module", "package-init", "notebook-cell")


@pytest.fixture
def evil(tmp_path: Path, canary: corpus.Canary) -> corpus.ExecutionRepo:
    return corpus.execution_repo(tmp_path / "repo", canary)


def test_the_payloads_are_live_under_plain_python_and_git(evil: corpus.ExecutionRepo) -> None:
    """The control: run the way a careless tool would, every kind of payload fires, so a
    scan that leaves no canary really ran none of them."""
    root = evil.root
    for script in ("setup.py", "conftest.py", "tests/test_payload.py"):  # `setup()` then fails
        subprocess.run([sys.executable, script], cwd=root, check=False, capture_output=True)
    subprocess.run([sys.executable, "-c", "import evil"], cwd=root, check=True)
    notebook = json.loads((root / "notebooks/analysis.ipynb").read_text())
    cell = "".join(notebook["cells"][1]["source"])
    subprocess.run([sys.executable, "-c", cell], cwd=root, check=True)
    corpus.git(root, "status", check=False)  # fsmonitor (the included one), filter.x.process
    corpus.git(root, "log", "-1", check=False)  # log.showSignature -> gpg.program
    corpus.git(root, "update-ref", "refs/heads/control", "HEAD")  # reference-transaction hook
    primary, secondary = pty.openpty()  # git pages only onto a terminal
    try:
        # the canary pager exits without reading, so git may die of SIGPIPE: not checked
        subprocess.run(["git", "-p", "show-ref"], cwd=root, stdout=secondary, check=False)
    finally:
        os.close(primary)
        os.close(secondary)
    fired = set(evil.canary.fired())
    expected = {"included", "filter.x.process", "gpg.program", "hookspath-reference-transaction"}
    assert {*PYTHON_PAYLOADS, *expected, "core.pager"} <= fired


def test_a_scan_runs_nothing_and_writes_nothing(evil: corpus.ExecutionRepo) -> None:
    before = corpus.fingerprint(evil.root)
    head = scan(evil.root)
    base = scan(evil.root, options=ScanOptions(revision=evil.first_commit))
    for card in (head, base):
        reports = corpus.all_formats(card)
        assert all(report.strip() for report in reports.values())
    assert evil.canary.fired() == []
    assert corpus.fingerprint(evil.root) == before
    # the repository was really read: its history, its files, and the LFS pointer that
    # stands where a notebook should be
    assert head.target.commit is not None and head.history is not None
    assert head.history.commits == 2
    assert base.target.commit == evil.first_commit
    assert head.target.files == base.target.files + 1  # .gitconfig-included came later
    pointer = [f.message for f in head.findings if f.path == "notebooks/big.ipynb"]
    assert pointer == ["notebook not valid JSON"]


def test_the_installed_command_runs_nothing(evil: corpus.ExecutionRepo, outside: Path) -> None:
    before = corpus.fingerprint(evil.root)
    summary = corpus.run_cli([evil.root, "-o", outside / "report.html"], cwd=outside)
    as_json = corpus.run_cli([evil.root, "--format", "json", "--output", "-"], cwd=outside)
    for result in (summary, as_json):
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert "Real-world evidence" in summary.stdout
    assert (outside / "report.html").stat().st_size > 0
    assert json.loads(as_json.stdout)["history"]["commits"] == 2
    assert evil.canary.fired() == []
    assert corpus.fingerprint(evil.root) == before


def test_the_github_flow_runs_nothing(evil: corpus.ExecutionRepo, outside: Path) -> None:
    """The base is read from git objects next to the head: no checkout, filter or hook."""
    before = corpus.fingerprint(evil.root)
    result = corpus.run_cli(
        [
            "github",
            evil.root,
            "--base",
            evil.first_commit,
            "--no-comment",
            "--report-dir",
            outside / "reports",
            "--markdown",
            outside / "comment.md",
            "--sarif",
            outside / "scan.sarif",
        ],
        cwd=outside,
    )
    assert result.returncode == 0, result.stderr
    assert "against the base" in result.stderr
    assert (outside / "reports/portfolio-check-report.html").stat().st_size > 0
    assert json.loads((outside / "scan.sarif").read_text())["version"] == "2.1.0"
    assert (outside / "comment.md").read_text().strip()
    assert evil.canary.fired() == []
    assert corpus.fingerprint(evil.root) == before


def test_a_batch_runs_nothing(evil: corpus.ExecutionRepo, outside: Path) -> None:
    """Reviewer mode, two ways in: the folder itself, and a `file://` URL that is
    bare-cloned into the (test's own) cache. Two worker processes, so the scans run in
    children as they do for a cohort; neither fires a payload or writes into the repo."""
    before = corpus.fingerprint(evil.root)
    out = outside / "review"
    result = corpus.run_cli(
        [evil.root, f"file://{evil.root}", "-o", out, "--jobs", "2", "--strict"], cwd=outside
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(rows) == 2
    assert [row["status"] for row in rows] == ["ok", "ok"], rows
    assert {row["commit"] for row in rows} == {corpus.git(evil.root, "rev-parse", "HEAD").strip()}
    assert (out / "comparison.html").stat().st_size > 0
    assert evil.canary.fired() == []
    assert corpus.fingerprint(evil.root) == before
