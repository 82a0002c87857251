"""vk.bar: heights, layouts, ordering, error bars, labels, highlight and bad input."""

import io

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
    assert ax.get_ylabel() == "Count" and ax.get_xlabel() == "Species"
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
    assert ax.get_legend().get_title().get_text() == "Sex"


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
    with pytest.warns(UserWarning, match=r"`labels`: 1 of 2 bar labels do not fit their bars and are not drawn"):
        vk.bar(df, x="x", y="y", hue="h", layout="stacked", labels=True, ax=ax)
    assert [t.get_text() for t in _visible_labels(ax)] == ["1,000"]
    assert vk.plotted_data(ax)["label"].tolist() == ["1,000", "1"]
    assert vk.plotted_data(ax)["label_drawn"].tolist() == [True, False]


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
    assert list(data.columns) == ["x", "value", "low", "high", "n", "position", "width", "start", "end", "label",
                                  "label_drawn"]


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
    assert legend == hatches[::-1]  # a vertical stack's legend lists its top segment first
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


# ---------------------------------------------------------------- issue 12

def test_percent_formats_on_percent_layout_print_the_percentage(penguins):
    # Regression: labels=".0%" printed "6452%" because the values of a percent layout are already 0-100.
    ax = vk.bar(penguins, x="island", hue="species", layout="percent", labels=".0%")
    data = vk.plotted_data(ax)
    shares = pd.crosstab(penguins["island"], penguins["species"], normalize="index") * 100
    biscoe = data[(data["x"] == "Biscoe") & (data["hue"] == "Gentoo")].iloc[0]
    assert biscoe["value"] == pytest.approx(shares.loc["Biscoe", "Gentoo"])
    assert biscoe["label"] == f"{shares.loc['Biscoe', 'Gentoo']:.0f}%" == "74%"
    braces = vk.plotted_data(vk.bar(penguins, x="island", hue="species", layout="percent", labels="{:.1%}",
                                    ax=plt.figure().subplots()))
    assert braces.loc[biscoe.name, "label"] == "73.8%"
    auto = vk.plotted_data(vk.bar(penguins, x="island", hue="species", layout="percent", labels=True,
                                  ax=plt.figure().subplots()))
    assert auto.loc[biscoe.name, "label"] == "73.8%"
    counts = vk.plotted_data(vk.bar(penguins, x="island", hue="species", layout="stacked", labels=True,
                                    ax=plt.figure().subplots()))
    assert counts.loc[biscoe.name, "label"] == "124"  # other layouts keep their values as they are


@pytest.mark.parametrize("errorbar", [("ci", 0.95), ("pi", 0.9), ("ci", 1)])
def test_a_fractional_level_is_refused_with_a_message_that_says_so(penguins, errorbar):
    # Regression: ("ci", 0.95) was read as 0.95 %: a sliver of an interval that missed its bar or line.
    with pytest.raises(VizkitValueError, match=r"`errorbar\[1\]` must be a percentage in \(0, 100\].*looks like a "
                                               r"fraction: pass (95|90|100) for a"):
        vk.bar(penguins, x="species", y="body_mass_g", errorbar=errorbar)
    fig = plt.figure()
    with pytest.raises(VizkitValueError, match=r"`band\[1\]` must be a percentage in \(0, 100\]"):
        vk.line(penguins, x="species", y="body_mass_g", band=errorbar, ax=fig.subplots())
    assert not fig.axes[0].lines and not fig.axes[0].collections  # a refused call draws nothing


def test_interval_levels_agree_with_seaborn(penguins):
    sns = pytest.importorskip("seaborn")
    for errorbar, tolerance in [(("pi", 90), 1e-9), (("pi", 100), 1e-9), (("ci", 95), 0.15)]:
        fig, (ours, theirs) = plt.subplots(1, 2)
        data = vk.plotted_data(vk.bar(penguins, x="species", y="body_mass_g", errorbar=errorbar, ax=ours))
        sns.barplot(penguins, x="species", y="body_mass_g", errorbar=errorbar, seed=0, ax=theirs)
        reference = np.array([(line.get_ydata().min(), line.get_ydata().max()) for line in theirs.lines])
        widths = reference[:, 1] - reference[:, 0]
        assert np.abs(data[["low", "high"]].to_numpy() - reference).max() <= tolerance * widths.min(), errorbar
        assert ((data["low"] <= data["value"]) & (data["value"] <= data["high"])).all()
        plt.close(fig)


@pytest.mark.parametrize("sort", [None, "asc", "desc"])
def test_boolean_categories_sort_false_true_and_by_value(penguins, sort):
    # Regression: sort= on a boolean x used the levels as a boolean mask and raised a raw pandas error.
    heavy = penguins.assign(heavy=penguins["body_mass_g"] > 4000)
    data = vk.plotted_data(vk.bar(heavy, x="heavy", y="bill_length_mm", sort=sort))
    means = heavy.groupby("heavy")["bill_length_mm"].mean()
    expected = {None: [False, True], "asc": list(means.sort_values().index),
                "desc": list(means.sort_values(ascending=False).index)}[sort]
    assert data["x"].tolist() == expected
    assert data["value"].tolist() == pytest.approx(means.reindex(expected).tolist())
    hue = vk.plotted_data(vk.bar(heavy, x="species", hue="heavy", ax=plt.figure().subplots()))
    assert hue["hue"].tolist()[:2] == [False, True]  # False first, whatever the row order


@pytest.mark.parametrize("layout", ["stacked", "percent"])
def test_stacked_legend_lists_levels_top_down_like_the_stack(penguins, layout):
    # Regression: the legend listed Adelie (the bottom segment) first, the reverse of the stack.
    ax = vk.bar(penguins, x="island", hue="species", layout=layout)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Gentoo", "Chinstrap", "Adelie"]  # levels sorted, so the stack is Adelie, Chinstrap, Gentoo
    biscoe = vk.plotted_data(ax).query("x == 'Biscoe' and n > 0").sort_values("start", ascending=False)
    assert biscoe["hue"].tolist() == [level for level in legend if level in set(biscoe["hue"])]  # top-down in both
    grouped = vk.bar(penguins, x="island", hue="species", ax=plt.figure().subplots())
    assert [t.get_text() for t in grouped.get_legend().get_texts()] == ["Adelie", "Chinstrap", "Gentoo"]
    across = vk.bar(penguins, x="island", hue="species", layout=layout, orient="h", ax=plt.figure().subplots())
    assert [t.get_text() for t in across.get_legend().get_texts()] == ["Adelie", "Chinstrap", "Gentoo"]  # left to right


def test_legend_hatches_are_drawn_like_the_bars_hatches():
    # Regression (gallery, redundant encoding): the legend's hatches were white where the bars' were black.
    weather = vk.load_dataset("seattle_weather")
    with vk.theme():
        ax = vk.bar(weather, x=weather["date"].dt.year, hue="weather", layout="percent", redundant=True)
    entries = dict(zip([t.get_text() for t in ax.get_legend().get_texts()], ax.get_legend().get_patches(),
                       strict=True))
    for container in ax.containers:
        bar_patch, legend_patch = container.patches[0], entries[container.get_label()]
        assert bar_patch.get_hatch() == legend_patch.get_hatch()
        assert same_color(bar_patch.get_hatchcolor(), legend_patch.get_hatchcolor())
        assert same_color(bar_patch.get_facecolor(), legend_patch.get_facecolor())
        # the hatch reads on its bar: black or white, whichever contrasts more
        assert vk.contrast_ratio(bar_patch.get_hatchcolor(), bar_patch.get_facecolor()) >= 4.5
    with plt.rc_context({"patch.edgecolor": "red"}):  # fixed at the call: rcParams at draw time change nothing
        assert same_color(ax.containers[0].patches[0].get_hatchcolor(),
                          entries[ax.containers[0].get_label()].get_hatchcolor())


def test_left_out_stack_labels_are_counted_once_and_plotted_data_says_which(recwarn):
    # Regression: stacked labels=True silently dropped the labels that did not fit, and plotted_data listed them.
    weather = vk.load_dataset("seattle_weather")
    fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=100, layout="constrained")
    vk.bar(weather, x=weather["date"].dt.year, hue="weather", layout="stacked", labels=True, ax=ax)
    data = vk.plotted_data(ax)
    labelled = int(data["label"].ne("").sum())
    counted = [str(w.message) for w in recwarn if "bar labels do not fit" in str(w.message)]
    assert counted == [f"`labels`: {labelled - int(data['label_drawn'].sum())} of {labelled} bar labels do not "
                       "fit their bars and are not drawn (vk.plotted_data(ax)['label_drawn'] says which). A "
                       "larger figure, fewer categories or orient='h' makes room."]
    for _ in range(2):  # the layout sizes the Axes at each draw: plotted_data follows, without a new warning
        fig.savefig(io.BytesIO(), format="png")
        data = vk.plotted_data(ax)
        shown = sorted((t.get_position(), t.get_text()) for t in ax.texts if t.get_visible())
        assert data["label_drawn"].sum() == len(shown) > 0
        assert sorted(data.loc[data["label_drawn"], "label"]) == sorted(text for _, text in shown)
    assert len([w for w in recwarn if "bar labels do not fit" in str(w.message)]) == 1


def test_a_series_or_a_frame_indexed_by_the_categories_draws_one_bar_per_index_value(penguins):
    counts = penguins["species"].value_counts()  # a Series named "count" over an index named "species"
    for data, kws in [(counts, {}), (counts, {"x": "species", "y": "count"}), (counts.to_frame(), {}),
                      (counts.to_frame(), {"x": "species", "y": "count"}), (counts.reset_index(), {"x": "species", "y": "count"})]:
        ax = vk.bar(data, ax=plt.figure().subplots(), **kws)
        drawn = vk.plotted_data(ax)
        assert drawn["x"].tolist() == counts.index.tolist() and drawn["value"].tolist() == counts.tolist()
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("Species", "Count")
    means = penguins.groupby("island").mean(numeric_only=True)  # an index named "island", several columns
    drawn = vk.plotted_data(vk.bar(means, y="bill_depth_mm", ax=plt.figure().subplots()))
    assert drawn["value"].tolist() == pytest.approx(means["bill_depth_mm"].tolist())
    assert drawn["x"].tolist() == means.index.tolist()


def test_a_name_not_found_suggests_reset_index_when_the_index_holds_the_categories(penguins):
    counts = penguins["species"].value_counts()
    with pytest.raises(ColumnNotFoundError, match=r"`x` names a column that is not in `data`: 'Species'\. "
                                                  r"Columns: 'count'\. If it is `data`'s index \('species'\), "
                                                  r"pass `data.reset_index\(\)`"):
        vk.bar(counts.to_frame(), x="Species", y="count")
    with pytest.raises(ColumnNotFoundError, match=r"index \(unnamed\), pass `data.reset_index\(\)`"):
        vk.bar(counts.rename_axis(None).to_frame(), x="species", y="count")
    with pytest.raises(ColumnNotFoundError) as plain:  # a plain row count is no hint
        vk.bar(penguins, x="specie")
    assert "reset_index" not in str(plain.value)


def test_a_boolean_y_draws_the_share_of_true_per_category_in_percent(penguins):
    heavy = penguins.assign(heavy=penguins["body_mass_g"] > 4000)
    ax = vk.bar(heavy, x="species", y="heavy", labels=".0%", errorbar=("ci", 95))
    drawn = vk.plotted_data(ax)
    shares = heavy.groupby("species", sort=False)["heavy"].mean() * 100
    assert drawn["value"].tolist() == pytest.approx(shares.reindex(drawn["x"]).tolist())
    assert drawn["label"].tolist() == [f"{v:.0f}%" for v in shares.reindex(drawn["x"])]  # "23%", not "2303%"
    assert ((drawn["low"] >= 0) & (drawn["high"] <= 100) & (drawn["low"] <= drawn["value"])).all()
    assert ax.get_ylabel() == "Share of True: Heavy"
    assert ax.yaxis.get_major_formatter()(50, 0) == "50%"
    # a nullable boolean column: missing values are skipped, not counted as False
    nullable = heavy.assign(heavy=heavy["heavy"].astype("boolean").mask(heavy["sex"].isna()))
    drawn = vk.plotted_data(vk.bar(nullable, x="species", y="heavy", ax=plt.figure().subplots()))
    expected = nullable.dropna(subset=["heavy"]).groupby("species")["heavy"].mean() * 100
    assert drawn["value"].tolist() == pytest.approx(expected.reindex(drawn["x"]).astype(float).tolist())
    with pytest.raises(VizkitValueError, match=r"`estimator` must be 'mean' for a boolean `y`"):
        vk.bar(heavy, x="species", y="heavy", estimator="sum")
    with pytest.raises(VizkitValueError, match=r"`layout` must be 'grouped' for a boolean `y`"):
        vk.bar(heavy, x="island", y="heavy", hue="species", layout="stacked")


@pytest.mark.parametrize("style", ["vizkit", "dark"])
def test_highlighted_bars_stand_out_more_than_the_grey_ones_on_every_face(penguins, style):
    # Regression: on the dark face the light grey "other" bars (8.9:1) outshone the highlighted one (4.9:1).
    with vk.theme(style=style):
        fig, (left, right) = plt.subplots(1, 2)
        vk.bar(penguins, x="species", highlight="Gentoo", ax=left)
        vk.bar(penguins, x="island", hue="species", highlight="Chinstrap", palette="okabe_ito", ax=right)
    face = to_rgba(left.get_facecolor())
    for ax, focus_key, level in [(left, "x", "Gentoo"), (right, "hue", "Chinstrap")]:
        drawn = vk.plotted_data(ax).query("n > 0")
        in_focus = dict(zip(drawn["position"].round(6), drawn[focus_key] == level, strict=True))
        focus = np.array([in_focus[round(p.get_x() + p.get_width() / 2, 6)] for p in bars(ax)])
        contrast = np.array([vk.contrast_ratio(p.get_facecolor(), face) for p in bars(ax)])
        assert focus.any() and (~focus).any()
        assert contrast[focus].min() >= 3.0 and contrast[focus].min() > contrast[~focus].max() + 1
    legend = dict(zip([t.get_text() for t in right.get_legend().get_texts()], right.get_legend().get_patches(),
                      strict=True))
    assert vk.contrast_ratio(legend["other"].get_facecolor(), face) < 2.1 < 3 <= vk.contrast_ratio(
        legend["Chinstrap"].get_facecolor(), face)
    if style == "vizkit":  # on white the grey stays the library's GREY
        assert same_color(bars(left)[0].get_facecolor(), vk.colors.GREY)


def _tick_boxes(ax):
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    labels = [label for label in ax.get_xticklabels() if label.get_visible() and label.get_text()]
    return labels, sorted((label.get_window_extent(renderer) for label in labels), key=lambda box: box.x0)


def _apart(boxes, labels=None):
    """Flat labels do not overlap; turned ones are parallel strips at least a line apart across them."""
    angle = labels[0].get_rotation() if labels else 0
    if angle == 0:
        return all(a.x1 <= b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    centres = np.array([(b.x0 + b.x1) / 2 for b in boxes])
    line = labels[0].get_fontsize() * labels[0].figure.dpi / 72
    return np.diff(centres).min() * np.sin(np.radians(angle)) >= line


def test_dates_are_written_to_their_resolution_and_never_collide():
    # Regression: a datetime x printed "2001-01-01 00:00:00" under every bar, overlapping into a smudge.
    weather = vk.load_dataset("seattle_weather")
    yearly = weather.assign(year=weather["date"].dt.to_period("Y").dt.to_timestamp())
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    vk.bar(yearly, x="year", y="precipitation", estimator="sum", ax=ax)
    labels, boxes = _tick_boxes(ax)
    assert [label.get_text() for label in labels] == ["2012", "2013", "2014", "2015"]
    assert _apart(boxes) and labels[0].get_rotation() == 0
    monthly = weather[weather["date"].dt.year == 2012].assign(month=lambda d: d["date"].dt.to_period("M").dt.to_timestamp())
    fig, ax = plt.subplots(figsize=(5, 3), dpi=100, layout="constrained")
    vk.bar(monthly, x="month", y="temp_max", ax=ax)
    labels, boxes = _tick_boxes(ax)
    assert labels[0].get_text() == "2012-01" and _apart(boxes, labels)
    assert vk.plotted_data(ax)["x"].iloc[0] == pd.Timestamp("2012-01-01")  # the data keep their dates
    days = pd.to_datetime(["2001-03-04", "2001-03-05"])
    ax = vk.bar({"d": days, "v": [1, 2]}, x="d", y="v", ax=plt.figure().subplots())
    assert vk.plotted_data(ax)["x"].tolist() == list(days)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2001-03-04", "2001-03-05"]


@pytest.mark.parametrize("width", [3.0, 5.0, 12.0])
def test_colliding_category_labels_are_wrapped_then_turned(width):
    years = pd.DataFrame({"year": np.arange(2001, 2018), "n": np.arange(17)})
    fig, ax = plt.subplots(figsize=(width, 3), dpi=100, layout="constrained")
    vk.bar(years, x="year", y="n", ax=ax)
    labels, boxes = _tick_boxes(ax)
    angle = labels[0].get_rotation()
    assert angle == {3.0: 90, 5.0: 45, 12.0: 0}[width]  # years cannot wrap: flat, then 45, then 90 degrees
    assert _apart(boxes, labels)
    shown = [label.get_text() for label in labels]
    assert shown[0] == "2001" and len(shown) == (17 if width > 3 else 9)  # at 3 inches, every other year



@pytest.mark.parametrize("width", [2.5, 4.0, 12.0])
def test_long_category_names_break_at_their_spaces_before_they_turn(width):
    names = pd.DataFrame({"species": ["Pygoscelis adeliae", "Pygoscelis papua", "Pygoscelis antarcticus"],
                          "mass": [3700, 5076, 3733]})
    fig, ax = plt.subplots(figsize=(width, 3), dpi=100, layout="constrained")
    vk.bar(names, x="species", y="mass", ax=ax)
    labels, boxes = _tick_boxes(ax)
    assert _apart(boxes, labels)
    expected = {2.5: names["species"].tolist(),  # "antarcticus" alone is wider than its slot: turned
                4.0: ["Pygoscelis\nadeliae", "Pygoscelis\npapua", "Pygoscelis\nantarcticus"],
                12.0: names["species"].tolist()}[width]
    assert [label.get_text() for label in labels] == expected
    assert labels[0].get_rotation() == (0 if width > 3 else 45)
    assert vk.plotted_data(ax)["x"].tolist() == names["species"].tolist()  # the data keep their names


def test_tick_labels_the_user_sets_afterwards_win():
    years = pd.DataFrame({"year": np.arange(2001, 2018), "n": np.arange(17)})
    fig, ax = plt.subplots(figsize=(5, 3), dpi=100, layout="constrained")
    vk.bar(years, x="year", y="n", ax=ax)
    ax.tick_params(axis="x", labelrotation=30)
    labels, _ = _tick_boxes(ax)
    assert {label.get_rotation() for label in labels} == {30}
    fig, ax = plt.subplots(figsize=(5, 3), dpi=100, layout="constrained")
    vk.bar(years, x="year", y="n", ax=ax)
    ax.set_xticks(range(0, 17, 4), [f"'{y % 100:02d}" for y in range(2001, 2018, 4)])
    labels, _ = _tick_boxes(ax)
    assert [label.get_text() for label in labels] == ["'01", "'05", "'09", "'13", "'17"]
