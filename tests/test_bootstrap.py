"""vk.bootstrap and vk.bootstrap_632: scipy's interval for the same resamples, mlxtend's .632 and .632+,
1 - 1/e of the rows left out."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.datasets import load_diabetes, load_iris
from sklearn.dummy import DummyClassifier
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.ml import Bootstrap632Display, BootstrapDisplay

mlxtend_evaluate = pytest.importorskip("mlxtend.evaluate")


@pytest.fixture(scope="module")
def bills():
    return vk.load_dataset("penguins").dropna(subset=["bill_length_mm"])


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def test_the_interval_is_scipys_percentile_interval_of_the_same_resamples(bills):
    display = BootstrapDisplay.from_data(bills, x="bill_length_mm", n_resamples=999, random_state=0)
    reference = stats.bootstrap((bills["bill_length_mm"].to_numpy(),), np.mean, n_resamples=999,
                                method="percentile", rng=0)
    np.testing.assert_array_equal(display.distribution_, reference.bootstrap_distribution)
    assert display.ci_ == (reference.confidence_interval.low, reference.confidence_interval.high)
    np.testing.assert_allclose(display.ci_, np.percentile(display.distribution_, [2.5, 97.5]), rtol=1e-12)
    assert display.estimate_ == bills["bill_length_mm"].mean()
    assert display.standard_error_ == pytest.approx(reference.standard_error, rel=1e-12)


def test_the_chart_draws_every_resample_the_interval_and_the_observed_statistic(bills):
    fig, ax = plt.subplots()
    display = BootstrapDisplay.from_data(bills, x="body_mass_g", statistic="median", n_resamples=500,
                                         confidence_level=0.9, random_state=1).plot(ax=ax)
    drawn = vk.plotted_data(ax)
    assert drawn["count"].sum() == 500 and drawn["left"].iloc[0] == display.distribution_.min()
    assert [line.get_xdata()[0] for line in display.artists_["ci"]] == list(display.ci_)
    assert display.artists_["estimate"].get_xdata()[0] == bills["body_mass_g"].median() == drawn.attrs["estimate"]
    assert display.ci_ == tuple(np.percentile(display.distribution_, [5, 95]))
    labels = [t.get_text() for t in display.artists_["legend"].get_texts()]
    assert labels[0].startswith("90% CI (percentile)") and labels[1] == "observed median: 4050"
    assert ax.get_xlabel() == "Median of body mass (g) per resample"
    plt.close(fig)


def test_a_callable_statistic_with_or_without_axis(bills):
    values = bills["flipper_length_mm"].to_numpy()

    def p90(sample):                                             # called once per resample
        return np.percentile(sample, 90)

    looped = BootstrapDisplay.from_data(x=values, statistic=p90, n_resamples=200, random_state=0)
    reference = stats.bootstrap((values,), p90, n_resamples=200, method="percentile", rng=0, vectorized=False)
    np.testing.assert_array_equal(looped.distribution_, reference.bootstrap_distribution)
    assert looped.statistic == "p90" and looped.estimate_ == np.percentile(values, 90)


def test_nan_values_are_left_out_with_a_warning():
    with pytest.warns(UserWarning, match="1 NaN value"):
        display = BootstrapDisplay.from_data(x=[1.0, np.nan, 2.0, 4.0], n_resamples=50, random_state=0)
    assert display.n == 3 and display.estimate_ == pytest.approx(7 / 3)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"x": "bill_lenght_mm"}, VizkitValueError, "Did you mean 'bill_length_mm'"),
    ({"x": "species"}, VizkitTypeError, "`x` must be numeric; got column .species."),
    ({"x": "bill_length_mm", "confidence_level": 95}, VizkitValueError, "`confidence_level` must be a number"),
    ({"x": "bill_length_mm", "statistic": "meen"}, VizkitValueError, "Did you mean 'mean'"),
    ({"x": "bill_length_mm", "method": "bca"}, VizkitValueError, "`method` must be one of"),
    ({"x": "bill_length_mm", "n_resamples": 1}, VizkitValueError, "`n_resamples`"),
    ({}, VizkitTypeError, "`x` is required"),
])
def test_bad_input_names_the_argument(bills, kwargs, error, match):
    with pytest.raises(error, match=match):
        vk.bootstrap(bills, **kwargs)


def test_a_resample_leaves_out_one_over_e_of_ten_thousand_rows():
    rng = np.random.default_rng(0)
    X, y = np.zeros((10_000, 1)), rng.integers(0, 2, 10_000)
    display = Bootstrap632Display.from_estimator(DummyClassifier(), X, y, n_resamples=20, random_state=0)
    assert abs(display.oob_fraction_ - (1 - 1 / 10_000) ** 10_000) < 0.002     # 1/e = 0.3679
    assert abs(display.oob_fraction_ - np.exp(-1)) < 0.002
    assert display.table["oob_fraction"].between(np.exp(-1) - 0.02, np.exp(-1) + 0.02).all()


def test_632_and_632_plus_equal_mlxtends_on_the_same_resamples(iris):
    X, y = iris
    tree = DecisionTreeClassifier(random_state=0)
    display = Bootstrap632Display.from_estimator(tree, X, y, n_resamples=25, random_state=3)
    table = display.table
    # mlxtend leaves out the .632+ rule (R = 0 when oob <= train, oob capped at gamma): check it is not needed here
    assert ((table["oob_error"] > table["train_error"]) & (table["oob_error"] <= table["no_information"])).all()
    for method, found in ((".632", display.err_632_), (".632+", display.err_632plus_), ("oob", display.oob_error_)):
        scores = mlxtend_evaluate.bootstrap_point632_score(tree, X, y, n_splits=25, method=method, random_seed=3)
        assert found == pytest.approx(1 - scores.mean(), abs=1e-12), method


def test_a_regressors_mse_estimates_equal_mlxtends(iris):
    X, y = load_diabetes(return_X_y=True)
    X, y = X[:200], y[:200]                                     # mlxtend pairs every label with every prediction
    tree = DecisionTreeRegressor(max_depth=3, random_state=0)
    display = Bootstrap632Display.from_estimator(tree, X, y, n_resamples=10, random_state=0)
    assert display.loss == "mse" and display.train_error_ < display.oob_error_ < display.no_information_error_
    table = display.table
    assert ((table["oob_error"] > table["train_error"]) & (table["oob_error"] <= table["no_information"])).all()
    for method, found in ((".632", display.err_632_), (".632+", display.err_632plus_)):
        scores = mlxtend_evaluate.bootstrap_point632_score(tree, X, y, n_splits=10, method=method, random_seed=0)
        assert found == pytest.approx(scores.mean(), rel=1e-12), method            # mlxtend returns the MSE itself


def test_the_632_plus_rule_between_no_overfitting_and_no_information():
    table = pd.DataFrame({"resample": [0, 1, 2, 3], "oob_fraction": 0.37, "oob_error": [0.10, 0.30, 0.70, 0.2],
                          "train_error": [0.15, 0.10, 0.10, 0.1], "no_information": [0.5, 0.5, 0.5, 0.1]})
    from vizkit.ml.bootstrap_error import _estimates

    out = _estimates(table)
    # oob below train: R = 0 and the weight is .632; R = (0.3 - 0.1) / (0.5 - 0.1) = 0.5; oob above gamma: R = 1;
    # gamma not above train: R = 0
    np.testing.assert_allclose(out["relative_overfitting"], [0, 0.5, 1, 0])
    np.testing.assert_allclose(out["weight"], [0.632, 0.632 / (1 - 0.368 * 0.5), 1, 0.632])
    assert out["err_632plus"].iloc[2] == pytest.approx(0.5)                        # capped at gamma
    np.testing.assert_allclose(out["err_632"], 0.368 * out["train_error"] + 0.632 * out["oob_error"])


def test_the_632_chart_marks_the_four_errors_over_the_oob_histogram(iris):
    X, y = iris
    fig, ax = plt.subplots()
    display = vk.ml.Bootstrap632Display.from_estimator(DecisionTreeClassifier(random_state=0), X, y,
                                                       n_resamples=15, random_state=0).plot(ax=ax)
    drawn = vk.plotted_data(ax)
    assert len(drawn) == 15 and drawn.attrs["err_632plus"] == display.err_632plus_
    assert sum(bar.get_height() for bar in display.artists_["bars"]) == 15
    for key in ("train_error", "oob_error", "err_632", "err_632plus"):
        assert display.artists_[key].get_xdata()[0] == pytest.approx(drawn[key].mean())
    assert display.train_error_ <= display.err_632_ <= display.err_632plus_ <= display.oob_error_
    assert ax.get_xlabel() == "Error (0-1 loss)" and not vk.lint(fig)
    plt.close(fig)


@pytest.mark.parametrize("args, kwargs, error, match", [
    ((DecisionTreeClassifier, "X", "y"), {}, VizkitTypeError, "not the class"),
    ((DecisionTreeClassifier(), "X", "y[:-1]"), {}, VizkitValueError, "one target per row of `X`"),
    ((DecisionTreeClassifier(), "X[:, 0]", "y"), {}, VizkitValueError, "`X` must be a 2-D array"),
    ((DecisionTreeClassifier(), "X", "y"), {"loss": "log"}, VizkitValueError, "`loss` must be one of"),
    ((object(), "X", "y"), {}, VizkitTypeError, "It lacks fit, predict"),
])
def test_bad_model_input_names_the_argument(iris, args, kwargs, error, match):
    X, y = iris
    estimator, x_arg, y_arg = args
    with pytest.raises(error, match=match):
        vk.bootstrap_632(estimator, eval(x_arg), eval(y_arg), n_resamples=2, **kwargs)


def test_the_losses_by_name_are_sklearns():
    from sklearn.metrics import mean_squared_error, zero_one_loss

    from vizkit.ml._model_input import loss_functions

    rng = np.random.default_rng(0)
    labels, guesses = rng.choice(["a", "b", "c"], 50), rng.choice(["a", "b", "c"], 50)
    values, fits = rng.normal(size=50), rng.normal(size=50)
    assert loss_functions("zero_one", None)[1](labels, guesses) == zero_one_loss(labels, guesses)
    assert loss_functions("mse", None)[1](values, fits) == pytest.approx(mean_squared_error(values, fits), rel=1e-12)
    pairs = [(a, b) for a in labels for b in guesses]                         # the no-information error, by brute force
    assert loss_functions("zero_one", None)[2](labels, guesses) == pytest.approx(np.mean([a != b for a, b in pairs]))
    assert loss_functions("mse", None)[2](values, fits) == pytest.approx(np.mean([(a - b) ** 2 for a in values
                                                                                  for b in fits]), rel=1e-12)


def test_full_training_error_is_the_papers_apparent_and_leave_one_out_bootstrap_errors():
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.utils import resample

    X, y = load_iris(return_X_y=True)
    X, y = X[::3], y[::3]                                                       # 50 rows without duplicates
    display = Bootstrap632Display.from_estimator(KNeighborsClassifier(1), X, y, n_resamples=30,
                                                 training_error="full", random_state=0)
    assert display.train_error_ == 0                                           # 1-NN fits every row of its own data
    rng, rows = np.random.RandomState(0), np.arange(50)
    losses = [[] for _ in rows]                                                # Err(1), by brute force
    for _ in range(30):
        drawn = resample(rows, n_samples=50, random_state=rng)
        fit = KNeighborsClassifier(1).fit(X[drawn], y[drawn])
        for i in np.setdiff1d(rows, drawn):
            losses[i].append(fit.predict(X[i:i + 1])[0] != y[i])
    err1 = np.mean([np.mean(row) for row in losses if row])
    assert display.oob_error_ == pytest.approx(err1, abs=1e-12)
    rate = err1 / display.no_information_error_                                # (Err1 - 0) / (gamma - 0)
    assert display.err_632_ == pytest.approx(0.632 * err1)
    assert display.err_632plus_ == pytest.approx(0.632 / (1 - 0.368 * rate) * err1)
    assert len(display.table) == 30 and display.training_error == "full"
    with pytest.raises(VizkitValueError, match="`training_error` must be 'resample' with a callable loss"):
        Bootstrap632Display.from_estimator(KNeighborsClassifier(1), X, y, training_error="full",
                                           loss=lambda a, b: 0.0)
