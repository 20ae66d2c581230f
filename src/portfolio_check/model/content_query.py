"""A rubric's question about file content, as the analyzers answer it line by line."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class ContentQuery:
    """A rubric question about file content: which files, and which pattern per line.
    A `prose` query asks what a README claims: only lines that assert something of the
    project count (not code, a table of contents, a plan or a hedge)."""

    id: str
    glob: str
    pattern: re.Pattern[str]
    prose: bool = False
