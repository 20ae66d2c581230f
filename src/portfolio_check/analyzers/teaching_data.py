"""Teaching datasets: the classic sets that courses and tutorials hand out (Iris, Titanic,
the UCI Adult census, California housing, MNIST...), recognised by file name, by the loader
call that fetches them, or by their content wherever they sit under whatever name.

Content is the first line of a data file: the columns of its header, compared as a set
after normalising each name (`Sepal.Length`, `sepal_length` and `SepalLengthCm` are one
column), or, for files that have no header (`iris.data`, `adult.data`), the shape of the
first row. A set is recognised when enough of its distinctive columns are there, so a
subset of the columns (a prediction input, a train/test split) is recognised too, while a
table that merely shares a common column (`age`, `id`) is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Data files whose first line is read, by suffix: tables and the UCI `.data` files.
DATA_SUFFIXES = frozenset({".csv", ".tsv", ".data", ".txt", ".dat"})
MAX_COLUMNS = 4096  # a header longer than this is cut: MNIST's 785 columns fit easily

#: Classic teaching data sets, by file name (catalogue section 5.6).
TEACHING_FILES: dict[str, str] = {
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
    "adult.data": "Adult census",
    "adult.test": "Adult census",
}

#: Loader calls that fetch teaching data (catalogue section 5.6), as dotted prefixes.
TEACHING_LOADERS: dict[str, str] = {
    "sklearn.datasets.load_iris": "Iris",
    "sklearn.datasets.load_wine": "Wine",
    "sklearn.datasets.load_breast_cancer": "Breast cancer",
    "sklearn.datasets.load_digits": "Digits",
    "sklearn.datasets.load_diabetes": "Diabetes",
    "sklearn.datasets.load_boston": "Boston housing",
    "sklearn.datasets.fetch_california_housing": "California housing",
    "sklearn.datasets.fetch_20newsgroups": "20 newsgroups",
    "sklearn.datasets.make_classification": "synthetic (make_classification)",
    "sklearn.datasets.make_regression": "synthetic (make_regression)",
    "sklearn.datasets.make_blobs": "synthetic (make_blobs)",
    "sklearn.datasets.make_moons": "synthetic (make_moons)",
    "sklearn.datasets.make_circles": "synthetic (make_circles)",
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


_UNIT_SUFFIX = re.compile(r"(?<=[a-z])(cm|mm)$")


def normalise_column(cell: str) -> str:
    """`"Sepal.Length (cm)"`, `sepal_length` and `SepalLengthCm` all become `sepallength`."""
    name = re.sub(r"[^a-z0-9]", "", cell.lower())
    return _UNIT_SUFFIX.sub("", name)


@dataclass(frozen=True)
class TableSignature:
    """A teaching set's distinctive columns (normalised), and how many must be present."""

    dataset: str
    columns: frozenset[str]
    needed: int
    exact: bool = False  # the header is these columns and nothing else (a submission file)

    def matches(self, header: frozenset[str]) -> bool:
        if self.exact:
            return header == self.columns
        return len(self.columns & header) >= self.needed


def _signature(dataset: str, columns: str, needed: int | None = None) -> TableSignature:
    names = frozenset(normalise_column(name) for name in columns.split())
    return TableSignature(dataset, names, len(names) if needed is None else needed)


def _submission(dataset: str, columns: str) -> TableSignature:
    names = frozenset(normalise_column(name) for name in columns.split())
    return TableSignature(dataset, names, 0, exact=True)


#: Normalised column names of each set (lower case, letters and digits only, a trailing
#: unit such as `cm` dropped). Distinctive columns only: `age` or `id` prove nothing.
TABLE_SIGNATURES: tuple[TableSignature, ...] = (
    _signature("Iris", "sepallength sepalwidth petallength petalwidth"),
    _signature("Titanic", "pclass sibsp parch"),
    _submission("Titanic", "passengerid survived"),
    _signature(
        "Spaceship Titanic",
        "homeplanet cryosleep destination vip roomservice foodcourt shoppingmall spa vrdeck",
        6,
    ),
    _signature(
        "Adult census",
        "workclass fnlwgt fnlgt educationnum maritalstatus capitalgain capitalloss "
        "hoursperweek nativecountry",
        6,
    ),
    _signature(
        "California housing",
        "longitude latitude housingmedianage totalrooms totalbedrooms households medianincome "
        "medianhousevalue oceanproximity",
        6,
    ),
    _signature("California housing", "medinc houseage averooms avebedrms aveoccup", 4),
    _signature("Boston housing", "crim zn indus chas nox rm dis rad ptratio lstat medv", 8),
    _signature(
        "Wine quality",
        "fixedacidity volatileacidity citricacid residualsugar chlorides freesulfurdioxide "
        "totalsulfurdioxide density sulphates",
        7,
    ),
    _signature(
        "Wine",
        "malicacid ash alcalinityofash magnesium totalphenols flavanoids nonflavanoidphenols "
        "proanthocyanins colorintensity od280od315ofdilutedwines proline",
        7,
    ),
    _signature(
        "Pima diabetes",
        "pregnancies glucose bloodpressure skinthickness insulin diabetespedigreefunction",
        5,
    ),
    _signature("Heart disease", "trestbps chol fbs restecg thalach exang oldpeak thal", 6),
    _signature(
        "Breast cancer",
        "radiusmean texturemean perimetermean areamean smoothnessmean compactnessmean "
        "concavitymean concavepointsmean symmetrymean fractaldimensionmean",
        6,
    ),
    _signature(
        "Student performance",
        "raceethnicity parentallevelofeducation lunch testpreparationcourse mathscore "
        "readingscore writingscore",
        5,
    ),
    _signature(
        "Telco customer churn",
        "seniorcitizen partner dependents phoneservice multiplelines internetservice "
        "onlinesecurity onlinebackup deviceprotection techsupport streamingtv "
        "paperlessbilling paymentmethod monthlycharges totalcharges",
        8,
    ),
    _signature(
        "Churn modelling",
        "rownumber surname creditscore geography numofproducts hascrcard isactivemember "
        "estimatedsalary exited",
        6,
    ),
    _signature(
        "Kaggle House Prices",
        "mssubclass mszoning lotfrontage lotarea lotshape landcontour lotconfig landslope "
        "neighborhood bldgtype housestyle overallqual overallcond yearbuilt yearremodadd",
        4,
    ),
    _submission("Kaggle House Prices", "id saleprice"),
    _submission("MNIST", "imageid label"),
    _signature("Mall customers", "annualincomek spendingscore1100", 2),
    _signature("Social network ads", "userid gender age estimatedsalary purchased"),
    _signature("Salary data", "yearsexperience salary"),
    _signature("Advertising", "tv radio newspaper sales"),
    _signature("50 startups", "rdspend administration marketingspend state profit", 4),
    _signature("Insurance", "age sex bmi children smoker region charges", 6),
    _signature("Palmer penguins", "island billlengthmm billdepthmm flipperlengthmm bodymassg", 4),
    _signature(
        "Auto MPG", "mpg cylinders displacement horsepower weight acceleration modelyear", 6
    ),
    _signature(
        "Bank marketing",
        "job marital education default balance housing loan contact campaign pdays previous "
        "poutcome",
        10,
    ),
)

_PIXEL = re.compile(r"^pixel\d+$")
_MNIST_PIXELS = 100  # `label,pixel0,...,pixel783` (Kaggle's Digit Recognizer, MNIST as CSV)

#: The first row of teaching sets that ship without a header.
HEADERLESS_ROWS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?){3}\s*,\s*Iris-(setosa|versicolor|virginica)"
        ),
        "Iris",
    ),
    (
        re.compile(
            r"^\s*\d+\s*,\s*[A-Za-z?-]+\s*,\s*\d+\s*,\s*(Bachelors|HS-grad|Masters|Some-college|"
            r"Assoc-acdm|Assoc-voc|Doctorate|Prof-school|\d+(st|nd|rd|th)(-\d+th)?|Preschool)\s*,"
        ),
        "Adult census",
    ),
)


def by_file_name(name: str) -> str | None:
    """The teaching set a file is, by its name alone."""
    return TEACHING_FILES.get(name.lower())


def by_loader(call_name: str) -> str | None:
    """The teaching set a loader call fetches (`sklearn.datasets.load_iris`)."""
    for loader, dataset in TEACHING_LOADERS.items():
        if call_name == loader or call_name.startswith(loader + "."):
            return dataset
    return None


def by_first_line(first_line: str) -> str | None:
    """The teaching set a data file holds, from its first line: a header or a first row."""
    line = first_line.strip().lstrip("\ufeff")
    if not line:
        return None
    for pattern, dataset in HEADERLESS_ROWS:
        if pattern.match(line):
            return dataset
    header = header_columns(line)
    if sum(1 for column in header if _PIXEL.match(column)) >= _MNIST_PIXELS:
        return "MNIST"
    return next((sig.dataset for sig in TABLE_SIGNATURES if sig.matches(header)), None)


def header_columns(line: str) -> frozenset[str]:
    """The normalised column names of a header line, split on its commonest delimiter."""
    delimiter = max(",;\t|", key=line.count)
    cells = line.split(delimiter, MAX_COLUMNS)[:MAX_COLUMNS]
    return frozenset(filter(None, (normalise_column(cell) for cell in cells)))
