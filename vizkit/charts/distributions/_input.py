"""What every distribution chart does first and last: the values as numbers per hue level, and the legend.

A distribution chart reads one numeric variable (``x=`` or ``y=``, the axis it
runs along) and an optional ``hue``; rows with a missing value are dropped and
counted (``plotted_data(ax).attrs["dropped"]``), an empty sample is an error.
The categorical charts (box, violin) add a grouping variable on the other axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit import colors as _colors
from vizkit._core import bad_value, tidy
from vizkit._core import semantics as _semantics
from vizkit._core.axes import group_thousands
from vizkit._core.labels import axis_label, label_axis, plain
from vizkit._core.room import keep_inside

__all__ = ["Sample", "sample", "level_colors", "legend", "value_axis", "TOO_FEW"]

#: Below this many values a level has no spread to estimate (a KDE, a violin): it is skipped with a warning.
TOO_FEW = 2


@dataclass(frozen=True)
class Sample:
    """The checked input of a distribution chart.

    ``values`` are finite floats; ``codes[i]`` is the hue level of ``values[i]``
    (None without hue, one level ``None``); ``groups``/``group_codes`` the same
    for the categorical axis of box and violin.
    """

    values: np.ndarray
    codes: np.ndarray | None
    levels: list
    names: dict
    dropped: int
    orient: str  # "x": the values run along the x axis; "y": along the y axis
    groups: list = (None,)
    group_codes: np.ndarray | None = None

    @property
    def has_hue(self) -> bool:
        return self.codes is not None

    def by_level(self):
        """(level, values) for each hue level, in level order."""
        if self.codes is None:
            yield None, self.values
            return
        for i, level in enumerate(self.levels):
            yield level, self.values[self.codes == i]

    def by_group_and_level(self):
        """(group index, group, level index, level, values) for every cell of the categorical axis and hue."""
        for g, group in enumerate(self.groups):
            in_group = np.ones(len(self.values), bool) if self.group_codes is None else self.group_codes == g
            for h, level in enumerate(self.levels):
                keep = in_group if self.codes is None else in_group & (self.codes == h)
                yield g, group, h, level, self.values[keep]


def value_axis(x, y, *, chart: str) -> str:
    """Which axis the values run along: ``"x"`` when ``x`` is given, ``"y"`` when ``y`` is; exactly one."""
    if (x is None) == (y is None):
        given = "both `x` and `y`" if x is not None else "neither"
        raise bad_value("x", f"a column or vector of values, with `y` unset (or `y` alone for a horizontal "
                             f"{chart})", x, got=given)
    return "x" if x is not None else "y"


def sample(data, *, x=None, y=None, hue=None, chart: str, role: str = "hue",
           limit: int = _semantics.MAX_HUE_LEVELS) -> Sample:
    """The numeric values of ``x`` (or ``y``) by ``hue`` level, missing rows dropped; an error when none is left.

    ``role`` names the grouping argument in messages and in ``names`` (``"by"`` for a ridgeline).
    """
    if x is None and y is None and _is_values(data):  # vk.hist(series): the values themselves
        data, x = None, data
    orient = value_axis(x, y, chart=chart)
    table = tidy(data, **{orient: x if orient == "x" else y}, **{role: hue})
    names = table.attrs["names"]
    values = _semantics.numeric_values(orient, table[orient], column=names.get(orient))
    keep = ~np.isnan(values)
    codes, levels = None, [None]
    if hue is not None:
        levels, codes = _semantics.levels_and_codes(role, table[role], limit=limit, sort=True)
        keep &= codes >= 0
    dropped = int(len(values) - np.count_nonzero(keep))
    if dropped:
        values = values[keep]
        codes = None if codes is None else codes[keep]
    if len(values) == 0:
        raise bad_value("data", f"at least one row with a numeric `{orient}`"
                        + (f" and a `{role}`" if hue is not None else ""), data,
                        got="no such row (empty data, or every value is missing)")
    return Sample(values, codes, levels, names, dropped, orient)


def _is_values(data) -> bool:
    """Whether ``data`` is itself the values (a Series or a 1-D array), as in ``vk.hist(df["loss"])``."""
    import pandas as pd

    return isinstance(data, pd.Series) or (isinstance(data, np.ndarray) and data.ndim == 1)


def hue_reserved(has_hue: bool) -> dict:
    """The artist keywords a chart with ``hue`` refuses, with why (for ``check_artist_kws``)."""
    return {"color": "unset when `hue` is set (colours come from `palette`)"} if has_hue else {}


def without_unused_roles(sample: Sample, *frames):
    """``frames`` without the ``group`` and ``hue`` columns of roles the chart was not given."""
    unused = [c for c, used in (("group", sample.group_codes is not None), ("hue", sample.has_hue)) if not used]
    return tuple(frame.drop(columns=unused) for frame in frames)


def level_colors(sample: Sample, palette, color=None) -> dict:
    """``{hue level: RGB}``: the hue levels' colours, or ``color`` (default the cycle's first) without hue."""
    import matplotlib as mpl

    if sample.has_hue:
        return _colors.hue_colors(sample.levels, palette=palette)
    if color is None:
        color = mpl.rcParams["axes.prop_cycle"].by_key().get("color", _colors.palette())[0]
    return {None: mpl.colors.to_rgb(color)}


def legend(ax, colors: dict, title, *, patch: bool, alpha: float = 1.0, reverse: bool = False):
    """The hue legend outside the Axes on the right (inside, it would cover the distributions), if any.

    Every distribution chart calls it last: it also keeps the chart's labels and legend inside the figure
    (:func:`vizkit._core.room.keep_inside`).

    ``patch``: each entry a patch whose face has ``alpha`` and whose edge is the
    level's colour (as a filled area is drawn); else a line. ``reverse`` lists
    the last level first (the top of a stack). Levels and title are data: never math.
    """
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    keep_inside(ax)  # without a layout engine, the Axes makes room in the figure for its labels and legend
    if list(colors) == [None]:
        return None
    handles = [Patch(facecolor=to_rgba(color, alpha), edgecolor=color, linewidth=1.0, label=plain(level)) if patch
               else Line2D([], [], color=color, linewidth=2, label=plain(level)) for level, color in colors.items()]
    if reverse:
        handles.reverse()
    return ax.legend(handles=handles, title=None if title is None else axis_label(title), loc="upper left",
                     bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


def label_axes(ax, sample: Sample, stat_label: str) -> None:
    """The values' axis named after their column, the other after the statistic drawn (its ticks 1,234)."""
    values, stats = (ax.xaxis, ax.yaxis) if sample.orient == "x" else (ax.yaxis, ax.xaxis)
    label_axis(values, sample.names.get(sample.orient))
    label_axis(stats, stat_label)
    group_thousands(ax.yaxis if sample.orient == "x" else ax.xaxis)
