"""The wheel carries rubrics, templates and schemas, and scans from a fresh venv."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(PROJECT)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    (built,) = out.glob("portfolio_check-*.whl")
    return built


def test_wheel_contains_the_data_the_tool_needs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "portfolio_check/rubrics/ml-portfolio.yaml" in names
    assert "portfolio_check/rubrics/ml-test-score.yaml" in names
    assert "portfolio_check/templates/scorecard.html.j2" in names
    assert "portfolio_check/templates/scorecard.md.j2" in names
    assert "portfolio_check/schemas/rubric.schema.json" in names
    assert "portfolio_check/schemas/ml-tests.schema.json" in names
    assert "portfolio_check/schemas/scorecard.schema.json" in names
    assert "portfolio_check/schemas/candidate.schema.json" in names
    assert "portfolio_check/templates/candidate.html.j2" in names
    # import names of distributions, with where they come from and their licences
    assert "portfolio_check/data/import-names.tsv" in names
    assert "portfolio_check/data/conda-names.tsv" in names
    assert "portfolio_check/data/README.md" in names
    assert "portfolio_check/data/licenses/pigar.txt" in names
    # the upstream index: its manifest, its generated hashes and how to rebuild it
    assert "portfolio_check/data/upstreams/manifest.tsv" in names
    assert "portfolio_check/data/upstreams/learned.tsv" in names
    assert "portfolio_check/data/upstreams/index.json.gz" in names
    assert "portfolio_check/data/upstreams/grams.bin.gz" in names
    assert "portfolio_check/data/upstreams/README.md" in names


def test_wheel_installs_into_a_fresh_venv_and_scans(
    wheel: Path, tmp_path: Path, production_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = subprocess.run(
        [
            str(env_dir / "bin" / "portfolio-check"),
            str(production_path),
            "-f",
            "json",
            "-o",
            "report.json",
            "-q",
        ],
        cwd=outside,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = (outside / "report.json").read_text()
    assert '"id": "ml-portfolio"' in report
    assert '"ml_test_score": {' in report  # the installed ml-test-score.yaml was found
    # the installed copy, not the checkout, served the rubric and templates
    located = subprocess.run(
        [
            str(python),
            "-c",
            "from portfolio_check.common.resources import rubrics_dir; print(rubrics_dir())",
        ],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(env_dir) in located.stdout
    # the installed upstream index is found and read
    indexed = subprocess.run(
        [
            str(python),
            "-c",
            "from portfolio_check.analyzers.upstream_index import upstream_index; "
            "print(len(upstream_index().upstreams))",
        ],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(indexed.stdout) >= 40
