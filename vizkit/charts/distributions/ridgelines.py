"""Ridgelines: one distribution per level of an ordered variable, stacked with overlap (TensorBoard's histograms).

Each level's values get their own density (:func:`vizkit.kde`'s estimate) or
histogram (:func:`vizkit.hist`'s shared bins), every ridge on one scale, so a
taller ridge is a more concentrated distribution. Levels run from the top
(first) to the bottom (last), each drawn in front of the one above it, and
coloured along a sequential ramp because the levels are ordered.
"""

from __future__ import annotations

import math

import numpy as np

from vizkit import colors as _colors
from vizkit._core import bad_value, check_choice, check_number
from vizkit._core.display import Display
from vizkit._core.labels import label_axis, plain
from vizkit._core.errors import user_warning
from vizkit.charts.distributions import _estimate, _input
from vizkit.charts.distributions.histogram import check_bins, edges_for

__all__ = ["ridgeline", "RidgelineDisplay"]

MAX_RIDGES = 200
MAX_LABELS = 20  # past this many levels, every k-th is labelled
MIN_CONTRAST = 3.0  # every ridge's fill against the face (WCAG 1.4.11 for graphical objects)
KINDS = ("kde", "hist")


def _ramp(levels, palette, face):
    """``{level: RGB}``: a sequential ramp over the ordered levels, away from the ``face`` colour's end,
    or a categorical palette's colours."""
    from matplotlib.colors import to_rgb

    if palette is not None and not (isinstance(palette, str) and palette not in _colors.palette_names("categorical")):
        return _colors.hue_colors(levels, palette=palette, repeat_ok=True)
    samples = _colors.palette_for("palette", "vizkit_seq" if palette is None else palette, 256)
    ratios = np.array([_colors.contrast_ratio(color, to_rgb(face)) for color in samples])
    visible = np.flatnonzero(ratios >= MIN_CONTRAST)
    if len(visible) < 2:  # a colormap without enough contrast anywhere: use all of it
        visible = np.arange(len(samples))
    # from the visible end closest to the face to the one furthest from it: light to dark on white, mid to light on dark
    start, end = visible[np.argmin(ratios[visible])], visible[np.argmax(ratios[visible])]
    where = np.linspace(start, end, len(levels)) if len(levels) > 1 else [(start + end) / 2]
    return {level: samples[round(w)] for level, w in zip(levels, where, strict=True)}


def _curves(sample, kind, spec, bins):
    """Each level's (grid, height) as a density; the levels without one are returned apart."""
    curves, skipped, bandwidths = {}, [], {}
    if kind == "hist":
        edges = edges_for(sample.values, bins)
        for level, values in sample.by_level():
            if len(values):
                curves[level] = (edges, np.histogram(values, bins=edges, density=True)[0])
            else:
                skipped.append(level)
        return curves, skipped, bandwidths
    for level, values in sample.by_level():
        curve = _estimate.density_curve(values, spec)
        if curve is None:
            skipped.append(level)
        else:
            curves[level], bandwidths[level] = curve[:2], curve[2]
    return curves, skipped, bandwidths


class RidgelineDisplay(Display):
    """Computed ridges: a density (or histogram) per level of ``by``, on one shared scale.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per drawn point (per bin with ``kind="hist"``): ``by``,
        ``value``, ``density``, ``baseline`` (the ridge's level on the y axis)
        and ``top`` (where the drawn outline is: ``baseline + density *
        scale_``). With ``kind="hist"``, ``value`` is the bin's start and
        ``end`` its end.
    levels_ : list
        The levels of ``by``, top to bottom.
    scale_ : float
        Height of one unit of density, in ridge spacings.
    skipped_ : list
        Levels without a ridge (no value, or fewer than 2 distinct for a KDE).
    """

    _chart = "ridgeline"

    def __init__(self, table, levels, scale, *, sample, kind, skipped):
        self.table = table
        self.levels_ = levels
        self.scale_ = scale
        self.skipped_ = skipped
        self._sample, self._kind = sample, kind

    @classmethod
    def from_data(cls, data=None, *, x, by, kind="kde", overlap=1.0, bw_adjust=1.0, cut=2.0, bins="auto"):
        """Check the input and estimate each level's distribution; see :func:`ridgeline` for the parameters."""
        import pandas as pd

        kind = check_choice("kind", kind, KINDS)
        overlap = check_number("overlap", overlap, low=0, high=10)
        spec = _estimate.KDESpec.check(bw_adjust=bw_adjust, cut=cut)
        bins = check_bins(bins)
        if by is None:
            raise bad_value("by", "a column or vector of levels (one ridge each: epochs, months, layers)", by)
        sample = _input.sample(data, x=x, hue=by, chart="ridgeline", role="by", limit=MAX_RIDGES)
        curves, skipped, bandwidths = _curves(sample, kind, spec, bins)
        for level in skipped:
            user_warning(f"`by` level {level!r} has " + ("no values" if kind == "hist" else "fewer than 2 distinct "
                         "values") + ": no ridge is drawn for it")
        if not curves:
            raise bad_value("by", "levels with at least 2 distinct values each (a ridge is a density)", by,
                            got="no level with a density")
        peak = max(float(height.max()) for _, height in curves.values())
        scale = (1 + overlap) / peak if peak > 0 else 1.0
        n = len(sample.levels)
        frames = []
        for i, level in enumerate(sample.levels):
            if level not in curves:
                continue
            grid, height = curves[level]
            start = grid[:-1] if kind == "hist" else grid
            frame = pd.DataFrame({"by": level, "value": start, "density": height,
                                  "baseline": float(n - 1 - i), "top": n - 1 - i + height * scale})
            if kind == "hist":
                frame.insert(2, "end", grid[1:])
            frames.append(frame)
        table = pd.concat(frames, ignore_index=True)
        table.attrs.update(kind=kind, scale=scale, overlap=overlap, dropped=sample.dropped, skipped=skipped,
                           bandwidth=bandwidths)
        return cls(table, list(sample.levels), scale, sample=sample, kind=kind, skipped=skipped)

    def _plotted_data(self):
        return self.table

    def _draw(self, ax, palette=None):
        from vizkit.themes import ink

        sample = self._sample
        face, line = ax.get_facecolor(), ink(ax)
        colors = _ramp(self.levels_, palette, face)
        artists = {}
        for i, (level, rows) in enumerate(self.table.groupby("by", sort=False)):
            value, top, base = rows["value"].to_numpy(), rows["top"].to_numpy(), float(rows["baseline"].iloc[0])
            zorder = 2 + i * 0.01  # each ridge in front of the ones above it
            if self._kind == "hist":
                edges = np.append(value, rows["end"].to_numpy()[-1])
                fill = ax.stairs(top, edges, baseline=base, fill=True, color=colors[level], zorder=zorder)
                outline = ax.stairs(top, edges, baseline=None, color=face, linewidth=1.0, zorder=zorder)
            else:
                fill = ax.fill_between(value, base, top, color=colors[level], linewidth=0, zorder=zorder)
                outline = ax.plot(value, top, color=face, linewidth=1.2, zorder=zorder)[0]
            ax.plot([value[0], value[-1] if self._kind == "kde" else rows["end"].iloc[-1]], [base, base],
                    color=line, linewidth=0.6, zorder=zorder, solid_capstyle="butt")
            artists[str(level)] = (fill, outline)
        _label_levels(ax, self.levels_)
        label_axis(ax.xaxis, sample.names.get("x"))
        label_axis(ax.yaxis, sample.names.get("by"))
        ax.set_ylim(-0.1, max(len(self.levels_) - 1 + 0.2, float(self.table["top"].max()) * 1.02))
        return artists


def _label_levels(ax, levels) -> None:
    """A tick at each ridge's baseline (every k-th past ``MAX_LABELS`` levels); no horizontal grid."""
    n = len(levels)
    step = max(1, math.ceil(n / MAX_LABELS))
    shown = range(0, n, step)
    ax.set_yticks([n - 1 - i for i in shown], [plain(levels[i]) for i in shown])
    ax.yaxis.set_tick_params(length=0)
    ax.yaxis.grid(False)
    ax.spines["left"].set_visible(False)


def ridgeline(data=None, *, x, by, kind="kde", overlap=1.0, bw_adjust=1.0, cut=2.0, bins="auto", palette=None,
              ax=None):
    """Draw the distribution of ``x`` for each level of ``by``, stacked as overlapping ridges.

    The chart for how a distribution moves along an ordered variable:
    weights or activations per epoch (TensorBoard's histogram view),
    temperatures per month, scores per model size.

    Parameters
    ----------
    data : DataFrame or mapping, optional
        Tidy data; ``x`` and ``by`` name its columns (or are vectors).
    x : column name or vector
        The numeric values. Missing values are dropped (``attrs["dropped"]``).
    by : column name or vector
        One ridge per level, in order: numbers sorted, a pandas Categorical in
        its categories' order, anything else in order of appearance; the first
        at the top. At most 200 levels (every k-th is labelled past 20).
    kind : {"kde", "hist"}
        Each ridge a smooth density (:func:`vizkit.kde`'s estimate) or a
        histogram as a density, over bins shared by every level.
    overlap : float
        How far the tallest ridge reaches into the ones above it, in ridge
        spacings (0: it just touches the next baseline).
    bw_adjust, cut : float
        The densities' bandwidth factor and reach past the data, as in :func:`vizkit.kde`.
    bins : int, str or sequence of float
        The shared bins of ``kind="hist"``, as in :func:`vizkit.hist`.
    palette : colormap name, or a categorical palette, list or dict, optional
        Default: vizkit's sequential ramp, light (first level) to dark (last);
        on a dark face, dark to light, so that no ridge fades into the face.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` is :attr:`RidgelineDisplay.table` (``by``,
        ``value``, ``density``, ``baseline``, ``top``); ``.attrs`` holds
        ``kind``, ``scale``, ``bandwidth``, ``dropped`` and ``skipped``.

    See Also
    --------
    vizkit.kde, vizkit.hist, vizkit.violin

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> import vizkit as vk
    >>> rng = np.random.default_rng(0)
    >>> weights = {"epoch": np.repeat([0, 1, 2], 500),
    ...            "weight": rng.normal(0, np.repeat([1.0, 0.6, 0.3], 500))}
    >>> fig, ax = plt.subplots()
    >>> ax = vk.ridgeline(weights, x="weight", by="epoch")
    >>> drawn = vk.plotted_data(ax)
    >>> drawn.groupby("by")["baseline"].first().to_dict()
    {0: 2.0, 1: 1.0, 2: 0.0}
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['0', '1', '2']
    >>> plt.close(fig)
    """
    display = RidgelineDisplay.from_data(data, x=x, by=by, kind=kind, overlap=overlap, bw_adjust=bw_adjust, cut=cut,
                                         bins=bins)
    return display.plot(ax=ax, palette=palette).ax_
