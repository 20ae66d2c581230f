"""The ML Test Score as a result (Breck et al., IEEE Big Data 2017): the 28 tests' status
and evidence, the four section sums, the final score and the paper's Table V band for it.
What a Scorecard holds and the reports read; `ml_test_score.py` computes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from portfolio_check.model.location import Location

Section = Literal["data", "model", "infrastructure", "monitoring"]
Status = Literal["automated", "manual", "not visible"]

#: The paper's four sections (Tables I-IV), the prefix of their test ids, and a short name.
SECTIONS: tuple[tuple[Section, str, str], ...] = (
    ("data", "D", "Data"),
    ("model", "M", "Model"),
    ("infrastructure", "I", "Infrastructure"),
    ("monitoring", "Mo", "Monitoring"),
)
TESTS_PER_SECTION = 7
POINTS: Mapping[Status, float] = {"automated": 1.0, "manual": 0.5, "not visible": 0.0}
#: Table V of the paper: the upper bound of each band (inclusive) and its wording.
BANDS: tuple[tuple[float, str, str], ...] = (
    (0.0, "0", "More of a research project than a productionized system."),
    (
        1.0,
        "(0,1]",
        "Not totally untested, but it is worth considering the possibility of serious holes "
        "in reliability.",
    ),
    (
        2.0,
        "(1,2]",
        "There's been first pass at basic productionization, but additional investment may "
        "be needed.",
    ),
    (
        3.0,
        "(2,3]",
        "Reasonably tested, but it's possible that more of those tests and procedures may be "
        "automated.",
    ),
    (
        5.0,
        "(3,5]",
        "Strong levels of automated testing and monitoring, appropriate for mission-critical "
        "systems.",
    ),
)
TOP_BAND = ("> 5", "Exceptional levels of automated testing and monitoring.")


# the result -----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class MLTestEvidence:
    """A fact that shows a test, like `scorecard.Evidence`, and whether it shows automation."""

    path: str
    line: int | None
    detail: str
    automated: bool
    cell: int | None = None

    @property
    def where(self) -> str:
        return str(Location(path=self.path, line=self.line, cell=self.cell))

    def to_json_dict(self) -> dict[str, Any]:
        place = Location(path=self.path, line=self.line, cell=self.cell).to_json_dict()
        data: dict[str, Any] = {**place, "detail": self.detail}
        data["shows"] = "automated" if self.automated else "manual"
        return data


@dataclass(frozen=True, kw_only=True)
class MLTestResult:
    id: str
    section: Section
    title: str
    status: Status
    evidence: tuple[MLTestEvidence, ...] = ()

    @property
    def points(self) -> float:
        return POINTS[self.status]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section": self.section,
            "title": self.title,
            "status": self.status,
            "points": self.points,
            "evidence": [item.to_json_dict() for item in self.evidence],
        }


@dataclass(frozen=True, kw_only=True)
class MLTestSection:
    id: Section
    name: str
    points: float  # 0 to 7

    def to_json_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "points": self.points}


@dataclass(frozen=True, kw_only=True)
class MLTestScore:
    """The 28 tests with their status, the section sums, and the final (minimum) score."""

    tests: tuple[MLTestResult, ...]
    sections: tuple[MLTestSection, ...]
    final: float
    band: str  # Table V's range, such as "(1,2]"
    description: str  # Table V's wording for that range

    def section(self, section_id: str) -> MLTestSection:
        return next(section for section in self.sections if section.id == section_id)

    def test(self, test_id: str) -> MLTestResult:
        return next(test for test in self.tests if test.id == test_id)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "estimate": "static",
            "sections": [section.to_json_dict() for section in self.sections],
            "final": self.final,
            "band": self.band,
            "description": self.description,
            "tests": [test.to_json_dict() for test in self.tests],
        }


def band_for(score: float) -> tuple[str, str]:
    """Table V: the range a final score falls in, and the paper's description of it."""
    for upper, label, description in BANDS:
        if score <= upper:
            return label, description
    return TOP_BAND
