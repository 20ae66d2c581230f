"""Calibration repositories: seven realistic ML repositories a reviewer would rank by hand.

Each builder writes a repository the way its author would have (real git history with dated
commits, real nbformat notebooks, code that parses and reads like the genre it stands for)
and returns its path. `tests/test_calibration.py` scans all seven and compares the tool's
scores with the order a senior ML engineer gives them.

The seven cover the range a hiring reviewer meets: a Coursera specialization dump, a
learner's own notebooks on teaching data, a course capstone with real tooling, a clone of a
YouTube tutorial template, a README full of claims, a small honest project and a
production-grade service.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.repos import RepoBuilder

KERNEL: dict[str, Any] = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "version": "3.10.12"},
}

GREEN_PASS = "\x1b[92mAll tests passed!\n"


def _nbgrader(grade_id: str, *, solution: bool = True) -> dict[str, Any]:
    """Cell metadata written by nbgrader, as Coursera's labs carry it."""
    return {
        "deletable": False,
        "nbgrader": {
            "cell_type": "code",
            "checksum": "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
            "grade": False,
            "grade_id": grade_id,
            "locked": False,
            "schema_version": 3,
            "solution": solution,
            "task": False,
        },
    }


def _coursera(slug: str, graded_item: str, launcher_item: str) -> dict[str, Any]:
    return {
        **KERNEL,
        "coursera": {
            "course_slug": slug,
            "graded_item_id": graded_item,
            "launcher_item_id": launcher_item,
        },
    }


# 1. pure_coursework ----------------------------------------------------------------------
def build_pure_coursework(root: Path) -> Path:
    """A Machine Learning / Deep Learning Specialization dump, uploaded through the web UI."""
    repo = RepoBuilder(root)
    repo.notebook(
        "C1W2/C1_W2_Linear_Regression.ipynb",
        [
            (
                "markdown",
                "# Practice Lab: Linear Regression\n\n"
                "Welcome to your first practice lab! In this lab, you will implement linear "
                "regression with one variable to predict profits for a restaurant franchise.\n\n"
                "# Outline\n- [ 1 - Packages ](#1)\n- [ 2 - Linear regression with one variable ](#2)\n"
                "  - [ 2.1 Problem Statement](#2.1)\n  - [ 2.2 Dataset](#2.2)\n"
                "  - [ 2.3 Refresher on linear regression](#2.3)\n  - [ 2.4 Compute Cost](#2.4)\n"
                "    - [ Exercise 1](#ex01)\n  - [ 2.5 Gradient descent ](#2.5)\n"
                "    - [ Exercise 2](#ex02)",
            ),
            (
                "code",
                "import numpy as np\nimport matplotlib.pyplot as plt\nfrom utils import *\n"
                "import copy\nimport math\n%matplotlib inline",
            ),
            (
                "markdown",
                "## 2 - Problem Statement\n\nSuppose you are the CEO of a restaurant franchise and "
                "are considering different cities for opening a new outlet.\n\n"
                "- `utils.py` contains helper functions for this assignment. You do not need to "
                "modify code in this file.",
            ),
            ("code", "# load the dataset\nx_train, y_train = load_data()"),
            (
                "code",
                '# print x_train\nprint("Type of x_train:",type(x_train))\n'
                'print("First five elements of x_train are:\\n", x_train[:5])',
            ),
            (
                "code",
                "# UNQ_C1\n# GRADED FUNCTION: compute_cost\n\ndef compute_cost(x, y, w, b): \n"
                '    """\n    Computes the cost function for linear regression.\n    """\n'
                "    # number of training examples\n    m = x.shape[0] \n\n"
                "    # You need to return this variable correctly\n    total_cost = 0\n\n"
                "    ### START CODE HERE ###\n    cost_sum = 0\n    for i in range(m):\n"
                "        f_wb = w * x[i] + b\n        cost = (f_wb - y[i]) ** 2\n"
                "        cost_sum = cost_sum + cost\n    total_cost = (1 / (2 * m)) * cost_sum\n"
                "    ### END CODE HERE ### \n\n    return total_cost",
            ),
            (
                "code",
                "# Compute cost with some initial values for paramaters w, b\ninitial_w = 2\n"
                "initial_b = 1\n\ncost = compute_cost(x_train, y_train, initial_w, initial_b)\n"
                "print(type(cost))\nprint(f'Cost at initial w: {cost:.3f}')\n\n"
                "# Public tests\nfrom public_tests import *\ncompute_cost_test(compute_cost)",
            ),
            (
                "markdown",
                "**Expected Output**:\n<table>\n  <tr>\n    <td> <b>Cost at initial w:<b> 75.203 </td> \n"
                "  </tr>\n</table>",
            ),
            (
                "code",
                "# UNQ_C2\n# GRADED FUNCTION: compute_gradient\ndef compute_gradient(x, y, w, b): \n"
                "    m = x.shape[0]\n    dj_dw = 0\n    dj_db = 0\n\n    ### START CODE HERE ###\n"
                "    for i in range(m):\n        f_wb = w * x[i] + b\n"
                "        dj_dw_i = (f_wb - y[i]) * x[i]\n        dj_db_i = f_wb - y[i]\n"
                "        dj_db += dj_db_i\n        dj_dw += dj_dw_i\n    dj_dw = dj_dw / m\n"
                "    dj_db = dj_db / m\n    ### END CODE HERE ### \n\n    return dj_dw, dj_db",
            ),
            (
                "code",
                "initial_w = 0\ninitial_b = 0\n\n"
                "tmp_dj_dw, tmp_dj_db = compute_gradient(x_train, y_train, initial_w, initial_b)\n"
                "print('Gradient at initial w, b (zeros):', tmp_dj_dw, tmp_dj_db)\n\n"
                "compute_gradient_test(compute_gradient)",
            ),
            (
                "code",
                "initial_w = 0.\ninitial_b = 0.\niterations = 1500\nalpha = 0.01\n\n"
                "w,b,_,_ = gradient_descent(x_train ,y_train, initial_w, initial_b, \n"
                "                     compute_cost, compute_gradient, alpha, iterations)\n"
                'print("w,b found by gradient descent:", w, b)',
            ),
        ],
        metadata=_coursera("machine-learning", "LLgQQ", "Yx9mT"),
        cell_metadata={5: _nbgrader("cell-0a1c5e2b9d"), 8: _nbgrader("cell-7e3f1a6c2b")},
        outputs={
            4: "Type of x_train: <class 'numpy.ndarray'>\nFirst five elements of x_train are:\n [6.1101 5.5277 8.5186 7.0032 5.8598]\n",
            6: "<class 'numpy.float64'>\nCost at initial w: 75.203\n" + GREEN_PASS,
            9: "Gradient at initial w, b (zeros): -65.32884974555672 -5.83913505154639\n"
            + GREEN_PASS,
            10: "Iteration    0: Cost     6.74   \nIteration  150: Cost     5.31   \nIteration 1350: Cost     4.48   \nw,b found by gradient descent: 1.166362350335582 -3.63029143940436\n",
        },
    )
    repo.notebook(
        "C1W3/C1_W3_Logistic_Regression.ipynb",
        [
            (
                "markdown",
                "# Logistic Regression\n\nIn this exercise, you will implement logistic "
                "regression and apply it to two different datasets.",
            ),
            (
                "code",
                "import numpy as np\nimport matplotlib.pyplot as plt\nfrom utils import *\n"
                "import copy\nimport math\n\n%matplotlib inline",
            ),
            (
                "code",
                '# load dataset\nX_train, y_train = load_data("data/ex2data1.txt")',
            ),
            (
                "code",
                "# UNQ_C1\n# GRADED FUNCTION: sigmoid\n\ndef sigmoid(z):\n"
                "    ### START CODE HERE ### \n    g = 1 / (1 + np.exp(-z))\n"
                "    ### END SOLUTION ###  \n    \n    return g",
            ),
            (
                "code",
                'print ("sigmoid(0) = " + str(sigmoid(0)))\n\n'
                "# UNIT TESTS\nfrom public_tests import *\nsigmoid_test(sigmoid)",
            ),
            (
                "code",
                "# UNQ_C2\n# GRADED FUNCTION: compute_cost\ndef compute_cost(X, y, w, b, *argv):\n"
                "    m, n = X.shape\n    ### START CODE HERE ###\n    loss_sum = 0\n"
                "    for i in range(m):\n        z_wb = np.dot(X[i], w) + b\n"
                "        f_wb = sigmoid(z_wb)\n"
                "        loss = -y[i] * np.log(f_wb) - (1 - y[i]) * np.log(1 - f_wb)\n"
                "        loss_sum += loss\n    total_cost = (1 / m) * loss_sum\n"
                "    ### END CODE HERE ### \n\n    return total_cost",
            ),
            (
                "code",
                "m, n = X_train.shape\ninitial_w = np.zeros(n)\ninitial_b = 0.\n"
                "cost = compute_cost(X_train, y_train, initial_w, initial_b)\n"
                "print('Cost at initial w and b (zeros): {:.3f}'.format(cost))\n\n"
                "# UNIT TESTS\ncompute_cost_test(compute_cost)",
            ),
            ("markdown", "**Expected Output**:\n\nCost at initial w and b (zeros): 0.693"),
        ],
        metadata=_coursera("machine-learning", "e2kP9", "Wq1Rn"),
        cell_metadata={3: _nbgrader("cell-3b9d0c1f"), 5: _nbgrader("cell-f47a2e88")},
        outputs={
            4: "sigmoid(0) = 0.5\n" + GREEN_PASS,
            6: "Cost at initial w and b (zeros): 0.693\n" + GREEN_PASS,
        },
    )
    repo.notebook(
        "C2W1/C2_W1_Assignment.ipynb",
        [
            (
                "markdown",
                "# Deep Neural Network for Image Classification: Application\n\n"
                "You will use the functions you'd implemented in the previous assignment to "
                "build a deep network, and apply it to cat vs non-cat classification.",
            ),
            (
                "code",
                "import time\nimport numpy as np\nimport h5py\nimport matplotlib.pyplot as plt\n"
                "from testCases_v2 import *\nfrom lab_utils_common import *\n"
                "from public_tests import *\n\n%matplotlib inline\nnp.random.seed(1)",
            ),
            (
                "code",
                "train_x_orig, train_y, test_x_orig, test_y, classes = load_data()\n"
                'm_train = train_x_orig.shape[0]\nprint ("Number of training examples: " + str(m_train))',
            ),
            (
                "code",
                "# UNQ_C1\n# GRADED FUNCTION: two_layer_model\n\n"
                "def two_layer_model(X, Y, layers_dims, learning_rate = 0.0075, num_iterations = 3000, print_cost=False):\n"
                "    np.random.seed(1)\n    grads = {}\n    costs = []\n    m = X.shape[1]\n"
                "    (n_x, n_h, n_y) = layers_dims\n    \n    # (≈ 1 line of code)\n"
                "    # YOUR CODE STARTS HERE\n    parameters = initialize_parameters(n_x, n_h, n_y)\n"
                '    # YOUR CODE ENDS HERE\n    W1 = parameters["W1"]\n    b1 = parameters["b1"]\n'
                '    W2 = parameters["W2"]\n    b2 = parameters["b2"]\n'
                "    for i in range(0, num_iterations):\n        #### START CODE HERE ####\n"
                '        A1, cache1 = linear_activation_forward(X, W1, b1, "relu")\n'
                '        A2, cache2 = linear_activation_forward(A1, W2, b2, "sigmoid")\n'
                "        cost = compute_cost(A2, Y)\n        #### END CODE HERE ####\n"
                "    return parameters, costs",
            ),
            (
                "code",
                "parameters, costs = two_layer_model(train_x, train_y, layers_dims = (n_x, n_h, n_y), num_iterations = 2, print_cost=False)\n\n"
                'print("Cost after first iteration: " + str(costs[0]))\n\n'
                "two_layer_model_test(two_layer_model)",
            ),
            (
                "markdown",
                "**Expected Output**:\n\nCost after first iteration: 0.693049735659989\n\n"
                "Congratulations on finishing this assignment!",
            ),
        ],
        metadata=_coursera("neural-networks-deep-learning", "TSPse", "24mxX"),
        cell_metadata={3: _nbgrader("cell-1d4f7a3e")},
        outputs={
            2: "Number of training examples: 209\n",
            4: "Cost after first iteration: 0.693049735659989\n" + GREEN_PASS,
        },
    )
    ex1 = "".join(
        f"{x},{y}\n"
        for x, y in [
            ("6.1101", "17.592"),
            ("5.5277", "9.1302"),
            ("8.5186", "13.662"),
            ("7.0032", "11.854"),
            ("5.8598", "6.8233"),
            ("8.3829", "11.886"),
            ("7.4764", "4.3483"),
            ("8.5781", "12"),
        ]
    )
    ex2 = (
        "34.62365962451697,78.0246928153624,0\n30.28671076822607,43.89499752400101,0\n"
        "35.84740876993872,72.90219802708364,0\n60.18259938620976,86.30855209546826,1\n"
        "79.0327360507101,75.3443764369103,1\n"
    )
    hdf5 = b"\x89HDF\r\n\x1a\n" + bytes(56) + b"train_set_x\x00train_set_y\x00list_classes\x00"
    repo.files(
        {
            "C1W2/utils.py": """
                import numpy as np

                def load_data():
                    data = np.loadtxt("data/ex1data1.txt", delimiter=',')
                    X = data[:,0]
                    y = data[:,1]
                    return X, y

                def load_data_multi():
                    data = np.loadtxt("data/ex2data2.txt", delimiter=',')
                    X = data[:,:2]
                    y = data[:,2]
                    return X, y
            """,
            "C1W2/public_tests.py": """
                import numpy as np

                def compute_cost_test(target):
                    # print("Using X with shape (4, 1)")
                    # Case 1
                    x = np.array([2, 4, 6, 8]).T
                    y = np.array([7, 11, 15, 19]).T
                    initial_w = 2
                    initial_b = 3.0
                    cost = target(x, y, initial_w, initial_b)
                    assert cost == 0, f"Case 1: Cost must be 0 for a perfect prediction but got {cost}"

                    # Case 2
                    initial_w = 2.0
                    initial_b = 1.0
                    cost = target(x, y, initial_w, initial_b)
                    assert cost == 2, f"Case 2: Cost must be 2 but got {cost}"

                    print("\\033[92mAll tests passed!")

                def compute_gradient_test(target):
                    print("Using X with shape (4, 1)")
                    x = np.array([2, 4, 6, 8]).T
                    y = np.array([4.5, 8.5, 12.5, 16.5]).T
                    initial_w = 2.
                    initial_b = 0.5
                    dj_dw, dj_db = target(x, y, initial_w, initial_b)
                    assert dj_db == 0.0, f"Case 1: dj_db is wrong: {dj_db} != 0.0"
                    assert np.allclose(dj_dw, 0), f"Case 1: dj_dw is wrong: {dj_dw} != [[0.0]]"
                    print("\\033[92mAll tests passed!")
            """,
            "C1W2/data/ex1data1.txt": ex1,
            "C1W3/utils.py": """
                import numpy as np
                import matplotlib.pyplot as plt

                def load_data(filename):
                    data = np.loadtxt(filename, delimiter=',')
                    X = data[:,:2]
                    y = data[:,2]
                    return X, y

                def sig(z):
                    return 1/(1+np.exp(-z))

                def plot_data(X, y, pos_label="y=1", neg_label="y=0"):
                    positive = y == 1
                    negative = y == 0
                    plt.plot(X[positive, 0], X[positive, 1], 'k+', label=pos_label)
                    plt.plot(X[negative, 0], X[negative, 1], 'yo', label=neg_label)
            """,
            "C1W3/public_tests.py": """
                import numpy as np
                import math

                def sigmoid_test(target):
                    assert np.isclose(target(3.0), 0.9525741268224334), "Failed for scalar input"
                    assert np.allclose(target(np.array([2.5, 0])), [0.92414182, 0.5]), "Failed for 1D array"
                    print('\\033[92mAll tests passed!')

                def compute_cost_test(target):
                    X = np.array([[0, 0, 0, 0]]).T
                    y = np.array([0, 0, 0, 0])
                    w = np.array([0])
                    b = 1
                    result = target(X, y, w, b)
                    if math.isinf(result):
                        raise ValueError("Did you get the sigmoid of z_wb?")
                    print('\\033[92mAll tests passed!')
            """,
            "C1W3/lab_utils_common.py": """
                \"\"\"
                lab_utils_common.py
                    functions common to all optional labs, Course 1, Week 2
                \"\"\"

                import numpy as np
                import matplotlib.pyplot as plt

                plt.style.use('./deeplearning.mplstyle')
                dlblue = '#0096ff'; dlorange = '#FF9300'; dldarkred='#C00000'; dlmagenta='#FF40FF'; dlpurple='#7030A0'
                dlcolors = [dlblue, dlorange, dldarkred, dlmagenta, dlpurple]

                def sigmoid(z):
                    z = np.clip( z, -500, 500 )           # protect against overflow
                    g = 1.0/(1.0+np.exp(-z))
                    return g

                def compute_cost_matrix(X, y, w, b, verbose=False):
                    m = X.shape[0]
                    f_wb = X @ w + b
                    total_cost = (1/(2*m)) * np.sum((f_wb-y)**2)
                    return total_cost
            """,
            "C1W3/deeplearning.mplstyle": "axes.titlesize : 12\naxes.labelsize : 12\nlines.linewidth : 3\n",
            "C1W3/data/ex2data1.txt": ex2,
            "C2W1/testCases_v2.py": """
                import numpy as np

                def linear_forward_test_case():
                    np.random.seed(1)
                    A = np.random.randn(3,2)
                    W = np.random.randn(1,3)
                    b = np.random.randn(1,1)
                    return A, W, b

                def two_layer_model_test_case():
                    np.random.seed(1)
                    X = np.random.randn(5, 4)
                    Y = np.array([[1, 0, 1, 0]])
                    return X, Y
            """,
            "C2W1/lab_utils_common.py": """
                import numpy as np
                import h5py

                def load_data():
                    train_dataset = h5py.File('datasets/train_catvnoncat.h5', "r")
                    train_set_x_orig = np.array(train_dataset["train_set_x"][:])
                    train_set_y_orig = np.array(train_dataset["train_set_y"][:])
                    test_dataset = h5py.File('datasets/test_catvnoncat.h5', "r")
                    test_set_x_orig = np.array(test_dataset["test_set_x"][:])
                    test_set_y_orig = np.array(test_dataset["test_set_y"][:])
                    classes = np.array(test_dataset["list_classes"][:])
                    train_set_y_orig = train_set_y_orig.reshape((1, train_set_y_orig.shape[0]))
                    test_set_y_orig = test_set_y_orig.reshape((1, test_set_y_orig.shape[0]))
                    return train_set_x_orig, train_set_y_orig, test_set_x_orig, test_set_y_orig, classes
            """,
            "C2W1/public_tests.py": """
                import numpy as np
                from testCases_v2 import *

                def two_layer_model_test(target):
                    X, Y = two_layer_model_test_case()
                    parameters, costs = target(X, Y, (5, 4, 1), num_iterations=2)
                    assert type(parameters) == dict, f"Wrong type for parameters. Expected: {dict}"
                    assert len(costs) == 1, "Wrong length for the costs list"
                    print("\\033[92mAll tests passed!")
            """,
            "C2W1/datasets/train_catvnoncat.h5": hdf5,
            "C2W1/datasets/test_catvnoncat.h5": hdf5,
            "README.md": """
                # Machine Learning Specialization — Coursera (DeepLearning.AI, Stanford)

                My solutions to the programming assignments of Andrew Ng's Machine Learning
                Specialization and the first course of the Deep Learning Specialization.

                ## Course 1: Supervised Machine Learning: Regression and Classification

                - Week 1: Introduction to Machine Learning (quiz only)
                - [Week 2: Regression with multiple input variables](C1W2/) — Practice lab: linear regression
                - [Week 3: Classification](C1W3/) — Practice lab: logistic regression

                ## Course 2: Neural Networks and Deep Learning

                - [Week 1: Deep neural network application](C2W1/) — cat vs non-cat classifier

                ## Certificate

                [Certificate of completion](https://coursera.org/verify/specialization/7XK2QH9LMNPR)

                **Disclaimer:** the solutions are here for reference only. Please follow the
                Coursera Honor Code and do not copy them into your own submissions.
            """,
        }
    )
    repo.commit("Add files via upload", date="2025-09-14T21:12:00+02:00")
    repo.write(
        "README.md",
        """
        # Machine Learning Specialization — Coursera (DeepLearning.AI, Stanford)

        My solutions to the programming assignments of Andrew Ng's Machine Learning
        Specialization and the first course of the Deep Learning Specialization, all graded
        100/100.

        ## Course 1: Supervised Machine Learning: Regression and Classification

        - Week 1: Introduction to Machine Learning (quiz only)
        - [Week 2: Regression with multiple input variables](C1W2/) — Practice lab: linear regression
        - [Week 3: Classification](C1W3/) — Practice lab: logistic regression

        ## Course 2: Neural Networks and Deep Learning

        - [Week 1: Deep neural network application](C2W1/) — cat vs non-cat classifier

        ## Certificate

        [Certificate of completion](https://coursera.org/verify/specialization/7XK2QH9LMNPR)

        **Disclaimer:** the solutions are here for reference only. Please follow the
        Coursera Honor Code and do not copy them into your own submissions.
        """,
    )
    repo.commit("Update README.md", date="2025-09-14T21:31:00+02:00")
    return root


# 2. notebook_toy_portfolio -----------------------------------------------------------------
TITANIC_TRAIN = (
    "PassengerId,Survived,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Cabin,Embarked\n"
    '1,0,3,"Braund, Mr. Owen Harris",male,22,1,0,A/5 21171,7.25,,S\n'
    '2,1,1,"Cumings, Mrs. John Bradley (Florence Briggs Thayer)",female,38,1,0,PC 17599,71.2833,C85,C\n'
    '3,1,3,"Heikkinen, Miss. Laina",female,26,0,0,STON/O2. 3101282,7.925,,S\n'
    '4,1,1,"Futrelle, Mrs. Jacques Heath (Lily May Peel)",female,35,1,0,113803,53.1,C123,S\n'
    '5,0,3,"Allen, Mr. William Henry",male,35,0,0,373450,8.05,,S\n'
    '6,0,3,"Moran, Mr. James",male,,0,0,330877,8.4583,,Q\n'
    '7,0,1,"McCarthy, Mr. Timothy J",male,54,0,0,17463,51.8625,E46,S\n'
)


def build_notebook_toy_portfolio(root: Path) -> Path:
    """A learner's own notebooks on the teaching canon: Titanic, Iris, California housing."""
    repo = RepoBuilder(root)
    repo.notebook(
        "titanic_eda.ipynb",
        [
            (
                "markdown",
                "# Titanic: who survived?\n\nExploratory analysis of the Titanic passengers, "
                "then a model for the Kaggle competition.",
            ),
            (
                "code",
                "import numpy as np\nimport pandas as pd\nimport seaborn as sns\n"
                "import matplotlib.pyplot as plt\n\nsns.set_theme(style='whitegrid')",
            ),
            ("code", 'titanic = sns.load_dataset("titanic")\ntitanic.head()'),
            ("code", "titanic.info()\ntitanic.isnull().sum()"),
            (
                "code",
                "fig, axes = plt.subplots(1, 2, figsize=(12, 4))\n"
                "sns.countplot(data=titanic, x='sex', hue='survived', ax=axes[0])\n"
                "sns.histplot(data=titanic, x='age', hue='survived', multiple='stack', ax=axes[1])\n"
                "plt.show()",
            ),
            (
                "markdown",
                "Women and children first: 74% of women survived against 19% of men.",
            ),
            ("code", "titanic.groupby(['sex', 'pclass'])['survived'].mean().unstack()"),
            ("markdown", "## Kaggle submission"),
            (
                "code",
                'train = pd.read_csv("data/train.csv")\n'
                "train['Age'] = train['Age'].fillna(train['Age'].median())\n"
                "train['Sex'] = train['Sex'].map({'male': 0, 'female': 1})\n"
                "features = ['Pclass', 'Sex', 'Age', 'SibSp', 'Parch', 'Fare']\n"
                "X = train[features]\ny = train['Survived']",
            ),
            (
                "code",
                "from sklearn.ensemble import RandomForestClassifier\n"
                "from sklearn.model_selection import GridSearchCV\n\n"
                "grid = GridSearchCV(RandomForestClassifier(), {'n_estimators': [100, 300], "
                "'max_depth': [4, 6, 8]}, cv=5)\ngrid.fit(X, y)\n"
                "print(grid.best_params_, grid.best_score_)",
            ),
        ],
        metadata=KERNEL,
        outputs={9: "{'max_depth': 6, 'n_estimators': 300} 0.8271\n"},
    )
    repo.files(
        {
            "data/train.csv": TITANIC_TRAIN,
            "data/gender_submission.csv": "PassengerId,Survived\n892,0\n893,1\n894,0\n895,0\n896,1\n",
            "requirements.txt": "numpy\npandas\nmatplotlib\nseaborn\nscikit-learn\njupyter\n",
        }
    )
    repo.commit("titanic eda and kaggle submission", date="2025-10-04T15:20:00+02:00")
    repo.notebook(
        "iris_classifier.ipynb",
        [
            ("markdown", "# Iris species classifier\n\nComparing KNN, SVM and a decision tree."),
            (
                "code",
                "from sklearn.datasets import load_iris\n"
                "from sklearn.model_selection import train_test_split, GridSearchCV\n"
                "from sklearn.neighbors import KNeighborsClassifier\nfrom sklearn.svm import SVC\n"
                "from sklearn.metrics import accuracy_score, classification_report\n"
                "import matplotlib.pyplot as plt",
            ),
            (
                "code",
                "iris = load_iris()\nX, y = iris.data, iris.target\n"
                "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)",
            ),
            (
                "code",
                "plt.scatter(X[:, 2], X[:, 3], c=y)\nplt.xlabel('petal length')\n"
                "plt.ylabel('petal width')\nplt.show()",
            ),
            (
                "code",
                "svc = GridSearchCV(SVC(), {'C': [0.1, 1, 10], 'kernel': ['linear', 'rbf']}, cv=5)\n"
                "svc.fit(X_train, y_train)\npred = svc.predict(X_test)\n"
                "print('accuracy', accuracy_score(y_test, pred))",
            ),
            ("code", "print(classification_report(y_test, pred, target_names=iris.target_names))"),
        ],
        metadata=KERNEL,
        outputs={4: "accuracy 0.9666666666666667\n"},
    )
    repo.notebook(
        "house_prices.ipynb",
        [
            (
                "markdown",
                "# California house prices\n\nRegression with linear models and a forest.",
            ),
            (
                "code",
                "import pandas as pd\nimport matplotlib.pyplot as plt\n"
                "from sklearn.datasets import fetch_california_housing\n"
                "from sklearn.ensemble import RandomForestRegressor\n"
                "from sklearn.linear_model import LinearRegression\n"
                "from sklearn.model_selection import GridSearchCV, train_test_split\n"
                "from sklearn.metrics import mean_squared_error, r2_score",
            ),
            (
                "code",
                "housing = fetch_california_housing(as_frame=True)\ndf = housing.frame\ndf.describe()",
            ),
            ("code", "df.hist(bins=50, figsize=(12, 8))\nplt.show()"),
            (
                "code",
                "X = df.drop(columns='MedHouseVal')\ny = df['MedHouseVal']\n"
                "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)\n"
                "lin = LinearRegression().fit(X_train, y_train)\n"
                "print('linear r2', r2_score(y_test, lin.predict(X_test)))",
            ),
            (
                "code",
                "grid = GridSearchCV(RandomForestRegressor(), {'n_estimators': [100, 200], "
                "'max_features': [4, 6, 8]}, cv=3, scoring='neg_mean_squared_error')\n"
                "grid.fit(X_train, y_train)\n"
                "print('forest r2', r2_score(y_test, grid.predict(X_test)))",
            ),
        ],
        metadata=KERNEL,
        outputs={4: "linear r2 0.5757877060324511\n", 5: "forest r2 0.8051230593066476\n"},
    )
    repo.commit("iris and house prices notebooks", date="2025-10-07T19:45:00+02:00")
    repo.write(
        "README.md",
        """
        # Data science projects

        My machine learning notebooks, from EDA to tuned models.

        - **Titanic EDA** — who survived and why, plus a random forest tuned with
          GridSearchCV (0.827 cross-validated accuracy, 0.78 on the Kaggle leaderboard).
        - **Iris classifier** — KNN vs SVM vs decision tree, 96.7% test accuracy.
        - **House prices** — California housing regression, R² 0.81 with a random forest.

        Run `pip install -r requirements.txt` and open the notebooks in Jupyter.
        """,
    )
    repo.commit("add README", date="2025-10-11T11:05:00+02:00")
    return root


# 3. course_capstone ----------------------------------------------------------------------
CAPSTONE_HOMEWORK = """
    ## Homework

    The goal of this homework is to get familiar with MLflow, the tool for experiment
    tracking and model management.

    ## Q1. Install MLflow

    To get started with MLflow you'll need to install the MLflow Python package.
    Once you installed the package, run the command `mlflow --version` and check the output.

    What's the version that you have?

    **Answer:** 2.13.0

    ## Q2. Download and preprocess the data

    We'll use the Green Taxi Trip Records dataset to predict the duration of each trip.
    Download the data for January, February and March 2023 in parquet format from
    [here](https://www1.nyc.gov/site/tlc/about/tlc-trip-record-data.page).

    Use the script `preprocess_data.py` located in the folder `homework` to preprocess the data.

    How many files were saved to `OUTPUT_FOLDER`?

    **Answer:** 4

    ## Q3. Train a model with autolog

    We will train a `RandomForestRegressor` (from Scikit-Learn) on the taxi dataset.
    Your task is to modify the script to enable **autologging** with MLflow, execute the
    script and then launch the MLflow UI to check that the experiment run was properly tracked.

    What is the value of the `min_samples_split` parameter:

    **Answer:** 2

    ## Q4. Launch the tracking server locally

    **Answer:** `default-artifact-root`

    ## Q5. Tune model hyperparameters

    What's the best validation RMSE that you got?

    **Answer:** 5.335

    ## Q6. Promote the best model to the model registry

    What is the test RMSE of the best model?

    **Answer:** 5.567

    ## Submit the results

    * Submit your results here: https://courses.datatalks.club/mlops-zoomcamp-2024/homework/hw2
    * If your answer doesn't match options exactly, select the closest one
"""

CAPSTONE_FEATURES = '''
    """Feature preparation shared by training and the prediction service."""

    from __future__ import annotations

    import pandas as pd

    CATEGORICAL = ["PU_DO"]
    NUMERICAL = ["trip_distance"]


    def read_dataframe(path: str) -> pd.DataFrame:
        """Read a month of NYC TLC trip records and keep rides between 1 and 60 minutes."""
        df = pd.read_parquet(path)
        df["duration"] = df.tpep_dropoff_datetime - df.tpep_pickup_datetime
        df["duration"] = df.duration.dt.total_seconds() / 60
        df = df[(df.duration >= 1) & (df.duration <= 60)].copy()
        df["PULocationID"] = df["PULocationID"].astype(str)
        df["DOLocationID"] = df["DOLocationID"].astype(str)
        return df


    def prepare_features(ride: dict) -> dict:
        """Turn one ride (as the API receives it) into the model's feature dict."""
        return {
            "PU_DO": f"{ride['PULocationID']}_{ride['DOLocationID']}",
            "trip_distance": float(ride["trip_distance"]),
        }


    def to_dicts(df: pd.DataFrame) -> list[dict]:
        df = df.copy()
        df["PU_DO"] = df["PULocationID"] + "_" + df["DOLocationID"]
        return df[CATEGORICAL + NUMERICAL].to_dict(orient="records")
'''

CAPSTONE_TRAIN = '''
    """Train the trip-duration model and register it in the MLflow model registry."""

    from __future__ import annotations

    import os

    import mlflow
    import numpy as np
    from prefect import flow, task
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.metrics import root_mean_squared_error
    from sklearn.pipeline import make_pipeline

    from taxi.features import read_dataframe, to_dicts

    MODEL_NAME = "nyc-taxi-duration"
    TRACKING_URI = os.getenv("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db")


    @task(retries=2)
    def load(path: str):
        return read_dataframe(path)


    @task
    def fit(train_df, valid_df, params: dict) -> tuple[str, float]:
        with mlflow.start_run() as run:
            mlflow.log_params(params)
            pipeline = make_pipeline(DictVectorizer(), RandomForestRegressor(**params, n_jobs=-1))
            pipeline.fit(to_dicts(train_df), train_df["duration"].values)
            prediction = pipeline.predict(to_dicts(valid_df))
            rmse = root_mean_squared_error(valid_df["duration"].values, prediction)
            mlflow.log_metric("rmse", rmse)
            mlflow.sklearn.log_model(pipeline, artifact_path="model")
            return run.info.run_id, rmse


    @flow(name="train-taxi-duration")
    def main(
        train_path: str = "data/yellow_tripdata_2024-01.parquet",
        valid_path: str = "data/yellow_tripdata_2024-02.parquet",
    ) -> None:
        np.random.seed(42)
        mlflow.set_tracking_uri(TRACKING_URI)
        mlflow.set_experiment("nyc-taxi-experiment")
        params = {"max_depth": 20, "n_estimators": 100, "min_samples_leaf": 10, "random_state": 42}
        run_id, rmse = fit(load(train_path), load(valid_path), params)
        print(f"validation rmse: {rmse:.3f}")
        mlflow.register_model(model_uri=f"runs:/{run_id}/model", name=MODEL_NAME)


    if __name__ == "__main__":
        main()
'''

CAPSTONE_PREDICT = '''
    """FastAPI service that predicts trip duration with the registered model."""

    from __future__ import annotations

    import os
    from functools import lru_cache

    import mlflow
    from fastapi import Depends, FastAPI
    from pydantic import BaseModel, Field

    from taxi.features import prepare_features

    MODEL_URI = os.getenv("MODEL_URI", "models:/nyc-taxi-duration/latest")

    app = FastAPI(title="taxi-duration")


    class Ride(BaseModel):
        PULocationID: int = Field(ge=1, le=265)
        DOLocationID: int = Field(ge=1, le=265)
        trip_distance: float = Field(gt=0)


    @lru_cache
    def get_model():
        return mlflow.pyfunc.load_model(MODEL_URI)


    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}


    @app.post("/predict")
    def predict(ride: Ride, model=Depends(get_model)) -> dict:
        features = prepare_features(ride.model_dump())
        duration = float(model.predict([features])[0])
        return {"duration": duration, "model_uri": MODEL_URI}
'''

CAPSTONE_MONITOR = '''
    """Compare a new month of rides with the training month using Evidently."""

    from __future__ import annotations

    import sys

    from evidently.metric_preset import DataDriftPreset
    from evidently.report import Report

    from taxi.features import read_dataframe


    def drift_report(reference_path: str, current_path: str, out: str = "drift.html") -> bool:
        columns = ["trip_distance", "duration", "passenger_count"]
        reference = read_dataframe(reference_path)[columns]
        current = read_dataframe(current_path)[columns]
        report = Report(metrics=[DataDriftPreset()])
        report.run(reference_data=reference, current_data=current)
        report.save_html(out)
        return report.as_dict()["metrics"][0]["result"]["dataset_drift"]


    if __name__ == "__main__":
        drifted = drift_report(sys.argv[1], sys.argv[2])
        print("drift detected" if drifted else "no drift")
'''

CAPSTONE_TESTS = {
    "tests/__init__.py": "",
    "tests/test_features.py": """
        from taxi.features import prepare_features, to_dicts

        import pandas as pd


        def test_prepare_features_joins_pickup_and_dropoff():
            ride = {"PULocationID": 10, "DOLocationID": 50, "trip_distance": 40}
            assert prepare_features(ride) == {"PU_DO": "10_50", "trip_distance": 40.0}


        def test_to_dicts_matches_prepare_features():
            df = pd.DataFrame(
                {"PULocationID": ["10"], "DOLocationID": ["50"], "trip_distance": [40.0]}
            )
            ride = {"PULocationID": 10, "DOLocationID": 50, "trip_distance": 40.0}
            assert to_dicts(df) == [prepare_features(ride)]
    """,
    "tests/test_predict.py": """
        from fastapi.testclient import TestClient

        from taxi.predict import app, get_model


        class StubModel:
            def predict(self, rows):
                return [len(rows) * 12.5]


        app.dependency_overrides[get_model] = StubModel
        client = TestClient(app)


        def test_predict_returns_duration():
            ride = {"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}
            response = client.post("/predict", json=ride)
            assert response.status_code == 200
            assert response.json()["duration"] == 12.5


        def test_rejects_unknown_zone():
            ride = {"PULocationID": 999, "DOLocationID": 205, "trip_distance": 3.66}
            assert client.post("/predict", json=ride).status_code == 422
    """,
}


def build_course_capstone(root: Path) -> Path:
    """A DataTalksClub MLOps Zoomcamp final project: course homework plus a real project."""
    repo = RepoBuilder(root)
    repo.files(
        {
            "homework.md": CAPSTONE_HOMEWORK,
            "02-experiment-tracking/preprocess_data.py": """
                import os
                import pickle
                import click
                import pandas as pd

                from sklearn.feature_extraction import DictVectorizer


                def dump_pickle(obj, filename: str):
                    with open(filename, "wb") as f_out:
                        return pickle.dump(obj, f_out)


                def read_dataframe(filename: str):
                    df = pd.read_parquet(filename)

                    df['duration'] = df['lpep_dropoff_datetime'] - df['lpep_pickup_datetime']
                    df.duration = df.duration.apply(lambda td: td.total_seconds() / 60)
                    df = df[(df.duration >= 1) & (df.duration <= 60)]

                    categorical = ['PULocationID', 'DOLocationID']
                    df[categorical] = df[categorical].astype(str)

                    return df


                @click.command()
                @click.option("--raw_data_path", help="Location where the raw NYC taxi trip data was saved")
                @click.option("--dest_path", help="Location where the resulting files will be saved")
                def run_data_prep(raw_data_path: str, dest_path: str, dataset: str = "green"):
                    df_train = read_dataframe(os.path.join(raw_data_path, f"{dataset}_tripdata_2023-01.parquet"))
                    df_val = read_dataframe(os.path.join(raw_data_path, f"{dataset}_tripdata_2023-02.parquet"))
                    os.makedirs(dest_path, exist_ok=True)
                    dump_pickle((df_train, df_val), os.path.join(dest_path, "train_val.pkl"))


                if __name__ == '__main__':
                    run_data_prep()
            """,
        }
    )
    repo.notebook(
        "02-experiment-tracking/homework.ipynb",
        [
            ("markdown", "# Module 2 homework: experiment tracking"),
            ("code", "!mlflow --version"),
            (
                "code",
                "!python preprocess_data.py --raw_data_path ../data --dest_path ./output\n!ls output | wc -l",
            ),
            (
                "code",
                "import mlflow\nimport pickle\nfrom sklearn.ensemble import RandomForestRegressor\n"
                "from sklearn.metrics import root_mean_squared_error\n\n"
                'mlflow.set_tracking_uri("sqlite:///mlflow.db")\n'
                'mlflow.set_experiment("homework-2")\nmlflow.sklearn.autolog()',
            ),
            (
                "code",
                "with open('output/train.pkl', 'rb') as f:\n    X_train, y_train = pickle.load(f)\n"
                "with open('output/val.pkl', 'rb') as f:\n    X_val, y_val = pickle.load(f)\n\n"
                "with mlflow.start_run():\n"
                "    rf = RandomForestRegressor(max_depth=10, random_state=0)\n"
                "    rf.fit(X_train, y_train)\n"
                "    rmse = root_mean_squared_error(y_val, rf.predict(X_val))\n    print(rmse)",
            ),
        ],
        metadata=KERNEL,
        outputs={1: "mlflow, version 2.13.0\n", 2: "4\n", 4: "5.431162180141208\n"},
    )
    repo.commit("homework 2: experiment tracking", date="2024-07-01T18:30:00+02:00")

    repo.files(
        {
            "src/taxi/__init__.py": '"""NYC taxi trip duration prediction."""\n',
            "src/taxi/features.py": CAPSTONE_FEATURES,
            "data/yellow_tripdata_2024-01.parquet.dvc": """
                outs:
                - md5: 2c2cbda1f58d12c5dc3e2da1e06e3a5b
                  size: 49961641
                  hash: md5
                  path: yellow_tripdata_2024-01.parquet
            """,
            "data/.gitignore": "/yellow_tripdata_2024-01.parquet\n/yellow_tripdata_2024-02.parquet\n",
            ".dvc/config": """
                [core]
                    remote = storage
                ['remote "storage"']
                    url = s3://mlops-zoomcamp-taxi-ada/dvcstore
            """,
            ".gitignore": "__pycache__/\n.venv/\nmlflow.db\nmlruns/\n*.html\n",
            "pyproject.toml": """
                [build-system]
                requires = ["setuptools>=68"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "taxi"
                version = "0.1.0"
                requires-python = ">=3.10"

                [tool.setuptools.packages.find]
                where = ["src"]

                [tool.black]
                line-length = 100

                [tool.isort]
                profile = "black"

                [tool.pylint.messages_control]
                disable = ["missing-docstring", "invalid-name"]
            """,
        }
    )
    repo.commit("project: data download and feature preparation", date="2024-07-03T20:10:00+02:00")
    repo.files(
        {
            "src/taxi/train.py": CAPSTONE_TRAIN,
            "requirements.txt": "pandas==2.2.2\npyarrow==16.1.0\nscikit-learn==1.5.0\nmlflow==2.13.0\nprefect==2.19.4\n",
        }
    )
    repo.commit(
        "training flow with mlflow tracking and model registry", date="2024-07-06T17:00:00+02:00"
    )
    repo.files(
        {
            "src/taxi/predict.py": CAPSTONE_PREDICT,
            "requirements.txt": "pandas==2.2.2\npyarrow==16.1.0\nscikit-learn==1.5.0\nmlflow==2.13.0\nprefect==2.19.4\nfastapi==0.111.0\nuvicorn==0.30.1\n",
        }
    )
    repo.commit("fastapi prediction service", date="2024-07-09T21:45:00+02:00")
    repo.files(
        {
            **CAPSTONE_TESTS,
            "requirements-dev.txt": "pytest==8.2.2\nhttpx==0.27.0\nblack==24.4.2\nisort==5.13.2\npylint==3.2.3\n",
        }
    )
    repo.commit("unit tests for features and the service", date="2024-07-12T19:20:00+02:00")
    repo.files(
        {
            "Dockerfile": """
                FROM python:3.10-slim

                WORKDIR /app
                COPY requirements.txt .
                RUN pip install --no-cache-dir -r requirements.txt
                COPY pyproject.toml .
                COPY src ./src
                RUN pip install --no-cache-dir .

                ENV MODEL_URI=models:/nyc-taxi-duration/latest
                EXPOSE 9696
                CMD ["uvicorn", "taxi.predict:app", "--host", "0.0.0.0", "--port", "9696"]
            """,
            "Makefile": """
                LOCAL_TAG:=$(shell date +"%Y-%m-%d-%H-%M")
                LOCAL_IMAGE_NAME:=taxi-duration:${LOCAL_TAG}

                setup:
                \tpip install -r requirements.txt -r requirements-dev.txt
                \tpip install -e .
                \tpre-commit install

                data:
                \tdvc pull data/yellow_tripdata_2024-01.parquet.dvc

                quality_checks:
                \tisort src tests
                \tblack src tests
                \tpylint --recursive=y src

                test:
                \tpytest tests/

                train: data
                \tpython -m taxi.train

                build: quality_checks test
                \tdocker build -t ${LOCAL_IMAGE_NAME} .
            """,
            ".pre-commit-config.yaml": """
                repos:
                  - repo: https://github.com/pre-commit/pre-commit-hooks
                    rev: v4.6.0
                    hooks:
                      - id: trailing-whitespace
                      - id: check-yaml
                  - repo: https://github.com/pycqa/isort
                    rev: 5.13.2
                    hooks:
                      - id: isort
                  - repo: https://github.com/psf/black
                    rev: 24.4.2
                    hooks:
                      - id: black
            """,
        }
    )
    repo.commit("dockerfile, makefile and pre-commit", date="2024-07-15T22:05:00+02:00")
    repo.files(
        {
            ".github/workflows/ci.yml": """
                name: CI
                on:
                  push:
                    branches: [main]
                  pull_request:
                jobs:
                  test:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v4
                      - uses: actions/setup-python@v5
                        with:
                          python-version: "3.10"
                      - run: pip install -r requirements.txt -r requirements-dev.txt
                      - run: pip install -e .
                      - run: pytest tests/
                  docker:
                    needs: test
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v4
                      - run: docker build -t taxi-duration:${{ github.sha }} .
            """,
        }
    )
    repo.commit("ci: run tests and build the image", date="2024-07-17T18:40:00+02:00")
    repo.files(
        {
            "src/taxi/monitor.py": CAPSTONE_MONITOR,
            "requirements.txt": "pandas==2.2.2\npyarrow==16.1.0\nscikit-learn==1.5.0\nmlflow==2.13.0\nprefect==2.19.4\nfastapi==0.111.0\nuvicorn==0.30.1\nevidently==0.4.30\n",
        }
    )
    repo.commit("monitoring: evidently drift report", date="2024-07-20T16:15:00+02:00")
    repo.write(
        "README.md",
        """
        # MLOps Zoomcamp final project: NYC taxi trip duration

        Final project for the [DataTalksClub MLOps Zoomcamp](https://github.com/DataTalksClub/mlops-zoomcamp)
        (2024 cohort). The course homework is kept in `homework.md` and `02-experiment-tracking/`.

        ## Problem description

        Dispatchers want to tell riders how long a yellow-cab trip will take before it starts.
        The model predicts trip duration in minutes from the pickup zone, drop-off zone and
        trip distance, trained on the NYC TLC trip records for January 2024 and validated on
        February 2024.

        ## Peer review criteria

        | criterion | where |
        |---|---|
        | Problem description | this README |
        | Cloud | DVC remote on S3 |
        | Experiment tracking and model registry | `src/taxi/train.py` logs to MLflow and registers the model |
        | Workflow orchestration | Prefect flow `train-taxi-duration` |
        | Model deployment | FastAPI service in Docker (`src/taxi/predict.py`) |
        | Model monitoring | Evidently drift report (`src/taxi/monitor.py`) |
        | Reproducibility | pinned `requirements.txt`, `make setup`, DVC data |
        | Best practices | unit tests, black/isort/pylint, Makefile, pre-commit, CI |

        ## How to run

        ```bash
        make setup
        make data
        make train
        make build
        docker run -p 9696:9696 taxi-duration:<tag>
        ```

        ## Results

        | model | validation RMSE (min) |
        |---|---|
        | mean duration baseline | 9.84 |
        | linear regression | 6.41 |
        | random forest | 5.43 |
        """,
    )
    repo.commit("README for peer review", date="2024-07-22T23:30:00+02:00")
    return root


# 4. template_clone -----------------------------------------------------------------------
STUD_CSV = (
    "gender,race_ethnicity,parental_level_of_education,lunch,test_preparation_course,"
    "math_score,reading_score,writing_score\n"
    "female,group B,bachelor's degree,standard,none,72,72,74\n"
    "female,group C,some college,standard,completed,69,90,88\n"
    "female,group B,master's degree,standard,none,90,95,93\n"
    "male,group A,associate's degree,free/reduced,none,47,57,44\n"
    "male,group C,some college,standard,none,76,78,75\n"
    "female,group B,associate's degree,standard,none,71,83,78\n"
)

TEMPLATE_FILES: dict[str, str | bytes] = {
    "setup.py": r'''
        from setuptools import find_packages,setup
        from typing import List

        HYPEN_E_DOT='-e .'
        def get_requirements(file_path:str)->List[str]:
            """
            this function will return the list of requirements
            """
            requirements=[]
            with open(file_path) as file_obj:
                requirements=file_obj.readlines()
                requirements=[req.replace("\n","") for req in requirements]

                if HYPEN_E_DOT in requirements:
                    requirements.remove(HYPEN_E_DOT)

            return requirements

        setup(
        name='mlproject',
        version='0.0.1',
        author='Ravi',
        author_email='ravi.kumar.ds@gmail.com',
        packages=find_packages(),
        install_requires=get_requirements('requirements.txt')

        )
    ''',
    "requirements.txt": "pandas\nnumpy\nseaborn\nmatplotlib\nscikit-learn\ncatboost\nxgboost\ndill\nFlask\n-e .\n",
    ".gitignore": "venv/\n__pycache__/\nlogs/\n*.egg-info/\n",
    "src/__init__.py": "",
    "src/logger.py": """
        import logging
        import os
        from datetime import datetime

        LOG_FILE=f"{datetime.now().strftime('%m_%d_%Y_%H_%M_%S')}.log"
        logs_path=os.path.join(os.getcwd(),"logs",LOG_FILE)
        os.makedirs(logs_path,exist_ok=True)

        LOG_FILE_PATH=os.path.join(logs_path,LOG_FILE)

        logging.basicConfig(
            filename=LOG_FILE_PATH,
            format="[ %(asctime)s ] %(lineno)d %(name)s - %(levelname)s - %(message)s",
            level=logging.INFO,


        )
    """,
    "src/exception.py": """
        import sys
        from src.logger import logging

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

            def __str__(self):
                return self.error_message
    """,
    "src/utils.py": """
        import os
        import sys

        import numpy as np
        import pandas as pd
        import dill
        import pickle
        from sklearn.metrics import r2_score
        from sklearn.model_selection import GridSearchCV

        from src.exception import CustomException

        def save_object(file_path, obj):
            try:
                dir_path = os.path.dirname(file_path)

                os.makedirs(dir_path, exist_ok=True)

                with open(file_path, "wb") as file_obj:
                    pickle.dump(obj, file_obj)

            except Exception as e:
                raise CustomException(e, sys)

        def evaluate_models(X_train, y_train,X_test,y_test,models,param):
            try:
                report = {}

                for i in range(len(list(models))):
                    model = list(models.values())[i]
                    para=param[list(models.keys())[i]]

                    gs = GridSearchCV(model,para,cv=3)
                    gs.fit(X_train,y_train)

                    model.set_params(**gs.best_params_)
                    model.fit(X_train,y_train)

                    y_train_pred = model.predict(X_train)

                    y_test_pred = model.predict(X_test)

                    train_model_score = r2_score(y_train, y_train_pred)

                    test_model_score = r2_score(y_test, y_test_pred)

                    report[list(models.keys())[i]] = test_model_score

                return report

            except Exception as e:
                raise CustomException(e, sys)

        def load_object(file_path):
            try:
                with open(file_path, "rb") as file_obj:
                    return pickle.load(file_obj)

            except Exception as e:
                raise CustomException(e, sys)
    """,
    "src/components/__init__.py": "",
    "src/components/data_ingestion.py": r"""
        import os
        import sys
        from src.exception import CustomException
        from src.logger import logging
        import pandas as pd

        from sklearn.model_selection import train_test_split
        from dataclasses import dataclass

        from src.components.data_transformation import DataTransformation
        from src.components.data_transformation import DataTransformationConfig

        from src.components.model_trainer import ModelTrainerConfig
        from src.components.model_trainer import ModelTrainer
        @dataclass
        class DataIngestionConfig:
            train_data_path: str=os.path.join('artifacts',"train.csv")
            test_data_path: str=os.path.join('artifacts',"test.csv")
            raw_data_path: str=os.path.join('artifacts',"data.csv")

        class DataIngestion:
            def __init__(self):
                self.ingestion_config=DataIngestionConfig()

            def initiate_data_ingestion(self):
                logging.info("Entered the data ingestion method or component")
                try:
                    df=pd.read_csv('notebook\data\stud.csv')
                    logging.info('Read the dataset as dataframe')

                    os.makedirs(os.path.dirname(self.ingestion_config.train_data_path),exist_ok=True)

                    df.to_csv(self.ingestion_config.raw_data_path,index=False,header=True)

                    logging.info("Train test split initiated")
                    train_set,test_set=train_test_split(df,test_size=0.2,random_state=42)

                    train_set.to_csv(self.ingestion_config.train_data_path,index=False,header=True)

                    test_set.to_csv(self.ingestion_config.test_data_path,index=False,header=True)

                    logging.info("Inmgestion of the data iss completed")

                    return(
                        self.ingestion_config.train_data_path,
                        self.ingestion_config.test_data_path

                    )
                except Exception as e:
                    raise CustomException(e,sys)

        if __name__=="__main__":
            obj=DataIngestion()
            train_data,test_data=obj.initiate_data_ingestion()

            data_transformation=DataTransformation()
            train_arr,test_arr,_=data_transformation.initiate_data_transformation(train_data,test_data)

            modeltrainer=ModelTrainer()
            print(modeltrainer.initiate_model_trainer(train_arr,test_arr))
    """,
    "src/components/data_transformation.py": """
        import sys
        from dataclasses import dataclass

        import numpy as np
        import pandas as pd
        from sklearn.compose import ColumnTransformer
        from sklearn.impute import SimpleImputer
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import OneHotEncoder,StandardScaler

        from src.exception import CustomException
        from src.logger import logging
        import os

        from src.utils import save_object

        @dataclass
        class DataTransformationConfig:
            preprocessor_obj_file_path=os.path.join('artifacts',"proprocessor.pkl")

        class DataTransformation:
            def __init__(self):
                self.data_transformation_config=DataTransformationConfig()

            def get_data_transformer_object(self):
                '''
                This function si responsible for data trnasformation

                '''
                try:
                    numerical_columns = ["writing_score", "reading_score"]
                    categorical_columns = [
                        "gender",
                        "race_ethnicity",
                        "parental_level_of_education",
                        "lunch",
                        "test_preparation_course",
                    ]

                    num_pipeline= Pipeline(
                        steps=[
                        ("imputer",SimpleImputer(strategy="median")),
                        ("scaler",StandardScaler())

                        ]
                    )

                    cat_pipeline=Pipeline(

                        steps=[
                        ("imputer",SimpleImputer(strategy="most_frequent")),
                        ("one_hot_encoder",OneHotEncoder()),
                        ("scaler",StandardScaler(with_mean=False))
                        ]

                    )

                    logging.info(f"Categorical columns: {categorical_columns}")
                    logging.info(f"Numerical columns: {numerical_columns}")

                    preprocessor=ColumnTransformer(
                        [
                        ("num_pipeline",num_pipeline,numerical_columns),
                        ("cat_pipelines",cat_pipeline,categorical_columns)

                        ]


                    )

                    return preprocessor

                except Exception as e:
                    raise CustomException(e,sys)

            def initiate_data_transformation(self,train_path,test_path):

                try:
                    train_df=pd.read_csv(train_path)
                    test_df=pd.read_csv(test_path)

                    logging.info("Read train and test data completed")

                    preprocessing_obj=self.get_data_transformer_object()

                    target_column_name="math_score"

                    input_feature_train_df=train_df.drop(columns=[target_column_name],axis=1)
                    target_feature_train_df=train_df[target_column_name]

                    input_feature_test_df=test_df.drop(columns=[target_column_name],axis=1)
                    target_feature_test_df=test_df[target_column_name]

                    input_feature_train_arr=preprocessing_obj.fit_transform(input_feature_train_df)
                    input_feature_test_arr=preprocessing_obj.transform(input_feature_test_df)

                    train_arr = np.c_[
                        input_feature_train_arr, np.array(target_feature_train_df)
                    ]
                    test_arr = np.c_[input_feature_test_arr, np.array(target_feature_test_df)]

                    logging.info(f"Saved preprocessing object.")

                    save_object(

                        file_path=self.data_transformation_config.preprocessor_obj_file_path,
                        obj=preprocessing_obj

                    )

                    return (
                        train_arr,
                        test_arr,
                        self.data_transformation_config.preprocessor_obj_file_path,
                    )
                except Exception as e:
                    raise CustomException(e,sys)
    """,
    "src/components/model_trainer.py": """
        import os
        import sys
        from dataclasses import dataclass

        from catboost import CatBoostRegressor
        from sklearn.ensemble import (
            AdaBoostRegressor,
            GradientBoostingRegressor,
            RandomForestRegressor,
        )
        from sklearn.linear_model import LinearRegression
        from sklearn.metrics import r2_score
        from sklearn.neighbors import KNeighborsRegressor
        from sklearn.tree import DecisionTreeRegressor
        from xgboost import XGBRegressor

        from src.exception import CustomException
        from src.logger import logging

        from src.utils import save_object,evaluate_models

        @dataclass
        class ModelTrainerConfig:
            trained_model_file_path=os.path.join("artifacts","model.pkl")

        class ModelTrainer:
            def __init__(self):
                self.model_trainer_config=ModelTrainerConfig()


            def initiate_model_trainer(self,train_array,test_array):
                try:
                    logging.info("Split training and test input data")
                    X_train,y_train,X_test,y_test=(
                        train_array[:,:-1],
                        train_array[:,-1],
                        test_array[:,:-1],
                        test_array[:,-1]
                    )
                    models = {
                        "Random Forest": RandomForestRegressor(),
                        "Decision Tree": DecisionTreeRegressor(),
                        "Gradient Boosting": GradientBoostingRegressor(),
                        "Linear Regression": LinearRegression(),
                        "XGBRegressor": XGBRegressor(),
                        "CatBoosting Regressor": CatBoostRegressor(verbose=False),
                        "AdaBoost Regressor": AdaBoostRegressor(),
                    }
                    params={
                        "Decision Tree": {
                            'criterion':['squared_error', 'friedman_mse', 'absolute_error', 'poisson'],
                        },
                        "Random Forest":{
                            'n_estimators': [8,16,32,64,128,256]
                        },
                        "Gradient Boosting":{
                            'learning_rate':[.1,.01,.05,.001],
                            'subsample':[0.6,0.7,0.75,0.8,0.85,0.9],
                            'n_estimators': [8,16,32,64,128,256]
                        },
                        "Linear Regression":{},
                        "XGBRegressor":{
                            'learning_rate':[.1,.01,.05,.001],
                            'n_estimators': [8,16,32,64,128,256]
                        },
                        "CatBoosting Regressor":{
                            'depth': [6,8,10],
                            'learning_rate': [0.01, 0.05, 0.1],
                            'iterations': [30, 50, 100]
                        },
                        "AdaBoost Regressor":{
                            'learning_rate':[.1,.01,0.5,.001],
                            'n_estimators': [8,16,32,64,128,256]
                        }

                    }

                    model_report:dict=evaluate_models(X_train=X_train,y_train=y_train,X_test=X_test,y_test=y_test,
                                                     models=models,param=params)

                    ## To get best model score from dict
                    best_model_score = max(sorted(model_report.values()))

                    ## To get best model name from dict

                    best_model_name = list(model_report.keys())[
                        list(model_report.values()).index(best_model_score)
                    ]
                    best_model = models[best_model_name]

                    if best_model_score<0.6:
                        raise CustomException("No best model found")
                    logging.info(f"Best found model on both training and testing dataset")

                    save_object(
                        file_path=self.model_trainer_config.trained_model_file_path,
                        obj=best_model
                    )

                    predicted=best_model.predict(X_test)

                    r2_square = r2_score(y_test, predicted)
                    return r2_square

                except Exception as e:
                    raise CustomException(e,sys)
    """,
    "src/pipeline/__init__.py": "",
    "src/pipeline/train_pipeline.py": "",
    "src/pipeline/predict_pipeline.py": """
        import sys
        import os
        import pandas as pd
        from src.exception import CustomException
        from src.utils import load_object


        class PredictPipeline:
            def __init__(self):
                pass

            def predict(self,features):
                try:
                    model_path=os.path.join("artifacts","model.pkl")
                    preprocessor_path=os.path.join('artifacts','proprocessor.pkl')
                    print("Before Loading")
                    model=load_object(file_path=model_path)
                    preprocessor=load_object(file_path=preprocessor_path)
                    print("After Loading")
                    data_scaled=preprocessor.transform(features)
                    preds=model.predict(data_scaled)
                    return preds

                except Exception as e:
                    raise CustomException(e,sys)



        class CustomData:
            def __init__(  self,
                gender: str,
                race_ethnicity: str,
                parental_level_of_education,
                lunch: str,
                test_preparation_course: str,
                reading_score: int,
                writing_score: int):

                self.gender = gender

                self.race_ethnicity = race_ethnicity

                self.parental_level_of_education = parental_level_of_education

                self.lunch = lunch

                self.test_preparation_course = test_preparation_course

                self.reading_score = reading_score

                self.writing_score = writing_score

            def get_data_as_data_frame(self):
                try:
                    custom_data_input_dict = {
                        "gender": [self.gender],
                        "race_ethnicity": [self.race_ethnicity],
                        "parental_level_of_education": [self.parental_level_of_education],
                        "lunch": [self.lunch],
                        "test_preparation_course": [self.test_preparation_course],
                        "reading_score": [self.reading_score],
                        "writing_score": [self.writing_score],
                    }

                    return pd.DataFrame(custom_data_input_dict)

                except Exception as e:
                    raise CustomException(e, sys)
    """,
    "notebook/data/stud.csv": STUD_CSV,
    "artifacts/model.pkl": b"\x80\x04\x95\x1a\x00\x00\x00\x00\x00\x00\x00\x8c\x1asklearn.linear_model._base\x94.",
    "artifacts/proprocessor.pkl": b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x0fsklearn.compose\x94.",
    "artifacts/data.csv": STUD_CSV,
    "artifacts/train.csv": STUD_CSV,
    "artifacts/test.csv": STUD_CSV,
    "catboost_info/catboost_training.json": '{"meta":{"test_sets":[],"test_metrics":[],"learn_metrics":[{"best_value":"Min","name":"RMSE"}],"launch_mode":"Train","parameters":"","iteration_count":100,"learn_sets":["learn"],"name":"experiment"}}\n',
    "catboost_info/learn_error.tsv": "iter\tRMSE\n0\t14.76\n1\t14.15\n2\t13.58\n",
    "app.py": """
        from flask import Flask,request,render_template
        import numpy as np
        import pandas as pd

        from sklearn.preprocessing import StandardScaler
        from src.pipeline.predict_pipeline import CustomData,PredictPipeline

        application=Flask(__name__)

        app=application

        ## Route for a home page

        @app.route('/')
        def index():
            return render_template('index.html')

        @app.route('/predictdata', methods=['GET','POST'])
        def predict_datapoint():
            if request.method=='GET':
                return render_template('home.html')
            else:
                data=CustomData(
                    gender=request.form.get('gender'),
                    race_ethnicity=request.form.get('ethnicity'),
                    parental_level_of_education=request.form.get('parental_level_of_education'),
                    lunch=request.form.get('lunch'),
                    test_preparation_course=request.form.get('test_preparation_course'),
                    reading_score=float(request.form.get('writing_score')),
                    writing_score=float(request.form.get('reading_score'))

                )
                pred_df=data.get_data_as_data_frame()
                print(pred_df)
                print("Before Prediction")

                predict_pipeline=PredictPipeline()
                print("Mid Prediction")
                results=predict_pipeline.predict(pred_df)
                print("after Prediction")
                return render_template('home.html',results=results[0])


        if __name__=="__main__":
            app.run(host="0.0.0.0")
    """,
    "templates/index.html": "<h1>Welcome to the home page</h1>\n",
    "templates/home.html": """
        <html>
        <body>
            <div class="login">
               <h1>Student Exam Performance Indicator</h1>

               <form action="{{ url_for('predict_datapoint')}}" method="post">
                <h1>
                    <legend>Student Exam Performance Prediction</legend>
                </h1>
                <div class="mb-3">
                    <label class="form-label">Gender</label>
                    <select class="form-control" name="gender" placeholder="Enter you Gender" required>
                        <option class="placeholder" selected disabled value="">Select your Gender</option>
                        <option value="male">Male</option>
                        <option value="female">Female</option>
                    </select>
                </div>
                <div class="mb-3">
                    <input class="btn btn-primary" type="submit" value="Predict your Maths Score" required />
                </div>
            </form>
            <h2>
               THE  prediction is {{results}}
            </h2>
           <body>
        </html>
    """,
    ".ebextensions/python.config": """
        option_settings:
          "aws:elasticbeanstalk:container:python":
            WSGIPath: app:application
    """,
    "README.md": """
        ## End to End Machine Learning Project

        ### Student Performance Indicator

        This project understands how the student's performance (test scores) is affected by
        other variables such as Gender, Ethnicity, Parental level of education, Lunch and
        Test preparation course.

        ### Life cycle of Machine learning Project

        - Understanding the Problem Statement
        - Data Collection
        - Data Checks to perform
        - Exploratory data analysis
        - Data Pre-Processing
        - Model Training
        - Choose best model

        ### Deployment

        Deployed on AWS Elastic Beanstalk with a CI/CD pipeline from AWS CodePipeline.
        Best model: Linear Regression with an R2 score of 0.88.
    """,
}


def build_template_clone(root: Path) -> Path:
    """A re-typed clone of the Krish Naik "mlproject" tutorial, built over two evenings."""
    repo = RepoBuilder(root)
    first = ("setup.py", "requirements.txt", ".gitignore", "src/__init__.py", "README.md")
    repo.files({path: TEMPLATE_FILES[path] for path in first})
    repo.commit("setup and requirements", date="2025-11-03T19:02:00+05:30")
    structure = {
        path: content
        for path, content in TEMPLATE_FILES.items()
        if path.startswith(("src/", "notebook/"))
    }
    repo.files(structure)
    repo.notebook(
        "notebook/1 . EDA STUDENT PERFORMANCE .ipynb",
        [
            (
                "markdown",
                "## Student Performance Indicator\n\n#### Life cycle of Machine learning Project",
            ),
            (
                "code",
                "import numpy as np\nimport pandas as pd\nimport seaborn as sns\n"
                "import matplotlib.pyplot as plt\n%matplotlib inline\nimport warnings\n"
                "warnings.filterwarnings('ignore')",
            ),
            ("code", "df = pd.read_csv('data/stud.csv')\ndf.head()"),
            ("code", "df.isna().sum()\ndf.duplicated().sum()\ndf.describe()"),
            (
                "code",
                "df['total score'] = df['math_score'] + df['reading_score'] + df['writing_score']\n"
                "df['average'] = df['total score']/3\n"
                "sns.histplot(data=df,x='average',bins=30,kde=True,color='g')\nplt.show()",
            ),
        ],
        metadata=KERNEL,
    )
    repo.notebook(
        "notebook/2. MODEL TRAINING.ipynb",
        [
            ("markdown", "### Model Training"),
            (
                "code",
                "from sklearn.linear_model import LinearRegression, Ridge, Lasso\n"
                "from sklearn.metrics import r2_score, mean_absolute_error, mean_squared_error\n"
                "from catboost import CatBoostRegressor\nfrom xgboost import XGBRegressor\n"
                "import pandas as pd",
            ),
            (
                "code",
                "df = pd.read_csv('data/stud.csv')\nX = df.drop(columns=['math_score'],axis=1)",
            ),
            (
                "code",
                "lin_model = LinearRegression(fit_intercept=True)\nlin_model = lin_model.fit(X_train, y_train)\n"
                "y_pred = lin_model.predict(X_test)\nscore = r2_score(y_test, y_pred)*100\n"
                'print(" Accuracy of the model is %.2f" %score)',
            ),
        ],
        metadata=KERNEL,
        outputs={3: " Accuracy of the model is 88.04\n"},
    )
    repo.commit("project structure, logger, exception and EDA", date="2025-11-03T22:47:00+05:30")
    repo.files(TEMPLATE_FILES)
    repo.commit("model trainer, predict pipeline and flask app", date="2025-11-04T21:15:00+05:30")
    return root


# 5. buzzword -----------------------------------------------------------------------------
def build_buzzword(root: Path) -> Path:
    """Claims every MLOps tool in the README; proves none of them. One commit."""
    repo = RepoBuilder(root)
    repo.files(
        {
            "README.md": """
                # 🚀 End-to-End Production-Ready MLOps Pipeline for Customer Churn

                ![python](https://img.shields.io/badge/python-3.10-blue) ![docker](https://img.shields.io/badge/docker-ready-blue)
                ![kubernetes](https://img.shields.io/badge/kubernetes-deployed-326ce5) ![mlflow](https://img.shields.io/badge/MLflow-tracking-0194E2)

                A **production-ready, scalable, enterprise-grade** MLOps platform that takes a model
                from raw data to real-time predictions with full automation.

                ## ✨ Features

                - 🐳 **Docker** containerisation of every component
                - ☸️ **Kubernetes** deployment with auto-scaling (HPA) and zero-downtime rollouts
                - 📊 **MLflow** experiment tracking and model registry
                - 📦 **DVC** data versioning and reproducible pipelines
                - ✅ **Great Expectations** data validation on every batch
                - 🔁 **CI/CD** with GitHub Actions: automated testing, building and deployment
                - ⚡ **FastAPI** real-time inference endpoint with < 10 ms latency
                - 📈 **Monitoring** with Prometheus and Grafana dashboards
                - 🌊 **Evidently AI** drift detection with automated retraining
                - 🔒 Security best practices and secrets management

                ## 🏗️ Architecture

                Data → Great Expectations → DVC → Training (MLflow) → Model Registry → Docker →
                Kubernetes → FastAPI → Prometheus/Grafana → Evidently → automated retraining

                ## 📊 Results

                Achieves state-of-the-art accuracy of 99% in production.

                ## 🛠️ Tech stack

                Python, scikit-learn, XGBoost, MLflow, DVC, Docker, Kubernetes, FastAPI, Prometheus,
                Grafana, Evidently, Great Expectations, GitHub Actions, AWS.
            """,
            "requirements.txt": "pandas\nscikit-learn\nxgboost\nmlflow\ndvc\nevidently\ngreat-expectations\nfastapi\nuvicorn\nprometheus-client\nkubernetes\n",
            "Dockerfile": "",
            "dvc.yaml": "",
            "tests/test_model.py": """
                def test_model():
                    pass


                def test_pipeline():
                    assert True


                def test_api():
                    # TODO
                    pass
            """,
            ".github/workflows/mlops.yml": """
                name: MLOps CI/CD
                on: [push]
                jobs:
                  build-test-deploy:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v4
                      - name: Run tests
                        run: echo "Running tests..."
                      - name: Build Docker image
                        run: echo "Building image..."
                      - name: Deploy to Kubernetes
                        run: echo "Deployed successfully 🚀"
            """,
        }
    )
    repo.notebook(
        "notebooks/model_training.ipynb",
        [
            ("markdown", "# Model training"),
            (
                "code",
                "from sklearn.datasets import load_iris\nfrom sklearn.ensemble import RandomForestClassifier\n"
                "from sklearn.model_selection import train_test_split\nfrom sklearn.metrics import accuracy_score",
            ),
            (
                "code",
                "X, y = load_iris(return_X_y=True)\n"
                "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)",
            ),
            (
                "code",
                "model = RandomForestClassifier()\nmodel.fit(X_train, y_train)\n"
                "print(accuracy_score(y_test, model.predict(X_test)))",
            ),
        ],
        metadata=KERNEL,
        outputs={3: "1.0\n"},
    )
    repo.commit("Initial commit", date="2025-12-01T10:00:00+00:00")
    return root


# 6. honest_small -------------------------------------------------------------------------
HONEST_FETCH = '''
    """Download German-Luxembourg day-ahead prices from the Energy-Charts API (Fraunhofer ISE)."""

    from __future__ import annotations

    import datetime as dt
    import logging

    import pandas as pd
    import requests

    API_URL = "https://api.energy-charts.info/price"
    log = logging.getLogger(__name__)


    def parse_prices(payload: dict) -> pd.DataFrame:
        """The API returns parallel lists of unix seconds and EUR/MWh prices."""
        seconds, prices = payload["unix_seconds"], payload["price"]
        if len(seconds) != len(prices):
            raise ValueError(f"{len(seconds)} timestamps but {len(prices)} prices")
        index = pd.to_datetime(seconds, unit="s", utc=True).rename("timestamp")
        frame = pd.DataFrame({"price": prices}, index=index, dtype="float64")
        return frame.dropna()


    def fetch(start: dt.date, end: dt.date, zone: str = "DE-LU", session=None) -> pd.DataFrame:
        session = session or requests.Session()
        response = session.get(
            API_URL,
            params={"bzn": zone, "start": start.isoformat(), "end": end.isoformat()},
            timeout=60,
        )
        response.raise_for_status()
        frame = parse_prices(response.json())
        log.info("fetched %d hourly prices for %s..%s", len(frame), start, end)
        return frame


    def fetch_range(start: dt.date, end: dt.date, zone: str = "DE-LU") -> pd.DataFrame:
        """Fetch month by month; the API refuses long ranges."""
        frames = []
        month_start = start
        while month_start < end:
            month_end = min((month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1), end)
            frames.append(fetch(month_start, month_end, zone))
            month_start = month_end
        prices = pd.concat(frames)
        return prices[~prices.index.duplicated(keep="first")]
'''

HONEST_FEATURES = '''
    """Calendar and lag features for hourly prices."""

    from __future__ import annotations

    import pandas as pd

    LAGS = (24, 48, 168)


    def add_calendar(frame: pd.DataFrame) -> pd.DataFrame:
        local = frame.index.tz_convert("Europe/Berlin")
        out = frame.copy()
        out["hour"] = local.hour
        out["weekday"] = local.weekday
        out["is_weekend"] = (local.weekday >= 5).astype(int)
        out["month"] = local.month
        return out


    def add_lags(frame: pd.DataFrame, lags: tuple[int, ...] = LAGS) -> pd.DataFrame:
        """Prices known when the day-ahead auction closes: at least 24 hours old."""
        out = frame.copy()
        for lag in lags:
            out[f"price_lag_{lag}"] = out["price"].shift(lag)
        return out


    def make_xy(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
        table = add_lags(add_calendar(frame)).dropna()
        return table.drop(columns=["price"]), table["price"]
'''

HONEST_MODEL = '''
    """Seasonal-naive baseline, a gradient-boosting model, and a rolling-origin backtest."""

    from __future__ import annotations

    import argparse

    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingRegressor

    from dayahead.features import make_xy

    SEED = 17


    def seasonal_naive(prices: pd.Series, season: int = 168) -> pd.Series:
        """Predict each hour with the same hour one week earlier."""
        return prices.shift(season)


    def mae(actual: pd.Series, predicted: pd.Series) -> float:
        both = pd.concat([actual, predicted], axis=1).dropna()
        return float(np.mean(np.abs(both.iloc[:, 0] - both.iloc[:, 1])))


    def fit(features: pd.DataFrame, target: pd.Series) -> HistGradientBoostingRegressor:
        model = HistGradientBoostingRegressor(max_iter=300, learning_rate=0.05, random_state=SEED)
        return model.fit(features, target)


    def backtest(prices: pd.DataFrame, folds: int = 6, horizon: int = 24 * 30) -> pd.DataFrame:
        features, target = make_xy(prices)
        rows = []
        for fold in range(folds, 0, -1):
            split = len(target) - fold * horizon
            test = slice(split, split + horizon)
            model = fit(features.iloc[:split], target.iloc[:split])
            predicted = pd.Series(model.predict(features.iloc[test]), index=target.index[test])
            baseline = seasonal_naive(prices["price"]).reindex(target.index[test])
            rows.append(
                {
                    "test_start": target.index[split],
                    "mae_model": mae(target.iloc[test], predicted),
                    "mae_baseline": mae(target.iloc[test], baseline),
                }
            )
        return pd.DataFrame(rows)


    def main() -> None:
        parser = argparse.ArgumentParser()
        parser.add_argument("--data", default="data/prices_de_lu.csv")
        args = parser.parse_args()
        prices = pd.read_csv(args.data, index_col="timestamp", parse_dates=["timestamp"])
        report = backtest(prices)
        print(report.to_string(index=False))
        print(report[["mae_model", "mae_baseline"]].mean().round(2).to_string())


    if __name__ == "__main__":
        main()
'''


def build_honest_small(root: Path) -> Path:
    """A small real project: day-ahead electricity price forecasts on data it fetches itself."""
    repo = RepoBuilder(root)
    repo.files(
        {
            ".gitignore": "data/*.csv\n__pycache__/\n.venv/\n",
            "requirements.txt": "pandas==2.2.3\nnumpy==2.1.3\nrequests==2.32.3\n",
            "dayahead/__init__.py": '"""Day-ahead electricity price forecasting for DE-LU."""\n',
            "dayahead/fetch.py": HONEST_FETCH,
            "scripts/download_prices.py": '''
                """Download hourly DE-LU day-ahead prices into data/prices_de_lu.csv."""

                import argparse
                import datetime as dt
                import logging
                from pathlib import Path

                from dayahead.fetch import fetch_range


                def main() -> None:
                    parser = argparse.ArgumentParser(description=__doc__)
                    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2023, 1, 1))
                    parser.add_argument("--end", type=dt.date.fromisoformat, default=dt.date(2025, 1, 1))
                    parser.add_argument("--out", type=Path, default=Path("data/prices_de_lu.csv"))
                    args = parser.parse_args()
                    logging.basicConfig(level=logging.INFO)
                    prices = fetch_range(args.start, args.end)
                    args.out.parent.mkdir(parents=True, exist_ok=True)
                    prices.to_csv(args.out)


                if __name__ == "__main__":
                    main()
            ''',
        }
    )
    repo.commit("Download day-ahead prices from Energy-Charts", date="2025-01-11T10:20:00+01:00")
    repo.write("dayahead/features.py", HONEST_FEATURES)
    repo.commit("Calendar and lag features", date="2025-01-14T20:05:00+01:00")
    repo.write("dayahead/model.py", HONEST_MODEL)
    repo.write(
        "requirements.txt",
        "pandas==2.2.3\nnumpy==2.1.3\nrequests==2.32.3\nscikit-learn==1.5.2\n",
    )
    repo.commit(
        "Seasonal-naive baseline, gradient boosting and a backtest",
        date="2025-01-18T16:40:00+01:00",
    )
    repo.files(
        {
            "tests/test_fetch.py": """
                import pandas as pd
                import pytest

                from dayahead.fetch import parse_prices


                def test_parse_prices_builds_a_utc_index():
                    payload = {"unix_seconds": [1704067200, 1704070800], "price": [39.1, 31.2]}
                    frame = parse_prices(payload)
                    assert list(frame["price"]) == [39.1, 31.2]
                    assert frame.index[0] == pd.Timestamp("2024-01-01T00:00", tz="UTC")


                def test_parse_prices_rejects_lists_of_different_length():
                    with pytest.raises(ValueError, match="2 timestamps but 1 prices"):
                        parse_prices({"unix_seconds": [1704067200, 1704070800], "price": [39.1]})
            """,
            "tests/test_features.py": """
                import pandas as pd

                from dayahead.features import add_calendar, add_lags, make_xy


                def hourly(hours: int) -> pd.DataFrame:
                    index = pd.date_range("2024-03-01", periods=hours, freq="h", tz="UTC")
                    return pd.DataFrame({"price": range(hours)}, index=index, dtype="float64")


                def test_calendar_uses_berlin_time():
                    frame = add_calendar(hourly(2))
                    assert list(frame["hour"]) == [1, 2]  # UTC+1 in March before the switch
                    assert frame["weekday"].iloc[0] == 4  # a Friday


                def test_lags_only_use_prices_a_day_old():
                    frame = add_lags(hourly(200))
                    assert frame["price_lag_24"].iloc[24] == 0.0
                    assert frame["price_lag_168"].iloc[199] == 31.0


                def test_make_xy_drops_rows_without_a_full_week_of_history():
                    features, target = make_xy(hourly(200))
                    assert len(features) == len(target) == 32
                    assert "price" not in features.columns
            """,
            "tests/test_model.py": """
                import pandas as pd

                from dayahead.model import mae, seasonal_naive


                def test_seasonal_naive_repeats_last_week():
                    prices = pd.Series(range(336), dtype="float64")
                    predicted = seasonal_naive(prices)
                    assert predicted.iloc[200] == 32.0
                    assert predicted.iloc[:168].isna().all()


                def test_mae_ignores_hours_without_a_prediction():
                    actual = pd.Series([10.0, 20.0, 30.0])
                    predicted = pd.Series([None, 25.0, 27.0])
                    assert mae(actual, predicted) == 4.0
            """,
            "requirements.txt": "pandas==2.2.3\nnumpy==2.1.3\nrequests==2.32.3\nscikit-learn==1.5.2\npytest==8.3.4\n",
        }
    )
    repo.commit("Tests for parsing, features and the baseline", date="2025-01-22T21:10:00+01:00")
    readme = """
        # dayahead

        Forecasts tomorrow's hourly day-ahead electricity prices for the German-Luxembourg
        bidding zone, using only prices that are public before the auction closes.

        ## Usage

        ```bash
        pip install -r requirements.txt
        python scripts/download_prices.py --start 2023-01-01 --end 2025-01-01
        python -m dayahead.model --data data/prices_de_lu.csv
        pytest
        ```

        The download script calls the public Energy-Charts API of Fraunhofer ISE month by
        month and writes `data/prices_de_lu.csv` (about 17,500 hourly prices).

        ## Results

        Rolling-origin backtest over the last six months of 2024, six folds of 30 days,
        retraining before each fold. Mean absolute error in EUR/MWh:

        | model | MAE | vs baseline |
        |---|---|---|
        | seasonal naive (same hour last week) | 24.8 | — |
        | gradient boosting on calendar + lags | 17.3 | -30% |

        The model is better in every fold; the gap is smallest in December (21.9 vs 26.0).
    """
    repo.write("README.md", readme)
    repo.commit("Backtest over 2024 and write up the results", date="2025-01-26T12:30:00+01:00")
    repo.write(
        "README.md",
        readme
        + """
        ## Limitations

        The model only sees past prices and the calendar: no load, wind or solar forecasts,
        so it misses sudden renewable surpluses. Negative-price hours are under-predicted
        (MAE 41 on the 301 negative hours of 2024). It has not been tested on the 15-minute
        products that replace hourly prices in 2025.
        """,
    )
    repo.commit(
        "Limitations: negative prices and missing weather data", date="2025-01-30T19:00:00+01:00"
    )
    return root


# 7. production_grade ---------------------------------------------------------------------
PROD_PYPROJECT = """
    [project]
    name = "lendscore"
    version = "1.2.0"
    description = "Mortgage denial-risk scoring service trained on public HMDA records."
    requires-python = ">=3.11"
    dependencies = [
        "pandas==2.2.3",
        "pyarrow==18.1.0",
        "numpy==2.1.3",
        "scikit-learn==1.5.2",
        "pandera==0.21.0",
        "mlflow==2.18.0",
        "fairlearn==0.11.0",
        "shap==0.46.0",
        "fastapi==0.115.5",
        "uvicorn==0.32.1",
        "prometheus-client==0.21.0",
        "evidently==0.4.40",
        "joblib==1.4.2",
        "pyyaml==6.0.2",
        "requests==2.32.3",
    ]

    [dependency-groups]
    dev = ["pytest==8.3.4", "pytest-cov==6.0.0", "httpx==0.28.0", "ruff==0.8.1", "dvc[s3]==3.58.0"]

    [build-system]
    requires = ["hatchling"]
    build-backend = "hatchling.build"

    [tool.ruff]
    line-length = 100
    target-version = "py311"

    [tool.ruff.lint]
    select = ["E", "F", "I", "B", "UP", "SIM"]

    [tool.pytest.ini_options]
    testpaths = ["tests"]
    addopts = ["-ra", "--strict-markers"]
"""

PROD_UV_LOCK = """
    version = 1
    requires-python = ">=3.11"

    [[package]]
    name = "fastapi"
    version = "0.115.5"
    source = { registry = "https://pypi.org/simple" }
    dependencies = [
        { name = "pydantic" },
        { name = "starlette" },
        { name = "typing-extensions" },
    ]
    sdist = { url = "https://files.pythonhosted.org/packages/ae/29/f71316b9273b6552a263748e49cd7b83898dc9499a663d30c7b9cb853cb8/fastapi-0.115.5.tar.gz", hash = "sha256:0e7a4d0dc0d01c68df21887cce0945e72d3c48b9f4f79dfe7a7d53aa08fbb289", size = 301047 }

    [[package]]
    name = "lendscore"
    version = "1.2.0"
    source = { editable = "." }
    dependencies = [
        { name = "fairlearn" },
        { name = "fastapi" },
        { name = "mlflow" },
        { name = "pandera" },
        { name = "prometheus-client" },
        { name = "scikit-learn" },
        { name = "shap" },
    ]

    [[package]]
    name = "pandera"
    version = "0.21.0"
    source = { registry = "https://pypi.org/simple" }
    sdist = { url = "https://files.pythonhosted.org/packages/5c/b2/pandera-0.21.0.tar.gz", hash = "sha256:5d5f7a8f6c0d2e1d3a4f7c9b2e6a1d8f3c5b7e9a1d2f4c6b8e0a3d5f7c9b1e3a", size = 552914 }
"""

PROD_CONFIG = '''
    """Pipeline parameters, read from params.yaml so that DVC tracks every change."""

    from __future__ import annotations

    from dataclasses import dataclass
    from pathlib import Path

    import yaml


    @dataclass(frozen=True)
    class TrainParams:
        seed: int
        learning_rate: float
        max_iter: int
        max_leaf_nodes: int
        test_size: float
        threshold: float


    def load_params(path: str | Path = "params.yaml") -> TrainParams:
        with Path(path).open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
        return TrainParams(**raw["train"])
'''

PROD_DATA = '''
    """Download HMDA loan application records from the CFPB data browser API and prepare them."""

    from __future__ import annotations

    import argparse
    import io
    import logging
    from pathlib import Path

    import pandas as pd
    import requests

    log = logging.getLogger(__name__)

    API_URL = "https://ffiec.cfpb.gov/v2/data-browser-api/view/csv"
    COLUMNS = [
        "activity_year", "lei", "state_code", "action_taken", "loan_type", "loan_purpose",
        "loan_amount", "income", "property_value", "debt_to_income_ratio", "loan_term",
        "applicant_age", "applicant_sex", "derived_race",
    ]
    # 1 originated, 2 approved but not accepted, 3 denied; withdrawn and incomplete files dropped
    DECIDED = {1, 2, 3}


    def download(state: str, year: int, *, session: requests.Session | None = None) -> pd.DataFrame:
        session = session or requests.Session()
        response = session.get(
            API_URL, params={"states": state, "years": year, "actions_taken": "1,2,3"}, timeout=300
        )
        response.raise_for_status()
        frame = pd.read_csv(io.StringIO(response.text), usecols=COLUMNS, low_memory=False)
        log.info("downloaded %d applications for %s %d", len(frame), state, year)
        return frame


    def prepare(raw: pd.DataFrame) -> pd.DataFrame:
        frame = raw[raw["action_taken"].isin(DECIDED)].copy()
        frame["denied"] = (frame["action_taken"] == 3).astype(int)
        for column in ("loan_amount", "income", "property_value", "loan_term"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
        frame = frame.dropna(subset=["loan_amount", "income", "property_value"])
        frame = frame[frame["income"] > 0]
        return frame.drop(columns=["action_taken"]).reset_index(drop=True)


    def main() -> None:
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--states", nargs="+", default=["NY", "NJ", "PA"])
        parser.add_argument("--year", type=int, default=2023)
        parser.add_argument("--out", type=Path, default=Path("data/processed/applications.parquet"))
        args = parser.parse_args()
        logging.basicConfig(level=logging.INFO)
        raw = pd.concat([download(state, args.year) for state in args.states], ignore_index=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        prepare(raw).to_parquet(args.out, index=False)


    if __name__ == "__main__":
        main()
'''

PROD_SCHEMA = '''
    """The contract every application must meet before it is featurised or scored."""

    import pandera as pa
    from pandera.typing import Series

    AGE_BANDS = ["<25", "25-34", "35-44", "45-54", "55-64", "65-74", ">74", "8888"]
    LOAN_PURPOSES = [1, 2, 4, 5, 31, 32]


    class Application(pa.DataFrameModel):
        loan_amount: Series[float] = pa.Field(gt=0, le=50_000_000)
        income: Series[float] = pa.Field(gt=0, description="thousands of USD, as reported")
        property_value: Series[float] = pa.Field(gt=0)
        loan_term: Series[float] = pa.Field(ge=12, le=480, nullable=True)
        loan_type: Series[int] = pa.Field(isin=[1, 2, 3, 4])
        loan_purpose: Series[int] = pa.Field(isin=LOAN_PURPOSES)
        debt_to_income_ratio: Series[str] = pa.Field(nullable=True)
        applicant_age: Series[str] = pa.Field(isin=AGE_BANDS)

        class Config:
            coerce = True
            strict = False
'''

PROD_FEATURES = '''
    """Feature code shared by training, evaluation, monitoring and the API."""

    from __future__ import annotations

    import logging

    import numpy as np
    import pandas as pd

    from lendscore.schema import Application

    log = logging.getLogger(__name__)

    DTI_MIDPOINTS = {"<20%": 15.0, "20%-<30%": 25.0, "30%-<36%": 33.0, "50%-60%": 55.0, ">60%": 65.0}
    FEATURE_COLUMNS = [
        "log_loan_amount", "loan_to_income", "loan_to_value", "dti", "loan_term",
        "loan_type", "loan_purpose",
    ]
    CATEGORICAL = ["loan_type", "loan_purpose"]
    # Protected attributes are kept for evaluation and never used as features.
    SENSITIVE = ["applicant_sex", "derived_race", "applicant_age"]


    def dti_to_number(value: object) -> float:
        if value in DTI_MIDPOINTS:
            return DTI_MIDPOINTS[value]
        try:
            return float(value)
        except (TypeError, ValueError):
            return float("nan")


    def build_features(frame: pd.DataFrame) -> pd.DataFrame:
        frame = Application.validate(frame)
        features = pd.DataFrame(index=frame.index)
        features["log_loan_amount"] = np.log1p(frame["loan_amount"])
        features["loan_to_income"] = frame["loan_amount"] / (frame["income"] * 1_000)
        features["loan_to_value"] = frame["loan_amount"] / frame["property_value"]
        features["dti"] = frame["debt_to_income_ratio"].map(dti_to_number)
        features["loan_term"] = frame["loan_term"]
        features["loan_type"] = frame["loan_type"]
        features["loan_purpose"] = frame["loan_purpose"]
        log.debug("built %d feature rows", len(features))
        return features[FEATURE_COLUMNS]
'''

PROD_TRAIN = '''
    """Train the denial-risk model, log the run to MLflow and save the artefacts DVC tracks."""

    from __future__ import annotations

    import logging
    import random
    from dataclasses import asdict
    from pathlib import Path

    import joblib
    import mlflow
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import average_precision_score, roc_auc_score
    from sklearn.model_selection import train_test_split

    from lendscore.config import TrainParams, load_params
    from lendscore.features import CATEGORICAL, FEATURE_COLUMNS, build_features

    log = logging.getLogger(__name__)
    DATA = Path("data/processed/applications.parquet")
    MODEL_PATH = Path("models/model.joblib")


    def seed_everything(seed: int) -> None:
        random.seed(seed)
        np.random.seed(seed)


    def split(frame: pd.DataFrame, params: TrainParams) -> tuple[pd.DataFrame, pd.DataFrame]:
        return train_test_split(
            frame, test_size=params.test_size, stratify=frame["denied"], random_state=params.seed
        )


    def fit(frame: pd.DataFrame, params: TrainParams) -> HistGradientBoostingClassifier:
        seed_everything(params.seed)
        model = HistGradientBoostingClassifier(
            learning_rate=params.learning_rate,
            max_iter=params.max_iter,
            max_leaf_nodes=params.max_leaf_nodes,
            categorical_features=[FEATURE_COLUMNS.index(name) for name in CATEGORICAL],
            class_weight="balanced",
            random_state=params.seed,
        )
        return model.fit(build_features(frame), frame["denied"])


    def main() -> None:
        logging.basicConfig(level=logging.INFO)
        params = load_params()
        train_frame, test_frame = split(pd.read_parquet(DATA), params)
        mlflow.set_experiment("lendscore")
        with mlflow.start_run():
            mlflow.log_params(asdict(params))
            model = fit(train_frame, params)
            proba = model.predict_proba(build_features(test_frame))[:, 1]
            mlflow.log_metrics(
                {
                    "test_roc_auc": roc_auc_score(test_frame["denied"], proba),
                    "test_average_precision": average_precision_score(test_frame["denied"], proba),
                }
            )
            mlflow.sklearn.log_model(model, "model", registered_model_name="lendscore")
        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(model, MODEL_PATH)
        test_frame.to_parquet("data/processed/test.parquet", index=False)
        train_frame.sample(20_000, random_state=params.seed).to_parquet(
            "data/processed/reference.parquet", index=False
        )
        log.info("saved model to %s", MODEL_PATH)


    if __name__ == "__main__":
        main()
'''

PROD_EVALUATE = '''
    """Held-out evaluation: headline metrics, the majority baseline and per-group slices."""

    from __future__ import annotations

    import json
    from pathlib import Path

    import joblib
    import pandas as pd
    from fairlearn.metrics import MetricFrame, count, false_negative_rate, selection_rate
    from sklearn.dummy import DummyClassifier
    from sklearn.metrics import confusion_matrix, precision_score, recall_score, roc_auc_score

    from lendscore.config import load_params
    from lendscore.features import SENSITIVE, build_features

    REPORTS = Path("reports")


    def headline(y_true: pd.Series, proba: pd.Series, threshold: float) -> dict[str, float]:
        predicted = (proba >= threshold).astype(int)
        tn, fp, fn, tp = confusion_matrix(y_true, predicted, labels=[0, 1]).ravel()
        return {
            "roc_auc": float(roc_auc_score(y_true, proba)),
            "precision": float(precision_score(y_true, predicted, zero_division=0)),
            "recall": float(recall_score(y_true, predicted, zero_division=0)),
            "true_negatives": int(tn),
            "false_positives": int(fp),
            "false_negatives": int(fn),
            "true_positives": int(tp),
        }


    def baseline(y_train: pd.Series, y_test: pd.Series) -> dict[str, float]:
        dummy = DummyClassifier(strategy="prior").fit(y_train.to_frame(), y_train)
        proba = pd.Series(dummy.predict_proba(y_test.to_frame())[:, 1], index=y_test.index)
        return {"roc_auc": float(roc_auc_score(y_test, proba)), "recall": 0.0}


    def slices(y_true: pd.Series, predicted: pd.Series, sensitive: pd.DataFrame) -> pd.DataFrame:
        """Recall, precision and referral rate per group of each protected attribute."""
        tables = []
        for attribute in SENSITIVE:
            frame = MetricFrame(
                metrics={
                    "count": count,
                    "recall": recall_score,
                    "precision": precision_score,
                    "false_negative_rate": false_negative_rate,
                    "referral_rate": selection_rate,
                },
                y_true=y_true,
                y_pred=predicted,
                sensitive_features=sensitive[attribute],
            )
            table = frame.by_group.reset_index().rename(columns={attribute: "group"})
            table.insert(0, "attribute", attribute)
            table["recall_gap"] = frame.difference(method="between_groups")["recall"]
            tables.append(table)
        return pd.concat(tables, ignore_index=True)


    def main() -> None:
        params = load_params()
        model = joblib.load("models/model.joblib")
        test = pd.read_parquet("data/processed/test.parquet")
        reference = pd.read_parquet("data/processed/reference.parquet")
        proba = pd.Series(model.predict_proba(build_features(test))[:, 1], index=test.index)
        predicted = (proba >= params.threshold).astype(int)
        REPORTS.mkdir(exist_ok=True)
        metrics = {
            "model": headline(test["denied"], proba, params.threshold),
            "baseline": baseline(reference["denied"], test["denied"]),
        }
        (REPORTS / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
        slices(test["denied"], predicted, test[SENSITIVE]).to_csv(REPORTS / "slices.csv", index=False)


    if __name__ == "__main__":
        main()
'''

PROD_EXPLAIN = '''
    """SHAP explanations: global importance for the report, local reasons for underwriters."""

    from __future__ import annotations

    from pathlib import Path

    import joblib
    import numpy as np
    import pandas as pd
    import shap

    from lendscore.features import build_features


    def global_importance(model, features: pd.DataFrame, sample: int = 2_000, seed: int = 0) -> pd.Series:
        background = features.sample(min(sample, len(features)), random_state=seed)
        explainer = shap.TreeExplainer(model)
        values = explainer.shap_values(background)
        importance = np.abs(values).mean(axis=0)
        return pd.Series(importance, index=features.columns).sort_values(ascending=False)


    def reasons(model, features: pd.DataFrame, top: int = 3) -> list[list[str]]:
        """The features that pushed each application's score up the most."""
        values = shap.TreeExplainer(model).shap_values(features)
        order = np.argsort(-values, axis=1)[:, :top]
        return [[features.columns[i] for i in row] for row in order]


    def main() -> None:
        model = joblib.load("models/model.joblib")
        test = pd.read_parquet("data/processed/test.parquet")
        importance = global_importance(model, build_features(test))
        Path("reports").mkdir(exist_ok=True)
        importance.rename("mean_abs_shap").to_csv("reports/shap_importance.csv")


    if __name__ == "__main__":
        main()
'''

PROD_SERVE_V1 = '''
    """HTTP scoring service."""

    from __future__ import annotations

    import os
    from contextlib import asynccontextmanager

    import joblib
    import pandas as pd
    from fastapi import FastAPI, Request
    from pydantic import BaseModel, Field

    from lendscore.features import build_features

    MODEL_PATH = os.environ.get("LENDSCORE_MODEL", "models/model.joblib")
    THRESHOLD = float(os.environ.get("LENDSCORE_THRESHOLD", "0.35"))


    class LoanApplication(BaseModel):
        loan_amount: float = Field(gt=0, le=50_000_000)
        income: float = Field(gt=0, description="thousands of USD")
        property_value: float = Field(gt=0)
        loan_term: float = Field(ge=12, le=480)
        loan_type: int = Field(ge=1, le=4)
        loan_purpose: int
        debt_to_income_ratio: str
        applicant_age: str = "35-44"


    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.model = joblib.load(MODEL_PATH)
        yield


    app = FastAPI(title="lendscore", lifespan=lifespan)


    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}


    @app.post("/predict")
    def predict(application: LoanApplication, request: Request) -> dict[str, float]:
        features = build_features(pd.DataFrame([application.model_dump()]))
        probability = float(request.app.state.model.predict_proba(features)[0, 1])
        return {"denial_probability": probability}
'''

PROD_SERVE = '''
    """HTTP scoring service: validated requests, shared features, Prometheus metrics."""

    from __future__ import annotations

    import logging
    import os
    from contextlib import asynccontextmanager

    import joblib
    import pandas as pd
    from fastapi import FastAPI, Request
    from prometheus_client import Counter, Histogram, make_asgi_app
    from pydantic import BaseModel, Field

    from lendscore.features import build_features

    log = logging.getLogger(__name__)
    MODEL_PATH = os.environ.get("LENDSCORE_MODEL", "models/model.joblib")
    THRESHOLD = float(os.environ.get("LENDSCORE_THRESHOLD", "0.35"))

    PREDICTIONS = Counter("lendscore_predictions_total", "Applications scored", ["decision"])
    LATENCY = Histogram("lendscore_predict_seconds", "Time to score one application")
    SCORES = Histogram(
        "lendscore_denial_probability", "Distribution of scores", buckets=[i / 10 for i in range(11)]
    )


    class LoanApplication(BaseModel):
        loan_amount: float = Field(gt=0, le=50_000_000)
        income: float = Field(gt=0, description="thousands of USD")
        property_value: float = Field(gt=0)
        loan_term: float = Field(ge=12, le=480)
        loan_type: int = Field(ge=1, le=4)
        loan_purpose: int
        debt_to_income_ratio: str
        applicant_age: str = "35-44"


    class Score(BaseModel):
        denial_probability: float
        refer_to_underwriter: bool


    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.model = joblib.load(MODEL_PATH)
        log.info("loaded model from %s", MODEL_PATH)
        yield


    app = FastAPI(title="lendscore", lifespan=lifespan)
    app.mount("/metrics", make_asgi_app())


    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}


    @app.post("/predict", response_model=Score)
    def predict(application: LoanApplication, request: Request) -> Score:
        with LATENCY.time():
            features = build_features(pd.DataFrame([application.model_dump()]))
            probability = float(request.app.state.model.predict_proba(features)[0, 1])
        refer = probability >= THRESHOLD
        PREDICTIONS.labels(decision="refer" if refer else "approve").inc()
        SCORES.observe(probability)
        return Score(denial_probability=probability, refer_to_underwriter=refer)
'''

PROD_MONITOR = '''
    """Weekly drift check: logged requests against the training reference, per feature."""

    from __future__ import annotations

    import argparse
    import logging
    import sys

    import numpy as np
    import pandas as pd
    from evidently.metric_preset import DataDriftPreset
    from evidently.report import Report
    from prometheus_client import CollectorRegistry, Gauge, push_to_gateway

    from lendscore.features import FEATURE_COLUMNS, build_features

    log = logging.getLogger(__name__)


    def psi(reference: pd.Series, current: pd.Series, bins: int = 10) -> float:
        """Population stability index on reference quantile bins."""
        reference, current = reference.dropna(), current.dropna()
        edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))
        expected = np.histogram(reference, edges)[0] / len(reference)
        actual = np.histogram(current.clip(edges[0], edges[-1]), edges)[0] / max(len(current), 1)
        expected, actual = np.clip(expected, 1e-4, None), np.clip(actual, 1e-4, None)
        return float(np.sum((actual - expected) * np.log(actual / expected)))


    def drift_table(reference: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
        rows = [{"feature": name, "psi": psi(reference[name], current[name])} for name in FEATURE_COLUMNS]
        return pd.DataFrame(rows).sort_values("psi", ascending=False)


    def main(argv: list[str] | None = None) -> int:
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--reference", default="data/processed/reference.parquet")
        parser.add_argument("--current", default="data/requests/last_week.parquet")
        parser.add_argument("--threshold", type=float, default=0.2)
        parser.add_argument("--pushgateway", default=None)
        parser.add_argument("--html", default="reports/drift.html")
        args = parser.parse_args(argv)
        logging.basicConfig(level=logging.INFO)

        reference = build_features(pd.read_parquet(args.reference))
        current = build_features(pd.read_parquet(args.current))
        table = drift_table(reference, current)

        report = Report(metrics=[DataDriftPreset()])
        report.run(reference_data=reference, current_data=current)
        report.save_html(args.html)

        if args.pushgateway:
            registry = CollectorRegistry()
            gauge = Gauge("lendscore_feature_psi", "PSI per feature", ["feature"], registry=registry)
            for row in table.itertuples():
                gauge.labels(feature=row.feature).set(row.psi)
            push_to_gateway(args.pushgateway, job="lendscore-drift", registry=registry)

        drifted = table[table["psi"] > args.threshold]
        for row in drifted.itertuples():
            log.warning("drift in %s: PSI %.3f", row.feature, row.psi)
        return 1 if len(drifted) else 0


    if __name__ == "__main__":
        sys.exit(main())
'''

PROD_CONFTEST = """
    import numpy as np
    import pandas as pd
    import pytest

    from lendscore.config import TrainParams


    def make_applications(rows: int = 400, seed: int = 0) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        income = rng.lognormal(4.5, 0.5, rows).round()
        loan = (income * 1_000 * rng.uniform(1.5, 5.0, rows)).round(-3)
        frame = pd.DataFrame(
            {
                "loan_amount": loan,
                "income": income,
                "property_value": (loan / rng.uniform(0.5, 0.97, rows)).round(-3),
                "loan_term": rng.choice([180.0, 360.0], rows),
                "loan_type": rng.choice([1, 2, 3], rows),
                "loan_purpose": rng.choice([1, 31, 32], rows),
                "debt_to_income_ratio": rng.choice(["<20%", "20%-<30%", "38", "45", ">60%"], rows),
                "applicant_age": rng.choice(["25-34", "35-44", "45-54", "55-64"], rows),
                "applicant_sex": rng.choice(["Male", "Female", "Joint"], rows),
                "derived_race": rng.choice(["White", "Black or African American", "Asian"], rows),
            }
        )
        risk = frame["loan_amount"] / (frame["income"] * 1_000) + (frame["debt_to_income_ratio"] == ">60%") * 2
        frame["denied"] = (risk + rng.normal(0, 0.8, rows) > 4.5).astype(int)
        return frame


    @pytest.fixture
    def applications() -> pd.DataFrame:
        return make_applications()


    @pytest.fixture
    def params() -> TrainParams:
        return TrainParams(
            seed=7, learning_rate=0.1, max_iter=50, max_leaf_nodes=15, test_size=0.25, threshold=0.35
        )
"""

PROD_TESTS: dict[str, str] = {
    "tests/__init__.py": "",
    "tests/conftest.py": PROD_CONFTEST,
    "tests/test_schema.py": """
        import pandera.errors
        import pytest

        from lendscore.schema import Application


        def test_valid_applications_pass(applications):
            validated = Application.validate(applications)
            assert len(validated) == len(applications)


        def test_rejects_non_positive_income(applications):
            bad = applications.assign(income=0.0)
            with pytest.raises(pandera.errors.SchemaError):
                Application.validate(bad)


        def test_rejects_unknown_loan_purpose(applications):
            bad = applications.assign(loan_purpose=99)
            with pytest.raises(pandera.errors.SchemaError):
                Application.validate(bad)


        def test_rejects_impossible_loan_term(applications):
            bad = applications.assign(loan_term=1200.0)
            with pytest.raises(pandera.errors.SchemaError):
                Application.validate(bad)
    """,
    "tests/test_features.py": """
        import math

        import pytest

        from lendscore.features import FEATURE_COLUMNS, SENSITIVE, build_features, dti_to_number


        def test_features_have_the_training_columns(applications):
            assert list(build_features(applications).columns) == FEATURE_COLUMNS


        def test_protected_attributes_are_not_features():
            assert not set(SENSITIVE) & set(FEATURE_COLUMNS)


        def test_loan_to_income_uses_income_in_thousands(applications):
            row = applications.iloc[[0]].assign(loan_amount=300_000.0, income=100.0)
            assert build_features(row)["loan_to_income"].iloc[0] == pytest.approx(3.0)


        @pytest.mark.parametrize(("band", "number"), [("<20%", 15.0), ("38", 38.0), (">60%", 65.0)])
        def test_dti_bands_map_to_numbers(band, number):
            assert dti_to_number(band) == number


        def test_exempt_dti_is_missing():
            assert math.isnan(dti_to_number("Exempt"))
    """,
    "tests/test_train.py": """
        from sklearn.metrics import roc_auc_score

        from lendscore.features import build_features
        from lendscore.train import fit, split


        def test_training_is_reproducible(applications, params):
            train, test = split(applications, params)
            first = fit(train, params).predict_proba(build_features(test))[:, 1]
            second = fit(train, params).predict_proba(build_features(test))[:, 1]
            assert (first == second).all()


        def test_model_beats_chance_on_the_sample(applications, params):
            train, test = split(applications, params)
            proba = fit(train, params).predict_proba(build_features(test))[:, 1]
            assert roc_auc_score(test["denied"], proba) > 0.7
    """,
    "tests/test_evaluate.py": """
        import pandas as pd

        from lendscore.evaluate import baseline, headline, slices
        from lendscore.features import SENSITIVE


        def test_headline_counts_the_confusion_matrix():
            y = pd.Series([0, 0, 1, 1])
            proba = pd.Series([0.1, 0.6, 0.2, 0.9])
            metrics = headline(y, proba, threshold=0.5)
            assert (metrics["false_positives"], metrics["false_negatives"]) == (1, 1)
            assert metrics["recall"] == 0.5


        def test_baseline_has_no_skill(applications):
            assert baseline(applications["denied"], applications["denied"])["roc_auc"] == 0.5


        def test_slices_cover_every_group(applications):
            table = slices(applications["denied"], applications["denied"], applications[SENSITIVE])
            assert set(table["attribute"]) == set(SENSITIVE)
            assert (table["recall"].dropna() == 1.0).all()
    """,
    "tests/test_api.py": """
        import pytest
        from fastapi.testclient import TestClient

        from lendscore import serve
        from lendscore.train import fit

        VALID = {
            "loan_amount": 285000,
            "income": 96,
            "property_value": 340000,
            "loan_term": 360,
            "loan_type": 1,
            "loan_purpose": 1,
            "debt_to_income_ratio": "20%-<30%",
            "applicant_age": "35-44",
        }


        @pytest.fixture
        def client(applications, params):
            serve.app.state.model = fit(applications, params)
            return TestClient(serve.app)


        def test_health(client):
            assert client.get("/health").json() == {"status": "ok"}


        def test_predict_returns_a_probability(client):
            response = client.post("/predict", json=VALID)
            assert response.status_code == 200
            body = response.json()
            assert 0.0 <= body["denial_probability"] <= 1.0
            assert body["refer_to_underwriter"] == (body["denial_probability"] >= serve.THRESHOLD)


        def test_rejects_negative_income(client):
            assert client.post("/predict", json={**VALID, "income": -5}).status_code == 422


        def test_metrics_are_exposed(client):
            client.post("/predict", json=VALID)
            assert "lendscore_predictions_total" in client.get("/metrics/").text
    """,
    "tests/test_monitor.py": """
        import numpy as np
        import pandas as pd

        from lendscore.features import build_features
        from lendscore.monitor import drift_table, psi


        def test_psi_is_zero_for_identical_samples():
            sample = pd.Series(np.linspace(0, 1, 1_000))
            assert psi(sample, sample) < 1e-6


        def test_psi_flags_a_shifted_distribution():
            rng = np.random.default_rng(3)
            reference = pd.Series(rng.normal(0, 1, 5_000))
            assert psi(reference, reference + 1.5) > 0.2


        def test_drift_table_has_one_row_per_feature(applications):
            features = build_features(applications)
            table = drift_table(features, features)
            assert len(table) == features.shape[1]
            assert (table["psi"] < 0.01).all()
    """,
}

PROD_README_BASE = """
    # lendscore

    Scores US mortgage applications for denial risk, so that underwriters can review the
    riskiest files first. Trained on public HMDA records (CFPB), served over HTTP, monitored
    weekly for drift.

    ## Quick start

    ```bash
    uv sync
    uv run pytest
    dvc pull && dvc repro
    docker compose up --build
    curl -X POST localhost:8000/predict -H 'content-type: application/json' -d @examples/application.json
    ```

    `dvc repro` downloads 2023 applications for NY, NJ and PA, trains, evaluates and writes
    `reports/`. `docker compose up` starts the API on port 8000 and Prometheus on 9090.
"""

PROD_README_FULL = (
    PROD_README_BASE
    + """
    ## Results

    Held-out test set of 118,420 decided applications (20%, stratified), threshold 0.35.

    | model | ROC AUC | recall (denials) | precision |
    |---|---|---|---|
    | majority baseline (DummyClassifier) | 0.50 | 0.00 | — |
    | logistic regression | 0.71 | 0.58 | 0.27 |
    | gradient boosting (this model) | 0.79 | 0.69 | 0.34 |

    ## Error analysis

    The confusion matrix at the 0.35 threshold has 9,870 true positives, 4,431 false
    negatives and 19,160 false positives. Most false negatives are refinancing applications
    (loan purpose 31/32) with a debt-to-income ratio reported as "Exempt" or missing: recall
    on that segment is 0.48 against 0.69 overall, because the model has no DTI signal left.
    Per-slice recall by applicant age is flat between 25 and 64 (0.67-0.71) but drops to
    0.58 for applicants over 74, who are rare in training (1.9% of rows). By sex the recall
    gap is 0.03; by derived race it is 0.06 (Asian 0.64, White 0.70). The SHAP report shows
    loan-to-value and DTI dominate; false positives cluster at LTV above 0.95, where FHA
    loans are approved more often than the model expects.

    ## Fairness

    `lendscore.evaluate.slices` computes recall, precision, false-negative rate and referral
    rate per group with fairlearn's `MetricFrame` for sex, race and age; the table is in
    `reports/slices.csv` and summarised in MODEL_CARD.md.

    ## Monitoring

    The API exports Prometheus metrics at `/metrics` (scores, latency, decisions). Every
    Monday a scheduled workflow runs `python -m lendscore.monitor`, which compares last
    week's requests with the training reference (PSI per feature, Evidently report) and
    fails when any feature's PSI exceeds 0.2.

    ## Limitations

    HMDA records are public and lack credit scores, so the model cannot replace an
    underwriting decision; it only orders the review queue. It is trained on three
    north-eastern states in 2023 and has not been validated elsewhere or after rate changes.
    Protected attributes are excluded from the features, but proxies such as property
    location may remain; see MODEL_CARD.md before any use on real applicants.
"""
)

PROD_MODEL_CARD = """
    # Model card: lendscore 1.2.0

    ## Model details

    - Developed by Ada Learner, April 2025. Gradient-boosted trees (scikit-learn
      HistGradientBoostingClassifier, 400 iterations, 31 leaves, balanced class weights).
    - Input: one mortgage application (amount, income, property value, term, loan type,
      purpose, debt-to-income band). Output: probability that the application is denied.
    - Licence: MIT. Contact: open an issue in this repository.

    ## Intended use

    Ordering an underwriting review queue by estimated denial risk. Not intended for
    automated approval or denial decisions, for pricing, or for applicants outside the
    states and year it was trained on.

    ## Factors

    Evaluated across applicant sex, derived race and age band, the groups HMDA reports.
    These attributes are not model inputs.

    ## Metrics

    ROC AUC, recall and precision for denials at a 0.35 threshold, chosen so that two
    thirds of eventual denials are reviewed first; per-group recall and referral rate.

    ## Evaluation data

    A stratified 20% hold-out of 2023 HMDA records for NY, NJ and PA (118,420 applications,
    13.8% denied).

    ## Training data

    The remaining 80% (473,680 applications), downloaded from the CFPB data browser API by
    `lendscore.data`; withdrawn and incomplete files are excluded.

    ## Quantitative analyses

    | group | recall | referral rate |
    |---|---|---|
    | Male | 0.70 | 0.23 |
    | Female | 0.67 | 0.25 |
    | Joint | 0.69 | 0.19 |
    | White | 0.70 | 0.21 |
    | Black or African American | 0.68 | 0.34 |
    | Asian | 0.64 | 0.22 |
    | age >74 | 0.58 | 0.31 |

    ## Ethical considerations

    Denial rates in HMDA differ by race; a model trained on past decisions can reproduce
    that disparity. Referral rates for Black applicants are 13 points higher than for White
    applicants at equal threshold, which mirrors the base rates but must be reviewed by a
    person before any operational use.

    ## Caveats and recommendations

    Retrain yearly on new HMDA releases; watch the weekly drift job; re-run the slice
    report after every retraining and compare the recall gaps with this card.
"""

PROD_DVC_YAML = """
    stages:
      download:
        cmd: python -m lendscore.data --states NY NJ PA --year 2023 --out data/processed/applications.parquet
        deps:
          - src/lendscore/data.py
        outs:
          - data/processed/applications.parquet
      train:
        cmd: python -m lendscore.train
        deps:
          - src/lendscore/train.py
          - src/lendscore/features.py
          - src/lendscore/schema.py
          - data/processed/applications.parquet
        params:
          - train
        outs:
          - models/model.joblib
          - data/processed/test.parquet
          - data/processed/reference.parquet
      evaluate:
        cmd: python -m lendscore.evaluate
        deps:
          - src/lendscore/evaluate.py
          - models/model.joblib
          - data/processed/test.parquet
        params:
          - train.threshold
        metrics:
          - reports/metrics.json:
              cache: false
        plots:
          - reports/slices.csv:
              cache: false
      explain:
        cmd: python -m lendscore.explain
        deps:
          - src/lendscore/explain.py
          - models/model.joblib
          - data/processed/test.parquet
        outs:
          - reports/shap_importance.csv:
              cache: false
"""

PROD_DVC_LOCK = """
    schema: '2.0'
    stages:
      download:
        cmd: python -m lendscore.data --states NY NJ PA --year 2023 --out data/processed/applications.parquet
        deps:
        - path: src/lendscore/data.py
          hash: md5
          md5: 4f1c2b7e9a0d3c5e8b6a1f2d7c9e0b3a
          size: 2048
        outs:
        - path: data/processed/applications.parquet
          hash: md5
          md5: 9e2d4c6a8b0f1e3d5c7a9b2e4f6a8c0d
          size: 41873920
      train:
        cmd: python -m lendscore.train
        deps:
        - path: data/processed/applications.parquet
          hash: md5
          md5: 9e2d4c6a8b0f1e3d5c7a9b2e4f6a8c0d
          size: 41873920
        - path: src/lendscore/features.py
          hash: md5
          md5: 1b3d5f7a9c2e4a6c8e0b2d4f6a8c0e2b
          size: 1490
        params:
          params.yaml:
            train:
              seed: 20250317
              learning_rate: 0.05
              max_iter: 400
              max_leaf_nodes: 31
              test_size: 0.2
              threshold: 0.35
        outs:
        - path: models/model.joblib
          hash: md5
          md5: 7c9e1a3b5d7f9b1d3f5a7c9e1b3d5f7a
          size: 1839204
"""

PROD_PARAMS = """
    data:
      states: [NY, NJ, PA]
      year: 2023
    train:
      seed: 20250317
      learning_rate: 0.05
      max_iter: 400
      max_leaf_nodes: 31
      test_size: 0.2
      threshold: 0.35
    monitor:
      psi_alert: 0.2
"""

PROD_CI = """
    name: ci
    on:
      push:
        branches: [main]
      pull_request:
    jobs:
      lint:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: astral-sh/setup-uv@v4
          - run: uv sync --frozen
          - run: uv run ruff check .
          - run: uv run ruff format --check .
      test:
        needs: lint
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: astral-sh/setup-uv@v4
          - run: uv sync --frozen
          - run: uv run pytest -q --cov=lendscore
      image:
        needs: test
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - run: docker build -t lendscore:${{ github.sha }} .
"""

PROD_MONITOR_WORKFLOW = """
    name: weekly-drift
    on:
      schedule:
        - cron: "0 6 * * 1"
      workflow_dispatch:
    jobs:
      drift:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: astral-sh/setup-uv@v4
          - run: uv sync --frozen
          - run: uv run dvc pull data/processed/reference.parquet
            env:
              AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
              AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          - run: aws s3 cp s3://lendscore-logs/requests/last_week.parquet data/requests/last_week.parquet
            env:
              AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
              AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          - run: uv run python -m lendscore.monitor --pushgateway ${{ vars.PUSHGATEWAY_URL }}
          - uses: actions/upload-artifact@v4
            if: always()
            with:
              name: drift-report
              path: reports/drift.html
"""

PROD_DOCKERFILE = """
    FROM python:3.11-slim
    COPY --from=ghcr.io/astral-sh/uv:0.5.5 /uv /bin/uv
    WORKDIR /app
    COPY pyproject.toml uv.lock ./
    RUN uv sync --frozen --no-dev --no-install-project
    COPY src ./src
    COPY models/model.joblib ./models/model.joblib
    RUN uv sync --frozen --no-dev
    ENV PATH="/app/.venv/bin:$PATH" LENDSCORE_MODEL=/app/models/model.joblib
    EXPOSE 8000
    HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"
    CMD ["uvicorn", "lendscore.serve:app", "--host", "0.0.0.0", "--port", "8000"]
"""

PROD_COMPOSE = """
    services:
      api:
        build: .
        ports:
          - "8000:8000"
        environment:
          LENDSCORE_THRESHOLD: "0.35"
        healthcheck:
          test: ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"]
          interval: 30s
      prometheus:
        image: prom/prometheus:v2.55.1
        volumes:
          - ./monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro
        ports:
          - "9090:9090"
        depends_on:
          - api
"""


def _pull_request(
    repo: RepoBuilder,
    number: int,
    branch: str,
    commits: list[tuple[dict[str, str], str, str]],
    merged: str,
) -> None:
    """Commit on a branch, then merge it into main the way GitHub's merge button does."""
    repo.git("checkout", "-q", "-b", branch)
    for files, message, date in commits:
        repo.files(files).commit(message, date=date)
    repo.git("checkout", "-q", "main")
    repo.git(
        "merge",
        "--no-ff",
        "-q",
        "-m",
        f"Merge pull request #{number} from ada-learner/{branch}",
        branch,
        date=merged,
    )


def build_production_grade(root: Path) -> Path:
    """A served, tested, validated, monitored and written-up model, built over seven weeks."""
    repo = RepoBuilder(root)
    repo.files(
        {
            "pyproject.toml": PROD_PYPROJECT,
            "uv.lock": PROD_UV_LOCK,
            ".gitignore": "__pycache__/\n.venv/\n/data/processed\n/models\nmlruns/\nreports/drift.html\n",
            ".python-version": "3.11\n",
            "src/lendscore/__init__.py": '"""Mortgage denial-risk scoring."""\n\n__version__ = "1.2.0"\n',
            "README.md": PROD_README_BASE,
            ".pre-commit-config.yaml": """
                repos:
                  - repo: https://github.com/astral-sh/ruff-pre-commit
                    rev: v0.8.1
                    hooks:
                      - id: ruff
                        args: [--fix]
                      - id: ruff-format
                  - repo: https://github.com/kynan/nbstripout
                    rev: 0.8.1
                    hooks:
                      - id: nbstripout
                  - repo: https://github.com/pre-commit/pre-commit-hooks
                    rev: v5.0.0
                    hooks:
                      - id: check-yaml
                      - id: check-added-large-files
            """,
        }
    )
    repo.commit("Project layout with uv, ruff and pre-commit", date="2025-03-03T09:15:00+01:00")
    repo.files(
        {
            "src/lendscore/data.py": PROD_DATA,
            "params.yaml": PROD_PARAMS,
            ".dvc/config": """
                [core]
                    remote = s3store
                ['remote "s3store"']
                    url = s3://lendscore-dvc/store
            """,
            ".dvcignore": "# Add patterns of files dvc should ignore\n",
            "dvc.yaml": """
                stages:
                  download:
                    cmd: python -m lendscore.data --states NY NJ PA --year 2023 --out data/processed/applications.parquet
                    deps:
                      - src/lendscore/data.py
                    outs:
                      - data/processed/applications.parquet
            """,
        }
    )
    repo.commit("Download HMDA applications for NY, NJ and PA", date="2025-03-05T18:30:00+01:00")
    repo.files(
        {
            "src/lendscore/schema.py": PROD_SCHEMA,
            "tests/__init__.py": "",
            "tests/conftest.py": PROD_CONFTEST,
            "tests/test_schema.py": PROD_TESTS["tests/test_schema.py"],
        }
    )
    repo.notebook(
        "notebooks/01-eda.ipynb",
        [
            (
                "markdown",
                "# HMDA 2023 — NY, NJ, PA\n\nDenial rates and the fields the schema must cover.",
            ),
            (
                "code",
                "import pandas as pd\n\nfrom lendscore.schema import Application\n\n"
                "frame = pd.read_parquet('../data/processed/applications.parquet')\n"
                "frame['denied'].mean()",
            ),
            ("code", "frame.groupby('loan_purpose')['denied'].agg(['mean', 'size'])"),
            ("code", "frame['debt_to_income_ratio'].value_counts(dropna=False).head(12)"),
            ("code", "Application.validate(frame.sample(50_000, random_state=0)).shape"),
        ],
        metadata=KERNEL,
    )
    repo.commit("Pandera schema for applications, EDA notebook", date="2025-03-07T20:05:00+01:00")

    _pull_request(
        repo,
        1,
        "feature-builder",
        [
            (
                {"src/lendscore/features.py": PROD_FEATURES},
                "Feature builder: loan-to-income, LTV and DTI bands",
                "2025-03-10T19:00:00+01:00",
            ),
            (
                {"tests/test_features.py": PROD_TESTS["tests/test_features.py"]},
                "Tests for the feature builder",
                "2025-03-11T21:40:00+01:00",
            ),
        ],
        merged="2025-03-12T08:30:00+01:00",
    )
    _pull_request(
        repo,
        2,
        "training",
        [
            (
                {"src/lendscore/config.py": PROD_CONFIG, "src/lendscore/train.py": PROD_TRAIN},
                "Train gradient boosting with MLflow tracking and seeds",
                "2025-03-17T18:45:00+01:00",
            ),
            (
                {"dvc.yaml": PROD_DVC_YAML, "dvc.lock": PROD_DVC_LOCK},
                "Train, evaluate and explain stages in dvc.yaml",
                "2025-03-19T20:10:00+01:00",
            ),
            (
                {"tests/test_train.py": PROD_TESTS["tests/test_train.py"]},
                "Reproducibility test for training",
                "2025-03-20T21:00:00+01:00",
            ),
        ],
        merged="2025-03-21T09:00:00+01:00",
    )
    _pull_request(
        repo,
        3,
        "evaluation",
        [
            (
                {
                    "src/lendscore/evaluate.py": PROD_EVALUATE,
                    "tests/test_evaluate.py": PROD_TESTS["tests/test_evaluate.py"],
                },
                "Evaluation against the majority baseline, per-group slices with fairlearn",
                "2025-03-26T19:30:00+01:00",
            ),
            (
                {"src/lendscore/explain.py": PROD_EXPLAIN},
                "SHAP global importance and per-application reasons",
                "2025-03-28T18:20:00+01:00",
            ),
        ],
        merged="2025-03-31T08:45:00+02:00",
    )
    _pull_request(
        repo,
        4,
        "serving",
        [
            (
                {
                    "src/lendscore/serve.py": PROD_SERVE_V1,
                    "tests/test_api.py": PROD_TESTS["tests/test_api.py"].replace(
                        '\n\n        def test_metrics_are_exposed(client):\n            client.post("/predict", json=VALID)\n            assert "lendscore_predictions_total" in client.get("/metrics/").text\n',
                        "\n",
                    ),
                },
                "FastAPI service with a pydantic request model",
                "2025-04-03T19:15:00+02:00",
            ),
            (
                {
                    "src/lendscore/serve.py": PROD_SERVE,
                    "tests/test_api.py": PROD_TESTS["tests/test_api.py"],
                },
                "Prometheus metrics on the prediction path",
                "2025-04-04T20:30:00+02:00",
            ),
            (
                {
                    "Dockerfile": PROD_DOCKERFILE,
                    "docker-compose.yml": PROD_COMPOSE,
                    "monitoring/prometheus.yml": """
                        global:
                          scrape_interval: 15s
                        scrape_configs:
                          - job_name: lendscore
                            metrics_path: /metrics/
                            static_configs:
                              - targets: ["api:8000"]
                    """,
                },
                "Dockerfile and compose with Prometheus",
                "2025-04-07T18:50:00+02:00",
            ),
            (
                {".github/workflows/ci.yml": PROD_CI},
                "CI: ruff, pytest and docker build",
                "2025-04-08T21:05:00+02:00",
            ),
        ],
        merged="2025-04-09T08:30:00+02:00",
    )
    _pull_request(
        repo,
        5,
        "drift-monitoring",
        [
            (
                {
                    "src/lendscore/monitor.py": PROD_MONITOR,
                    "tests/test_monitor.py": PROD_TESTS["tests/test_monitor.py"],
                },
                "Drift check on logged requests: PSI and an Evidently report",
                "2025-04-14T19:40:00+02:00",
            ),
            (
                {".github/workflows/monitor.yml": PROD_MONITOR_WORKFLOW},
                "Run the drift check every Monday",
                "2025-04-15T20:15:00+02:00",
            ),
        ],
        merged="2025-04-16T08:20:00+02:00",
    )
    repo.files(
        {
            "Makefile": """
                .PHONY: install lint test repro serve

                install:
                \tuv sync

                lint:
                \tuv run ruff check .
                \tuv run ruff format --check .

                test:
                \tuv run pytest -q

                repro:
                \tuv run dvc repro

                serve:
                \tuv run uvicorn lendscore.serve:app --reload
            """,
            "examples/application.json": '{"loan_amount": 285000, "income": 96, "property_value": 340000, "loan_term": 360, "loan_type": 1, "loan_purpose": 1, "debt_to_income_ratio": "20%-<30%"}\n',
        }
    )
    repo.commit("Makefile and an example request", date="2025-04-17T19:00:00+02:00")
    repo.write("README.md", PROD_README_FULL)
    repo.commit("README: results, error analysis, limitations", date="2025-04-18T21:30:00+02:00")
    repo.write("MODEL_CARD.md", PROD_MODEL_CARD)
    repo.commit("Model card", date="2025-04-21T20:00:00+02:00")
    repo.write(
        "src/lendscore/features.py",
        PROD_FEATURES.replace(
            '        log.debug("built %d feature rows", len(features))',
            '        log.debug("built %d feature rows from %d columns", len(features), frame.shape[1])',
        ),
    )
    repo.commit("Log input width when building features", date="2025-04-23T18:10:00+02:00")
    return root


#: Builders by calibration name, as `tests/test_calibration.py` refers to them.
BUILDERS: dict[str, Callable[[Path], Path]] = {
    "pure_coursework": build_pure_coursework,
    "notebook_toy_portfolio": build_notebook_toy_portfolio,
    "course_capstone": build_course_capstone,
    "template_clone": build_template_clone,
    "buzzword": build_buzzword,
    "honest_small": build_honest_small,
    "production_grade": build_production_grade,
}
