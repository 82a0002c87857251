"""Small multiples: one panel per level of a column, drawn by any vizkit chart."""

from __future__ import annotations

import inspect
import string

import numpy as np

from vizkit import _semantics
from vizkit._core import bad_type, bad_value, check_number, resolve_column, resolve_data

__all__ = ["facet", "FacetGrid"]

_TITLE_KEYS = ("col", "row", "col_value", "row_value", "value")
_CATEGORY_ROLES = ("x", "hue", "style")  # chart arguments whose levels must agree across panels


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
          titles="{col} = {value}", height=3.0, aspect=1.4, **chart_kws):
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
        With ``col`` only: wrap the panels into rows of this many.
    sharex, sharey : bool
        Share the axes (inner tick labels are hidden).
    titles : str or None
        Panel title template with ``{col}``, ``{row}`` (column names),
        ``{col_value}``, ``{row_value}`` and ``{value}`` (the panel's level).
        With both ``row`` and ``col`` the default becomes
        ``"{row} = {row_value} | {col} = {col_value}"``. None: no titles.
    height, aspect : float
        Size of each panel in inches, and its width / height.
    **chart_kws
        Passed to ``chart`` for every panel (``x=``, ``y=``, ``hue=``, ...).

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
    ((1, 3), ['island = Torgersen', 'island = Biscoe', 'island = Dream'])
    >>> import matplotlib.pyplot as plt; plt.close(grid.figure)
    """
    import matplotlib.pyplot as plt

    chart = _check_chart(chart)
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

    data = _consistent_levels(data, chart_kws)
    col_values = resolve_column("col", data, col) if col is not None else None
    row_values = resolve_column("row", data, row) if row is not None else None
    col_names = _semantics.levels_of("col", col_values, limit=_semantics.MAX_HUE_LEVELS) if col is not None else [None]
    row_names = _semantics.levels_of("row", row_values, limit=_semantics.MAX_HUE_LEVELS) if row is not None else [None]

    if not col_names or not row_names:
        split = "col" if not col_names else "row"
        raise bad_value("data", f"at least one row with a value in the `{split}` column", data,
                        got=f"{len(data)} rows and no {split} level")
    panels = [(r, c) for r in row_names for c in col_names]
    if col_wrap is not None:
        n_cols = min(col_wrap, len(col_names))
        n_rows = -(-len(col_names) // n_cols)
    else:
        n_rows, n_cols = len(row_names), len(col_names)
    figure, axes = plt.subplots(n_rows, n_cols, figsize=(n_cols * height * aspect, n_rows * height),
                                sharex=sharex, sharey=sharey, squeeze=False, layout="constrained")
    axes = axes.astype(object)
    positions = np.arange(len(panels))
    axes_dict = {}
    for index, (r, c) in zip(positions, panels, strict=True):
        ax = axes.flat[index]
        mask = np.ones(len(data), dtype=bool)
        if col is not None:
            mask &= (col_values == c).to_numpy()
        if row is not None:
            mask &= (row_values == r).to_numpy()
        subset = data.loc[mask]
        if subset.empty:
            ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center", alpha=0.6)
        else:
            chart(data=subset, ax=ax, **chart_kws)
        if titles is not None:
            names = {"col": col, "row": row, "col_value": c, "row_value": r, "value": c if col is not None else r}
            if col is None:
                names["col"] = row
            ax.set_title(titles.format_map({k: "" if v is None else v for k, v in names.items()}))
        axes_dict[(r, c) if (row is not None and col is not None) else (c if col is not None else r)] = ax
    for index in range(len(panels), n_rows * n_cols):  # unused slots of a wrapped grid
        figure.delaxes(axes.flat[index])
        above = axes.flat[index - n_cols]
        above.xaxis.set_tick_params(labelbottom=True)
        axes.flat[index] = None
    for ax in axes.flat:  # axis labels once per shared axis: bottom of each column, first column
        if ax is None:
            continue
        if sharex and ax is not _bottom_of_column(axes, ax):
            ax.set_xlabel("")
        if sharey and not ax.get_subplotspec().is_first_col():
            ax.set_ylabel("")
    legend = _gather_legends(figure, [ax for ax in axes.flat if ax is not None])
    return FacetGrid(figure, axes, data, axes_dict, row_names, col_names, legend)


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
        if isinstance(column.dtype, pd.CategoricalDtype) or pd.api.types.is_numeric_dtype(column.dtype):
            continue
        changed[key] = pd.Categorical(column, categories=_semantics.levels_of(role, column))
    return data.assign(**changed) if changed else data


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
