"""End to end: the scores a learner and a reviewer see on realistic repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import render


def criterion(card: Scorecard, criterion_id: str):  # type: ignore[no-untyped-def]
    return next(c for cat in card.categories for c in cat.criteria if c.id == criterion_id)


def test_production_repo_scores_far_above_coursework_on_real_world_evidence(
    production_card: Scorecard, coursework_card: Scorecard
) -> None:
    assert production_card.real_world_score >= 60
    assert coursework_card.real_world_score <= 15
    assert production_card.real_world_score - coursework_card.real_world_score >= 45


def test_coursework_repo_scores_far_above_production_on_certification_evidence(
    production_card: Scorecard, coursework_card: Scorecard
) -> None:
    # graded notebooks, teaching data and a certificate; none of it copied from a known
    # upstream (its notebooks are made up), which the certification side weighs too
    assert coursework_card.certification_score >= 55
    assert coursework_card.category("copied-material").score == 0
    assert production_card.certification_score <= 10


def test_buzzword_repo_scores_below_an_honest_small_repo(
    buzzword_card: Scorecard, honest_card: Scorecard
) -> None:
    assert buzzword_card.real_world_score < honest_card.real_world_score
    assert buzzword_card.real_world_score < 10


def test_buzzword_claims_are_listed_as_claims_without_evidence(buzzword_card: Scorecard) -> None:
    claimed = {(claim.path, claim.detail) for claim in buzzword_card.claims}
    paths = {path for path, _ in claimed}
    assert {"README.md", "Dockerfile", "tests/test_model.py", ".github/workflows/ci.yml"} <= paths
    details = " | ".join(detail for _, detail in claimed)
    assert "an empty Dockerfile" in details
    assert "a test that asserts nothing" in details
    assert "a CI job that only echoes" in details
    # unpinned and unused dependencies are dependency hygiene, not claims
    assert "requirements.txt" not in paths
    assert buzzword_card.dependencies is not None
    unused = {line.name for line in buzzword_card.dependencies.unused}
    assert {"fastapi", "mlflow", "prometheus-client", "pandera"} <= unused


@pytest.mark.parametrize(
    ("criterion_id", "level"),
    [
        ("unit-tests", EvidenceLevel.AUTOMATED),
        ("model-api", EvidenceLevel.AUTOMATED),
        ("container-image", EvidenceLevel.AUTOMATED),
        ("ci-pipeline", EvidenceLevel.AUTOMATED),
        ("schema-validation", EvidenceLevel.AUTOMATED),
        ("experiment-tracking", EvidenceLevel.WIRED),
        ("error-analysis", EvidenceLevel.WIRED),
    ],
)
def test_production_repo_reaches_expected_levels(
    production_card: Scorecard, criterion_id: str, level: EvidenceLevel
) -> None:
    assert criterion(production_card, criterion_id).level == level


@pytest.mark.parametrize(
    ("criterion_id", "level"),
    [
        ("unit-tests", EvidenceLevel.CLAIMED),
        ("container-image", EvidenceLevel.CLAIMED),
        ("ci-pipeline", EvidenceLevel.CLAIMED),
        ("model-api", EvidenceLevel.CLAIMED),
    ],
)
def test_buzzword_repo_never_gets_past_claimed(
    buzzword_card: Scorecard, criterion_id: str, level: EvidenceLevel
) -> None:
    assert criterion(buzzword_card, criterion_id).level == level


@pytest.mark.parametrize(
    "card_name", ["production_card", "coursework_card", "buzzword_card", "honest_card"]
)
def test_every_awarded_criterion_has_evidence_that_exists_in_the_target(
    card_name: str, request: pytest.FixtureRequest
) -> None:
    card: Scorecard = request.getfixturevalue(card_name)
    document = json.loads(render(card, "json"))
    root = Path(document["target"]["path"])
    awarded = [c for cat in document["categories"] for c in cat["criteria"] if c["score"] > 0]
    # the buzzword repo earns nothing: a claim is not evidence
    assert awarded or card_name == "buzzword_card", "each real fixture earns at least one criterion"
    for result in awarded:
        assert result["evidence"], result["id"]
        for item in result["evidence"]:
            assert (root / item["path"]).exists(), f"{result['id']}: {item['path']}"


def test_next_steps_are_three_concrete_actions_ordered_by_gain(honest_card: Scorecard) -> None:
    steps = honest_card.next_steps
    assert len(steps) == 3
    assert [s.gain for s in steps] == sorted((s.gain for s in steps), reverse=True)
    assert all(len(step.action) > 40 for step in steps)


def test_coursework_evidence_names_the_markers(coursework_card: Scorecard) -> None:
    graded = criterion(coursework_card, "graded-material")
    details = " ".join(item.detail for item in graded.evidence)
    assert "GRADED FUNCTION" in details
    assert 'metadata "coursera"' in details
    assert criterion(coursework_card, "toy-datasets").score == 100
    assert criterion(coursework_card, "certificate-files").score == 100


def test_advice_targets_the_level_above_the_current_one(production_card: Scorecard) -> None:
    tracking = criterion(production_card, "experiment-tracking")
    assert tracking.level == EvidenceLevel.WIRED
    assert "in CI" in tracking.remediation and "from the training code" not in tracking.remediation
    for step in production_card.next_steps:
        assert step.action == criterion(production_card, step.criterion).remediation
