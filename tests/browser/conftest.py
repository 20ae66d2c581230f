"""One headless Chromium for the session, the scorecards it opens, and where artifacts go.

The browser is Debian's `chromium`, driven by Playwright for Python (its driver only: no
browser download). When the browser, Playwright or axe-core is missing these tests FAIL
with what to install: `.ci/run` installs all three, so a skip would hide a broken CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from portfolio_check.app.scan import scan
from portfolio_check.model.rubric import Rubric
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import render
from tests import repos
from tests.browser import provision
from tests.hostile import corpus

try:
    from playwright.sync_api import Browser, sync_playwright
except ImportError:  # the `browser` fixture fails every test that needs it, saying why
    Browser, sync_playwright = Any, None

HERE = Path(__file__).parent
PROJECT = HERE.parent.parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: Without the background-networking switches Chromium phones home at start, and those
#: refused connections fill the log; none of them comes from the page.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
#: The first screen a learner sees, on a laptop and on a phone (issue 15).
FIRST_SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
#: A path deep enough to need wrapping in a phone's table column.
DEEP_PATH = "src/churn_prediction_service/feature_engineering/transformations/rolling_windows.py"


@dataclass(frozen=True, kw_only=True)
class RenderedPage:
    """A scorecard written to disk, as a learner opens it: from a file:// URL."""

    name: str
    card: Scorecard
    path: Path

    @property
    def url(self) -> str:
        return self.path.resolve().as_uri()


def _find_chromium() -> str | None:
    chosen = os.environ.get("PORTFOLIO_CHECK_CHROMIUM")
    for candidate in (chosen,) if chosen else CHROMIUM_CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def chromium_executable() -> str:
    """PORTFOLIO_CHECK_CHROMIUM, or Debian's chromium, installed with apt when missing (as
    root); fails the test when there is none."""
    found = _find_chromium()
    if found is None and not os.environ.get("PORTFOLIO_CHECK_CHROMIUM"):
        try:
            provision.install_chromium()
        except provision.ProvisionError as error:
            reason = str(error)
        else:
            found, reason = _find_chromium(), "apt-get installed no chromium binary"
    else:
        reason = "PORTFOLIO_CHECK_CHROMIUM names no executable"
    if found is None:
        pytest.fail(
            f"no Chromium to run the browser tests ({reason}): `apt-get install chromium`, "
            "or set PORTFOLIO_CHECK_CHROMIUM to a Chromium binary",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        pytest.fail("Playwright is missing: pip install -e '.[test]'", pytrace=False)
    executable = chromium_executable()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        try:
            provision.install_axe()
        except provision.ProvisionError as error:
            pytest.fail(
                f"axe-core is missing ({AXE.relative_to(PROJECT)}) and {error}: "
                "npm ci --prefix tests/browser",
                pytrace=False,
            )
    if not AXE.is_file():
        pytest.fail(f"npm ci installed no {AXE.relative_to(PROJECT)}", pytrace=False)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots, PDFs and axe results: $PORTFOLIO_CHECK_ARTIFACTS or tests/browser/artifacts
    (git-ignored), emptied at the start of each session so that it shows this run only."""
    folder = Path(os.environ.get("PORTFOLIO_CHECK_ARTIFACTS") or HERE / "artifacts")
    if folder.is_dir():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def _learner_repo(root: Path) -> Path:
    """A learner's repository with a complex function at a deep path (a hot spot whose path
    must wrap in a narrow column) and a README whose claims carry Markdown."""
    branches = "\n".join(
        f"    {'if' if i == 0 else 'elif'} kind == {i}:\n        total += {i}" for i in range(14)
    )
    repo = repos.RepoBuilder(root)
    repo.write(DEEP_PATH, f"def window(kind, total=0):\n{branches}\n    return total\n")
    repo.write(
        "README.md",
        "# Churn\n\nThe model is deployed with **Docker** on `Kubernetes` and monitored "
        "with [Prometheus](https://prometheus.io) <b>dashboards</b>.\n",
    )
    repo.commit("churn model")
    return root


def _linked_repo(root: Path) -> Path:
    """The production fixture with a GitHub origin (with a token in it, which must not show)."""
    path = repos.production_repo(root)
    subprocess.run(
        ["git", "remote", "add", "origin", "https://ada:ghp_TOKEN@github.com/ada/churnwatch.git"],
        cwd=path,
        check=True,
        env={**os.environ, **repos.GIT_IDENTITY},
    )
    return path


@pytest.fixture(scope="session")
def rendered(
    tmp_path_factory: pytest.TempPathFactory,
    rubric: Rubric,
    production_path: Path,
    coursework_path: Path,
    buzzword_path: Path,
    honest_path: Path,
) -> dict[str, RenderedPage]:
    """Scorecards of the two examples, the fixture repositories, a hostile repository and
    a repository whose evidence links to GitHub."""
    build = tmp_path_factory.mktemp("browser-repos")
    targets = {
        "churn-service": PROJECT / "examples" / "churn-service",
        "course-notebooks": PROJECT / "examples" / "course-notebooks",
        "production": production_path,
        "coursework": coursework_path,
        "buzzword": buzzword_path,
        "honest": honest_path,
        "hostile": corpus.injection_repo(build / "hostile"),
        "linked": _linked_repo(build / "linked"),
        "learner": _learner_repo(build / "learner"),
    }
    out = tmp_path_factory.mktemp("scorecards")
    pages: dict[str, RenderedPage] = {}
    for name, target in targets.items():
        card = scan(target, rubric=rubric)
        path = out / f"{name}.html"
        path.write_text(render(card, "html"), encoding="utf-8")
        pages[name] = RenderedPage(name=name, card=card, path=path)
    return pages
