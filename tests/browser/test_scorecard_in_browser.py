"""The HTML scorecard in a real browser: headless Chromium opens each page from disk, as a
learner or a reviewer would, and checks what they would see (and what must never happen).

Screenshots (desktop and phone, light and dark), PDFs and axe results are saved under the
artifacts folder (see conftest.py) for a person to look at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from portfolio_check.app import batch
from portfolio_check.intake.targets import parse_target
from tests.browser.conftest import DEEP_PATH, DESKTOP, FIRST_SCREENS, PHONE, RenderedPage

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PAGES = (
    "churn-service",
    "course-notebooks",
    "production",
    "coursework",
    "buzzword",
    "honest",
    "hostile",
    "linked",
    "learner",
)
#: axe impacts that fail the test; "minor" and "moderate" are reported in the artifacts.
BLOCKING_IMPACTS = ("serious", "critical")
OPEN_EVERY_DETAILS = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


class PageWatch:
    """Everything a page asks of the network, and every console error or uncaught error."""

    def __init__(self, page: Page, own_url: str) -> None:
        self.own_url = own_url
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message: Any) -> None:
        if message.type in {"error", "warning"}:
            self.errors.append(f"console {message.type}: {message.text}")

    @property
    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if url != self.own_url]


@contextmanager
def opened(
    browser: Browser, url: str, *, viewport: dict[str, int] = DESKTOP, scheme: str = "light"
) -> Iterator[tuple[Page, PageWatch]]:
    """`url` in a fresh, ordinary context (its CSP enforced), where every request other
    than for the page's own file is recorded and blocked."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
    blocked: list[str] = []

    def route(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    try:
        context.route("**/*", route)
        page = context.new_page()
        watch = PageWatch(page, url)
        page.goto(url, wait_until="load")
        yield page, watch
        watch.requests.extend(url for url in blocked if url not in watch.requests)
    finally:
        context.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Any]:
    """Opens a rendered scorecard with `opened`; contexts close when the test ends."""
    with ExitStack() as stack:

        def opener(
            page_file: RenderedPage, *, viewport: dict[str, int] = DESKTOP, scheme: str = "light"
        ) -> tuple[Page, PageWatch]:
            return stack.enter_context(
                opened(browser, page_file.url, viewport=viewport, scheme=scheme)
            )

        yield opener


@pytest.mark.parametrize("name", PAGES)
def test_the_page_loads_without_errors_or_any_request(
    name: str, rendered: dict[str, RenderedPage], open_page: Any
) -> None:
    page, watch = open_page(rendered[name])
    page.evaluate(OPEN_EVERY_DETAILS)  # content inside <details> is loaded too, not just shown
    page.wait_for_timeout(200)
    assert watch.errors == []
    assert watch.foreign_requests == []
    assert watch.requests == [rendered[name].url]


@pytest.mark.parametrize("name", PAGES)
def test_the_headings_and_both_scores_are_visible(
    name: str, rendered: dict[str, RenderedPage], open_page: Any
) -> None:
    card = rendered[name].card
    page, _ = open_page(rendered[name])
    assert page.locator("h1").is_visible()
    assert page.locator("h1").inner_text() == card.target.title != "."
    for heading in ("Real-world evidence", "Certification-only evidence", "Scores by category"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    for heading in ("Next steps", "Claims without evidence", "Engineering texture"):
        assert page.get_by_role("heading", name=re.compile(f"^{heading}")).is_visible(), heading
    real = page.locator(".score.real .value").inner_text()
    certification = page.locator(".score.cert .value").inner_text()
    assert real == f"{card.real_world_score:.0f}/100"
    assert certification == f"{card.certification_score:.0f}/100"
    quadrant = page.get_by_role("img", name="Where this repository sits")
    assert not quadrant.is_visible()  # collapsed under "Scores by category"
    page.locator("summary:has(#glance)").focus()
    page.keyboard.press("Enter")  # a keyboard opens it, with no script on the page
    assert quadrant.is_visible()
    if card.profile:
        assert page.locator(".verdict").get_by_text(card.profile.name, exact=True).is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_a_phone_width_screen_never_scrolls_sideways(
    name: str, scheme: str, rendered: dict[str, RenderedPage], open_page: Any, artifacts: Path
) -> None:
    page, _ = open_page(rendered[name], viewport=PHONE, scheme=scheme)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts / f"{name}-phone-{scheme}.png", full_page=False)
    page.evaluate(OPEN_EVERY_DETAILS)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_desktop_screenshots(
    name: str, scheme: str, rendered: dict[str, RenderedPage], open_page: Any, artifacts: Path
) -> None:
    page, _ = open_page(rendered[name], scheme=scheme)
    shot = artifacts / f"{name}-desktop-{scheme}.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(16, 20, 24)") == (scheme == "dark")  # the theme followed


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("name", ["churn-service", "course-notebooks", "hostile"])
def test_the_print_layout_makes_a_pdf_with_every_section_open(
    name: str, paper: str, rendered: dict[str, RenderedPage], open_page: Any, artifacts: Path
) -> None:
    page, _ = open_page(rendered[name])
    page.emulate_media(media="print")
    closed_body = page.locator("details:not([open]) .crit-body").first
    assert closed_body.is_visible()  # print shows what a reader would have to click open
    assert not page.locator("nav.toc").is_visible()
    pdf = page.pdf(format=paper, print_background=True)
    (artifacts / f"{name}-{paper}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1


def _starts_in_view(page: Page, selector: str, viewport: dict[str, int]) -> bool:
    """The element's first line is on the screen as the page opens, without scrolling."""
    box = page.locator(selector).first.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + min(box["height"], 32) <= viewport["height"]
    )


@pytest.mark.parametrize("screen", sorted(FIRST_SCREENS))
@pytest.mark.parametrize("name", ["churn-service", "course-notebooks", "learner"])
def test_the_first_screen_shows_both_scores_the_verdict_and_the_next_steps(
    name: str, screen: str, rendered: dict[str, RenderedPage], open_page: Any, artifacts: Path
) -> None:
    viewport = FIRST_SCREENS[screen]
    page, _ = open_page(rendered[name], viewport=viewport)
    page.screenshot(path=artifacts / f"{name}-first-screen-{screen}.png", full_page=False)
    wanted = [".score.real .value", ".score.real .grade", ".score.cert .value", "#next-steps"]
    if rendered[name].card.profile:
        wanted.append(".verdict .profile")
    if rendered[name].card.next_steps:
        wanted.append("ol.steps > li")
    assert [selector for selector in wanted if not _starts_in_view(page, selector, viewport)] == []
    assert page.locator("section.panel").count() >= 6
    assert page.locator("section.panel > details[open]").count() == 0  # the rest is collapsed


@pytest.mark.parametrize("name", ["churn-service", "course-notebooks"])
def test_the_page_stays_short_on_a_phone_until_a_section_is_opened(
    name: str, rendered: dict[str, RenderedPage], open_page: Any
) -> None:
    phone = FIRST_SCREENS["phone"]
    page, _ = open_page(rendered[name], viewport=phone)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3 * phone["height"]  # it was about 9,000 px with every section open
    page.evaluate(OPEN_EVERY_DETAILS)
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * height  # all there


#: The text of an element, line by line as the browser laid it out.
LINES_OF = """element => {
  const lines = [];
  let top = null;
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (top === null || Math.abs(rect.top - top) > 2) { lines.push(""); top = rect.top; }
      lines[lines.length - 1] += node.data[i];
    }
  }
  return lines;
}"""


def test_a_long_path_in_a_table_wraps_at_its_slashes(
    rendered: dict[str, RenderedPage], open_page: Any
) -> None:
    page, _ = open_page(rendered["learner"], viewport=FIRST_SCREENS["phone"])
    page.evaluate(OPEN_EVERY_DETAILS)
    cell = page.locator("table.claims td .path", has_text="rolling_windows.py").first
    lines = cell.evaluate(LINES_OF)
    assert "".join(lines) == f"{DEEP_PATH}:1"
    assert len(lines) > 1  # the column is narrower than the path
    assert [line for line in lines[:-1] if not line.endswith("/")] == []


def test_markdown_in_a_quoted_readme_line_is_shown_as_text(
    rendered: dict[str, RenderedPage], open_page: Any
) -> None:
    page, _ = open_page(rendered["learner"])
    page.evaluate(OPEN_EVERY_DETAILS)
    cell = page.locator("table.claims td", has_text="deployed with").first
    shown = cell.inner_text()
    for literal in ("**Docker**", "`Kubernetes`", "[Prometheus](https://prometheus.io)", "<b>"):
        assert literal in shown, literal
    assert cell.locator("strong, b, em, code, a").count() == 0


def test_a_low_grade_is_not_coloured_like_a_high_one(
    rendered: dict[str, RenderedPage], open_page: Any
) -> None:
    high, low = rendered["churn-service"], rendered["course-notebooks"]
    assert (high.card.grade, low.card.grade) == ("A", "E")
    colours = {}
    for page_file in (high, low):
        page, _ = open_page(page_file)
        value = page.locator(".score.real .value")
        colours[page_file.name] = value.evaluate("element => getComputedStyle(element).color")
    assert colours == {"churn-service": "rgb(23, 105, 90)", "course-notebooks": "rgb(180, 35, 24)"}


def test_the_watch_sees_a_request_a_page_makes(browser: Browser, tmp_path: Path) -> None:
    """The request check above can fail: a page without our CSP that loads an image is seen
    (and blocked) by the same watch."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><html lang="en"><title>t</title>'
        '<img alt="" src="https://tracker.invalid/pixel.png"></html>',
        encoding="utf-8",
    )
    with opened(browser, leaky.as_uri()) as (_, watch):
        pass
    assert watch.foreign_requests == ["https://tracker.invalid/pixel.png"]


def test_evidence_links_point_at_github_and_never_show_the_token(
    rendered: dict[str, RenderedPage], open_page: Any
) -> None:
    page, watch = open_page(rendered["linked"])
    page.evaluate(OPEN_EVERY_DETAILS)
    links = page.locator("ul.evidence a.path")
    assert links.count() > 0
    commit = rendered["linked"].card.target.commit
    first = links.first.get_attribute("href") or ""
    assert first.startswith(f"https://github.com/ada/churnwatch/blob/{commit}/")
    assert re.search(r"#L\d+$", first)
    assert "ghp_TOKEN" not in page.content()
    assert watch.foreign_requests == []  # a link is not a request until someone follows it


def _axe_violations(browser: Browser, url: str, axe: str, scheme: str) -> Any:
    """axe-core run in the page. Only this context bypasses the page's CSP, to inject it."""
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme, bypass_csp=True)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.evaluate(OPEN_EVERY_DETAILS)
        page.add_script_tag(content=axe)
        return page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["churn-service", "course-notebooks", "hostile", "linked"])
def test_axe_finds_no_serious_or_critical_violation(
    name: str,
    scheme: str,
    rendered: dict[str, RenderedPage],
    browser: Browser,
    axe_source: str,
    artifacts: Path,
) -> None:
    violations = _axe_violations(browser, rendered[name].url, axe_source, scheme)
    counts = dict.fromkeys(("minor", "moderate", "serious", "critical"), 0)
    for violation in violations:
        counts[violation["impact"]] += 1
    report = {"page": name, "scheme": scheme, "by_impact": counts, "violations": violations}
    (artifacts / f"axe-{name}-{scheme}.json").write_text(json.dumps(report, indent=1))
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert blocking == []


def test_axe_can_fail(browser: Browser, axe_source: str, tmp_path: Path) -> None:
    """The check above can fail: a page with text too faint to read is a serious violation."""
    faint = tmp_path / "faint.html"
    faint.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<p style="color:#bbb;background:#fff">hard to read</p></main></body></html>',
        encoding="utf-8",
    )
    violations = _axe_violations(browser, faint.as_uri(), axe_source, "light")
    assert [v["id"] for v in violations if v["impact"] in BLOCKING_IMPACTS] == ["color-contrast"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_red_flags_are_shown_right_under_the_verdict(
    viewport: dict[str, int], rendered: dict[str, RenderedPage], open_page: Any
) -> None:
    card = rendered["buzzword"].card
    assert card.red_flags
    page, _ = open_page(rendered["buzzword"], viewport=viewport)
    block = page.locator(".red-flags")
    assert block.is_visible()
    assert block.locator("li").all_inner_texts() == [
        f"{flag.detail} {flag.where}" if flag.where else flag.detail for flag in card.red_flags
    ]
    verdict = page.locator(".verdict").bounding_box()
    flags = block.bounding_box()
    assert verdict is not None and flags is not None
    assert 0 <= flags["y"] - (verdict["y"] + verdict["height"]) < 40  # right under it
    reviewer = page.locator(".verdict p", has_text="For a reviewer:").inner_text()
    assert reviewer.endswith(f"{len(card.red_flags)} red flags, listed below.")
    assert flags["y"] + flags["height"] <= viewport["height"]  # on the first screen


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_comparison_wraps_long_urls_and_gives_an_error_its_own_wide_cell(
    viewport: dict[str, int], rendered: dict[str, RenderedPage], open_page: Any, tmp_path: Path
) -> None:
    long_url = "https://gitlab.example.org/" + "deeply-nested-group/" * 12 + "project.git"
    rows = [
        batch.scored_row(parse_target("buzzword"), rendered["buzzword"].card, seconds=1.0),
        batch.error_row(
            label="far-away", spec=long_url, reason=f"cloning {long_url} timed out after 300 s"
        ),
    ]
    page_path = batch.write_comparison(tmp_path, rows)
    page_file = RenderedPage(name="comparison", card=rendered["buzzword"].card, path=page_path)
    page, watch = open_page(page_file, viewport=viewport)
    assert watch.errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    table = page.locator(".view.default table.compare")
    header = table.locator("thead th").all_inner_texts()
    assert header[-2:] == ["Claims", "Red flags"]
    error = table.locator("tr.error td")
    assert error.count() == 3
    assert error.nth(2).get_attribute("colspan") == str(len(header) - 2)
    if viewport is DESKTOP:  # the whole table fits: the URL wraps instead of widening it
        scroller = page.locator(".view.default .scroll")
        assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth")
        url = table.locator("tr.error .path")
        box = url.bounding_box()
        assert box is not None and box["height"] > 30  # several lines
