"""Evidence levels: how deep the proof of a criterion goes (shared/DESIGN.md)."""

from __future__ import annotations

import enum


class EvidenceLevel(enum.IntEnum):
    ABSENT = 0  # nothing
    CLAIMED = 1  # prose, an unused dependency, an empty or placeholder file
    PRESENT = 2  # a real artefact with real content
    WIRED = 3  # the project's own code or config uses it
    AUTOMATED = 4  # tests, CI, a schedule or the serving path runs it again and again

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> EvidenceLevel:
        return cls[label.upper()]


LEVEL_LABELS = tuple(level.label for level in EvidenceLevel)
