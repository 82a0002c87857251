"""A torch module reaches every model-evaluation chart through TorchEstimator, as any estimator does.

One small MLP on iris, a few epochs: each computation takes it unchanged and
gives the numbers scikit-learn's own tools give for it.
"""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split

import vizkit.ml

torch = pytest.importorskip("torch")
from vizkit.torch import TorchEstimator  # noqa: E402


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return (X - X.mean(0)) / X.std(0), y


def small_mlp(**settings):
    return TorchEstimator(module__hidden=8, epochs=4, batch_size=32, lr=0.03, random_state=0, **settings)


def test_cv_scores_of_a_torch_mlp_equal_cross_val_score(iris):
    X, y = iris
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    display = vizkit.ml.CVScoresDisplay.from_estimators({"MLP": small_mlp()}, X, y, cv=cv)
    expected = cross_val_score(small_mlp(), X, y, cv=cv)
    np.testing.assert_array_equal(display.scores_["MLP"].to_numpy(), expected)


def test_bias_variance_of_a_torch_mlp_adds_up_under_squared_error(iris):
    X, y = iris
    X_train, X_test, y_train, y_test = train_test_split(X[:, 1:], X[:, 0], test_size=0.3, random_state=0)
    result = vizkit.ml.bias_variance(small_mlp(task="regression"), X_train, y_train, X_test, y_test,
                                     loss="mse", num_rounds=3, random_seed=0)
    assert result.expected_loss == pytest.approx(result.bias + result.variance, rel=1e-12)
    assert result.variance > 0  # the refits differ: each trains on its own resample


def test_bootstrap_632_of_a_torch_mlp_and_its_decision_regions(iris):
    X, y = iris
    display = vizkit.ml.Bootstrap632Display.from_estimator(small_mlp(), X, y, n_resamples=3, random_state=0)
    assert display.train_error_ <= display.err_632_ <= display.oob_error_
    regions = vizkit.ml.DecisionRegionsDisplay.from_estimators({"MLP": small_mlp()}, X[:, 2:], y, grid_resolution=20)
    fitted = small_mlp().fit(X[:, 2:], y)
    assert regions.training_error_["MLP"] == pytest.approx(np.mean(fitted.predict(X[:, 2:]) != y))
