"""HTTP service: validates a customer record, builds features and returns a churn score."""

import json
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal

import joblib
import pandas as pd
from fastapi import FastAPI
from prometheus_client import Counter, Histogram, make_asgi_app
from pydantic import BaseModel, Field

from churn import __version__
from churn.features import NUMERIC_FEATURES, build_features

logger = logging.getLogger(__name__)

PREDICTIONS = Counter("churn_predictions_total", "Predictions served, by outcome.", ["outcome"])
LATENCY = Histogram("churn_predict_latency_seconds", "Time to score one /predict request.")
MODEL: dict = {}


class CustomerRequest(BaseModel):
    tenure_months: int = Field(ge=0, le=120)
    monthly_charges: float = Field(ge=0, le=500)
    support_calls: int = Field(ge=0, le=50)
    contract_type: Literal["month-to-month", "one-year", "two-year"]


class PredictionResponse(BaseModel):
    churn_probability: float
    will_churn: bool
    service_version: str


@asynccontextmanager
async def lifespan(app: FastAPI):
    path = Path(os.environ.get("MODEL_PATH", "models/model.joblib"))
    MODEL.update(joblib.load(path))  # loaded once per process, never per request
    logger.info("loaded model from %s (threshold %.2f)", path, MODEL["threshold"])
    yield
    MODEL.clear()


app = FastAPI(title="churn-service", version=__version__, lifespan=lifespan)
app.mount("/metrics", make_asgi_app())


@app.get("/health")
def health() -> dict:
    return {"status": "ok", "model_loaded": "pipeline" in MODEL, "version": __version__}


@app.post("/predict", response_model=PredictionResponse)
def predict(customer: CustomerRequest) -> PredictionResponse:
    with LATENCY.time():
        features = build_features(pd.DataFrame([customer.model_dump()]))
        probability = float(MODEL["pipeline"].predict_proba(features)[0, 1])
    will_churn = probability >= MODEL["threshold"]
    PREDICTIONS.labels(outcome="churn" if will_churn else "stay").inc()
    log_request(features)
    return PredictionResponse(
        churn_probability=round(probability, 4), will_churn=will_churn, service_version=__version__
    )


def log_request(features: pd.DataFrame) -> None:
    """Append the served numeric features to a JSONL file that churn.monitor reads weekly."""
    path = Path(os.environ.get("REQUEST_LOG", "logs/requests.jsonl"))
    path.parent.mkdir(parents=True, exist_ok=True)
    row = {name: float(features[name].iloc[0]) for name in NUMERIC_FEATURES}
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
