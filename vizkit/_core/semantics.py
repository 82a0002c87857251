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

    A pandas Categorical keeps its categories' order; numbers are sorted, and
    booleans too (False, then True); anything else keeps the order of first
    appearance (as seaborn does), or is sorted with ``sort=True`` (hue levels:
    colours follow the level order, so a level keeps its colour whatever the
    order of the rows).
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
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
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
    """``values`` as a float array: NaN kept; text, complex numbers, inf and magnitudes past 1e300 refused.

    The error names the argument and the column (or "values" for a vector),
    and the first offending row. A float or int column is checked in place;
    anything else (object, nullable ``Int64``/``Float64``, ``Decimal``) is
    converted first. The bound is
    checked on the largest finite magnitude, so +1.7e308 and -1.7e308 are
    refused together as well as alone. Python ints too large for a float
    are refused by the same rule (they are past the bound).

    >>> numeric_values("y", [1, None, 2.5]).tolist()
    [1.0, nan, 2.5]
    >>> numeric_values("y", [1.7e308, -1.7e308], column="v")
    Traceback (most recent call last):
    ...
    vizkit._core.errors.VizkitValueError: `y` must be numbers between -1e+300 and 1e+300 (beyond, Matplotlib's axis arithmetic overflows); got column 'v' holding 1.7e+308 at row 0.
    >>> numeric_values("hue", [1 + 2j, 3 + 0j], column="z")
    Traceback (most recent call last):
    ...
    vizkit._core.errors.VizkitTypeError: `hue` must be real numbers; got column 'z' of complex numbers (e.g. (1+2j) at row 0). Pass the part to draw: `.real`, `.imag` or `abs()`.
    """
    import pandas as pd

    where = f"column {column!r}" if column is not None else "values"
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind in "fiu":
        array = np.asarray(values, dtype=np.float64)
        source = None
    else:
        source = values if isinstance(values, pd.Series) else pd.Series(values)
        array = _converted(argument, source, where)
    _check_magnitudes(argument, array, where, source)
    return array


def _converted(argument: str, series, where: str) -> np.ndarray:
    """A non-float column as floats, or the error naming its first value that is no real number."""
    import pandas as pd

    if pd.api.types.is_complex_dtype(series.dtype):
        if not len(series):  # no values: nothing to draw, nothing drawn wrong
            return np.empty(0)
        raise _complex_error(argument, series, where)
    if pd.api.types.is_bool_dtype(series.dtype) or not (
        pd.api.types.is_numeric_dtype(series.dtype) or series.dtype == object
    ):
        example = series.dropna().iloc[0] if series.notna().any() else None
        raise bad_type(argument, "numeric", example,
                       got=f"{where} of type {series.dtype} (e.g. {describe_value(example)})")
    if series.dtype == object:
        _check_objects(argument, series, where)
    numbers = pd.to_numeric(series, errors="coerce")
    bad = series.notna() & numbers.isna()
    if bad.any():
        example = series[bad].iloc[0]
        raise bad_type(argument, "numeric", example,
                       got=f"{where} holding {describe_value(example)} at row {int(np.flatnonzero(bad)[0])}")
    return numbers.to_numpy(dtype=float, na_value=np.nan)


def _check_objects(argument: str, series, where: str) -> None:
    """Refuse what ``pd.to_numeric`` would misread in an object column: booleans (1/0), complex numbers
    (their real part), ints too large for a float (an OverflowError)."""
    import numbers

    kinds = series.map(lambda v: 1 if isinstance(v, (bool, np.bool_)) else 2 if isinstance(
        v, (complex, np.complexfloating)) else 3 if isinstance(v, numbers.Integral) and abs(v) > LARGEST else 0)
    kinds = kinds.to_numpy(dtype=np.int8)
    if not kinds.any():
        return
    row = int(np.flatnonzero(kinds)[0])
    value = series.iloc[row]
    if kinds[row] == 1:
        raise bad_type(argument, "numeric", value, got=f"{where} holding {describe_value(value)} at row {row}")
    if kinds[row] == 2:
        raise _complex_error(argument, series, where)
    digits = len(str(abs(int(value))))
    raise bad_value(argument, _RANGE, value, got=f"{where} holding an int of {digits} digits at row {row}")


def _complex_error(argument: str, series, where: str):
    """The error for complex numbers: drawing their real part alone would be silently wrong."""
    values = series.to_numpy()
    kinds = [2 if isinstance(v, (complex, np.complexfloating)) and v.imag != 0 else
             1 if isinstance(v, (complex, np.complexfloating)) else 0 for v in values]
    row = int(np.argmax(kinds))
    return bad_type(argument, "real numbers", values[row],
                    got=f"{where} of complex numbers (e.g. {complex(values[row])!r} at row {row})",
                    hint="Pass the part to draw: `.real`, `.imag` or `abs()`.")


_RANGE = f"numbers between -{LARGEST:g} and {LARGEST:g} (beyond, Matplotlib's axis arithmetic overflows)"


def _check_magnitudes(argument: str, array: np.ndarray, where: str, source=None) -> None:
    """Refuse inf, and any finite value beyond :data:`LARGEST` (the largest magnitude, never a sum)."""
    if not array.size:
        return
    # fmax/fmin skip NaN and make no copy (10 million points are checked in a few ms); NaN when all are NaN
    if not max(np.fmax.reduce(array), -np.fmin.reduce(array)) > LARGEST:
        return
    infinite = np.isinf(array)
    if infinite.any():
        row = int(np.flatnonzero(infinite)[0])
        shown = array[row] if source is None else source.iloc[row]  # Decimal('1E+400') as the user wrote it
        raise bad_value(argument, "finite numbers (NaN is allowed and skipped)", shown,
                        got=f"{where} holding {shown} at row {row}")
    row = int(np.flatnonzero(np.abs(np.nan_to_num(array)) > LARGEST)[0])
    raise bad_value(argument, _RANGE, array[row], got=f"{where} holding {array[row]:g} at row {row}")


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
