"""Line charts: trends, intervals, interpolation, gaps and long series; two y axes.

:func:`line` draws one line per hue level and takes care of what plain
``ax.plot`` gets wrong or leaves to the user: a faint raw series under its
moving average, a band over repeated x, interpolation between sparse points,
points left alone between gaps, and series of millions of points decimated to
the pixels they cover without losing a spike. :func:`dual_axis` puts two
quantities with different units on one x with aligned gridlines, and
:func:`secondary_axis` labels the same quantity in a second unit.

Behaviour in brief (details in :func:`line`):

- Points are joined in ``x`` order (the data are sorted by ``x`` within each
  line); repeated ``x`` values within a line are averaged (and give the band).
- ``markers="auto"`` draws markers on a line of at most :data:`SPARSE_POINTS`
  points, or with ``interpolate``, and never on a decimated line; a point
  with a gap on both sides is always drawn as a marker.
- A line of more than :data:`DECIMATE_FACTOR` points per pixel column of the
  figure is decimated to :data:`POINTS_PER_PIXEL` points per column (min and
  max of each column, tsdownsample's MinMaxDownsampler).
- An empty ``data`` (no rows) gives an empty Axes with its labels; a line
  whose values are all NaN is not drawn and a ``UserWarning`` names it.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import (
    attach_data,
    bad_type,
    bad_value,
    check_axes,
    check_choice,
    resolve_data,
    target_ax,
    tidy,
)
from vizkit._core.decimation import DECIMATE_FACTOR, POINTS_PER_PIXEL  # noqa: F401 - documented here
from vizkit._core.kwargs import ArtistKws, check_artist_kws
from vizkit._core.axes import group_thousands
from vizkit._core.labels import axis_label, label_axis, plain, user_text
from vizkit._core.room import keep_inside
from vizkit._core.line_band import BAND_ALPHA, RAW_ALPHA, RAW_WIDTH, SPARSE_POINTS  # noqa: F401 - documented here
from vizkit._core.placement import Growth, Obstacles, place
from vizkit._core.semantics import (
    MAX_HUE_LEVELS,
    hue_kind,
    levels_and_codes,
    line_style,
    numeric_values,
    redundant_styles,
)
from vizkit.charts.lines import _axes as _lines_axes
from vizkit.charts.lines import _checks
from vizkit.charts.lines._levels import LineInput, LineLooks, draw_chart
from vizkit.colors import (
    check_level_colors,
    check_palette,
    colorbar_beside,
    face_color,
    hue_colors,
    hue_scale,
    legend_entries,
)

__all__ = ["dual_axis", "line", "secondary_axis"]


# ---------------------------------------------------------------- axes
def _label_axes(ax, names, x_dtype, x=None):
    label_axis(ax.xaxis, names.get("x"))
    label_axis(ax.yaxis, names.get("y"))
    group_thousands(ax.yaxis)  # ticks read 1,234 as value labels do
    if x_dtype is not None:
        import matplotlib.dates as mdates

        if isinstance(ax.xaxis.get_major_formatter(), mdates.AutoDateFormatter):
            locator = ax.xaxis.get_major_locator()
            zone = getattr(x_dtype, "tz", None)
            if zone is not None and isinstance(locator, mdates.AutoDateLocator):
                locator, formats = _zoned_dates(zone, x_dtype.unit, x)
                ax.xaxis.set_major_locator(locator)
                ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=zone, formats=formats))
            else:
                ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _zoned_dates(zone, unit, x):
    """``(locator, formats)`` for tz-aware x: ticks and labels in the data's zone.

    Across a change of UTC offset (a DST switch) within two days, the ticks are spaced evenly in
    time (placed in UTC) and hours are labelled with the zone's abbreviation, so the two 02:30 of
    a fall-back night read "02:30 CEST" and "02:30 CET"; longer spans tick at the zone's midnights.
    """
    import matplotlib.dates as mdates
    import pandas as pd

    finite = np.asarray(x)[np.asarray(x) != np.iinfo(np.int64).min] if x is not None else np.array([])
    if len(finite):
        first, last = (pd.Timestamp(v, unit=unit, tz="UTC").tz_convert(zone) for v in (finite.min(), finite.max()))
        if first.utcoffset() != last.utcoffset() and last - first < pd.Timedelta(days=2):
            hours = "%H:%M\n%Z"
            return mdates.AutoDateLocator(tz="UTC"), ["%Y", "%b", "%d", hours, hours, "%S.%f"]
    return mdates.AutoDateLocator(tz=zone), None


# ---------------------------------------------------------------- public
def line(data=None, *, x, y, hue=None, smooth=None, window=None, band=None, markers="auto",
         interpolate=None, highlight=None, palette=None, colors=None, redundant=None, ax=None, **line_kws):
    """Draw ``y`` against ``x`` as lines, one per ``hue`` level.

    Points are joined in ``x`` order. Repeated ``x`` values within a line are
    averaged (the band, if any, summarises them). NaN in ``y`` breaks the
    line; a point with a gap on both sides is still drawn, as a marker.

    Parameters
    ----------
    data : DataFrame or mapping, optional
        Tidy data; without it, ``x``, ``y`` (and ``hue``) are vectors.
    x, y : column name or vector
        ``x`` numeric or datetime, ``y`` numeric (NaN allowed: a gap; inf refused). Tz-aware
        datetimes are placed as instants (sorted and averaged in UTC, so a DST fall-back hour keeps
        its two 02:30) and the ticks are labelled in the data's zone.
    hue : column name or vector, optional
        One line per level, with a legend titled with the column's name.
        Levels by vizkit's one rule for every chart
        (:func:`vizkit._core.semantics.hue_kind`): text, booleans, a
        Categorical and integers with at most 12 values (years, seeds) take
        the palette's colours in level order (at most 64 levels); an ordered
        Categorical and numbers (a learning rate, an epoch) take the face's
        sequential ramp, and past 12 values a colour bar replaces the legend.
    smooth : {"rolling", "ewm", "lowess"}, optional
        Draw the raw series faint and thin (alpha 0.3) under a bold smoothed
        line: ``"rolling"`` is a centred rolling mean of ``window`` points
        (``Series.rolling(window, center=True, min_periods=1).mean()``),
        ``"ewm"`` the exponentially weighted mean of span ``window``
        (``Series.ewm(span=window).mean()``, causal like TensorBoard's
        smoothing), ``"lowess"`` statsmodels' lowess over ``window`` points
        (``frac=window / n``; default ``frac=2/3``). The smoothed line is NaN
        where ``y`` is. With ``band`` too, the band is computed on the raw
        values at each ``x`` (as without ``smooth``) and drawn under both; the
        legend names the smoothed line, the raw layer and the band.
    window : int or float, optional
        Window of ``smooth``; default 5% of the line's points, at least 3.
    band : {"minmax", "sd", "se"}, ("ci", level), ("pi", level) or (low, high), optional
        A shaded band around each line. The statistics summarise the values at
        each repeated ``x`` (the line is their mean): ``"minmax"`` their range,
        ``"sd"``/``"se"`` mean ± one standard deviation/error (``("sd", k)`` for
        k), ``("ci", level)`` a seeded percentile bootstrap of the mean,
        ``("pi", level)`` the central ``level`` % of the values (``level`` is a
        percentage in (0, 100]: 95, not 0.95). A pair of columns (or vectors)
        draws precomputed bounds. Combines with ``smooth``: the band stays
        that of the raw values, the smoothed line is drawn over it.
    markers : "auto" or bool, default "auto"
        ``"auto"``: markers on lines of at most 30 points or with ``interpolate``,
        never on a decimated line. Isolated points are drawn in every case.
    interpolate : {"linear", "step", "pchip", "spline"}, optional
        How to join the points: straight (``"linear"``), holding each value
        until the next (``"step"``), or a dense curve through them: PCHIP
        (monotone between neighbours, never overshoots) or a natural cubic
        spline (smooth, may overshoot). The original points are marked.
    highlight : level or list of levels, optional
        Keep these hue levels coloured and on top; the rest turn grey, behind,
        under one "other" legend entry.
    palette : palette name, list or dict, optional
        Colours of the hue levels; default the active colour cycle.
    colors : dict, optional
        A colour for every hue level (``{"AAPL": "#283dff", ...}``): pins
        them for this chart, over ``palette`` and :func:`vizkit.set_colors`.
        A level it lacks is an error that names it.
    redundant : bool, optional
        Give each hue level its own line style (and past 8 levels a marker
        as well), so levels stay apart without colour. Default: on past 8
        levels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **line_kws
        Passed to ``Axes.plot`` for each line (``color`` and ``label`` only
        without ``hue``); user values win. With ``hue`` each line is labelled
        with its level, so ``ax.legend(...)`` can redraw the legend.

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` holds the drawn points: ``x``, ``y``,
        ``hue``, and ``smooth``, ``low``/``high`` and ``n`` (values per x) where
        used (``smooth`` and ``low``/``high`` together when both are asked). Rows with NaN ``y`` are the gaps.

    Raises
    ------
    vizkit.errors.ColumnNotFoundError
        A column name is not in ``data`` (the message suggests a close one).
    vizkit.errors.VizkitTypeError, vizkit.errors.VizkitValueError
        A required role passed as None, non-numeric, complex or infinite values (or
        beyond ±1e300, where Matplotlib's axis arithmetic overflows), too many hue
        levels, bad options.

    Notes
    -----
    A line of more than 4 points per pixel column of the figure (2 560 on a
    6.4 inch figure at 100 dpi) is decimated: each column keeps the minimum and
    the maximum of each drawn series (tsdownsample's ``MinMaxDownsampler``), so
    every spike stays and the picture matches the full render at that figure
    size, at a fraction of the drawing time. Zooming in later shows the
    decimated points. ``interpolate`` curves are drawn only on lines that are
    not decimated. An empty ``data`` gives an Axes with labels and no lines.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> import vizkit as vk
    >>> runs = pd.DataFrame({"epoch": [1, 2, 3, 1, 2, 3], "loss": [0.9, 0.6, 0.5, 1.1, 0.7, 0.5]})
    >>> fig, ax = plt.subplots()
    >>> ax = vk.line(runs, x="epoch", y="loss", band="minmax")
    >>> vk.plotted_data(ax)[["x", "y", "low", "high"]].round(2).values.tolist()
    [[1.0, 1.0, 0.9, 1.1], [2.0, 0.65, 0.6, 0.7], [3.0, 0.5, 0.5, 0.5]]

    A smoothed line over the band of the raw values:

    >>> plt.close(fig)
    >>> fig, ax = plt.subplots()
    >>> ax = vk.line(runs, x="epoch", y="loss", smooth="rolling", window=3, band="minmax")
    >>> vk.plotted_data(ax)[["y", "smooth", "low", "high"]].round(3).values.tolist()[0]
    [1.0, 0.825, 0.9, 1.1]
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['Loss (smoothed)', 'raw', 'min to max']
    >>> plt.close(fig)
    """
    data = resolve_data(data)
    spec, bounds = _checks.check_spec(data, smooth=smooth, window=window, band=band, markers=markers,
                               interpolate=interpolate)
    if highlight is not None and hue is None:
        raise bad_value("highlight", "None when `hue` is not set (it picks hue levels to keep in colour)",
                        highlight)
    kws = check_artist_kws(line_kws, _checks.line_kws_target(hue=hue), argument="line_kws")
    check_palette(palette)
    check_level_colors(colors)
    if colors is not None and hue is None:
        raise bad_value("colors", "None when `hue` is not set (it maps hue levels to colours)", colors)
    face = face_color(ax)
    extra = {} if bounds is None else {"band[0]": bounds[0], "band[1]": bounds[1]}
    table = tidy(data, x=x, y=y, hue=hue, **extra, required=("x", "y"))
    names = table.attrs["names"]
    xs, x_valid, x_dtype = _checks.x_values(table["x"], names.get("x"))
    ys = numeric_values("y", table["y"], column=names.get("y"))
    low = high = None
    if bounds is not None:
        low = numeric_values("band[0]", table["band[0]"], column=names.get("band[0]"))
        high = numeric_values("band[1]", table["band[1]"], column=names.get("band[1]"))
    scale = None
    if hue is not None:
        kind = hue_kind(table["hue"])
        levels, codes = levels_and_codes("hue", table["hue"], limit=None if kind == "numeric" else MAX_HUE_LEVELS,
                                         sort=True)  # a Categorical keeps its order, other levels are sorted
        styles = redundant_styles(levels, redundant) if kind != "numeric" or redundant else None
        scale = hue_scale(levels, kind, palette=palette, colors=colors, highlight=highlight,
                          repeat_ok=styles is not None, face=face)
        colors = scale.mapping
    else:
        styles = None
        levels, codes = [None], None
        color = kws.pop("color", None)
        if color is None and palette is not None:
            if isinstance(palette, dict):
                raise bad_type("palette", "a palette name or a list of colours when `hue` is not set", palette)
            color = hue_colors([None], palette=palette, face=face)[None]
        colors = {None: color}
    ax = target_ax(ax)
    first_line = len(ax.lines)
    drawn_table, drawn = draw_chart(ax, LineInput(xs, x_valid, x_dtype, ys, codes, levels, low, high),
                                    LineLooks(colors, spec, kws, highlight, None if hue is not None else "`y`",
                                              styles))
    _label_axes(ax, names, x_dtype, xs)
    smoothed = spec.smooth is not None
    band_entry = _band_handle(ax, spec.band, names) if smoothed and _band_drawn(drawn_table) else None
    if hue is not None and drawn and scale.continuous:
        colorbar_beside(ax, scale.colormap, scale.norm, names.get("hue"))
        if smoothed:
            ax.legend(handles=[_raw_handle(ax, kws)] + ([band_entry] if band_entry is not None else []))
    elif hue is not None and drawn:
        _hue_legend(ax, drawn, highlight, names.get("hue"), kws, styles, smoothed=smoothed, band=band_entry)
    elif drawn and smoothed:
        _smoothed_legend(ax, ax.lines[first_line].get_color(), kws, names.get("y"), band=band_entry)
    attach_data(ax, drawn_table, chart="line")
    keep_inside(ax)  # without a layout engine, the Axes makes room in the figure for its labels and guides
    return ax


def _raw_handle(ax, kws):
    """The legend entry of the faint raw series under smoothed lines: a thin line in the muted ink."""
    import matplotlib as mpl
    from matplotlib.lines import Line2D

    from vizkit.themes import muted_ink

    width = kws.get("linewidth", mpl.rcParams["lines.linewidth"])
    muted = muted_ink(ax)
    return Line2D([], [], color=muted, alpha=max(RAW_ALPHA, 0.5), linewidth=width * RAW_WIDTH, label="raw")


def _band_drawn(table) -> bool:
    return "low" in table and bool((np.isfinite(table["low"]) | np.isfinite(table["high"])).any())


def _band_label(band, names) -> str:
    """What a band is, in words: ``"95% CI"``, ``"± 1 SD"``, ``"min to max"``, ``"50% PI"``, ``"lo to hi"``."""
    kind, level = band
    if kind == "minmax":
        return "min to max"
    if kind == "bounds":
        low, high = names.get("band[0]"), names.get("band[1]")
        return "bounds" if low is None or high is None else f"{low} to {high}"
    if kind in ("sd", "se"):
        return f"± {level:g} {kind.upper()}"
    return f"{level:g}% {kind.upper()}"


def _band_handle(ax, band, names):
    """The legend entry of the bands under smoothed lines: a patch in the muted ink, at the band's opacity."""
    from matplotlib.patches import Patch

    from vizkit.themes import muted_ink

    return Patch(facecolor=muted_ink(ax), alpha=max(BAND_ALPHA, 0.3), linewidth=0, label=plain(_band_label(band, names)))


def _smoothed_legend(ax, color, kws, name, *, band=None):
    """One line, smoothed: the legend tells the bold line from the faint raw values under it."""
    import matplotlib as mpl
    from matplotlib.lines import Line2D

    width = kws.get("linewidth", mpl.rcParams["lines.linewidth"])
    label = "smoothed" if name is None else f"{axis_label(name)} (smoothed)"
    handles = [Line2D([], [], color=color, linewidth=width, label=label), _raw_handle(ax, kws)]
    if band is not None:
        handles.append(band)
    box = ax.legend(handles=handles)
    place(ax, box, Obstacles(lines=ax.lines), relayout=True)  # a noisy series fills the Axes: where it covers least


def _hue_legend(ax, drawn, highlight, title, kws, styles=None, *, smoothed=False, band=None):
    import matplotlib as mpl
    from matplotlib.lines import Line2D

    mapping = {level: color for level, (color, _) in drawn.items()}
    width = kws.get("linewidth", mpl.rcParams["lines.linewidth"])
    by_label = {str(level): level for level in drawn}
    handles = []
    for label, color in legend_entries(mapping, highlight, noun="line"):
        level = by_label.get(label)
        shown = drawn[level][1] if level in drawn else any(on for _, on in drawn.values())  # "other": as any
        marker, linestyle = kws.get("marker", "o"), kws.get("linestyle", "-")
        if styles is not None and level in styles:
            linestyle, own_marker = line_style(styles[level])
            marker = own_marker if own_marker != "None" else marker
        handles.append(Line2D([], [], color=color, linewidth=width, label=plain(label),
                              marker=marker if shown else "None", linestyle=linestyle))
    if smoothed:
        handles.append(_raw_handle(ax, kws))
        if band is not None:
            handles.append(band)
    ax.legend(handles=handles, title=None if title is None else axis_label(title))


def _dual_line_kws():
    from matplotlib.lines import Line2D

    reason = "unset: each side's line gets its own {} (its axis is coloured to match)"
    return ArtistKws(Line2D, reserved={key: reason.format(key) for key in ("color", "label")})


def dual_axis(data, *, x, left, right, ax=None, align_ticks=True, **line_kws):
    """Draw two quantities of different units against one ``x``: ``left`` on the left axis, ``right`` on the right.

    Each line takes a colour from the active cycle, and its y axis label and
    tick labels take the same colour (darkened where needed to stay readable:
    contrast at least 4.5 against the face). One legend holds both lines, in
    a corner where it covers neither (both axes grow at the top to make room
    when no corner is free). The grid is drawn from the left
    axis only; with ``align_ticks`` both axes get the same number of nice ticks
    at the same heights, so that grid serves both.

    Parameters
    ----------
    data : DataFrame, mapping or None
        Tidy data (None when ``x``, ``left`` and ``right`` are vectors).
    x : column name or vector
        Numeric or datetime.
    left, right : column name or vector
        Numeric (NaN breaks the line).
    ax : matplotlib.axes.Axes, optional
        The left Axes; default the current Axes. The right one is its twin.
    align_ticks : bool, default True
        Align the two axes' ticks (each axis grows to a span of nice ticks).
        The ticks are then fixed: set ``align_ticks=False`` to keep
        Matplotlib's own ticks, e.g. for interactive zooming.
    **line_kws
        Passed to ``Axes.plot`` for both lines (``linewidth``, ``linestyle``,
        ``marker``, ...); each line keeps its own colour and label.

    Returns
    -------
    (matplotlib.axes.Axes, matplotlib.axes.Axes)
        The left and the right Axes; ``vizkit.plotted_data`` of each holds its line.

    See Also
    --------
    secondary_axis : the same quantity in a second unit, on one line.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> log = {"epoch": [1, 2, 3, 4], "loss": [1.2, 0.8, 0.6, 0.5], "lr": [0.1, 0.05, 0.02, 0.01]}
    >>> left, right = vk.dual_axis(log, x="epoch", left="loss", right="lr")
    >>> len(left.get_yticks()) == len(right.get_yticks())
    True
    >>> [t.get_text() for t in right.get_legend().get_texts()]
    ['Loss', 'LR']
    >>> plt.close(fig)
    """
    if not isinstance(align_ticks, (bool, np.bool_)):
        raise bad_type("align_ticks", "True or False", align_ticks)
    kws = check_artist_kws(line_kws, _dual_line_kws(), argument="line_kws")
    table = tidy(resolve_data(data), x=x, left=left, right=right, required=("x", "left", "right"))
    names = table.attrs["names"]
    xs, x_valid, x_dtype = _checks.x_values(table["x"], names.get("x"))
    values = {side: numeric_values(side, table[side], column=names.get(side)) for side in ("left", "right")}
    ax = target_ax(ax)
    twin = ax.twinx()
    colors = hue_colors(["left", "right"])
    lines, labels = [], []
    face = _face_color(ax)
    for side, axis in (("left", ax), ("right", twin)):
        drawn_table, drawn = draw_chart(axis, LineInput(xs, x_valid, x_dtype, values[side]),
                                        LineLooks({None: colors[side]}, kws=kws, what=f"`{side}`"))
        name = names[side] if names.get(side) is not None else side
        label = axis_label(name)
        label_axis(axis.yaxis, name)
        group_thousands(axis.yaxis)
        text = _lines_axes.readable(colors[side], face)
        axis.yaxis.label.set_color(text)
        axis.tick_params(axis="y", labelcolor=text)
        if drawn:
            lines.append(axis.lines[-1])
            labels.append(label)
        attach_data(axis, drawn_table, chart="line")
    _label_axes(ax, {"x": names.get("x")}, x_dtype, xs)
    twin.grid(False)
    n_ticks = _lines_axes.align_ticks(ax, twin) if align_ticks else None
    if lines:
        # one legend over the lines of both Axes (each Axes' own loc="best" sees only its own lines)
        growth = Growth("ticks" if align_ticks and n_ticks is not None else "height", axes=(ax, twin))
        place(ax, twin.legend(lines, labels), Obstacles(lines=lines), growth=growth)
    keep_inside(ax)  # without a layout engine, both Axes make room in the figure for their labels
    return ax, twin


def _face_color(ax):
    from matplotlib.colors import to_rgba

    face = to_rgba(ax.get_facecolor())
    return face if face[3] > 0 else to_rgba(ax.get_figure(root=True).get_facecolor())


def secondary_axis(ax, *, which="y", functions, label=None):
    """Add an axis showing the same values in a second unit, after checking the conversion.

    Wraps ``ax.secondary_yaxis("right", ...)`` (``which="y"``) or
    ``ax.secondary_xaxis("top", ...)`` (``which="x"``). Before adding it,
    ``functions`` are tried on 51 values spread across the current limits:
    ``inverse(forward(v))`` must give back ``v`` and ``forward(inverse(w))``
    must give back ``w``, to a relative tolerance of 1e-6, and neither may
    raise or return non-finite values there.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    which : {"y", "x"}, default "y"
    functions : (callable, callable)
        ``(forward, inverse)``: forward converts the axis' values to the second
        unit, inverse converts back; both take and return NumPy arrays.
    label : str, optional
        Label of the new axis.

    Returns
    -------
    matplotlib.axes.Axes
        The secondary axis (Matplotlib's ``SecondaryAxis``).

    Raises
    ------
    vizkit.errors.VizkitValueError
        ``functions`` do not undo each other, raise, or give non-finite values
        across the limits (the message shows a value that fails).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> ax = vk.line({"day": [1, 2, 3], "temp": [12.0, 15.5, 9.0]}, x="day", y="temp")
    >>> fahrenheit = vk.secondary_axis(ax, functions=(lambda c: c * 9 / 5 + 32, lambda f: (f - 32) * 5 / 9),
    ...                                label="°F")
    >>> fahrenheit.get_ylabel()
    '°F'
    >>> vk.secondary_axis(ax, functions=(lambda c: c * 9 / 5 + 32, lambda f: f - 32))
    Traceback (most recent call last):
    ...
    vizkit._core.errors.VizkitValueError: `functions` must be a pair (forward, inverse) where each function undoes the other; got inverse(forward(...)) = ...
    >>> plt.close(fig)
    """
    check_axes("ax", ax)
    which = check_choice("which", which, ["y", "x"])
    if (not isinstance(functions, (tuple, list)) or len(functions) != 2
            or not all(callable(f) for f in functions)):
        raise bad_type("functions", "a pair (forward, inverse) of functions", functions)
    if label is not None and not isinstance(label, str):
        raise bad_type("label", "a string or None", label)
    axis = ax.yaxis if which == "y" else ax.xaxis
    limits = ax.get_ylim() if which == "y" else ax.get_xlim()
    scale = axis.get_transform()
    with np.errstate(all="ignore"):
        ends = scale.transform(np.asarray(limits, dtype=float))
        samples = scale.inverted().transform(np.linspace(ends[0], ends[1], 51))
    samples = samples[np.isfinite(samples)]
    _lines_axes.check_inverse_pair(tuple(functions), samples)
    functions = tuple(functions)
    if which == "y":
        secondary = ax.secondary_yaxis("right", functions=functions)
        if label is not None:
            secondary.set_ylabel(user_text(label))
    else:
        secondary = ax.secondary_xaxis("top", functions=functions)
        if label is not None:
            secondary.set_xlabel(user_text(label))
    return secondary
