"""How a count and its noun are written: "1 file", "2 files", "1,204 commits".

The one home for plurals in every report and message, so that no sentence says "1 days".
Standard library only: the model (facts), the renderers and the command line all use it.
"""

from __future__ import annotations

import functools

#: Nouns whose plural is not the regular one.
IRREGULAR = {"criterion": "criteria", "is": "are", "was": "were", "this": "these"}


@functools.lru_cache(maxsize=256)  # a report words tens of thousands of counts, of few nouns
def plural_of(noun: str) -> str:
    """`file` -> `files`, `dependency` -> `dependencies`, `match` -> `matches`."""
    if noun in IRREGULAR:
        return IRREGULAR[noun]
    if noun.endswith("y") and noun[-2:-1] not in ("", "a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def noun_for(count: float, noun: str, plural: str | None = None) -> str:
    """The noun as `count` wants it: singular for exactly 1, plural otherwise (0 files)."""
    return noun if count == 1 else (plural or plural_of(noun))


def counted(count: float, noun: str, plural: str | None = None) -> str:
    """`1 file`, `0 files`, `12,345 commits`; a float is shown rounded, as reports do."""
    shown = f"{count:,.0f}" if isinstance(count, float) else f"{count:,}"
    return f"{shown} {noun_for(round(count), noun, plural)}"
