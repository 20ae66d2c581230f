"""Rubrics: YAML data, validated against a JSON Schema, with `extends` resolved.

A rubric lists categories (each on the real-world or the certification side) of weighted
criteria. A criterion is proved by signals: declarative matchers over facts that each say
which evidence level they prove. Every error names the file and the key path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from portfolio_check.common.errors import RubricError
from portfolio_check.common.resources import rubrics_dir
from portfolio_check.common.safe_yaml import YamlError, load_packaged_yaml, load_yaml
from portfolio_check.model.conditions import (
    Condition,
    compile_regex,
    equal_condition,
    glob_test,
    where_condition,
)
from portfolio_check.model.content_query import ContentQuery
from portfolio_check.model.facts import FACT_TYPES, fact_fields
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.rubric import (
    Category,
    ClaimRule,
    Criterion,
    CriterionLevel,
    Grade,
    Profile,
    ProjectKind,
    Rubric,
    Signal,
)
from portfolio_check.rubric import DEFAULT_RUBRIC
from portfolio_check.rubric.schema import full_schema, overlay_schema, validate_document

MAX_RUBRIC_BYTES = 512 * 1024
MAX_EXTENDS_DEPTH = 8
DEFAULT_LEVEL_SCORES = {"absent": 0, "claimed": 10, "present": 50, "wired": 75, "automated": 100}
#: Data files that ship in `rubrics/` but are not rubrics (the ML Test Score's 28 tests).
NOT_RUBRICS = frozenset({"ml-test-score"})


# loading ---------------------------------------------------------------------------------
def builtin_rubrics() -> list[str]:
    return sorted(
        path.stem for path in rubrics_dir().glob("*.yaml") if path.stem not in NOT_RUBRICS
    )


def load_rubric(name_or_path: str = DEFAULT_RUBRIC) -> Rubric:
    """Load a built-in rubric by name, or a rubric file by path, with `extends` resolved."""
    path = _locate(name_or_path, relative_to=None)
    document = _resolved_document(path, chain=())
    return _build(document, source=display_source(path))


def _locate(name_or_path: str, relative_to: Path | None) -> Path:
    candidate = Path(name_or_path)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
        if not candidate.is_file():
            raise RubricError(str(name_or_path), "", "no such rubric file")
        return candidate
    builtin = rubrics_dir() / f"{name_or_path}.yaml"
    if (
        re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name_or_path)
        and name_or_path not in NOT_RUBRICS
        and builtin.is_file()
    ):
        return builtin
    known = ", ".join(builtin_rubrics())
    raise RubricError(name_or_path, "", f"no rubric by that name or path (built-in: {known})")


def display_source(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        if path.resolve().parent == rubrics_dir().resolve():
            return f"rubrics/{path.name}"
        return path.as_posix()


def read_document(path: Path) -> dict[str, Any]:
    source = display_source(path)
    try:
        if path.stat().st_size > MAX_RUBRIC_BYTES:
            raise RubricError(source, "", f"larger than {MAX_RUBRIC_BYTES // 1024} KiB")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RubricError(source, "", "not UTF-8 text") from None
    except OSError as error:
        raise RubricError(source, "", error.strerror or "cannot be read") from None
    try:
        document = load_packaged_yaml(text) if is_packaged(path) else load_yaml(text)
    except YamlError as error:
        raise RubricError(source, "", f"not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise RubricError(source, "", "expected a mapping at the top level")
    return document


def is_packaged(path: Path) -> bool:
    """A rubric that ships with the tool: trusted, read with libyaml, and validated by the
    test suite (tests/rubric/test_loading.py) rather than on every scan (a quarter of a second)."""
    return path.resolve().parent == rubrics_dir().resolve()


def _resolved_document(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    source = display_source(path)
    if path.resolve() in chain:
        raise RubricError(source, "extends", "rubrics extend each other in a loop")
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise RubricError(source, "extends", f"more than {MAX_EXTENDS_DEPTH} levels of extends")
    document = read_document(path)
    parent_name = document.get("extends")
    if parent_name is None:
        if not is_packaged(path):
            validate_document(document, full_schema(), source)
        return document
    validate_document(document, overlay_schema(), source)
    try:
        parent_path = _locate(str(parent_name), relative_to=path.parent)
    except RubricError as error:
        raise RubricError(source, "extends", error.problem) from None
    parent = _resolved_document(parent_path, (*chain, path.resolve()))
    merged = merge_rubrics(parent, document)
    validate_document(merged, full_schema(), source, by_id=True)
    return merged


def merge_rubrics(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """Child values win; categories and criteria merge by id; `remove: true` drops one.
    A criterion that lists `signals` replaces the parent's signals wholesale."""
    merged = {key: value for key, value in parent.items() if key != "extends"}
    merged.update({k: v for k, v in child.items() if k not in ("extends", "categories")})
    merged["categories"] = _merge_by_id(
        parent.get("categories", []), child.get("categories", []), nested="criteria"
    )
    if "claims" in merged:
        merged["claims"] = _claims_still_checkable(merged["claims"], merged["categories"])
    return merged


def _claims_still_checkable(
    claims: Sequence[Mapping[str, Any]], categories: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The claims left once an extending rubric removed criteria: a claim filed under a
    removed criterion goes, as does evidence that names one (or one of its signals)."""
    criteria = [c for category in categories for c in category.get("criteria", [])]
    criterion_ids = {criterion.get("id") for criterion in criteria}
    signal_ids = {s.get("id") for criterion in criteria for s in criterion.get("signals", [])}

    def known(evidence: Any) -> bool:
        if isinstance(evidence, str):
            return evidence in signal_ids
        return not isinstance(evidence, Mapping) or evidence.get("criterion", "") in (
            criterion_ids | {""}
        )

    kept = []
    for claim in claims:
        evidence = [item for item in claim.get("evidence", []) if known(item)]
        if claim.get("criterion") in criterion_ids and evidence:
            kept.append({**claim, "evidence": evidence})
    return kept


def _merge_by_id(
    parents: Sequence[Mapping[str, Any]], children: Sequence[Mapping[str, Any]], nested: str | None
) -> list[dict[str, Any]]:
    result = [dict(item) for item in parents]
    positions = {item.get("id"): index for index, item in enumerate(result)}
    for child in children:
        index = positions.get(child.get("id"))
        if index is None:
            if not child.get("remove"):
                result.append(dict(child))
            continue
        combined = {**result[index], **{k: v for k, v in child.items() if k != nested}}
        if nested and nested in child:
            combined[nested] = _merge_by_id(result[index].get(nested, []), child[nested], None)
        result[index] = combined
    return [item for item in result if not item.get("remove")]


# building --------------------------------------------------------------------------------
def _build(document: Mapping[str, Any], source: str) -> Rubric:
    scores = {**DEFAULT_LEVEL_SCORES, **document.get("level_scores", {})}
    level_scores = tuple(float(scores[level.label]) for level in EvidenceLevel)
    if any(higher < lower for lower, higher in pairwise(level_scores)):
        raise RubricError(source, "level_scores", "scores must not fall as the level rises")
    categories = tuple(
        _category(item, f"categories[{index}]", source)
        for index, item in enumerate(document["categories"])
    )
    rubric = Rubric(
        id=document["id"],
        version=str(document["version"]),
        name=document["name"],
        description=document.get("description", ""),
        source=source,
        categories=categories,
        level_scores=level_scores,
        grades=tuple(Grade(**grade) for grade in document.get("grades", [])),
        profiles=tuple(_profile(item) for item in document.get("profiles", [])),
        project_kinds=tuple(
            _project_kind(item, f"project_kinds[{index}]", source)
            for index, item in enumerate(document.get("project_kinds", []))
        ),
        claims=tuple(
            _claim(item, f"claims[{index}]", source)
            for index, item in enumerate(document.get("claims", []))
        ),
    )
    _check_ids(rubric, source)
    _check_references(rubric, source)
    return rubric


def _project_kind(item: Mapping[str, Any], path: str, source: str) -> ProjectKind:
    kind_id = item["id"]
    return ProjectKind(
        id=kind_id,
        name=item["name"],
        signals=tuple(
            build_signal(
                signal,
                f"{path}.signals[{index}]",
                source,
                f"kind.{kind_id}.{index + 1}",
                level=EvidenceLevel.PRESENT,
            )
            for index, signal in enumerate(item["signals"])
        ),
    )


def _claim(item: Mapping[str, Any], path: str, source: str) -> ClaimRule:
    claim_id = item["id"]
    query_id = f"claim.{claim_id}"
    pattern = compile_regex(item["mention"], source, f"{path}.mention")
    signals, signal_ids, criteria = [], [], []
    for index, evidence in enumerate(item["evidence"]):
        if isinstance(evidence, str):
            signal_ids.append(evidence)
        elif "criterion" in evidence:
            level = EvidenceLevel.from_label(evidence.get("min_level", "present"))
            criteria.append(CriterionLevel(criterion=evidence["criterion"], min_level=level))
        else:
            where = f"{path}.evidence[{index}]"
            default_id = f"{query_id}.{index + 1}"
            signals.append(
                build_signal(evidence, where, source, default_id, level=EvidenceLevel.PRESENT)
            )
    return ClaimRule(
        id=claim_id,
        name=item["name"],
        query=ContentQuery(
            id=query_id, glob=item.get("glob", "README*"), pattern=pattern, prose=True
        ),
        criterion=item["criterion"],
        signals=tuple(signals),
        signal_ids=tuple(signal_ids),
        criteria=tuple(criteria),
    )


def _profile(item: Mapping[str, Any]) -> Profile:
    when = item.get("when", {})

    def bounds(side: str) -> tuple[float, float]:
        limits = when.get(side, {})
        return float(limits.get("min", 0)), float(limits.get("max", 100))

    return Profile(
        id=item["id"],
        name=item["name"],
        learner=item["learner"].strip(),
        reviewer=item["reviewer"].strip(),
        real_world=bounds("real_world"),
        certification=bounds("certification"),
        missing_kinds=tuple(when.get("missing_kinds", [])),
    )


def _category(item: Mapping[str, Any], path: str, source: str) -> Category:
    return Category(
        id=item["id"],
        name=item["name"],
        side=item["side"],
        weight=float(item["weight"]),
        description=item.get("description", ""),
        applies_to=item.get("applies_to"),
        criteria=tuple(
            _criterion(criterion, f"{path}.criteria[{index}]", source, item["id"])
            for index, criterion in enumerate(item["criteria"])
        ),
    )


def _criterion(item: Mapping[str, Any], path: str, source: str, category: str) -> Criterion:
    criterion_id = item["id"]
    signals = tuple(
        build_signal(
            signal, f"{path}.signals[{index}]", source, f"{category}.{criterion_id}.{index + 1}"
        )
        for index, signal in enumerate(item["signals"])
    )
    return Criterion(
        id=criterion_id,
        name=item["name"],
        weight=float(item["weight"]),
        remediation=_remediation(item["remediation"], item.get("max_level", "automated")),
        signals=signals,
        description=item.get("description", ""),
        max_level=EvidenceLevel.from_label(item.get("max_level", "automated")),
        scoring=item.get("scoring", "levels"),
        effort=int(item.get("effort", 2)),
    )


def _remediation(value: str | Mapping[str, str], max_level: str) -> dict[EvidenceLevel, str]:
    if isinstance(value, str):
        return {EvidenceLevel.from_label(max_level): value}
    return {EvidenceLevel.from_label(level): text for level, text in value.items()}


def build_signal(
    item: Mapping[str, Any],
    path: str,
    source: str,
    default_id: str,
    *,
    level: EvidenceLevel | None = None,
) -> Signal:
    """A signal from its YAML mapping; `path` is its key path for errors. The level is the
    item's `level:` unless given (other signal lists, such as the ML Test Score's, omit it)."""
    signal_id = item.get("id", default_id)
    if level is None:
        level = EvidenceLevel.from_label(item["level"])
    common = {
        "id": signal_id,
        "level": level,
        "requires": tuple(item.get("requires", [])),
        "min_count": int(item.get("min_count", 1)),
        "detail": item.get("detail"),
    }
    if "file" in item:
        spec = item["file"]
        glob_condition = Condition(field="path", test=glob_test(spec["glob"]))
        if "contains" not in spec:
            return Signal(fact_kind="file", where=(glob_condition,), **common)
        pattern = compile_regex(spec["contains"], source, f"{path}.file.contains")
        query = ContentQuery(id=signal_id, glob=spec["glob"], pattern=pattern)
        where = (equal_condition("query", signal_id),)
        return Signal(fact_kind="content_match", where=where, query=query, **common)
    kind = item["fact"]
    if kind not in FACT_TYPES:
        raise RubricError(
            source,
            f"{path}.fact",
            f"unknown fact '{kind}' (known: {', '.join(sorted(FACT_TYPES))})",
        )
    allowed = fact_fields(kind)
    conditions: list[Condition] = []
    for field_name, expected in item.get("where", {}).items():
        if field_name not in allowed:
            known = ", ".join(sorted(allowed))
            raise RubricError(
                source,
                f"{path}.where.{field_name}",
                f"fact '{kind}' has no such field (fields: {known})",
            )
        conditions.append(
            where_condition(field_name, expected, source, f"{path}.where.{field_name}")
        )
    return Signal(fact_kind=kind, where=tuple(conditions), **common)


def _check_ids(rubric: Rubric, source: str) -> None:
    seen: dict[str, str] = {}
    for category in rubric.categories:
        for criterion in category.criteria:
            where = f"categories[{category.id}].criteria[{criterion.id}]"
            if criterion.id in seen:
                raise RubricError(source, where, f"criterion id '{criterion.id}' is used twice")
            seen[criterion.id] = where
    signals = {signal.id: signal for signal in rubric.signals()}
    if len(signals) != sum(1 for _ in rubric.signals()):
        raise RubricError(source, "categories", "two signals share one id")
    for signal in signals.values():
        for required in signal.requires:
            if required not in signals:
                raise RubricError(
                    source, f"signals[{signal.id}].requires", f"no signal with id '{required}'"
                )
    for signal in signals.values():
        _check_no_cycle(signal.id, signals, (), source)


def _check_references(rubric: Rubric, source: str) -> None:
    """Every id that kinds, claims, categories and profiles name must exist."""
    kinds = {kind.id for kind in rubric.project_kinds}
    criteria = {c.id for category in rubric.categories for c in category.criteria}
    signals = {signal.id for signal in rubric.signals()}
    for category in rubric.categories:
        if category.applies_to is not None and category.applies_to not in kinds:
            problem = f"no project kind with id '{category.applies_to}'"
            raise RubricError(source, f"categories[{category.id}].applies_to", problem)
    for profile in rubric.profiles:
        for kind in profile.missing_kinds:
            if kind not in kinds:
                problem = f"no project kind with id '{kind}'"
                raise RubricError(source, f"profiles[{profile.id}].when.missing_kinds", problem)
    for claim in rubric.claims:
        where = f"claims[{claim.id}]"
        named = [claim.criterion, *(item.criterion for item in claim.criteria)]
        for criterion in named:
            if criterion not in criteria:
                raise RubricError(source, where, f"no criterion with id '{criterion}'")
        for signal_id in claim.signal_ids:
            if signal_id not in signals:
                raise RubricError(source, f"{where}.evidence", f"no signal with id '{signal_id}'")


def _check_no_cycle(
    signal_id: str, signals: Mapping[str, Signal], chain: tuple[str, ...], source: str
) -> None:
    if signal_id in chain:
        raise RubricError(
            source, f"signals[{signal_id}].requires", "signals require each other in a loop"
        )
    for required in signals[signal_id].requires:
        _check_no_cycle(required, signals, (*chain, signal_id), source)
