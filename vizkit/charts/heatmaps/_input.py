"""A heatmap's input as one checked matrix: a 2-D array, a wide DataFrame, or long data pivoted.

Everything here raises a vizkit error naming the argument (and the column or
the cell) before anything is drawn.
"""

from __future__ import annotations

import numbers
from decimal import Decimal
from dataclasses import dataclass

import numpy as np

from vizkit._core import bad_type, bad_value, resolve_column

#: More cells than this are refused: a screen shows about a thousand pixels a side, and the
#: table of :func:`vizkit.plotted_data` keeps one row per cell.
MAX_CELLS = 2048 * 2048


@dataclass(frozen=True)
class Matrix:
    """The checked input: float values (NaN for a missing cell), the row and column labels, axis names."""

    values: np.ndarray
    rows: list
    cols: list
    row_name: object = None
    col_name: object = None
    value_name: object = None


def _where(values: np.ndarray, bad: np.ndarray, rows, cols) -> str:
    i, j = np.argwhere(bad)[0]
    return f"{values[i, j]!r} at row {rows[i]!r}, column {cols[j]!r} ({int(bad.sum())} such cell(s))"


def _finite(values: np.ndarray, rows, cols, argument: str) -> np.ndarray:
    """``values`` if every cell is a finite number or NaN, and the range of the finite ones is finite."""
    infinite = np.isinf(values)
    if infinite.any():
        raise bad_value(argument, "finite numbers (NaN for a missing cell)", None,
                        got=_where(values, infinite, rows, cols))
    finite = values[np.isfinite(values)]
    if finite.size and not np.isfinite(float(finite.max()) - float(finite.min())):
        raise bad_value(argument, "numbers whose range (max - min) is a finite float", None,
                        got=f"values from {finite.min():g} to {finite.max():g}",
                        hint="Rescale them first (e.g. divide by their largest magnitude).")
    return values


def _check_shape(shape: tuple, argument: str, value) -> None:
    if len(shape) != 2:
        raise bad_value(argument, "2-D data (rows x columns): a 2-D array, a DataFrame, or long data with "
                        "`x=`, `y=` and `value=`", value, got=f"an array of shape {shape}")
    if 0 in shape:
        raise bad_value(argument, "at least one row and one column", value, got=f"an array of shape {shape}")
    if shape[0] * shape[1] > MAX_CELLS:
        raise bad_value(argument, f"at most {MAX_CELLS:,} cells (2048 x 2048)", value,
                        got=f"{shape[0]:,} x {shape[1]:,} cells",
                        hint="A screen shows about a thousand pixels a side: downsample first "
                             "(block means, or every k-th row and column).")


def from_array(data, *, argument: str = "data") -> Matrix:
    """A 2-D array-like of numbers (bool and NaN allowed) as a :class:`Matrix` with positional labels."""
    if isinstance(data, (str, bytes)) or not isinstance(data, (list, tuple)) and not hasattr(data, "__array__"):
        raise bad_type(argument, "a 2-D array or a DataFrame", data)
    try:  # nested lists through object dtype: [[1, "b"]] must not turn into strings, ragged rows stay 1-D
        array = np.array(data, dtype=object) if isinstance(data, (list, tuple)) else np.asarray(data)
    except (ValueError, TypeError):
        raise bad_value(argument, "a 2-D array (rows of equal length)", data) from None
    _check_shape(array.shape, argument, data)
    rows, cols = list(range(array.shape[0])), list(range(array.shape[1]))
    return Matrix(_numbers(array, argument, rows, cols), rows, cols)


def _numbers(array: np.ndarray, argument: str, rows, cols) -> np.ndarray:
    """``array`` as floats, or an error naming the first cell that is not a real number."""
    kind = array.dtype.kind
    if kind in "biuf":
        return _finite(array.astype(float), rows, cols, argument)
    if kind == "O":
        real = np.frompyfunc(lambda v: v is None or isinstance(v, (numbers.Real, Decimal)), 1, 1)
        ok = real(array).astype(bool)
        if ok.all():
            try:
                values = np.array([[np.nan if v is None else float(v) for v in row] for row in array], dtype=float)
            except (OverflowError, ValueError):  # a huge int, a signalling Decimal NaN
                raise bad_value(argument, "numbers a float can hold (|x| < 1.8e308)", None,
                                got="a number too large for a float") from None
            return _finite(values, rows, cols, argument)
        raise bad_type(argument, "numbers (int, float or bool; NaN or None for a missing cell)", None,
                       got=_where(array, ~ok, rows, cols))
    raise bad_type(argument, "numbers (int, float or bool; NaN for a missing cell)", None,
                   got=f"an array of dtype {array.dtype} (e.g. {array.flat[0]!r} at row {rows[0]!r}, "
                       f"column {cols[0]!r})")


def from_frame(data, *, argument: str = "data") -> Matrix:
    """A wide DataFrame (index: rows, columns: columns) as a :class:`Matrix`; every column numeric."""
    import pandas as pd

    _check_shape(data.shape, argument, data)
    if data.columns.duplicated().any() or data.index.duplicated().any():
        which, labels = ("columns", data.columns) if data.columns.duplicated().any() else ("index", data.index)
        raise bad_value(argument, f"a DataFrame whose {which} labels are unique", data,
                        got=f"{labels[labels.duplicated()][0]!r} repeated in its {which}")
    rows, cols = list(data.index), list(data.columns)
    values = np.empty(data.shape, dtype=float)
    for j, name in enumerate(cols):
        column = data.iloc[:, j]
        dtype = column.dtype
        numeric = (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)) \
            and not pd.api.types.is_complex_dtype(dtype)
        if numeric:
            values[:, j] = column.astype("float64" if not pd.api.types.is_extension_array_dtype(dtype)
                                         else "Float64").to_numpy(dtype=float, na_value=np.nan)
        elif dtype == object:
            values[:, j] = _numbers(column.to_numpy()[:, None], argument, rows, [name])[:, 0]
        else:
            raise bad_type(f"{argument}[{name!r}]", "a numeric column (int, float or bool)", None,
                           got=f"a column of dtype {dtype}",
                           hint="Drop the columns that are not numbers (data.select_dtypes('number')).")
    return Matrix(_finite(values, rows, cols, argument), rows, cols,
                  row_name=data.index.name, col_name=data.columns.name)


def from_long(data, *, x, y, value) -> Matrix:
    """Long data (one row per cell: x, y, value columns) pivoted: ``y`` gives the rows, ``x`` the columns."""
    import pandas as pd

    if data is None or not isinstance(data, pd.DataFrame):
        raise bad_type("data", "a DataFrame when `x`, `y` and `value` name its columns", data)
    for name, key in (("x", x), ("y", y), ("value", value)):
        if key is None:
            raise bad_value(name, "a column name of `data` (long data needs `x`, `y` and `value`)", key)
    frame = pd.DataFrame({role: resolve_column(role, data, key) for role, key in
                          (("x", x), ("y", y), ("value", value))})
    if frame[["x", "y"]].isna().any().any():
        role = "x" if frame["x"].isna().any() else "y"
        raise bad_value(role, "a column without missing values (they name the cells)", None,
                        got=f"{int(frame[role].isna().sum())} missing value(s) in {(x, y)[role == 'y']!r}")
    repeated = frame.duplicated(["x", "y"])
    if repeated.any():
        first = frame.loc[repeated].iloc[0]
        x_at, y_at = (v.item() if isinstance(v, np.generic) else v for v in (first["x"], first["y"]))
        raise bad_value("value", "one value per (x, y) cell", None,
                        got=f"{int(repeated.sum())} repeated cell(s), e.g. x={x_at!r}, y={y_at!r}",
                        hint="Aggregate first, e.g. data.groupby([x, y])[value].mean().reset_index().")
    checked = from_frame(pd.DataFrame({"value": frame["value"]}), argument="value") if len(frame) else None
    frame["value"] = checked.values[:, 0] if checked is not None else frame["value"]
    wide = frame.pivot(index="y", columns="x", values="value")
    matrix = from_frame(wide, argument="value")
    return Matrix(matrix.values, matrix.rows, matrix.cols, row_name=y, col_name=x, value_name=value)


def check_mask(mask, shape: tuple) -> np.ndarray:
    """``mask`` as a boolean array of ``shape`` (True hides a cell), or an error naming `mask`."""
    import pandas as pd

    if isinstance(mask, (str, bytes)) or np.ndim(mask) == 0:
        raise bad_type("mask", f"a boolean array of shape {shape} (True hides a cell)", mask)
    array = mask.to_numpy() if isinstance(mask, pd.DataFrame) else np.asarray(mask)
    if array.shape != shape:
        raise bad_value("mask", f"a boolean array of shape {shape}, the shape of the data", mask,
                        got=f"an array of shape {array.shape}")
    if array.dtype.kind == "b":
        return array.copy()
    if array.dtype.kind in "iu" and np.isin(array, (0, 1)).all():
        return array.astype(bool)
    raise bad_type("mask", f"a boolean array of shape {shape} (True hides a cell)", mask,
                   got=f"an array of dtype {array.dtype}")
