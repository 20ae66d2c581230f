"""Shell scripts (`*.sh`, and files with a shell's `#!` in `scripts/`, `tasks/`...), each
one task (`runner: script`) named by its path: what it does (`script_activity`) and what
it runs and hands over to (`command_links`). Nothing is ever run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.command_links import command_links
from portfolio_check.analyzers.script_activity import script_activity
from portfolio_check.analyzers.task_invocations import SCRIPT_SUFFIXES
from portfolio_check.intake.snapshot import MAX_TEXT_BYTES, FileEntry
from portfolio_check.model.facts import Fact, TaskFact
from portfolio_check.model.location import Location

#: Folders whose files without a suffix are read when they start with a shell's `#!`
#: (`tasks/lint`, `scripts/test`).
SCRIPT_FOLDERS = frozenset({"scripts", "script", "tasks", "ci", ".ci", "automation", "hack"})
#: A script longer than this is generated, not written: its first part is read.
MAX_SCRIPT_CHARS = 100_000
_SHELL_SHEBANG = re.compile(r"#![ \t]*\S*/(?:env[ \t]+)?(?:ba|z|da|k)?sh\b")


class ShellScriptAnalyzer:
    """Shell scripts, each one task (`runner: script`) named by its path."""

    name = "shell-scripts"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        if entry.suffix in SCRIPT_SUFFIXES:
            return True
        return entry.suffix == "" and any(part in SCRIPT_FOLDERS for part in entry.parts[:-1])

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        if entry.suffix in SCRIPT_SUFFIXES or _SHELL_SHEBANG.match(text):
            yield script_fact(entry.path, text)


def script_fact(path: str, text: str) -> TaskFact:
    """What a shell script does, from its commands (the first `MAX_SCRIPT_CHARS` of it).
    A relative path in it is relative to where it is run from, which only its caller
    knows: the linker joins them."""
    script = text[:MAX_SCRIPT_CHARS]
    activity = script_activity([script])
    references, invocations = command_links(script)
    return TaskFact(
        location=Location(path=path, line=1),
        runner="script",
        name=path,
        commands=script,
        **activity.flags(),
        references=references,
        invokes=invocations,
    )
