"""The notebook analyzer: real nbformat notebooks, read and never executed."""

from __future__ import annotations

import json
from typing import Any

import nbformat
import pytest
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
    new_raw_cell,
)

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.notebooks import NotebookAnalyzer, read_notebook, strip_magics
from portfolio_check.facts import (
    CallFact,
    CourseMarkerFact,
    Fact,
    FindingFact,
    ImportFact,
    NotebookFact,
    TestFunctionFact,
    ToyDatasetFact,
)
from portfolio_check.snapshot import EntryKind, FileEntry

NO_PROJECT = ProjectLayout(modules=frozenset(), top_level=frozenset())
PATH = "notebooks/Churn.ipynb"


def notebook_text(cells: list[Any], metadata: dict[str, Any] | None = None) -> str:
    notebook = new_notebook(metadata=metadata or {})
    notebook.cells = cells
    return str(nbformat.writes(notebook))


def analyze(text: str, layout: ProjectLayout = NO_PROJECT, path: str = PATH) -> list[Fact]:
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    return list(NotebookAnalyzer().analyze(entry, text, AnalysisContext(layout=layout)))


def imports(facts: list[Fact]) -> dict[str, ImportFact]:
    return {fact.module: fact for fact in facts if isinstance(fact, ImportFact)}


def calls(facts: list[Fact]) -> dict[str, CallFact]:
    return {fact.name: fact for fact in facts if isinstance(fact, CallFact)}


def markers(facts: list[Fact]) -> list[tuple[str, int | None, int | None]]:
    return sorted(
        (
            (fact.marker, fact.location.cell, fact.location.line)
            for fact in facts
            if isinstance(fact, CourseMarkerFact)
        ),
        key=repr,
    )


def summary(facts: list[Fact]) -> NotebookFact:
    (found,) = [fact for fact in facts if isinstance(fact, NotebookFact)]
    return found


def only_finding(facts: list[Fact]) -> FindingFact:
    assert len(facts) == 1, facts
    (finding,) = facts
    assert isinstance(finding, FindingFact)
    assert finding.analyzer == "notebooks"
    assert finding.location.path == PATH
    return finding


# code cells -------------------------------------------------------------------------------
def test_imports_and_calls_carry_notebook_scope_and_their_cell() -> None:
    text = notebook_text(
        [
            new_markdown_cell("# Churn model"),
            new_code_cell("import pandas as pd\n\ndf = pd.read_csv('churn.csv')"),
            new_code_cell(
                "from sklearn.linear_model import LogisticRegression\n"
                "model = LogisticRegression()\n"
                "model.fit(X, y)"
            ),
            new_code_cell("pd.concat([df, df])"),
        ]
    )
    facts = analyze(text)
    found = imports(facts)
    assert {name: (f.location.cell, f.location.line, f.scope) for name, f in found.items()} == {
        "pandas": (2, 1, "notebook"),
        "sklearn.linear_model": (3, 1, "notebook"),
    }
    used = calls(facts)
    assert (used["pandas.read_csv"].location.cell, used["pandas.read_csv"].location.line) == (2, 3)
    fit = used["sklearn.linear_model.LogisticRegression().fit"]
    assert (fit.location.cell, fit.location.line, fit.scope) == (3, 3, "notebook")
    # aliases from earlier cells resolve later ones
    assert used["pandas.concat"].location.cell == 4
    assert all(fact.location.path == PATH for fact in facts)
    assert not [fact for fact in facts if isinstance(fact, TestFunctionFact)]


def test_project_imports_in_notebooks_are_marked() -> None:
    layout = ProjectLayout(
        modules=frozenset({"churnwatch", "churnwatch.features"}),
        top_level=frozenset({"churnwatch"}),
    )
    found = imports(
        analyze(
            notebook_text(
                [
                    new_code_cell(
                        "import numpy as np\nfrom churnwatch.features import build_features"
                    ),
                ]
            ),
            layout,
        )
    )
    assert {name: fact.project for name, fact in found.items()} == {
        "numpy": False,
        "churnwatch.features": True,
    }


def test_one_fact_per_name_per_notebook_at_its_first_cell() -> None:
    facts = analyze(
        notebook_text(
            [
                new_code_cell("import numpy as np\nnp.mean([1])"),
                new_code_cell("import numpy as np\nnp.mean([2])"),
            ]
        )
    )
    assert [(f.module, f.location.cell) for f in facts if isinstance(f, ImportFact)] == [
        ("numpy", 1),
    ]
    assert [(f.name, f.location.cell) for f in facts if isinstance(f, CallFact)] == [
        ("numpy.mean", 1)
    ]


def test_toy_loaders_in_cells_yield_toy_dataset_facts() -> None:
    facts = analyze(
        notebook_text(
            [
                new_markdown_cell("Load data"),
                new_code_cell(
                    "from sklearn.datasets import load_iris\nX, y = load_iris(return_X_y=True)"
                ),
            ]
        )
    )
    toys = [
        (f.dataset, f.via, f.location.cell, f.location.line)
        for f in facts
        if isinstance(f, ToyDatasetFact)
    ]
    assert toys == [("Iris", "loader", 2, 2)]


# magics -----------------------------------------------------------------------------------
def test_magics_shell_escapes_and_help_lines_are_dropped_without_shifting_lines() -> None:
    cell = (
        "%matplotlib inline\n"
        "!pip install seaborn\n"
        "import seaborn as sns\n"
        "df?\n"
        "sns.load_dataset('tips')\n"
        "  %time sns.set_theme()\n"
        "np.load??\n"
        "sns.histplot(df)"
    )
    facts = analyze(notebook_text([new_code_cell(cell)]))
    assert imports(facts)["seaborn"].location.line == 3
    used = calls(facts)
    assert used["seaborn.load_dataset"].location.line == 5
    assert used["seaborn.histplot"].location.line == 8
    assert "seaborn.set_theme" not in used  # it only appeared on a magic line
    assert [f.dataset for f in facts if isinstance(f, ToyDatasetFact)] == ["seaborn sample"]


def test_a_cell_magic_line_is_dropped_and_the_python_below_is_kept() -> None:
    facts = analyze(notebook_text([new_code_cell("%%time\nimport numpy as np\nnp.zeros(3)")]))
    assert imports(facts)["numpy"].location.line == 2
    assert calls(facts)["numpy.zeros"].location.line == 3


def test_strip_magics_blanks_magic_lines_and_keeps_the_line_count() -> None:
    cell = "%matplotlib inline\n!ls data\n?np.load\nimport os\ndf.head?\nnp.*load*??\nx = 1"
    stripped = strip_magics(cell)
    assert stripped.split("\n") == ["", "", "", "import os", "", "", "x = 1"]


@pytest.mark.parametrize(
    "line",
    [
        "model.fit(X, y)  # is this overfitting?",
        'question = """Does it work?',
        "x = a if b else c  # why?",
    ],
)
def test_strip_magics_keeps_python_lines_that_merely_end_with_a_question_mark(line: str) -> None:
    assert strip_magics(f"import os\n{line}\n") == f"import os\n{line}\n"


def test_a_trailing_comment_question_does_not_hide_a_call() -> None:
    facts = analyze(
        notebook_text(
            [
                new_code_cell("import pandas as pd\ndf = pd.read_csv('x.csv')  # right file?"),
            ]
        )
    )
    assert calls(facts)["pandas.read_csv"].location.line == 2


def test_strip_magics_splits_lines_as_python_does() -> None:
    # form feeds and U+2028 are not line breaks to Python; \r\n and \r are
    source = "import os\x0c\ns = 'a\u2028b'\r\n%time x\rimport re"
    assert strip_magics(source) == "import os\x0c\ns = 'a\u2028b'\n\nimport re"
    facts = analyze(notebook_text([new_code_cell(source)]))
    assert {name: fact.location.line for name, fact in imports(facts).items()} == {
        "os": 1,
        "re": 4,
    }


def test_a_cell_with_ipython_only_syntax_does_not_stop_other_cells() -> None:
    facts = analyze(
        notebook_text(
            [
                new_code_cell("import numpy as np"),
                new_code_cell("%%bash\nfor f in *.csv; do echo $f; done"),
                new_code_cell("def broken(:\n    pass"),
                new_code_cell("x = " + "+".join(["1"] * 800)),  # parses, but too deep to walk
                new_code_cell("import pandas as pd\npd.read_csv('x.csv')"),
            ]
        )
    )
    assert {name: fact.location.cell for name, fact in imports(facts).items()} == {
        "numpy": 1,
        "pandas": 5,
    }
    assert calls(facts)["pandas.read_csv"].location.cell == 5
    assert not [fact for fact in facts if isinstance(fact, FindingFact)]
    assert summary(facts).code_cells == 5


# counts -----------------------------------------------------------------------------------
def test_notebook_fact_counts_cells_executions_and_errors() -> None:
    executed = new_code_cell("print('hi')", execution_count=1)
    executed.outputs = [new_output("stream", name="stdout", text="hi\n")]
    failed = new_code_cell("1 / 0", execution_count=2)
    failed.outputs = [
        new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=[]),
    ]
    never_run = new_code_cell("x = 1")
    text = notebook_text(
        [
            new_markdown_cell("# Title"),
            executed,
            new_markdown_cell("Notes"),
            failed,
            never_run,
            new_raw_cell("raw text"),
        ]
    )
    fact = summary(analyze(text))
    assert (fact.code_cells, fact.markdown_cells, fact.executed_cells, fact.error_outputs) == (
        3,
        2,
        2,
        1,
    )
    assert fact.placeholder is None
    assert fact.location.path == PATH
    assert fact.location.cell is None


def test_an_empty_notebook_is_a_placeholder() -> None:
    facts = analyze(notebook_text([]))
    assert len(facts) == 1
    fact = summary(facts)
    assert (fact.code_cells, fact.markdown_cells) == (0, 0)
    assert fact.placeholder == "an empty notebook"


def test_cell_numbers_count_every_cell_type() -> None:
    facts = analyze(
        notebook_text(
            [
                new_raw_cell("raw"),
                new_markdown_cell("md"),
                new_code_cell("import mlflow"),
            ]
        )
    )
    assert imports(facts)["mlflow"].location.cell == 3


# course markers ---------------------------------------------------------------------------
def test_course_markers_in_cell_sources_with_cell_and_line() -> None:
    facts = analyze(
        notebook_text(
            [
                new_markdown_cell("# Logistic regression\n\n**Expected Output**: 0.5"),
                new_code_cell(
                    "# UNQ_C1\n# GRADED FUNCTION: sigmoid\ndef sigmoid(z):\n    return z"
                ),
                new_code_cell("# GRADED FUNCTION: cost\n# GRADED FUNCTION: cost again"),
            ]
        )
    )
    assert markers(facts) == sorted(
        [
            ("expected-output", 1, 3),
            ("unique-cell-id", 2, 1),
            ("graded-function", 2, 2),
            ("graded-function", 3, 1),  # once per kind per cell: line 2 of cell 3 is not repeated
        ],
        key=repr,
    )
    graded = next(
        f
        for f in facts
        if isinstance(f, CourseMarkerFact)
        and f.location.cell == 2
        and f.marker == "graded-function"
    )
    assert graded.family == "DeepLearning.AI"
    assert graded.text == "# GRADED FUNCTION: sigmoid"


def test_course_markers_in_stream_outputs_only() -> None:
    passed = new_code_cell("sigmoid_test(sigmoid)", execution_count=4)
    passed.outputs = [new_output("stream", name="stdout", text="\x1b[92mAll tests passed!\n")]
    shown = new_code_cell("summary()", execution_count=5)
    shown.outputs = [
        new_output("execute_result", data={"text/plain": "'All tests passed!'"}, execution_count=5),
    ]
    facts = analyze(notebook_text([new_markdown_cell("Run the tests"), passed, shown]))
    found = [f for f in facts if isinstance(f, CourseMarkerFact)]
    assert [(f.marker, f.location.cell, f.location.line) for f in found] == [
        ("all-tests-passed", 2, 1),
    ]
    assert found[0].family == "DeepLearning.AI"


def test_course_markers_in_notebook_and_cell_metadata() -> None:
    graded = new_code_cell("def f():\n    return 1")
    graded.metadata["nbgrader"] = {"grade": True, "grade_id": "cell-1", "solution": True}
    text = notebook_text(
        [new_markdown_cell("intro"), graded],
        metadata={"coursera": {"course_slug": "machine-learning", "graded_item_id": "ZBe4f"}},
    )
    found = {f.marker: f for f in analyze(text) if isinstance(f, CourseMarkerFact)}
    assert set(found) == {"coursera-metadata", "nbgrader-metadata"}
    coursera = found["coursera-metadata"]
    assert (coursera.family, coursera.text, coursera.location.cell) == (
        "Coursera",
        'metadata "coursera"',
        None,
    )
    nbgrader = found["nbgrader-metadata"]
    assert (nbgrader.family, nbgrader.text, nbgrader.location.cell) == (
        "nbgrader",
        'metadata "nbgrader"',
        2,
    )


def test_an_ordinary_notebook_has_no_course_markers() -> None:
    run = new_code_cell("import pandas as pd\nprint('done')", execution_count=1)
    run.outputs = [new_output("stream", name="stdout", text="done\n")]
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    facts = analyze(
        notebook_text([new_markdown_cell("# EDA\n\nWhat drives churn?"), run], metadata=kernel)
    )
    assert markers(facts) == []


# malformed notebooks ----------------------------------------------------------------------
GOOD = notebook_text([new_code_cell("import numpy as np\nnp.zeros(3)")])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "notebook not valid JSON"),
        (GOOD[: len(GOOD) // 2], "notebook not valid JSON"),
        ("", "notebook not valid JSON"),
    ],
    ids=["invalid-json", "truncated", "empty-file"],
)
def test_unparseable_json_becomes_a_finding(text: str, message: str) -> None:
    assert only_finding(analyze(text)).message == message


@pytest.mark.parametrize(
    "text",
    [
        json.dumps([1, 2, 3]),
        json.dumps({"metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        json.dumps({"cells": 5, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        json.dumps({"cells": [1, None], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        json.dumps({"cells": [], "metadata": {}, "nbformat": 5, "nbformat_minor": 0}),
        "null",
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=[
        "json-list",
        "no-cells",
        "cells-not-a-list",
        "cells-not-dicts",
        "future-major",
        "null",
        "deep-json",
    ],
)
def test_json_that_is_not_a_notebook_becomes_a_finding(text: str) -> None:
    assert only_finding(analyze(text)).message.startswith("notebook not a readable notebook (")


V3_NOTEBOOK = {
    "metadata": {"name": "", "coursera": {"course_slug": "ml"}},
    "nbformat": 3,
    "nbformat_minor": 0,
    "worksheets": [
        {
            "metadata": {},
            "cells": [
                {"cell_type": "heading", "level": 1, "source": ["Titanic"], "metadata": {}},
                {
                    "cell_type": "code",
                    "language": "python",
                    "prompt_number": 3,
                    "metadata": {},
                    "input": ["import pandas as pd\n", "df = pd.read_csv('titanic.csv')"],
                    "outputs": [
                        {
                            "output_type": "stream",
                            "stream": "stdout",
                            "text": ["All tests passed!\n"],
                        },
                        {
                            "output_type": "pyerr",
                            "ename": "ValueError",
                            "evalue": "x",
                            "traceback": [],
                        },
                    ],
                },
                {"cell_type": "markdown", "source": "Some notes", "metadata": {}},
            ],
        }
    ],
}


def test_an_nbformat_v3_notebook_is_converted_and_analysed() -> None:
    facts = analyze(json.dumps(V3_NOTEBOOK))
    assert not [fact for fact in facts if isinstance(fact, FindingFact)]
    found = imports(facts)
    assert (found["pandas"].location.cell, found["pandas"].location.line) == (2, 1)
    assert calls(facts)["pandas.read_csv"].location.line == 2
    fact = summary(facts)  # the heading cell becomes markdown, pyerr an error output
    assert (fact.code_cells, fact.markdown_cells, fact.executed_cells, fact.error_outputs) == (
        1,
        2,
        1,
        1,
    )
    assert markers(facts) == sorted(
        [("coursera-metadata", None, None), ("all-tests-passed", 2, 1)], key=repr
    )


def test_a_notebook_that_breaks_the_schema_is_still_analysed() -> None:
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "source": ["import torch\n", "torch.manual_seed(0)"],
                "metadata": {},
                "outputs": [{"output_type": "unknown"}],
                "execution_count": None,
                "extra_key": True,
            }
        ],
        "metadata": {"kernelspec": {"name": "python3"}},  # no display_name
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    facts = analyze(json.dumps(notebook))
    assert imports(facts)["torch"].location.cell == 1
    assert calls(facts)["torch.manual_seed"].location.line == 2
    assert summary(facts).code_cells == 1


def test_read_notebook_upgrades_to_v4_and_rejects_non_notebooks() -> None:
    notebook = read_notebook(json.dumps(V3_NOTEBOOK))
    assert notebook.nbformat == 4
    assert [cell.cell_type for cell in notebook.cells] == ["markdown", "code", "markdown"]
    with pytest.raises(ValueError, match="not valid JSON"):
        read_notebook("{")
    with pytest.raises(ValueError, match="not a readable notebook"):
        read_notebook("[]")


def test_wants_only_notebooks() -> None:
    analyzer = NotebookAnalyzer()
    assert analyzer.wants(FileEntry(path="a/Eda.IPYNB", size=1, kind=EntryKind.FILE))
    assert not analyzer.wants(FileEntry(path="a/eda.py", size=1, kind=EntryKind.FILE))
    assert not analyzer.wants(FileEntry(path="a/eda.ipynb.json", size=1, kind=EntryKind.FILE))
