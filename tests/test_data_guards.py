"""What data values every chart refuses, and what it draws right, found by fuzzing the public API.

Each test is one finding of the fuzzer (issue 12, section 1) turned into a
sentence: a column of values no axis can show (+-1.7e308, complex numbers,
Python ints past a float) gets a vizkit error that names the argument and the
column, in every chart and every numeric role; tz-aware datetimes are drawn
as instants (a DST fall-back night keeps its two 02:30) and labelled in their
zone; a required role passed as None, or a runs frame with a record of no
run, is refused with a message, never a raw KeyError or pandas traceback.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def penguins():
    return vk.load_dataset("penguins").dropna().reset_index(drop=True)


def _with(frame, column, values):
    """``frame`` with its first rows of ``column`` replaced by ``values`` (object dtype where they need it)."""
    out = frame.copy()
    series = out[column].astype(object)
    series.iloc[: len(values)] = values
    out[column] = series if any(isinstance(v, (complex, int)) and not isinstance(v, bool) for v in values) \
        else pd.to_numeric(series)
    return out


# Every chart and every numeric role, as (chart, keywords, the role that holds the bad column).
ROLES = [
    (vk.bar, {"x": "species", "y": "body_mass_g"}, "y"),
    (vk.line, {"x": "body_mass_g", "y": "bill_length_mm"}, "x"),
    (vk.line, {"x": "bill_length_mm", "y": "body_mass_g"}, "y"),
    (vk.line, {"x": "bill_length_mm", "y": "flipper_length_mm", "band": ("body_mass_g", "flipper_length_mm")},
     "band[0]"),
    (vk.scatter, {"x": "body_mass_g", "y": "bill_length_mm"}, "x"),
    (vk.scatter, {"x": "bill_length_mm", "y": "body_mass_g"}, "y"),
    (vk.scatter, {"x": "bill_length_mm", "y": "bill_depth_mm", "hue": "body_mass_g"}, "hue"),
    (vk.scatter, {"x": "bill_length_mm", "y": "bill_depth_mm", "size": "body_mass_g"}, "size"),
    (vk.dual_axis, {"x": "body_mass_g", "left": "bill_length_mm", "right": "flipper_length_mm"}, "x"),
    (vk.dual_axis, {"x": "bill_length_mm", "left": "body_mass_g", "right": "flipper_length_mm"}, "left"),
    (vk.dual_axis, {"x": "bill_length_mm", "left": "flipper_length_mm", "right": "body_mass_g"}, "right"),
]
ROLE_IDS = [f"{chart.__name__}-{role}" for chart, _, role in ROLES]


def _refused(chart, frame, kws, error, pattern):
    """The call raises ``error`` matching ``pattern`` and leaves the Axes as it was."""
    fig, ax = plt.subplots()
    with pytest.raises(error, match=pattern):
        chart(frame, ax=ax, **kws)
    assert not ax.lines and not ax.patches and not ax.collections and len(fig.axes) == 1


@pytest.mark.parametrize(("chart", "kws", "role"), ROLES, ids=ROLE_IDS)
def test_huge_values_that_cancel_in_a_sum_are_refused_in_every_numeric_role(penguins, chart, kws, role):
    # +1.7e308 and -1.7e308 sum to 0: a guard on the sum let them through, and bar drew them on an axis
    # 1e-12 wide. The guard reads the largest magnitude.
    frame = _with(penguins, "body_mass_g", [1.7e308, -1.7e308])
    _refused(chart, frame, kws, VizkitValueError,
             rf"^`{role.replace('[', '.').replace(']', '.')}` must be numbers between -1e\+300 and 1e\+300.*"
             r"column 'body_mass_g' holding 1\.7e\+308 at row 0")


@pytest.mark.parametrize(("chart", "kws", "role"), ROLES, ids=ROLE_IDS)
def test_complex_values_are_refused_naming_the_column(penguins, chart, kws, role):
    # they were drawn as their real part, with only NumPy's ComplexWarning
    frame = penguins.assign(body_mass_g=penguins["body_mass_g"] + 1j)
    _refused(chart, frame, kws, VizkitTypeError,
             rf"^`{role.replace('[', '.').replace(']', '.')}` must be real numbers; got column 'body_mass_g' "
             r"of complex numbers \(e\.g\. \(3750\+1j\) at row 0\)\. Pass the part to draw")


def test_a_complex_number_among_objects_is_refused_too(penguins):
    frame = _with(penguins, "body_mass_g", [3750, 2 + 3j])
    _refused(vk.scatter, frame, {"x": "bill_length_mm", "y": "body_mass_g"}, VizkitTypeError,
             r"`y` must be real numbers; got column 'body_mass_g' of complex numbers \(e\.g\. \(2\+3j\) at row 1\)")


@pytest.mark.parametrize(("chart", "kws", "role"), ROLES[:3] + ROLES[4:6], ids=ROLE_IDS[:3] + ROLE_IDS[4:6])
def test_python_ints_too_large_for_a_float_are_refused_not_an_overflow_error(penguins, chart, kws, role):
    frame = _with(penguins, "body_mass_g", [10**400])
    _refused(chart, frame, kws, VizkitValueError,
             rf"^`{role}` must be numbers between -1e\+300 and 1e\+300.*an int of 401 digits at row 0")


def test_large_python_ints_that_fit_a_float_are_drawn(penguins):
    frame = _with(penguins, "body_mass_g", [2**70, 3])
    ax = vk.bar(frame.head(6), x="species", y="body_mass_g", estimator="max")
    assert vk.plotted_data(ax)["value"].max() == pytest.approx(2.0**70)


def test_the_guard_keeps_nan_and_reads_every_value_of_a_long_column():
    from vizkit._core.semantics import numeric_values

    values = np.full(1_000_001, 1.0)
    values[::3] = np.nan
    assert np.isnan(numeric_values("y", values)).sum() == 333_334
    values[-1] = -2e300
    with pytest.raises(VizkitValueError, match=r"holding -2e\+300 at row 1000000"):
        numeric_values("y", values)
    assert np.isnan(numeric_values("y", [np.nan, np.nan])).all()


# ---------------------------------------------------------------- tz-aware datetimes

@pytest.fixture
def fall_back_night():
    """Readings every 30 minutes across the night Paris leaves summer time: 02:00-02:30 happen twice."""
    instants = pd.date_range("2024-10-27 00:00", periods=6, freq="30min", tz="UTC").tz_convert("Europe/Paris")
    return pd.DataFrame({"time": instants, "load": [10.0, 11, 12, 13, 14, 15], "price": [5.0, 4, 3, 2, 1, 0]})


def test_line_draws_the_two_instants_of_a_dst_fall_back_hour_apart_and_in_order(fall_back_night):
    # before: made naive in wall time, 02:00 CEST and 02:00 CET merged into one averaged point
    ax = vk.line(fall_back_night, x="time", y="load")
    drawn = vk.plotted_data(ax)
    assert drawn["x"].tolist() == fall_back_night["time"].tolist()  # the instants, in the data's zone
    assert str(drawn["x"].dt.tz) == "Europe/Paris"
    assert drawn["y"].tolist() == fall_back_night["load"].tolist()  # nothing averaged
    assert "n" not in drawn  # every x appears once
    x_drawn = ax.lines[0].get_xdata()
    assert np.all(np.diff(plt.matplotlib.dates.date2num(x_drawn)) > 0)


def test_line_labels_ticks_in_the_datas_zone_naming_the_offset_across_a_dst_switch(fall_back_night):
    fig, ax = plt.subplots()
    vk.line(fall_back_night, x="time", y="load", ax=ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "02:00\nCEST" in labels and "02:00\nCET" in labels  # the same wall time, twice, told apart
    ticks = ax.get_xticks()
    assert np.allclose(np.diff(ticks), np.diff(ticks)[0])  # evenly spaced in time


def test_dual_axis_keeps_dst_instants_apart(fall_back_night):
    left, right = vk.dual_axis(fall_back_night, x="time", left="load", right="price")
    for ax, column in ((left, "load"), (right, "price")):
        drawn = vk.plotted_data(ax)
        assert drawn["x"].tolist() == fall_back_night["time"].tolist()
        assert drawn["y"].tolist() == fall_back_night[column].tolist()


def test_a_year_of_zoned_days_ticks_at_the_zones_midnights():
    weather = vk.load_dataset("seattle_weather")
    weather = weather.assign(date=weather["date"].dt.tz_localize("America/Los_Angeles")).head(120)
    fig, ax = plt.subplots()
    vk.line(weather, x="date", y="temp_max", ax=ax)
    fig.canvas.draw()
    drawn = vk.plotted_data(ax)
    assert drawn["x"].tolist() == weather["date"].tolist()  # the March DST switch loses no day
    ticks = plt.matplotlib.dates.num2date(ax.get_xticks(), tz="America/Los_Angeles")
    assert all((t.hour, t.minute) == (0, 0) for t in ticks)
    assert "Feb" in [t.get_text() for t in ax.get_xticklabels()]


# ---------------------------------------------------------------- required roles and missing labels

@pytest.mark.parametrize(("chart", "kws", "role"), [
    (vk.bar, {"x": None, "y": "body_mass_g"}, "x"),
    (vk.line, {"x": None, "y": "body_mass_g"}, "x"),
    (vk.line, {"x": "bill_length_mm", "y": None}, "y"),
    (vk.scatter, {"x": None, "y": "body_mass_g"}, "x"),
    (vk.scatter, {"x": "bill_length_mm", "y": None}, "y"),
    (vk.dual_axis, {"x": None, "left": "body_mass_g", "right": "bill_length_mm"}, "x"),
    (vk.dual_axis, {"x": "bill_length_mm", "left": "body_mass_g", "right": None}, "right"),
])
def test_a_required_role_passed_as_none_is_named(penguins, chart, kws, role):
    # before: a raw KeyError: 'x'
    _refused(chart, penguins, kws, VizkitTypeError,
             rf"^`{role}` is required: a column name of `data` or a vector; got None\.$")


@pytest.fixture
def runs():
    """Two runs of a training log, as vk.read_runs returns them."""
    rows = [{"run": run, "step": step, "split": split, "metric": "loss", "value": 1.0 / (step + 1) + k}
            for k, run in enumerate(["adam", "sgd"]) for step in range(6) for split in ("train", "val")]
    return pd.DataFrame(rows).assign(epoch=lambda f: f["step"] // 2, time=lambda f: f["step"] * 1.5)


@pytest.mark.parametrize("column", ["run", "split"])
@pytest.mark.parametrize("dtype", [object, "string"])
@pytest.mark.parametrize("chart", ["curves", "dashboard"])
def test_a_record_without_a_run_or_split_is_refused_naming_the_column(runs, column, dtype, chart):
    # before: "Categorical categories cannot be null" (dashboard), "boolean value of NA is ambiguous" (curves)
    runs[column] = runs[column].astype(dtype)
    runs.loc[[3, 5], column] = None
    with pytest.raises(VizkitValueError, match=rf"^`runs` must be a frame that names the run, split and metric of "
                                               rf"every record; got 2 record\(s\) with no '{column}' \(the first "
                                               rf"at row 3\)\. Fill them"):
        getattr(vk, chart)(runs)


def test_complex_run_values_and_steps_past_the_axis_are_refused(runs):
    with pytest.raises(VizkitTypeError, match=r"'value' column is numeric and real; got a 'value' column of type "
                                              r"complex128"):
        vk.curves(runs.assign(value=runs["value"] + 0j))
    runs["step"] = runs["step"].astype(float)
    runs.loc[0, "step"] = 1e308
    with pytest.raises(VizkitValueError, match=r"column 'step' holding 1e\+308 at row 0"):
        vk.dashboard(runs)


# ---------------------------------------------------------------- facet on nullable and repeated columns

@pytest.mark.parametrize(("dtype", "values"), [
    ("string", ["Biscoe", None, "Dream"]),
    ("Int64", [2007, None, 2009]),
    ("boolean", [True, None, False]),
])
@pytest.mark.parametrize("chart", [vk.bar, vk.line, vk.scatter])
def test_facet_on_a_nullable_column_with_missing_values_leaves_those_rows_out(penguins, dtype, values, chart):
    frame = penguins.head(60).copy()
    frame["group"] = pd.array((values * 20)[:60], dtype=dtype)
    kws = {"x": "species"} if chart is vk.bar else {"x": "bill_length_mm", "y": "bill_depth_mm"}
    grid = vk.facet(frame, chart=chart, col="group", **kws)
    assert set(grid.col_names) == {v for v in values if v is not None}  # NA is no panel
    tables = [vk.plotted_data(ax) for ax in grid]
    rows = sum(table["n"].sum() if "n" in table else len(table) for table in tables)  # n: rows behind a mark
    assert rows == frame["group"].notna().sum()


def test_facet_on_a_repeated_column_name_says_which(penguins):
    frame = penguins.head(10)[["species", "island", "island"]]
    with pytest.raises(VizkitValueError, match=r"^`col` must be a name that appears once among the columns"):
        vk.facet(frame, chart=vk.bar, col="island", x="species")
    with pytest.raises(VizkitValueError, match=r"^`x` must be a name that appears once among the columns"):
        vk.facet(frame, chart=vk.bar, col="species", x="island")


def test_an_empty_complex_column_draws_an_empty_chart():
    # the fuzzer's first finding on the new guard: an empty column of complex dtype raised NumPy's argmax error
    empty = pd.DataFrame({"step": pd.Series([], dtype=float), "z": pd.Series([], dtype=complex)})
    ax = vk.line(empty, x="step", y="z")
    assert vk.plotted_data(ax).empty and not ax.lines


def test_a_run_value_no_axis_can_show_is_marked_off_scale_not_drawn_to_the_axis():
    # fuzzer: a validation loss of 1.7e308 alone in its series set the y-limits, and the ticks overflowed
    runs = pd.DataFrame({"run": "r0", "split": ["train", "val"], "metric": "loss", "step": 0,
                         "value": [1.01, 1.7e308]})
    fig, ax = plt.subplots()
    vk.curves(runs, ax=ax)
    fig.canvas.draw()
    low, high = ax.get_ylim()
    assert low < 1.01 < high < 2  # the readable scale is train's
    assert any("1.7e308" in text.get_text() for text in ax.texts)  # the off-scale value is named at the edge
    only_huge = runs.assign(value=[1.7e308, -1.7e308])
    fig, ax = plt.subplots()
    vk.curves(only_huge, ax=ax)
    fig.canvas.draw()  # nothing readable: an empty scale, both values marked at its edges
    assert ax.get_ylim() == pytest.approx((-1.1, 1.1), abs=0.2)
