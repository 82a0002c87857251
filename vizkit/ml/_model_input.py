"""Checks of a model-evaluation chart's input: an estimator scikit-learn can clone, and ``X``, ``y`` of one length.

Shared by :mod:`vizkit.ml.bootstrap_error`, :mod:`vizkit.ml.ensemble_growth` and
:mod:`vizkit.ml.decision_surface`. scikit-learn is imported inside the functions.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type, bad_value
from vizkit._core.validate import check_choice

#: The losses known by name (lower is better), and how an axis label names them.
LOSSES = ("zero_one", "mse")
LOSS_LABELS = {"zero_one": "0-1 loss", "mse": "MSE"}


def check_estimator(argument, estimator, *, methods=("fit", "predict")):
    """``estimator`` if it has ``methods`` and :func:`sklearn.base.clone` can copy it; else a vizkit error."""
    from sklearn.base import clone

    missing = [m for m in methods if not callable(getattr(estimator, m, None))]
    if isinstance(estimator, type) or missing:
        raise bad_type(argument, f"a scikit-learn estimator (an instance with {', '.join(methods)})", estimator,
                       hint=f"It lacks {', '.join(missing)}." if missing and not isinstance(estimator, type)
                       else "Pass an instance, e.g. DecisionTreeClassifier(), not the class.")
    try:
        clone(estimator)
    except (TypeError, RuntimeError) as error:
        raise bad_type(argument, "an estimator sklearn.base.clone can copy (get_params/set_params)", estimator,
                       hint=f"({error})") from None
    return estimator


def check_models(models) -> dict:
    """``{name: estimator}`` from a dict or a list (named by class, numbered when a class repeats)."""
    if isinstance(models, dict):
        if not models:
            raise bad_value("models", "at least one ensemble", models)
        for name in models:
            if not isinstance(name, str):
                raise bad_type("models", "a dict with str keys (the models' names)", name)
        return {name: check_estimator(f"models[{name!r}]", m) for name, m in models.items()}
    if isinstance(models, (list, tuple)) and models:
        names = [type(m).__name__ for m in models]
        named = {}
        for i, (name, model) in enumerate(zip(names, models)):
            label = name if names.count(name) == 1 else f"{name} {names[:i + 1].count(name)}"
            named[label] = check_estimator(f"models[{i}]", model)
        return named
    raise bad_type("models", "a dict of name to estimator, or a non-empty list of estimators", models)


def check_xy(X, y, *, x_name="X", y_name="y"):
    """``X`` (2-D, kept a DataFrame if it is one) and ``y`` (1-D), of one length, without NaN in ``y``."""
    import pandas as pd

    if not isinstance(X, pd.DataFrame):
        try:
            X = np.asarray(X)
        except (TypeError, ValueError):
            raise bad_type(x_name, "a 2-D array or a DataFrame", X) from None
        if X.ndim != 2:
            raise bad_value(x_name, "a 2-D array (rows, features)", X, got=f"an array of shape {X.shape}")
    y = y.to_numpy() if isinstance(y, (pd.Series, pd.Index)) else np.asarray(y)
    if y.ndim != 1:
        raise bad_value(y_name, "a 1-D vector of targets", y, got=f"an array of shape {y.shape}")
    if len(y) != len(X):
        raise bad_value(y_name, f"one target per row of `{x_name}` ({len(X)})", y, got=f"{len(y)} targets")
    if len(y) < 2:
        raise bad_value(y_name, "at least two rows", y, got=f"{len(y)}")
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise bad_value(y_name, "targets without NaN", y, got=f"{int(np.isnan(y).sum())} NaN")
    return X, y


# ---------------------------------------------------------------- losses
def loss_functions(loss, estimator):
    """``(name, error(y, pred), no_information(y, pred))`` for ``loss`` (default by the estimator's type)."""
    from sklearn.base import is_classifier, is_regressor

    if loss is None:
        if is_classifier(estimator):
            loss = "zero_one"
        elif is_regressor(estimator):
            loss = "mse"
        else:
            raise bad_value("loss", "given for an estimator that is neither a classifier nor a regressor",
                            loss, hint="Pass loss='zero_one', 'mse' or a function (y_true, y_pred) -> number.")
    if callable(loss):
        return getattr(loss, "__name__", "loss"), _checked(loss), _pairs(loss)
    if not isinstance(loss, str):
        raise bad_type("loss", "'zero_one', 'mse' or a function (y_true, y_pred) -> number", loss)
    loss = check_choice("loss", loss, LOSSES)
    return loss, *{"zero_one": (_zero_one, _zero_one_no_information),
                   "mse": (_mse, _mse_no_information)}[loss]


# The two losses by name are written out: sklearn's zero_one_loss and mean_squared_error check their input
# for 10 ms a call, and a chart scores hundreds of fits (tests/test_bootstrap.py checks they agree).
def _zero_one(y, predicted):
    """The share of wrong predictions (sklearn's ``zero_one_loss``)."""
    return float(np.mean(np.asarray(y) != np.asarray(predicted)))


def _mse(y, predicted):
    """The mean squared error (sklearn's ``mean_squared_error``)."""
    return float(np.mean((np.asarray(y, dtype=float) - np.asarray(predicted, dtype=float)) ** 2))


def _zero_one_no_information(y, predicted):
    """The 0-1 loss over every pairing of a label with a prediction: ``1 - sum_k p_k q_k``."""
    labels, codes = np.unique(np.concatenate([np.asarray(y), np.asarray(predicted)]), return_inverse=True)
    p = np.bincount(codes[: len(y)], minlength=labels.size) / len(y)
    q = np.bincount(codes[len(y):], minlength=labels.size) / len(predicted)
    return float(1 - p @ q)


def _mse_no_information(y, predicted):
    """The squared error over every pairing: ``mean(y²) - 2 mean(y) mean(ŷ) + mean(ŷ²)``."""
    y, predicted = np.asarray(y, dtype=float), np.asarray(predicted, dtype=float)
    return float(np.mean(y ** 2) - 2 * y.mean() * predicted.mean() + np.mean(predicted ** 2))


def _checked(function):
    def error(y, predicted):
        value = function(y, predicted)
        if not isinstance(value, (int, float, np.number)) or not np.isfinite(value):
            raise bad_value("loss", "a function that returns a finite number", function, got=repr(value))
        return float(value)
    return error


def _pairs(function):
    def no_information(y, predicted):
        y, predicted = np.asarray(y), np.asarray(predicted)
        return float(function(np.repeat(y, len(predicted)), np.tile(predicted, len(y))))
    return no_information
