"""What real users pass to every public chart: a correct chart or a vizkit error naming the argument.

Each property builds a DataFrame of the column types people meet (pandas
nullable ``Int64``/``boolean``/``string``, Categoricals with unused levels,
tz-aware datetimes, timedeltas, ``Decimal``, object columns, duplicate column
names, MultiIndex columns) and calls a chart with each keyword either right or
wrong (a string for ``alpha``, a list of the wrong length for ``width``, a set
for ``hue``, a misspelt keyword). The chart must either draw what it was given
(``vk.plotted_data(ax)`` agrees with the input) or raise a
:class:`vizkit.errors.VizkitError` whose message names an argument in
backticks: never a bare KeyError/TypeError/AttributeError/ValueError from
pandas or Matplotlib.
"""

from __future__ import annotations

import warnings
from decimal import Decimal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from tests.fuzzing import fuzz_settings
from vizkit.errors import VizkitError

EXAMPLES = 100

# ---------------------------------------------------------------- data users have

KINDS = ("float", "int", "Int64", "Float64", "boolean", "string", "object", "category", "datetime_tz",
         "timedelta", "decimal")


def column_of(kind: str, n: int, seed: int):
    """``n`` values of one kind, a few of them missing where the kind allows it."""
    rng = np.random.default_rng(seed)
    numbers = rng.normal(size=n).round(3)
    words = np.array(["a", "b", "c"], dtype=object)[rng.integers(0, 3, size=n)]
    gaps = rng.random(n) < 0.15
    if kind == "float":
        return np.where(gaps, np.nan, numbers)
    if kind == "int":
        return rng.integers(-5, 5, size=n)
    if kind == "Int64":
        return pd.array(np.where(gaps, None, rng.integers(-5, 5, size=n)).tolist(), dtype="Int64")
    if kind == "Float64":
        return pd.array(np.where(gaps, None, numbers).tolist(), dtype="Float64")
    if kind == "boolean":
        return pd.array(np.where(gaps, None, numbers > 0).tolist(), dtype="boolean")
    if kind == "string":
        return pd.array(np.where(gaps, None, words).tolist(), dtype="string")
    if kind == "object":
        return np.where(gaps, None, words)
    if kind == "category":
        return pd.Categorical(words, categories=["a", "b", "c", "unused"])
    if kind == "datetime_tz":
        return pd.date_range("2024-01-01", periods=n, freq="h", tz="Europe/Paris")
    if kind == "timedelta":
        return pd.to_timedelta(np.arange(n), unit="s")
    return [None if gap else Decimal(str(v)) for gap, v in zip(gaps, numbers, strict=True)]


@st.composite
def frames(draw):
    """A DataFrame of 0-12 rows and 2-5 columns of mixed kinds; names may repeat; columns may be a MultiIndex."""
    n = draw(st.integers(0, 12))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=2, max_size=5))
    unique = draw(mostly(st.just(True), st.just(False)))
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=len(kinds), max_size=len(kinds),
                          unique=unique))
    seed = draw(st.integers(0, 2**16))
    frame = pd.DataFrame({i: column_of(kind, n, seed + i) for i, kind in enumerate(kinds)})
    frame.columns = names  # repeats allowed: duplicate column names
    if unique and draw(mostly(st.just(False), st.just(True))):
        frame.columns = pd.MultiIndex.from_tuples([(name, "v") for name in names])
    return frame


def mostly(good, bad):
    """``good`` seven times in eight, else ``bad``: one mistake at a time reaches deeper into a chart."""
    return st.integers(0, 7).flatmap(lambda i: bad if i == 0 else good)


def a_column(frame):
    """A column of ``frame`` (its name, or a tuple under MultiIndex columns), now and then a mistake."""
    names = list(dict.fromkeys(frame.columns))
    wrong = st.one_of(st.just("missing"), st.sampled_from(names).map(lambda n: {n}))
    return mostly(st.sampled_from(names), wrong)


# ---------------------------------------------------------------- keywords users pass

ALPHAS = mostly(st.floats(0, 1), st.sampled_from(["0.5", -1, [0.5], None]))
COLORS = mostly(st.sampled_from(["tab:red", "C1", "#123456"]), st.sampled_from(["notacolour", 5, (1, 0), None]))
PALETTES = mostly(st.sampled_from([None, "vizkit", "viridis", ["red", "blue"], {"a": "red"}]),
                  st.sampled_from(["nope", ["red", "nope"], 3, {"x"}]))
TYPOS = st.sampled_from(["colour", "edgecolour", "linewidht", "alpah", "markersize", "s", "lw", "hatch",
                         "label", "zorder", "rasterized"])
VALUES = st.one_of(st.just("red"), st.just(2), st.just(0.5), st.just(None), st.just([1, 2]), st.just("x"))


@st.composite
def extra_kws(draw, keys):
    """A few pass-through keywords: real ones with odd values, and misspelt ones."""
    kws = {}
    for _ in range(draw(st.integers(0, 2))):
        key = draw(mostly(st.sampled_from(keys), TYPOS))
        kws[key] = draw(ALPHAS if key == "alpha" else COLORS if "color" in key else VALUES)
    return kws


# ---------------------------------------------------------------- the property

def outcome(call):
    """Run ``call``; a VizkitError must name an argument in backticks. Returns the chart or None."""
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return call()
        except VizkitError as error:
            assert "`" in str(error), str(error)
            return None
        finally:
            figure = plt.gcf()
            figure.canvas.draw()  # drawing must not raise either
            plt.close("all")


def rows_with(frame, *keys):
    """Rows where every named column has a value (what a chart can draw)."""
    keep = np.ones(len(frame), dtype=bool)
    for key in keys:
        if key is not None:
            keep &= frame[key].notna().to_numpy()
    return keep


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@fuzz_settings(EXAMPLES)
@given(data=st.data(), frame=frames())
def test_fuzz_bar(data, frame):
    x = data.draw(a_column(frame), label="x")
    y = data.draw(st.one_of(st.none(), a_column(frame)), label="y")
    hue = data.draw(st.one_of(st.none(), a_column(frame)), label="hue")
    options = data.draw(st.fixed_dictionaries({}, optional={
        "layout": mostly(st.sampled_from(["grouped", "stacked", "percent"]), st.just("stack")),
        "errorbar": mostly(st.sampled_from([None, "sd", ("pi", 5), ("pi", 50), ("ci", 90)]), st.just(("pi", "5"))),
        "width": mostly(st.floats(0.1, 1), st.sampled_from([2, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], "wide"])),
        "alpha": ALPHAS, "palette": PALETTES, "labels": mostly(st.sampled_from([True, False, "{:.1f}"]), st.just(3)),
    }), label="options")
    options |= data.draw(extra_kws(["edgecolor", "linewidth", "color", "hatch"]), label="kws")

    def call():
        ax = vk.bar(frame, x=x, y=y, hue=hue, **options)
        drawn = vk.plotted_data(ax)
        if y is None:  # counting: every row with a category (and hue) is counted once
            assert drawn["n"].sum() == rows_with(frame, x, hue).sum()
        return ax

    outcome(call)


@fuzz_settings(EXAMPLES)
@given(data=st.data(), frame=frames())
def test_fuzz_line(data, frame):
    x, y = data.draw(a_column(frame), label="x"), data.draw(a_column(frame), label="y")
    hue = data.draw(st.one_of(st.none(), a_column(frame)), label="hue")
    options = data.draw(st.fixed_dictionaries({}, optional={
        "band": mostly(st.sampled_from([None, "minmax", "sd", ("pi", 50)]), st.just(("ci", "x"))),
        "smooth": mostly(st.sampled_from([None, "rolling", "ewm"]), st.just("lowes")),
        "alpha": ALPHAS, "palette": PALETTES, "linewidth": mostly(st.just(1.5), st.sampled_from(["thick", -2])),
    }), label="options")
    options |= data.draw(extra_kws(["color", "linestyle", "marker"]), label="kws")

    def call():
        ax = vk.line(frame, x=x, y=y, hue=hue, **options)
        drawn = vk.plotted_data(ax)
        assert len(drawn) <= len(frame) or "smooth" in options or "band" in options
        return ax

    outcome(call)


@fuzz_settings(EXAMPLES)
@given(data=st.data(), frame=frames())
def test_fuzz_scatter(data, frame):
    x, y = data.draw(a_column(frame), label="x"), data.draw(a_column(frame), label="y")
    hue = data.draw(st.one_of(st.none(), a_column(frame)), label="hue")
    options = data.draw(st.fixed_dictionaries({}, optional={
        "size": a_column(frame), "style": a_column(frame),
        "trend": mostly(st.sampled_from([None, "ols", "lowess"]), st.just("loess")),
        "stats": mostly(st.sampled_from([None, "pearson", "spearman"]), st.just("kendall")),
        "alpha": ALPHAS, "palette": PALETTES, "s": mostly(st.just(10), st.sampled_from(["big", [1, 2]])),
    }), label="options")
    options |= data.draw(extra_kws(["edgecolor", "linewidth", "marker", "color"]), label="kws")

    def call():
        ax = vk.scatter(frame, x=x, y=y, hue=hue, **options)
        drawn = vk.plotted_data(ax)
        assert len(drawn) + drawn.attrs["dropped"] == len(frame)
        return ax

    outcome(call)


@fuzz_settings(EXAMPLES // 2)
@given(data=st.data(), frame=frames())
def test_fuzz_facet(data, frame):
    chart = data.draw(st.sampled_from([vk.bar, vk.line, vk.scatter]), label="chart")
    col = data.draw(a_column(frame), label="col")
    x = data.draw(a_column(frame), label="x")
    kws = {"x": x}
    if chart is not vk.bar:
        kws["y"] = data.draw(a_column(frame), label="y")
    kws |= data.draw(st.fixed_dictionaries({}, optional={
        "hue": a_column(frame), "alpha": ALPHAS, "col_wrap": mostly(st.just(2), st.sampled_from(["2", 0])),
        "highlight": st.sampled_from(["context", "a"]),
    }), label="options")
    kws |= data.draw(extra_kws(["color", "edgecolor"]), label="kws")

    def call():
        grid = vk.facet(frame, chart=chart, col=col, **kws)
        assert len(list(grid)) >= 1
        return grid

    outcome(call)


@fuzz_settings(EXAMPLES // 2)
@given(data=st.data(), frame=frames())
def test_fuzz_dual_axis(data, frame):
    x, left, right = (data.draw(a_column(frame), label=name) for name in ("x", "left", "right"))
    options = data.draw(st.fixed_dictionaries({}, optional={
        "align_ticks": mostly(st.booleans(), st.just("yes")),
    }), label="options")
    options |= data.draw(extra_kws(["color", "linewidth"]), label="kws")

    def call():
        left_ax, right_ax = vk.dual_axis(frame, x=x, left=left, right=right, **options)
        assert len(vk.plotted_data(left_ax)) <= len(frame)
        return left_ax

    outcome(call)


@fuzz_settings(EXAMPLES // 2)
@given(colors=st.one_of(PALETTES, st.lists(COLORS, max_size=4)),
       n=mostly(st.sampled_from([None, 3]), st.sampled_from([0, "3", 2.5])), cvd=mostly(st.booleans(), st.just("yes")),
       severity=mostly(st.sampled_from([100, 50]), st.sampled_from([-1, "x"])),
       threshold=mostly(st.just(10), st.sampled_from(["x", None])),
       kws=extra_kws(["edgecolor", "linewidth"]))
def test_fuzz_swatches(colors, n, cvd, severity, threshold, kws):
    def call():
        ax = vk.swatches(colors, n=n, cvd=cvd, severity=severity, threshold=threshold, **kws)
        drawn = vk.plotted_data(ax)
        assert set(drawn["vision"]) >= {"normal"}
        return ax

    outcome(call)
