"""Injection into reports: file names, README text, notebook text, a Dockerfile, a workflow
and commit messages carrying `<script>`, `onerror=`, `</details>`, `</table>`, Markdown links
and images, @mentions, bare URLs and terminal escapes (ANSI, OSC 8 links, BEL, carriage
returns, bidirectional overrides).

Every test first checks that the payload did reach the report (escaped), so that its
absence in raw form means something.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from portfolio_check.app.scan import scan
from portfolio_check.common.resources import templates_dir
from portfolio_check.model.scorecard import Scorecard
from tests.hostile import corpus

#: Tags the HTML templates write themselves; the repository must add none.
TEMPLATE_TAGS = frozenset(
    tag.lower()
    for template in templates_dir().glob("*.html.j2")
    for tag in re.findall(r"<([A-Za-z][A-Za-z0-9]*)", template.read_text(encoding="utf-8"))
) | {"code", "wbr"}  # `inline_code` adds <code> around `backticked` rubric text, and
# `breakable` a <wbr> after each `/` of a path it has escaped
#: Raw HTML the Markdown templates write themselves, with how often.
MARKDOWN_TAGS = {
    "<details>": 1,
    "<summary>": 1,
    "</summary>": 1,
    "</details>": 1,
    "<sub>": 1,
    "</sub>": 1,
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus.injection_repo(tmp_path_factory.mktemp("injection") / "repo")


@pytest.fixture(scope="module")
def card(hostile: Path) -> Scorecard:
    return scan(hostile)


@pytest.fixture(scope="module")
def reports(card: Scorecard) -> dict[str, str]:
    return corpus.all_formats(card)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def assert_only_template_svgs(page: _Elements, card: Scorecard) -> None:
    """The scorecard draws its charts as inline SVG, and nothing else may: exactly the
    template's charts are there (the quadrant, two bar charts, the five ladders of the
    legend and one ladder per real-world category and criterion), each with its class."""
    real_world = card.side("real_world")
    expected = 1 + 2 + 5 + sum(1 + len(category.criteria) for category in real_world)
    svgs = [attrs for tag, attrs in page.elements if tag == "svg"]
    assert len(svgs) == expected
    classes = sorted(
        {(attrs.get("class") or "").split()[0] for attrs in svgs if attrs.get("class")}
    )
    assert classes == ["bars", "ladder"]
    assert sum(1 for attrs in svgs if not attrs.get("class")) == 1  # the quadrant


def test_the_payload_reaches_every_report_escaped(reports: dict[str, str]) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reports["html"]
    assert "alert(1)" in reports["text"] and "octocat" in reports["text"]
    assert "alert\\(1\\)" in reports["markdown"] and "octocat" in reports["markdown"]
    document = json.loads(reports["json"])
    assert corpus.MARKUP in json.dumps(document, ensure_ascii=False)
    assert "alert(1)" in reports["sarif"]


def test_html_has_no_element_or_handler_from_the_repository(
    reports: dict[str, str], card: Scorecard
) -> None:
    page = parse_html(reports["html"])
    tags = {tag for tag, _ in page.elements}
    assert tags <= TEMPLATE_TAGS, tags - TEMPLATE_TAGS
    assert not tags & {"script", "img", "iframe", "object", "embed", "form", "input"}
    assert_only_template_svgs(page, card)
    handlers = [name for _, attrs in page.elements for name in attrs if name.startswith("on")]
    assert handlers == []
    links = [attrs.get("href") or "" for tag, attrs in page.elements if tag == "a"]
    assert all(link.startswith("#") for link in links), links
    # the repository's text is there, as text
    assert any(corpus.MARKUP in chunk for chunk in page.text)
    assert any(corpus.HANDLER in chunk for chunk in page.text)


def test_html_carries_a_strict_content_security_policy(reports: dict[str, str]) -> None:
    page = parse_html(reports["html"])
    policies = [
        attrs.get("content") or ""
        for tag, attrs in page.elements
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert len(policies) == 1
    assert "default-src 'none'" in policies[0]
    assert "script-src" not in policies[0] or "'none'" in policies[0]
    first_meta = next(attrs for tag, attrs in page.elements if tag == "meta")
    assert first_meta.get("charset") or first_meta.get("http-equiv")


def test_text_report_has_no_terminal_control(reports: dict[str, str]) -> None:
    text = reports["text"]
    found = sorted({f"U+{ord(char):04X}" for char in text if char in corpus.TERMINAL_UNSAFE})
    assert found == []
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)


def test_markdown_has_no_raw_html_link_or_mention(reports: dict[str, str]) -> None:
    markdown = reports["markdown"]
    tags: dict[str, int] = {}
    for tag in re.findall(r"</?[A-Za-z][^>\s]*[^>]*>", markdown):
        tags[tag] = tags.get(tag, 0) + 1
    assert tags == MARKDOWN_TAGS
    assert "](" not in markdown  # no inline link or image
    assert not re.search(r"<(?:https?|mailto):", markdown)  # no autolink
    assert not re.search(r"(?i)(?<![a-z0-9])(?:https?|ftp)://|(?<![a-z0-9])www\.", markdown)
    assert not re.search(r"@\w", markdown)  # no mention
    assert not re.search(r"(?<![\w&])#\d", markdown)  # no issue reference
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", markdown)


def test_json_and_sarif_keep_the_text_inert(reports: dict[str, str]) -> None:
    document = json.loads(reports["json"])
    assert document["schema_version"] == "1"
    sarif = json.loads(reports["sarif"])
    messages = [result["message"]["text"] for result in sarif["runs"][0]["results"]]
    assert messages
    for message in messages:
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", message)
        assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", message)  # no embedded link


def test_the_command_writes_the_same_inert_reports(hostile: Path, outside: Path) -> None:
    summary = corpus.run_cli([hostile, "-o", outside / "card.html"], cwd=outside)
    assert summary.returncode == 0, summary.stderr
    assert not any(char in corpus.TERMINAL_UNSAFE for char in summary.stdout + summary.stderr)
    assert "alert(1)" in summary.stdout
    page = parse_html((outside / "card.html").read_text(encoding="utf-8"))
    assert not [tag for tag, _ in page.elements if tag in ("script", "img", "iframe")]
    assert_only_template_svgs(page, scan(hostile))
    comment = corpus.run_cli(
        ["github", hostile, "--no-comment", "--report-dir", outside, "--markdown", "-"],
        cwd=outside,
    )
    assert comment.returncode == 0, comment.stderr
    markdown = comment.stdout
    assert "octocat" in markdown or "alert" in markdown
    assert "<script" not in markdown and "<img" not in markdown
    assert not re.search(r"@\w", markdown) and "](" not in markdown


def test_the_batch_comparison_and_candidate_pages_stay_inert(hostile: Path, outside: Path) -> None:
    """Reviewer mode renders the candidate twice more: a row of comparison.html (with the
    profile, top next step and commit) and candidates/LABEL.html."""
    out = outside / "review"
    result = corpus.run_cli([hostile, "-o", out, "--jobs", "1", "--strict"], cwd=outside)
    assert result.returncode == 0, result.stderr
    assert not any(char in corpus.TERMINAL_UNSAFE for char in result.stdout + result.stderr)
    pages = [out / "comparison.html", *sorted((out / "candidates").glob("*.html"))]
    assert len(pages) == 2
    for page_path in pages:
        page = parse_html(page_path.read_text(encoding="utf-8"))
        tags = {tag for tag, _ in page.elements}
        assert tags <= TEMPLATE_TAGS, (page_path.name, tags - TEMPLATE_TAGS)
        assert not [name for _, attrs in page.elements for name in attrs if name.startswith("on")]
        assert "script" not in tags
    candidate = parse_html(pages[1].read_text(encoding="utf-8"))
    assert any(corpus.MARKUP in chunk for chunk in candidate.text)  # it did arrive, as text


#: What the batch's own copy of the cleaning rule let through to the comparison page and the
#: terminal: the left-to-right and right-to-left marks, the Arabic letter mark, and the line
#: and paragraph separators.
BATCH_MISSED = "\u200e\u200f\u061c\u2028\u2029"


def test_a_candidate_that_fails_shows_no_bidi_mark_or_separator(
    hostile: Path, outside: Path
) -> None:
    """A candidate whose spec carries the characters the batch copy missed: its table cells
    on the comparison page (spec and error), its row's error and the terminal stay free of
    them, and so does the one-line error of a single scan of it."""
    missing = f"./gone{BATCH_MISSED}x"
    out = outside / "review"
    result = corpus.run_cli([hostile, missing, "-o", out, "--jobs", "1"], cwd=outside)
    assert result.returncode == 0, result.stderr
    assert "1 error" in result.stderr
    html = (out / "comparison.html").read_text(encoding="utf-8")
    assert "gone" in html and "no such file or directory" in html  # the row is shown
    results = (out / "results.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in results.split("\n") if line]  # JSON keeps U+2028
    errors = [row["error"] for row in rows if row["status"] == "error"]
    assert len(errors) == 1 and "gone" in errors[0]
    for shown in (html, errors[0], result.stdout + result.stderr):
        assert not [f"U+{ord(char):04X}" for char in shown if char in BATCH_MISSED]
        assert not any(char in corpus.TERMINAL_UNSAFE for char in shown)
    single = corpus.run_cli([missing], cwd=outside)
    assert single.returncode == 2 and "gone" in single.stderr
    assert not any(char in BATCH_MISSED or char in corpus.TERMINAL_UNSAFE for char in single.stderr)
