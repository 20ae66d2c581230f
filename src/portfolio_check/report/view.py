"""What every template receives: the scorecard plus a few values derived for display."""

from __future__ import annotations

from typing import Any

from portfolio_check.common.plural import counted
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.scorecard import DependencyLine, ManifestSummary, Scorecard
from portfolio_check.report import charts
from portfolio_check.scoring import red_flags

LEVEL_HINTS = {
    EvidenceLevel.ABSENT: "nothing found",
    EvidenceLevel.CLAIMED: "only prose, an unused dependency or a placeholder",
    EvidenceLevel.PRESENT: "a real artefact with real content",
    EvidenceLevel.WIRED: "the project's own code or config uses it",
    EvidenceLevel.AUTOMATED: "tests, CI, a schedule or the serving path run it",
}

#: What each kind of manifest is, for a reader.
MANIFEST_KINDS = {
    "requirements": "requirements",
    "lock": "compiled lock",
    "freeze": "environment snapshot",
    "pyproject": "pyproject",
    "environment": "conda environment",
    "pipfile": "Pipfile",
    "setup.cfg": "setup.cfg",
}


def manifest_line(manifest: ManifestSummary) -> str:
    """`conda environment, 3 of 3 pinned`, and the lock that pins the rest, if one does."""
    kind = MANIFEST_KINDS.get(manifest.manifest, manifest.manifest)
    if manifest.dependencies:
        text = f"{kind}, {manifest.pinned} of {manifest.dependencies} pinned"
    else:
        text = f"{kind}, installs only what it includes"
    if manifest.includes:
        text += f" (includes {', '.join(manifest.includes[:3])}"
        text += f" and {len(manifest.includes) - 3} more)" if len(manifest.includes) > 3 else ")"
    return text + (f", the rest pinned by {manifest.locked_by}" if manifest.locked_by else "")


def dependency_text(line: DependencyLine) -> str:
    """`numpy>=1.26`, as the manifest declares it."""
    return f"{line.name}{line.spec}"


def scorecard_view(scorecard: Scorecard) -> dict[str, Any]:
    return {
        "card": scorecard,
        "real_world": scorecard.side("real_world"),
        "certification": scorecard.side("certification"),
        "short_commit": (scorecard.target.commit or "")[:12] or None,
        "level_hints": LEVEL_HINTS,
        "awarded": sum(1 for c in scorecard.categories for cr in c.criteria if cr.awarded),
        "criteria_total": sum(len(c.criteria) for c in scorecard.categories),
        "history_line": history_line(scorecard),
        "provenance_line": provenance_line(scorecard),
        "reviewer_line": reviewer_line(scorecard),
        "reviewer_line_above_flags": reviewer_line(scorecard, flags_follow=True),
        "quadrant": charts.quadrant(scorecard.real_world_score, scorecard.certification_score),
        "real_world_chart": charts.bar_chart(scorecard.side("real_world")),
        "certification_chart": charts.bar_chart(scorecard.side("certification")),
        "link": scorecard.target.link,
        "commit_url": commit_url(scorecard),
        "manifest_line": manifest_line,
        "dependency_text": dependency_text,
    }


def reviewer_line(card: Scorecard, *, flags_follow: bool = False) -> str | None:
    """The profile's word for a reviewer, followed by the red flags in a few words each:
    `... Red flags: 5 README claims have no evidence; 1 hard-coded secret.` Where the
    flags are listed right below it (the HTML's first screen, which a phone must hold),
    it counts them instead of saying each twice."""
    if card.profile is None:
        return None
    flags = red_flags.summary(card.red_flags)
    if not flags:
        return card.profile.reviewer
    if flags_follow:
        return f"{card.profile.reviewer} {counted(len(flags), 'red flag')}, listed below."
    return f"{card.profile.reviewer} Red flags: {'; '.join(flags)}."


def commit_url(card: Scorecard) -> str | None:
    links = card.target.source_links
    return links.commit_url() if links else None


def history_line(card: Scorecard) -> str:
    history = card.history
    if history is None:
        return "unknown (not a git repository, or no commits)"
    text = (
        f"{counted(history.commits, 'commit')} by {counted(history.authors, 'author')} "
        f"on {counted(history.active_days, 'day')}, {history.first_commit} to {history.last_commit}"
    )
    if history.shallow:
        text += " (shallow clone: partial history)"
    if history.inherited_commits:
        text += f", after {counted(history.inherited_commits, 'inherited commit')} by others"
    if history.note:
        text += f"; {history.note}"
    return text


def provenance_line(card: Scorecard) -> str | None:
    """`Own work: 23 %. The rest matches Udacity ML DevOps starter (udacity/X, 12 files).`;
    None when there was no upstream index to compare with."""
    provenance = card.provenance
    if provenance is None:
        return None
    own = f"Own work: {percent(provenance.own_share)}"
    if provenance.itself is not None:
        itself = provenance.itself
        return (
            f"{own}: this repository is {itself.name} itself, the {itself.source} "
            "the upstream index holds, not a copy of it."
        )
    if not provenance.upstreams:
        return f"{own}. Nothing matches a known course, lab, starter, template or tutorial."
    matches = [
        f"{upstream.source} ({upstream.name}, {counted(upstream.files, 'file')})"
        for upstream in provenance.upstreams
    ]
    listed = matches[0] if len(matches) == 1 else ", ".join(matches[:-1]) + " and " + matches[-1]
    return f"{own}. The rest matches {listed}."


def percent(share: float) -> str:
    """`23 %`."""
    return f"{round(share * 100)} %"
