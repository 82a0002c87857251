"""Small multiples: one panel per level of a column, drawn by any vizkit chart."""

from __future__ import annotations

import inspect
import string
from dataclasses import dataclass

import numpy as np

from vizkit._core import (
    axis_number,
    bad_type,
    bad_value,
    check_number,
    resolve_column,
    resolve_data,
)
from vizkit._core import semantics as _semantics
from vizkit._core.labels import axis_label, plain, user_text

__all__ = ["facet", "FacetGrid", "mosaic", "inset"]

#: A figure wider than this (inches) no longer reads on a screen or a page: ``facet`` wraps ``col`` past it.
MAX_FIGURE_WIDTH = 17.0
#: Past this many panels each is too small to read: ``facet`` warns, naming the count.
MAX_READABLE_PANELS = 36
_TITLE_KEYS = ("col", "row", "col_value", "row_value", "value")
_CATEGORY_ROLES = ("x", "y", "hue", "style")  # chart arguments whose levels must agree across panels


class FacetGrid:
    """The result of :func:`facet`: a figure of panels, one per level.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    axes : numpy.ndarray of Axes, shape (n_rows, n_cols)
        Panels in reading order; with ``col_wrap`` the unused slots of the
        last row are removed from the figure and hold None.
    data : pandas.DataFrame
        The data the grid was drawn from.
    axes_dict : dict
        ``{level: Axes}`` (or ``{(row_level, col_level): Axes}`` for a grid).
    row_names, col_names : list
        The levels along each direction.
    legend : matplotlib.legend.Legend or None
        The one figure-level legend gathered from the panels.
    """

    def __init__(self, figure, axes, data, axes_dict, row_names, col_names, legend):
        self.figure = figure
        self.axes = axes
        self.data = data
        self.axes_dict = axes_dict
        self.row_names = row_names
        self.col_names = col_names
        self.legend = legend

    def __iter__(self):
        """The panels that exist, in reading order."""
        return (ax for ax in self.axes.flat if ax is not None)

    def __repr__(self) -> str:
        return f"<FacetGrid {self.axes.shape[0]}x{self.axes.shape[1]} panels>"


def _check_chart(chart):
    if not callable(chart):
        raise bad_type("chart", "a chart function such as vizkit.bar", chart)
    try:
        parameters = inspect.signature(chart).parameters
    except (TypeError, ValueError):
        return chart
    if "ax" not in parameters or "data" not in parameters:
        raise bad_value("chart", "a function taking `data` and `ax` (any vizkit chart)", chart,
                        got=f"{getattr(chart, '__name__', chart)!r} without those arguments")
    return chart


def _titles(titles, row, col):
    default = facet.__kwdefaults__["titles"]
    if titles is None:
        return None
    if not isinstance(titles, str):
        raise bad_type("titles", "a template string such as '{col} = {value}', or None", titles)
    if titles == default and row is not None and col is not None:
        titles = "{row} = {row_value} | {col} = {col_value}"
    unknown = [name for _, name, _, _ in string.Formatter().parse(titles) if name and name not in _TITLE_KEYS]
    if unknown:
        raise bad_value("titles", f"a template using only {', '.join('{' + k + '}' for k in _TITLE_KEYS)}",
                        titles, got=f"{titles!r} with {{{unknown[0]}}}")
    return titles


def facet(data, *, chart, col=None, row=None, col_wrap=None, sharex=True, sharey=True,
          titles="{col} = {value}", margin_titles=False, height=3.0, aspect=1.4, **chart_kws):
    """Draw one panel per level of ``col`` (and ``row``) with the same chart.

    The lecture's "multiple bar plot" is ``facet(df, chart=vizkit.bar, col=...)``;
    any vizkit chart works as ``chart``. Every panel gets the same categories
    and the same hue colours (categorical columns keep the levels of the whole
    data), shared axes read the same, and the panels' legends are gathered
    into one legend for the figure.

    Parameters
    ----------
    data : DataFrame
    chart : callable
        A vizkit chart (``vizkit.bar``, ``vizkit.line``, ``vizkit.scatter``, ...);
        it is called once per panel with the panel's rows as ``data`` and
        the panel as ``ax``.
    col, row : column name, optional
        Split panels across columns and/or rows by this column's levels.
    col_wrap : int, optional
        With ``col`` only: wrap the panels into rows of this many. Default:
        one row while it is at most 17 inches wide (4 panels at the default
        size), else rows of at most ``floor(17 / (height * aspect))`` panels,
        balanced (60 levels: 15 rows of 4). Past 36 panels a ``UserWarning``
        names the count and suggests filtering the data; a ``row`` x ``col``
        grid wider than 17 inches (it cannot wrap) warns too.
    sharex, sharey : bool
        Share the axes (inner tick labels are hidden).
    titles : str or None
        Panel title template with ``{col}``, ``{row}`` (column names),
        ``{col_value}``, ``{row_value}`` and ``{value}`` (the panel's level).
        With both ``row`` and ``col`` the default becomes
        ``"{row} = {row_value} | {col} = {col_value}"``. None: no titles.
    margin_titles : bool
        With both ``row`` and ``col``: name each column once above the top
        row ("{col} = {col_value}") and each row once down the right edge
        ("{row} = {row_value}"), instead of a title on every panel.
    height, aspect : float
        Size of each panel in inches, and its width / height.
    **chart_kws
        Passed to ``chart`` for every panel (``x=``, ``y=``, ``hue=``, ...).
        ``highlight="context"`` (with ``col`` or ``row`` alone) draws every
        panel from all the data, coloured by the facet column: the panel's
        own group in its colour, in front of every other group in grey.

    Returns
    -------
    FacetGrid
        ``.figure``, ``.axes`` (2-D array), ``.data``, ``.axes_dict``.

    Examples
    --------
    >>> import vizkit as vk
    >>> penguins = vk.load_dataset("penguins")
    >>> grid = vk.facet(penguins, chart=vk.bar, col="island", x="species")
    >>> grid.axes.shape, [ax.get_title() for ax in grid]
    ((1, 3), ['Island = Torgersen', 'Island = Biscoe', 'Island = Dream'])
    >>> import matplotlib.pyplot as plt; plt.close(grid.figure)
    """
    chart = _check_chart(chart)
    _check_facet_kws(chart, chart_kws)
    data = resolve_data(data)
    if data is None:
        raise bad_type("data", "a pandas DataFrame (facet splits its rows)", data)
    if col is None and row is None:
        raise bad_value("col", "a column name (or give `row`)", col, hint="facet() needs something to split by.")
    col_wrap = check_number("col_wrap", col_wrap, integer=True, low=1, allow_none=True)
    if col_wrap is not None and (col is None or row is not None):
        raise bad_value("col_wrap", "None unless `col` is given without `row`", col_wrap)
    height = check_number("height", height, low=0, low_open=True)
    aspect = check_number("aspect", aspect, low=0, low_open=True)
    titles = _titles(titles, row, col)
    context = _check_context(chart_kws, col, row)
    data = _consistent_levels(data, {**chart_kws, "hue": col if col is not None else row} if context else chart_kws)
    data, chart_kws = _shared_hue_scale(data, chart, chart_kws)
    split = _Split.of(data, col, row)
    col_wrap = _auto_wrap(split, col_wrap, height * aspect)
    _warn_crowded(split, height * aspect)
    layout = _Layout(split, col_wrap, height, aspect, sharex, sharey,
                     margins=bool(margin_titles) and row is not None and col is not None and titles is not None,
                     titles=titles, context=context)
    figure, axes = _figure(layout)
    try:
        axes_dict = {key: _draw_panel(ax, chart, data, chart_kws, layout, panel)
                     for ax, (key, panel) in zip(axes.flat, split.panels(), strict=False)}
    except Exception:
        import matplotlib.pyplot as plt

        plt.close(figure)  # a refused panel leaves no half-drawn figure behind
        raise
    _tidy_grid(figure, axes, layout)
    _one_colorbar_per_row(axes)
    legend = _gather_legends(figure, [ax for ax in axes.flat if ax is not None])
    return FacetGrid(figure, axes, data, axes_dict, split.row_names, split.col_names, legend)


_FACET_PARAMETERS = ("chart", "col", "row", "col_wrap", "sharex", "sharey", "titles", "margin_titles", "height",
                     "aspect")


def _check_facet_kws(chart, chart_kws) -> None:
    """A keyword that is a typo of facet's own (``colwrap``) names it and suggests the right one."""
    from vizkit._core import bad_choice
    from vizkit._core.errors import closest

    try:
        named = set(inspect.signature(chart).parameters)
    except (TypeError, ValueError):
        named = set()
    for key in chart_kws:
        near = closest(key, _FACET_PARAMETERS, cutoff=0.8) if key not in named else None
        if near is not None:
            raise bad_choice(key, key, _FACET_PARAMETERS, what="a facet() argument such as")


def _auto_wrap(split, col_wrap, panel_width):
    """``col_wrap``, or for ``col`` alone wider than :data:`MAX_FIGURE_WIDTH`: rows of balanced length.

    At most ``floor(MAX_FIGURE_WIDTH / panel_width)`` panels a row (at least one), spread evenly
    over the rows so the last row is not left nearly empty (5 panels of 4.2 in: 3 + 2, not 4 + 1).
    """
    n = len(split.col_names)
    if col_wrap is not None or split.row is not None or split.col is None or n * panel_width <= MAX_FIGURE_WIDTH:
        return col_wrap
    most = max(1, int(MAX_FIGURE_WIDTH // panel_width))
    rows = -(-n // most)
    return -(-n // rows)


def _warn_crowded(split, panel_width) -> None:
    """Warn past :data:`MAX_READABLE_PANELS` panels, or for a ``row`` x ``col`` grid too wide to read."""
    from vizkit._core.errors import user_warning

    n = len(split.col_names) * len(split.row_names)
    width = len(split.col_names) * panel_width
    if n <= MAX_READABLE_PANELS and split.row is not None and split.col is not None and width > MAX_FIGURE_WIDTH:
        user_warning(f"facet draws {len(split.col_names)} columns of panels, {width:.3g} inches wide: a row x col "
                     f"grid cannot wrap. Put the column with more levels in `row`, or pass a smaller "
                     f"`height`/`aspect` to keep it within {MAX_FIGURE_WIDTH:g} inches.")
    if n > MAX_READABLE_PANELS:
        keys = " x ".join(f"{role} {key!r} ({len(names)} levels)" for role, key, names in (
            ("`row`", split.row, split.row_names), ("`col`", split.col, split.col_names)) if key is not None)
        user_warning(f"facet draws {n} panels, one per level of {keys}: past {MAX_READABLE_PANELS} panels each "
                     "is too small to read. Filter `data` to the levels that matter, or group levels, "
                     "or set `col_wrap` and `height` for a poster-sized figure.")


def _check_context(chart_kws, col, row) -> bool:
    """True for ``highlight="context"`` (every panel draws all the data), after checking it can apply."""
    highlight = chart_kws.get("highlight")
    if not isinstance(highlight, str) or highlight != "context":
        return False
    if (col is None) == (row is None):
        raise bad_value("highlight", "'context' with `col` or `row` alone", "context",
                        got="'context' with " + ("both" if col is not None else "neither"))
    if chart_kws.get("hue") is not None:
        raise bad_value("hue", "None with highlight='context' (the facet column gives the colours)",
                        chart_kws["hue"])
    return True


@dataclass(frozen=True)
class _Split:
    """How the rows of ``data`` split into panels: the levels along each direction and each row's codes."""

    col: object
    row: object
    col_names: list
    row_names: list
    col_codes: np.ndarray | None
    row_codes: np.ndarray | None

    @classmethod
    def of(cls, data, col, row) -> _Split:
        found = {}
        for role, key in (("col", col), ("row", row)):
            if key is None:
                found[role] = ([None], None)
                continue
            values = resolve_column(role, data, key)
            found[role] = _semantics.levels_and_codes(role, values, limit=_semantics.MAX_HUE_LEVELS)
        for role, (names, _) in found.items():
            if not names:
                raise bad_value("data", f"at least one row with a value in the `{role}` column", data,
                                got=f"{len(data)} rows and no {role} level")
        return cls(col, row, found["col"][0], found["row"][0], found["col"][1], found["row"][1])

    def panels(self):
        """``(axes_dict key, (row level, col level, row mask))`` per panel, in reading order."""
        for i, r in enumerate(self.row_names):
            for j, c in enumerate(self.col_names):
                mask = True
                if self.col_codes is not None:
                    mask = mask & (self.col_codes == j)
                if self.row_codes is not None:
                    mask = mask & (self.row_codes == i)
                both = self.row is not None and self.col is not None
                yield ((r, c) if both else (c if self.col is not None else r)), (r, c, mask)


@dataclass(frozen=True)
class _Layout:
    """The grid's shape and dressing, as the drawing helpers read it."""

    split: _Split
    col_wrap: int | None
    height: float
    aspect: float
    sharex: bool
    sharey: bool
    margins: bool
    titles: str | None
    context: bool

    @property
    def shape(self) -> tuple[int, int]:
        n_cols = len(self.split.col_names)
        if self.col_wrap is not None:
            wrapped = min(self.col_wrap, n_cols)
            return -(-n_cols // wrapped), wrapped
        return len(self.split.row_names), n_cols


def _figure(layout: _Layout):
    import matplotlib.pyplot as plt

    n_rows, n_cols = layout.shape
    figure, axes = plt.subplots(n_rows, n_cols, figsize=(n_cols * layout.height * layout.aspect,
                                                         n_rows * layout.height),
                                sharex=layout.sharex, sharey=layout.sharey, squeeze=False, layout="constrained")
    return figure, axes.astype(object)


def _draw_panel(ax, chart, data, chart_kws, layout: _Layout, panel):
    """One panel: the chart on its rows (or on all rows, with highlight="context"), then its title."""
    r, c, mask = panel
    split = layout.split
    if layout.context:
        key = split.col if split.col is not None else split.row
        chart(data=data, ax=ax, **{**chart_kws, "hue": key, "highlight": c if split.col is not None else r})
        if ax.get_legend() is not None:  # the panel title names the coloured group
            ax.get_legend().remove()
    else:
        subset = data.loc[np.broadcast_to(mask, len(data))]
        if subset.empty:
            ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center", alpha=0.6)
        else:
            chart(data=subset, ax=ax, **chart_kws)
    if layout.margins:
        _margin_titles(ax, split.row, split.col, r, c, first_row=r == split.row_names[0],
                       last_col=c == split.col_names[-1])
    elif layout.titles is not None:
        names = {"col": split.col, "row": split.row, "col_value": c, "row_value": r,
                 "value": c if split.col is not None else r}
        if split.col is None:
            names["col"] = split.row
        names = {k: "" if v is None else (axis_label(v) if k in ("col", "row") else plain(v)) for k, v in names.items()}
        ax.set_title(user_text(layout.titles).format_map(names))
    return ax


def _tidy_grid(figure, axes, layout: _Layout) -> None:
    """Remove the unused slots of a wrapped grid; axis labels once per shared axis."""
    n_rows, n_cols = layout.shape
    n_panels = len(layout.split.row_names) * len(layout.split.col_names)
    for index in range(n_panels, n_rows * n_cols):  # unused slots of a wrapped grid
        figure.delaxes(axes.flat[index])
        above = axes.flat[index - n_cols]
        above.xaxis.set_tick_params(labelbottom=True)
        axes.flat[index] = None
    for ax in axes.flat:  # axis labels once per shared axis: bottom of each column, first column
        if ax is None:
            continue
        if layout.sharex and ax is not _bottom_of_column(axes, ax):
            ax.set_xlabel("")
        if layout.sharey and not ax.get_subplotspec().is_first_col():
            ax.set_ylabel("")


def _margin_titles(ax, row, col, row_value, col_value, *, first_row, last_col):
    if first_row:
        ax.set_title(f"{axis_label(col)} = {plain(col_value)}")
    if last_col:
        ax.annotate(f"{axis_label(row)} = {plain(row_value)}", (1, 0.5), xycoords="axes fraction", xytext=(8, 0),
                    textcoords="offset points", rotation=270, ha="left", va="center",
                    fontsize=ax.title.get_fontsize(), fontweight=ax.title.get_fontweight())


def _bottom_of_column(axes, ax):
    rows, cols = np.nonzero(axes == ax)
    column = [a for a in axes[:, cols[0]] if a is not None]
    return column[-1]


def _consistent_levels(data, chart_kws):
    """Give categorical columns the chart uses their whole-data levels, so every panel agrees."""
    import pandas as pd

    changed = {}
    for role in _CATEGORY_ROLES:
        key = chart_kws.get(role)
        if not isinstance(key, str) or key not in data.columns:
            continue
        column = data[key]
        if not isinstance(column, pd.Series):  # a repeated name, or part of a MultiIndex key: the chart's
            continue                           # own column check refuses it, naming the argument
        text_like = pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype) \
            or pd.api.types.is_bool_dtype(column.dtype)
        few_integers = role == "hue" and not text_like and not isinstance(column.dtype, pd.CategoricalDtype) \
            and pd.api.types.is_numeric_dtype(column.dtype) and _semantics.hue_kind(column) == "categorical"
        if not (text_like or few_integers):  # numbers and dates stay continuous; a Categorical has its levels
            continue
        if role == "y" and not all(isinstance(v, (str, bool)) for v in column.dropna()):  # not Series.all: pandas
            continue  # refuses it on an empty text column. A y of numbers (even as objects) is a value; only text
            # levels (scatter's dot plot) agree
        levels = _semantics.levels_of(role, column, sort=role == "hue")  # hue colours follow the sorted levels
        changed[key] = pd.Categorical(column, categories=levels)
    return data.assign(**changed) if changed else data


def _shared_hue_scale(data, chart, chart_kws):
    """``(data, chart_kws)`` with a numeric hue that reads the same in every panel.

    Scatter (a colour bar) gets the whole data's limits as ``vmin``/``vmax``;
    line and bar colour a numeric hue with few values by rank, so those values
    become one ordered set of levels for the whole data (every panel ranks them alike).
    """
    import pandas as pd

    key = chart_kws.get("hue")
    if not isinstance(key, str) or key not in data.columns or not isinstance(data[key], pd.Series):
        return data, chart_kws
    column = data[key]
    if _semantics.hue_kind(column) != "numeric" or chart_kws.get("highlight") is not None:
        return data, chart_kws
    if "center" in _parameters(chart):  # scatter: one colour bar scale for every panel
        values = pd.to_numeric(column, errors="coerce")
        if values.notna().any() and "vmin" not in chart_kws and "vmax" not in chart_kws:
            chart_kws = {**chart_kws, "vmin": float(values.min()), "vmax": float(values.max())}
        return data, chart_kws
    levels = _semantics.levels_of("hue", column)
    if len(levels) <= _semantics.MAX_INTEGER_LEVELS:
        data = data.assign(**{key: pd.Categorical(column, categories=levels, ordered=True)})
    return data, chart_kws


def _one_colorbar_per_row(axes) -> None:
    """Panels of a numeric hue share one scale (:func:`_shared_hue_scale`): keep the colour bar of each row's last panel."""
    for row in axes:
        panels = [ax for ax in row if ax is not None]
        bars = [[child for child in ax.child_axes if getattr(child, "_colorbar", None) is not None] for ax in panels]
        if len(panels) > 1 and all(bars):
            for own in bars[:-1]:
                for cax in own:
                    cax.remove()


def _parameters(chart) -> set:
    try:
        return set(inspect.signature(chart).parameters)
    except (TypeError, ValueError):
        return set()


def _gather_legends(figure, axes):
    """Replace the panels' legends by one figure legend (from the panel with the most entries)."""
    legends = [ax.get_legend() for ax in axes if ax.get_legend() is not None]
    if not legends:
        return None
    richest = max(legends, key=lambda legend: len(legend.legend_handles))
    handles, labels = richest.legend_handles, [t.get_text() for t in richest.get_texts()]
    title = richest.get_title().get_text() or None
    for legend in legends:
        legend.remove()
    return figure.legend(handles, labels, title=title, loc="outside right upper")


def mosaic(layout, *, sharex=False, sharey=False, width_ratios=None, height_ratios=None, letters=False,
           figsize=None):
    """A figure of panels laid out by a picture of it, with spans; optionally lettered (a), (b), ...

    Parameters
    ----------
    layout : str or nested list
        Matplotlib's ``subplot_mosaic`` layouts: ``"AAB;CCB"`` (rows split by
        ";"; a repeated letter spans cells; "." leaves a cell empty) or a
        nested list of names.
    sharex, sharey : bool
    width_ratios, height_ratios : list of float, optional
    letters : bool
        Write (a), (b), ... in bold at the top-left corner of each panel, in
        reading order of the layout.
    figsize : (float, float), optional

    Returns
    -------
    (Figure, dict of str -> Axes)

    Examples
    --------
    >>> import vizkit as vk
    >>> fig, axes = vk.mosaic("AAB;CCB", letters=True)
    >>> sorted(axes), axes["B"].get_subplotspec().rowspan
    (['A', 'B', 'C'], range(0, 2))
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt

    if not isinstance(layout, (str, list, tuple)):
        raise bad_type("layout", "a mosaic string such as 'AAB;CCB' or a nested list of names", layout)
    if figsize is not None and (not isinstance(figsize, (tuple, list)) or len(figsize) != 2):
        raise bad_type("figsize", "a (width, height) pair in inches", figsize)
    figure = plt.figure(figsize=figsize, layout="constrained")
    try:
        axes = figure.subplot_mosaic(layout, sharex=sharex, sharey=sharey, width_ratios=width_ratios,
                                     height_ratios=height_ratios)
    except (ValueError, TypeError, KeyError) as error:
        plt.close(figure)  # a refused layout leaves no half-made figure behind
        raise bad_value("layout", "a mosaic whose repeated names form rectangles, with ratios per row/column",
                        layout, hint=f"({error})") from None
    if letters:
        for index, name in enumerate(_reading_order(layout, axes)):
            axes[name].annotate(f"({_letters(index)})", (0, 1), xycoords="axes fraction", xytext=(-4, 6),
                                textcoords="offset points", ha="right", va="bottom", fontweight="bold",
                                fontsize="large")
    return figure, axes


def _letters(index: int) -> str:
    """The panel letters in order: a ... z, then aa, ab, ... (as spreadsheet columns)."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def _reading_order(layout, axes) -> list:
    """Panel names in the order a reader meets them: by top row, then left column."""
    return sorted(axes, key=lambda name: (axes[name].get_subplotspec().rowspan.start,
                                          axes[name].get_subplotspec().colspan.start))


def inset(ax, bounds, *, zoom=None):
    """An Axes inside ``ax``; with ``zoom``, a magnified copy of a region of it, marked on the parent.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    bounds : (x0, y0, width, height)
        Where the inset goes, as fractions of ``ax`` (0-1).
    zoom : (x0, x1, y0, y1), optional
        The data region to magnify, in the parent's units (numbers, or
        dates on a date axis): the inset gets a copy of the parent's
        lines, markers, bars and filled areas, these limits, and the parent
        a rectangle around the region with lines to the inset.

    Returns
    -------
    matplotlib.axes.Axes
        The inset.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot(range(100), [v ** 0.5 for v in range(100)])
    >>> zoomed = vk.inset(ax, (0.55, 0.1, 0.4, 0.4), zoom=(0, 10, 0, 3.2))
    >>> len(zoomed.lines), [float(v) for v in zoomed.get_xlim()]
    (1, [0.0, 10.0])
    >>> plt.close(fig)
    """
    from vizkit._core import check_axes

    check_axes("ax", ax)
    bounds = _numbers("bounds", bounds, 4)
    if not all(0 <= v <= 1 for v in bounds) or bounds[2] <= 0 or bounds[3] <= 0:
        raise bad_value("bounds", "(x0, y0, width, height) fractions of the Axes in 0-1, width and height > 0",
                        bounds)
    if zoom is not None:  # checked before the inset is made: a refused call leaves nothing behind
        if not isinstance(zoom, (tuple, list)) or len(zoom) != 4:
            raise bad_type("zoom", "a tuple of 4 values (x0, x1, y0, y1)", zoom)
        x0, x1, y0, y1 = (axis_number(ax, "xxyy"[i], f"zoom[{i}]", v) for i, v in enumerate(zoom))
        if x1 <= x0 or y1 <= y0:
            raise bad_value("zoom", "(x0, x1, y0, y1) with x0 < x1 and y0 < y1", zoom)
    child = ax.inset_axes(bounds)
    if zoom is not None:
        _copy_artists(ax, child)
        child.set_xlim(x0, x1)
        child.set_ylim(y0, y1)
        child.grid(False)
        _few_ticks(ax, child)
        ax.indicate_inset_zoom(child, edgecolor=ax.xaxis.label.get_color(), alpha=0.6)
    return child


def _few_ticks(parent, child):
    """Small insets get at most 4 short tick labels per axis (concise ones on date axes)."""
    from matplotlib import dates, ticker

    for source, axis in ((parent.xaxis, child.xaxis), (parent.yaxis, child.yaxis)):
        if isinstance(source.get_major_locator(), dates.DateLocator) or isinstance(
                source.get_major_formatter(), (dates.DateFormatter, dates.AutoDateFormatter, dates.ConciseDateFormatter)):
            locator = dates.AutoDateLocator(minticks=2, maxticks=4)
            axis.set_major_locator(locator)
            axis.set_major_formatter(dates.ConciseDateFormatter(locator, show_offset=False))  # the parent shows it
        else:
            axis.set_major_locator(ticker.MaxNLocator(4))
    child.tick_params(labelsize="x-small")


def _numbers(argument, value, n):
    if not isinstance(value, (tuple, list)) or len(value) != n:
        raise bad_type(argument, f"a tuple of {n} numbers", value)
    return tuple(check_number(f"{argument}[{i}]", v) for i, v in enumerate(value))


def _copy_artists(source, target):
    """Draw the source Axes' lines, markers, bars and filled areas again on ``target``."""
    from matplotlib.collections import PathCollection, PolyCollection
    from matplotlib.patches import Rectangle

    for line in source.get_lines():
        x, y = line.get_data()
        target.plot(x, y, color=line.get_color(), linewidth=line.get_linewidth(), linestyle=line.get_linestyle(),
                    marker=line.get_marker(), markersize=line.get_markersize(), alpha=line.get_alpha(),
                    zorder=line.get_zorder())
    for collection in source.collections:
        if isinstance(collection, PathCollection):
            target.add_collection(PathCollection(
                collection.get_paths(), sizes=collection.get_sizes(), offsets=collection.get_offsets(),
                offset_transform=target.transData, facecolors=collection.get_facecolors(),
                edgecolors=collection.get_edgecolors(), linewidths=collection.get_linewidths(),
                alpha=collection.get_alpha(), zorder=collection.get_zorder()))
        elif isinstance(collection, PolyCollection):
            target.add_collection(PolyCollection(
                [path.vertices for path in collection.get_paths()], facecolors=collection.get_facecolors(),
                edgecolors=collection.get_edgecolors(), alpha=collection.get_alpha(), zorder=collection.get_zorder()))
    for patch in source.patches:
        if isinstance(patch, Rectangle):
            target.add_patch(Rectangle(patch.get_xy(), patch.get_width(), patch.get_height(),
                                       facecolor=patch.get_facecolor(), edgecolor=patch.get_edgecolor(),
                                       zorder=patch.get_zorder()))
