"""Ctrl-C in a batch, as a reviewer would press it: the installed entry point in a
subprocess, SIGINT once the first row is in results.jsonl, then `--resume`.

Whatever moment the signal lands, the folder must be consistent: every scorecard page has
its row, the message gives the exact command that finishes the job, and that command does.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from portfolio_check.app.batch import (
    CandidateEvent,
    CandidateJob,
    CandidateOutcome,
    run_batch,
    worker,
)
from portfolio_check.app.batch.progress import InFlight
from portfolio_check.cli import main
from portfolio_check.intake.clone import CloneOptions
from portfolio_check.intake.targets import parse_target
from tests import repos

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
CANDIDATES = 8


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight candidates: local folders and file:// URLs (cloned, so in flight they clone)."""
    root = tmp_path_factory.mktemp("cohort")
    lines = []
    for number in range(CANDIDATES):
        build = repos.production_repo if number % 2 else repos.honest_repo
        path = build(root / f"candidate-{number}")
        spec = path.as_uri() if number % 3 == 0 else str(path)
        lines.append(f"{spec} c{number}")
    (root / "candidates.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def rows_of(out: Path) -> list[dict[str, object]]:
    text = (out / "results.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def pages_of(out: Path) -> set[str]:
    return {page.stem for page in (out / "candidates").glob("*.html")}


def interrupt_after_first_row(
    command: list[str], cwd: Path, *, whole_group: bool
) -> subprocess.CompletedProcess[str]:
    """Run the batch, and send SIGINT the moment results.jsonl has a row: to the process
    alone (`kill -INT`), or to its whole process group as a terminal's Ctrl-C does."""
    results = cwd / "review" / "results.jsonl"
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group, so that the test runner is not signalled
    )
    while process.poll() is None:
        if results.is_file() and results.read_text(encoding="utf-8").strip():
            break
        time.sleep(0.02)
    if whole_group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=300)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.mark.parametrize(
    ("jobs", "whole_group"), [("1", False), ("3", False), ("3", True)], ids=str
)
def test_ctrl_c_tells_how_to_resume_and_leaves_no_page_without_its_row(
    cohort: Path, tmp_path: Path, jobs: str, whole_group: bool
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "candidates.txt").write_text((cohort / "candidates.txt").read_text())
    command = [str(ENTRY_POINT), "--from", "candidates.txt", "-o", "review", "--jobs", jobs]
    command.append("--no-cache")  # temporary clones, which an interrupted scan must remove
    stopped = interrupt_after_first_row(command, work, whole_group=whole_group)

    assert stopped.returncode == 130, stopped.stderr
    assert "Traceback" not in stopped.stderr
    match = re.search(r"interrupted after (\d+) of 8 candidates", stopped.stderr)
    assert match, stopped.stderr
    finished = int(match.group(1))
    resume_line = stopped.stderr.strip().splitlines()[-1].strip()
    assert resume_line == shlex.join(["portfolio-check", *command[1:], "--resume"])

    rows = rows_of(work / "review")
    assert 1 <= len(rows) == finished < CANDIDATES
    assert all(row["status"] == "ok" for row in rows)
    ok_labels = {str(row["label"]) for row in rows}
    assert pages_of(work / "review") == ok_labels  # no page without its row, nor a row without
    comparison = (work / "review" / "comparison.html").read_text(encoding="utf-8")
    assert all(f">{label}<" in comparison for label in ok_labels)
    assert not list((work / "review" / "candidates").glob(".*"))  # no half-written page

    # the command it printed finishes the job, without scanning the finished ones again
    resumed = subprocess.run(
        [str(ENTRY_POINT), *shlex.split(resume_line)[1:]],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"8 candidates: 8 scored ({finished} unchanged since the last run)" in resumed.stderr
    final = rows_of(work / "review")
    assert sorted(str(row["label"]) for row in final) == [f"c{n}" for n in range(CANDIDATES)]
    assert pages_of(work / "review") == {f"c{n}" for n in range(CANDIDATES)}


def test_in_process_a_scan_stopped_by_ctrl_c_leaves_no_scorecard(
    cohort: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--jobs 1 in this process: Ctrl-C lands inside the second scan, after it wrote its
    page. The page goes, the first candidate's row and page stay."""
    real_scan = worker.scan_in_worker

    def scan_then_ctrl_c(job: CandidateJob) -> CandidateOutcome:
        outcome = real_scan(job)
        if job.target.label == "c1":
            assert (tmp_path / "review" / "candidates" / "c1.html").is_file()
            raise KeyboardInterrupt
        return outcome

    monkeypatch.setattr(worker, "scan_in_worker", scan_then_ctrl_c)
    args = [str(cohort / f"candidate-{n}") for n in range(3)]
    labels = ["c0", "c1", "c2"]
    target_list = tmp_path / "list.txt"
    target_list.write_text("".join(f"{a} {b}\n" for a, b in zip(args, labels, strict=True)))
    out = str(tmp_path / "review")
    with pytest.raises(SystemExit) as stopped:
        main(["--from", str(target_list), "-o", out, "--jobs", "1"])
    assert stopped.value.code == 130
    err = capsys.readouterr().err
    assert "interrupted after 1 of 3 candidates" in err
    assert err.strip().splitlines()[-1].strip() == shlex.join(
        ["portfolio-check", "--from", str(target_list), "-o", out, "--jobs", "1", "--resume"]
    )
    assert [row["label"] for row in rows_of(tmp_path / "review")] == ["c0"]
    assert pages_of(tmp_path / "review") == {"c0"}


# the display of candidates in flight ------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def shown(board: InFlight) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    with console.capture() as captured:
        console.print(board)
    return captured.get()


def event(label: str, state: str, done: int, phase: str | None = None) -> CandidateEvent:
    return CandidateEvent(label=label, state=state, done=done, total=5, phase=phase)  # type: ignore[arg-type]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cloned_candidate_reports_its_clone_then_its_scan(
    cohort: Path, tmp_path: Path, jobs: int
) -> None:
    url, folder = cohort / "candidate-0", cohort / "candidate-1"
    events: list[CandidateEvent] = []
    run_batch(
        [parse_target(url.as_uri(), "cloned"), parse_target(str(folder), "local")],
        rubric_name="ml-portfolio",
        out_dir=tmp_path / "review",
        jobs=jobs,
        clone_options=CloneOptions(cache_dir=None),
        resume=False,
        shard=None,
        progress=events.append,
    )
    phases = {
        label: [(e.state, e.phase) for e in events if e.label == label and e.phase]
        for label in ("cloned", "local")
    }
    assert phases["cloned"] == [("started", "clone"), ("phase", "scan")]
    assert phases["local"] == [("started", "scan")]  # a folder is not cloned


def test_the_display_shows_each_candidate_in_flight_with_its_phase_and_time() -> None:
    clock = Clock()
    board = InFlight(clock=clock)
    board.update(event("ada", "started", 0, "clone"))
    clock.now += 5
    board.update(event("grace", "started", 0, "scan"))
    clock.now += 70
    board.update(event("ada", "phase", 0, "scan"))
    board.update(event("alan", "started", 0, "clone"))
    clock.now += 3
    text = shown(board)
    assert "0/5 done, 3 in flight" in text
    assert re.search(r"scanning +ada +1m18s", text)  # since it started, clone included
    assert re.search(r"scanning +grace +1m13s", text)
    assert re.search(r"cloning +alan +3s", text)
    assert text.index("ada") < text.index("grace") < text.index("alan")  # oldest first

    board.update(event("grace", "ok", 1))
    text = shown(board)
    assert "1/5 done, 2 in flight" in text and "grace" not in text
