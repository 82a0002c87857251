"""Where `vizkit.scatter` puts its points along x and y: numbers, dates or categories.

Numbers are drawn as they are. Dates (naive or tz-aware datetimes) become
Matplotlib date numbers of their instants (a tz-aware column is compared in
UTC and labelled in its own zone) on a date axis with concise labels.
Categories (strings, booleans, a pandas Categorical) are levels in the order
bar's categories take (a Categorical's order, else the order of first
appearance, booleans False then True) at 0, 1, 2, ... with the level as
tick label: a dot plot, and with ``jitter`` a strip plot. On y the first
level is at the top, as a table reads.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type, bad_value
from vizkit._core import semantics as _semantics

__all__ = ["JITTER", "MAX_AXIS_LEVELS", "axis_values", "check_jitter", "format_axis_positions", "jittered", "position"]

JITTER = 0.2  # jitter=True: points spread uniformly over ±0.2 of the distance between two levels
MAX_AXIS_LEVELS = 200  # categories on one axis (more labels than any axis can hold apart)
_SEED = 0  # jitter is seeded: the same call draws the same picture


def check_jitter(jitter) -> float:
    """``jitter`` as a half-width in level spacings: None/False 0, True ``JITTER``, a number in [0, 0.5]."""
    from vizkit._core import check_number

    if jitter is None or jitter is False:
        return 0.0
    if jitter is True:
        return JITTER
    if isinstance(jitter, (bool, np.bool_)):
        return JITTER if jitter else 0.0
    return float(check_number("jitter", jitter, low=0, high=0.5))


def _kind(series) -> str:
    import pandas as pd

    dtype = series.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(dtype) \
            or pd.api.types.is_string_dtype(dtype) and dtype != object:
        return "category"
    if dtype == object:
        present = series.dropna()
        if len(present) and all(isinstance(v, (str, bool, np.bool_)) for v in present):
            return "category"
        if len(present) and all(isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "isoformat")
                                for v in present):
            return "date"
        if any(isinstance(v, str) for v in present):
            return "mixed"
    return "number"


def position(role: str, series, names, *, numbers) -> dict:
    """``{"kind", "values", ...}``: ``values`` the drawn positions (float, NaN where missing).

    ``numbers(role, series)`` converts a numeric column (and names what it refuses). A category
    axis adds ``levels``; a date axis ``zone`` (the tz, or None).
    """
    import pandas as pd

    kind = _kind(series)
    column = f"column {names.get(role)!r}" if names.get(role) is not None else "values"
    if kind == "mixed":
        present = series.dropna()
        other = next(v for v in present if not isinstance(v, str))
        text = next(v for v in present if isinstance(v, str))
        raise bad_type(role, "one kind of values: numbers, dates or categories (text or booleans)", other,
                       got=f"{column} mixing text ({text!r}) with {type(other).__name__} values ({other!r})")
    if kind == "number":
        return {"kind": kind, "values": numbers(role, series)}
    if kind == "date":
        import matplotlib.dates as mdates

        try:
            stamps = pd.to_datetime(series) if series.dtype == object else series
        except (TypeError, ValueError):
            raise bad_type(role, "numbers, dates or categories of one kind", series.dropna().iloc[0],
                           got=f"column {names.get(role)!r} mixing dates with other values") from None
        zone = getattr(stamps.dtype, "tz", None)
        if zone is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)  # instants, compared in UTC
        values = np.asarray(mdates.date2num(stamps.to_numpy()), dtype=float)
        return {"kind": kind, "values": values, "zone": zone}
    levels, codes = _semantics.levels_and_codes(role, series)  # as bar's x: a Categorical's order, else as found
    if len(levels) > MAX_AXIS_LEVELS:
        raise bad_value(role, f"categories with at most {MAX_AXIS_LEVELS} levels on an axis (more labels than "
                        "an axis holds apart; filter the data or facet it)", series.dropna().iloc[0],
                        got=f"{column} with {len(levels)} levels")
    values = np.where(np.asarray(codes) >= 0, np.asarray(codes, dtype=float), np.nan)
    return {"kind": kind, "values": values, "levels": list(levels)}


def jittered(positions: dict, width: float, rows: np.ndarray) -> np.ndarray:
    """The drawn positions of ``rows``: a category axis spread by ``width`` (seeded), others as they are."""
    values = positions["values"][rows]
    if positions["kind"] != "category" or width == 0 or len(values) == 0:
        return values
    return values + np.random.default_rng(_SEED).uniform(-width, width, len(values))


def axis_values(positions: dict, original, rows):
    """What ``plotted_data`` shows in ``x``/``y``: the numbers, or the dates and levels as given."""
    if positions["kind"] == "number":
        return positions["values"][rows]
    return original.iloc[rows].to_numpy()


def format_axis_positions(ax, role: str, positions: dict) -> None:
    """Level tick labels on a category axis (y: first level on top), concise date labels on a date axis."""
    axis = ax.xaxis if role == "x" else ax.yaxis
    if positions["kind"] == "date":
        import matplotlib.dates as mdates

        zone = positions["zone"]
        locator = mdates.AutoDateLocator(tz=zone)
        axis.set_major_locator(locator)
        axis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=zone))
    elif positions["kind"] == "category":
        from vizkit._core.labels import plain
        from vizkit.charts._category_ticks import category_texts, fit_category_labels

        levels = positions["levels"]
        if not levels:
            return
        texts = [plain(text) for text in category_texts(levels)]
        ticks = list(range(len(levels)))
        if role == "x":
            ax.set_xlim(-0.5, len(levels) - 0.5)
            ax.set_xticks(ticks, texts)
            fit_category_labels(ax, ticks, texts)
        else:
            ax.set_yticks(ticks, texts)
            ax.set_ylim(len(levels) - 0.5, -0.5)
        from matplotlib.ticker import NullLocator

        axis.set_minor_locator(NullLocator())
