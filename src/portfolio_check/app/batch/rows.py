"""One candidate's row of `results.jsonl`: the typed `Row`, how a scan or a failure becomes
one, and how a line of the file becomes one (parsed and validated once, where it is read).

A row is written from the dataclass, its keys always in `ROW_KEYS` order, so a row read and
written again is the same line, byte for byte. A file may have been edited by hand: a line
that is not a row at all (not JSON, no label, no status) is a `RowError` naming the file and
the line; a field of the wrong type in an otherwise good row is read as missing, as the
comparison page always showed it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from portfolio_check.common.errors import PortfolioCheckError
from portfolio_check.common.text_safety import one_line
from portfolio_check.intake.targets import Target
from portfolio_check.model.scorecard import RED_FLAG_KINDS, RedFlag, Scorecard

#: The keys of every row of `results.jsonl`, in the order they are written.
ROW_KEYS = (
    "label",
    "spec",
    "status",
    "commit",
    "real_world",
    "certification",
    "own_share",
    "upstream",
    "grade",
    "profile",
    "strengths",
    "gaps",
    "claims",
    "red_flags",
    "error",
    "seconds",
)
SHOWN_CATEGORIES = 3  # strengths and gaps listed per candidate
MAX_REASON = 300  # characters of an error reason
MAX_LINE = 1_000_000  # characters of one line of a results file read at most

Status = Literal["ok", "error"]


class RowError(PortfolioCheckError):
    """A line of a results file that is not a row: `results.jsonl:3: not JSON`."""


@dataclass(frozen=True, kw_only=True)
class Row:
    """What the batch knows of one candidate: scored (`ok`) or not (`error`, with a reason).

    Numbers keep the type they were read with (a hand-edited `70` stays `70`), so that
    writing a row read from a file gives the line it came from.
    """

    label: str
    spec: str
    status: Status
    commit: str | None = None
    real_world: float | None = None
    certification: float | None = None
    own_share: float | None = None  # 0-1; None: not compared with the upstream index
    upstream: str | None = None  # what most of the rest matches
    grade: str | None = None
    profile: str | None = None
    strengths: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    claims: int | None = None  # claims without evidence; None: not scored (or an older row)
    red_flags: tuple[RedFlag, ...] = ()
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_json_dict(self) -> dict[str, Any]:
        """The row as `results.jsonl` holds it, keys in `ROW_KEYS` order."""
        return {
            "label": self.label,
            "spec": self.spec,
            "status": self.status,
            "commit": self.commit,
            "real_world": self.real_world,
            "certification": self.certification,
            "own_share": self.own_share,
            "upstream": self.upstream,
            "grade": self.grade,
            "profile": self.profile,
            "strengths": list(self.strengths),
            "gaps": list(self.gaps),
            "claims": self.claims,
            "red_flags": [flag.to_json_dict() for flag in self.red_flags],
            "error": self.error,
            "seconds": self.seconds,
        }

    def to_line(self) -> str:
        """One line of `results.jsonl`, without its newline."""
        return json.dumps(self.to_json_dict(), ensure_ascii=False)


# making rows ------------------------------------------------------------------------------------
def scored_row(target: Target, card: Scorecard, *, seconds: float) -> Row:
    """The row of a candidate that scored: both scores, and its best and worst categories
    (real-world side; a category this target cannot show is left out, ties keep the
    rubric's order)."""
    real_world = [category for category in card.side("real_world") if category.counted]
    best_first = sorted(real_world, key=lambda category: -category.score)
    worst_first = sorted(real_world, key=lambda category: category.score)
    return Row(
        label=target.label,
        spec=target.spec,
        status="ok",
        commit=card.target.commit,
        real_world=round(card.real_world_score, 1),
        certification=round(card.certification_score, 1),
        own_share=round(card.provenance.own_share, 3) if card.provenance else None,
        upstream=_main_upstream(card),
        grade=card.grade,
        profile=card.profile.name if card.profile else None,
        strengths=tuple(c.name for c in best_first if c.score > 0)[:SHOWN_CATEGORIES],
        gaps=tuple(c.name for c in worst_first if c.score < 100)[:SHOWN_CATEGORIES],
        claims=len(card.claims),
        red_flags=tuple(card.red_flags),
        error=None,
        seconds=seconds,
    )


def _main_upstream(card: Scorecard) -> str | None:
    """The upstream the most of the repository matches, as a person names it."""
    provenance = card.provenance
    if provenance is None or not provenance.upstreams:
        return None
    upstream = provenance.upstreams[0]
    return f"{upstream.source} ({upstream.name})"


def error_row(
    *, label: str, spec: str, reason: str, commit: str | None = None, seconds: float = 0.0
) -> Row:
    """The row of a candidate that could not be scored, with a one-line reason."""
    return Row(
        label=label,
        spec=spec,
        status="error",
        commit=commit,
        error=reason_line(reason) or "unknown error",
        seconds=seconds,
    )


def reason_line(text: str) -> str:
    """An error reason or a red flag's detail (it may quote a candidate's file names or
    git's stderr, or have been edited by hand): one safe line of at most `MAX_REASON`."""
    return one_line(text, limit=MAX_REASON)


# reading rows -----------------------------------------------------------------------------------
def parse_row(line: str, *, path: Path, number: int) -> Row:
    """The row on line `number` of the results file `path`. Raises `RowError`, one line that
    names the file and the line, for a line that is not a row."""
    where = f"{path}:{number}: "
    if len(line) > MAX_LINE:
        raise RowError(where + f"longer than {MAX_LINE} characters; not a row")
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        raise RowError(where + "not a complete JSON object (a batch stopped mid-write?)") from None
    if not isinstance(value, dict):
        raise RowError(where + "not a JSON object")
    return row_from_json(value, where=where)


def row_from_json(value: Mapping[str, Any], *, where: str = "") -> Row:
    """A row from its JSON object. `label` (a non-empty string) and `status` (`ok` or
    `error`) are required; any other field of the wrong type is read as missing."""
    label, status = value.get("label"), value.get("status")
    if not isinstance(label, str) or not label:
        raise RowError(where + "no label (a non-empty string)")
    if status not in ("ok", "error"):
        raise RowError(where + "no status (ok or error)")
    seconds = _number(value.get("seconds"))
    return Row(
        label=label,
        spec=_string(value.get("spec")) or "",
        status="ok" if status == "ok" else "error",
        commit=_string(value.get("commit")),
        real_world=_number(value.get("real_world")),
        certification=_number(value.get("certification")),
        own_share=_share(value.get("own_share")),
        upstream=_string(value.get("upstream")),
        grade=_string(value.get("grade")),
        profile=_string(value.get("profile")),
        strengths=_strings(value.get("strengths")),
        gaps=_strings(value.get("gaps")),
        claims=_count(value.get("claims")),
        red_flags=_red_flags(value.get("red_flags")),
        error=_string(value.get("error")),
        seconds=0.0 if seconds is None else seconds,
    )


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    """A JSON number as it was read (an int stays an int), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _share(value: Any) -> float | None:
    """A share, which may have been edited by hand: only 0 to 1."""
    number = _number(value)
    return number if number is not None and 0.0 <= number <= 1.0 else None


def _count(value: Any) -> int | None:
    number = _number(value)
    if number is None or number < 0 or number != int(number):
        return None
    return int(number)


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _red_flags(value: Any) -> tuple[RedFlag, ...]:
    """The well-formed red flags of a row: a known kind and a non-empty detail."""
    if not isinstance(value, list):
        return ()
    flags = []
    for item in value:
        if not isinstance(item, dict) or item.get("kind") not in RED_FLAG_KINDS:
            continue
        detail = _string(item.get("detail"))
        if detail:
            flags.append(
                RedFlag(
                    kind=item["kind"],
                    detail=detail,
                    path=_string(item.get("path")) or None,
                    line=_count(item.get("line")),
                    cell=_count(item.get("cell")),
                )
            )
    return tuple(flags)
