"""Declared dependencies: requirements files, pyproject.toml, environment.yml, Pipfile,
setup.cfg, and which lock files exist. A dependency is only a claim until code uses it.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.facts import DependencyFact, Fact, FindingFact, LockfileFact
from portfolio_check.safe_toml import TomlError, load_toml
from portfolio_check.safe_yaml import YamlError, load_yaml
from portfolio_check.snapshot import MAX_TEXT_BYTES, FileEntry, Location, Snapshot

REQUIREMENTS_FILE = re.compile(r"^requirements([-_.\w]*)\.(txt|in)$", re.IGNORECASE)
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
URL = re.compile(r"^[A-Za-z][\w+.-]*://")  # a bare URL or VCS link, not `name @ url`
PINNED = re.compile(r"^\s*===?\s*[^\s,;*]+\s*(;.*)?$")
LOCKFILES = {
    "poetry.lock": "Poetry",
    "uv.lock": "uv",
    "pipfile.lock": "Pipenv",
    "pdm.lock": "PDM",
    "conda-lock.yml": "conda-lock",
    "pixi.lock": "pixi",
    "requirements.lock": "Rye",
}


def normalise(name: str) -> str:
    """PEP 503 normalisation: `Scikit_Learn` and `scikit-learn` are one distribution."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(line: str) -> tuple[str, str] | None:
    """Name and version spec of one requirement line, or None for options and blanks."""
    line = re.split(r"\s+(?:#|--)", line.lstrip("\ufeff"), maxsplit=1)[0].strip()
    line = line.removesuffix("\\").strip()  # a continuation line (`--hash` options follow)
    if not line or line.startswith(("#", "-", ".", "/")) or URL.match(line):
        return None
    match = REQUIREMENT.match(line)
    if not match:
        return None
    return normalise(match.group(1)), match.group(3).split(";")[0].strip()


class DependencyAnalyzer:
    name = "dependencies"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        name = entry.name.lower()
        return bool(REQUIREMENTS_FILE.match(name)) or name in {
            "pyproject.toml",
            "environment.yml",
            "environment.yaml",
            "pipfile",
            "setup.cfg",
            "conda.yaml",
            "conda.yml",
        }

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        name = entry.name.lower()
        try:
            if REQUIREMENTS_FILE.match(name):
                yield from _requirements(entry.path, text)
            elif name == "pyproject.toml":
                yield from _pyproject(entry.path, text)
            elif name == "pipfile":
                yield from _pipfile(entry.path, text)
            elif name == "setup.cfg":
                yield from _setup_cfg(entry.path, text)
            else:
                yield from _conda(entry.path, text)
        except (TomlError, YamlError, configparser.Error, RecursionError) as error:
            message = f"{entry.name} could not be read: {_first_line(error)}"
            yield FindingFact(
                location=Location(path=entry.path), analyzer=self.name, message=message
            )


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:200]


def _fact(path: str, line: int | None, name: str, spec: str, manifest: str) -> DependencyFact:
    return DependencyFact(
        location=Location(path=path, line=line),
        name=name,
        spec=spec,
        pinned=bool(PINNED.match(spec)),
        manifest=manifest,
    )


def _requirements(path: str, text: str) -> Iterator[DependencyFact]:
    manifest = "lock" if is_compiled_requirements(path, text) else "requirements"
    for number, line in enumerate(text.splitlines(), start=1):
        parsed = parse_requirement(line)
        if parsed:
            yield _fact(path, number, *parsed, manifest)


def is_compiled_requirements(path: str, text: str) -> bool:
    """A lock or pip-compile output lists every transitive dependency, not the project's own
    choices: `requirements.lock.txt`, `constraints.txt`, or a file with `# via` notes."""
    name = path.rsplit("/", 1)[-1].lower()
    if any(word in name for word in ("lock", "constraint")):
        return True
    # `[^\S\n]`, not `\s`: a `\s*` after `^` would run across lines, quadratic in blank lines
    return re.search(r"^[^\S\n]*#[^\S\n]+via\b", text, re.MULTILINE) is not None


#: Quoted strings on one line, for each quote character on its own (`'a "b" c'` holds both).
_QUOTED = (re.compile(r'"[^"\n]*"'), re.compile(r"'[^'\n]*'"))
#: The name a line starts with: a table key or a list item, maybe quoted.
_LEADING = re.compile(r"""^\s*(?:-\s*)?["']?([\w.-]+)""")
#: Whole words as package names are written: `(?<![\w.-])name(?![\w.-])` in one pass.
_NAME_WORD = re.compile(r"[\w.-]+")


class _Declarations:
    """Where a manifest names each package, indexed in one pass over its lines: searching
    the whole text once per dependency would make a manifest of thousands take hours."""

    def __init__(self, text: str) -> None:
        self.quoted: dict[str, int] = {}  # '"numpy>=1.0"' -> its first line
        self.leading: dict[str, int] = {}  # a name a line starts with -> that line
        self.words: dict[str, int] = {}  # a name anywhere on a line -> the first such line
        for number, line in enumerate(text.splitlines(), start=1):
            for pattern in _QUOTED:
                for match in pattern.finditer(line):
                    self.quoted.setdefault(match.group(0), number)
            folded = _fold(line)
            leading = _LEADING.match(folded)
            if leading:
                self.leading.setdefault(leading.group(1), number)
            for word in _NAME_WORD.findall(folded):
                self.words.setdefault(word, number)

    def line_of(self, needle: str) -> int | None:
        """The line that declares a dependency: the exact requirement string if it is quoted
        on one line, else the first line that starts with the package name (a table key or a
        list item), else the first line naming it as a whole word."""
        for quote in ('"', "'"):
            number = self.quoted.get(f"{quote}{needle}{quote}")
            if number is not None:
                return number
        name = parse_requirement(needle)
        word = _fold(name[0] if name else needle)
        return self.leading.get(word) or self.words.get(word)


def _fold(text: str) -> str:
    """Names compare case-insensitively, with `_` and `-` alike."""
    return text.replace("_", "-").lower()


def _declared(
    path: str, lines: _Declarations, specs: Iterable[object], manifest: str
) -> Iterator[DependencyFact]:
    for spec in specs:
        if isinstance(spec, str):
            parsed = parse_requirement(spec)
            if parsed:
                yield _fact(path, lines.line_of(spec), *parsed, manifest)


def _pyproject(path: str, text: str) -> Iterator[DependencyFact]:
    document = load_toml(text)
    lines = _Declarations(text)
    project = _table(document.get("project"))
    yield from _declared(path, lines, _list(project.get("dependencies")), "pyproject")
    for group in _table(project.get("optional-dependencies")).values():
        yield from _declared(path, lines, _list(group), "pyproject")
    for group in _table(document.get("dependency-groups")).values():
        yield from _declared(path, lines, _list(group), "pyproject")
    poetry = _table(_table(document.get("tool")).get("poetry"))
    for table in (poetry.get("dependencies"), poetry.get("dev-dependencies")):
        yield from _name_table(path, lines, _table(table), "pyproject")
    for group in _table(poetry.get("group")).values():
        yield from _name_table(path, lines, _table(_table(group).get("dependencies")), "pyproject")


def _pipfile(path: str, text: str) -> Iterator[DependencyFact]:
    document = load_toml(text)
    lines = _Declarations(text)
    for section in ("packages", "dev-packages"):
        yield from _name_table(path, lines, _table(document.get(section)), "pipfile")


def _name_table(
    path: str, lines: _Declarations, table: Mapping[str, Any], manifest: str
) -> Iterator[DependencyFact]:
    for raw_name, value in table.items():
        if raw_name.lower() == "python":
            continue
        version = value if isinstance(value, str) else str(_table(value).get("version", ""))
        spec = (
            "" if version in ("*", "") else (version if version[0] in "=<>!~^" else f"=={version}")
        )
        yield _fact(path, lines.line_of(raw_name), normalise(raw_name), spec, manifest)


def _setup_cfg(path: str, text: str) -> Iterator[DependencyFact]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(text)
    if parser.has_option("options", "install_requires"):
        specs = parser.get("options", "install_requires").splitlines()
        yield from _declared(path, _Declarations(text), specs, "setup.cfg")


def _conda(path: str, text: str) -> Iterator[DependencyFact]:
    document = _table(load_yaml(text))
    lines = _Declarations(text)
    for item in _list(document.get("dependencies")):
        if isinstance(item, str):
            conda_spec = re.sub(r"^([\w.-]+)=(?!=)", r"\1==", item.split("::")[-1].strip())
            parsed = parse_requirement(conda_spec)
            if parsed and parsed[0] == "python":
                continue  # the interpreter, not a package (as `python` in Poetry)
            yield from _declared(path, lines, [conda_spec], "environment")
        elif isinstance(item, Mapping):
            yield from _declared(path, lines, _list(item.get("pip")), "environment")


def _table(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


class LockfileListingAnalyzer:
    """Lock files need only to exist; their content is not parsed."""

    name = "lockfiles"

    def analyze_listing(self, snapshot: Snapshot, context: AnalysisContext) -> Iterator[Fact]:
        for entry in snapshot:
            tool = LOCKFILES.get(entry.name.lower())
            if tool is None and entry.name.lower().endswith((".lock.txt", "-lock.txt")):
                tool = "pip-tools"
            if tool and entry.size > 0:
                yield LockfileFact(location=Location(path=entry.path), tool=tool)
