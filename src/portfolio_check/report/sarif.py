"""The SARIF 2.1.0 view, for GitHub code scanning: one result per thing a reviewer would flag.

The rules are data, `schemas/sarif-rules.json`; every run declares all of them, so an alert
whose problem is fixed closes itself on the next upload. Results come from the Scorecard
only: its claims (sorted into placeholder tests, commands that name missing files, and the
other claims without evidence), its complexity hot spots, its notebook problems, its
dependency hygiene (unpinned and unused dependencies) and the files it could not analyse.

Text taken from the scanned repository (README lines, file and function names, parse
errors) reaches the output only inside JSON strings, after control and bidirectional
characters are replaced and square brackets are escaped, so it can neither break a line nor
turn into an embedded SARIF link. Paths become percent-encoded URI references.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal
from urllib.parse import quote

from portfolio_check.common import text_safety
from portfolio_check.common.plural import counted
from portfolio_check.common.resources import json_schema
from portfolio_check.model.scorecard import TOOL_NAME, Scorecard

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
RULES_FILE = "sarif-rules.json"
SRCROOT = "%SRCROOT%"
AUTOMATION_ID = f"{TOOL_NAME}/"  # a category only: each upload replaces the last one's alerts
FINGERPRINT_KEY = "portfolioCheck/v1"  # GitHub reserves and recomputes primaryLocationLineHash
MAX_TEXT = 300  # characters of repository text quoted in one message

PLACEHOLDER_TEST = "PC001"
CLAIM_WITHOUT_EVIDENCE = "PC002"
COMPLEXITY_HOTSPOT = "PC003"
NOTEBOOK_ERROR_OUTPUTS = "PC004"
NOTEBOOK_HYGIENE = "PC005"
MISSING_COMMAND_TARGET = "PC006"
UNREADABLE_FILE = "PC007"
UNPINNED_DEPENDENCY = "PC008"
UNUSED_DEPENDENCY = "PC009"
RULE_IDS = (
    PLACEHOLDER_TEST,
    CLAIM_WITHOUT_EVIDENCE,
    COMPLEXITY_HOTSPOT,
    NOTEBOOK_ERROR_OUTPUTS,
    NOTEBOOK_HYGIENE,
    MISSING_COMMAND_TARGET,
    UNREADABLE_FILE,
    UNPINNED_DEPENDENCY,
    UNUSED_DEPENDENCY,
)

#: The placeholder reasons the analyzers write for tests that prove nothing.
PLACEHOLDER_TEST_REASONS = ("a test that asserts nothing", "a course grader, not a project test")
#: The reason the linker writes for a Dockerfile or DVC stage whose command names a missing file.
MISSING_TARGET = re.compile(r"its command names (?P<name>.+), which is not in the repository")
#: The notebook analyzer's own finding, already reported by the notebook rules.
ERROR_OUTPUT_FINDING = re.compile(r"notebook has \d+ cells? with error outputs left in")

#: Why each notebook problem the engine names matters, by a phrase of its text.
NOTEBOOK_WHY = (
    ("out of order", "a fresh run may not reproduce the saved results"),
    ("never run", "they show a reader nothing"),
    ("absolute paths", "it runs only on the author's machine"),
    ("MB of outputs", "they bloat the repository and its diffs"),
)
SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?", re.ASCII
)

Level = Literal["warning", "note"]


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    name: str
    short_description: str
    full_description: str
    help_text: str
    help_markdown: str
    level: Level
    tags: tuple[str, ...]
    remediation: str

    def to_sarif(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "shortDescription": {"text": self.short_description},
            "fullDescription": {"text": self.full_description},
            "help": {"text": self.help_text, "markdown": self.help_markdown},
            "defaultConfiguration": {"level": self.level},
            "properties": {"tags": list(self.tags), "remediation": self.remediation},
        }


@cache
def rules() -> tuple[Rule, ...]:
    """The rules, in the order of `RULE_IDS`; a broken rules file fails loudly here."""
    loaded = json_schema(RULES_FILE).get("rules")
    if not isinstance(loaded, list):
        raise ValueError(f"{RULES_FILE}: 'rules' must be a list")
    by_id = {rule.id: rule for rule in (_rule(entry) for entry in loaded)}
    if len(by_id) != len(loaded) or set(by_id) != set(RULE_IDS):
        raise ValueError(f"{RULES_FILE}: expected one rule each for {', '.join(RULE_IDS)}")
    return tuple(by_id[rule_id] for rule_id in RULE_IDS)


def _rule(entry: object) -> Rule:
    if not isinstance(entry, Mapping):
        raise ValueError(f"{RULES_FILE}: every rule must be an object")

    def text(data: Mapping[str, Any], key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{RULES_FILE}: rule {entry.get('id')!r} needs a non-empty {key!r}")
        return value

    help_ = entry.get("help")
    level = entry.get("level")
    tags = entry.get("tags", [])
    if not isinstance(help_, Mapping):
        raise ValueError(f"{RULES_FILE}: rule {entry.get('id')!r} needs 'help' text and markdown")
    if level not in ("warning", "note"):
        raise ValueError(f"{RULES_FILE}: rule {entry.get('id')!r} level must be warning or note")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValueError(f"{RULES_FILE}: rule {entry.get('id')!r} tags must be strings")
    return Rule(
        id=text(entry, "id"),
        name=text(entry, "name"),
        short_description=text(entry, "shortDescription"),
        full_description=text(entry, "fullDescription"),
        help_text=text(help_, "text"),
        help_markdown=text(help_, "markdown"),
        level="warning" if level == "warning" else "note",
        tags=tuple(tags),
        remediation=text(entry, "remediation"),
    )


@dataclass(frozen=True, kw_only=True)
class _Result:
    rule: str
    path: str
    line: int | None
    message: str


def render(scorecard: Scorecard) -> str:
    return json.dumps(sarif_log(scorecard), indent=2, ensure_ascii=False) + "\n"


def sarif_log(scorecard: Scorecard) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict: one run, every rule, the results."""
    all_rules = rules()
    index = {rule.id: position for position, rule in enumerate(all_rules)}
    levels = {rule.id: rule.level for rule in all_rules}
    found = _unique(_results(scorecard))
    found.sort(key=lambda r: (index[r.rule], r.path, r.line or 0, r.message))
    seen: Counter[tuple[str, str, str]] = Counter()
    results = []
    for result in found:
        key = (result.rule, result.path, result.message)
        seen[key] += 1
        results.append(_result_json(result, index[result.rule], levels[result.rule], seen[key]))
    driver: dict[str, Any] = {"name": TOOL_NAME, "version": scorecard.tool_version}
    if _is_semver(scorecard.tool_version):
        driver["semanticVersion"] = scorecard.tool_version
    driver["rules"] = [rule.to_sarif() for rule in all_rules]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "automationDetails": {"id": AUTOMATION_ID},
                "originalUriBaseIds": {
                    SRCROOT: {
                        "description": {
                            "text": "The root of the scanned folder; result paths are "
                            "relative to it."
                        }
                    }
                },
                "results": results,
            }
        ],
    }


def _result_json(result: _Result, rule_index: int, level: Level, occurrence: int) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": uri_reference(result.path), "uriBaseId": SRCROOT}
    }
    line = 1 if _is_notebook(result.path) else result.line
    if line is not None and line >= 1:
        physical["region"] = {"startLine": line}
    return {
        "ruleId": result.rule,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": result.message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(result, occurrence)},
    }


def fingerprint(result: _Result, occurrence: int = 1) -> str:
    """Stable across runs: the rule, the path and the message, never the line (code moves).
    A second identical result in one file gets its own, by its order of occurrence."""
    material = "\x00".join((result.rule, result.path, result.message, str(occurrence)))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def uri_reference(path: str) -> str:
    """A repo-relative POSIX path as a relative URI reference: every byte outside the
    unreserved set and `/` percent-encoded (spaces, `#`, `?`, `%`, `:`, non-ASCII)."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


# what the results say ---------------------------------------------------------------------
def _results(scorecard: Scorecard) -> Iterator[_Result]:
    yield from _claim_results(scorecard)
    yield from _missing_targets_beyond_claims(scorecard)
    for hotspot in scorecard.hotspots:
        yield _Result(
            rule=COMPLEXITY_HOTSPOT,
            path=hotspot.path,
            line=hotspot.line,
            message=f"{_text(hotspot.type)} {_text(hotspot.name)} has cyclomatic complexity "
            f"{hotspot.complexity} (rank {_text(hotspot.rank)}): hard to test and to change; "
            "split it into smaller functions.",
        )
    yield from _notebook_results(scorecard)
    yield from _dependency_results(scorecard)
    error_notebooks = {n.path for n in scorecard.notebooks if n.error_outputs > 0}
    for finding in scorecard.findings:
        if ERROR_OUTPUT_FINDING.fullmatch(finding.message):
            if finding.path not in error_notebooks:
                yield _Result(
                    rule=NOTEBOOK_ERROR_OUTPUTS,
                    path=finding.path,
                    line=finding.line,
                    message=f"{_text(finding.message).capitalize()}: a reader sees it fail.",
                )
            continue
        what = "Could not read the git history" if finding.path == ".git" else "Not analysed"
        detail = finding.message.removeprefix("not analysed: ")
        yield _Result(
            rule=UNREADABLE_FILE,
            path=finding.path,
            line=finding.line,
            message=f"{what}: {_text(detail)}.",
        )


def _claim_results(scorecard: Scorecard) -> Iterator[_Result]:
    reasons = _placeholder_reasons(scorecard)
    for claim in scorecard.claims:
        reason = reasons.get((claim.path, claim.line, claim.cell, claim.detail))
        what = claim.detail.removesuffix(f" ({reason})") if reason else claim.detail
        where = _cell(claim.cell, claim.line)
        missing = MISSING_TARGET.fullmatch(reason) if reason else None
        criterion = f'"{_text(claim.criterion_name)}"'
        if reason in PLACEHOLDER_TEST_REASONS:
            why = (
                "it passes whatever the code does"
                if reason == PLACEHOLDER_TEST_REASONS[0]
                else f"it is {reason}"
            )
            message = f"{_text(what)}{where}: {why}, so it counts only as a claim for {criterion}."
            yield _Result(rule=PLACEHOLDER_TEST, path=claim.path, line=claim.line, message=message)
        elif reason and missing:
            yield _missing_target(claim.path, claim.line, what, missing, where)
        else:
            message = f"Claim without evidence for {criterion}: {_text(claim.detail)}{where}."
            yield _Result(
                rule=CLAIM_WITHOUT_EVIDENCE, path=claim.path, line=claim.line, message=message
            )


def _missing_targets_beyond_claims(scorecard: Scorecard) -> Iterator[_Result]:
    """Commands naming missing files that the claims leave out (certification-side criteria,
    for one): every evidence item carries its placeholder reason."""
    for category in scorecard.categories:
        for criterion in category.criteria:
            for item in criterion.evidence:
                missing = MISSING_TARGET.fullmatch(item.placeholder or "")
                if missing:
                    where = _cell(item.cell, item.line)
                    yield _missing_target(item.path, item.line, item.detail, missing, where)


def _missing_target(
    path: str, line: int | None, what: str, missing: re.Match[str], where: str
) -> _Result:
    return _Result(
        rule=MISSING_COMMAND_TARGET,
        path=path,
        line=line,
        message=f"{_text(what)}{where}: its command names {_text(missing['name'])}, "
        "which is not in the repository, so it cannot run as written.",
    )


def _notebook_results(scorecard: Scorecard) -> Iterator[_Result]:
    for notebook in scorecard.notebooks:
        if notebook.error_outputs > 0:
            yield _Result(
                rule=NOTEBOOK_ERROR_OUTPUTS,
                path=notebook.path,
                line=None,
                message=f"Notebook has {counted(notebook.error_outputs, 'error output')} left in: "
                "a reader sees it fail.",
            )
        for problem in notebook.problems:
            if "error output" in problem:
                continue  # the rule above
            why = next((why for part, why in NOTEBOOK_WHY if part in problem), None)
            yield _Result(
                rule=NOTEBOOK_HYGIENE,
                path=notebook.path,
                line=None,
                message=f"Notebook problem: {_text(problem)}" + (f"; {why}." if why else "."),
            )


def _dependency_results(scorecard: Scorecard) -> Iterator[_Result]:
    hygiene = scorecard.dependencies
    if hygiene is None:
        return
    for line in hygiene.unpinned:
        spec = f" ({_text(line.spec)})" if line.spec else " (no version)"
        yield _Result(
            rule=UNPINNED_DEPENDENCY,
            path=line.path,
            line=line.line,
            message=f"Dependency {_text(line.name)}{spec} allows more than one version and no "
            "lock file pins it: pin it or commit a lock file.",
        )
    for line in hygiene.unused:
        yield _Result(
            rule=UNUSED_DEPENDENCY,
            path=line.path,
            line=line.line,
            message=f"Dependency {_text(line.name)} is declared but no module, test or notebook "
            "imports it.",
        )


def _placeholder_reasons(
    scorecard: Scorecard,
) -> dict[tuple[str, int | None, int | None, str], str]:
    """The placeholder reason behind each claim, from the evidence the claim was made of, so
    a README line that merely ends like a reason is never mistaken for one."""
    return {
        (item.path, item.line, item.cell, f"{item.detail} ({item.placeholder})"): item.placeholder
        for category in scorecard.categories
        for criterion in category.criteria
        for item in criterion.evidence
        if item.placeholder
    }


def _unique(results: Iterator[_Result]) -> list[_Result]:
    """One result per rule, place and message: one fact seen by several criteria is one alert."""
    unique: dict[tuple[str, str, int | None, str], _Result] = {}
    for result in results:
        unique.setdefault((result.rule, result.path, result.line, result.message), result)
    return list(unique.values())


def _cell(cell: int | None, line: int | None) -> str:
    """Where in a notebook: the region can only point at the file, so the message says."""
    if cell is None:
        return ""
    return f" (cell {cell}, line {line})" if line else f" (cell {cell})"


def _text(value: str) -> str:
    """Repository text made safe for one line of a SARIF plain-text message."""
    return text_safety.sarif_message(value, limit=MAX_TEXT)


def _is_notebook(path: str) -> bool:
    return path.lower().endswith(".ipynb")


def _is_semver(version: str) -> bool:
    return SEMVER.fullmatch(version) is not None
