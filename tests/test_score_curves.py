"""learning_curve and validation_curve: scikit-learn's numbers, drawn as mean and band, the axis naming what varies."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import same_color
from sklearn import model_selection
from sklearn.datasets import load_diabetes, load_digits, load_iris
from sklearn.linear_model import Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

import vizkit as vk
from vizkit.colors import hue_colors
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.ml import LearningCurveDisplay, ValidationCurveDisplay
from vizkit.ml.score_curves import BANDS
from tests.fuzzing import fuzz_settings


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:300], y[:300]


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return X[:, :4], y


def test_a_learning_curve_draws_sklearns_means_and_sd_bands(digits):
    tree = DecisionTreeClassifier(random_state=0)
    ax = vk.learning_curve(tree, *digits, train_sizes=[0.2, 0.5, 1.0], cv=4)
    sizes, train, val = model_selection.learning_curve(tree, *digits, train_sizes=[0.2, 0.5, 1.0], cv=4)
    drawn = vk.plotted_data(ax)
    assert drawn["train_size"].tolist() == sizes.tolist()
    for name, scores in (("train", train), ("val", val)):
        np.testing.assert_array_equal(drawn[name], scores.mean(axis=1))
        np.testing.assert_array_equal(drawn[f"{name}_low"], scores.mean(axis=1) - scores.std(axis=1))
        np.testing.assert_array_equal(drawn[f"{name}_high"], scores.mean(axis=1) + scores.std(axis=1))
        line = ax.lines[0 if name == "train" else 1]
        np.testing.assert_array_equal(line.get_ydata(), scores.mean(axis=1))
    np.testing.assert_array_equal(drawn["gap"], train.mean(axis=1) - val.mean(axis=1))
    assert drawn["best"].tolist() == [False, False, True]
    assert ax.get_xlabel() == "Training examples" and ax.get_ylabel() == "Accuracy (higher is better)"
    assert ax.get_legend().get_title().get_text() == "mean of 4 folds, band ± 1 sd"


def test_a_min_max_band_and_every_fold_kept(digits):
    tree = DecisionTreeClassifier(random_state=0)
    display = LearningCurveDisplay.from_estimator(tree, *digits, train_sizes=[0.5, 1.0], cv=3, band="minmax",
                                                  shuffle=True, random_state=1)
    _, train, val = model_selection.learning_curve(tree, *digits, train_sizes=[0.5, 1.0], cv=3, shuffle=True,
                                                   random_state=1)
    np.testing.assert_array_equal(display.table["val_low"], val.min(axis=1))
    np.testing.assert_array_equal(display.table["val_high"], val.max(axis=1))
    folds = display.scores.query("split == 'val'")["score"].to_numpy().reshape(val.shape)
    np.testing.assert_array_equal(folds, val)
    assert display.final_gap_ == pytest.approx(train[-1].mean() - val[-1].mean())
    title = display.plot().ax_.get_legend().get_title().get_text()
    assert title == "mean of 3 folds, band min to max"


def test_a_validation_curve_over_svc_gamma_is_sklearns_on_a_log_axis(digits):
    gammas = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
    display = ValidationCurveDisplay.from_estimator(SVC(), *digits, param_name="gamma", param_range=gammas, cv=3)
    train, val = model_selection.validation_curve(SVC(), *digits, param_name="gamma", param_range=gammas, cv=3)
    np.testing.assert_array_equal(display.table["val"], val.mean(axis=1))
    np.testing.assert_array_equal(display.table["train"], train.mean(axis=1))
    best = int(np.argmax(val.mean(axis=1)))
    assert display.best_param_ == gammas[best] and display.best_index_ == best
    assert display.best_score_ == val.mean(axis=1)[best]
    assert display.gap_at_best_ == pytest.approx(train.mean(axis=1)[best] - val.mean(axis=1)[best])
    ax = display.plot().ax_
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "Gamma (log scale)"
    ring = display.artists_["best"]
    assert ring.get_xdata().tolist() == [gammas[best]] and ring.get_ydata().tolist() == [display.best_score_]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["train", "validation", f"best: gamma {gammas[best]:g}, {display.best_score_:.3g}",
                      f"gap to train there: {display.gap_at_best_:.3g}"]


def test_an_error_scorer_is_drawn_as_a_positive_error_lower_better(diabetes):
    model = make_pipeline(PolynomialFeatures(), Ridge(alpha=1.0))
    degrees = [1, 2, 3]
    display = ValidationCurveDisplay.from_estimator(model, *diabetes, param_name="polynomialfeatures__degree",
                                                    param_range=degrees, cv=3, scoring="neg_mean_squared_error")
    train, val = model_selection.validation_curve(model, *diabetes, param_name="polynomialfeatures__degree",
                                                  param_range=degrees, cv=3, scoring="neg_mean_squared_error")
    np.testing.assert_array_equal(display.table["val"], -val.mean(axis=1))
    assert (display.table["val"] > 0).all() and display.mode == "min" and display.score_name == "MSE"
    best = int(np.argmin(-val.mean(axis=1)))
    assert display.best_param_ == degrees[best]
    assert display.gap_at_best_ == pytest.approx(-val.mean(axis=1)[best] + train.mean(axis=1)[best])
    ax = display.plot().ax_
    assert ax.get_ylabel() == "MSE (lower is better)" and ax.get_xlabel() == "Degree"
    assert [tick for tick in ax.get_xticks() if 1 <= tick <= 3] == [1, 2, 3]              # whole degrees
    assert ax.get_yscale() == "linear"


def test_an_error_spanning_decades_gets_a_log_y_axis():
    display = ValidationCurveDisplay.from_scores([1, 5, 15], [[-1.0, -1.2], [-0.5, -0.4], [-0.01, -0.02]],
                                                 [[-1.1, -1.3], [-0.6, -0.7], [-500.0, -900.0]],
                                                 param_name="degree", scoring="neg_mean_squared_error")
    assert display.plot().ax_.get_yscale() == "log" and display.best_param_ == 5


@pytest.mark.parametrize(("values", "scale"), [
    ([1e-5, 1e-4, 1e-3, 1e-2, 1e-1], "log"),
    ([0, 1e-5, 1e-4, 1e-3, 1e-2], "symlog"),
    ([2, 4, 8, 16, 32, 64], "log"),
    (list(range(1, 16)), "linear"),
    ([100, 400, 700, 1000], "linear"),
])
def test_the_x_axis_turns_logarithmic_when_the_values_span_decades(values, scale):
    scores = np.linspace(0.5, 0.9, len(values))[:, None] + [0.0, 0.01]
    display = ValidationCurveDisplay.from_scores(values, scores, scores - 0.1, param_name="weight_decay")
    ax = display.plot().ax_
    assert ax.get_xscale() == scale
    assert ax.get_xlabel() == "Weight decay" + (" (log scale)" if scale != "linear" else "")
    assert display.plot(ax=plt.figure().subplots(), xscale="linear").ax_.get_xscale() == "linear"


def test_values_that_are_not_numbers_get_one_position_each(diabetes):
    depths = [2, 4, None]
    display = ValidationCurveDisplay.from_estimator(DecisionTreeRegressor(random_state=0), *diabetes,
                                                    param_name="max_depth", param_range=depths, cv=3)
    ax = display.plot().ax_
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "4", "None"]
    np.testing.assert_array_equal(display.artists_["val"].get_xdata(), [0, 1, 2])
    assert display.table["max_depth"].tolist() == [2, 4, None] and display.best_param_ == 2
    assert display.score_name == "R²" and ax.get_ylabel() == "R² (higher is better)"


def test_train_and_validation_take_the_colours_gap_gives_them(digits):
    ax = vk.learning_curve(GaussianNB(), *digits, train_sizes=[0.5, 1.0], cv=3, palette="colorblind")
    colors = hue_colors(["train", "val"], palette="colorblind")
    assert same_color(ax.lines[0].get_color(), colors["train"]) and same_color(ax.lines[1].get_color(), colors["val"])
    band = ax.collections[1].get_facecolor()[0]
    assert same_color(band[:3], colors["val"]) and band[3] == pytest.approx(0.2)


def test_a_torch_model_sweeps_its_hidden_units():
    pytest.importorskip("torch")
    from vizkit.torch import TorchEstimator

    X, y = load_iris(return_X_y=True)
    display = ValidationCurveDisplay.from_estimator(TorchEstimator(epochs=3, lr=0.05), X / 8, y, cv=3,
                                                    param_name="module__hidden", param_range=[2, 8])
    assert display.table["module__hidden"].tolist() == [2, 8] and display.n_folds == 3
    assert display.plot().ax_.get_xlabel() == "Hidden"


def test_from_scores_takes_saved_arrays_and_checks_their_shape():
    display = LearningCurveDisplay.from_scores([10, 20], [[1.0, 0.9], [0.95, 0.97]], [[0.5, 0.6], [0.7, 0.8]])
    assert display.best_train_size_ == 20 and display.best_score_ == pytest.approx(0.75)
    assert display.score_name == "Score" and display.ax_ is None
    with pytest.raises(VizkitValueError, match=r"`val_scores` must be an array of shape \(2, folds\)"):
        LearningCurveDisplay.from_scores([10, 20], [[1.0], [0.9]], [[0.5, 0.6, 0.7]])
    with pytest.raises(VizkitValueError, match=r"`val_scores` must be the shape of train_scores \(2, 1\)"):
        LearningCurveDisplay.from_scores([10, 20], [[1.0], [0.9]], [[0.5, 0.6], [0.7, 0.8]])


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"param_name": "max_dept"}, VizkitValueError, "`param_name` must be a parameter of `estimator`.*"
                                                   "Did you mean 'max_depth'"),
    ({"param_range": []}, VizkitValueError, "`param_range` must be at least one value"),
    ({"param_range": 3}, VizkitTypeError, "`param_range` must be a sequence"),
    ({"band": "ci"}, VizkitValueError, "`band` must be one of 'sd', 'minmax'"),
    ({"scoring": "acuracy"}, VizkitValueError, "`scoring` must be a scikit-learn scorer name.*Did you mean 'accuracy'"),
    ({"scoring": ["accuracy", "f1"]}, VizkitTypeError, "`scoring` must be a scikit-learn scorer name or a scorer"),
])
def test_bad_arguments_of_validation_curve_are_named(kwargs, error, match):
    X, y = load_iris(return_X_y=True)
    arguments = {"param_name": "max_depth", "param_range": [1, 2], **kwargs}
    with pytest.raises(error, match=match):
        vk.validation_curve(DecisionTreeClassifier(), X, y, **arguments)


def test_bad_arguments_of_learning_curve_are_named():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(VizkitValueError, match="`train_sizes` must be shares in"):
        vk.learning_curve(GaussianNB(), X, y, train_sizes=[0.5, 1.5])
    with pytest.raises(VizkitValueError, match="`train_sizes` must be a non-empty list"):
        vk.learning_curve(GaussianNB(), X, y, train_sizes=[0, 10])
    with pytest.raises(VizkitValueError, match=r"`y` must be one target per row of `X` \(150 rows\); got 149 targets"):
        vk.learning_curve(GaussianNB(), X, y[1:])
    with pytest.raises(VizkitTypeError, match="`estimator` must be a scikit-learn estimator"):
        vk.learning_curve(np.mean, X, y)
    with pytest.raises(VizkitValueError, match="`xscale` must be one of 'linear', 'log', 'symlog'"):
        vk.learning_curve(GaussianNB(), X, y, train_sizes=[0.5, 1.0], cv=3, xscale="logit")


values_strategy = st.one_of(
    st.lists(st.floats(0, 1e6, allow_subnormal=False), min_size=1, max_size=8, unique=True),
    st.lists(st.integers(1, 1000), min_size=1, max_size=8, unique=True),
    st.lists(st.one_of(st.none(), st.integers(1, 9), st.text(min_size=1, max_size=4)), min_size=1, max_size=6),
)


@fuzz_settings(12)
@given(values=values_strategy, folds=st.integers(1, 4), seed=st.integers(0, 2**16),
       scoring=st.sampled_from([None, "accuracy", "neg_mean_squared_error"]), band=st.sampled_from(BANDS),
       nan=st.booleans())
def test_any_saved_scores_draw_their_means_and_mark_the_best(values, folds, seed, scoring, band, nan):
    plt.close("all")
    rng = np.random.default_rng(seed)
    train, val = rng.uniform(-1, 1, (2, len(values), folds))
    if nan:
        val[0] = np.nan
    display = ValidationCurveDisplay.from_scores(values, train, val, param_name="p", scoring=scoring, band=band)
    sign = -1.0 if scoring == "neg_mean_squared_error" else 1.0
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(display.table["val"], sign * val.mean(axis=1))
    means = sign * display.table["val"].to_numpy()          # higher is better after the sign
    if np.isfinite(means).any():
        assert display.best_index_ == int(np.nanargmax(means))
        assert display.best_score_ == display.table["val"].iloc[display.best_index_]
    else:
        assert display.best_index_ is None and display.best_param_ is None
    ax = display.plot(ax=plt.figure(figsize=(4, 3), dpi=60).subplots()).ax_
    drawn = vk.plotted_data(ax)
    assert len(drawn) == len(values) and len(ax.get_legend().get_texts()) == (4 if display.best_index_ is not None else 2)
