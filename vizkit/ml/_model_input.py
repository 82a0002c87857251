"""What the model-evaluation charts check and read from their input, once for all of them.

An estimator :func:`sklearn.base.clone` can copy (:func:`check_estimator`),
models by name (:func:`check_models`), rows and targets of one length
(:func:`n_rows`, :func:`check_rows`, :func:`check_targets`, :func:`check_xy`),
a parameter sweep (:func:`check_range`, :func:`check_param`), the scorer's sign, label and
direction (:func:`score_of`, :class:`Score`) and the losses by name
(:func:`loss_functions`, :func:`zero_one`, :func:`mse`). Used by
cross_validation, cv_fold_diagram (through ``_cv_input``), score_curves
(through ``_score_inputs``), bias_variance_decomposition,
bias_variance_tradeoff, bootstrap_error, ensemble_growth and decision_surface.
scikit-learn is imported inside the functions, never at ``import vizkit``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._core import bad_type, bad_value
from vizkit._core.errors import bad_choice
from vizkit._core.labels import axis_label
from vizkit._core.validate import check_choice

#: The losses known by name (lower is better), and how an axis label names them.
LOSSES = ("zero_one", "mse")
LOSS_LABELS = {"zero_one": "0-1 loss", "mse": "MSE"}
#: Labels of scikit-learn's scorer names (without ``neg_``); any other name reads as words.
SCORE_NAMES = {"accuracy": "Accuracy", "balanced_accuracy": "Balanced accuracy", "r2": "R²", "roc_auc": "ROC AUC",
               "roc_auc_ovr": "ROC AUC (one vs rest)", "roc_auc_ovo": "ROC AUC (one vs one)", "f1": "F1",
               "explained_variance": "Explained variance",
               "mean_squared_error": "MSE", "root_mean_squared_error": "RMSE", "mean_absolute_error": "MAE",
               "median_absolute_error": "Median absolute error", "mean_absolute_percentage_error": "MAPE",
               "mean_squared_log_error": "MSLE", "root_mean_squared_log_error": "RMSLE", "log_loss": "Log loss",
               "brier_score": "Brier score", "brier_score_loss": "Brier score", "zero_one_loss": "0-1 loss"}


# ---------------------------------------------------------------- estimators and models
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


def check_models(models, *, methods=("fit", "predict")) -> dict:
    """``{name: estimator}`` from a dict, a list or one estimator, each checked by :func:`check_estimator`.

    A list is named by class (a pipeline by its last step); a repeated name
    is numbered from its second use ("SVC", "SVC 2").
    """
    if isinstance(models, dict):
        for name in models:
            if not isinstance(name, str):
                raise bad_type("models", "a dict with str keys (the models' names)", name)
        named = dict(models)
    elif isinstance(models, (list, tuple)):
        named = {}
        for model in models:
            base = _model_name(model)
            name, count = base, 2
            while name in named:
                name, count = f"{base} {count}", count + 1
            named[name] = model
    elif callable(getattr(models, "fit", None)) and not isinstance(models, type):
        named = {_model_name(models): models}
    else:
        raise bad_type("models", "estimators: a dict {name: estimator}, a list of them, or one", models)
    if not named:
        raise bad_value("models", "at least one estimator", models, got="none")
    return {name: check_estimator(f"models[{name!r}]", model, methods=methods) for name, model in named.items()}


def _model_name(model) -> str:
    """A pipeline is named for its last step (the model), anything else for its class."""
    steps = getattr(model, "steps", None)
    return type(steps[-1][1] if steps else model).__name__


# ---------------------------------------------------------------- rows and targets
def n_rows(argument, values) -> int:
    """How many rows ``values`` holds (the first axis of an array, a DataFrame's rows, a list's length)."""
    shape = getattr(values, "shape", None)
    if shape is not None:
        if len(shape) == 0:
            raise bad_type(argument, "an array-like with one entry per row", values, got="a scalar")
        return int(shape[0])
    if values is None or isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise bad_type(argument, "an array-like with one entry per row (an array, a list, a DataFrame)", values)
    return len(values)


def check_rows(X, y=None, groups=None, *, x_name="X", y_name="y", y_required=True, min_rows=2):
    """``(rows of X, y, groups)``: ``y`` and ``groups`` as arrays (None stays None), one entry per row of ``X``."""
    n = n_rows(x_name, X)
    if n < min_rows:
        raise bad_value(x_name, f"at least {min_rows} row{'s' * (min_rows != 1)}", X,
                        got=f"{n} row{'s' * (n != 1)}")
    if y is None and y_required:
        raise bad_type(y_name, f"the targets, one per row of `{x_name}`", y)
    checked = []
    for argument, values, what in ((y_name, y, "target"), ("groups", groups, "group label")):
        if values is not None:
            count = n_rows(argument, values)
            if count != n:
                raise bad_value(argument, f"one {what} per row of `{x_name}` ({n} rows)", values,
                                got=f"{count} {what}s")
            values = values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values)
        checked.append(values)
    return n, *checked


def check_targets(argument, y, *, numeric: str | None = None) -> np.ndarray:
    """``y`` as a 1-D array without NaN; ``numeric`` (why, e.g. "for loss='mse'"): numbers, all finite."""
    if y.ndim != 1:
        raise bad_value(argument, "a 1-D vector of targets (one per row)", y, got=f"an array of shape {y.shape}")
    if numeric is not None:
        if not np.issubdtype(y.dtype, np.number) or np.issubdtype(y.dtype, np.complexfloating):
            raise bad_type(argument, f"numeric targets {numeric}", y, got=f"values of dtype {y.dtype}")
        if not np.isfinite(y).all():
            raise bad_value(argument, "finite targets", y, got="NaN or infinite values")
    elif y.dtype.kind == "f" and np.isnan(y).any():
        raise bad_value(argument, "targets without NaN", y, got=f"{int(np.isnan(y).sum())} NaN")
    return y


def check_xy(X, y, *, x_name="X", y_name="y"):
    """``X`` (2-D, kept a DataFrame if it is one) and ``y`` (1-D), of one length, at least two rows, no NaN in ``y``."""
    import pandas as pd

    if not isinstance(X, pd.DataFrame):
        try:
            X = np.asarray(X)
        except (TypeError, ValueError):
            raise bad_type(x_name, "a 2-D array or a DataFrame", X) from None
        if X.ndim != 2:
            raise bad_value(x_name, "a 2-D array (rows, features)", X, got=f"an array of shape {X.shape}")
    _, y, _ = check_rows(X, y, x_name=x_name, y_name=y_name)
    return X, check_targets(y_name, y)


# ---------------------------------------------------------------- a parameter sweep
def check_range(param_range, *, min_values=1) -> list:
    """``param_range`` as a list of at least ``min_values`` (1 or 2) values."""
    if isinstance(param_range, (str, bytes, dict)) or not np.iterable(param_range):
        raise bad_type("param_range", "a sequence of the parameter's values", param_range)
    values = list(param_range)
    if len(values) < min_values:
        raise bad_value("param_range", "at least one value" if min_values == 1 else "at least two values to compare",
                        param_range, got=f"{len(values)}" if values else "an empty sequence")
    return values


def check_param(estimator, param_name, param_range, *, min_values=1) -> list:
    """``param_range`` as a list, once ``estimator.set_params`` takes ``param_name`` (a close name suggested)."""
    from sklearn.base import clone

    if not isinstance(param_name, str) or not param_name:
        raise bad_type("param_name", "the name of a parameter of `estimator` (a str)", param_name)
    values = check_range(param_range, min_values=min_values)
    names = list(estimator.get_params(deep=True))
    if param_name not in names:
        try:
            clone(estimator).set_params(**{param_name: values[0]})
        except (ValueError, TypeError, AttributeError):
            raise bad_choice("param_name", param_name, names, what="a parameter of `estimator`:") from None
    return values


# ---------------------------------------------------------------- the scorer
@dataclass(frozen=True)
class Score:
    """What the scores are: the sign that makes an error positive, the label, which direction is better."""

    sign: float
    name: str
    mode: str  # "max" or "min"

    @property
    def label(self) -> str:
        return f"{self.name} ({'higher' if self.mode == 'max' else 'lower'} is better)"


def score_of(scoring, estimators=(), score_name=None) -> Score:
    """The sign, label and direction of the scores ``scoring`` gives (for None, the ``estimators``' own ``score``)."""
    if score_name is not None and not isinstance(score_name, str):
        raise bad_type("score_name", "a str, the y axis' name", score_name)
    if scoring is None:
        from sklearn.base import is_classifier, is_regressor

        estimators = list(estimators)
        name = ("Accuracy" if all(map(is_classifier, estimators)) else
                "R²" if all(map(is_regressor, estimators)) else "Score") if estimators else "Score"
        return Score(1.0, score_name or name, "max")
    if isinstance(scoring, str):
        from sklearn.metrics import get_scorer_names

        if scoring not in get_scorer_names():
            raise bad_choice("scoring", scoring, sorted(get_scorer_names()), what="a scikit-learn scorer name",
                             listed=False, suffix=" (sklearn.metrics.get_scorer_names()) or a scorer")
        negative = scoring.startswith("neg_")
        base = scoring[4:] if negative else scoring
        return Score(-1.0 if negative else 1.0, score_name or SCORE_NAMES.get(base, axis_label(base)),
                     "min" if negative else "max")
    if callable(scoring):
        sign = float(getattr(scoring, "_sign", 1))
        function = getattr(getattr(scoring, "_score_func", None), "__name__", None) \
            or getattr(scoring, "__name__", None)
        name = score_name or (SCORE_NAMES.get(function, axis_label(function)) if function else "Score")
        return Score(1.0 if sign > 0 else -1.0, name, "max" if sign > 0 else "min")
    raise bad_type("scoring", "a scikit-learn scorer name or a scorer (one: several scorers draw several charts)",
                   scoring)


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
    return loss, *{"zero_one": (zero_one, _zero_one_no_information),
                   "mse": (mse, _mse_no_information)}[loss]


# The two losses by name are written out: sklearn's zero_one_loss and mean_squared_error check their input
# for 10 ms a call, and a chart scores hundreds of fits (tests/test_bootstrap.py checks they agree).
def zero_one(y, predicted):
    """The share of wrong predictions (sklearn's ``zero_one_loss``); ``predicted`` may be rounds × rows."""
    return float(np.mean(np.asarray(y) != np.asarray(predicted)))


def mse(y, predicted):
    """The mean squared error (sklearn's ``mean_squared_error``); ``predicted`` may be rounds × rows."""
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
