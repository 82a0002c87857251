"""Bias and variance of an estimator, measured by refitting it on bootstrap resamples of its training set.

:func:`bias_variance` (``vizkit.ml.bias_variance``) computes the decomposition
of one estimator and returns a :class:`BiasVariance`: plain numbers, nothing
drawn. The chart ``vk.bias_variance`` (:mod:`vizkit.ml.bias_variance_tradeoff`)
runs it once per value of a complexity parameter and stacks the parts. The two
share a name on purpose: ``vizkit.ml.bias_variance`` is the number,
``vizkit.bias_variance`` the picture.

The definitions, the resampling and its random numbers are those of mlxtend's
``bias_variance_decomp`` (Raschka), so a seed gives the same numbers in both.
Each of ``num_rounds`` rounds draws ``len(X_train)`` training rows with
replacement (``sklearn.utils.resample`` on one ``numpy.random.RandomState``:
the same draws as mlxtend's ``rng.choice``), fits a fresh
``sklearn.base.clone`` of the estimator on them and predicts the test set.
Over the ``num_rounds`` × ``n_test`` predictions:

0-1 loss (Domingos 2000)
    the *main prediction* of a test point is the label most refits predict
    (ties: the smallest label); *expected loss* is the share of predictions
    that are wrong, *bias* the share of test points whose main prediction is
    wrong, *variance* the share of predictions that differ from their point's
    main prediction. The three do not add up: a refit that disagrees with a
    wrong main prediction may be right, so loss <= bias + variance.
mean squared error
    the main prediction is the mean of the refits' predictions; *expected
    loss* is the mean squared error of the predictions, *bias* the mean of
    (main prediction − target)² (the squared bias, as mlxtend reports it)
    and *variance* the mean of (prediction − main prediction)², so
    expected loss = bias + variance exactly (to rounding). Given the true
    function, *bias* is measured against it and *noise* is the mean of
    (target − true value)²: then expected loss = bias + variance + noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._core import bad_type, bad_value
from vizkit._core.validate import check_choice, check_number
from vizkit.ml._model_input import check_estimator, check_rows, check_targets

__all__ = ["LOSSES", "BiasVariance", "bias_variance"]

#: The losses :func:`bias_variance` decomposes, in mlxtend's spelling.
LOSSES = ("0-1_loss", "mse")


@dataclass(frozen=True)
class BiasVariance:
    """One estimator's expected loss on a test set, split into bias and variance (and noise).

    Attributes
    ----------
    expected_loss : float
        The loss averaged over the test points and the bootstrap refits: for
        ``"0-1_loss"`` the share of predictions that are wrong (0 to 1), for
        ``"mse"`` in squared target units.
    bias : float
        ``"0-1_loss"``: the share of test points whose main (majority)
        prediction is wrong. ``"mse"``: the squared bias, the mean of
        (mean prediction − target)², against the true function when it was given.
    variance : float
        ``"0-1_loss"``: the share of predictions that differ from their
        point's main prediction. ``"mse"``: the mean of (prediction − mean prediction)².
    noise : float or None
        ``"mse"`` with a true function only: the mean of (target − true value)²
        over the test points, what no model can remove; else None.
    loss : {"0-1_loss", "mse"}
    num_rounds : int
        How many bootstrap refits were averaged.
    n_test : int
        How many test points.
    """

    expected_loss: float
    bias: float
    variance: float
    noise: float | None
    loss: str
    num_rounds: int
    n_test: int

    def as_dict(self) -> dict:
        """``{"expected_loss": ..., "bias": ..., "variance": ..., "noise": ...}``: a row of a table."""
        return {"expected_loss": self.expected_loss, "bias": self.bias, "variance": self.variance,
                "noise": self.noise}


def bias_variance(estimator, X_train, y_train, X_test, y_test, *, loss="0-1_loss", num_rounds=200,
                  random_seed=None, true_function=None, fit_params=None) -> BiasVariance:
    """Decompose an estimator's expected test loss into bias and variance by bootstrap refits.

    mlxtend's ``bias_variance_decomp``, written for vizkit: the same
    resampling, random numbers and definitions (module docstring), so the
    same seed gives the same numbers. The chart of the decomposition against
    a complexity parameter is :func:`vizkit.bias_variance`.

    Parameters
    ----------
    estimator : estimator
        Anything ``sklearn.base.clone`` copies and that has ``fit(X, y)`` and
        ``predict(X)``: a scikit-learn estimator or pipeline, or a torch model
        through ``vizkit.torch.TorchEstimator``. A fresh clone is fitted in each round.
    X_train, y_train : array-like or DataFrame / Series
        The training set the bootstrap resamples (each of ``len(X_train)`` rows).
    X_test, y_test : array-like or DataFrame / Series
        The test set the loss is averaged over.
    loss : {"0-1_loss", "mse"}
        Misclassification (any labels) or squared error (numeric targets).
    num_rounds : int
        How many bootstrap refits.
    random_seed : int, optional
        Seeds the resampling (``numpy.random.RandomState(random_seed)``, so 0 to 2**32 - 1).
        The estimator's own randomness is its ``random_state``.
    true_function : callable or array-like, optional
        ``"mse"`` only: the noise-free target, as a function of ``X_test``
        (returning one value per row) or its values at ``X_test``. The bias is
        then measured against it and the noise is reported.
    fit_params : dict, optional
        Keyword arguments for every ``fit``.

    Returns
    -------
    BiasVariance
        ``expected_loss``, ``bias``, ``variance``, ``noise`` (None without a
        true function), ``loss``, ``num_rounds``, ``n_test``.

    Examples
    --------
    mlxtend's worked example, a decision tree on iris; with the default 200
    rounds it gives mlxtend's expected loss 0.062, bias 0.022, variance 0.040:

    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> import vizkit.ml as vkml
    >>> X, y = load_iris(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=123, stratify=y)
    >>> found = vkml.bias_variance(DecisionTreeClassifier(random_state=123), X_train, y_train, X_test, y_test,
    ...                            num_rounds=20, random_seed=123)
    >>> round(found.expected_loss, 3), round(found.bias, 3), round(found.variance, 3)
    (0.058, 0.022, 0.036)

    Under squared error the parts add up: ``expected_loss == bias + variance``
    (to rounding).
    """
    loss = check_choice("loss", loss, LOSSES)
    num_rounds = check_number("num_rounds", num_rounds, integer=True, low=1)
    random_seed = check_number("random_seed", random_seed, integer=True, low=0, high=2**32 - 1, allow_none=True)
    if fit_params is not None and not isinstance(fit_params, dict):
        raise bad_type("fit_params", "a dict of keyword arguments for fit, or None", fit_params)
    check_estimator("estimator", estimator)
    numeric = "for loss='mse'" if loss == "mse" else None
    _, y_train, _ = check_rows(X_train, y_train, x_name="X_train", y_name="y_train", min_rows=1)
    _, y_test, _ = check_rows(X_test, y_test, x_name="X_test", y_name="y_test", min_rows=1)
    y_train, y_test = (check_targets("y_train", y_train, numeric=numeric),
                       check_targets("y_test", y_test, numeric=numeric))
    truth = None if true_function is None else _truth(true_function, X_test, y_test, loss)
    predictions = _refits(estimator, X_train, y_train, X_test, num_rounds=num_rounds, random_seed=random_seed,
                          fit_params=fit_params or {})
    parts = (_zero_one(predictions, y_test) if loss == "0-1_loss" else _squared(predictions, y_test, truth))
    return BiasVariance(*parts, loss=loss, num_rounds=num_rounds, n_test=len(y_test))


def _refits(estimator, X_train, y_train, X_test, *, num_rounds, random_seed, fit_params) -> np.ndarray:
    """The test predictions of ``num_rounds`` clones, each fitted on a bootstrap resample: rounds × test points.

    ``resample`` on one RandomState draws ``randint(0, n, size=n)`` per round,
    exactly what mlxtend's ``rng.choice(arange(n), size=n, replace=True)`` draws.
    """
    from sklearn.base import clone
    from sklearn.utils import resample

    rng = np.random.RandomState(random_seed)
    rows = []
    for _ in range(num_rounds):
        X_boot, y_boot = resample(X_train, y_train, replace=True, random_state=rng)
        predicted = np.asarray(clone(estimator).fit(X_boot, y_boot, **fit_params).predict(X_test))
        if predicted.size != len(X_test):
            raise bad_value("estimator", "an estimator whose predict gives one value per row of `X_test`",
                            estimator, got=f"{predicted.size} values for {len(X_test)} rows")
        rows.append(predicted.reshape(-1))
    return np.stack(rows)


def _zero_one(predictions: np.ndarray, y_test: np.ndarray) -> tuple:
    """Expected loss, bias and variance under 0-1 loss (mlxtend's definitions and order of sums).

    Not ``_model_input.zero_one``/``mse`` over the arrays: the same numbers, but mlxtend's order of sums keeps them
    equal to mlxtend's to the last bit (tests/test_bias_variance.py).
    """
    labels, codes = np.unique(np.concatenate([predictions.ravel(), y_test]), return_inverse=True)
    codes = codes[: predictions.size].reshape(predictions.shape)
    # the most frequent label per test point; np.argmax takes the first of tied counts: the smallest label
    counts = np.apply_along_axis(np.bincount, 0, codes, minlength=labels.size)
    main = labels[np.argmax(counts, axis=0)]
    wrong = predictions != y_test
    expected_loss = wrong.mean(axis=1).mean()
    bias = np.sum(main != y_test) / y_test.size
    variance = (predictions != main).sum(axis=0).astype(float) / len(predictions)
    return float(expected_loss), float(bias), float(variance.sum() / y_test.size), None


def _squared(predictions: np.ndarray, y_test: np.ndarray, truth) -> tuple:
    """Expected loss, squared bias, variance (and noise, given the truth) under squared error."""
    predictions = predictions.astype(float)
    main = predictions.mean(axis=0)
    variance = np.sum((main - predictions) ** 2) / predictions.size
    if truth is None:
        expected_loss = ((predictions - y_test) ** 2).mean(axis=1).mean()
        return float(expected_loss), float(np.sum((main - y_test) ** 2) / y_test.size), float(variance), None
    bias = np.mean((main - truth) ** 2)
    noise = np.mean((y_test - truth) ** 2)
    return float(bias + variance + noise), float(bias), float(variance), float(noise)


def _truth(true_function, X_test, y_test: np.ndarray, loss: str) -> np.ndarray:
    """The true function's values at ``X_test``, checked."""
    if loss != "mse":
        raise bad_value("true_function", "None for loss='0-1_loss' (noise is split off for loss='mse' only)",
                        true_function)
    try:
        values = np.asarray(true_function(X_test) if callable(true_function) else true_function, dtype=float)
    except (TypeError, ValueError):
        raise bad_type("true_function", "a function of `X_test` giving numbers, or the numbers themselves",
                       true_function) from None
    values = values.reshape(-1) if values.size == len(y_test) else values
    if values.shape != y_test.shape or not np.isfinite(values).all():
        raise bad_value("true_function", f"{len(y_test)} finite values, one per row of `X_test`", true_function,
                        got=f"values of shape {values.shape}")
    return values
