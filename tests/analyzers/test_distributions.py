"""Import names of distributions and conda packages, from the packaged tables."""

from __future__ import annotations

import pytest

from portfolio_check.analyzers.distributions import (
    DATA,
    conda_distribution,
    import_names,
    is_tool,
    normalise,
)


@pytest.mark.parametrize(
    ("distribution", "module"),
    [
        ("imbalanced-learn", "imblearn"),
        ("opencv-python", "cv2"),
        ("opencv-contrib-python", "cv2"),
        ("opencv-python-headless", "cv2"),
        ("python-json-logger", "pythonjsonlogger"),
        ("markdown-it-py", "markdown_it"),
        ("scikit-learn", "sklearn"),
        ("Pillow", "PIL"),
        ("PyYAML", "yaml"),
        ("python-dotenv", "dotenv"),
        ("google-cloud-aiplatform", "google"),
        ("google-cloud-aiplatform", "vertexai"),
        ("protobuf", "google"),  # from pipreqs: pigar's wheel reading misses it
        ("apache-airflow", "airflow"),
        ("beautifulsoup4", "bs4"),
        ("attrs", "attr"),
        ("PyMuPDF", "fitz"),
        ("faiss-cpu", "faiss"),
        ("psycopg2-binary", "psycopg2"),
        ("mlflow", "mlflow"),  # its own name, not in the table
        ("Flask_Cors", "flask_cors"),
    ],
)
def test_a_distribution_provides_its_import_names(distribution: str, module: str) -> None:
    assert module in import_names(distribution)


def test_accidental_top_level_names_are_left_out_of_the_table() -> None:
    rows = (DATA / "import-names.tsv").read_text("utf-8").splitlines()
    modules = {m for row in rows if not row.startswith("#") for m in row.split("\t")[1].split()}
    assert not modules & {"tests", "test", "docs", "src", "utils", "examples"}
    assert not [module for module in modules if module.startswith("_")]


@pytest.mark.parametrize(
    ("package", "distribution"),
    [
        ("pytorch", "torch"),
        ("pytorch-cpu", "torch"),
        ("py-xgboost", "xgboost"),
        ("matplotlib-base", "matplotlib"),
        ("typing_extensions", "typing-extensions"),
        ("pandas", "pandas"),
        ("a-package-conda-has-never-heard-of", "a-package-conda-has-never-heard-of"),
        # no Python distribution at all: CUDA, the interpreter, a C library
        ("pytorch-cuda", None),
        ("cudatoolkit", None),
        ("python", None),
        ("mkl", None),
    ],
)
def test_conda_packages_map_to_their_pypi_distribution(
    package: str, distribution: str | None
) -> None:
    assert conda_distribution(package) == distribution


@pytest.mark.parametrize(
    ("distribution", "tool"),
    [
        ("pytest", True),
        ("pytest-cov", True),
        ("black", True),
        ("ruff", True),
        ("uvicorn", True),
        ("gunicorn", True),
        ("jupyter", True),
        ("jupyterlab", True),
        ("ipykernel", True),
        ("pip", True),
        ("setuptools", True),
        ("wheel", True),
        ("types-PyYAML", True),
        ("pandas-stubs", True),
        ("flake8-bugbear", True),
        ("pandas", False),
        ("fastapi", False),
        ("mlflow", False),
    ],
)
def test_tools_are_run_rather_than_imported(distribution: str, tool: bool) -> None:
    assert is_tool(distribution) is tool


def test_names_are_pep_503_normalised() -> None:
    assert normalise("Scikit_Learn") == normalise("scikit.learn") == "scikit-learn"
