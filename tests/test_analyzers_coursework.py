"""Coursework evidence: course folders, helper files, teaching data, certificates, markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.coursework import (
    COURSE_FOLDER,
    TEXT_MARKERS,
    CourseworkListingAnalyzer,
    certificate_links,
    markers_in_text,
    toy_header,
    toy_loader,
)
from portfolio_check.facts import (
    CertificateFact,
    CourseFolderFact,
    CourseMarkerFact,
    Fact,
    ToyDatasetFact,
)
from portfolio_check.snapshot import Location
from portfolio_check.sources import open_target

CONTEXT = AnalysisContext(layout=ProjectLayout(modules=frozenset(), top_level=frozenset()))
TITANIC_HEADER = "PassengerId,Survived,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Cabin,Embarked"


def listing(root: Path, files: dict[str, str | bytes]) -> list[Fact]:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return list(CourseworkListingAnalyzer().analyze_listing(open_target(root), CONTEXT))


def folders(facts: list[Fact]) -> list[str]:
    return [fact.folder for fact in facts if isinstance(fact, CourseFolderFact)]


# course folders ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "Week 2",
        "week2",
        "Week_10",
        "W3",
        "C1W2",
        "C1_W2",
        "C2W3_A1",
        "assignment3",
        "Assignment",
        "assignment-2",
        "homework",
        "HW1",
        "Lab 1",
        "lab01",
        "ungraded_labs",
        "C1_Ungraded_Labs",
        "Module_1",
        "course1",
        "optional_labs",
        "Capstone Project",
    ],
)
def test_course_like_folder_names_match(name: str) -> None:
    assert COURSE_FOLDER.match(name)


@pytest.mark.parametrize(
    "name",
    [
        "src",
        "weekly_reports",
        "weekly",
        "w2v",
        "lab_utils",
        "labels",
        "modules",
        "course",
        "data",
        "notebooks",
        "tests",
        "webapp",
        "model_v2",
        "Week",
    ],
)
def test_ordinary_folder_names_do_not_match(name: str) -> None:
    assert not COURSE_FOLDER.match(name)


def test_course_folders_are_reported_once_per_outermost_folder(tmp_path: Path) -> None:
    facts = listing(
        tmp_path,
        {
            "Week 2/lab.ipynb": "{}",
            "Week 2/notes.md": "notes",
            "Week 2/Lab 1/solution.py": "x = 1\n",
            "C1W2/assignment.py": "x = 1\n",
            "projects/assignment3/main.py": "x = 1\n",
            "ungraded_labs/C1_W1_Lab_1.ipynb": "{}",
            "week1/a.py": "x = 1\n",
            "week10/a.py": "x = 1\n",
            "src/churnwatch/model.py": "x = 1\n",
            "weekly_reports/jan.md": "report",
            "w2v/train.py": "x = 1\n",
        },
    )
    assert folders(facts) == [
        "C1W2",
        "Week 2",
        "projects/assignment3",
        "ungraded_labs",
        "week1",
        "week10",
    ]
    for fact in facts:
        if isinstance(fact, CourseFolderFact):
            assert fact.location == Location(path=fact.folder)


def test_a_file_named_like_a_course_folder_is_not_a_folder(tmp_path: Path) -> None:
    facts = listing(tmp_path, {"week2": "a file, not a folder", "src/homework": "also a file"})
    assert folders(facts) == []


# course helper files ----------------------------------------------------------------------
def test_course_helper_files_are_course_markers(tmp_path: Path) -> None:
    facts = listing(
        tmp_path,
        {
            "Week 2/public_tests.py": "def test():\n    pass\n",
            "utils/testCases_v2.py": "x = 1\n",
            "project3/problem_unittests.py": "x = 1\n",
            "my_tests.py": "x = 1\n",
            "public_tests.txt": "not a module",
        },
    )
    found = sorted(
        (f.location.path, f.marker, f.family, f.text)
        for f in facts
        if isinstance(f, CourseMarkerFact)
    )
    assert found == [
        ("Week 2/public_tests.py", "course-helper-file", "DeepLearning.AI", "public_tests.py"),
        ("project3/problem_unittests.py", "course-helper-file", "Udacity", "problem_unittests.py"),
        ("utils/testCases_v2.py", "course-helper-file", "DeepLearning.AI", "testCases_v2.py"),
    ]


# teaching data ----------------------------------------------------------------------------
def test_toy_data_by_file_name_and_by_csv_header(tmp_path: Path) -> None:
    facts = listing(
        tmp_path,
        {
            "data/Iris.csv": "a,b\n1,2\n",
            "gender_submission.csv": "PassengerId,Survived\n892,0\n",
            "data/train.csv": f'{TITANIC_HEADER}\n1,0,3,"Braund, Mr. Owen",male,22,1,0,A/5,7.25,,S\n',
            "data/raw.csv": '\ufeff"sepal_length", "sepal_width", "petal_length", "petal_width", '
            '"species"\r\n5.1,3.5,1.4,0.2,setosa\r\n',
            "data/sales.csv": "date,store,units\n2024-01-01,3,17\n",
            "data/iris_notes.md": "sepal_length,sepal_width,petal_length,petal_width,species\n",
        },
    )
    toys = sorted(
        (f.location.path, f.dataset, f.via) for f in facts if isinstance(f, ToyDatasetFact)
    )
    assert toys == [
        ("data/Iris.csv", "Iris", "file"),
        ("data/raw.csv", "Iris", "header"),
        ("data/train.csv", "Titanic", "header"),
        ("gender_submission.csv", "Titanic", "file"),
    ]


@pytest.mark.parametrize(
    ("line", "dataset"),
    [
        (TITANIC_HEADER, "Titanic"),
        (TITANIC_HEADER.upper() + "\r", "Titanic"),
        ('"' + '","'.join(TITANIC_HEADER.split(",")) + '"', "Titanic"),
        ("Id,SepalLengthCm,SepalWidthCm,PetalLengthCm,PetalWidthCm,Species", "Iris"),
        (
            "Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,"
            "DiabetesPedigreeFunction,Age,Outcome",
            "Pima diabetes",
        ),
        ("PassengerId,Survived", None),
        ("date,store,units", None),
        ("", None),
    ],
)
def test_toy_header(line: str, dataset: str | None) -> None:
    assert toy_header(line) == dataset


@pytest.mark.parametrize(
    ("call", "dataset"),
    [
        ("sklearn.datasets.load_iris", "Iris"),
        ("sklearn.datasets.fetch_california_housing", "California housing"),
        ("seaborn.load_dataset", "seaborn sample"),
        ("tensorflow.keras.datasets.mnist.load_data", "MNIST"),
        ("torchvision.datasets.MNIST", "MNIST"),
        ("torchvision.datasets.CIFAR10", "CIFAR-10"),
        ("torchvision.datasets.MNIST.something", "MNIST"),
        ("sklearn.datasets.load_iris_extended", None),
        ("torchvision.datasets.ImageFolder", None),
        ("pandas.read_csv", None),
        ("load_iris", None),
    ],
)
def test_toy_loader(call: str, dataset: str | None) -> None:
    assert toy_loader(call) == dataset


# certificates -----------------------------------------------------------------------------
def test_certificate_files_by_name_and_type(tmp_path: Path) -> None:
    facts = listing(
        tmp_path,
        {
            "Certificate.pdf": b"%PDF-1.4\n%%EOF\n",
            "certificates/badge.png": b"\x89PNG\r\n\x1a\n",
            "docs/Coursera Certification.JPG": b"\xff\xd8\xff",
            "certificate_authority.py": "CA = 1\n",
            "certificates/notes.txt": "my certificates",
            "docs/architecture.png": b"\x89PNG\r\n\x1a\n",
        },
    )
    found = sorted(
        (f.location.path, f.via, f.text) for f in facts if isinstance(f, CertificateFact)
    )
    assert found == [
        ("Certificate.pdf", "file", "Certificate.pdf"),
        ("certificates/badge.png", "file", "badge.png"),
        ("docs/Coursera Certification.JPG", "file", "Coursera Certification.JPG"),
    ]


def test_certificate_links_in_text_with_their_line() -> None:
    text = (
        "# My ML journey\n"
        "Course page: https://www.coursera.org/learn/machine-learning\n"
        "- [Certificate](https://coursera.org/verify/ABCD1234EFGH)\n"
        "- https://www.credly.com/badges/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/public_url\n"
        "- https://www.credly.com/badges/not-a-uuid\n"
        "Finished https://www.kaggle.com/learn/certification/ada/pandas.\n"
        '<a href="https://www.udemy.com/certificate/UC-1a2b3c4d-5e6f/">Udemy</a>\n'
    )
    found = [
        (f.location.path, f.location.line, f.via, f.text)
        for f in certificate_links(text, "README.md")
    ]
    assert found == [
        ("README.md", 3, "link", "coursera.org/verify/ABCD1234EFGH"),
        ("README.md", 4, "link", "credly.com/badges/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"),
        ("README.md", 6, "link", "kaggle.com/learn/certification/ada/pandas"),
        ("README.md", 7, "link", "udemy.com/certificate/UC-1a2b3c4d-5e6f"),
    ]


def test_an_ordinary_repository_has_no_coursework_evidence(tmp_path: Path) -> None:
    facts = listing(
        tmp_path,
        {
            "src/churnwatch/model.py": "x = 1\n",
            "tests/test_model.py": "def test_x():\n    assert 1\n",
            "data/customers.csv": "customer_id,tenure,churned\n1,3,0\n",
            "docs/architecture.png": b"\x89PNG\r\n\x1a\n",
            "README.md": "# churnwatch\n",
        },
    )
    assert facts == []


# text markers -----------------------------------------------------------------------------
MARKER_EXAMPLES = {
    "graded-function": ("DeepLearning.AI", "# GRADED FUNCTION: sigmoid"),
    "start-code-here": ("DeepLearning.AI", "    ### START CODE HERE ### (≈ 1 line)"),
    "unique-cell-id": ("DeepLearning.AI", "# UNQ_C3"),
    "public-tests": ("DeepLearning.AI", "from public_tests import *"),
    "unit-test-module": ("DeepLearning.AI", "import w2_unittest"),
    "test-utils-comparator": ("DeepLearning.AI", "from test_utils import summary, comparator"),
    "expected-output": ("DeepLearning.AI", "**Expected Output**:"),
    "cs231n-your-code": (
        "Stanford CS231n",
        "# *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****",
    ),
    "learntools-binder": ("Kaggle Learn", "from learntools.core import binder"),
    "kaggle-learn-check": ("Kaggle Learn", "q_1.check()"),
    "udacity-unittests": ("Udacity", "import problem_unittests as tests"),
    "fastbook-setup": ("fast.ai course", "fastbook.setup_book()"),
    "ibm-skills-network": ("IBM Skills Network", '<img src="cognitiveclass.ai logo">'),
    "all-tests-passed": ("DeepLearning.AI", "\x1b[92m All tests passed."),
}


def test_every_text_marker_has_an_example() -> None:
    assert set(MARKER_EXAMPLES) == {marker.id for marker in TEXT_MARKERS}


@pytest.mark.parametrize("marker_id", sorted(MARKER_EXAMPLES))
def test_each_text_marker_is_found_with_family_line_and_text(marker_id: str) -> None:
    family, line = MARKER_EXAMPLES[marker_id]
    text = f"import numpy as np\n{line}\nx = 1\n"
    found = list(markers_in_text(text, Location(path="Week2/lab.py")))
    assert [(f.marker, f.family, f.location.line, f.text) for f in found] == [
        (marker_id, family, 2, line.strip()),
    ]
    assert found[0].location.path == "Week2/lab.py"


@pytest.mark.parametrize(
    "text",
    [
        "# graded by hand\n# start code here\n",
        "# START CODE HERE\n",  # one hash is not the course template
        "from my_public_tests import check\n",
        "all tests passed\n",
        "model.check()\nq.check()\n",
        "import w2v_unittest\n",
    ],
)
def test_look_alikes_are_not_text_markers(text: str) -> None:
    assert list(markers_in_text(text, Location(path="a.py"))) == []


def test_each_marker_kind_is_reported_once_per_text_at_its_first_line() -> None:
    text = (
        "# GRADED FUNCTION: sigmoid\n"
        "# UNQ_C1\n"
        "def sigmoid(z):\n"
        "    return z\n"
        "# GRADED FUNCTION: cost\n"
        "# UNQ_C2\n"
    )
    found = list(markers_in_text(text, Location(path="nb.ipynb", cell=4)))
    assert [(f.marker, f.location.line, f.location.cell, f.text) for f in found] == [
        ("graded-function", 1, 4, "# GRADED FUNCTION: sigmoid"),
        ("unique-cell-id", 2, 4, "# UNQ_C1"),
    ]


def test_several_marker_kinds_on_one_line_are_all_reported() -> None:
    found = list(markers_in_text("# UNQ_C1 # GRADED FUNCTION: f\n", Location(path="a.py")))
    assert sorted(f.marker for f in found) == ["graded-function", "unique-cell-id"]
    assert {f.location.line for f in found} == {1}


def test_marker_text_is_stripped_and_shortened() -> None:
    line = "    # GRADED FUNCTION: " + "x" * 200 + "   "
    (found,) = markers_in_text(line, Location(path="a.py"))
    assert found.text == line.strip()[:120]
    assert len(found.text) == 120
