"""Calibrate the score against real ML repositories rated by hand.

    python benchmarks/calibrate.py                         # unpack ../shared/corpus, scan, report
    python benchmarks/calibrate.py --corpus DIR            # repositories already unpacked in DIR
    python benchmarks/calibrate.py --json out.json --min-rho 0.85 --min-auc 0.65

The rated corpus (`corpus.tsv`: short name, owner/name, pinned commit, band A-D, rating 0-100;
`NOTES.md` says why each is rated so) lives outside this repository: `--source` (default
`$PORTFOLIO_CHECK_CORPUS`, else `../shared/corpus` next to the checkout). Without `--corpus`
its `build.sh` unpacks the repositories into a temporary folder.

Every repository is scanned by the installed `portfolio-check` entry point, in a fresh process
with an empty cache, exactly as a user would run it. The script prints, per repository, the
rating, band, real-world score, certification score and rank residual (rank of the score minus
rank of the rating, 1 = lowest); then Spearman's rho between real-world score and rating, the
AUC of the certification score separating bands A/B (certification-only work) from C/D, and
for the five largest residuals the categories and criteria that drove the score.

`--min-rho` and `--min-auc` turn it into a regression gate: the exit status is 1 when a
figure falls below its floor. Nothing from the corpus is ever run: the tool only reads it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "corpus"
CERTIFICATION_BANDS = frozenset({"A", "B"})
SCAN_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class RatedRepo:
    short_name: str
    repository: str
    commit: str
    band: str
    rating: float


@dataclass(frozen=True)
class Result:
    repo: RatedRepo
    real_world: float
    certification: float
    profile: str
    scorecard: dict[str, object]


# the corpus ------------------------------------------------------------------------------
def read_ratings(source: Path) -> list[RatedRepo]:
    with (source / "corpus.tsv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [
            RatedRepo(
                short_name=row["short_name"],
                repository=row["owner/name"],
                commit=row["commit"],
                band=row["band"],
                rating=float(row["rating"]),
            )
            for row in rows
        ]


def unpack(source: Path, destination: Path) -> None:
    subprocess.run(
        ["bash", str(source / "build.sh"), str(destination)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


# scanning --------------------------------------------------------------------------------
def entry_point() -> str:
    beside_python = Path(sys.executable).parent / "portfolio-check"
    found = str(beside_python) if beside_python.exists() else shutil.which("portfolio-check")
    if found is None:
        sys.exit("calibrate: the portfolio-check entry point is not installed (pip install .)")
    return found


def scan(program: str, repo: RatedRepo, corpus: Path, workdir: Path) -> Result:
    target = corpus / repo.short_name
    if not target.is_dir():
        sys.exit(f"calibrate: {target} is missing; unpack the corpus there or drop --corpus")
    output = workdir / f"{repo.short_name}.json"
    environment = {**os.environ, "XDG_CACHE_HOME": str(workdir / "cache" / repo.short_name)}
    completed = subprocess.run(
        [program, str(target), "-f", "json", "-o", str(output), "-q", "--no-cache"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=SCAN_TIMEOUT_SECONDS,
        check=False,
    )
    if completed.returncode != 0:
        sys.exit(f"calibrate: scanning {repo.short_name} failed: {completed.stderr.strip()}")
    scorecard = json.loads(output.read_text(encoding="utf-8"))
    return Result(
        repo=repo,
        real_world=float(scorecard["real_world"]["score"]),
        certification=float(scorecard["certification"]["score"]),
        profile=str(scorecard["profile"]["id"]),
        scorecard=scorecard,
    )


def scan_all(repos: Sequence[RatedRepo], corpus: Path, jobs: int) -> list[Result]:
    program = entry_point()
    with (
        tempfile.TemporaryDirectory(prefix="portfolio-check-calibrate-") as scratch,
        ThreadPoolExecutor(max_workers=jobs) as pool,
    ):
        return list(pool.map(lambda repo: scan(program, repo, corpus, Path(scratch)), repos))


# statistics ------------------------------------------------------------------------------
def ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their average rank (as Spearman's rho needs)."""
    order = sorted(range(len(values)), key=lambda index: values[index])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def pearson(left: Sequence[float], right: Sequence[float]) -> float:
    count = len(left)
    mean_left, mean_right = sum(left) / count, sum(right) / count
    covariance = sum((a - mean_left) * (b - mean_right) for a, b in zip(left, right, strict=True))
    spread_left = sum((a - mean_left) ** 2 for a in left) ** 0.5
    spread_right = sum((b - mean_right) ** 2 for b in right) ** 0.5
    if spread_left == 0 or spread_right == 0:
        return 0.0
    return covariance / (spread_left * spread_right)


def spearman(left: Sequence[float], right: Sequence[float]) -> float:
    return pearson(ranks(left), ranks(right))


def auc(positives: Iterable[float], negatives: Iterable[float]) -> float:
    """The probability that a positive scores above a negative, ties counting half."""
    positive, negative = list(positives), list(negatives)
    if not positive or not negative:
        return float("nan")
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


# the report ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    rho: float
    certification_auc: float
    residuals: dict[str, float]


def summarise(results: Sequence[Result]) -> Summary:
    ratings = [result.repo.rating for result in results]
    scores = [result.real_world for result in results]
    residuals = {
        result.repo.short_name: score_rank - rating_rank
        for result, score_rank, rating_rank in zip(
            results, ranks(scores), ranks(ratings), strict=True
        )
    }
    certification_auc = auc(
        (r.certification for r in results if r.repo.band in CERTIFICATION_BANDS),
        (r.certification for r in results if r.repo.band not in CERTIFICATION_BANDS),
    )
    return Summary(spearman(scores, ratings), certification_auc, residuals)


def table(results: Sequence[Result], summary: Summary) -> str:
    lines = [
        "| repository | band | rating | real-world | certification | rank residual | profile |",
        "|---|:-:|---:|---:|---:|---:|---|",
    ]
    for result in sorted(results, key=lambda r: (r.repo.rating, r.repo.short_name)):
        residual = summary.residuals[result.repo.short_name]
        lines.append(
            f"| {result.repo.short_name} | {result.repo.band} | {result.repo.rating:.0f} "
            f"| {result.real_world:.0f} | {result.certification:.0f} | {residual:+.1f} "
            f"| {result.profile} |"
        )
    return "\n".join(lines)


def drivers(result: Result) -> list[str]:
    """The categories of one scorecard, each with the criteria that earned or missed points."""
    lines = []
    for category in result.scorecard["categories"]:  # type: ignore[attr-defined]
        if category["side"] != "real_world" and result.repo.band not in CERTIFICATION_BANDS:
            continue
        criteria = ", ".join(
            f"{criterion['id']}={criterion['level_name']}"
            + (f" ({criterion['evidence'][0]['path']})" if criterion["evidence"] else "")
            for criterion in category["criteria"]
            if criterion["level"] > 0
        )
        score = "n/a" if category.get("inconclusive") else f"{category['score']:.0f}"
        lines.append(f"    {category['name']} {score}: {criteria or 'nothing found'}")
    return lines


def largest_residuals(results: Sequence[Result], summary: Summary, count: int = 5) -> str:
    by_size = sorted(results, key=lambda r: -abs(summary.residuals[r.repo.short_name]))
    lines = []
    for result in by_size[:count]:
        residual = summary.residuals[result.repo.short_name]
        direction = "scored above its rating" if residual > 0 else "scored below its rating"
        lines.append(
            f"{result.repo.short_name} (rating {result.repo.rating:.0f}, real-world "
            f"{result.real_world:.0f}, rank residual {residual:+.1f}, {direction}):"
        )
        lines.extend(drivers(result))
    return "\n".join(lines)


def as_json(results: Sequence[Result], summary: Summary) -> dict[str, object]:
    return {
        "rho": round(summary.rho, 4),
        "certification_auc": round(summary.certification_auc, 4),
        "repositories": [
            {
                "short_name": r.repo.short_name,
                "repository": r.repo.repository,
                "commit": r.repo.commit,
                "band": r.repo.band,
                "rating": r.repo.rating,
                "real_world": r.real_world,
                "certification": r.certification,
                "profile": r.profile,
                "rank_residual": summary.residuals[r.repo.short_name],
            }
            for r in results
        ],
    }


# the command -----------------------------------------------------------------------------
def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--source", type=Path, default=None, help="the rated corpus folder")
    parser.add_argument("--corpus", type=Path, help="repositories already unpacked here")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel scans")
    parser.add_argument("--min-rho", type=float, help="exit 1 when rho falls below this")
    parser.add_argument("--min-auc", type=float, help="exit 1 when the AUC falls below this")
    return parser.parse_args(argv)


def corpus_source(given: Path | None) -> Path:
    source = given or Path(os.environ.get("PORTFOLIO_CHECK_CORPUS", DEFAULT_SOURCE))
    if not (source / "corpus.tsv").is_file():
        sys.exit(f"calibrate: no rated corpus at {source} (corpus.tsv missing); see --source")
    return source


def gate(summary: Summary, min_rho: float | None, min_auc: float | None) -> list[str]:
    failures = []
    if min_rho is not None and summary.rho < min_rho:
        failures.append(f"rho {summary.rho:.3f} is below the floor {min_rho:.3f}")
    if min_auc is not None and summary.certification_auc < min_auc:
        failures.append(f"certification AUC {summary.certification_auc:.3f} is below {min_auc:.3f}")
    return failures


def run(arguments: argparse.Namespace, corpus: Path) -> int:
    source = corpus_source(arguments.source)
    repos = read_ratings(source)
    results = scan_all(repos, corpus, max(1, arguments.jobs))
    summary = summarise(results)
    print(table(results, summary))
    print()
    print(f"Spearman rho (real-world score vs rating): {summary.rho:.3f}")
    print(f"Certification AUC (bands A/B above C/D):   {summary.certification_auc:.3f}")
    print()
    print("Largest rank residuals and what drove them:")
    print(largest_residuals(results, summary))
    if arguments.json:
        arguments.json.write_text(json.dumps(as_json(results, summary), indent=2) + "\n")
    failures = gate(summary, arguments.min_rho, arguments.min_auc)
    for failure in failures:
        print(f"calibrate: {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.corpus:
        return run(arguments, arguments.corpus)
    source = corpus_source(arguments.source)
    with tempfile.TemporaryDirectory(prefix="portfolio-check-corpus-") as folder:
        unpack(source, Path(folder))
        return run(arguments, Path(folder))


if __name__ == "__main__":
    sys.exit(main())
