"""Empirical cumulative distributions: the share (or count) of values at or below each value, per hue level."""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type, check_choice
from vizkit._core.display import Display
from vizkit._core.kwargs import ArtistKws, check_artist_kws
from vizkit.charts.distributions import _input

__all__ = ["ecdf", "ECDFDisplay"]

STATS = ("proportion", "percent", "count")


class ECDFDisplay(Display):
    """Computed empirical distribution functions, one step curve per hue level.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per distinct value of each level: ``hue`` (with hue),
        ``value`` and ``cumulative`` (the share, percent or count of the
        level's values at or below it; above it when ``complementary``).
    n_ : dict
        The number of values per level (None without hue).
    """

    _chart = "ecdf"

    def __init__(self, table, n, *, sample, stat, complementary):
        self.table = table
        self.n_ = n
        self._sample, self._stat, self._complementary = sample, stat, complementary

    @classmethod
    def from_data(cls, data=None, *, x=None, y=None, hue=None, stat="proportion", complementary=False):
        """Check the input and compute each level's ECDF (:func:`scipy.stats.ecdf`); see :func:`ecdf`."""
        import pandas as pd
        from scipy.stats import ecdf as scipy_ecdf

        stat = check_choice("stat", stat, STATS)
        if not isinstance(complementary, (bool, np.bool_)):
            raise bad_type("complementary", "True or False", complementary)
        sample = _input.sample(data, x=x, y=y, hue=hue, chart="ECDF")
        frames, sizes = [], {}
        for level, values in sample.by_level():
            sizes[level] = len(values)
            if not len(values):
                continue
            found = scipy_ecdf(values)
            function = found.sf if complementary else found.cdf
            frames.append(pd.DataFrame({"hue": level, "value": function.quantiles,
                                        "cumulative": function.probabilities * _scale(stat, len(values))}))
        table = pd.concat(frames, ignore_index=True)
        if not sample.has_hue:
            table = table.drop(columns="hue")
        table.attrs.update(stat=stat, complementary=bool(complementary), dropped=sample.dropped, n=sizes)
        return cls(table, sizes, sample=sample, stat=stat, complementary=bool(complementary))

    def _plotted_data(self):
        return self.table

    def _draw(self, ax, palette=None, **kwargs):
        from matplotlib.lines import Line2D

        sample = self._sample
        kwargs = check_artist_kws(kwargs, ArtistKws(Line2D, reserved=_input.hue_reserved(sample.has_hue)))
        colors = _input.level_colors(sample, palette, kwargs.pop("color", None))
        artists = {}
        for level, color in colors.items():
            rows = self.table if not sample.has_hue else self.table[self.table["hue"] == level]
            if rows.empty:
                continue
            values, heights = rows["value"].to_numpy(), rows["cumulative"].to_numpy()
            # The step starts at the first value from where the curve stands before it (0, or all for the complement).
            before = _scale(self._stat, self.n_[level]) if self._complementary else 0.0
            steps = np.concatenate([[before], heights])
            where = np.concatenate([[values[0]], values])
            points = (where, steps) if sample.orient == "x" else (steps, where)
            kws = {"color": color, "linewidth": 1.5, "drawstyle": "steps-post" if sample.orient == "x"
                   else "steps-pre"} | kwargs
            artists[str(level) if sample.has_hue else "ecdf"] = ax.plot(*points, **kws)[0]
        _input.label_axes(ax, sample, self._stat + (" above" if self._complementary else ""))
        legend = _input.legend(ax, colors, sample.names.get("hue"), patch=False)
        if legend is not None:
            artists["legend"] = legend
        return artists


def _scale(stat: str, n: int) -> float:
    """What a proportion is multiplied by for ``stat``."""
    return {"proportion": 1.0, "percent": 100.0, "count": float(n)}[stat]


def ecdf(data=None, *, x=None, y=None, hue=None, stat="proportion", complementary=False, palette=None, ax=None,
         **kwargs):
    """Draw the empirical cumulative distribution of ``x`` (or ``y``), one step curve per ``hue`` level.

    Each value is a step up: nothing is binned or smoothed, so the curve
    shows every value, its median (where it crosses 0.5) and its tails.

    Parameters
    ----------
    data : DataFrame, mapping, Series or 1-D array, optional
        Tidy data; ``x``, ``y`` and ``hue`` name its columns (or are vectors).
        A Series or 1-D array without ``x`` and ``y`` is the values themselves.
    x, y : column name or vector
        The numeric values, along the x axis or the y axis; give exactly one.
        Missing values are dropped (``attrs["dropped"]``).
    hue : column name or vector, optional
        One curve per level, each over its own values.
    stat : {"proportion", "percent", "count"}
        The height: the share of the level's values at or below each value,
        the same in percent, or their number.
    complementary : bool
        Draw the share above each value instead (1 - ECDF; a survival curve).
    palette : palette name, list of colours or dict, optional
        Colours of the hue levels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to ``Axes.plot`` (checked first): ``linewidth``, ``linestyle``,
        ``color`` (without hue) ...

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` is :attr:`ECDFDisplay.table`: one row per
        distinct value of each level with ``value`` and ``cumulative``
        (:func:`scipy.stats.ecdf`'s); ``.attrs`` holds ``stat``,
        ``complementary``, ``n`` and ``dropped``.

    See Also
    --------
    vizkit.hist, vizkit.kde, seaborn.ecdfplot

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> ax = vk.ecdf({"loss": [0.3, 0.1, 0.2, 0.2]}, x="loss")
    >>> vk.plotted_data(ax)
       value  cumulative
    0    0.1        0.25
    1    0.2        0.75
    2    0.3        1.00
    >>> plt.close(fig)
    """
    display = ECDFDisplay.from_data(data, x=x, y=y, hue=hue, stat=stat, complementary=complementary)
    return display.plot(ax=ax, palette=palette, **kwargs).ax_
