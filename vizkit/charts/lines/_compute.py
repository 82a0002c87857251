"""The numbers behind :func:`vizkit.line`: aggregation, bands, smoothing, interpolation, decimation.

Everything here works on plain NumPy arrays that :mod:`vizkit.charts.lines.lineplot` has
already validated: ``x`` is float64 (or int64 for datetimes), sorted within
each hue code; ``y`` is float64 with NaN marking gaps. Nothing here draws.

The bootstrap for ``band=("ci", level)`` is the library's one mean bootstrap,
:func:`vizkit._core.stats.bootstrap_mean_ci`.
"""

from __future__ import annotations

import math

import numpy as np

from vizkit._core.stats import bootstrap_mean_ci, group_estimates

__all__ = [
    "aggregate",
    "decimate",
    "dense_curve",
    "finite_runs",
    "smooth_values",
]



# ---------------------------------------------------------------- grouping and bands
def aggregate(x, codes, y, *, band=None, low=None, high=None, seed=0, unique=False):
    """One row per (code, x): mean of ``y`` and the band around it.

    Parameters
    ----------
    x : array sorted by (codes, x)
    codes : int array (the line of each row), or None for a single line
    y : float array, NaN allowed (ignored in the mean; an x with no finite y gets NaN)
    band : None, ("minmax", None), (kind, level) for "sd", "se", "ci", "pi", or ("bounds", None)
    low, high : float arrays, the precomputed bounds for ``("bounds", None)``
    unique : bool
        The caller knows no x repeats within a line (skips the check).

    Returns
    -------
    dict with ``x``, ``code``, ``y``, ``low``, ``high``, ``n`` (finite values per row)
    and ``repeated`` (whether any x was repeated within a line). Without
    repeats the inputs come back as they are (no copies: a long series costs
    nothing here), with ``n`` None and ``low``/``high`` None when there is no band.
    """
    n_rows = len(x)
    kind = band[0] if band else None
    if not unique:
        same = x[1:] == x[:-1]
        if codes is not None:
            same &= codes[1:] == codes[:-1]
    if unique or not same.any():
        if kind == "bounds":
            lo, hi = low, high
        elif kind == "minmax":
            lo = hi = y
        else:
            lo = hi = None if kind is None else np.full(n_rows, np.nan)
        return {"x": x, "code": codes, "y": y, "low": lo, "high": hi, "n": None, "repeated": False}
    new = np.ones(n_rows, dtype=bool)
    new[1:] = ~same
    finite = np.isfinite(y)
    group = np.cumsum(new) - 1
    n_groups = int(group[-1]) + 1
    starts = np.flatnonzero(new)
    kept_group, kept_y = group[finite], y[finite]
    counts = np.bincount(kept_group, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(kept_group, weights=kept_y, minlength=n_groups) / counts
    lo = hi = None
    if kind == "minmax":
        lo = np.minimum.reduceat(np.where(finite, y, np.inf), starts)
        hi = np.maximum.reduceat(np.where(finite, y, -np.inf), starts)
        lo[counts == 0] = np.nan
        hi[counts == 0] = np.nan
    elif kind == "bounds":
        lo, hi = _group_nanmean(low, group, n_groups), _group_nanmean(high, group, n_groups)
    elif kind == "ci":
        lo, hi = bootstrap_mean_ci(kept_y, kept_group, n_groups, band[1], seed=seed)
    elif kind in ("sd", "se", "pi"):
        stats = group_estimates(kept_y, kept_group, n_groups, errorbar=band, seed=seed)
        lo, hi = stats["low"], stats["high"]
    return {"x": x[starts], "code": None if codes is None else codes[starts], "y": mean, "low": lo,
            "high": hi, "n": counts, "repeated": True}


def _group_nanmean(values, group, n_groups):
    finite = np.isfinite(values)
    counts = np.bincount(group[finite], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.bincount(group[finite], weights=values[finite], minlength=n_groups) / counts


# ---------------------------------------------------------------- gaps
def finite_runs(mask):
    """``(starts, stops)`` (stop exclusive) of the runs of True in a boolean array."""
    if mask.all():  # the common case, without temporaries the size of the series
        return np.array([0] if len(mask) else [], dtype=np.intp), np.array([len(mask)] if len(mask) else [],
                                                                         dtype=np.intp)
    edges = np.flatnonzero(mask[1:] != mask[:-1]) + 1
    starts = edges[mask[edges]]
    stops = edges[~mask[edges]]
    if mask[0]:
        starts = np.concatenate(([0], starts))
    if mask[-1]:
        stops = np.concatenate((stops, [len(mask)]))
    return starts, stops


def isolated(mask):
    """Positions of True values with no True neighbour: points a plain line would hide."""
    starts, stops = finite_runs(mask)
    return starts[stops - starts == 1]


# ---------------------------------------------------------------- smoothing
def smooth_values(x, y, method: str, window):
    """The smoothed series at each ``x`` (NaN where ``y`` is NaN).

    - ``"rolling"``: ``Series.rolling(window, center=True, min_periods=1).mean()``
    - ``"ewm"``: ``Series.ewm(span=window).mean()``
    - ``"lowess"``: statsmodels' lowess over the finite points with ``frac=window / n``
      (``frac=2/3`` when ``window`` is None) and ``it=3``; ``delta`` is 1 % of the
      x range above 5 000 points (statsmodels' advice for speed), else 0.
    """
    import pandas as pd

    finite = np.isfinite(y)
    if method == "rolling":
        out = pd.Series(y).rolling(int(window), center=True, min_periods=1).mean().to_numpy()
    elif method == "ewm":
        out = pd.Series(y).ewm(span=float(window)).mean().to_numpy()
    else:
        out = np.full(len(y), np.nan)
        xf, yf = x[finite].astype(float), y[finite]
        if len(yf) < 3:
            out[finite] = yf
        else:
            from statsmodels.nonparametric.smoothers_lowess import lowess

            frac = 2 / 3 if window is None else min(1.0, window / len(yf))
            delta = 0.01 * float(xf[-1] - xf[0]) if len(yf) > 5000 else 0.0
            out[finite] = lowess(yf, xf - xf[0], frac=frac, it=3, delta=delta, return_sorted=False)
    out = np.array(out, dtype=float)  # a writable copy
    out[~finite] = np.nan
    return out


# ---------------------------------------------------------------- interpolation
def dense_curve(x, y, method: str, per_interval: int):
    """A dense curve through the finite points of each run, and where the original points are in it.

    ``x`` is strictly increasing. Each run of finite ``y`` is interpolated on its
    own (gaps stay gaps): ``"pchip"`` (scipy's PchipInterpolator, monotone
    between neighbours, so it never overshoots them) or ``"spline"`` (a natural
    cubic spline, smooth but free to overshoot); each interval gets
    ``per_interval`` pieces. Returns ``(x_dense, y_dense, original_positions)``;
    runs are separated by a NaN point.
    """
    from scipy.interpolate import CubicSpline, PchipInterpolator

    xs, ys, marks = [], [], []
    offset = 0
    starts, stops = finite_runs(np.isfinite(y))
    steps = np.arange(per_interval) / per_interval
    for start, stop in zip(starts, stops, strict=True):
        xr = x[start:stop].astype(float)
        yr = y[start:stop]
        distinct = np.concatenate([[True], np.diff(xr) > 0])  # x that coincide in floating point: keep one
        xr, yr = xr[distinct], yr[distinct]
        if len(xr) == 1:
            xd, yd, mark = xr, yr, np.array([0])
        else:
            xd = np.append((xr[:-1, None] + np.diff(xr)[:, None] * steps).ravel(), xr[-1])
            if method == "pchip":
                yd = PchipInterpolator(xr, yr)(xd)
            elif len(xr) >= 3:
                yd = CubicSpline(xr, yr, bc_type="natural")(xd)
            else:
                yd = np.interp(xd, xr, yr)
            mark = np.arange(len(xr)) * per_interval
        if xs:
            xs.append([xd[0]])
            ys.append([np.nan])
            offset += 1
        xs.append(xd)
        ys.append(yd)
        marks.append(mark + offset)
        offset += len(xd)
    if not xs:
        return np.array([], dtype=float), np.array([], dtype=float), np.array([], dtype=np.intp)
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(marks)


# ---------------------------------------------------------------- decimation
def decimate(x, arrays, n_out: int):
    """Indices of the points to draw so that each array keeps its min and max per x bin.

    ``x`` is sorted; ``arrays`` are the y-like arrays drawn at ``x`` (the line, its
    smooth, its band bounds). Each array is decimated with tsdownsample's
    ``MinMaxDownsampler`` over its finite points (``n_out / 2`` equal-width bins
    of ``x``, the min and the max of each kept, so no spike is lost), and the ends
    of every run of finite values plus the first NaN after each run are kept too,
    so gaps and isolated points survive. The union of the indices is returned.
    """
    from tsdownsample import MinMaxDownsampler

    sampler = MinMaxDownsampler()
    keep = []
    for values in arrays:
        if math.isfinite(values.sum()):  # no NaN: one run, no mask needed
            keep += [np.array([0, len(values) - 1], dtype=np.intp),
                     sampler.downsample(x, values, n_out=n_out).astype(np.intp)]
            continue
        finite = np.isfinite(values)
        starts, stops = finite_runs(finite)
        keep += [starts, stops - 1, stops[stops < len(values)]]
        if finite.any():
            where = np.flatnonzero(finite)
            keep.append(where[sampler.downsample(x[where], values[where], n_out=n_out).astype(np.intp)])
    return np.unique(np.concatenate(keep))
