"""The badge view: a shields.io endpoint JSON (https://shields.io/badges/endpoint-badge).

Committed or published somewhere shields.io can fetch it, it draws a badge with the grade
and the real-world score, coloured by the grade. Only the fields of shields' endpoint
schema are written (it rejects unknown keys).
"""

from __future__ import annotations

import json

from portfolio_check.common.text_safety import terminal
from portfolio_check.model.scorecard import Scorecard

LABEL = "ML engineering"
#: shields' named colours, best grade first. A rubric's own grade names that are not
#: letters A-F are coloured by the score instead.
GRADE_COLORS = {
    "A": "brightgreen",
    "B": "green",
    "C": "yellow",
    "D": "orange",
    "E": "red",
    "F": "red",
}
#: (lowest score, colour), for grades GRADE_COLORS does not name.
SCORE_COLORS = ((80.0, "brightgreen"), (60.0, "green"), (40.0, "yellow"), (20.0, "orange"))
MAX_GRADE_CHARS = 12
#: shields caches an endpoint at least five minutes; a scorecard changes with commits.
CACHE_SECONDS = 3600


def badge_color(grade: str, score: float) -> str:
    """The badge colour for a grade (A brightgreen ... E red), else for the score."""
    named = GRADE_COLORS.get(grade.strip().upper())
    if named is not None:
        return named
    return next((color for lowest, color in SCORE_COLORS if score >= lowest), "red")


def render(scorecard: Scorecard) -> str:
    grade = terminal(scorecard.grade).strip()[:MAX_GRADE_CHARS]
    score = f"{scorecard.real_world_score:.0f}/100"
    badge = {
        "schemaVersion": 1,
        "label": LABEL,
        "message": f"{grade} · {score}" if grade else score,
        "color": badge_color(grade, scorecard.real_world_score),
        "cacheSeconds": CACHE_SECONDS,
    }
    return json.dumps(badge, indent=2, ensure_ascii=False) + "\n"
