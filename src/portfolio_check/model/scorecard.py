"""The Scorecard: what the engine concludes, and the JSON contract built from it.

Renderers read only this model. `to_json_dict` is the stable, versioned JSON shape that
other tools (and the GitHub Action) build on; its JSON Schema ships in the package as
`schemas/scorecard.schema.json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.location import Location
from portfolio_check.model.ml_test_results import MLTestScore
from portfolio_check.model.rubric import GradeTone, Profile, Side
from portfolio_check.model.source_links import SourceLinks

SCHEMA_VERSION = "1"
TOOL_NAME = "portfolio-check"


@dataclass(frozen=True, kw_only=True)
class Evidence:
    path: str
    line: int | None
    detail: str
    level: EvidenceLevel
    signal: str
    cell: int | None = None
    placeholder: str | None = None
    claim: bool = False  # a README claim that nothing in the repository backs

    @property
    def where(self) -> str:
        return str(Location(path=self.path, line=self.line, cell=self.cell))

    def to_json_dict(self) -> dict[str, Any]:
        place = Location(path=self.path, line=self.line, cell=self.cell).to_json_dict()
        data: dict[str, Any] = {**place, "detail": self.detail}
        data["level"] = self.level.label
        return data


@dataclass(frozen=True, kw_only=True)
class CriterionResult:
    id: str
    name: str
    description: str
    weight: float
    level: EvidenceLevel
    max_level: EvidenceLevel
    score: float
    remediation: str
    evidence: tuple[Evidence, ...]
    evidence_omitted: int = 0
    inconclusive: bool = False  # this target cannot show it; left out of the score
    #: why the repository's own config says the criterion does not apply to it (a research
    #: repository has no API to serve); None: it applies. Left out of the score.
    not_applicable: str | None = None

    @property
    def awarded(self) -> bool:
        return self.score > 0

    @property
    def counted(self) -> bool:
        """Whether the criterion counts towards its category's score."""
        return not (self.inconclusive or self.not_applicable)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "level": int(self.level),
            "level_name": self.level.label,
            "max_level": int(self.max_level),
            "score": round(self.score, 1),
            "weight": self.weight,
            "remediation": self.remediation,
            "evidence": [item.to_json_dict() for item in self.evidence],
            "evidence_omitted": self.evidence_omitted,
            "inconclusive": self.inconclusive,
            "not_applicable": self.not_applicable is not None,
            "not_applicable_reason": self.not_applicable,
        }


@dataclass(frozen=True, kw_only=True)
class CategoryResult:
    id: str
    name: str
    description: str
    side: Side
    weight: float
    score: float
    criteria: tuple[CriterionResult, ...]
    inconclusive: bool = False  # every criterion is; the category is left out of the score
    #: nothing to judge (an ML category in a repository with no ML); left out of the score
    not_applicable: bool = False
    #: the repository's own reason, when its config marks the category (or every one of its
    #: criteria) not applicable; None for a category the rubric's project kinds rule out
    not_applicable_reason: str | None = None

    @property
    def counted(self) -> bool:
        """Whether the category counts towards its side's score."""
        return not (self.inconclusive or self.not_applicable)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "side": self.side,
            "score": round(self.score, 1),
            "weight": self.weight,
            "inconclusive": self.inconclusive,
            "not_applicable": self.not_applicable,
            "not_applicable_reason": self.not_applicable_reason,
            "criteria": [criterion.to_json_dict() for criterion in self.criteria],
        }


@dataclass(frozen=True, kw_only=True)
class Claim:
    """Something the repo says or shapes but does not back with evidence."""

    criterion: str
    criterion_name: str
    path: str
    line: int | None
    detail: str
    cell: int | None = None
    prose: bool = False  # a README sentence, not a placeholder file or an unused artefact

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "path": self.path,
            "line": self.line,
            "detail": self.detail,
        }


RedFlagKind = Literal["unbacked-claims", "copied-material", "one-day-history", "hard-coded-secret"]
RED_FLAG_KINDS: tuple[RedFlagKind, ...] = get_args(RedFlagKind)


@dataclass(frozen=True, kw_only=True)
class RedFlag:
    """What a reviewer should know before anything else: README claims nothing backs, most
    of the repository copied, a history of one upload, a hard-coded secret."""

    kind: RedFlagKind
    detail: str  # one line for a person; never a secret's value
    path: str | None = None  # where to look, if one place says it
    line: int | None = None
    cell: int | None = None

    @property
    def where(self) -> str | None:
        if self.path is None:
            return None
        return str(Location(path=self.path, line=self.line, cell=self.cell))

    def to_json_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "detail": self.detail}
        if self.path is None:
            return {**data, "path": None, "line": None}
        return {**data, **Location(path=self.path, line=self.line, cell=self.cell).to_json_dict()}


@dataclass(frozen=True, kw_only=True)
class NextStep:
    criterion: str
    criterion_name: str
    category: str
    gain: float  # points of real-world score
    action: str
    current_level: EvidenceLevel
    effort: int = 2  # 1 an hour, 2 an afternoon, 3 days

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "gain": round(self.gain, 1),
            "effort": self.effort,
            "action": self.action,
        }


@dataclass(frozen=True, kw_only=True)
class Finding:
    """A file that could not be analysed as it stands."""

    path: str
    line: int | None
    message: str

    def to_json_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "message": self.message}


@dataclass(frozen=True, kw_only=True)
class Hotspot:
    """A function complex enough to be hard to test and change (radon rank C or worse)."""

    path: str
    line: int | None
    name: str
    type: str
    complexity: int
    rank: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "name": self.name,
            "type": self.type,
            "complexity": self.complexity,
            "rank": self.rank,
        }


@dataclass(frozen=True, kw_only=True)
class NotebookHygiene:
    """A notebook with something a reader would trip over."""

    path: str
    execution: str
    error_outputs: int
    absolute_paths: int
    output_bytes: int
    problems: tuple[str, ...]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "execution": self.execution,
            "error_outputs": self.error_outputs,
            "absolute_paths": self.absolute_paths,
            "output_bytes": self.output_bytes,
            "problems": list(self.problems),
        }


@dataclass(frozen=True, kw_only=True)
class DependencyLine:
    """One declared dependency a reviewer would ask about: unpinned, or never imported."""

    path: str
    line: int | None
    name: str
    spec: str
    manifest: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "name": self.name,
            "spec": self.spec,
            "manifest": self.manifest,
        }


@dataclass(frozen=True, kw_only=True)
class ManifestSummary:
    """One manifest: how many of its dependencies are pinned, and the lock that pins the rest."""

    path: str
    manifest: str  # requirements, lock, freeze, pyproject, environment, pipfile, setup.cfg
    dependencies: int
    pinned: int
    locked_by: str | None = None
    includes: tuple[str, ...] = ()  # files it installs too (`-r`, `-c`)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "manifest": self.manifest,
            "dependencies": self.dependencies,
            "pinned": self.pinned,
            "locked_by": self.locked_by,
            "includes": list(self.includes),
        }


@dataclass(frozen=True, kw_only=True)
class LockfileSummary:
    path: str
    tool: str

    def to_json_dict(self) -> dict[str, Any]:
        return {"path": self.path, "tool": self.tool}


@dataclass(frozen=True, kw_only=True)
class DependencyHygiene:
    """How the repository declares what it installs: a finding of its own, not a claim.
    Unpinned lines are those no lock pins; unused ones are declared and never imported."""

    manifests: tuple[ManifestSummary, ...]
    lockfiles: tuple[LockfileSummary, ...]
    unpinned: tuple[DependencyLine, ...]
    unused: tuple[DependencyLine, ...]
    manifests_omitted: int = 0
    unpinned_omitted: int = 0
    unused_omitted: int = 0

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "manifests": [manifest.to_json_dict() for manifest in self.manifests],
            "manifests_omitted": self.manifests_omitted,
            "lockfiles": [lockfile.to_json_dict() for lockfile in self.lockfiles],
            "unpinned": [line.to_json_dict() for line in self.unpinned],
            "unpinned_omitted": self.unpinned_omitted,
            "unused": [line.to_json_dict() for line in self.unused],
            "unused_omitted": self.unused_omitted,
        }


@dataclass(frozen=True, kw_only=True)
class HistorySummary:
    commits: int
    authors: int
    active_days: int
    active_weeks: int
    span_days: int
    first_commit: str
    last_commit: str
    pr_merges: int
    largest_commit_share: float
    shallow: bool
    note: str | None  # a placeholder reason, such as "a one-day dump of the work"
    inherited_commits: int = 0  # older commits by other people only, left out of the above

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "commits": self.commits,
            "authors": self.authors,
            "active_days": self.active_days,
            "active_weeks": self.active_weeks,
            "span_days": self.span_days,
            "first_commit": self.first_commit,
            "last_commit": self.last_commit,
            "pr_merges": self.pr_merges,
            "largest_commit_share": self.largest_commit_share,
            "shallow": self.shallow,
            "inherited_commits": self.inherited_commits,
            "note": self.note,
        }


@dataclass(frozen=True, kw_only=True)
class UpstreamShare:
    """A known upstream (a course, lab, starter, template or tutorial repository) that the
    repository's files match, and how much of the repository it makes up."""

    name: str  # owner/name
    family: str
    kind: str  # course, lab, starter, template, tutorial
    share: float  # of the repository's code and text lines, 0-1
    files: int  # files that match it, whole or in part
    example: str  # the largest of them
    upstream_path: str  # what that one matches in the upstream

    @property
    def source(self) -> str:
        """`Udacity ML DevOps starter`: the family and the kind of material."""
        return f"{self.family} {self.kind}"

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "family": self.family,
            "kind": self.kind,
            "share": round(self.share, 3),
            "files": self.files,
            "example": self.example,
            "upstream_path": self.upstream_path,
        }


@dataclass(frozen=True, kw_only=True)
class ProvenanceSummary:
    """Whose work the repository is: the share of its code and text lines that no known
    upstream has, the upstreams the rest matches, and its own and inherited commits."""

    own_share: float  # 0-1
    lines: int  # code and text lines compared
    files: int  # files compared
    copied_files: int  # near-whole copies of upstream files
    upstreams: tuple[UpstreamShare, ...]  # largest share first
    own_commits: int | None = None  # None: no history
    upstream_commits: int | None = None  # an upstream's history carried before the author's
    #: the indexed upstream this repository is itself (its history, by its own authors)
    itself: UpstreamShare | None = None

    def to_json_dict(self) -> dict[str, Any]:
        itself = self.itself
        return {
            "own_share": round(self.own_share, 3),
            "lines": self.lines,
            "files": self.files,
            "copied_files": self.copied_files,
            "upstreams": [upstream.to_json_dict() for upstream in self.upstreams],
            "own_commits": self.own_commits,
            "upstream_commits": self.upstream_commits,
            "is_upstream": (
                None
                if itself is None
                else {"name": itself.name, "family": itself.family, "kind": itself.kind}
            ),
        }


@dataclass(frozen=True, kw_only=True)
class TargetInfo:
    path: str  # as the user gave it (may be ".")
    commit: str | None
    is_git: bool
    files: int
    notes: tuple[str, ...] = ()
    #: where the report can link a path to the file at `commit` (GitHub, GitLab), if anywhere
    source_links: SourceLinks | None = None
    #: what the report calls the project: its `origin` repository's name, else its folder's
    #: (`git_links.project_name`); never "."
    name: str = ""

    @property
    def title(self) -> str:
        """The project's name, for a report's title and heading."""
        return self.name or self.path

    def link(self, path: str, line: int | None = None) -> str | None:
        return self.source_links.url(path, line) if self.source_links else None


@dataclass(frozen=True, kw_only=True)
class Scorecard:
    tool_version: str
    target: TargetInfo
    rubric_id: str
    rubric_name: str
    rubric_version: str
    real_world_score: float
    grade: str
    grade_label: str
    #: the grade's place on the rubric's ladder, for colour (`Rubric.grade_tone`)
    grade_tone: GradeTone = "middle"
    certification_score: float
    categories: tuple[CategoryResult, ...]
    profile: Profile | None
    claims: tuple[Claim, ...]
    next_steps: tuple[NextStep, ...]
    findings: tuple[Finding, ...]
    hotspots: tuple[Hotspot, ...] = ()
    notebooks: tuple[NotebookHygiene, ...] = ()
    history: HistorySummary | None = None  # None: not a git repository, or no commits
    #: pinned and unused dependencies, lock files; None: the repository declares none
    dependencies: DependencyHygiene | None = None
    stats: dict[str, int] = field(default_factory=dict)
    #: the ML Test Score (Breck et al. 2017) estimated from the files; set by `scan()`
    ml_test_score: MLTestScore | None = None
    #: own work against known upstream material; None: no upstream index to compare with
    provenance: ProvenanceSummary | None = None
    #: what a reviewer should know first (`red_flags.red_flags`); reporting, not scoring
    red_flags: tuple[RedFlag, ...] = ()

    def paths(self) -> set[str]:
        """Every file path the scorecard names, as a report would show it."""
        named = {item.path for c in self.categories for cr in c.criteria for item in cr.evidence}
        named.update(claim.path for claim in self.claims)
        named.update(spot.path for spot in self.hotspots)
        named.update(notebook.path for notebook in self.notebooks)
        named.update(finding.path for finding in self.findings)
        if self.dependencies:
            named.update(manifest.path for manifest in self.dependencies.manifests)
            named.update(lock.path for lock in self.dependencies.lockfiles)
            named.update(line.path for line in self.dependencies.unpinned)
            named.update(line.path for line in self.dependencies.unused)
        if self.ml_test_score:
            named.update(item.path for test in self.ml_test_score.tests for item in test.evidence)
        if self.provenance:
            named.update(upstream.example for upstream in self.provenance.upstreams)
        named.update(flag.path for flag in self.red_flags if flag.path is not None)
        return named

    def side(self, side: Side) -> tuple[CategoryResult, ...]:
        return tuple(category for category in self.categories if category.side == side)

    def category(self, category_id: str) -> CategoryResult:
        return next(category for category in self.categories if category.id == category_id)

    def criterion(self, criterion_id: str) -> CriterionResult:
        return next(
            criterion
            for category in self.categories
            for criterion in category.criteria
            if criterion.id == criterion_id
        )

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": TOOL_NAME, "version": self.tool_version},
            "target": {
                "name": self.target.title,
                "path": self.target.path,
                "commit": self.target.commit,
            },
            "rubric": {"id": self.rubric_id, "version": self.rubric_version},
            "real_world": {"score": round(self.real_world_score, 1), "grade": self.grade},
            "certification": {"score": round(self.certification_score, 1)},
            "profile": _profile_json(self.profile),
            "red_flags": [flag.to_json_dict() for flag in self.red_flags],
            "categories": [category.to_json_dict() for category in self.categories],
            "claims_without_evidence": [claim.to_json_dict() for claim in self.claims],
            "next_steps": [step.to_json_dict() for step in self.next_steps],
            "findings": [finding.to_json_dict() for finding in self.findings],
            "hotspots": [hotspot.to_json_dict() for hotspot in self.hotspots],
            "notebooks": [notebook.to_json_dict() for notebook in self.notebooks],
            "history": self.history.to_json_dict() if self.history else None,
            "dependency_hygiene": self.dependencies.to_json_dict() if self.dependencies else None,
            "stats": dict(self.stats),
            "ml_test_score": self.ml_test_score.to_json_dict() if self.ml_test_score else None,
            "provenance": self.provenance.to_json_dict() if self.provenance else None,
        }


def _profile_json(profile: Profile | None) -> dict[str, str] | None:
    if profile is None:
        return None
    return {
        "id": profile.id,
        "name": profile.name,
        "learner": profile.learner,
        "reviewer": profile.reviewer,
    }
