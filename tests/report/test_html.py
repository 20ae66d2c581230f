"""The HTML scorecard's design contract, checked without a browser: colour contrast of both
themes, chart geometry, text alternatives, collapsible sections and the footer.
(tests/browser/ opens the same pages in Chromium.)"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from portfolio_check import __version__
from portfolio_check.common.resources import templates_dir
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import render
from portfolio_check.report.charts import PLOT_LEFT, PLOT_SIZE, PLOT_TOP, ladder, quadrant

THEME = templates_dir() / "_theme.css.j2"
TEXT_COLOURS = (
    "ink",
    "muted",
    "real",
    "cert",
    "lvl0",
    "lvl1",
    "lvl2",
    "lvl3",
    "lvl4",
    "link",
    "high",
    "middle",
    "low",
)
BACKGROUNDS = ("bg", "panel", "bar", "accent-bg", "quad")
WCAG_AA_TEXT = 4.5


def relative_luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def palettes() -> dict[str, dict[str, str]]:
    """The light, dark and print palettes, in the order the theme declares them."""
    blocks = re.findall(r":root\s*\{([^}]*)\}", THEME.read_text(encoding="utf-8"))
    found = [dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", block)) for block in blocks]
    return dict(zip(("light", "dark", "print"), found, strict=True))


def test_contrast_ratio_matches_the_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just fails AA


@pytest.mark.parametrize("theme", ["light", "dark", "print"])
def test_every_text_colour_meets_wcag_aa_on_every_background(theme: str) -> None:
    palette = palettes()[theme]
    failures = [
        f"--{text} on --{background}: {contrast_ratio(palette[text], palette[background]):.2f}"
        for text in TEXT_COLOURS
        for background in BACKGROUNDS
        if contrast_ratio(palette[text], palette[background]) < WCAG_AA_TEXT
    ]
    assert failures == []


def test_pages_take_every_colour_from_the_theme() -> None:
    """A colour written straight into a page would escape the contrast test above."""
    for name in ("scorecard.html.j2", "comparison.html.j2"):
        styles = re.findall(
            r"<style>(.*?)</style>", (templates_dir() / name).read_text(encoding="utf-8"), re.S
        )
        assert styles
        assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb\(|hsl\(", "".join(styles)), name


def test_quadrant_places_the_repository_by_its_two_scores() -> None:
    production = quadrant(94, 0)
    assert production.point_x == pytest.approx(PLOT_LEFT + PLOT_SIZE * 0.94)
    assert production.point_y == pytest.approx(PLOT_TOP + PLOT_SIZE)  # bottom: no coursework
    assert production.label_anchor == "end" and production.label_y < production.point_y
    coursework = quadrant(0, 82)
    assert coursework.point_x == pytest.approx(PLOT_LEFT)
    assert coursework.label_anchor == "start" and coursework.label_y > coursework.point_y
    assert [label.lines[0] for label in coursework.labels] == [
        "Mostly",
        "Coursework",
        "Little",
        "Mostly",
    ]
    assert quadrant(140, -3).point_x == pytest.approx(PLOT_LEFT + PLOT_SIZE)  # clamped


@pytest.mark.parametrize("level", list(EvidenceLevel))
def test_a_ladder_fills_the_steps_up_to_its_level(level: EvidenceLevel) -> None:
    steps = ladder(level)
    assert [step.level for step in steps] == list(EvidenceLevel)
    assert sum(step.reached for step in steps) == level.value + 1
    assert [step.height for step in steps] == sorted(step.height for step in steps)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.open_tags: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.in_details: list[str] = []  # ids of headings inside a <details>
        self._heading: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in {"h1", "h2", "h3"}:
            self._heading, self._text = tag, []
            if "details" in self.open_tags and dict(attrs).get("id"):
                self.in_details.append(dict(attrs)["id"] or "")
        if tag not in {"meta", "br", "rect", "line", "circle"}:
            self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "h3"} and self._heading:
            self.headings.append((tag, " ".join("".join(self._text).split())))
            self._heading = None
        if tag in self.open_tags:
            del self.open_tags[len(self.open_tags) - 1 - self.open_tags[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_headings_name_the_sections_in_order(production_card: Scorecard) -> None:
    page = parse(render(production_card, "html"))
    h2 = [text for tag, text in page.headings if tag == "h2"]
    assert next(tag for tag, _ in page.headings) == "h1"
    assert h2[:5] == [  # the first screen, then the collapsed sections
        "Real-world evidence",
        "Certification-only evidence",
        "Verdict",
        "Next steps",
        "Scores by category",
    ]
    for section in (
        "Next steps",
        "Claims without evidence",
        "Engineering texture",
        "ML Test Score",
    ):
        assert any(text.startswith(section) for text in h2), section
    h3 = [text for tag, text in page.headings if tag == "h3"]
    assert any(text.startswith("Complexity hot spots") for text in h3)
    assert any(text.startswith("Notebook hygiene") for text in h3)


#: What a reader sees first, open; and every section after it, collapsed.
FIRST_SCREEN = {"score-real", "score-cert", "verdict", "next-steps"}
COLLAPSED = {
    "glance",
    "side-real",
    "side-cert",
    "ml-test-score",
    "claims",
    "dependencies",
    "texture",
}


def test_the_first_screen_is_open_and_the_rest_collapses_without_script(
    production_card: Scorecard,
) -> None:
    html = render(production_card, "html")
    page = parse(html)
    assert FIRST_SCREEN.isdisjoint(page.in_details)
    assert set(page.in_details) >= COLLAPSED
    panels = re.findall(
        r'<section class="panel[^"]*" aria-labelledby="([^"]+)">\s*<details( open)?>', html
    )
    assert {section for section, _ in panels} == COLLAPSED
    assert [section for section, opened in panels if opened] == []
    assert not [tag for tag, _ in page.elements if tag == "script"]
    summaries = sum(1 for tag, _ in page.elements if tag == "summary")
    criteria = sum(len(category.criteria) for category in production_card.categories)
    # the collapsed sections, and inside Engineering texture: hot spots and notebooks
    assert summaries == criteria + len(COLLAPSED) + 2


def test_every_chart_has_a_text_alternative(production_card: Scorecard) -> None:
    html = render(production_card, "html")
    page = parse(html)
    ids = {attrs["id"] for _, attrs in page.elements if attrs.get("id")}
    svgs = [attrs for tag, attrs in page.elements if tag == "svg"]
    assert svgs
    for attrs in svgs:
        if attrs.get("aria-hidden") == "true":
            continue  # a ladder: its level is written out next to it
        assert attrs.get("role") == "img"
        labels = (attrs.get("aria-labelledby") or "").split()
        assert labels and set(labels) <= ids
    captions = re.findall(r"<caption>(.*?)</caption>", html)
    assert captions == [
        "Real-world evidence, as a table",
        "Certification-only evidence, as a table",
    ]
    for category in production_card.side("real_world"):
        assert f'<th scope="row">{category.name}</th>' in html


def test_levels_are_written_out_not_only_coloured(production_card: Scorecard) -> None:
    html = render(production_card, "html")
    real_world = production_card.side("real_world")
    badges = re.findall(r'<span class="visually-hidden">level: </span>(\w+)</span>', html)
    assert len(badges) == sum(1 + len(category.criteria) for category in real_world)
    assert set(badges) <= {level.label for level in EvidenceLevel} | {"unknown"}
    legend = re.search(r'<ul class="legend".*?</ul>', html, re.S)
    assert legend is not None
    assert [f"<strong>{level.label}</strong>" in legend.group(0) for level in EvidenceLevel] == [
        True
    ] * 5


def test_footer_names_tool_rubric_and_commit(honest_card: Scorecard) -> None:
    html = render(honest_card, "html")
    footer = html[html.index("<footer>") :]
    assert f"portfolio-check {__version__}" in footer
    assert f"{honest_card.rubric_id} {honest_card.rubric_version}" in footer
    assert honest_card.target.commit and honest_card.target.commit in footer


def test_an_unknown_category_says_so_in_the_chart(production_card: Scorecard) -> None:
    """The fixtures have history; a plain folder's history category is unknown instead."""
    history = next(c for c in production_card.categories if c.id == "history")
    unknown = dataclasses.replace(history, inconclusive=True)
    card = dataclasses.replace(
        production_card,
        categories=tuple(unknown if c.id == "history" else c for c in production_card.categories),
    )
    html = render(card, "html")
    assert re.search(rf"{history.name}: unknown", html)
    assert 'class="track unknown"' in html
