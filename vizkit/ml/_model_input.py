"""Checks of a model-evaluation chart's input: an estimator scikit-learn can clone, and ``X``, ``y`` of one length.

Shared by :mod:`vizkit.ml.bootstrap_error`, :mod:`vizkit.ml.ensemble_growth` and
:mod:`vizkit.ml.decision_surface`. scikit-learn is imported inside the functions.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type, bad_value


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
