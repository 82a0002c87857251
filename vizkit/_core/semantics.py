"""What the chart families share about their variables: levels of a categorical
variable and their codes, numeric columns checked once, redundant encodings.

Every chart (bars, lines, scatter, facets, the charts of runs) maps ``hue=``
through :func:`levels_and_codes` and colours the levels with
:func:`vizkit.colors.hue_colors`, so the same data gets the same levels and
colours in every chart.
"""

from __future__ import annotations

import numpy as np

from vizkit._core.errors import bad_type, bad_value, describe_value

__all__ = ["levels_and_codes", "levels_of", "numeric_values", "MAX_HUE_LEVELS", "MAX_INTEGER_LEVELS",
           "hue_kind", "sorted_levels", "redundant_styles", "line_style", "hatch"]

# Past this many colours a legend stops being readable; facet or highlight instead.
MAX_HUE_LEVELS = 64
# Integers with at most this many distinct values are levels (years, digits, seeds); more are a quantity.
MAX_INTEGER_LEVELS = 12


def hue_kind(values) -> str:
    """What a ``hue`` (or any colour) variable is, by one rule for every chart.

    - ``"categorical"``: text, booleans, an unordered pandas Categorical, and
      integers with at most :data:`MAX_INTEGER_LEVELS` distinct values that
      group rows (years, digits, seeds: some value occurs twice): each value
      is a level with its own colour, never "2012.8";
    - ``"ordered"``: an ordered pandas Categorical (levels with an order: a
      sequential ramp, one colour per level);
    - ``"numeric"``: other numbers (floats, integers with more distinct values):
      a quantity, coloured along a sequential ramp with a colour bar; so are
      integers that are all different (a count per row, as ``value_counts``
      gives).

    Only integer dtypes (``int64``, nullable ``Int64``) count as integers: a
    float column is a quantity even when its values are whole.

    >>> import pandas as pd
    >>> hue_kind(pd.Series([2012, 2013, 2013])), hue_kind(pd.Series(range(100))), hue_kind([0.1, 0.01])
    ('categorical', 'numeric', 'numeric')
    >>> hue_kind(pd.Series([714, 411, 259, 54, 26]))  # counts of five weathers: a quantity
    'numeric'
    >>> hue_kind(pd.Categorical(["low", "high"], categories=["low", "high"], ordered=True))
    'ordered'
    """
    import pandas as pd

    series = values if isinstance(values, pd.Series) else pd.Series(values)
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "ordered" if dtype.ordered else "categorical"
    if series.dtype == object and series.notna().any():  # [1, 2.5, None] given as objects is numeric
        try:
            inferred = series.infer_objects()
        except (TypeError, ValueError):  # pragma: no cover - pandas infers or leaves objects alone
            inferred = series
        dtype = inferred.dtype
        series = inferred
    if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return "categorical"
    if pd.api.types.is_integer_dtype(dtype):
        distinct = series.nunique(dropna=True)
        if distinct <= MAX_INTEGER_LEVELS and distinct < series.count():  # values that group rows
            return "categorical"
    return "numeric"


def sorted_levels(levels: list) -> list:
    """``levels`` sorted (numbers by value, anything else by its text), for colours that follow the level order.

    >>> sorted_levels(["MSFT", "AAPL", "GOOG"])
    ['AAPL', 'GOOG', 'MSFT']
    """
    try:
        return sorted(levels)
    except TypeError:  # mixed types: by their text, the same on every call
        return sorted(levels, key=lambda level: (type(level).__name__, str(level)))


def levels_and_codes(argument: str, values, *, order=None, limit: int | None = None,
                     sort: bool = False) -> tuple[list, np.ndarray]:
    """The levels of a categorical variable in display order, and each row's level index (-1 for missing).

    A pandas Categorical keeps its categories' order; numbers are sorted;
    anything else keeps the order of first appearance (as seaborn does), or
    is sorted with ``sort=True`` (hue levels: colours follow the level order,
    so a level keeps its colour whatever the order of the rows).
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
        elif sort:
            ordered = sorted_levels(levels)
            position = {id(level): i for i, level in enumerate(levels)}
            remap = np.empty(len(levels) + 1, dtype=np.intp)
            remap[[position[id(level)] for level in ordered]] = np.arange(len(ordered))
            remap[-1] = -1
            levels, codes = ordered, remap[codes]
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


def levels_of(argument: str, values, *, order=None, limit: int | None = None, sort: bool = False) -> list:
    """The levels of a categorical variable, in display order (see :func:`levels_and_codes`)."""
    return levels_and_codes(argument, values, order=order, limit=limit, sort=sort)[0]


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
        total = array.sum()  # finite: no NaN, no inf, nothing near the float limit (the common case) ...
        energy = np.dot(array, array) if array.ndim == 1 else 0.0  # ... unless +-huge values cancel in the sum
    if not np.isfinite(total) or abs(total) > LARGEST or not np.isfinite(energy):
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
