"""Facts about the repository as a whole, computed once every file's facts are in: where
the code lives (notebooks or modules), how complex it is, and which declared dependencies
nothing imports.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from portfolio_check.facts import (
    CodeBalanceFact,
    CodeHealthFact,
    DependencyFact,
    Fact,
    FunctionFact,
    ImportFact,
    NotebookFact,
    PythonModuleFact,
    course_places,
    in_place,
)
from portfolio_check.snapshot import Location

REPOSITORY = Location(path=".")
SIMPLE_COMPLEXITY = 10  # radon ranks A and B

#: Distributions whose import name is not their name with `-` turned into `_`.
IMPORT_NAMES = {
    "scikit-learn": "sklearn", "pyyaml": "yaml", "opencv-python": "cv2",
    "opencv-python-headless": "cv2", "pillow": "PIL", "beautifulsoup4": "bs4",
    "python-dotenv": "dotenv", "protobuf": "google", "pytorch-lightning": "pytorch_lightning",
    "tensorflow-data-validation": "tensorflow_data_validation", "scikit-image": "skimage",
    "python-dateutil": "dateutil", "attrs": "attr", "pymupdf": "fitz", "faiss-cpu": "faiss",
    "sentence-transformers": "sentence_transformers", "lightgbm": "lightgbm",
    "great-expectations": "great_expectations", "prometheus-client": "prometheus_client",
    "opentelemetry-api": "opentelemetry", "opentelemetry-sdk": "opentelemetry",
    "sentry-sdk": "sentry_sdk", "alibi-detect": "alibi_detect", "soda-core": "soda",
    "comet-ml": "comet_ml", "google-cloud-aiplatform": "google", "azure-ai-ml": "azure",
}  # fmt: skip
#: Distributions used as commands, plugins or back ends rather than imported.
NOT_IMPORTED = frozenset(
    {
        "pytest", "pytest-cov", "pytest-mock", "pytest-xdist", "pytest-benchmark", "coverage",
        "ruff", "black", "isort", "flake8", "mypy", "pylint", "pre-commit", "tox", "nox",
        "uvicorn", "gunicorn", "hypercorn", "dvc", "dvc-s3", "dvc-gs", "jupyter", "jupyterlab",
        "notebook", "ipykernel", "ipywidgets", "nbconvert", "nbstripout", "httpx", "pyarrow",
        "fastparquet", "openpyxl", "xlrd", "psycopg2", "psycopg2-binary", "python-multipart",
        "setuptools", "wheel", "pip", "build", "twine", "hatchling", "types-requests",
        "types-pyyaml", "mkdocs", "mkdocs-material", "sphinx", "kaleido", "tabulate",
        "watchfiles", "uvloop", "lxml", "certifi", "python",
    }
)  # fmt: skip


def summaries(facts: Sequence[Fact]) -> list[Fact]:
    """The repository-wide facts: code balance and code health, where there is code.
    Course folders and course helper files are the course's code, so they are left out."""
    places = course_places(facts)
    own = [fact for fact in facts if in_place(fact.path, places) is None]
    return [*_balance(own), *_health(own)]


def mark_unused_dependencies(facts: Sequence[Fact]) -> list[Fact]:
    """Declared libraries that no module, test or notebook imports are claims, not evidence."""
    if not any(isinstance(fact, (PythonModuleFact, NotebookFact)) for fact in facts):
        return list(facts)  # no code at all: nothing to tell used from unused
    imported = {fact.top.lower() for fact in facts if isinstance(fact, ImportFact)}
    return [_marked(fact, imported) for fact in facts]


def _marked(fact: Fact, imported: set[str]) -> Fact:
    if (
        isinstance(fact, DependencyFact)
        and fact.manifest != "lock"  # transitive pins are not the project's own choices
        and not fact.placeholder
        and _unused(fact.name, imported)
    ):
        return dataclasses.replace(fact, placeholder="declared but never imported")
    return fact


def _unused(name: str, imported: set[str]) -> bool:
    if name in NOT_IMPORTED or name.startswith(("types-", "pytest-", "mkdocs-", "jupyter")):
        return False
    candidates = {
        IMPORT_NAMES.get(name, name).lower(),
        name.replace("-", "_"),
        re.split(r"[-_]", name)[0],
    }
    return not candidates & imported


def _balance(facts: Sequence[Fact]) -> list[CodeBalanceFact]:
    module_lines = sum(
        f.sloc for f in facts if isinstance(f, PythonModuleFact) and f.scope == "code"
    )
    notebook_lines = sum(f.code_lines for f in facts if isinstance(f, NotebookFact))
    if module_lines + notebook_lines == 0:
        return []
    importing = {
        f.path for f in facts if isinstance(f, ImportFact) and f.scope == "notebook" and f.project
    }
    return [
        CodeBalanceFact(
            location=REPOSITORY,
            module_lines=module_lines,
            notebook_lines=notebook_lines,
            notebook_share=round(notebook_lines / (module_lines + notebook_lines), 3),
            notebooks_importing_project=len(importing),
        )
    ]


def _health(facts: Sequence[Fact]) -> list[CodeHealthFact]:
    functions = [
        f for f in facts if isinstance(f, FunctionFact) and f.type != "class" and f.scope == "code"
    ]
    if not functions:
        return []
    indices = [
        f.maintainability
        for f in facts
        if isinstance(f, PythonModuleFact) and f.scope == "code" and f.maintainability is not None
    ]
    simple = sum(1 for f in functions if f.complexity <= SIMPLE_COMPLEXITY)
    return [
        CodeHealthFact(
            location=REPOSITORY,
            functions=len(functions),
            max_complexity=max(f.complexity for f in functions),
            simple_share=round(simple / len(functions), 3),
            mean_maintainability=round(sum(indices) / len(indices), 1) if indices else None,
        )
    ]
