"""What the chart families share: levels of a categorical variable, their colours, highlight.

Lives above ``_core`` and ``colors`` (it uses both) and below the chart
modules (bars, lines, scatterplots, facets), which all map ``hue=`` through
it, so the same data gets the same colours in every chart.
"""

from __future__ import annotations

import numpy as np

from vizkit import colors as _colors
from vizkit._core import bad_choice, bad_type, bad_value, check_color, describe_value

__all__ = ["levels_and_codes", "levels_of", "hue_colors", "legend_entries", "numeric_values", "MAX_HUE_LEVELS",
           "redundant_styles", "line_style", "hatch"]

# Past this many colours a legend stops being readable; facet or highlight instead.
MAX_HUE_LEVELS = 64


def levels_and_codes(argument: str, values, *, order=None, limit: int | None = None) -> tuple[list, np.ndarray]:
    """The levels of a categorical variable in display order, and each row's level index (-1 for missing).

    A pandas Categorical keeps its categories' order; numbers are sorted;
    anything else keeps the order of first appearance (as seaborn does).
    NaN is never a level. ``order`` overrides, and may name levels the data
    lacks (they get a slot but no data). One pass over the data.
    """
    import pandas as pd

    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if order is not None:
        if isinstance(order, (str, bytes)) or not hasattr(order, "__iter__"):
            raise bad_type(f"{argument}_order" if argument else "order", "a list of levels", order)
        levels = list(dict.fromkeys(order))
        codes = pd.Categorical(series, categories=levels).codes.astype(np.intp)
    elif isinstance(series.dtype, pd.CategoricalDtype):
        levels = list(series.cat.categories)
        codes = series.cat.codes.to_numpy().astype(np.intp)
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        levels = list(uniques)
        if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            ranks = np.argsort(np.asarray(uniques), kind="stable")
            levels = [levels[i] for i in ranks]
            remap = np.empty(len(ranks) + 1, dtype=np.intp)
            remap[ranks] = np.arange(len(ranks))
            remap[-1] = -1
            codes = remap[codes]
        codes = codes.astype(np.intp)
    if limit is not None and len(levels) > limit:
        raise bad_value(
            argument,
            f"a variable with at most {limit} levels (a colour per level stops being readable long before)",
            values,
            got=f"{len(levels)} levels",
            hint="Use highlight= to pick a few, facet() to split panels, or aggregate first.",
        )
    return levels, codes


def levels_of(argument: str, values, *, order=None, limit: int | None = None) -> list:
    """The levels of a categorical variable, in display order (see :func:`levels_and_codes`)."""
    return levels_and_codes(argument, values, order=order, limit=limit)[0]


def _palette_colors(palette, n: int, *, warn: bool = True) -> list:
    import matplotlib as mpl

    if palette is None:
        cycle = mpl.rcParams["axes.prop_cycle"].by_key().get("color", _colors.palette())
        return _colors._repeat([check_color("palette", c)[:3] for c in cycle], n, "the colour cycle", warn=warn)
    if not n:
        return []
    colors = _colors._palette_for("palette", palette, None)
    return _colors._repeat(colors, n, "the given palette", warn=warn)


def hue_colors(levels: list, *, palette=None, highlight=None, repeat_ok=False) -> dict:
    """``{level: (r, g, b)}`` for the given levels.

    Parameters
    ----------
    palette : None, name, list of colours, or dict
        None takes the active colour cycle (so themes apply); a dict must
        give a colour for every level.
    repeat_ok : bool
        Colours may repeat without a warning (the chart encodes levels another way too).
    highlight : level or list of levels, optional
        Those levels keep their colour; every other level turns vizkit's grey.
        A focus colour that would itself read as grey (a low-saturation
        palette entry) is swapped for an unused saturated one.
    """
    if isinstance(palette, dict):
        missing = [level for level in levels if level not in palette]
        if missing:
            raise bad_value(
                "palette",
                "a dict with a colour for every level",
                palette,
                got=f"a dict without {', '.join(map(repr, missing[:5]))}{' ...' if len(missing) > 5 else ''}",
            )
        mapping = {level: check_color(f"palette[{level!r}]", palette[level])[:3] for level in levels}
    else:
        mapping = dict(zip(levels, _palette_colors(palette, len(levels), warn=not repeat_ok), strict=True))
    if highlight is not None:
        focus = list(highlight) if isinstance(highlight, (list, tuple, set)) else [highlight]
        for level in focus:
            if level not in mapping:
                raise bad_choice("highlight", level, levels, what="levels among")
        mapping = _colors.highlight_palette(levels, focus, color=_stand_out(focus, mapping, palette))
    return mapping


def _greyish(color) -> bool:
    from matplotlib.colors import rgb_to_hsv

    return rgb_to_hsv(color[:3])[1] < 0.3  # too little saturation to stand out against grey


def _stand_out(focus, mapping, palette) -> list:
    """The focus levels' colours, a greyish one swapped for a saturated palette colour no level uses."""
    chosen = [mapping[f] for f in focus]
    if not any(_greyish(c) for c in chosen):
        return chosen
    import matplotlib as mpl

    if palette is None or isinstance(palette, dict):
        every = [check_color("palette", c)[:3] for c in mpl.rcParams["axes.prop_cycle"].by_key().get("color", [])]
    else:
        every = _colors._palette_for("palette", palette, None)
    taken = set(mapping.values())  # a spare must not be any level's colour, in focus or not
    spares = [c for c in every + _colors.palette() if not _greyish(c) and c not in taken]
    return [spares.pop(0) if _greyish(c) and spares else c for c in chosen]


#: Largest magnitude drawn: beyond it Matplotlib's axis arithmetic (spans, margins, tick steps) overflows.
LARGEST = 1e300


def numeric_values(argument: str, values, *, column=None) -> np.ndarray:
    """``values`` as a float array: NaN kept; text, inf and magnitudes past 1e300 refused, naming the column.

    A float or int column is checked in one pass; anything else is converted first.
    """
    import pandas as pd

    where = f"column {column!r}" if column is not None else "values"
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind in "fiu":
        array = np.asarray(values, dtype=np.float64)
    else:
        series = values if isinstance(values, pd.Series) else pd.Series(values)
        if pd.api.types.is_bool_dtype(series.dtype) or not (
            pd.api.types.is_numeric_dtype(series.dtype) or series.dtype == object
        ):
            example = series.dropna().iloc[0] if series.notna().any() else None
            raise bad_type(argument, "numeric", example,
                           got=f"{where} of type {series.dtype} (e.g. {describe_value(example)})")
        numbers = pd.to_numeric(series, errors="coerce")
        bad = series.notna() & numbers.isna()
        if series.dtype == object:  # True/False among numbers would silently read as 1/0
            bad |= series.map(lambda v: isinstance(v, (bool, np.bool_))).astype(bool)
        if bad.any():
            example = series[bad].iloc[0]
            raise bad_type(argument, "numeric", example,
                           got=f"{where} holding {describe_value(example)} at row {int(np.flatnonzero(bad)[0])}")
        array = numbers.to_numpy(dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        total = array.sum()  # finite: no NaN, no inf, nothing near the float limit (the common case)
    if not np.isfinite(total) or abs(total) > LARGEST:
        infinite = np.isinf(array)
        if infinite.any():
            row = int(np.flatnonzero(infinite)[0])
            raise bad_value(argument, "finite numbers (NaN is allowed and skipped)", array[row],
                            got=f"{where} holding {array[row]} at row {row}")
        huge = np.abs(np.nan_to_num(array)) > LARGEST
        if huge.any():
            row = int(np.flatnonzero(huge)[0])
            raise bad_value(argument, f"numbers between -{LARGEST:g} and {LARGEST:g} (beyond, Matplotlib's axis "
                            "arithmetic overflows)", array[row], got=f"{where} holding {array[row]:g} at row {row}")
    return array


def legend_entries(mapping: dict, highlight=None) -> list[tuple[str, tuple]]:
    """``[(label, colour), ...]`` for a legend: every level, or with ``highlight``
    the focus levels and one "other" entry for all the grey ones."""
    if highlight is None:
        return [(str(level), color) for level, color in mapping.items()]
    focus = list(highlight) if isinstance(highlight, (list, tuple, set)) else [highlight]
    entries = [(str(level), mapping[level]) for level in mapping if level in focus]
    others = [level for level in mapping if level not in focus]
    if others:
        entries.append(("other", mapping[others[0]]))
    return entries


# Redundant encoding: past this many hue levels, colour alone stops telling them apart safely.
SAFE_COLORS = 8
LINE_STYLES = ["-", "--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2, 2, 2))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<", ">", "p"]
HATCHES = ["", "//", "\\\\", "xx", "..", "++", "--", "oo", "||", "**", "OO", "///"]


def redundant_styles(levels: list, redundant) -> dict | None:
    """``{level: index}`` when levels need a second encoding besides colour, else None.

    ``redundant=None`` (automatic) turns it on past :data:`SAFE_COLORS` levels;
    True or False force it. Charts map the index to hatches, line styles or markers.
    """
    if redundant is None:
        on = len(levels) > SAFE_COLORS
    elif isinstance(redundant, (bool, np.bool_)):
        on = bool(redundant)
    else:
        raise bad_type("redundant", "True, False or None (automatic past 8 levels)", redundant)
    return {level: i for i, level in enumerate(levels)} if on else None


def line_style(index: int) -> tuple:
    """(linestyle, marker) of the ``index``-th level: line styles first, then markers as well (96 unique)."""
    extra = MARKERS[1:]  # "o" is every line's marker when markers are on: it cannot tell lines apart
    marker = "None" if index < len(LINE_STYLES) else extra[(index // len(LINE_STYLES) - 1) % len(extra)]
    return LINE_STYLES[index % len(LINE_STYLES)], marker


def hatch(index: int) -> str:
    """The hatch of the ``index``-th level (12 unique)."""
    return HATCHES[index % len(HATCHES)]
