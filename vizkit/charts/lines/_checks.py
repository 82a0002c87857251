"""Argument checks of :func:`vizkit.line`: its options, ``line_kws``, ``x`` and ``hue`` values.

Every check raises a vizkit error that names the argument (see
:mod:`vizkit._core.errors`); what passes comes back in the form the drawing
code in :mod:`vizkit.charts.lines.lineplot` reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from vizkit._core import bad_type, bad_value, check_choice, check_number
from vizkit._core.kwargs import ArtistKws
from vizkit._core.semantics import numeric_values
from vizkit._core.stats import parse_errorbar

__all__ = ["Spec", "line_kws_target", "check_spec", "is_column", "x_values"]

_SMOOTHERS = ("rolling", "ewm", "lowess")
_INTERPOLATIONS = ("linear", "step", "pchip", "spline")
_BANDS = ("minmax", "sd", "se", "ci", "pi")


@dataclass(frozen=True)
class Spec:
    """The checked options of one call, as the drawing code reads them."""

    smooth: str | None = None
    window: float | None = None
    band: tuple | None = None  # ("minmax", None), ("sd", k), ("se", k), ("ci", level), ("pi", level), ("bounds", None)
    markers: object = "auto"
    interpolate: str | None = None


# ---------------------------------------------------------------- checking
def is_column(data, key) -> bool:
    try:
        return data is not None and key in data.columns
    except TypeError:
        return False


def _check_band(band, data):
    """``(spec, bound_columns)`` for ``band=``."""
    if band is None:
        return None, None
    if isinstance(band, str):
        kind = check_choice("band", band, _BANDS)
        return (kind, None) if kind == "minmax" else parse_errorbar(kind, argument="band"), None
    if isinstance(band, (tuple, list)) and len(band) == 2:
        first = band[0]
        if isinstance(first, str) and first in _BANDS and not is_column(data, first):
            if first == "minmax":
                raise bad_value("band", "'minmax' on its own (it takes no level)", band)
            return parse_errorbar(tuple(band), argument="band"), None
        return ("bounds", None), tuple(band)
    raise bad_type("band", "None, 'minmax', 'sd', 'se', ('ci', level), ('pi', level) "
                   "or a pair (low, high) of columns", band)


def check_spec(data, *, smooth, window, band, markers, interpolate):
    if smooth is not None:
        smooth = check_choice("smooth", smooth, _SMOOTHERS)
    if interpolate is not None:
        interpolate = check_choice("interpolate", interpolate, _INTERPOLATIONS)
    if window is not None:
        if smooth is None:
            raise bad_value("window", "None unless `smooth` is set (it is the smoothing window)", window)
        if smooth == "ewm":
            window = check_number("window", window, low=1)
        else:
            window = check_number("window", window, integer=True, low=1 if smooth == "rolling" else 3)
    spec, bounds = _check_band(band, data)
    if isinstance(markers, (bool, np.bool_)):
        markers = bool(markers)
    elif not (isinstance(markers, str) and markers == "auto"):
        raise bad_value("markers", "'auto', True or False", markers)
    if smooth is not None and interpolate is not None:
        raise bad_value("interpolate", "None when `smooth` is set (a smoothed line is already a curve)",
                        interpolate)
    if spec is not None and interpolate in ("pchip", "spline"):
        raise bad_value("interpolate", "None, 'linear' or 'step' when `band` is set", interpolate)
    return Spec(smooth, window, spec, markers, interpolate), bounds


def line_kws_target(*, hue) -> ArtistKws:
    """What ``line(**line_kws)`` goes to: each line's Line2D; with ``hue`` its colour and label are the level's."""
    from matplotlib.lines import Line2D

    reserved = {} if hue is None else {
        key: f"unset when `hue` is set (each hue level gets its own {key}; use palette= for colours)"
        for key in ("color", "label")}
    return ArtistKws(Line2D, reserved=reserved)


def x_values(series, name):
    """``(numbers, valid, datetime_dtype)``: x as float64 (or int64 for datetimes) and where it is usable.

    ``valid`` is None when every value is usable (no mask the length of the series is made).
    Tz-aware datetimes become int64 nanoseconds (or the unit's) since the epoch in UTC, so sorting
    and averaging compare instants; their ``datetime_dtype`` is the pandas ``DatetimeTZDtype``.
    """
    import pandas as pd

    dtype = getattr(series, "dtype", None)
    if dtype is not None and isinstance(dtype, np.dtype) and dtype.kind in "fiu":
        values = numeric_values("x", series, column=name)
        return values, (None if math.isfinite(values.sum()) else np.isfinite(values)), None
    series = pd.Series(series)
    if series.dtype == object and len(series):
        inferred = series.infer_objects()
        if pd.api.types.is_datetime64_any_dtype(inferred.dtype):
            series = inferred
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            # instants, not wall times: the two 02:30 of a DST fall-back hour stay two points, in order;
            # the dtype keeps the zone for the tick labels and plotted_data
            values = series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
            return values.view(np.int64), ~np.isnat(values), series.dtype
        values = series.to_numpy()
        return values.view(np.int64), ~np.isnat(values), values.dtype
    values = numeric_values("x", series, column=name)
    return values, np.isfinite(values), None
