"""The import search path read from the file list: which file an import names, from where."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.analyzers.layout import ProjectLayout
from portfolio_check.intake.sources import open_target


def write_tree(root: Path, paths: list[str]) -> Path:
    for relative in paths:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x = 1\n", encoding="utf-8")
    return root


def test_a_src_layout_package_is_found_from_anywhere_but_not_as_src(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        ["src/churnwatch/__init__.py", "src/churnwatch/api.py", "tests/test_api.py", "setup.py"],
    )
    layout = ProjectLayout.from_snapshot(open_target(tmp_path))
    for folder in ("", "tests", "notebooks", "src/churnwatch"):
        assert layout.find("churnwatch.api", folder) == "src/churnwatch/api.py", folder
        assert layout.find("churnwatch", folder) == "src/churnwatch/__init__.py", folder
    assert layout.find("src.churnwatch.api", "tests") == "src/churnwatch/api.py"  # from the root
    assert layout.find("churnwatcher", "") is None
    assert layout.find("numpy", "tests") is None
    assert layout.find("setup", "") is None  # `setup` is setuptools' when imported


def test_src_without_an_init_is_a_namespace_package_python_imports(tmp_path: Path) -> None:
    """`from src.model.create_model import create_model` in tests/model/, with no
    `src/__init__.py` anywhere: Python imports it when run from the repository root."""
    write_tree(tmp_path, ["src/model/create_model.py", "tests/model/test_create_model.py"])
    layout = ProjectLayout.from_snapshot(open_target(tmp_path))
    assert layout.find("src.model.create_model", "tests/model") == "src/model/create_model.py"
    assert layout.find("src.model", "tests/model") is None  # a folder, not a file
    assert layout.missing("src.model", "tests/model") is None


def test_a_project_in_a_subfolder_imports_its_modules_from_there(tmp_path: Path) -> None:
    """An API kept in `api/` and run from it: `from metrics import DriftQueue` in
    `api/metrics/test_prometheus_metrics.py`, `import app_base` in `api/main.py`."""
    write_tree(
        tmp_path,
        [
            "api/__init__.py",
            "api/main.py",
            "api/app_base.py",
            "api/metrics/__init__.py",
            "api/metrics/prometheus_metrics.py",
            "api/metrics/test_prometheus_metrics.py",
            "model_store/pickle_model_store.py",
        ],
    )
    layout = ProjectLayout.from_snapshot(open_target(tmp_path))
    assert layout.find("metrics", "api/metrics") == "api/metrics/__init__.py"
    assert layout.find("app_base", "api") == "api/app_base.py"
    assert layout.find("metrics.prometheus_metrics", "api") == "api/metrics/prometheus_metrics.py"
    assert layout.find("model_store.pickle_model_store", "api") == (
        "model_store/pickle_model_store.py"
    )
    assert layout.find("metrics", "model_store") is None  # not on its path


def test_the_nearest_folder_wins_over_a_same_named_package_elsewhere(tmp_path: Path) -> None:
    """Two CDK apps, each with its own `infra/`, next to a root `infra/` package."""
    write_tree(
        tmp_path,
        [
            "infra/__init__.py",
            "infra/pipeline_stack.py",
            "batch_pipeline/app.py",
            "batch_pipeline/infra/model_registry.py",
            "deployment_pipeline/infra/model_registry.py",
            "deployment_pipeline/infra/test_model_registry.py",
        ],
    )
    layout = ProjectLayout.from_snapshot(open_target(tmp_path))
    assert layout.find("infra.model_registry", "batch_pipeline") == (
        "batch_pipeline/infra/model_registry.py"
    )
    assert layout.find("infra.model_registry", "deployment_pipeline/infra") == (
        "deployment_pipeline/infra/model_registry.py"
    )
    assert layout.find("infra.pipeline_stack", "") == "infra/pipeline_stack.py"
    assert layout.find("infra.model_registry", "") is None


def test_an_installable_package_in_a_subfolder_is_importable_everywhere(tmp_path: Path) -> None:
    """`regression_model/` with its own pyproject.toml, pip-installed by the API next to it."""
    paths = [
        "regression_model/regression_model/__init__.py",
        "regression_model/regression_model/predict.py",
        "regression_model/regression_model/processing/data_management.py",
        "ml_api/api/predict.py",
    ]
    bare = ProjectLayout.from_snapshot(open_target(write_tree(tmp_path / "bare", paths)))
    assert bare.find("regression_model.predict", "ml_api/api") is None
    installable = ProjectLayout.from_snapshot(
        open_target(write_tree(tmp_path / "dist", [*paths, "regression_model/pyproject.toml"]))
    )
    assert installable.find("regression_model.predict", "ml_api/api") == (
        "regression_model/regression_model/predict.py"
    )
    assert installable.find("regression_model.processing.data_management", "ml_api/tests") == (
        "regression_model/regression_model/processing/data_management.py"
    )


def test_library_names_stay_the_librarys(tmp_path: Path) -> None:
    """A `src/mlflow/` folder holding a Dockerfile, a `src/dagster/` service folder without
    an `__init__.py`, a `logging.py` next to the code: `import mlflow`, `import dagster`
    and `import logging` are the libraries."""
    (tmp_path / "src/mlflow").mkdir(parents=True)
    (tmp_path / "src/mlflow/Dockerfile").write_text("FROM python:3.11\n", encoding="utf-8")
    write_tree(
        tmp_path,
        ["src/dagster/definitions.py", "src/dagster/assets/model.py", "app/logging.py", "app/x.py"],
    )
    layout = ProjectLayout.from_snapshot(open_target(tmp_path))
    assert layout.find("mlflow", "src/inference") is None
    assert layout.find("dagster", "src/dagster/assets") is None
    assert layout.missing("dagster.asset", "src/dagster/assets") is None
    assert layout.find("logging", "app") is None
    assert layout.find("assets.model", "src/dagster") == "src/dagster/assets/model.py"


@pytest.mark.parametrize(
    ("dotted", "folder", "broken"),
    [
        ("src.models.train_models", "src", "src/models/__init__.py"),  # train_model.py exists
        ("src.models.train_model", "src", None),
        ("src.features.build", "src", "src/__init__.py"),  # no `src/features` at all
        ("pkg._version", "", None),  # written at build time (setuptools-scm)
        ("pkg.api_pb2", "", None),  # a generated protobuf module
        ("pkg.tests", "", None),  # a namespace folder of test files
        ("pkg.model.helpers", "", "pkg/__init__.py"),  # `model` is a module, not a package
    ],
)
def test_an_import_a_package_of_the_target_should_hold_but_does_not_is_broken(
    tmp_path: Path, dotted: str, folder: str, broken: str | None
) -> None:
    write_tree(
        tmp_path,
        [
            "src/__init__.py",
            "src/main.py",
            "src/models/__init__.py",
            "src/models/train_model.py",
            "pkg/__init__.py",
            "pkg/model.py",
            "pkg/tests/test_model.py",
        ],
    )
    layout = ProjectLayout.from_snapshot(open_target(tmp_path))
    assert layout.missing(dotted, folder) == broken


def test_relative_names_resolve_against_the_folder(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        ["ml_api/api/__init__.py", "ml_api/api/main.py", "music-theory-assistant/db.py"],
    )
    layout = ProjectLayout.from_snapshot(open_target(tmp_path))
    assert layout.find_in("ml_api/api", "main") == "ml_api/api/main.py"
    assert layout.find_in("ml_api", "api.main") == "ml_api/api/main.py"
    assert layout.find_in("ml_api/api", "") == "ml_api/api/__init__.py"
    assert layout.find_in("music-theory-assistant", "db") == "music-theory-assistant/db.py"
    assert layout.find("db", "music-theory-assistant") == "music-theory-assistant/db.py"
    assert layout.find_in("ml_api", "config") is None
