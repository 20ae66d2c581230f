import json

import pytest
from fastapi.testclient import TestClient

from churn.api import app

VALID = {
    "tenure_months": 2,
    "monthly_charges": 89.5,
    "support_calls": 4,
    "contract_type": "month-to-month",
}


@pytest.fixture
def client(model_path, tmp_path, monkeypatch):
    monkeypatch.setenv("MODEL_PATH", str(model_path))
    monkeypatch.setenv("REQUEST_LOG", str(tmp_path / "requests.jsonl"))
    with TestClient(app) as test_client:  # the context manager runs the startup model load
        yield test_client


def test_health_reports_loaded_model(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["model_loaded"] is True


def test_predict_returns_a_probability(client):
    response = client.post("/predict", json=VALID)
    assert response.status_code == 200
    body = response.json()
    assert 0.0 <= body["churn_probability"] <= 1.0
    assert isinstance(body["will_churn"], bool)


def test_predict_flags_a_new_month_to_month_customer_with_many_calls(client):
    response = client.post("/predict", json=VALID)
    assert response.json()["will_churn"] is True


def test_predict_rejects_negative_tenure(client):
    response = client.post("/predict", json={**VALID, "tenure_months": -1})
    assert response.status_code == 422


def test_predict_rejects_unknown_contract_type(client):
    response = client.post("/predict", json={**VALID, "contract_type": "weekly"})
    assert response.status_code == 422


def test_predict_logs_features_for_drift_monitoring(client, tmp_path):
    client.post("/predict", json=VALID)
    lines = (tmp_path / "requests.jsonl").read_text().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["is_new_customer"] == 1.0


def test_metrics_endpoint_exposes_prediction_counter_and_latency(client):
    client.post("/predict", json=VALID)
    text = client.get("/metrics/").text
    assert 'churn_predictions_total{outcome="churn"}' in text
    assert "churn_predict_latency_seconds_bucket" in text
