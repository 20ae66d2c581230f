"""The profiling script (`benchmarks/profile_scan.py`), run as a user runs it on a real
repository: each step of a scan with its time, and each file analyzer's share."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.repos import RepoBuilder
from tests.scripts import BENCHMARKS

SCRIPT = BENCHMARKS / "profile_scan.py"


def repository(root: Path) -> Path:
    RepoBuilder(root).files(
        {
            "src/shop/model.py": "import pandas as pd\n\n\ndef train(path):\n"
            "    return pd.read_csv(path)\n",
            "src/shop/serve.py": "def predict(row):\n    return 1\n",
            "tests/test_model.py": "from shop.model import train\n\n\ndef test_train():\n"
            "    assert train\n",
            "README.md": "# Shop\n",
        }
    ).commit("Start")
    return root


def profile(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *arguments], capture_output=True, text=True, check=False
    )


def rows(output: str) -> dict[str, tuple[int, float]]:
    """The table's rows: step or analyzer -> (calls or files, seconds); an analyzer's
    row ends with its milliseconds per file."""
    found = {}
    for line in output.splitlines():
        match = re.fullmatch(r"(.+?)\s+(\d+)\s+(\d+\.\d+)(?:\s+\d+\.\d+)?", line.strip())
        if match:
            found[match[1]] = (int(match[2]), float(match[3]))
    return found


def test_phases_time_each_step_of_one_scan(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    report = tmp_path / "card.html"
    done = profile("phases", str(repo), "-o", str(report), "--no-cache")
    assert done.returncode == 0, done.stderr
    steps = rows(done.stdout)
    for step in ("read the rest, analyse, collect", "link across files", "rubric signals"):
        assert steps[step][0] == 1, step
    assert steps["render a report"][0] >= 1
    assert re.match(r"imports \d+\.\d+ s, whole run \d+\.\d+ s", done.stdout)
    assert "Real-world" not in done.stdout  # the scan's own summary is not mixed in
    assert report.read_text().startswith("<!DOCTYPE html>")


def test_analyzers_count_the_files_each_analyzer_read(tmp_path: Path) -> None:
    repo = repository(tmp_path / "repo")
    done = profile("analyzers", str(repo))
    assert done.returncode == 0, done.stderr
    analyzers = rows(done.stdout)
    assert analyzers["python"][0] == 3
    assert analyzers["docs"][0] == 1
    assert all(seconds >= 0 for _, seconds in analyzers.values())


def test_a_missing_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = profile("phases", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"profile_scan.py: {tmp_path / 'nowhere'}: not a folder"
