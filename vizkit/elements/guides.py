"""Guides: gridlines behind the data, reference lines and spans with readable labels."""

from __future__ import annotations

from vizkit import colors as _colors
from vizkit._core import axis_number, bad_type, bad_value, check_axes, check_choice
from vizkit._core.labels import user_text
from vizkit.themes import ink

__all__ = ["grid", "refline", "refspan"]

_WHICH = ("major", "minor", "both")
_AXES = ("both", "x", "y")


def grid(ax, *, which="major", axis="both"):
    """Draw gridlines behind the data.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    which : {"major", "minor", "both"}
        Which ticks get gridlines; "minor" and "both" turn minor ticks on,
        and minor gridlines are drawn thinner and lighter than major ones.
    axis : {"both", "x", "y"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> ax = vk.grid(ax, which="both", axis="y")
    >>> ax.get_axisbelow(), len(ax.yaxis.get_minorticklocs()) > 0
    (True, True)
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    check_axes("ax", ax)
    which = check_choice("which", which, _WHICH)
    axis = check_choice("axis", axis, _AXES)
    ax.set_axisbelow(True)
    ax.grid(False, which="both", axis=axis)
    if which in ("major", "both"):
        ax.grid(True, which="major", axis=axis)
    if which in ("minor", "both"):
        ax.minorticks_on()
        width = mpl.rcParams["grid.linewidth"] * 0.5
        ax.grid(True, which="minor", axis=axis, linewidth=width, alpha=0.6)
    return ax


def _label_box(ax) -> dict:
    """A text background of the Axes face, so a label stays readable over lines and data."""
    return {"boxstyle": "round,pad=0.2", "facecolor": ax.get_facecolor(), "edgecolor": "none", "alpha": 0.9}


def _one_of_x_y(function: str, x, y):
    if (x is None) == (y is None):
        raise bad_value("x", f"given alone, or `y` alone (one {function} per call)", x,
                        got=f"x={x!r} and y={y!r}")


def refline(ax, *, x=None, y=None, label=None, **line_kws):
    """Draw a reference line across the Axes, labelled at its end.

    A horizontal line at ``y`` (a threshold, a target) or a vertical one at
    ``x`` (an event), dashed in the ink colour, with ``label`` written at the
    right end (horizontal) or top end (vertical) on a background box of the
    Axes face, so it stays readable over the data.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, y : float or date
        Where the line goes, in the axis' units (dates on a date axis); give exactly one.
    label : str, optional
    **line_kws
        Passed to ``axhline``/``axvline`` (your values win).

    Returns
    -------
    matplotlib.lines.Line2D

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> line = vk.refline(ax, y=0.9, label="target accuracy")
    >>> line.get_ydata(), ax.texts[0].get_text()
    ([0.9, 0.9], 'target accuracy')
    >>> plt.close(fig)
    """
    check_axes("ax", ax)
    _one_of_x_y("refline", x, y)
    label = _check_label(label)  # everything is checked before anything is drawn
    value = axis_number(ax, "x" if x is not None else "y", "x" if x is not None else "y", x if x is not None else y)
    line_kws = _checked_kws(line_kws, "Line2D", "line_kws")
    kws = {"color": ink(ax), "linestyle": "--", "linewidth": 1.0, "zorder": 2.5} | line_kws
    line = ax.axhline(value, **kws) if y is not None else ax.axvline(value, **kws)
    if label is not None and y is not None:
        _guide_label(ax, label, (1, value), ("axes fraction", "data"), (-4, 0), "right", "center")
    elif label is not None:
        _guide_label(ax, label, (value, 1), ("data", "axes fraction"), (0, -4), "center", "top")
    return line


def _checked_kws(kws, artist: str, argument: str) -> dict:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    from vizkit._core.kwargs import ArtistKws, check_artist_kws

    return check_artist_kws(kws, ArtistKws({"Line2D": Line2D, "Rectangle": Rectangle}[artist]), argument=argument)


def _check_label(label):
    if label is None:
        return None
    if not isinstance(label, str):
        raise bad_type("label", "a string or None", label)
    return user_text(label)


def _guide_label(ax, label, xy, xycoords, offset, ha, va):
    """A guide's label in the ink colour, on a box of the Axes face, ``offset`` points from ``xy``."""
    return ax.annotate(label, xy, xycoords=xycoords, xytext=offset, textcoords="offset points", ha=ha, va=va,
                       fontsize="small", color=ink(ax), bbox=_label_box(ax), zorder=3)


def _interval(ax, argument: str, value) -> tuple[float, float]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise bad_type(argument, "a (start, end) pair of numbers", value)
    start = axis_number(ax, argument, f"{argument}[0]", value[0])
    end = axis_number(ax, argument, f"{argument}[1]", value[1])
    if end <= start:
        raise bad_value(argument, "a (start, end) pair with start < end", value)
    return start, end


def refspan(ax, *, x=None, y=None, label=None, **span_kws):
    """Shade a region of the Axes behind the data, labelled inside its top-left corner.

    A vertical band over ``x=(start, end)`` (a period, a warm-up phase) or a
    horizontal band over ``y=(start, end)`` (an acceptable range), in a light
    grey behind every data artist.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, y : (start, end)
        The region, in the axis' units; give exactly one.
    label : str, optional
    **span_kws
        Passed to ``axvspan``/``axhspan`` (your values win).

    Returns
    -------
    matplotlib.patches.Rectangle

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> span = vk.refspan(ax, x=(0, 5), label="warm-up")
    >>> span.get_zorder() < 1
    True
    >>> plt.close(fig)
    """
    check_axes("ax", ax)
    _one_of_x_y("refspan", x, y)
    label = _check_label(label)
    start, end = _interval(ax, "x" if x is not None else "y", x if x is not None else y)
    span_kws = _checked_kws(span_kws, "Rectangle", "span_kws")
    kws = {"facecolor": _colors.GREY, "alpha": 0.3, "edgecolor": "none", "zorder": 0.1} | span_kws
    span = ax.axvspan(start, end, **kws) if x is not None else ax.axhspan(start, end, **kws)
    if label is not None and x is not None:
        _guide_label(ax, label, (start, 1), ("data", "axes fraction"), (4, -4), "left", "top")
    elif label is not None:
        _guide_label(ax, label, (0, end), ("axes fraction", "data"), (4, -4), "left", "top")
    return span
