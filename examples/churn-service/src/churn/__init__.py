"""Customer-churn prediction: shared features, training pipeline and HTTP service."""

__version__ = "0.3.0"

RAW_COLUMNS = ["tenure_months", "monthly_charges", "support_calls", "contract_type"]
TARGET = "churned"
