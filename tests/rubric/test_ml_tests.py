"""The ML Test Score's shipped tests file: scans trust it (as they trust the shipped rubrics),
so this is where it is checked against its schema; any other file is checked when loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portfolio_check.common.errors import RubricError
from portfolio_check.common.resources import json_schema, rubrics_dir
from portfolio_check.common.safe_yaml import load_packaged_yaml
from portfolio_check.rubric.ml_tests import DEFAULT_ML_TESTS, ML_TESTS_SCHEMA, load_ml_tests
from portfolio_check.rubric.schema import validate_document

SHIPPED = rubrics_dir() / f"{DEFAULT_ML_TESTS}.yaml"


def test_the_shipped_tests_are_valid_by_their_schema() -> None:
    document = load_packaged_yaml(SHIPPED.read_text("utf-8"))
    validate_document(document, json_schema(ML_TESTS_SCHEMA), "rubrics/ml-test-score.yaml")
    broken = {**document, "tests": "none"}
    with pytest.raises(RubricError, match=r"ml-test-score\.yaml"):
        validate_document(broken, json_schema(ML_TESTS_SCHEMA), "rubrics/ml-test-score.yaml")


def test_a_copy_outside_the_package_is_validated_when_loaded(tmp_path: Path) -> None:
    copy = tmp_path / "ml-tests.yaml"
    shutil.copyfile(SHIPPED, copy)
    assert len(load_ml_tests(copy).tests) == 28
    copy.write_text(
        SHIPPED.read_text("utf-8").replace("\ntests:", "\nunknown_key: 1\ntests:", 1), "utf-8"
    )
    with pytest.raises(RubricError, match=r"ml-tests\.yaml: .*unknown_key"):
        load_ml_tests(copy)
