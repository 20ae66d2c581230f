"""The text-safety policies, each against each character class (`text_safety`)."""

from __future__ import annotations

import pytest

from portfolio_check.common import text_safety

#: One sample of each character class, named as the module names them.
C0 = "\x00\x07\x08\x0b\x0c\r\x1b\x1f"
TAB_AND_LINE_FEED = "\t\n"
C1 = "\x7f\x85\x9b\x9f"
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SEPARATORS = "\u2028\u2029"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
SURROGATES = "\ud800\udcff\udfff"
CLASSES = {
    "C0": C0,
    "tab and line feed": TAB_AND_LINE_FEED,
    "C1": C1,
    "bidi": BIDI,
    "separators": SEPARATORS,
    "invisible": INVISIBLE,
    "surrogates": SURROGATES,
}
#: Which classes each policy lets through unchanged (every other class is removed or replaced).
KEPT = {
    "terminal": {"invisible", "surrogates"},
    "terminal_line": set(),
    "one_line": set(),
    "markdown": {"invisible", "surrogates"},  # tab kept; line feed becomes a space
    "markdown_body": {"tab and line feed", "invisible", "surrogates"},
    "sarif_message": set(),
}
POLICIES = {
    "terminal": text_safety.terminal,
    "terminal_line": text_safety.terminal_line,
    "one_line": text_safety.one_line,
    "markdown": text_safety.markdown,
    "markdown_body": text_safety.markdown_body,
    "sarif_message": lambda text: text_safety.sarif_message(text, limit=1000),
}


@pytest.mark.parametrize("policy", sorted(POLICIES))
@pytest.mark.parametrize("name", sorted(CLASSES))
def test_each_policy_removes_the_classes_it_names(policy: str, name: str) -> None:
    characters = CLASSES[name]
    result = POLICIES[policy](f"a{characters}b")
    left = [char for char in characters if char in result]
    if name in KEPT[policy]:
        assert left == list(characters)
    elif policy == "markdown" and name == "tab and line feed":
        assert left == ["\t"]  # a tab is harmless in a Markdown line; a line feed is not
    else:
        assert left == []
    assert result.startswith("a") and result.rstrip().endswith("b")


def test_terminal_removes_what_a_terminal_obeys() -> None:
    assert text_safety.terminal("ok\x1b[2Jgone\x9b") == "ok[2Jgone"
    osc8 = "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07"
    assert text_safety.terminal(osc8) == "]8;;https://evil.examplelink]8;;"
    assert text_safety.terminal("ok\roverwritten\u202eexe.txt") == "okoverwrittenexe.txt"
    assert text_safety.terminal(42) == "42"


def test_terminal_line_keeps_the_layout_and_marks_what_it_replaced() -> None:
    line = "  name        \u202eerror\x1b[31m\nred\u2028"
    assert text_safety.terminal_line(line) == "  name        ?error?[31m?red?"


def test_one_line_collapses_whitespace_marks_the_rest_and_cuts() -> None:
    text = "bad\n  file \x1b[31mred\u202e.py\tthere\u200e\u200f"
    assert text_safety.one_line(text) == "bad file ?[31mred?.py there??"
    assert text_safety.one_line("a\u2028b\u2029c") == "a b c"  # separators are whitespace
    assert text_safety.one_line("y" * 50, limit=10) == "y" * 9 + "\u2026"
    assert text_safety.one_line("y" * 10, limit=10) == "y" * 10
    assert text_safety.one_line("") == ""


def test_markdown_keeps_text_literal() -> None:
    escaped = text_safety.markdown("[x](javascript:1) <b> @octocat #12 https://e.example")
    assert escaped == (
        "\\[x\\]\\(javascript:1\\) &lt;b&gt; @\u200boctocat \\#\u200b12 https\u200b://e.example"
    )
    assert text_safety.markdown("a\nb\rc") == "a bc"


def test_markdown_body_keeps_lines_and_drops_controls() -> None:
    body = "# Title\r\n\x1b[31mred\u202e\n\tindented\u2028"
    assert text_safety.markdown_body(body) == "# Title\n[31mred\n\tindented"


def test_github_links_mentions_and_references_are_defused() -> None:
    defused = text_safety.defuse_github_links("see www.x.org, FTP://h, @ada and #7 (a@b.c)")
    assert defused == "see www\u200b.x.org, FTP\u200b://h, @\u200bada and #\u200b7 (a@\u200bb.c)"
    assert text_safety.defuse_github_links("wwwx.org issue#a") == "wwwx.org issue#a"


def test_sarif_message_is_one_line_without_links() -> None:
    message = text_safety.sarif_message("a\n\n[x](https://e)\u202e\u200bz  ", limit=100)
    assert message == "a \\[x\\](https://e) z"
    assert text_safety.sarif_message("word " * 10, limit=12) == "word word w\u2026"


def test_html_escapes_text_and_attribute_quotes() -> None:
    assert str(text_safety.html("<a href=\"x\" onclick='y'>&")) == (
        "&lt;a href=&#34;x&#34; onclick=&#39;y&#39;&gt;&amp;"
    )


def test_printable_marks_every_character_str_refuses() -> None:
    assert text_safety.printable("key\u00a0\u202e\x1bname é") == "key???name é"


def test_encodable_replaces_lone_surrogates() -> None:
    assert text_safety.encodable("a\udcffb\U0001f600") == "a\ufffdb\U0001f600"
    text_safety.encodable("x\ud800").encode("utf-8")  # does not raise


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ok", False),
        ("a\tb", True),
        ("a\nb", True),
        ("\x1b", True),
        ("\x9b", True),
        ("\u202e", False),
    ],
)
def test_has_control(text: str, found: bool) -> None:
    assert text_safety.has_control(text) is found
