"""Box plots: quartiles, whiskers and outliers of the values in each category and hue level.

The numbers are Matplotlib's :func:`matplotlib.cbook.boxplot_stats` (quartiles
by :func:`numpy.percentile`, whiskers to the furthest value within 1.5 IQR of
the box), computed before drawing and kept as ``plotted_data``.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import check_number
from vizkit._core.display import Display
from vizkit.charts.distributions import _categorical, _input

__all__ = ["box", "BoxDisplay"]

FLIER_SIZE = 3.0
LINE_WIDTH = 1.0


class BoxDisplay(Display):
    """Computed boxes, one per (category, hue level) that has values.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per box: ``group`` (the category, with one), ``hue`` (with
        hue), ``n``, ``q1``, ``median``, ``q3``, ``whislo``, ``whishi``,
        ``mean``, ``outliers`` (how many points lie past the whiskers),
        ``position`` and ``width`` on the category axis.
    outliers_ : pandas.DataFrame
        One row per point past the whiskers: ``group``, ``hue``, ``value``.
    """

    _chart = "box"

    def __init__(self, table, outliers, *, sample, whis):
        self.table = table
        self.outliers_ = outliers
        self._sample, self._whis = sample, whis

    @classmethod
    def from_data(cls, data=None, *, x=None, y=None, hue=None, orient=None, whis=1.5):
        """Check the input and compute each box's numbers; see :func:`box` for the parameters."""
        import pandas as pd
        from matplotlib.cbook import boxplot_stats

        whis = check_number("whis", whis, low=0)
        sample = _categorical.categorical_sample(data, x=x, y=y, hue=hue, orient=orient, chart="box plot")
        rows, outliers = [], []
        for g, group, h, level, values in sample.by_group_and_level():
            if not len(values):
                continue
            found = boxplot_stats(values, whis=whis)[0]
            position, width = _categorical.slots(len(sample.levels), g, h)
            rows.append({"group": group, "hue": level, "n": len(values), "q1": found["q1"], "median": found["med"],
                         "q3": found["q3"], "whislo": found["whislo"], "whishi": found["whishi"],
                         "mean": found["mean"], "outliers": len(found["fliers"]), "position": position,
                         "width": width})
            outliers += [{"group": group, "hue": level, "value": v} for v in found["fliers"]]
        table = pd.DataFrame(rows)
        outliers = pd.DataFrame(outliers, columns=["group", "hue", "value"])
        table, outliers = _input.without_unused_roles(sample, table, outliers)
        table.attrs.update(dropped=sample.dropped, whis=whis, outliers=outliers)
        return cls(table, outliers, sample=sample, whis=whis)

    def _plotted_data(self):
        return self.table

    def _draw(self, ax, palette=None, color=None):
        from vizkit.themes import ink

        sample = self._sample
        colors = _input.level_colors(sample, palette, color)
        line = ink(ax)
        artists = {}
        for level, color in colors.items():
            rows = self.table if not sample.has_hue else self.table[self.table["hue"] == level]
            if rows.empty:
                continue
            stats = [{"q1": r.q1, "med": r.median, "q3": r.q3, "whislo": r.whislo, "whishi": r.whishi,
                      "fliers": _fliers(self.outliers_, r, sample)} for r in rows.itertuples()]
            artists[str(level) if sample.has_hue else "box"] = ax.bxp(
                stats, positions=rows["position"].to_numpy(), widths=rows["width"].to_numpy(),
                orientation="vertical" if sample.orient == "y" else "horizontal", patch_artist=True,
                manage_ticks=False, boxprops={"facecolor": color, "edgecolor": line, "linewidth": LINE_WIDTH},
                medianprops={"color": line, "linewidth": LINE_WIDTH * 1.5},
                whiskerprops={"color": line, "linewidth": LINE_WIDTH}, capprops={"color": line, "linewidth": 0},
                flierprops={"marker": "o", "markersize": FLIER_SIZE, "markerfacecolor": color,
                            "markeredgecolor": line, "markeredgewidth": 0.5, "linestyle": "none"})
        _categorical.dress_category_axis(ax, sample)
        legend = _input.legend(ax, colors, sample.names.get("hue"), patch=True)
        if legend is not None:
            artists["legend"] = legend
        return artists


def _fliers(outliers, row, sample) -> np.ndarray:
    """The outlying values of the box in ``row``."""
    keep = np.ones(len(outliers), bool)
    if sample.group_codes is not None:
        keep &= (outliers["group"] == row.group).to_numpy()
    if sample.has_hue:
        keep &= (outliers["hue"] == row.hue).to_numpy()
    return outliers.loc[keep, "value"].to_numpy()


def box(data=None, *, x=None, y=None, hue=None, orient=None, whis=1.5, palette=None, color=None, ax=None):
    """Draw box plots of numeric values per category (and per ``hue`` level, side by side).

    Parameters
    ----------
    data : DataFrame or mapping, optional
        Tidy data; ``x``, ``y`` and ``hue`` name its columns (or are vectors).
    x, y : column name or vector
        One holds numbers (the values), the other categories: ``x``
        categorical and ``y`` numeric draws vertical boxes, the reverse
        horizontal ones (first category at the top). When both are numeric,
        ``x`` is read as categories (years, epochs). With only one, a single
        box. Missing values are dropped (``attrs["dropped"]``).
    hue : column name or vector, optional
        A box per level within each category, side by side.
    orient : {"v", "h"}, optional
        Force vertical boxes (values on ``y``) or horizontal (values on ``x``).
    whis : float
        Whiskers reach the furthest value within ``whis`` times the
        interquartile range of the box; values past them are drawn as points.
    palette : palette name, list of colours or dict, optional
        Colours of the hue levels.
    color : colour, optional
        The boxes' colour without hue (default the colour cycle's first).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` is :attr:`BoxDisplay.table`: one row per
        box with ``n``, ``q1``, ``median``, ``q3``, ``whislo``, ``whishi``,
        ``mean``, ``outliers``, ``position``, ``width``; the outlying points
        are ``attrs["outliers"]``.

    See Also
    --------
    vizkit.violin : the whole density in each category.
    seaborn.boxplot : the same chart.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> import vizkit as vk
    >>> penguins = vk.load_dataset("penguins")
    >>> fig, ax = plt.subplots()
    >>> ax = vk.box(penguins, x="species", y="body_mass_g")
    >>> drawn = vk.plotted_data(ax)
    >>> drawn[["group", "n", "median"]]
           group    n  median
    0     Adelie  151  3700.0
    1     Gentoo  123  5000.0
    2  Chinstrap   68  3700.0
    >>> adelie = penguins.loc[penguins["species"] == "Adelie", "body_mass_g"].dropna()
    >>> bool(np.allclose(drawn.loc[0, ["q1", "q3"]].astype(float), np.percentile(adelie, [25, 75])))
    True
    >>> plt.close(fig)
    """
    display = BoxDisplay.from_data(data, x=x, y=y, hue=hue, orient=orient, whis=whis)
    return display.plot(ax=ax, palette=palette, color=color).ax_
