"""Hard-coded secrets (API tokens, passwords, private keys) in code, notebooks, configs and
documents, found by Yelp's detect-secrets used as a library.

Only its detectors run, in this process, on the text the snapshot already read: never its
file scanner (which opens paths), never a plugin's `verify` (which would send the secret to
a web service), and never its global settings. A notebook is read cell source by cell
source (outputs hold embedded images that look like keys). Its own heuristic filters drop
templated, sequential and id-like values (and, for the detectors that match any value of a
secret-sounding name, indirect ones); values that read as placeholders
(`"your_api_key_here"`) or demo defaults are dropped as well: a red flag has to be worth a
reviewer's time.

A fact names the kind of secret and its line, never the value: nothing after this module
can print it. The scan is bounded (a `Budget` per file): lines are cut at
`MAX_LINE_CHARS`, a file at `MAX_SCANNED_CHARS`, at most `MAX_EXAMINED` values are judged,
and each detector first searches the whole text once, so that a file none of its patterns
can match is never read line by line.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.intake.snapshot import MAX_NOTEBOOK_BYTES, MAX_TEXT_BYTES, FileEntry
from portfolio_check.model.facts import Fact, SecretFact
from portfolio_check.model.location import Location

#: Characters of a line that are scanned: a secret is a short token, and a detector's
#: regex on a megabyte-long minified line is where backtracking would hurt.
MAX_LINE_CHARS = 1000
#: Characters of a file (or of all of a notebook's cells) that are scanned: the
#: detectors' patterns cost a fraction of a microsecond a character.
MAX_SCANNED_CHARS = 1024 * 1024
#: Secrets reported per file at most: a file full of them says what it needs to.
MAX_PER_FILE = 20
#: Values (and keyword lines) examined per file at most: each costs a few filters, and a
#: file shaped to hold thousands of them must not hold the scan up.
MAX_EXAMINED = 100
#: Characters of a line the filters read: one of detect-secrets' is quadratic in it.
FILTER_CHARS = 120
#: Characters before and after a secret-sounding name that the keyword detector reads.
KEYWORD_BEFORE = 20
KEYWORD_AFTER = 100
#: detect-secrets' detectors that are not used: high-entropy strings flag every hash,
#: digest and embedded image, a public IP address is not a secret, and the IBM Cloud,
#: Cloudant and SoftLayer detectors' case-blind, look-behind patterns cost two thirds of
#: the scan's time for services ML portfolios hardly use.
UNUSED_DETECTORS = frozenset(
    {
        "Base64HighEntropyString",
        "HexHighEntropyString",
        "IPPublicDetector",
        "IbmCloudIamDetector",
        "IbmCosHmacDetector",
        "CloudantDetector",
        "SoftlayerDetector",
    }
)
#: detect-secrets' detectors that match any value given to a secret-sounding name or put
#: in a URL (`password = "..."`, `user:password@host`), unlike those that know a token's
#: shape: their values count only when they look random, not like a local demo default
#: (`postgres:postgres@db`, `POSTGRES_PASSWORD: swordfish`).
GENERIC_DETECTORS = frozenset({"KeywordDetector", "BasicAuthDetector"})
#: Characters and bits of entropy per character a generic detector's value needs.
MIN_GENERIC_CHARS = 12
MIN_GENERIC_ENTROPY = 3.0
#: Files a secret hides in: code, notebooks, configs, scripts and documents.
SUFFIXES = frozenset(
    {
        ".py", ".ipynb", ".r", ".sh", ".bash", ".zsh", ".ps1", ".js", ".ts", ".java",
        ".scala", ".go", ".sql", ".tf", ".tfvars", ".yaml", ".yml", ".json", ".toml", ".ini",
        ".cfg", ".conf", ".cnf", ".properties", ".env", ".md", ".rst",
    }
)  # fmt: skip
NAMES = frozenset({"dockerfile", "makefile", ".env", ".netrc", ".pypirc", "credentials"})
#: How the keyword detector is told what a file is (it looks at the name's suffix only):
#: `KEY=value` files and shell scripts assign without quotes, as a config file does.
UNQUOTED_ASSIGNMENTS = frozenset({".env", ".sh", ".bash", ".zsh", ".properties"})
#: Words of a value that is an example to replace, a demo default or a reference to where
#: the secret really is, not a secret.
PLACEHOLDER = re.compile(
    r"(?i)your|xxx|example|placeholder|change_?me|dummy|redacted|fake|sample|here|mock|"
    r"temp|test|admin|pass|secret|token|default|demo|local|environ|getenv|\*\*\*"
)
#: Words one of which every entry of the keyword detector's denylist contains (checked by a
#: test against the library's list), so a text without any of them cannot match it.
KEYWORD_WORDS = ("key", "pass", "pwd", "secret", "contrase")


@dataclass(frozen=True, kw_only=True)
class _Detector:
    """One detect-secrets plugin, and the whole-text patterns that gate it."""

    plugin: object
    secret_type: str
    gates: tuple[re.Pattern[str], ...]  # a regex detector's patterns, for the whole text
    keyword: bool = False  # the keyword detector: gated by `KEYWORD_WORDS` instead
    generic: bool = False  # one of `GENERIC_DETECTORS`


class SecretsAnalyzer:
    """`secret` facts: the kind of secret and where, never its value."""

    name = "secrets"
    read_limit = MAX_NOTEBOOK_BYTES

    def wants(self, entry: FileEntry) -> bool:
        if entry.size > (MAX_NOTEBOOK_BYTES if entry.suffix == ".ipynb" else MAX_TEXT_BYTES):
            return False
        name = entry.name.lower()
        if _is_lock_file(name):
            return False
        return entry.suffix in SUFFIXES or name in NAMES or name.startswith(".env")

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        for found, (location, secret_type) in enumerate(_secrets(entry, text), start=1):
            yield SecretFact(location=location, secret_type=secret_type)
            if found == MAX_PER_FILE:
                return


def _secrets(entry: FileEntry, text: str) -> Iterator[tuple[Location, str]]:
    """(where, kind) of each secret, once per line and kind."""
    seen: set[tuple[Location, str]] = set()
    budget = Budget()
    blocks = list(_blocks(entry, text, budget))
    # one search of the whole file per pattern: a notebook of many cells pays it once
    whole = "\n".join(line for _, _, lines in blocks for line in lines)
    active = [detector for detector in _detectors() if _may_match(detector, whole)]
    for location, told_as, lines in blocks if active else ():
        for number, secret_type in _scan(lines, told_as, active, budget):
            place = Location(path=location.path, line=number, cell=location.cell)
            if (place, secret_type) not in seen:
                seen.add((place, secret_type))
                yield place, secret_type
        if budget.examined <= 0:
            return


@dataclass
class Budget:
    """What is left to scan of one file: characters, and values to examine."""

    chars: int = MAX_SCANNED_CHARS
    examined: int = MAX_EXAMINED

    def take_lines(self, lines: list[str]) -> list[str]:
        """The lines, each cut at `MAX_LINE_CHARS`, that fit in the characters left."""
        kept: list[str] = []
        for line in lines:
            cut = line[:MAX_LINE_CHARS]
            if self.chars < len(cut) + 1:
                break
            self.chars -= len(cut) + 1
            kept.append(cut)
        return kept


def _blocks(
    entry: FileEntry, text: str, budget: Budget
) -> Iterator[tuple[Location, str, list[str]]]:
    """The file's text as the detectors read it: (where, the name the keyword detector
    is told, lines), a notebook cell by cell, until the budget's characters run out."""
    if entry.suffix != ".ipynb":
        yield Location(path=entry.path), _told_as(entry), budget.take_lines(text.splitlines())
        return
    for number, kind, source in notebook_cells(text):
        lines = budget.take_lines(source.splitlines())
        told_as = "cell.py" if kind == "code" else "cell.md"
        if lines:
            yield Location(path=entry.path, cell=number), told_as, lines
        if budget.chars <= MAX_LINE_CHARS:
            return


def _told_as(entry: FileEntry) -> str:
    name = entry.name.lower()
    if entry.suffix in UNQUOTED_ASSIGNMENTS or name.startswith(".env"):
        return "settings.conf"
    return name


def notebook_cells(text: str) -> Iterator[tuple[int, str, str]]:
    """(1-based cell number, cell type, source) of each cell of a notebook's JSON; nothing
    when the text is not a notebook. Outputs are not read: embedded images look like keys."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return
    cells = document.get("cells") if isinstance(document, dict) else None
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        if isinstance(source, str):
            yield number, str(cell.get("cell_type", "")), source


def scan_lines(lines: Sequence[str], told_as: str) -> Iterator[tuple[int, str]]:
    """(1-based line, kind of secret) for each secret detect-secrets finds in `lines`, as
    one file named `told_as` (the name its keyword detector decides the syntax by)."""
    budget = Budget()
    kept = budget.take_lines(list(lines))
    whole = "\n".join(kept)
    active = [detector for detector in _detectors() if _may_match(detector, whole)]
    yield from _scan(kept, told_as, active, budget)


def _scan(
    lines: Sequence[str], told_as: str, active: Sequence[_Detector], budget: Budget
) -> Iterator[tuple[int, str]]:
    """The secrets the active detectors find in `lines` (already cut), until the budget's
    values (and keyword lines) are examined."""
    for number, line in enumerate(lines, start=1):
        for detector in active:
            if budget.examined <= 0:
                return
            values = _values(detector, line, told_as)
            if values:
                budget.examined -= len(values)
                if any(_reported(detector, value, line, told_as) for value in values):
                    yield number, detector.secret_type


def _may_match(detector: _Detector, whole: str) -> bool:
    """Whether any line of the text could match: a detector's pattern that finds nothing
    in the whole text (with `^` and `$` at every line) finds nothing in any line."""
    if detector.keyword:
        lowered = whole.lower()
        return any(word in lowered for word in KEYWORD_WORDS)
    return not detector.gates or any(gate.search(whole) for gate in detector.gates)


def _values(detector: _Detector, line: str, told_as: str) -> list[str]:
    """The values a detector finds in a line. The keyword detector reads only the part of
    the line around its first secret-sounding name: its patterns take cubic time in the
    length of a line that repeats such names."""
    from detect_secrets.plugins.keyword import REGEX_BY_FILETYPE  # noqa: PLC0415
    from detect_secrets.util.filetype import determine_file_type  # noqa: PLC0415

    plugin: Any = detector.plugin
    if not detector.keyword:
        return list(plugin.analyze_string(line))
    lowered = line.lower()
    if not any(word in lowered for word in KEYWORD_WORDS):
        return []
    name = _keyword_names().search(line)
    if name is None:
        return []
    window = line[max(0, name.start() - KEYWORD_BEFORE) : name.start() + KEYWORD_AFTER]
    patterns = REGEX_BY_FILETYPE.get(determine_file_type(told_as))
    # the "" counts the line itself against the budget: the patterns cost more than a value
    return ["", *plugin.analyze_string(window, denylist_regex_to_group=patterns)]


@functools.cache
def _keyword_names() -> re.Pattern[str]:
    """The keyword detector's secret-sounding names (`api_key`, `password`), as it has them."""
    from detect_secrets.plugins import keyword  # noqa: PLC0415

    return re.compile("|".join(keyword.DENYLIST), re.IGNORECASE)


def _reported(detector: _Detector, value: str, line: str, told_as: str) -> bool:
    """Whether a value is worth a red flag: detect-secrets' own heuristics (templated,
    sequential, an id, no letter) and ours (a placeholder, a demo default) let it through.
    Whether the line reads the value from elsewhere (`= get_secret()`) is asked of the
    generic detectors only: a token of a known shape inside a call (`OpenAI(api_key=...)`)
    is how keys leak. The heuristics read the start of the line (one is quadratic)."""
    from detect_secrets.filters import heuristic  # noqa: PLC0415

    if not value or PLACEHOLDER.search(value) or (detector.generic and not _random(value)):
        return False
    start = line[:FILTER_CHARS]
    return not (
        heuristic.is_sequential_string(value)
        or heuristic.is_potential_uuid(value)
        or heuristic.is_likely_id_string(value, start, detector.plugin)  # type: ignore[arg-type]
        or heuristic.is_templated_secret(value)
        or heuristic.is_prefixed_with_dollar_sign(value)
        or (detector.generic and heuristic.is_indirect_reference(start))
        or heuristic.is_not_alphanumeric_string(value)
        or heuristic.is_swagger_file(told_as)
    )


def _random(value: str) -> bool:
    """Long enough and varied enough (Shannon entropy per character) to be a real key."""
    if len(value) < MIN_GENERIC_CHARS:
        return False
    counts = Counter(value)
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return entropy >= MIN_GENERIC_ENTROPY


def _is_lock_file(name: str) -> bool:
    """Lock files are hashes and URLs from a resolver, never secrets someone typed."""
    return name.endswith(".lock") or name in {"package-lock.json", "packages.lock.json"}


def detector_types() -> frozenset[str]:
    """The kinds of secret the scan can report, as detect-secrets names them."""
    return frozenset(detector.secret_type for detector in _detectors())


@functools.cache
def _detectors() -> tuple[_Detector, ...]:
    """detect-secrets' detectors, imported on the first file that needs them (importing the
    library costs a third of a second a scan without such files should not pay)."""
    from detect_secrets.core.plugins.util import (  # noqa: PLC0415
        get_mapping_from_secret_type_to_class,
    )
    from detect_secrets.plugins.base import RegexBasedDetector  # noqa: PLC0415

    detectors = []
    classes: dict[str, type[Any]] = dict(get_mapping_from_secret_type_to_class())
    for secret_type, plugin_class in sorted(classes.items()):
        if plugin_class.__name__ in UNUSED_DETECTORS:
            continue
        plugin = plugin_class()
        gates: tuple[re.Pattern[str], ...] = ()
        if isinstance(plugin, RegexBasedDetector):
            gates = tuple(
                re.compile(pattern.pattern, pattern.flags | re.MULTILINE)
                for pattern in plugin.denylist
            )
        name = plugin_class.__name__
        detectors.append(
            _Detector(
                plugin=plugin,
                secret_type=secret_type,
                gates=gates,
                keyword=name == "KeywordDetector",
                generic=name in GENERIC_DETECTORS,
            )
        )
    return tuple(detectors)
