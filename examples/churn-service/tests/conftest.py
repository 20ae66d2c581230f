"""Shared fixtures: a tiny labelled customer table and a model trained on it."""

import joblib
import pandas as pd
import pytest

from churn.features import build_features
from churn.train import make_pipeline

TINY_PARAMS = {"n_estimators": 10, "max_depth": 2, "learning_rate": 0.1, "subsample": 1.0}


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["C-1001", "C-1002", "C-1003", "C-1004",
                            "C-1005", "C-1006", "C-1007", "C-1008"],
            "tenure_months": [1, 2, 40, 61, 5, 24, 0, 72],
            "monthly_charges": [89.5, 74.2, 55.0, 104.9, 70.1, 45.3, 95.0, 20.4],
            "support_calls": [4, 3, 0, 1, 2, 0, 5, 0],
            "contract_type": ["month-to-month", "month-to-month", "one-year", "two-year",
                              "month-to-month", "one-year", "month-to-month", "two-year"],
            "churned": [1, 1, 0, 0, 1, 0, 1, 0],
        }
    )


@pytest.fixture
def model_path(tmp_path, customers):
    """A real (if tiny) pipeline, saved in the same bundle format churn.train writes."""
    pipeline = make_pipeline(TINY_PARAMS).fit(build_features(customers), customers["churned"])
    path = tmp_path / "model.joblib"
    joblib.dump({"pipeline": pipeline, "threshold": 0.4}, path)
    return path
