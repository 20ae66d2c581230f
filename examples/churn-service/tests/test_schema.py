import pandas as pd
import pandera.errors
import pytest

from churn.schema import CustomerSchema, TrainingSchema


def test_valid_customers_pass_unchanged(customers):
    validated = CustomerSchema.validate(customers)
    assert len(validated) == len(customers)
    assert validated["tenure_months"].tolist() == customers["tenure_months"].tolist()


def test_negative_tenure_is_rejected(customers):
    bad = customers.copy()
    bad.loc[0, "tenure_months"] = -3
    with pytest.raises(pandera.errors.SchemaError):
        CustomerSchema.validate(bad)


def test_unknown_contract_type_is_rejected(customers):
    bad = customers.copy()
    bad.loc[1, "contract_type"] = "weekly"
    with pytest.raises(pandera.errors.SchemaError):
        CustomerSchema.validate(bad)


def test_missing_column_is_rejected(customers):
    with pytest.raises(pandera.errors.SchemaError):
        CustomerSchema.validate(customers.drop(columns="support_calls"))


def test_training_schema_requires_a_binary_label(customers):
    bad = customers.copy()
    bad.loc[0, "churned"] = 2
    with pytest.raises(pandera.errors.SchemaError):
        TrainingSchema.validate(bad)


def test_numeric_strings_from_the_crm_export_are_coerced():
    df = pd.DataFrame(
        {
            "tenure_months": ["12"],
            "monthly_charges": ["64.90"],
            "support_calls": ["1"],
            "contract_type": ["one-year"],
        }
    )
    validated = CustomerSchema.validate(df)
    assert validated["tenure_months"].dtype.kind == "i"
    assert validated.loc[0, "monthly_charges"] == pytest.approx(64.9)
