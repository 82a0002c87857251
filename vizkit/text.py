"""Text on charts: tick formats (and rotation only when needed)."""

from __future__ import annotations

import math

from vizkit._core import bad_choice, bad_type, bad_value, before_draw, check_axes, check_choice

__all__ = ["format_axis", "compact_number"]

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


def _formatter(argument: str, spec):
    from matplotlib import ticker

    if spec in _SHORTHANDS:
        if spec == "percent":
            return ticker.PercentFormatter(xmax=1, decimals=None), None
        if spec == "thousands":
            return ticker.FuncFormatter(_thousands), None
        if spec == "si":
            return ticker.EngFormatter(sep=""), None
        if spec == "compact":
            return ticker.FuncFormatter(lambda value, _pos=None: compact_number(value)), None
        from matplotlib import dates

        locator = dates.AutoDateLocator()
        return dates.ConciseDateFormatter(locator), locator
    expected = "one of " + ", ".join(map(repr, _SHORTHANDS)) + " or a format string such as '{x:.1f}'"
    if not isinstance(spec, str):
        raise bad_type(argument, expected, spec)
    try:
        spec.format(x=1.5, pos=0)
    except (ValueError, KeyError, IndexError):
        raise bad_value(argument, expected, spec) from None
    if "{x" not in spec:
        raise bad_choice(argument, spec, _SHORTHANDS, suffix=" or a format string such as '{x:.1f}'")
    return ticker.StrMethodFormatter(spec), None


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
    for name, spec in (("x", x), ("y", y)):
        if spec is None:
            continue
        axis = ax.xaxis if name == "x" else ax.yaxis
        formatter, locator = _formatter(name, spec)
        if locator is not None:
            axis.set_major_locator(locator)
        axis.set_major_formatter(formatter)
    if rotate is not None:
        check_choice("rotate", rotate, ["auto"])
        before_draw(ax, _rotate_if_crowded, key="rotate-x")
    return ax
