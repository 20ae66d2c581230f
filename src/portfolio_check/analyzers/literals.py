"""A literal prefilter for regexes: the strings a pattern cannot match without, read from
the pattern itself, so that a cheap substring test rules a text out before the regex runs.

`prefilter(pattern)` reads the parsed pattern once (cached) and finds a set of needles of
which every match must contain one: a run of literal characters in a sequence, one needle
per branch of an alternation (when every branch has one), the needles of a group or of a
repeat that must occur at least once. A pattern without such a set gets none, and its
prefilter lets every text through. The prefilter only ever says "cannot match" when the
regex would find nothing: it never changes a result, it only skips regex searches.

Case-insensitive needles (`re.IGNORECASE` or `(?i:...)`) are ASCII only and checked only
in ASCII text, where case folding is plain ASCII case: outside ASCII, Unicode folds
characters such as the long s (U+017F) and the Kelvin sign (U+212A) to ASCII letters.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

_LITERAL = sre_constants.LITERAL
_SUBPATTERN = sre_constants.SUBPATTERN
_BRANCH = sre_constants.BRANCH
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(sre_constants, "ATOMIC_GROUP", None)
_IGNORECASE = re.IGNORECASE


@dataclass(frozen=True)
class Needle:
    text: str
    folded: bool  # compared case-insensitively (then `text` is lower-case ASCII)


@dataclass(frozen=True)
class Prefilter:
    """Needles of which any match of the pattern contains at least one; none: no filter."""

    needles: tuple[Needle, ...] | None

    def may_match(self, text: str) -> bool:
        """False only when the pattern cannot match anywhere in `text`."""
        if self.needles is None:
            return True
        folded: str | None = None
        for needle in self.needles:
            if not needle.folded:
                if needle.text in text:
                    return True
                continue
            if folded is None:
                if not text.isascii():
                    return True  # Unicode case folding: cannot rule the text out
                folded = text.lower()
            if needle.text in folded:
                return True
        return False


@functools.cache
def prefilter(pattern: re.Pattern[str]) -> Prefilter:
    """The prefilter of a compiled pattern (read once per pattern)."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, TypeError, ValueError, RecursionError):  # pragma: no cover - compiled
        return Prefilter(None)
    found = _required(list(parsed.data), bool(parsed.state.flags & _IGNORECASE))
    return Prefilter(tuple(found) if found else None)


def _required(items: list[tuple[Any, Any]], folded: bool) -> list[Needle] | None:
    """The best needle set of a sequence: each literal run is one, so is each element's
    own set; the one whose shortest needle is longest wins. None when there is none."""
    candidates: list[list[Needle]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append([Needle("".join(run), folded)])
            run.clear()

    for op, value in items:
        if op is _LITERAL and _usable(value, folded):
            run.append(chr(value).lower() if folded else chr(value))
            continue
        close_run()
        inner = _element(op, value, folded)
        if inner:
            candidates.append(inner)
    close_run()
    if not candidates:
        return None
    return max(candidates, key=lambda needles: min(len(n.text) for n in needles))


def _usable(code: int, folded: bool) -> bool:
    """A literal character a needle may hold: any, or an ASCII one when case is folded."""
    return not folded or code < 128


def _element(op: Any, value: Any, folded: bool) -> list[Needle] | None:
    """The needle set of one non-literal element of a sequence, or None."""
    if op is _SUBPATTERN:
        _group, add_flags, del_flags, sub = value
        inner_folded = (folded or bool(add_flags & _IGNORECASE)) and not del_flags & _IGNORECASE
        return _required(list(sub), inner_folded)
    if op is _BRANCH:
        return _any_branch(value[1], folded)
    if op in _REPEATS or (_POSSESSIVE is not None and op is _POSSESSIVE):
        low, _high, sub = value
        return _required(list(sub), folded) if low >= 1 else None
    if _ATOMIC is not None and op is _ATOMIC:
        return _required(list(value), folded)
    return None


def _any_branch(branches: Iterable[Any], folded: bool) -> list[Needle] | None:
    """One needle set per branch, joined: None as soon as one branch has none."""
    needles: list[Needle] = []
    for branch in branches:
        found = _required(list(branch), folded)
        if not found:
            return None
        needles.extend(found)
    return needles
