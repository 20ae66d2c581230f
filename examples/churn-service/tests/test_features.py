import pandas as pd
import pytest

from churn.features import FEATURE_COLUMNS, build_features, clean_raw
from churn.schema import CONTRACT_TYPES


def test_build_features_returns_model_columns_in_order(customers):
    features = build_features(customers)
    assert list(features.columns) == FEATURE_COLUMNS
    assert len(features) == len(customers)


def test_build_features_drops_label_and_ids(customers):
    features = build_features(customers)
    assert "churned" not in features.columns
    assert "customer_id" not in features.columns


def test_new_customer_flag_marks_tenure_under_three_months(customers):
    features = build_features(customers)
    assert features["is_new_customer"].tolist() == [1, 1, 0, 0, 0, 0, 1, 0]


def test_ratios_do_not_divide_by_zero_for_brand_new_customers():
    df = pd.DataFrame(
        {
            "tenure_months": [0],
            "monthly_charges": [50.0],
            "support_calls": [3],
            "contract_type": ["month-to-month"],
        }
    )
    features = build_features(df)
    assert features.loc[0, "charges_per_tenure"] == pytest.approx(50.0)
    assert features.loc[0, "calls_per_month"] == pytest.approx(3.0)


def test_clean_raw_normalises_contracts_and_drops_duplicates(customers):
    raw = pd.concat([customers, customers.iloc[[0]]], ignore_index=True)
    raw["contract_type"] = raw["contract_type"].str.upper().str.replace("-", " ")
    clean = clean_raw(raw)
    assert len(clean) == len(customers)
    assert set(clean["contract_type"]) <= set(CONTRACT_TYPES)


def test_clean_raw_drops_unlabelled_rows(customers):
    raw = customers.astype({"churned": "float"})
    raw.loc[2, "churned"] = None
    clean = clean_raw(raw)
    assert len(clean) == len(customers) - 1
    assert "C-1003" not in set(clean["customer_id"])
