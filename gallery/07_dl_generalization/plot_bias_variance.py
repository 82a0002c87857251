"""
Bias and variance against model complexity: where the sweet spot lies
=====================================================================

Refit a model on bootstrap resamples of its training set and predict the
same test points each time. Where the refits agree with each other but miss
the target, the model is *biased*; where they disagree with each other, it
has *variance*. ``vizkit.ml.bias_variance`` measures both for one model
(mlxtend's ``bias_variance_decomp``, same numbers for the same seed);
``vk.bias_variance`` does it for each value of a complexity parameter and
stacks the parts, the expected loss drawn as a line over them and its
minimum, the sweet spot, dotted.

Top: polynomials of rising degree fitted to 40 noisy points of
``sin(2πx)`` (noise sd 0.3). Because the true function is known, the
squared error splits into three parts that add up to the expected loss: the
noise (about 0.3² = 0.09, the same for every model: no model removes it),
the squared bias (large for lines and parabolas, which cannot bend like a
sine) and the variance (growing with the degree, as the polynomial starts to
follow the noise of whichever points the resample drew). The numbers are in
squared target units.

Bottom: decision trees of rising depth on iris (mlxtend's worked example;
with 200 refits the unlimited tree gives its 0.062 / 0.022 / 0.040). Under
0-1 loss the numbers are shares of test predictions: bias, the share of test
points whose majority vote over the refits is wrong; variance, the share of
predictions that differ from that vote. They do not add up to the loss: a
refit that leaves a wrong majority can be right, so the loss is at most
their sum. The one-split stump predicts only two of the three species, and
which two depends on the resample: its votes disagree a third of the time.

Each chart here refits 20 or 25 times per value, so the page renders in a
few seconds; use the default 200 refits for numbers to report.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures
from sklearn.tree import DecisionTreeClassifier

import vizkit as vk


def sine(X):
    """The true function: sin(2πx) of the one feature."""
    return np.sin(2 * np.pi * np.asarray(X)[:, 0])


vk.set_theme()
rng = np.random.default_rng(0)
X = rng.uniform(0, 1, size=(200, 1))
y = sine(X) + rng.normal(0, 0.3, size=200)

fig, (top, bottom) = plt.subplots(2, 1, figsize=(8.8, 8.6), dpi=100, layout="constrained")
polynomial = make_pipeline(PolynomialFeatures(), LinearRegression())
vk.bias_variance(polynomial, X[:40], y[:40], X[40:], y[40:], param_name="polynomialfeatures__degree",
                 param_range=range(1, 10), loss="mse", num_rounds=20, random_seed=0, true_function=sine, ax=top)
top.set_title("Polynomial degree on noisy sin(2πx): noise, bias² and variance add up", loc="left")

X_iris, y_iris = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X_iris, y_iris, test_size=0.3, random_state=123, stratify=y_iris)
vk.bias_variance(DecisionTreeClassifier(random_state=123), X_train, y_train, X_test, y_test, param_name="max_depth",
                 param_range=[1, 2, 3, 4, 5, 6, None], num_rounds=25, random_seed=123, ax=bottom)
bottom.set_title("Tree depth on iris: 0-1 loss, bias and variance as shares of test predictions", loc="left")
