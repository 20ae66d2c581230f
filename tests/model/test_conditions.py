"""`where:` conditions: each operator on the values facts really carry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.common.errors import RubricError
from portfolio_check.intake.sources import open_target
from portfolio_check.model.conditions import compile_condition
from portfolio_check.model.rubric import Rubric
from portfolio_check.rubric.ml_tests import default_ml_tests


@pytest.mark.parametrize(
    ("expected", "value", "holds"),
    [
        (True, True, True),
        (True, False, False),
        ("code", "code", True),
        (["code", "notebook"], "notebook", True),
        (["code", "notebook"], "test", False),
        ({"prefix": "pandera"}, "pandera.DataFrameModel", True),
        ({"prefix": "pandera"}, "pandera", True),
        ({"prefix": "pandera"}, "panderas.x", False),
        ({"prefix": ["mlflow.log_metric"]}, "mlflow.log_metrics", False),
        ({"prefix": ["litserve."]}, "litserve.LitServer", True),
        ({"prefix": ["litserve."]}, "litserve", False),  # a trailing dot: only what is under it
        ({"prefix": ["fastapi.FastAPI().post"]}, "fastapi.FastAPI().post", True),
        ({"prefix": ["a.b"]}, "a.b.c.d", True),
        ({"prefix": ["a.b"]}, "a.bc.d", False),
        ({"glob": "Dockerfile*"}, "deploy/Dockerfile.prod", True),
        ({"glob": [".github/workflows/*.yml"]}, ".github/workflows/ci.yml", True),
        ({"glob": "*.py"}, 3, False),
        ({"regex": "(?i)error analysis"}, "## Error Analysis", True),
        ({"regex": "x"}, None, False),
        ({"min": 1}, 0, False),
        ({"min": 1, "max": 3}, 2, True),
        ({"max": 3}, 4, False),
        ({"not": ["test"]}, "code", True),
        ({"not": "test"}, "test", False),
    ],
)
def test_operators(expected: Any, value: Any, holds: bool) -> None:
    assert compile_condition(expected, "r.yaml", "where.x")(value) is holds


def test_bad_regex_names_its_key() -> None:
    with pytest.raises(RubricError, match=r"^r\.yaml: where\.x\.regex: invalid regular expression"):
        compile_condition({"regex": "("}, "r.yaml", "where.x")


@pytest.mark.parametrize(
    ("expected", "value", "holds"),
    [
        ("serving", ("tested", "serving"), True),
        ("serving", ("tested",), False),
        ("serving", (), False),
        (["ci", "scheduled"], ("pipeline", "scheduled"), True),
        ({"prefix": "churn"}, ("churn.api", "other"), True),
        ({"not": "serving"}, ("tested", "serving"), False),
        ({"not": ["serving", "ci"]}, ("tested",), True),
        ({"not": "serving"}, (), True),
        ({"regex": "^random_state$"}, ("n_jobs", "random_state"), True),
    ],
)
def test_multi_valued_fields_hold_when_any_value_does(
    expected: Any, value: Any, holds: bool
) -> None:
    assert compile_condition(expected, "r.yaml", "where.roles")(value) is holds


def test_select_finds_exactly_what_matching_each_fact_finds(
    production_path: Path, coursework_path: Path, rubric: Rubric
) -> None:
    """`select` tests each value once, over sets of positions: it must pick the same facts,
    in the same order, as testing every fact with `matches`."""
    suite = default_ml_tests()
    content = (*rubric.content_queries, *suite.content_queries)
    for path in (production_path, coursework_path):
        facts = analyze(open_target(path), content)
        for signal in (*rubric.signals(), *suite.signals()):
            expected = tuple(f for f in facts.of(signal.fact_kind) if signal.matches(f))
            assert signal.select(facts) == expected, signal.id
