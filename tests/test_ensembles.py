"""vk.ensemble_curve and vk.decision_regions: one point per estimator, the errors of fits of each size,
regions as predicted."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_diabetes, load_iris, make_moons
from sklearn.ensemble import (AdaBoostClassifier, BaggingClassifier, BaggingRegressor, GradientBoostingClassifier,
                              GradientBoostingRegressor, RandomForestClassifier)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import mean_squared_error, zero_one_loss
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.ml import DecisionRegionsDisplay, EnsembleCurveDisplay


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(240, noise=0.3, random_state=0)
    return train_test_split(X, y, test_size=0.5, random_state=0)


def bagging(n):
    return BaggingClassifier(DecisionTreeClassifier(max_depth=4), n_estimators=n, max_features=0.5, random_state=0)


def forest(n):
    return RandomForestClassifier(n_estimators=n, max_depth=3, random_state=0)


def test_each_curve_has_one_point_per_estimator(moons):
    X_train, X_test, y_train, y_test = moons
    models = {"bagging": bagging(12), "forest": forest(7),
              "AdaBoost": AdaBoostClassifier(n_estimators=9, random_state=0),
              "gradient boosting": GradientBoostingClassifier(n_estimators=15, max_depth=2, random_state=0)}
    display = EnsembleCurveDisplay.from_estimators(models, X_train, y_train, X_test, y_test)
    counts = display.table.groupby("model", sort=False)["n_estimators"].agg(["count", "max"])
    assert counts.to_dict("index") == {name: {"count": m.n_estimators, "max": m.n_estimators}
                                       for name, m in models.items()}
    kinds = display.table.groupby("model", sort=False)["kind"].first().to_dict()
    assert kinds == {"bagging": "bagging", "forest": "bagging", "AdaBoost": "boosting", "gradient boosting": "boosting"}


@pytest.mark.parametrize("make", [bagging, forest, lambda n: BaggingClassifier(SVC(), n_estimators=n, random_state=0)],
                         ids=["bagging-trees", "forest", "bagging-votes"])
def test_a_bagging_curve_is_the_error_of_a_fit_of_each_size(moons, make):
    X_train, X_test, y_train, y_test = moons
    table = EnsembleCurveDisplay.from_estimators([make(10)], X_train, y_train, X_test, y_test).table
    for k in (1, 2, 5, 10):
        fit = make(k).fit(X_train, y_train)
        row = table[table["n_estimators"] == k].iloc[0]
        # errors are multiples of 1/120: within 1e-12 means the same rows are wrong
        assert row["test_error"] == pytest.approx(zero_one_loss(y_test, fit.predict(X_test)), abs=1e-12)
        assert row["train_error"] == pytest.approx(zero_one_loss(y_train, fit.predict(X_train)), abs=1e-12)


def test_a_boosting_curve_is_its_staged_predict(moons):
    X_train, X_test, y_train, y_test = moons
    model = GradientBoostingClassifier(n_estimators=12, max_depth=2, random_state=0)
    display = EnsembleCurveDisplay.from_estimators({"gb": model}, X_train, y_train, X_test, y_test)
    fit = model.fit(X_train, y_train)
    expected = [zero_one_loss(y_test, p) for p in fit.staged_predict(X_test)]
    np.testing.assert_allclose(display.table["test_error"], expected, rtol=0, atol=1e-12)
    assert display.final_error_["gb"] == pytest.approx(1 - fit.score(X_test, y_test), abs=1e-12)
    errors = display.table["test_error"].to_numpy()
    assert display.best_error_["gb"] == errors.min() and display.best_n_estimators_["gb"] == np.argmin(errors) + 1


def test_regressors_are_scored_by_mean_squared_error():
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X[:200], y[:200], random_state=0)
    models = {"bagging": BaggingRegressor(n_estimators=6, random_state=0),
              "boosting": GradientBoostingRegressor(n_estimators=8, random_state=0)}
    display = EnsembleCurveDisplay.from_estimators(models, X_train, y_train, X_test, y_test)
    assert display.loss == "mse"
    for name, model in models.items():
        fit = model.fit(X_train, y_train)
        assert display.final_error_[name] == pytest.approx(mean_squared_error(y_test, fit.predict(X_test)), rel=1e-12)


def test_the_chart_draws_test_solid_training_dashed_and_rings_the_lowest_test_error(moons):
    X_train, X_test, y_train, y_test = moons
    fig, ax = plt.subplots()
    display = EnsembleCurveDisplay.from_estimators({"bagging": bagging(8), "boosting": AdaBoostClassifier(
        n_estimators=8, random_state=0)}, X_train, y_train, X_test, y_test).plot(ax=ax)
    drawn = vk.plotted_data(ax)
    for name in ("bagging", "boosting"):
        lines = display.artists_[name]
        rows = drawn[drawn["model"] == name]
        np.testing.assert_array_equal(lines["test"].get_ydata(), rows["test_error"])
        np.testing.assert_array_equal(lines["train"].get_ydata(), rows["train_error"])
        assert lines["train"].get_linestyle() == "--" and lines["test"].get_linestyle() == "-"
        assert lines["best"].get_xdata()[0] == display.best_n_estimators_[name]
    labels = [t.get_text() for t in display.artists_["legend"].get_texts()]
    assert labels == ["bagging", "boosting", "test error", "training error", "lowest test error"]
    assert ax.get_xlabel() == "Number of estimators" and ax.get_ylabel() == "Error (0-1 loss)"
    plt.close(fig)


def test_decision_regions_are_each_models_predictions():
    iris = load_iris(as_frame=True).frame
    X, y = iris[["petal length (cm)", "sepal width (cm)", "sepal length (cm)"]], iris["target"]
    models = {"tree": DecisionTreeClassifier(max_depth=2, random_state=0),
              "boosting": GradientBoostingClassifier(n_estimators=10, random_state=0)}
    display = vk.decision_regions(models, X, y, features=["petal length (cm)", 1], grid_resolution=40)
    X2 = X.iloc[:, :2].to_numpy()
    for ax, (name, model) in zip(display.axes_, models.items()):
        fit = model.fit(X2, y)
        drawn = vk.plotted_data(ax)
        np.testing.assert_array_equal(drawn["predicted"], fit.predict(X2))
        np.testing.assert_array_equal(drawn["y"], y)
        xx0, xx1, codes = display.grids[name]
        assert codes.shape == (40, 40)
        np.testing.assert_array_equal(codes.ravel(), fit.predict(np.column_stack([xx0.ravel(), xx1.ravel()])))
        assert display.training_error_[name] == pytest.approx(1 - fit.score(X2, y))
        assert xx0.min() < X2[:, 0].min() and xx1.max() > X2[:, 1].max()
    assert display.axes_[0].get_xlabel() == "petal length (cm)" and display.axes_[0].get_ylabel() == "sepal width (cm)"
    assert [t.get_text() for t in display.artists_["legend"].get_texts()] == ["0", "1", "2", "misclassified"]
    plt.close(display.figure_)


def test_two_classes_are_coloured_in_the_palettes_first_two_colours(moons):
    X_train, _, y_train, _ = moons
    display = DecisionRegionsDisplay.from_estimators([DecisionTreeClassifier(max_depth=3, random_state=0)],
                                                     X_train, y_train, grid_resolution=20).plot(palette=["red", "blue"])
    surface = display.artists_["DecisionTreeClassifier"]["regions"].surface_
    np.testing.assert_allclose(surface.get_facecolor()[:, :3], [[1, 0, 0], [0, 0, 1]])
    assert display.axes_[0].get_xlabel() == "Feature 0"
    plt.close(display.figure_)


@pytest.mark.parametrize("call, error, match", [
    (lambda d: vk.ensemble_curve({"lr": LogisticRegression()}, d[0], d[2], d[1], d[3]), VizkitValueError,
     r"`models\['lr'\]` must be an ensemble"),
    (lambda d: vk.ensemble_curve([], d[0], d[2], d[1], d[3]), VizkitValueError, "`models` must be at least one"),
    (lambda d: vk.ensemble_curve({"b": bagging(2)}, d[0], d[2], d[1][:, :1], d[3]), VizkitValueError,
     "`X_test` must be as many columns"),
    (lambda d: vk.decision_regions({"ridge": Ridge()}, d[0], d[2]), VizkitValueError, "must be a classifier"),
    (lambda d: vk.decision_regions([SVC()], np.hstack([d[0], d[0]]), d[2]), VizkitValueError, "`features` must be two"),
    (lambda d: vk.decision_regions([SVC()], d[0], d[2], features=[0, 5]), VizkitValueError, "`features` must be names"),
    (lambda d: vk.decision_regions([SVC()], d[0], np.zeros(len(d[0]))), VizkitValueError, "at least two classes"),
])
def test_bad_input_names_the_argument(moons, call, error, match):
    X_train, X_test, y_train, y_test = moons
    figures = plt.get_fignums()
    with pytest.raises(error, match=match):
        call((X_train, X_test, y_train, y_test))
    assert plt.get_fignums() == figures                                         # a refused call draws nothing


class NearestCentroid2(ClassifierMixin, BaseEstimator):
    """A classifier written against the estimator API only (as vizkit.torch.TorchEstimator is): fit, predict."""

    def __init__(self, shrink=0.0):
        self.shrink = shrink

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        self.centroids_ = np.array([X[y == c].mean(axis=0) * (1 - self.shrink) for c in self.classes_])
        return self

    def predict(self, X):
        distances = ((np.asarray(X, dtype=float)[:, None, :] - self.centroids_[None]) ** 2).sum(axis=2)
        return self.classes_[np.argmin(distances, axis=1)]


def test_any_estimator_with_the_sklearn_api_will_do(moons):
    X_train, X_test, y_train, y_test = moons
    model = BaggingClassifier(NearestCentroid2(), n_estimators=5, random_state=0)
    table = EnsembleCurveDisplay.from_estimators({"bagged centroids": model}, X_train, y_train, X_test, y_test).table
    fit = BaggingClassifier(NearestCentroid2(), n_estimators=3, random_state=0).fit(X_train, y_train)
    assert table["test_error"].iloc[2] == pytest.approx(zero_one_loss(y_test, fit.predict(X_test)), abs=1e-12)
    display = vk.ml.Bootstrap632Display.from_estimator(NearestCentroid2(), X_train, y_train, n_resamples=5,
                                                       random_state=0)
    assert display.loss == "zero_one" and 0 < display.err_632_ < 0.5
    regions = DecisionRegionsDisplay.from_estimators([NearestCentroid2()], X_train, y_train, grid_resolution=10)
    assert regions.models_ == ["NearestCentroid2"]
