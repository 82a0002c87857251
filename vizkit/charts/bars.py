"""Bar charts: counts or estimates per category, grouped, stacked or as percentages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit import colors as _colors
from vizkit._core import (
    attach_data,
    bad_value,
    before_draw,
    check_choice,
    check_number,
    resolve_data,
    target_ax,
    tidy,
)
from vizkit._core import semantics as _semantics
from vizkit._core.errors import user_warning
from vizkit._core.kwargs import ArtistKws, check_artist_kws
from vizkit._core.axes import group_thousands
from vizkit._core.labels import axis_label, label_axis, plain
from vizkit._core.room import keep_inside
from vizkit._core.stats import group_estimates, parse_errorbar
from vizkit.charts._category_ticks import category_texts, fit_category_labels

__all__ = ["bar"]

_LAYOUTS = ("grouped", "stacked", "percent")
_ORIENTS = {"v": "v", "vertical": "v", "x": "v", "h": "h", "horizontal": "h", "y": "h"}
_SORTS = ("asc", "desc")
MAX_BARS = 1000  # more categories than this need top= (a bar per level stops being readable)
_SLOT = 0.8  # share of each category's slot covered by its bars
_LABEL_PAD = 3  # points between a bar's end and its label
_MIN_CONTRAST = 4.5


def _format_label(labels, value: float) -> str:
    if isinstance(labels, str):
        return labels.format(value) if "{" in labels else format(value, labels)
    if np.isclose(value, round(value)) and abs(value) < 1e15:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.1f}"
    return f"{value:.2g}"


def _is_percent_format(labels) -> bool:
    """Whether a ``labels`` format multiplies by 100 and adds "%" (".0%", "{:.1%}")."""
    import string

    if not isinstance(labels, str):
        return False
    if "{" not in labels:
        return labels.endswith("%")
    try:
        return any(spec and spec.endswith("%") for _, _, spec, _ in string.Formatter().parse(labels))
    except ValueError:
        return False


def _check_labels(labels):
    if isinstance(labels, bool):
        return labels
    if isinstance(labels, str):
        try:
            _format_label(labels, 1.5)
        except (ValueError, IndexError, KeyError, AttributeError, TypeError):  # "{0[0]}", "{x.foo}"
            raise bad_value("labels", "True, False or a format such as '{:.1f}' or '.0%'", labels) from None
        return labels
    raise bad_value("labels", "True, False or a format string such as '{:.1f}'", labels)


# Keywords of Axes.bar that are not Rectangle properties; the positions and lengths come from the data.
_CALL_KWS = ("align", "log", "width")  # width: checked below, as one number
_PLACED = ("x", "y", "xy", "height", "bottom", "left", "bounds", "tick_label")
_OWN_INTERVALS = ("xerr", "yerr", "error_kw", "ecolor", "capsize")


def _check_bar_kws(bar_kws: dict) -> dict:
    """``bar_kws`` checked on a Rectangle; ``width`` is one number (the share of a slot a bar covers)."""
    from matplotlib.patches import Rectangle

    reserved = {key: "unset: bar places each bar from the data (use `orient`, `layout` and `width`)"
                for key in _PLACED}
    reserved |= {key: "unset: bar draws intervals itself (use `errorbar=`)" for key in _OWN_INTERVALS}
    kws = check_artist_kws(bar_kws, ArtistKws(Rectangle, call=_CALL_KWS, reserved=reserved), argument="bar_kws")
    if "width" in kws:
        kws["width"] = check_number("width", kws["width"], low=0, low_open=True)
    if "align" in kws:
        kws["align"] = check_choice("align", kws["align"], ("center", "edge"))
    return kws


def _other_label(levels) -> str:
    label = "Other"
    while label in levels:
        label += " "
    return label


def bar(data=None, *, x=None, y=None, hue=None, layout="grouped", orient="v", sort=None, top=None,
        estimator="mean", errorbar=None, labels=False, highlight=None, palette=None, colors=None, redundant=None,
        ax=None, **bar_kws):
    """Draw bars: one per category of ``x`` (and per ``hue`` level), counting rows or estimating ``y``.

    Parameters
    ----------
    data : DataFrame, mapping or Series, optional
        Tidy data; ``x``, ``y`` and ``hue`` name its columns or the levels
        of its index (or are vectors). A Series is its values over its
        index, as ``s.value_counts()`` gives: one bar per index value.
    x : column name or vector, optional
        The categories, one slot of bars each (whatever the orientation).
        Dates are written to the finest resolution they use (2001,
        2001-03, 2001-03-04). Labels under vertical bars that would collide
        are wrapped at spaces, else turned 45 or 90 degrees, each time the
        figure draws.
        Default: the index of ``data`` when it is a Series or a frame with a
        labelled index (``df.groupby(...).sum()``); else required.
    y : column name or vector, optional
        The values to estimate per category. None counts rows; for a Series,
        or a one-column frame whose index is ``x``, None takes its values. A boolean ``y`` draws the share of True per category,
        in percent.
    hue : column name or vector, optional
        A second grouping, one bar (or segment) per level within each slot.
    layout : {"grouped", "stacked", "percent"}
        With ``hue``: bars side by side, stacked, or stacked to 100 % of each
        category (the value axis then reads in percent).
    orient : {"v", "h"}
        Vertical bars (categories along the x axis) or horizontal bars
        (categories down the y axis, first at the top). Also accepts
        "vertical"/"horizontal".
    sort : {"asc", "desc"}, optional
        Order categories by their total value instead of their data order.
    top : int, optional
        Keep the ``top`` categories with the largest totals and gather every
        other row into one "Other" bar (estimated the same way: for counts
        and sums it is their sum), drawn last.
    estimator : {"mean", "median", "sum", "min", "max"} or callable
        How the values of a bar are combined (ignored when counting).
    errorbar : None, "sd", "se", ("ci", level) or ("pi", level)
        Interval drawn on each bar: standard deviation, standard error, a
        seeded percentile-bootstrap confidence interval (identical on every
        call), or the central ``level`` % of the data; ``level`` is a
        percentage in (0, 100] (95, not 0.95). Grouped bars only.
        Each interval is drawn from its bounds (``low`` to ``high``), which
        need not hold the bar's value: a narrow percentile interval of skewed
        data can lie wholly below its mean.
    labels : bool or str
        Write each bar's value on it: True for an automatic format, or a
        format such as ``"{:.1f}"`` or ``".0%"`` (on ``layout="percent"`` the
        values are percentages already, so ``".0%"`` prints "45%", and
        True adds "%"). Labels sit past the bar's
        end (grouped) or in the middle of each segment (stacked, percent);
        their colour reaches a WCAG contrast of 4.5:1 against what is behind
        them; a label that does not fit its segment is left out, with one
        warning that counts them (``plotted_data``'s ``label_drawn`` says
        which); the value axis grows so that no label is clipped.
    highlight : level or list of levels, optional
        Keep these ``hue`` levels (or ``x`` categories, without ``hue``) in
        colour and turn the rest one grey, both chosen against the Axes
        face: the highlighted colour reaches a contrast of 3:1 with it and
        the grey recedes (light grey on a white face, dark on a dark one).
    palette : palette name, list of colours or dict, optional
        Colours of the ``hue`` levels (default: the active colour cycle).
        Without ``hue``, a palette colours each category. Hue levels follow
        vizkit's one rule (:func:`vizkit._core.semantics.hue_kind`): colours
        in level order (a Categorical's, else sorted); integers with at most
        12 values are levels, an ordered Categorical or numbers take the
        face's sequential ramp.
    colors : dict, optional
        A colour for every ``hue`` level (or ``x`` category without ``hue``):
        pins them for this chart, over ``palette`` and :func:`vizkit.set_colors`.
    redundant : bool, optional
        Give each ``hue`` level a hatch as well as a colour, so levels stay
        apart without colour. Default: on past 8 levels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **bar_kws
        Passed to ``Axes.bar``/``Axes.barh`` (your values win), e.g.
        ``edgecolor``, ``alpha``, ``width`` (one number). Each is checked on a
        Matplotlib Rectangle first: a misspelt name or a value Matplotlib
        refuses raises a vizkit error naming it ("Did you mean 'color'?").

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` gives one row per bar: ``x``, ``hue``,
        ``value``, ``low``, ``high``, ``n``, the drawn ``start``/``end`` on
        the value axis, ``position`` on the category axis, ``label`` (the
        value label, empty for none) and ``label_drawn`` (whether that label
        fits and is drawn; updated each time the figure draws).

    Raises
    ------
    VizkitValueError, VizkitTypeError, ColumnNotFoundError
        For a missing column, non-numeric, complex or infinite ``y``, an unknown
        option, no rows to draw, more than 1000 categories without ``top``,
        negative values with ``layout="percent"``, or error bars on stacks.

    See Also
    --------
    vizkit.facet : one panel of bars per group ("multiple bar plot").

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> penguins = vk.load_dataset("penguins")
    >>> fig, ax = plt.subplots()
    >>> ax = vk.bar(penguins, x="species", sort="desc", labels=True, ax=ax)
    >>> vk.plotted_data(ax)[["x", "value", "label"]]
               x  value label
    0     Adelie  152.0   152
    1     Gentoo  124.0   124
    2  Chinstrap   68.0    68
    >>> plt.close(fig)
    """

    layout = check_choice("layout", layout, _LAYOUTS)
    orient = _ORIENTS[check_choice("orient", orient, list(_ORIENTS))]
    sort = check_choice("sort", sort, _SORTS) if sort is not None else None
    top = check_number("top", top, integer=True, low=1, allow_none=True)
    labels = _check_labels(labels)
    bar_kws = _check_bar_kws(bar_kws)
    spec = parse_errorbar(errorbar)
    if y is None and spec is not None:
        raise bad_value("errorbar", "None when `y` is None (counts have no spread)", errorbar)
    if spec is not None and hue is not None and layout != "grouped":
        raise bad_value("errorbar", f"None with layout={layout!r} (intervals of stacked segments mislead)",
                        errorbar, hint="Use layout='grouped' to show error bars.")

    data, x, y = _index_as_x(data, x, y)
    table = tidy(data, x=x, y=y, hue=hue, required=("x",))
    names = table.attrs["names"]
    measure = "count" if y is None else _check_share(table["y"], estimator, layout if hue is not None else "grouped")
    grouping = _Grouping(estimator if y is not None else "sum", spec, top, sort, measure=measure,
                         has_hue=hue is not None)
    stats, x_levels, hue_levels = _aggregate(table, data, x, grouping)
    stats = _place(stats, x_levels, hue_levels, layout if hue is not None else "grouped")
    in_percent = measure == "share" or (hue is not None and layout == "percent")
    stats["label"] = _label_texts(stats, labels, in_percent)
    styles = _semantics.redundant_styles(hue_levels, redundant) if hue is not None else None
    colors = _bar_colors(x_levels, hue_levels, hue is not None, palette, highlight, repeat_ok=styles is not None,
                         given=colors, kind=_semantics.hue_kind(table["hue"]) if hue is not None else None, face=ax)

    ax = target_ax(ax)
    colors = _highlight_on_face(colors, highlight, ax.get_facecolor())
    _draw(ax, stats, colors, orient, spec, hue is not None, bar_kws, styles)
    _dress_axes(ax, stats, x_levels, names, orient, layout if hue is not None else "grouped", measure=measure)
    if hue is not None:
        stacked = layout in ("stacked", "percent") and orient == "v"  # legend top-down = stack top-down
        _legend(ax, colors, hue_levels, highlight, names.get("hue"), styles, reverse=stacked)

    stats["label_drawn"] = stats["label"] != ""  # settled by _fit_labels, here and whenever the Axes draws
    table = attach_data(ax, stats.drop(columns=[c for c in ("hue",) if hue is None]), chart="bar")
    if labels:
        _label_bars(ax, stats, colors, orient, layout if hue is not None else "grouped", table)
    keep_inside(ax)  # without a layout engine, the Axes makes room in the figure for its labels and legend
    return ax


def _check_share(y, estimator, layout) -> str:
    """"share" for a boolean ``y`` (bars of the share of True), after checking the options fit; else "value"."""
    import pandas as pd

    present = y.dropna()
    boolean = pd.api.types.is_bool_dtype(y.dtype) or (
        y.dtype == object and len(present) > 0 and present.map(lambda v: isinstance(v, (bool, np.bool_))).all())
    if not boolean:
        return "value"
    if not (isinstance(estimator, str) and estimator == "mean"):
        raise bad_value("estimator", "'mean' for a boolean `y` (bars show the share of True)", estimator,
                        hint="For the number of True per bar, pass y as integers (.astype(int)) with estimator='sum'.")
    if layout != "grouped":
        raise bad_value("layout", "'grouped' for a boolean `y` (shares of True of different groups do not add up)",
                        layout)
    return "share"


def _index_as_x(data, x, y):
    """``data`` as a frame, with ``x`` and ``y`` defaulted from it: a Series is its values (``y``) over its
    index (``x``); a frame with a labelled index (not a plain row count) gives its index as ``x``."""
    import pandas as pd

    series = isinstance(data, pd.Series)
    data = resolve_data(data) if series else data
    if x is None and isinstance(data, pd.DataFrame) and data.index.nlevels == 1 \
            and not (isinstance(data.index, pd.RangeIndex) and data.index.name is None):
        x = data.index
        series = series or data.shape[1] == 1  # s.value_counts().to_frame(): a Series in a frame
    if series and y is None:
        y = data.columns[0]
    return data, x, y


@dataclass(frozen=True)
class _Grouping:
    """How bar aggregates: the estimator, the interval, the top categories kept, the order."""

    estimator: object
    spec: tuple | None
    top: int | None
    sort: str | None
    measure: str  # "count" (rows), "value" (estimates of y) or "share" (of True, in percent)
    has_hue: bool


def _aggregate(table, data, x, grouping: _Grouping):
    """One row per (category, hue level): the estimate, its interval and count, in display order."""
    import pandas as pd

    estimator, spec, top, sort = grouping.estimator, grouping.spec, grouping.top, grouping.sort
    has_hue = grouping.has_hue

    if grouping.measure == "count":
        values = np.ones(len(table))
    elif grouping.measure == "share":  # True counts 100, False 0: the mean is the share of True in percent
        values = np.where(table["y"].isna(), np.nan, table["y"].fillna(False).astype(bool) * 100.0)
    else:
        values = _semantics.numeric_values("y", table["y"], column=table.attrs["names"].get("y"))
    x_levels, x_codes = _semantics.levels_and_codes("x", table["x"])
    if has_hue:
        hue_levels, hue_codes = _semantics.levels_and_codes("hue", table["hue"], limit=_semantics.MAX_HUE_LEVELS,
                                                            sort=True)
    else:
        hue_levels, hue_codes = [None], np.zeros(len(table), dtype=np.intp)
    keep = (x_codes >= 0) & (hue_codes >= 0) & ~np.isnan(values)
    if not keep.all():
        values, x_codes, hue_codes = values[keep], x_codes[keep], hue_codes[keep]
    if len(values) == 0:
        raise bad_value("data", "at least one row with a category and a value", data,
                        got="no such row (empty data, or every row has a missing x, y or hue)")

    other = None
    if top is not None and top < len(x_levels):
        totals = group_estimates(values, x_codes, len(x_levels), estimator=estimator)["estimate"]
        kept = np.sort(np.argsort(-np.nan_to_num(totals, nan=-np.inf), kind="stable")[:top])
        other = _other_label(x_levels)
        remap = np.full(len(x_levels), len(kept), dtype=np.intp)
        remap[kept] = np.arange(len(kept))
        x_levels, x_codes = [x_levels[i] for i in kept] + [other], remap[x_codes]
    elif len(x_levels) > MAX_BARS:
        raise bad_value("x", f"at most {MAX_BARS} categories", x, got=f"{len(x_levels)} categories",
                        hint="Pass top=N to keep the N largest and gather the rest into 'Other'.")

    nx, nh = len(x_levels), len(hue_levels)
    est = group_estimates(values, x_codes * nh + hue_codes, nx * nh, estimator=estimator, errorbar=spec)
    stats = pd.DataFrame({
        "x": np.repeat(np.array(x_levels, dtype=object), nh),
        "hue": np.tile(np.array(hue_levels, dtype=object), nx),
        "value": est["estimate"], "low": est["low"], "high": est["high"], "n": est["n"],
    })
    empty = stats["n"] == 0  # a missing (x, hue) pair simply has no bar
    for level in (stats.loc[empty, "hue"].unique() if has_hue else []):
        if not (stats["hue"].eq(level) & ~empty).any():
            user_warning(f"`hue` level {level!r} has no values to draw")

    if sort is not None:
        totals = np.nansum(stats["value"].to_numpy(dtype=float).reshape(nx, nh), axis=1)
        order = np.argsort(totals if sort == "asc" else -totals, kind="stable")
        if other is not None:
            order = np.array([i for i in order if i != nx - 1] + [nx - 1])  # "Other" stays last
        x_levels = [x_levels[i] for i in order]
        # By position: levels used as labels go wrong for booleans (a list of them is a mask to pandas).
        rows = (order[:, None] * nh + np.arange(nh)).ravel()
        stats = stats.iloc[rows].reset_index(drop=True)

    return stats, x_levels, hue_levels


def _dress_axes(ax, stats, x_levels, names, orient, layout, *, measure):
    """Category ticks and labels, the value axis (percent format), and a zero line under negative bars."""
    import matplotlib as mpl

    category_axis, value_axis = (ax.xaxis, ax.yaxis) if orient == "v" else (ax.yaxis, ax.xaxis)
    positions = np.arange(len(x_levels))
    texts = [plain(text) for text in category_texts(x_levels)]
    (ax.set_xticks if orient == "v" else ax.set_yticks)(positions, texts)
    if orient == "v":
        fit_category_labels(ax, positions, texts)
    category_axis.grid(False)
    category_axis.set_tick_params(length=0)
    if orient == "h" and not ax.yaxis_inverted():
        ax.invert_yaxis()
    label_axis(category_axis, names.get("x"))
    if layout == "percent" or measure == "share":
        from matplotlib.ticker import PercentFormatter

        value_axis.set_major_formatter(PercentFormatter(100))
    if layout == "percent":
        (ax.set_ylim if orient == "v" else ax.set_xlim)(0, 100)
        label_axis(value_axis, "percent")
    elif measure == "share":
        if not value_axis.get_label_text():
            value_axis.set_label_text("Share of True" + (f": {axis_label(names['y'])}" if names.get("y") is not None
                                                         else ""))
    else:
        label_axis(value_axis, "count" if measure == "count" else names.get("y"))
        group_thousands(value_axis)  # ticks read 1,234 as the value labels do
    if (stats["end"] < 0).any() or (stats["start"] < 0).any():
        (ax.axhline if orient == "v" else ax.axvline)(0, color=mpl.rcParams["axes.edgecolor"],
                                                      linewidth=mpl.rcParams["axes.linewidth"], zorder=1.5)


def _place(stats, x_levels, hue_levels, layout):
    """Add ``position`` (bar centre on the category axis), ``width``, ``start`` and ``end`` (value axis)."""
    nh = len(hue_levels)
    slot = np.repeat(np.arange(len(x_levels), dtype=float), nh)
    values = stats["value"].to_numpy(dtype=float)
    if layout == "grouped":
        width = _SLOT / nh
        offset = (np.tile(np.arange(nh), len(x_levels)) - (nh - 1) / 2) * width
        start = np.zeros_like(values)
        end = values
    else:
        width = _SLOT
        offset = np.zeros_like(slot)
        filled = np.nan_to_num(values)
        if layout == "percent":
            if (filled < 0).any():
                first = stats.loc[filled < 0].iloc[0]
                raise bad_value("layout", "'grouped' or 'stacked' for negative values", "percent",
                                got=f"'percent' with a negative value {first['value']:g} (x={first['x']!r})")
            totals = filled.reshape(-1, nh).sum(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                filled = np.where(totals > 0, filled.reshape(-1, nh) / totals * 100, 0).ravel()
            values = np.where(np.isnan(values), np.nan, filled)
        grid = filled.reshape(-1, nh)
        pos = np.where(grid > 0, grid, 0)
        neg = np.where(grid < 0, grid, 0)
        start = np.where(grid >= 0, np.cumsum(pos, axis=1) - pos, np.cumsum(neg, axis=1) - neg).ravel()
        end = start + grid.ravel()
        if layout == "percent":  # the top segment ends at exactly 100
            last = np.array([np.flatnonzero(row > 0)[-1] if (row > 0).any() else -1 for row in grid])
            for i, j in enumerate(last):
                if j >= 0:
                    end[i * nh + j] = 100.0
        stats = stats.assign(value=values)
    return stats.assign(position=slot + offset, width=width, start=start, end=end)


def _bar_colors(x_levels, hue_levels, has_hue, palette, highlight, *, repeat_ok=False, given=None, kind=None,
                face=None) -> dict:
    """Colour of each bar, keyed by hue level (with hue) or by category (without), chosen for the face."""
    face = _colors.face_color(face)
    if has_hue:
        return _colors.hue_scale(hue_levels, kind, palette=palette, colors=given, highlight=highlight,
                                 repeat_ok=repeat_ok, face=face).mapping
    if palette is not None or given is not None or highlight is not None:  # each category its own colour,
        ordered = _semantics.sorted_levels([level for level in x_levels if level is not None])  # as with hue
        colors = _colors.hue_colors(ordered, palette=palette, colors=given, highlight=highlight, face=face)
        return {level: colors.get(level, _colors.context_grey(face)) for level in x_levels}
    first = _colors.hue_colors([None], face=face)[None]
    return {level: first for level in x_levels}


# Mark contrast (WCAG 1.4.11) a highlighted bar reaches against the face; the grey "other" bars keep the
# contrast the highlight grey has on a white face (about 1.9:1), so on every face they recede behind it.
_FOCUS_CONTRAST = 3.0


def _highlight_on_face(colors: dict, highlight, face) -> dict:
    """``colors`` with highlight's focus and context chosen against the Axes face.

    The grey that recedes on white (:data:`vizkit.colors.GREY`) is the brightest bar on a dark face, so
    the other bars take a grey as far from the face as GREY is from white, and each focus colour is
    darkened (or lightened) just enough to reach 3:1 against the face.
    """
    from matplotlib.colors import same_color

    if highlight is None:
        return colors
    focus = list(highlight) if isinstance(highlight, (list, tuple, set)) else [highlight]
    grey = _receding_grey(face)
    return {level: _colors.readable_color(color, face, min_ratio=_FOCUS_CONTRAST) if level in focus
            else (grey if same_color(color, _colors.GREY) else color) for level, color in colors.items()}


def _receding_grey(face) -> tuple:
    """GREY where it recedes (light faces); else the mix of the face and GREY that is as far from the face
    (WCAG contrast) as GREY is from white."""
    from matplotlib.colors import to_rgb

    target = _colors.contrast_ratio(_colors.GREY, "white")
    grey, base = np.array(to_rgb(_colors.GREY)), np.array(to_rgb(face))
    if _colors.contrast_ratio(grey, base) <= target * 1.05:
        return tuple(grey)
    low, high = 0.0, 1.0  # share of GREY in the mix; contrast with the face grows with it
    for _ in range(30):
        mid = (low + high) / 2
        low, high = (mid, high) if _colors.contrast_ratio(base + mid * (grey - base), base) < target else (low, mid)
    return tuple(base + high * (grey - base))


def _draw(ax, stats, colors, orient, spec, has_hue, bar_kws, styles=None):
    import matplotlib as mpl

    drawn = stats[stats["n"] > 0]
    # One container per hue level (a series each); without hue, one container for all the bars.
    groups = drawn.groupby("hue", sort=False) if has_hue else [(None, drawn)]
    for level, group in groups:
        kws = {"color": [colors[level if has_hue else x] for x in group["x"]],
               "label": str(level) if has_hue else None, "width": group["width"].to_numpy()}
        if styles is not None:
            kws |= _hatched(styles[level], colors[level])
        kws |= bar_kws
        lengths = (group["end"] - group["start"]).to_numpy()
        if orient == "v":
            ax.bar(group["position"].to_numpy(), lengths, bottom=group["start"].to_numpy(), **kws)
        else:
            kws["height"] = kws.pop("width")
            ax.barh(group["position"].to_numpy(), lengths, left=group["start"].to_numpy(), **kws)
    if spec is not None:
        shown = drawn[drawn["low"].notna()]
        low, high = shown["low"].to_numpy(), shown["high"].to_numpy()
        # Each interval is drawn as its own bounds: a percentile interval of skewed data need not hold the
        # bar's value (the mean), so errors measured from the value could be negative.
        centre, half = (low + high) / 2, (high - low) / 2
        errors = np.vstack([half, half])
        ink = mpl.rcParams["text.color"]
        if orient == "v":
            ax.errorbar(shown["position"], centre, yerr=errors, fmt="none", ecolor=ink, elinewidth=1.2, capsize=0)
        else:
            ax.errorbar(centre, shown["position"], xerr=errors, fmt="none", ecolor=ink, elinewidth=1.2, capsize=0)


def _hatched(index: int, face) -> dict:
    """Hatch keywords of the ``index``-th level: its hatch, drawn in black or white, whichever reads on
    ``face``. Set on the bars and on their legend entries alike (left to Matplotlib, the hatch colour
    followed ``patch.edgecolor`` at draw time: white in the legend, black on the bars)."""
    from matplotlib.patches import Rectangle

    kws = {"hatch": _semantics.hatch(index)}
    if hasattr(Rectangle, "set_hatchcolor"):  # Matplotlib 3.10+
        kws["hatchcolor"] = _colors.text_color_on(face)
    return kws


def _legend(ax, colors, hue_levels, highlight, title, styles=None, *, reverse=False):
    """The hue legend outside the Axes; ``reverse`` lists the last level first (the top of a vertical stack)."""
    from matplotlib.patches import Patch

    entries = _colors.legend_entries({level: colors[level] for level in hue_levels}, highlight)
    by_label = {str(level): level for level in hue_levels}
    handles = []
    for label, color in entries:
        hatched = styles is not None and label in by_label
        handles.append(Patch(facecolor=color, label=plain(label),
                             **(_hatched(styles[by_label[label]], color) if hatched else {})))
    if reverse:
        handles.reverse()
    # Outside the plotting area: inside, a legend on a bar chart almost always covers bars.
    ax.legend(handles=handles, title=None if title is None else axis_label(title), loc="upper left",
              bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


def _label_texts(stats, labels, percent: bool) -> list[str]:
    """Each bar's value label ("" for a bar without a value, or with ``labels=False``).

    ``percent``: the values are already percentages (0-100; a percent layout, shares of True), so a
    percent format (".0%") gets the share (0-1) and prints the percentage; the automatic format adds "%".
    """
    if not labels:
        return [""] * len(stats)
    scale = 100.0 if percent and _is_percent_format(labels) else 1.0
    suffix = "%" if percent and labels is True else ""
    return ["" if n == 0 or not np.isfinite(value) else _format_label(labels, value / scale) + suffix
            for n, value in zip(stats["n"], stats["value"], strict=True)]


def _label_bars(ax, stats, colors, orient, layout, table) -> None:
    """Write the computed value labels, fitted now and whenever the Axes draws (by _fit_labels), which
    records in ``table`` (the attached plotted data) which of them are drawn."""
    from matplotlib.colors import to_rgba

    face = to_rgba(ax.get_facecolor())
    outside_ink = _colors.text_color_on(face, dark=ax.xaxis.label.get_color(), light="white")
    if _colors.contrast_ratio(outside_ink, face) < _MIN_CONTRAST:
        outside_ink = _colors.text_color_on(face)
    key = "hue" if "hue" in stats and stats["hue"].notna().any() else "x"
    vertical = orient == "v"
    inside = layout in ("stacked", "percent")
    placed = []
    for index, row in zip(stats.index, stats.itertuples(index=False), strict=True):
        text = row.label
        if not text:
            continue
        if inside:
            middle = (row.start + row.end) / 2
            xy = (row.position, middle) if vertical else (middle, row.position)
            artist = ax.text(*xy, text, ha="center", va="center", fontsize="small",
                             color=_colors.text_color_on(colors[getattr(row, key)]))
        else:
            sign = 1 if row.end >= row.start else -1
            reach = row.end  # past the error bar, when there is one
            if np.isfinite(row.high):
                reach = max(reach, row.high) if sign > 0 else min(reach, row.low)
            xy = (row.position, reach) if vertical else (reach, row.position)
            offset = (0, sign * _LABEL_PAD) if vertical else (sign * _LABEL_PAD, 0)
            align = {"ha": "center", "va": "bottom" if sign > 0 else "top"} if vertical else \
                {"ha": "left" if sign > 0 else "right", "va": "center"}
            artist = ax.annotate(text, xy, xytext=offset, textcoords="offset points", color=outside_ink,
                                 fontsize="small", **align)
        half = row.width / 2
        corners = [(row.position - half, row.start), (row.position + half, row.end)]
        placed.append((artist, corners if vertical else [(b, a) for a, b in corners], inside, index))
    fit = _fit_labels(placed, vertical, table)
    before_draw(ax, fit, key="bar-labels")
    renderer = getattr(ax.figure.canvas, "get_renderer", None)
    if renderer is not None:  # fit now too, so that the call warns and plotted_data is right before any draw
        ax.get_xlim(), ax.get_ylim()  # settle the autoscaled limits the fit measures with
        fit(ax, renderer(), grow=False)  # limits grow at draw only: other charts may still change them


def _fit_labels(placed, vertical, table):
    """Hide labels that do not fit their segment (inside) or slot (outside), then grow the value
    axis until every visible outside label lies inside the Axes; runs when the Axes draws.

    Which labels are drawn goes to ``table["label_drawn"]``, at every fit. The first fit (at the call,
    else at the first draw) warns once with the count of labels left out; later fits, which a layout
    engine runs several times while it sizes the Axes, update the table silently.
    """
    first = [True]

    def fit(ax, renderer, grow=True):
        for artist, corners, inside, _ in placed:
            artist.set_visible(True)
            box = artist.get_window_extent(renderer)
            (x0, y0), (x1, y1) = ax.transData.transform(corners)
            across, along = (abs(x1 - x0), abs(y1 - y0)) if vertical else (abs(y1 - y0), abs(x1 - x0))
            text_across, text_along = (box.width, box.height) if vertical else (box.height, box.width)
            fits = text_across <= across * (1.02 if inside else 1.3)
            if inside:
                fits = fits and text_along + 2 <= along
            artist.set_visible(bool(fits))
        if grow:
            outside = [a for a, _, inside, _ in placed if not inside and a.get_visible()]
            _grow_value_axis(ax, outside, "v" if vertical else "h", renderer)
        drawn = [artist.get_visible() for artist, *_ in placed]
        table.loc[[index for *_, index in placed], "label_drawn"] = drawn
        left_out = drawn.count(False)
        if first[0] and left_out:
            user_warning(f"`labels`: {left_out} of {len(placed)} bar labels do not fit their bars and are not "
                         "drawn (vk.plotted_data(ax)['label_drawn'] says which). A larger figure, fewer "
                         "categories or orient='h' makes room.")
        first[0] = False

    return fit


def _grow_value_axis(ax, texts, orient, renderer, rounds: int = 3):
    """Widen the value axis until every given label lies inside the Axes."""
    if not texts:
        return
    get_lim, set_lim = (ax.get_ylim, ax.set_ylim) if orient == "v" else (ax.get_xlim, ax.set_xlim)
    for _ in range(rounds):
        inverse = ax.transData.inverted()
        low, high = sorted(get_lim())
        needed_low, needed_high = low, high
        for text in texts:
            box = text.get_window_extent(renderer)
            corners = inverse.transform([(box.x0, box.y0), (box.x1, box.y1)])
            values = corners[:, 1] if orient == "v" else corners[:, 0]
            needed_low, needed_high = min(needed_low, values.min()), max(needed_high, values.max())
        if needed_low >= low and needed_high <= high:
            return
        span = needed_high - needed_low
        new_low = low if needed_low >= low else needed_low - 0.02 * span
        new_high = high if needed_high <= high else needed_high + 0.02 * span
        inverted = get_lim()[0] > get_lim()[1]
        set_lim((new_high, new_low) if inverted else (new_low, new_high))
