"""The candidate page (`gh:USER`) in a real browser: it loads with no request and no error,
a phone never scrolls sideways, its links lead to the repositories' scorecards, and axe
finds nothing serious. The page is rendered from a portfolio written out here (the
scanning behind it is tested in tests/test_candidate.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from portfolio_check.report.candidate import render_html
from portfolio_check.scoring.portfolio import (
    CategoryLevel,
    Portfolio,
    PortfolioRepository,
    RedFlag,
    summarise,
)
from tests.browser.conftest import PHONE
from tests.browser.test_scorecard_in_browser import BLOCKING_IMPACTS, _axe_violations, opened

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CATEGORIES = [("deployment", "Deployment and serving"), ("testing", "Testing"), ("ci", "CI")]


def _scored(name: str, real_world: float, levels: dict[str, int]) -> PortfolioRepository:
    return PortfolioRepository(
        name=name,
        spec=f"gh:ada/{name}",
        label=f"ada-{name}",
        status="scored",
        scorecard=f"candidates/ada-{name}.html",
        real_world=real_world,
        certification=12.0,
        profile="Builder with gaps",
        own_share=0.8,
        lines=1200,
        own_commits=14,
        upstream="DataTalksClub course (mlops-zoomcamp)",
        first_commit="2025-01-04",
        last_commit="2025-06-30",
        pushed_at="2025-06-30T10:00:00Z",
        red_flags=(
            RedFlag(
                kind="claim",
                detail="README claims monitoring with no evidence",
                path="README.md",
                line=12,
            ),
        ),
        categories=tuple(
            CategoryLevel(id=cid, name=cid, level=level, counted=True)
            for cid, level in levels.items()
        ),
    )


@pytest.fixture(scope="module")
def candidate_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("candidate")
    repositories = (
        _scored(
            "a-rather-long-repository-name-for-a-churn-model", 71.0, {"deployment": 4, "testing": 3}
        ),
        _scored("spam", 20.0, {"testing": 2, "ci": 1}),
        PortfolioRepository(
            name="course-lab",
            spec="gh:ada/course-lab",
            label="ada-course-lab",
            status="fork",
            fork=True,
            note="a fork of course-org/course-lab with no commits of its own: listed, not scored",
        ),
        PortfolioRepository(
            name="empty",
            spec="gh:ada/empty",
            label="ada-empty",
            status="empty",
            note="empty: no commits to scan",
        ),
    )
    portfolio = Portfolio(
        tool_version="0.1.0",
        user="ada",
        server="https://github.com",
        repositories=repositories,
        summary=summarise(repositories, CATEGORIES),
    )
    (folder / "candidates").mkdir()
    for repo in repositories:
        if repo.scorecard:
            (folder / repo.scorecard).write_text("<!DOCTYPE html><title>scorecard</title>")
    (folder / "candidate.json").write_text(json.dumps(portfolio.to_json_dict()))
    page = folder / "candidate.html"
    page.write_text(render_html(portfolio), encoding="utf-8")
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_candidate_page_loads_alone_and_fits_a_phone(
    candidate_page: Path, browser: Browser, scheme: str, artifacts: Path
) -> None:
    url = candidate_page.as_uri()
    with opened(browser, url, viewport=PHONE, scheme=scheme) as (page, watch):
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=artifacts / f"candidate-phone-{scheme}.png", full_page=True)
        assert page.get_by_role("heading", name="gh:ada").is_visible()
        strongest = page.locator("dl.facts dd").first.inner_text()
        assert strongest.startswith(
            "a-rather-long-repository-name-for-a-churn-model: real-world 71/100"
        )
        assert watch.errors == [] and watch.foreign_requests == []
    with opened(browser, url, scheme=scheme) as (page, _):
        page.screenshot(path=artifacts / f"candidate-desktop-{scheme}.png", full_page=True)
        links = page.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert set(links) == {
            "candidates/ada-a-rather-long-repository-name-for-a-churn-model.html",
            "candidates/ada-spam.html",
        }
        for link in links:
            assert (candidate_page.parent / link).is_file()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_candidate_page(
    candidate_page: Path, browser: Browser, axe_source: str, scheme: str
) -> None:
    violations = _axe_violations(browser, candidate_page.as_uri(), axe_source, scheme)
    blocking = [v["id"] for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == []
