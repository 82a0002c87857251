"""What real users pass to every public chart: a correct chart or a vizkit error naming the argument.

Each property builds a DataFrame of the column types people meet (pandas
nullable ``Int64``/``boolean``/``string``, Categoricals with unused levels,
tz-aware datetimes, some across a DST fall-back night, timedeltas,
``Decimal``, object columns, duplicate column names, MultiIndex columns) and
of the values real data carries (+-1.7e308 that cancel in a sum, complex
numbers, Python ints too large for a float), and calls a chart with each
keyword either right or wrong (a string for ``alpha``, a list of the wrong
length for ``width``, a set for ``hue``, None for a required ``x``, a
misspelt keyword). Runs frames (``curves``, ``dashboard``, ``gap``) get
missing run and split names, complex and huge values. The chart must either draw what it was given
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
         "timedelta", "decimal", "huge", "complex", "bigint", "datetime_dst")


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
    if kind == "huge":  # +-1.7e308 cancel in a sum: a guard on the sum lets them through
        return np.where(rng.random(n) < 0.3, np.where(rng.random(n) < 0.5, 1.7e308, -1.7e308), numbers)
    if kind == "complex":
        return numbers + 1j * rng.integers(0, 2, size=n)
    if kind == "bigint":  # Python ints in an object column, now and then too large for a float
        return pd.Series([10**400 if rng.random() < 0.2 else int(v * 1000) for v in numbers], dtype=object)
    if kind == "datetime_dst":  # 20-minute readings across the night Paris leaves summer time, shuffled
        instants = pd.date_range("2024-10-27 00:00", periods=n, freq="20min", tz="UTC").tz_convert("Europe/Paris")
        return instants[rng.permutation(n)]
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
    wrong = st.one_of(st.just("missing"), st.just(None), st.sampled_from(names).map(lambda n: {n}))
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


def assert_bars_inside(ax, drawn):
    """Every drawn bar lies inside the value axis' limits (+-1.7e308 once drew on an axis 1e-12 wide)."""
    ends = drawn[["start", "end"]].to_numpy(dtype=float) if len(drawn) else np.zeros((0, 2))
    ends = ends[np.isfinite(ends)]
    if not len(ends):
        return
    low, high = sorted(ax.get_ylim())  # the fuzzed bars stand upright (orient='v')
    slack = 1e-9 * max(high - low, abs(high), abs(low))
    assert low - slack <= ends.min() and ends.max() <= high + slack, (low, high, ends.min(), ends.max())


def assert_instants_kept(frame, x, hue, drawn):
    """A tz-aware x is drawn as instants: in time order, one point per distinct instant (per hue level)."""
    if x is None or not isinstance(getattr(frame[x], "dtype", None), pd.DatetimeTZDtype) or not len(drawn):
        return
    assert isinstance(drawn["x"].dtype, pd.DatetimeTZDtype)
    groups = drawn.groupby("hue", sort=False, dropna=False) if "hue" in drawn else [(None, drawn)]
    for _, part in groups:
        instants = part["x"].dt.tz_convert("UTC")
        assert instants.is_monotonic_increasing and instants.is_unique
    if hue is None:  # every instant of the data is drawn (two wall-time 02:20 of a DST night once merged)
        assert set(drawn["x"]) == set(frame[x].dropna())


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
        assert_bars_inside(ax, drawn)
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
        assert_instants_kept(frame, x, hue, drawn)
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
        assert_instants_kept(frame, x, None, vk.plotted_data(left_ax))
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


# ---------------------------------------------------------------- runs frames (curves, dashboard, gap)

@st.composite
def runs_frames(draw):
    """A runs frame of 1-3 runs with train and val records, then now and then one mistake real logs carry:
    a record with no run or split (None, or NA in a ``string`` column), complex values, +-1.7e308, inf,
    steps past the axis, categorical names."""
    n_runs, n_steps = draw(st.integers(1, 3)), draw(st.integers(0, 8))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    rows = [{"run": f"r{k}", "lr": [0.1, 0.01, 0.1][k], "split": split, "metric": metric, "step": step,
             "epoch": step // 3, "time": 0.5 * step, "value": float(np.exp(-step / 4) + rng.normal(0, 0.05))}
            for k in range(n_runs) for step in range(n_steps) for split in ("train", "val")
            for metric in ("loss", "accuracy") if split == "val" or step % 2 == 0]
    frame = pd.DataFrame(rows, columns=["run", "lr", "split", "metric", "step", "epoch", "time", "value"])
    mistake = draw(mostly(st.just(None), st.sampled_from(
        ["no_run", "no_split", "string_na", "category", "complex", "huge", "inf", "huge_step"])))
    some = rng.random(len(frame)) < 0.3
    if mistake == "no_run":
        frame.loc[some, "run"] = None
    elif mistake == "no_split":
        frame.loc[some, "split"] = np.nan
    elif mistake == "string_na":
        frame = frame.astype({"run": "string", "split": "string"})
        frame.loc[some, "split"] = pd.NA
    elif mistake == "category":
        frame = frame.astype({"run": "category", "split": "category", "metric": "category"})
    elif mistake == "complex":
        frame["value"] = frame["value"] + 1j * some
    elif mistake == "huge":
        frame.loc[some, "value"] = np.where(rng.random(int(some.sum())) < 0.5, 1.7e308, -1.7e308)
    elif mistake == "inf":
        frame.loc[some, "value"] = np.inf
    elif mistake == "huge_step":
        frame["step"] = frame["step"].astype(float)
        frame.loc[some, "step"] = 1.7e308
    return frame


@fuzz_settings(EXAMPLES // 2)
@given(data=st.data(), runs=runs_frames())
def test_fuzz_runs(data, runs):
    chart = data.draw(st.sampled_from(["curves", "dashboard", "gap"]), label="chart")
    options = {}
    if chart in ("curves", "dashboard"):
        options = data.draw(st.fixed_dictionaries({}, optional={
            "x": mostly(st.sampled_from(["step", "epoch", "time"]), st.just("steps")),
            "by": mostly(st.sampled_from(["split", "run", "lr"]), st.sampled_from(["lrate", "value"])),
            "smooth": mostly(st.sampled_from([None, 0.6, 3]), st.sampled_from([-1, "x"])),
        }), label="options")
    if chart == "curves":
        options |= data.draw(st.fixed_dictionaries({}, optional={
            "metric": mostly(st.sampled_from(["loss", "accuracy"]), st.just("acc")),
            "band": mostly(st.sampled_from([None, "sd", "minmax", ("ci", 90)]), st.just(("ci", 0.9))),
        }), label="curves options")
    if chart == "gap":
        options = data.draw(st.fixed_dictionaries({}, optional={
            "metric": mostly(st.sampled_from(["loss", "accuracy"]), st.just("acc")),
        }), label="gap options")

    def call():
        result = getattr(vk, chart)(runs, **options)
        if chart == "curves":
            drawn = vk.plotted_data(result)
            assert set(drawn["split"]) <= set(runs["split"])
        return result

    outcome(call)
