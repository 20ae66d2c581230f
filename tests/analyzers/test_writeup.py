"""Written analysis read for what it says: metric readings, hedged numbers, comparisons,
slices, failure cases, reasons, limitations, perfect scores and template filler."""

from __future__ import annotations

import textwrap

import pytest

from portfolio_check.analyzers.markdown import parse
from portfolio_check.analyzers.writeup import Writeup, cited, read_blocks, values_in
from portfolio_check.model.facts import Fact, WrittenFact


def read(markdown: str) -> Writeup:
    return read_blocks(parse(textwrap.dedent(markdown)).blocks)


# metric readings -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "metric"),
    [
        ("The classifier reaches 0.91 accuracy on the held-out month.", "accuracy"),
        ("Macro F1-score: 0.78", "f1"),
        ("ROC-AUC of .93 on the test split.", "auc"),
        ("RMSE: 23,410 dollars on the validation fold.", "rmse"),
        ("MAE = 1200", "mae"),
        ("R² on validation: 0.648", "r2"),
        ("hit_rate: 91%", "hit-rate"),
        ("MRR is 0.63 for plain text search.", "mrr"),
        ("NDCG@10 = 0.412", "ndcg"),
        ("Public LB: 0.14198", "leaderboard"),
        ("WER drops to 7.5% on clean speech.", "wer"),
        ("val_loss 0.231 after 12 epochs", "loss"),
        ("mAP50 of 0.71 on the validation images.", "map50"),
        ("Top-5 accuracy: 88.2%", "accuracy"),
    ],
)
def test_a_metric_with_a_precise_number_is_a_reading(sentence: str, metric: str) -> None:
    reading = read(sentence)
    assert reading.readings == 1
    assert metric in reading.metrics


@pytest.mark.parametrize(
    "sentence",
    [
        "We report accuracy, precision and recall for every run.",  # no numbers
        "Trained with scikit-learn 1.3.2 in 2024 for 3 epochs.",  # no metric
        "Accuracy is computed by evaluate.py on 5 folds.",  # a count, not a value
        "The F1 metric is the harmonic mean of precision and recall.",  # the 1 is a name
        "Capital-loss and capital-gain are kept as numbers, 0.5 of rows are zero.",
    ],
)
def test_no_reading_without_a_metric_and_its_value(sentence: str) -> None:
    assert read(sentence).readings == 0


@pytest.mark.parametrize(
    "sentence",
    [
        "The model achieved around 75\u201380% accuracy (depending on parameters and seed).",
        "Mean Absolute Error (MAE): ~$10,000",
        "Accuracy is roughly 0.9 on most days.",
        "It explains nearly 65% of the variance (R2).",
        "Recall is above 90% in our tests.",
    ],
)
def test_hedged_numbers_are_approximate_not_readings(sentence: str) -> None:
    reading = read(sentence)
    assert (reading.readings, reading.approximate) == (0, 1)


def test_a_range_without_a_hedge_is_precise() -> None:
    assert read("F1 ranges from 0.49 \u2013 0.78 across slices.").readings == 1
    # the first number of a range carries its hedge to the second
    values = values_in("about 75-80% accuracy")
    assert [(value.number, value.hedged) for value in values] == [(80.0, True)]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("numpy 1.26.4 and gpt-4o", []),
        ("on 22/08/2025 with v2 of the data", []),
        ("0.87, 92% and .5", [0.87, 92.0, 0.5]),
        ("2,339 true positives at 99.1 %", [99.1]),
    ],
)
def test_values_are_decimals_and_percentages_not_versions_or_dates(
    text: str, numbers: list[float]
) -> None:
    assert [value.number for value in values_in(text)] == numbers


# tables ----------------------------------------------------------------------------------
def test_a_metrics_table_reports_each_row() -> None:
    reading = read(
        """
        | model | ROC AUC | recall |
        |---|---|---|
        | majority class | 0.50 | 0.00 |
        | gradient boosting | 0.87 | 0.71 |
        """
    )
    assert reading.results_table
    assert reading.readings == 2
    assert set(reading.metrics) == {"auc", "recall"}
    assert reading.compares  # a baseline row, and one metric with two values


def test_a_table_without_metrics_is_no_results_table() -> None:
    reading = read(
        """
        | file | purpose |
        |---|---|
        | eval/golden.yaml | expected answers, 0.7 threshold |
        """
    )
    assert (reading.results_table, reading.readings) == (False, 0)


# comparisons, slices, failures, reasons ---------------------------------------------------
def test_a_baseline_quoted_next_to_a_model_is_a_comparison() -> None:
    # shaped like a Kaggle README: two submissions with their leaderboard scores
    reading = read(
        """
        Contents

        submission.csv - Baseline model submission (Public LB: 0.1498, Rank ~3070)
        submission_xgb.csv - XGBoost (Public LB: 0.14198, Rank ~2970)
        """
    )
    assert reading.readings >= 1
    assert reading.compares


def test_variants_with_different_scores_are_compared_and_explained() -> None:
    # shaped like a retrieval evaluation: several approaches, one metric each, a reason
    reading = read(
        """
        #### Text search

        * hit_rate: 91%
        * MRR: 63%

        #### Hybrid search, re-ranked

        * hit_rate: 91%
        * MRR: 55%

        Note that here the MRR is lower, possibly because the first correct document is
        still within the top results but pushed lower on average.
        """
    )
    assert (reading.compares, reading.explains, reading.failure_cases) == (True, True, True)
    assert reading.readings == 4


def test_slice_metrics_with_the_worst_slice_named() -> None:
    # shaped like a filled nanodegree model card
    reading = read(
        """
        | Metric | Overall | Slice range |
        |--------|---------|-------------|
        | Precision | **0.74** | 0.50 \u2013 0.82 |
        | F1-score  | **0.68** | 0.49 \u2013 0.78 |

        Slice metrics were computed for every value of each categorical feature. The lowest
        F1 (0.49) occurs for `workclass = Never-worked`, which has a single sample.
        """
    )
    assert (reading.slices, reading.failure_cases, reading.results_table) == (True, True, True)
    assert reading.readings == 3


def test_slice_words_without_numbers_are_not_slices() -> None:
    reading = read("In future work we would like to look at per-class and per-segment errors.")
    assert reading.slices is False


def test_generic_prose_says_nothing_measurable() -> None:
    prose = (
        "Error analysis is an essential step of every machine learning project. "
        "It helps practitioners understand the behaviour of their models and improve them. "
    ) * 10
    reading = read(prose)
    assert reading == Writeup(metrics=())


# perfect scores ---------------------------------------------------------------------------
def test_an_unquestioned_perfect_score_is_flagged() -> None:
    reading = read(
        """
        The Logistic Regression model achieved exceptional performance:

        - **Accuracy:** 1.00
        - **ROC-AUC Score:** 1.00
        """
    )
    assert reading.perfect_score


def test_a_perfect_score_questioned_for_leakage_is_not_flagged() -> None:
    reading = read(
        """
        Accuracy was 1.00 on the first split, which pointed to target leakage: the
        cancellation date was a feature. Without it accuracy is 0.84.
        """
    )
    assert reading.perfect_score is False


# limitations and template filler ----------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "It is not intended for hiring, lending or welfare decisions.",
        "Trained on 1994 data; expect concept drift if applied today.",
        "Performance may degrade on populations outside the U.S.",
        "Trained on customers from one country only.",
        "nbdev functions may not work out of the box on arm64 machines.",
    ],
)
def test_concrete_limitations_are_caveats(sentence: str) -> None:
    assert read(sentence).caveats == 1


def test_a_generic_disclaimer_is_no_caveat() -> None:
    assert read("Use this project responsibly and at your own discretion.").caveats == 0


def test_template_filler_is_recognised() -> None:
    reading = read(
        """
        <!-- Address questions around how the model is intended to be used. -->

        - **Developed by:** [More Information Needed]
        - **Model type:** [More Information Needed]
        - **License:** MIT
        """
    )
    assert reading.template_filler


def test_writeup_fields_are_the_fields_facts_carry() -> None:
    # one list of fields, so the analyzers can hand a reading to a fact whole
    written = set(WrittenFact.__dataclass_fields__) - set(Fact.__dataclass_fields__)
    assert set(Writeup().fields()) == written


# quoting an output -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prose", "printed", "quotes"),
    [
        ("The model gets 0.87 F1.", [0.8712], True),
        ("Recall reaches 87%.", [0.8712], True),
        ("Recall reaches 87.1%.", [0.8712], True),
        ("The model gets 0.90 F1.", [0.8712], False),
        ("About 0.87 F1.", [0.8712], False),  # a hedged number quotes nothing
    ],
)
def test_prose_quotes_a_printed_number_as_rounded(
    prose: str, printed: list[float], quotes: bool
) -> None:
    assert cited(values_in(prose), printed) is quotes
