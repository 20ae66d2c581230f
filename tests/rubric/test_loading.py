"""Rubrics: the default loads, `extends` merges, and every broken rubric names file and key."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from portfolio_check.app.scan import scan
from portfolio_check.common.errors import RubricError
from portfolio_check.common.resources import rubrics_dir
from portfolio_check.common.safe_yaml import load_packaged_yaml, load_yaml
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.rubric.loading import builtin_rubrics, load_rubric, merge_rubrics
from portfolio_check.rubric.schema import full_schema, validate_document

MINIMAL = """
id: tiny
version: "1"
name: Tiny
categories:
  - id: testing
    name: Testing
    side: real_world
    weight: 1
    criteria:
      - id: tests
        name: Tests
        weight: 1
        remediation: Write tests.
        signals:
          - {level: present, fact: test_function, where: {asserts: {min: 1}}}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def test_default_rubric_loads_with_both_sides(rubric) -> None:  # type: ignore[no-untyped-def]
    assert rubric.id == "ml-portfolio"
    sides = {category.side for category in rubric.categories}
    assert sides == {"real_world", "certification"}
    assert "ml-portfolio" in builtin_rubrics()
    assert all(
        criterion.remediation for category in rubric.categories for criterion in category.criteria
    )


def test_minimal_rubric_from_a_path(tmp_path: Path) -> None:
    rubric = load_rubric(str(write(tmp_path, "tiny.yaml", MINIMAL)))
    (criterion,) = rubric.categories[0].criteria
    assert criterion.signals[0].level is EvidenceLevel.PRESENT
    assert criterion.signals[0].id == "testing.tests.1"


@pytest.mark.parametrize(
    ("change", "key_path", "problem"),
    [
        (
            ("weight: 1\n        remediation", 'weight: "high"\n        remediation'),
            "categories[0].criteria[0].weight",
            "expected a number",
        ),
        (
            ("side: real_world", "side: sideways"),
            "categories[0].side",
            "expected one of: real_world, certification",
        ),
        (
            ("name: Tests\n", "name: Tests\n        colour: blue\n"),
            "categories[0].criteria[0].colour",
            "unknown key",
        ),
        (
            ("fact: test_function", "fact: test_fn"),
            "categories[0].criteria[0].signals[0].fact",
            "unknown fact 'test_fn'",
        ),
        (
            ("{asserts: {min: 1}}", "{assertz: 1}"),
            "categories[0].criteria[0].signals[0].where.assertz",
            "fact 'test_function' has no such field",
        ),
        (
            ("level: present", "level: excellent"),
            "categories[0].criteria[0].signals[0].level",
            "expected one of",
        ),
        (
            ("weight: 1\n    criteria", "weight: 0\n    criteria"),
            "categories[0].weight",
            "must be greater than 0",
        ),
        (
            ("        remediation: Write tests.\n", ""),
            "categories[0].criteria[0]",
            "missing required key 'remediation'",
        ),
    ],
)
def test_broken_rubric_errors_name_file_and_key_path(
    tmp_path: Path, change: tuple[str, str], key_path: str, problem: str
) -> None:
    text = textwrap.dedent(MINIMAL)
    assert change[0] in text, "the test's own edit must apply"
    path = write(tmp_path, "team.yaml", text.replace(change[0], change[1], 1))
    with pytest.raises(RubricError) as caught:
        load_rubric(str(path))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path.as_posix()}: {key_path}: ")
    assert problem in message


def test_invalid_regex_is_reported_with_its_key(tmp_path: Path) -> None:
    text = textwrap.dedent(MINIMAL).replace("{asserts: {min: 1}}", '{name: {regex: "test_("}}')
    with pytest.raises(
        RubricError, match=r"signals\[0\]\.where\.name\.regex: invalid regular expression"
    ):
        load_rubric(str(write(tmp_path, "team.yaml", text)))


def test_invalid_yaml_and_non_mapping(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match=r"bad\.yaml: not valid YAML: line \d+: "):
        load_rubric(str(write(tmp_path, "bad.yaml", "id: [unclosed\n")))
    with pytest.raises(RubricError, match="expected a mapping at the top level"):
        load_rubric(str(write(tmp_path, "list.yaml", "- a\n- b\n")))


def test_unknown_rubric_name_lists_the_built_ins() -> None:
    with pytest.raises(
        RubricError, match=r"no rubric by that name or path \(built-in: ml-portfolio"
    ):
        load_rubric("no-such-rubric")


def test_requires_must_name_an_existing_signal(tmp_path: Path) -> None:
    text = textwrap.dedent(MINIMAL).replace("where: {asserts: {min: 1}}}", "requires: [ghost]}")
    with pytest.raises(RubricError, match="no signal with id 'ghost'"):
        load_rubric(str(write(tmp_path, "team.yaml", text)))


def test_requires_loop_is_rejected(tmp_path: Path) -> None:
    text = textwrap.dedent(MINIMAL).replace(
        "- {level: present, fact: test_function, where: {asserts: {min: 1}}}",
        "- {id: a, level: present, fact: test_function, requires: [b]}\n"
        "          - {id: b, level: wired, fact: test_function, requires: [a]}",
    )
    with pytest.raises(RubricError, match="require each other in a loop"):
        load_rubric(str(write(tmp_path, "team.yaml", text)))


def test_extends_changes_two_weights_and_the_score_moves(
    tmp_path: Path, honest_path: Path, rubric
) -> None:  # type: ignore[no-untyped-def]
    team = write(
        tmp_path,
        "team.yaml",
        """
        id: team
        extends: ml-portfolio
        version: "1"
        categories:
          - id: testing
            weight: 60
          - id: deployment
            weight: 1
    """,
    )
    extended = load_rubric(str(team))
    weights = {category.id: category.weight for category in extended.categories}
    assert weights["testing"] == 60 and weights["deployment"] == 1
    assert len(extended.categories) == len(rubric.categories)
    base_score = scan(honest_path, rubric=rubric).real_world_score
    team_score = scan(honest_path, rubric=extended).real_world_score
    # the honest repo's strength is testing, so weighting testing up raises its score
    assert team_score > base_score + 5


def test_extends_adds_and_removes_criteria(tmp_path: Path) -> None:
    team = write(
        tmp_path,
        "team.yaml",
        """
        id: team
        extends: ml-portfolio
        categories:
          - id: monitoring
            remove: true
          - id: testing
            criteria:
              - id: property-tests
                name: Property-based tests
                weight: 1
                remediation: Use hypothesis.
                signals:
                  - {level: present, fact: import, where: {top: hypothesis, scope: test}}
    """,
    )
    extended = load_rubric(str(team))
    assert "monitoring" not in {category.id for category in extended.categories}
    testing = next(category for category in extended.categories if category.id == "testing")
    assert [criterion.id for criterion in testing.criteria][-1] == "property-tests"
    assert extended.id == "team"


def test_extends_a_new_criterion_must_be_complete(tmp_path: Path) -> None:
    team = write(
        tmp_path,
        "team.yaml",
        """
        id: team
        extends: ml-portfolio
        categories:
          - id: testing
            criteria:
              - id: half-done
                name: Half done
    """,
    )
    with pytest.raises(
        RubricError,
        match=r"team\.yaml: categories\[testing\]\.criteria\[half-done\]: missing required key",
    ):
        load_rubric(str(team))


def test_extends_type_errors_point_into_the_child_file(tmp_path: Path) -> None:
    team = write(
        tmp_path,
        "team.yaml",
        """
        id: team
        extends: ml-portfolio
        categories:
          - id: testing
            weight: lots
    """,
    )
    with pytest.raises(
        RubricError, match=r"team\.yaml: categories\[0\]\.weight: expected a number"
    ):
        load_rubric(str(team))


def test_extends_loop_and_missing_parent(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "id: a\nextends: b.yaml\n")
    write(tmp_path, "b.yaml", "id: b\nextends: a.yaml\n")
    with pytest.raises(RubricError, match="extend each other in a loop"):
        load_rubric(str(tmp_path / "a.yaml"))
    write(tmp_path, "orphan.yaml", "id: orphan\nextends: gone.yaml\n")
    with pytest.raises(RubricError, match=r"orphan\.yaml: extends: no such rubric file"):
        load_rubric(str(tmp_path / "orphan.yaml"))


def test_merge_replaces_signals_wholesale() -> None:
    parent = {
        "id": "p",
        "categories": [{"id": "c", "criteria": [{"id": "x", "weight": 1, "signals": [1, 2]}]}],
    }
    child = {
        "id": "k",
        "extends": "p",
        "categories": [{"id": "c", "criteria": [{"id": "x", "signals": [3]}]}],
    }
    merged = merge_rubrics(parent, child)
    assert merged["categories"][0]["criteria"][0] == {"id": "x", "weight": 1, "signals": [3]}
    assert "extends" not in merged and merged["id"] == "k"


def test_remediation_text_follows_the_next_level_to_reach(rubric) -> None:  # type: ignore[no-untyped-def]
    tracking = next(
        c for cat in rubric.categories for c in cat.criteria if c.id == "experiment-tracking"
    )
    assert "from the training code" in tracking.remediation_for(EvidenceLevel.PRESENT)
    assert "in CI" in tracking.remediation_for(EvidenceLevel.WIRED)
    # at the top there is nothing further: the last advice stands
    assert (
        tracking.remediation_for(EvidenceLevel.AUTOMATED)
        == tracking.remediation[EvidenceLevel.AUTOMATED]
    )


def test_remediation_mapping_with_an_unknown_level_is_an_error(tmp_path: Path) -> None:
    text = textwrap.dedent(MINIMAL).replace(
        "remediation: Write tests.", "remediation: {splendid: Write tests.}"
    )
    with pytest.raises(RubricError) as caught:
        load_rubric(str(write(tmp_path, "team.yaml", text)))
    assert "categories[0].criteria[0].remediation" in str(caught.value)


def test_the_packaged_rubrics_read_the_same_through_either_yaml_loader() -> None:
    """Built-in rubrics are read with libyaml when it is there (they ship with the tool);
    the bounded loader, which every other YAML goes through, must agree on them."""
    for path in sorted(rubrics_dir().glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert load_packaged_yaml(text) == load_yaml(text), path.name


def test_a_users_rubric_is_read_with_the_bounded_loader(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
        for n in range(8)
    )
    rubric = tmp_path / "bomb.yaml"
    rubric.write_text("id: bomb\nextends: ml-portfolio\n" + bomb, encoding="utf-8")
    with pytest.raises(RubricError) as error:
        load_rubric(str(rubric))
    assert "bomb.yaml: not valid YAML" in str(error.value)


@pytest.mark.parametrize("name", builtin_rubrics())
def test_every_packaged_rubric_is_valid_by_the_schema_scans_no_longer_check(name: str) -> None:
    """Scans trust the shipped rubrics (validating one costs a quarter of a second per
    scan); this test is where they are validated, as a user's rubric is at load time."""
    path = rubrics_dir() / f"{name}.yaml"
    document = load_packaged_yaml(path.read_text("utf-8"))
    validate_document(document, full_schema(), f"rubrics/{name}.yaml")  # raises when invalid
    broken = {**document, "categories": "none"}
    with pytest.raises(RubricError, match=rf"rubrics/{name}\.yaml"):
        validate_document(broken, full_schema(), f"rubrics/{name}.yaml")


def test_a_users_copy_of_a_packaged_rubric_is_still_validated(tmp_path: Path) -> None:
    broken = (rubrics_dir() / "ml-portfolio.yaml").read_text("utf-8")
    broken = broken.replace("weight:", "weight: heavy\n    _was:", 1)
    path = tmp_path / "mine.yaml"
    path.write_text(broken, "utf-8")
    with pytest.raises(RubricError, match=r"mine\.yaml"):
        load_rubric(str(path))


@pytest.mark.parametrize(
    ("score", "grade", "tone"),
    [(95, "A", "high"), (65, "B", "high"), (45, "C", "middle"), (25, "D", "low"), (5, "E", "low")],
)
def test_a_grade_is_toned_by_its_place_on_the_ladder(score: float, grade: str, tone: str) -> None:
    rubric = load_rubric()
    assert (rubric.grade_for(score).grade, rubric.grade_tone(score)) == (grade, tone)


def test_a_two_grade_rubric_tones_its_grades_high_and_low(tmp_path: Path) -> None:
    overlay = tmp_path / "pass-fail.yaml"
    overlay.write_text(
        "extends: ml-portfolio\nid: pass-fail\nversion: '1'\n"
        "grades: [{min: 50, grade: pass}, {min: 0, grade: fail}]\n",
        encoding="utf-8",
    )
    rubric = load_rubric(str(overlay))
    assert (rubric.grade_tone(80), rubric.grade_tone(20)) == ("high", "low")


VALIDATOR_LOADED = """
import sys
from portfolio_check.rubric.loading import load_rubric
from portfolio_check.rubric.ml_tests import default_ml_tests
try:
    load_rubric(*sys.argv[1:])
except Exception as error:
    print(type(error).__name__)
default_ml_tests()
print("jsonschema" in sys.modules)
"""


@pytest.mark.parametrize(
    ("rubric", "printed"),
    [
        (None, ["False"]),  # the shipped rubric: validated by this suite, not on each scan
        ("id: team\nextends: ml-portfolio\n", ["True"]),
        ("id: team\nextends: ml-portfolio\nweights: 3\n", ["RubricError", "True"]),
    ],
)
def test_the_schema_validator_is_imported_only_for_a_users_rubric(
    tmp_path: Path, rubric: str | None, printed: list[str]
) -> None:
    arguments = []
    if rubric is not None:
        (tmp_path / "team.yaml").write_text(rubric)
        arguments = [str(tmp_path / "team.yaml")]
    done = subprocess.run(
        [sys.executable, "-c", VALIDATOR_LOADED, *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == printed
