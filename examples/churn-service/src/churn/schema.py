"""Data contract for customer records, enforced before training and before every prediction."""

import pandera as pa
from pandera.typing import Series

CONTRACT_TYPES = ["month-to-month", "one-year", "two-year"]


class CustomerSchema(pa.DataFrameModel):
    """One row per customer, as the CRM export and the /predict endpoint provide it."""

    tenure_months: Series[int] = pa.Field(ge=0, le=120)
    monthly_charges: Series[float] = pa.Field(ge=0.0, le=500.0)
    support_calls: Series[int] = pa.Field(ge=0, le=50)
    contract_type: Series[str] = pa.Field(isin=CONTRACT_TYPES)

    class Config:
        coerce = True
        strict = False  # extra columns (customer_id, signup_date) are allowed and ignored


class TrainingSchema(CustomerSchema):
    """Labelled rows used for training: the same contract plus the target."""

    churned: Series[int] = pa.Field(isin=[0, 1])
