"""Issue 13's written-analysis failure class: results, error analysis, limitations and model
cards are judged by what they say, in Markdown and in notebook Markdown beside evaluation
output, on repositories shaped like the real ones people publish."""

from __future__ import annotations

from pathlib import Path

from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.scorecard import CriterionResult, Scorecard
from tests.repos import RepoBuilder

DOCUMENTATION = ("results", "error-analysis", "limitations", "model-card")


def scanned(repo: RepoBuilder) -> Scorecard:
    repo.write("train.py", "import pandas as pd\nfrom sklearn.linear_model import Ridge\n")
    repo.commit("work")
    return scan(repo.root, options=ScanOptions(display_path="."))


def levels(card: Scorecard) -> dict[str, EvidenceLevel]:
    return {
        criterion.id: criterion.level
        for category in card.categories
        for criterion in category.criteria
        if criterion.id in DOCUMENTATION
    }


def criterion(card: Scorecard, criterion_id: str) -> CriterionResult:
    return next(c for cat in card.categories for c in cat.criteria if c.id == criterion_id)


def test_variants_compared_with_reasons_are_results_and_error_analysis(tmp_path: Path) -> None:
    """Shaped like an LLM course capstone: five retrieval approaches with hit rate and MRR
    each, and notes on why two of them score as they do; no "error analysis" heading."""
    readme = """
        # Recipe assistant

        ## Evaluation

        ### Retrieval evaluation

        #### Keyword search

        * hit_rate: 84%
        * MRR: 61%

        #### Keyword search, boosted

        * hit_rate: 93%
        * MRR: 88%

        #### Vector search, re-ranked

        * hit_rate: 90%
        * MRR: 52%

        Here MRR is lower, probably because the re-ranker pushes the right recipe down to
        the third or fourth place while keeping it in the top five.

        **Conclusion**: boosted keyword search is used from here on.
        """
    card = scanned(RepoBuilder(tmp_path / "repo").write("README.md", readme))
    found = levels(card)
    assert found["results"] is EvidenceLevel.WIRED
    assert found["error-analysis"] is EvidenceLevel.PRESENT
    evidence = criterion(card, "error-analysis").evidence
    assert any(item.line == 5 and "a comparison" in item.detail for item in evidence)


def test_a_filled_course_model_card_with_slice_metrics_is_read(tmp_path: Path) -> None:
    """Shaped like a filled nanodegree model card (the file keeps the template's name)."""
    model_card = """
        # Model Card

        ## Model Details
        A random forest of 200 trees on one-hot encoded census features, scikit-learn 1.3,
        trained by the author for the income prediction project.

        ## Intended Use
        Predicts whether yearly income exceeds 50K from 1994 census records. It is not
        intended for hiring, lending or welfare decisions.

        ## Training Data
        The UCI Adult census extract, 32,561 rows; unknown values replaced by "Unknown".
        An 80/20 stratified split keeps 6,512 rows for evaluation.

        ## Metrics
        | Metric | Overall | Slice range |
        |---|---|---|
        | Precision | 0.74 | 0.50 - 0.82 |
        | Recall | 0.63 | 0.48 - 0.82 |
        | F1 | 0.68 | 0.49 - 0.78 |

        Slice metrics were computed for every value of each categorical feature. The lowest
        F1 (0.49) is for `workclass = Never-worked`, a slice of one sample.

        ## Caveats and Recommendations
        Trained on 1994 data; expect concept drift if applied today. Performance may degrade
        on populations outside the U.S.
        """
    card = scanned(RepoBuilder(tmp_path / "repo").write("model_card_template.md", model_card))
    assert levels(card) == {
        "results": EvidenceLevel.WIRED,
        "error-analysis": EvidenceLevel.WIRED,
        "limitations": EvidenceLevel.PRESENT,
        "model-card": EvidenceLevel.WIRED,
    }


def test_an_untouched_template_model_card_is_a_claim(tmp_path: Path) -> None:
    """The starter's card: the template's headings with nothing under them."""
    template = """
        # Model Card

        For additional information see the Model Card paper: https://arxiv.org/pdf/1810.03993.pdf

        ## Model Details

        ## Intended Use

        ## Training Data

        ## Evaluation Data

        ## Metrics
        _Please include the metrics used and your model's performance on those metrics._

        ## Ethical Considerations

        ## Caveats and Recommendations
        """
    card = scanned(RepoBuilder(tmp_path / "repo").write("model_card_template.md", template))
    assert levels(card)["model-card"] is EvidenceLevel.CLAIMED
    assert levels(card)["results"] <= EvidenceLevel.CLAIMED
    claimed = {claim.line for claim in card.claims if claim.path == "model_card_template.md"}
    assert {7, 9, 11} <= claimed  # the empty sections are listed as claims


def test_an_unfilled_hugging_face_card_as_a_readme_is_a_claim(tmp_path: Path) -> None:
    sections = (
        "Model Details",
        "Uses",
        "Training Details",
        "Evaluation",
        "Bias, Risks, and Limitations",
    )
    readme = "# Model Card for churn-bert\n\n" + "".join(
        f"## {title}\n\n<!-- Provide the details. -->\n\n[More Information Needed]\n\n"
        for title in sections
    )
    card = scanned(RepoBuilder(tmp_path / "repo").write("README.md", readme))
    found = levels(card)
    assert found["model-card"] is EvidenceLevel.CLAIMED
    assert found["limitations"] is EvidenceLevel.CLAIMED
    details = [claim.detail for claim in card.claims if claim.path == "README.md"]
    assert any("unfilled template" in detail for detail in details)


def test_leaderboard_scores_against_a_baseline_without_headings(tmp_path: Path) -> None:
    """Shaped like a Kaggle competition README: two submissions and their public scores."""
    readme = """
        # House prices

        My work for the Kaggle house prices competition.

        Contents

        submission.csv - Baseline model submission (Public LB: 0.1498, Rank ~3070)
        submission_xgb.csv - XGBoost (Public LB: 0.14198, Rank ~2970)
        """
    card = scanned(RepoBuilder(tmp_path / "repo").write("README.md", readme))
    assert levels(card)["results"] is EvidenceLevel.WIRED
    assert levels(card)["error-analysis"] is EvidenceLevel.ABSENT


def test_an_unquestioned_perfect_score_is_a_claim_not_a_result(tmp_path: Path) -> None:
    readme = """
        # Portfolio

        ### Model Performance

        The Logistic Regression model achieved exceptional performance in predicting churn:

        - **Accuracy:** 1.00
        - **ROC-AUC Score:** 1.00

        ### Confusion Matrix

        False Positives: 2 (misclassified as churned). False Negatives: 5.
        """
    card = scanned(RepoBuilder(tmp_path / "repo").write("README.md", readme))
    found = levels(card)
    assert found["results"] is EvidenceLevel.CLAIMED
    assert found["error-analysis"] is EvidenceLevel.ABSENT
    details = [claim.detail for claim in card.claims]
    assert any("perfect score left unquestioned" in detail for detail in details)


def test_a_hedged_accuracy_nothing_measures_is_a_claim(tmp_path: Path) -> None:
    readme = """
        # Titanic survival prediction

        ## Result
        Generated a valid submission file for Kaggle.
        The model achieved around 75-80% accuracy (depending on parameters and seed).
        """
    card = scanned(RepoBuilder(tmp_path / "repo").write("README.md", readme))
    assert levels(card)["results"] is EvidenceLevel.CLAIMED
    (claim,) = [claim for claim in card.claims if claim.criterion == "results"]
    assert "only approximate numbers" in claim.detail


def test_generic_prose_under_an_error_analysis_heading_is_a_claim(tmp_path: Path) -> None:
    prose = (
        "Error analysis helps us understand what the model gets wrong and why it matters. "
        "We looked at the predictions carefully and thought about how to improve them. "
    ) * 12
    card = scanned(
        RepoBuilder(tmp_path / "repo").write(
            "README.md", f"# Churn\n\n## Error analysis\n\n{prose}\n"
        )
    )
    assert levels(card)["error-analysis"] is EvidenceLevel.CLAIMED


def test_a_short_error_analysis_with_a_slice_table_is_real(tmp_path: Path) -> None:
    readme = """
        # Churn

        ## Error analysis

        | plan | recall |
        |---|---|
        | monthly | 0.81 |
        | annual | 0.42 |

        Annual-plan churners are missed most: 58% are false negatives.
        """
    card = scanned(RepoBuilder(tmp_path / "repo").write("README.md", readme))
    assert levels(card)["error-analysis"] is EvidenceLevel.WIRED


def test_empty_headings_prove_nothing(tmp_path: Path) -> None:
    readme = """
        # berlin-rent

        Train a model and serve it with MLOps good practices.

        ## Dataset


        ## Modeling
        """
    card = scanned(RepoBuilder(tmp_path / "repo").write("README.md", readme))
    assert all(level <= EvidenceLevel.CLAIMED for level in levels(card).values())


def test_notebook_notes_that_interpret_the_printed_metrics(tmp_path: Path) -> None:
    report = (
        "              precision    recall  f1-score   support\n\n"
        "           0       0.91      0.95      0.93      1034\n"
        "           1       0.71      0.58      0.64       375\n"
    )
    repo = RepoBuilder(tmp_path / "repo").notebook(
        "notebooks/evaluate.ipynb",
        [
            ("markdown", "## Evaluation"),
            ("code", "print(classification_report(y_test, model.predict(X_test)))"),
            (
                "markdown",
                "Churners are the weak spot: recall is 0.58 for class 1 against 0.95 for "
                "the others, and most false negatives are customers on annual plans.",
            ),
        ],
        outputs={1: report},
    )
    card = scanned(repo)
    found = levels(card)
    assert found["results"] is EvidenceLevel.WIRED
    assert found["error-analysis"] is EvidenceLevel.PRESENT
    (item, *_) = criterion(card, "error-analysis").evidence
    assert (item.path, item.cell) == ("notebooks/evaluate.ipynb", 3)


def test_lab_notebooks_that_narrate_without_evaluation_output_are_no_analysis(
    tmp_path: Path,
) -> None:
    """Shaped like course lab and cloud walkthrough notebooks: lots of Markdown, no outputs."""
    repo = RepoBuilder(tmp_path / "repo")
    for number in range(1, 4):
        repo.notebook(
            f"notebooks/lab0{number}.ipynb",
            [
                ("markdown", f"# Lab {number}\n\nIn this lab we train a model and look at errors."),
                ("code", "trainer.fit(model, datamodule)"),
                ("markdown", "Typical runs reach a character error rate of 0.1 or lower."),
                ("code", "trainer.test(model, datamodule)"),
            ],
        )
    card = scanned(repo)
    found = levels(card)
    assert found["error-analysis"] is EvidenceLevel.ABSENT
    assert found["results"] is EvidenceLevel.ABSENT
