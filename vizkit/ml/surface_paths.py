"""Optimizer paths on a loss surface: a contour with every path beside f by step.

:class:`LossSurfaceDisplay` takes a function of two variables (a built-in
:class:`~vizkit.ml.Surface`, a numpy function, or a grid of values) and
paths (the long frame of :func:`vizkit.torch.optimizer_paths`, or the
``(step, w, b, loss)`` frame of :func:`vizkit.torch.linear_gd`), and draws:

- left, filled contours with labelled levels (log-spaced when f spans more
  than two decades), every path with one small marker per step, the start
  and the minimum marked;
- right, f by step per path on a log axis (linear when f goes negative), in
  the same colours, the legend naming each path's learning rate.

A path that diverges is drawn inside the Axes: the view is the surface's
range, grown to hold the paths that stay bounded (at most to three times
its size); a path that leaves the view is cut where it crosses the edge,
where an arrow points the way it went, labelled "diverged at step k" (the
first step :func:`vizkit.torch.optimizer_paths` flagged). On the right, a
curve that passes 1e8 times its start (or turns NaN/inf) stops there with a
mark at the edge it left by (on a linear axis, where f goes negative: past
1000 times its start, where it is flagged diverged), so no view is blown
out to 1e300; on a log axis the bottom is at most 12 decades below the start
(a curve that converges exactly leaves through the bottom edge).

The findings (``final_points_``, ``final_values_``, ``best_``,
``diverged_``, ``diverged_at_``, ``minimum_``) are readable without drawing.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, LogNorm, Normalize

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.axes import attach_data, before_draw
from vizkit._core.display import Display
from vizkit._core.labels import plain
from vizkit.colors import face_color, hue_colors, readable_color
from vizkit.ml.surfaces import SURFACES, Surface, _point, mse_surface
from vizkit.themes import ink, muted_ink

__all__ = ["LossSurfaceDisplay", "loss_surface"]

#: The view grows to hold bounded paths up to this many times the surface's range (centred on it).
MAX_GROWTH = 3.0
#: f by step stops a curve past this factor times its start value (a diverged run), marking the edge.
F_CAP = 1e8
#: On a log axis f by step shows down to this factor times the largest start value (curves below leave
#: through the bottom edge): 1e-12 is far below any loss a race is judged on.
F_FLOOR = 1e-12
#: On a linear axis (f negative somewhere) a curve stops past this factor times the largest |f(start)|:
#: where optimizer_paths flags it diverged, so the cut and the contour's "diverged at step k" agree.
LINEAR_CAP = 1e3
#: Levels of the contour; f spanning more than ``LOG_SPAN`` (max/min) gets log-spaced levels.
LEVELS = 12
LOG_SPAN = 100.0
PATH_COLUMNS = ["optimizer", "step", "x1", "x2", "f", "lr", "diverged"]


def loss_surface(fn_or_grid, paths=None, *, xlim=None, ylim=None, palette=None, ax=None, loss_ax=None):
    """Draw a loss surface as contours with optimizer paths, and f by step beside it.

    Parameters
    ----------
    fn_or_grid : str, Surface, callable or (x1, x2, f)
        The surface: a name of :data:`vizkit.ml.SURFACES` (``"rosenbrock"``),
        a :class:`~vizkit.ml.Surface` (:func:`~vizkit.ml.mse_surface` for
        linear regression), a function ``f(x1, x2)`` of numpy arrays, or a
        grid: 1-D ``x1`` (n), 1-D ``x2`` (m) and ``f`` of shape (m, n).
    paths : DataFrame, dict or list of DataFrames, optional
        The paths: :func:`vizkit.torch.optimizer_paths`'s frame (``optimizer,
        step, x1, x2, f`` and optionally ``lr``, ``diverged``), or
        :func:`vizkit.torch.linear_gd`'s (``step, w, b, loss``); a dict of
        label: frame or a list of frames is concatenated.
    xlim, ylim : (float, float), optional
        The range to show; default the surface's (grown to hold the paths).
    palette : palette name, list or dict, optional
        Colours of the paths; default vizkit's hue colours.
    ax, loss_ax : matplotlib.axes.Axes, optional
        Where to draw the contour and f by step. With neither, the two
        panels fill the current figure when it is empty (its size kept),
        else a new 10 x 4.2 inch figure; with ``ax`` only, ``ax``'s grid cell
        is split in two; ``loss_ax=False`` draws the contour alone.

    Returns
    -------
    LossSurfaceDisplay
        Its ``ax_`` (the contour) and ``loss_ax_``; the findings
        (``final_points_``, ``best_``, ``diverged_``, ...). ``plotted_data`` of
        either Axes holds the paths with a column ``drawn`` (the vertex is
        inside the contour's view).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> import vizkit as vk
    >>> paths = pd.DataFrame({"optimizer": "GD", "step": [0, 1, 2], "x1": [-5.0, -3.0, -1.8],
    ...                       "x2": [-2.0, 1.2, -0.72], "f": [10.5, 3.78, 1.36], "lr": 0.4})
    >>> display = vk.loss_surface("ill_conditioned", paths)
    >>> display.best_, display.final_points_["GD"], display.diverged_
    ('GD', (-1.8, -0.72), [])
    >>> plt.close(display.figure_)
    """
    if isinstance(fn_or_grid, (tuple, list)) and len(fn_or_grid) == 3:
        display = LossSurfaceDisplay.from_grid(*fn_or_grid, paths=paths)
    else:
        display = LossSurfaceDisplay.from_function(fn_or_grid, paths, xlim=xlim, ylim=ylim)
    return display.plot(ax=ax, loss_ax=loss_ax, palette=palette)


class LossSurfaceDisplay(Display):
    """A surface's values on a grid, optimizer paths over it, and what they reached.

    Made by :meth:`from_function`, :meth:`from_grid` or
    :meth:`from_linear_regression` (which compute) and drawn by :meth:`plot`
    (see :func:`loss_surface`).

    Parameters
    ----------
    x1, x2 : ndarray
        The grid's coordinates (1-D, n and m values).
    f : ndarray
        The values, shape (m, n).
    paths : DataFrame
        ``optimizer, step, x1, x2, f, lr, diverged``, one row per step.
    minimum : (float, float), optional
        The minimum to mark.
    title : str, optional
        The contour's title (a surface's formula).
    variables : (str, str)
        Axis labels of x1 and x2.
    value : str
        The name of f (the loss axis' label).

    Attributes
    ----------
    final_points_ : dict
        Path label -> its last ``(x1, x2)``.
    final_values_ : dict
        Path label -> its last f.
    best_ : str or None
        The bounded path with the lowest last f (None without paths).
    diverged_ : list of str
        The paths that diverged.
    diverged_at_ : dict
        Diverged path -> the first step flagged ``diverged``.
    minimum_ : (float, float) or None
        The marked minimum.
    ax_, loss_ax_, figure_, artists_
        Set by :meth:`plot`.

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import LossSurfaceDisplay
    >>> x = np.linspace(-2, 2, 5)
    >>> display = LossSurfaceDisplay.from_grid(x, x, np.add.outer(x**2, x**2), minimum=(0, 0))
    >>> display.minimum_, display.best_
    ((0.0, 0.0), None)
    """

    _chart = "loss_surface"
    loss_ax_ = None

    def __init__(self, x1, x2, f, paths=None, *, minimum=None, title=None, variables=("$x_1$", "$x_2$"),
                 value="f"):
        self.x1, self.x2, self.f = np.asarray(x1, float), np.asarray(x2, float), np.asarray(f, float)
        self.paths = _empty_paths() if paths is None else paths
        self.title, self.variables, self.value = title, tuple(variables), value
        self.minimum_ = None if minimum is None else tuple(float(v) for v in minimum)
        last = self.paths.groupby("optimizer", sort=False).tail(1)
        self.final_points_ = {row.optimizer: (float(row.x1), float(row.x2)) for row in last.itertuples()}
        self.final_values_ = {row.optimizer: float(row.f) for row in last.itertuples()}
        flagged = self.paths[self.paths["diverged"]].groupby("optimizer", sort=False)["step"].min()
        self.diverged_at_ = {name: int(step) for name, step in flagged.items()}
        self.diverged_ = list(self.diverged_at_)
        bounded = {k: v for k, v in self.final_values_.items() if k not in self.diverged_at_ and math.isfinite(v)}
        self.best_ = min(bounded, key=bounded.get) if bounded else None

    @classmethod
    def from_function(cls, fn, paths=None, *, xlim=None, ylim=None, minimum=None, resolution=241):
        """Evaluate ``fn`` on a grid over the view the paths need; draw nothing.

        ``fn`` is a surface name, a :class:`~vizkit.ml.Surface` or a numpy
        function ``f(x1, x2)`` (then ``xlim`` and ``ylim`` are needed);
        ``minimum`` defaults to the surface's. See :func:`loss_surface`.
        """
        surface = _check_surface(fn)
        paths = _check_paths(paths)
        named = isinstance(surface, Surface)
        if xlim is None or ylim is None:
            if not named:
                raise bad_value("xlim" if xlim is None else "ylim", "a range (low, high) for a plain function",
                                None)
        xlim = _range("xlim", surface.xlim if xlim is None else xlim)
        ylim = _range("ylim", surface.ylim if ylim is None else ylim)
        xlim, ylim = _view(xlim, ylim, paths)
        resolution = check_number("resolution", resolution, integer=True, low=3)
        x1, x2 = np.linspace(*xlim, resolution), np.linspace(*ylim, resolution)
        grid1, grid2 = np.meshgrid(x1, x2)
        try:
            with np.errstate(all="ignore"):
                f = np.broadcast_to(np.asarray(surface(grid1, grid2), float), grid1.shape)
        except Exception as error:  # the user's function does not take arrays: name it
            raise bad_value("fn", "a function of two numpy arrays, elementwise", fn,
                            got=f"an error on arrays: {type(error).__name__}: {error}") from error
        if minimum is None and named:
            minimum = surface.minimum
        return cls(x1, x2, f, paths, minimum=None if minimum is None else _point("minimum", minimum),
                   title=surface.formula if named else None,
                   variables=surface.variables if named else ("$x_1$", "$x_2$"),
                   value=surface.value if named else "f")

    @classmethod
    def from_grid(cls, x1, x2, f, paths=None, *, minimum=None):
        """Take the surface as computed values: 1-D ``x1`` (n), ``x2`` (m), ``f`` of shape (m, n)."""
        x1, x2 = _axis("x1", x1), _axis("x2", x2)
        f = np.asarray(f, float)
        if f.shape != (len(x2), len(x1)):
            raise bad_value("f", f"an array of shape (len(x2), len(x1)) = ({len(x2)}, {len(x1)})", f,
                            got=f"shape {f.shape}")
        return cls(x1, x2, f, _check_paths(paths), minimum=None if minimum is None else _point("minimum", minimum))

    @classmethod
    def from_linear_regression(cls, x, y, paths=None, *, start=(0.0, 0.0)):
        """The MSE of ``y = w x + b`` over ``(w, b)`` (:func:`~vizkit.ml.mse_surface`), its least-squares
        optimum marked, with the paths of :func:`vizkit.torch.linear_gd`.

        Examples
        --------
        >>> from vizkit.ml import LossSurfaceDisplay
        >>> display = LossSurfaceDisplay.from_linear_regression([0, 1, 2], [1, 3, 5])
        >>> [round(v, 6) for v in display.minimum_]
        [2.0, 1.0]
        """
        return cls.from_function(mse_surface(x, y, start=start), paths)

    def plot(self, ax=None, loss_ax=None, *, palette=None):
        """Draw the contour with the paths on ``ax`` and f by step on ``loss_ax``; return ``self``.

        See :func:`loss_surface` for where they go by default.
        """
        ax, loss_ax = _two_axes(ax, loss_ax)
        super().plot(ax=ax, loss_ax=loss_ax, palette=palette)
        self.loss_ax_ = loss_ax
        if loss_ax is not None:  # the same paths table describes both panels
            attach_data(loss_ax, self._plotted_data(), chart=self._chart)
        return self

    def _draw(self, ax, loss_ax=None, palette=None):
        names = list(pd.unique(self.paths["optimizer"]))
        colors = hue_colors(names, palette=palette) if names else {}
        artists = {"contour": _contour(ax, self.x1, self.x2, self.f)}
        view = (self.x1[0], self.x1[-1]), (self.x2[0], self.x2[-1])
        self._drawn = []
        for name in names:
            path = self.paths[self.paths["optimizer"] == name]
            line, drawn = _path(ax, path, view, colors[name], self.diverged_at_.get(name))
            artists[name] = line
            self._drawn.append(drawn)
        marks = _marks(ax, self.paths, self.minimum_)
        artists.update(marks)
        ax.set(xlim=view[0], ylim=view[1], title=self.title or "")
        ax.set_xlabel(self.variables[0])
        ax.set_ylabel(self.variables[1])
        ranges = np.ptp(view[0]), np.ptp(view[1])
        if 0.25 <= ranges[0] / ranges[1] <= 4:
            ax.set_aspect("equal", adjustable="box")
        keyed = loss_ax if loss_ax else ax
        if loss_ax:
            artists["loss"] = _loss_panel(loss_ax, self.paths, names, colors, self.value)
        handles = [artists[name] for name in names] if not loss_ax else artists["loss"]
        handles = handles + list(marks.values())
        if handles:
            artists["legend"] = keyed.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1),
                                             borderaxespad=0, fontsize="small", frameon=False)
        return artists

    def _plotted_data(self):
        table = self.paths.copy()
        table["drawn"] = np.concatenate(self._drawn) if self._drawn else np.zeros(0, bool)
        return table


# --- checks ----------------------------------------------------------------------------------------------

def _empty_paths():
    return pd.DataFrame({column: pd.Series(dtype=float) for column in PATH_COLUMNS}).astype(
        {"optimizer": object, "diverged": bool})


def _check_surface(fn):
    if isinstance(fn, str):
        if fn not in SURFACES:
            from vizkit._core import bad_choice
            raise bad_choice("fn_or_grid", fn, SURFACES, suffix=", a Surface, a function or (x1, x2, f)")
        return SURFACES[fn]
    if not callable(fn):
        raise bad_type("fn_or_grid", "a surface name, a Surface, a function of two arrays or (x1, x2, f)", fn)
    return fn


def _check_paths(paths):
    """Paths as one frame ``optimizer, step, x1, x2, f, lr, diverged`` (linear_gd's names renamed)."""
    if paths is None:
        return _empty_paths()
    if isinstance(paths, dict):
        paths = [frame.assign(optimizer=str(label)) for label, frame in _frames(paths.values(), paths)]
    elif isinstance(paths, (list, tuple)):
        paths = [frame for _, frame in _frames(paths, paths)]
    else:
        paths = [next(_frames([paths], paths))[1]]
    frame = pd.concat(paths, ignore_index=True)
    frame = frame.rename(columns={"w": "x1", "b": "x2", "loss": "f"})
    missing = [c for c in ("step", "x1", "x2", "f") if c not in frame.columns]
    if missing:
        raise bad_value("paths", "a frame with columns step, x1, x2, f (or step, w, b, loss)", list(frame.columns),
                        got=f"columns {list(frame.columns)}, no {missing}")
    if "optimizer" not in frame.columns:
        frame["optimizer"] = "GD"
    if "lr" not in frame.columns:
        frame["lr"] = math.nan
    if "diverged" not in frame.columns:
        bad = ~np.isfinite(frame[["x1", "x2", "f"]].to_numpy(float)).all(axis=1)
        frame["diverged"] = pd.Series(bad).groupby(frame["optimizer"]).cummax().to_numpy()
    frame["optimizer"] = frame["optimizer"].astype(str)
    return frame[PATH_COLUMNS].astype({"step": int, "x1": float, "x2": float, "f": float, "lr": float,
                                       "diverged": bool})


def _frames(frames, given):
    for index, frame in enumerate(frames):
        if not isinstance(frame, pd.DataFrame):
            raise bad_type("paths", "a DataFrame (optimizer_paths, linear_gd), a dict or a list of them", given,
                           got=f"{type(frame).__name__} at position {index}")
        yield index, frame


def _range(argument, value):
    low, high = _point(argument, value)
    if not low < high:
        raise bad_value(argument, "a range (low, high) with low < high", value)
    return low, high


def _axis(argument, values):
    array = np.asarray(values, float)
    if array.ndim != 1 or len(array) < 2 or not np.isfinite(array).all() or not (np.diff(array) > 0).all():
        raise bad_value(argument, "a 1-D increasing array of at least 2 finite numbers", values)
    return array


def _view(xlim, ylim, paths):
    """The surface's range grown to hold the points of every bounded path, at most ``MAX_GROWTH`` times its size.

    A path that diverged never grows the view (its climb would squash the rest); it is cut at the edge.
    """
    ok = paths[~paths.groupby("optimizer")["diverged"].transform("any")]
    lows, highs = np.array([xlim[0], ylim[0]]), np.array([xlim[1], ylim[1]])
    centre, half = (lows + highs) / 2, (highs - lows) / 2
    cap_low, cap_high = centre - MAX_GROWTH * half, centre + MAX_GROWTH * half
    points = ok[["x1", "x2"]].to_numpy(float)
    points = points[np.isfinite(points).all(axis=1)]
    points = points[((points >= cap_low) & (points <= cap_high)).all(axis=1)]
    if len(points):
        pad = 0.05 * (highs - lows)
        lows = np.minimum(lows, points.min(axis=0) - pad)
        highs = np.maximum(highs, points.max(axis=0) + pad)
    return (float(lows[0]), float(highs[0])), (float(lows[1]), float(highs[1]))


def _two_axes(ax, loss_ax):
    """The contour's and the loss panel's Axes (see :func:`loss_surface`)."""
    if ax is None and loss_ax in (None, False):
        if plt.get_fignums() and not plt.gcf().axes:  # the user's empty figure: keep its size
            figure = plt.gcf()
        else:
            figure = plt.figure(figsize=(10, 4.2) if loss_ax is None else None)
        if figure.get_layout_engine() is None:
            figure.set_layout_engine("constrained")
        if loss_ax is False:
            return figure.add_subplot(), None
        ax, loss_ax = figure.subplots(1, 2, width_ratios=[1.15, 1])
        return ax, loss_ax
    if ax is None:
        raise bad_value("ax", "an Axes when `loss_ax` is given", None)
    if loss_ax is None:
        spec = ax.get_subplotspec()
        if spec is None:
            return ax, None
        cells = spec.subgridspec(1, 2, width_ratios=[1.15, 1], wspace=0.3)
        ax.set_subplotspec(cells[0])
        loss_ax = ax.figure.add_subplot(cells[1])
    return ax, (loss_ax or None)


# --- drawing ---------------------------------------------------------------------------------------------

def _levels(f):
    finite = f[np.isfinite(f)]
    low, high = float(finite.min()), float(finite.max())
    if low >= 0 and high > 0:
        floor = max(float(np.percentile(finite, 0.5)), high * 1e-6)
        if high / floor > LOG_SPAN:
            return np.geomspace(floor, high, LEVELS), LogNorm(floor, high)
    return np.linspace(low, high, LEVELS), Normalize(low, high)


def _contour(ax, x1, x2, f):
    """Pale filled contours (low values lightest) with thin labelled level lines."""
    levels, norm = _levels(f)
    if isinstance(norm, LogNorm):  # values under the lowest level (0 at the minimum) fill as the lowest
        f = np.where(f < levels[0], levels[0] / 2, f)
    face = np.array(face_color(ax))
    shade = LinearSegmentedColormap.from_list("surface", [face, 0.72 * face + 0.28 * np.array(_grey(face))])
    filled = ax.contourf(x1, x2, f, levels=levels, norm=norm, cmap=shade, extend="both")
    lines = ax.contour(x1, x2, f, levels=levels, norm=norm, colors=[muted_ink(ax)], linewidths=0.5, alpha=0.6)
    labels = ax.clabel(lines, levels[1::2], fontsize="x-small", fmt=lambda v: f"{v:.2g}", inline_spacing=2,
                       colors=[ink(ax)])
    for label in labels:  # the labels take the lines' alpha: make them solid ink
        label.set_color(ink(ax))
    before_draw(ax, lambda ax, renderer: _drop_covered(ax, labels, renderer), key="loss_surface_levels")
    return filled


def _drop_covered(ax, labels, renderer):
    """Hide the level labels that a mark's text or an earlier level label covers (at the final layout)."""
    ours = [t for t in [*ax.texts, ax.title, ax._left_title, ax._right_title]
            if t not in labels and t.get_visible() and t.get_text()]
    taken = [t.get_window_extent(renderer).expanded(1.1, 1.2) for t in ours]
    for label in labels:
        label.set_visible(True)
        box = label.get_window_extent(renderer)
        if any(box.overlaps(other) for other in taken):
            label.set_visible(False)
        else:
            taken.append(box)


def _grey(face):
    return (0.35, 0.35, 0.35) if np.mean(face) > 0.5 else (0.85, 0.85, 0.85)


def _crossing(inside, outside, view):
    """Where the segment from ``inside`` to ``outside`` (finite) leaves the box ``view``."""
    direction = outside - inside
    t = 1.0
    for axis, (low, high) in enumerate(view):
        if direction[axis] > 0 and outside[axis] > high:
            t = min(t, (high - inside[axis]) / direction[axis])
        elif direction[axis] < 0 and outside[axis] < low:
            t = min(t, (low - inside[axis]) / direction[axis])
    return inside + max(t, 0.0) * direction


def _path(ax, path, view, color, diverged_at):
    """One path, one small marker per step, cut where it leaves the view with an arrow and a label."""
    points = path[["x1", "x2"]].to_numpy(float)
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(points).all(axis=1) & (points[:, 0] >= view[0][0]) & (points[:, 0] <= view[0][1]) \
            & (points[:, 1] >= view[1][0]) & (points[:, 1] <= view[1][1])
    exit_at = int(np.argmin(inside)) if not inside.all() else len(points)
    drawn = np.arange(len(points)) < exit_at
    line, = ax.plot(points[:exit_at, 0], points[:exit_at, 1], color=color, lw=1.3, marker="o", ms=2.6,
                    zorder=3, label=_legend_label(path["optimizer"].iloc[0], float(path["lr"].iloc[0])))
    if 0 < exit_at < len(points):
        last = points[exit_at - 1]
        target = points[exit_at]
        if not np.isfinite(target).all():  # NaN/inf: point the way of the last finite step
            target = last + (last - points[exit_at - 2]) * 1e6 if exit_at > 1 else last
        edge = _crossing(last, target, view)
        ax.annotate("", xy=edge, xytext=last, arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.3,
                                                          "shrinkA": 0, "shrinkB": 0}, zorder=4)
        step = diverged_at if diverged_at is not None else int(path["step"].iloc[exit_at])
        words = f"diverged at step {step}" if diverged_at is not None else f"leaves the view at step {step}"
        _edge_text(ax, edge, view, f"{plain(path['optimizer'].iloc[0])}\n{words}", color)
    return line, drawn


def _edge_text(ax, edge, view, text, color):
    """``text`` inside the Axes at the border ``edge`` is on, below the labels already there.

    On a side edge the text goes to the corner away from the middle (where the minimum usually
    is): an exit at the middle height of the right edge is labelled in the right edge's lower corner.
    """
    (x0, x1), (y0, y1) = view
    right, top = edge[0] > (x0 + x1) / 2, edge[1] > (y0 + y1) / 2
    side = min(abs(edge[0] - x0), abs(edge[0] - x1)) / (x1 - x0) < min(abs(edge[1] - y0), abs(edge[1] - y1)) / (y1 - y0)
    at = (edge[0], y0 if edge[1] >= (y0 + y1) / 2 else y1) if side else edge
    top = at[1] > (y0 + y1) / 2
    shift = sum(12 * (t.get_text().count("\n") + 1) + 4 for t in ax.texts if t.get_gid() == "diverged")
    ax.annotate(text, xy=at, xytext=(-6 if right else 6, -6 - shift if top else 6 + shift),
                textcoords="offset points", gid="diverged",
                ha="right" if right else "left", va="top" if top else "bottom", fontsize="small",
                multialignment="right" if right else "left", color=readable_color(color, face_color(ax)),
                zorder=5, bbox={"boxstyle": "round,pad=0.2", "fc": face_color(ax), "ec": "none", "alpha": 0.85})


def _marks(ax, paths, minimum):
    """The start (the paths' first point, where they share one) and the minimum; named in the legend."""
    marks = {}
    starts = paths[paths["step"] == paths.groupby("optimizer")["step"].transform("min")][["x1", "x2"]]
    starts = starts.drop_duplicates().to_numpy(float)
    starts = starts[np.isfinite(starts).all(axis=1)]
    if len(starts) == 1:
        marks["start"] = ax.plot(*starts[0], marker="o", ms=7, mfc=face_color(ax), mec=ink(ax), mew=1.5,
                                 ls="none", zorder=6, label="start")[0]
    if minimum is not None:
        marks["minimum"] = ax.plot(*minimum, marker="*", ms=13, color=ink(ax), mec=face_color(ax), mew=0.8,
                                   ls="none", zorder=6, label="minimum")[0]
    return marks


def _legend_label(name, lr):
    return f"{plain(name)} (lr {lr:.2g})" if math.isfinite(lr) else plain(name)


def _loss_panel(ax, paths, names, colors, value):
    """f by step per path, log y when every shown f is positive; a runaway curve stops at a marked edge.

    On a log axis a curve stops past ``F_CAP`` times the largest |f(start)|; on a linear one (f goes
    negative: a saddle) past ``LINEAR_CAP`` times it, where it is flagged diverged.
    The mark sits on the edge the curve left by (top for +inf, bottom for -inf).
    """
    f0 = paths.loc[paths["step"] == paths["step"].min(), "f"].abs()
    scale = max(float(f0[np.isfinite(f0)].max()) if np.isfinite(f0).any() else 1.0, 1.0)
    finite = paths["f"][np.isfinite(paths["f"]) & (paths["f"].abs() <= F_CAP * scale)]
    log = bool(len(finite)) and bool((finite > 0).all())
    cap = (F_CAP if log else LINEAR_CAP) * scale
    lines, cut = [], []
    for name in names:
        path = paths[paths["optimizer"] == name]
        f = path["f"].to_numpy(float)
        with np.errstate(invalid="ignore"):
            ok = np.logical_and.accumulate(np.isfinite(f) & (np.abs(f) <= cap))
        lines.append(ax.plot(path["step"][ok], f[ok], color=colors[name], lw=1.6, marker="o", ms=2.2,
                             label=_legend_label(name, float(path["lr"].iloc[0])))[0])
        if not ok.all():
            out = int(np.argmin(ok))
            cut.append((int(path["step"].to_numpy()[out]), colors[name], not f[out] < 0))
    if log:
        ax.set_yscale("log")
        floor = F_FLOOR * scale
        if finite.min() < floor:  # a run that converges exactly would spend the axis on 1e-48
            ax.set_ylim(bottom=floor)
    for step, color, up in cut:
        ax.plot(step, 1 if up else 0, marker="^" if up else "v", ms=8, color=color,
                transform=ax.get_xaxis_transform(), clip_on=False, ls="none", zorder=5)
    ax.set_xlabel("Step")
    ax.set_ylabel(value + (" (log scale)" if log else ""))
    ax.set_title(f"{value} by step")
    return lines
