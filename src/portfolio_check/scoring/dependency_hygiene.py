"""Dependency hygiene: the scorecard's own section on how a repository declares what it
installs. Pure: facts in, a `DependencyHygiene` out.

It is a finding, never a claim: an unpinned line or a library nobody imports says nothing
about what the project does, only how repeatable its install is and how tidy its manifest.

A line is unpinned only where nothing pins it: every line of a lock or an environment
snapshot (`pip freeze`) is pinned, and a manifest that a lock file pins (a `pyproject.toml`
beside its `uv.lock`, the `.in` file of a pip-compile output) leaves its ranges to the lock.
Unused dependencies are those the linker marked: declared, never imported, and no tool that
is run rather than imported.
"""

from __future__ import annotations

from collections.abc import Iterable

from portfolio_check.model.facts import DependencyFact, DependencyManifestFact, Facts, LockfileFact
from portfolio_check.model.scorecard import (
    DependencyHygiene,
    DependencyLine,
    LockfileSummary,
    ManifestSummary,
)

#: The fact kinds this section reports: evidence from them is never a claim without evidence.
FACT_KINDS = frozenset({"dependency", "dependency_manifest", "lockfile"})
MAX_LISTED = 50  # manifests, unpinned lines and unused dependencies, each
PINNED_MANIFESTS = frozenset({"lock", "freeze"})


def dependency_hygiene(facts: Facts) -> DependencyHygiene | None:
    """The section, or None when the repository declares no dependencies at all."""
    found = facts.of("dependency_manifest")
    manifests = sorted(
        (fact for fact in found if isinstance(fact, DependencyManifestFact)),
        key=lambda fact: fact.path,
    )
    if not manifests:
        return None
    pinned_elsewhere = {
        manifest.path
        for manifest in manifests
        if manifest.locked_by or manifest.manifest in PINNED_MANIFESTS
    }
    declared = sorted(
        (fact for fact in facts.of("dependency") if isinstance(fact, DependencyFact)),
        key=lambda fact: (fact.path, fact.location.line or 0),
    )
    unpinned = [f for f in declared if not f.pinned and f.path not in pinned_elsewhere]
    unused = [fact for fact in declared if fact.unused]
    locks = sorted(
        (fact for fact in facts.of("lockfile") if isinstance(fact, LockfileFact)),
        key=lambda fact: fact.path,
    )
    return DependencyHygiene(
        manifests=tuple(_manifest(fact) for fact in manifests[:MAX_LISTED]),
        manifests_omitted=max(len(manifests) - MAX_LISTED, 0),
        lockfiles=tuple(LockfileSummary(path=f.path, tool=f.tool) for f in locks[:MAX_LISTED]),
        unpinned=_lines(unpinned[:MAX_LISTED]),
        unpinned_omitted=max(len(unpinned) - MAX_LISTED, 0),
        unused=_lines(unused[:MAX_LISTED]),
        unused_omitted=max(len(unused) - MAX_LISTED, 0),
    )


def _manifest(fact: DependencyManifestFact) -> ManifestSummary:
    return ManifestSummary(
        path=fact.path,
        manifest=fact.manifest,
        dependencies=fact.dependencies,
        pinned=fact.pinned,
        locked_by=fact.locked_by,
        includes=fact.includes,
    )


def _lines(facts: Iterable[DependencyFact]) -> tuple[DependencyLine, ...]:
    return tuple(
        DependencyLine(
            path=fact.path,
            line=fact.location.line,
            name=fact.name,
            spec=fact.spec,
            manifest=fact.manifest,
        )
        for fact in facts
    )
