"""Facts about whose work the content is: the git history, files inherited unchanged or
copied from a known upstream, the author's own files, the repository being an upstream
itself; and `ForeignPlaces`, where the content is not the learner's own work."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import ClassVar

from portfolio_check.common.plural import counted
from portfolio_check.model.facts.base import Fact, Facts
from portfolio_check.model.facts.coursework import CourseFolderFact, CourseMarkerFact
from portfolio_check.model.location import ancestors


@dataclass(frozen=True, kw_only=True, slots=True)
class HistoryFact(Fact):
    """The shape of the git history, from one streamed `git log`."""

    kind: ClassVar[str] = "history"
    commits: int
    authors: int
    active_days: int
    active_weeks: int
    span_days: int  # first to last commit
    merges: int
    pr_merges: int  # "Merge pull request #..." and "(#12)" squash merges
    web_uploads: int  # "Add files via upload" and other web-editor subjects
    largest_commit_share: float  # share of all added files that arrived in one commit
    days_after_largest: int = 0  # days with commits after that one: work that followed it
    shallow: bool
    first_commit: str  # ISO dates
    last_commit: str
    first_test: str | None = None  # when a test file first appeared
    first_ci: str | None = None
    first_deploy: str | None = None
    #: Older commits by other people only, before today's authors started (a course starter
    #: forked with its history): left out of every figure above.
    inherited_commits: int = 0
    #: The oldest commit with no parent ("" when the history was cut short): the same root
    #: as an indexed upstream's means the repository carries that upstream's history.
    root_commit: str = ""
    #: Today's main authors (at least 2 % of the commits above each), most commits first,
    #: as the upstream index keys them (`upstream_index.author_key`: a hash of the e-mail
    #: address): a repository by an upstream's own authors is that upstream, not a copy.
    author_keys: tuple[str, ...] = ()
    latest_author: str = ""  # the key of the newest commit's author: who works on it now

    def describe(self) -> str:
        authors = counted(self.authors, "author")
        days = f"on {counted(self.active_days, 'day')} over {counted(self.span_days, 'day')}"
        inherited = (
            f", after {counted(self.inherited_commits, 'inherited commit')} by others"
            if self.inherited_commits
            else ""
        )
        return f"{counted(self.commits, 'commit')} by {authors} {days}{inherited}"


@dataclass(frozen=True, kw_only=True, slots=True)
class InheritedFileFact(Fact):
    """A file as the earlier authors of an inherited history left it (a starter's
    requirements, workflow or data, forked with its history and never changed since): the
    upstream's work, not today's authors'."""

    kind: ClassVar[str] = "inherited_file"
    since: str  # the last inherited commit, abbreviated

    def describe(self) -> str:
        return f"unchanged since commit {self.since} of the inherited history"


@dataclass(frozen=True, kw_only=True, slots=True)
class CopiedFileFact(Fact):
    """A file whose content matches a file of a known upstream (a course, lab, starter,
    template or tutorial repository in the upstream index): the same normalised text, or
    most of its winnowed fingerprints. `similarity` is the share of the file's fingerprints
    the upstream file has (1.0 for the same text); only a near-whole copy is `copied`, a
    file that matches in part is an upstream file the author changed (a starter's TODOs
    filled in)."""

    kind: ClassVar[str] = "copied_file"
    upstream: str  # owner/name of the upstream repository
    family: str  # the course or template family, e.g. "Udacity ML DevOps"
    material: str  # course, lab, starter, template or tutorial
    upstream_path: str  # the matching file in the upstream
    similarity: float  # share of the file's fingerprints found in the upstream file, 0-1
    exact: bool  # the same normalised text
    copied: bool  # a near-whole copy: exact, or similarity at the copy threshold
    lines: int  # non-blank lines of code or text it weighs in the repository's share
    #: other upstreams holding as good a match, and their matching files (same order)
    others: tuple[str, ...] = ()
    other_paths: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The upstream as a person names it: `udacity/X (Udacity ML DevOps starter)`."""
        return f"{self.upstream} ({self.family} {self.material})"

    @property
    def upstream_lines(self) -> float:
        """The lines of this file that are upstream material: the matching part."""
        return self.lines * self.similarity

    def describe(self) -> str:
        if self.copied:
            return f"copied from {self.source}: {self.upstream_path}"
        share = f"{self.similarity:.0%}"
        return f"{share} matches {self.upstream_path} of {self.source}, changed since"


@dataclass(frozen=True, kw_only=True, slots=True)
class OwnFileFact(Fact):
    """A file of code or text that matches no known upstream: the author's own, as far as
    the upstream index can tell."""

    kind: ClassVar[str] = "own_file"
    lines: int  # non-blank lines of code or text it weighs in the repository's share

    def describe(self) -> str:
        return f"{counted(self.lines, 'line')} matching no known upstream"


@dataclass(frozen=True, kw_only=True, slots=True)
class UpstreamRepositoryFact(Fact):
    """The repository is an indexed upstream itself: its history starts at that upstream's
    root commit and carries no inherited era. Its matches with its own family are not
    copies: an upstream is not a copy of itself."""

    kind: ClassVar[str] = "upstream_repository"
    upstream: str
    family: str
    material: str

    def describe(self) -> str:
        return f"the upstream {self.upstream} ({self.family} {self.material}) itself"


@dataclass(frozen=True)
class ForeignPlaces:
    """Where the content is not the learner's own work: course folders and course helper
    files, files inherited unchanged from earlier authors, and files copied whole from a
    known upstream (a course, lab, starter, template or tutorial). Evidence found there
    proves no more than a claim on the real-world side."""

    course: frozenset[str] = frozenset()
    inherited: Mapping[str, str] = dataclasses.field(default_factory=dict)  # path -> commit
    copied: Mapping[str, str] = dataclasses.field(default_factory=dict)  # path -> upstream

    @classmethod
    def of(cls, facts: Facts) -> ForeignPlaces:
        return cls(
            course=course_places([*facts.of("course_folder"), *facts.of("course_marker")]),
            inherited={
                fact.path: fact.since
                for fact in facts.of("inherited_file")
                if isinstance(fact, InheritedFileFact)
            },
            # a file the author changed (a starter's TODOs filled in) stays theirs
            copied={
                fact.path: fact.source
                for fact in facts.of("copied_file")
                if isinstance(fact, CopiedFileFact) and fact.copied
            },
        )

    def reason(self, path: str) -> str | None:
        """Why what sits at `path` is not the learner's, or None when it is."""
        if path in self.copied:
            return f"copied from {self.copied[path]}"
        if path in self.inherited:
            return f"inherited unchanged from earlier authors (commit {self.inherited[path]})"
        place = in_place(path, self.course)
        if place is None:
            return None
        if place == path:
            return "course material (a course helper file)"
        return f"course material (under {place}/)"


def course_places(facts: Iterable[Fact]) -> frozenset[str]:
    """Folders laid out like a course (`Week2`, `C1W3`) and course helper files
    (`public_tests.py`): what sits there is the course's work, not the learner's."""
    return frozenset(
        fact.folder if isinstance(fact, CourseFolderFact) else fact.path
        for fact in facts
        if isinstance(fact, CourseFolderFact)
        or (isinstance(fact, CourseMarkerFact) and fact.marker == "course-helper-file")
    )


def in_place(path: str, places: AbstractSet[str]) -> str | None:
    """The course place `path` belongs to, if any: the outermost of its folders (or the
    path itself) that is one. Looked up per folder, so thousands of places cost nothing."""
    if not places:  # most repositories: no course folder at all
        return None
    return next((p for p in (*ancestors(path), path) if p in places), None)
