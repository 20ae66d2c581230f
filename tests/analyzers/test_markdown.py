"""Markdown structure through markdown-it-py: the outline, blocks with their lines, tables
with rows and cells, lists, code and HTML, and the parser's bounds."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from portfolio_check.analyzers import markdown
from portfolio_check.analyzers.markdown import Block, count_words, parse, plain
from tests.lazy_imports import imported_by_scan
from tests.repos import RepoBuilder

DOCUMENT = textwrap.dedent(
    """\
    # Churnwatch

    Predicts which customers cancel. See [the notebook](notebooks/eval.ipynb).

    ## Results

    | model | ROC AUC |
    |:------|--------:|
    | majority class | 0.50 |
    | gbm | **0.87** |

    - trained on 2024 data
    - evaluated on a held-out month

    > ## A quoted heading is not part of the outline

    ```bash
    # a comment, not a heading
    python -m churnwatch.evaluate
    ```

        indented code

    <!-- a comment for the authors -->
    """
)


def kinds(text: str) -> list[tuple[str, int, int]]:
    return [(block.kind, block.line, block.last_line) for block in parse(text).blocks]


def test_blocks_come_in_order_with_their_lines() -> None:
    assert kinds(DOCUMENT) == [
        ("heading", 1, 1),
        ("paragraph", 3, 3),
        ("heading", 5, 5),
        ("table", 7, 10),
        ("paragraph", 12, 12),
        ("paragraph", 13, 13),
        ("paragraph", 15, 15),  # the quoted heading is its container's text
        ("code", 17, 20),
        ("code", 22, 22),
        ("html", 24, 24),
    ]


def test_tables_have_their_rows_and_cells_header_first() -> None:
    table = next(block for block in parse(DOCUMENT).blocks if block.kind == "table")
    assert table.rows == (("model", "ROC AUC"), ("majority class", "0.50"), ("gbm", "**0.87**"))


def test_list_items_are_paragraphs_in_a_list() -> None:
    blocks = parse(DOCUMENT).blocks
    items = [block.text for block in blocks if block.in_list]
    assert items == ["trained on 2024 data", "evaluated on a held-out month"]


def test_the_outline_has_the_documents_own_headings() -> None:
    outline = [(h.line, h.level, h.text) for h in parse(DOCUMENT).headings]
    assert outline == [(1, 1, "Churnwatch"), (5, 2, "Results")]


def test_a_section_holds_its_blocks_and_sub_sections() -> None:
    results = list(parse(DOCUMENT).sections())[1]
    assert results.heading.text == "Results"
    assert results.code_blocks == 2
    assert "python -m churnwatch" not in results.body  # code is blanked in the body
    assert "a comment for the authors" not in results.body
    assert "| gbm | **0.87** |" in results.body


def test_words_are_what_a_reader_sees() -> None:
    blocks = parse(
        "See [the evaluation notebook](https://example.com/a/b/c) and "
        "![a plot](plot.png) <img src='x.png'> at https://example.com/x.\n"
    ).blocks
    assert count_words(blocks) == 6  # See the evaluation notebook and at


@pytest.mark.parametrize(
    ("inline", "text"),
    [
        ("**Error analysis**", "Error analysis"),
        ("[Model card](docs/model_card.md)", "Model card"),
        ("The `load_data` function", "The load_data function"),
        ("![badge](https://img.shields.io/x.svg) Results", "Results"),
        ("<b>bold</b> text", "bold text"),
    ],
)
def test_plain_drops_markup(inline: str, text: str) -> None:
    assert plain(inline) == text


def test_windows_and_old_mac_line_ends_count_as_one() -> None:
    text = "# A\r\n\r\nText.\r\n## B\rMore.\r"
    assert [(h.line, h.text) for h in parse(text).headings] == [(1, "A"), (4, "B")]


def test_front_matter_is_blanked_only_when_closed() -> None:
    closed = parse("---\ntitle: x\n# not a heading\n---\n# Title\n")
    assert [(h.line, h.text) for h in closed.headings] == [(5, "Title")]
    unclosed = parse("---\n# Title\n")
    assert [h.text for h in unclosed.headings] == ["Title"]


def test_the_parser_sees_a_bounded_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "MAX_PARSED_CHARS", 25)
    text = "# First\n\nSome words here.\n\n# Second\n\nMore words.\n"
    document = parse(text)
    assert [h.text for h in document.headings] == ["First"]
    # the rest is still there as plain lines, numbered on from the parsed part
    lines = document.prose_lines()
    assert lines == ["# First", "", "Some words here.", "", "# Second", "", "More words."]


def test_a_single_line_longer_than_the_bound_is_not_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(markdown, "MAX_PARSED_CHARS", 10)
    document = parse("# " + "word " * 20)
    assert document.headings == ()
    assert len(document.prose_lines()) == 1


def test_table_cells_count_against_the_parsers_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "MAX_PARSED_COST", 30)
    wide = "|" + "a|" * 12 + "\n"  # 13 cost: the line and its 12 cells
    text = "# Results\n\n" + wide + "|" + "-|" * 12 + "\n" + wide + "\n# Later\n"
    document = parse(text)
    assert [h.text for h in document.headings] == ["Results"]
    assert document.prose_lines()[-1] == "# Later"


def test_deep_nesting_stops_at_the_limit_without_error() -> None:
    text = "> " * 5_000 + "# deep\n\n# Shallow\n"
    assert [h.text for h in parse(text).headings] == ["Shallow"]
    items = "".join("  " * depth + "- item\n" for depth in range(2_000))
    blocks = parse(items).blocks
    assert 0 < len(blocks) <= markdown.MAX_NESTING


def test_blocks_are_frozen_values() -> None:
    block = Block(kind="paragraph", line=1, last_line=1, text="x")
    with pytest.raises(AttributeError):
        block.text = "y"  # type: ignore[misc]


@pytest.mark.parametrize("with_readme", [False, True])
def test_markdown_it_is_imported_only_when_a_markdown_file_is_read(
    tmp_path: Path, with_readme: bool
) -> None:
    """A rescan whose changed files hold no Markdown does not pay for importing markdown-it."""
    files = {"src/app.py": "print('hello')\n"}
    if with_readme:
        files["README.md"] = "# App\n\nIt says hello.\n"
    RepoBuilder(tmp_path).files(files).commit("Start")
    assert imported_by_scan(tmp_path, "markdown_it") is with_readme
