"""Markdown structure, read with markdown-it-py: CommonMark plus GitHub's tables.

This module owns the parser, its bounds and the outline it gives: the headings of a document,
its blocks (paragraphs and list items, tables with their rows and cells, fenced and indented
code, HTML) with their lines, and the section each heading opens. What the prose says is
read elsewhere (`writeup`); this module only says where things are.

Bounds, because the document comes from a stranger:

- Only the block parser runs. Inline syntax (emphasis, links, code spans) is left as
  source text and dropped by linear regular expressions (`plain`): markdown-it's inline
  rules cost tens of microseconds per bracket on crafted input, and nothing here needs
  the inline tree.
- The parser sees at most `MAX_PARSED_CHARS` characters of a document and lines that
  cost at most `MAX_PARSED_COST` (a line costs one, plus one per table cell in it), cut at
  a line end. Its block parser is linear in tokens but slow, tens of microseconds a token,
  and crafted input (a list item or table row per line, a table of thousands of columns)
  makes a token of every few characters. READMEs are far smaller; the rest of a larger
  file is read as plain lines, without structure.
- Containers nest at most `MAX_NESTING` deep; markdown-it stops descending there.

Line numbers are 1-based and count `\\n`, `\\r\\n` and `\\r` line ends, as markdown-it does.
Front matter (a leading `---` block closed by `---` or `...`) is blanked, lines kept.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MAX_PARSED_CHARS = 128 * 1024
#: Lines plus table cells the parser gets (about the number of blocks it makes).
MAX_PARSED_COST = 8_000
MAX_NESTING = 20
#: The longest link text and target `plain` and `clean` look inside: bounded, so a line of
#: ten thousand `[` stays linear.
_LINK = re.compile(
    r"!?\[([^\[\]\n]{0,200})\]\([^()\n]{0,500}\)|!?\[([^\[\]\n]{0,200})\]\[[^\[\]\n]{0,200}\]"
)
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,200}\]\([^()\n]{0,500}\)")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>|<!--[^\n]{0,500}?-->")
_URL = re.compile(r"\bhttps?://\S+")
_MARKUP = re.compile(r"[*`]+|(?<!\w)_+|_+(?!\w)")  # `load_data` keeps its _
_NEWLINES = re.compile(r"\r\n?")
WORD = re.compile(r"[^\W\d_][\w'-]*")

BlockKind = Literal["heading", "paragraph", "table", "code", "html"]


@functools.cache
def _parser() -> MarkdownIt:
    """The block rules only: `parse` normalises line ends and NULs itself, and nothing here
    reads the inline tree (see the module docstring). Made on the first Markdown file read:
    a rescan that reads none does not import markdown-it."""
    from markdown_it import MarkdownIt  # noqa: PLC0415

    return (
        MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
        .enable("table")
        .disable(["normalize", "inline", "text_join"])
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class Heading:
    line: int  # 1-based line of the heading text
    last_line: int  # 1-based line where the heading syntax ends (the underline, for setext)
    level: int
    text: str  # what a reader sees: emphasis, code ticks and link targets dropped


@dataclass(frozen=True, kw_only=True, slots=True)
class Block:
    """One leaf block. `text` is the inline source of a heading, paragraph or list item
    (plain text after `plain`); a table has `rows` of cells instead, its header row first."""

    kind: BlockKind
    line: int
    last_line: int
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    in_list: bool = False
    level: int = 0  # a heading's level


@dataclass(frozen=True, kw_only=True)
class Section:
    """A heading and what it heads: every block up to the next heading of the same or a
    higher level, sub-sections included (their headings are blocks of kind "heading")."""

    heading: Heading
    last_line: int
    blocks: tuple[Block, ...]
    first: int  # the index of its first block in the document's blocks
    lines: Sequence[str] = field(repr=False)

    @property
    def body(self) -> str:
        """The section's source lines after its heading, code and HTML blanked."""
        hidden = {
            number
            for block in self.blocks
            if block.kind in ("code", "html")
            for number in range(block.line, block.last_line + 1)
        }
        return "\n".join(
            "" if number in hidden else self.lines[number - 1]
            for number in range(self.heading.last_line + 1, self.last_line + 1)
        )

    @property
    def code_blocks(self) -> int:
        return sum(1 for block in self.blocks if block.kind == "code")


@dataclass(frozen=True, kw_only=True)
class Document:
    """The parsed part of a Markdown document."""

    lines: Sequence[str]  # normalised lines, front matter blanked
    blocks: tuple[Block, ...]
    headings: tuple[Heading, ...]  # the outline: headings of the document itself
    unparsed: Sequence[str] = ()  # the lines past MAX_PARSED_CHARS, read as plain lines

    def sections(self) -> Iterator[Section]:
        """Each heading with its section, found with a stack in one pass, so a file of many
        thousand headings stays linear."""
        ends = [len(self.lines)] * len(self.headings)
        still_open: list[int] = []
        for position, heading in enumerate(self.headings):
            while still_open and self.headings[still_open[-1]].level >= heading.level:
                ends[still_open.pop()] = heading.line - 1
            still_open.append(position)
        starts = [block.line for block in self.blocks]
        for heading, end in zip(self.headings, ends, strict=True):
            first = bisect.bisect_right(starts, heading.last_line)
            last = bisect.bisect_right(starts, end)
            yield Section(
                heading=heading,
                last_line=end,
                blocks=self.blocks[first:last],
                first=first,
                lines=self.lines,
            )

    def prose_lines(self) -> list[str]:
        """The document's lines with code and front matter blanked, numbering kept (lines
        past the parser's bound as they are)."""
        lines = list(self.lines)
        for block in self.blocks:
            if block.kind == "code":
                for number in range(block.line, block.last_line + 1):
                    lines[number - 1] = ""
        return lines + list(self.unparsed)


@functools.lru_cache(maxsize=4)
def parse(text: str) -> Document:
    """The outline and blocks of a Markdown document (see the module docstring for bounds).
    Kept for the few documents parsed last: the docs and the claims readers each ask for the
    same README, and the parse is the costly part."""
    normalised = _NEWLINES.sub("\n", text).replace("\x00", "\ufffd")
    # the parser gets whole lines up to the bounds; the line end at the cut ends the last
    cut = len(normalised)
    if cut > MAX_PARSED_CHARS:
        cut = normalised.rfind("\n", 0, MAX_PARSED_CHARS) + 1
    lines = _lines(normalised[:cut])
    kept = _within_cost(lines)
    unparsed = lines[kept:] + _lines(normalised[cut:])
    del lines[kept:]
    front = _front_matter_lines(lines)
    if front:
        lines[:front] = [""] * front
    blocks = tuple(_blocks(_parser().parse("\n".join(lines))))
    headings = tuple(
        Heading(
            line=block.line, last_line=block.last_line, level=block.level, text=clean(block.text)
        )
        for block in blocks
        if block.kind == "heading"
    )
    return Document(lines=lines, blocks=blocks, headings=headings, unparsed=unparsed)


def _within_cost(lines: Sequence[str]) -> int:
    """How many leading lines the parser gets: each line costs one, and one more for each
    `|` in it (a table cell becomes three tokens)."""
    cost = 0
    for count, line in enumerate(lines):
        cost += 1 + line.count("|")
        if cost > MAX_PARSED_COST:
            return count
    return len(lines)


def _lines(text: str) -> list[str]:
    """Lines as `str.splitlines` gives them for `\n` ends: none after the last line end."""
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()
    return lines


def _front_matter_lines(lines: Sequence[str]) -> int:
    """How many leading lines are front matter: a `---` line closed by `---` or `...`."""
    if not lines or lines[0].strip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return index + 1
    return 0  # never closed: a thematic break, not front matter


def _blocks(tokens: Sequence[Token]) -> Iterator[Block]:
    """Leaf blocks in document order. A heading nested in a list or a quote is a paragraph
    of its container: the outline has the document's own headings only."""
    walk = _Walk()
    for token in tokens:
        block = walk.step(token)
        if block is not None:
            yield block


@dataclass(kw_only=True)
class _Walk:
    """Where the token stream is: inside how many lists, a heading, a table."""

    lists: int = 0
    heading: Token | None = None
    table: Token | None = None
    rows: list[list[str]] = field(default_factory=list)

    def step(self, token: Token) -> Block | None:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.lists += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists -= 1
        elif kind in ("heading_open", "heading_close"):
            self.heading = token if kind == "heading_open" else None
        elif kind == "table_open":
            self.table, self.rows = token, []
        elif kind == "tr_open":
            self.rows.append([])
        elif kind == "table_close":
            return self._table()
        elif kind == "inline":
            return self._inline(token)
        elif kind in ("fence", "code_block", "html_block"):
            start = _first_line(token)
            return Block(
                kind="html" if kind == "html_block" else "code",
                line=start,
                last_line=_last_line(token, start),
                text="" if kind == "html_block" else token.content,
            )
        return None

    def _table(self) -> Block | None:
        table, self.table = self.table, None
        if table is None:
            return None
        start = _first_line(table)
        return Block(
            kind="table",
            line=start,
            last_line=_last_line(table, start),
            rows=tuple(tuple(row) for row in self.rows),
        )

    def _inline(self, token: Token) -> Block | None:
        if self.table is not None:  # a cell: its text joins the row, the table is the block
            if self.rows:
                self.rows[-1].append(token.content)
            return None
        if self.heading is not None and self.heading.level == 0:
            return _heading_block(self.heading, token)
        start = _first_line(token)
        return Block(
            kind="paragraph",
            line=start,
            last_line=_last_line(token, start),
            text=token.content,
            in_list=self.lists > 0,
        )


def _heading_block(heading: Token, inline: Token) -> Block:
    start = _first_line(heading)
    level = int(heading.tag[1:]) if heading.tag[1:].isdigit() else 1
    return Block(
        kind="heading",
        line=start,
        last_line=_last_line(heading, start),
        text=" ".join(inline.content.split("\n")),
        level=level,
    )


def _first_line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1


def _last_line(token: Token, default: int) -> int:
    return max(token.map[1], token.map[0] + 1) if token.map else default


def clean(inline: str) -> str:
    """Inline Markdown as a reader sees it: link targets, emphasis and code ticks dropped."""
    return _MARKUP.sub("", _LINK.sub(_link_text, inline)).strip()


def plain(inline: str) -> str:
    """Inline Markdown as words on one line: `clean`, with images, HTML tags and bare URLs
    dropped too (an image's alt text is a label, not prose)."""
    return " ".join(clean(_URL.sub(" ", _HTML_TAG.sub(" ", _IMAGE.sub(" ", inline)))).split())


def _link_text(match: re.Match[str]) -> str:
    return match.group(1) if match.group(1) is not None else match.group(2) or ""


def block_text(block: Block) -> str:
    """The words of a heading, paragraph or table as a reader sees them; code and HTML
    have none."""
    if block.kind == "table":
        return " ".join(plain(cell) for row in block.rows for cell in row)
    if block.kind in ("heading", "paragraph"):
        return plain(block.text)
    return ""


def count_words(blocks: Iterable[Block]) -> int:
    return sum(words(block) for block in blocks)


def words(block: Block) -> int:
    return len(WORD.findall(block_text(block)))
