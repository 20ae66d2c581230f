"""Held-out metrics, computed the same way for the baseline and the model."""

import pandas as pd
from sklearn.metrics import (
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)


def confusion_counts(y_true: pd.Series, y_pred: pd.Series) -> dict[str, int]:
    """True/false positive and negative counts, as reported in the README error analysis."""
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)}


def evaluate(model, X: pd.DataFrame, y: pd.Series, threshold: float) -> dict[str, float]:
    """ROC AUC on scores; precision, recall and F1 at the decision threshold."""
    scores = model.predict_proba(X)[:, 1]
    predicted = (scores >= threshold).astype(int)
    metrics = {
        "roc_auc": round(float(roc_auc_score(y, scores)), 4),
        "precision": round(float(precision_score(y, predicted, zero_division=0)), 4),
        "recall": round(float(recall_score(y, predicted)), 4),
        "f1": round(float(f1_score(y, predicted)), 4),
    }
    return {**metrics, **confusion_counts(y, predicted)}
