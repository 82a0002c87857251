"""Distribution charts: what is drawn equals NumPy's, SciPy's and Matplotlib's own statistics of the input.

hist against ``np.histogram``, kde and violin against ``scipy.stats.gaussian_kde``,
box against ``np.percentile``, ecdf against a sorted cumulative count, ridgeline
per level against the same references; then bad input, one test per argument.
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgb
from scipy.stats import gaussian_kde

import vizkit as vk
from vizkit.charts.distributions import HistogramDisplay
from vizkit.errors import ColumnNotFoundError, VizkitError, VizkitTypeError, VizkitValueError


@pytest.fixture
def penguins():
    return vk.load_dataset("penguins")


@pytest.fixture
def weather():
    weather = vk.load_dataset("seattle_weather")
    return weather.assign(month=pd.to_datetime(weather["date"]).dt.month)


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# ---------------------------------------------------------------- hist


@pytest.mark.parametrize("bins", [10, "auto", "fd", "sturges", [170, 185, 190, 200, 235]])
def test_hist_counts_are_numpys_histogram(penguins, bins):
    ax = vk.hist(penguins, x="flipper_length_mm", bins=bins)
    drawn = vk.plotted_data(ax)
    counts, edges = np.histogram(penguins["flipper_length_mm"].dropna(), bins=bins)
    np.testing.assert_array_equal(drawn["count"], counts)
    np.testing.assert_allclose(drawn.attrs["edges"], edges)
    assert drawn.attrs["dropped"] == 2
    heights = [bar.get_height() for bar in ax.patches]
    np.testing.assert_allclose(heights, counts)  # what is on the Axes is the table


def test_hist_stats_normalise_over_all_values_or_per_level(penguins):
    flippers = penguins["flipper_length_mm"].dropna()
    drawn = vk.plotted_data(vk.hist(penguins, x="flipper_length_mm", stat="density", bins=12))
    density, _ = np.histogram(flippers, bins=12, density=True)
    np.testing.assert_allclose(drawn["value"], density)
    plt.close("all")
    by_species = vk.plotted_data(vk.hist(penguins, x="flipper_length_mm", hue="species", stat="probability"))
    assert by_species["value"].sum() == pytest.approx(1.0)
    plt.close("all")
    own = vk.plotted_data(vk.hist(penguins, x="flipper_length_mm", hue="species", stat="percent",
                                  common_norm=False))
    np.testing.assert_allclose(own.groupby("hue")["value"].sum(), 100.0)


def test_hist_stack_tops_are_the_total_histogram_and_levels_share_bins(penguins):
    ax = vk.hist(penguins, x="body_mass_g", hue="species", multiple="stack", bins=15)
    drawn = vk.plotted_data(ax)
    assert drawn.groupby("hue", sort=False)["start"].apply(tuple).nunique() == 1  # one set of bins
    last = drawn[drawn["hue"] == drawn["hue"].iloc[-1]]
    kept = penguins.dropna(subset=["body_mass_g", "species"])
    total, _ = np.histogram(kept["body_mass_g"], bins=15)
    np.testing.assert_allclose(last["top"], total)
    for level, rows in drawn.groupby("hue"):
        mine, _ = np.histogram(kept.loc[kept["species"] == level, "body_mass_g"], bins=drawn.attrs["edges"])
        np.testing.assert_array_equal(rows["count"], mine)
    assert _legend_texts(ax) == ["Gentoo", "Chinstrap", "Adelie"]  # levels sorted, listed as stacked: the top first


def test_hist_dodge_splits_each_bin_between_the_levels(penguins):
    drawn = vk.plotted_data(vk.hist(penguins, x="bill_depth_mm", hue="sex", multiple="dodge", bins=8))
    widths = drawn["right"] - drawn["left"]
    np.testing.assert_allclose(widths, (drawn["end"] - drawn["start"]) / 2)
    assert (drawn["left"] >= drawn["start"] - 1e-12).all() and (drawn["right"] <= drawn["end"] + 1e-12).all()
    assert (drawn["base"] == 0).all()


def test_hist_layer_draws_levels_half_transparent_and_steps_as_step_patches(penguins):
    from matplotlib.patches import StepPatch

    ax = vk.hist(penguins, x="flipper_length_mm", hue="species")
    assert {bar.get_alpha() for bar in ax.patches} == {0.5}
    plt.close("all")
    ax = vk.hist(penguins, x="flipper_length_mm", hue="species", element="step", multiple="stack")
    steps = [p for p in ax.patches if isinstance(p, StepPatch)]
    assert len(steps) == 6  # a faint fill and an outline per species
    colours = {to_hex(s.get_edgecolor()) for s in steps if s.get_linewidth() > 0}
    assert colours == {to_hex(c) for c in plt.rcParams["axes.prop_cycle"].by_key()["color"][:3]}  # the active cycle


def test_hist_along_y_draws_horizontal_bars(penguins):
    ax = vk.hist(penguins, y="body_mass_g", bins=5)
    counts, edges = np.histogram(penguins["body_mass_g"].dropna(), bins=5)
    np.testing.assert_allclose([bar.get_width() for bar in ax.patches], counts)
    np.testing.assert_allclose([bar.get_y() for bar in ax.patches], edges[:-1])
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("Body mass (g)", "Count")


def test_one_dimensional_data_is_the_values(penguins):
    ax = vk.hist(penguins["bill_depth_mm"], bins=6)
    counts, _ = np.histogram(penguins["bill_depth_mm"].dropna(), bins=6)
    np.testing.assert_array_equal(vk.plotted_data(ax)["count"], counts)
    assert ax.get_xlabel() == "Bill depth (mm)"
    plt.close("all")
    assert len(vk.plotted_data(vk.ecdf(np.array([3.0, 1.0, 2.0])))) == 3


def test_hist_display_computes_without_drawing(penguins):
    display = HistogramDisplay.from_data(penguins, x="bill_length_mm", bins=5)
    assert display.ax_ is None and display.n_ == 342 and display.dropped_ == 2
    assert len(display.edges_) == 6
    fig, ax = plt.subplots()
    assert display.plot(ax=ax).ax_ is ax and len(ax.patches) == 5


def test_hist_warns_about_values_outside_given_edges(penguins):
    with pytest.warns(UserWarning, match="outside the bin edges"):
        drawn = vk.plotted_data(vk.hist(penguins, x="flipper_length_mm", bins=[180, 200, 220]))
    assert drawn.attrs["outside"] == int(((penguins["flipper_length_mm"] < 180)
                                          | (penguins["flipper_length_mm"] > 220)).sum())


@pytest.mark.parametrize(("bins", "error", "match"), [
    (0, VizkitValueError, "`bins` must be a number of bins from 1"),
    ("freedman", VizkitValueError, "`bins` must be one of 'auto'"),
    ([3, 2, 1], VizkitValueError, "strictly increasing"),
    ([1.0], VizkitValueError, "at least two"),
    ([0, np.inf], VizkitValueError, "finite"),
    (2.5, VizkitTypeError, "`bins` must be a number of bins"),
    (True, VizkitTypeError, "`bins`"),
])
def test_hist_refuses_bad_bins(penguins, bins, error, match):
    fig, ax = plt.subplots()
    with pytest.raises(error, match=match):
        vk.hist(penguins, x="flipper_length_mm", bins=bins, ax=ax)
    assert not ax.patches  # a refused call draws nothing


def test_hist_refuses_a_rule_that_makes_too_many_bins():
    values = np.r_[np.linspace(0, 1, 1000), 1e9]  # "fd": bins as narrow as the bulk, over a huge range
    fig, ax = plt.subplots()
    with pytest.raises(VizkitValueError, match="which gives .* bins"):
        vk.hist(x=values, bins="fd", ax=ax)
    assert not ax.patches


def test_hist_errors_name_the_argument(penguins):
    with pytest.raises(VizkitTypeError, match="`x` must be numeric; got column 'species'"):
        vk.hist(penguins, x="species")
    with pytest.raises(ColumnNotFoundError, match="Did you mean 'body_mass_g'"):
        vk.hist(penguins, x="body_mass")
    with pytest.raises(VizkitValueError, match="`data` must be at least one row"):
        vk.hist(penguins.iloc[:0], x="body_mass_g")
    with pytest.raises(VizkitValueError, match="`data` must be at least one row"):
        vk.hist({"x": [np.nan, np.nan]}, x="x")
    with pytest.raises(VizkitValueError, match="`x` must be .* with `y` unset"):
        vk.hist(penguins, x="body_mass_g", y="bill_depth_mm")
    with pytest.raises(VizkitValueError, match="`stat` must be one of .* Did you mean 'density'"):
        vk.hist(penguins, x="body_mass_g", stat="densty")
    with pytest.raises(VizkitValueError, match="`multiple` must be one of"):
        vk.hist(penguins, x="body_mass_g", multiple="fill")
    with pytest.raises(VizkitValueError, match="`element` must be 'bars' with multiple='dodge'"):
        vk.hist(penguins, x="body_mass_g", hue="sex", multiple="dodge", element="step")
    with pytest.raises(VizkitValueError, match="`colour` .* Did you mean 'color'"):
        vk.hist(penguins, x="body_mass_g", colour="red")
    with pytest.raises(VizkitValueError, match="`color` must be unset when `hue` is set"):
        vk.hist(penguins, x="body_mass_g", hue="sex", color="red")
    with pytest.raises(VizkitValueError, match="`x` must be finite numbers"):
        vk.hist(x=[1.0, np.inf])


def test_a_refused_palette_leaves_the_axes_untouched(penguins):
    fig, ax = plt.subplots()
    with pytest.raises(VizkitError, match="`palette`"):
        vk.hist(penguins, x="body_mass_g", hue="species", palette={"Adelie": "red"}, ax=ax)
    assert not ax.patches and vk.plotted_data(ax).empty


# ---------------------------------------------------------------- kde


@pytest.mark.parametrize("bw_adjust", [0.5, 1.0, 2.0])
def test_kde_is_scipys_gaussian_kde(penguins, bw_adjust):
    ax = vk.kde(penguins, x="body_mass_g", bw_adjust=bw_adjust)
    drawn = vk.plotted_data(ax)
    values = penguins["body_mass_g"].dropna().to_numpy()
    reference = gaussian_kde(values, bw_method=gaussian_kde(values).factor * bw_adjust)
    np.testing.assert_allclose(drawn["density"], reference(drawn["value"]))
    bandwidth = drawn.attrs["bandwidth"][None]
    assert bandwidth == pytest.approx(np.sqrt(reference.covariance[0, 0]))
    assert drawn["value"].min() == pytest.approx(values.min() - 3 * bandwidth)  # cut=3 bandwidths past the data
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), drawn["density"])


def test_kde_cut_fill_and_hue_share_of_values(penguins):
    ax = vk.kde(penguins, x="flipper_length_mm", hue="species", cut=0, fill=True)
    drawn = vk.plotted_data(ax)
    kept = penguins.dropna(subset=["flipper_length_mm", "species"])
    for level, rows in drawn.groupby("hue"):
        values = kept.loc[kept["species"] == level, "flipper_length_mm"]
        assert rows["value"].min() == values.min() and rows["value"].max() == values.max()
        share = len(values) / len(kept)
        np.testing.assert_allclose(rows["density"], gaussian_kde(values)(rows["value"]) * share)
    assert len(ax.collections) == 3  # one fill per species
    assert _legend_texts(ax) == ["Adelie", "Chinstrap", "Gentoo"]  # levels sorted, as in every chart
    plt.close("all")
    own = vk.plotted_data(vk.kde(penguins, x="flipper_length_mm", hue="species", common_norm=False, cut=6))
    areas = own.groupby("hue").apply(lambda r: np.trapezoid(r["density"], r["value"]), include_groups=False)
    np.testing.assert_allclose(areas, 1.0, atol=1e-3)


def test_kde_skips_a_level_without_spread_and_says_so():
    data = pd.DataFrame({"v": [1.0, 2.0, 2.5, 3.0, 7.0, 7.0], "g": ["a", "a", "a", "a", "b", "b"]})
    with pytest.warns(UserWarning, match="`hue` level 'b' has fewer than 2 distinct values"):
        drawn = vk.plotted_data(vk.kde(data, x="v", hue="g"))
    assert set(drawn["hue"]) == {"a"} and drawn.attrs["skipped"] == ["b"]


def test_kde_errors_name_the_argument(penguins):
    with pytest.raises(VizkitValueError, match="`bw_adjust` must be a number > 0"):
        vk.kde(penguins, x="body_mass_g", bw_adjust=0)
    with pytest.raises(VizkitValueError, match="`cut` must be a number >= 0"):
        vk.kde(penguins, x="body_mass_g", cut=-1)
    with pytest.raises(VizkitTypeError, match="`fill` must be True or False"):
        vk.kde(penguins, x="body_mass_g", fill="yes")
    with pytest.raises(VizkitTypeError, match="`x` must be numeric"):
        vk.kde(penguins, x="island")


# ---------------------------------------------------------------- ecdf


def test_ecdf_is_the_sorted_cumulative_share(penguins):
    ax = vk.ecdf(penguins, x="bill_length_mm", hue="species")
    drawn = vk.plotted_data(ax)
    kept = penguins.dropna(subset=["bill_length_mm", "species"])
    for level, rows in drawn.groupby("hue"):
        values = np.sort(kept.loc[kept["species"] == level, "bill_length_mm"].to_numpy())
        at_or_below = np.searchsorted(values, rows["value"].to_numpy(), side="right") / len(values)
        np.testing.assert_allclose(rows["cumulative"], at_or_below)
        assert rows["cumulative"].iloc[-1] == 1.0
    assert [line.get_drawstyle() for line in ax.get_lines()] == ["steps-post"] * 3


def test_ecdf_count_and_complementary():
    values = [3.0, 1.0, 2.0, 2.0, np.nan]
    drawn = vk.plotted_data(vk.ecdf(x=values, stat="count"))
    assert drawn["cumulative"].tolist() == [1, 3, 4] and drawn.attrs["dropped"] == 1
    plt.close("all")
    ax = vk.ecdf(x=values, complementary=True)
    drawn = vk.plotted_data(ax)
    np.testing.assert_allclose(drawn["cumulative"], [0.75, 0.25, 0.0])
    assert ax.get_lines()[0].get_ydata()[0] == 1.0  # the curve starts from all of the values
    assert ax.get_ylabel() == "Proportion above"


def test_ecdf_along_y_and_errors(penguins):
    ax = vk.ecdf(penguins, y="body_mass_g", stat="percent")
    line = ax.get_lines()[0]
    assert line.get_xdata()[-1] == pytest.approx(100.0) and ax.get_xlabel() == "Percent"
    with pytest.raises(VizkitValueError, match="`stat` must be one of 'proportion', 'percent', 'count'"):
        vk.ecdf(penguins, x="body_mass_g", stat="density")
    with pytest.raises(VizkitTypeError, match="`complementary` must be True or False"):
        vk.ecdf(penguins, x="body_mass_g", complementary=1)


# ---------------------------------------------------------------- box


def test_box_numbers_are_numpys_percentiles(penguins):
    ax = vk.box(penguins, x="species", y="body_mass_g", hue="sex")
    drawn = vk.plotted_data(ax)
    kept = penguins.dropna(subset=["species", "body_mass_g", "sex"])
    assert drawn.attrs["dropped"] == len(penguins) - len(kept)
    for row in drawn.itertuples():
        values = kept.loc[(kept["species"] == row.group) & (kept["sex"] == row.hue), "body_mass_g"].to_numpy()
        q1, median, q3 = np.percentile(values, [25, 50, 75])
        assert (row.q1, row.median, row.q3, row.n) == (pytest.approx(q1), pytest.approx(median), pytest.approx(q3),
                                                        len(values))
        inside = values[(values >= q1 - 1.5 * (q3 - q1)) & (values <= q3 + 1.5 * (q3 - q1))]
        assert (row.whislo, row.whishi) == (inside.min(), inside.max())
        assert row.outliers == len(values) - len(inside)
    # two boxes per species, side by side around the species' tick
    assert drawn.groupby("group", sort=False)["position"].mean().tolist() == pytest.approx([0, 1, 2])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Adelie", "Gentoo", "Chinstrap"]
    assert _legend_texts(ax) == ["male", "female"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Species", "Body mass (g)")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # seaborn calls bxp(vert=...)
def test_box_matches_seaborn_quartiles(penguins):
    import seaborn as sns

    fig, ax = plt.subplots()
    sns.boxplot(penguins, x="island", y="bill_depth_mm", ax=ax)
    seaborn_medians = [line.get_ydata()[0] for line in ax.lines[4::6]]  # seaborn draws 6 lines per box, median 5th
    drawn = vk.plotted_data(vk.box(penguins, x="island", y="bill_depth_mm", ax=plt.subplots()[1]))
    np.testing.assert_allclose(sorted(drawn["median"]), sorted(seaborn_medians))


def test_box_orientation_follows_the_numeric_variable(penguins):
    ax = vk.box(penguins, x="body_mass_g", y="island")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Torgersen", "Biscoe", "Dream"]
    assert ax.yaxis_inverted() and ax.get_xlabel() == "Body mass (g)"
    plt.close("all")
    years = pd.DataFrame({"year": [2007] * 5 + [2008] * 5, "mass": np.arange(10.0)})
    drawn = vk.plotted_data(vk.box(years, x="year", y="mass"))  # both numeric: x holds the categories
    assert drawn["group"].tolist() == [2007, 2008]
    plt.close("all")
    single = vk.plotted_data(vk.box(penguins, y="flipper_length_mm"))
    assert len(single) == 1 and "group" not in single
    plt.close("all")
    forced = vk.plotted_data(vk.box(years, x="year", y="mass", orient="h"))
    assert forced["group"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]


def test_box_errors_name_the_argument(penguins):
    with pytest.raises(VizkitTypeError, match="`y` must be numeric; got column 'island'"):
        vk.box(penguins, x="species", y="island")
    with pytest.raises(VizkitValueError, match="`orient` must be one of"):
        vk.box(penguins, x="species", y="body_mass_g", orient="diagonal")
    with pytest.raises(VizkitValueError, match="`whis` must be a number >= 0"):
        vk.box(penguins, x="species", y="body_mass_g", whis=-1)
    with pytest.raises(VizkitValueError, match="`y` must be a column or vector of numbers"):
        vk.box(penguins)


# ---------------------------------------------------------------- violin


def test_violin_densities_are_scipys_and_quartiles_numpys(penguins):
    ax = vk.violin(penguins, x="species", y="flipper_length_mm")
    drawn = vk.plotted_data(ax)
    curves = drawn.attrs["curves"]
    kept = penguins.dropna(subset=["flipper_length_mm"])
    for i, row in enumerate(drawn.itertuples()):
        values = kept.loc[kept["species"] == row.group, "flipper_length_mm"].to_numpy()
        outline = curves[curves["violin"] == i]
        kde = gaussian_kde(values)
        np.testing.assert_allclose(outline["density"], kde(outline["value"]))
        assert outline["value"].min() == pytest.approx(values.min() - 2 * row.bandwidth)  # cut=2
        np.testing.assert_allclose([row.q1, row.median, row.q3], np.percentile(values, [25, 50, 75]))
    # density_norm="area": one scale for every violin, the most peaked one fills its slot
    ratio = curves["half_width"] / curves["density"]
    np.testing.assert_allclose(ratio, ratio.iloc[0])
    assert curves["half_width"].max() * 2 == pytest.approx(drawn["width"].iloc[0])


def test_violin_width_norm_and_hue(penguins):
    drawn = vk.plotted_data(vk.violin(penguins, x="island", y="bill_length_mm", hue="sex", density_norm="width",
                                      inner="quart"))
    widest = drawn.attrs["curves"].groupby("violin")["half_width"].max()
    np.testing.assert_allclose(widest * 2, drawn["width"])
    assert len(drawn) == 6 and set(drawn["hue"]) == {"male", "female"}


def test_violin_errors(penguins):
    with pytest.raises(VizkitValueError, match="`density_norm` must be one of 'area', 'width', 'count'"):
        vk.violin(penguins, x="species", y="body_mass_g", density_norm="max")
    with pytest.raises(VizkitValueError, match="`inner` must be one of"):
        vk.violin(penguins, x="species", y="body_mass_g", inner="points")
    with pytest.raises(VizkitValueError, match="at least one category with 2 distinct values"), \
            pytest.warns(UserWarning, match="the violin of 'a' has fewer than 2 distinct values"):
        vk.violin({"g": ["a", "b"], "v": [1.0, 2.0]}, x="g", y="v")


def test_text_from_data_is_never_math_and_value_ticks_group_thousands(penguins):
    data = penguins.rename(columns={"body_mass_g": "mass $ (g) $"}).assign(
        species=penguins["species"].map({"Adelie": "$A$", "Gentoo": "Gentoo", "Chinstrap": "Chinstrap"}))
    for chart in (vk.box, vk.violin):
        fig, ax = plt.subplots()
        chart(data, x="species", y="mass $ (g) $", hue="sex", ax=ax)
        fig.canvas.draw()
        assert ax.get_ylabel() == r"mass \$ (g) \$" and ax.get_xticklabels()[0].get_text() == r"\$A\$"
        assert any("," in t.get_text() for t in ax.get_yticklabels())  # 3,000 as the value labels write it
        plt.close(fig)
    ax = vk.hist(data, x="mass $ (g) $", hue="species")
    assert r"\$A\$" in _legend_texts(ax)


# ---------------------------------------------------------------- ridgeline


def test_ridgeline_one_density_per_ordered_level(weather):
    ax = vk.ridgeline(weather, x="temp_max", by="month")
    drawn = vk.plotted_data(ax)
    assert drawn["by"].unique().tolist() == list(range(1, 13))
    assert drawn.groupby("by")["baseline"].first().tolist() == list(range(11, -1, -1))  # January on top
    for month, rows in drawn.groupby("by"):
        values = weather.loc[weather["month"] == month, "temp_max"]
        np.testing.assert_allclose(rows["density"], gaussian_kde(values)(rows["value"]))
        np.testing.assert_allclose(rows["top"], rows["baseline"] + rows["density"] * drawn.attrs["scale"])
    # one scale: the tallest ridge reaches 1 + overlap spacings above its baseline
    assert (drawn["top"] - drawn["baseline"]).max() == pytest.approx(2.0)
    ticks = dict(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True))
    assert ticks == {11 - i: str(i + 1) for i in range(12)}  # each ridge labelled at its baseline


def test_ridgeline_colours_follow_the_order_dark_to_light_reversed(weather):
    ax = vk.ridgeline(weather, x="temp_max", by="month")
    fills = [c for c in ax.collections]
    lightness = [sum(to_rgb(c.get_facecolor()[0])) for c in fills]
    assert lightness == sorted(lightness, reverse=True)  # a sequential ramp: the first level lightest


@pytest.mark.parametrize("style", ["vizkit", "dark"])
def test_ridgeline_every_ridge_stands_out_from_the_face(weather, style):
    with vk.theme(style):
        fig, ax = plt.subplots()
        vk.ridgeline(weather, x="temp_max", by="month", ax=ax)
    face = to_rgb(ax.get_facecolor())
    ratios = [vk.contrast_ratio(to_rgb(c.get_facecolor()[0]), face) for c in ax.collections]
    assert min(ratios) >= 3.0
    assert ratios == sorted(ratios)  # ordered levels, ordered colours: each further from the face than the last


def test_ridgeline_hist_and_categorical_order(weather):
    names = pd.to_datetime(weather["date"]).dt.month_name().str[:3]
    data = weather[names.isin(["Dec", "Jun", "Jan"])].assign(
        name=lambda d: pd.Categorical(names[d.index], categories=["Dec", "Jun", "Jan"]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every level has values: nothing to warn about
        drawn = vk.plotted_data(vk.ridgeline(data, x="temp_min", by="name", kind="hist", bins=10))
    assert drawn["by"].unique().tolist() == ["Dec", "Jun", "Jan"]  # the Categorical's order, top to bottom
    shared = np.histogram_bin_edges(data.loc[data["name"].notna(), "temp_min"], bins=10)
    for level, rows in drawn.groupby("by", sort=False):
        values = data.loc[data["name"] == level, "temp_min"]
        density, edges = np.histogram(values, bins=shared, density=True)
        np.testing.assert_allclose(rows["density"], density)
        np.testing.assert_allclose(rows["value"], edges[:-1])


def test_ridgeline_labels_every_kth_level_past_twenty():
    rng = np.random.default_rng(1)
    data = pd.DataFrame({"epoch": np.repeat(np.arange(60), 50), "weight": rng.normal(size=3000)})
    ax = vk.ridgeline(data, x="weight", by="epoch", overlap=2)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 20 and labels[:3] == ["0", "3", "6"]


def test_ridgeline_errors(weather):
    with pytest.raises(VizkitValueError, match="`kind` must be one of 'kde', 'hist'"):
        vk.ridgeline(weather, x="temp_max", by="month", kind="violin")
    with pytest.raises(VizkitValueError, match="`overlap` must be a number >= 0"):
        vk.ridgeline(weather, x="temp_max", by="month", overlap=-1)
    with pytest.raises(VizkitValueError, match="`by` must be a variable with at most 200 levels"):
        vk.ridgeline(weather, x="temp_max", by="date")
    with pytest.raises(VizkitTypeError, match="`x` must be numeric"):
        vk.ridgeline(weather, x="weather", by="month")
    with pytest.raises(ColumnNotFoundError, match="`by` names a column"):
        vk.ridgeline(weather, x="temp_max", by="mnth")


@pytest.mark.parametrize(("name", "kwargs"), [
    ("KDEDisplay", {"x": "body_mass_g", "hue": "species"}),
    ("ECDFDisplay", {"x": "body_mass_g"}),
    ("BoxDisplay", {"x": "species", "y": "body_mass_g"}),
    ("ViolinDisplay", {"x": "species", "y": "body_mass_g"}),
    ("RidgelineDisplay", {"x": "body_mass_g", "by": "island"}),
])
def test_every_distribution_display_computes_first_and_draws_on_request(penguins, name, kwargs):
    from vizkit.charts import distributions

    display = getattr(distributions, name).from_data(penguins, **kwargs)
    assert display.ax_ is None and not plt.get_fignums()  # computing draws nothing
    fig, ax = plt.subplots()
    assert display.plot(ax=ax) is display and display.ax_ is ax and display.artists_
    pd.testing.assert_frame_equal(vk.plotted_data(ax), display.table)
