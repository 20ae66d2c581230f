"""Builders of realistic fixture repositories: real git history, real notebooks.

Each builder writes files the way a learner would, commits them over several days with
fixed dates, and returns the repository's path. Tests then scan them as users would.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada Learner",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Learner",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


class RepoBuilder:
    """Write files and commit them, with dates you choose."""

    def __init__(self, root: Path, *, git: bool = True) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.git_enabled = git
        if git:
            self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str | None = None) -> str:
        env = {**os.environ, **GIT_IDENTITY}
        if date:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
        result = subprocess.run(
            ["git", *args], cwd=self.root, env=env, check=True, capture_output=True, text=True
        )
        return result.stdout

    def write(self, path: str, content: str | bytes = "") -> RepoBuilder:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return self

    def files(self, files: Mapping[str, str | bytes]) -> RepoBuilder:
        for path, content in files.items():
            self.write(path, content)
        return self

    def notebook(
        self,
        path: str,
        cells: list[tuple[str, str]],
        *,
        metadata: dict[str, Any] | None = None,
        cell_metadata: Mapping[int, dict[str, Any]] | None = None,
        outputs: Mapping[int, str] | None = None,
    ) -> RepoBuilder:
        """A real nbformat v4 notebook. `cells` are (kind, source) with kind code or markdown."""
        notebook = new_notebook(metadata=metadata or {})
        for index, (kind, source) in enumerate(cells):
            cell = new_code_cell(source) if kind == "code" else new_markdown_cell(source)
            if cell_metadata and index in cell_metadata:
                cell.metadata.update(cell_metadata[index])
            if kind == "code" and outputs and index in outputs:
                cell.execution_count = index + 1
                cell.outputs = [
                    nbformat.v4.new_output("stream", name="stdout", text=outputs[index])
                ]
            notebook.cells.append(cell)
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, str(target))
        return self

    def commit(self, message: str, date: str = "2026-03-02T10:00:00+00:00") -> RepoBuilder:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
        return self

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()


# The production-like project -------------------------------------------------------------
PRODUCTION_PACKAGE = {
    "pyproject.toml": """
        [project]
        name = "churnwatch"
        version = "0.3.0"
        dependencies = [
            "pandas==2.2.2",
            "scikit-learn==1.5.1",
            "fastapi==0.111.0",
            "uvicorn==0.30.1",
            "pandera==0.20.3",
            "mlflow==2.14.1",
            "prometheus-client==0.20.0",
        ]

        [project.optional-dependencies]
        test = ["pytest==8.2.2", "httpx==0.27.0"]

        [tool.ruff]
        line-length = 100
    """,
    "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n',
    "src/churnwatch/__init__.py": '"""Churn prediction service."""\n',
    "src/churnwatch/schema.py": """
        import pandera as pa
        from pandera.typing import Series


        class Customer(pa.DataFrameModel):
            tenure_months: Series[int] = pa.Field(ge=0)
            monthly_charges: Series[float] = pa.Field(gt=0)
            support_calls: Series[int] = pa.Field(ge=0, le=100)
    """,
    "src/churnwatch/features.py": """
        import logging

        import pandas as pd

        from churnwatch.schema import Customer

        log = logging.getLogger(__name__)


        def build_features(frame: pd.DataFrame) -> pd.DataFrame:
            frame = Customer.validate(frame)
            features = frame.copy()
            features["charges_per_month"] = features["monthly_charges"] / (features["tenure_months"] + 1)
            log.info("built %d feature rows", len(features))
            return features
    """,
    "src/churnwatch/train.py": """
        import mlflow
        import numpy as np
        import pandas as pd
        from sklearn.linear_model import LogisticRegression

        from churnwatch.features import build_features


        def train(path: str) -> LogisticRegression:
            np.random.seed(7)
            frame = pd.read_csv(path)
            features = build_features(frame)
            model = LogisticRegression(random_state=7)
            with mlflow.start_run():
                model.fit(features.drop(columns=["churned"]), features["churned"])
                mlflow.log_metric("train_rows", len(features))
            return model
    """,
    "src/churnwatch/api.py": """
        from fastapi import FastAPI
        from prometheus_client import Counter
        from pydantic import BaseModel, Field

        from churnwatch.features import build_features

        app = FastAPI()
        PREDICTIONS = Counter("predictions_total", "Predictions served")


        class Request(BaseModel):
            tenure_months: int = Field(ge=0)
            monthly_charges: float = Field(gt=0)
            support_calls: int = Field(ge=0)


        @app.get("/health")
        def health() -> dict[str, str]:
            return {"status": "ok"}


        @app.post("/predict")
        def predict(request: Request) -> dict[str, float]:
            PREDICTIONS.inc()
            return {"churn_probability": 0.5}
    """,
    "tests/test_features.py": """
        import pandas as pd
        import pandera.errors
        import pytest

        from churnwatch.features import build_features


        def frame():
            return pd.DataFrame({"tenure_months": [1, 10], "monthly_charges": [20.0, 50.0], "support_calls": [0, 3]})


        def test_adds_charges_per_month():
            result = build_features(frame())
            assert "charges_per_month" in result.columns


        def test_rejects_negative_tenure():
            bad = frame().assign(tenure_months=[-1, 2])
            with pytest.raises(pandera.errors.SchemaError):
                build_features(bad)
    """,
    "tests/test_api.py": """
        from fastapi.testclient import TestClient

        from churnwatch.api import app

        client = TestClient(app)


        def test_health():
            assert client.get("/health").json() == {"status": "ok"}


        def test_predict_returns_probability():
            response = client.post("/predict", json={"tenure_months": 3, "monthly_charges": 30.0, "support_calls": 1})
            assert response.status_code == 200
            assert 0 <= response.json()["churn_probability"] <= 1
    """,
    "Dockerfile": """
        FROM python:3.11-slim
        WORKDIR /app
        COPY pyproject.toml uv.lock ./
        RUN pip install --no-cache-dir .
        COPY src ./src
        EXPOSE 8000
        CMD ["uvicorn", "churnwatch.api:app", "--host", "0.0.0.0", "--port", "8000"]
    """,
    ".github/workflows/ci.yml": """
        name: ci
        on:
          push:
          pull_request:
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-python@v5
                with:
                  python-version: "3.11"
              - run: pip install -e .[test]
              - run: ruff check .
              - run: pytest -q
          image:
            needs: test
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: docker build -t ghcr.io/churnwatch/api:${{ github.sha }} .
              - run: docker push ghcr.io/churnwatch/api:${{ github.sha }}
    """,
    "README.md": """
        # churnwatch

        Predicts which subscription customers will cancel next month, served over HTTP.

        ## Quick start

        ```bash
        pip install -e .[test]
        pytest
        uvicorn churnwatch.api:app
        ```

        Install the package, run the tests, then start the API on port 8000.

        ## Results

        On a held-out set of 1,412 customers the model beats the majority-class baseline.

        | model | ROC AUC | recall |
        |---|---|---|
        | baseline | 0.50 | 0.00 |
        | logistic regression | 0.81 | 0.64 |

        ## Error analysis

        Most errors are false negatives among month-to-month customers in their first three
        months: recall on that segment is 0.41 against 0.64 overall. The confusion matrix
        shows 188 false negatives and 97 false positives. Customers who call support once and
        then leave look like satisfied customers to the model, because support calls are only
        counted after the first month. Per-class precision is 0.58 for churners.

        ## Limitations

        The training data covers one region and two years of contracts, so the model has not
        seen price changes or customers outside that region. It should not be used to decide
        individual retention offers without a human review of the prediction.
    """,
}

COURSEWORK_NOTEBOOK_CELLS = [
    (
        "markdown",
        "# Logistic Regression\n\nIn this assignment you will implement logistic regression.",
    ),
    (
        "code",
        "import numpy as np\nfrom public_tests import *\nfrom sklearn.datasets import load_iris",
    ),
    (
        "code",
        "# UNQ_C1\n# GRADED FUNCTION: sigmoid\ndef sigmoid(z):\n    ### START CODE HERE ###\n    g = 1 / (1 + np.exp(-z))\n    ### END CODE HERE ###\n    return g",
    ),
    ("markdown", "**Expected Output**:\n\n<table><tr><td>sigmoid(0)</td><td>0.5</td></tr></table>"),
    ("code", "sigmoid_test(sigmoid)"),
]


def production_repo(root: Path) -> Path:
    repo = RepoBuilder(root)
    files = dict(PRODUCTION_PACKAGE)
    first = {k: v for k, v in files.items() if k.startswith(("src/", "pyproject"))}
    repo.files(first).commit("Add churnwatch package", date="2026-02-02T09:00:00+00:00")
    repo.files({k: v for k, v in files.items() if k.startswith("tests/")}).commit(
        "Add tests", date="2026-02-09T09:00:00+00:00"
    )
    repo.files(files).commit("Add Dockerfile, CI and write-up", date="2026-02-20T09:00:00+00:00")
    return root


def coursework_repo(root: Path) -> Path:
    repo = RepoBuilder(root)
    repo.notebook(
        "Week2/C1_W2_Logistic_Regression.ipynb",
        COURSEWORK_NOTEBOOK_CELLS,
        metadata={"coursera": {"course_slug": "machine-learning", "graded_item_id": "ZBe4f"}},
        cell_metadata={2: {"nbgrader": {"grade": True, "grade_id": "cell-1", "solution": True}}},
        outputs={4: "\x1b[92mAll tests passed!\n"},
    )
    repo.notebook(
        "Week3/Titanic.ipynb",
        [
            ("code", "import pandas as pd\ndf = pd.read_csv('titanic.csv')"),
            ("code", "# GRADED FUNCTION: clean\ndef clean(df):\n    return df.dropna()"),
        ],
    )
    repo.files(
        {
            "Week2/public_tests.py": """
            def sigmoid_test(target):
                assert target(0) == 0.5
                print("All tests passed!")
        """,
            "Week3/titanic.csv": 'PassengerId,Survived,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Cabin,Embarked\n1,0,3,"Braund, Mr. Owen Harris",male,22,1,0,A/5 21171,7.25,,S\n',
            "Week3/iris.csv": "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n",
            "certificates/Certificate.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            "README.md": """
            # My ML journey

            Notebooks from the Machine Learning Specialization.

            ## Certificates

            - [Certificate of completion](https://coursera.org/verify/ABCD1234EFGH)
        """,
        }
    )
    repo.commit("Add files via upload", date="2026-01-10T20:00:00+00:00")
    return root


def buzzword_repo(root: Path) -> Path:
    """Claims everything, proves nothing."""
    repo = RepoBuilder(root)
    repo.files(
        {
            "README.md": """
            # Production-grade MLOps churn platform

            An end-to-end MLOps system with Docker, Kubernetes, CI/CD with GitHub Actions,
            MLflow experiment tracking, DVC for reproducibility, and real-time monitoring with
            Prometheus and Grafana. Deployed as a FastAPI endpoint.

            ## Results

            State of the art results.
        """,
            "requirements.txt": "fastapi\nmlflow\nprometheus-client\npandera\ndvc\n",
            "Dockerfile": "",
            "tests/test_model.py": """
            def test_model():
                pass


            def test_pipeline():
                assert True
        """,
            ".github/workflows/ci.yml": """
            name: CI
            on: [push]
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "Running tests..."
                  - run: echo "All good"
        """,
            "notebook.ipynb": "",
        }
    )
    repo.commit("Initial commit", date="2026-04-01T12:00:00+00:00")
    return root


def honest_repo(root: Path) -> Path:
    """A modest but real project: a package, tests that use it, and numbers in the README."""
    repo = RepoBuilder(root)
    repo.files(
        {
            "requirements.txt": "pandas==2.2.2\nscikit-learn==1.5.1\npytest==8.2.2\n",
            "spamfilter/__init__.py": "",
            "spamfilter/tokenize.py": """
            import re


            def tokens(text: str) -> list[str]:
                return re.findall(r"[a-z']+", text.lower())
        """,
            "spamfilter/model.py": """
            from sklearn.feature_extraction.text import CountVectorizer
            from sklearn.naive_bayes import MultinomialNB

            from spamfilter.tokenize import tokens


            def build_model() -> tuple[CountVectorizer, MultinomialNB]:
                return CountVectorizer(tokenizer=tokens), MultinomialNB()
        """,
            "tests/test_tokenize.py": """
            from spamfilter.tokenize import tokens


            def test_lowercases():
                assert tokens("Win NOW") == ["win", "now"]


            def test_drops_punctuation():
                assert tokens("free!!!") == ["free"]
        """,
            "README.md": """
            # spamfilter

            A small naive Bayes spam filter trained on my own mailbox export.

            ## Usage

            Install the requirements with pip, then run the tests with pytest and train with
            the script in the package.

            ## Results

            On 800 held-out messages the filter reaches 0.94 precision and 0.88 recall.
        """,
        }
    )
    repo.commit("Tokenizer and model", date="2026-03-01T10:00:00+00:00")
    repo.write(
        "spamfilter/tokenize.py",
        '"""Split messages into words."""\nimport re\n\n\ndef tokens(text: str) -> list[str]:\n    return re.findall(r"[a-z\']+", text.lower())\n',
    )
    repo.commit("Tidy tokenizer", date="2026-03-08T10:00:00+00:00")
    return root
