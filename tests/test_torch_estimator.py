"""TorchEstimator: a torch module that scikit-learn's clone, cross_val_score and validation_curve take as any estimator."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from sklearn.base import clone, is_classifier, is_regressor  # noqa: E402
from sklearn.datasets import load_digits, load_iris  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_score, validation_curve  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402
from vizkit.torch import TorchEstimator  # noqa: E402


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def quick(**params):
    return TorchEstimator(**{"lr": 0.02, "epochs": 15, "module__hidden": 16, **params})


def test_clone_copies_every_parameter_and_no_fitted_state(iris):
    model = quick(optimizer="sgd", optimizer__momentum=0.9, weight_decay=1e-4).fit(*iris)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert copy.get_params()["module__hidden"] == 16 and copy.get_params()["optimizer__momentum"] == 0.9
    assert not hasattr(copy, "module_") and hasattr(model, "module_")
    assert repr(copy) == "TorchEstimator(epochs=15, lr=0.02, module__hidden=16, optimizer='sgd',\n" \
                         "               optimizer__momentum=0.9, weight_decay=0.0001)"


def test_set_params_reaches_the_module_and_the_optimizer(iris):
    model = quick().set_params(module__hidden=(5, 3), lr=0.05)
    model.fit(*iris)
    widths = [layer.out_features for layer in model.module_ if isinstance(layer, torch.nn.Linear)]
    assert widths == [5, 3, 3] and model.lr == 0.05
    seen = {}

    class Spy(torch.optim.SGD):
        def __init__(self, params, **kwargs):
            seen.update(kwargs)
            super().__init__(params, **kwargs)

    quick(optimizer=Spy, optimizer__nesterov=True, optimizer__momentum=0.5, weight_decay=0.01).fit(*iris)
    assert seen == {"lr": 0.02, "weight_decay": 0.01, "nesterov": True, "momentum": 0.5}


def test_the_same_random_state_gives_the_same_predictions_and_leaves_torch_alone(iris):
    state = torch.get_rng_state()
    first = quick(random_state=3).fit(*iris).predict_proba(iris[0])
    assert torch.equal(torch.get_rng_state(), state)
    np.testing.assert_array_equal(first, quick(random_state=3).fit(*iris).predict_proba(iris[0]))
    assert not np.array_equal(first, quick(random_state=4).fit(*iris).predict_proba(iris[0]))


def test_cross_val_score_stratifies_and_scores_accuracy(iris):
    model = quick()
    assert is_classifier(model) and is_regressor(quick(task="regression"))
    scores = cross_val_score(model, *iris, cv=3)
    by_hand = [clone(model).fit(iris[0][train], iris[1][train]).score(iris[0][test], iris[1][test])
               for train, test in StratifiedKFold(3).split(*iris)]
    np.testing.assert_array_equal(scores, by_hand)                   # a classifier: stratified folds, accuracy
    assert scores.mean() > 0.85


def test_a_classifier_learns_digits_quickly():
    X, y = load_digits(return_X_y=True)
    model = TorchEstimator(lr=0.01, epochs=8, batch_size=64).fit(X[:1200] / 16, y[:1200])
    assert model.score(X[1200:] / 16, y[1200:]) > 0.9                # about 0.5 s on one core
    assert list(model.classes_) == list(range(10)) and model.n_features_in_ == 64
    assert model.history_.query("metric == 'loss'")["epoch"].tolist() == list(range(8))


def test_labels_of_any_type_come_back_as_given(iris):
    names = np.array(["setosa", "versicolor", "virginica"])[iris[1]]
    model = quick().fit(iris[0], names)
    assert list(model.classes_) == ["setosa", "versicolor", "virginica"]
    assert set(model.predict(iris[0])) <= set(names)
    proba = model.predict_proba(iris[0])
    assert proba.shape == (150, 3) and np.allclose(proba.sum(axis=1), 1)
    np.testing.assert_array_equal(model.classes_[proba.argmax(axis=1)], model.predict(iris[0]))


def test_a_regressor_scores_r2_and_predicts_in_the_shape_of_y():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (200, 2))
    y = 2 * X[:, 0] - X[:, 1] + 0.5
    model = TorchEstimator(task="regression", module__hidden=(), lr=0.05, epochs=30).fit(X, y)
    assert model.predict(X).shape == (200,) and model.score(X, y) > 0.99
    two = TorchEstimator(task="regression", lr=0.05, epochs=5).fit(X, np.column_stack([y, -y]))
    assert two.predict(X).shape == (200, 2)


def test_a_module_class_gets_the_sizes_it_names_and_its_own_keywords(iris):
    class Net(torch.nn.Module):
        def __init__(self, in_features, out_features, width=4):
            super().__init__()
            self.layers = torch.nn.Sequential(torch.nn.Linear(in_features, width), torch.nn.Tanh(),
                                              torch.nn.Linear(width, out_features))

        def forward(self, x):
            return self.layers(x)

    model = TorchEstimator(Net, module__width=7, epochs=2).fit(*iris)
    assert isinstance(model.module_, Net) and model.module_.layers[0].out_features == 7
    fixed = TorchEstimator(lambda: torch.nn.Linear(4, 3), epochs=2).fit(*iris)     # a factory without sizes
    assert fixed.predict(iris[0]).shape == (150,)


def test_validation_curve_sweeps_the_hidden_units(iris):
    train, val = validation_curve(quick(epochs=5), *iris, param_name="module__hidden", param_range=[2, 16], cv=3)
    assert train.shape == val.shape == (2, 3) and np.isfinite(val).all()


@pytest.mark.parametrize(("params", "error", "match"), [
    ({"task": "classify"}, VizkitValueError, "`task` must be one of 'classification', 'regression'"),
    ({"optimizer": "adamm"}, VizkitValueError, "`optimizer` must be one of .* Did you mean 'adam'"),
    ({"optimizer": torch.nn.Linear}, VizkitTypeError, "`optimizer` must be one of 'adam'"),
    ({"loss": "mae"}, VizkitValueError, "`loss` must be one of 'cross_entropy'"),
    ({"lr": 0}, VizkitValueError, "`lr` must be a number > 0"),
    ({"weight_decay": -1}, VizkitValueError, "`weight_decay` must be a number >= 0"),
    ({"epochs": 2.5}, VizkitTypeError, "`epochs` must be an int >= 1"),
    ({"batch_size": 0}, VizkitValueError, "`batch_size` must be an int >= 1"),
    ({"random_state": None}, VizkitTypeError, "`random_state` must be an int >= 0"),
    ({"module": "mlp"}, VizkitTypeError, "`module` must be an nn.Module class or a function"),
    ({"module": lambda **kw: "a net"}, VizkitTypeError, "`module` must be a callable that returns a torch.nn.Module"),
    ({"module__hiden": 8}, VizkitValueError, "`module__hiden` must be a keyword of mlp: 'hidden', 'dropout'.*"
                                             "Did you mean 'hidden'"),
    ({"module__hidden": 0}, VizkitValueError, "`module__hidden` must be a positive int"),
])
def test_a_bad_setting_is_named_and_a_refused_fit_changes_nothing(iris, params, error, match):
    model = quick(epochs=1).fit(*iris)
    trained, history = model.module_, model.history_
    model.set_params(**params)
    with pytest.raises(error, match=match):
        model.fit(*iris)
    assert model.module_ is trained and model.history_ is history


def test_bad_data_and_bad_keywords_are_named(iris):
    X, y = iris
    with pytest.raises(VizkitValueError, match=r"`y` must be one target per row of X \(150\); got 149 targets"):
        quick().fit(X, y[1:])
    with pytest.raises(VizkitValueError, match="`X` must be a 2-D array"):
        quick().fit(X[:, 0], y)
    with pytest.raises(VizkitValueError, match="`X` must be finite numbers"):
        quick().fit(np.where(X > 2, np.nan, X), y)
    with pytest.raises(VizkitValueError, match="`y` must be finite numbers"):
        quick(task="regression").fit(X, np.array(["a"] * 150))
    with pytest.raises(NotFittedError):
        quick().predict(X)
    model = quick(epochs=1).fit(X, y)
    with pytest.raises(VizkitValueError, match="`X` must be 4 columns, as in fit; got 3 columns .X has 3 features"):
        model.predict(X[:, :3])
    assert not hasattr(quick(task="regression"), "predict_proba") and hasattr(quick(), "predict_proba")
    with pytest.raises(VizkitValueError, match="`y` must be class labels for task='classification'; got continuous"):
        quick().fit(X, X[:, 0])
    with pytest.raises(VizkitValueError, match="keywords named 'module__<name>', 'optimizer__<name>'"):
        TorchEstimator(hidden=16).fit(X, y)                              # checked by fit, as scikit-learn does


CHECKS = ["check_get_params_invariance", "check_set_params", "check_dont_overwrite_parameters",
          "check_fit_idempotent", "check_n_features_in", "check_estimators_unfitted", "check_supervised_y_2d",
          "check_fit2d_predict1d"]


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_scikit_learns_own_checks_pass(task):
    """A share of ``check_estimator`` (all of it passes: about 4 s for both tasks, too long for every run)."""
    from sklearn.utils import estimator_checks

    for name in CHECKS:
        getattr(estimator_checks, name)("TorchEstimator", TorchEstimator(task=task, epochs=2, lr=0.01))
