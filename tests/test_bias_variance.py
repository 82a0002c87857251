"""Bias and variance: vizkit.ml.bias_variance gives mlxtend's numbers, and vk.bias_variance draws them per complexity.

mlxtend's ``bias_variance_decomp`` (the test extra) is the reference: the same
seed draws the same bootstrap rows, so the numbers agree to the last bit.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import load_diabetes, load_iris
from sklearn.ensemble import BaggingClassifier
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

import vizkit as vk
import vizkit.ml as vkml
from tests.fuzzing import PROFILE, fuzz_settings
from vizkit.errors import VizkitError, VizkitTypeError, VizkitValueError
from vizkit.ml import BiasVarianceDisplay

mlxtend = pytest.importorskip("mlxtend.evaluate")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def iris():
    """mlxtend's worked example: a stratified 70/30 split of iris."""
    X, y = load_iris(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=123, shuffle=True, stratify=y)


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=123)


def split(data):
    """``train_test_split`` order (X_train, X_test, y_train, y_test) -> ``bias_variance`` order."""
    X_train, X_test, y_train, y_test = data
    return X_train, y_train, X_test, y_test


def numbers(found):
    return found.expected_loss, found.bias, found.variance


def test_a_decision_tree_on_iris_gives_mlxtends_worked_example(iris):
    tree = DecisionTreeClassifier(random_state=123)
    found = vkml.bias_variance(tree, *split(iris), loss="0-1_loss", num_rounds=200, random_seed=123)
    assert tuple(round(v, 3) for v in numbers(found)) == (0.062, 0.022, 0.040)
    reference = mlxtend.bias_variance_decomp(tree, *split(iris), loss="0-1_loss", num_rounds=200, random_seed=123)
    assert numbers(found) == tuple(float(v) for v in reference)            # bit for bit
    assert found.noise is None and (found.loss, found.num_rounds, found.n_test) == ("0-1_loss", 200, 45)


def test_bagged_trees_agree_with_mlxtend_bit_for_bit(iris):
    """The cheap check of the bagging anchor: the same refits as mlxtend's, 5 trees and 8 rounds."""
    bagging = BaggingClassifier(DecisionTreeClassifier(random_state=123), n_estimators=5, random_state=123)
    found = vkml.bias_variance(bagging, *split(iris), num_rounds=8, random_seed=123)
    reference = mlxtend.bias_variance_decomp(bagging, *split(iris), num_rounds=8, random_seed=123)
    assert numbers(found) == tuple(float(v) for v in reference)


@pytest.mark.hypothesis            # `make fuzz` runs it (`-m hypothesis`); `make test` skips it
@pytest.mark.skipif(PROFILE != "fuzz", reason="100 trees x 200 refits take about 100 s: run by `make fuzz`")
def test_a_hundred_bagged_trees_give_mlxtends_worked_example(iris):
    bagging = BaggingClassifier(DecisionTreeClassifier(random_state=123), n_estimators=100, random_state=123)
    found = vkml.bias_variance(bagging, *split(iris), num_rounds=200, random_seed=123)
    assert tuple(round(v, 3) for v in numbers(found)) == (0.048, 0.022, 0.026)
    # what mlxtend 0.24 returned for this call
    assert numbers(found) == pytest.approx((0.04788888888888888, 0.022222222222222223, 0.02588888888888889),
                                           rel=1e-12)


def test_squared_error_is_bias_squared_plus_variance_and_agrees_with_mlxtend(diabetes):
    tree = DecisionTreeRegressor(max_depth=3, random_state=0)
    found = vkml.bias_variance(tree, *split(diabetes), loss="mse", num_rounds=30, random_seed=7)
    assert found.expected_loss == pytest.approx(found.bias + found.variance, rel=1e-12, abs=0)
    reference = mlxtend.bias_variance_decomp(tree, *split(diabetes), loss="mse", num_rounds=30, random_seed=7)
    assert numbers(found) == tuple(float(v) for v in reference)
    assert 2000 < found.expected_loss < 6000                                 # squared units of the disease score


class RowRecorder(RegressorMixin, BaseEstimator):
    """Predicts 0 and records which training rows (column 0 holds the row number) each fit received."""

    fits: list = []

    def fit(self, X, y):
        RowRecorder.fits.append(np.asarray(X)[:, 0].astype(int))
        self.fitted_ = True
        return self

    def predict(self, X):
        return np.zeros(len(X))


def test_each_round_refits_a_clone_on_mlxtends_bootstrap_rows():
    X = np.c_[np.arange(25), np.zeros(25)]
    RowRecorder.fits = []
    original = RowRecorder()
    vkml.bias_variance(original, X, np.ones(25), X[:5], np.ones(5), loss="mse", num_rounds=4, random_seed=3)
    rng = np.random.RandomState(3)
    expected = [rng.choice(np.arange(25), size=25, replace=True) for _ in range(4)]
    np.testing.assert_array_equal(np.array(RowRecorder.fits), np.array(expected))
    assert not hasattr(original, "fitted_")                                  # clones were fitted, never the original


def test_the_true_function_splits_the_noise_off_the_bias():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, (120, 1))
    truth = np.sin(2 * np.pi * X[:, 0])
    y = truth + rng.normal(0, 0.3, 120)
    tree = DecisionTreeRegressor(max_depth=3, random_state=0)
    data = X[:60], y[:60], X[60:], y[60:]
    plain = vkml.bias_variance(tree, *data, loss="mse", num_rounds=20, random_seed=1)
    found = vkml.bias_variance(tree, *data, loss="mse", num_rounds=20, random_seed=1,
                               true_function=lambda X: np.sin(2 * np.pi * X[:, 0]))
    assert found.noise == pytest.approx(np.mean((y[60:] - truth[60:]) ** 2), rel=1e-12)
    assert found.expected_loss == pytest.approx(found.bias + found.variance + found.noise, rel=1e-12)
    assert found.variance == plain.variance
    # against the noisy targets, the bias also holds the noise (and their sample covariance, zero on average)
    assert plain.bias == pytest.approx(found.bias + found.noise, abs=0.02)
    same = vkml.bias_variance(tree, *data, loss="mse", num_rounds=20, random_seed=1, true_function=truth[60:])
    assert numbers(same) == numbers(found)


def test_any_labels_and_frames_give_the_numbers_of_integer_codes():
    """mlxtend counts votes with np.bincount (integer labels only); vizkit takes species names and a DataFrame."""
    penguins = vk.load_dataset("penguins").dropna()
    features = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm"]
    data = train_test_split(penguins[features], penguins["species"], test_size=0.3, random_state=0)
    tree = DecisionTreeClassifier(max_depth=2, random_state=0)
    named = vkml.bias_variance(tree, *split(data), num_rounds=15, random_seed=0)
    codes = {name: i for i, name in enumerate(sorted(penguins["species"].unique()))}
    X_train, X_test, y_train, y_test = data
    coded = mlxtend.bias_variance_decomp(tree, X_train.to_numpy(), y_train.map(codes).to_numpy(),
                                         X_test.to_numpy(), y_test.map(codes).to_numpy(), num_rounds=15,
                                         random_seed=0)
    assert numbers(named) == tuple(float(v) for v in coded)


def test_the_chart_draws_each_values_decomposition_and_marks_the_sweet_spot(diabetes):
    depths = [1, 2, 3, 5, 8]
    fig, ax = plt.subplots()
    out = vk.bias_variance(DecisionTreeRegressor(random_state=0), *split(diabetes), param_name="max_depth",
                           param_range=depths, loss="mse", num_rounds=8, random_seed=0, ax=ax)
    assert out is ax
    drawn = vk.plotted_data(ax)
    assert drawn["param"].tolist() == depths and drawn["x"].tolist() == depths
    for _, row in drawn.iterrows():
        one = vkml.bias_variance(DecisionTreeRegressor(random_state=0, max_depth=row["param"]), *split(diabetes),
                                 loss="mse", num_rounds=8, random_seed=0)
        assert (row["expected_loss"], row["bias"], row["variance"]) == numbers(one)
    best = int(np.argmin(drawn["expected_loss"]))
    assert drawn["best"].tolist() == [i == best for i in range(len(depths))]
    assert drawn.attrs["best_param"] == depths[best] and drawn.attrs["num_rounds"] == 8
    # the areas are stacked bias, then variance; their top is the expected-loss line
    bias_area, variance_area = ax.collections[:2]
    top = variance_area.get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(drawn["expected_loss"].max(), rel=1e-9)
    line = next(line for line in ax.lines if line.get_label().startswith("expected loss"))
    np.testing.assert_allclose(line.get_ydata(), drawn["expected_loss"])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("bias²") and labels[1].startswith("variance")
    assert f"sweet spot: max_depth = {depths[best]}" in labels[-1]
    assert ax.get_ylabel() == "Squared error (target units²)" and ax.get_xlabel() == "Max depth"
    assert "8 bootstrap refits" in ax.get_legend().get_title().get_text()
    assert vk.lint(fig) == []


def test_zero_one_parts_are_lines_and_values_that_are_not_numbers_are_categories(iris):
    display = BiasVarianceDisplay.from_estimator(DecisionTreeClassifier(random_state=123), *split(iris),
                                                 param_name="max_depth", param_range=[1, 3, None], num_rounds=6,
                                                 random_seed=123)
    assert display.ax_ is None and display.best_param_ in (1, 3, None)           # computed, nothing drawn
    display.plot()
    drawn = vk.plotted_data(display.ax_)
    assert drawn["x"].tolist() == [0, 1, 2]
    assert [t.get_text() for t in display.ax_.get_xticklabels()] == ["1", "3", "None"]
    assert not display.ax_.collections                                          # no stacked areas for 0-1 loss
    np.testing.assert_allclose(display.artists_["bias"].get_ydata(), drawn["bias"])
    assert display.ax_.get_ylabel().startswith("0-1 loss (share of test predictions wrong)")
    assert "not their sum" in display.artists_["expected_loss"].get_label()


def test_noise_is_stacked_under_the_bias_and_a_wide_range_gets_a_log_axis():
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (80, 3))
    truth = X @ np.array([1.0, -2.0, 0.5])
    y = truth + rng.normal(0, 0.5, 80)
    display = BiasVarianceDisplay.from_estimator(Ridge(), X[:40], y[:40], X[40:], y[40:], param_name="alpha",
                                                 param_range=[0.01, 1, 100], loss="mse", num_rounds=5,
                                                 random_seed=0, true_function=truth[40:]).plot()
    ax = display.ax_
    assert ax.get_xscale() == "log" and display.has_noise
    assert [t.get_text().split(":")[0] for t in ax.get_legend().get_texts()][:3] == ["noise", "bias²", "variance"]
    noise = display.artists_["noise"].get_paths()[0].vertices[:, 1]
    assert noise.max() == pytest.approx(display.table["noise"].iloc[0])


def test_bad_input_names_the_argument_and_is_refused(iris):
    tree = DecisionTreeClassifier()
    X_train, y_train, X_test, y_test = split(iris)
    calls = {
        "`loss` must be one of '0-1_loss', 'mse'": dict(loss="0-1"),
        "`num_rounds` must be an int >= 1": dict(num_rounds=0),
        "`random_seed` must be an int >= 0 and <= 4.29497e[+]09": dict(random_seed=1.5),
        "`random_seed` must be an int >= 0": dict(random_seed=-1),
        "`fit_params` must be a dict": dict(fit_params=[1]),
        "`true_function` must be None for loss='0-1_loss'": dict(true_function=np.zeros(45)),
    }
    for message, kwargs in calls.items():
        with pytest.raises((VizkitValueError, VizkitTypeError), match=message):
            vkml.bias_variance(tree, X_train, y_train, X_test, y_test, **kwargs)
    with pytest.raises(VizkitTypeError, match="`estimator` must be a scikit-learn estimator.*not the class"):
        vkml.bias_variance(DecisionTreeClassifier, X_train, y_train, X_test, y_test)
    with pytest.raises(VizkitTypeError, match="`estimator` must be a scikit-learn estimator.*It lacks fit, predict"):
        vkml.bias_variance(object(), X_train, y_train, X_test, y_test)
    with pytest.raises(VizkitValueError, match=r"`y_train` must be one target per row of `X_train` \(105 rows\)"):
        vkml.bias_variance(tree, X_train, y_train[:-1], X_test, y_test)
    with pytest.raises(VizkitValueError, match="`y_test` must be one target per row"):
        vkml.bias_variance(tree, X_train, y_train, X_test[:3], y_test)
    with pytest.raises(VizkitTypeError, match="`y_test` must be numeric targets for loss='mse'"):
        vkml.bias_variance(tree, X_train, y_train, X_test, y_test.astype(str), loss="mse")
    with pytest.raises(VizkitValueError, match="`true_function` must be 45 finite values"):
        vkml.bias_variance(Ridge(), X_train, y_train, X_test, y_test, loss="mse", true_function=np.zeros(3))
    with pytest.raises(VizkitValueError, match="`param_name` must be a parameter of `estimator`.*'max_depth'"):
        vk.bias_variance(tree, X_train, y_train, X_test, y_test, param_name="max_dept", param_range=[1, 2])
    with pytest.raises(VizkitValueError, match="`param_range` must be at least two values"):
        vk.bias_variance(tree, X_train, y_train, X_test, y_test, param_name="max_depth", param_range=[1])
    with pytest.raises(VizkitTypeError, match="`param_range` must be a sequence"):
        vk.bias_variance(tree, X_train, y_train, X_test, y_test, param_name="max_depth", param_range="12")
    assert not plt.get_fignums()                                                 # nothing was drawn
    assert tree.get_params()["max_depth"] is None                                # nor the estimator changed


@fuzz_settings(10)
@given(rows=st.integers(4, 30), rounds=st.integers(1, 6), seed=st.integers(0, 2**31 - 1), depth=st.integers(1, 4))
def test_fuzz_the_parts_add_up_under_squared_error_and_bound_the_zero_one_loss(rows, rounds, seed, depth):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows + 5, 2))
    y = X[:, 0] + rng.normal(size=rows + 5)
    data = X[:rows], y[:rows], X[rows:], y[rows:]
    found = vkml.bias_variance(DecisionTreeRegressor(max_depth=depth, random_state=0), *data, loss="mse",
                               num_rounds=rounds, random_seed=seed)
    assert found.expected_loss == pytest.approx(found.bias + found.variance, rel=1e-12, abs=1e-12)
    labels = (y > 0).astype(int)
    data = X[:rows], labels[:rows], X[rows:], labels[rows:]
    found = vkml.bias_variance(DecisionTreeClassifier(max_depth=depth, random_state=0), *data, num_rounds=rounds,
                               random_seed=seed)
    assert 0 <= found.bias <= 1 and 0 <= found.variance <= 1
    assert found.expected_loss <= found.bias + found.variance + 1e-12      # a refit that leaves a wrong vote is right


junk = st.one_of(st.none(), st.booleans(), st.integers(-3, 6), st.floats(allow_nan=True), st.text(max_size=6),
                 st.just([1, 2]), st.just(np.arange(3)))


@fuzz_settings(16)
@given(loss=st.one_of(st.sampled_from(["mse", "0-1_loss"]), junk), num_rounds=junk,
       random_seed=st.one_of(junk, st.integers(-2**33, 2**33)), true_function=st.one_of(st.none(), junk))
def test_fuzz_bad_settings_give_a_vizkit_error_naming_the_argument_or_a_result(loss, num_rounds, random_seed,
                                                                               true_function):
    X = np.arange(12.0).reshape(6, 2)
    y = np.array([0.0, 1, 0, 1, 1, 0])
    try:
        found = vkml.bias_variance(DecisionTreeRegressor(max_depth=1, random_state=0), X[:4], y[:4], X[4:], y[4:],
                                   loss=loss, num_rounds=num_rounds, random_seed=random_seed,
                                   true_function=true_function)
    except VizkitError as error:
        assert "`" in str(error), str(error)
        return
    assert found.loss == loss and found.num_rounds == num_rounds and 0 <= found.bias
