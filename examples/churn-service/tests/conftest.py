"""Shared fixtures: a tiny labelled customer table and a model trained on it."""

import joblib
import pandas as pd
import pytest

from churn.features import build_features
from churn.train import make_pipeline

TINY_PARAMS = {"n_estimators": 10, "max_depth": 2, "learning_rate": 0.1, "subsample": 1.0}
COLUMNS = ["customer_id", "tenure_months", "monthly_charges", "support_calls", "contract_type"]
ROWS = [
    ("C-1001", 1, 89.5, 4, "month-to-month", 1),
    ("C-1002", 2, 74.2, 3, "month-to-month", 1),
    ("C-1003", 40, 55.0, 0, "one-year", 0),
    ("C-1004", 61, 104.9, 1, "two-year", 0),
    ("C-1005", 5, 70.1, 2, "month-to-month", 1),
    ("C-1006", 24, 45.3, 0, "one-year", 0),
    ("C-1007", 0, 95.0, 5, "month-to-month", 1),
    ("C-1008", 72, 20.4, 0, "two-year", 0),
]


@pytest.fixture
def customers() -> pd.DataFrame:
    """Eight labelled customers: four churners, mostly new and on month-to-month contracts."""
    return pd.DataFrame(ROWS, columns=[*COLUMNS, "churned"])


@pytest.fixture
def model_path(tmp_path, customers):
    """A real (if tiny) pipeline, saved in the same bundle format churn.train writes."""
    pipeline = make_pipeline(TINY_PARAMS).fit(build_features(customers), customers["churned"])
    path = tmp_path / "model.joblib"
    joblib.dump({"pipeline": pipeline, "threshold": 0.4}, path)
    return path
