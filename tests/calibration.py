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
                "# print x_train\nprint(\"Type of x_train:\",type(x_train))\n"
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
                "m_train = train_x_orig.shape[0]\nprint (\"Number of training examples: \" + str(m_train))",
            ),
            (
                "code",
                "# UNQ_C1\n# GRADED FUNCTION: two_layer_model\n\n"
                "def two_layer_model(X, Y, layers_dims, learning_rate = 0.0075, num_iterations = 3000, print_cost=False):\n"
                "    np.random.seed(1)\n    grads = {}\n    costs = []\n    m = X.shape[1]\n"
                "    (n_x, n_h, n_y) = layers_dims\n    \n    # (≈ 1 line of code)\n"
                "    # YOUR CODE STARTS HERE\n    parameters = initialize_parameters(n_x, n_h, n_y)\n"
                "    # YOUR CODE ENDS HERE\n    W1 = parameters[\"W1\"]\n    b1 = parameters[\"b1\"]\n"
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
            ("markdown", "# California house prices\n\nRegression with linear models and a forest."),
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
    repo.commit("training flow with mlflow tracking and model registry", date="2024-07-06T17:00:00+02:00")
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
            ("markdown", "## Student Performance Indicator\n\n#### Life cycle of Machine learning Project"),
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
            ("code", "df = pd.read_csv('data/stud.csv')\nX = df.drop(columns=['math_score'],axis=1)"),
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
