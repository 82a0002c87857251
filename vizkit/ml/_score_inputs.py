"""What the learning and validation curves check and read from their input: the scorer's sign, name and direction.

Private to :mod:`vizkit.ml.score_curves`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._core import bad_type, bad_value
from vizkit._core.errors import bad_choice
from vizkit._core.labels import axis_label

#: Labels of scikit-learn's scorer names (without ``neg_``); any other name reads as words.
SCORE_NAMES = {"accuracy": "Accuracy", "balanced_accuracy": "Balanced accuracy", "r2": "R²", "roc_auc": "ROC AUC",
               "mean_squared_error": "MSE", "root_mean_squared_error": "RMSE", "mean_absolute_error": "MAE",
               "median_absolute_error": "Median absolute error", "mean_absolute_percentage_error": "MAPE",
               "mean_squared_log_error": "MSLE", "root_mean_squared_log_error": "RMSLE", "log_loss": "Log loss",
               "brier_score": "Brier score", "brier_score_loss": "Brier score", "zero_one_loss": "0-1 loss"}


@dataclass(frozen=True)
class Score:
    """What the scores are: the sign that makes an error positive, the label, which direction is better."""

    sign: float
    name: str
    mode: str  # "max" or "min"

    @property
    def label(self) -> str:
        return f"{self.name} ({'higher' if self.mode == 'max' else 'lower'} is better)"


def score_of(estimator, scoring, score_name) -> Score:
    """The sign, label and direction of the scores ``scoring`` gives (``estimator``'s ``score`` for None)."""
    if score_name is not None and not isinstance(score_name, str):
        raise bad_type("score_name", "a str, the y axis' name", score_name)
    if scoring is None:
        from sklearn.base import is_classifier, is_regressor

        name = ("Accuracy" if is_classifier(estimator) else "R²" if is_regressor(estimator) else "Score") \
            if estimator is not None else "Score"
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
        function = getattr(getattr(scoring, "_score_func", None), "__name__", None)
        name = score_name or (SCORE_NAMES.get(function, axis_label(function)) if function else "Score")
        return Score(1.0 if sign > 0 else -1.0, name, "max" if sign > 0 else "min")
    raise bad_type("scoring", "a scikit-learn scorer name or a scorer (one: several scorers draw several charts)",
                   scoring)


def check_fit_inputs(estimator, X, y, scoring, score_name) -> Score:
    if not (hasattr(estimator, "fit") and hasattr(estimator, "get_params")):
        raise bad_type("estimator", "a scikit-learn estimator (with fit and get_params)", estimator)
    n_x, n_y = _rows(X, "X"), _rows(y, "y")
    if n_x != n_y:
        raise bad_value("y", f"one target per row of X ({n_x})", y, got=f"{n_y} targets")
    return score_of(estimator, scoring, score_name)


def _rows(values, argument) -> int:
    try:
        return len(values)
    except TypeError:
        raise bad_type(argument, "an array-like with one row per example", values) from None


def check_sizes(train_sizes):
    sizes = np.asarray(train_sizes)
    if sizes.ndim != 1 or sizes.size == 0 or not np.issubdtype(sizes.dtype, np.number) \
            or not np.isfinite(sizes).all() or (sizes <= 0).any():
        raise bad_value("train_sizes", "a non-empty list of shares in (0, 1] or of positive numbers of examples",
                        train_sizes)
    if np.issubdtype(sizes.dtype, np.floating) and (sizes > 1).any():
        raise bad_value("train_sizes", "shares in (0, 1] (floats) or numbers of examples (ints)", train_sizes)
    return sizes


def check_range(param_range) -> list:
    if isinstance(param_range, (str, bytes)) or not hasattr(param_range, "__iter__"):
        raise bad_type("param_range", "a sequence of the parameter's values", param_range)
    values = list(param_range)
    if not values:
        raise bad_value("param_range", "at least one value", param_range, got="an empty sequence")
    return values


def check_param(estimator, param_name, param_range) -> list:
    """The values, after checking that ``estimator.set_params`` takes ``param_name`` (a close name suggested)."""
    from sklearn.base import clone

    if not isinstance(param_name, str) or not param_name:
        raise bad_type("param_name", "the name of a parameter of `estimator` (a str)", param_name)
    values = check_range(param_range)
    names = list(estimator.get_params(deep=True))
    if param_name not in names:
        try:
            clone(estimator).set_params(**{param_name: values[0]})
        except (ValueError, TypeError, AttributeError):
            raise bad_choice("param_name", param_name, names, what="a parameter of `estimator`:") from None
    return values


def scores_array(argument, scores, n) -> np.ndarray:
    array = np.asarray(scores, dtype=float)
    if array.ndim != 2 or array.shape[0] != n or array.shape[1] < 1:
        raise bad_value(argument, f"an array of shape ({n}, folds): one row per point", scores,
                        got=f"shape {array.shape}")
    return array
