"""Fixtures of the hostile corpus, and the hypothesis profiles of its fuzz tests.

`default` keeps the whole hostile run within about a minute on two cores, with the same
examples every run (derandomised: CI never flakes on a new one). `deep` is for hunting:
`python -m pytest --hypothesis-profile=deep tests/hostile/test_fuzz.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.hostile import corpus

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "default",
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_QUIET,
)
settings.register_profile(
    "deep", max_examples=5000, deadline=None, database=None, suppress_health_check=_QUIET
)


def pytest_configure(config: pytest.Config) -> None:
    """Load `default` unless `--hypothesis-profile` chose one (hypothesis's plugin loads
    that one itself)."""
    if not config.getoption("hypothesis_profile", default=None):
        settings.load_profile("default")


@pytest.fixture
def canary(tmp_path: Path) -> corpus.Canary:
    folder = tmp_path / "canary"
    folder.mkdir()
    return corpus.Canary(folder)


@pytest.fixture
def secrets(tmp_path: Path) -> corpus.Secrets:
    return corpus.plant_secrets(tmp_path / "outside")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A working folder outside every scanned repository: reports are written here."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder
