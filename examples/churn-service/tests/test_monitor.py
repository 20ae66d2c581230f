import pandas as pd
import pytest

from churn.monitor import drift_report

TRAIN_MEANS = {"tenure_months": 20.0, "monthly_charges": 70.0}


def test_no_drift_when_served_means_match_training():
    requests = pd.DataFrame({"tenure_months": [10, 30], "monthly_charges": [60.0, 80.0]})
    assert drift_report(requests, TRAIN_MEANS, threshold=0.25) == {}


def test_shifted_feature_is_reported_with_its_relative_change():
    requests = pd.DataFrame({"tenure_months": [1, 3], "monthly_charges": [70.0, 70.0]})
    drifted = drift_report(requests, TRAIN_MEANS, threshold=0.25)
    assert list(drifted) == ["tenure_months"]
    assert drifted["tenure_months"] == pytest.approx(0.9)
