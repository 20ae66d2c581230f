"""Weekly drift check: compare served feature means with the means seen in training.

    python -m churn.monitor --requests logs/requests.jsonl

Exits 1 when any feature's mean has moved more than --threshold (relative), so the
scheduled GitHub Actions job fails and notifies the maintainers.
"""

import argparse
import json
import logging
import sys
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)


def drift_report(
    requests: pd.DataFrame, train_means: dict[str, float], threshold: float
) -> dict[str, float]:
    """Relative shift of each feature mean; only features beyond the threshold are returned."""
    drifted = {}
    for feature, train_mean in train_means.items():
        if feature not in requests.columns:
            logger.warning("feature %s missing from the request log", feature)
            continue
        served_mean = float(requests[feature].mean())
        shift = abs(served_mean - train_mean) / max(abs(train_mean), 1e-9)
        logger.info(
            "%s: train %.3f, served %.3f, shift %.1f%%",
            feature,
            train_mean,
            served_mean,
            100 * shift,
        )
        if shift > threshold:
            drifted[feature] = round(shift, 3)
    return drifted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", default="logs/requests.jsonl")
    parser.add_argument("--train-means", default="reports/train_feature_means.json")
    parser.add_argument("--threshold", type=float, default=0.25)
    parser.add_argument("--min-requests", type=int, default=200)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    requests = pd.read_json(args.requests, lines=True)
    if len(requests) < args.min_requests:
        logger.warning("only %d requests logged, too few to judge drift", len(requests))
        return 0
    train_means = json.loads(Path(args.train_means).read_text())
    drifted = drift_report(requests, train_means, args.threshold)
    if drifted:
        logger.error("drift detected in %d features: %s", len(drifted), drifted)
        return 1
    logger.info("no drift across %d features (%d requests)", len(train_means), len(requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
