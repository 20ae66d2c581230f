"""Shared fixtures: realistic repositories built once per session, and a rubric."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from portfolio_check.app.scan import scan
from portfolio_check.model.rubric import Rubric
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.rubric.loading import load_rubric
from tests import repos
from tests.app.github.test_api import FakeGitHub
from tests.hostile import conftest as _hostile  # noqa: F401 - registers the hypothesis

# profiles early, so that `--hypothesis-profile=deep` works without naming tests/hostile


@pytest.fixture(scope="session", autouse=True)
def _caches_under_the_session_folder(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Path]:
    """Every cache the tool keeps (clones, analysis results) goes under this session's
    temporary folder, for in-process scans and the installed command alike: the suite never
    reads or writes the user's ~/.cache, so no result of an earlier run can leak in."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return load_rubric()


@pytest.fixture(scope="session")
def production_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return repos.production_repo(tmp_path_factory.mktemp("repos") / "churnwatch")


@pytest.fixture(scope="session")
def coursework_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return repos.coursework_repo(tmp_path_factory.mktemp("repos") / "ml-journey")


@pytest.fixture(scope="session")
def buzzword_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return repos.buzzword_repo(tmp_path_factory.mktemp("repos") / "mlops-platform")


@pytest.fixture(scope="session")
def honest_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return repos.honest_repo(tmp_path_factory.mktemp("repos") / "spamfilter")


@pytest.fixture(scope="session")
def production_card(production_path: Path, rubric: Rubric) -> Scorecard:
    return scan(production_path, rubric=rubric)


@pytest.fixture(scope="session")
def coursework_card(coursework_path: Path, rubric: Rubric) -> Scorecard:
    return scan(coursework_path, rubric=rubric)


@pytest.fixture(scope="session")
def buzzword_card(buzzword_path: Path, rubric: Rubric) -> Scorecard:
    return scan(buzzword_path, rubric=rubric)


@pytest.fixture(scope="session")
def honest_card(honest_path: Path, rubric: Rubric) -> Scorecard:
    return scan(honest_path, rubric=rubric)


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    """A GitHub API on 127.0.0.1, for the Action, PR comment and API client tests."""
    fake = FakeGitHub()
    fake.start()
    yield fake
    fake.stop()
