"""The file run with worker processes: reading waits for the workers instead of piling
every file's text up in the scanning process, and the facts are those of one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.analyzers import runner
from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.provenance import index_folder
from portfolio_check.analyzers.runner import FileRun
from portfolio_check.intake.snapshot import FileEntry, Snapshot, TextRead
from portfolio_check.intake.sources import open_target
from tests.repos import RepoBuilder

MODULES = 120


@pytest.fixture
def many_modules(tmp_path: Path) -> Path:
    repo = RepoBuilder(tmp_path / "repo")
    repo.files(
        {
            f"src/shop/step_{number}.py": f"import pandas as pd\n\n\ndef step_{number}(frame):\n"
            f"    return frame.dropna().head({number})\n"
            for number in range(MODULES)
        }
    ).commit("Steps")
    return repo.root


def counted_run(
    root: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[FileRun, list[str]]:
    """A file run over `root`, and the paths its snapshot has read so far."""
    snapshot = open_target(root)
    read: list[str] = []
    read_text = snapshot.read_text

    def counting(entry: FileEntry, *, limit: int) -> TextRead:
        read.append(entry.path)
        return read_text(entry, limit=limit)

    monkeypatch.setattr(snapshot, "read_text", counting)
    return FileRun(snapshot, context_of(snapshot), workers=workers), read


def context_of(snapshot: Snapshot) -> AnalysisContext:
    return AnalysisContext(
        layout=ProjectLayout.from_snapshot(snapshot), upstream_index=index_folder()
    )


def serial_facts(snapshot: Snapshot) -> list[object]:
    run = FileRun(snapshot, context_of(snapshot), workers=1)
    run.start()
    return list(run.facts())


def test_reading_waits_for_the_workers_and_the_facts_are_those_of_one_process(
    many_modules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = serial_facts(open_target(many_modules))
    monkeypatch.setattr(runner, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(runner, "CHUNK_FILES", 2)
    monkeypatch.setattr(runner, "CHUNKS_AHEAD_PER_WORKER", 1)
    run, read = counted_run(many_modules, workers=2, monkeypatch=monkeypatch)
    run.start()
    # the workers are still starting (their server imports every analyzer): reading
    # stopped a few chunks ahead of them instead of holding every file's text here
    assert len(read) < MODULES // 2
    assert run.facts() == serial
    assert sorted(read) == sorted(f"src/shop/step_{n}.py" for n in range(MODULES))


def test_without_workers_start_reads_and_analyses_every_file(
    many_modules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run, read = counted_run(many_modules, workers=1, monkeypatch=monkeypatch)
    run.start()
    assert len(read) == MODULES
    facts = run.facts()
    assert len(read) == MODULES  # nothing read twice
    assert facts == serial_facts(open_target(many_modules))
