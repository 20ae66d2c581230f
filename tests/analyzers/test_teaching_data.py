"""Teaching datasets recognised by name, loader and content, wherever they sit."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.analyzers.teaching_data import by_first_line, by_loader, normalise_column
from portfolio_check.app.scan import scan
from portfolio_check.model.rubric import Rubric
from tests.repos import RepoBuilder

TITANIC_HEADER = "PassengerId,Survived,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Cabin,Embarked"
CALIFORNIA_HEADER = (
    "longitude,latitude,housing_median_age,total_rooms,total_bedrooms,population,"
    "households,median_income,median_house_value,ocean_proximity"
)
ADULT_HEADER = (
    "age,workclass,fnlgt,education,education-num,marital-status,occupation,relationship,"
    "race,sex,capital-gain,capital-loss,hours-per-week,native-country,salary"
)


@pytest.mark.parametrize(
    ("line", "dataset"),
    [
        (TITANIC_HEADER, "Titanic"),
        (TITANIC_HEADER.upper() + "\r", "Titanic"),
        ('"' + '","'.join(TITANIC_HEADER.split(",")) + '"', "Titanic"),
        # the Kaggle test split has no Survived column; a submission has only two columns
        ("PassengerId,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Cabin,Embarked", "Titanic"),
        ("PassengerId,Survived", "Titanic"),
        ("Id,SepalLengthCm,SepalWidthCm,PetalLengthCm,PetalWidthCm,Species", "Iris"),
        ('"sepal.length","sepal.width","petal.length","petal.width","variety"', "Iris"),
        ("sepal length (cm);sepal width (cm);petal length (cm);petal width (cm)", "Iris"),
        ("5.1,3.5,1.4,0.2,Iris-setosa", "Iris"),  # iris.data has no header
        (
            "Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,"
            "DiabetesPedigreeFunction,Age,Outcome",
            "Pima diabetes",
        ),
        (CALIFORNIA_HEADER, "California housing"),
        (
            "MedInc\tHouseAge\tAveRooms\tAveBedrms\tPopulation\tAveOccup\tLatitude",
            "California housing",
        ),
        (ADULT_HEADER, "Adult census"),
        ("39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical", "Adult census"),
        (
            '"fixed acidity";"volatile acidity";"citric acid";"residual sugar";"chlorides";'
            '"free sulfur dioxide";"total sulfur dioxide";"density";"pH";"sulphates";"alcohol";'
            '"quality"',
            "Wine quality",
        ),
        (
            "gender,race_ethnicity,parental_level_of_education,lunch,test_preparation_course,"
            "math_score,reading_score,writing_score",
            "Student performance",
        ),
        ("Id,SalePrice", "Kaggle House Prices"),
        ("Id,MSSubClass,MSZoning,LotFrontage,LotArea,Street,Alley,LotShape", "Kaggle House Prices"),
        ("label," + ",".join(f"pixel{index}" for index in range(784)), "MNIST"),
        # real tables that share a column or two with a teaching set are not teaching sets
        ("date,store,units", None),
        ("id,age,sex,income,region", None),
        ("Id,SalePrice,Neighborhood,Store", None),
        ("customer_id,tenure,monthly_spend,churned", None),
        ("numpy==1.26.4", None),
        ("", None),
    ],
)
def test_teaching_sets_by_first_line(line: str, dataset: str | None) -> None:
    assert by_first_line(line) == dataset


def test_column_names_normalise_across_spellings() -> None:
    spellings = {"Sepal.Length (cm)", "sepal_length", "SepalLengthCm", " 'sepal length' "}
    assert {normalise_column(spelling) for spelling in spellings} == {"sepallength"}


@pytest.mark.parametrize(
    ("call", "dataset"),
    [
        ("sklearn.datasets.load_iris", "Iris"),
        ("sklearn.datasets.fetch_california_housing", "California housing"),
        ("sklearn.datasets.make_classification", "synthetic (make_classification)"),
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
def test_teaching_sets_by_loader(call: str, dataset: str | None) -> None:
    assert by_loader(call) == dataset


def test_a_renamed_teaching_set_counts_as_certification_evidence(
    tmp_path: Path, rubric: Rubric
) -> None:
    """California housing saved as `data/housing.csv`, the census set as `data/census.csv`
    and a headerless `iris` file under another name: each is found by what it holds."""
    repo = RepoBuilder(tmp_path / "housing")
    repo.files(
        {
            "data/housing.csv": f"{CALIFORNIA_HEADER}\n-122.23,37.88,41,880,129,322,126,8.3,452600,NEAR BAY\n",
            "data/census.csv": f"{ADULT_HEADER}\n39,State-gov,77516,Bachelors,13,Never-married,"
            "Adm-clerical,Not-in-family,White,Male,2174,0,40,United-States,<=50K\n",
            "data/flowers.data": "5.1,3.5,1.4,0.2,Iris-setosa\n4.9,3.0,1.4,0.2,Iris-setosa\n",
            "data/sales.csv": "date,store,units\n2024-01-01,3,17\n",
            "train.py": "import pandas as pd\nframe = pd.read_csv('data/housing.csv')\n",
        }
    ).commit("data and training script", date="2024-03-01T10:00:00")
    card = scan(repo.root, rubric=rubric)
    toy = card.category("toy-data").criteria[0]
    assert {(item.path, item.detail) for item in toy.evidence} == {
        ("data/housing.csv", "teaching dataset California housing (content)"),
        ("data/census.csv", "teaching dataset Adult census (content)"),
        ("data/flowers.data", "teaching dataset Iris (content)"),
    }
    assert card.category("toy-data").score == 100
