"""The benchmark's repository generator, at a tiny size: real history, the parts it
promises, and a tree portfolio-check scans. (The benchmark itself is not part of the
suite: `python benchmarks/run.py`.)"""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import ModuleType

from portfolio_check.app.scan import scan
from tests.scripts import load_script


def generator() -> ModuleType:
    return load_script("generate")


def test_a_tiny_generated_repository_has_its_parts_and_history(tmp_path: Path) -> None:
    bench = generator()
    size = bench.Size(python=24, notebooks=2, configs=9, commits=6)
    root = bench.generate_size(size, tmp_path / "tiny", seed=3)
    listed = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    assert len(listed) == size.files
    assert sum(path.endswith(".py") for path in listed) == size.python
    assert sum(path.endswith(".ipynb") for path in listed) == size.notebooks
    assert {"Dockerfile", "dvc.yaml", ".github/workflows/ci.yml"} <= set(listed)
    commits = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert int(commits) == size.commits
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert status == ""  # the work tree is the last commit
    card = scan(root)
    assert card.target.files == size.files
    assert bench.files(size, 3) == bench.files(size, 3)  # deterministic
