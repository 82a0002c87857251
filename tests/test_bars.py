"""vk.bar: heights, layouts, ordering, error bars, labels, highlight and bad input."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import same_color, to_rgba
from matplotlib.patches import Rectangle

import vizkit as vk
from vizkit._core.stats import group_estimates
from vizkit.errors import ColumnNotFoundError, VizkitError, VizkitValueError
from tests.fuzzing import fuzz_settings

FUZZ_EXAMPLES = 150


@pytest.fixture
def penguins():
    return vk.load_dataset("penguins")


def bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def heights(ax):
    return [p.get_height() for p in bars(ax)]


def test_counts_rows_when_y_is_none(penguins):
    ax = vk.bar(penguins, x="species")
    assert heights(ax) == penguins["species"].value_counts(sort=False).reindex(["Adelie", "Gentoo", "Chinstrap"]).tolist()
    assert ax.get_ylabel() == "count" and ax.get_xlabel() == "species"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Adelie", "Gentoo", "Chinstrap"]


@pytest.mark.parametrize("estimator", ["mean", "median", "sum", "min", "max"])
def test_heights_equal_a_pandas_groupby(penguins, estimator):
    ax = vk.bar(penguins, x="island", y="body_mass_g", hue="species", estimator=estimator)
    expected = penguins.groupby(["island", "species"], sort=False)["body_mass_g"].agg(estimator)
    drawn = vk.plotted_data(ax).dropna(subset=["value"]).set_index(["x", "hue"])["value"]
    pd.testing.assert_series_equal(drawn.sort_index(), expected.sort_index(), check_names=False)


def test_callable_estimator(penguins):
    ax = vk.bar(penguins, x="species", y="bill_depth_mm", estimator=lambda v: np.percentile(v, 90))
    expected = penguins.groupby("species", sort=False)["bill_depth_mm"].quantile(0.9)
    assert heights(ax) == pytest.approx(expected.tolist())


def test_grouped_bars_sit_side_by_side_in_each_slot(penguins):
    ax = vk.bar(penguins, x="species", y="flipper_length_mm", hue="sex")
    data = vk.plotted_data(ax)
    assert data["width"].eq(0.4).all()
    assert data.loc[data["x"] == "Adelie", "position"].tolist() == pytest.approx([-0.2, 0.2])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["female", "male"]  # sorted levels
    assert ax.get_legend().get_title().get_text() == "sex"


def test_stacked_segments_start_where_the_previous_ends(penguins):
    ax = vk.bar(penguins, x="island", hue="species", layout="stacked")
    data = vk.plotted_data(ax)
    dream = data[data["x"] == "Dream"].dropna(subset=["value"])
    assert dream["start"].tolist() == [0, 56] and dream["end"].tolist() == [56, 124]


def test_percent_stacks_sum_to_exactly_100(penguins, rng):
    df = pd.DataFrame({"x": rng.choice(list("abcde"), 500), "h": rng.choice(list("pqr"), 500), "v": rng.random(500)})
    ax = vk.bar(df, x="x", y="v", hue="h", layout="percent", estimator="sum")
    data = vk.plotted_data(ax)
    for _, group in data.groupby("x"):
        assert group["end"].max() == 100.0  # the top segment ends at exactly 100
        assert group["value"].sum() == pytest.approx(100)
    assert ax.get_ylim() == (0, 100)
    assert ax.yaxis.get_major_formatter()(50, 0) == "50%"


def test_percent_refuses_negative_values():
    with pytest.raises(VizkitValueError, match=r"`layout` must be 'grouped' or 'stacked' for negative values; got 'percent' with a negative value -2"):
        vk.bar({"x": ["a", "a"], "h": ["p", "q"], "y": [1, -2]}, x="x", y="y", hue="h", layout="percent")


def test_negative_stacks_grow_downwards_and_get_a_zero_line():
    ax = vk.bar({"x": ["a"] * 3, "h": ["p", "q", "r"], "y": [2, -1, -3]}, x="x", y="y", hue="h", layout="stacked")
    data = vk.plotted_data(ax)
    assert data["start"].tolist() == [0, 0, -1] and data["end"].tolist() == [2, -1, -4]
    assert any(line.get_ydata()[0] == 0 for line in ax.get_lines())


def test_horizontal_bars_list_categories_top_down(penguins):
    ax = vk.bar(penguins, x="species", orient="h")
    assert [p.get_width() for p in bars(ax)] == [152, 124, 68]
    assert ax.yaxis_inverted()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Adelie", "Gentoo", "Chinstrap"]


@pytest.mark.parametrize("sort, expected", [("desc", [152, 124, 68]), ("asc", [68, 124, 152])])
def test_sort(penguins, sort, expected):
    assert heights(vk.bar(penguins, x="species", sort=sort)) == expected


def test_top_keeps_the_largest_and_gathers_the_rest_last():
    df = pd.DataFrame({"x": list("aabbbcdddde"), "v": 1})
    ax = vk.bar(df, x="x", y="v", estimator="sum", top=2, sort="asc")
    data = vk.plotted_data(ax)
    assert data["x"].tolist() == ["b", "d", "Other"]  # sorted ascending, Other stays last
    assert data["value"].tolist() == [3, 4, 4]  # a, c, e: 2 + 1 + 1


def test_ci_is_seeded_and_equals_the_reference(penguins):
    first = vk.plotted_data(vk.bar(penguins, x="species", y="body_mass_g", errorbar=("ci", 90)))
    plt.close("all")
    second = vk.plotted_data(vk.bar(penguins, x="species", y="body_mass_g", errorbar=("ci", 90)))
    pd.testing.assert_frame_equal(first, second)
    # Reference: a plain percentile bootstrap of the mean, with the documented stream default_rng([0, n]).
    for species in ["Adelie", "Gentoo", "Chinstrap"]:
        values = penguins.loc[penguins["species"] == species, "body_mass_g"].dropna().to_numpy()
        draws = np.random.default_rng([0, len(values)]).integers(0, len(values), size=(1000, len(values)))
        low, high = np.percentile(values[draws].mean(axis=1), [5, 95])
        row = first[first["x"] == species].iloc[0]
        assert (row["low"], row["high"]) == pytest.approx((low, high))


def test_ci_agrees_with_scipy_bootstrap(rng):
    from scipy.stats import bootstrap

    values = rng.exponential(size=300)
    ours = group_estimates(values, np.zeros(300, dtype=int), 1, errorbar=("ci", 95))
    theirs = bootstrap((values,), np.mean, method="percentile", n_resamples=4000, rng=1).confidence_interval
    width = theirs.high - theirs.low
    assert abs(ours["low"][0] - theirs.low) < 0.1 * width and abs(ours["high"][0] - theirs.high) < 0.1 * width


def test_large_groups_use_the_normal_limit_of_the_bootstrap(rng):
    from vizkit._core import stats

    values = rng.exponential(size=stats.EXACT_BOOTSTRAP_LIMIT // stats.N_BOOT + 1)
    fast = group_estimates(values, np.zeros(len(values), dtype=int), 1, errorbar=("ci", 95))
    # Just past the switch: the normal limit agrees with an explicit bootstrap within its own noise.
    draws = np.random.default_rng(0).integers(0, len(values), size=(300, len(values)))
    boot = np.percentile(values[draws].mean(axis=1), [2.5, 97.5])
    width = fast["high"][0] - fast["low"][0]
    assert abs(fast["low"][0] - boot[0]) < 0.1 * width and abs(fast["high"][0] - boot[1]) < 0.1 * width


@pytest.mark.parametrize("errorbar", ["sd", "se", ("pi", 50), ("sd", 2)])
def test_other_errorbars_equal_pandas(penguins, errorbar):
    ax = vk.bar(penguins, x="species", y="bill_length_mm", errorbar=errorbar)
    data = vk.plotted_data(ax).set_index("x")
    grouped = penguins.groupby("species")["bill_length_mm"]
    if errorbar == ("pi", 50):
        expected_low = grouped.quantile(0.25)
    else:
        scale = 2 if errorbar == ("sd", 2) else 1
        spread = grouped.std() if errorbar != "se" else grouped.sem()
        expected_low = grouped.mean() - scale * spread
    assert data["low"].to_numpy() == pytest.approx(expected_low.reindex(data.index).to_numpy())
    segments = [c for c in ax.collections if c.get_segments()]
    assert len(segments[0].get_segments()) == 3


def test_highlight_greys_the_other_bars(penguins):
    ax = vk.bar(penguins, x="species", highlight="Gentoo")
    faces = [p.get_facecolor() for p in bars(ax)]
    assert same_color(faces[0], vk.colors.GREY) and same_color(faces[2], vk.colors.GREY)
    assert not same_color(faces[1], vk.colors.GREY)
    ax = vk.bar(penguins, x="island", hue="species", highlight=["Adelie"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Adelie", "other"]


def test_palette_and_theme_colours(penguins):
    with vk.theme():
        ax = vk.bar(penguins, x="island", hue="species")
    assert same_color([bars(ax)[0].get_facecolor()], [vk.palette()[0]])
    ax2 = plt.figure().subplots()
    vk.bar(penguins, x="island", hue="species", palette={"Adelie": "red", "Gentoo": "green", "Chinstrap": "blue"}, ax=ax2)
    assert same_color(bars(ax2)[0].get_facecolor(), "red")


def _visible_labels(ax):
    ax.figure.canvas.draw()
    return [t for t in ax.texts if t.get_visible()]


@pytest.mark.parametrize("layout", ["grouped", "stacked", "percent"])
@pytest.mark.parametrize("orient", ["v", "h"])
def test_every_label_reads_and_stays_inside_the_axes(penguins, layout, orient):
    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100)
    with vk.theme():
        vk.bar(penguins, x="island", hue="species", layout=layout, orient=orient, labels=True, ax=ax)
    texts = _visible_labels(ax)
    assert texts
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for text in texts:
        box = text.get_window_extent(renderer)
        assert frame.x0 - 0.5 <= box.x0 and box.x1 <= frame.x1 + 0.5 and frame.y0 - 0.5 <= box.y0 and box.y1 <= frame.y1 + 0.5
        behind = ax.get_facecolor()
        for patch in bars(ax):
            if patch.get_window_extent(renderer).contains(*box.get_points().mean(axis=0)):
                behind = patch.get_facecolor()
        assert vk.contrast_ratio(text.get_color(), behind) >= 4.5, text.get_text()


def test_labels_that_do_not_fit_their_segment_are_dropped():
    df = pd.DataFrame({"x": ["a", "a"], "h": ["big", "tiny"], "y": [1000.0, 1.0]})
    fig, ax = plt.subplots(figsize=(3, 3), dpi=100)
    vk.bar(df, x="x", y="y", hue="h", layout="stacked", labels=True, ax=ax)
    assert [t.get_text() for t in _visible_labels(ax)] == ["1,000"]
    assert vk.plotted_data(ax)["label"].tolist() == ["1,000", "1"]


def test_outside_labels_grow_the_value_axis_on_a_dark_face():
    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    with vk.theme(style="dark"):
        vk.bar({"x": ["a", "b"], "y": [10.0, -500.0]}, x="x", y="y", labels="{:.1f}", ax=ax)
    texts = _visible_labels(ax)
    assert [t.get_text() for t in texts] == ["10.0", "-500.0"]
    frame = ax.get_window_extent()
    for text in texts:
        box = text.get_window_extent()
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1
        assert vk.contrast_ratio(text.get_color(), to_rgba(ax.get_facecolor())) >= 4.5


def test_plotted_data_without_hue_has_no_hue_column(penguins):
    data = vk.plotted_data(vk.bar(penguins, x="species", labels=True))
    assert list(data.columns) == ["x", "value", "low", "high", "n", "position", "width", "start", "end", "label"]


def test_bad_input_messages(penguins):
    with pytest.raises(ColumnNotFoundError, match=r"`y` names a column that is not in `data`: 'body_mass'.*Did you mean 'body_mass_g'"):
        vk.bar(penguins, x="species", y="body_mass")
    with pytest.raises(vk.errors.VizkitTypeError, match=r"`y` must be numeric; got column 'island' of type"):
        vk.bar(penguins, x="species", y="island")
    with pytest.raises(VizkitValueError, match=r"`layout` must be one of 'grouped', 'stacked', 'percent'; got 'stack'"):
        vk.bar(penguins, x="species", layout="stack")
    with pytest.raises(VizkitValueError, match=r"`errorbar` must be None when `y` is None"):
        vk.bar(penguins, x="species", errorbar="sd")
    with pytest.raises(VizkitValueError, match=r"`errorbar` must be None with layout='stacked'"):
        vk.bar(penguins, x="species", y="body_mass_g", hue="sex", layout="stacked", errorbar="sd")
    with pytest.raises(VizkitValueError, match=r"`data` must be at least one row"):
        vk.bar(penguins.iloc[:0], x="species")
    with pytest.raises(VizkitValueError, match=r"`x` must be at most 1000 categories; got 10000 categories\. Pass top=N"):
        vk.bar({"x": np.arange(10_000).astype(str)}, x="x")
    assert len(bars(vk.bar({"x": np.arange(10_000).astype(str)}, x="x", top=5))) == 6
    with pytest.raises(VizkitValueError, match=r"`y` must be finite numbers.*inf at row 1"):
        vk.bar({"x": ["a", "b"], "y": [1, np.inf]}, x="x", y="y")
    with pytest.raises(VizkitValueError, match="`labels` must be True, False or a format"):
        vk.bar(penguins, x="species", labels="{:q}")


def test_booleans_mixed_into_numbers_are_refused():
    with pytest.raises(vk.errors.VizkitTypeError, match=r"`y` must be numeric; got column 'y' holding True \(bool\) at row 1"):
        vk.bar({"x": ["a", "b"], "y": [1.5, True]}, x="x", y="y")


def test_nan_rows_are_skipped_and_an_empty_hue_level_warns():
    df = pd.DataFrame({"x": ["a", "a", None, "b"], "y": [1.0, np.nan, 3.0, 4.0], "h": ["p", "p", "p", "q"]})
    assert heights(vk.bar(df, x="x", y="y")) == [1.0, 4.0]
    df2 = pd.DataFrame({"x": ["a", "b"], "y": [1.0, np.nan], "h": pd.Categorical(["p", "q"])})
    with pytest.warns(UserWarning, match="`hue` level 'q' has no values to draw"):
        vk.bar(df2, x="x", y="y", hue="h")


values = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6), st.text(max_size=3),
                   st.none(), st.booleans())
frames = st.integers(0, 12).flatmap(lambda n: st.fixed_dictionaries({
    "cat": st.lists(st.one_of(st.sampled_from(list("abc")), st.integers(0, 3), st.none()), min_size=n, max_size=n),
    "num": st.lists(values, min_size=n, max_size=n),
    "hue": st.lists(st.sampled_from(["p", "q", None]), min_size=n, max_size=n),
}))


def _chart_or_vizkit_error(**kwargs):
    """Call vk.bar; a vizkit error must name an argument, a chart must draw every bar that has data."""
    try:
        ax = vk.bar(**kwargs)
    except VizkitError as error:
        assert "`" in str(error)
        return "error"
    drawn = vk.plotted_data(ax)
    with_data = drawn[drawn["n"] > 0]
    assert not with_data.empty and np.isfinite(with_data[["start", "end"]]).all().all()
    assert len(bars(ax)) == len(with_data)
    plt.close("all")
    return "chart"


@pytest.mark.filterwarnings("ignore:`hue` level")
@fuzz_settings(FUZZ_EXAMPLES)
@given(frame=frames,
       y=st.sampled_from(["num", None]),
       hue=st.sampled_from([None, "hue", "cat"]),
       layout=st.sampled_from(["grouped", "stacked", "percent"]),
       labels=st.sampled_from([False, True]))
def test_fuzz_bar_on_messy_data(frame, y, hue, layout, labels):
    """NaN, inf, strings in number columns, None categories, mixed types, empty and all-NaN groups."""
    _chart_or_vizkit_error(data=pd.DataFrame(frame), x="cat", y=y, hue=hue, layout=layout, labels=labels)


@pytest.mark.filterwarnings("ignore:`hue` level", "ignore:the given palette has")
@fuzz_settings(FUZZ_EXAMPLES)
@given(n=st.integers(1, 40),
       y=st.sampled_from(["v", None, "c", "nmu", 3]),
       hue=st.sampled_from([None, "h", "c", "missing"]),
       layout=st.sampled_from(["grouped", "stacked", "percent", "bogus", None]),
       orient=st.sampled_from(["v", "h", "horizontal", "diagonal"]),
       sort=st.sampled_from([None, "asc", "desc", "up"]),
       top=st.one_of(st.none(), st.integers(-2, 6), st.floats(0, 3)),
       estimator=st.sampled_from(["mean", "median", "sum", "mode", np.max]),
       errorbar=st.one_of(st.none(), st.sampled_from(["sd", "se", "ci", "xx"]),
                          st.tuples(st.sampled_from(["ci", "pi", "sd"]), st.floats(-10, 200))),
       labels=st.sampled_from([False, True, "{:.1f}", ".0%", "{:q}", 5]),
       highlight=st.sampled_from([None, "a", ["a", "b"], "zz"]),
       palette=st.sampled_from([None, "okabe_ito", ["red"], {"a": "red"}, "nope"]))
def test_fuzz_bar_options(n, y, hue, layout, orient, sort, top, estimator, errorbar, labels, highlight, palette):
    rng = np.random.default_rng(n)
    df = pd.DataFrame({"c": rng.choice(list("abcd"), n), "h": rng.choice(["a", "b"], n), "v": rng.normal(size=n)})
    _chart_or_vizkit_error(data=df, x="c", y=y, hue=hue, layout=layout, orient=orient, sort=sort, top=top,
                           estimator=estimator, errorbar=errorbar, labels=labels, highlight=highlight, palette=palette)


def test_redundant_encoding_gives_every_hue_level_a_hatch(rng):
    df = pd.DataFrame({"x": rng.choice(list("ab"), 400), "h": rng.choice([f"level {i}" for i in range(10)], 400)})
    ax = vk.bar(df, x="x", hue="h", layout="stacked")  # past 8 levels: on by default
    hatches = [container.patches[0].get_hatch() for container in ax.containers]
    assert len(set(hatches)) == 10
    legend = [patch.get_hatch() for patch in ax.get_legend().get_patches()]
    assert legend == hatches
    few = vk.bar(df[df["h"].isin(["level 0", "level 1"])], x="x", hue="h", redundant=True, ax=plt.figure().subplots())
    assert len({c.patches[0].get_hatch() for c in few.containers}) == 2
    off = vk.bar(df, x="x", hue="h", redundant=False, ax=plt.figure().subplots())
    assert {c.patches[0].get_hatch() for c in off.containers} == {None}
    with pytest.raises(vk.errors.VizkitTypeError, match="`redundant` must be True, False or None"):
        vk.bar(df, x="x", hue="h", redundant="yes")


def test_percentile_interval_of_skewed_data_is_drawn_from_its_own_bounds():
    # Regression: ("pi", 5) of skewed values does not hold the mean, and Matplotlib refused the negative
    # 'yerr' measured from it. The interval is drawn from its bounds, equal to numpy's percentiles.
    values = np.random.default_rng(0).lognormal(sigma=2.0, size=200)
    df = pd.DataFrame({"g": ["a"] * 100 + ["b"] * 100, "v": values})
    ax = vk.bar(df, x="g", y="v", errorbar=("pi", 5))
    drawn = vk.plotted_data(ax)
    for level, group in df.groupby("g"):
        low, high = np.percentile(group["v"], [47.5, 52.5])
        row = drawn[drawn["x"] == level].iloc[0]
        assert (row["low"], row["high"]) == pytest.approx((low, high))
        assert not row["low"] <= row["value"] <= row["high"]  # the mean lies outside this interval
    segments = [seg for c in ax.collections for seg in c.get_segments()]
    ends = sorted((float(s[:, 1].min()), float(s[:, 1].max())) for s in segments)
    expected = sorted(zip(drawn["low"], drawn["high"], strict=True))
    assert np.ravel(ends) == pytest.approx(np.ravel(expected))
