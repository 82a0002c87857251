"""Text on charts: titles with subtitle and caption, notes and annotations, tick formats."""

from __future__ import annotations

import math

from matplotlib import ticker

from vizkit._core import (
    axis_number,
    bad_choice,
    bad_type,
    bad_value,
    before_draw,
    check_axes,
    check_choice,
)
from vizkit._core.labels import user_text
from vizkit.themes import ink, muted_ink

__all__ = ["titles", "annotate", "note", "format_axis", "compact_number"]

_SHORTHANDS = ("percent", "thousands", "si", "compact", "date")
_COMPACT = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_GAP = 2  # pixels kept between neighbouring tick labels


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def compact_number(value: float, digits: int = 1) -> str:
    """Write a number the short way: 1.2K, 3.4M, 2.5B, 1T (no trailing ".0").

    >>> compact_number(1_234_000)
    '1.2M'
    >>> compact_number(2_000), compact_number(-45_600), compact_number(999), compact_number(0.5)
    ('2K', '-45.6K', '999', '0.5')
    """
    if not math.isfinite(value):
        return str(value)
    magnitude = abs(value)
    if magnitude < 1:
        return f"{value:.{digits + 1}g}"  # 0.05 stays 0.05
    units = [(1.0, "")] + [(scale, suffix) for scale, suffix in reversed(_COMPACT)]
    index = max(i for i, (scale, _) in enumerate(units) if magnitude >= scale)
    while True:
        scale, suffix = units[index]
        text = _trim(f"{value / scale:.{digits}f}")
        if abs(float(text)) < 1000 or index == len(units) - 1:  # 999.96K reads 1000K: step up to 1M
            return text + suffix
        index += 1


def _thousands(value: float, _pos=None) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else _trim(f"{value:,.2f}")


def _formatter(axis, argument: str, spec):
    """The formatter (and locator, for dates) of ``spec``, or a vizkit error naming ``argument``; sets nothing."""
    if isinstance(spec, str) and spec in _SHORTHANDS:
        if spec == "percent":
            return ticker.PercentFormatter(xmax=1, decimals=None), None
        if spec == "thousands":
            return ticker.FuncFormatter(_thousands), None
        if spec == "si":
            return ticker.EngFormatter(sep=""), None
        if spec == "compact":
            return ticker.FuncFormatter(lambda value, _pos=None: compact_number(value)), None
        from matplotlib import dates

        _check_dates(axis, argument)
        locator = dates.AutoDateLocator()
        return dates.ConciseDateFormatter(locator), locator
    expected = "one of " + ", ".join(map(repr, _SHORTHANDS)) + " or a format string such as '{x:.1f}'"
    if not isinstance(spec, str):
        raise bad_type(argument, expected, spec)
    try:  # what StrMethodFormatter calls; "{x.foo}", "{0[0]}", "{x:%Y}" fail here, not at draw
        spec.format(x=1.5, pos=0)
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as error:
        raise bad_value(argument, expected, spec, hint=f"({type(error).__name__}: {error})") from None
    if "{x" not in spec:
        raise bad_choice(argument, spec, _SHORTHANDS, suffix=" or a format string such as '{x:.1f}'")
    return _UserFormat(spec), None


class _UserFormat(ticker.StrMethodFormatter):
    """A format string of the user's: each label is mathtext only when valid, else shown as typed."""

    def __call__(self, x, pos=None):
        return user_text(super().__call__(x, pos))


def _check_dates(axis, argument: str) -> None:
    """Refuse ``"date"`` on an axis that does not show dates (its tick values would read as days since 1970)."""
    from matplotlib import dates

    converter = axis.get_converter() if hasattr(axis, "get_converter") else axis.converter
    date_converters = (dates.DateConverter, getattr(dates, "_SwitchableDateConverter", dates.DateConverter))
    if not isinstance(converter, date_converters):
        shows = "numbers" if converter is None else f"values converted by {type(converter).__name__}"
        raise bad_value(argument, "'date' only on an axis of dates (plot datetime values on it first)", "date",
                        got=f"'date' on an {argument} axis that shows {shows}")


def _rotate_if_crowded(ax, renderer):
    """Rotate x tick labels 45° when they would overlap flat, 90° when even 45° would."""
    labels = ax.xaxis.get_majorticklabels()
    for label in labels:
        label.set_rotation(0)
        label.set_horizontalalignment("center")
        label.set_rotation_mode("default")
    ax.xaxis.get_tightbbox(renderer)  # places this draw's ticks and labels
    shown = [label for label in labels if label.get_visible() and label.get_text()]
    boxes = sorted((label.get_window_extent(renderer) for label in shown), key=lambda box: box.x0)
    if not any(a.x1 + _GAP > b.x0 for a, b in zip(boxes, boxes[1:], strict=False)):
        return
    centres = sorted((box.x0 + box.x1) / 2 for box in boxes)
    spacing = min(b - a for a, b in zip(centres, centres[1:], strict=False))
    height = max(box.height for box in boxes)
    angle = 45 if spacing >= height * math.sqrt(2) + _GAP else 90
    for label in labels:
        label.set_rotation(angle)
        label.set_horizontalalignment("right" if angle == 45 else "center")
        label.set_rotation_mode("anchor" if angle == 45 else "default")


def format_axis(ax, *, x=None, y=None, rotate=None):
    """Format tick labels, and rotate x tick labels only when they would overlap.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, y : str, optional
        ``"percent"`` (fractions: 0.25 reads 25%), ``"thousands"``
        (1,234,567), ``"si"`` (1.2k, 3.4M, 5m: SI prefixes), ``"compact"``
        (1.2K, 3.4M, 2.5B, no trailing ".0"), ``"date"`` (concise dates on
        an automatic date locator), or a format string such as
        ``"{x:.1f} °C"`` (``x`` is the tick value).
    rotate : {"auto"}, optional
        ``"auto"``: each time the Axes is drawn, rotate the x tick labels
        only if neighbouring labels would overlap: by 45° when that clears
        them, else by 90°.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> ax = vk.format_axis(ax, y="compact")
    >>> ax.yaxis.get_major_formatter()(1_234_000, 0)
    '1.2M'
    >>> plt.close(fig)
    """
    check_axes("ax", ax)
    chosen = {}  # everything is checked before anything is set: a refused call changes nothing
    for name, spec in (("x", x), ("y", y)):
        if spec is not None:
            axis = ax.xaxis if name == "x" else ax.yaxis
            chosen[axis] = _formatter(axis, name, spec)
    if rotate is not None:
        check_choice("rotate", rotate, ["auto"])
    for axis, (formatter, locator) in chosen.items():
        if locator is not None:
            axis.set_major_locator(locator)
        axis.set_major_formatter(formatter)
    if rotate is not None:
        before_draw(ax, _rotate_if_crowded, key="rotate-x")
    return ax


_LOCS = ("left", "center", "right")
_NOTE_LOCS = ("upper left", "upper right", "lower left", "lower right", "upper center", "lower center",
              "center left", "center right", "center")


def _check_text(argument: str, value, *, allow_none=True):
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise bad_type(argument, "a string" + (" or None" if allow_none else ""), value)
    return user_text(value)  # mathtext only when valid, else shown as typed


def titles(target, title, *, subtitle=None, caption=None, loc="left"):
    """Give an Axes or a Figure a title, a smaller subtitle under it, and a caption below.

    The title is bold; the subtitle sits under it in a lighter, smaller font;
    the caption (a source line, a note on the data) goes under the x axis.
    All three align with ``loc``: the left edge of the Axes by default, as
    modern charts do. They take part in layout (constrained or tight), so
    they never overlap tick labels, axis labels or a legend outside the Axes.
    (On a Figure, the title's text ends with a blank line: the room its
    subtitle is drawn in.)

    Parameters
    ----------
    target : matplotlib.axes.Axes or matplotlib.figure.Figure
    title : str
    subtitle, caption : str, optional
    loc : {"left", "center", "right"}

    Returns
    -------
    dict
        The Text artists: ``{"title": ..., "subtitle": ..., "caption": ...}``
        (None for parts not given).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots(layout="constrained")
    >>> texts = vk.titles(ax, "Loss falls fast", subtitle="MLP on MNIST, 3 seeds", caption="Source: run logs")
    >>> texts["title"].get_text(), texts["subtitle"].get_text()
    ('Loss falls fast', 'MLP on MNIST, 3 seeds')
    >>> plt.close(fig)
    """
    from matplotlib.axes import Axes
    from matplotlib.figure import FigureBase

    title = _check_text("title", title, allow_none=False)
    subtitle = _check_text("subtitle", subtitle)
    caption = _check_text("caption", caption)
    loc = check_choice("loc", loc, _LOCS)
    if isinstance(target, Axes):
        return _axes_titles(target, title, subtitle, caption, loc)
    if isinstance(target, FigureBase):
        return _figure_titles(target, title, subtitle, caption, loc)
    raise bad_type("target", "a Matplotlib Axes or Figure", target)


def _axes_titles(ax, title, subtitle, caption, loc):
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties
    from matplotlib.transforms import Bbox

    texts = {"title": None, "subtitle": None, "caption": None}
    pad = mpl.rcParams["axes.titlepad"]
    if subtitle is not None:  # the title stands higher by the subtitle's height; layout makes room
        pad += FontProperties(size="medium").get_size_in_points() * 1.35
    texts["title"] = ax.set_title(title, loc=loc, fontweight="bold", pad=pad)
    if subtitle is not None:
        texts["subtitle"] = _subtitle_under(ax.figure, texts["title"], subtitle, loc, color=muted_ink(ax))
    if caption is not None:
        def under_the_x_axis(renderer):
            frame = ax.get_window_extent(renderer)
            axis = ax.xaxis.get_tightbbox(renderer)
            bottom = min(frame.y0, axis.y0) if axis is not None else frame.y0
            return Bbox.from_extents(frame.x0, bottom, frame.x1, bottom)

        x = {"left": 0.0, "center": 0.5, "right": 1.0}[loc]
        texts["caption"] = ax.annotate(caption, (x, 0), xycoords=under_the_x_axis, xytext=(0, -4),
                                       textcoords="offset points", ha=loc, va="top", fontsize="small",
                                       color=muted_ink(ax))
    return texts


def _figure_titles(fig, title, subtitle, caption, loc):
    x = {"left": 0.01, "center": 0.5, "right": 0.99}[loc]
    color = muted_ink(fig.axes[0]) if fig.axes else None
    texts = {"title": None, "subtitle": None, "caption": None}
    texts["title"] = fig.suptitle(title if subtitle is None else title + "\n ", x=x, ha=loc, fontweight="bold")
    if subtitle is not None:
        texts["subtitle"] = _subtitle_under(fig, texts["title"], subtitle, loc, color=color, in_blank_line=True)
    if caption is not None:
        texts["caption"] = fig.supxlabel(caption, x=x, ha=loc, fontsize="small", color=color)
    return texts


def _subtitle_under(fig, title, subtitle, loc, *, color, in_blank_line=False):
    """The subtitle, drawn just under ``title``'s box, in room the title reserves for it.

    An Axes title reserves it with a larger pad; a figure title (suptitle: the figure text layout
    engines make room for) with a blank second line. Anchored to the title's box when drawn, so it
    follows the title wherever layout puts it.
    """
    from matplotlib.transforms import Affine2D, Transform

    fraction = {"left": 0.0, "center": 0.5, "right": 1.0}[loc]

    class UnderTitle(Transform):
        input_dims = output_dims = 2

        def transform_non_affine(self, values):
            box = title.get_window_extent()
            return values + [box.x0 + fraction * box.width, box.y0 + (1 if in_blank_line else -2)]

    return fig.text(0, 0, subtitle, transform=UnderTitle() + Affine2D(), ha=loc,
                    va="bottom" if in_blank_line else "top", fontsize="medium", color=color)


def annotate(ax, text, xy, *, xytext=None, arrow=True, box=False):
    """Write ``text`` near a data point, with an arrow to it and an optional box.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    text : str
    xy : (x, y)
        The point, in data coordinates (dates on a date axis too).
    xytext : (float, float), optional
        Where the text goes, as an offset from ``xy`` in points (default
        (30, 25): up and to the right).
    arrow : bool
        Draw a curved arrow from the text to the point.
    box : bool
        Put the text on a rounded box of the Axes face.

    Returns
    -------
    matplotlib.text.Annotation

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> note = vk.annotate(ax, "best epoch", (12, 0.31), box=True)
    >>> note.xy, note.arrow_patch is not None
    ((12.0, 0.31), True)
    >>> plt.close(fig)
    """
    check_axes("ax", ax)
    text = _check_text("text", text, allow_none=False)
    if not isinstance(xy, (tuple, list)) or len(xy) != 2:
        raise bad_type("xy", "an (x, y) pair of numbers", xy)
    xy = (axis_number(ax, "x", "xy[0]", xy[0]), axis_number(ax, "y", "xy[1]", xy[1]))  # dates too
    offset = (30.0, 25.0) if xytext is None else _pair("xytext", xytext)
    color = ink(ax)
    arrowprops = {"arrowstyle": "->", "color": color, "linewidth": 1.0, "shrinkA": 3, "shrinkB": 4,
                  "connectionstyle": "arc3,rad=0.2"} if arrow else None
    bbox = {"boxstyle": "round,pad=0.3", "facecolor": ax.get_facecolor(), "edgecolor": color, "linewidth": 0.8} \
        if box else None
    ha = "left" if offset[0] >= 0 else "right"
    va = "bottom" if offset[1] >= 0 else "top"
    return ax.annotate(text, xy, xytext=offset, textcoords="offset points", ha=ha, va=va, color=color,
                       arrowprops=arrowprops, bbox=bbox, fontsize="small")


def _pair(argument: str, value) -> tuple[float, float]:
    from vizkit._core import check_number

    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise bad_type(argument, "an (x, y) pair of numbers", value)
    return check_number(f"{argument}[0]", value[0]), check_number(f"{argument}[1]", value[1])


def note(ax, text, *, loc="upper left"):
    """A text box anchored inside the Axes: a remark that belongs to the chart, not to a point.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    text : str
    loc : str
        Where in the Axes: "upper left", "upper right", "lower left",
        "lower right", "upper center", "lower center", "center left",
        "center right" or "center".

    Returns
    -------
    matplotlib.offsetbox.AnchoredText

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> box = vk.note(ax, "n = 344 penguins", loc="lower right")
    >>> box.txt.get_text()
    'n = 344 penguins'
    >>> plt.close(fig)
    """
    from matplotlib.offsetbox import AnchoredText

    check_axes("ax", ax)
    text = _check_text("text", text, allow_none=False)
    loc = check_choice("loc", loc, _NOTE_LOCS)
    box = AnchoredText(text, loc=loc, frameon=True, pad=0.4, borderpad=0.6,
                       prop={"size": "small", "color": ink(ax)})
    box.patch.set_boxstyle("round,pad=0.2")
    box.patch.set_facecolor(ax.get_facecolor())
    box.patch.set_edgecolor(ax.spines["left"].get_edgecolor())
    box.patch.set_alpha(0.92)
    box.set_zorder(5)
    return ax.add_artist(box)
