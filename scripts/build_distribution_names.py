"""Rebuild src/portfolio_check/data/import-names.tsv and conda-names.tsv from their sources.

The tool never goes online: it ships these two tables, and this script is how they were
made (see src/portfolio_check/data/README.md for the sources, versions and licences).

    pip download pigar==2.2.0 pipreqs==0.5.0 --no-deps -d /tmp/names
    cd /tmp/names && for wheel in *.whl; do unzip -qo "$wheel"; done && cd -
    python scripts/build_distribution_names.py \
        --pigar-db /tmp/names/pigar/.db.sqlite3 --pipreqs /tmp/names/pipreqs/mapping \
        --top-pypi top-pypi-packages.min.json \
        --conda files/compressed_mapping.json files/v0/pytorch/compressed_mapping.json

pigar's database lists each distribution's top-level modules, read from its wheels; pipreqs'
hand-kept `import:distribution` mapping adds the few that pigar misses or reads wrong
(`airflow` from apache-airflow, `google` from protobuf). `--conda` takes parselmouth's
mappings (`files/` of prefix-dev/parselmouth): conda-forge's, and the pytorch channel's
(`pytorch-cuda`). `--top-pypi` is hugovk/top-pypi-packages' list of the 15,000
most-downloaded distributions: only those are kept, which is what real repositories
declare, in a few hundred kilobytes instead of pigar's 77 MB database of all of PyPI.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "portfolio_check" / "data"
#: Top-level names a wheel ships by accident (its tests, docs, a stray `src`), or so generic
#: that a project's own module of that name would pass for the distribution.
ACCIDENTAL = frozenset(
    {
        "benchmark", "benchmarks", "build", "common", "conftest", "data", "dist", "doc",
        "docs", "example", "examples", "lib", "script", "scripts", "setup", "src", "test",
        "testing", "tests", "tools", "util", "utils",
    }
)  # fmt: skip
MODULE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
IMPORT_HEADER = (
    "# distribution<TAB>its top-level modules, where they are not just its own name.\n"
    "# From pigar 2.2.0's database (BSD-3-Clause, github.com/damnever/pigar) and pipreqs\n"
    "# 0.5.0's mapping (Apache-2.0, github.com/bndr/pipreqs), for the 15,000 most-downloaded\n"
    "# PyPI distributions (hugovk/top-pypi-packages). See README.md beside this file.\n"
)
CONDA_HEADER = (
    "# conda package<TAB>its PyPI distribution where the names differ, or - for none.\n"
    "# From prefix.dev's parselmouth mappings (BSD-3-Clause, github.com/prefix-dev/parselmouth).\n"
    "# See README.md beside this file.\n"
)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def naive(distribution: str) -> str:
    return normalise(distribution).replace("-", "_")


def import_names(pigar_db: Path, pipreqs: Path, popular: set[str]) -> dict[str, list[str]]:
    """Distribution -> its top-level modules, where they are not just its own name."""
    modules: dict[str, set[str]] = defaultdict(set)

    def add(distribution: str, module: str) -> None:
        name = normalise(distribution)
        if name in popular and MODULE.match(module) and module.lower() not in ACCIDENTAL:
            modules[name].add(module)

    with sqlite3.connect(f"file:{pigar_db}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT d.name, t.name FROM distributions d "
            "JOIN top_level_module_names t ON t.distribution_id = d.id"
        )
        for distribution, module in rows:
            add(distribution, module)
    for line in pipreqs.read_text("utf-8").splitlines():
        module, _, distribution = line.strip().partition(":")
        add(distribution, module)
    return {
        name: sorted(found)
        for name, found in sorted(modules.items())
        if {m.lower() for m in found} != {naive(name)}
    }


def conda_names(mappings: list[Path], popular: set[str]) -> dict[str, str]:
    """Conda package -> its PyPI distribution where the names differ, or "-" where the conda
    package is no Python distribution at all (a compiler, CUDA, the interpreter)."""
    found: dict[str, set[str]] = defaultdict(set)  # `typing_extensions`, `typing-extensions`
    for mapping in mappings:
        for conda, pypi in json.loads(mapping.read_text("utf-8")).items():
            names = [] if pypi is None else [pypi] if isinstance(pypi, str) else pypi
            found[normalise(conda)].update([normalise(name) for name in names] or ["-"])
    table: dict[str, str] = {}
    for conda, names in sorted(found.items()):
        python = sorted(names - {"-"})
        if not python:
            table[conda] = "-"
        elif conda not in python and python[0] in popular:
            table[conda] = python[0]
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pigar-db", type=Path, required=True)
    parser.add_argument("--pipreqs", type=Path, required=True)
    parser.add_argument("--top-pypi", type=Path, required=True)
    parser.add_argument("--conda", type=Path, nargs="+", required=True)
    args = parser.parse_args()
    rows = json.loads(args.top_pypi.read_text("utf-8"))["rows"]
    popular = {normalise(row["project"]) for row in rows}
    names = import_names(args.pigar_db, args.pipreqs, popular)
    with (DATA / "import-names.tsv").open("w", encoding="utf-8", newline="\n") as out:
        out.write(IMPORT_HEADER)
        for distribution, modules in names.items():
            out.write(f"{distribution}\t{' '.join(modules)}\n")
    conda = conda_names(args.conda, popular)
    with (DATA / "conda-names.tsv").open("w", encoding="utf-8", newline="\n") as out:
        out.write(CONDA_HEADER)
        for package, distribution in conda.items():
            out.write(f"{package}\t{distribution}\n")
    print(f"{len(names)} distributions, {len(conda)} conda packages")


if __name__ == "__main__":
    main()
