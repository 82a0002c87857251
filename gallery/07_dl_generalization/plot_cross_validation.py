"""
k-fold cross-validation: every model on the same folds, and which rows each fold holds out
==========================================================================================

One train/test split gives one number, and how lucky the split was is part
of it. k-fold cross-validation cuts the rows into k folds, trains k times on
k − 1 of them and tests on the one left out, so every row is tested exactly
once and the k scores show how much the estimate moves with the split: the
mean is the estimate, the standard deviation its spread.

``vk.cv_scores`` splits the rows once and scores every model on those same
folds (``sklearn.model_selection.cross_validate``): a dot per fold, the mean
± sd beside them and under each name. Because the folds are shared, a fold
that is hard for one model tends to be hard for all of them; a faint line
joins each fold's scores across the models. Here four classifiers on the
breast-cancer set (569 tumours, 30 features, scikit-learn's offline copy)
with 10-fold stratified cross-validation: each fold keeps the share of
malignant tumours of the whole set. The 40 fits take about a second.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

import vizkit as vk
from vizkit.ml import CVScoresDisplay

vk.set_theme()

X, y = load_breast_cancer(return_X_y=True)
models = {
    "logistic regression": make_pipeline(StandardScaler(), LogisticRegression(solver="liblinear")),
    "decision tree (depth 4)": DecisionTreeClassifier(max_depth=4, random_state=0),
    "random forest (20 trees)": RandomForestClassifier(n_estimators=20, random_state=0),
    "k-NN (k = 5)": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5)),
}
with threadpool_limits(1):  # 40 small fits: one BLAS/OpenMP thread each is faster than many that compete
    scores = CVScoresDisplay.from_estimators(models, X, y, cv=StratifiedKFold(10, shuffle=True, random_state=0))
print(scores.scores_.round(3).to_string())
print(f"best: {scores.best_} ({scores.mean_[scores.best_]:.3f} ± {scores.sd_[scores.best_]:.3f})")

fig, ax = plt.subplots(figsize=(7.2, 4.4), dpi=100, layout="constrained")
scores.plot(ax=ax)
ax.set_title("Breast cancer: 10-fold stratified cross-validation", loc="left")

# %%
# The spread matters as much as the means: the sd of a model's ten scores
# is larger than the distance between the best three means, so these folds
# do not tell the logistic regression, the forest and k-NN apart. Because the
# folds are paired, compare fold by fold: the single tree scores below the
# forest on every fold where they differ (the lines fall from the forest to
# the tree), which the two means alone could not show.
#
# Which rows each fold holds out
# ------------------------------
#
# ``vk.cv_folds`` draws a splitter's folds: one row per fold, one column per
# sample in the order of ``X``, train and test coloured, with the class and
# the group of each sample underneath. The data are 1,461 days of Seattle
# weather (2012 to 2015) in date order; the class is the day's weather and
# the groups are natural ones, the 48 calendar months, since days of the same
# month are alike and would leak into each other's folds.
#
# - ``KFold`` cuts the rows into contiguous blocks (no shuffling);
# - ``StratifiedKFold`` keeps each class's share in every fold, so its test
#   rows follow the classes;
# - ``GroupKFold`` keeps every month wholly in train or in test;
# - ``TimeSeriesSplit`` trains on the past only and tests on the block after
#   it; the future stays unused, as it would in deployment.

weather = vk.load_dataset("seattle_weather")
features = weather[["precipitation", "temp_max", "temp_min", "wind"]]
months = weather["date"].dt.strftime("%Y-%m")
splitters = [KFold(5), StratifiedKFold(5), GroupKFold(5), TimeSeriesSplit(5)]

fig, axes = plt.subplots(4, 1, figsize=(8.0, 8.6), dpi=100, layout="constrained", sharex=True)
for ax, cv in zip(axes, splitters):
    vk.cv_folds(cv, features, weather["weather"], groups=months, ax=ax, legend=ax is axes[-1])
for ax in axes[:-1]:
    ax.set_xlabel("")
