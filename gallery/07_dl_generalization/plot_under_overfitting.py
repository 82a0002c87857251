"""
Underfitting and overfitting: one data set, three models
========================================================

Thirty noisy samples of ``cos(1.5 π x)`` on [0, 1], fitted by least squares
with polynomials of degree 1, 4 and 15. A straight line cannot follow the
curve: its error is high on the training points and on held-out points alike
(underfitting, high bias). Degree 4 follows the function and not the noise:
both errors are low and close. Degree 15 passes near every training point,
so its training error is the lowest of the three, but between the points it
swings far from the function, and its validation error is the worst
(overfitting, high variance): the gap between the two errors is what
generalization is about.

The errors are the mean squared errors of 5-fold cross-validation
(``vk.validation_curve`` with ``scoring="neg_mean_squared_error"``, drawn as
the positive MSE): the three panels read their numbers from the same table
as the curve below them, which sweeps every degree from 1 to 15. Its y axis
turns logarithmic by itself because the validation errors span decades.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures

import vizkit as vk
from vizkit.ml import ValidationCurveDisplay

vk.set_theme()


def true_function(x):
    """What the samples measure, with noise."""
    return np.cos(1.5 * np.pi * x)


rng = np.random.RandomState(3)
x = np.sort(rng.rand(30))
y = true_function(x) + rng.randn(30) * 0.25
X = x[:, None]
folds = KFold(5, shuffle=True, random_state=0)  # x is sorted: unshuffled folds would test extrapolation
model = make_pipeline(PolynomialFeatures(include_bias=False), LinearRegression())
sweep = ValidationCurveDisplay.from_estimator(model, X, y, param_name="polynomialfeatures__degree",
                                              param_range=list(range(1, 16)), cv=folds,
                                              scoring="neg_mean_squared_error", band="minmax")
errors = sweep.table.set_index("polynomialfeatures__degree")

# %%
# The three fits, each with its cross-validated training and validation error.

def mse(value):
    """An error as the title writes it: two significant digits, large ones in full."""
    return f"{value:.2g}" if value < 100 else f"{value:,.0f}"


grid = np.linspace(0, 1, 200)
fig, axes = plt.subplots(1, 3, figsize=(10, 3.6), dpi=100, layout="constrained", sharey=True)
for ax, (degree, verdict) in zip(axes, [(1, "underfitting"), (4, "a good fit"), (15, "overfitting")]):
    fitted = model.set_params(polynomialfeatures__degree=degree).fit(X, y)
    ax.plot(grid, true_function(grid), color="0.55", linestyle="--", label="true function")
    ax.plot(grid, fitted.predict(grid[:, None]), label="fitted polynomial")
    ax.scatter(x, y, s=18, color="0.2", zorder=3, label="training samples")
    ax.set(ylim=(-2, 2), xlabel="x")
    ax.set_title(f"Degree {degree}: {verdict}\nMSE train {mse(errors.loc[degree, 'train'])}, "
                 f"validation {mse(errors.loc[degree, 'val'])}", loc="center", fontsize="medium")
axes[0].set_ylabel("y")
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=3)

# %%
# Every degree: the training error falls as the polynomial gets more
# freedom, the validation error falls, bottoms out and then climbs, by four
# orders of magnitude once the polynomial has nearly as many coefficients as
# a fold has training points. The band is the range over the five folds;
# the ring marks the best validation error, the dotted line under it the
# gap to the training error there.

fig, ax = plt.subplots(figsize=(7.2, 4.2), dpi=100, layout="constrained")
sweep.plot(ax=ax)
ax.set_xlabel("Polynomial degree")
print(f"best degree {sweep.best_param_}: validation MSE {sweep.best_score_:.3g}, gap {sweep.gap_at_best_:.3g}")
