"""
Bagging against boosting: averaging away variance, adding up to less bias
=========================================================================

Two ways to build one strong model from many. **Bagging** fits deep trees,
each on its own bootstrap resample, and averages their votes: every tree
fits its training rows almost perfectly (low bias, high variance), and the
average cancels part of the variance, so the test error drops over the
first few trees and then stays. **Boosting** fits stumps (trees of depth
one, high bias) one after another, each on what the previous ones still get
wrong: the training and test errors fall together, stage by stage, as the
sum of stumps loses its bias, and flatten once the later stages only fit
noise.

``vk.ensemble_curve`` fits each ensemble once and scores it after every
estimator: boosting through its ``staged_predict``, bagging by averaging its
first *k* trees (what a fit with ``n_estimators=k`` predicts). The data are
scikit-learn's two moons with noise, 400 points to fit and 600 to test.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import make_moons
from sklearn.ensemble import BaggingClassifier, GradientBoostingClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

import vizkit as vk

vk.set_theme()

X, y = make_moons(1000, noise=0.3, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.6, random_state=0)
models = {
    "bagging: deep trees": BaggingClassifier(DecisionTreeClassifier(), n_estimators=60, random_state=0),
    "boosting: stumps": GradientBoostingClassifier(max_depth=1, learning_rate=0.3, n_estimators=60, random_state=0),
}
fig, ax = plt.subplots(figsize=(7.2, 4.0), dpi=100, layout="constrained")
display = vk.ml.EnsembleCurveDisplay.from_estimators(models, X_train, y_train, X_test, y_test).plot(ax=ax)
ax.set_title("Error as the ensemble grows (two moons, noise 0.3)")
print({name: f"best {display.best_error_[name]:.3f} at {display.best_n_estimators_[name]}, "
             f"final {display.final_error_[name]:.3f}" for name in display.models_})

# %%
# The same two models, seen from the data
# ---------------------------------------
#
# ``vk.decision_regions`` draws what each fitted model predicts over the
# plane (through scikit-learn's ``DecisionBoundaryDisplay``), the training
# points over it, the misclassified ones ringed. The averaged deep trees
# bend their border around the training points until none is wrong; a sum of
# stumps is a function of feature 0 plus a function of feature 1, so its
# border is a staircase that leaves the points across it wrong.

vk.decision_regions(models, X_train, y_train, grid_resolution=120)
