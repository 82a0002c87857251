"""What box and violin share: numbers along one axis, categories along the other, hue levels dodged in each slot.

With both ``x`` and ``y`` the numeric one carries the values and the other
the categories (``x`` categorical, ``y`` numeric: vertical; the reverse:
horizontal; both numeric: vertical, ``x`` read as categories, such as years);
``orient=`` decides when the data cannot. With only one of them, one
distribution is drawn along that axis.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_value, check_choice, tidy
from vizkit._core import semantics as _semantics
from vizkit._core.axes import group_thousands
from vizkit._core.labels import label_axis, plain
from vizkit.charts.distributions._input import Sample

__all__ = ["categorical_sample", "slots", "dress_category_axis", "MAX_GROUPS", "SLOT"]

#: More categories than this is not a readable row of boxes; aggregate or facet first.
MAX_GROUPS = 200
SLOT = 0.8  # width of one category's slot, shared by its dodged hue levels
GAP = 0.9  # each dodged box fills this much of its share of the slot
_ORIENTS = {"v": "y", "vertical": "y", "y": "y", "h": "x", "horizontal": "x", "x": "x"}


def _is_numeric(series) -> bool:
    import pandas as pd

    dtype = series.dtype
    return (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
            and not isinstance(dtype, pd.CategoricalDtype))


def _value_axis(table, x, y, orient) -> str:
    """The axis of the values ("x" or "y")."""
    if orient is not None:
        return _ORIENTS[check_choice("orient", orient, list(_ORIENTS))]
    if x is None or y is None:
        return "x" if y is None else "y"
    if _is_numeric(table["y"]) or not _is_numeric(table["x"]):
        return "y"  # both numeric: x is the categories; neither: y's error names the column
    return "x"


def categorical_sample(data, *, x, y, hue, orient, chart: str) -> Sample:
    """The values by category and hue level (missing rows dropped); an error when no row is left."""
    if x is None and y is None:
        raise bad_value("y", f"a column or vector of numbers (and `x` the categories) for a {chart}", y,
                        got="neither `x` nor `y`")
    table = tidy(data, x=x, y=y, hue=hue)
    names = table.attrs["names"]
    along = _value_axis(table, x, y, orient)
    across = "y" if along == "x" else "x"
    if (x if along == "x" else y) is None:
        raise bad_value(along, f"a column or vector of numbers when orient={orient!r}", None)
    values = _semantics.numeric_values(along, table[along], column=names.get(along))
    keep = ~np.isnan(values)
    groups, group_codes = [None], None
    if across in table:
        groups, group_codes = _semantics.levels_and_codes(across, table[across], limit=MAX_GROUPS)
        keep &= group_codes >= 0
    levels, codes = [None], None
    if hue is not None:
        levels, codes = _semantics.levels_and_codes("hue", table["hue"], limit=_semantics.MAX_HUE_LEVELS)
        keep &= codes >= 0
    dropped = int(len(values) - np.count_nonzero(keep))
    values = values[keep]
    if not len(values):
        raise bad_value("data", f"at least one row with a numeric `{along}`", data,
                        got="no such row (empty data, or every row has a missing value)")
    return Sample(values, None if codes is None else codes[keep], levels, names, dropped, along, groups,
                  None if group_codes is None else group_codes[keep])


def slots(n_levels: int, group: int, level: int) -> tuple[float, float]:
    """(centre, width) of hue level ``level``'s box in category slot ``group`` (levels side by side)."""
    share = SLOT / n_levels
    return group + (level - (n_levels - 1) / 2) * share, share * GAP


def dress_category_axis(ax, sample: Sample) -> None:
    """Category ticks and name on the categories' axis, the values' name on the other; no grid across."""
    along = sample.orient
    category_axis = ax.xaxis if along == "y" else ax.yaxis
    across = "x" if along == "y" else "y"
    if sample.group_codes is None:
        category_axis.set_ticks([])
    else:
        category_axis.set_ticks(np.arange(len(sample.groups)), [plain(g) for g in sample.groups])
        category_axis.set_tick_params(length=0)
    category_axis.grid(False)
    name = sample.names.get(across)
    label_axis(category_axis, name)
    value_name = sample.names.get(along)
    value_axis = ax.yaxis if along == "y" else ax.xaxis
    label_axis(value_axis, value_name)
    group_thousands(value_axis)
    if along == "x" and sample.group_codes is not None and not ax.yaxis_inverted():
        ax.invert_yaxis()  # the first category at the top, as it is read
