"""The scanned repository's own portfolio-check settings.

A repository may say which of its paths are not its own work (vendored code, generated
files) in `.portfolio-check.yaml` (or `.yml`) at its root, or in a `[tool.portfolio-check]`
table of its root `pyproject.toml`:

    exclude: ["vendor/**", "docs/_build/**"]
    not-applicable:
      model-api: "a research repository: there is no model to serve"

`not-applicable` marks rubric criteria (or whole categories) that do not apply to the
repository, each with the reason a reader is shown; they are left out of the score. A
reviewer's `--ignore-repo-config` overrules both keys.

The file is as untrusted as the rest of the repository. It is read through the snapshot's
bounded, symlink-safe reader, its size and pattern count are capped, and anything wrong with
it becomes a note on the snapshot: the scan goes on with nothing excluded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from portfolio_check.common.globs import glob_match
from portfolio_check.common.plural import counted
from portfolio_check.common.safe_toml import load_toml
from portfolio_check.common.safe_yaml import YamlError, load_yaml
from portfolio_check.common.text_safety import printable
from portfolio_check.intake.snapshot import Snapshot

#: Config files looked for at the repository root, the first found winning.
YAML_FILES = (".portfolio-check.yaml", ".portfolio-check.yml")
PYPROJECT = "pyproject.toml"
TOOL_TABLE = "portfolio-check"
PYPROJECT_LABEL = f"[tool.{TOOL_TABLE}] in {PYPROJECT}"
NOT_APPLICABLE_KEY = "not-applicable"
KNOWN_KEYS = ("exclude", NOT_APPLICABLE_KEY)
#: Bytes read at most from a YAML config; 100 patterns of 200 characters fit many times.
MAX_CONFIG_BYTES = 64 * 1024
MAX_PATTERNS = 100
MAX_PATTERN_CHARS = 200
#: Patterns named at most in the note that says what was excluded.
PATTERNS_SHOWN = 5
#: Criteria a repository may mark not applicable, and the characters of each reason.
MAX_NOT_APPLICABLE = 50
MAX_REASON_CHARS = 300
#: What a criterion or category id looks like in a rubric.
RUBRIC_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


@dataclass(frozen=True)
class RepoConfig:
    """Settings read from the repository. `source` is the file they came from (a repo path),
    or None when the repository has no usable config."""

    exclude: tuple[str, ...] = ()
    source: str | None = None
    #: (criterion or category id, the repository's reason), in the order written
    not_applicable: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """How notes name the source: the file, or the pyproject table."""
        if self.source == PYPROJECT:
            return PYPROJECT_LABEL
        return self.source or "no repository config"


NO_CONFIG = RepoConfig()


class _ConfigError(ValueError):
    """Why a config is ignored, as one line for a person."""


def read_repo_config(snapshot: Snapshot) -> RepoConfig:
    """The repository's own settings. Never raises for anything in the repository: a
    broken or unreadable config is ignored, with a note appended to `snapshot.notes`."""
    present = _present_sources(snapshot)
    if not present:
        return NO_CONFIG
    source, text = present[0]
    for other, _ in present[1:]:
        snapshot.notes.append(f"{_named(other)} ignored: {_named(source)} takes precedence")
    try:
        if text is None:
            text = _read(snapshot, source)
        document = _document(source, text)
        exclude = _validated(document)
        not_applicable = _not_applicable(document)
    except _ConfigError as error:
        snapshot.notes.append(f"{_named(source)} ignored: {error}")
        return NO_CONFIG
    return RepoConfig(exclude=exclude, source=source, not_applicable=not_applicable)


def apply_repo_config(snapshot: Snapshot, config: RepoConfig) -> Snapshot:
    """A new snapshot without the files `config` excludes; the config file itself stays."""
    if not config.exclude:
        return snapshot
    kept = []
    used: set[str] = set()
    excluded = 0
    for entry in snapshot:
        pattern = _first_match(entry.path, config.exclude)
        if pattern is None or entry.path == config.source:
            kept.append(entry)
            continue
        excluded += 1
        used.add(pattern)
    matched = [pattern for pattern in dict.fromkeys(config.exclude) if pattern in used]
    notes = list(snapshot.notes)
    if excluded:
        shown = ", ".join(matched[:PATTERNS_SHOWN])
        if len(matched) > PATTERNS_SHOWN:
            shown += f" and {len(matched) - PATTERNS_SHOWN} more"
        notes.append(f"{counted(excluded, 'file')} excluded by {config.label} ({shown})")
    else:
        notes.append(f"no file matched the exclude patterns of {config.label}")
    return Snapshot(
        root=snapshot.root,
        entries=tuple(kept),
        commit=snapshot.commit,
        is_git=snapshot.is_git,
        notes=notes,
        reader=snapshot.reader,
    )


def ignored_config_note(snapshot: Snapshot) -> str | None:
    """The note for a scan told to ignore the repository's config, when it has one."""
    present = _present_sources(snapshot)
    if not present:
        return None
    return f"{_named(present[0][0])} not applied: the repository's own config was ignored"


def _present_sources(snapshot: Snapshot) -> list[tuple[str, str | None]]:
    """Config sources the repository has, best first, with the pyproject text once read."""
    present: list[tuple[str, str | None]] = [
        (name, None) for name in YAML_FILES if snapshot.get(name) is not None
    ]
    entry = snapshot.get(PYPROJECT)
    if entry is not None:
        text = snapshot.read_text(entry).text
        if text is not None and _has_tool_table(text):
            present.append((PYPROJECT, text))
    return present


def _has_tool_table(text: str) -> bool:
    """Whether a pyproject means to configure us; a broken one counts if it names us."""
    try:
        document = load_toml(text)
    except ValueError:  # TomlError
        return TOOL_TABLE in text
    tool = document.get("tool")
    return isinstance(tool, dict) and TOOL_TABLE in tool


def _read(snapshot: Snapshot, source: str) -> str:
    entry = snapshot.get(source)
    if entry is None:  # pragma: no cover - listed a moment ago
        raise _ConfigError("not found")
    read = snapshot.read_text(entry, limit=MAX_CONFIG_BYTES)
    if read.text is None:
        raise _ConfigError(f"not read, {read.skipped}")
    return read.text


def _document(source: str, text: str) -> Any:
    """The settings mapping of a source, before validation."""
    if source != PYPROJECT:
        try:
            document = load_yaml(text)
        except YamlError as error:
            raise _ConfigError(f"not valid YAML ({error})") from None
        return {} if document is None else document  # an empty file sets nothing
    try:
        tool = load_toml(text).get("tool")
    except ValueError as error:  # TomlError
        raise _ConfigError(f"{PYPROJECT} is not valid TOML ({error})") from None
    table = tool.get(TOOL_TABLE) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise _ConfigError(f"tool.{TOOL_TABLE} must be a table, found {_kind(table)}")
    return table


def _validated(document: Any) -> tuple[str, ...]:
    if not isinstance(document, Mapping):
        raise _ConfigError(
            f"expected a mapping with `exclude:` or `not-applicable:`, found {_kind(document)}"
        )
    unknown = [key for key in document if key not in KNOWN_KEYS]
    if unknown:
        names = ", ".join(_shown(key) for key in unknown[:PATTERNS_SHOWN])
        expected = ", ".join(KNOWN_KEYS)
        raise _ConfigError(f"unknown key {names} (expected: {expected})")
    exclude = document.get("exclude", [])
    if not isinstance(exclude, Sequence) or isinstance(exclude, str):
        raise _ConfigError(f"exclude must be a list of strings, found {_kind(exclude)}")
    if len(exclude) > MAX_PATTERNS:
        raise _ConfigError(
            f"exclude has {len(exclude)} patterns, at most {MAX_PATTERNS} are allowed"
        )
    for number, pattern in enumerate(exclude, start=1):
        if not isinstance(pattern, str):
            raise _ConfigError(
                f"exclude must be a list of strings, item {number} is {_kind(pattern)}"
            )
        if not pattern.strip():
            raise _ConfigError(f"exclude item {number} is empty")
        if len(pattern) > MAX_PATTERN_CHARS:
            raise _ConfigError(
                f"exclude item {number} is {len(pattern)} characters long,"
                f" at most {MAX_PATTERN_CHARS} are allowed"
            )
    return tuple(exclude)


def _not_applicable(document: Mapping[Any, Any]) -> tuple[tuple[str, str], ...]:
    """`not-applicable: {criterion-id: reason}`, validated: every id a rubric id, every
    reason a non-empty line of text."""
    marked = document.get(NOT_APPLICABLE_KEY, {})
    if not isinstance(marked, Mapping):
        raise _ConfigError(
            f"{NOT_APPLICABLE_KEY} must map criterion ids to reasons, found {_kind(marked)}"
        )
    if len(marked) > MAX_NOT_APPLICABLE:
        raise _ConfigError(
            f"{NOT_APPLICABLE_KEY} names {len(marked)} criteria, at most {MAX_NOT_APPLICABLE}"
            " are allowed"
        )
    pairs = []
    for key, reason in marked.items():
        if not isinstance(key, str) or not RUBRIC_ID.match(key):
            raise _ConfigError(f"{NOT_APPLICABLE_KEY} key {_shown(key)} is not a criterion id")
        where = f"{NOT_APPLICABLE_KEY}.{key}"
        if not isinstance(reason, str) or not reason.strip():
            raise _ConfigError(
                f"{where} needs a reason, a sentence saying why it does not apply"
                f" (found {_kind(reason)})"
            )
        if len(reason) > MAX_REASON_CHARS:
            raise _ConfigError(
                f"{where} is {len(reason)} characters long, at most {MAX_REASON_CHARS} are allowed"
            )
        pairs.append((key, " ".join(reason.split())))
    return tuple(pairs)


def _first_match(path: str, patterns: Sequence[str]) -> str | None:
    return next((pattern for pattern in patterns if glob_match(path, pattern)), None)


def _named(source: str) -> str:
    return f"`{PYPROJECT_LABEL}`" if source == PYPROJECT else f"`{source}`"


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "a value of another kind"


def _shown(key: object, limit: int = 40) -> str:
    """A repository-chosen key, short and printable, for a note."""
    text = key if isinstance(key, str) else repr(key)
    text = printable(text)
    return repr(text[:limit] + ("..." if len(text) > limit else ""))
