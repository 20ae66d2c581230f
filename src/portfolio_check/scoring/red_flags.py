"""Red flags: what a hiring reviewer should know before reading a score, a pure function of
the facts and the scorecard (no I/O). This module is the one home of each rule.

Red flags are reporting, never scoring: they restate what the scorecard already counts
(README claims nothing backs, copied material, a history of one upload) or what it does
not score at all (a hard-coded secret), so that a reviewer sees it first. A secret is
named by its kind and place only: the facts never hold its value.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from portfolio_check.model.facts import Facts, HistoryFact, SecretFact
from portfolio_check.model.scorecard import (
    Claim,
    HistorySummary,
    ProvenanceSummary,
    RedFlag,
    Scorecard,
)

#: Share of the repository's code and text lines matching known upstreams from which the
#: copying is a red flag: a starter's skeleton under the author's own work is not.
COPIED_SHARE = 0.25
#: Upstreams named in the copied-material flag at most.
UPSTREAMS_NAMED = 2
#: Secrets listed one by one at most; the rest are counted in one more flag.
SECRETS_LISTED = 10


def red_flags(facts: Facts, card: Scorecard) -> tuple[RedFlag, ...]:
    """The scorecard's red flags, most telling first: secrets, then copied material, the
    history and the claims."""
    return (
        *_secrets(facts),
        *_copied(card.provenance),
        *_history(card.history, facts),
        *_claims(card.claims),
    )


def _claims(claims: Sequence[Claim]) -> Iterator[RedFlag]:
    """One flag for every README claim nothing backs, with their count: "5 README claims
    have no evidence", pointing at the first."""
    said = [claim for claim in claims if claim.prose]
    if not said:
        return
    first = said[0]
    count = len(said)
    yield RedFlag(
        kind="unbacked-claims",
        detail=f"{count} README claim{_s(count)} {'has' if count == 1 else 'have'} no evidence",
        path=first.path,
        line=first.line,
    )


def _copied(provenance: ProvenanceSummary | None) -> Iterator[RedFlag]:
    """Most of the repository matching known course, template or tutorial material."""
    if provenance is None or provenance.itself is not None or not provenance.upstreams:
        return
    copied = 1.0 - provenance.own_share
    if copied < COPIED_SHARE:
        return
    named = [f"{u.source} ({u.name})" for u in provenance.upstreams[:UPSTREAMS_NAMED]]
    others = len(provenance.upstreams) - len(named)
    listed = " and ".join(named) + (f" and {others} more" if others else "")
    yield RedFlag(
        kind="copied-material",
        detail=f"{round(copied * 100)} % matches {listed}",
        path=provenance.upstreams[0].example,
    )


def _history(history: HistorySummary | None, facts: Facts) -> Iterator[RedFlag]:
    """The author's own history (inherited commits left out) is one upload or one day."""
    if history is None or history.note is None or history.shallow:
        return
    fact = next((f for f in facts.of("history") if isinstance(f, HistoryFact)), None)
    uploads = fact.web_uploads if fact is not None else 0
    days = history.active_days
    facts_of = [f"{history.commits} commit{_s(history.commits)} on {days} day{_s(days)}"]
    if uploads:
        facts_of.append(f"{uploads} web upload{_s(uploads)}")
    detail = f"{history.note} ({', '.join(facts_of)})"
    yield RedFlag(kind="one-day-history", detail=detail)


def _secrets(facts: Facts) -> Iterator[RedFlag]:
    found = [fact for fact in facts.of("secret") if isinstance(fact, SecretFact)]
    for fact in found[:SECRETS_LISTED]:
        yield RedFlag(
            kind="hard-coded-secret",
            detail=f"hard-coded secret ({fact.secret_type})",
            path=fact.path,
            line=fact.location.line,
            cell=fact.location.cell,
        )
    rest = len(found) - SECRETS_LISTED
    if rest > 0:
        yield RedFlag(
            kind="hard-coded-secret",
            detail=f"and {rest} more hard-coded secret{_s(rest)}",
        )


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def summary(flags: Sequence[RedFlag]) -> tuple[str, ...]:
    """The flags in a few words each, hard-coded secrets counted as one: what a verdict
    line or a comparison table cell says."""
    secrets = [flag for flag in flags if flag.kind == "hard-coded-secret"]
    listed = sum(1 for flag in secrets if flag.path is not None)
    lines = [flag.detail for flag in flags if flag.kind != "hard-coded-secret"]
    if listed:
        unlisted = len(secrets) > listed  # a flag counts those beyond `SECRETS_LISTED`
        count = f"more than {listed}" if unlisted else str(listed)
        lines.insert(0, f"{count} hard-coded secret{_s(listed + unlisted)}")
    return tuple(lines)
