"""Which lines of a README claim something about the project itself.

A README that says "Containerised with Docker" claims a Dockerfile; one that says "drift
could be detected via monitoring", lists "- [Monitoring](#monitoring)" in a table of
contents, or plans "add MLflow tracking" under "## TODO" claims nothing. A claim is a prose
line (not code, not a link-only list item, not an image) outside sections about plans,
references or the course, whose sentence is not hedged, conditional or negated. Whether a
claim is backed is the rubric's business (`claims:`); this module only says which lines
make one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from portfolio_check.analyzers.markdown import Heading, parse

#: Sections whose lines plan, cite or reflect rather than state what the project does.
NOT_CLAIM_SECTION = re.compile(
    r"(?i)\b(to ?-?do|future|roadmap|next steps?|planned|upcoming|ideas?|improvements?|"
    r"wish ?list|backlog|limitations?|known issues|caveats|references?|resources|further "
    r"reading|acknowledg\w*|credits?|inspiration|table of contents|contents|toc|"
    r"what i learn\w*|learnings|lessons|reflections?|course|curriculum|syllabus|prerequisites|"
    r"disclaimer|licen[cs]e|copyright|citation|cite)\b"
)
#: Words that make a sentence a plan, a hedge, an option or a denial, not a statement.
NOT_ASSERTED = re.compile(
    r"(?i)\b(could|would|might|may|should|can be|plan(?:s|ned)?|todo|to-do|future|"
    r"coming soon|not yet|wip|work in progress|next step|roadmap|ideally|optional(?:ly)?|"
    r"consider|e\.g|for example|such as|instead of|rather than|alternatively|if you|like|"
    r"similar to|unlike|compared (?:to|with)|learn(?:ed|t|ing)?|no|not|without|never|\w+n't|"
    r"will (?:be )?add\w*)\b"
)
#: A list item that starts with a to-do verb is a plan: "- add MLflow tracking".
TODO_ITEM = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[ \]\s+)?(?:add|implement|integrate|introduce|include|"
    r"improve|support|extend|try|explore|investigate|migrate|refactor|fix|write|set up|setup)\b",
    re.IGNORECASE,
)
#: A short line of its own that names a plan or reference list ("TODO", "**Next steps:**")
#: heads what follows like a heading does.
PSEUDO_HEADING = re.compile(r"^\s*[*_]{0,2}([^*_:\n]{1,40}?)[*_]{0,2}\s*:?\s*[*_]{0,2}\s*$")
PSEUDO_LEVEL = 7  # below every real heading: the next real heading ends it
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]*>")
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
MAX_LINE_CHARS = 2000


def claim_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line, its asserted words) for each line of a Markdown document that may
    claim something: a rubric's mention pattern is searched in those words only."""
    document = parse(text)
    lines = document.prose_lines()
    skipped_from: int | None = None  # the level of the plan or reference section we are in
    headings = {heading.line: heading for heading in document.headings}
    for index, line in enumerate(lines):
        level, title = _heading(headings.get(index + 1), line)
        if level:
            if skipped_from is not None and level <= skipped_from:
                skipped_from = None
            if skipped_from is None and NOT_CLAIM_SECTION.search(title):
                skipped_from = level
                continue
        if skipped_from is not None or not line.strip() or TODO_ITEM.match(line):
            continue
        asserted = " ".join(asserted_sentences(_statement(line[:MAX_LINE_CHARS])))
        if asserted:
            yield index + 1, asserted


def _heading(heading: Heading | None, line: str) -> tuple[int, str]:
    """(level, text) of a heading or a pseudo-heading line; (0, "") for other lines."""
    if heading is not None:
        return heading.level, heading.text
    pseudo = PSEUDO_HEADING.match(line)
    if pseudo and NOT_CLAIM_SECTION.search(pseudo.group(1)):
        return PSEUDO_LEVEL, pseudo.group(1)
    return 0, ""


def asserted_sentences(statement: str) -> Iterator[str]:
    """The sentences of a statement that assert rather than plan, hedge or deny."""
    for sentence in SENTENCE_END.split(statement):
        if sentence.strip() and not NOT_ASSERTED.search(sentence):
            yield sentence


def _statement(line: str) -> str:
    """The line as a reader sees its words: no list marker, images, tags or link targets;
    empty when it is only a link (a table of contents) or only images (badges)."""
    body = LIST_MARKER.sub("", line, count=1)
    without_images = IMAGE.sub("", body)
    if LIST_MARKER.match(line) and not LINK.sub("", without_images).strip(" -|:"):
        return ""  # a list item that is only links: navigation, not a statement
    words = HTML_TAG.sub(" ", LINK.sub(r"\1", without_images)).strip()
    return words if re.search(r"[^\W\d_]", words) else ""
