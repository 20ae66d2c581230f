"""Benchmark portfolio-check against the obvious alternatives, on generated repositories.

    python benchmarks/run.py                      # small, large and huge; 5 runs each; batch
    python benchmarks/run.py --sizes large --runs 3 --no-batch

For each size, on the same tree, each command runs in a fresh process, `--runs` times, the
four in turn in each run (a shared machine's speed drifts over minutes; taken in turn, the
samples a ratio compares come from the same minutes):

1. `portfolio-check REPO -o report.html` cold: an empty cache (a new XDG_CACHE_HOME);
2. the same, warm: after a scan filled the cache, one Python file changed;
3. `radon cc -s -a` on the repository's Python files: one of the metrics we compute;
4. the floor: `git ls-files -z | xargs -0 cat > /dev/null`.

On the small repository (a learner's), two more pairs: scientific-python's `repo-review`
(with `sp-repo-review`, from the `bench` extra) on the same tree against the cold scan, and
`portfolio-check --help` against `repo-review --help`: what a learner and the pre-commit
hook feel.

Wall time and peak RSS are medians. Peak RSS is the largest sum, over the process and its
descendants (the worker processes too), of their resident memory, sampled every 50 ms, and
never less than the kernel's own peak for the process. Then a batch of 20 candidate
repositories runs with `--jobs 1` and `--jobs 2` in turn (`--no-cache`, so every run is
cold).
Prints Markdown tables, the load average before and after, and one table of every target
ratio (issue 17) with its figure and whether it is met.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # the generator sits next to this script

PAGE = os.sysconf("SC_PAGE_SIZE")
BATCH_SIZE = generate.Size(python=100, notebooks=10, configs=10, commits=40)
BATCH_CANDIDATES = 20


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_bytes: int


@dataclass(frozen=True)
class Measure:
    name: str
    samples: tuple[Sample, ...]

    @property
    def seconds(self) -> float:
        return statistics.median(sample.seconds for sample in self.samples)

    @property
    def peak_mb(self) -> float:
        return statistics.median(sample.peak_bytes for sample in self.samples) / 2**20


# measuring one command -------------------------------------------------------------------
def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                stack.extend(int(child) for child in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def _tree_rss(pid: int) -> int:
    total = 0
    for member in _descendants(pid):
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def run(
    command: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    ok: tuple[int, ...] = (0, 1),
) -> Sample:
    """Run `command` to completion; its wall time and the peak RSS of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode not in ok:
        raise SystemExit(f"{' '.join(command[:3])} failed ({process.returncode}):\n{stderr}")
    return Sample(seconds=seconds, peak_bytes=max(peak, usage.ru_maxrss * 1024))


def tool(name: str) -> str:
    """A command installed next to this Python (the venv's), else on the PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


# one repository size ---------------------------------------------------------------------
def measure_size(repo: Path, work: Path, runs: int) -> list[Measure]:
    """Each run takes one sample of every measure in turn (cold, warm, radon, floor), so
    that a ratio compares samples taken in the same minutes: on a shared machine the speed
    drifts by a third over a few minutes, and measuring all cold runs, then all warm ones,
    would put that drift into the ratio."""
    python_files = git_files(repo, "*.py")
    scan = [tool("portfolio-check"), str(repo), "-o", str(work / "report.html")]
    radon = [tool("radon"), "cc", "-s", "-a", *python_files]
    floor = ["bash", "-c", "git ls-files -z | xargs -0 cat > /dev/null"]
    cold: list[Sample] = []
    warm: list[Sample] = []
    radons: list[Sample] = []
    floors: list[Sample] = []
    warm_cache = Path(tempfile.mkdtemp(prefix="warm-", dir=work))
    run(scan, cwd=work, env=_env(warm_cache))  # fills the cache
    changed = repo / python_files[len(python_files) // 2]
    original = changed.read_bytes()
    try:
        for number in range(runs):
            cache = Path(tempfile.mkdtemp(prefix="cold-", dir=work))
            cold.append(run(scan, cwd=work, env=_env(cache)))
            shutil.rmtree(cache)
            changed.write_bytes(original + f"\n# benchmark edit {number}\n".encode())
            warm.append(run(scan, cwd=work, env=_env(warm_cache)))
            radons.append(run(radon, cwd=repo))
            floors.append(run(floor, cwd=repo))
    finally:
        changed.write_bytes(original)
        shutil.rmtree(warm_cache)
    return [
        Measure("1. portfolio-check, cold", tuple(cold)),
        Measure("2. portfolio-check, warm (1 file changed)", tuple(warm)),
        Measure("3. radon cc -s -a (Python files only)", tuple(radons)),
        Measure("4. floor: read every tracked file", tuple(floors)),
    ]


def measure_learner(repo: Path, work: Path, runs: int) -> list[Measure]:
    """A learner's repository: our cold scan's peer is repo-review (exit 3: checks failed)."""
    review = [tool("repo-review"), str(repo)]
    help_ = [tool("portfolio-check"), "--help"]
    review_help = [tool("repo-review"), "--help"]
    return [
        Measure("5. repo-review (sp-repo-review checks)", _repeat(review, work, runs, (0, 3))),
        Measure("6. portfolio-check --help", _repeat(help_, work, runs, (0,))),
        Measure("7. repo-review --help", _repeat(review_help, work, runs, (0,))),
    ]


def _repeat(command: list[str], cwd: Path, runs: int, ok: tuple[int, ...]) -> tuple[Sample, ...]:
    return tuple(run(command, cwd=cwd, env=_env(cwd / "xdg-none"), ok=ok) for _ in range(runs))


def git_files(repo: Path, pattern: str = "") -> list[str]:
    listing = subprocess.run(
        ["git", "ls-files", "-z", *([pattern] if pattern else [])],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [path for path in listing.split("\0") if path]


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(cache), "NO_COLOR": "1"}


# the batch -------------------------------------------------------------------------------
def measure_batch(work: Path, runs: int) -> list[Measure]:
    candidates = work / "candidates"
    listing = work / "candidates.txt"
    if not listing.exists():
        lines = []
        for number in range(BATCH_CANDIDATES):
            path = candidates / f"candidate-{number:02d}"
            generate.generate_size(BATCH_SIZE, path, seed=100 + number)
            lines.append(f"{path} candidate-{number:02d}")
        listing.write_text("\n".join(lines) + "\n")
    samples: dict[int, list[Sample]] = {1: [], 2: []}
    for _ in range(runs):  # in turn, as the sizes' measures are
        for jobs, taken in samples.items():
            out = Path(tempfile.mkdtemp(prefix="batch-", dir=work))
            command = [
                tool("portfolio-check"),
                "--from",
                str(listing),
                "-o",
                str(out),
                "--jobs",
                str(jobs),
                "--no-cache",
                "-q",
            ]
            taken.append(run(command, cwd=work, env=_env(out / "xdg")))
            shutil.rmtree(out)
    return [
        Measure(f"batch of {BATCH_CANDIDATES}, {label}", tuple(samples[jobs]))
        for jobs, label in ((1, "sequential (--jobs 1)"), (2, "--jobs 2"))
    ]


# the report ------------------------------------------------------------------------------
def size_table(name: str, files: int, python: int, measures: list[Measure]) -> str:
    rows = [
        f"### {name}: {files:,} files ({python:,} Python)",
        "",
        "| measure | wall (s) | peak RSS (MB) | ms per file |",
        "|---|---:|---:|---:|",
    ]
    for measure in measures:
        count = python if measure.name.startswith("3.") else files
        per_file = (
            "" if measure.name.startswith(("6.", "7.")) else f"{measure.seconds / count * 1000:.2f}"
        )
        rows.append(
            f"| {measure.name} | {measure.seconds:.2f} | {measure.peak_mb:.0f} | {per_file} |"
        )
    cold, warm, radon, floor = (m.seconds for m in measures[:4])
    rows += [
        "",
        f"Ratios: cold/radon (1/3) = **{cold / radon:.2f}**, cold/floor (1/4) = "
        f"**{cold / floor:.1f}**, warm/cold (2/1) = **{warm / cold:.2f}**",
    ]
    return "\n".join(rows)


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


@dataclass(frozen=True)
class Target:
    """One of issue 17's ratios: lower is better, met at or under `limit`."""

    name: str
    value: float
    limit: float
    unit: str = "x"

    def row(self) -> str:
        verdict = "met" if self.value <= self.limit else "**not met**"
        shown = f"{self.value:.0f} MB" if self.unit == "MB" else f"{self.value:.2f}x"
        bound = f"{self.limit:.0f} MB" if self.unit == "MB" else f"{self.limit:.1f}x"
        return f"| {self.name} | {shown} | <= {bound} | {verdict} |"


def targets(sizes: dict[str, list[Measure]], batch: list[Measure], files: dict[str, int]) -> str:
    found: list[Target] = []
    if "small" in sizes and len(sizes["small"]) > 4:
        cold, review, help_, review_help = (sizes["small"][i].seconds for i in (0, 4, 5, 6))
        found.append(Target("small, cold scan / repo-review", cold / review, 1.0))
        found.append(Target("--help / repo-review --help", help_ / review_help, 1.0))
    if "large" in sizes:
        cold, warm, radon = (sizes["large"][i].seconds for i in (0, 1, 2))
        found.append(Target("large, cold scan / radon cc -s -a", cold / radon, 1.0))
        found.append(Target("large, warm after one change / cold", warm / cold, 0.1))
    if "large" in sizes and "huge" in sizes:
        per_file = {name: sizes[name][0].seconds / files[name] for name in ("large", "huge")}
        found.append(
            Target("cold time per file, huge / large", per_file["huge"] / per_file["large"], 1.3)
        )
        found.append(
            Target("huge, peak memory of the cold scan", sizes["huge"][0].peak_mb, 400, "MB")
        )
    if batch:
        sequential, parallel = batch
        found.append(
            Target("batch, --jobs 2 / sequential", parallel.seconds / sequential.seconds, 0.6)
        )
    rows = ["### targets", "", "| ratio | measured | target | |", "|---|---:|---:|---|"]
    return "\n".join(rows + [target.row() for target in found])


def batch_table(sequential: Measure, parallel: Measure) -> str:
    return "\n".join(
        [
            f"### batch: {BATCH_CANDIDATES} candidates of {BATCH_SIZE.files} files",
            "",
            "| measure | wall (s) | peak RSS (MB) |",
            "|---|---:|---:|",
            *(f"| {m.name} | {m.seconds:.2f} | {m.peak_mb:.0f} |" for m in (sequential, parallel)),
            "",
            f"Ratio --jobs 2 / sequential = **{parallel.seconds / sequential.seconds:.2f}**",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="small,large,huge", help="comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--no-batch", dest="batch", action="store_false")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "portfolio-check-bench",
        help="where repositories are generated (and reused by later runs)",
    )
    arguments = parser.parse_args()
    names = [size.strip() for size in arguments.sizes.split(",") if size.strip()]
    work = arguments.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    before = load()
    measured: dict[str, list[Measure]] = {}
    files: dict[str, int] = {}
    sections = []
    for name in names:
        repo = work / name
        if not (repo / ".git").is_dir():
            print(f"generating {name} ...", file=sys.stderr)
            generate.generate(name, repo)
        print(f"measuring {name} ...", file=sys.stderr)
        measured[name] = measure_size(repo, work, arguments.runs)
        if name == "small":
            measured[name] += measure_learner(repo, work, arguments.runs)
        files[name] = len(git_files(repo))
        sections.append(size_table(name, files[name], len(git_files(repo, "*.py")), measured[name]))
    batch: list[Measure] = []
    if arguments.batch:
        print("measuring the batch ...", file=sys.stderr)
        batch = measure_batch(work, arguments.runs)
        sections.append(batch_table(*batch))
    sections.append(targets(measured, batch, files))
    header = (
        f"portfolio-check benchmark: {os.cpu_count()} CPUs, {arguments.runs} runs per measure "
        f"(medians); load average before {before}, after {load()}"
    )
    print("\n\n".join([header, *sections]))


if __name__ == "__main__":
    main()
