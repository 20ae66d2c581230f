"""The notebook analyzer: real nbformat notebooks, read and never executed."""

from __future__ import annotations

import json
from pathlib import Path
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
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.model.facts import (
    CallFact,
    CourseMarkerFact,
    Fact,
    FindingFact,
    HardcodedPathFact,
    ImportFact,
    NotebookAnalysisFact,
    NotebookFact,
    TestFunctionFact,
    ToyDatasetFact,
)
from tests.lazy_imports import imported_by_scan
from tests.repos import RepoBuilder

NO_PROJECT = ProjectLayout()
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
    layout = ProjectLayout.of_paths(["churnwatch/__init__.py", "churnwatch/features.py"])
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
    # it is analysed; the only findings are the version and the pyerr output left in
    assert [
        (fact.message, fact.location.cell) for fact in facts if isinstance(fact, FindingFact)
    ] == [
        ("notebook uses nbformat 3; read after conversion to version 4", None),
        ("notebook has 1 cell with error outputs left in", 2),
    ]
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


# execution order --------------------------------------------------------------------------
def code_cells(*cells: tuple[str, int | None]) -> list[Any]:
    return [new_code_cell(source, execution_count=count) for source, count in cells]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([], "never"),
        ([("x = 1", None), ("y = 2", None)], "never"),
        ([("", 5), ("x = 1", None)], "never"),  # only an empty cell ran
        ([("x = 1", 1), ("y = 2", 2), ("z = 3", 3)], "linear"),
        ([("x = 1", 1), ("y = 2", 4), ("z = 3", 9)], "linear"),  # gaps are fine
        ([("x = 1", 1), ("", None), ("  \n", None), ("y = 2", 2)], "linear"),
        ([("x = 1", 1), ("", 7), ("y = 2", 2)], "linear"),  # an empty cell's count is ignored
        ([("x = 1", 1), ("y = 2", 2), ("z = 3", None)], "partial"),
        ([("x = 1", None), ("y = 2", 3), ("z = 3", 4)], "partial"),
        ([("x = 1", 1), ("y = 2", 4), ("z = 3", 3)], "non-linear"),  # cell 2 re-run last
        ([("x = 1", 2), ("y = 2", 2)], "non-linear"),
        ([("x = 1", 2), ("y = 2", None), ("z = 3", 1)], "non-linear"),
    ],
    ids=[
        "no-cells",
        "none-ran",
        "only-empty-ran",
        "linear",
        "linear-with-gaps",
        "empty-unrun-cells-ignored",
        "empty-run-cell-ignored",
        "partial-tail",
        "partial-head",
        "re-run",
        "same-count",
        "out-of-order-and-unrun",
    ],
)
def test_execution_order_from_execution_counts(
    cells: list[tuple[str, int | None]], expected: str
) -> None:
    assert summary(analyze(notebook_text(code_cells(*cells)))).execution == expected


def test_execution_counts_that_are_not_numbers_mean_not_run() -> None:
    cell = {
        "cell_type": "code",
        "source": "x = 1",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
    }
    notebook = {
        "cells": [{**cell, "execution_count": 1}, {**cell, "execution_count": "2"}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    fact = summary(analyze(json.dumps(notebook)))
    assert (fact.execution, fact.executed_cells) == ("partial", 1)


# output size ------------------------------------------------------------------------------
def test_output_bytes_grow_with_each_output_payload() -> None:
    cell = new_code_cell("run()", execution_count=1)
    sizes = [summary(analyze(notebook_text([cell]))).output_bytes]
    cell.outputs.append(new_output("stream", name="stdout", text="hello\n"))  # 6
    sizes.append(summary(analyze(notebook_text([cell]))).output_bytes)
    cell.outputs.append(
        new_output("execute_result", data={"text/plain": "42"}, execution_count=1)
    )  # "text/plain" + "42"
    sizes.append(summary(analyze(notebook_text([cell]))).output_bytes)
    cell.outputs.append(
        new_output("error", ename="ValueError", evalue="bad", traceback=["a", "bc"])
    )  # 10 + 3 + 3
    sizes.append(summary(analyze(notebook_text([cell]))).output_bytes)
    cell.outputs.append(new_output("stream", name="stderr", text="é"))  # 2 bytes in UTF-8
    sizes.append(summary(analyze(notebook_text([cell]))).output_bytes)
    assert sizes == [0, 6, 18, 34, 36]


def test_output_bytes_sum_over_cells_and_walk_json_data() -> None:
    first = new_code_cell("a()", execution_count=1)
    first.outputs = [new_output("stream", name="stdout", text="abc")]
    second = new_code_cell("b()", execution_count=2)
    second.outputs = [
        new_output("display_data", data={"application/json": {"k": [1, None, True, "é"]}}),
    ]
    text = notebook_text([first, new_markdown_cell("between"), second])
    # 3 + len("application/json") + "k" + "1" + "null" + "true" + 2 bytes of "é"
    assert summary(analyze(text)).output_bytes == 3 + 16 + 1 + 1 + 4 + 4 + 2


def test_a_notebook_with_megabytes_of_outputs_is_measured() -> None:
    image = "iVBORw0KGgo" + "A" * 499_989  # 500,000 characters of base64
    cells = []
    for number in range(1, 11):
        cell = new_code_cell(f"plot({number})", execution_count=number)
        cell.outputs = [
            new_output("display_data", data={"image/png": image, "text/plain": "<Figure>"}),
            new_output("stream", name="stdout", text="epoch done\n" * 1000),
        ]
        cells.append(cell)
    text = notebook_text(cells)
    assert len(text) > 5_000_000
    fact = summary(analyze(text))
    per_cell = len("image/png") + 500_000 + len("text/plain") + len("<Figure>") + 11_000
    assert fact.output_bytes == 10 * per_cell
    assert (fact.code_cells, fact.execution) == (10, "linear")


# hard-coded paths -------------------------------------------------------------------------
def paths(facts: list[Fact]) -> list[tuple[str, int | None, int | None]]:
    return [
        (fact.text, fact.location.cell, fact.location.line)
        for fact in facts
        if isinstance(fact, HardcodedPathFact)
    ]


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ('pd.read_csv("/home/ada/data/train.csv")', "/home/ada/data/train.csv"),
        ('pd.read_csv(r"C:\\Users\\ada\\x.csv")', "C:\\Users\\ada\\x.csv"),
        ('pd.read_csv("C:\\\\Users\\\\ada\\\\x.csv")', "C:\\Users\\ada\\x.csv"),
        ('open("C:/Users/ada/x.csv")', "C:/Users/ada/x.csv"),
        ('df = pd.read_csv("/content/drive/MyDrive/x.csv")', "/content/drive/MyDrive/x.csv"),
        ('TRAIN = "/kaggle/input/titanic/train.csv"', "/kaggle/input/titanic/train.csv"),
        ('load("/Users/ada/Desktop/My Data/x.csv")', "/Users/ada/Desktop/My Data/x.csv"),
        ('save("/tmp/model.pkl")', "/tmp/model.pkl"),
        ('root = "/mnt/data/"', "/mnt/data/"),
        ('pd.read_csv(f"/home/{user}/x.csv")', "/home/{...}/x.csv"),
    ],
)
def test_absolute_paths_in_string_literals(source: str, path: str) -> None:
    facts = analyze(notebook_text([new_code_cell(source)]))
    assert paths(facts) == [(path, 1, 1)]
    assert summary(facts).absolute_paths == 1


@pytest.mark.parametrize(
    "source",
    [
        'requests.get("https://example.com/a/b")',
        'requests.get("file:///home/ada/x.csv")',
        '@app.post("/predict")\ndef predict(): ...',
        'requests.post("/api/v1/predict")',
        'pd.read_csv("data/train.csv")',
        'pd.read_csv("./data/train.csv")',
        'x = "/"',
        'x = "/home"',
        'x = "/home/"',
        'x = "C:"',
        'pattern = r"\\d:\\d+"',
        'note = "see /home/ada/x.csv for the data"',
        'doc = """Data lives in\n/home/ada/x.csv\n"""',
        "# pd.read_csv('/home/ada/x.csv')",
        "%cd /content/drive/MyDrive\n!ls /kaggle/input/titanic",
        'data = b"/home/ada/x.csv"',
    ],
    ids=[
        "url",
        "file-url",
        "route",
        "api-route",
        "relative",
        "dot-relative",
        "root",
        "bare-known-root",
        "bare-known-root-slash",
        "bare-drive",
        "regex",
        "path-inside-prose",
        "multi-line-string",
        "comment",
        "magics",
        "bytes",
    ],
)
def test_strings_that_are_not_absolute_paths(source: str) -> None:
    facts = analyze(notebook_text([new_code_cell(source)]))
    assert paths(facts) == []
    assert summary(facts).absolute_paths == 0


def test_path_facts_carry_cell_and_line_within_the_cell() -> None:
    facts = analyze(
        notebook_text(
            [
                new_markdown_cell("Paths like /home/ada/x.csv in markdown do not count"),
                new_code_cell("import pandas as pd"),
                new_code_cell(
                    "%matplotlib inline\n"
                    "df = pd.read_csv(\n"
                    "    '/kaggle/input/titanic/train.csv'\n"
                    ")\n"
                    "df.to_csv('/kaggle/working/out.csv')"
                ),
            ]
        )
    )
    assert paths(facts) == [
        ("/kaggle/input/titanic/train.csv", 3, 3),
        ("/kaggle/working/out.csv", 3, 5),
    ]
    assert summary(facts).absolute_paths == 2


def test_at_most_five_path_facts_but_every_path_is_counted() -> None:
    facts = analyze(
        notebook_text(
            [
                new_code_cell("\n".join(f"f{n} = '/data/raw/part{n}.csv'" for n in range(4))),
                new_code_cell("a = '/tmp/a.pkl'\nb = '/tmp/b.pkl'\nc = '/tmp/c.pkl'"),
            ]
        )
    )
    assert paths(facts) == [
        ("/data/raw/part0.csv", 1, 1),
        ("/data/raw/part1.csv", 1, 2),
        ("/data/raw/part2.csv", 1, 3),
        ("/data/raw/part3.csv", 1, 4),
        ("/tmp/a.pkl", 2, 1),
    ]
    assert summary(facts).absolute_paths == 7


def test_a_long_path_is_shortened_in_its_fact() -> None:
    long_path = "/home/ada/" + "/".join(["folder"] * 40) + "/x.csv"
    facts = analyze(notebook_text([new_code_cell(f"load({long_path!r})")]))
    ((text, _, _),) = paths(facts)
    assert len(text) == 120
    assert text.startswith("/home/ada/folder/")
    assert text.endswith("…")
    assert summary(facts).absolute_paths == 1


def test_paths_in_a_cell_that_does_not_parse_are_not_counted_but_other_cells_are() -> None:
    facts = analyze(
        notebook_text(
            [
                new_code_cell("def broken(:\n    open('/home/ada/x.csv')"),
                new_code_cell("open('/home/ada/y.csv')"),
            ]
        )
    )
    assert paths(facts) == [("/home/ada/y.csv", 2, 1)]


# code lines and emptiness -----------------------------------------------------------------
def test_code_lines_count_non_blank_code_lines_after_magics() -> None:
    facts = analyze(
        notebook_text(
            [
                new_markdown_cell("# Title\n\nSome prose\nover lines"),
                new_code_cell("%matplotlib inline\nimport os\n\n   \nx = 1\n# a comment\n"),
                new_code_cell("!pip install pandas\n%load_ext autoreload"),
                new_code_cell("def broken(:\n    pass"),  # unparsable lines still count
                new_code_cell(""),
            ]
        )
    )
    assert summary(facts).code_lines == 3 + 0 + 2 + 0


def test_a_notebook_whose_cells_are_all_blank_is_a_placeholder() -> None:
    blank = summary(
        analyze(notebook_text([new_code_cell(""), new_markdown_cell("  \n"), new_raw_cell("x")]))
    )
    assert (blank.code_cells, blank.markdown_cells) == (1, 1)
    assert blank.placeholder == "an empty notebook"
    prose_only = summary(analyze(notebook_text([new_code_cell(""), new_markdown_cell("# Plan")])))
    assert prose_only.placeholder is None


# hygiene findings -------------------------------------------------------------------------
def findings(facts: list[Fact]) -> list[tuple[str, int | None]]:
    return [
        (fact.message, fact.location.cell)
        for fact in facts
        if isinstance(fact, FindingFact) and fact.location.path == PATH
    ]


def errored(source: str, count: int, errors: int) -> Any:
    cell = new_code_cell(source, execution_count=count)
    cell.outputs = [new_output("stream", name="stdout", text="start\n")] + [
        new_output("error", ename="KeyError", evalue="'x'", traceback=["KeyError: 'x'"])
        for _ in range(errors)
    ]
    return cell


def test_cells_with_error_outputs_give_one_finding_at_the_first() -> None:
    facts = analyze(
        notebook_text(
            [
                new_markdown_cell("# Model"),
                new_code_cell("x = 1", execution_count=1),
                errored("df['x']", 2, errors=1),
                errored("df['x'].mean()", 3, errors=2),
            ]
        )
    )
    assert findings(facts) == [("notebook has 2 cells with error outputs left in", 3)]
    assert summary(facts).error_outputs == 3


def test_one_cell_with_an_error_output() -> None:
    facts = analyze(notebook_text([errored("1 / 0", 1, errors=1), new_code_cell("y = 2")]))
    assert findings(facts) == [("notebook has 1 cell with error outputs left in", 1)]


def test_a_notebook_without_error_outputs_has_no_finding() -> None:
    run = new_code_cell("print('ok')", execution_count=1)
    run.outputs = [new_output("stream", name="stderr", text="Traceback (most recent call last)\n")]
    assert findings(analyze(notebook_text([run]))) == []


def test_an_nbformat_v3_notebook_gives_a_version_finding_and_is_still_read() -> None:
    notebook = json.loads(json.dumps(V3_NOTEBOOK))
    (worksheet,) = notebook["worksheets"]
    worksheet["cells"][1]["outputs"] = []  # no error output: only the version finding
    facts = analyze(json.dumps(notebook))
    assert findings(facts) == [
        ("notebook uses nbformat 3; read after conversion to version 4", None)
    ]
    fact = summary(facts)
    assert (fact.code_cells, fact.execution, fact.code_lines) == (1, "linear", 2)


def test_a_v4_notebook_claiming_an_original_version_gets_no_version_finding() -> None:
    # nbformat drops `orig_nbformat` when it reads a file; only a conversion sets it
    text = notebook_text([new_code_cell("x = 1")], metadata={"orig_nbformat": 3})
    assert findings(analyze(text)) == []


# written analysis beside evaluation output ------------------------------------------------
REPORT = """              precision    recall  f1-score   support

           0       0.91      0.95      0.93      1034
           1       0.71      0.58      0.64       375

    accuracy                           0.87      1409
"""


def evaluated(notes: str, output: str = REPORT) -> list[Fact]:
    """A notebook whose evaluation cell prints `output`, followed by Markdown `notes`."""
    evaluation = new_code_cell("print(classification_report(y_test, model.predict(X_test)))")
    evaluation.execution_count = 3
    evaluation.outputs = [new_output("stream", name="stdout", text=output)]
    return analyze(
        notebook_text(
            [
                new_markdown_cell("## Evaluation on the held-out month"),
                new_code_cell("model = train(X_train, y_train)"),
                evaluation,
                new_markdown_cell(notes),
            ]
        )
    )


def analysis(facts: list[Fact]) -> list[NotebookAnalysisFact]:
    return [fact for fact in facts if isinstance(fact, NotebookAnalysisFact)]


def test_notes_that_read_the_printed_report_are_written_analysis() -> None:
    (fact,) = analysis(
        evaluated(
            "Churners (class 1) are the weak spot: recall 0.58 against 0.95 for the rest, so "
            "four in ten churners are missed. Most false negatives are annual-plan customers."
        )
    )
    assert fact.location.cell == 4
    assert fact.heading == "Evaluation on the held-out month"
    assert fact.cites_outputs
    assert set(fact.output_metrics) >= {"accuracy", "f1", "precision", "recall"}
    assert (fact.readings, fact.compares, fact.failure_cases) == (1, True, True)


def test_notes_that_quote_no_number_do_not_cite_the_output() -> None:
    (fact,) = analysis(evaluated("Not bad for a first model; let's try a bigger one next."))
    assert (fact.cites_outputs, fact.readings) == (False, 0)


def test_markdown_away_from_evaluation_output_is_not_read() -> None:
    # a lab's narration between cells that print no metrics
    facts = analyze(
        notebook_text(
            [
                new_markdown_cell("In this lab we will train a CNN. Accuracy 0.99 is typical."),
                new_code_cell("model = CNN()"),
                new_markdown_cell("Now look at the data loader."),
            ]
        )
    )
    assert analysis(facts) == []


def test_a_heading_alone_beside_the_output_is_not_analysis_but_names_the_next() -> None:
    evaluation = new_code_cell("print(f'MRR: {mrr:.2f}')")
    evaluation.execution_count = 1
    evaluation.outputs = [new_output("stream", name="stdout", text="MRR: 0.63\n")]
    facts = analyze(
        notebook_text(
            [
                new_markdown_cell("### Retrieval evaluation - text search"),
                evaluation,
                new_markdown_cell("MRR of 0.63 is low: the right song is often ranked third."),
            ]
        )
    )
    (fact,) = analysis(facts)
    assert (fact.location.cell, fact.heading) == (3, "Retrieval evaluation - text search")
    assert fact.cites_outputs


def test_output_without_metric_numbers_is_no_evaluation() -> None:
    facts = evaluated("The loss went down nicely.", output="Epoch 1/10 done\nSaved model.pkl\n")
    assert analysis(facts) == []


@pytest.mark.parametrize("with_notebook", [False, True])
def test_nbformat_is_imported_only_when_a_notebook_is_read(
    tmp_path: Path, with_notebook: bool
) -> None:
    """A scan without notebooks (most pre-commit runs, or a rescan the cache answers)
    does not pay for importing nbformat and its JSON schema validator."""
    files = {"src/app.py": "print('hello')\n"}
    if with_notebook:
        files["eda.ipynb"] = notebook_text([new_code_cell("x = 1")])
    RepoBuilder(tmp_path).files(files).commit("Start")
    assert imported_by_scan(tmp_path, "nbformat") is with_notebook
