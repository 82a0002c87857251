"""Kernel density estimates: a smooth curve per hue level, SciPy's Gaussian KDE sized as seaborn sizes it."""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type
from vizkit._core.display import Display
from vizkit._core.errors import user_warning
from vizkit._core.kwargs import ArtistKws, check_artist_kws
from vizkit.charts.distributions import _estimate, _input

__all__ = ["kde", "KDEDisplay"]

FILL_ALPHA = 0.25


class KDEDisplay(Display):
    """Computed density curves, one per hue level.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per evaluation point: ``hue`` (with hue), ``value`` and
        ``density`` (scaled by the level's share of the values when
        ``common_norm``, so the curves' areas sum to 1 together).
    bandwidths_ : dict
        The Gaussian kernel's standard deviation per level (None without hue).
    skipped_ : list
        Levels without a curve (fewer than 2 distinct values).
    """

    _chart = "kde"

    def __init__(self, table, bandwidths, *, sample, skipped, fill):
        self.table = table
        self.bandwidths_ = bandwidths
        self.skipped_ = skipped
        self._sample, self._fill = sample, fill

    @classmethod
    def from_data(cls, data=None, *, x=None, y=None, hue=None, bw_adjust=1.0, cut=3.0, gridsize=200,
                  common_norm=True, fill=False):
        """Check the input and estimate each level's density; see :func:`kde` for the parameters."""
        import pandas as pd

        spec = _estimate.KDESpec.check(bw_adjust=bw_adjust, cut=cut, gridsize=gridsize)
        fill = _estimate.check_fill(fill)
        if not isinstance(common_norm, (bool, np.bool_)):
            raise bad_type("common_norm", "True or False", common_norm)
        sample = _input.sample(data, x=x, y=y, hue=hue, chart="density")
        frames, bandwidths, skipped = [], {}, []
        for level, values in sample.by_level():
            curve = _estimate.density_curve(values, spec)
            if curve is None:
                skipped.append(level)
                continue
            grid, density, bandwidths[level] = curve
            share = len(values) / len(sample.values) if common_norm else 1.0
            frames.append(pd.DataFrame({"hue": level, "value": grid, "density": density * share}))
        for level in skipped:
            user_warning(_estimate.no_spread("`hue` level", level) if sample.has_hue
                         else f"`{sample.orient}` has fewer than 2 distinct values: no density is drawn")
        empty = pd.DataFrame({"hue": pd.Series(dtype=object), "value": pd.Series(dtype=float),
                              "density": pd.Series(dtype=float)})
        table = pd.concat(frames, ignore_index=True) if frames else empty
        if not sample.has_hue:
            table = table.drop(columns="hue")
        table.attrs.update(bandwidth=bandwidths, dropped=sample.dropped, skipped=skipped,
                           common_norm=bool(common_norm), bw_adjust=spec.bw_adjust, cut=spec.cut)
        return cls(table, bandwidths, sample=sample, skipped=skipped, fill=fill)

    def _plotted_data(self):
        return self.table

    def _draw(self, ax, palette=None, **kwargs):
        from matplotlib.lines import Line2D

        sample = self._sample
        kwargs = check_artist_kws(kwargs, ArtistKws(Line2D, reserved=_input.hue_reserved(sample.has_hue)))
        colors = _input.level_colors(sample, palette, kwargs.pop("color", None))
        artists = {}
        for level, color in colors.items():
            if level in self.skipped_:
                continue
            rows = self.table if not sample.has_hue else self.table[self.table["hue"] == level]
            artists[str(level) if sample.has_hue else "kde"] = draw_curve(
                ax, rows["value"].to_numpy(), rows["density"].to_numpy(), color, sample.orient,
                fill=self._fill, kwargs=kwargs)
        _input.label_axes(ax, sample, "density")
        legend = _input.legend(ax, colors, sample.names.get("hue"), patch=self._fill, alpha=FILL_ALPHA)
        if legend is not None:
            artists["legend"] = legend
        return artists


def draw_curve(ax, grid, density, color, orient, *, fill, kwargs, baseline=0.0):
    """A density line over ``grid`` (along ``orient``'s axis), filled faintly down to ``baseline`` when asked."""
    kws = {"color": color, "linewidth": 1.5} | kwargs
    drawn = []
    if fill:
        between = ax.fill_between if orient == "x" else ax.fill_betweenx
        drawn.append(between(grid, baseline, density, color=color, alpha=FILL_ALPHA, linewidth=0))
    points = (grid, density) if orient == "x" else (density, grid)
    drawn += ax.plot(*points, **kws)
    return drawn


def kde(data=None, *, x=None, y=None, hue=None, bw_adjust=1.0, cut=3.0, fill=False, common_norm=True, gridsize=200,
        palette=None, ax=None, **kwargs):
    """Draw a kernel density estimate of ``x`` (or ``y``), one curve per ``hue`` level.

    The density is :class:`scipy.stats.gaussian_kde` with Scott's bandwidth
    times ``bw_adjust``, evaluated on ``gridsize`` points (as seaborn's
    ``kdeplot``).

    Parameters
    ----------
    data : DataFrame, mapping, Series or 1-D array, optional
        Tidy data; ``x``, ``y`` and ``hue`` name its columns (or are vectors).
        A Series or 1-D array without ``x`` and ``y`` is the values themselves.
    x, y : column name or vector
        The numeric values, along the x axis or the y axis; give exactly one.
        Missing values are dropped (``attrs["dropped"]``).
    hue : column name or vector, optional
        One curve per level. A level with fewer than 2 distinct values has no
        density: it is skipped with a warning.
    bw_adjust : float
        Multiplies the bandwidth: below 1 follows the data more closely, above
        1 smooths more.
    cut : float
        How far past the smallest and largest value the curve reaches, in
        bandwidths (0: not past the data).
    fill : bool
        Fill under each curve (faintly, so overlapping levels show through).
    common_norm : bool
        With ``hue``: scale each level's curve by its share of the values, so
        that the areas sum to 1 (seaborn's default); False gives each level
        an area of 1, to compare shapes rather than counts.
    gridsize : int
        Evaluation points per curve.
    palette : palette name, list of colours or dict, optional
        Colours of the hue levels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to ``Axes.plot`` for each curve (checked first): ``linewidth``,
        ``linestyle``, ``color`` (without hue) ...

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` is :attr:`KDEDisplay.table` (``value``,
        ``density`` per evaluation point); ``.attrs`` holds ``bandwidth`` (per
        level), ``dropped`` and ``skipped``.

    See Also
    --------
    vizkit.hist, vizkit.ridgeline, seaborn.kdeplot

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from scipy.stats import gaussian_kde
    >>> import vizkit as vk
    >>> penguins = vk.load_dataset("penguins")
    >>> fig, ax = plt.subplots()
    >>> ax = vk.kde(penguins, x="body_mass_g", fill=True)
    >>> drawn = vk.plotted_data(ax)
    >>> reference = gaussian_kde(penguins["body_mass_g"].dropna())(drawn["value"])
    >>> bool(np.allclose(drawn["density"], reference))
    True
    >>> plt.close(fig)
    """
    display = KDEDisplay.from_data(data, x=x, y=y, hue=hue, bw_adjust=bw_adjust, cut=cut, gridsize=gridsize,
                                   common_norm=common_norm, fill=fill)
    return display.plot(ax=ax, palette=palette, **kwargs).ax_
