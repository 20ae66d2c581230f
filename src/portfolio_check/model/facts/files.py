"""Facts about any file, whatever its type: that it is there, a line a rubric asked about,
what could not be analysed, and a hard-coded secret."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from portfolio_check.model.facts.base import Fact


@dataclass(frozen=True, kw_only=True, slots=True)
class SourceFileFact(Fact):
    """A file of the target, with its type as far as the listing can tell."""

    kind: ClassVar[str] = "file"
    size: int
    is_symlink: bool = False
    empty: bool = False

    def describe(self) -> str:
        return "symlink (not followed)" if self.is_symlink else f"file ({self.size:,} bytes)"


@dataclass(frozen=True, kw_only=True, slots=True)
class ContentMatchFact(Fact):
    """A line of a file that a rubric asked about (a `file` signal with `contains`)."""

    kind: ClassVar[str] = "content_match"
    query: str
    text: str

    def describe(self) -> str:
        return f"'{self.text}'"


@dataclass(frozen=True, kw_only=True, slots=True)
class FindingFact(Fact):
    """Something that could not be analysed as it stands, or is broken: a file that does not
    parse or was skipped, an import of a project module that is not there."""

    kind: ClassVar[str] = "finding"
    analyzer: str
    message: str

    def describe(self) -> str:
        return self.message


@dataclass(frozen=True, kw_only=True, slots=True)
class SecretFact(Fact):
    """A hard-coded secret (an API token, a password, a private key), found by
    detect-secrets. The value is never kept: only its kind and its line."""

    kind: ClassVar[str] = "secret"
    secret_type: str  # detect-secrets' name for it: "AWS Access Key", "Secret Keyword"

    def describe(self) -> str:
        return f"hard-coded {self.secret_type}"
