"""Histograms: counts of values per bin, by hue level layered, stacked or dodged.

The bins are NumPy's (:func:`numpy.histogram_bin_edges`: a number of bins,
the edges, or a rule name such as ``"fd"``), shared by every hue level, and
the counts are :func:`numpy.histogram`'s, so a chart and ``np.histogram`` of
the same values agree bin for bin.
"""

from __future__ import annotations

import numbers

import numpy as np

from vizkit._core import bad_type, bad_value, check_choice
from vizkit._core.display import Display
from vizkit._core.errors import user_warning
from vizkit._core.kwargs import ArtistKws, check_artist_kws
from vizkit.charts.distributions import _input

__all__ = ["hist", "HistogramDisplay"]

#: The rule names of :func:`numpy.histogram_bin_edges`.
BIN_RULES = ("auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")
#: More bins than this is a mistake (a rule on data with a tiny spread and a huge range), not a histogram.
MAX_BINS = 10_000
STATS = ("count", "density", "probability", "percent")
MULTIPLES = ("layer", "stack", "dodge")
ELEMENTS = ("bars", "step")
LAYER_ALPHA = 0.5  # bars of several hue levels drawn over each other
STEP_ALPHA = 0.25  # the fill under a step outline
EDGE_BINS = 60  # up to this many bins, bars get a thin outline in the face colour


def check_bins(bins):
    """A rule name, a number of bins, or edges as a float array (1-D, at least 2, finite, increasing)."""
    if isinstance(bins, str):
        return check_choice("bins", bins, BIN_RULES)
    if isinstance(bins, numbers.Integral) and not isinstance(bins, (bool, np.bool_)):
        if not 1 <= bins <= MAX_BINS:
            raise bad_value("bins", f"a number of bins from 1 to {MAX_BINS}", bins)
        return int(bins)
    expected = f"a number of bins, a rule name ({', '.join(map(repr, BIN_RULES))}) or increasing bin edges"
    if isinstance(bins, (numbers.Number, bool, np.bool_)) or not hasattr(bins, "__len__"):
        raise bad_type("bins", expected, bins)
    try:
        edges = np.asarray(bins, dtype=float)
    except (TypeError, ValueError):
        raise bad_type("bins", expected, bins) from None
    if edges.ndim != 1 or len(edges) < 2 or not np.isfinite(edges).all() or (np.diff(edges) <= 0).any():
        raise bad_value("bins", "bin edges: at least two finite numbers, strictly increasing", bins)
    if len(edges) - 1 > MAX_BINS:
        raise bad_value("bins", f"at most {MAX_BINS} bins", bins, got=f"{len(edges) - 1} bins")
    return edges


def _rule_bins(values, rule: str) -> int | None:
    """How many bins NumPy's ``rule`` gives ``values`` (None when that cannot be known beforehand)."""
    try:  # NumPy's own rules, by name: each returns a bin width
        from numpy.lib._histograms_impl import _hist_bin_selectors
    except ImportError:  # pragma: no cover - a NumPy that moved them: no check, NumPy decides
        return None
    low, high = float(values.min()), float(values.max())
    width = _hist_bin_selectors[rule](values, (low, high))
    return int(np.ceil((high - low) / width)) if width > 0 and high > low else None


def edges_for(values, bins) -> np.ndarray:
    """The bin edges ``np.histogram_bin_edges`` gives ``values`` for ``bins``, refused past ``MAX_BINS`` bins."""
    if isinstance(bins, np.ndarray):
        return bins
    n_bins = _rule_bins(values, bins) if isinstance(bins, str) else None
    if n_bins is not None and n_bins > MAX_BINS:
        raise bad_value("bins", f"a rule or number giving at most {MAX_BINS} bins", bins,
                        got=f"{bins!r}, which gives {n_bins} bins for these values (a narrow bulk and a wide range)",
                        hint="Pass a number of bins or the edges.")
    return np.histogram_bin_edges(values, bins=bins)


def _edges_and_counts(sample, bins):
    """The shared bin edges and each hue level's counts (one row per level), as ``np.histogram`` gives them."""
    given = isinstance(bins, np.ndarray)
    edges = edges_for(sample.values, bins)
    # Equal-width bins take NumPy's fast path (a range and a count), exactly as np.histogram(values, bins=rule).
    span = {"bins": edges} if given else {"bins": len(edges) - 1, "range": (edges[0], edges[-1])}
    counts = np.array([np.histogram(values, **span)[0] for _, values in sample.by_level()], dtype=float)
    return edges, counts


def _stat(counts, edges, stat, common_norm):
    """The drawn height of each bin from its count: count, density, probability or percent."""
    if stat == "count":
        return counts
    totals = counts.sum() if common_norm else counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, counts / np.where(totals > 0, totals, 1), 0.0)
    if stat == "density":
        return share / np.diff(edges)
    return share * (100.0 if stat == "percent" else 1.0)


def _layout(heights, edges, multiple):
    """Each bar's ``left``/``right`` along the values and ``base``/``top`` along the statistic, per level."""
    n_levels = len(heights)
    left = np.broadcast_to(edges[:-1], heights.shape).astype(float)
    right = np.broadcast_to(edges[1:], heights.shape).astype(float)
    base = np.zeros_like(heights)
    if multiple == "stack":
        base = np.vstack([np.zeros(heights.shape[1]), np.cumsum(heights, axis=0)[:-1]])
    elif multiple == "dodge":
        width = (right - left) / n_levels
        left = left + np.arange(n_levels)[:, None] * width
        right = left + width
    return left, right, base


class HistogramDisplay(Display):
    """A computed histogram: shared bin edges, counts and drawn heights per hue level.

    Build it with :meth:`from_data` (computes, draws nothing); :func:`hist`
    is ``HistogramDisplay.from_data(...).plot(ax)``.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (hue level, bin): ``hue`` (with hue), ``start``/``end``
        (the bin's edges), ``count``, ``value`` (the statistic drawn),
        ``left``/``right`` (the bar's extent along the values; narrower than
        the bin when dodged) and ``base``/``top`` (along the statistic).
    edges_ : numpy.ndarray
        The bin edges, shared by every level.
    n_ : int
        How many values were counted (missing values are not).
    dropped_ : int
        Rows left out for a missing value (or hue).
    """

    _chart = "hist"

    def __init__(self, table, edges, *, sample, options):
        self.table = table
        self.edges_ = edges
        self.n_ = int(len(sample.values))
        self.dropped_ = sample.dropped
        self._sample, self._options = sample, options

    @classmethod
    def from_data(cls, data=None, *, x=None, y=None, hue=None, bins="auto", stat="count", multiple="layer",
                  element="bars", common_norm=True):
        """Check the input and count the values per bin; see :func:`hist` for the parameters."""
        import pandas as pd

        options = {"bins": check_bins(bins), "stat": check_choice("stat", stat, STATS),
                   "multiple": check_choice("multiple", multiple, MULTIPLES),
                   "element": check_choice("element", element, ELEMENTS)}
        if not isinstance(common_norm, (bool, np.bool_)):
            raise bad_type("common_norm", "True or False", common_norm)
        if options["element"] == "step" and options["multiple"] == "dodge":
            raise bad_value("element", "'bars' with multiple='dodge' (dodged steps would overlap)", element)
        sample = _input.sample(data, x=x, y=y, hue=hue, chart="histogram")
        edges, counts = _edges_and_counts(sample, options["bins"])
        heights = _stat(counts, edges, options["stat"], bool(common_norm))
        left, right, base = _layout(heights, edges, options["multiple"])
        n_bins = len(edges) - 1
        table = pd.DataFrame({
            "hue": np.repeat(np.array(sample.levels, dtype=object), n_bins),
            "start": np.tile(edges[:-1], len(counts)), "end": np.tile(edges[1:], len(counts)),
            "count": counts.ravel().astype(np.int64), "value": heights.ravel(),
            "left": left.ravel(), "right": right.ravel(), "base": base.ravel(), "top": (base + heights).ravel(),
        })
        if not sample.has_hue:
            table = table.drop(columns="hue")
        outside = int(sample.values.size - counts.sum())
        if outside:
            user_warning(f"{outside} of {sample.values.size} values lie outside the bin edges "
                         f"[{edges[0]:g}, {edges[-1]:g}] and are not counted")
        table.attrs.update(edges=edges.tolist(), stat=options["stat"], multiple=options["multiple"],
                           element=options["element"], dropped=sample.dropped, outside=outside,
                           common_norm=bool(common_norm))
        return cls(table, edges, sample=sample, options=options)

    def _plotted_data(self):
        return self.table

    def _draw(self, ax, palette=None, **kwargs):
        sample, options = self._sample, self._options
        bars = options["element"] == "bars"
        kwargs = check_artist_kws(kwargs, _kws_target(sample.has_hue))
        colors = _input.level_colors(sample, palette, kwargs.pop("color", None))
        layered = sample.has_hue and options["multiple"] == "layer"
        n_bins = len(self.edges_) - 1
        artists = {}
        for i, (level, color) in enumerate(colors.items()):
            rows = self.table.iloc[i * n_bins:(i + 1) * n_bins]
            draw = _bars if bars else _steps
            artists[str(level) if sample.has_hue else "hist"] = draw(ax, rows, color, sample.orient, layered,
                                                                     n_bins, kwargs)
        _input.label_axes(ax, sample, _STAT_LABELS[options["stat"]])
        legend = _input.legend(ax, colors, sample.names.get("hue"), patch=True,
                               alpha=(LAYER_ALPHA if layered else 1.0) if bars else STEP_ALPHA,
                               reverse=options["multiple"] == "stack" and sample.orient == "x")
        if legend is not None:
            artists["legend"] = legend
        return artists


_STAT_LABELS = {"count": "count", "density": "density", "probability": "proportion", "percent": "percent"}


def _kws_target(has_hue: bool) -> ArtistKws:
    """Bars and steps are both patches: the keywords are checked as a Rectangle's properties."""
    from matplotlib.patches import Rectangle

    reserved = _input.hue_reserved(has_hue)
    return ArtistKws(Rectangle, reserved=reserved)


def _bars(ax, rows, color, orient, layered, n_bins, kwargs):
    """One bar per bin, from ``base`` to ``top``; outlined in the face colour when there are few bins."""
    kws = {"color": color, "alpha": LAYER_ALPHA if layered else None, "align": "edge",
           "edgecolor": ax.get_facecolor() if n_bins <= EDGE_BINS and not layered else color,
           "linewidth": 0.5 if n_bins <= EDGE_BINS or layered else 0.0} | kwargs
    left, width = rows["left"].to_numpy(), (rows["right"] - rows["left"]).to_numpy()
    base, height = rows["base"].to_numpy(), (rows["top"] - rows["base"]).to_numpy()
    if orient == "x":
        return ax.bar(left, height, width=width, bottom=base, **kws)
    return ax.barh(left, height, height=width, left=base, **kws)


def _steps(ax, rows, color, orient, layered, n_bins, kwargs):
    """An outline over the bins, filled faintly (stacked levels fill from the level below)."""
    edges = np.append(rows["start"].to_numpy(), rows["end"].to_numpy()[-1])
    orientation = "vertical" if orient == "x" else "horizontal"
    fill = ax.stairs(rows["top"].to_numpy(), edges, baseline=rows["base"].to_numpy(), fill=True, color=color,
                     alpha=STEP_ALPHA, linewidth=0, orientation=orientation)
    line = ax.stairs(rows["top"].to_numpy(), edges, baseline=None, orientation=orientation,
                     **({"color": color, "linewidth": 1.5} | kwargs))
    return [fill, line]


def hist(data=None, *, x=None, y=None, hue=None, bins="auto", stat="count", multiple="layer", element="bars",
         common_norm=True, palette=None, ax=None, **kwargs):
    """Draw a histogram of ``x`` (or of ``y``, horizontally), one per ``hue`` level.

    Parameters
    ----------
    data : DataFrame, mapping, Series or 1-D array, optional
        Tidy data; ``x``, ``y`` and ``hue`` name its columns (or are vectors).
        A Series or 1-D array without ``x`` and ``y`` is the values themselves.
    x, y : column name or vector
        The numeric values, along the x axis (``x=``) or the y axis (``y=``);
        give exactly one. Missing values are dropped (``attrs["dropped"]``
        counts them); text or infinite values are refused.
    hue : column name or vector, optional
        One histogram per level, over the same bins, coloured from ``palette``.
    bins : int, str or sequence of float
        A number of equal bins over the data's range, a rule of
        :func:`numpy.histogram_bin_edges` (``"auto"``, ``"fd"``, ``"doane"``,
        ``"scott"``, ``"stone"``, ``"rice"``, ``"sturges"``, ``"sqrt"``), or
        the edges themselves (values outside them are not counted, with a
        warning). At most 10 000 bins.
    stat : {"count", "density", "probability", "percent"}
        Each bar's height: the count, the density (the bars' areas sum to 1),
        the proportion or the percent of the values in its bin.
    multiple : {"layer", "stack", "dodge"}
        With ``hue``: levels drawn over each other (half transparent), stacked
        (the top is the total), or side by side within each bin.
    element : {"bars", "step"}
        Bars, or one step outline per level over a faint fill.
    common_norm : bool
        With ``hue`` and a normalised ``stat``: normalise by every value (the
        levels' bars sum to 1 together, as in seaborn) or each level by its own.
    palette : palette name, list of colours or dict, optional
        Colours of the hue levels (default: the active colour cycle).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **kwargs
        Passed to ``Axes.bar`` (``Axes.stairs`` for steps), checked first:
        ``edgecolor``, ``linewidth``, ``alpha``, ``color`` (without hue) ...

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` is :attr:`HistogramDisplay.table`: one row
        per (hue level, bin) with ``start``, ``end``, ``count``, ``value``,
        ``left``, ``right``, ``base``, ``top``; ``.attrs`` holds ``edges``,
        ``stat``, ``multiple``, ``element``, ``dropped`` and ``outside``.

    Raises
    ------
    ColumnNotFoundError, VizkitTypeError, VizkitValueError
        A missing column, non-numeric or infinite values, no value left, bins
        that are not a count, a rule or increasing edges, an unknown option.

    See Also
    --------
    vizkit.kde, vizkit.ecdf : the same values as a smooth density or a cumulative curve.
    seaborn.histplot : the same chart.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> import vizkit as vk
    >>> penguins = vk.load_dataset("penguins")
    >>> fig, ax = plt.subplots()
    >>> ax = vk.hist(penguins, x="flipper_length_mm", hue="species", bins=20, multiple="stack")
    >>> drawn = vk.plotted_data(ax)
    >>> int(drawn["count"].sum()), drawn.attrs["dropped"]
    (342, 2)
    >>> counts, _ = np.histogram(penguins["flipper_length_mm"].dropna(), bins=20)
    >>> bool((drawn.groupby("start", sort=True)["count"].sum().to_numpy() == counts).all())
    True
    >>> plt.close(fig)
    """
    display = HistogramDisplay.from_data(data, x=x, y=y, hue=hue, bins=bins, stat=stat, multiple=multiple,
                                         element=element, common_norm=common_norm)
    return display.plot(ax=ax, palette=palette, **kwargs).ax_
