"""The calibration script (`benchmarks/calibrate.py`): its statistics, and the gate, run on a
tiny rated corpus of fixture repositories through the installed entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests import repos
from tests.scripts import BENCHMARKS, load_script

SCRIPT = BENCHMARKS / "calibrate.py"


@pytest.fixture(scope="module")
def calibrate() -> ModuleType:
    return load_script("calibrate")


def test_ranks_share_ties(calibrate: ModuleType) -> None:
    assert calibrate.ranks([10, 30, 20, 20]) == [1.0, 4.0, 2.5, 2.5]


@pytest.mark.parametrize(
    ("scores", "ratings", "rho"),
    [
        ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
        ([4, 3, 2, 1], [10, 20, 30, 40], -1.0),
        ([1, 2, 3, 4], [10, 30, 20, 40], 0.8),
        ([5, 5, 5, 5], [10, 20, 30, 40], 0.0),  # a constant score ranks nothing
    ],
)
def test_spearman(
    calibrate: ModuleType, scores: list[float], ratings: list[float], rho: float
) -> None:
    assert calibrate.spearman(scores, ratings) == pytest.approx(rho)


def test_auc_counts_ties_as_half(calibrate: ModuleType) -> None:
    assert calibrate.auc([60, 40], [10, 40]) == pytest.approx(0.875)
    assert calibrate.auc([10], [60]) == 0.0


@pytest.fixture(scope="module")
def rated_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Three fixture repositories rated as a person would: the coursework low, the
    production-like service high; unpacked already (`--corpus`)."""
    unpacked = tmp_path_factory.mktemp("unpacked")
    repos.coursework_repo(unpacked / "course")
    repos.honest_repo(unpacked / "honest")
    repos.production_repo(unpacked / "service")
    source = tmp_path_factory.mktemp("source")
    (source / "corpus.tsv").write_text(
        "short_name\towner/name\tcommit\tband\trating\n"
        "course\tme/course\t0\tA\t5\n"
        "honest\tme/honest\t0\tC\t40\n"
        "service\tme/service\t0\tD\t80\n",
        encoding="utf-8",
    )
    return source, unpacked


def run_script(source: Path, unpacked: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--source", str(source), "--corpus", str(unpacked), *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_report_and_json_agree_with_the_ratings(
    rated_corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    source, unpacked = rated_corpus
    figures = tmp_path / "figures.json"
    completed = run_script(source, unpacked, "--json", str(figures), "--min-rho", "0.9")
    assert completed.returncode == 0, completed.stderr
    assert "Spearman rho (real-world score vs rating): 1.000" in completed.stdout
    assert "| service | D | 80 |" in completed.stdout
    data = json.loads(figures.read_text(encoding="utf-8"))
    assert data["rho"] == 1.0
    assert data["certification_auc"] == 1.0  # the coursework is the only A/B repository
    assert {row["short_name"]: row["rank_residual"] for row in data["repositories"]} == {
        "course": 0.0,
        "honest": 0.0,
        "service": 0.0,
    }


def test_the_gate_fails_when_the_ratings_disagree(rated_corpus: tuple[Path, Path]) -> None:
    source, unpacked = rated_corpus
    reversed_ratings = source.parent / "reversed"
    reversed_ratings.mkdir(exist_ok=True)
    (reversed_ratings / "corpus.tsv").write_text(
        (source / "corpus.tsv").read_text(encoding="utf-8").replace("\t5\n", "\t95\n"),
        encoding="utf-8",
    )
    completed = run_script(reversed_ratings, unpacked, "--min-rho", "0.9")
    assert completed.returncode == 1
    assert "calibrate: rho -0.500 is below the floor 0.900" in completed.stderr


def test_a_missing_corpus_is_one_clear_line(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--source", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert (
        completed.stderr.strip()
        == f"calibrate: no rated corpus at {tmp_path} (corpus.tsv missing); see --source"
    )
