"""`--format shields`: a shields.io endpoint JSON, checked against shields' own schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest

from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import EXTENSIONS, FORMATS, render
from portfolio_check.report.shields import badge_color

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
README = Path(__file__).resolve().parents[2] / "README.md"

#: shields' endpoint schema (badges/shields, services/endpoint-common.js, a Joi schema) as
#: JSON Schema: unknown keys are rejected there too, and the message cannot be empty.
ENDPOINT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["schemaVersion", "label", "message"],
    "additionalProperties": False,
    "properties": {
        "schemaVersion": {"const": 1},
        "label": {"type": "string"},
        "message": {"type": "string", "minLength": 1},
        "color": {"type": "string"},
        "labelColor": {"type": "string"},
        "isError": {"type": "boolean"},
        "namedLogo": {"type": "string"},
        "logoSvg": {"type": "string"},
        "style": {"type": "string"},
        "cacheSeconds": {"type": "integer", "minimum": 0},
    },
}
#: The named colours shields draws (any other name falls back to grey).
SHIELDS_COLORS = {"brightgreen", "green", "yellowgreen", "yellow", "orange", "red", "lightgrey"}


def badge_of(card: Scorecard) -> dict[str, Any]:
    badge: dict[str, Any] = json.loads(render(card, "shields"))
    jsonschema.Draft202012Validator(ENDPOINT_SCHEMA).validate(badge)
    return badge


def test_shields_is_a_format_with_its_own_file_name() -> None:
    assert "shields" in FORMATS
    assert EXTENSIONS["shields"] != EXTENSIONS["json"]  # never overwrites the JSON report


def test_the_badge_shows_grade_and_score_coloured_by_grade(
    production_card: Scorecard, coursework_card: Scorecard
) -> None:
    strong, weak = badge_of(production_card), badge_of(coursework_card)
    for card, badge in ((production_card, strong), (coursework_card, weak)):
        assert badge["message"] == f"{card.grade} · {card.real_world_score:.0f}/100"
        assert badge["color"] in SHIELDS_COLORS
        assert badge["cacheSeconds"] >= 300  # shields' minimum
    assert production_card.grade != coursework_card.grade
    assert strong["color"] != weak["color"]


@pytest.mark.parametrize(
    ("grade", "score", "color"),
    [
        ("A", 90, "brightgreen"),
        ("B", 65, "green"),
        ("C", 45, "yellow"),
        ("D", 25, "orange"),
        ("E", 5, "red"),
        ("Gold", 85, "brightgreen"),  # a rubric's own grade name: coloured by the score
        ("Bronze", 10, "red"),
    ],
)
def test_badge_colour(grade: str, score: float, color: str) -> None:
    assert badge_color(grade, score) == color


def test_installed_entry_point_writes_the_badge(production_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "badge.json"
    done = subprocess.run(
        [str(ENTRY_POINT), str(production_path), "--format", "shields", "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    badge = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(ENDPOINT_SCHEMA).validate(badge)
    assert re.fullmatch(r"[A-E] · \d{1,3}/100", badge["message"])
    assert done.stdout == ""


def test_readme_shows_the_badge_line_a_learner_pastes() -> None:
    text = README.read_text(encoding="utf-8")
    badges = re.findall(r"!\[[^\]]*\]\((https://img\.shields\.io/endpoint\?[^)\s]+)\)", text)
    assert badges, "the README shows no shields endpoint badge"
    for badge in badges:
        (url,) = parse_qs(urlsplit(badge).query)["url"]
        assert url.startswith("https://") and url.endswith(".json")
    assert "--format shields" in text
