"""Coursework evidence: course folders, helper files, teaching data, certificates, markers,
tutorial-template fingerprints and course mentions."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.coursework import (
    COURSE_FOLDER,
    COURSE_MENTIONS,
    HOMEWORK_FILE,
    HOMEWORK_FOLDER,
    TEXT_MARKERS,
    ZOOMCAMP_FOLDER,
    CourseworkListingAnalyzer,
    certificate_links,
    course_mentions,
    markers_in_text,
)
from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.analyzers.templates import (
    _TEMPLATE_PATHS,
    CLONE_THRESHOLD,
    TEMPLATES,
    marker_candidates,
    template_clones,
    template_markers_in_text,
    template_path_markers,
)
from portfolio_check.common.globs import glob_match
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import (
    CertificateFact,
    CourseFolderFact,
    CourseMarkerFact,
    Fact,
    ToyDatasetFact,
)
from portfolio_check.model.location import Location

CONTEXT = AnalysisContext(layout=ProjectLayout())
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
            "utils/lab_utils_common.py": "x = 1\n",
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
        (
            "utils/lab_utils_common.py",
            "course-helper-file",
            "DeepLearning.AI",
            "lab_utils_common.py",
        ),
        ("utils/testCases_v2.py", "course-helper-file", "DeepLearning.AI", "testCases_v2.py"),
    ]


def test_test_shaped_helper_names_are_not_course_files_by_their_name_alone(
    tmp_path: Path,
) -> None:
    """Issue 3 took any `test_utils.py` for a DeepLearning.AI grader; a project's own
    `tests/test_utils.py` is a test, and a grader is told by what it does (see
    test_analyzers_python) or by sitting in a course folder."""
    facts = listing(
        tmp_path,
        {
            "tests/test_utils.py": "from churn.utils import clip\n",
            "project3/problem_unittests.py": "x = 1\n",
            "checks/public_tests.py": "x = 1\n",
            "C1W2/test_utils.py": "x = 1\n",
        },
    )
    found = [f.location.path for f in facts if isinstance(f, CourseMarkerFact)]
    assert found == ["C1W2/test_utils.py"]


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
        ("data/raw.csv", "Iris", "content"),
        ("data/train.csv", "Titanic", "content"),
        ("gender_submission.csv", "Titanic", "file"),
    ]


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


# tutorial templates (catalogue section 6) -------------------------------------------------
def notebook(*cells: tuple[str, str]) -> str:
    """An nbformat 4 notebook with (cell type, source) cells."""
    made = [new_code_cell(src) if kind == "code" else new_markdown_cell(src) for kind, src in cells]
    book = new_notebook()
    book.cells = made
    return str(nbformat.writes(book))


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def scan_facts(root: Path, files: dict[str, str | bytes]) -> list[Fact]:
    """Every fact of a repository built from `files`, through all analyzers and the linker."""
    return list(analyze(open_target(write_files(root, files))))


def template_facts(facts: list[Fact], template_id: str) -> list[CourseMarkerFact]:
    return [
        f
        for f in facts
        if isinstance(f, CourseMarkerFact) and f.marker == f"template:{template_id}"
    ]


def clone_facts(facts: list[Fact]) -> list[CourseMarkerFact]:
    return [
        f
        for f in facts
        if isinstance(f, CourseMarkerFact) and f.marker.startswith("template-clone:")
    ]


def marker_keys(facts: list[Fact], template_id: str) -> set[str]:
    template = next(t for t in TEMPLATES if t.id == template_id)
    keys: set[str] = set()
    for fact in template_facts(facts, template_id):
        keys |= marker_candidates(template, fact)
    return keys


KRISH_SETUP = textwrap.dedent(
    """\
    from setuptools import find_packages,setup
    from typing import List

    HYPEN_E_DOT='-e .'
    def get_requirements(file_path:str)->List[str]:
        '''
        this function will return the list of requirements
        '''
        requirements=[]
        with open(file_path) as file_obj:
            requirements=file_obj.readlines()
            requirements=[req.replace("\\n","") for req in requirements]
            if HYPEN_E_DOT in requirements:
                requirements.remove(HYPEN_E_DOT)
        return requirements

    setup(name='mlproject', version='0.0.1', packages=find_packages(),
          install_requires=get_requirements('requirements.txt'))
    """
)
KRISH_EXCEPTION = textwrap.dedent(
    """\
    import sys

    def error_message_detail(error,error_detail:sys):
        _,_,exc_tb=error_detail.exc_info()
        file_name=exc_tb.tb_frame.f_code.co_filename
        error_message="Error occured in python script name [{0}] line number [{1}] error message[{2}]".format(
         file_name,exc_tb.tb_lineno,str(error))
        return error_message

    class CustomException(Exception):
        def __init__(self,error_message,error_detail:sys):
            super().__init__(error_message)
            self.error_message=error_message_detail(error_message,error_detail=error_detail)
    """
)
OWN_EXCEPTION = textwrap.dedent(
    """\
    class PipelineError(Exception):
        \"\"\"Raised when a pipeline stage fails; carries the stage name.\"\"\"

        def __init__(self, stage: str, message: str) -> None:
            super().__init__(f"{stage}: {message}")
            self.stage = stage
    """
)
STUD_CSV = (
    "gender,race_ethnicity,parental_level_of_education,lunch,test_preparation_course,"
    "math_score,reading_score,writing_score\nfemale,group B,bachelor's degree,standard,none,72,72,74\n"
)
KRISH_COMPONENTS: dict[str, str | bytes] = {
    "src/__init__.py": "",
    "src/components/__init__.py": "",
    "src/components/data_ingestion.py": "import pandas as pd\n\nclass DataIngestion:\n    pass\n",
    "src/components/data_transformation.py": "class DataTransformation:\n    pass\n",
    "src/components/model_trainer.py": "class ModelTrainer:\n    pass\n",
    "src/pipeline/__init__.py": "",
    "src/pipeline/predict_pipeline.py": "class PredictPipeline:\n    pass\n",
}
KRISH_REPO: dict[str, str | bytes] = {
    **KRISH_COMPONENTS,
    "setup.py": KRISH_SETUP,
    "src/exception.py": KRISH_EXCEPTION,
    "notebook/data/stud.csv": STUD_CSV,
    "artifacts/model.pkl": b"\x80\x04\x95",
    "artifacts/preprocessor.pkl": b"\x80\x04\x95",
    ".ebextensions/python.config": 'option_settings:\n  "aws:elasticbeanstalk:container:python":\n'
    "    WSGIPath: application:application\n",
    "catboost_info/learn_error.tsv": "iter\tRMSE\n0\t14.2\n",
    "application.py": "from flask import Flask\napplication = Flask(__name__)\n",
}

ENTBAPPY_TEMPLATE = textwrap.dedent(
    """\
    import os
    from pathlib import Path

    project_name = "cnnClassifier"

    list_of_files = [
        f"src/{project_name}/__init__.py",
        f"src/{project_name}/components/__init__.py",
        f"src/{project_name}/config/configuration.py",
        "config/config.yaml",
        "dvc.yaml",
        "research/trials.ipynb",
    ]

    for filepath in list_of_files:
        Path(filepath).parent.mkdir(parents=True, exist_ok=True)
    """
)
ENTBAPPY_CONFIGURATION = textwrap.dedent(
    """\
    from cnnClassifier.constants import CONFIG_FILE_PATH, PARAMS_FILE_PATH
    from cnnClassifier.entity.config_entity import DataIngestionConfig
    from cnnClassifier.utils.common import read_yaml


    class ConfigurationManager:
        def __init__(self, config_filepath=CONFIG_FILE_PATH, params_filepath=PARAMS_FILE_PATH):
            self.config = read_yaml(config_filepath)
            self.params = read_yaml(params_filepath)
    """
)
ENTBAPPY_README = textwrap.dedent(
    """\
    # Kidney-Disease-Classification

    ## Workflows

    1. Update config.yaml
    2. Update params.yaml
    3. Update the entity
    4. Update the configuration manager in src config
    5. Update the components
    6. Update the pipeline
    7. Update the main.py
    8. Update the dvc.yaml
    """
)
ENTBAPPY_PACKAGE: dict[str, str | bytes] = {
    "src/cnnClassifier/__init__.py": "",
    "src/cnnClassifier/components/__init__.py": "",
    "src/cnnClassifier/components/data_ingestion.py": "class DataIngestion:\n    pass\n",
    "src/cnnClassifier/constants/__init__.py": 'from pathlib import Path\nCONFIG_FILE_PATH = Path("config/config.yaml")\n',
    "src/cnnClassifier/entity/__init__.py": "",
    "src/cnnClassifier/entity/config_entity.py": "from dataclasses import dataclass\n\n@dataclass(frozen=True)\nclass DataIngestionConfig:\n    root_dir: str\n",
    "src/cnnClassifier/config/__init__.py": "",
    "src/cnnClassifier/config/configuration.py": ENTBAPPY_CONFIGURATION,
    "src/cnnClassifier/pipeline/__init__.py": "",
    "src/cnnClassifier/pipeline/stage_01_data_ingestion.py": "STAGE_NAME = 'Data Ingestion stage'\n",
    "src/cnnClassifier/utils/__init__.py": "",
    "src/cnnClassifier/utils/common.py": "def read_yaml(path):\n    return path\n",
}
ENTBAPPY_REPO: dict[str, str | bytes] = {
    **ENTBAPPY_PACKAGE,
    "template.py": ENTBAPPY_TEMPLATE,
    "README.md": ENTBAPPY_README,
    "research/01_data_ingestion.ipynb": notebook(
        ("code", "import os\n%pwd"),
        ("code", "class ConfigurationManager:\n    def __init__(self):\n        pass"),
    ),
    ".jenkins/Jenkinsfile": "pipeline {\n  agent any\n}\n",
    "scripts/jenkins.sh": "#!/bin/bash\nsudo apt update\n",
    "dvc.yaml": "stages:\n  data_ingestion:\n    cmd: python src/cnnClassifier/pipeline/stage_01_data_ingestion.py\n",
}

CCDS_README = textwrap.dedent(
    """\
    # churn-ccds

    <a target="_blank" href="https://cookiecutter-data-science.drivendata.org/">
        <img src="https://img.shields.io/badge/CCDS-Project%20template-328F97?logo=cookiecutter" />
    </a>

    A short description of the project.

    ## Project Organization

    ```
    ├── LICENSE            <- Open-source license if one is chosen
    ├── Makefile           <- Makefile with convenience commands like `make data` or `make train`
    ├── README.md          <- The top-level README for developers using this project.
    ├── data
    │   ├── external       <- Data from third party sources.
    │   ├── interim        <- Intermediate data that has been transformed.
    │   ├── processed      <- The final, canonical data sets for modeling.
    │   └── raw            <- The original, immutable data dump.
    ```
    """
)
CCDS_GITKEEPS: dict[str, str | bytes] = {
    "data/raw/.gitkeep": "",
    "data/interim/.gitkeep": "",
    "data/processed/.gitkeep": "",
    "data/external/.gitkeep": "",
}
CCDS_REPO: dict[str, str | bytes] = {
    **CCDS_GITKEEPS,
    "README.md": CCDS_README,
    "tests/test_data.py": "def test_code_is_tested():\n    assert False\n",
    "churn_ccds/__init__.py": "from churn_ccds import config  # noqa: F401\n",
    "churn_ccds/dataset.py": "",
}
CCDS_V1_REPO: dict[str, str | bytes] = {
    "README.md": "churn\n==============================\n\nA short description of the project.\n\n"
    "Project Organization\n------------\n\n"
    "    ├── LICENSE\n"
    "    ├── README.md          <- The top-level README for developers using this project.\n"
    "    ├── data\n"
    "    │   └── raw            <- The original, immutable data dump.\n\n"
    "--------\n\n"
    '<p><small>Project based on the <a target="_blank" href="https://drivendata.github.io/'
    'cookiecutter-data-science/">cookiecutter data science project template</a>. '
    "#cookiecutterdatascience</small></p>\n",
    "test_environment.py": 'import sys\n\nREQUIRED_PYTHON = "python3"\n\n\ndef main():\n'
    '    print(">>> Development environment passes all tests!")\n',
    "src/data/make_dataset.py": "def main():\n    pass\n",
}

MWML_BEHAVIORAL = textwrap.dedent(
    """\
    import pytest
    import utils


    @pytest.mark.parametrize(
        "input_a, input_b, label",
        [
            (
                "Transformers applied to NLP have revolutionized machine learning.",
                "Transformers applied to NLP have disrupted machine learning.",
                "natural-language-processing",
            ),
        ],
    )
    def test_invariance(input_a, input_b, label, predictor):
        label_a = utils.get_label(text=input_a, predictor=predictor)
        label_b = utils.get_label(text=input_b, predictor=predictor)
        assert label_a == label_b == label
    """
)
MWML_REPO: dict[str, str | bytes] = {
    "madewithml/__init__.py": "",
    "madewithml/train.py": "import ray\n\ndef train_loop_per_worker(config):\n    pass\n",
    "datasets/dataset.csv": "id,created_on,title,description,tag\n6,2020-02-20,Comparison,x,computer-vision\n",
    "datasets/holdout.csv": "id,created_on,title,description,tag\n19,2020-03-03,Title,x,other\n",
    "datasets/projects.csv": "id,created_on,title,description\n6,2020-02-20,Comparison,x\n",
    "datasets/tags.csv": "id,tag\n6,computer-vision\n",
    "deploy/cluster_compute.yaml": "cloud: education-us-west-2\nregion: us-west2\n",
    "tests/model/test_behavioral.py": MWML_BEHAVIORAL,
}

MLEP_LAB = "course4/week2-ungraded-labs/C4_W2_Lab_1_FastAPI_Docker"
MLEP_REPO: dict[str, str | bytes] = {
    f"{MLEP_LAB}/compose_load_test/locustfile.py": "from locust import HttpUser, task\n",
    f"{MLEP_LAB}/with-batch/Dockerfile": 'FROM frolvlad/alpine-miniconda3:python3.7\nCOPY ./app /app\nCMD ["uvicorn", "main:app"]\n',
    f"{MLEP_LAB}/with-batch/app/main.py": "from fastapi import FastAPI\napp = FastAPI(title='Predicting Wine Class with batching')\n",
    "course4/week2-ungraded-labs/C4_W2_Lab_2_Intro_to_Kubernetes/yaml/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\n",
    ".github/workflows/course4-week3-lab.yml": "name: Run Python Tests\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n",
}

HOML_NOTEBOOK = notebook(
    ("markdown", "**Chapter 2 - End-to-end Machine Learning project**"),
    (
        "code",
        'DOWNLOAD_ROOT = "https://raw.githubusercontent.com/ageron/handson-ml2/master/"\n'
        'HOUSING_PATH = os.path.join("datasets", "housing")\n'
        'HOUSING_URL = DOWNLOAD_ROOT + "datasets/housing/housing.tgz"',
    ),
    (
        "code",
        "def fetch_housing_data(housing_url=HOUSING_URL, housing_path=HOUSING_PATH):\n"
        "    os.makedirs(housing_path, exist_ok=True)",
    ),
    ("code", "fetch_housing_data()"),
)
HOUSING_CSV = (
    "longitude,latitude,housing_median_age,total_rooms,total_bedrooms,population,households,"
    "median_income,median_house_value,ocean_proximity\n-122.23,37.88,41,880,129,322,126,8.3252,452600,NEAR BAY\n"
)
HOML_REPO: dict[str, str | bytes] = {
    "02_end_to_end_machine_learning_project.ipynb": HOML_NOTEBOOK,
    "datasets/housing/housing.csv": HOUSING_CSV,
}

#: template id -> (a realistic clone, the marker keys it shows, the path of its first marker)
CLONES: dict[str, tuple[dict[str, str | bytes], set[str], str]] = {
    "krishnaik-mlproject": (
        KRISH_REPO,
        {
            "components",
            "pipeline",
            "student-data",
            "artifacts",
            "ebextensions",
            "catboost-info",
            "exception-message",
            "hypen-e-dot",
            "get-requirements",
        },
        ".ebextensions/python.config",
    ),
    "entbappy-mlflow-dvc": (
        ENTBAPPY_REPO,
        {
            "research-notebooks",
            "package-layout",
            "stage-pipelines",
            "config-entity",
            "jenkinsfile",
            "jenkins-scripts",
            "list-of-files",
            "configuration-manager",
            "readme-workflows",
        },
        ".jenkins/Jenkinsfile",
    ),
    "cookiecutter-data-science": (
        CCDS_REPO,
        {"data-gitkeeps", "readme-tree", "ccds-badge", "placeholder-test"},
        "README.md",
    ),
    "made-with-ml": (
        MWML_REPO,
        {"package", "datasets", "ray-deploy", "behavioral-tests"},
        "datasets/dataset.csv",
    ),
    "dlai-mlep": (
        MLEP_REPO,
        {
            "course-folders",
            "fastapi-docker-lab",
            "load-test-lab",
            "kubernetes-lab",
            "github-actions-lab",
        },
        ".github/workflows/course4-week3-lab.yml",
    ),
    "handson-ml": (
        HOML_REPO,
        {"housing-data", "chapter-notebooks", "fetch-housing", "data-url"},
        "02_end_to_end_machine_learning_project.ipynb",
    ),
}

#: template id -> a repository with exactly two of its markers: template-shaped, not a clone
NEAR_MISSES: dict[str, tuple[dict[str, str | bytes], set[str]]] = {
    # the src/components + src/pipeline layout, with the author's own exception module
    "krishnaik-mlproject": (
        {**KRISH_COMPONENTS, "src/exception.py": OWN_EXCEPTION},
        {"components", "pipeline"},
    ),
    # a config dataclass module and a configuration manager, nothing else of the template
    "entbappy-mlflow-dvc": (
        {
            "src/pricing/entity/config_entity.py": "CONFIG = {}\n",
            "src/pricing/config/configuration.py": ENTBAPPY_CONFIGURATION,
        },
        {"config-entity", "configuration-manager"},
    ),
    # a real project started from CCDS: badge and tree kept, own tests, no empty data folders
    "cookiecutter-data-science": (
        {
            "README.md": CCDS_README,
            "tests/test_features.py": "from churn_ccds.features import add_tenure\n\n"
            "def test_tenure():\n    assert add_tenure(3) == 4\n",
        },
        {"readme-tree", "ccds-badge"},
    ),
    # behavioural tests in the Made-With-ML style, deployed with Ray, but the author's own code
    "made-with-ml": (
        {
            "tests/model/test_behavioral.py": MWML_BEHAVIORAL,
            "deploy/cluster_compute.yaml": "cloud: my-cloud\n",
            "tagger/train.py": "def train():\n    pass\n",
        },
        {"behavioral-tests", "ray-deploy"},
    ),
    "dlai-mlep": (
        {
            ".github/workflows/course4-week3-lab.yml": "name: tests\non: [push]\n",
            "C4_W2_Lab_2_Intro_to_Kubernetes/yaml/deployment.yaml": "kind: Deployment\n",
        },
        {"github-actions-lab", "kubernetes-lab"},
    ),
    # the author's own housing project that kept Géron's download helper
    "handson-ml": (
        {
            "datasets/housing/housing.csv": HOUSING_CSV,
            "src/data.py": "def fetch_housing_data(path):\n    return path\n",
        },
        {"housing-data", "fetch-housing"},
    ),
}


def test_the_template_table_is_well_formed() -> None:
    assert {t.id for t in TEMPLATES} == set(CLONES) == set(NEAR_MISSES)
    for template in TEMPLATES:
        keys = [m.key for m in template.paths] + [m.key for m in template.texts]
        assert len(keys) == len(set(keys)), template.id
        assert len(keys) >= CLONE_THRESHOLD, f"{template.id} could never be called a clone"
        for path_marker in template.paths:
            for group in path_marker.groups:
                # the listing pre-filter relies on every glob naming a path, not a bare name
                assert group and all("/" in glob for glob in group), path_marker.key
        for text_marker in template.texts:
            assert text_marker.pattern.flags & re.MULTILINE


@pytest.mark.parametrize("template_id", sorted(CLONES))
def test_a_clone_has_every_marker_and_one_clone_fact(tmp_path: Path, template_id: str) -> None:
    files, expected_keys, first_path = CLONES[template_id]
    template = next(t for t in TEMPLATES if t.id == template_id)
    facts = scan_facts(tmp_path, files)
    assert marker_keys(facts, template_id) == expected_keys
    for fact in template_facts(facts, template_id):
        assert fact.family == template.name
        assert 0 < len(fact.text) <= 120
    clones = clone_facts(facts)
    assert [(c.marker, c.family, c.text, c.location) for c in clones] == [
        (
            f"template-clone:{template_id}",
            template.name,
            f"{len(expected_keys)} markers of the {template.name} template",
            Location(path=first_path),
        )
    ]


def test_a_second_cookiecutter_generation_is_recognised_too(tmp_path: Path) -> None:
    facts = scan_facts(tmp_path, CCDS_V1_REPO)
    assert marker_keys(facts, "cookiecutter-data-science") == {
        "readme-tree",
        "ccds-badge",
        "environment-check",
    }
    assert [c.text for c in clone_facts(facts)] == [
        "3 markers of the Cookiecutter Data Science template"
    ]


@pytest.mark.parametrize("template_id", sorted(NEAR_MISSES))
def test_two_markers_stay_weak_evidence_without_a_clone_fact(
    tmp_path: Path, template_id: str
) -> None:
    files, expected_keys = NEAR_MISSES[template_id]
    facts = scan_facts(tmp_path, files)
    assert marker_keys(facts, template_id) == expected_keys
    assert len(template_facts(facts, template_id)) == 2
    assert clone_facts(facts) == []


def test_a_src_components_folder_alone_is_no_template_evidence(tmp_path: Path) -> None:
    facts = scan_facts(
        tmp_path,
        {
            "src/components/data_ingestion.py": "def load():\n    pass\n",
            "src/components/charts.py": "def plot():\n    pass\n",
            "src/pipeline/run.py": "def run():\n    pass\n",
            "setup.py": "from setuptools import setup\n\n"
            "def get_requirements():\n    return []\n\nsetup(name='x')\n",
            "artifacts/model.pkl": b"\x80\x04",
        },
    )
    assert [f for f in facts if isinstance(f, CourseMarkerFact)] == []


def test_template_path_markers_report_where_and_what_matched() -> None:
    paths = [
        "artifacts/model.pkl",
        "artifacts/proprocessor.pkl",
        "notebook/catboost_info/learn/events.out.tfevents",
        "notebook/catboost_info/time_left.tsv",
        "src/components/data_ingestion.py",
        "src/components/model_trainer.py",
    ]
    found = [(f.location, f.marker, f.text) for f in template_path_markers(paths)]
    assert found == [
        # the tutorial's misspelt preprocessor file counts as the preprocessor
        (
            Location(path="artifacts/model.pkl"),
            "template:krishnaik-mlproject",
            "artifacts/model.pkl, artifacts/proprocessor.pkl",
        ),
        (
            Location(path="notebook/catboost_info/learn/events.out.tfevents"),
            "template:krishnaik-mlproject",
            "notebook/catboost_info/learn/events.out.tfevents",
        ),
    ]  # two of the three components are not the components marker


def test_template_path_markers_are_case_insensitive_and_nested() -> None:
    found = list(template_path_markers(["projects/Housing/Datasets/Housing/housing.CSV"]))
    assert [(f.marker, f.path) for f in found] == [
        ("template:handson-ml", "projects/Housing/Datasets/Housing/housing.CSV")
    ]


def glob_instances(glob: str) -> list[str]:
    """Paths a template glob matches: at the root, nested, in other cases, with its
    wildcards filled in several ways."""
    fills = [("", "0", ""), ("x", "7", "a/b.py"), ("q", "1", "Q.TXT")]
    paths = []
    for folders in ("", "x/", "Users/ada/Projects/"):
        for star, question, tail in fills:
            path = glob.replace("**/", folders).replace("[1-4]", question)
            path = path.replace("?", question).replace("*", star or tail)
            paths += [path, path.upper()]
    return paths


def test_the_template_path_prefilter_keeps_every_path_a_glob_matches() -> None:
    """The listing is pre-filtered with one regex before `glob_match` decides: a path the
    regex drops is a template file never seen."""
    globs = sorted({g for t in TEMPLATES for m in t.paths for group in m.groups for g in group})
    checked = 0
    for glob in globs:
        for path in glob_instances(glob):
            if glob_match(path, glob):
                checked += 1
                assert _TEMPLATE_PATHS.match(path.lower()), (glob, path)
    assert checked > 10 * len(globs)
    for path in ["README.md", "src/model.py", "artifacts/model.pkl.bak", "xartifacts/model.pkl"]:
        assert not _TEMPLATE_PATHS.match(path.lower())


# one realistic example per marker: (template id, key) -> file path and text, or a listing
TEXT_EXAMPLES: dict[tuple[str, str], tuple[str, str]] = {
    ("krishnaik-mlproject", "exception-message"): (
        "src/exception.py",
        '    msg = "Error occured in python script name [{0}] line number [{1}] error message[{2}]"',
    ),
    ("krishnaik-mlproject", "hypen-e-dot"): ("setup.py", "HYPEN_E_DOT = '-e .'"),
    ("krishnaik-mlproject", "get-requirements"): (
        "setup.py",
        "def get_requirements(file_path: str) -> List[str]:",
    ),
    ("entbappy-mlflow-dvc", "list-of-files"): ("template.py", "list_of_files = ["),
    ("entbappy-mlflow-dvc", "configuration-manager"): (
        "src/mlProject/config/configuration.py",
        "class ConfigurationManager:",
    ),
    ("entbappy-mlflow-dvc", "readme-workflows"): (
        "README.md",
        "4. Update the configuration manager in src config",
    ),
    ("cookiecutter-data-science", "readme-tree"): (
        "README.md",
        "├── README.md          <- The top-level README for developers using this project.",
    ),
    ("cookiecutter-data-science", "ccds-badge"): (
        "README.md",
        '<img src="https://img.shields.io/badge/CCDS-Project%20template-328F97?logo=cookiecutter" />',
    ),
    ("cookiecutter-data-science", "placeholder-test"): (
        "tests/test_data.py",
        "def test_code_is_tested():\n    assert False",
    ),
    ("cookiecutter-data-science", "environment-check"): (
        "test_environment.py",
        '    print(">>> Development environment passes all tests!")',
    ),
    ("made-with-ml", "behavioral-tests"): (
        "tests/model/test_behavioral.py",
        "def test_directional(input, label, predictor):",
    ),
    ("handson-ml", "fetch-housing"): ("housing.py", "fetch_housing_data()"),
    ("handson-ml", "data-url"): (
        "housing.py",
        'URL = "https://github.com/ageron/data/raw/main/housing.tgz"',
    ),
}
PATH_EXAMPLES: dict[tuple[str, str], list[str]] = {
    ("krishnaik-mlproject", "components"): [
        "src/components/data_ingestion.py",
        "src/components/data_transformation.py",
        "src/components/model_trainer.py",
    ],
    ("krishnaik-mlproject", "pipeline"): ["src/pipeline/train_pipeline.py"],
    ("krishnaik-mlproject", "student-data"): ["notebook/data/stud.csv"],
    ("krishnaik-mlproject", "artifacts"): ["artifacts/model.pkl", "artifacts/preprocessor.pkl"],
    ("krishnaik-mlproject", "ebextensions"): [".ebextensions/python.config"],
    ("krishnaik-mlproject", "catboost-info"): ["catboost_info/learn_error.tsv"],
    ("entbappy-mlflow-dvc", "research-notebooks"): [
        "research/04_model_evaluation_with_mlflow.ipynb"
    ],
    ("entbappy-mlflow-dvc", "package-layout"): [
        "src/mlProject/components/data_validation.py",
        "src/mlProject/constants/__init__.py",
        "src/mlProject/entity/__init__.py",
    ],
    ("entbappy-mlflow-dvc", "stage-pipelines"): [
        "src/mlProject/pipeline/stage_02_data_validation.py"
    ],
    ("entbappy-mlflow-dvc", "config-entity"): ["src/textSummarizer/entity/config_entity.py"],
    ("entbappy-mlflow-dvc", "jenkinsfile"): [".jenkins/Jenkinsfile"],
    ("entbappy-mlflow-dvc", "jenkins-scripts"): ["scripts/ec2_setup.sh"],
    ("cookiecutter-data-science", "data-gitkeeps"): [
        "data/raw/.gitkeep",
        "data/interim/.gitkeep",
        "data/processed/.gitkeep",
        "data/external/.gitkeep",
    ],
    ("made-with-ml", "package"): ["madewithml/serve.py"],
    ("made-with-ml", "datasets"): [
        "datasets/dataset.csv",
        "datasets/holdout.csv",
        "datasets/tags.csv",
    ],
    ("made-with-ml", "ray-deploy"): ["deploy/services/serve_model.py"],
    ("dlai-mlep", "course-folders"): ["course4/week1-ungraded-labs/C4_W1_Lab_1_Docker_Intro.md"],
    ("dlai-mlep", "fastapi-docker-lab"): ["labs/C4_W2_Lab_1_FastAPI_Docker/no-batch/app/main.py"],
    ("dlai-mlep", "kubernetes-lab"): ["C4_W2_Lab_3_Intro_to_Kubernetes/yaml/autoscale.yaml"],
    ("dlai-mlep", "load-test-lab"): ["C4_W2_Lab_3_Latency_Test_Compose/README.md"],
    ("dlai-mlep", "github-actions-lab"): ["C4_W3_Lab_4_Github_Actions/app/main.py"],
    ("handson-ml", "housing-data"): ["datasets/housing/housing.tgz"],
    ("handson-ml", "chapter-notebooks"): ["homl/04_training_linear_models.ipynb"],
}


def test_every_template_marker_has_an_example() -> None:
    table = {(t.id, m.key) for t in TEMPLATES for m in (*t.paths, *t.texts)}
    assert set(TEXT_EXAMPLES) | set(PATH_EXAMPLES) == table
    assert not set(TEXT_EXAMPLES) & set(PATH_EXAMPLES)


@pytest.mark.parametrize(("template_id", "key"), sorted(TEXT_EXAMPLES))
def test_each_template_text_marker_is_found_and_stands_for_itself_only(
    template_id: str, key: str
) -> None:
    path, snippet = TEXT_EXAMPLES[(template_id, key)]
    template = next(t for t in TEMPLATES if t.id == template_id)
    text = f"import os\n\n{snippet}\n    pass\n"
    found = list(template_markers_in_text(text, Location(path=path)))
    assert [(f.marker, f.family, f.location.path, f.location.line) for f in found] == [
        (f"template:{template_id}", template.name, path, 3)
    ]
    assert found[0].text in " ".join(snippet.split())
    # the fact can be told apart from every other marker of its template
    assert marker_candidates(template, found[0]) == {key}


@pytest.mark.parametrize(("template_id", "key"), sorted(PATH_EXAMPLES))
def test_each_template_path_marker_is_found_at_its_first_file(template_id: str, key: str) -> None:
    paths = PATH_EXAMPLES[(template_id, key)]
    template = next(t for t in TEMPLATES if t.id == template_id)
    found = list(template_path_markers(["README.md", *paths]))
    assert [(f.marker, f.family) for f in found] == [(f"template:{template_id}", template.name)]
    assert found[0].location == Location(path=paths[0])
    assert found[0].text == ", ".join(paths)[:120]
    assert key in marker_candidates(template, found[0])


@pytest.mark.parametrize(
    ("path", "text"),
    [
        # restricted to setup.py: a requirements helper elsewhere is ordinary code
        ("scripts/deps.py", "def get_requirements(file_path: str) -> list[str]:"),
        # restricted to the template's configuration module and research notebooks
        ("app/settings.py", "class ConfigurationManager:"),
        # restricted to template.py
        ("build.py", "list_of_files = ["),
        # a commented-out placeholder test is not the untouched template
        ("tests/test_data.py", "# def test_code_is_tested():\n#     assert False"),
        ("tests/test_data.py", "def test_code_is_tested():\n    assert model.score > 0.8"),
        ("tests/test_model.py", "def test_invariance(model, rotated_batch):"),
        ("src/housing.py", "def load_housing_data(path):"),
        ("src/errors.py", 'raise RuntimeError("Error occurred while loading the model")'),
    ],
)
def test_template_look_alikes_are_not_markers(path: str, text: str) -> None:
    assert list(template_markers_in_text(text, Location(path=path))) == []


def test_markers_in_text_also_reports_template_markers() -> None:
    text = "from setuptools import setup\nHYPEN_E_DOT='-e .'\n# GRADED FUNCTION: f\n"
    found = [(f.marker, f.location.line) for f in markers_in_text(text, Location(path="setup.py"))]
    assert found == [("graded-function", 3), ("template:krishnaik-mlproject", 2)]


def test_template_text_markers_in_a_notebook_cell_keep_the_cell() -> None:
    (fact,) = template_markers_in_text(
        "import os\nfetch_housing_data()\n", Location(path="nb.ipynb", cell=7)
    )
    assert (fact.location.cell, fact.location.line, fact.text) == (7, 2, "fetch_housing_data(")


def test_template_clones_count_distinct_markers_not_facts() -> None:
    def fact(path: str, text: str, line: int | None = None) -> CourseMarkerFact:
        return CourseMarkerFact(
            location=Location(path=path, line=line),
            marker="template:krishnaik-mlproject",
            family="krishnaik06/mlproject tutorial",
            text=text,
        )

    # one marker found in many files is still one marker
    same = [fact(f"src/m{i}.py", "HYPEN_E_DOT", line=3) for i in range(5)]
    assert template_clones(same) == []
    two = [*same, fact("notebook/data/stud.csv", "notebook/data/stud.csv")]
    assert template_clones(two) == []
    three = [*two, fact("catboost_info/time_left.tsv", "catboost_info/time_left.tsv")]
    (clone,) = template_clones(three)
    assert (clone.marker, clone.text, clone.location) == (
        "template-clone:krishnaik-mlproject",
        "3 markers of the krishnaik06/mlproject tutorial template",
        Location(path="catboost_info/time_left.tsv"),
    )


def test_two_markers_found_at_one_file_both_count() -> None:
    lab = "course4/week2-ungraded-labs/C4_W2_Lab_1_FastAPI_Docker/compose_load_test/locustfile.py"
    facts = list(template_path_markers([lab]))
    # the one file is the course folder, the FastAPI lab and the load test at once
    assert [f.path for f in facts] == [lab, lab, lab]
    (clone,) = template_clones(facts)
    assert (
        clone.text == "3 markers of the DeepLearning.AI ML Engineering for Production labs template"
    )


def test_template_clones_ignore_other_course_markers_and_unknown_templates() -> None:
    facts: list[Fact] = [
        CourseMarkerFact(
            location=Location(path=f"w{i}.py", line=1),
            marker=marker,
            family="x",
            text="HYPEN_E_DOT",
        )
        for i, marker in enumerate(
            ["graded-function", "template:no-such-template", "template-clone:krishnaik-mlproject"]
        )
    ]
    facts.append(ToyDatasetFact(location=Location(path="iris.csv"), dataset="Iris", via="file"))
    assert template_clones(facts) == []


def test_clone_facts_come_from_the_linker_once(tmp_path: Path) -> None:
    facts = scan_facts(tmp_path, HOML_REPO)
    assert [c.marker for c in clone_facts(facts)] == ["template-clone:handson-ml"]
    # the per-marker facts are kept next to the clone fact
    assert len(template_facts(facts, "handson-ml")) >= 4


# course mentions --------------------------------------------------------------------------
MENTION_EXAMPLES: dict[str, list[str]] = {
    "mention:zoomcamp": [
        "Final project for the DataTalksClub MLOps Zoomcamp (2024 cohort).",
        "Homework for ml-zoomcamp, module 3.",
        "My notes from the LLM Zoomcamp.",
        "Code for the data-engineering-zoomcamp homework.",
    ],
    "mention:nanodegree": [
        "Project 3 of the Udacity Machine Learning Engineer Nanodegree.",
        "Built during my nano-degree.",
    ],
    "mention:coursera-course": [
        "Course page: https://www.coursera.org/learn/machine-learning-engineering-for-production",
    ],
    "mention:deeplearning-ai": [
        "Labs from DeepLearning.AI's TensorFlow Developer course.",
        "See https://www.deeplearning.ai/courses/ for the course.",
    ],
    "mention:course-project": [
        "Capstone project for the IBM Data Science Professional Certificate.",
        "This was my final project of CS 229.",
        "Graded project for Module 4.",
        "Course project for the university's ML class.",
        "The final project for this course.",
        "Final project for the [DataTalksClub course](https://datatalks.club).",
    ],
    "mention:my-solutions": [
        "This repository contains my solutions to the exercises.",
        "This repo holds my homework for the autumn term.",
        "This repository contains my own notes.",
    ],
    "mention:ml-specialization": [
        "Notebooks from the Machine Learning Specialization by Andrew Ng.",
        "Mirror of greyhatguy007/Machine-Learning-Specialization-Coursera.",
    ],
    "mention:dl-specialization": [
        "Assignments of the Deep Learning Specialization.",
        "Forked from amanchadha/coursera-deep-learning-specialization.",
    ],
    "mention:freecodecamp": [
        "The freeCodeCamp Machine Learning with Python certification projects.",
        "Started from boilerplate at free-code-camp.",
    ],
    "mention:kaggle-learn": [
        "Exercises from https://www.kaggle.com/learn/intro-to-machine-learning"
    ],
}


def test_every_course_mention_has_examples() -> None:
    assert set(MENTION_EXAMPLES) == {marker.id for marker in COURSE_MENTIONS}
    assert {marker.family for marker in COURSE_MENTIONS} == {"course mention"}


@pytest.mark.parametrize(
    ("marker_id", "sentence"),
    [(marker_id, s) for marker_id, sentences in MENTION_EXAMPLES.items() for s in sentences],
)
def test_course_mentions_are_found_with_their_line(marker_id: str, sentence: str) -> None:
    found = list(course_mentions(f"# Project\n\n{sentence}\n", Location(path="README.md")))
    assert marker_id in [f.marker for f in found]
    fact = next(f for f in found if f.marker == marker_id)
    assert (fact.family, fact.location, fact.text) == (
        "course mention",
        Location(path="README.md", line=3),
        sentence,
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "I took a course on statistics before starting this project.",
        "The best course of action is to retrain weekly.",
        "In the course of training, the loss plateaued after 3 epochs.",
        "Of course, the project needs more data.",
        "This was the final project for the client, delivered in May.",
        "The final project of the team is a recommender.",
        "A capstone project for my company's analytics group.",
        "My machine learning specialization is NLP; my deep learning specialization is vision.",
        "We use HTML zoomcamps? No: html-zoomcamp is a typo.",
        "Nanometre-scale degree of precision.",
        "Certificate: https://coursera.org/verify/ABCD1234EFGH",
        "Built on deeplearning4j and deeplearning.airflow.example.com.",
        "This repository contains my implementation of a churn model.",
        "Free code review camp for new joiners.",
        "Data from https://www.kaggle.com/competitions/titanic and kaggle.com/learners.",
    ],
)
def test_ordinary_sentences_are_not_course_mentions(sentence: str) -> None:
    assert list(course_mentions(sentence, Location(path="README.md"))) == []


def test_one_course_mention_per_kind_at_its_first_line() -> None:
    text = "ML Zoomcamp week 1.\nnotes\nMLOps Zoomcamp and a Nanodegree.\n"
    found = [(f.marker, f.location.line) for f in course_mentions(text, Location(path="n.md"))]
    assert found == [("mention:zoomcamp", 1), ("mention:nanodegree", 3)]


def test_a_long_line_is_cut_around_the_mention() -> None:
    line = "word " * 60 + "this was my Capstone project for the IBM certificate " + "tail " * 40
    (fact,) = course_mentions(line, Location(path="README.md"))
    assert len(fact.text) <= 120
    assert "Capstone project for the IBM" in fact.text


# DataTalksClub layouts --------------------------------------------------------------------
def test_zoomcamp_module_folders_count_when_the_repo_has_homework(tmp_path: Path) -> None:
    facts = listing(
        tmp_path,
        {
            "homework.md": "## Homework\n\nQ1. Install MLflow\n",
            "02-experiment-tracking/preprocess_data.py": "x = 1\n",
            "02-experiment-tracking/homework.ipynb": "{}",
            "cohorts/2024/03-orchestration/README.md": "notes",
            "src/taxi/train.py": "x = 1\n",
        },
    )
    assert folders(facts) == ["02-experiment-tracking", "cohorts"]


def test_a_homework_folder_also_enables_zoomcamp_folders(tmp_path: Path) -> None:
    facts = listing(
        tmp_path,
        {
            "04-deployment/homework/predict.py": "x = 1\n",
            "05-monitoring/app.py": "x = 1\n",
        },
    )
    assert folders(facts) == ["04-deployment", "05-monitoring"]


def test_numbered_folders_without_homework_are_ordinary(tmp_path: Path) -> None:
    facts = listing(
        tmp_path,
        {
            "01-data/raw.csv": "a,b\n1,2\n",
            "02-features/build.py": "x = 1\n",
            "cohorts/analysis.py": "x = 1\n",
            "docs/homework-policy.txt": "not homework.md",
        },
    )
    assert folders(facts) == []


@pytest.mark.parametrize(
    ("name", "matches"),
    [
        ("cohorts", True),
        ("Cohorts", True),
        ("01-intro", True),
        ("02-experiment-tracking", True),
        ("06-best_practices", True),
        ("01-data", True),
        ("10-extras", False),
        ("01_data", False),
        ("1-intro", False),
        ("01-", False),
        ("cohort", False),
    ],
)
def test_zoomcamp_folder_names(name: str, matches: bool) -> None:
    assert bool(ZOOMCAMP_FOLDER.match(name)) is matches


def test_homework_markers() -> None:
    assert HOMEWORK_FILE.match("homework.md") and HOMEWORK_FILE.match("Homework.MD")
    assert not HOMEWORK_FILE.match("homework.py")
    assert HOMEWORK_FOLDER.match("homework") and HOMEWORK_FOLDER.match("Homeworks")
    assert not HOMEWORK_FOLDER.match("homework_old")
