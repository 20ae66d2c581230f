"""Evaluation: a pure function from (rubric, facts) to a Scorecard. No I/O happens here.

For each criterion, every signal that holds contributes its matching facts as evidence at
the signal's level. Placeholders, and real-world artefacts that sit under a course folder,
are capped at "claimed": they have the shape of evidence, not the substance.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from portfolio_check.model.facts import (
    Fact,
    Facts,
    FindingFact,
    ForeignPlaces,
    FunctionFact,
    HistoryFact,
    NotebookFact,
    in_place,
)
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.ml_test_suite import MLTestSuite
from portfolio_check.model.rubric import Category, ClaimRule, Criterion, Rubric, Side
from portfolio_check.model.scorecard import (
    CategoryResult,
    Claim,
    CriterionResult,
    Evidence,
    Finding,
    HistorySummary,
    Hotspot,
    NextStep,
    NotebookHygiene,
    Scorecard,
    TargetInfo,
)
from portfolio_check.scoring.advice import fill, project_names
from portfolio_check.scoring.dependency_hygiene import FACT_KINDS as DEPENDENCY_KINDS
from portfolio_check.scoring.dependency_hygiene import dependency_hygiene
from portfolio_check.scoring.evaluation import SignalOutcome, shown_evidence, signal_outcomes
from portfolio_check.scoring.ml_test_score import ml_test_score
from portfolio_check.scoring.provenance import line_weights, summarise
from portfolio_check.scoring.red_flags import red_flags

MAX_EVIDENCE_PER_CRITERION = 50
MAX_NEXT_STEPS = 3
MIN_GAIN = 0.05  # points; below this a step is not worth a line
MAX_HOTSPOTS = 10
HOTSPOT_COMPLEXITY = 11  # radon rank C and worse: "moderate" complexity and up
LARGE_OUTPUTS = 1_000_000  # bytes of stored notebook outputs
WORK_FILE_KINDS = ("python_module", "notebook")


def evaluate(
    rubric: Rubric,
    facts: Facts,
    target: TargetInfo,
    *,
    tool_version: str,
    not_applicable: Mapping[str, str] | None = None,
    ml_tests: MLTestSuite | None = None,
) -> Scorecard:
    """The scorecard. `not_applicable`: criterion or category ids the repository's own
    config marks not applicable, with its reasons: they are left out of the score.
    `ml_tests`: the ML Test Score's tests, scored on the same facts; None: not scored."""
    foreign = ForeignPlaces.of(facts)
    outcomes = _signal_outcomes(rubric, facts, foreign)
    evidence = {
        criterion.id: _evidence(criterion, category.side, outcomes, foreign)
        for category in rubric.categories
        for criterion in category.criteria
    }
    for criterion_id, items in _unmet_claims(rubric, facts, outcomes, evidence).items():
        evidence[criterion_id] = sorted([*evidence[criterion_id], *items], key=_evidence_order)
    weights, lines = line_weights(facts)
    provenance = summarise(facts)
    evaluation = _Evaluation(
        rubric=rubric,
        evidence=evidence,
        kinds=_project_kinds(rubric, outcomes),
        work_files=_work_files(facts),
        unknown_kinds=facts.unknown,
        names=project_names(facts),
        line_weights=weights,
        lines=lines,
        copies_found=None if provenance is None else bool(provenance.upstreams),
        not_applicable=not_applicable or {},
    )
    categories = tuple(_category(category, evaluation) for category in rubric.categories)
    real_world = _side_score(categories, "real_world")
    certification = _side_score(categories, "certification")
    grade = rubric.grade_for(real_world)
    card = Scorecard(
        tool_version=tool_version,
        target=target,
        rubric_id=rubric.id,
        rubric_name=rubric.name,
        rubric_version=rubric.version,
        real_world_score=real_world,
        grade=grade.grade,
        grade_label=grade.label,
        grade_tone=rubric.grade_tone(real_world),
        certification_score=certification,
        profile=rubric.profile_for(real_world, certification, evaluation.kinds),
        categories=categories,
        claims=_claims(categories, _dependency_signals(rubric)),
        next_steps=_next_steps(categories, rubric),
        findings=_findings(facts.of("finding")),
        hotspots=_hotspots(facts.of("function")),
        notebooks=_notebook_hygiene(facts.of("notebook")),
        history=_history(facts.of("history")),
        stats=_stats(facts),
        dependencies=dependency_hygiene(facts),
        provenance=provenance,
        ml_test_score=None if ml_tests is None else ml_test_score(ml_tests, facts),
    )
    return dataclasses.replace(card, red_flags=red_flags(facts, card))


# signals ---------------------------------------------------------------------------------
def _signal_outcomes(
    rubric: Rubric, facts: Facts, foreign: ForeignPlaces
) -> dict[str, SignalOutcome]:
    sides: dict[str, Side] = {
        signal.id: "real_world" for claim in rubric.claims for signal in claim.signals
    }
    sides.update(
        (signal.id, "certification")  # course material still shows what a project is
        for kind in rubric.project_kinds
        for signal in kind.signals
    )
    sides.update(
        (signal.id, category.side)
        for category in rubric.categories
        for criterion in category.criteria
        for signal in criterion.signals
    )
    return signal_outcomes(rubric.matchers(), sides, facts, foreign)


def _project_kinds(rubric: Rubric, outcomes: Mapping[str, SignalOutcome]) -> frozenset[str]:
    """The kinds of project the repository is: those with a signal that matches anything.
    Placeholders count here: a declared but unused ML library still says what it is."""
    return frozenset(
        kind.id
        for kind in rubric.project_kinds
        if any(outcomes[signal.id].matches for signal in kind.signals)
    )


# claims ----------------------------------------------------------------------------------
def _unmet_claims(
    rubric: Rubric,
    facts: Facts,
    outcomes: Mapping[str, SignalOutcome],
    evidence: Mapping[str, Sequence[Evidence]],
) -> dict[str, list[Evidence]]:
    """README claims that nothing in the repository backs, as claim-level evidence of the
    criterion each belongs to. A backed claim is not listed: the evidence speaks for it."""
    mentions: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts.of("content_match"):
        mentions[getattr(fact, "query", "")].append(fact)
    unmet: dict[str, list[Evidence]] = defaultdict(list)
    for claim in rubric.claims:
        found = mentions.get(claim.query.id)
        if not found or _backed(claim, outcomes, evidence):
            continue
        unmet[claim.criterion].extend(
            Evidence(
                path=fact.path,
                line=fact.location.line,
                detail=f"claims {claim.name}: {fact.describe()}",
                level=EvidenceLevel.CLAIMED,
                signal=claim.query.id,
                claim=True,
            )
            for fact in found
        )
    return unmet


def _backed(
    claim: ClaimRule,
    outcomes: Mapping[str, SignalOutcome],
    evidence: Mapping[str, Sequence[Evidence]],
) -> bool:
    signals = [signal.id for signal in claim.signals] + list(claim.signal_ids)
    return any(outcomes[signal].holds for signal in signals) or any(
        _level(evidence[need.criterion]) >= need.min_level for need in claim.criteria
    )


def _level(evidence: Iterable[Evidence]) -> EvidenceLevel:
    return max((item.level for item in evidence), default=EvidenceLevel.ABSENT)


# criteria and categories -----------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class _Evaluation:
    """What every criterion is judged against."""

    rubric: Rubric
    evidence: Mapping[str, Sequence[Evidence]]  # by criterion id, deepest first
    kinds: frozenset[str]  # the project kinds the repository is (ml)
    work_files: frozenset[str]
    unknown_kinds: frozenset[str]  # fact kinds this target cannot show (history of a folder)
    names: Mapping[str, str]  # the repository's own file names, for advice
    #: what each file of code or text weighs in the repository's lines (a copy: its
    #: matching part), and those lines in all
    line_weights: Mapping[str, float]
    lines: int
    #: whether any of the repository matches a known upstream; None: not compared
    copies_found: bool | None
    #: criterion and category ids the repository's config marks not applicable: reasons
    not_applicable: Mapping[str, str]


def _category(category: Category, evaluation: _Evaluation) -> CategoryResult:
    reason = evaluation.not_applicable.get(category.id)
    criteria = tuple(_criterion(criterion, evaluation, reason) for criterion in category.criteria)
    excused = [criterion for criterion in criteria if not criterion.inconclusive]
    # a category whose every criterion its repository excuses is excused as a whole
    if reason is None and excused and all(criterion.not_applicable for criterion in excused):
        reason = "; ".join(dict.fromkeys(str(criterion.not_applicable) for criterion in excused))
    return CategoryResult(
        id=category.id,
        name=category.name,
        description=category.description,
        side=category.side,
        weight=category.weight,
        score=_weighted(criteria),
        criteria=criteria,
        inconclusive=all(criterion.inconclusive for criterion in criteria),
        not_applicable=reason is not None
        or (category.applies_to is not None and category.applies_to not in evaluation.kinds),
        not_applicable_reason=reason,
    )


def _criterion(
    criterion: Criterion, evaluation: _Evaluation, category_reason: str | None = None
) -> CriterionResult:
    evidence = evaluation.evidence[criterion.id]
    real = [item for item in evidence if item.placeholder is None and not item.claim]
    level = min(
        max((item.level for item in evidence), default=EvidenceLevel.ABSENT), criterion.max_level
    )
    scores = evaluation.rubric.level_scores
    if criterion.scoring == "levels":
        score = 100 * scores[level] / scores[criterion.max_level]
    elif criterion.scoring == "presence":
        score = 100.0 if real else 0.0
    elif criterion.scoring == "line-share":
        score = _line_share(real, evaluation.line_weights, evaluation.lines)
    else:
        score = _share(real, evaluation.work_files, evaluation.copies_found)
    shown = tuple(evidence[:MAX_EVIDENCE_PER_CRITERION])
    # a criterion that only this target's kind can never show is left out, not scored zero
    inconclusive = not evidence and all(
        signal.fact_kind in evaluation.unknown_kinds for signal in criterion.signals
    )
    return CriterionResult(
        id=criterion.id,
        name=criterion.name,
        description=criterion.description,
        weight=criterion.weight,
        level=level,
        max_level=criterion.max_level,
        score=score,
        remediation=fill(criterion.remediation_for(level), evaluation.names),
        evidence=shown,
        evidence_omitted=len(evidence) - len(shown),
        inconclusive=inconclusive,
        not_applicable=evaluation.not_applicable.get(criterion.id, category_reason),
    )


def _evidence(
    criterion: Criterion,
    side: Side,
    outcomes: Mapping[str, SignalOutcome],
    foreign: ForeignPlaces,
) -> list[Evidence]:
    """One evidence item per fact, at the highest level any holding signal gives it."""
    shown = [
        (outcomes[signal.id], signal.level if outcomes[signal.id].holds else None)
        for signal in criterion.signals
    ]
    return sorted(shown_evidence(shown, side, foreign), key=_evidence_order)


def _evidence_order(item: Evidence) -> tuple[int, str, int, int]:
    return (-item.level, item.path, item.cell or 0, item.line or 0)


def _share(
    evidence: Iterable[Evidence], work_files: frozenset[str], copies_found: bool | None
) -> float:
    """Share of the repo's work files (modules and notebooks) that the evidence covers. A
    top-level README that says the repository is course work makes all of it course work,
    unless provenance finds none of it in any known course, lab, starter, template or
    tutorial (`copies_found` False; None: not compared): a capstone project the author
    wrote for a course is theirs."""
    places = {item.path for item in evidence}
    if not work_files:
        return 100.0 if places else 0.0
    if copies_found is not False and any(
        "/" not in place and place.lower().endswith(".md") for place in places
    ):
        return 100.0
    covered = {path for path in work_files if in_place(path, places) is not None}
    return 100 * len(covered) / len(work_files)


def _line_share(evidence: Iterable[Evidence], weights: Mapping[str, float], lines: int) -> float:
    """Share of the repository's code and text lines that the evidence's files weigh (a
    file matching an upstream in part: its matching part)."""
    if not lines:
        return 0.0
    return min(
        100.0, 100 * sum(weights.get(path, 0.0) for path in {i.path for i in evidence}) / lines
    )


def _work_files(facts: Facts) -> frozenset[str]:
    return frozenset(
        fact.path
        for kind in WORK_FILE_KINDS
        for fact in facts.of(kind)
        if getattr(fact, "scope", "code") != "test"
    )


def _weighted(criteria: Sequence[CriterionResult]) -> float:
    """Weighted mean of the criteria that count (neither unknown nor n/a)."""
    return _mean([(c.score, c.weight) for c in criteria if c.counted])


def _side_score(categories: Sequence[CategoryResult], side: Side) -> float:
    """Weighted mean of the side's categories that count (neither unknown nor n/a)."""
    return _mean([(c.score, c.weight) for c in categories if c.side == side and c.counted])


def _mean(scored: Sequence[tuple[float, float]]) -> float:
    total = sum(weight for _, weight in scored)
    return sum(score * weight for score, weight in scored) / total if total else 0.0


# what the learner reads next -------------------------------------------------------------
def _dependency_signals(rubric: Rubric) -> frozenset[str]:
    """Signals over declared dependencies: their findings are dependency hygiene, its own
    section of the scorecard, not claims."""
    return frozenset(s.id for s in rubric.signals() if s.fact_kind in DEPENDENCY_KINDS)


def _claims(
    categories: Sequence[CategoryResult], hygiene_signals: AbstractSet[str]
) -> tuple[Claim, ...]:
    """Placeholders everywhere, README claims nothing backs, and claim-level evidence of
    criteria that never got past it, except dependency lines (dependency hygiene). One fact
    seen by several criteria is listed once, under the first."""
    claims: dict[tuple[str, int | None, int | None, str], Claim] = {}
    for category in categories:
        if category.side != "real_world":
            continue
        for criterion in category.criteria:
            unbacked = criterion.level <= EvidenceLevel.CLAIMED
            for item in criterion.evidence:
                if item.signal in hygiene_signals:
                    continue
                if (
                    item.placeholder
                    or item.claim
                    or (unbacked and item.level == EvidenceLevel.CLAIMED)
                ):
                    detail = (
                        f"{item.detail} ({item.placeholder})" if item.placeholder else item.detail
                    )
                    claims.setdefault(
                        (item.path, item.line, item.cell, detail),
                        Claim(
                            criterion=criterion.id,
                            criterion_name=criterion.name,
                            path=item.path,
                            line=item.line,
                            cell=item.cell,
                            detail=detail,
                            prose=item.claim,
                        ),
                    )
    return tuple(claims.values())


def _next_steps(categories: Sequence[CategoryResult], rubric: Rubric) -> tuple[NextStep, ...]:
    """The criteria whose completion adds the most real-world points for the least effort."""
    efforts = {c.id: c.effort for cat in rubric.categories for c in cat.criteria}
    real = [c for c in categories if c.side == "real_world" and c.counted]
    side_weight = sum(category.weight for category in real)
    steps: list[NextStep] = []
    for category in real:
        counted = [criterion for criterion in category.criteria if criterion.counted]
        criteria_weight = sum(criterion.weight for criterion in counted)
        for criterion in counted:
            share = (criterion.weight / criteria_weight) * (category.weight / side_weight)
            gain = share * (100 - criterion.score)
            if gain > MIN_GAIN:
                steps.append(
                    NextStep(
                        criterion=criterion.id,
                        criterion_name=criterion.name,
                        category=category.name,
                        gain=gain,
                        effort=efforts.get(criterion.id, 2),
                        action=criterion.remediation,
                        current_level=criterion.level,
                    )
                )
    steps.sort(key=lambda step: (-step.gain / step.effort, -step.gain, step.criterion))
    return tuple(steps[:MAX_NEXT_STEPS])


def _findings(facts: Iterable[Fact]) -> tuple[Finding, ...]:
    return tuple(
        Finding(path=fact.path, line=fact.location.line, message=fact.message)
        for fact in facts
        if isinstance(fact, FindingFact)
    )


def _hotspots(facts: Iterable[Fact]) -> tuple[Hotspot, ...]:
    """The most complex functions of the project's own code, worst first."""
    complex_functions = [
        fact
        for fact in facts
        if isinstance(fact, FunctionFact)
        and fact.complexity >= HOTSPOT_COMPLEXITY
        and fact.scope != "test"
    ]
    complex_functions.sort(key=lambda f: (-f.complexity, f.path, f.location.line or 0))
    return tuple(
        Hotspot(
            path=f.path,
            line=f.location.line,
            name=f.name,
            type=f.type,
            complexity=f.complexity,
            rank=f.rank,
        )
        for f in complex_functions[:MAX_HOTSPOTS]
    )


def _notebook_hygiene(facts: Iterable[Fact]) -> tuple[NotebookHygiene, ...]:
    """Notebooks a reader would trip over: run out of order, errors or paths left in."""
    hygiene = []
    for fact in facts:
        if not isinstance(fact, NotebookFact):
            continue
        checks = (
            ("cells were run out of order", fact.execution == "non-linear"),
            ("some code cells were never run", fact.execution == "partial"),
            (f"{fact.error_outputs} error outputs left in", fact.error_outputs > 0),
            (f"{fact.absolute_paths} hard-coded absolute paths", fact.absolute_paths > 0),
            (f"{fact.output_bytes / 1e6:.1f} MB of outputs", fact.output_bytes > LARGE_OUTPUTS),
        )
        problems = tuple(text for text, present in checks if present)
        if problems:
            hygiene.append(
                NotebookHygiene(
                    path=fact.path,
                    execution=fact.execution,
                    error_outputs=fact.error_outputs,
                    absolute_paths=fact.absolute_paths,
                    output_bytes=fact.output_bytes,
                    problems=problems,
                )
            )
    return tuple(hygiene)


def _history(facts: Sequence[Fact]) -> HistorySummary | None:
    fact = next((f for f in facts if isinstance(f, HistoryFact)), None)
    if fact is None:
        return None
    return HistorySummary(
        commits=fact.commits,
        authors=fact.authors,
        active_days=fact.active_days,
        active_weeks=fact.active_weeks,
        span_days=fact.span_days,
        first_commit=fact.first_commit,
        last_commit=fact.last_commit,
        pr_merges=fact.pr_merges,
        largest_commit_share=fact.largest_commit_share,
        shallow=fact.shallow,
        note=fact.placeholder,
        inherited_commits=fact.inherited_commits,
    )


def _stats(facts: Facts) -> dict[str, int]:
    modules = facts.of("python_module")
    return {
        "files": facts.count("file"),
        "python_modules": sum(1 for m in modules if getattr(m, "scope", "") != "test"),
        "test_modules": sum(1 for m in modules if getattr(m, "scope", "") == "test"),
        "test_functions": facts.count("test_function"),
        "notebooks": facts.count("notebook"),
        "findings": facts.count("finding"),
    }
