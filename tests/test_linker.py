"""The linker: import graph, roles, command targets, train/serve parity, code balance."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.analyzers import analyze
from portfolio_check.facts import (
    CallFact,
    CodeBalanceFact,
    DockerfileFact,
    DvcStageFact,
    Facts,
    PythonModuleFact,
    TrainServeParityFact,
)
from portfolio_check.sources import open_target
from tests.repos import RepoBuilder

FEATURES = """
import pandas as pd


def build_features(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(ratio=frame["a"] / frame["b"])
"""
TRAIN = """
import mlflow
from sklearn.linear_model import LogisticRegression

from shop.features import build_features


def train(frame):
    model = LogisticRegression(random_state=0)
    model.fit(build_features(frame), frame["y"])
    mlflow.log_metric("rows", len(frame))
    return model
"""
API_SHARED = """
from fastapi import FastAPI

from shop.features import build_features

app = FastAPI()


@app.post("/predict")
def predict(row: dict) -> dict:
    return {"features": build_features(row)}
"""
API_REIMPLEMENTED = """
from fastapi import FastAPI

app = FastAPI()


@app.post("/predict")
def predict(row: dict) -> dict:
    row["ratio"] = row["a"] / row["b"]  # preprocessing written again
    return {"features": row}
"""


def build(root: Path, api: str, extra: dict[str, str] | None = None) -> Facts:
    RepoBuilder(root, git=False).files(
        {
            "src/shop/__init__.py": "",
            "src/shop/features.py": FEATURES,
            "src/shop/train.py": TRAIN,
            "src/shop/api.py": api,
            "tests/test_features.py": "from shop.features import build_features\n\n\ndef test_x():\n    assert build_features\n",
            **(extra or {}),
        }
    )
    return analyze(open_target(root))


def module(facts: Facts, path: str) -> PythonModuleFact:
    found = next(f for f in facts.of("python_module") if f.path == path)
    assert isinstance(found, PythonModuleFact)
    return found


def test_serving_that_imports_the_training_feature_code_is_parity(tmp_path: Path) -> None:
    facts = build(tmp_path, API_SHARED)
    parity = [f for f in facts.of("train_serve_parity") if isinstance(f, TrainServeParityFact)]
    assert {(f.side, f.path, f.other_path, f.shared_module) for f in parity} == {
        ("serving", "src/shop/api.py", "src/shop/train.py", "shop.features"),
        ("training", "src/shop/train.py", "src/shop/api.py", "shop.features"),
    }


def test_serving_that_reimplements_preprocessing_is_not_parity(tmp_path: Path) -> None:
    facts = build(tmp_path, API_REIMPLEMENTED)
    assert facts.of("train_serve_parity") == ()


def test_roles_follow_imports(tmp_path: Path) -> None:
    facts = build(tmp_path, API_SHARED)
    assert module(facts, "src/shop/features.py").roles == ("pipeline", "serving", "tested")
    assert module(facts, "src/shop/api.py").roles == ("serving",)
    assert module(facts, "src/shop/train.py").roles == ("pipeline",)
    # every fact in a file carries the file's roles
    log_metric = next(
        f for f in facts.of("call") if isinstance(f, CallFact) and f.name == "mlflow.log_metric"
    )
    assert log_metric.roles == ("pipeline",)


def test_ci_and_schedule_roles_come_from_commands_that_name_modules(tmp_path: Path) -> None:
    workflow = """
name: retrain
on:
  schedule:
    - cron: "0 3 * * 1"
jobs:
  retrain:
    runs-on: ubuntu-latest
    steps:
      - run: python -m shop.train
"""
    facts = build(tmp_path, API_SHARED, {".github/workflows/retrain.yml": workflow})
    assert module(facts, "src/shop/train.py").roles == ("ci", "pipeline", "scheduled")
    assert "scheduled" in module(facts, "src/shop/features.py").roles  # imported by train


def test_dockerfile_starting_a_module_that_exists(tmp_path: Path) -> None:
    dockerfile = 'FROM python:3.11-slim\nCOPY . /app\nCMD ["uvicorn", "shop.api:app"]\n'
    facts = build(tmp_path, API_REIMPLEMENTED, {"Dockerfile": dockerfile})
    (docker,) = facts.of("dockerfile")
    assert isinstance(docker, DockerfileFact)
    assert (docker.references, docker.target_exists, docker.placeholder) == (
        ("shop.api",),
        True,
        None,
    )


@pytest.mark.parametrize(
    ("name", "text", "missing"),
    [
        ("Dockerfile", 'FROM python:3.11\nCMD ["uvicorn", "shop.server:app"]\n', "shop.server"),
        ("Dockerfile", 'FROM python:3.11\nCMD ["python", "/app/serve.py"]\n', "/app/serve.py"),
        (
            "dvc.yaml",
            "stages:\n  train:\n    cmd: python src/shop/training.py\n",
            "src/shop/training.py",
        ),
    ],
)
def test_commands_that_name_missing_files_are_inert(
    tmp_path: Path, name: str, text: str, missing: str
) -> None:
    facts = build(tmp_path, API_SHARED, {name: text})
    kind = "dockerfile" if name == "Dockerfile" else "dvc_stage"
    (fact,) = facts.of(kind)
    assert isinstance(fact, (DockerfileFact, DvcStageFact))
    assert fact.target_exists is False
    assert fact.placeholder == f"its command names {missing}, which is not in the repository"


def test_paths_inside_the_image_resolve_to_the_repository(tmp_path: Path) -> None:
    dockerfile = (
        'FROM python:3.11\nWORKDIR /app\nCOPY . .\nCMD ["python", "/app/src/shop/api.py"]\n'
    )
    facts = build(tmp_path, API_SHARED, {"Dockerfile": dockerfile})
    (docker,) = facts.of("dockerfile")
    assert isinstance(docker, DockerfileFact) and docker.target_exists is True


def test_dvc_stage_run_from_a_subfolder(tmp_path: Path) -> None:
    dvc = "stages:\n  train:\n    cmd: cd src && python shop/train.py\n"
    facts = build(tmp_path, API_SHARED, {"dvc.yaml": dvc})
    (stage,) = facts.of("dvc_stage")
    assert isinstance(stage, DvcStageFact) and stage.target_exists is True


def test_code_balance_counts_notebook_and_module_lines(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path, git=False)
    repo.files({"shop/__init__.py": "", "shop/features.py": FEATURES})
    repo.notebook(
        "explore.ipynb", [("code", "from shop.features import build_features\nx = 1\ny = 2")]
    )
    repo.notebook("scratch.ipynb", [("code", "import pandas as pd\ndf = pd.DataFrame()")])
    facts = analyze(open_target(tmp_path))
    (balance,) = facts.of("code_balance")
    assert isinstance(balance, CodeBalanceFact)
    assert (balance.module_lines, balance.notebook_lines, balance.notebooks_importing_project) == (
        3,
        5,
        1,
    )
    assert balance.notebook_share == pytest.approx(5 / 8, abs=0.001)
