"""Markdown documents: headings with what their sections say, certificate links,
tutorial-template text and sentences saying the work belongs to a course.

A heading is only as good as what it heads. Each heading fact carries its section (up to
the next heading of the same or a higher level, read by `markdown`): the words of prose,
whether it holds a table, quotes numbers or code, and what the prose says as a written
analysis (`writeup`): the metrics it reports with numbers, comparisons, slices, failure
cases, limitations. So a rubric can tell "## Error analysis" with a slice table from an
empty heading, or from three hundred words that say nothing measurable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from portfolio_check.analyzers import coursework, templates
from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.markdown import Section, parse, words
from portfolio_check.analyzers.script_activity import setup_commands
from portfolio_check.analyzers.writeup import Writeup, combine, read_block
from portfolio_check.intake.snapshot import MAX_TEXT_BYTES, FileEntry
from portfolio_check.model.facts import Fact, HeadingFact
from portfolio_check.model.location import Location

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown"})
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*%|(?<![\w.])\d*\.\d+(?![\w.])")
MAX_BODY_CHARS = 4000
#: The sections of Mitchell et al.'s model cards, Hugging Face's card template and Gebru
#: et al.'s datasheets: a document with several of them is a model card, whatever its name.
CARD_SECTION = re.compile(
    r"(?i)^(?:model (?:details|description|card|architecture|sources|type)|intended uses?|"
    r"(?:direct |downstream |out-of-scope )?uses?|training (?:data|details|procedure)|"
    r"evaluation(?: data| results)?|(?:evaluation |performance )?metrics|factors|"
    r"quantitative analys[ie]s|ethical considerations|caveats(?: and recommendations)?|"
    r"(?:bias, )?risks?,? (?:and )?limitations|limitations|recommendations|"
    r"motivation|composition|collection process|preprocessing|distribution|maintenance)\b"
)


class DocsAnalyzer:
    name = "docs"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return entry.suffix in MARKDOWN_SUFFIXES

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        document = parse(text)
        card_sections = sum(1 for h in document.headings if CARD_SECTION.match(h.text))
        # each block is read once; a section adds up the readings of its blocks
        counts = [words(block) for block in document.blocks]
        passages = [read_block(block) for block in document.blocks]
        for section in document.sections():
            span = slice(section.first, section.first + len(section.blocks))
            writeup = combine(passages[span])
            yield heading_fact(entry.path, section, sum(counts[span]), writeup, card_sections)
        yield from coursework.certificate_links(text, entry.path)
        # template text (a README tree, a workflow list) may sit in code blocks; a statement
        # that the work belongs to a course is prose
        location = Location(path=entry.path)
        yield from templates.template_markers_in_text(text, location)
        yield from coursework.course_mentions("\n".join(document.prose_lines()), location)


def heading_fact(
    path: str, section: Section, words: int, writeup: Writeup, card_sections: int
) -> HeadingFact:
    body = section.body
    return HeadingFact(
        location=Location(path=path, line=section.heading.line),
        text=section.heading.text[:200],
        level=section.heading.level,
        words=words,
        body=body.strip()[:MAX_BODY_CHARS],
        has_table=any(block.kind == "table" for block in section.blocks),
        has_numbers=bool(NUMBER.search(body)),
        code_blocks=section.code_blocks,
        card_sections=card_sections,
        setup_commands=sum(setup_commands(b.text) for b in section.blocks if b.kind == "code"),
        placeholder=_placeholder(words, section.code_blocks, writeup.template_filler),
        **writeup.fields(),
    )


def _placeholder(words: int, code_blocks: int, filler: bool) -> str | None:
    if filler:
        return "an unfilled template section ([More Information Needed])"
    if words == 0 and not code_blocks:
        return "an empty section"
    return None
