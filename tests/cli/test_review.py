"""`portfolio-check review`: the explicit reviewer mode, through click's runner and through
the installed entry point; the implicit multi-target form is the same review."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from portfolio_check.cli import command
from tests import repos

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cohort")
    return repos.honest_repo(root / "honest"), repos.coursework_repo(root / "course")


def labels_in(out: Path) -> list[str]:
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted(json.loads(line)["label"] for line in lines)


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(command, args, env={"NO_COLOR": "1"})
    return result.exit_code, result.stderr


def test_review_scans_each_target_into_the_folder(
    cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, stderr = invoke(["review", *map(str, cohort), "-o", str(out), "--jobs", "1"])
    assert code == 0, stderr
    assert stderr == f"2 candidates: 2 scored, 0 errors; comparison: {out / 'comparison.html'}\n"
    assert labels_in(out) == ["course", "honest"]
    assert (out / "candidates" / "honest.html").is_file()


def test_review_of_one_folder_is_still_a_review(cohort: tuple[Path, Path], tmp_path: Path) -> None:
    """`portfolio-check FOLDER` writes one scorecard; `review FOLDER` a review folder."""
    out = tmp_path / "out"
    code, stderr = invoke(["review", str(cohort[0]), "-o", str(out), "--jobs", "1"])
    assert code == 0, stderr
    assert labels_in(out) == ["honest"]
    assert (out / "comparison.html").is_file()


def test_review_and_the_implicit_form_write_the_same_page(
    cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    targets = [*map(str, cohort), "--jobs", "1", "--no-cache"]
    assert invoke(["review", *targets, "-o", str(tmp_path / "explicit")])[0] == 0
    assert invoke([*targets, "-o", str(tmp_path / "implicit")])[0] == 0
    explicit = (tmp_path / "explicit" / "comparison.html").read_bytes()
    assert explicit == (tmp_path / "implicit" / "comparison.html").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "-o", "{tmp}/out"], "review: give the candidates, as TARGET... or --from FILE"),
        (["review", "{repo}"], "batch mode writes a folder: give it with -o DIR"),
        (["review", "{repo}", "-o", "-"], "batch mode writes a folder"),
        (["review", "{repo}", "-o", "{tmp}/out", "--shard", "3/2"], "I must be between 1 and N"),
        (["review", "{repo}", "-o", "{tmp}/out", "--format", "json"], "No such option '--format'"),
        (["review", "{repo}", "-o", "{tmp}/out", "--max-repos", "3"], "applies to gh:USER"),
    ],
)
def test_review_usage_errors_are_one_line_with_exit_code_2(
    args: list[str], message: str, cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    filled = [arg.replace("{tmp}", str(tmp_path)).replace("{repo}", str(cohort[0])) for arg in args]
    done = subprocess.run(
        [str(ENTRY_POINT), *filled],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("portfolio-check: error: ")
    assert message in done.stderr
    assert not (tmp_path / "out" / "results.jsonl").exists()


def test_review_through_the_installed_entry_point(
    cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    assert ENTRY_POINT.exists(), f"portfolio-check is not installed next to {sys.executable}"
    (tmp_path / "list.txt").write_text(f"{cohort[0]} ada\n{tmp_path / 'missing'} gone\n")
    command_line = [str(ENTRY_POINT), "review", "--from", str(tmp_path / "list.txt")]
    done = subprocess.run(
        [*command_line, "-o", str(tmp_path / "out"), "--jobs", "2", "--strict"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")},
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # --strict, and "gone" could not be scored
    assert done.stdout == ""
    assert done.stderr.endswith(
        f"2 candidates: 1 scored, 1 error; comparison: {tmp_path / 'out' / 'comparison.html'}\n"
    )
    assert labels_in(tmp_path / "out") == ["ada", "gone"]


def test_help_teaches_review() -> None:
    result = CliRunner().invoke(command, ["--help"])
    assert result.exit_code == 0
    assert "portfolio-check review --from candidates.txt -o review/ --jobs 4" in result.output
    assert "review" in result.output.split("Commands:")[1]
    review = CliRunner().invoke(command, ["review", "--help"])
    assert review.exit_code == 0
    assert "Usage: portfolio-check review [OPTIONS] [TARGET]..." in review.output
    assert "Examples:" in review.output and "--resume" in review.output
    assert "--format" not in review.output  # a review writes every format it needs
