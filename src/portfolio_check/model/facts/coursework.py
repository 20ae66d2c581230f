"""Facts on the certification side: course markers and course-style folders, teaching
datasets, and certificates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from portfolio_check.model.facts.base import Fact


@dataclass(frozen=True, kw_only=True, slots=True)
class CourseMarkerFact(Fact):
    kind: ClassVar[str] = "course_marker"
    marker: str  # stable id, e.g. "graded-function"
    family: str  # who puts it there, e.g. "DeepLearning.AI"
    text: str  # what was seen

    def describe(self) -> str:
        return f"{self.family} course marker: {self.text}"


@dataclass(frozen=True, kw_only=True, slots=True)
class CourseFolderFact(Fact):
    """A folder whose name follows a course layout (week2/, C1W2/, assignment3/)."""

    kind: ClassVar[str] = "course_folder"
    folder: str

    def describe(self) -> str:
        return f"course-style folder {self.folder}/"


@dataclass(frozen=True, kw_only=True, slots=True)
class ToyDatasetFact(Fact):
    kind: ClassVar[str] = "toy_dataset"
    dataset: str
    via: str  # file (its name), loader (a call that fetches it), content (header or rows)

    def describe(self) -> str:
        return f"teaching dataset {self.dataset} ({self.via})"


@dataclass(frozen=True, kw_only=True, slots=True)
class CertificateFact(Fact):
    kind: ClassVar[str] = "certificate"
    via: str  # file or link
    text: str

    def describe(self) -> str:
        return f"certificate {self.via}: {self.text}"
