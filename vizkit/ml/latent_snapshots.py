"""An encoder's 2-D codes at chosen epochs against the prior they should match: small multiples on one scale."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.axes import attach_data
from vizkit._core.display import Display
from vizkit._core.errors import user_warning

__all__ = ["LatentOverTrainingDisplay", "latent_over_training"]

_CODES = ("a mapping of epoch -> codes: (N, 2) arrays, or the arrays a run saved at each epoch "
          "(vizkit.io.read_arrays(run, name)) with `key` naming the codes")
_PRIOR = ("a density of 2-D points: a scipy.stats distribution (multivariate_normal(...)), an object with .pdf or "
          ".logpdf, or a function of an (M, 2) array returning M densities")
MASSES = (0.5, 0.9, 0.99)  # the prior's highest-density regions drawn as contours; the middle one is scored
_GRID = 201  # points per side of the grid the prior's density is evaluated on
_PANEL = 2.3  # inches
_RESOLVED = 20  # grid points in the prior's 50 % region below which its levels are too coarse to trust


def _code_arrays(codes, key, labels) -> dict[int, tuple[np.ndarray, np.ndarray | None]]:
    if not isinstance(codes, Mapping) or not codes:
        raise bad_type("codes", _CODES, codes)
    out = {}
    for epoch, value in codes.items():
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)):
            raise bad_type("codes", _CODES + " (the keys are epochs, whole numbers)", codes,
                           got=f"a key {epoch!r}")
        arrays = value if isinstance(value, Mapping) else {"codes": value}
        name = key if key is not None else _only_pair(arrays, epoch)
        if name not in arrays:
            raise bad_value("key", f"the name of the codes among {sorted(arrays)}", key)
        z = _pairs(f"codes[{epoch}]", arrays[name])
        out[int(epoch)] = (z, _labels(labels, arrays, len(z), epoch))
    return dict(sorted(out.items()))


def _only_pair(arrays: Mapping, epoch) -> str:
    found = [name for name, a in arrays.items() if np.ndim(a) == 2 and np.shape(a)[1] == 2]
    if len(found) != 1:
        raise bad_value("key", f"the name of the codes among {sorted(arrays)} (at epoch {epoch}, "
                               f"{len(found)} arrays of shape (N, 2))", None)
    return found[0]


def _pairs(argument: str, value) -> np.ndarray:
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
    array = np.asarray(value)
    if array.ndim != 2 or array.shape[1] != 2 or len(array) == 0 or array.dtype.kind not in "iuf":
        raise bad_value(argument, "codes of shape (N, 2): a 2-D latent", value, got=f"an array of shape {array.shape}")
    if not np.isfinite(array).all():
        raise bad_value(argument, "finite codes", value, got=f"{int(np.size(array) - np.isfinite(array).sum())} "
                                                             "NaN or infinite values")
    return array.astype(np.float64)


def _labels(labels, arrays: Mapping, n: int, epoch) -> np.ndarray | None:
    if labels is None:
        return None
    if isinstance(labels, str):
        if labels not in arrays:
            raise bad_value("labels", f"the name of the labels among {sorted(arrays)}, or one label per code", labels)
        labels = arrays[labels]
    values = np.asarray(labels.detach().cpu() if hasattr(labels, "detach") else labels)
    if values.ndim != 1 or len(values) != n:
        raise bad_value("labels", f"one label per code ({n} at epoch {epoch})", labels,
                        got=f"an array of shape {values.shape}")
    return values


def _density(prior):
    """``prior`` as a function of an (M, 2) array returning M non-negative densities."""
    if hasattr(prior, "pdf"):
        return prior.pdf
    if hasattr(prior, "logpdf"):
        return lambda points: np.exp(prior.logpdf(points))
    if callable(prior):
        return prior
    raise bad_type("prior", _PRIOR, prior)


def _evaluate(density, points: np.ndarray) -> np.ndarray:
    values = np.asarray(density(points), dtype=float).reshape(-1)
    if len(values) != len(points) or not np.isfinite(values).all() or (values < 0).any():
        raise bad_value("prior", _PRIOR, None, got=f"{len(values)} values for {len(points)} points, "
                                                   "not all finite and >= 0")
    return values


def _check_limits(limits):
    if limits is None:
        return None
    try:
        (x0, x1), (y0, y1) = limits
    except (TypeError, ValueError):
        raise bad_type("limits", "((xmin, xmax), (ymin, ymax))", limits) from None
    x0, x1, y0, y1 = (check_number("limits", v) for v in (x0, x1, y0, y1))
    if not (x0 < x1 and y0 < y1):
        raise bad_value("limits", "((xmin, xmax), (ymin, ymax)) with min < max", limits)
    return (x0, x1), (y0, y1)


def _code_limits(points: np.ndarray):
    """A box around the codes of every epoch shown: 0.5th to 99.5th percentiles, padded 5 %."""
    low, high = np.percentile(points, [0.5, 99.5], axis=0)
    pad = 0.05 * np.maximum(high - low, 1e-9)
    return tuple((float(lo - p), float(hi + p)) for lo, hi, p in zip(low, high, pad, strict=True))


def _prior_grid(density, around):
    """The prior's density on a grid three times the box ``around`` (to hold its mass) and its HDR levels."""
    (x0, x1), (y0, y1) = around
    cx, cy, wx, wy = (x0 + x1) / 2, (y0 + y1) / 2, 1.5 * (x1 - x0), 1.5 * (y1 - y0)
    xs, ys = np.linspace(cx - wx, cx + wx, _GRID), np.linspace(cy - wy, cy + wy, _GRID)
    gx, gy = np.meshgrid(xs, ys)
    values = _evaluate(density, np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    ordered = np.sort(values.ravel())[::-1]
    if not ordered[0] > 0:
        raise bad_value("prior", "a density with mass near the codes", None,
                        got=f"0 everywhere on x {xs[0]:.3g} to {xs[-1]:.3g}, y {ys[0]:.3g} to {ys[-1]:.3g}",
                        hint="Pass `limits` around the prior, or check the codes' scale.")
    mass = np.cumsum(ordered) / ordered.sum()
    levels = {m: float(ordered[min(np.searchsorted(mass, m), len(ordered) - 1)]) for m in MASSES}
    if np.count_nonzero(values >= levels[MASSES[0]]) < _RESOLVED:
        user_warning(f"the prior's 50 % region covers fewer than {_RESOLVED} of the {_GRID}×{_GRID} points of a grid "
                     "around the codes: its contours and the shares inside it are rough; pass `limits` closer to "
                     "the prior")
    return (xs, ys, values), levels


def _widened(box, grid, level: float):
    """``box`` grown to hold the prior's region above ``level`` (its 99 % region), padded 5 %."""
    xs, ys, values = grid
    inside = values >= level
    px, py = xs[inside.any(axis=0)], ys[inside.any(axis=1)]
    (x0, x1), (y0, y1) = box
    x0, x1, y0, y1 = min(x0, px.min()), max(x1, px.max()), min(y0, py.min()), max(y1, py.max())
    return ((x0, x1), (y0, y1))


class LatentOverTrainingDisplay(Display):
    """Codes at chosen epochs and the prior: ``from_codes`` finds how close they are, ``plot`` draws the panels.

    Attributes
    ----------
    points_ : pandas.DataFrame
        Every code drawn: ``epoch``, ``z1``, ``z2`` and ``label`` (if given).
    table_ : pandas.DataFrame
        One row per epoch: ``n``, ``mean_z1``, ``mean_z2``, ``std_z1``,
        ``std_z2``, ``outside`` (codes beyond the panels' limits) and, with a
        prior, ``in_region``: the share of codes inside the prior's 90 %
        highest-density region (about 0.9 when the codes follow the prior).
    levels_ : dict or None
        The prior's density at the edge of its 50, 90 and 99 % highest-density
        regions (from its density on a grid), drawn as contours.
    limits_ : ((float, float), (float, float))
        The panels' shared x and y limits.
    axes_ : list of Axes
        After :meth:`plot`: one panel per epoch.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import multivariate_normal
    >>> from vizkit.ml import LatentOverTrainingDisplay
    >>> rng = np.random.default_rng(0)
    >>> codes = {0: rng.normal(0, 0.1, (500, 2)), 10: rng.normal(0, 1.0, (500, 2))}
    >>> found = LatentOverTrainingDisplay.from_codes(codes, prior=multivariate_normal(np.zeros(2)))
    >>> found.table_["in_region"].round(2).tolist()
    [1.0, 0.89]
    """

    _chart = "latent_over_training"
    axes_: list = []

    def __init__(self, points, table, *, limits, levels=None, grid=None):
        self.points_, self.table_ = points, table
        self.limits_, self.levels_, self.grid = limits, levels, grid

    @classmethod
    def from_codes(cls, codes, *, key=None, labels=None, prior=None, epochs=None, limits=None):
        """Check the codes, place them against the prior; draw nothing. See :func:`latent_over_training`."""
        import pandas as pd

        found = _code_arrays(codes, key, labels)
        if epochs is not None:
            if isinstance(epochs, (int, np.integer)) or not all(isinstance(e, (int, np.integer)) for e in epochs):
                raise bad_type("epochs", "a list of epochs (whole numbers)", epochs)
            missing = [e for e in epochs if e not in found]
            if missing or not epochs:
                raise bad_value("epochs", f"epochs that were saved ({sorted(found)})", epochs)
            found = {int(e): found[int(e)] for e in epochs}
        limits = _check_limits(limits)
        density = None if prior is None else _density(prior)
        box = limits or _code_limits(np.concatenate([z for z, _ in found.values()]))
        grid, levels = (None, None) if density is None else _prior_grid(density, box)
        if density is not None and limits is None:
            box = _widened(box, grid, levels[MASSES[-1]])
        frames, rows = [], []
        for epoch, (z, lab) in found.items():
            frames.append(pd.DataFrame({"epoch": epoch, "z1": z[:, 0], "z2": z[:, 1],
                                        **({} if lab is None else {"label": lab})}))
            outside = ((z[:, 0] < box[0][0]) | (z[:, 0] > box[0][1]) | (z[:, 1] < box[1][0]) | (z[:, 1] > box[1][1]))
            row = {"epoch": epoch, "n": len(z), "mean_z1": z[:, 0].mean(), "mean_z2": z[:, 1].mean(),
                   "std_z1": z[:, 0].std(), "std_z2": z[:, 1].std(), "outside": int(outside.sum())}
            if density is not None:
                row["in_region"] = float((_evaluate(density, z) >= levels[0.9]).mean())
            rows.append(row)
        return cls(pd.concat(frames, ignore_index=True), pd.DataFrame(rows), limits=box, levels=levels, grid=grid)

    def plot(self, *, ncols=None, palette=None, s=None, alpha=0.7, figure=None):
        """Draw one panel per epoch, on the same limits, with the prior's contours; return ``self``."""
        import matplotlib.pyplot as plt

        from vizkit.colors import hue_colors
        from vizkit.themes import muted_ink

        epochs = self.table_["epoch"].tolist()
        ncols = check_number("ncols", ncols, integer=True, low=1, allow_none=True) or min(len(epochs), 5)
        alpha = check_number("alpha", alpha, low=0, high=1)
        levels = sorted(self.points_["label"].unique().tolist()) if "label" in self.points_ else []
        styles = _styles(levels, hue_colors(levels, palette=palette) if levels else {})
        s = check_number("s", s, low=0, allow_none=True)
        s = (16.0 if levels and str(styles[levels[0]][1].get_marker()).startswith("$") else 4.0) if s is None else s
        nrows = -(-len(epochs) // ncols)
        if figure is None:
            figure = plt.figure(figsize=(ncols * _PANEL + 0.9, nrows * (_PANEL + 0.3)), layout="constrained")
        axes = figure.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
        for ax in axes.flat[len(epochs):]:
            ax.remove()
        grey = muted_ink(axes.flat[0])
        for ax, epoch in zip(axes.flat, epochs, strict=False):
            self._panel(ax, epoch, styles, grey, (s, alpha))
        handles = [plt.Line2D([], [], ls="", marker=marker, ms=6, color=color) for color, marker in styles.values()]
        names = [str(lev) for lev in styles]
        if self.grid is not None:
            handles.append(plt.Line2D([], [], color=grey, lw=0.7))
            names.append("prior")
        if handles:
            figure.legend(handles, names, title="label" if levels else None, loc="outside right center",
                          frameon=False, handletextpad=0.3, handlelength=1.2, ncols=2 if len(handles) > 6 else 1,
                          columnspacing=0.8)
        self.axes_ = list(axes.flat[:len(epochs)])
        self.ax_, self.figure_ = self.axes_[0], figure
        return self

    def _panel(self, ax, epoch, styles, grey, marker) -> None:
        shown = self.points_[self.points_["epoch"] == epoch].reset_index(drop=True)
        if self.grid is not None:
            xs, ys, values = self.grid
            ax.contour(xs, ys, values, levels=sorted(self.levels_.values()), colors=[grey], linewidths=0.7)
        if styles:
            for level, (color, glyph) in styles.items():
                mine = shown[shown["label"] == level]
                ax.scatter(mine["z1"], mine["z2"], color=color, marker=glyph, s=marker[0], alpha=marker[1],
                           linewidths=0)
        else:
            ax.scatter(shown["z1"], shown["z2"], s=marker[0], alpha=marker[1], linewidths=0)
        (x0, x1), (y0, y1) = self.limits_
        ax.set(xlim=(x0, x1), ylim=(y0, y1), aspect="equal")
        row = self.table_[self.table_["epoch"] == epoch].iloc[0]
        title = f"epoch {epoch}"
        if "in_region" in row:
            title += f"\n{row['in_region']:.0%} in its 90 % region".replace("%", " %", 1)
        ax.set_title(title, loc="left", fontsize="medium", fontweight="normal")
        ax.set_xlabel("$z_1$") if ax.get_subplotspec().is_last_row() else None
        ax.set_ylabel("$z_2$") if ax.get_subplotspec().is_first_col() else None
        attach_data(ax, shown, chart=self._chart)


_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*", "<", ">", "h", "p")


def _styles(levels: list, colors: dict) -> dict:
    """Colour and marker per label: the label itself as the marker when every label is one or two characters."""
    from matplotlib.markers import MarkerStyle

    glyphs = all(len(str(level)) <= 2 and str(level).isalnum() for level in levels)
    # one MarkerStyle per label, shared by every panel and the legend: a glyph is typeset once, not once a panel
    return {level: (colors[level], MarkerStyle(f"${level}$" if glyphs else _MARKERS[i % len(_MARKERS)]))
            for i, level in enumerate(levels)}


def latent_over_training(codes, *, key=None, labels=None, prior=None, epochs=None, limits=None, ncols=None,
                         palette=None, s=None, alpha=0.7, figure=None):
    """Draw an encoder's 2-D codes at chosen epochs as small multiples, on one scale, over the prior's contours.

    The assignment's point for an adversarial autoencoder (Makhzani et al.,
    2016), and the aggregate posterior of a VAE: over training the codes of
    held-out inputs should come to fill the prior. Each panel is one epoch;
    all share their limits, so a cloud that grows, moves or splits reads as
    such. The prior is drawn as the contours of its 50, 90 and 99 %
    highest-density regions; each panel's title gives the share of codes
    inside the 90 % region (near 90 % when the codes follow the prior).

    Parameters
    ----------
    codes : mapping
        epoch -> (N, 2) codes, or epoch -> the arrays a run saved with
        ``Run.log_array`` (``vizkit.io.read_arrays(run, "latent")``).
    key : str, optional
        Which saved array holds the codes; default the only one of shape (N, 2).
    labels : str or array-like, optional
        The name of the saved labels (``"label"``), or one label per code;
        the codes are coloured by it and drawn as its glyph (digits as
        ``0``-``9``; longer labels get one marker shape each), with a legend.
    prior : scipy.stats distribution, object with ``pdf``/``logpdf``, or callable, optional
        The imposed prior's density on (M, 2) points, e.g.
        ``scipy.stats.multivariate_normal(np.zeros(2))``, or a function for a
        mixture. Its highest-density regions are found on a grid three times
        the panels' span.
    epochs : list of int, optional
        The epochs to draw; default all.
    limits : ((xmin, xmax), (ymin, ymax)), optional
        Default: the 0.5th to 99.5th percentiles of all codes shown, grown to
        hold the prior's 99 % region.
    ncols : int, optional
        Panels per row (default up to 5).
    palette : palette, optional
        Colours of the labels.
    s : float, optional
        Marker area in points² (default 16 for labels drawn as their own
        glyphs, 4 otherwise).
    alpha : float
        Marker opacity.
    figure : Figure or SubFigure, optional

    Returns
    -------
    LatentOverTrainingDisplay
        ``.table_`` (per epoch), ``.points_`` (every code drawn), ``.axes_``;
        ``vk.plotted_data(ax)`` of a panel is its epoch's codes.

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> rng = np.random.default_rng(0)
    >>> codes = {e: rng.normal(0, e / 4, (200, 2)) for e in (1, 2, 4)}
    >>> shown = vk.latent_over_training(codes, labels=rng.integers(0, 3, 200))
    >>> len(shown.axes_), len(vk.plotted_data(shown.axes_[2]))
    (3, 200)
    >>> import matplotlib.pyplot as plt; plt.close(shown.figure_)
    """
    display = LatentOverTrainingDisplay.from_codes(codes, key=key, labels=labels, prior=prior, epochs=epochs,
                                                   limits=limits)
    return display.plot(ncols=ncols, palette=palette, s=s, alpha=alpha, figure=figure)
