"""When and how a long series is cut down to the points that can be seen: min-max decimation.

One policy for every chart that draws long series (:func:`vizkit.line`,
:func:`vizkit.curves` and the dashboard): a :class:`PointBudget` says above
how many points a series is decimated and to how many; :func:`decimate`
then keeps, over ``n_out / 2`` equal-width bins of x, the minimum and the
maximum of every drawn array (tsdownsample's ``MinMaxDownsampler``), so no
spike is lost, plus the ends of every run of finite values and the first NaN
after it, so gaps and isolated points survive.

tsdownsample's ``MinMaxLTTBDownsampler`` was considered: it keeps fewer
points for the same look, but it may drop the extremes of a bin, and a
spike that disappears is what decimation must never do; min-max it stays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["DECIMATE_FACTOR", "POINTS_PER_PIXEL", "PointBudget", "decimate", "finite_runs", "minmax_indices"]

#: A series with more finite points than this many per pixel column of the figure is decimated ...
DECIMATE_FACTOR = 4
#: ... to this many points per pixel column (the min and the max of each column).
POINTS_PER_PIXEL = 2


@dataclass(frozen=True)
class PointBudget:
    """A series of more than ``above`` points is decimated to ``n_out`` (even: a min and a max per bin).

    Examples
    --------
    >>> PointBudget.for_width(640.0)
    PointBudget(above=2560.0, n_out=1280)
    >>> PointBudget.at_most(2001)
    PointBudget(above=2001, n_out=2000)
    """

    above: float
    n_out: int

    @classmethod
    def for_width(cls, width_px: float) -> PointBudget:
        """:func:`vizkit.line`'s budget: above 4 points per pixel column, down to 2 per column."""
        return cls(above=DECIMATE_FACTOR * width_px, n_out=POINTS_PER_PIXEL * math.ceil(width_px))

    @classmethod
    def at_most(cls, max_points: int) -> PointBudget:
        """:func:`vizkit.curves`' budget: at most ``max_points`` points (its ``max_points=``)."""
        return cls(above=max_points, n_out=max_points - max_points % 2)

    def exceeded(self, n_points: int) -> bool:
        """Whether a series of ``n_points`` points is decimated."""
        return n_points > self.above


def decimate(x, arrays, budget: PointBudget, *, n_points: int | None = None):
    """Indices to draw under ``budget``, or None when the series is short enough to draw whole.

    ``x`` is sorted (the bin coordinate: x itself on a linear axis);
    ``arrays`` are the y-like arrays drawn at ``x`` (a line, its smoothed
    values, its band). ``n_points`` is the series' length to judge by
    (default ``len(x)``; :func:`vizkit.line` counts the finite points).

    Examples
    --------
    >>> x = np.arange(100.0)
    >>> decimate(x, [np.sin(x)], PointBudget.at_most(200)) is None
    True
    >>> len(decimate(x, [np.sin(x)], PointBudget.at_most(20))) <= 22
    True
    """
    if not budget.exceeded(len(x) if n_points is None else n_points):
        return None
    return minmax_indices(np.asarray(x, dtype=float), [np.asarray(a, dtype=float) for a in arrays], budget.n_out)


def minmax_indices(x, arrays, n_out: int):
    """Indices of the points to draw so that each array keeps its min and max per x bin.

    Each array is decimated with tsdownsample's ``MinMaxDownsampler`` over its
    finite points (``n_out / 2`` equal-width bins of ``x``), and the ends of
    every run of finite values plus the first NaN after each run are kept too.
    The union of the indices over the arrays is returned, sorted.

    Examples
    --------
    >>> minmax_indices(np.arange(6.0), [np.array([0, 5, 1, np.nan, 2, 3.0])], 4).tolist()
    [0, 1, 2, 3, 4, 5]
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


def finite_runs(mask):
    """``(starts, stops)`` (stop exclusive) of the runs of True in a boolean array.

    Examples
    --------
    >>> [a.tolist() for a in finite_runs(np.array([True, True, False, True]))]
    [[0, 3], [2, 4]]
    """
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
