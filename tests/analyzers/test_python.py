"""The Python analyzer: imports, calls, test functions and parse failures, from `ast` alone."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from portfolio_check.analyzers.base import (
    AnalysisContext,
    ProjectLayout,
    module_name,
    scope_of,
)
from portfolio_check.analyzers.python import ParseFailure, PythonAnalyzer, parse_python
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.model.facts import (
    CallFact,
    CourseMarkerFact,
    Fact,
    FindingFact,
    FunctionFact,
    ImportFact,
    PythonModuleFact,
    TestFunctionFact,
    ToyDatasetFact,
)

NO_PROJECT = ProjectLayout()
CHURNWATCH = ProjectLayout.of_paths(
    [f"src/churnwatch/{name}.py" for name in ("__init__", "api", "features", "model")]
)


def source(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def analyze(path: str, text: str, layout: ProjectLayout = NO_PROJECT) -> list[Fact]:
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    return list(PythonAnalyzer().analyze(entry, text, AnalysisContext(layout=layout)))


def imports(facts: list[Fact]) -> dict[str, ImportFact]:
    found = [fact for fact in facts if isinstance(fact, ImportFact)]
    assert len(found) == len({fact.module for fact in found}), "one import fact per module"
    return {fact.module: fact for fact in found}


def calls(facts: list[Fact], usage: str = "call") -> dict[str, CallFact]:
    found = [fact for fact in facts if isinstance(fact, CallFact) and fact.usage == usage]
    assert len(found) == len({fact.name for fact in found}), "one call fact per name and usage"
    return {fact.name: fact for fact in found}


def functions_of(facts: list[Fact]) -> dict[str, TestFunctionFact]:
    return {fact.name: fact for fact in facts if isinstance(fact, TestFunctionFact)}


def module_fact(facts: list[Fact]) -> PythonModuleFact:
    (found,) = [fact for fact in facts if isinstance(fact, PythonModuleFact)]
    return found


def line_of(text: str, needle: str) -> int:
    (number,) = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return number


def write_tree(root: Path, paths: list[str]) -> Path:
    for relative in paths:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x = 1\n", encoding="utf-8")
    return root


# module names, scopes and the project layout ------------------------------------------------
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("src/churnwatch/api.py", "churnwatch.api"),
        ("src/churnwatch/__init__.py", "churnwatch"),
        ("src/churnwatch/models/__init__.py", "churnwatch.models"),
        ("churnwatch/api.py", "churnwatch.api"),
        ("lib/utils.py", "utils"),
        ("python/tools/run.py", "tools.run"),
        ("train.py", "train"),
        ("src.py", "src"),
        ("tests/test_api.py", "tests.test_api"),
        ("__init__.py", None),
        ("src/__init__.py", None),
        ("my-scripts/run.py", None),
        ("2024/run.py", None),
        ("README.md", None),
        ("notebooks/eda.ipynb", None),
        ("stubs/api.pyi", None),
    ],
)
def test_module_name_follows_src_and_flat_layouts(path: str, expected: str | None) -> None:
    assert module_name(path) == expected


def test_module_name_keeps_the_source_root_on_request() -> None:
    assert module_name("src/features/build.py", keep_root=True) == "src.features.build"
    assert module_name("src/__init__.py", keep_root=True) == "src"


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("tests/helpers.py", "test"),
        ("tests/unit/test_api.py", "test"),
        ("src/churnwatch/tests/fixtures.py", "test"),
        ("testing/factories.py", "test"),
        ("test_model.py", "test"),
        ("src/churnwatch/model_test.py", "test"),
        ("pipelines/datasource_utils_tests.py", "test"),  # Vertex AI samples' naming
        ("conftest.py", "test"),
        ("tests.py", "test"),
        ("analysis.ipynb", "notebook"),
        ("tests/explore.ipynb", "notebook"),
        ("src/churnwatch/model.py", "code"),
        ("src/churnwatch/contest.py", "code"),
        ("latest.py", "code"),
        ("attestation_test_data.py", "code"),
        ("testdata/loader.py", "code"),
        ("./tests//helpers.py", "test"),  # parts as pathlib reads them
        ("src/tests/", "code"),  # a folder's own name is no file name
        (".ipynb", "code"),  # a dot file, not a notebook
        ("/abs/tests/x.py", "test"),
    ],
)
def test_scope_of_recognises_test_files_folders_and_notebooks(path: str, scope: str) -> None:
    assert scope_of(path) == scope


# imports ----------------------------------------------------------------------------------
def test_imports_with_aliases_record_the_real_module_and_line() -> None:
    facts = analyze(
        "src/churnwatch/train.py",
        source("""
        import numpy as np
        import os.path
        from sklearn.datasets import load_iris as li
        from churnwatch.features import build_features
        from churnwatch import api
    """),
        CHURNWATCH,
    )
    found = imports(facts)
    assert set(found) == {
        "numpy",
        "os.path",
        "sklearn.datasets",
        "churnwatch.features",
        "churnwatch",
        "churnwatch.api",  # `from churnwatch import api` imports that module
    }
    summary = {name: (f.top, f.project, f.location.line, f.scope) for name, f in found.items()}
    assert summary["numpy"] == ("numpy", False, 1, "code")
    assert summary["os.path"] == ("os", False, 2, "code")
    assert summary["sklearn.datasets"] == ("sklearn", False, 3, "code")
    assert summary["churnwatch.features"] == ("churnwatch", True, 4, "code")
    assert summary["churnwatch"] == ("churnwatch", True, 5, "code")
    assert all(f.location.path == "src/churnwatch/train.py" for f in found.values())
    assert all(f.location.cell is None for f in found.values())


def test_project_is_only_true_for_modules_python_finds_among_the_targets_files() -> None:
    layout = ProjectLayout.of_paths(
        ["churnwatch/__init__.py", "churnwatch/api.py", "train.py", "tests/helpers.py", "test.py"]
    )
    facts = analyze(
        "run.py",
        source("""
        import churnwatch.api
        import train
        import churnwatcher
        import churnwatch_extra
        import src.churnwatch
        from tests.helpers import make_frame
        import test
        import pandas
    """),
        layout,
    )
    project = {name: fact.project for name, fact in imports(facts).items()}
    assert project == {
        "churnwatch.api": True,
        "train": True,
        "churnwatcher": False,
        "churnwatch_extra": False,
        "src.churnwatch": False,
        "tests.helpers": True,  # a test helper of the target: tests reach code through it
        "test": False,  # the standard library's, whatever the repository holds
        "pandas": False,
    }


def test_relative_imports_in_a_package_module_resolve_against_the_package() -> None:
    facts = analyze(
        "src/churnwatch/api.py",
        source("""
        from . import features
        from .schema import Customer
        from .io.readers import read_table

        features.build_features(frame)
        Customer.validate(frame)
        read_table("x.csv")
    """),
    )
    found = imports(facts)
    assert {name: (f.project, f.location.line) for name, f in found.items()} == {
        "churnwatch": (True, 1),
        "churnwatch.schema": (True, 2),
        "churnwatch.io.readers": (True, 3),
    }
    assert set(calls(facts)) == {
        "churnwatch.features.build_features",
        "churnwatch.schema.Customer.validate",
        "churnwatch.io.readers.read_table",
    }


def test_relative_imports_in_init_resolve_against_the_package_itself() -> None:
    top = imports(
        analyze(
            "src/churnwatch/__init__.py",
            source("""
        from .api import app
        from . import schema
    """),
        )
    )
    assert {name: fact.project for name, fact in top.items()} == {
        "churnwatch.api": True,
        "churnwatch": True,
    }
    nested = imports(analyze("src/churnwatch/models/__init__.py", "from ..schema import C\n"))
    assert {name: fact.project for name, fact in nested.items()} == {"churnwatch.schema": True}


def test_relative_imports_resolve_to_files_from_the_importing_folder() -> None:
    """An API in `ml_api/` whose tests import it relatively; a service folder whose name is
    no identifier (`music-theory-assistant/`); more dots than folders."""
    layout = ProjectLayout.of_paths(
        [
            "ml_api/__init__.py",
            "ml_api/api/__init__.py",
            "ml_api/api/main.py",
            "ml_api/tests/__init__.py",
            "music-theory-assistant/rag.py",
            "music-theory-assistant/db.py",
        ]
    )
    conftest = imports(analyze("ml_api/tests/conftest.py", "from ..api.main import app\n", layout))
    assert {n: (f.project, f.target) for n, f in conftest.items()} == {
        "ml_api.api.main": (True, "ml_api/api/main.py")
    }
    service = imports(
        analyze("music-theory-assistant/api.py", "from . import db\nimport rag\n", layout)
    )
    assert {f.target for f in service.values()} >= {
        "music-theory-assistant/db.py",
        "music-theory-assistant/rag.py",
    }
    above = imports(analyze("ml_api/main.py", "from ...x import y\n", layout))
    assert [(f.project, f.target) for f in above.values()] == [(True, None)]


def test_an_optional_import_of_a_missing_module_is_no_finding() -> None:
    layout = ProjectLayout.of_paths(["src/churnwatch/__init__.py", "src/churnwatch/api.py"])
    text = source("""
        try:
            from churnwatch.gpu import kernels
        except ImportError:
            kernels = None
        from churnwatch.cpu import kernels
    """)
    facts = analyze("src/churnwatch/api.py", text, layout)
    found = imports(facts)
    assert (found["churnwatch.gpu"].project, found["churnwatch.gpu"].target) == (True, None)
    assert [f.message for f in facts if isinstance(f, FindingFact)] == [
        "imports churnwatch.cpu, which is not in the repository"
    ]


def test_relative_import_with_no_known_package_still_counts_as_project() -> None:
    found = imports(analyze("helpers.py", "from . import utils\n"))
    assert list(found) == ["."]
    assert found["."].project is True


def test_one_import_and_one_call_fact_per_name_per_file_at_the_first_line() -> None:
    facts = analyze(
        "train.py",
        source("""
        import numpy as np
        import numpy
        from sklearn.datasets import load_iris
        from sklearn.datasets import load_wine
        np.mean([1])
        np.mean([2])


        def later():
            numpy.mean([3])
    """),
    )
    found = imports(facts)
    assert {name: fact.location.line for name, fact in found.items()} == {
        "numpy": 1,
        "sklearn.datasets": 3,
    }
    means = [f for f in facts if isinstance(f, CallFact) and f.name == "numpy.mean"]
    assert [fact.location.line for fact in means] == [5]


# calls, decorators and base classes -------------------------------------------------------
def test_calls_resolve_import_aliases() -> None:
    facts = analyze(
        "train.py",
        source("""
        import numpy as np
        import os.path
        from sklearn.linear_model import LogisticRegression as LR

        np.random.seed(7)
        os.path.join("a", "b")
        model = LR(max_iter=100)
        model.fit(X, y)
        print(len(X))
    """),
    )
    found = calls(facts)
    assert found["numpy.random.seed"].location.line == 5
    assert found["os.path.join"].location.line == 6
    assert found["sklearn.linear_model.LogisticRegression"].location.line == 7
    assert found["sklearn.linear_model.LogisticRegression().fit"].location.line == 8
    assert {"print", "len"} <= set(found)
    assert "np.random.seed" not in found
    assert all(fact.scope == "code" for fact in found.values())


def test_fastapi_route_decorators_resolve_through_the_app_instance() -> None:
    facts = analyze(
        "src/churnwatch/api.py",
        source("""
        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/health")
        def health():
            return {"status": "ok"}


        @app.post("/predict")
        async def predict(request):
            return {}
    """),
    )
    decorators = calls(facts, "decorator")
    assert set(decorators) == {"fastapi.FastAPI().get", "fastapi.FastAPI().post"}
    assert decorators["fastapi.FastAPI().post"].location.line == 11
    assert decorators["fastapi.FastAPI().get"].location.line == 6
    assert calls(facts)["fastapi.FastAPI"].location.line == 3


def test_plain_decorators_and_base_classes_are_recorded_with_their_usage() -> None:
    facts = analyze(
        "src/churnwatch/schema.py",
        source("""
        from dataclasses import dataclass

        import pandera as pa
        from pydantic import BaseModel


        class Customer(pa.DataFrameModel):
            tenure: int


        @dataclass(frozen=True)
        class Settings:
            seed: int


        class Request(BaseModel, Mixin):
            size: int
    """),
    )
    bases = calls(facts, "base")
    assert set(bases) == {"pandera.DataFrameModel", "pydantic.BaseModel", "Mixin"}
    assert bases["pandera.DataFrameModel"].location.line == 7
    assert bases["pydantic.BaseModel"].location.line == 16
    decorators = calls(facts, "decorator")
    assert set(decorators) == {"dataclasses.dataclass"}
    assert decorators["dataclasses.dataclass"].location.line == 11


def test_toy_dataset_loader_calls_yield_toy_dataset_facts() -> None:
    facts = analyze(
        "explore.py",
        source("""
        import pandas as pd
        import seaborn as sns
        import tensorflow as tf
        from sklearn import datasets
        from sklearn.datasets import load_iris as li

        li()
        datasets.load_wine()
        sns.load_dataset("titanic")
        tf.keras.datasets.mnist.load_data()
        pd.read_csv("sales.csv")
    """),
    )
    toys = sorted(
        (fact.dataset, fact.via, fact.location.line)
        for fact in facts
        if isinstance(fact, ToyDatasetFact)
    )
    assert toys == [
        ("Iris", "loader", 7),
        ("MNIST", "loader", 10),
        ("Wine", "loader", 8),
        ("seaborn sample", "loader", 9),
    ]


# test functions ---------------------------------------------------------------------------
TEST_MODULE = """
    import unittest

    import numpy as np
    import pytest

    from churnwatch.model import train


    def test_plain():
        assert train() is not None
        assert 1 + 1 == 2


    def test_raises():
        with pytest.raises(ValueError):
            train(-1)


    def test_numpy():
        np.testing.assert_allclose(train(), 1.0)


    def test_only_pass():
        pass


    def test_assert_true():
        assert True


    def test_assert_false():
        assert False


    def helper():
        assert train()


    async def test_async():
        assert await train()


    class TestModel:
        def test_method(self):
            assert train() == 1

        def helper(self):
            assert train()


    class ModelCase(unittest.TestCase):
        def test_equal(self):
            self.assertEqual(train(), 1)
            self.assertTrue(train())

        def setUp(self):
            self.assertTrue(True)


    class Helpers:
        def test_not_collected(self):
            assert train()
"""


def test_test_functions_count_their_assertions() -> None:
    found = functions_of(analyze("tests/test_model.py", source(TEST_MODULE), CHURNWATCH))
    assert {name: fact.asserts for name, fact in found.items()} == {
        "test_plain": 2,
        "test_raises": 1,
        "test_numpy": 1,
        "test_only_pass": 0,
        "test_assert_true": 0,
        "test_assert_false": 0,
        "test_async": 1,
        "test_method": 1,
        "test_equal": 2,
    }
    for name in ("test_plain", "test_async", "test_method", "test_equal"):
        assert found[name].location.line == line_of(source(TEST_MODULE), f" {name}("), name


def test_tests_that_assert_nothing_are_placeholders() -> None:
    found = functions_of(analyze("tests/test_model.py", source(TEST_MODULE), CHURNWATCH))
    placeholders = {name for name, fact in found.items() if fact.placeholder}
    assert placeholders == {"test_only_pass", "test_assert_true", "test_assert_false"}
    assert found["test_only_pass"].placeholder == "a test that asserts nothing"
    assert found["test_plain"].placeholder is None
    assert found["test_only_pass"].describe() == "test test_only_pass asserts nothing"


def test_imports_project_tells_whether_the_test_file_uses_the_target() -> None:
    using = functions_of(analyze("tests/test_model.py", source(TEST_MODULE), CHURNWATCH))
    assert all(fact.imports_project for fact in using.values())
    alone = functions_of(
        analyze(
            "tests/test_math.py",
            source("""
        import math


        def test_sqrt():
            assert math.sqrt(4) == 2
    """),
            CHURNWATCH,
        )
    )
    assert alone["test_sqrt"].imports_project is False
    # the project import may come after the test function: the whole file counts
    late = functions_of(
        analyze(
            "tests/test_late.py",
            source("""
        def test_late():
            assert train() == 1


        from churnwatch.model import train
    """),
            CHURNWATCH,
        )
    )
    assert late["test_late"].imports_project is True


def test_test_functions_are_only_reported_in_test_files() -> None:
    code = analyze("src/churnwatch/checks.py", source(TEST_MODULE), CHURNWATCH)
    assert functions_of(code) == {}
    assert module_fact(code).scope == "code"
    test_paths = (
        "test_model.py",
        "src/pkg/model_test.py",
        "src/model_tests.py",
        "tests/helpers.py",
    )
    for path in test_paths:
        facts = analyze(path, source(TEST_MODULE), CHURNWATCH)
        assert "test_plain" in functions_of(facts), path
        assert module_fact(facts).scope == "test"
        assert {fact.scope for fact in facts if isinstance(fact, ImportFact | CallFact)} == {"test"}
    # pytest collects no tests from a conftest.py: it holds fixtures and hooks
    conftest = analyze("tests/conftest.py", source(TEST_MODULE), CHURNWATCH)
    assert module_fact(conftest).scope == "test"
    assert functions_of(conftest) == {}


# course markers, parse failures and line counts -------------------------------------------
def test_course_markers_in_python_text_are_reported_with_their_line() -> None:
    facts = analyze(
        "week2/assignment.py",
        source("""
        import numpy as np

        # GRADED FUNCTION: sigmoid
        def sigmoid(z):
            ### START CODE HERE ###
            return 1 / (1 + np.exp(-z))
    """),
    )
    markers = {
        fact.marker: fact.location.line for fact in facts if isinstance(fact, CourseMarkerFact)
    }
    assert markers == {"graded-function": 3, "start-code-here": 5}


def test_plain_comments_are_not_course_markers() -> None:
    facts = analyze("model.py", "# graded by hand later\n# start here\nx = 1\n")
    assert not [fact for fact in facts if isinstance(fact, CourseMarkerFact)]


def assert_parse_failure(facts: list[Fact], path: str) -> FindingFact:
    module = module_fact(facts)
    assert module.parse_error is True
    assert module.location.path == path
    (finding,) = [fact for fact in facts if isinstance(fact, FindingFact)]
    assert finding.analyzer == "python"
    assert finding.location.path == path
    assert not [fact for fact in facts if isinstance(fact, ImportFact | CallFact)]
    return finding


def test_a_syntax_error_becomes_a_finding_with_its_line() -> None:
    facts = analyze("src/churnwatch/broken.py", "import numpy\n\ndef f(:\n    pass\n")
    finding = assert_parse_failure(facts, "src/churnwatch/broken.py")
    assert finding.message.startswith("syntax error on line 3:")
    module = module_fact(facts)
    assert (module.module, module.scope, module.lines) == ("churnwatch.broken", "code", 4)


def test_null_bytes_become_a_finding() -> None:
    finding = assert_parse_failure(analyze("tests/test_x.py", "x = 1\x00\n"), "tests/test_x.py")
    assert finding.message.startswith(("syntax error", "cannot be parsed"))
    assert "None" not in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "(" * 5000 + ")" * 5000,
        "x = " + "[" * 100_000 + "]" * 100_000,
        "x = " + "+".join(["1"] * 100_000),
        "x = " + "-" * 100_000 + "1",
        "x = a" + ".b" * 100_000,
        "x = f" + "()" * 50_000,
    ],
    ids=["parens", "brackets", "binop-chain", "unary-chain", "attribute-chain", "call-chain"],
)
def test_deeply_nested_expressions_become_a_finding(text: str) -> None:
    finding = assert_parse_failure(analyze("deep.py", text), "deep.py")
    assert finding.message


@pytest.mark.parametrize("depth", [500, 1000, 2000])
def test_nesting_that_parses_but_is_too_deep_to_walk_becomes_a_finding(depth: int) -> None:
    text = "import numpy as np\nx = np.f" + "()" * depth + "\n"
    finding = assert_parse_failure(analyze("deep.py", text), "deep.py")
    assert finding.message.startswith(("nesting too deep", "cannot be parsed"))


def test_moderately_nested_code_is_still_analysed() -> None:
    facts = analyze("wide.py", "import numpy as np\nx = " + "+".join(["np.f(1)"] * 60) + "\n")
    assert module_fact(facts).parse_error is False
    assert set(calls(facts)) == {"numpy.f"}


def test_parse_python_returns_a_module_or_raises_parse_failure() -> None:
    tree = parse_python("import os\n", "m.py")
    assert isinstance(tree, ast.Module)
    assert isinstance(tree.body[0], ast.Import)
    with pytest.raises(ParseFailure, match=r"syntax error on line 1"):
        parse_python("def (:\n", "m.py")
    with pytest.raises(ParseFailure):
        parse_python("(" * 5000, "m.py")


def test_parse_python_does_not_warn_on_odd_escapes() -> None:
    tree = parse_python('pattern = "\\d+"\n', "m.py")  # SyntaxWarning under -W error otherwise
    assert isinstance(tree.body[0], ast.Assign)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", 0),
        ("x = 1", 1),
        ("x = 1\n", 1),
        ("x = 1\ny = 2", 2),
        ("x = 1\ny = 2\n", 2),
        ("\n\n", 2),
        ("x = 1\r\ny = 2\r\n", 2),
    ],
)
def test_line_counts(text: str, lines: int) -> None:
    module = module_fact(analyze("m.py", text))
    assert module.lines == lines
    assert module.parse_error is False


def test_module_fact_names_the_module_or_falls_back_to_the_path() -> None:
    assert module_fact(analyze("src/churnwatch/api.py", "x = 1\n")).module == "churnwatch.api"
    assert module_fact(analyze("my-scripts/run.py", "x = 1\n")).module == "my-scripts/run.py"


def test_wants_only_python_files() -> None:
    analyzer = PythonAnalyzer()

    def entry(path: str) -> FileEntry:
        return FileEntry(path=path, size=1, kind=EntryKind.FILE)

    assert analyzer.wants(entry("src/pkg/model.py"))
    assert analyzer.wants(entry("LEGACY.PY"))
    assert not analyzer.wants(entry("notebook.ipynb"))
    assert not analyzer.wants(entry("stubs/model.pyi"))
    assert not analyzer.wants(entry("README.md"))


# deep evidence: import targets, keywords, coverage, graders, metrics ----------------------
CHURN_PATHS = ProjectLayout.of_paths(
    ["src/churnwatch/__init__.py", "src/churnwatch/api.py", "src/churnwatch/features.py"]
)


def test_project_imports_resolve_to_files() -> None:
    text = source(
        """
        from churnwatch import features
        from churnwatch.api import app
        import churnwatch.features.helpers
        import numpy
        """
    )
    facts = analyze("tests/test_api.py", text, CHURN_PATHS)
    found = imports(facts)
    assert found["churnwatch"].target == "src/churnwatch/__init__.py"
    assert found["churnwatch.features"].target == "src/churnwatch/features.py"  # a submodule import
    assert found["churnwatch.api"].target == "src/churnwatch/api.py"
    # no longer the longest prefix (`features.py`): Python cannot import it, so it is broken
    assert (
        found["churnwatch.features.helpers"].project,
        found["churnwatch.features.helpers"].target,
    ) == (True, None)
    assert found["numpy"].target is None
    assert [f.message for f in facts if isinstance(f, FindingFact)] == [
        "imports churnwatch.features.helpers, which is not in the repository"
    ]


def test_test_functions_record_the_files_they_import() -> None:
    text = source(
        """
        from churnwatch.api import app
        from churnwatch.features import build


        def test_it():
            assert build(app)
        """
    )
    (test,) = functions_of(analyze("tests/test_api.py", text, CHURN_PATHS)).values()
    assert test.covers == ("src/churnwatch/api.py", "src/churnwatch/features.py")


def test_keywords_gather_across_every_call_of_a_name() -> None:
    text = source(
        """
        from sklearn.model_selection import train_test_split

        a = train_test_split(x, test_size=0.2)
        b = train_test_split(x, random_state=42, test_size=0.3)
        c = train_test_split(x, **options)
        """
    )
    split = calls(analyze("src/data.py", text))["sklearn.model_selection.train_test_split"]
    assert split.keywords == ("test_size", "random_state")
    assert split.location.line == 3


def test_a_keyword_given_none_sets_nothing() -> None:
    """`schedule_interval=None` leaves an Airflow DAG unscheduled, and `random_state=None`
    fixes no seed: neither is recorded, while any other value is."""
    text = source(
        """
        from airflow import DAG
        from sklearn.ensemble import RandomForestClassifier

        manual = DAG("backfill", schedule_interval=None, catchup=False)
        model = RandomForestClassifier(n_estimators=100, random_state=None)
        hourly = DAG("score", schedule_interval="@hourly")
        """
    )
    found = calls(analyze("dags/jobs.py", text))
    assert found["airflow.DAG"].keywords == ("catchup", "schedule_interval")
    assert found["sklearn.ensemble.RandomForestClassifier"].keywords == ("n_estimators",)


DLAI_PUBLIC_TESTS = """
    import numpy as np
    from test_utils import single_test, multiple_test


    def sigmoid_test(target):
        x = np.array([0, 2])
        expected_output = np.array([0.5, 0.88079708])
        test_cases = [
            {"name": "datatype_check", "input": [x], "expected": expected_output, "error": "Wrong type"},
            {"name": "equation_output_check", "input": [x], "expected": expected_output, "error": "Wrong output"},
        ]
        multiple_test(test_cases, target)


    def test_initialize(target):
        w, b = target(2)
        assert w.shape == (2, 1)
        print("\\033[92mAll tests passed!")
"""
UDACITY_UNITTESTS = """
    import numpy as np


    def _print_success_message():
        print("Tests Passed")


    def test_normalize(normalize):
        test_shape = (np.random.choice(range(1000)), 32, 32, 3)
        normalize_out = normalize(np.random.choice(range(256), test_shape))
        assert normalize_out.shape == test_shape
        _print_success_message()
"""
PROJECT_TEST_UTILS = """
    import pytest

    from churnwatch.features import build_features


    def test_build_features_adds_ratio():
        frame = build_features({"a": 1, "b": 2})
        assert frame["ratio"] == 0.5
        print("All tests passed!")
"""


@pytest.mark.parametrize(
    ("path", "text", "family"),
    [
        ("Week2/public_tests.py", DLAI_PUBLIC_TESTS, "DeepLearning.AI"),
        ("public_tests.py", DLAI_PUBLIC_TESTS, "DeepLearning.AI"),
        ("utils/checks_test.py", DLAI_PUBLIC_TESTS, "DeepLearning.AI"),
        ("project3/problem_unittests.py", UDACITY_UNITTESTS, "Udacity"),
        ("helpers/grader_tests.py", UDACITY_UNITTESTS, "course grader"),
        (
            "C1W2/test_utils.py",
            "def test_sigmoid(fn=None):\n    assert fn(0) == 0.5\n",
            "DeepLearning.AI",
        ),
    ],
)
def test_course_graders_are_told_by_what_they_do_or_where_they_sit(
    path: str, text: str, family: str
) -> None:
    facts = analyze(path, source(text), CHURN_PATHS)
    tests = functions_of(facts)
    assert tests, "graders show up, as claims only"
    assert {t.placeholder for t in tests.values()} == {"a course grader, not a project test"}
    helper = [
        f for f in facts if isinstance(f, CourseMarkerFact) and f.marker == "course-helper-file"
    ]
    assert [(f.location.path, f.family) for f in helper] == [(path, family)]


@pytest.mark.parametrize(
    "path", ["tests/test_utils.py", "test_utils.py", "tests/public_tests.py", "C4/test_utils.py"]
)
def test_a_test_named_like_a_course_helper_that_tests_the_project_is_a_project_test(
    path: str,
) -> None:
    """Issue 3 took a `test_utils.py` outside a tests folder for a grader, by its name."""
    facts = analyze(path, source(PROJECT_TEST_UTILS), CHURN_PATHS)
    (test,) = functions_of(facts).values()
    assert (test.placeholder, test.asserts, test.imports_project) == (None, 1, True)
    assert test.covers == ("src/churnwatch/features.py",)
    assert not [
        f for f in facts if isinstance(f, CourseMarkerFact) and f.marker == "course-helper-file"
    ]


def test_a_test_without_project_imports_is_no_grader_without_grader_content() -> None:
    text = "import math\n\n\ndef test_sqrt(value=4):\n    assert math.sqrt(value) == 2\n"
    (test,) = functions_of(analyze("test_utils.py", text)).values()
    assert (test.placeholder, test.asserts) == (None, 1)


def test_module_metrics_and_functions_come_from_the_same_parse() -> None:
    text = source(
        '''
        """Scoring."""


        def score(x):  # a comment
            if x > 1 and x < 5:
                return "mid"
            return "edge"
        '''
    )
    facts = analyze("src/score.py", text)
    module = module_fact(facts)
    assert (module.functions, module.classes, module.comments, module.blank) == (1, 0, 1, 2)
    assert module.complexity == 3 and module.maintainability is not None
    (function,) = [fact for fact in facts if isinstance(fact, FunctionFact)]
    assert (function.name, function.complexity, function.rank, function.location.line) == (
        "score",
        3,
        "A",
        4,
    )
