"""The layers, as a user of the library meets them: the renderers and the scoring engine
import and run with git, nbformat and radon unavailable (they are pure functions of a
scorecard), and the import contract in pyproject.toml holds."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from portfolio_check.app.scan import scan

PROJECT = Path(__file__).resolve().parent.parent

BLOCKING = """
import importlib.abc, pickle, sys
BLOCKED = {"git", "nbformat", "radon"}
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked")
        return None
sys.meta_path.insert(0, Blocker())
from portfolio_check.report import FORMATS, render
import portfolio_check.scoring.engine
card = pickle.loads(sys.stdin.buffer.read())
for fmt in FORMATS:
    if fmt != "text":
        assert render(card, fmt), fmt
loaded = sorted(BLOCKED & {name.split(".")[0] for name in sys.modules})
print("loaded:", loaded)
"""


def test_the_renderers_and_the_engine_need_no_git_nbformat_or_radon(
    production_path: Path,
) -> None:
    card = scan(production_path)
    done = subprocess.run(
        [sys.executable, "-c", BLOCKING],
        input=pickle.dumps(card),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == "loaded: []"


def test_the_blocker_does_block(production_path: Path) -> None:
    """The check above can fail: the scanner itself needs git."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            BLOCKING.replace(
                "import portfolio_check.scoring.engine", "import portfolio_check.app.scan"
            ),
        ],
        input=pickle.dumps(scan(production_path)),
        capture_output=True,
        check=False,
    )
    assert done.returncode != 0
    assert b"is blocked" in done.stderr


def test_the_import_contract_holds() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout
