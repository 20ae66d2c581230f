"""Certification-only evidence: grader scaffolding, course layouts, teaching datasets and
certificates. The markers are inserted by course platforms, not by learners, which makes them
precise (shared/research/signals-catalogue.md, section 5).

Tutorial-template fingerprints (section 6) live in `templates`; `markers_in_text` and the
listing analyzer report them with the course markers. And sentences in a README that say
the work belongs to a course (`course_mentions`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from portfolio_check.analyzers import teaching_data
from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.literals import prefilter
from portfolio_check.analyzers.templates import template_markers_in_text, template_path_markers
from portfolio_check.intake.snapshot import FileEntry, Snapshot
from portfolio_check.model.facts import (
    CertificateFact,
    CourseFolderFact,
    CourseMarkerFact,
    Fact,
    ToyDatasetFact,
)
from portfolio_check.model.location import Location, ancestors


@dataclass(frozen=True, kw_only=True)
class Marker:
    id: str
    family: str
    pattern: re.Pattern[str]


def _marker(marker_id: str, family: str, pattern: str, flags: int = 0) -> Marker:
    return Marker(id=marker_id, family=family, pattern=re.compile(pattern, flags))


DLAI = "DeepLearning.AI"
#: Grader scaffolding found in notebook cells and course scripts (catalogue section 5.1).
TEXT_MARKERS: tuple[Marker, ...] = (
    _marker("graded-function", DLAI, r"#\s*GRADED (?:FUNCTION|CLASS|CELL)\b"),
    _marker("start-code-here", DLAI, r"#{2,}\s*START CODE HERE"),
    _marker("unique-cell-id", DLAI, r"#\s*UNQ_C\d+"),
    _marker("public-tests", DLAI, r"\bfrom public_tests import\b|\bimport public_tests\b"),
    _marker("unit-test-module", DLAI, r"\bimport w\d_unittest\b|\bw\d_unittest\.test_"),
    _marker("test-utils-comparator", DLAI, r"from test_utils import .*\bcomparator\b"),
    _marker("expected-output", DLAI, r"\*\*Expected Output:?\*\*"),
    _marker("cs231n-your-code", "Stanford CS231n", r"\*{5}START OF YOUR CODE \(DO NOT DELETE"),
    _marker(
        "learntools-binder",
        "Kaggle Learn",
        r"\bfrom learntools\.core import binder\b"
        r"|\bbinder\.bind\(globals\(\)\)|\bfrom learntools\.\w+\.ex\d+ import",
    ),
    _marker("kaggle-learn-check", "Kaggle Learn", r"\b(?:q_?\d+|step_\d+)\.check\(\)"),
    _marker(
        "udacity-unittests",
        "Udacity",
        r"\bimport problem_unittests\b"
        r"|DON'T MODIFY ANYTHING IN THIS CELL",
    ),
    _marker("fastbook-setup", "fast.ai course", r"\bfastbook\.setup_book\(\)"),
    _marker(
        "ibm-skills-network",
        "IBM Skills Network",
        r"IBMDeveloperSkillsNetwork-[A-Z0-9]+-SkillsNetwork|cognitiveclass\.ai logo",
    ),
    _marker("all-tests-passed", DLAI, r"All tests passed[!.]"),
)

#: Notebook metadata keys that course platforms write (catalogue section 5.2).
METADATA_MARKERS: dict[str, tuple[str, str]] = {
    "coursera": ("coursera-metadata", "Coursera"),
    "nbgrader": ("nbgrader-metadata", "nbgrader"),
}

#: File names of course helper and grader modules (catalogue section 5.3).
DLAI_HELPER_FILES = (
    "public_tests.py", "test_utils.py", "testcases.py", "testcases_v2.py", "testcases_v3.py",
    "testcases_v4a.py", "lab_utils_common.py", "lab_utils_uni.py", "lab_utils_multi.py",
    "deeplearning.mplstyle", "dnn_app_utils_v3.py", "planar_utils.py", "lr_utils.py",
    "generatetestcases.py", "w2v_utils.py",
)  # fmt: skip
COURSE_HELPER_FILES: dict[str, str] = dict.fromkeys(DLAI_HELPER_FILES, DLAI) | {
    "problem_unittests.py": "Udacity",
    "rps_game.py": "freeCodeCamp",
}
#: Helper names that a project also gives its own tests (`tests/test_utils.py`): a file so
#: named is a course grader only by what it does (`analyzers/testfunctions.py`) or where it
#: sits (a course folder), never by its name alone.
TEST_SHAPED_HELPER_FILES = frozenset(
    {"public_tests.py", "test_utils.py", "testcases.py", "generatetestcases.py",
     "problem_unittests.py"}
)  # fmt: skip

#: DataTalksClub zoomcamp layouts (`cohorts/2024/…`, `02-experiment-tracking/`): course folders
#: only when the repository also holds homework, since `01-data/` alone is an ordinary name.
ZOOMCAMP_FOLDER = re.compile(r"^(?:cohorts|0\d-[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)$", re.IGNORECASE)
HOMEWORK_FOLDER = re.compile(r"^homeworks?$", re.IGNORECASE)
HOMEWORK_FILE = re.compile(r"^homeworks?\.md$", re.IGNORECASE)

COURSE_FOLDER = re.compile(
    r"^(?:week[\s_-]*\d+|w\d+|c\d+[\s_-]*w\d+(?:[\s_-]*a\d+)?|module[\s_-]*\d+|"
    r"assignment[\s_-]*\d*|homework[\s_-]*\d*|hw[\s_-]*\d+|lab[\s_-]*\d+|"
    r".*ungraded[\s_-]*labs?.*|course[\s_-]*\d+|optional[\s_-]*labs?|capstone.*)$",
    re.IGNORECASE,
)

CERTIFICATE_FILE = re.compile(r"certificat(e|ion)|badge", re.IGNORECASE)
CERTIFICATE_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".webp", ".svg"})
CERTIFICATE_LINK = re.compile(
    r"(?:coursera\.org/(?:verify|share|account/accomplishments)/\S+"
    r"|credly\.com/badges/[0-9a-f-]{36}"
    r"|confirm\.udacity\.com/\S+"
    r"|udemy\.com/certificate/UC-[0-9a-fA-F-]+|ude\.my/UC-\S+"
    r"|kaggle\.com/learn/certification/\S+"
    r"|datacamp\.com/statement-of-accomplishment/\S+"
    r"|freecodecamp\.org/certification/\S+"
    r"|courses\.edx\.org/certificates/\S+"
    r"|linkedin\.com/learning/certificates/\S+)",
    re.IGNORECASE,
)
#: Punctuation that ends a sentence, a Markdown link or an HTML attribute, not the URL.
URL_TRAILERS = ".,;:!?)]}>\"'`*"

#: Sentences in a README or notes that say the work belongs to a course (catalogue 5.3-5.7).
#: Each names a course, a course platform or a course deliverable; the word "course" alone
#: ("a course on statistics", "in the course of training") is not enough.
MENTION = "course mention"
_COURSE_WORD = (
    r"[\w-]*(?:course|class|specialization|specialisation|certificate|certification"
    r"|program|programme|nanodegree|bootcamp|zoomcamp|module|degree|semester"
    r"|university|college|school)"
)
COURSE_MENTIONS: tuple[Marker, ...] = (
    _marker(
        "mention:zoomcamp",
        MENTION,
        r"\b(?:mlops|ml|llm|data[- ]engineering)[- ]?zoomcamp\b",
        re.IGNORECASE,
    ),
    _marker("mention:nanodegree", MENTION, r"\bnano-?degrees?\b", re.IGNORECASE),
    _marker("mention:coursera-course", MENTION, r"\bcoursera\.org/learn/[\w-]+", re.IGNORECASE),
    _marker("mention:deeplearning-ai", MENTION, r"(?<![\w-])deeplearning\.ai\b", re.IGNORECASE),
    _marker(
        "mention:course-project",
        MENTION,
        # "capstone project for the IBM Data Science Certificate", "final project of CS 229";
        # the next word names the course (capitalised, a number, or a course word, maybe as
        # Markdown link text), so "the final project for the client" is not a course
        r"\b(?i:capstone|final|course|graded)\s+(?i:project)\s+(?i:for|of)\s+"
        rf"(?:(?i:the|my|an?|this)\s+)?[\[*_\"“']*(?:[A-Z0-9]|(?i:{_COURSE_WORD})\b)",
    ),
    _marker(
        "mention:my-solutions",
        MENTION,
        r"\bthis\s+(?:repo|repository)\s+(?:contains|holds)\s+my\s+(?:own\s+)?"
        r"(?:solutions?|assignments?|notes|homeworks?)\b",
        re.IGNORECASE,
    ),
    # the course titles are proper names: "my machine learning specialization is NLP" is not
    _marker(
        "mention:ml-specialization",
        MENTION,
        r"\bMachine[ -]Learning[ -]Specialization\b|\bmachine-learning-specialization\b",
    ),
    _marker(
        "mention:dl-specialization",
        MENTION,
        r"\bDeep[ -]Learning[ -]Specialization\b|\bdeep-learning-specialization\b",
    ),
    _marker("mention:freecodecamp", MENTION, r"\bfree-?code-?camp\b", re.IGNORECASE),
    _marker("mention:kaggle-learn", MENTION, r"\bkaggle\.com/learn/", re.IGNORECASE),
)


def course_mentions(text: str, location: Location) -> Iterator[CourseMarkerFact]:
    """Sentences saying the work belongs to a course: one fact per kind, at its first line."""
    yield from _first_of_each(COURSE_MENTIONS, text, location)


def _first_of_each(
    markers: Iterable[Marker], text: str, location: Location
) -> Iterator[CourseMarkerFact]:
    """Each marker where it first appears in `text`, with its line (and cell)."""
    present = [marker for marker in markers if _may_match(marker.pattern, text)]
    if not present:
        return
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for marker in present:
            if marker.id in seen:
                continue
            match = marker.pattern.search(line)
            if match:
                seen.add(marker.id)
                yield CourseMarkerFact(
                    location=Location(path=location.path, line=number, cell=location.cell),
                    marker=marker.id,
                    family=marker.family,
                    text=_snippet(line, match),
                )


def _may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only if `pattern` matches no line of `text`: the literals it needs, then one
    search of the whole text, rule out most markers for most files, where a search per line
    costs a pass per line. (A match within a line is a match within the text, for patterns
    without `^` or `$`; and no match at all without the literals it needs.)"""
    if not prefilter(pattern).may_match(text):
        return False
    if "^" in pattern.pattern or "$" in pattern.pattern:
        return True
    return pattern.search(text) is not None


def _snippet(line: str, match: re.Match[str], width: int = 120) -> str:
    """The line, or a window of it around the match when the line is too long."""
    stripped = line.strip()
    if len(stripped) <= width:
        return stripped
    offset = len(line) - len(line.lstrip())
    start = max(0, min(match.start() - offset - 30, len(stripped) - width))
    return stripped[start : start + width]


def markers_in_text(text: str, location: Location) -> Iterator[CourseMarkerFact]:
    """Course markers in one piece of text, each with its line. One fact per marker kind.
    Grader scaffolding first, then tutorial-template markers."""
    yield from _first_of_each(TEXT_MARKERS, text, location)
    yield from template_markers_in_text(text, location)


def certificate_links(text: str, path: str) -> Iterator[CertificateFact]:
    for number, line in enumerate(text.splitlines(), start=1):
        match = CERTIFICATE_LINK.search(line)
        if match:
            yield CertificateFact(
                location=Location(path=path, line=number),
                via="link",
                text=match.group(0).rstrip(URL_TRAILERS)[:120],
            )


class CourseworkListingAnalyzer:
    """Course evidence that the file list alone shows: folders, helpers, data, certificates."""

    name = "coursework"

    def analyze_listing(self, snapshot: Snapshot, context: AnalysisContext) -> Iterator[Fact]:
        folders = _Folders()
        has_homework = False
        for entry in snapshot:
            location = Location(path=entry.path)
            lower_name = entry.name.lower()
            has_homework = has_homework or bool(HOMEWORK_FILE.match(lower_name))
            folders.add(entry.parts)
            if lower_name in COURSE_HELPER_FILES and (
                lower_name not in TEST_SHAPED_HELPER_FILES or in_course_folder(entry.path)
            ):
                yield CourseMarkerFact(
                    location=location,
                    marker="course-helper-file",
                    family=COURSE_HELPER_FILES[lower_name],
                    text=entry.name,
                )
            yield from _teaching_data(snapshot, entry, location)
            if entry.suffix in CERTIFICATE_SUFFIXES and CERTIFICATE_FILE.search(
                PurePosixPath(entry.path).stem
            ):
                yield CertificateFact(location=location, via="file", text=entry.name)
        course = folders.course | (folders.zoomcamp if has_homework or folders.homework else set())
        for folder in sorted(_outermost(course)):
            yield CourseFolderFact(location=Location(path=folder), folder=folder)
        yield from template_path_markers(entry.path for entry in snapshot)


class _Folders:
    """The folders of a listing laid out like a course, each looked at once: a large
    repository lists thousands of files in a few hundred folders."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.course: set[str] = set()  # `Week 2`, `C1W3`...
        self.zoomcamp: set[str] = set()  # `cohorts`, `01-intro`: course folders with homework
        self.homework = False  # a `homework` folder anywhere

    def add(self, parts: tuple[str, ...]) -> None:
        """The folders above a file (`parts`: its path's parts), deepest first, up to one
        seen before: its own folders above were seen with it."""
        for depth in range(len(parts) - 1, 0, -1):
            folder = "/".join(parts[:depth])
            if folder in self.seen:
                return
            self.seen.add(folder)
            name = parts[depth - 1]
            self.homework = self.homework or bool(HOMEWORK_FOLDER.match(name))
            if COURSE_FOLDER.match(name):
                self.course.add(folder)
            elif ZOOMCAMP_FOLDER.match(name):
                self.zoomcamp.add(folder)


def _teaching_data(
    snapshot: Snapshot, entry: FileEntry, location: Location
) -> Iterator[ToyDatasetFact]:
    """A teaching set by its file name, else by its first line (header or first row)."""
    dataset = teaching_data.by_file_name(entry.name)
    if dataset:
        yield ToyDatasetFact(location=location, dataset=dataset, via="file")
    elif entry.suffix in teaching_data.DATA_SUFFIXES:
        dataset = teaching_data.by_first_line(snapshot.read_head(entry))
        if dataset:
            yield ToyDatasetFact(location=location, dataset=dataset, via="content")


def in_course_folder(path: str) -> bool:
    """Whether a folder above `path` is laid out like a course (`Week 2/`, `C1W3/`)."""
    return any(COURSE_FOLDER.match(part) for part in path.split("/")[:-1])


def course_helper_in_place(path: str) -> str | None:
    """The course of a grader-named helper (`public_tests.py`) inside a course folder."""
    name = path.rpartition("/")[2].lower()
    if name in TEST_SHAPED_HELPER_FILES and in_course_folder(path):
        return COURSE_HELPER_FILES[name]
    return None


_SCAFFOLDING = frozenset(marker.id for marker in TEXT_MARKERS)


def grader_marker_family(markers: Iterable[CourseMarkerFact]) -> str | None:
    """The course whose grader scaffolding (not a template fingerprint) a text carries."""
    return next((m.family for m in markers if m.marker in _SCAFFOLDING), None)


def _outermost(folders: set[str]) -> set[str]:
    """Keep `week1` and drop `week1/lab2`: one course folder per subtree. Each folder's
    ancestors are looked up, not every other folder compared: a repository may hold
    thousands of course-like folders."""
    return {folder for folder in folders if not any(a in folders for a in ancestors(folder))}
