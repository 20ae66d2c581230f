"""Feature engineering shared by training (churn.train) and serving (churn.api).

Run as a module to clean the raw CRM export (the DVC `prepare` stage):

    python -m churn.features --input data/raw.csv --output data/customers.csv
"""

import argparse
import logging

import pandas as pd

from churn import RAW_COLUMNS, TARGET
from churn.schema import CustomerSchema, TrainingSchema

logger = logging.getLogger(__name__)

NUMERIC_FEATURES = [
    "tenure_months",
    "monthly_charges",
    "support_calls",
    "charges_per_tenure",
    "calls_per_month",
    "is_new_customer",
]
CATEGORICAL_FEATURES = ["contract_type"]
FEATURE_COLUMNS = NUMERIC_FEATURES + CATEGORICAL_FEATURES


def build_features(df: pd.DataFrame) -> pd.DataFrame:
    """Validate raw customer columns and derive the model's input features."""
    validated = CustomerSchema.validate(df)
    out = validated[RAW_COLUMNS].copy()
    months = out["tenure_months"] + 1  # +1 so brand-new customers do not divide by zero
    out["charges_per_tenure"] = out["monthly_charges"] / months
    out["calls_per_month"] = out["support_calls"] / months
    out["is_new_customer"] = (out["tenure_months"] < 3).astype(int)
    return out[FEATURE_COLUMNS]


def clean_raw(raw: pd.DataFrame) -> pd.DataFrame:
    """Normalise the CRM export: lower-case contract names, drop duplicates and unlabelled rows."""
    df = raw.copy()
    df["contract_type"] = df["contract_type"].str.strip().str.lower().str.replace(" ", "-")
    df = df.drop_duplicates(subset="customer_id", keep="last")
    df = df.dropna(subset=[*RAW_COLUMNS, TARGET])
    return TrainingSchema.validate(df)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Clean the raw customer export.")
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    raw = pd.read_csv(args.input)
    clean = clean_raw(raw)
    clean.to_csv(args.output, index=False)
    logger.info("kept %d of %d rows, wrote %s", len(clean), len(raw), args.output)


if __name__ == "__main__":
    main()
