"""
lab_utils_uni.py
    routines used in Course 1, Week2, labs1-3 dealing with single variables (univariate)
"""
import numpy as np
import matplotlib.pyplot as plt

dlblue = '#0096ff'; dlorange = '#FF9300'; dldarkred='#C00000'; dlmagenta='#FF40FF'; dlpurple='#7030A0'


def load_data():
    data = np.loadtxt("data/ex1data1.txt", delimiter=',')
    X = data[:, 0]
    y = data[:, 1]
    return X, y


def plot_data(x, y, ax=None):
    """ plots the training data: population against profit """
    if ax is None:
        fig, ax = plt.subplots(1, 1, figsize=(6, 4))
    ax.scatter(x, y, marker='x', c=dldarkred, label="Training data")
    ax.set_title("Profits vs. Population per city")
    ax.set_ylabel('Profit in $10,000')
    ax.set_xlabel('Population of City in 10,000s')
    return ax


def plot_linear_fit(x, y, w, b):
    """ plots the training data and the fitted line f_wb = w*x + b """
    m = x.shape[0]
    predicted = np.zeros(m)
    for i in range(m):
        predicted[i] = w * x[i] + b
    ax = plot_data(x, y)
    ax.plot(x, predicted, c=dlblue, label="Our prediction")
    ax.legend()
    plt.show()
