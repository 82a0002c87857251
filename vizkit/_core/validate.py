"""Argument checks shared by every public function.

Each checker either returns the value in canonical form or raises a vizkit
error built in :mod:`vizkit._core.errors`. Public functions call these first,
so bad input stops at the boundary with a message that names the argument,
never deep inside pandas or Matplotlib.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

from vizkit._core.errors import bad_choice, bad_type, bad_value, missing_argument, missing_column

__all__ = [
    "check_choice",
    "check_number",
    "check_color",
    "check_colors",
    "check_axes",
    "resolve_data",
    "resolve_column",
    "tidy",
]


def check_choice(argument: str, value, choices: Iterable, *, aliases: Mapping | None = None):
    """Return ``value`` (or what its alias stands for) if it is one of ``choices``.

    >>> check_choice("layout", "stacked", ["grouped", "stacked", "percent"])
    'stacked'
    >>> check_choice("layout", "stack", ["grouped", "stacked", "percent"])
    Traceback (most recent call last):
    ...
    vizkit._core.errors.VizkitValueError: `layout` must be one of 'grouped', 'stacked', 'percent'; got 'stack' (str). Did you mean 'stacked'?
    """
    choices = list(choices)
    aliases = dict(aliases or {})
    if not isinstance(value, np.ndarray):  # an array compares element-wise: never a choice
        try:
            if value in choices:
                return value
            if value in aliases:
                return aliases[value]
        except (TypeError, ValueError):  # unhashable, or a value that refuses to compare
            pass
    raise bad_choice(argument, value, choices + [a for a in aliases if a not in choices])


def check_number(
    argument: str,
    value,
    *,
    integer: bool = False,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    allow_none: bool = False,
):
    """Return ``value`` as a Python int or float after checking type and range.

    Booleans, strings and NaN are refused; numpy scalars are accepted.

    >>> check_number("severity", 50, low=0, high=100)
    50.0
    >>> check_number("every", 2.5, integer=True, low=1)
    Traceback (most recent call last):
    ...
    vizkit._core.errors.VizkitTypeError: `every` must be an int >= 1; got 2.5 (float).
    """
    if value is None and allow_none:
        return None
    kind = "an int" if integer else "a number"
    bounds = []
    if low is not None:
        bounds.append(f"{'>' if low_open else '>='} {low:g}")
    if high is not None:
        bounds.append(f"{'<' if high_open else '<='} {high:g}")
    expected = f"{kind} {' and '.join(bounds)}".strip()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise bad_type(argument, expected, value)
    if integer and not isinstance(value, numbers.Integral):
        raise bad_type(argument, expected, value)
    number = int(value) if integer else float(value)
    if not integer and not math.isfinite(number):
        raise bad_value(argument, f"a finite {expected[2:]}".strip(), value)
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if too_low or too_high:
        raise bad_value(argument, expected, value)
    return number


def check_color(argument: str, value) -> tuple[float, float, float, float]:
    """Return ``value`` as an RGBA tuple, or name the argument that is not a colour.

    Accepts anything Matplotlib does: names, hex strings, ``"C0"``, grey levels
    as strings, RGB(A) tuples in 0-1.

    >>> check_color("color", "#ff0000")
    (1.0, 0.0, 0.0, 1.0)
    """
    from matplotlib.colors import to_rgba

    try:
        rgba = tuple(float(c) for c in to_rgba(value))
    except (ValueError, TypeError):
        rgba = None
    if rgba is not None and all(math.isfinite(c) for c in rgba):
        return rgba
    raise bad_value(
        argument,
        "a Matplotlib colour (a name such as 'tab:blue', a hex string such as '#1f77b4', "
        "or an RGB(A) tuple of floats in 0-1)",
        value,
    )


def check_colors(argument: str, values) -> list[tuple[float, float, float, float]]:
    """Return a list of RGBA tuples from a sequence of colours (see :func:`check_color`)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise bad_type(argument, "a sequence of colours", values)
    colors = [check_color(f"{argument}[{i}]", v) for i, v in enumerate(values)]
    if not colors:
        raise bad_value(argument, "a non-empty sequence of colours", values)
    return colors


def check_axes(argument: str, ax):
    """Return ``ax`` if it is a Matplotlib Axes, else raise a vizkit TypeError."""
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise bad_type(argument, "a Matplotlib Axes", ax)
    return ax


def resolve_data(data, *, argument: str = "data"):
    """Return ``data`` as a pandas DataFrame (or None).

    Accepts a DataFrame, a mapping of column name to equal-length vectors, a
    Series (one column, named by the Series or "value", over its index, as
    ``s.value_counts()`` gives), or None (then every variable must be a vector).
    """
    import pandas as pd

    if data is None or isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return data.to_frame("value" if data.name is None else data.name)
    if isinstance(data, Mapping):
        try:
            return pd.DataFrame(dict(data))
        except (ValueError, TypeError) as error:
            raise bad_value(
                argument, "a DataFrame or a mapping of equal-length columns", data, hint=f"({error})"
            ) from None
    raise bad_type(argument, "a pandas DataFrame, a mapping of column name to vector, or None", data)


def _is_vector(value) -> bool:
    import pandas as pd

    if isinstance(value, (pd.Series, pd.Index, np.ndarray)):
        return True
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _names_a_column(data, key) -> bool:
    if data is None or not isinstance(key, Hashable):
        return False
    try:
        return key in data.columns
    except TypeError:
        return False


def _names_an_index_level(data, key) -> bool:
    """Whether ``key`` names a level of ``data``'s index (and no column): ``s.value_counts()``'s categories."""
    if data is None or not isinstance(key, Hashable) or key is None or _names_a_column(data, key):
        return False
    try:
        return key in [name for name in data.index.names if name is not None]
    except TypeError:
        return False


def _index_hint(data) -> str:
    """For a name not found: point at the index when it holds something (it is not a plain row count)."""
    import pandas as pd

    if isinstance(data.index, pd.RangeIndex) and data.index.name is None:
        return ""
    names = [name for name in data.index.names if name is not None]
    which = f" ({', '.join(map(repr, names))})" if names else " (unnamed)"
    return f" If it is `data`'s index{which}, pass `data.reset_index()` to make the index a column."


def _ambiguous_column(argument: str, data, key):
    """The error for a name that picks several columns: a repeated name, or part of a MultiIndex key."""
    import pandas as pd

    if isinstance(data.columns, pd.MultiIndex) and not (isinstance(key, tuple) and len(key) == data.columns.nlevels):
        full = [column for column in data.columns if column[: len(key) if isinstance(key, tuple) else 1]
                == (key if isinstance(key, tuple) else (key,))]
        return bad_value(argument, "a full key of `data`'s MultiIndex columns (a tuple with one entry per level)",
                         key, hint=f"Columns under it: {', '.join(map(repr, full[:5]))}. Did you mean {full[0]!r}?")
    return bad_value(argument, "a name that appears once among the columns of `data`", key,
                     hint="Rename the repeated columns (or pass a vector).")


def resolve_column(argument: str, data, key, *, length: int | None = None):
    """Return the Series that ``key`` stands for: a column of ``data`` or a vector.

    Parameters
    ----------
    argument : str
        The argument name, for messages (``"x"``, ``"hue"``).
    data : DataFrame or None
    key : hashable or vector
        A column name of ``data`` (a tuple too, for MultiIndex columns), the
        name of a level of its index, or a list/array/Series of values.
    length : int, optional
        Required length of a vector when ``data`` is None.
    """
    import pandas as pd

    if _names_a_column(data, key):
        column = data[key]
        if isinstance(column, pd.DataFrame):
            raise _ambiguous_column(argument, data, key)
        return column.reset_index(drop=True)
    if _names_an_index_level(data, key):
        return pd.Series(data.index.get_level_values(key), name=key)
    if _is_vector(key):
        if isinstance(key, (pd.Series, pd.Index)):
            array = key.to_numpy()
        else:  # lists go through object dtype so that [1, "a"] is not silently turned into strings
            array = np.asarray(key, dtype=object if isinstance(key, Sequence) else None)
        if array.ndim != 1:
            raise bad_value(argument, "a column name or a 1-D vector", key, got=f"an array of shape {array.shape}")
        expected = len(data) if data is not None else length
        if expected is not None and len(array) != expected:
            raise bad_value(argument, f"a column name or a vector of length {expected} (the number of rows)",
                            key, got=f"a vector of length {len(array)}")
        return pd.Series(array).infer_objects()
    if data is None:
        raise bad_type(
            argument,
            "a vector when `data` is None (or pass `data=` a DataFrame and a column name)",
            key,
        )
    if not isinstance(key, Hashable):
        raise bad_type(argument, "a column name or a vector", key)
    error = missing_column(argument, key, data.columns)
    hint = _index_hint(data)
    if hint:
        raise type(error)(f"{error}{hint}", argument=argument, column=key, columns=data.columns)
    raise error


def tidy(data=None, *, required=(), **variables):
    """Gather a chart's variables into one DataFrame keyed by role.

    Each keyword is a role (``x``, ``y``, ``hue``, ...) naming a column of
    ``data`` (or a level of its index) or giving a vector; roles set to None are left out, except the
    ``required`` ones, which raise "`x` is required". The result
    has one column per role, and ``result.attrs["names"]`` maps each role to
    the label to show (the column name, or the vector's name if it has one).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"epoch": [1, 2], "loss": [0.9, 0.5]})
    >>> table = tidy(df, x="epoch", y="loss")
    >>> list(table.columns), table.attrs["names"]
    (['x', 'y'], {'x': 'epoch', 'y': 'loss'})
    >>> tidy(df, x=None, y="loss", required=("x", "y"))
    Traceback (most recent call last):
    ...
    vizkit._core.errors.VizkitTypeError: `x` is required: a column name of `data` or a vector; got None.
    """
    import pandas as pd

    for role in required:
        if variables.get(role) is None:
            raise missing_argument(role, "a column name of `data` or a vector" if data is not None else "a vector")
    data = resolve_data(data)
    used = {role: key for role, key in variables.items() if key is not None}
    columns, names = {}, {}
    length = None
    for role, key in used.items():
        if data is None and length is None and _is_vector(key):
            length = len(key)
        series = resolve_column(role, data, key, length=length)
        columns[role] = series  # keeps its dtype: a Categorical keeps its declared levels
        names[role] = key if _names_a_column(data, key) or _names_an_index_level(data, key) \
            else getattr(key, "name", None)
    n_rows = len(data) if data is not None else (length or 0)
    table = pd.DataFrame(columns, index=pd.RangeIndex(n_rows))
    table.attrs["names"] = names
    return table

