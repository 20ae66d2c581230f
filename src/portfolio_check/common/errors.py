"""The project's own error types. Each carries a one-line message meant for a person."""

from __future__ import annotations


class PortfolioCheckError(Exception):
    """Base of every error the tool reports to a user (exit code 2, no traceback)."""


class TargetError(PortfolioCheckError):
    """The target to scan is missing, unreadable or of the wrong kind."""


class RubricError(PortfolioCheckError):
    """A rubric file is broken. The message names the file and the key path."""

    def __init__(self, source: str, key_path: str, problem: str) -> None:
        self.source = source
        self.key_path = key_path
        self.problem = problem
        where = f"{source}: {key_path}" if key_path else source
        super().__init__(f"{where}: {problem}")
