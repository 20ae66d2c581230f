"""Calibration: the tool's scores against a senior ML engineer's ranking of seven repositories.

The repositories are built by `tests/calibration.py`. The expert order below was written
before any of them was scanned and must not be edited to fit the tool: when these tests fail,
the rubric or the analyzers are what need to change.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from portfolio_check.app.scan import scan
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.rubric.loading import load_rubric
from tests import calibration

# Real-world ML engineering evidence, highest first, as a senior ML engineer ranks it.
EXPERT_ORDER: list[str] = [
    # 1. Served, validated, tested, monitored on a schedule, reproducible, reviewed PRs over weeks.
    "production_grade",
    # 2. Course-guided, but the tooling is really wired: tests import the package, CI, Docker, MLflow registry.
    "course_capstone",
    # 3. Small but genuine: own data source, a package, asserting tests, numbers against a baseline, limitations.
    "honest_small",
    # 4. A working package and Flask app, but re-typed from a tutorial, on its toy data, with no tests.
    "template_clone",
    # 5. The author's own analysis, but only notebooks on teaching data: no package, tests or pipeline.
    "notebook_toy_portfolio",
    # 6. Claims everything; every artefact is empty or inert, only an Iris notebook is real.
    "buzzword",
    # 7. Grader scaffolding filled in: nothing here was designed or engineered by the author.
    "pure_coursework",
]

#: Repositories whose evidence is mostly a course, teaching data or a tutorial.
COURSEWORK: set[str] = {
    "pure_coursework",
    "notebook_toy_portfolio",
    "course_capstone",
    "template_clone",
}
#: Repositories that are the author's own engineering.
ENGINEERING: set[str] = {"honest_small", "production_grade"}

MIN_SPEARMAN = 0.9


def average_ranks(values: Sequence[float]) -> list[float]:
    """Rank 1 for the highest value; tied values share the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda index: -values[index])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = (start + end) / 2 + 1
        for position in range(start, end + 1):
            ranks[order[position]] = shared
        start = end + 1
    return ranks


def spearman(first: Sequence[float], second: Sequence[float]) -> float:
    """Spearman's rank correlation: Pearson's correlation of the (tie-averaged) ranks."""
    if len(first) != len(second) or len(first) < 2:
        raise ValueError("need two sequences of the same length, at least two values each")
    ranks_a, ranks_b = average_ranks(first), average_ranks(second)
    mean_a, mean_b = sum(ranks_a) / len(ranks_a), sum(ranks_b) / len(ranks_b)
    covariance = sum((a - mean_a) * (b - mean_b) for a, b in zip(ranks_a, ranks_b, strict=True))
    spread_a = sum((a - mean_a) ** 2 for a in ranks_a) ** 0.5
    spread_b = sum((b - mean_b) ** 2 for b in ranks_b) ** 0.5
    if spread_a == 0 or spread_b == 0:
        return 0.0  # a constant ranking agrees with nothing
    return covariance / (spread_a * spread_b)


def score_table(cards: dict[str, Scorecard]) -> str:
    lines = [f"{'repo':<24} {'expected':>8} {'tool':>5} {'real-world':>10} {'certification':>13}"]
    tool_ranks = average_ranks([cards[name].real_world_score for name in EXPERT_ORDER])
    for expected, (name, tool_rank) in enumerate(zip(EXPERT_ORDER, tool_ranks, strict=True), 1):
        card = cards[name]
        lines.append(
            f"{name:<24} {expected:>8} {tool_rank:>5.1f} {card.real_world_score:>10.1f}"
            f" {card.certification_score:>13.1f}"
        )
    return "\n".join(lines)


@pytest.fixture(scope="session")
def cards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scorecard]:
    """All seven calibration repositories, built once and scanned with the default rubric."""
    root = tmp_path_factory.mktemp("calibration")
    rubric = load_rubric()
    return {
        name: scan(build(root / name), rubric=rubric)
        for name, build in calibration.BUILDERS.items()
    }


def test_spearman_handles_ties_and_reversals() -> None:
    assert average_ranks([10.0, 30.0, 30.0, 5.0]) == [3.0, 1.5, 1.5, 4.0]
    assert spearman([1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0]) == pytest.approx(1.0)
    assert spearman([1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]) == pytest.approx(-1.0)
    assert spearman([1.0, 2.0, 3.0], [5.0, 5.0, 5.0]) == 0.0
    assert spearman([1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 3.0, 4.0]) == pytest.approx(0.9486833)


def test_real_world_scores_agree_with_the_expert_order(cards: dict[str, Scorecard]) -> None:
    assert set(cards) == set(EXPERT_ORDER), "every calibration repository has an expert rank"
    expert_values = [float(len(EXPERT_ORDER) - index) for index in range(len(EXPERT_ORDER))]
    tool_values = [cards[name].real_world_score for name in EXPERT_ORDER]
    rho = spearman(expert_values, tool_values)
    assert rho >= MIN_SPEARMAN, (
        f"Spearman rho {rho:.3f} < {MIN_SPEARMAN} between the expert order and the tool's "
        f"real-world scores:\n{score_table(cards)}"
    )


def test_buzzword_ranks_below_the_honest_small_project(cards: dict[str, Scorecard]) -> None:
    buzzword, honest = cards["buzzword"], cards["honest_small"]
    assert buzzword.real_world_score < honest.real_world_score, (
        f"buzzword {buzzword.real_world_score:.1f} >= honest_small "
        f"{honest.real_world_score:.1f}:\n{score_table(cards)}"
    )


def test_every_coursework_repo_has_a_higher_certification_score_than_every_engineering_repo(
    cards: dict[str, Scorecard],
) -> None:
    coursework = sorted((cards[name].certification_score, name) for name in COURSEWORK)
    engineering = sorted((cards[name].certification_score, name) for name in ENGINEERING)
    assert coursework[0][0] > engineering[-1][0], (
        "certification scores overlap:\n"
        f"  coursework:  {[(name, round(score, 1)) for score, name in coursework]}\n"
        f"  engineering: {[(name, round(score, 1)) for score, name in engineering]}"
    )


def test_production_grade_is_at_the_top_on_real_world_and_bottom_on_certification(
    cards: dict[str, Scorecard],
) -> None:
    production = cards["production_grade"]
    others = {name: card for name, card in cards.items() if name != "production_grade"}
    above = [
        name
        for name, card in others.items()
        if card.real_world_score >= production.real_world_score
    ]
    below = [
        name
        for name, card in others.items()
        if card.certification_score < production.certification_score
    ]
    assert not above, f"real-world score not above {above}:\n{score_table(cards)}"
    assert not below, f"certification score not at the bottom, below: {below}\n{score_table(cards)}"
