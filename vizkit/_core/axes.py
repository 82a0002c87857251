"""Which Axes a chart draws on, and the table it leaves there.

Charts follow one rule: draw on ``ax=`` when given, else on pyplot's current
Axes, else on a new figure (that is what ``plt.gca()`` does). After drawing,
a chart attaches the table it drew with :func:`attach_data`, so users and
tests can read back exactly what is on the Axes with :func:`plotted_data`.
"""

from __future__ import annotations

from vizkit._core.validate import check_axes

__all__ = ["target_ax", "attach_data", "plotted_data", "before_draw", "rerun_before_draw", "axis_number",
           "group_thousands"]

_DATA_ATTR = "_vizkit_plotted"


def target_ax(ax=None):
    """Return ``ax`` if given (checked), else pyplot's current Axes (made if none)."""
    if ax is not None:
        return check_axes("ax", ax)
    import matplotlib.pyplot as plt

    return plt.gca()


def attach_data(ax, table, *, chart: str):
    """Keep a copy of ``table`` (what ``chart`` drew) on ``ax`` for :func:`plotted_data`, and return it.

    A chart that settles part of what it draws only when the Axes draws (labels that fit or not) updates
    the returned copy then, so :func:`plotted_data` keeps describing what was drawn.
    """
    layers = getattr(ax, _DATA_ATTR, None)
    if layers is None:
        layers = []
        setattr(ax, _DATA_ATTR, layers)
    layers.append((chart, table.copy()))
    return layers[-1][1]


def plotted_data(ax):
    """Return the table vizkit charts drew on ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes

    Returns
    -------
    pandas.DataFrame
        The drawn values, one row per drawn element, with the chart's own
        columns. When several vizkit charts drew on the same Axes, their
        tables are stacked with a ``chart`` column and a ``layer`` number
        (0 for the first). An Axes no vizkit chart drew on gives an empty frame.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> vk.plotted_data(ax).empty
    True
    >>> plt.close(fig)
    """
    import pandas as pd

    check_axes("ax", ax)
    layers = getattr(ax, _DATA_ATTR, [])
    if not layers:
        return pd.DataFrame()
    if len(layers) == 1:
        return layers[0][1].copy()
    frames = [table.assign(chart=chart, layer=i) for i, (chart, table) in enumerate(layers)]
    return pd.concat(frames, ignore_index=True)


_BEFORE_DRAW_CLASS = None


def before_draw(ax, function, *, key: str):
    """Call ``function(ax, renderer)`` each time ``ax`` draws, before any of its artists.

    For decisions that need the final layout (a constrained-layout figure
    sizes its Axes only when drawn): fitting labels, growing limits, rotating
    ticks. The function also runs when a layout engine measures the Axes, so
    the layout can make room for its effects. It must be idempotent. ``key``
    names the job; adding the same key again replaces it.
    """
    global _BEFORE_DRAW_CLASS
    if _BEFORE_DRAW_CLASS is None:
        from matplotlib.artist import Artist

        class BeforeDraw(Artist):
            """Drawn first in its Axes (lowest zorder); draws nothing itself."""

            def __init__(self, function, key):
                super().__init__()
                self.function = function
                self.key = key
                self.set_zorder(-1e9)
                self.set_clip_on(False)  # layout engines skip children clipped to the Axes

            def draw(self, renderer):
                self.function(self.axes, renderer)
                self.stale = False

            def get_tightbbox(self, renderer=None):
                # Layout engines measure every child before drawing (constrained layout twice):
                # deciding here lets the layout make room for what the decision changes.
                self.function(self.axes, renderer or self.figure.canvas.get_renderer())
                return None

        _BEFORE_DRAW_CLASS = BeforeDraw
    for artist in [a for a in ax.artists if isinstance(a, _BEFORE_DRAW_CLASS) and a.key == key]:
        artist.remove()
    return ax.add_artist(_BEFORE_DRAW_CLASS(function, key))


def rerun_before_draw(ax, renderer, *, but: str) -> None:
    """Run again every :func:`before_draw` job of ``ax`` except the one keyed ``but``, in the order added.

    For a job that moves or resizes the Axes: what the others decided (labels that fit, limits grown to
    hold them) was decided for the old size.
    """
    for artist in [a for a in ax.artists if _BEFORE_DRAW_CLASS is not None and isinstance(a, _BEFORE_DRAW_CLASS)]:
        if artist.key != but:
            artist.function(ax, renderer)


def axis_number(ax, axis: str, argument: str, value) -> float:
    """``value`` as a number on ``ax``'s ``axis`` ("x" or "y"), or a vizkit error naming ``argument``.

    Dates and other units go through the converter the axis already uses; a
    date axis also takes a date string ("2014-03-01") and ``datetime.date``.
    An axis without units adopts none (Matplotlib would otherwise switch a
    numeric axis to categories for a stray string). A value the axis' scale
    cannot show (<= 0 on a log axis, outside (0, 1) on a logit axis) is refused:
    Matplotlib would draw nothing.
    """
    import numpy as np

    from vizkit._core.errors import bad_value
    from vizkit._core.validate import check_number

    target = ax.xaxis if axis == "x" else ax.yaxis
    converter = target.get_converter() if hasattr(target, "get_converter") else target.converter
    if converter is not None and not isinstance(value, (bool, np.bool_)):
        value = _date_of_string(converter, argument, value)
        try:
            converted = target.convert_units(value)
            if np.ndim(converted) == 0:
                value = np.asarray(converted).item()
        except Exception:  # noqa: BLE001 - Matplotlib's unit converters raise many types; check_number words it
            pass
    number = check_number(argument, value)
    scale = target.get_scale()
    if scale == "log" and number <= 0:
        raise bad_value(argument, f"a value > 0 (the {axis} axis is logarithmic: it cannot show {number:g})", value)
    if scale == "logit" and not 0 < number < 1:
        raise bad_value(argument, f"a value in (0, 1) (the {axis} axis is a logit axis)", value)
    return number


def _date_of_string(converter, argument: str, value):
    """A date string as a Timestamp on a date axis (other values and axes: unchanged)."""
    from matplotlib import dates

    date_converters = (dates.DateConverter, getattr(dates, "_SwitchableDateConverter", dates.DateConverter))
    if not isinstance(value, str) or not isinstance(converter, date_converters):
        return value
    import pandas as pd

    from vizkit._core.errors import bad_value

    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        raise bad_value(argument, "a date such as '2014-03-01' (the axis shows dates)", value) from None
    if stamp is pd.NaT:
        raise bad_value(argument, "a date such as '2014-03-01' (the axis shows dates)", value)
    return stamp.to_pydatetime()


_GROUPED_CLASS = None


def group_thousands(axis) -> None:
    """Tick labels of ``axis`` with the thousands separator of vizkit's value labels: 1,234 and 25,000.

    Only an axis still on Matplotlib's default ``ScalarFormatter`` changes (a
    date, log, category or user's formatter stays); the ticks themselves do
    not. Charts call it on their value axes (not on an x axis of years).
    """
    global _GROUPED_CLASS
    import re

    from matplotlib import ticker

    if type(axis.get_major_formatter()) is not ticker.ScalarFormatter:
        return
    if _GROUPED_CLASS is None:
        digits = re.compile(r"(?<![\d.,])\d{4,}")

        class GroupedScalarFormatter(ticker.ScalarFormatter):
            """Matplotlib's ScalarFormatter, with a comma between thousands in the integer part."""

            def __call__(self, x, pos=None):
                return digits.sub(lambda m: f"{int(m.group()):,}", super().__call__(x, pos))

        _GROUPED_CLASS = GroupedScalarFormatter
    axis.set_major_formatter(_GROUPED_CLASS())
