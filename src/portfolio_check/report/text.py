"""The terminal view: a summary a learner reads in ten seconds, colour only when asked.

Repo text goes through `text_safety.terminal` first, so a file name or README line cannot
move the cursor, recolour the terminal or plant an OSC 8 link.
"""

from __future__ import annotations

import textwrap

import click

from portfolio_check.common.plural import counted
from portfolio_check.common.text_safety import terminal
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.scorecard import CategoryResult, DependencyLine, Scorecard
from portfolio_check.report.view import (
    dependency_text,
    history_line,
    manifest_line,
    provenance_line,
)

LEVEL_COLOURS = {
    EvidenceLevel.ABSENT: "bright_black",
    EvidenceLevel.CLAIMED: "yellow",
    EvidenceLevel.PRESENT: "blue",
    EvidenceLevel.WIRED: "magenta",
    EvidenceLevel.AUTOMATED: "green",
}
#: The real-world score and its grade, coloured by the grade's place on the rubric's
#: ladder (`Scorecard.grade_tone`): a D is never printed in an A's green.
TONE_COLOURS = {"high": "green", "middle": "yellow", "low": "red"}
BAR_WIDTH = 20
NAME_WIDTH = 36
MAX_CLAIMS_SHOWN = 8
MAX_HOTSPOTS_SHOWN = 5
WRAP = 92


class _Writer:
    def __init__(self, color: bool) -> None:
        self.color = color
        self.lines: list[str] = []

    def style(self, text: str, **styles: object) -> str:
        return click.style(text, **styles) if self.color else text  # type: ignore[arg-type]

    def add(self, line: str = "") -> None:
        self.lines.append(line)


def render(scorecard: Scorecard, *, color: bool = False) -> str:
    out = _Writer(color)
    _header(out, scorecard)
    _categories(out, "Real-world evidence", scorecard.side("real_world"))
    _categories(out, "Certification-only evidence", scorecard.side("certification"))
    _claims(out, scorecard)
    _dependencies(out, scorecard)
    _engineering(out, scorecard)
    _ml_test_score(out, scorecard)
    _next_steps(out, scorecard)
    _findings(out, scorecard)
    return "\n".join(out.lines) + "\n"


def _header(out: _Writer, card: Scorecard) -> None:
    commit = f" @ {card.target.commit[:12]}" if card.target.commit else ""
    out.add(
        out.style(f"portfolio-check {card.tool_version}", bold=True)
        + f"  rubric {terminal(card.rubric_id)} {terminal(card.rubric_version)}"
    )
    target = card.target
    place = "" if target.path == target.title else f" ({terminal(target.path)})"
    out.add(
        out.style(f"Project: {terminal(target.title)}", bold=True)
        + f"{place}{commit}  ({counted(target.files, 'file')})"
    )
    out.add()
    tone = TONE_COLOURS[card.grade_tone]
    grade = out.style(f"grade {terminal(card.grade)}", fg=tone) + (
        f" ({terminal(card.grade_label)})" if card.grade_label else ""
    )
    out.add(
        "  "
        + out.style("Real-world evidence      ", bold=True)
        + out.style(f"{card.real_world_score:5.0f}/100", fg=tone, bold=True)
        + f"  {grade}"
    )
    out.add(
        "  "
        + out.style("Certification-only       ", bold=True)
        + out.style(f"{card.certification_score:5.0f}/100", fg="yellow", bold=True)
        + "  coursework, copies, teaching data, certificates"
    )
    provenance = provenance_line(card)
    if provenance:
        out.add(_wrapped(terminal(provenance), indent="  "))
    if card.profile:
        out.add()
        out.add("  " + out.style(f"Profile: {terminal(card.profile.name)}", bold=True))
        out.add(_wrapped(terminal(card.profile.learner), indent="  "))
    _red_flags(out, card)


def _red_flags(out: _Writer, card: Scorecard) -> None:
    """Right under the verdict: what a reviewer should know first, one line each."""
    if not card.red_flags:
        return
    out.add()
    out.add("  " + out.style(f"Red flags ({len(card.red_flags)})", fg="red", bold=True))
    for flag in card.red_flags:
        where = f" ({terminal(flag.where)})" if flag.where else ""
        out.add(_wrapped(f"! {terminal(flag.detail)}{where}", indent="    "))


def _wrapped(text: str, *, indent: str) -> str:
    # a repository's or a file's name is not broken at its hyphens
    return textwrap.fill(
        text, width=WRAP, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )


def _bar(score: float) -> str:
    filled = round(score / 100 * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _categories(out: _Writer, title: str, categories: tuple[CategoryResult, ...]) -> None:
    out.add()
    out.add(out.style(title, bold=True, underline=True))
    for category in categories:
        if category.not_applicable:
            name = terminal(category.name)
            out.add(f"  {name:<{NAME_WIDTH}} {'not applicable':>{BAR_WIDTH + 5}}")
            if category.not_applicable_reason:
                reason = f"the repository says: {terminal(category.not_applicable_reason)}"
                out.add(_wrapped(reason, indent="    "))
            continue
        score = "   ?" if category.inconclusive else f"{category.score:4.0f}"
        out.add(f"  {terminal(category.name):<{NAME_WIDTH}} {_bar(category.score)} {score}")
        for criterion in category.criteria:
            if criterion.not_applicable:
                name = _fit(terminal(criterion.name), NAME_WIDTH + 10)
                out.add(f"    {name} {'n/a':<9}  {terminal(criterion.not_applicable)}")
                continue
            level = criterion.level
            label = "unknown" if criterion.inconclusive else level.label
            badge = out.style(f"{label:<9}", fg=LEVEL_COLOURS[level])
            where = f"  {terminal(criterion.evidence[0].where)}" if criterion.evidence else ""
            out.add(f"    {_fit(terminal(criterion.name), NAME_WIDTH + 10)} {badge}{where}")


def _fit(text: str, width: int) -> str:
    return f"{text:<{width}}" if len(text) <= width else text[: width - 1] + "…"


def _claims(out: _Writer, card: Scorecard) -> None:
    out.add()
    out.add(out.style(f"Claims without evidence ({len(card.claims)})", bold=True, underline=True))
    if not card.claims:
        out.add("  none")
    for claim in card.claims[:MAX_CLAIMS_SHOWN]:
        where = claim.path + (f":{claim.line}" if claim.line else "")
        out.add(f"  - {terminal(where)}: {terminal(claim.detail)}")
    if len(card.claims) > MAX_CLAIMS_SHOWN:
        out.add(f"  ... and {len(card.claims) - MAX_CLAIMS_SHOWN} more in the HTML or JSON report")


def _dependencies(out: _Writer, card: Scorecard) -> None:
    """Each manifest with its pins, then the lines a reviewer would ask about."""
    hygiene = card.dependencies
    if hygiene is None:
        return
    out.add()
    out.add(out.style("Dependency hygiene", bold=True, underline=True))
    for manifest in hygiene.manifests[:MAX_CLAIMS_SHOWN]:
        out.add(f"  {terminal(manifest.path)}: {terminal(manifest_line(manifest))}")
    hidden = len(hygiene.manifests) - MAX_CLAIMS_SHOWN + hygiene.manifests_omitted
    if hidden > 0:
        out.add(f"  ... and {counted(hidden, 'more manifest')}")
    if not hygiene.lockfiles:
        out.add("  No lock file")
    _dependency_lines(out, "Unpinned, and no lock pins them", hygiene.unpinned,
                      hygiene.unpinned_omitted)  # fmt: skip
    _dependency_lines(out, "Declared but never imported", hygiene.unused, hygiene.unused_omitted)


def _dependency_lines(
    out: _Writer, title: str, lines: tuple[DependencyLine, ...], omitted: int
) -> None:
    if not lines:
        return
    out.add(f"  {title} ({len(lines) + omitted}):")
    for line in lines[:MAX_CLAIMS_SHOWN]:
        where = line.path + (f":{line.line}" if line.line else "")
        out.add(f"    - {terminal(where)}: {terminal(dependency_text(line))}")
    if len(lines) + omitted > MAX_CLAIMS_SHOWN:
        more = len(lines) + omitted - MAX_CLAIMS_SHOWN
        out.add(f"    ... and {more} more in the HTML or JSON report")


def _engineering(out: _Writer, card: Scorecard) -> None:
    """History, complexity hot spots and notebook hygiene: the texture behind the scores."""
    out.add()
    out.add(out.style("Engineering texture", bold=True, underline=True))
    out.add(f"  History: {terminal(history_line(card))}")
    for spot in card.hotspots[:MAX_HOTSPOTS_SHOWN]:
        where = terminal(f"{spot.path}:{spot.line}")
        measure = f"{spot.type}, complexity {spot.complexity}, rank {spot.rank}"
        out.add(f"  Complex: {terminal(spot.name)} ({measure})  {where}")
    for notebook in card.notebooks[:MAX_HOTSPOTS_SHOWN]:
        out.add(f"  Notebook: {terminal(notebook.path)}: {terminal('; '.join(notebook.problems))}")


def _ml_test_score(out: _Writer, card: Scorecard) -> None:
    """The ML Test Score's four section sums and its final score (the minimum), with the
    paper's band: a strict production view, estimated from the files."""
    score = card.ml_test_score
    if score is None:
        return
    out.add()
    out.add(out.style("ML Test Score (static estimate)", bold=True, underline=True))
    sums = "  ".join(f"{section.name} {section.points:.1f}" for section in score.sections)
    out.add(f"  {sums}  (of 7 each)")
    out.add(
        textwrap.fill(
            f"Final {score.final:.1f} (the lowest section), band {score.band}: {score.description}",
            width=WRAP,
            initial_indent="  ",
            subsequent_indent="    ",
        )
    )


def _next_steps(out: _Writer, card: Scorecard) -> None:
    out.add()
    out.add(out.style("Next steps", bold=True, underline=True))
    if not card.next_steps:
        out.add("  nothing left to add under this rubric")
    for number, step in enumerate(card.next_steps, start=1):
        gain = out.style(f"+{counted(step.gain, 'pt')}", fg="green", bold=True)
        name = terminal(step.criterion_name)
        out.add(f"  {number}. {gain}  {name} (now {step.current_level.label})")
        out.add(
            textwrap.fill(
                terminal(step.action), width=WRAP, initial_indent="     ", subsequent_indent="     "
            )
        )


def _findings(out: _Writer, card: Scorecard) -> None:
    if not card.findings and not card.target.notes:
        return
    out.add()
    count = len(card.findings) + len(card.target.notes)
    out.add(out.style(f"Findings ({count})", bold=True, underline=True))
    for note in card.target.notes:
        out.add(f"  ! {terminal(note)}")
    for finding in card.findings[:MAX_CLAIMS_SHOWN]:
        out.add(f"  ! {terminal(finding.path)}: {terminal(finding.message)}")
    if len(card.findings) > MAX_CLAIMS_SHOWN:
        out.add(f"  ... and {len(card.findings) - MAX_CLAIMS_SHOWN} more")
