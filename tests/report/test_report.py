"""Renderers: the JSON contract, and HTML/Markdown/text that stay inert on hostile input."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from portfolio_check.app.scan import scan
from portfolio_check.common.resources import json_schema
from portfolio_check.common.text_safety import terminal as safe
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import FORMATS, render
from portfolio_check.report.templating import inline_code, markdown_escape
from tests.repos import RepoBuilder

HOSTILE_NAME = "x<script>alert(1)</script><img src=x onerror=alert(2)>.py"


@pytest.fixture(scope="module")
def hostile_card(tmp_path_factory: pytest.TempPathFactory) -> Scorecard:
    root = tmp_path_factory.mktemp("hostile") / "repo"
    repo = RepoBuilder(root)
    repo.files(
        {
            f"tests/test_{HOSTILE_NAME}": "def test_nothing():\n    pass\n",
            "README.md": (
                "# Results </details></table><script>alert(3)</script>\n\n"
                "Ping @octocat about #123, see [x](javascript:alert(4)) and ![i](http://evil.example/t.png)\n\n"
                "Docker \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 \x1b[31mred\x1b[0m\rCR\n"
            ),
            "Dockerfile": "",
        }
    )
    repo.commit("hostile")
    return scan(root)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize(
    "card_name", ["production_card", "coursework_card", "buzzword_card", "hostile_card"]
)
def test_json_report_validates_against_the_shipped_schema(
    card_name: str, request: pytest.FixtureRequest
) -> None:
    card: Scorecard = request.getfixturevalue(card_name)
    document = json.loads(render(card, "json"))
    jsonschema.Draft202012Validator(json_schema("scorecard.schema.json")).validate(document)
    assert document["schema_version"] == "1"
    assert document["tool"]["name"] == "portfolio-check"
    assert len(document["next_steps"]) <= 3


def test_json_carries_commit_and_evidence(production_card: Scorecard) -> None:
    document = json.loads(render(production_card, "json"))
    assert re.fullmatch(r"[0-9a-f]{40}", document["target"]["commit"])
    tests = next(
        c for cat in document["categories"] for c in cat["criteria"] if c["id"] == "unit-tests"
    )
    assert tests["level"] == 4 and tests["level_name"] == "automated"
    assert any(item["path"] == "tests/test_api.py" for item in tests["evidence"])


def test_html_has_no_script_or_handler_from_repo_content(hostile_card: Scorecard) -> None:
    html = render(hostile_card, "html")
    tags = parsed(html)
    assert not [tag for tag, _ in tags if tag in ("script", "img", "iframe", "object", "embed")]
    handlers = [name for _, attrs in tags for name in attrs if name.startswith("on")]
    assert handlers == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.replace("<wbr>", "")
    assert "javascript:" not in " ".join(str(v) for _, attrs in tags for v in attrs.values())


def test_html_is_self_contained_with_a_content_security_policy(production_card: Scorecard) -> None:
    html = render(production_card, "html")
    tags = parsed(html)
    csp = [
        attrs.get("content")
        for tag, attrs in tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in str(csp[0])
    external = [
        value
        for _, attrs in tags
        for name, value in attrs.items()
        if name in ("src", "href") and value and not value.startswith("#")
    ]
    assert external == []
    assert "Real-world evidence" in html and "Certification-only evidence" in html
    assert f">{production_card.real_world_score:.0f}<" in html


def test_html_shows_evidence_paths_with_lines(production_card: Scorecard) -> None:
    html = render(production_card, "html")
    assert "tests/<wbr>test_api.py:5" in html  # a path may wrap at its slash, not mid-name
    assert "Claims without evidence" in html and "Next steps" in html


def test_markdown_neutralises_html_mentions_and_links(hostile_card: Scorecard) -> None:
    markdown = render(hostile_card, "markdown")
    assert "<script>" not in markdown and "<img" not in markdown
    assert "@octocat" not in markdown
    assert "](javascript" not in markdown
    assert "\x1b" not in markdown


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("see @alice", "see @\u200balice"),
        ("fixes #12", "fixes \\#\u200b12"),
        ("a|b", "a\\|b"),
        ("[x](http://e)", "\\[x\\]\\(http\u200b://e\\)"),  # no autolink either
        ("see www.evil.example", "see www\u200b.evil.example"),
        ("under_score *bold*", "under\\_score \\*bold\\*"),
        ("two\nlines", "two lines"),
        ("&lt;", "&amp;lt;"),
    ],
)
def test_markdown_escape(raw: str, expected: str) -> None:
    assert markdown_escape(raw) == expected


def test_text_report_strips_terminal_escapes(hostile_card: Scorecard) -> None:
    text = render(hostile_card, "text", color=False)
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert safe("ok\x1b[2Jgone\x9b") == "ok[2Jgone"


def test_text_report_colours_only_when_asked(production_card: Scorecard) -> None:
    assert "\x1b[" not in render(production_card, "text", color=False)
    assert "\x1b[" in render(production_card, "text", color=True)


def test_text_report_summarises_scores_and_steps(honest_card: Scorecard) -> None:
    text = render(honest_card, "text")
    assert re.search(r"Real-world evidence\s+\d+/100", text)
    assert re.search(r"Certification-only\s+\d+/100", text)
    assert "Next steps" in text and "1. +" in text


def test_every_format_renders_every_fixture(
    production_card: Scorecard, coursework_card: Scorecard, tmp_path: Path
) -> None:
    for card in (production_card, coursework_card):
        for output_format in FORMATS:
            assert render(card, output_format).strip()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("run `pytest -q` in CI", "run <code>pytest -q</code> in CI"),
        (
            "`<script>x</script>`",
            "<code>&lt;script&gt;x&lt;/<wbr>script&gt;</code>",
        ),  # may wrap at /
        ("a <b>`c`</b>", "a &lt;b&gt;<code>c</code>&lt;/b&gt;"),
    ],
)
def test_inline_code_escapes_before_adding_markup(raw: str, expected: str) -> None:
    assert str(inline_code(raw)) == expected
