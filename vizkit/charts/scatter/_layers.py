"""What `vizkit.scatter` draws besides its points: hexbin, 2-D density, trend lines, the stats box.

Also the colormap lookup shared by a numeric hue and the density views.
"""

from __future__ import annotations

import numpy as np

from vizkit import colors as _colors
from vizkit._core import VizkitError, bad_choice, bad_type
from vizkit._core.errors import user_warning
from vizkit._core.line_band import BAND_ALPHA
from vizkit.charts.scatter import _stats
from vizkit.charts.scatter._guides import place_box, root_figure

__all__ = ["BOX_PAD", "categorical_palette", "colormap", "draw_hexbin", "draw_kde", "draw_stats",
           "draw_trends", "pooled_groups", "pooled_handle", "stats_result", "trend_table"]

BOX_PAD = 0.4  # padding of the stats box, in font sizes
HEXBIN_GRIDSIZE = 50
KDE_FILL_ALPHA = 0.8
TREND_WIDTH = 2.0
POOLED_LABEL = "pooled fit"  # the legend entry of the dashed fit over all points (hue levels together)


def categorical_palette(palette) -> bool:
    """True for a palette that names colours of levels (list, dict, categorical palette name)."""
    if isinstance(palette, (dict, list, tuple, np.ndarray)):
        return True
    return isinstance(palette, str) and palette in _colors.palette_names("categorical")


def colormap(palette, face=None):
    """The colormap a numeric hue or a density view draws with; errors name `palette`.

    The default is vizkit's sequential ramp for ``face`` (the active theme's by
    default), whole: from the colour closest to the face (the fewest points) to
    the one that stands out most (the most), on a light face as on a dark one.
    """
    import matplotlib as mpl
    from matplotlib.colors import Colormap

    if palette is None:
        return _colors.sequential_ramp(face, min_contrast=1.0)
    if isinstance(palette, Colormap):
        return palette
    if isinstance(palette, str):
        try:
            return _colors.cmap(palette)
        except VizkitError:
            raise bad_choice("palette", palette, _colors.palette_names() + list(mpl.colormaps),
                             what="a vizkit palette", listed=False,
                             suffix=" or a Matplotlib colormap name") from None
    raise bad_type("palette", "a colormap name or a Matplotlib Colormap here (numeric `hue` or a density view)",
                   palette)


def draw_hexbin(ax, x, y, palette, kws):
    """Counts per hexagon on a log colour scale, with a colorbar."""
    if len(x) == 0:
        return
    options = {"gridsize": HEXBIN_GRIDSIZE, "cmap": colormap(palette, _colors.face_color(ax)), "mincnt": 1,
               "bins": "log",
               "linewidths": 0.2, "edgecolors": "face"}
    plural = {"linewidth": "linewidths", "edgecolor": "edgecolors"}  # hexbin's own parameter names
    options.update({plural.get(key, key): value for key, value in kws.items()})
    cells = ax.hexbin(x, y, **options)
    ax.figure.colorbar(cells, ax=ax, label="points per hexagon")
    ax.grid(False)


def draw_kde(ax, x, y, colors, palette):
    """Filled density contours over the points (one colormap), or contour lines per hue level."""
    if colors["kind"] != "categorical":
        grid = _stats.kde_grid(x, y)
        if grid is None:
            return _no_density("the points")
        if len(grid["levels"]) >= 2:
            cmap = colormap(palette if palette is not None and not categorical_palette(palette) else None,
                            _colors.face_color(ax))
            ax.contourf(grid["x"], grid["y"], grid["density"], levels=grid["levels"], cmap=cmap,
                        alpha=KDE_FILL_ALPHA, zorder=2.0)
        return None
    for i, level in enumerate(colors["levels"]):
        if not colors["present"][i] or (colors["focus"] is not None and not colors["focus"][i]):
            continue
        mask = colors["codes"] == i
        grid = _stats.kde_grid(x[mask], y[mask], proportions=_stats.KDE_LINE_LEVELS)
        if grid is None:
            _no_density(f"`hue` level {level!r}")
            continue
        ax.contour(grid["x"], grid["y"], grid["density"], levels=grid["levels"], colors=[colors["rgb"][i]],
                   linewidths=1.1, zorder=2.5)
    return None


def _no_density(what: str) -> None:
    user_warning(f"density='kde': no 2-D density for {what} (fewer than 3 points, or all on one line); "
                  "drawing the points only.")


def pooled_groups(colors) -> bool:
    """True when a categorical hue splits the drawn points into several groups (a pooled number hides them)."""
    return colors["kind"] == "categorical" and int(np.count_nonzero(colors["present"])) > 1


def _trend_groups(colors, *, pooled=False):
    """``(level, mask, what, colour)`` per trend line: each coloured hue level, or all the points.

    ``pooled`` adds the fit over all points (level None) to the levels' fits, in the face's context grey.
    """
    import matplotlib as mpl

    if colors["kind"] != "categorical":
        return [(None, None, "all points", mpl.rcParams["text.color"])]
    groups = []
    for i, level in enumerate(colors["levels"]):
        if colors["present"][i] and (colors["focus"] is None or colors["focus"][i]):
            groups.append((level, colors["codes"] == i, f"`hue` level {level!r}", tuple(colors["rgb"][i])))
    if pooled and pooled_groups(colors):
        groups.append((None, None, "all points", _pooled_color()))
    return groups


def _pooled_color():
    """A mid grey between the face and the ink: reads as "all of them", not as one more level."""
    import matplotlib as mpl
    from matplotlib.colors import to_rgb

    face, ink = np.array(to_rgb(mpl.rcParams["axes.facecolor"])), np.array(to_rgb(mpl.rcParams["text.color"]))
    grey = face + 0.6 * (ink - face)
    return tuple(float(v) for v in np.full(3, grey.mean()))


def trend_table(x, y, method, colors, *, pooled=False):
    """The trend fits, one block of rows per hue level: ``hue``, ``method``, ``slope``, ``intercept``
    (NaN for lowess), ``x``, ``y``, ``low``/``high`` (the ols band; NaN for lowess), ``color`` (as drawn)
    and ``pooled`` (True for the fit over all points that ``pooled`` adds beside the hue levels' fits)."""
    import pandas as pd

    blocks = []
    for level, mask, what, color in _trend_groups(colors, pooled=pooled):
        gx, gy = (x, y) if mask is None else (x[mask], y[mask])
        fit = _stats.ols_fit(gx, gy) if method == "ols" else _stats.lowess_fit(gx, gy)
        if fit is None:
            if len(gx):
                user_warning(f"trend={method!r}: no line for {what} (too few points or a single x value).")
            continue
        n = len(fit["x"])
        if mask is None and colors["kind"] == "categorical":  # the pooled line is drawn without a band
            fit = {**fit, "low": np.full(n, np.nan), "high": np.full(n, np.nan)}
        blocks.append(pd.DataFrame({
            "hue": [level] * n, "method": method, "slope": fit.get("slope", np.nan),
            "intercept": fit.get("intercept", np.nan), "x": fit["x"], "y": fit["y"],
            "low": fit.get("low", np.full(n, np.nan)), "high": fit.get("high", np.full(n, np.nan)),
            "color": [color] * n, "pooled": mask is None and colors["kind"] == "categorical"}))
    columns = ["hue", "method", "slope", "intercept", "x", "y", "low", "high", "color", "pooled"]
    return pd.concat(blocks, ignore_index=True) if blocks else pd.DataFrame(columns=columns)


def draw_trends(ax, trends):
    """Draw each fitted line of :func:`trend_table` in its colour, over its band where it has one."""
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=TREND_WIDTH + 2.0, foreground=ax.get_facecolor())]
    for (_, pooled), fit in trends.groupby(["hue", "pooled"], sort=False, dropna=False):
        color = fit["color"].iloc[0]
        style = {"linestyle": (0, (4, 2)), "zorder": 3.1} if pooled else {"solid_capstyle": "round", "zorder": 3}
        ax.plot(fit["x"], fit["y"], color=color, linewidth=TREND_WIDTH, path_effects=halo,
                label="_nolegend_", **style)
        if np.isfinite(fit["low"].to_numpy(dtype=float)).all():
            ax.fill_between(fit["x"], fit["low"], fit["high"], color=color, alpha=BAND_ALPHA, linewidth=0, zorder=2.9,
                            label="_nolegend_")


def pooled_handle(trends):
    """``(label, handle)``: the legend entry of the pooled fit, a dashed line as drawn."""
    from matplotlib.lines import Line2D

    color = trends.loc[trends["pooled"], "color"].iloc[0]
    return POOLED_LABEL, Line2D([], [], color=color, linewidth=TREND_WIDTH, linestyle=(0, (4, 2)))


def stats_result(x, y, method, *, pooled=False) -> dict:
    """The correlation numbers and the text of the stats box (before it is placed); ``pooled``: over
    several hue groups together, which the text says."""
    result = _stats.correlation(x, y, method)
    result["pooled"] = bool(pooled)
    result["text"] = _stats.correlation_text(result, pooled=pooled)
    return result


def draw_stats(ax, x, y, result: dict) -> dict:
    """The text box of :func:`stats_result`, in the corner covering the fewest points; adds where it went."""
    import matplotlib as mpl

    result = dict(result)
    text = ax.text(0.03, 0.97, result["text"], transform=ax.transAxes, ha="left", va="top",
                   fontsize="small", zorder=5,
                   bbox={"boxstyle": f"round,pad={BOX_PAD}", "facecolor": ax.get_facecolor(), "alpha": 0.9,
                         "edgecolor": mpl.rcParams["axes.edgecolor"], "linewidth": 0.8})
    pad_px = BOX_PAD * text.get_fontsize() * root_figure(ax).dpi / 72
    corner, covered = place_box(ax, text, np.column_stack([x, y]), pad_px=pad_px)
    result.update(corner=corner, covered=covered)
    return result
