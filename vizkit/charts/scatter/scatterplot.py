"""Scatter charts: x against y, with hue, size and style channels, density views, trends and stats.

The module is called ``scatterplot`` so that it does not shadow the
function :func:`scatter` on the lazily-loaded package. This module checks
the input, maps it to colours, sizes and markers and draws the points; where
x and y go (numbers, dates, categories with jitter) is ``_positions``, how
deeply markers stack (``density="auto"``) is ``_overlap``, the computations
(trend fits, correlation, 2-D density) live in ``_stats``, the other layers
(hexbin, density, trends, the pooled fit, stats box) in ``_layers``, the
legend and the box placement in ``_guides``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit import colors as _colors
from vizkit._core import (
    attach_data,
    bad_type,
    bad_value,
    check_choice,
    check_color,
    check_number,
    describe_value,
    target_ax,
    tidy,
)
from vizkit._core import semantics as _semantics
from vizkit._core.errors import user_warning
from vizkit._core.kwargs import ArtistKws, check_artist_kws, try_call_kws
from vizkit._core.axes import group_thousands
from vizkit._core.labels import label_axis
from vizkit._core.room import keep_inside
from vizkit.charts.scatter import _guides, _layers, _overlap, _positions

__all__ = ["scatter"]

# density="auto" reads how deeply markers stack (``_overlap.depths``, a 2-D histogram at marker resolution
# on the Axes' pixel grid), not how many there are: where the median point's spot is covered by at most
# OPAQUE_DEPTH markers the points stay plain; deeper, markers shrink to ALPHA_AREA and alpha is set so a
# stack of the median depth reaches 80% ink (``_overlap.alpha_for``, at least MIN_ALPHA); when that alpha
# falls below HEXBIN_ALPHA, or past HEXBIN_ABOVE points, a chart without hue, size or style becomes a hexbin.
OPAQUE_DEPTH = 2
HEXBIN_ALPHA = 0.1
ALPHA_ABOVE = 2_000  # past this many points markers lose their outline
HEXBIN_ABOVE = 50_000
MIN_ALPHA = 0.05
ALPHA_AREA = 16.0
SIZE_RANGE = (10.0, 120.0)  # marker areas (pt², as ax.scatter's s) of the smallest and largest size
MARKERS = ("o", "X", "s", "P", "D", "^", "v", "p", "h", "*")  # style levels, all filled
MAX_SIZE_LEVELS = 10  # categorical size levels (more stop being told apart)
EDGE_WIDTH = 0.6  # outline of each marker, in the axes' face colour, up to ALPHA_ABOVE points
KDE_POINT_ALPHA = 0.35  # faint points under the density
KDE_POINT_AREA = 9.0
MAX_MARKER_AREA = 10_000.0  # `s` above this (a marker over 1.4 inch wide) is a mistake, and Agg takes ages
MAX_LINEWIDTH = 20.0

_DENSITIES = (None, "hexbin", "kde", "auto")
_TRENDS = (None, "ols", "lowess")
_STATS = (None, "pearson", "spearman")


def scatter(data=None, *, x, y, hue=None, size=None, style=None, density=None, trend=None, stats=None,
            highlight=None, palette=None, colors=None, center=None, redundant=None, jitter=None, sizes=None, ax=None,
            **scatter_kws):
    """Draw y against x as points, with optional hue, size and style channels.

    Rows with a missing (NaN/None) value in ``x``, ``y`` or any given
    ``hue``, ``size`` or ``style`` are dropped (as seaborn does); how many is
    kept in ``plotted_data(ax).attrs["dropped"]``.

    Parameters
    ----------
    data : DataFrame, mapping or None
        Tidy data; the other arguments name its columns. With None, pass vectors.
    x, y : column name or vector
        Numbers, dates or categories. Numbers: complex numbers, infinite
        values, values beyond ±1e300 and a mix of numbers and text are
        refused with an error naming the argument and the value (a numeric
        ``hue`` or ``size`` too). Dates (datetime64, tz-aware too): a date
        axis with concise labels (a tz-aware column is placed by its
        instants and labelled in its zone). Categories (strings, booleans,
        a pandas Categorical; at most 200 levels): one position per level,
        in level order (a Categorical's order, else the order of first
        appearance, as :func:`vizkit.bar` and seaborn), labelled with
        the level; on y the first level is at the top. A categorical y
        makes a dot plot (the barley trellis with :func:`vizkit.facet`); add
        ``jitter`` for a strip plot. A category axis has no ``trend``,
        ``stats``, hexbin or kde.
    hue : column name or vector, optional
        Colour, by vizkit's one rule for every chart
        (:func:`vizkit._core.semantics.hue_kind`). Levels (strings,
        booleans, pandas Categorical, integers with at most 12 distinct
        values such as years or digits, or any values with
        ``highlight``/``colors``/a categorical ``palette``): one colour per
        level, in level order (a Categorical's order, else sorted), from
        ``palette`` or the active colour cycle, at most ``MAX_HUE_LEVELS``;
        an ordered Categorical takes the sequential ramp. Numbers (floats,
        integers with more values): a sequential colormap (``palette=`` a
        colormap name or Colormap; default vizkit's ramp for the face, from
        3:1 contrast up, so the lowest values show and the highest stand
        out), shown by a colour bar beside the Axes.
    size : column name or vector, optional
        Marker area: numbers scale linearly into ``sizes`` (pt²);
        categories (at most 10) get increasing sizes in level order.
    style : column name or vector, optional
        Marker shape per level (at most 10 levels, all filled markers).
    density : {None, "hexbin", "kde", "auto"}
        Overplotting. ``"hexbin"`` counts points per hexagon (a sequential
        colormap, log scale, and a colorbar); it cannot show hue, size or
        style. ``"kde"`` draws a Gaussian 2-D density as filled contours (with
        a categorical hue: contour lines per level) over faint points.
        ``"auto"`` decides from overlap, not from the count: it lays the
        points on a grid of the Axes' pixel size whose cells have one
        marker's area, and reads how many markers cover the median point's
        spot (its depth). Depth at most ``OPAQUE_DEPTH`` (2): plain points
        (3 000 points spread over the Axes stay opaque). Deeper: smaller,
        translucent points, with the alpha at which a stack of that depth
        reaches 80% ink, ``1 - 0.2 ** (1 / depth)`` (at least 0.05). When
        that alpha falls below ``HEXBIN_ALPHA`` (0.1), or past
        ``HEXBIN_ABOVE`` (50 000) points, a chart without hue, size or style
        becomes a hexbin. The same data on a smaller Axes stack deeper. ``plotted_data(ax).attrs["density"]`` says which view
        was drawn (``"points"``, ``"alpha"``, ``"hexbin"``, ``"kde"``) and
        ``attrs["alpha"]`` the alpha it chose.
    trend : {None, "ols", "lowess"}
        A trend line, one per hue level with a categorical hue (per focus
        level with ``highlight``). ``"ols"`` adds the 95% confidence band of
        the fitted mean; ``"lowess"`` is statsmodels' lowess (frac 2/3, 3
        iterations, delta 1% of the x range). With ``stats`` and a
        categorical hue of several levels, the fit over all points (the one
        the pooled number measures) is drawn too, dashed grey, with a
        "pooled fit" legend entry: Simpson's paradox shows as that line
        pointing the other way from the groups' lines.
    stats : {None, "pearson", "spearman"}
        Writes r, p and n (from ``scipy.stats.pearsonr``/``spearmanr`` over all
        drawn points) in a box placed in the corner covering the fewest
        points; when every corner covers points, the y-axis grows to make
        room above them. Over several hue levels the box says "Pooled"
        ("Pooled Spearman ρ = ..."): the number mixes the groups. ``attrs["stats"]`` holds the numbers, the box text and the corner.
    highlight : hue level or list of levels, optional
        Those levels keep their colour and are drawn on top; the rest turn
        grey and go behind. The legend shows the focus levels and "other".
    palette : palette name, list, dict, colormap name or Colormap, optional
        Colours of the hue levels, or the colormap of a numeric hue and of
        the density views.
    colors : dict, optional
        A colour for every hue level (``{"Adelie": "#283dff", ...}``): pins
        them for this chart, over ``palette`` and :func:`vizkit.set_colors`.
        A level it lacks is an error that names it.
    redundant : bool, optional
        Give each level of a categorical ``hue`` its own marker as well as
        its colour (when ``style`` is not set), so levels stay apart
        without colour; the legend shows both. Default: on past 8 levels.
        Markers run out at 10 levels (a warning says so).
    center : float, optional
        For a numeric hue that diverges from a reference value (a change, a
        residual, a correlation): the value the colormap's middle stands
        for. The colours then run to both ends from it (a two-slope norm),
        and the default colormap becomes the diverging ``vizkit_div`` (its
        near-white middle lifted to a light grey, so centred points show).
    jitter : bool or float, optional
        Spread the points of each level of a categorical ``x`` or ``y``
        uniformly over ± this share of the distance between levels (True:
        0.2; at most 0.5), so points of equal value do not hide each other
        (a strip plot). Seeded: the same call draws the same picture.
        ``plotted_data`` keeps the level in ``x``/``y`` and the drawn
        position in ``x_position``/``y_position``.
    sizes : (float, float), optional
        With a numeric ``size``: the marker areas (pt², as ``ax.scatter``'s
        ``s``) of its smallest and largest value, as seaborn's ``sizes``;
        with categorical sizes the range the levels spread over. Default
        ``SIZE_RANGE`` (10, 120).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **scatter_kws
        Passed to every ``ax.scatter`` call (to ``ax.hexbin`` for a hexbin;
        user values win): e.g. ``alpha``, ``s`` (one area in pt², at most
        10 000, without ``size``),
        ``marker`` (without ``style``), ``color`` (without ``hue``),
        ``edgecolor``, ``linewidth``, ``zorder``, ``rasterized``.

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` holds one row per drawn point (index: the
        row's position in ``data``) with ``x``, ``y`` (numbers, or the dates
        and levels as given), ``x_position``/``y_position`` (on a category
        axis: where the point was drawn, jitter included), the given ``hue``,
        ``size``, ``style``, and ``color`` (hex face colour, without alpha),
        ``area`` (with ``size``) and ``marker`` (with ``style``). What the
        chart derived is in ``.attrs``: ``trends`` (with ``trend``: one block
        of rows per hue level with ``method``, ``slope``, ``intercept``, the
        line's ``x``/``y``, the ols band's ``low``/``high`` and ``pooled``,
        True for the dashed fit over all points), ``stats`` (with
        ``pooled``), ``density``, ``alpha`` and ``dropped``.

    Raises
    ------
    ColumnNotFoundError
        A column name is not in ``data`` (the message suggests the closest).
    VizkitTypeError, VizkitValueError
        Non-numeric, complex or infinite x/y/hue/size, too many levels, an unknown choice,
        ``highlight`` without ``hue``, hexbin with hue/size/style, kde with a
        numeric hue, or a keyword that fights a channel (``color`` with
        ``hue``, ``s`` with ``size``, ``marker`` with ``style``).

    Notes
    -----
    Empty data (no rows, or none left after dropping missing values) draws
    empty axes with their labels and warns; it is not an error, so loops and
    facets over subsets keep going. The legend sits outside the Axes on the
    right, so it never covers a point. With a categorical hue and no style,
    all points go in one ``ax.scatter`` call with an array of colours (data
    order, no level painted over the others); with a style, one call per
    marker. Above ``ALPHA_ABOVE`` points markers lose their outline.

    See Also
    --------
    vizkit.plotted_data : the drawn table.
    seaborn.scatterplot, seaborn.regplot : the same ideas, one chart each.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> import vizkit as vk
    >>> runs = pd.DataFrame({"lr": [0.1, 0.03, 0.01, 0.003, 0.001, 0.01],
    ...                      "loss": [0.92, 0.41, 0.35, 0.47, 0.66, None],
    ...                      "optimizer": ["sgd", "adam", "sgd", "adam", "sgd", "adam"]})
    >>> fig, ax = plt.subplots()
    >>> ax = vk.scatter(runs, x="lr", y="loss", hue="optimizer", stats="spearman")
    >>> drawn = vk.plotted_data(ax)
    >>> len(drawn), drawn.attrs["dropped"], drawn.attrs["density"]
    (5, 1, 'points')
    >>> [t.get_text() for t in ax.get_legend().get_texts()], ax.get_xlabel()
    (['adam', 'sgd'], 'LR')
    >>> round(drawn.attrs["stats"]["r"], 2), drawn.attrs["stats"]["n"]
    (0.1, 5)
    >>> fig, ax = plt.subplots()
    >>> ax = vk.scatter(runs, x="loss", y="optimizer", jitter=0.1)  # a strip plot
    >>> [t.get_text() for t in ax.get_yticklabels()], bool(ax.yaxis_inverted())
    (['sgd', 'adam'], True)
    >>> plt.close("all")
    """
    request = _Request.check(density=density, trend=trend, stats=stats, highlight=highlight, palette=palette,
                             center=center, redundant=redundant, hue=hue, size=size, style=style, colors=colors,
                             face=_colors.face_color(ax), jitter=jitter, sizes=sizes)
    kws = _normalize_kws(scatter_kws, hue=hue, size=size, style=style, density=request.density)
    table = tidy(data, x=x, y=y, hue=hue, size=size, style=style, required=("x", "y"))  # 1 validate
    ax = target_ax(ax) if ax is not None else None  # checked now; pyplot's current Axes only once all is checked
    points = _compute(table, request, kws, lambda: _overlap.frame(ax))  # 2 compute: what is drawn, where, in which colour, and what is derived
    ax = target_ax(ax)
    _draw(ax, points, request)  # 3 draw
    attach_data(ax, points.table, chart="scatter")  # 4 keep what was drawn
    keep_inside(ax)  # without a layout engine, the Axes makes room in the figure for its labels and guides
    return ax


@dataclass(frozen=True)
class _Request:
    """The checked options of one call."""

    density: str | None
    trend: str | None
    stats: str | None
    highlight: object
    palette: object
    center: object
    redundant: object
    colors: object = None
    face: tuple = (1.0, 1.0, 1.0)
    jitter: float = 0.0
    sizes: tuple = SIZE_RANGE

    @classmethod
    def check(cls, *, density, trend, stats, highlight, palette, center, redundant, hue, size, style,
              colors=None, face=(1.0, 1.0, 1.0), jitter=None, sizes=None) -> _Request:
        density = check_choice("density", density, _DENSITIES)
        if highlight is not None and hue is None:
            raise bad_value("highlight", "None when `hue` is not given (it picks hue levels to keep in colour)",
                            highlight)
        if density == "hexbin" and (hue is not None or size is not None or style is not None):
            raise bad_value("density", "None, 'kde' or 'auto' when `hue`, `size` or `style` is given "
                            "('hexbin' draws counts, not points)", density)
        if colors is not None and hue is None:
            raise bad_value("colors", "None when `hue` is not given (it maps hue levels to colours)", colors)
        _colors.check_level_colors(colors)
        return cls(density, check_choice("trend", trend, _TRENDS), check_choice("stats", stats, _STATS),
                   highlight, palette, center, redundant, colors, face, _positions.check_jitter(jitter),
                   _check_sizes(sizes, size))


def _check_sizes(sizes, size) -> tuple:
    """``sizes`` as ``(smallest, largest)`` marker areas in pt² (seaborn's keyword); default ``SIZE_RANGE``."""
    if sizes is None:
        return SIZE_RANGE
    if size is None:
        raise bad_value("sizes", "None when `size` is not given (it is the range of areas `size` maps to)", sizes)
    if isinstance(sizes, (str, bytes, dict)) or not hasattr(sizes, "__len__") or len(sizes) != 2:
        raise bad_type("sizes", "a pair (smallest, largest) of marker areas in pt², e.g. (10, 100)", sizes)
    low = check_number("sizes", sizes[0], low=0, high=MAX_MARKER_AREA)
    high = check_number("sizes", sizes[1], low=low, high=MAX_MARKER_AREA)
    return float(low), float(high)


@dataclass
class _Points:
    """What scatter computed before drawing: the drawn points and their encodings, trends and stats."""

    names: dict
    px: np.ndarray
    py: np.ndarray
    view: str
    alpha: float | None
    colors: dict
    areas: dict
    style_ch: dict | None
    style_codes: np.ndarray | None
    size_ch: dict | None
    by_hue: bool
    marker: object
    kws: dict
    n_rows: int
    table: object = None  # the plotted_data table, with the derived results in .attrs
    axes: dict = None  # {"x": ..., "y": ...}: the positions of _positions.position (kind, levels, zone)


def _channels(table, request):
    """x and y as numbers, the hue/size/style channels, whether hue also sets markers, and the rows kept."""
    names = table.attrs["names"]
    axes = {role: _positions.position(role, table[role], names, numbers=lambda r, v: _numbers(r, v, names))
            for role in ("x", "y")}
    _check_axes_kinds(axes, request, names)
    xs, ys = axes["x"]["values"], axes["y"]["values"]
    keep = ~np.isnan(xs) & ~np.isnan(ys)
    hue_ch = _hue_channel(table, names, request.palette, request.highlight, request.colors,
                          numeric=request.center is not None) if "hue" in table else None
    size_ch = _channel("size", table, names, limit=MAX_SIZE_LEVELS) if "size" in table else None
    style_ch = _channel("style", table, names, limit=len(MARKERS), numeric=False) if "style" in table else None
    by_hue = _redundant_markers(hue_ch, style_ch, request.redundant) or _style_is_hue(table, hue_ch, style_ch)
    if by_hue:
        style_ch = {**hue_ch, "from_hue": True}
    for channel in (hue_ch, size_ch, style_ch):
        if channel is not None:
            keep &= channel["valid"]
    if request.density == "kde" and hue_ch is not None and hue_ch["kind"] == "numeric":
        raise bad_value("density", "None, 'hexbin' or 'auto' with a numeric `hue` (or make `hue` categorical)",
                        request.density)
    return axes, (hue_ch, size_ch, style_ch), by_hue, keep


def _check_axes_kinds(axes, request, names) -> None:
    """A category axis has no slope, correlation or 2-D density; jitter needs a category axis."""
    category = [role for role in ("x", "y") if axes[role]["kind"] == "category"]
    if not category:
        if request.jitter:
            raise bad_value("jitter", "None unless `x` or `y` holds categories (it spreads points around "
                            "their level)", request.jitter)
        return
    role = category[0]
    why = f"when `{role}` holds categories ({names.get(role)!r} has levels, not numbers)"
    for argument, value in (("trend", request.trend), ("stats", request.stats)):
        if value is not None:
            raise bad_value(argument, f"None {why}", value)
    if request.density in ("hexbin", "kde"):
        raise bad_value("density", f"None or 'auto' {why}", request.density)


def _compute(table, request, kws, frame) -> _Points:
    axes, (hue_ch, size_ch, style_ch), by_hue, keep = _channels(table, request)
    rows = np.flatnonzero(keep)
    pick = _taker(None if len(rows) == len(keep) else rows)
    n = len(rows)
    px, py = (_positions.jittered(axes[role], request.jitter, rows) for role in ("x", "y"))
    categories = any(axes[role]["kind"] == "category" for role in ("x", "y"))
    plain = not categories and not any(role in table for role in ("hue", "size", "style"))
    view, alpha = _choose_view(request.density, px, py, plain=plain, frame=frame,
                               area=kws.get("s", np.mean(request.sizes) if "size" in table else None))
    colors = _point_colors(hue_ch, pick, request.palette, request.highlight, kws, center=request.center,
                           repeat_ok=by_hue and len(hue_ch["levels"]) <= len(MARKERS), face=request.face,
                           colors=request.colors)
    areas = _point_areas(size_ch, pick, kws, view, request.sizes)
    style_codes = pick(style_ch["codes"]) if style_ch is not None else None
    if view == "hexbin":
        kws = _drop_marker_kws(kws)
    marker = kws.pop("marker", None)
    points = _Points(table.attrs["names"], px, py, view, alpha, colors, areas, style_ch, style_codes, size_ch,
                     by_hue, marker, kws, len(keep), axes=axes)
    drawn = _drawn_table(table, rows, points)
    pooled = request.stats is not None and _layers.pooled_groups(colors)  # the box speaks of all groups at once
    trends = _layers.trend_table(px, py, request.trend, colors, pooled=pooled) \
        if request.trend is not None else None
    stats = _layers.stats_result(px, py, request.stats, pooled=pooled) if request.stats is not None else None
    drawn.attrs.update(names=points.names, density=view, alpha=alpha, dropped=int(len(keep) - n),
                       trend=request.trend, trends=trends, stats=stats)
    points.table = drawn
    return points


def _draw(ax, points: _Points, request: _Request) -> None:
    """Draw the computed points, their density view, trends, labels, legend and stats box."""
    px, py, n = points.px, points.py, len(points.px)
    filled = points.marker is None or _is_filled(points.marker)
    crowded = points.view != "points" or n > ALPHA_ABOVE
    edge = {"color": ax.get_facecolor(), "width": 0.0 if crowded or not filled else EDGE_WIDTH}
    if n == 0:
        what = "`data` has no rows" if points.n_rows == 0 else \
            f"all {points.n_rows} rows have a missing x, y, hue, size or style"
        user_warning(f"scatter has nothing to draw: {what}.")
    if points.view == "hexbin":
        _layers.draw_hexbin(ax, px, py, request.palette, points.kws)
    else:
        if points.view == "kde":
            _layers.draw_kde(ax, px, py, points.colors, request.palette)
        _draw_points(ax, points, edge=edge if filled else None)
    trends = points.table.attrs["trends"]
    if trends is not None:
        _layers.draw_trends(ax, trends)
    label_axis(ax.xaxis, points.names.get("x"))
    label_axis(ax.yaxis, points.names.get("y"))
    if points.axes["y"]["kind"] == "number":
        group_thousands(ax.yaxis)  # ticks read 1,234 as value labels do (not x: it may hold years)
    for role in ("x", "y"):
        _positions.format_axis_positions(ax, role, points.axes[role])
    if points.view != "hexbin":
        _legend(ax, points, request.highlight, edge)
    if points.table.attrs["stats"] is not None:
        points.table.attrs["stats"] = _layers.draw_stats(ax, px, py, points.table.attrs["stats"])


def _legend(ax, points: _Points, highlight, edge) -> None:
    import matplotlib as mpl

    areas, style_ch, names = points.areas, points.style_ch, points.names
    # legend markers at a readable size even when crowded views shrink the points
    legend_area = max(areas["base"], mpl.rcParams["lines.markersize"] ** 2) if areas["values"] is None \
        else float(np.mean([areas["values"].min(), areas["values"].max()])) if len(areas["values"]) \
        else float(np.mean(SIZE_RANGE))
    ink = mpl.rcParams["axes.labelcolor"]
    shape = points.marker if points.marker is not None else "o"
    level_markers = {level: MARKERS[i % len(MARKERS)] for i, level in enumerate(style_ch["levels"])} \
        if points.by_hue else None
    if points.colors["kind"] == "numeric" and len(points.colors["values"]):
        others = areas["kind"] is not None or (style_ch is not None and not points.by_hue)
        _colors.colorbar_beside(ax, points.colors["cmap"], points.colors["norm"], names.get("hue"),
                                under_legend=others)
    sections = [_guides.hue_section(points.colors, names, highlight, legend_area, shape, markers=level_markers),
                _guides.size_section(areas, points.size_ch, names, ink, shape),
                None if points.by_hue else _guides.style_section(style_ch, points.style_codes, names, ink,
                                                                 legend_area, MARKERS)]
    trends = points.table.attrs["trends"]
    lines = [] if trends is None or not trends["pooled"].any() else [_layers.pooled_handle(trends)]
    _guides.draw_legend(ax, [s for s in sections if s is not None], edge=edge, lines=lines)


# ---------------------------------------------------------------------------- validation


# Keywords of ax.scatter that are not PathCollection properties, and properties this module checks itself
# (with messages about hue, size and style).
_CALL_KWS = ("s", "c", "marker", "cmap", "norm", "vmin", "vmax", "plotnonfinite",
             "alpha", "linewidth", "color", "facecolor", "edgecolor", "zorder")
_HEXBIN_KWS = ("gridsize", "bins", "mincnt", "xscale", "yscale", "extent", "marginals", "C", "reduce_C_function")


def _normalize_kws(scatter_kws: dict, *, hue, size, style, density=None) -> dict:
    from matplotlib.collections import PathCollection

    call = _CALL_KWS + (_HEXBIN_KWS if density in ("hexbin", "auto") else ())
    kws = check_artist_kws(scatter_kws, ArtistKws(PathCollection, call=call), argument="scatter_kws")
    if density in ("hexbin", "auto"):
        try_call_kws(kws, _HEXBIN_KWS + ("cmap", "norm", "vmin", "vmax", "clim"),
                     lambda ax, **kw: _layers.draw_hexbin(ax, np.array([0.0, 1.0, 0.5]), np.array([0.0, 1.0, 0.2]),
                                                          None, kw), what="Axes.hexbin")
    if "c" in kws:
        raise bad_value("c", "unset; colours come from `hue` (a column or vector) and `palette`, "
                        "or `color` for one colour", kws["c"])
    for key in ("color", "facecolor"):
        if key in kws and hue is not None:
            raise bad_value(key, "unset when `hue` is given (colours come from `hue` and `palette`)", kws[key])
    if kws.get("s") is not None:
        if size is not None:
            raise bad_value("s", "unset when `size` is given (sizes come from `size`)", kws["s"])
        kws["s"] = check_number("s", kws["s"], low=0, high=MAX_MARKER_AREA)
    if "marker" in kws and style is not None:
        raise bad_value("marker", "unset when `style` is given (markers come from `style`)", kws["marker"])
    kws = {key: value for key, value in kws.items() if value is not None}  # None means Matplotlib's default
    for key in ("color", "facecolor", "edgecolor"):
        if key in kws and not (key == "edgecolor" and isinstance(kws[key], str) and kws[key] in ("face", "none")):
            kws[key] = check_color(key, kws[key])
    for key, low, high in (("alpha", 0, 1), ("linewidth", 0, MAX_LINEWIDTH), ("zorder", None, None)):
        if key in kws:
            kws[key] = check_number(key, kws[key], low=low, high=high)
    if "marker" in kws:
        _is_filled(kws["marker"])  # names `marker` when Matplotlib does not know it
    return kws


def _numbers(role: str, series, names) -> np.ndarray:
    """A numeric role (x, y, a numeric hue or size) as floats: ``numeric_values`` names what it refuses."""
    return _semantics.numeric_values(role, series, column=names.get(role))


def _is_numeric(series) -> bool:
    import pandas as pd

    dtype = series.dtype
    return (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
            and not isinstance(dtype, pd.CategoricalDtype))


def _categorical_codes(argument: str, series, *, limit: int, sort: bool = False):
    """Levels (vizkit's order, see ``levels_of``) and each row's level code (-1: missing)."""
    import pandas as pd

    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:
        example = next((v for v in series if not isinstance(v, str)), None)
        raise bad_type(argument, "hashable values (numbers, strings, booleans)", example,
                       got=f"a value of type {type(example).__name__} ({describe_value(example)})") from None
    source = series if isinstance(series.dtype, pd.CategoricalDtype) else pd.Series(uniques)
    levels = _semantics.levels_of(argument, source, limit=limit, sort=sort)
    lookup = {level: i for i, level in enumerate(levels)}
    remap = np.array([lookup.get(u, -1) for u in list(uniques)] + [-1], dtype=np.intp)
    return levels, remap[codes]  # code -1 picks the appended -1


def _channel(role: str, table, names, *, limit: int, numeric: bool = True, sort: bool = False) -> dict:
    series = table[role]
    if series.dtype == object and series.notna().any():  # [1, 2.5, None] given as objects is numeric
        series = series.infer_objects()
    if numeric and _is_numeric(series):
        values = _numbers(role, series, names)
        return {"kind": "numeric", "values": values, "valid": ~np.isnan(values)}
    levels, codes = _categorical_codes(role, series, limit=limit, sort=sort)
    return {"kind": "categorical", "levels": levels, "codes": codes, "valid": codes >= 0}


def _style_is_hue(table, hue_ch, style_ch) -> bool:
    """True when ``style`` names the categorical ``hue`` column again: one legend entry per level, colour and
    marker together (as seaborn), not the levels listed twice."""
    return (hue_ch is not None and style_ch is not None and hue_ch["kind"] == "categorical"
            and table["hue"].astype(object).equals(table["style"].astype(object)))


def _redundant_markers(hue_ch, style_ch, redundant) -> bool:
    """True when a categorical hue also sets the markers (redundant encoding, `style` unset)."""
    if hue_ch is None or hue_ch["kind"] != "categorical":
        _semantics.redundant_styles([], redundant)  # still checks the argument
        return False
    if _semantics.redundant_styles(hue_ch["levels"], redundant) is None or style_ch is not None:
        return False
    if len(hue_ch["levels"]) > len(MARKERS):
        user_warning(f"`hue` has {len(hue_ch['levels'])} levels but there are {len(MARKERS)} markers, so "
                      "markers repeat too; consider highlight= or facet().")
    return True


def _hue_channel(table, names, palette, highlight, colors=None, *, numeric=False) -> dict:
    """The hue channel by vizkit's one rule (``semantics.hue_kind``): levels, ordered levels, or numbers.

    ``highlight``, ``colors=`` or a categorical palette make any hue levels; ``numeric`` (``center=`` is
    given) makes numbers a quantity whatever their count.
    """
    kind = _semantics.hue_kind(table["hue"])
    if numeric and kind == "categorical" and _is_numeric(table["hue"]):
        kind = "numeric"
    levels_asked = highlight is not None or colors is not None or _layers.categorical_palette(palette)
    channel = _channel("hue", table, names, limit=_semantics.MAX_HUE_LEVELS,
                       numeric=kind == "numeric" and not levels_asked, sort=True)
    channel["ordered"] = kind == "ordered"
    return channel


# ---------------------------------------------------------------------------- compute


def _choose_view(density, x, y, *, plain: bool, frame, area=None) -> tuple[str, float | None]:
    """Which view draws the points, and the alpha of translucent points (``density="auto"``: from overlap).

    ``frame()`` gives the Axes' ``(width_px, height_px, dpi)``; ``area`` the marker area when the call sets
    it (``s`` or ``size``), else the plain and the shrunk default areas are measured.
    """
    import matplotlib as mpl

    if density in ("hexbin", "kde"):
        return density, None
    if density != "auto" or len(x) == 0:
        return "points", None
    if len(x) > HEXBIN_ABOVE and plain:
        return "hexbin", None
    width, height, dpi = frame()

    def depth(marker_area):
        return _overlap.depths(x, y, width_px=width, height_px=height, area_pt2=float(marker_area), dpi=dpi)

    if np.median(depth(area if area is not None else mpl.rcParams["lines.markersize"] ** 2)) <= OPAQUE_DEPTH:
        return "points", None
    alpha = _overlap.alpha_for(depth(area if area is not None else ALPHA_AREA))
    if alpha < HEXBIN_ALPHA and plain:
        return "hexbin", None
    return "alpha", max(MIN_ALPHA, alpha)


def _point_colors(hue_ch, pick, palette, highlight, kws, *, center=None, repeat_ok=False, face=None,
                  colors=None) -> dict:
    """How the points are coloured: one colour, a level colour per point, or a colormap."""
    from matplotlib.colors import Normalize, TwoSlopeNorm, to_hex

    if center is not None:
        center = check_number("center", center)
        if hue_ch is None or hue_ch["kind"] != "numeric":
            raise bad_value("center", "None unless `hue` is numeric (it centres a colormap)", center)

    if hue_ch is None:
        if "color" in kws or "facecolor" in kws:
            color = check_color("color" if "color" in kws else "facecolor", kws.pop("color", kws.pop("facecolor", None)))
        else:
            _colors.check_palette(palette)
            color = _colors.hue_colors([0], palette=palette, face=face)[0]
        return {"kind": None, "color": tuple(color[:3])}
    if hue_ch["kind"] == "numeric":
        default = _colors.diverging_ramp(face) if center is not None else _colors.sequential_ramp(face)
        cmap = _layers.colormap(palette) if palette is not None else default
        values = pick(hue_ch["values"])
        norm = kws.pop("norm", None)
        vmin, vmax = kws.pop("vmin", None), kws.pop("vmax", None)
        if "cmap" in kws:
            raise bad_value("cmap", "unset; pass the colormap as `palette`", kws["cmap"])
        if norm is None:
            low = vmin if vmin is not None else (values.min() if len(values) else 0.0)
            high = vmax if vmax is not None else (values.max() if len(values) else 1.0)
            if center is None:
                norm = Normalize(low, high)
            else:  # the centre keeps the middle colour even when the data sit on one side of it
                reach = max(abs(low - center), abs(high - center)) or 1.0
                norm = TwoSlopeNorm(vcenter=center, vmin=min(low, center - reach * 1e-9),
                                    vmax=max(high, center + reach * 1e-9))
        return {"kind": "numeric", "values": values, "cmap": cmap, "norm": norm}
    _colors.check_palette(palette)
    levels = hue_ch["levels"]
    mapping = _colors.hue_colors(levels, palette=palette, colors=colors, highlight=highlight, repeat_ok=repeat_ok,
                                 ordered=hue_ch.get("ordered", False), face=face)
    codes = pick(hue_ch["codes"])
    rgb = np.array([mapping[level] for level in levels], dtype=float).reshape(-1, 3)
    present = np.bincount(codes, minlength=len(levels)) > 0
    focus = None
    if highlight is not None:
        chosen = highlight if isinstance(highlight, (list, tuple, set)) else [highlight]
        focus = np.array([level in chosen for level in levels], dtype=bool)
    return {"kind": "categorical", "levels": levels, "codes": codes, "rgb": rgb, "mapping": mapping,
            "present": present, "focus": focus, "hex": np.array([to_hex(c) for c in rgb], dtype=object)}


def _point_areas(size_ch, pick, kws, view, sizes=SIZE_RANGE) -> dict:
    import matplotlib as mpl

    lo, hi = sizes
    if size_ch is None:
        default = {"kde": KDE_POINT_AREA, "alpha": ALPHA_AREA}.get(view, mpl.rcParams["lines.markersize"] ** 2)
        return {"kind": None, "base": float(kws.pop("s", default)), "values": None}
    if size_ch["kind"] == "numeric":
        values = pick(size_ch["values"])
        vmin, vmax = (values.min(), values.max()) if len(values) else (0.0, 1.0)
        scale = (lambda v: lo + (np.asarray(v) - vmin) / (vmax - vmin) * (hi - lo)) if vmax > vmin else \
            (lambda v: np.full(np.shape(v), (lo + hi) / 2))
        return {"kind": "numeric", "values": scale(values), "scale": scale, "range": (vmin, vmax), "base": None}
    levels = size_ch["levels"]
    level_areas = np.linspace(lo, hi, len(levels)) if len(levels) > 1 else np.full(len(levels), (lo + hi) / 2)
    codes = pick(size_ch["codes"])
    return {"kind": "categorical", "values": level_areas[codes], "levels": levels, "level_areas": level_areas,
            "present": np.bincount(codes, minlength=len(levels)) > 0, "base": None}


# ---------------------------------------------------------------------------- draw


def _drop_marker_kws(kws: dict) -> dict:
    dropped = [key for key in ("s", "marker", "color", "facecolor") if key in kws]
    if dropped:
        user_warning(f"density='hexbin' draws hexagons, not markers: ignoring {', '.join(dropped)}.")
    return {key: value for key, value in kws.items() if key not in dropped}


def _is_filled(marker) -> bool:
    from matplotlib.markers import MarkerStyle

    try:
        return MarkerStyle(marker).is_filled()
    except (ValueError, TypeError, ZeroDivisionError, IndexError):  # (0, 0, 1): a polygon of no sides
        raise bad_value("marker", "a Matplotlib marker such as 'o', 's' or '^'", marker) from None


def _taker(mask):
    return (lambda values: values) if mask is None else (lambda values: values[mask])


def _draw_points(ax, points: _Points, *, edge):
    """One ax.scatter per (grey/focus layer, style level); colours and sizes go in as arrays."""
    x, y, colors, areas = points.px, points.py, points.colors, points.areas
    style_codes, marker, alpha, view, kws = points.style_codes, points.marker, points.alpha, points.view, points.kws
    n = len(x)
    if n == 0:
        return
    base = {}
    if edge is not None:
        base.update(edgecolor=edge["color"], linewidth=edge["width"])
    if alpha is not None:
        base["alpha"] = alpha
    elif view == "kde":
        base["alpha"] = KDE_POINT_ALPHA
    base.update(kws)
    zorder = base.pop("zorder", 1.0)
    layers = [(None, zorder)]
    if colors["kind"] == "categorical" and colors["focus"] is not None:
        in_focus = colors["focus"][colors["codes"]]
        layers = [(~in_focus, zorder), (in_focus, zorder + 0.1)]  # the grey rest first, behind
    styles = [None] if style_codes is None else range(int(style_codes.max()) + 1)
    for layer_mask, layer_z in layers:
        for level in styles:
            mask = layer_mask
            if level is not None:
                mask = (style_codes == level) if mask is None else mask & (style_codes == level)
            if mask is not None and not mask.any():
                continue
            take = _taker(mask)
            point_kws = dict(base)
            if colors["kind"] is None:
                point_kws["c"] = [colors["color"]]
            elif colors["kind"] == "numeric":
                point_kws.update(c=take(colors["values"]), cmap=colors["cmap"], norm=colors["norm"])
            else:
                point_kws["c"] = colors["rgb"][take(colors["codes"])]
            point_kws["s"] = areas["base"] if areas["values"] is None else take(areas["values"])
            point_kws["marker"] = MARKERS[level % len(MARKERS)] if level is not None else marker
            ax.scatter(take(x), take(y), zorder=layer_z, **point_kws)


# ---------------------------------------------------------------------------- legend and table


def _point_hex(colors, n: int):
    from matplotlib.colors import to_hex

    if colors["kind"] is None:
        return np.full(n, to_hex(colors["color"]), dtype=object)
    if colors["kind"] == "categorical":
        return colors["hex"][colors["codes"]] if n else np.empty(0, dtype=object)
    cmap, norm = colors["cmap"], colors["norm"]
    lut = np.array([to_hex(c) for c in cmap(np.arange(cmap.N))], dtype=object)
    scaled = np.ma.filled(np.ma.asarray(norm(colors["values"]), dtype=float), np.nan)
    index = np.clip(np.nan_to_num(np.floor(scaled * cmap.N), nan=0), 0, cmap.N - 1).astype(int)
    return lut[index]


def _drawn_table(table, rows, points: _Points):
    import pandas as pd

    columns = {}
    for role, drawn in (("x", points.px), ("y", points.py)):
        columns[role] = _positions.axis_values(points.axes[role], table[role], rows)
        if points.axes[role]["kind"] == "category":
            columns[f"{role}_position"] = drawn  # where the level (and its jitter) put the point
    for role in ("hue", "size", "style"):
        if role in table:
            columns[role] = table[role].to_numpy()[rows]
    if points.view != "hexbin":
        columns["color"] = _point_hex(points.colors, len(points.px))
    if points.areas["values"] is not None:
        columns["area"] = points.areas["values"]
    if points.style_ch is not None:
        codes = points.style_codes
        columns["marker"] = np.array(MARKERS, dtype=object)[codes % len(MARKERS)] \
            if len(codes) else np.empty(0, dtype=object)
    return pd.DataFrame(columns, index=pd.Index(rows, name="row"))
