"""Violin plots: each category's density, mirrored, with its quartiles inside.

The densities are the same estimate as :func:`vizkit.kde` (SciPy's Gaussian
KDE, Scott's bandwidth times ``bw_adjust``), reaching ``cut`` bandwidths past
the data (2, as in seaborn); the quartiles are :func:`numpy.percentile`'s.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_value, check_choice
from vizkit._core.display import Display
from vizkit._core.errors import user_warning
from vizkit.charts.distributions import _categorical, _estimate, _input

__all__ = ["violin", "ViolinDisplay"]

DENSITY_NORMS = ("area", "width", "count")
INNERS = ("box", "quart", None)
LINE_WIDTH = 1.0


def _half_widths(curves, width, density_norm):
    """Each violin's half-width along its grid: its density scaled so the widest violin fills its slot."""
    peaks = np.array([c["density"].max() for c in curves])
    counts = np.array([c["n"] for c in curves], dtype=float)
    if density_norm == "area":  # one scale for all: equal areas, the most peaked is widest
        scale = np.full(len(curves), 1 / peaks.max())
    elif density_norm == "width":  # each as wide as its slot
        scale = 1 / peaks
    else:  # areas in proportion to the number of values
        scale = counts / (counts * peaks).max()
    return [c["density"] * s * width / 2 for c, s in zip(curves, scale, strict=True)]


class ViolinDisplay(Display):
    """Computed violins, one per (category, hue level) with at least 2 distinct values.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per violin: ``group``, ``hue`` (when given), ``n``, ``q1``,
        ``median``, ``q3``, ``bandwidth``, ``position``, ``width``.
    curves_ : pandas.DataFrame
        The drawn outlines: ``group``, ``hue``, ``value``, ``density`` and
        ``half_width`` (in category-axis units) per evaluation point, and
        ``violin``, the row of :attr:`table` it outlines.
    """

    _chart = "violin"

    def __init__(self, table, curves, *, sample, inner):
        self.table = table
        self.curves_ = curves
        self._sample, self._inner = sample, inner

    @classmethod
    def from_data(cls, data=None, *, x=None, y=None, hue=None, orient=None, bw_adjust=1.0, cut=2.0,
                  density_norm="area", inner="box"):
        """Check the input and estimate each violin; see :func:`violin` for the parameters."""
        import pandas as pd

        spec = _estimate.KDESpec.check(bw_adjust=bw_adjust, cut=cut, gridsize=100)
        density_norm = check_choice("density_norm", density_norm, DENSITY_NORMS)
        inner = check_choice("inner", inner, INNERS)
        sample = _categorical.categorical_sample(data, x=x, y=y, hue=hue, orient=orient, chart="violin plot")
        curves = []
        for g, group, h, level, values in sample.by_group_and_level():
            if not len(values):
                continue
            curve = _estimate.density_curve(values, spec)
            if curve is None:
                user_warning(_estimate.no_spread("the violin of", _cell(sample, group, level)))
                continue
            position, width = _categorical.slots(len(sample.levels), g, h)
            q1, median, q3 = np.percentile(values, [25, 50, 75])
            curves.append({"group": group, "hue": level, "n": len(values), "q1": q1, "median": median, "q3": q3,
                           "bandwidth": curve[2], "position": position, "width": width,
                           "value": curve[0], "density": curve[1]})
        if not curves:
            raise bad_value("data", "at least one category with 2 distinct values (a violin is a density)", data,
                            got="none")
        half = _half_widths(curves, _categorical.SLOT / len(sample.levels) * _categorical.GAP, density_norm)
        summary = pd.DataFrame([{k: v for k, v in c.items() if k not in ("value", "density")} for c in curves])
        outlines = pd.concat([pd.DataFrame({"violin": i, "group": c["group"], "hue": c["hue"], "value": c["value"],
                                            "density": c["density"], "half_width": w})
                              for i, (c, w) in enumerate(zip(curves, half, strict=True))], ignore_index=True)
        summary, outlines = _input.without_unused_roles(sample, summary, outlines)
        summary.attrs.update(dropped=sample.dropped, density_norm=density_norm, curves=outlines)
        return cls(summary, outlines, sample=sample, inner=inner)

    def _plotted_data(self):
        return self.table

    def _draw(self, ax, palette=None, color=None):
        from vizkit.themes import ink

        sample = self._sample
        colors = _input.level_colors(sample, palette, color)
        line = ink(ax)
        artists = {}
        outlines = dict(list(self.curves_.groupby("violin")))
        for i, row in enumerate(self.table.itertuples()):
            outline = outlines[i]
            grid, half = outline["value"].to_numpy(), outline["half_width"].to_numpy()
            between = ax.fill_betweenx if sample.orient == "y" else ax.fill_between
            level = row.hue if sample.has_hue else None
            artists[f"violin {i}"] = between(grid, row.position - half, row.position + half, facecolor=colors[level],
                                             edgecolor=line, linewidth=LINE_WIDTH)
            if self._inner is not None:
                _inner(ax, row, sample.orient, self._inner, line, half.max())
        _categorical.dress_category_axis(ax, sample)
        legend = _input.legend(ax, colors, sample.names.get("hue"), patch=True)
        if legend is not None:
            artists["legend"] = legend
        return artists


def _cell(sample, group, level) -> str:
    parts = [str(p) for p, used in ((group, sample.group_codes is not None), (level, sample.has_hue)) if used]
    return " / ".join(parts) or "the values"


def _inner(ax, row, orient, inner, line, half_max):
    """Inside a violin: a thin box from q1 to q3 with the median as a light dot, or the three quartiles as lines."""
    def segment(low, high, at, **kws):
        points = ([at, at], [low, high]) if orient == "y" else ([low, high], [at, at])
        ax.plot(*points, **kws)

    if inner == "box":
        segment(row.q1, row.q3, row.position, color=line, linewidth=4, solid_capstyle="butt")
        point = (row.position, row.median) if orient == "y" else (row.median, row.position)
        ax.plot(*point, marker="o", markersize=4, color=ax.get_facecolor(), markeredgecolor=line,
                markeredgewidth=0.8, zorder=4)
        return
    across = [row.position - half_max * 0.6, row.position + half_max * 0.6]
    for value, style in ((row.q1, ":"), (row.median, "--"), (row.q3, ":")):
        points = (across, [value, value])
        ax.plot(*(points if orient == "y" else points[::-1]), color=line, linewidth=LINE_WIDTH, linestyle=style)


def violin(data=None, *, x=None, y=None, hue=None, orient=None, bw_adjust=1.0, cut=2.0, density_norm="area",
           inner="box", palette=None, color=None, ax=None):
    """Draw violin plots: the density of numeric values per category (and ``hue`` level, side by side).

    Parameters
    ----------
    data : DataFrame or mapping, optional
        Tidy data; ``x``, ``y`` and ``hue`` name its columns (or are vectors).
    x, y : column name or vector
        One holds numbers, the other categories, as in :func:`vizkit.box`
        (``x`` categorical and ``y`` numeric: vertical violins). Missing
        values are dropped (``attrs["dropped"]``).
    hue : column name or vector, optional
        A violin per level within each category, side by side.
    orient : {"v", "h"}, optional
        Force vertical violins (values on ``y``) or horizontal ones.
    bw_adjust, cut : float
        The density's bandwidth factor and how far past the data it reaches
        (in bandwidths), as in :func:`vizkit.kde`.
    density_norm : {"area", "width", "count"}
        How the widths compare: every violin the same area (a peaked one is
        wider), every violin as wide as its slot, or areas in proportion to
        the number of values.
    inner : {"box", "quart", None}
        Inside each violin: a thin box from the first to the third quartile
        with the median as a dot, the three quartiles as lines, or nothing.
    palette : palette name, list of colours or dict, optional
        Colours of the hue levels.
    color : colour, optional
        The violins' colour without hue.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` is :attr:`ViolinDisplay.table` (one row
        per violin); ``attrs["curves"]`` holds the drawn outlines.

    See Also
    --------
    vizkit.box, vizkit.kde, vizkit.ridgeline, seaborn.violinplot

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> penguins = vk.load_dataset("penguins")
    >>> fig, ax = plt.subplots()
    >>> ax = vk.violin(penguins, x="species", y="flipper_length_mm", hue="sex")
    >>> drawn = vk.plotted_data(ax)
    >>> drawn[["group", "hue", "n", "median"]].head(2)
        group     hue   n  median
    0  Adelie    male  73   193.0
    1  Adelie  female  73   188.0
    >>> plt.close(fig)
    """
    display = ViolinDisplay.from_data(data, x=x, y=y, hue=hue, orient=orient, bw_adjust=bw_adjust, cut=cut,
                                      density_norm=density_norm, inner=inner)
    return display.plot(ax=ax, palette=palette, color=color).ax_
