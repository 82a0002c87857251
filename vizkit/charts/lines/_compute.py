"""The numbers behind :func:`vizkit.line`: aggregation, bands, gaps, interpolation.

Everything here works on plain NumPy arrays that :mod:`vizkit.charts.lines.lineplot` has
already validated: ``x`` is float64 (or int64 for datetimes), sorted within
each hue code; ``y`` is float64 with NaN marking gaps. Nothing here draws.

The bootstrap for ``band=("ci", level)`` is the library's one mean bootstrap,
:func:`vizkit._core.stats.bootstrap_mean_ci`; smoothing is
:mod:`vizkit._core.smoothing` and decimation :mod:`vizkit._core.decimation`,
shared with :func:`vizkit.curves`.
"""

from __future__ import annotations

import numpy as np

from vizkit._core.decimation import finite_runs
from vizkit._core.stats import bootstrap_mean_ci, group_estimates

__all__ = [
    "aggregate",
    "dense_curve",
    "isolated",
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
def isolated(mask):
    """Positions of True values with no True neighbour: points a plain line would hide."""
    starts, stops = finite_runs(mask)
    return starts[stops - starts == 1]


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
            # on t = (x - x0) / span in [0, 1]: both curves are the same after an affine change of x, and the
            # spline's squared intervals no longer overflow for x near +-1e300
            span = xr[-1] - xr[0]
            tr, td = (xr - xr[0]) / span, (xd - xr[0]) / span
            if not np.all(np.diff(tr) > 0):  # pragma: no cover - points that coincide once scaled: straight
                yd = np.interp(xd, xr, yr)
            elif method == "pchip":
                yd = PchipInterpolator(tr, yr)(td)
            elif len(xr) >= 3:
                yd = CubicSpline(tr, yr, bc_type="natural")(td)
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
