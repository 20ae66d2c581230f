"""Fingerprints for provenance: copies match through renames, edits and reflowed
notebooks; unrelated work does not; the hashes are the same in every process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from portfolio_check.analyzers.fingerprints import (
    Fingerprint,
    code_tokens,
    fingerprint,
    kind_of,
    winnow,
)
from tests.upstreams import OWN_CODE as OWN
from tests.upstreams import STARTER_MODEL as STARTER

RENAMED = (
    STARTER.replace("X_train", "features")
    .replace("y_train", "labels")
    .replace("n_estimators=100", "n_estimators=300")
    .replace('"""Run model inferences and return the predictions."""', '"""Predict."""')
)


def containment(part: Fingerprint, whole: Fingerprint) -> float:
    return len(part.grams & whole.grams) / len(part.grams)


def test_a_renamed_and_edited_copy_still_matches() -> None:
    original = fingerprint("ml/model.py", STARTER)
    copy = fingerprint("src/model.py", RENAMED)
    assert original is not None and copy is not None
    assert original.exact != copy.exact  # not the same text
    assert containment(copy, original) >= 0.8


def test_unrelated_code_shares_almost_nothing() -> None:
    original = fingerprint("ml/model.py", STARTER)
    own = fingerprint("recognizer/model.py", OWN)
    assert original is not None and own is not None
    assert containment(own, original) < 0.1


def notebook(cells: list[tuple[str, str]], *, run: bool) -> str:
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": kind,
                    "metadata": {"collapsed": run},
                    "source": source.splitlines(keepends=True),
                    **(
                        {
                            "execution_count": 7 if run else None,
                            "outputs": [
                                {"output_type": "stream", "name": "stdout", "text": "0.93\n"}
                            ]
                            if run
                            else [],
                        }
                        if kind == "code"
                        else {}
                    ),
                }
                for kind, source in cells
            ],
            "metadata": {"kernelspec": {"name": "python3" if run else "py"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
        indent=1 if run else None,
    )


def test_a_reflowed_notebook_is_an_exact_copy() -> None:
    """Outputs, execution counts, metadata and JSON layout are not the work; the sources are."""
    cells = [
        ("markdown", "# Titanic\nWomen survived more often."),
        ("code", STARTER),
        ("code", "%matplotlib inline\nprint(1)"),
    ]
    clean = fingerprint("titanic.ipynb", notebook(cells, run=False))
    executed = fingerprint("kaggle/Titanic Tutorial.ipynb", notebook(cells, run=True))
    assert clean is not None and executed is not None
    assert clean.exact == executed.exact and clean.grams == executed.grams


def test_a_notebook_saved_with_large_outputs_is_read_by_its_sources() -> None:
    """A plot or a long table makes a notebook megabytes of JSON; its cell sources are what
    was copied, so the size of its outputs must not hide them."""
    cells = [
        ("markdown", "# Census income\nA random forest on the census data."),
        ("code", STARTER),
    ]
    clean = fingerprint("census.ipynb", notebook(cells, run=False))
    document = json.loads(notebook(cells, run=True))
    image = {"output_type": "display_data", "data": {"image/png": "iVBORw0K" * 200_000}}
    document["cells"][1]["outputs"].append({**image, "metadata": {}})
    executed = fingerprint("census.ipynb", json.dumps(document))
    assert clean is not None and executed is not None
    assert len(json.dumps(document)) > 1_000_000  # far past the cap on a file's text
    assert executed.tokens > 0 and executed.exact == clean.exact


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("train.py", "python"),
        ("EDA.ipynb", "notebook"),
        ("README.md", "text"),
        ("Dockerfile", "text"),
        ("docker/Dockerfile.api", "text"),
        ("model.pkl", None),
        ("data/census.csv", None),
    ],
)
def test_which_files_are_fingerprinted(path: str, kind: str | None) -> None:
    assert kind_of(path) == kind


def test_a_file_too_small_to_judge_has_no_near_duplicate_fingerprints() -> None:
    tiny = fingerprint("__init__.py", "from .model import train\n")
    assert tiny is not None and tiny.grams == frozenset() and tiny.exact


def test_a_broken_file_keeps_the_tokens_before_the_break() -> None:
    assert code_tokens("x = load(\n    'a',\n")[:3] == ["N", "=", "N"]
    assert fingerprint("broken.py", "def f(:\n  ]]]\n" + STARTER) is not None


def test_every_python_version_reads_the_same_tokens() -> None:
    """Python 3.12 tokenizes an f-string part by part and calls a stray `$` or `!` an
    operator; an index built on one version must match scans on another."""
    assert code_tokens('x = f"{name!r}: {value:.2f}"\n') == ["N", "=", "S"]
    assert code_tokens("y = f\"{g(f'{a}')}\" + g(b)\n") == ["N", "=", "S", "+", "N", "(", "N", ")"]
    assert code_tokens("<!-- a note --> $x = 1\n") == [
        "<",
        "-",
        "-",
        "N",
        "N",
        "-",
        "->",
        "N",
        "=",
        "0",
    ]


def test_winnowing_keeps_a_fingerprint_in_every_window() -> None:
    tokens = [f"t{n}" for n in range(200)]
    chosen = winnow(tokens, k=5, window=4)
    assert 200 // 4 <= len(chosen) <= 200
    assert winnow(tokens[:3], k=5) == frozenset()
    # fewer k-grams than a window: the smallest of them
    assert len(winnow(tokens[:7], k=5, window=4)) == 1


def test_fingerprints_are_the_same_in_every_process() -> None:
    """They are stored in the index the wheel ships: no per-process hash seed may enter."""
    script = (
        "from portfolio_check.analyzers.fingerprints import fingerprint;"
        f"f = fingerprint('a.py', {STARTER!r});"
        "print(f.exact, sorted(f.grams)[:5])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
