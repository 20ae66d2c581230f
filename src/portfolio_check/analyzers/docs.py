"""Markdown documents: headings with the prose under them, certificate links, tutorial-template
text and sentences saying the work belongs to a course.

A heading is only as good as what it heads: each heading fact carries the number of words
in its section (up to the next heading of the same or a higher level), whether the section
holds a table and whether it quotes numbers, so a rubric can tell "## Error analysis" with
a confusion table from an empty heading.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from portfolio_check.analyzers import coursework
from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.facts import Fact, HeadingFact
from portfolio_check.snapshot import MAX_TEXT_BYTES, FileEntry, Location

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown"})
ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
TABLE_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*%|(?<![\w.])\d*\.\d+(?![\w.])")
WORD = re.compile(r"[^\W\d_][\w'-]*")
MAX_BODY_CHARS = 4000


@dataclass(frozen=True, kw_only=True)
class Heading:
    line: int  # 1-based line of the heading text
    last_line: int  # 1-based line where the heading syntax ends (the underline, for setext)
    level: int
    text: str


def prose_lines(text: str) -> list[str]:
    """The document's lines with fenced code and front matter blanked, numbering kept."""
    return _split_prose(text)[0]


def _split_prose(text: str) -> tuple[list[str], list[int]]:
    """Prose lines (code and front matter blanked) and the 1-based lines that open a fence."""
    lines = text.splitlines()
    result: list[str] = []
    openings: list[int] = []
    fence: str | None = None
    in_front_matter = bool(lines) and lines[0].strip() == "---"
    for index, line in enumerate(lines):
        if in_front_matter:
            result.append("")
            if index > 0 and line.strip() in ("---", "..."):
                in_front_matter = False
            continue
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            openings.append(index + 1)
            result.append("")
        elif fence is not None:
            # only a bare run of the same character, at least as long, closes the block
            if re.match(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", line):
                fence = None
            result.append("")
        else:
            result.append(line)
    return result, openings


def find_headings(lines: list[str]) -> list[Heading]:
    headings: list[Heading] = []
    for index, line in enumerate(lines):
        number = index + 1
        atx = ATX_HEADING.match(line)
        if atx:
            level, text = len(atx.group(1)), clean(atx.group(2))
            headings.append(Heading(line=number, last_line=number, level=level, text=text))
            continue
        previous = lines[index - 1] if index else ""
        underline = SETEXT_UNDERLINE.match(line)
        if underline and previous.strip() and not ATX_HEADING.match(previous):
            level = 1 if underline.group(1)[0] == "=" else 2
            headings.append(
                Heading(line=index, last_line=number, level=level, text=clean(previous))
            )
    return headings


def clean(heading: str) -> str:
    """Drop emphasis, links' targets and code ticks; keep the words a reader sees."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    return re.sub(r"[*`]+|(?<!\w)_+|_+(?!\w)", "", text).strip()  # `load_data` keeps its _


class Section(NamedTuple):
    heading: Heading
    body: str  # prose only; fenced code is blanked
    code_blocks: int  # fenced code blocks inside the section


def sections(text: str) -> Iterator[Section]:
    """Each heading with the prose of its section, sub-sections included."""
    lines, openings = _split_prose(text)
    headings = find_headings(lines)
    # a section ends where the next heading of the same or a higher level starts: found
    # with a stack in one pass, so a file of many thousand headings stays linear
    ends = [len(lines)] * len(headings)
    still_open: list[int] = []
    for position, heading in enumerate(headings):
        while still_open and headings[still_open[-1]].level >= heading.level:
            ends[still_open.pop()] = heading.line - 1
        still_open.append(position)
    for heading, end in zip(headings, ends, strict=True):
        code = bisect.bisect_right(openings, end) - bisect.bisect_right(openings, heading.last_line)
        yield Section(heading, "\n".join(lines[heading.last_line : end]), code)


class DocsAnalyzer:
    name = "docs"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return entry.suffix in MARKDOWN_SUFFIXES

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        for heading, body, code_blocks in sections(text):
            words = len(WORD.findall(body))
            yield HeadingFact(
                location=Location(path=entry.path, line=heading.line),
                text=heading.text[:200],
                level=heading.level,
                words=words,
                body=body.strip()[:MAX_BODY_CHARS],
                has_table=any(TABLE_ROW.match(line) for line in body.splitlines()),
                has_numbers=bool(NUMBER.search(body)),
                code_blocks=code_blocks,
                placeholder="an empty section" if words == 0 and not code_blocks else None,
            )
        yield from coursework.certificate_links(text, entry.path)
        # template text (a README tree, a workflow list) may sit in code blocks; a statement
        # that the work belongs to a course is prose
        location = Location(path=entry.path)
        yield from coursework.template_markers_in_text(text, location)
        yield from coursework.course_mentions("\n".join(prose_lines(text)), location)
