"""Declared dependencies: requirements files, pyproject.toml, environment.yml, Pipfile,
setup.cfg, and lock files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.dependencies import (
    DependencyAnalyzer,
    LockfileListingAnalyzer,
    conda_spec,
    parse_requirement,
)
from portfolio_check.analyzers.distributions import normalise
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import (
    DependencyFact,
    DependencyManifestFact,
    Fact,
    FindingFact,
    LockfileFact,
)

HASH = "70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6"
WHEEL = "https://download.pytorch.org/whl/cpu/torch-2.3.1%2Bcpu-cp311-cp311-linux_x86_64.whl"
CONTEXT = AnalysisContext(layout=ProjectLayout())


def analyze(path: str, text: str) -> list[Fact]:
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    return list(DependencyAnalyzer().analyze(entry, text, CONTEXT))


def dependencies(path: str, text: str) -> dict[str, DependencyFact]:
    facts = analyze(path, text)
    assert not [fact for fact in facts if isinstance(fact, FindingFact)], facts
    declared = [fact for fact in facts if isinstance(fact, DependencyFact)]
    found = {fact.name: fact for fact in declared}
    assert len(found) == len(declared), "a dependency was reported twice"
    return found


def manifest_of(path: str, text: str) -> DependencyManifestFact:
    (manifest,) = [f for f in analyze(path, text) if isinstance(f, DependencyManifestFact)]
    return manifest


def summary(facts: dict[str, DependencyFact]) -> dict[str, tuple[str, bool, int | None]]:
    return {name: (fact.spec, fact.pinned, fact.location.line) for name, fact in facts.items()}


# normalise and parse_requirement ---------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Scikit_Learn", "scikit-learn"),
        ("scikit-learn", "scikit-learn"),
        ("zope.interface", "zope-interface"),
        ("Ruamel.YAML", "ruamel-yaml"),
        ("typing__extensions", "typing-extensions"),
        ("prometheus-_.client", "prometheus-client"),
        ("PyYAML", "pyyaml"),
    ],
)
def test_normalise_follows_pep_503(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pandas==2.2.2", ("pandas", "==2.2.2")),
        ("numpy >= 1.26, < 2.0", ("numpy", ">= 1.26, < 2.0")),
        ("uvicorn[standard]==0.30.1", ("uvicorn", "==0.30.1")),
        ('tomli>=2.0; python_version<"3.11"', ("tomli", ">=2.0")),
        ('tomli ; python_version < "3.11"', ("tomli", "")),
        ("Scikit_Learn~=1.5", ("scikit-learn", "~=1.5")),
        ("mlflow==2.14.1  # tracking server", ("mlflow", "==2.14.1")),
        ("mlflow==2.14.1\t# tabs separate comments too", ("mlflow", "==2.14.1")),
        (f"requests==2.32.3 --hash=sha256:{HASH}", ("requests", "==2.32.3")),
        ("requests==2.32.3 \\", ("requests", "==2.32.3")),
        (f"torch @ {WHEEL}", ("torch", f"@ {WHEEL}")),
        ("\ufeffpandas==2.2.2", ("pandas", "==2.2.2")),
    ],
)
def test_parse_requirement_reads_name_and_spec(line: str, expected: tuple[str, str]) -> None:
    declared = parse_requirement(line)
    assert declared is not None
    assert (declared.key, declared.spec) == expected


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "# data science stack",
        "-r requirements-base.txt",
        "--requirement base.txt",
        "-c constraints.txt",
        "-e .",
        "-e git+https://github.com/org/featurestore.git#egg=featurestore",
        "--index-url https://download.pytorch.org/whl/cpu",
        "--extra-index-url https://pypi.example.com/simple",
        f"    --hash=sha256:{HASH}",
        "git+https://github.com/org/featurestore.git@v1.2.0#egg=featurestore",
        "https://files.example.com/packages/churn_utils-0.3.0-py3-none-any.whl",
        "./libs/churn_utils",
        "../shared/churn_utils",
        "/opt/wheels/churn_utils-0.3.0-py3-none-any.whl",
    ],
)
def test_parse_requirement_skips_options_paths_and_blanks(line: str) -> None:
    assert parse_requirement(line) is None


# requirements.txt ------------------------------------------------------------------------
REQUIREMENTS = textwrap.dedent(
    """\
    # Core data stack
    -r requirements-base.txt
    --extra-index-url https://download.pytorch.org/whl/cpu
    -e .

    pandas==2.2.2
    numpy>=1.26,<2.0  # numba is not ready for 2.x
    Scikit_Learn==1.5.1
    uvicorn[standard]==0.30.1
    fastapi
    tomli==2.0.1; python_version<"3.11"
    requests==2.32.3 \\
        --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6 \\
        --hash=sha256:55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760
    mlflow==2.14.*
    git+https://github.com/org/featurestore.git@v1.2.0#egg=featurestore
    prometheus-client===0.20.0
    """
)


def test_requirements_file_yields_each_requirement_with_its_line() -> None:
    found = dependencies("requirements.txt", REQUIREMENTS)
    assert summary(found) == {
        "pandas": ("==2.2.2", True, 6),
        "numpy": (">=1.26,<2.0", False, 7),
        "scikit-learn": ("==1.5.1", True, 8),
        "uvicorn": ("==0.30.1", True, 9),
        "fastapi": ("", False, 10),
        "tomli": ("==2.0.1", True, 11),
        "requests": ("==2.32.3", True, 12),
        "mlflow": ("==2.14.*", False, 15),
        "prometheus-client": ("===0.20.0", True, 17),
    }
    assert {fact.manifest for fact in found.values()} == {"requirements"}
    assert {fact.path for fact in found.values()} == {"requirements.txt"}


def test_requirements_file_with_a_byte_order_mark_keeps_its_first_requirement() -> None:
    found = dependencies("requirements.txt", "\ufefffastapi==0.111.0\nuvicorn==0.30.1\n")
    assert summary(found) == {
        "fastapi": ("==0.111.0", True, 1),
        "uvicorn": ("==0.30.1", True, 2),
    }


def test_pip_compile_output_with_hashes_counts_as_pinned() -> None:
    text = textwrap.dedent(
        """\
        #
        # This file is autogenerated by pip-compile with Python 3.11
        #
        certifi==2024.7.4 \\
            --hash=sha256:5a1e7645bc0ec61a09e26c36f6106dd4cf40c6db3a1fb6352b0244e7fb057c7b \\
            --hash=sha256:c198e21b1289c2ab85ee4e67bb4b4ef3ead0892059901a8d5b622f24a1101e90
            # via requests
        idna==3.7 \\
            --hash=sha256:028ff3aadf0609c1fd278d8ea3089299412a7a8b9bd005dd08b9f8285bcb5cfc
            # via requests
        """
    )
    found = dependencies("requirements.lock.txt", text)
    assert summary(found) == {"certifi": ("==2024.7.4", True, 4), "idna": ("==3.7", True, 8)}


@pytest.mark.parametrize(
    ("spec_line", "pinned"),
    [
        ("numpy==1.26.4", True),
        ("numpy == 1.26.4", True),
        ("numpy===1.26.4", True),
        ('numpy==1.26.4; sys_platform == "linux"', True),
        ("numpy==1.26.*", False),
        ("numpy>=1.26", False),
        ("numpy~=1.26.4", False),
        ("numpy<2", False),
        ("numpy>=1.26,==1.26.4", False),
        ("numpy", False),
    ],
)
def test_only_exact_versions_are_pinned(spec_line: str, pinned: bool) -> None:
    (fact,) = dependencies("requirements.txt", spec_line).values()
    assert fact.name == "numpy"
    assert fact.pinned is pinned


@pytest.mark.parametrize(
    "name", ["requirements.txt", "requirements-dev.txt", "requirements_ci.in", "Requirements.TXT"]
)
def test_requirements_files_are_wanted_and_read_as_requirements(name: str) -> None:
    entry = FileEntry(path=f"ops/{name}", size=20, kind=EntryKind.FILE)
    assert DependencyAnalyzer().wants(entry)
    (fact,) = dependencies(f"ops/{name}", "pytest==8.2.2\n").values()
    assert (fact.manifest, fact.path) == ("requirements", f"ops/{name}")


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("pyproject.toml", True),
        ("environment.yml", True),
        ("environment.yaml", True),
        ("conda.yaml", True),
        ("Pipfile", True),
        ("setup.cfg", True),
        ("Pipfile.lock", False),
        ("poetry.lock", False),
        ("setup.py", False),
        ("docs/requirements.md", False),
        ("requirements/notes.md", False),
        # pip-tools inputs are often named for their purpose: api-requirements.in
        ("dev-requirements.txt", True),
        ("requirements/api-requirements.in", True),
        # a folder of requirement files (`pip install -r requirements/prod.txt`)
        ("requirements/prod.txt", True),
        ("requirements/dev.in", True),
        ("constraints.txt", True),
        # the environment MLflow logs with each model is MLflow's, not the author's
        ("mlruns/0/3e0dc5/artifacts/model/requirements.txt", False),
        ("mlruns/0/3e0dc5/artifacts/model/conda.yaml", False),
    ],
)
def test_wants_only_manifests(path: str, wanted: bool) -> None:
    entry = FileEntry(path=path, size=100, kind=EntryKind.FILE)
    assert DependencyAnalyzer().wants(entry) is wanted


# pyproject.toml --------------------------------------------------------------------------
PEP_621 = textwrap.dedent(
    """\
    [build-system]
    requires = ["hatchling>=1.24"]
    build-backend = "hatchling.build"

    [project]
    name = "churnwatch"
    version = "0.3.0"
    description = "Churn scoring service built on pandas, scikit-learn and FastAPI"
    requires-python = ">=3.10"
    dependencies = [
      "pandas==2.2.2",
      "scikit-learn>=1.5",
      "fastapi==0.111.0",
      "tomli>=2.0; python_version < '3.11'",
    ]

    [project.optional-dependencies]
    serve = ["uvicorn[standard]==0.30.1"]
    tracking = [
      "mlflow>=2.14",
    ]

    [dependency-groups]
    test = ["pytest==8.2.2", "hypothesis"]
    dev = [{include-group = "test"}, "ruff==0.5.0"]
    """
)


def test_pyproject_reads_pep_621_extras_and_dependency_groups_with_lines() -> None:
    found = dependencies("pyproject.toml", PEP_621)
    assert summary(found) == {
        "pandas": ("==2.2.2", True, 11),
        "scikit-learn": (">=1.5", False, 12),
        "fastapi": ("==0.111.0", True, 13),
        "tomli": (">=2.0", False, 14),
        "uvicorn": ("==0.30.1", True, 18),
        "mlflow": (">=2.14", False, 20),
        "pytest": ("==8.2.2", True, 24),
        "hypothesis": ("", False, 24),
        "ruff": ("==0.5.0", True, 25),
    }
    assert {fact.manifest for fact in found.values()} == {"pyproject"}
    # the build backend is not a dependency of the project
    assert "hatchling" not in found


POETRY = textwrap.dedent(
    """\
    [tool.poetry]
    name = "churn-model"
    version = "0.1.0"
    description = "Predict customer churn with pandas and scikit-learn"
    authors = ["Ada <ada@example.com>"]

    [tool.poetry.dependencies]
    python = "^3.11"
    pandas = "^2.2"
    Scikit_Learn = "1.5.1"
    numpy = "==1.26.4"
    mlflow = {version = ">=2.14", extras = ["extras"]}
    featurestore = {git = "https://github.com/org/featurestore.git"}
    requests = "*"

    [tool.poetry.dev-dependencies]
    black = "24.4.2"

    [tool.poetry.group.test.dependencies]
    pytest = "^8.2"
    """
)


def test_poetry_tables_skip_python_and_keep_caret_versions_unpinned() -> None:
    found = dependencies("pyproject.toml", POETRY)
    assert summary(found) == {
        "pandas": ("^2.2", False, 9),
        "scikit-learn": ("==1.5.1", True, 10),
        "numpy": ("==1.26.4", True, 11),
        "mlflow": (">=2.14", False, 12),
        "featurestore": ("", False, 13),
        "requests": ("", False, 14),
        "black": ("==24.4.2", True, 17),
        "pytest": ("^8.2", False, 20),
    }
    assert "python" not in found


def test_pyproject_without_dependencies_yields_nothing() -> None:
    text = '[tool.ruff]\nline-length = 100\n\n[tool.pytest.ini_options]\naddopts = "-q"\n'
    assert analyze("pyproject.toml", text) == []


def test_broken_toml_becomes_a_finding() -> None:
    text = '[project]\nname = "churnwatch"\ndependencies = [\n  "pandas==2.2.2",\n'
    (finding,) = analyze("pyproject.toml", text)
    assert isinstance(finding, FindingFact)
    assert finding.analyzer == "dependencies"
    assert finding.path == "pyproject.toml"
    assert finding.message.startswith("pyproject.toml could not be read: ")
    assert "\n" not in finding.message


def test_broken_pipfile_becomes_a_finding() -> None:
    (finding,) = analyze("Pipfile", "[packages]\nrequests = \n")
    assert isinstance(finding, FindingFact)
    assert finding.message.startswith("Pipfile could not be read: ")


# environment.yml -------------------------------------------------------------------------
ENVIRONMENT = textwrap.dedent(
    """\
    name: churn
    channels:
      - conda-forge
      - defaults
    dependencies:
      - python=3.11
      - conda-forge::pandas=2.2.2
      - numpy>=1.26
      - scikit-learn
      - pip
      - pip:
          - mlflow==2.14.1
          - -r requirements-dev.txt
          - evidently>=0.4
    """
)


def test_environment_reads_conda_specs_and_the_nested_pip_list() -> None:
    found = dependencies("environment.yml", ENVIRONMENT)
    assert summary(found) == {
        "pandas": ("=2.2.2", True, 7),
        "numpy": (">=1.26", False, 8),
        "scikit-learn": ("", False, 9),
        "pip": ("", False, 10),
        "mlflow": ("==2.14.1", True, 12),
        "evidently": (">=0.4", False, 14),
    }
    assert {fact.manifest for fact in found.values()} == {"environment"}
    # the conda packages are conda's names; the pip list holds PyPI distributions
    assert {name for name, fact in found.items() if fact.conda} == {
        "pandas",
        "numpy",
        "scikit-learn",
        "pip",
    }
    manifest = manifest_of("environment.yml", ENVIRONMENT)
    assert manifest.includes == ("requirements-dev.txt",)
    assert (manifest.dependencies, manifest.pinned, manifest.fully_pinned) == (6, 2, False)


# a conda environment pinned to match a GPU runtime, as course labs ship them
PYTORCH_ENVIRONMENT = textwrap.dedent(
    """    name: text-recognizer
    channels:
      - pytorch
      - nvidia
      - defaults
    dependencies:
      - python=3.10  # versioned to match Google Colab
      - pytorch=2.1.1=py3.10_cuda12.1_cudnn8.9.2_0
      - torchvision==0.16.1
      - pytorch-cuda=12.1  # versioned to match Google Colab
      - cudatoolkit 11.8.0 h6a678d5_0
      - pip=23.1.2
      - pip:
        - -r requirements/prod.txt
    """
)


def test_conda_pins_by_single_equals_double_equals_and_with_a_build_string() -> None:
    found = dependencies("environment.yml", PYTORCH_ENVIRONMENT)
    assert summary(found) == {
        # line 3 names the pytorch channel, not the package
        "pytorch": ("=2.1.1=py3.10_cuda12.1_cudnn8.9.2_0", True, 8),
        "torchvision": ("==0.16.1", True, 9),
        "pytorch-cuda": ("=12.1", True, 10),
        "cudatoolkit": (" 11.8.0 h6a678d5_0", True, 11),
        "pip": ("=23.1.2", True, 12),
    }
    manifest = manifest_of("environment.yml", PYTORCH_ENVIRONMENT)
    assert manifest.fully_pinned
    assert manifest.includes == ("requirements/prod.txt",)


@pytest.mark.parametrize(
    ("spec", "pinned"),
    [
        ("numpy=1.26.4", True),
        ("numpy==1.26.4", True),
        ("numpy 1.26.4", True),
        ("numpy=1.26.4=py311h64a7726_0", True),
        ("conda-forge::numpy=1.26.4", True),
        ("numpy=1.26.*", False),
        ("numpy>=1.26", False),
        ("numpy>=1.26,<2", False),
        ("numpy!=1.26.0", False),
        ("numpy 1.26.*", False),
        ("numpy", False),
        ("numpy[version='>=1.26']", False),
    ],
)
def test_conda_match_specs_pin_one_version_only(spec: str, pinned: bool) -> None:
    declared = conda_spec(spec)
    assert declared is not None
    assert (declared.key, declared.pinned) == ("numpy", pinned)


def test_environment_does_not_count_the_interpreter_as_a_pinned_dependency() -> None:
    found = dependencies("conda.yaml", "dependencies:\n  - python=3.11.9\n  - pandas=2.2.2\n")
    assert list(found) == ["pandas"]


@pytest.mark.parametrize(
    "text",
    [
        "name: churn\ndependencies:\n  - pandas=2.2\n - numpy\n",
        "name: churn\n  dependencies:\n  - pandas\n",
        "name: churn\ndependencies: [pandas, numpy\n",
        "dependencies:\n  - pandas\n\tbad: tab\n",
        "created: 2024-13-45\ndependencies:\n  - pandas\n",
    ],
)
def test_broken_yaml_becomes_a_finding(text: str) -> None:
    (finding,) = analyze("environment.yml", text)
    assert isinstance(finding, FindingFact)
    assert finding.analyzer == "dependencies"
    assert finding.message.startswith("environment.yml could not be read: ")


def test_environment_with_unexpected_shapes_yields_nothing() -> None:
    assert analyze("environment.yml", "- pandas\n- numpy\n") == []
    assert analyze("environment.yml", "name: churn\ndependencies: pandas\n") == []
    assert analyze("environment.yml", "") == []


# Pipfile and setup.cfg -------------------------------------------------------------------
def test_pipfile_reads_packages_and_dev_packages() -> None:
    text = textwrap.dedent(
        """\
        [[source]]
        url = "https://pypi.org/simple"
        verify_ssl = true
        name = "pypi"

        [packages]
        requests = "*"
        fastapi = "==0.111.0"
        pandas = {version = ">=2.2", extras = ["performance"]}
        Scikit_Learn = "1.5.1"

        [dev-packages]
        pytest = "~=8.2"

        [requires]
        python_version = "3.11"
        """
    )
    found = dependencies("Pipfile", text)
    assert summary(found) == {
        "requests": ("", False, 7),
        "fastapi": ("==0.111.0", True, 8),
        "pandas": (">=2.2", False, 9),
        "scikit-learn": ("==1.5.1", True, 10),
        "pytest": ("~=8.2", False, 13),
    }
    assert {fact.manifest for fact in found.values()} == {"pipfile"}


def test_setup_cfg_reads_install_requires_with_lines() -> None:
    text = textwrap.dedent(
        """\
        [metadata]
        name = churn-model
        description = Churn model built on numpy and pandas

        [options]
        packages = find:
        install_requires =
            numpy>=1.26
            # dataframes
            pandas==2.2.2
            tomli; python_version < "3.11"

        [options.extras_require]
        test = pytest==8.2.2
        """
    )
    found = dependencies("setup.cfg", text)
    assert summary(found) == {
        "numpy": (">=1.26", False, 8),
        "pandas": ("==2.2.2", True, 10),
        "tomli": ("", False, 11),
    }
    assert {fact.manifest for fact in found.values()} == {"setup.cfg"}


def test_setup_cfg_without_options_yields_nothing() -> None:
    assert analyze("setup.cfg", "[flake8]\nmax-line-length = 100\n") == []


def test_setup_cfg_without_section_header_becomes_a_finding() -> None:
    (finding,) = analyze("setup.cfg", "install_requires = numpy\n")
    assert isinstance(finding, FindingFact)
    assert finding.message.startswith("setup.cfg could not be read: ")


# lock files ------------------------------------------------------------------------------
def test_lockfiles_are_found_by_name_and_empty_ones_ignored(tmp_path: Path) -> None:
    files = {
        "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n',
        "poetry.lock": '[[package]]\nname = "pandas"\nversion = "2.2.2"\n',
        "services/api/Pipfile.lock": '{"_meta": {}, "default": {}}\n',
        "requirements.lock": "pandas==2.2.2\n",
        "requirements/prod.lock.txt": "pandas==2.2.2\n",
        "pdm.lock": "",  # an empty lock file pins nothing
        "requirements.txt": "pandas==2.2.2\n",
        "README.md": "# churn\n",
    }
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    snapshot = open_target(tmp_path)
    facts = list(LockfileListingAnalyzer().analyze_listing(snapshot, CONTEXT))
    assert all(isinstance(fact, LockfileFact) for fact in facts)
    tools = {fact.path: fact.tool for fact in facts if isinstance(fact, LockfileFact)}
    assert tools == {
        "uv.lock": "uv",
        "poetry.lock": "Poetry",
        "services/api/Pipfile.lock": "Pipenv",
        "requirements.lock": "Rye",
        "requirements/prod.lock.txt": "pip-tools",
    }


def test_a_folder_without_lockfiles_yields_nothing(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("pandas==2.2.2\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    snapshot = open_target(tmp_path)
    assert list(LockfileListingAnalyzer().analyze_listing(snapshot, CONTEXT)) == []


@pytest.mark.parametrize(
    ("path", "text", "manifest"),
    [
        ("requirements.txt", "pandas==2.2.2\n", "requirements"),
        ("requirements.lock.txt", "pandas==2.2.2\n", "lock"),
        ("requirements-constraints.txt", "pandas==2.2.2\n", "lock"),
        ("requirements.txt", "anyio==4.4.0\n    # via starlette\n", "lock"),
    ],
)
def test_compiled_requirements_are_locks_not_choices(path: str, text: str, manifest: str) -> None:
    facts = [f for f in analyze(path, text) if isinstance(f, DependencyFact)]
    assert facts and {f.manifest for f in facts} == {manifest}


# what pip adds around PEP 508 lines -------------------------------------------------------
def test_includes_are_named_from_the_repository_root_and_editable_paths_are_not_dependencies() -> (
    None
):
    text = textwrap.dedent(
        """\
        -r base.txt
        --requirement=../requirements/prod.txt
        -c constraints.txt
        -r https://example.com/requirements.txt
        -r ../../../etc/passwd
        -e .
        -e ./libs/features
        pandas==2.2.2
        """
    )
    manifest = manifest_of("services/api/requirements.txt", text)
    assert manifest.includes == (
        "services/api/base.txt",
        "services/requirements/prod.txt",
        "services/api/constraints.txt",
    )
    assert (manifest.dependencies, manifest.pinned) == (1, 1)
    assert list(dependencies("services/api/requirements.txt", text)) == ["pandas"]


def test_a_requirement_continued_over_lines_with_hashes_is_one_line() -> None:
    text = textwrap.dedent(
        f"""\
        requests==2.32.3 \\
            --hash=sha256:{HASH} \\
            --hash=sha256:{HASH}
        numpy \\
            >=1.26
        """
    )
    found = dependencies("requirements.txt", text)
    assert summary(found) == {"requests": ("==2.32.3", True, 1), "numpy": (">=1.26", False, 4)}


@pytest.mark.parametrize(
    ("line", "pinned"),
    [
        (f"torch @ {WHEEL}", True),  # one wheel file is one version
        (
            "churn @ git+https://github.com/org/churn.git@0f3c9b2e8d7a6c5b4a3928170f6e5d4c3b2a1908",
            True,
        ),
        ("churn @ git+https://github.com/org/churn.git@main", False),
        ("churn @ git+https://github.com/org/churn.git", False),
    ],
)
def test_a_direct_reference_is_pinned_only_to_one_file_or_commit(line: str, pinned: bool) -> None:
    (fact,) = dependencies("requirements.txt", line).values()
    assert fact.pinned is pinned


def test_lines_packaging_rejects_are_not_dependencies() -> None:
    text = "pandas 2.2.2\nnumpy==\nscikit-learn>=1.5\n" + "x" * 5000 + "==1.0\n"
    assert summary(dependencies("requirements.txt", text)) == {"scikit-learn": (">=1.5", False, 3)}


# pip-compile outputs and environment snapshots --------------------------------------------
PIP_COMPILE = textwrap.dedent(
    """\
    #
    # This file is autogenerated by pip-compile with Python 3.10
    # by the following command:
    #
    #    pip-compile requirements/prod.in
    #
    aiofiles==23.2.1
        # via gradio
    boto3==1.28.34
        # via
        #   -r requirements/prod.in
        #   smart-open
    gradio==3.40.1
        # via -r requirements/prod.in
    """
)


def test_a_pip_compile_output_in_a_requirements_folder_is_a_lock() -> None:
    facts = analyze("requirements/prod.txt", PIP_COMPILE)
    (lock,) = [fact for fact in facts if isinstance(fact, LockfileFact)]
    assert (lock.path, lock.tool) == ("requirements/prod.txt", "pip-tools")
    (manifest,) = [fact for fact in facts if isinstance(fact, DependencyManifestFact)]
    assert (manifest.manifest, manifest.fully_pinned) == ("lock", True)
    assert manifest.compiled_from == ("requirements/prod.in",)


def test_pip_compile_inputs_are_read_from_the_command_in_the_header() -> None:
    text = (
        "#\n# This file is autogenerated by pip-compile with Python 3.10\n"
        "# by the following command:\n#\n"
        "#    pip-compile --allow-unsafe --generate-hashes --output-file=requirements.txt "
        "--resolver=backtracking api-requirements.in dev-requirements.in requirements.in\n#\n"
        "fastapi==0.95.1 \\\n    --hash=sha256:" + HASH + "\n    # via -r api-requirements.in\n"
    )
    manifest = manifest_of("requirements/requirements.txt", text)
    assert manifest.compiled_from == (
        "api-requirements.in",
        "dev-requirements.in",
        "requirements.in",
    )


def test_uv_pip_compile_output_is_a_uv_lock() -> None:
    text = (
        "# This file was autogenerated by uv via the following command:\n"
        "#    uv pip compile requirements.in -o requirements.txt\n"
        "pandas==2.2.2\n    # via -r requirements.in\n"
    )
    (lock,) = [f for f in analyze("requirements.txt", text) if isinstance(f, LockfileFact)]
    assert lock.tool == "uv"
    assert manifest_of("requirements.txt", text).compiled_from == ("requirements.in",)


def freeze(count: int) -> str:
    names = [f"package-{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(count)]
    return "".join(f"{name}=={n}.0.1\n" for n, name in enumerate(names))


def test_a_long_alphabetical_fully_pinned_list_is_an_environment_snapshot() -> None:
    assert manifest_of("requirements.txt", freeze(40)).manifest == "freeze"
    # a short hand-pinned list, or one out of order, is the author's own choice
    assert manifest_of("requirements.txt", freeze(6)).manifest == "requirements"
    shuffled = "".join(reversed(freeze(40).splitlines(keepends=True)))
    assert manifest_of("requirements.txt", shuffled).manifest == "requirements"
    # one range makes it a hand-kept list, whatever its order
    assert manifest_of("requirements.txt", freeze(40) + "zz-last>=1\n").manifest == "requirements"
