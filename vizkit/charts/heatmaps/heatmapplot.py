"""Heatmaps: a matrix of values as coloured cells, with a colour bar, annotations and masks.

:class:`HeatmapDisplay` computes (checks the matrix, maps each cell to its
colour, writes each annotation and picks its text colour) and draws;
:func:`heatmap` is the one call. What was drawn is one row per cell in
:func:`vizkit.plotted_data`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit import colors as _colors
from vizkit._core import bad_type, bad_value, before_draw, check_number
from vizkit._core.display import Display
from vizkit._core.room import keep_inside
from vizkit.charts.heatmaps import _input
from vizkit.charts.heatmaps._fit import AnnotationFitter, LabelFitter, clearly_inside

__all__ = ["heatmap", "HeatmapDisplay"]

#: ``annot=True`` is refused above this many cells: numbers in cells smaller than a word are unreadable.
MAX_ANNOTATED = 2_500
_MIN_CONTRAST = 4.5
_CBAR_WIDTH, _CBAR_PAD = 10.0, 8.0  # points
_NEAREST_UP_TO = 256  # cells a side drawn with crisp edges; larger matrices are resampled smoothly


@dataclass(frozen=True)
class Spec:
    """How values become colours and text (checked by :func:`_check_spec`)."""

    center: float | None = None
    vmin: float | None = None
    vmax: float | None = None
    cmap: object = None
    annot: bool = False
    fmt: object = None  # a format spec, or a function of the value
    label: object = None


def _default_cmap(center) -> str:
    """The ramp for the theme's face: the ends that mean "more" stand out from it, "nothing" sinks into it.

    On a light face, vizkit_seq runs light to dark and vizkit_div has a light
    middle; on a dark face (the dark theme) the sequential ramp is reversed
    and the diverging one is Matplotlib's "berlin" (blue, a dark middle, orange).
    """
    import matplotlib as mpl

    dark = _colors.contrast_ratio(mpl.rcParams["axes.facecolor"], "black") < _colors.contrast_ratio(
        mpl.rcParams["axes.facecolor"], "white")
    if center is None:
        return "vizkit_seq_r" if dark else "vizkit_seq"
    return "berlin" if dark else "vizkit_div"


def _check_cmap(cmap, center):
    from matplotlib.colors import Colormap

    if cmap is None:
        return _colors.cmap(_default_cmap(center))
    if isinstance(cmap, Colormap):
        return cmap
    return _colors._cmap_for("cmap", cmap)


def _check_fmt(fmt):
    if fmt is None or callable(fmt):
        return fmt
    if not isinstance(fmt, str):
        raise bad_type("fmt", "a format spec such as '.2f', 'd' or '.0%', or a function of the value", fmt)
    for probe in (1.5, 1):
        try:
            format(probe, fmt)
            return fmt
        except (ValueError, TypeError):
            continue
    raise bad_value("fmt", "a format spec for numbers such as '.2f', 'd' or '.0%' (as in format(value, fmt))", fmt)


def _check_spec(*, center, vmin, vmax, cmap, annot, fmt, label) -> Spec:
    center = check_number("center", center, allow_none=True)
    vmin = check_number("vmin", vmin, allow_none=True)
    vmax = check_number("vmax", vmax, allow_none=True)
    if vmin is not None and vmax is not None and vmin >= vmax:
        raise bad_value("vmax", f"a number above `vmin` ({vmin:g})", vmax)
    if not isinstance(annot, (bool, np.bool_)):
        raise bad_type("annot", "True or False", annot)
    if label is not None and not isinstance(label, str):
        raise bad_type("label", "a str (the colour bar's label) or None", label)
    return Spec(center, vmin, vmax, _check_cmap(cmap, center), bool(annot), _check_fmt(fmt), label)


def _limits(values: np.ndarray, shown: np.ndarray, spec: Spec) -> tuple[float, float]:
    """The colour scale's (vmin, vmax): the data's range, or symmetric around ``center``."""
    finite = values[shown & np.isfinite(values)]
    if not finite.size:
        raise bad_value("data", "at least one finite cell that `mask` does not hide", None,
                        got="only NaN or masked cells")
    low = float(finite.min()) if spec.vmin is None else spec.vmin
    high = float(finite.max()) if spec.vmax is None else spec.vmax
    if spec.center is not None:
        reach = max(abs(low - spec.center), abs(high - spec.center)) or 1.0
        low, high = spec.center - reach, spec.center + reach
    elif low >= high:
        low, high = (low - 0.5, low + 0.5) if spec.vmin is None or spec.vmax is None else (low, high)
    if not np.isfinite(high - low) or low >= high:
        raise bad_value("center" if spec.center is not None else "vmin",
                        "limits whose distance is a finite float", None, got=f"limits {low:g} to {high:g}")
    return low, high


def _default_fmt(values: np.ndarray) -> str:
    finite = values[np.isfinite(values)]
    if finite.size and np.all(finite == np.round(finite)):
        return ",.0f"
    largest = float(np.abs(finite).max()) if finite.size else 0.0
    return ".2f" if largest < 10 else ".1f" if largest < 1000 else ",.0f"


def _format(value: float, fmt) -> str:
    if callable(fmt):
        text = fmt(value)
        if not isinstance(text, str):
            raise bad_type("fmt", "a function that returns a str", fmt, got=f"{text!r} for {value!r}")
        return text
    try:
        return format(value, fmt)
    except ValueError:  # an integer spec ("d") on a float
        return format(int(round(value)), fmt)


def _text_colors(lut: np.ndarray) -> list[str]:
    """Per colour of the colormap, the text colour that reads on it: ink or paper, 4.5:1 at least."""
    chosen = []
    for rgb in lut[:, :3]:
        color = _hex(np.array([_colors.text_color_on(rgb, dark=_colors.INK, light=_colors.PAPER)]))[0]
        for target in np.arange(_MIN_CONTRAST, _MIN_CONTRAST + 0.5, 0.01):  # judged as drawn: rounded to hex
            if _colors.contrast_ratio(color, rgb) >= _MIN_CONTRAST:
                break
            color = _hex(np.array([_colors.readable_color(color, rgb, min_ratio=target)]))[0]
        chosen.append(color)
    return chosen


def _text_colors_used(lut: np.ndarray, codes: np.ndarray) -> list[str]:
    """:func:`_text_colors` for the colours the cells use only (each costs contrast searches); "" for the rest."""
    used = np.unique(codes[codes >= 0])
    names = [""] * len(lut)
    for code, color in zip(used, _text_colors(lut[used]), strict=True):
        names[code] = color
    return names


def _hex(rgba: np.ndarray) -> list[str]:
    """RGB(A) rows in 0-1 as '#rrggbb' strings (what ``matplotlib.colors.to_hex`` gives, for many at once)."""
    return ["#{:02x}{:02x}{:02x}".format(*row) for row in np.round(np.asarray(rgba)[:, :3] * 255).astype(int)]


def _categorical(codes: np.ndarray, names: list[str]):
    """``names[code]`` per cell as a Categorical (-1: missing), cheap for a million cells."""
    import pandas as pd

    if len(set(names)) == len(names):  # the usual colormap: every entry a colour of its own
        return pd.Categorical.from_codes(codes, categories=names, validate=False)
    unique, inverse = np.unique(np.asarray(names, dtype=object), return_inverse=True)
    mapped = np.where(codes >= 0, inverse.astype(np.int32)[np.clip(codes, 0, None)], -1)
    return pd.Categorical.from_codes(mapped, categories=list(unique), validate=False)


def _color_codes(values: np.ndarray, drawn: np.ndarray, limits: tuple, n: int) -> np.ndarray:
    """Per cell, the index of its colour in an ``n``-colour colormap (as Matplotlib picks it); -1 if not drawn."""
    vmin, vmax = limits
    with np.errstate(invalid="ignore"):
        scaled = (values - vmin) / (vmax - vmin)  # as Normalize, then Colormap.__call__, compute it
        scaled *= n
    np.floor(scaled, out=scaled)
    np.clip(scaled, 0, n - 1, out=scaled)
    scaled[~drawn] = -1
    return scaled.astype(np.int32).ravel()


def _compute(matrix: _input.Matrix, mask, spec: Spec):
    """One row per cell: its labels, value, colour, annotation and state (drawn, masked or missing)."""
    import pandas as pd

    values = matrix.values
    n_rows, n_cols = values.shape
    hidden = np.zeros(values.shape, bool) if mask is None else _input.check_mask(mask, values.shape)
    missing = np.isnan(values) & ~hidden
    drawn = ~hidden & ~missing
    limits = _limits(values, ~hidden, spec)
    codes = _color_codes(values, drawn, limits, spec.cmap.N)
    lut = spec.cmap(np.arange(spec.cmap.N))
    state = (hidden + 2 * missing).astype(np.int8).ravel()  # 0 drawn, 1 masked, 2 missing
    i, j = np.repeat(np.arange(n_rows, dtype=np.int32), n_cols), np.tile(np.arange(n_cols, dtype=np.int32), n_rows)
    table = pd.DataFrame({
        "row": pd.Categorical.from_codes(i, categories=matrix.rows, validate=False),
        "col": pd.Categorical.from_codes(j, categories=matrix.cols, validate=False),
        "value": values.ravel(),
        "annotation": pd.Categorical.from_codes(np.zeros(values.size, dtype=np.int8), categories=[""],
                                                validate=False),
        "color": _categorical(codes, _hex(lut)),
        "cell": pd.Categorical.from_codes(state, categories=["drawn", "masked", "missing"], validate=False),
        "i": i,
        "j": j,
    })
    if spec.annot:  # at most MAX_ANNOTATED cells: plain text
        fmt = spec.fmt or _default_fmt(values[drawn])
        annotation = np.full(values.size, "", dtype=object)
        annotation[drawn.ravel()] = [_format(v, fmt) for v in values.ravel()[drawn.ravel()]]
        table["annotation"] = annotation
        table["text_color"] = _categorical(codes, _text_colors_used(lut, codes))
    return table, limits


def _check_draw_options(square, cbar) -> None:
    for name, flag in (("square", square), ("cbar", cbar)):
        if not isinstance(flag, (bool, np.bool_)):
            raise bad_type(name, "True or False", flag)


class HeatmapDisplay(Display):
    """A matrix of values as coloured cells: the computed cells, the colour scale, and how to draw them.

    Made by :meth:`from_array` or :meth:`from_frame` (which check and
    compute) and drawn by :meth:`plot`; :func:`heatmap` does both.

    Parameters
    ----------
    table : DataFrame
        One row per cell, row by row: ``row`` and ``col`` (the labels),
        ``value``, ``annotation`` (the text written in the cell, "" for
        none), ``color`` (the cell's colour as hex; missing when not drawn),
        ``cell`` ("drawn", "masked" when ``mask`` hides it, "missing" when
        its value is NaN; neither is drawn), ``i`` and ``j`` (positions), and
        ``text_color`` when annotated.
    rows, cols : list
        The row and column labels, top to bottom and left to right.
    limits : (float, float)
        The colour scale's ends (vmin, vmax).
    spec : Spec
        The colormap, centre, format and colour bar label used.
    names : (object, object)
        The y and x axis titles (None for none).

    Attributes
    ----------
    shape_ : (int, int)
        Rows and columns.
    vmin_, vmax_ : float
        The colour scale's ends; symmetric around ``center_`` when it is set.
    center_ : float or None
    n_missing_, n_masked_ : int
        Cells not drawn because their value is NaN, or because ``mask`` hides them.
    matrix_ : DataFrame
        The values, rows by columns, with NaN where a cell is missing.
    ax_, figure_, artists_
        Set by :meth:`plot`; ``artists_`` holds ``"image"``, ``"colorbar"``
        (or None) and ``"annotations"`` (a list of Text).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from vizkit.charts.heatmaps import HeatmapDisplay
    >>> display = HeatmapDisplay.from_array([[1, 2], [3, float("nan")]], annot=True)
    >>> display.vmin_, display.vmax_, display.n_missing_
    (1.0, 3.0, 1)
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in display.plot(ax=ax).artists_["annotations"]]
    ['1', '2', '3']
    >>> plt.close(fig)
    """

    _chart = "heatmap"

    def __init__(self, table, *, rows, cols, limits, spec: Spec = Spec(), names=(None, None)):
        self.table = table
        self.rows, self.cols, self.spec, self.names = list(rows), list(cols), spec, tuple(names)
        self.shape_ = (len(self.rows), len(self.cols))
        self.vmin_, self.vmax_ = (float(v) for v in limits)
        self.center_ = spec.center
        counts = np.bincount(table["cell"].cat.codes.to_numpy(), minlength=3)  # drawn, masked, missing
        self.n_missing_, self.n_masked_ = int(counts[2]), int(counts[1])

    @property
    def matrix_(self):
        import pandas as pd

        return pd.DataFrame(self.table["value"].to_numpy().reshape(self.shape_), index=self.rows, columns=self.cols)

    @classmethod
    def from_array(cls, data, *, mask=None, center=None, vmin=None, vmax=None, cmap=None, annot=False,
                   fmt=None, label=None):
        """Compute the cells of a 2-D array (rows top to bottom); see :func:`heatmap` for the options."""
        spec = _check_spec(center=center, vmin=vmin, vmax=vmax, cmap=cmap, annot=annot, fmt=fmt, label=label)
        return cls._from_matrix(_input.from_array(data), mask, spec)

    @classmethod
    def from_frame(cls, data, *, x=None, y=None, value=None, mask=None, center=None, vmin=None, vmax=None,
                   cmap=None, annot=False, fmt=None, label=None):
        """Compute the cells of a wide DataFrame, or of long data with ``x=``, ``y=`` and ``value=`` columns.

        Wide: the index gives the rows, the columns the columns. Long: one
        row per cell; ``y`` gives the rows, ``x`` the columns (sorted, or in
        a Categorical's order) and ``value`` the colour. See :func:`heatmap`.
        """
        import pandas as pd

        spec = _check_spec(center=center, vmin=vmin, vmax=vmax, cmap=cmap, annot=annot, fmt=fmt, label=label)
        if x is not None or y is not None or value is not None:
            matrix = _input.from_long(data, x=x, y=y, value=value)
        elif isinstance(data, pd.DataFrame):
            matrix = _input.from_frame(data)
        else:
            raise bad_type("data", "a DataFrame (wide, or long with `x=`, `y=` and `value=`)", data)
        return cls._from_matrix(matrix, mask, spec)

    @classmethod
    def _from_matrix(cls, matrix: _input.Matrix, mask, spec: Spec):
        n_cells = matrix.values.size
        if spec.annot and n_cells > MAX_ANNOTATED:
            raise bad_value("annot", f"False for more than {MAX_ANNOTATED:,} cells (50 x 50): numbers in cells "
                            "that small cannot be read", spec.annot,
                            got=f"True for {matrix.values.shape[0]:,} x {matrix.values.shape[1]:,} = "
                                f"{n_cells:,} cells",
                            hint="Annotate a slice of the matrix, or read the values from vk.plotted_data(ax).")
        if spec.label is None and matrix.value_name is not None:
            spec = Spec(**{**spec.__dict__, "label": str(matrix.value_name)})
        table, limits = _compute(matrix, mask, spec)
        return cls(table, rows=matrix.rows, cols=matrix.cols, limits=limits, spec=spec,
                   names=(matrix.row_name, matrix.col_name))

    def _draw(self, ax, *, square=False, cbar=True) -> dict:
        from matplotlib.colors import Normalize

        _check_draw_options(square, cbar)
        values = self.table["value"].to_numpy().reshape(self.shape_)
        hidden = (self.table["cell"].cat.codes.to_numpy() != 0).reshape(self.shape_)  # masked or missing
        image = ax.imshow(np.ma.masked_array(values, hidden) if hidden.any() else values,
                          cmap=self.spec.cmap.with_extremes(bad=(0, 0, 0, 0)),  # hidden cells: not drawn
                          norm=Normalize(self.vmin_, self.vmax_), aspect="equal" if square else "auto",
                          interpolation="nearest" if max(self.shape_) <= _NEAREST_UP_TO else "antialiased",
                          interpolation_stage="data")
        labels = self._frame(ax)
        texts = self._annotate(ax)
        colorbar = self._colorbar(ax, image) if cbar else None
        keep_inside(ax, quick=clearly_inside(labels))  # last: measures the fitted labels
        return {"image": image, "colorbar": colorbar, "annotations": texts}

    def _frame(self, ax) -> LabelFitter:
        """No grid, no spines, no tick marks; axis titles; tick labels fitted to the cells at each draw."""
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.tick_params(length=0)
        row_name, col_name = self.names
        if col_name is not None:
            ax.set_xlabel(str(col_name))
        if row_name is not None:
            ax.set_ylabel(str(row_name))
        fitter = LabelFitter(self.rows, self.cols)
        fitter.apply(ax, fitter.guess(ax))
        before_draw(ax, fitter, key="heatmap-labels")
        return fitter

    def _annotate(self, ax) -> list:
        import matplotlib as mpl

        written = self.table[self.table["annotation"] != ""]
        size = mpl.rcParams["font.size"] * 0.9
        texts = [ax.text(j, i, text, ha="center", va="center", color=color, fontsize=size, parse_math=False)
                 for i, j, text, color in zip(written["i"], written["j"], written["annotation"],
                                              written["text_color"] if "text_color" in written else [], strict=False)]
        if texts:
            before_draw(ax, AnnotationFitter(texts, size, self.shape_), key="heatmap-annotations")
        return texts

    def _colorbar(self, ax, image):
        from matplotlib.ticker import PercentFormatter

        # in the Axes' own box (an inset), so the bar is exactly as tall as the cells, square or not
        width = ax.get_position().width * ax.figure.get_figwidth() * 72  # points
        cax = ax.inset_axes([1 + _CBAR_PAD / width, 0, _CBAR_WIDTH / width, 1])
        colorbar = ax.figure.colorbar(image, cax=cax)
        colorbar.outline.set_visible(False)
        colorbar.ax.tick_params(length=0)
        if self.spec.label:
            colorbar.set_label(self.spec.label, parse_math=False)
        if isinstance(self.spec.fmt, str) and self.spec.fmt.endswith("%"):
            colorbar.ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        return colorbar

    def _plotted_data(self):
        table = self.table  # attach_data keeps a copy
        table.attrs.update(vmin=self.vmin_, vmax=self.vmax_, center=self.center_, cmap=self.spec.cmap.name,
                           n_missing=self.n_missing_, n_masked=self.n_masked_)
        return table


def heatmap(data=None, *, x=None, y=None, value=None, mask=None, center=None, vmin=None, vmax=None, cmap=None,
            annot=False, fmt=None, square=False, cbar=True, label=None, ax=None):
    """Draw a matrix of values as coloured cells, with a colour bar.

    Parameters
    ----------
    data : 2-D array-like or DataFrame
        A 2-D array (rows drawn top to bottom), a wide DataFrame (the index
        labels the rows, the columns the columns), or long data with ``x``,
        ``y`` and ``value`` naming its columns. Numbers or booleans; NaN (or
        None) marks a missing cell, drawn empty. At most 2048 x 2048 cells.
    x, y, value : str, optional
        For long data, one row per cell: the column giving the heatmap's
        columns, the one giving its rows, and the values. Each (x, y) pair
        appears at most once.
    mask : 2-D array of bool, optional
        Of the data's shape; True hides a cell (not drawn, not annotated),
        e.g. ``np.triu(np.ones(shape, dtype=bool))`` for a correlation matrix's
        upper triangle.
    center : float, optional
        Use a diverging colormap whose neutral middle sits at ``center``; the
        colour scale's limits are then symmetric around it.
    vmin, vmax : float, optional
        The colour scale's ends (default: the range of the drawn cells).
    cmap : str or Colormap, optional
        Default ``"vizkit_seq"`` (light to dark), or ``"vizkit_div"`` with
        ``center``; on a dark theme's face the sequential ramp runs dark to
        light and the diverging one is ``"berlin"`` (its middle is dark), so
        the values that mean "more" stand out from the face.
    annot : bool, default False
        Write each cell's value in it, in ink or white, whichever reaches
        4.5:1 contrast on that cell. Refused above 2 500 cells.
    fmt : str or callable, optional
        The annotations' format spec (``".2f"``, ``"d"``, ``".0%"``), or a
        function from a value to its text; by default
        whole numbers for integer data, else 2 decimals below 10 and 1 below
        1000. A ``%`` format also formats the colour bar as percent.
    square : bool, default False
        Square cells (the Axes keeps an equal aspect).
    cbar : bool, default True
        Draw a colour bar beside the Axes.
    label : str, optional
        The colour bar's label (default: the ``value`` column's name).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: the current Axes).

    Returns
    -------
    matplotlib.axes.Axes
        With the cells as one AxesImage; :func:`vizkit.plotted_data` gives one
        row per cell (``row, col, value, annotation, color, cell, i, j``).

    Notes
    -----
    Row and column labels are fitted to the cells each time the figure is
    drawn: every label when it fits, else column labels turned 45° or 90°,
    else every 2nd, 5th, 10th ... label. There are no grid lines across the
    cells. Without a layout engine, the Axes shrinks inside the position it
    was given until its labels and colour bar fit in the figure. Matrices up
    to 256 cells a side are drawn with crisp cell edges; larger ones, usually
    smaller on screen than their cell count, show each pixel's mean value.

    See Also
    --------
    HeatmapDisplay : the same chart, computed first and drawn on demand.
    confusion_matrix : a classifier's confusion matrix, drawn as a heatmap.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> import vizkit as vk
    >>> corr = vk.load_dataset("penguins")[["bill_length_mm", "bill_depth_mm", "body_mass_g"]].corr()
    >>> ax = vk.heatmap(corr, center=0, annot=True, mask=np.triu(np.ones(corr.shape, dtype=bool), k=1))
    >>> cells = vk.plotted_data(ax)
    >>> int((cells["cell"] == "masked").sum()), cells["annotation"].tolist()
    (3, ['1.00', '', '', '-0.24', '1.00', '', '0.60', '-0.47', '1.00'])
    >>> plt.close(ax.figure)
    """
    _check_draw_options(square, cbar)
    options = dict(mask=mask, center=center, vmin=vmin, vmax=vmax, cmap=cmap, annot=annot, fmt=fmt, label=label)
    import pandas as pd

    if x is not None or y is not None or value is not None or isinstance(data, pd.DataFrame):
        display = HeatmapDisplay.from_frame(data, x=x, y=y, value=value, **options)
    else:
        display = HeatmapDisplay.from_array(data, **options)
    return display.plot(ax=ax, square=square, cbar=cbar).ax_
