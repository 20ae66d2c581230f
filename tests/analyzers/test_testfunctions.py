"""What a test checks: its own asserts, checking calls, the helpers of its module it calls,
fixtures that are not tests, and docstring examples."""

from __future__ import annotations

import textwrap

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.python import PythonAnalyzer
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.model.facts import Fact, TestFunctionFact

LAYOUT = ProjectLayout.of_paths(
    [
        "text_recognizer/__init__.py",
        "text_recognizer/paragraph_text_recognizer.py",
        "text_recognizer/lit_models/util.py",
    ]
)


def analyze(path: str, text: str) -> list[Fact]:
    text = textwrap.dedent(text).lstrip("\n")
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    return list(PythonAnalyzer().analyze(entry, text, AnalysisContext(layout=LAYOUT)))


def checks(path: str, text: str) -> dict[str, int]:
    return {
        fact.name: fact.asserts
        for fact in analyze(path, text)
        if isinstance(fact, TestFunctionFact) and not fact.doctest
    }


def test_a_test_that_checks_through_a_helper_of_its_module_asserts() -> None:
    """The test loops over sample images and calls a module-level helper that asserts the
    prediction; it asserts nothing itself."""
    found = checks(
        "text_recognizer/tests/test_paragraph_text_recognizer.py",
        """
        from text_recognizer.paragraph_text_recognizer import ParagraphTextRecognizer


        def test_paragraph_text_recognizer():
            recognizer = ParagraphTextRecognizer()
            for name, expected in SAMPLES.items():
                predicted = _test_one_image(name, expected, recognizer)
                print(f"{name}: {predicted}")


        def _test_one_image(name, expected, recognizer):
            predicted = recognizer.predict(name)
            assert predicted == expected, f"wrong text for {name}"
            return predicted


        def test_print_only():
            print(ParagraphTextRecognizer())
        """,
    )
    assert found == {"test_paragraph_text_recognizer": 1, "test_print_only": 0}


def test_helpers_are_followed_a_few_calls_deep_and_counted_once() -> None:
    found = checks(
        "tests/test_frames.py",
        """
        def _assert_frame(frame):
            assert not frame.empty
            _check_columns(frame)


        def _check_columns(frame):
            assert list(frame.columns) == ["a", "b"]
            _too_deep(frame)


        def _too_deep(frame):
            _deeper(frame)


        def _deeper(frame):
            _deepest(frame)


        def _deepest(frame):
            assert frame is not None


        def check_nothing(frame):
            print(frame)  # named like a check, checks nothing


        def recursive(n):
            return recursive(n - 1)


        def test_frame():
            _assert_frame(load())
            _assert_frame(load(2))
            check_nothing(load())
            recursive(3)


        class TestModel:
            def _assert_valid(self, model):
                self.assertIsNotNone(model)

            def test_fit(self):
                self._assert_valid(fit())
        """,
    )
    assert found == {"test_frame": 2, "test_fit": 1}  # `_deepest` is past the bound


def test_checking_calls_count_as_assertions() -> None:
    found = checks(
        "tests/test_cli.py",
        """
        import subprocess
        import unittest
        import warnings

        import numpy as np
        import pandas as pd
        import pytest
        from numpy.testing import assert_allclose
        from unittest import mock


        def test_train_command_succeeds():
            subprocess.run(["python", "-m", "churn.train", "--smoke"], check=True)


        def test_train_command_only_runs():
            subprocess.run(["python", "-m", "churn.train"])


        def test_check_call():
            subprocess.check_call(["churn", "--help"])
            subprocess.check_output(["churn", "--version"])


        def test_raises_and_warns():
            with pytest.raises(ValueError):
                parse("")
            with pytest.warns(UserWarning):
                warnings.warn("x", UserWarning)


        def test_numeric():
            np.testing.assert_array_equal(predict([1]), [0])
            pd.testing.assert_frame_equal(frame(), frame())
            assert_allclose(score(), 0.9, rtol=0.1)


        def test_mocked_client():
            client = mock.Mock()
            send(client)
            client.post.assert_called_once()


        def test_checkpoint_is_no_check():
            model.checkpoint()
            expected_rows(3)


        class TestParse(unittest.TestCase):
            def test_parse(self):
                self.assertEqual(parse("1"), 1)
                self.assertRaises(ValueError, parse, "")

            def test_fails(self):
                if broken():
                    self.fail("broken")
        """,
    )
    assert found == {
        "test_train_command_succeeds": 1,
        "test_train_command_only_runs": 0,
        "test_check_call": 2,
        "test_raises_and_warns": 2,
        "test_numeric": 3,
        "test_mocked_client": 1,
        "test_checkpoint_is_no_check": 0,
        "test_parse": 2,
        "test_fails": 1,
    }


def test_fixtures_are_not_tests_even_when_named_like_them() -> None:
    found = checks(
        "tests/test_api.py",
        """
        import pytest
        import pytest_asyncio
        from pytest import fixture


        @pytest.fixture
        def test_client():
            return make_client()


        @pytest.fixture(scope="session")
        def test_collection_name():
            return "test_collection"


        @fixture
        def test_data():
            return [1, 2]


        @pytest_asyncio.fixture
        async def test_db():
            yield connect()


        def test_health(test_client):
            assert test_client.get("/health").status_code == 200


        class TestApi:
            @pytest.fixture
            def test_payload(self):
                return {}

            def test_predict(self, test_client, test_payload):
                assert test_client.post("/predict", json=test_payload).ok
        """,
    )
    assert found == {"test_health": 1, "test_predict": 1}


def test_conftest_fixtures_are_not_tests() -> None:
    facts = analyze(
        "tests/conftest.py",
        """
        import pytest


        @pytest.fixture
        def test_collection_name():
            return "x"


        def test_looks_like_a_test():
            assert True
        """,
    )
    assert not [f for f in facts if isinstance(f, TestFunctionFact)]


def test_docstring_examples_are_doctests_of_their_module() -> None:
    facts = analyze(
        "text_recognizer/lit_models/util.py",
        '''
        """Utilities.

        >>> import torch
        """


        def first_appearance(x, element):
            """Index of the first appearance of element in each row.

            >>> first_appearance(torch.tensor([[1, 2, 3], [2, 3, 3]]), 3)
            tensor([2, 1])
            >>> first_appearance(torch.tensor([1, 2, 3]),
            ...                  1, dim=0)
            tensor(0)
            """


        def replace_after(x, element, value):
            """Replace after the first appearance; no example here."""
        ''',
    )
    doctests = {f.name: f for f in facts if isinstance(f, TestFunctionFact) and f.doctest}
    assert set(doctests) == {"module", "first_appearance"}
    example = doctests["first_appearance"]
    assert (example.asserts, example.location.line, example.placeholder) == (2, 7, None)
    assert (example.imports_project, example.covers) == (
        True,
        ("text_recognizer/lit_models/util.py",),
    )
    assert example.describe() == "doctest of first_appearance with 2 assertions"
    assert doctests["module"].placeholder == "a test that asserts nothing"  # no output checked


def test_doctests_are_not_read_in_tests_or_prose() -> None:
    text = '''
    def test_x():
        """>>> 1 + 1
        2
        """
        assert True
    '''
    assert not [
        f for f in analyze("tests/test_x.py", text) if isinstance(f, TestFunctionFact) and f.doctest
    ]
