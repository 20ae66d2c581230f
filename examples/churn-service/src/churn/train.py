"""Train the churn classifier, compare it with a baseline and log the run to MLflow."""

import json
import logging
from pathlib import Path

import joblib
import mlflow
import numpy as np
import pandas as pd
import yaml
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from churn import TARGET
from churn.evaluate import evaluate
from churn.features import CATEGORICAL_FEATURES, NUMERIC_FEATURES, build_features
from churn.schema import TrainingSchema

logger = logging.getLogger(__name__)

SEED = 42
DATA_PATH = Path("data/customers.csv")
MODEL_PATH = Path("models/model.joblib")
METRICS_PATH = Path("reports/metrics.json")
TRAIN_MEANS_PATH = Path("reports/train_feature_means.json")


def make_pipeline(params: dict) -> Pipeline:
    encode = OneHotEncoder(handle_unknown="ignore")
    preprocess = ColumnTransformer(
        [("num", "passthrough", NUMERIC_FEATURES), ("cat", encode, CATEGORICAL_FEATURES)]
    )
    hyper = {k: params[k] for k in ("n_estimators", "max_depth", "learning_rate", "subsample")}
    model = GradientBoostingClassifier(**hyper, random_state=SEED)
    return Pipeline([("preprocess", preprocess), ("model", model)])


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    np.random.seed(SEED)
    params = yaml.safe_load(Path("params.yaml").read_text())["train"]

    df = TrainingSchema.validate(pd.read_csv(DATA_PATH))
    X, y = build_features(df), df[TARGET]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=params["test_size"], stratify=y, random_state=SEED
    )
    logger.info("training on %d rows, holding out %d", len(X_train), len(X_test))

    mlflow.set_experiment("churn")
    with mlflow.start_run(run_name="gbm"):
        mlflow.log_params(params)
        baseline = DummyClassifier(strategy="stratified", random_state=SEED).fit(X_train, y_train)
        for name, value in evaluate(baseline, X_test, y_test, threshold=0.5).items():
            mlflow.log_metric(f"baseline_{name}", value)

        pipeline = make_pipeline(params).fit(X_train, y_train)
        metrics = evaluate(pipeline, X_test, y_test, params["threshold"])
        for name, value in metrics.items():
            mlflow.log_metric(name, value)

        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"pipeline": pipeline, "threshold": params["threshold"]}, MODEL_PATH)
        mlflow.log_artifact(str(MODEL_PATH))

    METRICS_PATH.write_text(json.dumps(metrics, indent=2) + "\n")
    means = X_train[NUMERIC_FEATURES].mean().round(4).to_dict()
    TRAIN_MEANS_PATH.write_text(json.dumps(means, indent=2) + "\n")
    logger.info("held-out metrics: %s", metrics)


if __name__ == "__main__":
    main()
