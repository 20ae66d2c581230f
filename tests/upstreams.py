"""Small synthetic upstream indexes, written in the shipped index's format.

`write_index` fingerprints the files of a few made-up upstream repositories (a course
starter, a template...) with `fingerprints.fingerprint`, as the build script does, and
writes `index.json.gz` and `grams.bin.gz` into a folder: the scan then compares the
repositories a test builds with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from portfolio_check.analyzers import fingerprints, upstream_index


@dataclass(frozen=True)
class Upstream:
    repo: str
    family: str
    kind: str
    files: Mapping[str, str]
    root: str = ""
    sha: str = "0" * 40
    authors: tuple[str, ...] = ()  # e-mail addresses of its main authors


def write_index(folder: Path, upstreams: Sequence[Upstream]) -> Path:
    """The index of `upstreams` in `folder` (created), written by the shipped encoders."""
    folder.mkdir(parents=True, exist_ok=True)
    indexed: list[upstream_index.Upstream] = []
    files: list[upstream_index.IndexedFile] = []
    pairs: list[tuple[int, int]] = []
    for upstream in upstreams:
        entry = upstream_index.Upstream(
            repo=upstream.repo,
            sha=upstream.sha,
            family=upstream.family,
            kind=upstream.kind,
            root=upstream.root,
            authors=tuple(upstream_index.author_key(email) for email in upstream.authors),
        )
        indexed.append(entry)
        for path, text in sorted(upstream.files.items()):
            found = fingerprints.fingerprint(path, text)
            if found is None or not found.lines:
                continue
            number = len(files)
            files.append(
                upstream_index.IndexedFile(number, entry, path, found.exact, len(found.grams))
            )
            pairs.extend((gram, number) for gram in found.grams)
    index = upstream_index.encode_index(indexed, files)
    (folder / upstream_index.INDEX_FILE).write_bytes(upstream_index.gzip_bytes(index))
    grams = upstream_index.encode_grams(pairs)
    (folder / upstream_index.GRAMS_FILE).write_bytes(upstream_index.gzip_bytes(grams))
    return folder


def use_index(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make scans compare with the index in `folder`, as a user would."""
    monkeypatch.setenv("PORTFOLIO_CHECK_UPSTREAM_INDEX", str(folder))


# A course starter, as a nanodegree hands it out -------------------------------------------
STARTER_MODEL = '''
import pickle

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import fbeta_score, precision_score, recall_score

from ml.data import process_data


def train_model(X_train, y_train):
    """Trains a machine learning model and returns it."""
    model = RandomForestClassifier(n_estimators=100, random_state=42)
    model.fit(X_train, y_train)
    return model


def compute_model_metrics(y, preds):
    """Validates the trained model using precision, recall, and F1."""
    fbeta = fbeta_score(y, preds, beta=1, zero_division=1)
    precision = precision_score(y, preds, zero_division=1)
    recall = recall_score(y, preds, zero_division=1)
    return precision, recall, fbeta


def inference(model, X):
    """Run model inferences and return the predictions."""
    return model.predict(X)


def save_model(model, path):
    """Serializes model to a file."""
    with open(path, "wb") as handle:
        pickle.dump(model, handle)


def load_model(path):
    """Loads pickle file from `path` and returns it."""
    with open(path, "rb") as handle:
        return pickle.load(handle)


def performance_on_categorical_slice(
    data, column_name, slice_value, categorical_features, label, encoder, lb, model
):
    """Computes the model metrics on a slice of the data specified by a column name and
    a value of that column."""
    X_slice, y_slice, _, _ = process_data(
        data[data[column_name] == slice_value],
        categorical_features=categorical_features,
        label=label,
        training=False,
        encoder=encoder,
        lb=lb,
    )
    preds = inference(model, X_slice)
    precision, recall, fbeta = compute_model_metrics(y_slice, preds)
    return precision, recall, fbeta
'''
# Work of the learner's own: shares nothing with any starter ---------------------------
OWN_CODE = """
import numpy as np
import torch
from torch import nn


class Recognizer(nn.Module):
    def __init__(self, vocabulary: int, width: int = 256) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocabulary, width)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(width, 4), 2)
        self.head = nn.Linear(width, vocabulary)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(self.embed(tokens))
        return self.head(hidden).softmax(dim=-1)


def decode(scores: np.ndarray) -> list[int]:
    return [int(row.argmax()) for row in scores if row.max() > 0.5]
"""

STARTER_DATA = '''
import numpy as np
from sklearn.preprocessing import LabelBinarizer, OneHotEncoder


def process_data(
    X, categorical_features=[], label=None, training=True, encoder=None, lb=None
):
    """Process the data used in the machine learning pipeline.

    Processes the data using one hot encoding for the categorical features and a label
    binarizer for the labels. This can be used in either training or inference.
    """
    if label is not None:
        y = X[label]
        X = X.drop([label], axis=1)
    else:
        y = np.array([])

    X_categorical = X[categorical_features].values
    X_continuous = X.drop(*[categorical_features], axis=1)

    if training is True:
        encoder = OneHotEncoder(sparse_output=False, handle_unknown="ignore")
        lb = LabelBinarizer()
        X_categorical = encoder.fit_transform(X_categorical)
        y = lb.fit_transform(y.values).ravel()
    else:
        X_categorical = encoder.transform(X_categorical)
        try:
            y = lb.transform(y.values).ravel()
        except AttributeError:
            pass

    X = np.concatenate([X_continuous, X_categorical], axis=1)
    return X, y, encoder, lb


def apply_label(inference):
    """Convert the binary label in a single inference sample into string output."""
    if inference[0] == 1:
        return ">50K"
    elif inference[0] == 0:
        return "<=50K"
'''
STARTER_MAIN = '''
import os

import pandas as pd
from fastapi import FastAPI
from pydantic import BaseModel, Field

from ml.data import apply_label, process_data
from ml.model import inference, load_model


class Data(BaseModel):
    age: int = Field(..., example=37)
    workclass: str = Field(..., example="Private")
    education: str = Field(..., example="HS-grad")
    marital_status: str = Field(..., example="Married-civ-spouse", alias="marital-status")
    occupation: str = Field(..., example="Prof-specialty")
    hours_per_week: int = Field(..., example=40, alias="hours-per-week")


path = os.path.join("model", "encoder.pkl")
encoder = load_model(path)
path = os.path.join("model", "model.pkl")
model = load_model(path)

app = FastAPI()


@app.get("/")
async def get_root():
    """Say hello!"""
    return {"message": "Welcome to the census income API"}


@app.post("/data/")
async def post_inference(data: Data):
    data_dict = data.dict()
    data = {k.replace("_", "-"): [v] for k, v in data_dict.items()}
    data = pd.DataFrame.from_dict(data)
    cat_features = ["workclass", "education", "marital-status", "occupation"]
    data_processed, _, _, _ = process_data(
        data, categorical_features=cat_features, training=False, encoder=encoder
    )
    _inference = inference(model, data_processed)
    return {"result": apply_label(_inference)}
'''
STARTER_TESTS = """
import numpy as np
from sklearn.ensemble import RandomForestClassifier

from ml.model import compute_model_metrics, inference, train_model


def test_train_model_returns_a_random_forest():
    X = np.array([[0, 1], [1, 0], [1, 1], [0, 0]])
    y = np.array([0, 1, 1, 0])
    model = train_model(X, y)
    assert isinstance(model, RandomForestClassifier)


def test_metrics_are_between_zero_and_one():
    precision, recall, fbeta = compute_model_metrics(np.array([0, 1, 1]), np.array([0, 1, 0]))
    assert 0 <= precision <= 1
    assert 0 <= recall <= 1
    assert 0 <= fbeta <= 1


def test_inference_returns_one_prediction_per_row():
    X = np.array([[0, 1], [1, 0], [1, 1], [0, 0]])
    model = train_model(X, np.array([0, 1, 1, 0]))
    assert len(inference(model, X)) == len(X)
"""
STARTER_WORKFLOW = """
name: Python application

on:
  push:
    branches: [ "main" ]
  pull_request:
    branches: [ "main" ]

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
    - uses: actions/checkout@v3
    - name: Set up Python 3.10
      uses: actions/setup-python@v3
      with:
        python-version: "3.10"
    - name: Install dependencies
      run: |
        python -m pip install --upgrade pip
        pip install flake8 pytest
        if [ -f requirements.txt ]; then pip install -r requirements.txt; fi
    - name: Lint with flake8
      run: |
        flake8 . --count --select=E9,F63,F7,F82 --show-source --statistics
    - name: Test with pytest
      run: |
        pytest test_ml.py
"""
STARTER_README = """
# Deploying a scalable ML pipeline with FastAPI

Working in a command line environment is recommended for ease of use with git and dvc. If
on Windows, WSL1 or 2 is recommended.

## Environment set up

Use the supplied requirements file to create a new environment, or install the listed
packages with pip. Install git either through conda or through the CLI.

## Repositories

Create a directory for the project and initialize git. As you work on the code, continually
commit changes. Trained models you want to use in production must be committed to GitHub.
Connect your local git repo to GitHub. Setup GitHub Actions on your repo; you can use one of
the pre-made GitHub Actions if at a minimum it runs pytest and flake8 on push and requires
both to pass without error.

## Data

Download census.csv and commit it to dvc. This data is messy, try to open it in pandas and
see what you get. To clean it, use your favorite text editor to remove all spaces.

## Model

Using the starter code, write a machine learning model that trains on the clean data and
saves the model. Complete any function that has been started. Write unit tests for at
least three functions in the model code. Write a function that outputs the performance of
the model on slices of the data. Write a model card using the provided template.

## API creation

Create a RESTful API using FastAPI; this must implement GET on the root giving a welcome
message and POST that does model inference. Use type hinting and a Pydantic model to ingest
the body from POST. Write three unit tests to test the API.
"""
STARTER_REQUIREMENTS = """
numpy==1.26.4
pandas==2.2.2
scikit-learn==1.5.1
pytest==8.2.2
requests==2.32.3
fastapi==0.111.0
uvicorn==0.30.1
"""
STARTER_FILES = {
    "ml/__init__.py": "",
    "ml/model.py": STARTER_MODEL,
    "ml/data.py": STARTER_DATA,
    "main.py": STARTER_MAIN,
    "test_ml.py": STARTER_TESTS,
    ".github/workflows/manual.yml": STARTER_WORKFLOW,
    "README.md": STARTER_README,
    "requirements.txt": STARTER_REQUIREMENTS,
}
STARTER = "coursera-demo/census-fastapi-starter"
STARTER_FAMILY = "Demo ML DevOps"


STAFF_EMAIL = "staff@course.example"


def starter_upstream(root: str = "", authors: tuple[str, ...] = ()) -> Upstream:
    return Upstream(
        repo=STARTER,
        family=STARTER_FAMILY,
        kind="starter",
        files=STARTER_FILES,
        root=root,
        authors=authors,
    )


# A project template, as a cookiecutter generates it -----------------------------------------
TEMPLATE_MAKEFILE = """
.PHONY: clean data lint requirements sync_data_to_s3 sync_data_from_s3

PROJECT_DIR := $(shell dirname $(realpath $(lastword $(MAKEFILE_LIST))))
BUCKET = [OPTIONAL] your-bucket-for-syncing-data (do not include 's3://')
PROFILE = default
PROJECT_NAME = project_name
PYTHON_INTERPRETER = python3

## Install Python Dependencies
requirements: test_environment
	$(PYTHON_INTERPRETER) -m pip install -U pip setuptools wheel
	$(PYTHON_INTERPRETER) -m pip install -r requirements.txt

## Make Dataset
data: requirements
	$(PYTHON_INTERPRETER) src/data/make_dataset.py data/raw data/processed

## Delete all compiled Python files
clean:
	find . -type f -name "*.py[co]" -delete
	find . -type d -name "__pycache__" -delete

## Lint using flake8
lint:
	flake8 src

## Test python environment is setup correctly
test_environment:
	$(PYTHON_INTERPRETER) test_environment.py
"""
TEMPLATE_MAKE_DATASET = '''
import logging
from pathlib import Path

import click
from dotenv import find_dotenv, load_dotenv


@click.command()
@click.argument("input_filepath", type=click.Path(exists=True))
@click.argument("output_filepath", type=click.Path())
def main(input_filepath, output_filepath):
    """Runs data processing scripts to turn raw data from (../raw) into
    cleaned data ready to be analyzed (saved in ../processed).
    """
    logger = logging.getLogger(__name__)
    logger.info("making final data set from raw data")


if __name__ == "__main__":
    log_fmt = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
    logging.basicConfig(level=logging.INFO, format=log_fmt)

    # not used in this stub but often useful for finding various files
    project_dir = Path(__file__).resolve().parents[2]

    # find .env automagically by walking up directories until it's found, then
    # load up the .env entries as environment variables
    load_dotenv(find_dotenv())

    main()
'''
TEMPLATE_TEST_ENVIRONMENT = """
import sys

REQUIRED_PYTHON = "python3"


def main():
    system_major = sys.version_info.major
    if REQUIRED_PYTHON == "python":
        required_major = 2
    elif REQUIRED_PYTHON == "python3":
        required_major = 3
    else:
        raise ValueError("Unrecognized python interpreter: {}".format(REQUIRED_PYTHON))

    if system_major != required_major:
        raise TypeError(
            "This project requires Python {}. Found: Python {}".format(required_major, sys.version)
        )
    else:
        print(">>> Development environment passes all tests!")


if __name__ == "__main__":
    main()
"""
TEMPLATE_SETUP = """
from setuptools import find_packages, setup

setup(
    name="src",
    packages=find_packages(),
    version="0.1.0",
    description="A short description of the project.",
    author="Your name (or your organization/company/team)",
    license="MIT",
)
"""
TEMPLATE_README = """
Project Organization
--------------------

    ├── LICENSE
    ├── Makefile           <- Makefile with commands like `make data` or `make train`
    ├── README.md          <- The top-level README for developers using this project.
    ├── data
    │   ├── external       <- Data from third party sources.
    │   ├── interim        <- Intermediate data that has been transformed.
    │   ├── processed      <- The final, canonical data sets for modeling.
    │   └── raw            <- The original, immutable data dump.
    ├── docs               <- A default Sphinx project; see sphinx-doc.org for details
    ├── models             <- Trained and serialized models, model predictions, or model summaries
    ├── notebooks          <- Jupyter notebooks. Naming convention is a number (for ordering),
    │                         the creator's initials, and a short `-` delimited description.
    ├── requirements.txt   <- The requirements file for reproducing the analysis environment
    ├── setup.py           <- makes project pip installable (pip install -e .) so src can be imported
    ├── src                <- Source code for use in this project.
    │   ├── data           <- Scripts to download or generate data
    │   │   └── make_dataset.py
    │   ├── features       <- Scripts to turn raw data into features for modeling
    │   │   └── build_features.py
    │   └── models         <- Scripts to train models and then use trained models to make
    │                         predictions
    └── tox.ini            <- tox file with settings for running tox; see tox.readthedocs.io
"""
TEMPLATE_TOX = """
[flake8]
max-line-length = 79
max-complexity = 10
exclude = .git,__pycache__,docs/source/conf.py,old,build,dist
"""
TEMPLATE_FILES = {
    "Makefile": TEMPLATE_MAKEFILE,
    "src/data/make_dataset.py": TEMPLATE_MAKE_DATASET,
    "test_environment.py": TEMPLATE_TEST_ENVIRONMENT,
    "setup.py": TEMPLATE_SETUP,
    "README.md": TEMPLATE_README,
    "tox.ini": TEMPLATE_TOX,
}
TEMPLATE = "demo-org/cookiecutter-demo-science"
TEMPLATE_FAMILY = "cookiecutter-demo-science v1"


def template_upstream() -> Upstream:
    return Upstream(repo=TEMPLATE, family=TEMPLATE_FAMILY, kind="template", files=TEMPLATE_FILES)
