"""Own work against known upstream material, counted in lines: a pure function of the facts.

The analyzers say, file by file, whether the content matches a known course, lab, starter,
template or tutorial (`copied_file`) or nothing known (`own_file`), and the linker has
already settled which upstreams count for the repository (`analyzers/provenance.settle`).
Here those facts become the figures a reader and the scoring use: the share of the code
and text lines that is the author's own, each upstream's share, and the own and inherited
commits. A file that matches in part (a starter with its TODOs filled in) weighs in with
its matching part only: the rest is the author's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from portfolio_check.model.facts import (
    CopiedFileFact,
    Facts,
    HistoryFact,
    OwnFileFact,
    UpstreamRepositoryFact,
)
from portfolio_check.model.scorecard import ProvenanceSummary, UpstreamShare


def summarise(facts: Facts) -> ProvenanceSummary | None:
    """The provenance of the scanned repository; None when nothing was compared (there is
    no upstream index, or no file of code or text)."""
    copies = [f for f in facts.of("copied_file") if isinstance(f, CopiedFileFact)]
    own = [f for f in facts.of("own_file") if isinstance(f, OwnFileFact)]
    if not copies and not own:
        return None
    lines = sum(f.lines for f in copies) + sum(f.lines for f in own)
    upstreams = _upstreams(copies, lines)
    history = next((f for f in facts.of("history") if isinstance(f, HistoryFact)), None)
    return ProvenanceSummary(
        own_share=max(0.0, 1.0 - sum(u.share for u in upstreams)) if lines else 1.0,
        lines=lines,
        files=len(copies) + len(own),
        copied_files=sum(1 for copy in copies if copy.copied),
        upstreams=upstreams,
        own_commits=history.commits if history else None,
        upstream_commits=history.inherited_commits if history else None,
        itself=_itself(facts),
    )


def line_weights(facts: Facts) -> tuple[Mapping[str, float], int]:
    """What each compared file weighs in the repository's lines (a copy: its matching
    lines), and the repository's code and text lines in all."""
    weights: dict[str, float] = {}
    total = 0
    for fact in (*facts.of("copied_file"), *facts.of("own_file")):
        if isinstance(fact, CopiedFileFact):
            weights[fact.path] = fact.upstream_lines
            total += fact.lines
        elif isinstance(fact, OwnFileFact):
            weights[fact.path] = fact.lines
            total += fact.lines
    return weights, total


def _upstreams(copies: list[CopiedFileFact], lines: int) -> tuple[UpstreamShare, ...]:
    grouped: dict[str, list[CopiedFileFact]] = defaultdict(list)
    for copy in copies:
        grouped[copy.upstream].append(copy)
    shares = []
    for name, matching in grouped.items():
        largest = max(matching, key=lambda c: (c.upstream_lines, c.copied))
        shares.append(
            UpstreamShare(
                name=name,
                family=largest.family,
                kind=largest.material,
                share=sum(c.upstream_lines for c in matching) / lines if lines else 0.0,
                files=len(matching),
                example=largest.path,
                upstream_path=largest.upstream_path,
            )
        )
    return tuple(sorted(shares, key=lambda u: (-u.share, -u.files, u.name)))


def _itself(facts: Facts) -> UpstreamShare | None:
    fact = next(
        (f for f in facts.of("upstream_repository") if isinstance(f, UpstreamRepositoryFact)),
        None,
    )
    if fact is None:
        return None
    return UpstreamShare(
        name=fact.upstream,
        family=fact.family,
        kind=fact.material,
        share=0.0,
        files=0,
        example="",
        upstream_path="",
    )
