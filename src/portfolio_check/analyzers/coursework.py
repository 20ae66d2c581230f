"""Certification-only evidence: grader scaffolding, course layouts, teaching datasets and
certificates. The markers are inserted by course platforms, not by learners, which makes them
precise (shared/research/signals-catalogue.md, section 5).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.facts import (
    CertificateFact,
    CourseFolderFact,
    CourseMarkerFact,
    Fact,
    ToyDatasetFact,
)
from portfolio_check.snapshot import Location, Snapshot


@dataclass(frozen=True, kw_only=True)
class Marker:
    id: str
    family: str
    pattern: re.Pattern[str]


def _marker(marker_id: str, family: str, pattern: str, flags: int = 0) -> Marker:
    return Marker(id=marker_id, family=family, pattern=re.compile(pattern, flags))


DLAI = "DeepLearning.AI"
#: Grader scaffolding found in notebook cells and course scripts (catalogue section 5.1).
TEXT_MARKERS: tuple[Marker, ...] = (
    _marker("graded-function", DLAI, r"#\s*GRADED (?:FUNCTION|CLASS|CELL)\b"),
    _marker("start-code-here", DLAI, r"#{2,}\s*START CODE HERE"),
    _marker("unique-cell-id", DLAI, r"#\s*UNQ_C\d+"),
    _marker("public-tests", DLAI, r"\bfrom public_tests import\b|\bimport public_tests\b"),
    _marker("unit-test-module", DLAI, r"\bimport w\d_unittest\b|\bw\d_unittest\.test_"),
    _marker("test-utils-comparator", DLAI, r"from test_utils import .*\bcomparator\b"),
    _marker("expected-output", DLAI, r"\*\*Expected Output:?\*\*"),
    _marker("cs231n-your-code", "Stanford CS231n", r"\*{5}START OF YOUR CODE \(DO NOT DELETE"),
    _marker(
        "learntools-binder",
        "Kaggle Learn",
        r"\bfrom learntools\.core import binder\b"
        r"|\bbinder\.bind\(globals\(\)\)|\bfrom learntools\.\w+\.ex\d+ import",
    ),
    _marker("kaggle-learn-check", "Kaggle Learn", r"\b(?:q_?\d+|step_\d+)\.check\(\)"),
    _marker(
        "udacity-unittests",
        "Udacity",
        r"\bimport problem_unittests\b"
        r"|DON'T MODIFY ANYTHING IN THIS CELL",
    ),
    _marker("fastbook-setup", "fast.ai course", r"\bfastbook\.setup_book\(\)"),
    _marker(
        "ibm-skills-network",
        "IBM Skills Network",
        r"IBMDeveloperSkillsNetwork-[A-Z0-9]+-SkillsNetwork|cognitiveclass\.ai logo",
    ),
    _marker("all-tests-passed", DLAI, r"All tests passed[!.]"),
)

#: Notebook metadata keys that course platforms write (catalogue section 5.2).
METADATA_MARKERS: dict[str, tuple[str, str]] = {
    "coursera": ("coursera-metadata", "Coursera"),
    "nbgrader": ("nbgrader-metadata", "nbgrader"),
}

#: File names of course helper and grader modules (catalogue section 5.3).
DLAI_HELPER_FILES = (
    "public_tests.py", "test_utils.py", "testcases.py", "testcases_v2.py", "testcases_v3.py",
    "testcases_v4a.py", "lab_utils_common.py", "lab_utils_uni.py", "lab_utils_multi.py",
    "deeplearning.mplstyle", "dnn_app_utils_v3.py", "planar_utils.py", "lr_utils.py",
    "generatetestcases.py", "w2v_utils.py",
)  # fmt: skip
COURSE_HELPER_FILES: dict[str, str] = dict.fromkeys(DLAI_HELPER_FILES, DLAI) | {
    "problem_unittests.py": "Udacity",
    "rps_game.py": "freeCodeCamp",
}

COURSE_FOLDER = re.compile(
    r"^(?:week[\s_-]*\d+|w\d+|c\d+[\s_-]*w\d+(?:[\s_-]*a\d+)?|module[\s_-]*\d+|"
    r"assignment[\s_-]*\d*|homework[\s_-]*\d*|hw[\s_-]*\d+|lab[\s_-]*\d+|"
    r".*ungraded[\s_-]*labs?.*|course[\s_-]*\d+|optional[\s_-]*labs?|capstone.*)$",
    re.IGNORECASE,
)

#: Classic teaching data sets, by file name (catalogue section 5.6).
TOY_DATA_FILES: dict[str, str] = {
    "iris.csv": "Iris",
    "iris.data": "Iris",
    "titanic.csv": "Titanic",
    "titanic-dataset.csv": "Titanic",
    "gender_submission.csv": "Titanic",
    "winequality-red.csv": "Wine quality",
    "winequality-white.csv": "Wine quality",
    "bostonhousing.csv": "Boston housing",
    "boston.csv": "Boston housing",
    "diabetes.csv": "Pima diabetes",
    "heart.csv": "Heart disease",
    "mall_customers.csv": "Mall customers",
    "social_network_ads.csv": "Social network ads",
    "churn_modelling.csv": "Churn modelling",
    "50_startups.csv": "50 startups",
    "salary_data.csv": "Salary data",
    "position_salaries.csv": "Position salaries",
    "advertising.csv": "Advertising",
    "stud.csv": "Student performance",
    "drug200.csv": "Drug200",
    "telecust1000t.csv": "IBM teleCust",
    "train_catvnoncat.h5": "Cat vs non-cat",
    "test_catvnoncat.h5": "Cat vs non-cat",
    "train_signs.h5": "Signs",
    "ex1data1.txt": "Coursera ML ex1",
    "ex2data1.txt": "Coursera ML ex2",
    "mnist.npz": "MNIST",
    "creditcard.csv": "Credit card fraud",
    "insurance.csv": "Insurance",
}

#: Loader calls that fetch teaching data (catalogue section 5.6), as dotted prefixes.
TOY_LOADERS: dict[str, str] = {
    "sklearn.datasets.load_iris": "Iris",
    "sklearn.datasets.load_wine": "Wine",
    "sklearn.datasets.load_breast_cancer": "Breast cancer",
    "sklearn.datasets.load_digits": "Digits",
    "sklearn.datasets.load_diabetes": "Diabetes",
    "sklearn.datasets.load_boston": "Boston housing",
    "sklearn.datasets.fetch_california_housing": "California housing",
    "sklearn.datasets.fetch_20newsgroups": "20 newsgroups",
    "seaborn.load_dataset": "seaborn sample",
    "tensorflow.keras.datasets.mnist.load_data": "MNIST",
    "tensorflow.keras.datasets.fashion_mnist.load_data": "Fashion-MNIST",
    "tensorflow.keras.datasets.cifar10.load_data": "CIFAR-10",
    "keras.datasets.mnist.load_data": "MNIST",
    "keras.datasets.fashion_mnist.load_data": "Fashion-MNIST",
    "torchvision.datasets.MNIST": "MNIST",
    "torchvision.datasets.FashionMNIST": "Fashion-MNIST",
    "torchvision.datasets.CIFAR10": "CIFAR-10",
}

#: CSV headers of teaching data sets, compared after lower-casing.
TOY_HEADERS: dict[str, str] = {
    "passengerid,survived,pclass,name,sex,age,sibsp,parch,ticket,fare,cabin,embarked": "Titanic",
    "sepal_length,sepal_width,petal_length,petal_width,species": "Iris",
    "id,sepallengthcm,sepalwidthcm,petallengthcm,petalwidthcm,species": "Iris",
    "pregnancies,glucose,bloodpressure,skinthickness,insulin,bmi,"
    "diabetespedigreefunction,age,outcome": "Pima diabetes",
}

CERTIFICATE_FILE = re.compile(r"certificat(e|ion)|badge", re.IGNORECASE)
CERTIFICATE_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".webp", ".svg"})
CERTIFICATE_LINK = re.compile(
    r"(?:coursera\.org/(?:verify|share|account/accomplishments)/\S+"
    r"|credly\.com/badges/[0-9a-f-]{36}"
    r"|confirm\.udacity\.com/\S+"
    r"|udemy\.com/certificate/UC-[0-9a-fA-F-]+|ude\.my/UC-\S+"
    r"|kaggle\.com/learn/certification/\S+"
    r"|datacamp\.com/statement-of-accomplishment/\S+"
    r"|freecodecamp\.org/certification/\S+"
    r"|courses\.edx\.org/certificates/\S+"
    r"|linkedin\.com/learning/certificates/\S+)",
    re.IGNORECASE,
)
#: Punctuation that ends a sentence, a Markdown link or an HTML attribute, not the URL.
URL_TRAILERS = ".,;:!?)]}>\"'`*"


def markers_in_text(text: str, location: Location) -> Iterator[CourseMarkerFact]:
    """Course markers in one piece of text, each with its line. One fact per marker kind."""
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for marker in TEXT_MARKERS:
            if marker.id in seen:
                continue
            match = marker.pattern.search(line)
            if match:
                seen.add(marker.id)
                yield CourseMarkerFact(
                    location=Location(path=location.path, line=number, cell=location.cell),
                    marker=marker.id,
                    family=marker.family,
                    text=line.strip()[:120],
                )


def certificate_links(text: str, path: str) -> Iterator[CertificateFact]:
    for number, line in enumerate(text.splitlines(), start=1):
        match = CERTIFICATE_LINK.search(line)
        if match:
            yield CertificateFact(
                location=Location(path=path, line=number),
                via="link",
                text=match.group(0).rstrip(URL_TRAILERS)[:120],
            )


def toy_loader(call_name: str) -> str | None:
    for loader, dataset in TOY_LOADERS.items():
        if call_name == loader or call_name.startswith(loader + "."):
            return dataset
    return None


def toy_header(first_line: str) -> str | None:
    return TOY_HEADERS.get(first_line.strip().lower().replace('"', "").replace(" ", ""))


class CourseworkListingAnalyzer:
    """Course evidence that the file list alone shows: folders, helpers, data, certificates."""

    name = "coursework"

    def analyze_listing(self, snapshot: Snapshot, context: AnalysisContext) -> Iterator[Fact]:
        folders: set[str] = set()
        for entry in snapshot:
            location = Location(path=entry.path)
            lower_name = entry.name.lower()
            for depth, part in enumerate(entry.parts[:-1]):
                if COURSE_FOLDER.match(part):
                    folders.add("/".join(entry.parts[: depth + 1]))
            if lower_name in COURSE_HELPER_FILES:
                yield CourseMarkerFact(
                    location=location,
                    marker="course-helper-file",
                    family=COURSE_HELPER_FILES[lower_name],
                    text=entry.name,
                )
            if lower_name in TOY_DATA_FILES:
                yield ToyDatasetFact(
                    location=location, dataset=TOY_DATA_FILES[lower_name], via="file"
                )
            elif entry.suffix == ".csv":
                dataset = toy_header(snapshot.read_head(entry))
                if dataset:
                    yield ToyDatasetFact(location=location, dataset=dataset, via="header")
            if entry.suffix in CERTIFICATE_SUFFIXES and CERTIFICATE_FILE.search(
                PurePosixPath(entry.path).stem
            ):
                yield CertificateFact(location=location, via="file", text=entry.name)
        for folder in sorted(_outermost(folders)):
            yield CourseFolderFact(location=Location(path=folder), folder=folder)


def _outermost(folders: set[str]) -> set[str]:
    """Keep `week1` and drop `week1/lab2`: one course folder per subtree."""
    return {f for f in folders if not any(f.startswith(other + "/") for other in folders)}
