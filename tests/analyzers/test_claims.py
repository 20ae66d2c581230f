"""README claims: which lines claim something, and which claims the repository backs."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.analyzers.claims import claim_lines
from portfolio_check.app.scan import scan
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.rubric import Rubric
from tests.repos import RepoBuilder


def claimed(markdown: str) -> list[int]:
    return [number for number, _ in claim_lines(markdown)]


@pytest.mark.parametrize(
    "line",
    [
        "The model is served with FastAPI and containerised with Docker.",
        "- **Monitoring**: Prometheus metrics and a Grafana dashboard",
        "Experiments are tracked in MLflow.",
        "## Docker",
        "Build the Docker image locally:",
        "1. Added a CI/CD pipeline (GitHub Actions)",
    ],
)
def test_statements_about_the_project_are_claims(line: str) -> None:
    assert claimed(f"# Churn\n\n{line}\n") == [1, 3]


@pytest.mark.parametrize(
    "line",
    [
        "Drift could be detected via monitoring in a later version.",  # a hedge
        "We should add MLflow tracking.",
        "There is no monitoring yet.",  # a denial
        "The app doesn't use Docker.",
        "Deploy it with tools such as Docker or Kubernetes.",
        "It is like MLflow, but hosted.",  # a comparison
        "In this course I learned Docker and Kubernetes.",  # learning, not doing
        "- [Monitoring](#monitoring)",  # a table of contents
        "* [Docker](docs/docker.md) | [MLflow](docs/mlflow.md)",
        "![CI](https://github.com/me/churn/actions/workflows/ci.yml/badge.svg)",  # a badge
        "- add mlflow tracking and model registration",  # a to-do item
        "- [ ] set up Prometheus monitoring",
    ],
)
def test_plans_hedges_denials_and_navigation_are_not_claims(line: str) -> None:
    assert claimed(f"# Churn\n\n{line}\n") == [1]


def test_sections_about_plans_and_references_make_no_claims() -> None:
    readme = (
        "# Churn\n"
        "Served with FastAPI.\n"
        "## Future work\n"
        "Monitoring with Evidently.\n"
        "### Stretch goals\n"
        "Kubernetes deployment.\n"
        "## Serving\n"
        "The API runs in Docker.\n"
        "TODO\n"
        "\n"
        "* a deployment in the CD\n"
        "* MLflow tracking\n"
        "## References\n"
        "- Great Expectations docs\n"
    )
    assert claimed(readme) == [1, 2, 7, 8]


def test_code_blocks_are_not_claims() -> None:
    readme = "# Run\n\n```bash\ndocker build -t churn .\nmlflow ui\n```\n"
    assert claimed(readme) == [1]


CLAIMING_README = """
    # Churn service

    The model is served by a FastAPI app and containerised with Docker.
    Experiments are tracked with MLflow, and the service has drift monitoring.

    ## Roadmap
    - Great Expectations checks on every batch.
    """


def test_only_unbacked_claims_are_listed(tmp_path: Path, rubric: Rubric) -> None:
    """Docker and the API are backed by the code; MLflow and monitoring are not; the plan
    under "Roadmap" is no claim at all."""
    repo = RepoBuilder(tmp_path / "churn")
    repo.files(
        {
            "README.md": CLAIMING_README,
            "Dockerfile": 'FROM python:3.12-slim\nCOPY . .\nCMD ["uvicorn", "churn.api:app"]\n',
            "src/churn/__init__.py": "",
            "src/churn/api.py": (
                "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
                "@app.post('/predict')\ndef predict(row: dict) -> dict:\n    return row\n"
            ),
            "src/churn/train.py": "from sklearn.linear_model import LogisticRegression\n",
        }
    ).commit("service")
    card = scan(repo.root, rubric=rubric)
    claims = {claim.detail.split(":")[0] for claim in card.claims if claim.path == "README.md"}
    assert claims == {"claims MLflow", "claims monitoring"}
    tracking = card.criterion("experiment-tracking")
    assert tracking.level == EvidenceLevel.CLAIMED
    assert tracking.evidence[0].detail == (
        "claims MLflow: 'Experiments are tracked with MLflow, and the service has drift "
        "monitoring.'"
    )
    assert tracking.score == 0  # a claim earns nothing
    assert all("Great Expectations" not in claim.detail for claim in card.claims)


def test_a_claim_backed_by_another_criterion_level_is_not_listed(
    tmp_path: Path, rubric: Rubric
) -> None:
    """ "Data validation" is met by any schema check: here pydantic `Field` bounds."""
    repo = RepoBuilder(tmp_path / "validated")
    repo.files(
        {
            "README.md": "# Loans\n\nInputs go through data validation before scoring.\n",
            "src/loans/__init__.py": "",
            "src/loans/schema.py": (
                "from pydantic import BaseModel, Field\n\n\n"
                "class Applicant(BaseModel):\n    income: float = Field(ge=0)\n"
            ),
            "src/loans/model.py": "import sklearn\n",
        }
    ).commit("schema")
    card = scan(repo.root, rubric=rubric)
    assert card.criterion("schema-validation").level >= EvidenceLevel.WIRED
    assert not [claim for claim in card.claims if "data validation" in claim.detail]


def test_an_empty_dockerfile_does_not_back_a_docker_claim(tmp_path: Path, rubric: Rubric) -> None:
    repo = RepoBuilder(tmp_path / "template")
    repo.files(
        {
            "README.md": "# Wine quality\n\n1. Build the docker image of the source code\n",
            "Dockerfile": "",
            "app.py": "import sklearn\n",
        }
    ).commit("template")
    card = scan(repo.root, rubric=rubric)
    listed = [claim for claim in card.claims if claim.path == "README.md"]
    assert [claim.detail for claim in listed] == [
        "claims Docker: '1. Build the docker image of the source code'"
    ]
    assert [claim.line for claim in listed] == [3]
