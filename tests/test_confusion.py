"""vk.confusion_matrix: scikit-learn's counts, drawn with true classes down and predictions across."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn import metrics
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

import vizkit as vk
from vizkit.charts.confusion import ConfusionMatrixDisplay
from vizkit.errors import VizkitError, VizkitTypeError, VizkitValueError


@pytest.fixture(scope="module")
def digits():
    """A logistic regression on sklearn's 8x8 digits: its test labels, predictions and the fitted model."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X / 16, y, test_size=0.4, random_state=0)
    model = LogisticRegression(max_iter=300).fit(X_train, y_train)
    return y_test, model.predict(X_test), model, X_test


def test_counts_are_scikit_learns(digits):
    y_true, y_pred, *_ = digits
    ax = vk.confusion_matrix(y_true, y_pred)
    cells = vk.plotted_data(ax)
    expected = metrics.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(cells["count"].to_numpy().reshape(10, 10), expected)
    np.testing.assert_array_equal(cells["value"].to_numpy().reshape(10, 10), expected)
    assert cells["annotation"].tolist() == [f"{n:,d}" for n in expected.ravel()]
    assert cells.attrs["accuracy"] == pytest.approx(metrics.accuracy_score(y_true, y_pred))


def test_true_classes_run_down_and_predictions_across(digits):
    y_true, y_pred, *_ = digits
    ax = vk.confusion_matrix(y_true, y_pred)
    cells = vk.plotted_data(ax)
    assert ax.get_ylabel() == "True label" and ax.get_xlabel() == "Predicted label"
    wrong = cells[(cells["true"] == 8) & (cells["predicted"] == 1)]
    assert int(wrong["count"].iloc[0]) == int(((y_true == 8) & (y_pred == 1)).sum())
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(d) for d in range(10)]


@pytest.mark.parametrize("normalize, axis", [("true", 1), ("pred", 0), ("all", None)])
def test_normalized_rates_are_scikit_learns(digits, normalize, axis):
    y_true, y_pred, *_ = digits
    ax = vk.confusion_matrix(y_true, y_pred, normalize=normalize)
    rates = vk.plotted_data(ax)["value"].to_numpy().reshape(10, 10)
    np.testing.assert_allclose(rates, metrics.confusion_matrix(y_true, y_pred, normalize=normalize))
    np.testing.assert_allclose(rates.sum(axis=axis), 1.0)
    assert ax.child_axes[0].yaxis.get_major_formatter()(0.5) == "50%"


def test_rates_that_round_to_0_or_100_percent_say_they_do_not():
    y_true = ["a"] * 400 + ["b"]
    y_pred = ["a"] * 399 + ["b", "b"]
    ax = vk.confusion_matrix(y_true, y_pred, normalize="true")
    assert vk.plotted_data(ax)["annotation"].tolist() == [">99%", "<1%", "0%", "100%"]


def test_the_diagonal_is_bold_and_every_cell_reads(digits):
    y_true, y_pred, *_ = digits
    display = ConfusionMatrixDisplay.from_predictions(y_true, y_pred).plot()
    texts = display.artists_["annotations"]
    cells = vk.plotted_data(display.ax_)
    assert [t.get_fontweight() == "bold" for t in texts] == (cells["true"] == cells["predicted"]).tolist()
    for text, color in zip(texts, cells["color"], strict=True):
        assert vk.contrast_ratio(text.get_color(), color) >= 4.5
    assert vk.lint(display.figure_) == []


def test_findings_without_drawing(digits):
    y_true, y_pred, *_ = digits
    found = ConfusionMatrixDisplay.from_predictions(y_true, y_pred)
    assert found.ax_ is None and plt.get_fignums() == []
    assert found.labels_ == list(range(10)) and found.n_samples_ == len(y_true)
    assert found.accuracy_ == pytest.approx(metrics.accuracy_score(y_true, y_pred))
    counts = metrics.confusion_matrix(y_true, y_pred)
    off = counts * (1 - np.eye(10, dtype=int))
    assert found.most_confused_[2] == off.max()
    assert counts[found.most_confused_[0], found.most_confused_[1]] == off.max()


def test_from_estimator_predicts_then_counts(digits):
    y_true, y_pred, model, X_test = digits
    found = ConfusionMatrixDisplay.from_estimator(model, X_test, y_true)
    np.testing.assert_array_equal(found.counts_, metrics.confusion_matrix(y_true, y_pred))


def test_labels_choose_and_order_the_classes_and_the_rest_is_reported():
    y_true = ["cat", "dog", "bird", "dog", "cat"]
    y_pred = ["cat", "cat", "bird", "dog", "dog"]
    with pytest.warns(UserWarning, match="1 of 5 samples have a true or predicted class not in `labels`"):
        found = ConfusionMatrixDisplay.from_predictions(y_true, y_pred, labels=["dog", "cat"])
    assert found.labels_ == ["dog", "cat"]
    assert found.counts_.tolist() == [[1, 1], [1, 1]]


@pytest.mark.parametrize("y_true, y_pred, kwargs, argument", [
    ([1, 2, 3], [1, 2], {}, "y_pred"),
    ([], [], {}, "y_true"),
    ([1, None, 2], [1, 2, 2], {}, "y_true"),
    ([[1, 2], [3, 4], [5, 6]], [1, 2, 3], {}, "y_true"),
    ("abc", "abc", {}, "y_true"),
    ([1, 2], [1, 2], {"normalize": "rows"}, "normalize"),
    ([1, 2], ["a", "b"], {}, "y_pred"),
    ([1, 2], [1, 2], {"labels": [3, 4]}, "labels"),
    ([1, 2], [1, 2], {"labels": [1, 1]}, "labels"),
    ([1, 2], [1, 2], {"cbar": "yes"}, "cbar"),
])
def test_bad_input_names_its_argument_and_draws_nothing(y_true, y_pred, kwargs, argument):
    fig, ax = plt.subplots()
    with pytest.raises(VizkitError, match=f"`{argument}`"):
        vk.confusion_matrix(y_true, y_pred, ax=ax, **kwargs)
    assert not ax.images and not ax.texts


def test_an_estimator_without_predict_is_refused():
    with pytest.raises(VizkitTypeError, match="`estimator`"):
        ConfusionMatrixDisplay.from_estimator(object(), [[0]], [0])


def test_a_length_mismatch_says_both_lengths():
    with pytest.raises(VizkitValueError, match=r"as many labels as `y_true` \(3\); got 2 labels"):
        vk.confusion_matrix([1, 2, 3], [1, 2])


def test_many_classes_are_shown_by_colour_alone_unless_numbers_are_asked_for():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 60, 3000)
    y_pred = np.where(rng.random(3000) < 0.8, y_true, rng.integers(0, 60, 3000))
    ax = vk.confusion_matrix(y_true, y_pred)
    assert not [t for t in ax.texts if t.get_text()] and vk.plotted_data(ax)["annotation"].eq("").all()
    assert vk.lint(ax.figure, rules=["text-overlap"]) == []
    with pytest.raises(VizkitValueError, match="`annot` must be False for more than 2,500 cells"):
        vk.confusion_matrix(y_true, y_pred, annot=True)
