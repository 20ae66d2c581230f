"""The linker: import graph, roles, command targets, train/serve parity, code balance."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.app.scan import scan
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import (
    CallFact,
    CodeBalanceFact,
    DockerfileFact,
    DvcStageFact,
    Facts,
    PythonModuleFact,
    TestFunctionFact,
    TrainServeParityFact,
)
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


# what tests reach, and where commands run --------------------------------------------------
RAG_AGENT = """
class Agent:
    def __init__(self, model):
        self.model = model

    async def generate(self, messages):
        yield "Hello"
"""
RAG_CONFTEST = """
import pytest

from rag.agent import Agent


@pytest.fixture(scope="module")
def agent():
    return Agent(model="test")
"""
RAG_TEST = """
async def test_agent(agent):
    buffer = ""
    async for chunk in agent.generate([{"role": "user", "content": "Hello"}]):
        buffer += chunk
    assert buffer == "Hello"
"""


def functions_named(facts: Facts) -> dict[str, TestFunctionFact]:
    return {f.name: f for f in facts.of("test_function") if isinstance(f, TestFunctionFact)}


def test_tests_reach_the_project_through_conftest_fixtures_and_helpers(tmp_path: Path) -> None:
    """A uv project: the package under `src/` (no `src/__init__.py`), unit tests that only
    request fixtures from the conftest.py above them, and a test that uses a helper."""
    RepoBuilder(tmp_path, git=False).files(
        {
            "pyproject.toml": '[project]\nname = "rag"\n',
            "src/rag/__init__.py": "",
            "src/rag/agent/__init__.py": RAG_AGENT,
            "src/rag/config.py": "MODEL = 'gpt'\n",
            "tests/unit/conftest.py": RAG_CONFTEST,
            "tests/unit/agent/test_agent_methods.py": RAG_TEST,
            "tests/helpers.py": "from rag.config import MODEL\n\n\ndef model():\n    return MODEL\n",
            "tests/test_config.py": "from tests.helpers import model\n\n\ndef test_model():\n    assert model()\n",
            "other/test_alone.py": "def test_alone(agent):\n    assert agent\n",
        }
    )
    facts = analyze(open_target(tmp_path))
    tests = functions_named(facts)
    assert (tests["test_agent"].imports_project, tests["test_agent"].covers) == (
        True,
        ("src/rag/agent/__init__.py",),
    )
    assert tests["test_model"].covers == ("src/rag/config.py",)
    assert (tests["test_alone"].imports_project, tests["test_alone"].covers) == (False, ())
    assert "test_agent" not in {
        f.name for f in facts.of("test_function") if f.path.endswith("conftest.py")
    }
    assert "tested" in module(facts, "src/rag/agent/__init__.py").roles


UTIL = '''
def first_appearance(x, element):
    """Index of the first appearance.

    >>> first_appearance([1, 2, 3], 3)
    2
    """
    return x.index(element)
'''


@pytest.mark.parametrize(
    ("config", "runs"),
    [
        ('[tool.pytest.ini_options]\naddopts = "--cov text_recognizer --doctest-modules"\n', True),
        ('[tool.pytest.ini_options]\naddopts = "-q"\n', False),
        ('[tool.pytest.ini_options]\n# addopts = "--doctest-modules"\n', False),
    ],
)
def test_docstring_examples_are_tests_when_pytest_runs_them(
    tmp_path: Path, config: str, runs: bool
) -> None:
    RepoBuilder(tmp_path, git=False).files(
        {
            "pyproject.toml": config,
            "text_recognizer/__init__.py": "",
            "text_recognizer/util.py": UTIL,
        }
    )
    facts = analyze(open_target(tmp_path))
    doctests = [
        f for f in facts.of("test_function") if isinstance(f, TestFunctionFact) and f.doctest
    ]
    assert [(f.name, f.path, f.asserts) for f in doctests] == (
        [("first_appearance", "text_recognizer/util.py", 1)] if runs else []
    )
    assert ("tested" in module(facts, "text_recognizer/util.py").roles) is runs


def test_a_commented_out_doctest_option_in_a_makefile_runs_nothing(tmp_path: Path) -> None:
    makefile = "test:\n\tpython -m pytest -vv tests/ --cov=. #--doctest-modules\n"
    RepoBuilder(tmp_path, git=False).files({"Makefile": makefile, "model/util.py": UTIL})
    assert not functions_named(analyze(open_target(tmp_path)))
    RepoBuilder(tmp_path, git=False).files(
        {"Makefile": "test:\n\tpython -m pytest --doctest-modules model\n"}
    )
    assert set(functions_named(analyze(open_target(tmp_path)))) == {"first_appearance"}


@pytest.mark.parametrize(
    ("dockerfile", "exists"),
    [
        # the app folder copied into the WORKDIR, the script named as the container sees it
        (
            'FROM python:3.7\nWORKDIR /app\nCOPY app/ .\nENTRYPOINT ["streamlit", "run"]\nCMD ["app.py"]\n',
            True,
        ),
        ("FROM python:3.11\nWORKDIR /srv\nCOPY app /srv/app\nCMD python app/app.py\n", True),
        ("FROM python:3.11\nWORKDIR /srv\nCOPY app/app.py .\nCMD python app.py\n", True),
        ("FROM python:3.11\nWORKDIR /srv\nCOPY app/*.py ./\nCMD python app.py\n", True),
        # copied from another stage: nothing of the repository behind it
        (
            "FROM python:3.11 AS b\nCOPY app/ /x/\nFROM python:3.11\nWORKDIR /x\nCOPY --from=b /x /x\nCMD python app.py\n",
            False,
        ),
        ("FROM python:3.7\nWORKDIR /app\nCOPY app/ .\nCMD streamlit run main.py\n", False),
    ],
)
def test_dockerfile_commands_resolve_through_copy_and_workdir(
    tmp_path: Path, dockerfile: str, exists: bool
) -> None:
    RepoBuilder(tmp_path, git=False).files(
        {"Dockerfile": dockerfile, "app/app.py": "import streamlit as st\n\nst.title('Rent')\n"}
    )
    (docker,) = analyze(open_target(tmp_path)).of("dockerfile")
    assert isinstance(docker, DockerfileFact)
    assert docker.target_exists is exists


def test_a_service_in_a_subfolder_starts_its_namespace_package(tmp_path: Path) -> None:
    """`services/api/Dockerfile` runs `uvicorn src.api.main:app` from its folder, where
    `src/` has no `__init__.py`; a module that is not there stays missing."""
    RepoBuilder(tmp_path, git=False).files(
        {
            "services/api/Dockerfile": 'FROM python:3.11\nWORKDIR /app\nCOPY . .\nCMD ["uvicorn", "src.api.main:app"]\n',
            "services/api/src/api/main.py": API_REIMPLEMENTED,
            "services/worker/Dockerfile": 'FROM python:3.11\nCMD ["python", "-m", "src.worker.run"]\n',
            "services/worker/src/worker/jobs.py": "x = 1\n",
        }
    )
    dockerfiles = {
        f.path: f
        for f in analyze(open_target(tmp_path)).of("dockerfile")
        if isinstance(f, DockerfileFact)
    }
    assert dockerfiles["services/api/Dockerfile"].target_exists is True
    worker = dockerfiles["services/worker/Dockerfile"]
    assert worker.target_exists is False
    assert worker.placeholder == "its command names src.worker.run, which is not in the repository"


COOKIECUTTER_MAKEFILE = """
PYTHON_INTERPRETER = python3

## Make Dataset
data: requirements
\t$(PYTHON_INTERPRETER) src/data/make_dataset.py data/raw data/processed

requirements:
\t$(PYTHON_INTERPRETER) -m pip install -r requirements.txt
"""
SPHINX_MAKEFILE = "html:\n\tsphinx-build -b html . _build/html\n"


def test_a_makefile_whose_steps_are_gone_is_no_pipeline(tmp_path: Path) -> None:
    """A project template's Makefile left pointing at a deleted script, and Sphinx's, make
    no reproducible pipeline; a `train` target that runs the training code does."""
    repo = RepoBuilder(tmp_path / "fraud")
    repo.files(
        {
            "Makefile": COOKIECUTTER_MAKEFILE,
            "docs/Makefile": SPHINX_MAKEFILE,
            "src/models/train_model.py": "from sklearn.ensemble import RandomForestClassifier\n",
        }
    ).commit("template")
    card = scan(repo.root)
    assert card.criterion("pipeline").score == 0
    assert any(
        claim.path == "Makefile"
        and "src/data/make_dataset.py, which is not in the repository" in claim.detail
        for claim in card.claims
    )
    repo.write("Makefile", "train:\n\tpython src/models/train_model.py\n").commit("train")
    trained = scan(repo.root).criterion("pipeline")
    assert trained.score > 0
    assert [item.path for item in trained.evidence] == ["Makefile"]
