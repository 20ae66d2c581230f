"""SARIF 2.1.0 for GitHub code scanning: valid against the OASIS schema, every rule declared,
results where a reviewer would look, fingerprints that follow an alert across commits."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonschema
import nbformat
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_notebook, new_output

from portfolio_check.app.scan import scan
from portfolio_check.cli import command, main
from portfolio_check.common.resources import json_schema
from portfolio_check.model.rubric import Rubric
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import EXTENSIONS, FORMATS, render
from portfolio_check.report.sarif import RULE_IDS, rules, uri_reference
from tests.repos import RepoBuilder

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
TRICKY_TEST = "tests/test my#file.py"
# RFC 3986 relative-ref without query or fragment: segments of pchar, no scheme-like colon
URI_REFERENCE = re.compile(
    r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|%[0-9A-F]{2})+(?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-F]{2})*)*"
)
UNSAFE_IN_MESSAGE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
COMPLEX_FUNCTION = (
    "def pick(x):\n"
    + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(12))
    + "    return -1\n"
)


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@pytest.fixture(scope="module")
def problem_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with one of each problem the rules name, and hostile text and names."""
    root = tmp_path_factory.mktemp("sarif") / "problems"
    notebook = new_notebook()
    failing = new_code_cell("1 / 0", execution_count=1)
    failing.outputs = [
        new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])
    ]
    notebook.cells.append(failing)
    notebook.cells.append(new_code_cell("open('/home/ada/data.csv')", execution_count=2))
    repo = RepoBuilder(root)
    repo.files(
        {
            "src/app/__init__.py": "",
            "src/app/complex.py": COMPLEX_FUNCTION,
            "Dockerfile": 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "app.serve"]\n',
            "dvc.yaml": "stages:\n  train:\n    cmd: python src/train_missing.py\n    deps: [data.csv]\n    outs: [model.pkl]\n",
            TRICKY_TEST: "def test_x():\n    pass\n",
            "README.md": (
                "# Churn\n\nServed with Docker and FastAPI \x1b[31m [x](javascript:alert(1)) "
                "\u202eevil\x07 \\[y\\](https://evil.example)\n"
            ),
            "analysis.ipynb": nbformat.writes(notebook),
        }
    )
    repo.commit("everything at once")
    return root


@pytest.fixture(scope="module")
def problem_card(problem_path: Path, rubric: Rubric) -> Scorecard:
    return scan(problem_path, rubric=rubric)


def sarif(card: Scorecard) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render(card, "sarif"))
    return document


def results(card: Scorecard, rule_id: str | None = None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = sarif(card)["runs"][0]["results"]
    return [r for r in found if rule_id is None or r["ruleId"] == rule_id]


def place(result: dict[str, Any]) -> tuple[str, int | None]:
    physical = result["locations"][0]["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical.get("region", {}).get("startLine")


def shifted(card: Scorecard, lines: int) -> Scorecard:
    """The same card with every claim and evidence item `lines` further down its file."""

    def down(line: int | None) -> int | None:
        return None if line is None else line + lines

    categories = tuple(
        dataclasses.replace(
            category,
            criteria=tuple(
                dataclasses.replace(
                    criterion,
                    evidence=tuple(
                        dataclasses.replace(item, line=down(item.line))
                        for item in criterion.evidence
                    ),
                )
                for criterion in category.criteria
            ),
        )
        for category in card.categories
    )
    claims = tuple(dataclasses.replace(claim, line=down(claim.line)) for claim in card.claims)
    return dataclasses.replace(card, categories=categories, claims=claims)


def test_sarif_is_a_registered_format() -> None:
    assert "sarif" in FORMATS and EXTENSIONS["sarif"] == "sarif"


@pytest.mark.parametrize(
    "card_name",
    ["production_card", "coursework_card", "buzzword_card", "honest_card", "problem_card"],
)
def test_every_fixture_validates_against_the_oasis_schema(
    card_name: str, request: pytest.FixtureRequest, sarif_schema: dict[str, Any]
) -> None:
    card: Scorecard = request.getfixturevalue(card_name)
    document = sarif(card)
    jsonschema.Draft4Validator.check_schema(sarif_schema)
    jsonschema.Draft4Validator(sarif_schema).validate(document)
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    assert run["automationDetails"]["id"] == "portfolio-check/"
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "portfolio-check" and driver["version"] == card.tool_version
    assert driver["semanticVersion"] == card.tool_version
    assert "informationUri" not in driver
    rule_ids = [rule["id"] for rule in driver["rules"]]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("warning", "note")
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == (
            "%SRCROOT%"
        )
        text = result["message"]["text"]
        assert text.strip() and not UNSAFE_IN_MESSAGE.search(text)


def test_rules_come_from_the_data_file_and_carry_help_and_remediation() -> None:
    data = json_schema("sarif-rules.json")["rules"]
    assert [rule["id"] for rule in data] == list(RULE_IDS)
    loaded = rules()
    assert [rule.id for rule in loaded] == list(RULE_IDS)
    for rule in loaded:
        assert re.fullmatch(r"PC\d{3}", rule.id)
        assert rule.level in ("warning", "note")
        assert rule.help_text and rule.help_markdown and rule.remediation
        assert rule.short_description and rule.full_description and rule.name


def test_every_rule_is_declared_when_nothing_is_found(honest_card: Scorecard) -> None:
    clean = dataclasses.replace(
        honest_card,
        claims=(),
        findings=(),
        hotspots=(),
        notebooks=(),
        categories=(),
        dependencies=None,
    )
    (run,) = sarif(clean)["runs"]
    assert run["results"] == []
    declared = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in declared] == list(RULE_IDS)
    for rule in declared:
        assert rule["defaultConfiguration"]["level"] in ("warning", "note")
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["properties"]["remediation"]


def test_buzzword_placeholder_tests_are_found_with_their_lines(buzzword_card: Scorecard) -> None:
    found = results(buzzword_card, "PC001")
    assert sorted(place(r) for r in found) == [
        ("tests/test_model.py", 1),
        ("tests/test_model.py", 5),
    ]
    assert any("test_model asserts nothing" in r["message"]["text"] for r in found)
    assert all(r["level"] == "warning" for r in found)


def test_buzzword_claims_without_evidence(buzzword_card: Scorecard) -> None:
    claims = results(buzzword_card, "PC002")
    texts = {(place(r)[0], r["message"]["text"]) for r in claims}
    assert any(path == "Dockerfile" and "an empty Dockerfile" in text for path, text in texts)
    assert any(
        path == ".github/workflows/ci.yml" and "a CI job that only echoes" in text
        for path, text in texts
    )
    # declared but never imported: dependency hygiene, its own rule, not a claim
    assert not {path for path, _ in texts if path == "requirements.txt"}
    unused = {
        name
        for r in results(buzzword_card, "PC009")
        if place(r)[0] == "requirements.txt"
        for name in ("fastapi", "mlflow", "pandera", "prometheus-client")
        if f"Dependency {name} is declared but no module" in r["message"]["text"]
    }
    assert unused == {"fastapi", "mlflow", "pandera", "prometheus-client"}
    workflow = next(r for r in claims if place(r)[0] == ".github/workflows/ci.yml")
    assert place(workflow) == (".github/workflows/ci.yml", 4)
    assert all(r["level"] == "note" for r in claims)


def test_buzzword_unpinned_dependencies_are_notes_at_their_lines(buzzword_card: Scorecard) -> None:
    found = {place(r): r["message"]["text"] for r in results(buzzword_card, "PC008")}
    # requirements.txt: fastapi, mlflow, prometheus-client, pandera, dvc, none pinned
    assert set(found) == {("requirements.txt", line) for line in range(1, 6)}
    assert (
        "Dependency mlflow (no version) allows more than one version"
        in found["requirements.txt", 2]
    )
    assert all(r["level"] == "note" for r in results(buzzword_card, "PC008"))


def test_buzzword_unreadable_notebook_is_reported_at_line_one(buzzword_card: Scorecard) -> None:
    (unreadable,) = results(buzzword_card, "PC007")
    assert place(unreadable) == ("notebook.ipynb", 1)
    assert "not valid JSON" in unreadable["message"]["text"]


def test_a_complex_function_is_a_hotspot_at_its_line(problem_card: Scorecard) -> None:
    (hotspot,) = results(problem_card, "PC003")
    assert place(hotspot) == ("src/app/complex.py", 1)
    assert "pick has cyclomatic complexity 13" in hotspot["message"]["text"]


def test_commands_naming_missing_files_are_reported(problem_card: Scorecard) -> None:
    found = {place(r): r["message"]["text"] for r in results(problem_card, "PC006")}
    assert set(found) == {("Dockerfile", 1), ("dvc.yaml", 2)}
    assert "names app.serve, which is not in the repository" in found["Dockerfile", 1]
    assert "names src/train_missing.py" in found["dvc.yaml", 2]
    # the same Dockerfile is not reported again as a plain claim without evidence
    assert not any(
        "which is not in the repository" in r["message"]["text"]
        for r in results(problem_card, "PC002")
    )


def test_missing_targets_come_from_evidence_when_no_claim_lists_them(
    problem_card: Scorecard,
) -> None:
    unclaimed = dataclasses.replace(problem_card, claims=())
    assert {place(r) for r in results(unclaimed, "PC006")} == {("Dockerfile", 1), ("dvc.yaml", 2)}
    assert results(unclaimed, "PC001") == results(unclaimed, "PC002") == []


def test_notebook_errors_and_hygiene_are_separate_rules_at_line_one(
    problem_card: Scorecard,
) -> None:
    (errors,) = results(problem_card, "PC004")
    assert place(errors) == ("analysis.ipynb", 1)
    assert "1 error output left in" in errors["message"]["text"]
    (hygiene,) = results(problem_card, "PC005")
    assert place(hygiene) == ("analysis.ipynb", 1)
    assert "absolute path" in hygiene["message"]["text"]
    # the notebook analyzer's own error-output finding is not a second, unreadable-file alert
    assert results(problem_card, "PC007") == []


def test_a_file_name_with_spaces_and_hash_is_a_valid_uri_reference(
    problem_card: Scorecard,
) -> None:
    (placeholder,) = results(problem_card, "PC001")
    uri, line = place(placeholder)
    assert (uri, line) == ("tests/test%20my%23file.py", 1)
    assert URI_REFERENCE.fullmatch(uri)
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("", "", "", "")
    assert unquote(parts.path) == TRICKY_TEST


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("src/model.py", "src/model.py"),
        ("notes/a b#c?d%e.md", "notes/a%20b%23c%3Fd%25e.md"),
        ("C:/x.py", "C%3A/x.py"),  # a first segment with a colon would read as a scheme
        ("données/é.py", "donn%C3%A9es/%C3%A9.py"),
        ("raw/\udcff.py", "raw/%FF.py"),  # an undecodable byte keeps its value
        ("x/\n\x1b.py", "x/%0A%1B.py"),
    ],
)
def test_uri_reference_percent_encodes(path: str, expected: str) -> None:
    assert uri_reference(path) == expected
    assert URI_REFERENCE.fullmatch(expected)


def test_repository_text_cannot_break_lines_or_become_a_link(problem_card: Scorecard) -> None:
    rendered = render(problem_card, "sarif")
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", rendered)
    readme = [r for r in results(problem_card, "PC002") if place(r)[0] == "README.md"]
    assert readme, "the README line that names Docker and FastAPI is a claim"
    for result in readme:
        text = result["message"]["text"]
        assert "\n" not in text and "\x1b" not in text and "\u202e" not in text
        assert "[x](javascript" not in text and "\\[x\\](javascript" in text
        # an escaped bracket in the README is not un-escaped into a link either
        assert re.search(r"(?<!\\)\[[^\]]*\]\(", text) is None


def test_fingerprints_are_stable_unique_and_ignore_line_moves(
    buzzword_card: Scorecard, buzzword_path: Path, rubric: Rubric
) -> None:
    def fingerprints(card: Scorecard) -> list[str]:
        return [r["partialFingerprints"]["portfolioCheck/v1"] for r in results(card)]

    first = fingerprints(buzzword_card)
    assert first == fingerprints(buzzword_card)
    assert first == fingerprints(scan(buzzword_path, rubric=rubric))
    assert len(first) == len(set(first)) >= 10
    assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in first)
    moved = shifted(buzzword_card, 3)  # as if three lines were added at the top of each file
    assert sorted(fingerprints(moved)) == sorted(first)
    assert sorted(place(r) for r in results(moved)) != sorted(
        place(r) for r in results(buzzword_card)
    )


def test_cli_writes_sarif_to_a_file(
    buzzword_path: Path, tmp_path: Path, sarif_schema: dict[str, Any]
) -> None:
    out = tmp_path / "out.sarif"
    result = CliRunner().invoke(
        command, [str(buzzword_path), "--format", "sarif", "-o", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(sarif_schema).validate(document)
    assert {r["ruleId"] for r in document["runs"][0]["results"]} >= {"PC001", "PC002", "PC007"}


def test_cli_main_defaults_to_a_sarif_report_file(
    honest_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main([str(honest_path), "-f", "sarif", "--quiet"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == ""
    report = tmp_path / "portfolio-check-report" / "scorecard.sarif"
    document = json.loads(report.read_text("utf-8"))
    assert document["runs"][0]["tool"]["driver"]["name"] == "portfolio-check"
