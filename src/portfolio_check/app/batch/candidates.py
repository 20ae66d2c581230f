"""The candidates of a batch: the targets named on the command line and in a `--from` file,
each made a `Target` or, when it does not parse, a `RejectedTarget` (an error row, not an
abort); their labels made unique; and the shard `--shard I/N` keeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from portfolio_check.app.batch.rows import reason_line
from portfolio_check.common.errors import TargetError
from portfolio_check.intake.targets import (
    Target,
    check_label,
    parse_target,
    redact,
    slug_label,
    target_lines,
    unique_label,
)


@dataclass(frozen=True, kw_only=True)
class RejectedTarget:
    """A target that could not even be parsed. It becomes an error row, not an abort: one bad
    line in a list of fifty candidates should not stop the other forty-nine."""

    spec: str  # as written, with any password redacted
    label: str
    reason: str


Candidate = Target | RejectedTarget


def collect_candidates(specs: Sequence[str], target_list: Path | None = None) -> list[Candidate]:
    """The candidates named on the command line, then those of a `--from` file.

    A spec that does not parse becomes a `RejectedTarget` (an error row) instead of stopping
    the batch. A `--from` file that cannot be read at all raises `TargetError`.
    """
    candidates: list[Candidate] = [_parse_or_reject(spec, None, where="") for spec in specs]
    if target_list is not None:
        candidates.extend(read_candidates(target_list))
    return candidates


def read_candidates(path: Path) -> list[Candidate]:
    """A target list (`targets.target_lines`), with each bad line turned into a
    `RejectedTarget` that names the file and the line, rather than an error for the file."""
    candidates: list[Candidate] = []
    for line in target_lines(path):
        where = f"{path}:{line.number}: "
        problem = line.problem()
        if problem is not None:
            candidates.append(_rejected(line.spec, None, where + problem))
        else:
            candidates.append(_parse_or_reject(line.spec, line.label, where))
    return candidates


def _parse_or_reject(spec: str, label: str | None, where: str) -> Candidate:
    try:
        return parse_target(spec, label)
    except TargetError as error:
        return _rejected(spec, label, where + str(error))


def _rejected(spec: str, label: str | None, reason: str) -> RejectedTarget:
    shown = redact(spec.strip())
    try:
        name = check_label(label) if label is not None else slug_label(shown)
    except TargetError:
        name = slug_label(shown)
    return RejectedTarget(spec=shown, label=name, reason=reason_line(reason))


def unique_labels(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Give every candidate its own label (`-2`, `-3`, ... compared without case, as
    `read_target_list` does): the label names its files and its row."""
    used: set[str] = set()
    unique: list[Candidate] = []
    for candidate in candidates:
        label = unique_label(candidate.label, used)
        used.add(label.casefold())
        unique.append(candidate if label == candidate.label else replace(candidate, label=label))
    return unique


def parse_shard(text: str) -> tuple[int, int]:
    """`I/N` as (I, N), 1 <= I <= N. Raises `ValueError` with a message for a person."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise ValueError(f"{text!r}: expected I/N, for example 1/4")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= index <= count:
        raise ValueError(f"{text!r}: I must be between 1 and N (here N is {count})")
    return index, count


def select_shard(candidates: Sequence[Candidate], shard: tuple[int, int] | None) -> list[Candidate]:
    """Shard I of N keeps candidates I-1, I-1+N, I-1+2N, ... so that the N shards cover the
    list exactly once, whatever its length."""
    if shard is None:
        return list(candidates)
    index, count = shard
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: I must be between 1 and N")
    return list(candidates[index - 1 :: count])
