"""Smoothing a series: a centred rolling mean, exponential moving averages, lowess.

The one place vizkit smooths values. :func:`vizkit.line` (``smooth=``) picks a
method by name through :func:`smooth`; :func:`vizkit.curves` (``smooth=``, a
half-life in steps, or TensorBoard's weight: :func:`halflife_of_weight`) uses
:func:`ema`, and draws a series raw when it has fewer points than
:func:`ema_window`. Every function takes plain NumPy arrays and returns a new
float64 array as long as ``y``; nothing here draws.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EMA_WINDOW_WEIGHT", "METHODS", "ema", "ema_window", "ewm_span", "halflife_of_weight", "lowess",
           "rolling", "smooth"]

#: The names :func:`smooth` knows.
METHODS = ("rolling", "ewm", "lowess")
#: Steps are handed to pandas' ewm as times with this many nanoseconds per step (half-lives to 1/1000 step).
_NS_PER_STEP = 1000
#: :func:`ema_window` is the span of steps that holds this share of the average's weight.
EMA_WINDOW_WEIGHT = 0.9
#: Above this many points lowess interpolates within 1% of the x range (statsmodels' advice for speed).
_LOWESS_DELTA_ABOVE = 5000


def rolling(y, window: int):
    """Centred rolling mean of ``window`` points (``min_periods=1``), NaN where ``y`` is NaN.

    Examples
    --------
    >>> rolling(np.array([1.0, 2.0, 6.0, np.nan]), 3).tolist()
    [1.5, 3.0, 4.0, nan]
    """
    import pandas as pd

    out = pd.Series(y).rolling(int(window), center=True, min_periods=1).mean().to_numpy()
    return _nan_where_missing(out, y)


def ewm_span(y, span: float):
    """Exponentially weighted mean of span ``span`` (pandas' ``ewm(span=...)``), causal; NaN where ``y`` is NaN.

    Examples
    --------
    >>> ewm_span(np.array([0.0, 2.0]), 3).tolist()
    [0.0, 1.3333333333333333]
    """
    import pandas as pd

    return _nan_where_missing(pd.Series(y).ewm(span=float(span)).mean().to_numpy(), y)


def ema(steps, values, halflife: float):
    """Debiased exponential moving average of ``values`` (finite) logged at ``steps``, half-life in steps.

    The weight of a value ``d`` steps back is ``0.5 ** (d / halflife)`` and the
    weights are normalised by their sum at every point (pandas' ``ewm(...,
    adjust=True)``, TensorBoard's debiased smoothing), so the first points are
    not pulled towards zero and irregular steps are weighted by their distance.
    The value at a step depends only on the records up to it.

    Examples
    --------
    >>> ema(np.array([0, 1]), np.array([1.0, 3.0]), halflife=1).round(4).tolist()
    [1.0, 2.3333]
    """
    import pandas as pd

    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return values.copy()
    gaps = np.diff(steps)
    if len(gaps) == 0 or (gaps[0] > 0 and np.all(gaps == gaps[0])):  # evenly spaced: the same weights, faster
        spacing = gaps[0] if len(gaps) else 1.0
        return pd.Series(values).ewm(halflife=halflife / spacing, adjust=True).mean().to_numpy()
    times = pd.to_datetime(np.round(np.asarray(steps, dtype=float) * _NS_PER_STEP).astype(np.int64), unit="ns")
    return pd.Series(values).ewm(halflife=pd.Timedelta(round(halflife * _NS_PER_STEP), "ns"), times=times,
                                 adjust=True).mean().to_numpy()


def halflife_of_weight(weight: float) -> float:
    """The half-life in steps of TensorBoard's smoothing weight ``weight`` in [0, 1): ``ln(0.5) / ln(weight)``.

    TensorBoard's slider keeps ``weight`` of the average and adds ``1 -
    weight`` of each new point, then divides by ``1 - weight ** i`` after
    ``i`` points (its debiasing, so the start is not pulled towards 0). That
    is :func:`ema` with this half-life on a series logged every step: a point
    ``d`` steps back weighs ``weight ** d = 0.5 ** (d / halflife)``. (On a
    series logged every ``k`` steps TensorBoard's weight acts per point, so
    it smooths ``k`` times longer than the converted half-life does.)
    Weight 0 is no smoothing (half-life 0); 0.6 (TensorBoard's default) is
    1.36 steps, 0.9 is 6.58, 0.99 is 69.

    Examples
    --------
    >>> round(halflife_of_weight(0.9), 2), halflife_of_weight(0.5), halflife_of_weight(0.0)
    (6.58, 1.0, 0.0)
    """
    return 0.0 if weight == 0 else float(np.log(0.5) / np.log(weight))


def ema_window(halflife: float) -> int:
    """The steps that hold 90% of an :func:`ema`'s weight: ``ceil(halflife * log2(10))``, at least 1.

    A value ``d`` steps back weighs ``0.5 ** (d / halflife)``, so the last
    ``halflife * log2(1 / (1 - 0.9))`` (3.32 half-lives) steps hold
    :data:`EMA_WINDOW_WEIGHT` of the average. A series with fewer points than
    this is too short to smooth: the average would be its first points
    dragged along (a validation series of 3 epochs), so charts draw it raw.

    Examples
    --------
    >>> ema_window(5), ema_window(10), ema_window(0.1)
    (17, 34, 1)
    """
    return max(1, int(np.ceil(halflife * np.log2(1 / (1 - EMA_WINDOW_WEIGHT)) - 1e-9)))


def lowess(x, y, window=None):
    """statsmodels' lowess of the finite points over ``window`` points (``frac=window / n``, default 2/3), ``it=3``.

    NaN where ``y`` is NaN; fewer than 3 finite points come back as they are.
    Above 5 000 points ``delta`` is 1% of the x range, else 0.

    Examples
    --------
    >>> lowess(np.arange(5.0), np.arange(5.0) * 2).round(6).tolist()
    [0.0, 2.0, 4.0, 6.0, 8.0]
    """
    finite = np.isfinite(y)
    out = np.full(len(y), np.nan)
    xf, yf = np.asarray(x)[finite].astype(float), np.asarray(y)[finite]
    if len(yf) < 3:
        out[finite] = yf
        return out
    from statsmodels.nonparametric.smoothers_lowess import lowess as sm_lowess

    frac = 2 / 3 if window is None else min(1.0, window / len(yf))
    delta = 0.01 * float(xf[-1] - xf[0]) if len(yf) > _LOWESS_DELTA_ABOVE else 0.0
    out[finite] = sm_lowess(yf, xf - xf[0], frac=frac, it=3, delta=delta, return_sorted=False)
    return out


def smooth(x, y, method: str, window):
    """The series smoothed by ``method`` (one of :data:`METHODS`) at each ``x``; NaN where ``y`` is NaN.

    ``"rolling"``: :func:`rolling` of ``window`` points; ``"ewm"``:
    :func:`ewm_span` of span ``window``; ``"lowess"``: :func:`lowess` over
    ``window`` points (None: 2/3 of them).

    Examples
    --------
    >>> smooth(np.arange(3.0), np.array([1.0, 2.0, 6.0]), "rolling", 3).tolist()
    [1.5, 3.0, 4.0]
    """
    if method == "rolling":
        return rolling(y, window)
    if method == "ewm":
        return ewm_span(y, window)
    if method == "lowess":
        return lowess(x, y, window)
    from vizkit._core.errors import bad_choice

    raise bad_choice("smooth", method, list(METHODS))


def _nan_where_missing(out, y):
    out = np.array(out, dtype=float)  # a writable copy
    out[~np.isfinite(y)] = np.nan
    return out
