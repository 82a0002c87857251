"""vk.scatter: points, hue/size/style channels, one legend, highlight, density views, trends, stats, bad input."""

import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import same_color, to_rgba
from matplotlib.contour import ContourSet
from matplotlib.legend import Legend
from scipy import stats as scipy_stats

import vizkit as vk
from tests.fuzzing import fuzz_settings
from vizkit._core.semantics import MAX_HUE_LEVELS
from vizkit.charts.scatter import scatterplot as scatterplots
from vizkit.errors import (
    ColumnNotFoundError,
    VizkitError,
    VizkitTypeError,
    VizkitValueError,
)

FUZZ_EXAMPLES = 300
LEVEL_EXAMPLES = 18
KWS_EXAMPLES = 80


@pytest.fixture
def penguins():
    return vk.load_dataset("penguins")


def points(ax) -> list[PathCollection]:
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def offsets(ax) -> np.ndarray:
    return np.concatenate([np.asarray(c.get_offsets()) for c in points(ax)])


def legend_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def complete(penguins, *columns):
    return penguins.dropna(subset=list(columns))


# ---------------------------------------------------------------------------- points and the drawn table


def test_draws_every_complete_row_once_with_column_names_as_labels(penguins):
    ax = vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g")
    expected = complete(penguins, "flipper_length_mm", "body_mass_g")
    np.testing.assert_array_equal(offsets(ax), expected[["flipper_length_mm", "body_mass_g"]].to_numpy())
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Flipper length (mm)", "Body mass (g)")
    drawn = vk.plotted_data(ax)
    assert drawn.index.tolist() == expected.index.tolist()  # positions of the drawn rows in `data`
    assert drawn.attrs["dropped"] == len(penguins) - len(expected) == 2
    assert ax.get_legend() is None


def test_rows_missing_any_channel_are_dropped(penguins):
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", style="sex")
    expected = complete(penguins, "bill_length_mm", "bill_depth_mm", "sex")
    assert len(vk.plotted_data(ax)) == len(offsets(ax)) == len(expected) == 333


def test_vectors_without_data():
    ax = vk.scatter(x=pd.Series([1.0, 2.0, 3.0], name="epoch"), y=[0.9, 0.5, 0.4])
    assert ax.get_xlabel() == "Epoch" and ax.get_ylabel() == ""
    np.testing.assert_array_equal(offsets(ax), [[1, 0.9], [2, 0.5], [3, 0.4]])


def test_without_hue_points_take_the_first_colour_of_the_cycle(penguins):
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm")
    first = plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
    assert same_color(points(ax)[0].get_facecolors()[0], first)
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", color="black", ax=plt.figure().subplots())
    assert same_color(points(ax)[0].get_facecolors()[0], "black")


def test_an_unfilled_marker_keeps_its_stroke_and_shows_in_the_legend(penguins):
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", marker="x")
    assert points(ax)[0].get_linewidths()[0] > 0
    handles = ax.get_legend().legend_handles
    assert [h.get_marker() for h in handles] == ["x"] * 3 and handles[0].get_markeredgewidth() > 0


# ---------------------------------------------------------------------------- hue


def test_categorical_hue_colours_every_point_by_its_level_in_one_call(penguins):
    ax = vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g", hue="species")
    (collection,) = points(ax)  # one ax.scatter call with an array of colours
    drawn = vk.plotted_data(ax)
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    expected = drawn["hue"].map({"Adelie": cycle[0], "Chinstrap": cycle[1], "Gentoo": cycle[2]})  # sorted levels
    faces = collection.get_facecolors()
    assert len(faces) == len(drawn) == 342
    assert all(same_color(face, color) for face, color in zip(faces, expected, strict=True))
    assert all(same_color(face[:3], hexcolor) for face, hexcolor in zip(faces, drawn["color"], strict=True))
    assert legend_texts(ax) == ["Adelie", "Chinstrap", "Gentoo"]
    assert ax.get_legend().get_title().get_text() == "Species"


def test_hue_palette_as_a_name_a_list_and_a_dict(penguins):
    for palette, adelie in [("okabe_ito", vk.palette("okabe_ito")[0]), (["red", "green", "blue"], "red"),
                            ({"Adelie": "black", "Gentoo": "red", "Chinstrap": "blue"}, "black")]:
        ax = vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g", hue="species", palette=palette,
                        ax=plt.figure().subplots())
        drawn = vk.plotted_data(ax)
        face = points(ax)[0].get_facecolors()[np.flatnonzero(drawn["hue"].to_numpy() == "Adelie")[0]]
        assert same_color(face, adelie)


def test_numeric_hue_uses_a_sequential_colormap(penguins):
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="body_mass_g")
    (collection,) = points(ax)
    drawn = vk.plotted_data(ax)
    np.testing.assert_array_equal(collection.get_array(), drawn["hue"].to_numpy(dtype=float))
    assert collection.get_cmap().name == "vizkit_seq[light face]"  # from 3:1 against white up: none vanishes
    assert vk.contrast_ratio(collection.get_cmap()(0.0), "white") >= 3
    assert collection.norm.vmin == drawn["hue"].min() and collection.norm.vmax == drawn["hue"].max()
    collection.update_scalarmappable()
    values = drawn["hue"].to_numpy(dtype=float)
    ramp = vk.colors.sequential_ramp("white")
    for row, at in [(values.argmin(), 0.0), (values.argmax(), 1.0)]:
        assert np.allclose(collection.get_facecolors()[row], ramp(at), atol=0.01)
        assert np.allclose(to_rgba(drawn["color"].iloc[row]), collection.get_facecolors()[row], atol=1 / 255)
    assert ax.get_legend() is None  # a colour bar, not a few legend dots (issue 12 §2)
    (cax,) = ax.child_axes
    assert cax._colorbar.norm is collection.norm and cax.get_ylabel() == "Body mass (g)"
    assert cax.get_ylim() == pytest.approx((values.min(), values.max()))
    viridis = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="body_mass_g", palette="viridis",
                         ax=plt.figure().subplots())
    assert points(viridis)[0].get_cmap().name == "viridis"


# ---------------------------------------------------------------------------- size and style


def test_numeric_size_areas_grow_with_the_value_within_the_documented_range(penguins):
    ax = vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g", size="bill_length_mm")
    drawn = vk.plotted_data(ax)
    sizes = points(ax)[0].get_sizes()
    np.testing.assert_array_equal(sizes, drawn["area"])
    order = np.argsort(drawn["size"].to_numpy(dtype=float), kind="stable")
    assert np.all(np.diff(sizes[order]) >= 0)
    assert (sizes.min(), sizes.max()) == pytest.approx(scatterplots.SIZE_RANGE)
    assert legend_texts(ax) == ["40", "48", "56"]


def test_categorical_size_grows_in_level_order():
    df = pd.DataFrame({"x": range(6), "y": range(6),
                       "n": pd.Categorical(["s", "m", "l"] * 2, categories=["s", "m", "l"], ordered=True)})
    ax = vk.scatter(df, x="x", y="y", size="n")
    drawn = vk.plotted_data(ax)
    by_level = drawn.groupby("size", observed=True)["area"].first()
    assert by_level["s"] < by_level["m"] < by_level["l"]
    assert legend_texts(ax) == ["s", "m", "l"]


def test_style_gives_each_level_its_own_marker_in_one_call_per_level(penguins):
    ax = vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g", hue="species", style="island")
    collections = points(ax)
    assert len(collections) == 3  # Torgersen, Biscoe, Dream
    shapes = {tuple(map(tuple, c.get_paths()[0].vertices.round(6))) for c in collections}
    assert len(shapes) == 3
    drawn = vk.plotted_data(ax)
    assert drawn.groupby("style")["marker"].nunique().eq(1).all() and drawn["marker"].nunique() == 3


def test_one_legend_with_a_titled_section_per_channel_outside_the_axes(penguins):
    ax = vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g", hue="species", size="bill_length_mm",
                    style="sex")
    texts = legend_texts(ax)
    assert texts == ["Species", "Adelie", "Chinstrap", "Gentoo", "Bill length (mm)", "40", "48", "56",
                     "Sex", "male", "female"]
    assert [c for c in ax.get_children() if isinstance(c, Legend)] == [ax.get_legend()]
    assert not ax.figure.legends
    ax.figure.canvas.draw()
    legend_box = ax.get_legend().get_window_extent()
    assert legend_box.x0 >= ax.get_window_extent().x1  # outside right: it covers no point


# ---------------------------------------------------------------------------- highlight


def test_highlight_greys_the_rest_and_draws_the_focus_on_top(penguins):
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", highlight="Gentoo")
    grey, focus = points(ax)
    assert all(same_color(face, vk.colors.GREY) for face in grey.get_facecolors())
    assert all(same_color(face, plt.rcParams["axes.prop_cycle"].by_key()["color"][2])  # Gentoo's own colour
               for face in focus.get_facecolors())
    assert focus.get_zorder() > grey.get_zorder()
    assert ax.collections.index(focus) > ax.collections.index(grey)
    assert len(focus.get_offsets()) == (complete(penguins, "bill_length_mm")["species"] == "Gentoo").sum()
    assert legend_texts(ax) == ["Gentoo", "other"]


def test_highlight_needs_hue_and_an_existing_level(penguins):
    with pytest.raises(VizkitValueError, match=r"`highlight` must be None when `hue` is not given"):
        vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", highlight="Gentoo")
    with pytest.raises(VizkitValueError, match=r"`highlight` must be levels among.*got 'Gentu'.*Did you mean 'Gentoo'"):
        vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", highlight="Gentu")


# ---------------------------------------------------------------------------- density


def _cloud(n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame({"x": x, "y": x + rng.normal(size=n), "g": rng.choice(["a", "b"], n)})


def _airports():
    from vega_datasets import data

    return data.airports()


def test_auto_density_reads_overlap_not_the_count():
    """3 376 airports pile up in the United States; 3 000 points spread over the Axes do not."""
    airports = _airports()
    assert len(airports) == 3376
    ax = vk.scatter(airports, x="longitude", y="latitude", density="auto", ax=plt.figure().subplots())
    drawn = vk.plotted_data(ax)
    assert drawn.attrs["density"] in ("alpha", "hexbin")
    if drawn.attrs["density"] == "alpha":  # the count alone gave (2000 / 3376) ** 0.8 = 0.66
        assert drawn.attrs["alpha"] < 0.2 and points(ax)[0].get_alpha() == drawn.attrs["alpha"]
    # the same airports on a small panel stack deeper: counts per hexagon
    ax = vk.scatter(airports, x="longitude", y="latitude", density="auto",
                    ax=plt.figure(figsize=(4, 3)).subplots())
    assert vk.plotted_data(ax).attrs["density"] == "hexbin" and len(ax.collections) == 1
    # a hue keeps points (a hexbin cannot show groups), translucent as deep as they stack
    ax = vk.scatter(airports, x="longitude", y="latitude", hue=airports["state"] == "AK", density="auto",
                    ax=plt.figure(figsize=(4, 3)).subplots())
    assert vk.plotted_data(ax).attrs["density"] == "alpha" and vk.plotted_data(ax).attrs["alpha"] < 0.1
    # a sparse spread of 3 000 points (a jittered survey grid) keeps opaque points with their outline
    rng = np.random.default_rng(0)
    grid = np.mgrid[0:60, 0:50].reshape(2, -1).T + rng.uniform(-0.2, 0.2, size=(3000, 2))
    sparse = pd.DataFrame(grid, columns=["east", "north"])
    ax = vk.scatter(sparse, x="east", y="north", density="auto", ax=plt.figure(figsize=(10, 8)).subplots())
    drawn = vk.plotted_data(ax)
    assert drawn.attrs["density"] == "points" and drawn.attrs["alpha"] is None and len(drawn) == 3000
    assert points(ax)[0].get_alpha() is None
    # the same 3 000 points squeezed into one corner of the data range overlap: translucent
    squeezed = pd.concat([sparse / 100, pd.DataFrame({"east": [60.0], "north": [50.0]})], ignore_index=True)
    ax = vk.scatter(squeezed, x="east", y="north", density="auto", ax=plt.figure(figsize=(10, 8)).subplots())
    assert vk.plotted_data(ax).attrs["density"] in ("alpha", "hexbin")
    plt.close("all")


def test_auto_density_past_the_hexbin_count_and_with_a_hue():
    hi = scatterplots.HEXBIN_ABOVE
    ax = vk.scatter(_cloud(hi + 1), x="x", y="y", density="auto", ax=plt.figure().subplots())
    assert vk.plotted_data(ax).attrs["density"] == "hexbin"
    ax = vk.scatter(_cloud(hi * 3), x="x", y="y", hue="g", density="auto", ax=plt.figure().subplots())
    assert vk.plotted_data(ax).attrs["density"] == "alpha" and points(ax)[0].get_alpha() == scatterplots.MIN_ALPHA
    ax = vk.scatter(_cloud(10), x="x", y="y", density="auto", ax=plt.figure().subplots())
    assert vk.plotted_data(ax).attrs["density"] == "points"
    plt.close("all")


def test_hexbin_counts_every_point_and_has_a_colorbar():
    df = _cloud(3000)
    ax = vk.scatter(df, x="x", y="y", density="hexbin")
    (cells,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert cells.get_array().sum() == len(df)
    assert not points(ax)
    colorbars = [a for a in ax.figure.axes if a is not ax]
    assert len(colorbars) == 1 and colorbars[0].get_ylabel() == "points per hexagon"
    with pytest.raises(VizkitValueError, match=r"`density` must be None, 'kde' or 'auto' when `hue`"):
        vk.scatter(df, x="x", y="y", hue="g", density="hexbin")
    ax = vk.scatter(df, x="x", y="y", density="hexbin", gridsize=20, edgecolor="white", linewidth=0.5,
                    ax=plt.figure().subplots())  # keywords go to ax.hexbin under its own names
    (cells,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert same_color(cells.get_edgecolor()[0], "white") and cells.get_linewidth()[0] == 0.5


def test_kde_draws_filled_density_contours_over_faint_points():
    df = _cloud(800)
    ax = vk.scatter(df, x="x", y="y", density="kde")
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert contours.filled and len(contours.levels) >= 5
    assert contours.get_zorder() > points(ax)[0].get_zorder()
    assert points(ax)[0].get_alpha() == scatterplots.KDE_POINT_ALPHA
    assert vk.plotted_data(ax).attrs["density"] == "kde"


def test_kde_with_hue_draws_contour_lines_per_level_in_its_colour():
    ax = vk.scatter(_cloud(600), x="x", y="y", hue="g", density="kde")
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert len(contours) == 2 and not any(c.filled for c in contours)
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    assert same_color(contours[0].get_edgecolor()[0], cycle[0]) and same_color(contours[1].get_edgecolor()[0], cycle[1])


# ---------------------------------------------------------------------------- trends


def test_ols_line_equals_polyfit_and_its_band_is_the_confidence_band_of_the_mean(penguins):
    import statsmodels.api as sm

    ax = vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g", trend="ols")
    (line,) = ax.get_lines()
    data = complete(penguins, "flipper_length_mm", "body_mass_g")
    x, y = data["flipper_length_mm"].to_numpy(), data["body_mass_g"].to_numpy()
    lx, ly = line.get_xdata(), line.get_ydata()
    np.testing.assert_allclose(ly, np.polyval(np.polyfit(x, y, 1), lx))
    (band,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    inner = np.column_stack([lx, ly])[1:-1]
    assert band.get_paths()[0].contains_points(inner).all()  # the band contains the line
    reference = sm.OLS(y, sm.add_constant(x)).fit().get_prediction(sm.add_constant(lx)).conf_int(alpha=0.05)
    vertices = band.get_paths()[0].vertices
    for (low, high), x0 in zip(reference[::33], lx[::33], strict=True):
        at = vertices[np.isclose(vertices[:, 0], x0), 1]
        assert at.min() == pytest.approx(low) and at.max() == pytest.approx(high)


def test_one_trend_per_hue_level_in_its_colour(penguins):
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", trend="ols")
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    assert [line.get_color() for line in ax.get_lines()] == [to_rgba(c)[:3] for c in cycle[:3]]
    for line, species in zip(ax.get_lines(), ["Adelie", "Chinstrap", "Gentoo"], strict=True):
        group = complete(penguins[penguins["species"] == species], "bill_length_mm", "bill_depth_mm")
        slope = np.polyfit(group["bill_length_mm"], group["bill_depth_mm"], 1)[0]
        assert np.polyfit(line.get_xdata(), line.get_ydata(), 1)[0] == pytest.approx(slope)


def test_highlight_keeps_trends_of_the_focus_levels_only(penguins):
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", highlight="Gentoo",
                    trend="lowess")
    assert len(ax.get_lines()) == 1


def test_lowess_equals_statsmodels(penguins):
    from statsmodels.nonparametric.smoothers_lowess import lowess

    ax = vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g", trend="lowess")
    data = complete(penguins, "flipper_length_mm", "body_mass_g")
    x, y = data["flipper_length_mm"].to_numpy(), data["body_mass_g"].to_numpy()
    expected = lowess(y, x, frac=2 / 3, it=3, delta=0.01 * np.ptp(x))
    (line,) = ax.get_lines()
    np.testing.assert_allclose(np.column_stack([line.get_xdata(), line.get_ydata()]), expected)
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]  # no band for lowess


# ---------------------------------------------------------------------------- stats


def _box_covers(ax, text) -> int:
    ax.figure.canvas.draw()
    box = text.get_bbox_patch().get_window_extent()
    return box.count_contains(ax.transData.transform(offsets(ax)))


@pytest.mark.parametrize("method, reference, name", [("pearson", scipy_stats.pearsonr, "Pearson r"),
                                                     ("spearman", scipy_stats.spearmanr, "Spearman ρ")])
def test_stats_equal_scipy_and_the_box_covers_no_point(penguins, method, reference, name):
    ax = vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g", hue="species", stats=method)
    data = complete(penguins, "flipper_length_mm", "body_mass_g")
    expected = reference(data["flipper_length_mm"], data["body_mass_g"])
    result = vk.plotted_data(ax).attrs["stats"]
    assert result["r"] == pytest.approx(expected.statistic, rel=1e-12)
    assert result["p"] == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)
    assert result["n"] == len(data) == 342
    (text,) = ax.texts
    assert text.get_text() == f"Pooled {name} = {expected.statistic:.2f}, p < 0.001, n = 342"  # over 3 species
    assert _box_covers(ax, text) == 0 and result["covered"] == 0


def test_the_box_goes_to_the_free_corner():
    x = np.linspace(0, 1, 200)
    ax = vk.scatter(x=x, y=x, stats="pearson")  # the diagonal leaves upper left and lower right free
    assert vk.plotted_data(ax).attrs["stats"]["corner"] == "upper left"
    ax = vk.scatter(x=x, y=x[::-1], stats="pearson", ax=plt.figure().subplots())  # upper left is full
    assert vk.plotted_data(ax).attrs["stats"]["corner"] == "upper right"
    assert _box_covers(ax, ax.texts[0]) == 0


def test_when_every_corner_is_covered_the_y_axis_makes_room(rng):
    x, y = rng.uniform(size=3000), rng.uniform(size=3000)
    ax = vk.scatter(x=x, y=y, stats="spearman")
    result = vk.plotted_data(ax).attrs["stats"]
    assert result["corner"].startswith("upper") and result["covered"] == 0
    assert ax.get_ylim()[1] > y.max() + 0.05
    assert _box_covers(ax, ax.texts[0]) == 0
    assert ax.texts[0].get_text().startswith("Spearman ρ = ") and ax.texts[0].get_text().endswith("n = 3,000")


def test_stats_of_too_few_or_constant_points_say_undefined():
    ax = vk.scatter(x=[1.0, 2.0, 3.0], y=[5.0, 5.0, 5.0], stats="pearson")
    assert ax.texts[0].get_text() == "Pearson r undefined, n = 3"
    assert math.isnan(vk.plotted_data(ax).attrs["stats"]["r"])


# ---------------------------------------------------------------------------- empty data and errors


def test_empty_data_gives_empty_labelled_axes_and_a_warning():
    with pytest.warns(UserWarning, match="scatter has nothing to draw: `data` has no rows"):
        ax = vk.scatter(pd.DataFrame({"a": [], "b": []}), x="a", y="b", hue="a", trend="ols", stats="pearson")
    assert not points(ax) and vk.plotted_data(ax).empty and ax.get_xlabel() == "A"
    assert ax.texts[0].get_text() == "Pearson r undefined, n = 0"
    with pytest.warns(UserWarning, match="all 2 rows have a missing x, y, hue, size or style"):
        ax = vk.scatter({"a": [1.0, np.nan], "b": [np.nan, 2.0]}, x="a", y="b", ax=plt.figure().subplots())
    assert not points(ax)


def test_an_all_missing_hue_level_gets_no_legend_entry():
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, 2.0, np.nan, np.nan], "h": ["a", "a", "b", "b"]})
    ax = vk.scatter(df, x="x", y="y", hue="h")
    assert legend_texts(ax) == ["a"] and len(offsets(ax)) == 2


def test_bad_input_names_the_argument(penguins):
    cases = [
        ({"x": "flipper_length", "y": "body_mass_g"}, ColumnNotFoundError,
         r"`x` names a column that is not in `data`: 'flipper_length'.*Did you mean 'flipper_length_mm'"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "hue": "specie"}, ColumnNotFoundError, r"`hue`.*Did you mean 'species'"),
        ({"x": "species", "y": "body_mass_g", "trend": "ols"}, VizkitValueError,
         r"`trend` must be None when `x` holds categories \('species' has levels"),
        ({"x": "bill_length_mm", "y": "body_mass_g", "jitter": True}, VizkitValueError,
         r"`jitter` must be None unless `x` or `y` holds categories"),
        ({"x": "bill_length_mm", "y": "body_mass_g", "sizes": (10, 100)}, VizkitValueError,
         r"`sizes` must be None when `size` is not given"),
        ({"x": "bill_length_mm", "y": "body_mass_g", "size": "body_mass_g", "sizes": (100, 10)}, VizkitValueError,
         r"`sizes` must be a number >= 100"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "size": "species", "style": "year", "density": "kde",
              "trend": "OLS"}, VizkitValueError, r"`trend` must be one of None, 'ols', 'lowess'; got 'OLS'.*Did you mean 'ols'"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "density": "hex"}, VizkitValueError, r"`density` must be one of"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "stats": "kendall"}, VizkitValueError, r"`stats` must be one of"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "hue": "body_mass_g", "density": "kde"}, VizkitValueError,
         r"`density` must be None, 'hexbin' or 'auto' with a numeric `hue`"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "hue": "species", "color": "red"}, VizkitValueError,
         r"`color` must be unset when `hue` is given"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "size": "year", "s": 20}, VizkitValueError, r"`s` must be unset when `size`"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "style": "sex", "marker": "x"}, VizkitValueError,
         r"`marker` must be unset when `style`"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "c": "red"}, VizkitValueError, r"`c` must be unset"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "hue": "species", "palette": "virdis"}, VizkitValueError,
         r"`palette` must be a vizkit palette.*Did you mean 'viridis'"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "hue": "body_mass_g", "palette": 3}, VizkitTypeError, r"`palette` must be"),
        ({"x": "flipper_length_mm", "y": "body_mass_g", "alpha": 2}, VizkitValueError, r"`alpha` must be a number >= 0 and <= 1"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            vk.scatter(penguins, **kwargs)
    with pytest.raises(VizkitValueError, match=r"`y` must be finite numbers.*inf at row 1"):
        vk.scatter({"a": [1, 2], "b": [0.0, np.inf]}, x="a", y="b")
    with pytest.raises(VizkitTypeError, match=r"`ax` must be a Matplotlib Axes"):
        vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", ax="left")


# ---------------------------------------------------------------------------- fuzzing


VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6),
                   st.text(alphabet="abcxyz", max_size=2), st.none(), st.booleans())
COLUMNS = {
    "num": st.floats(-1e6, 1e6),
    "nan": st.one_of(st.floats(-100, 100), st.just(math.nan)),
    "inf": st.one_of(st.floats(-100, 100), st.sampled_from([math.inf, -math.inf])),
    "int": st.integers(-5, 5),
    "huge": st.floats(allow_nan=False, allow_infinity=False),
    "cat": st.one_of(st.sampled_from(list("pqr")), st.none()),
    "bool": st.booleans(),
    "mixed": VALUES,
    "allnan": st.just(math.nan),
}
frames = st.integers(0, 12).flatmap(lambda n: st.fixed_dictionaries(
    {name: st.lists(values, min_size=n, max_size=n) for name, values in COLUMNS.items()}))
NAMES = list(COLUMNS) + ["nmu", "Cat"]  # the last two are misspelt


def _numeric_column(values: pd.Series) -> bool:
    if values.dtype == object and values.notna().any():
        values = values.infer_objects()
    return pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)


def _category_column(values: pd.Series) -> bool:
    """Levels on an axis: booleans, or only strings and booleans (missing values aside)."""
    present = values.dropna()
    return pd.api.types.is_bool_dtype(values.dtype) or (
        len(present) > 0 and all(isinstance(v, (str, bool, np.bool_)) for v in present))


def _expected_rows(df, roles) -> int | None:
    """Rows a correct chart draws, or None where the input must be refused."""
    keep = pd.Series(True, index=df.index)
    for role, column in roles.items():
        if column is None:
            continue
        values = df[column]
        if role in ("x", "y") and _category_column(values):
            keep &= values.notna()
        elif role in ("x", "y") or (role in ("hue", "size") and _numeric_column(values)):
            if not _numeric_column(values) and values.notna().any():
                return None  # strings, booleans or a mix where numbers belong
            numbers = pd.to_numeric(values, errors="coerce").astype(float)
            if np.isinf(numbers).any() or (numbers.abs() > 1e300).any():  # every numeric role, hue and size too
                return None
            keep &= numbers.notna()
        else:
            keep &= values.notna()
    return int(keep.sum())


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")
@fuzz_settings(FUZZ_EXAMPLES)
@given(frame=frames, x=st.sampled_from(NAMES), y=st.sampled_from(["num", "nan", "int", "mixed", "inf", "huge"]),
       hue=st.sampled_from([None, "cat", "int", "nan", "bool", "mixed", "allnan", "Cat"]),
       size=st.sampled_from([None, "num", "cat", "inf"]), style=st.sampled_from([None, "cat", "bool"]),
       density=st.sampled_from([None, "auto", "kde"]), trend=st.sampled_from([None, "ols", "lowess"]),
       stats=st.sampled_from([None, "pearson"]))
def test_fuzz_either_a_correct_chart_or_a_vizkit_error_naming_the_argument(frame, x, y, hue, size, style,
                                                                           density, trend, stats):
    df = pd.DataFrame(frame)
    roles = {"x": x, "y": y, "hue": hue, "size": size, "style": style}
    fig, ax = plt.subplots()
    try:
        vk.scatter(df, x=x, y=y, hue=hue, size=size, style=style, density=density, trend=trend, stats=stats, ax=ax)
    except VizkitError as error:
        named = re.match(r"`(\w+)`", str(error))  # the message starts with the argument it is about
        assert named and named.group(1) in (*roles, "density", "trend", "stats"), str(error)
        argument = named.group(1)
        on_levels = any(roles[r] in df and _category_column(df[roles[r]]) for r in ("x", "y"))
        if isinstance(error, ColumnNotFoundError):
            assert roles[error.argument] in ("nmu", "Cat")
        elif argument in ("trend", "stats"):  # no slope or correlation along levels
            assert on_levels, str(error)
        elif argument == "density":  # kde cannot show a numeric hue, nor a density along levels
            assert density == "kde" and (on_levels or hue is not None and _numeric_column(df[hue])), str(error)
        else:
            assert _expected_rows(df, {argument: roles[argument]}) is None or "levels" in str(error), str(error)
    else:
        assert "nmu" not in roles.values() and "Cat" not in roles.values()
        expected = _expected_rows(df, roles)
        assert expected is not None
        fig.draw_without_rendering()  # what was drawn also lays out (ticks, limits, legend)
        drawn = vk.plotted_data(ax)
        assert len(drawn) == expected
        if drawn.attrs["density"] != "hexbin":
            assert sum(len(c.get_offsets()) for c in points(ax)) == expected
            drawn_at = [f"{r}_position" if f"{r}_position" in drawn else r for r in ("x", "y")]
            assert np.isfinite(drawn[drawn_at].to_numpy(dtype=float)).all()
    finally:
        plt.close(fig)


@pytest.mark.filterwarnings("ignore:the colour cycle has 10 colours")
@pytest.mark.filterwarnings("ignore:`hue` has .* levels but there are")  # 11 hue levels: markers repeat, said
@fuzz_settings(LEVEL_EXAMPLES)
@given(role=st.sampled_from(["hue", "style", "size"]), n_levels=st.sampled_from([11, 65, 10_000]),
       highlight=st.booleans())
def test_fuzz_too_many_levels_are_refused_by_name(role, n_levels, highlight):
    labels = np.array([f"level {i}" for i in range(n_levels)], dtype=object)
    df = pd.DataFrame({"x": np.arange(n_levels, dtype=float), "y": 1.0, "c": labels})
    limit = MAX_HUE_LEVELS if role == "hue" else 10
    kwargs = {role: "c", "highlight": "level 0" if highlight and role == "hue" else None}
    fig, ax = plt.subplots()
    try:
        if n_levels > limit:
            with pytest.raises(VizkitValueError, match=rf"`{role}` must be a variable with at most {limit} levels"
                                                        rf" .*; got {n_levels} levels"):
                vk.scatter(df, x="x", y="y", ax=ax, **kwargs)
        else:
            vk.scatter(df, x="x", y="y", ax=ax, **kwargs)
            assert len(vk.plotted_data(ax)) == n_levels
    finally:
        plt.close(fig)


@pytest.mark.filterwarnings("ignore::UserWarning")
@fuzz_settings(KWS_EXAMPLES)
@given(key=st.sampled_from(["s", "alpha", "marker", "color", "linewidth", "edgecolor", "zorder"]),
       value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3), st.none(),
                       st.sampled_from(["o", "x", "red", -1, 0.5, (0, 0, 1)])))
def test_fuzz_keywords_give_a_chart_or_name_the_keyword(key, value):
    fig, ax = plt.subplots()
    try:
        vk.scatter(x=[1.0, 2.0, 3.0], y=[3.0, 1.0, 2.0], ax=ax, **{key: value})
        fig.canvas.draw()
    except VizkitError as error:
        assert f"`{key}`" in str(error)
    finally:
        plt.close(fig)


def test_center_gives_a_numeric_hue_a_diverging_two_slope_norm():
    from matplotlib.colors import TwoSlopeNorm, same_color

    df = pd.DataFrame({"x": np.arange(5.0), "y": np.arange(5.0), "change": [-4.0, -1.0, 0.0, 1.0, 8.0]})
    ax = vk.scatter(df, x="x", y="y", hue="change", center=0)
    points = next(c for c in ax.collections if c.get_array() is not None)
    assert isinstance(points.norm, TwoSlopeNorm) and points.norm.vcenter == 0
    middle = points.get_cmap()(0.5)
    assert same_color(points.to_rgba([0.0])[0], middle)  # the centre value takes the middle colour
    assert vk.contrast_ratio(middle, ax.get_facecolor()) > 1.5  # and still shows on the face
    low, high = points.to_rgba([-4.0])[0], points.to_rgba([8.0])[0]
    assert not same_color(low, high)
    one_sided = vk.scatter(df.assign(change=df["change"].abs() + 1), x="x", y="y", hue="change", center=0,
                           ax=plt.figure().subplots())
    assert next(c for c in one_sided.collections if c.get_array() is not None).norm.vcenter == 0


def test_center_needs_a_numeric_hue():
    df = pd.DataFrame({"x": [1.0, 2.0], "y": [1.0, 2.0], "g": ["a", "b"]})
    with pytest.raises(vk.errors.VizkitValueError, match="`center` must be None unless `hue` is numeric"):
        vk.scatter(df, x="x", y="y", hue="g", center=0)
    with pytest.raises(vk.errors.VizkitTypeError, match="`center` must be a number"):
        vk.scatter(df, x="x", y="y", hue="x", center="zero")


def test_redundant_encoding_gives_each_hue_level_a_marker():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": rng.normal(size=270), "y": rng.normal(size=270),
                       "g": np.repeat([f"class {i}" for i in range(9)], 30)})
    ax = vk.scatter(df, x="x", y="y", hue="g")  # 9 levels: on by default
    drawn = vk.plotted_data(ax)[["hue", "marker"]].drop_duplicates()
    assert drawn["marker"].nunique() == 9
    legend = ax.get_legend()
    legend_markers = [h.get_marker() for h, t in zip(legend.legend_handles, legend.get_texts(), strict=True)
                      if t.get_text().startswith("class")]
    assert legend_markers == drawn["marker"].tolist()
    off = vk.scatter(df, x="x", y="y", hue="g", redundant=False, ax=plt.figure().subplots())
    assert "marker" not in vk.plotted_data(off)
    few = vk.scatter(df[df["g"] < "class 2"], x="x", y="y", hue="g", redundant=True, ax=plt.figure().subplots())
    assert vk.plotted_data(few)["marker"].nunique() == 2
    many = df.assign(g=np.repeat([f"c{i:02d}" for i in range(27)], 10))
    with pytest.warns(UserWarning, match="`hue` has 27 levels but there are 10 markers"), \
            pytest.warns(UserWarning, match="27 were asked for, so colours repeat"):
        vk.scatter(many, x="x", y="y", hue="g", ax=plt.figure().subplots())
    with pytest.raises(vk.errors.VizkitTypeError, match="`redundant` must be True, False or None"):
        vk.scatter(df, x="x", y="y", hue="g", redundant=1)


def test_style_on_the_hue_column_gives_one_legend_entry_per_level(penguins):
    """hue="species", style="species" (a new user's way to encode twice): each species once in the legend, with
    its colour and its marker, in one order (the levels were listed twice, the second time scrambled)."""
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", style="species")
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Adelie", "Chinstrap", "Gentoo"]
    drawn = vk.plotted_data(ax)[["hue", "marker"]].drop_duplicates()
    assert drawn["marker"].nunique() == 3
    by_level = dict(zip(drawn["hue"], drawn["marker"], strict=True))
    assert [h.get_marker() for h in legend.legend_handles] == [by_level[s] for s in ["Adelie", "Chinstrap", "Gentoo"]]


def test_trend_fits_and_stats_are_in_plotted_data(penguins):
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", trend="ols", stats="pearson")
    drawn = vk.plotted_data(ax)
    trends = drawn.attrs["trends"]
    assert trends["pooled"].sum() == 100 and trends.loc[trends["pooled"], "low"].isna().all()  # no band drawn
    trends = trends[~trends["pooled"]]
    assert list(trends["hue"].unique()) == sorted(drawn["hue"].unique())  # in level order
    for level, fit in trends.groupby("hue", sort=False):
        group = drawn[drawn["hue"] == level]
        slope, intercept = np.polyfit(group["x"], group["y"], 1)
        assert fit["slope"].iloc[0] == pytest.approx(slope) and fit["intercept"].iloc[0] == pytest.approx(intercept)
        assert (fit["low"] <= fit["y"]).all() and (fit["y"] <= fit["high"]).all()
    line = ax.get_lines()[0]
    assert np.allclose(line.get_xydata(), trends[trends["hue"] == trends["hue"].iloc[0]][["x", "y"]])
    stats = drawn.attrs["stats"]
    assert stats["text"] == ax.texts[-1].get_text() and stats["corner"]


def test_a_pooled_correlation_says_pooled_and_draws_its_dashed_fit_beside_the_groups(penguins):
    """Simpson's paradox on penguins: bill depth falls with bill length pooled, rises within each species."""
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", trend="ols", stats="spearman")
    data = complete(penguins, "bill_length_mm", "bill_depth_mm")
    rho = scipy_stats.spearmanr(data["bill_length_mm"], data["bill_depth_mm"]).statistic
    (text,) = ax.texts
    assert text.get_text().startswith(f"Pooled Spearman ρ = {rho:.2f}") and rho < 0
    trends = vk.plotted_data(ax).attrs["trends"]
    pooled = trends[trends["pooled"]]
    assert pooled["slope"].iloc[0] == pytest.approx(np.polyfit(data["bill_length_mm"], data["bill_depth_mm"], 1)[0])
    assert pooled["slope"].iloc[0] < 0 < trends.loc[~trends["pooled"], "slope"].min()  # the paradox, drawn
    dashed = [line for line in ax.get_lines() if line.get_linestyle() != "-"]
    assert len(dashed) == 1 and np.polyfit(dashed[0].get_xdata(), dashed[0].get_ydata(), 1)[0] == \
        pytest.approx(pooled["slope"].iloc[0])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Adelie", "Chinstrap", "Gentoo", "pooled fit"]
    # one group, or no stats: nothing pooled
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", trend="ols", stats="spearman",
                    ax=plt.figure().subplots())
    assert ax.texts[0].get_text().startswith("Spearman") and not vk.plotted_data(ax).attrs["trends"]["pooled"].any()
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", trend="ols",
                    ax=plt.figure().subplots())
    assert len(ax.get_lines()) == 3


# ---------------------------------------------------------------------------- categories and dates on an axis


def _barley():
    from vega_datasets import data

    return data.barley()


def test_a_categorical_y_is_a_dot_plot_with_one_labelled_row_per_level():
    """The barley trellis, one site: yield per variety, a dot per year."""
    barley = _barley()
    morris = barley[barley["site"] == "Morris"]
    ax = vk.scatter(morris, x="yield", y="variety", hue="year")
    varieties = list(morris["variety"].unique())  # in the order found, as bar's categories
    assert [t.get_text() for t in ax.get_yticklabels()] == varieties and list(ax.get_yticks()) == list(range(10))
    assert ax.yaxis_inverted() and ax.get_ylim() == (9.5, -0.5)  # the first variety on top, as a table reads
    drawn = vk.plotted_data(ax)
    assert len(drawn) == len(morris) == 20
    assert (drawn["y"].to_numpy() == morris["variety"].to_numpy()).all()
    assert (drawn["y_position"] == [varieties.index(v) for v in morris["variety"]]).all()
    offsets = np.concatenate([c.get_offsets() for c in points(ax)])
    assert np.allclose(offsets, drawn[["x", "y_position"]].to_numpy(dtype=float))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1931", "1932"]
    # Morris, the trellis' famous anomaly: 1932 above 1931 for every variety
    by_year = morris.pivot(index="variety", columns="year", values="yield")
    assert (by_year[1932] > by_year[1931]).all()


def test_the_barley_trellis_facets_the_dot_plot_by_site():
    barley = _barley()
    grid = vk.facet(barley, chart=vk.scatter, col="site", col_wrap=3, x="yield", y="variety", hue="year")
    fig = plt.gcf()
    panels = [ax for ax in fig.axes if vk.plotted_data(ax) is not None and len(vk.plotted_data(ax))]
    assert len(panels) == 6 and sum(len(vk.plotted_data(ax)) for ax in panels) == len(barley) == 120
    assert grid is not None
    varieties = list(barley["variety"].unique())
    assert [t.get_text() for t in panels[0].get_yticklabels()] == varieties
    assert all(list(ax.get_yticks()) == list(range(10)) and ax.yaxis_inverted() for ax in panels)


def test_jitter_spreads_a_categorical_x_into_a_strip_plot_the_same_way_each_call():
    barley = _barley()
    ax = vk.scatter(barley, x="site", y="yield", jitter=0.3)
    sites = list(barley["site"].unique())
    assert [t.get_text() for t in ax.get_xticklabels()] == sites
    drawn = vk.plotted_data(ax)
    offset = drawn["x_position"] - [sites.index(s) for s in drawn["x"]]
    assert offset.abs().max() <= 0.3 and offset.abs().max() > 0.2 and offset.std() > 0.1
    assert np.allclose(points(ax)[0].get_offsets()[:, 0], drawn["x_position"])
    again = vk.plotted_data(vk.scatter(barley, x="site", y="yield", jitter=0.3, ax=plt.figure().subplots()))
    assert (again["x_position"] == drawn["x_position"]).all()
    ax = vk.scatter(barley, x="site", y="yield", ax=plt.figure().subplots())  # no jitter: on the level
    assert (vk.plotted_data(ax)["x_position"] == [sites.index(s) for s in barley["site"]]).all()
    with pytest.raises(VizkitValueError, match=r"`jitter` must be a number >= 0 and <= 0.5"):
        vk.scatter(barley, x="site", y="yield", jitter=2)


def test_a_categorical_keeps_its_order_on_the_axis():
    barley = _barley()
    order = ["Waseca", "Crookston", "Morris", "University Farm", "Duluth", "Grand Rapids"]  # by median yield
    barley["site"] = pd.Categorical(barley["site"], categories=order, ordered=True)
    ax = vk.scatter(barley, x="yield", y="site")
    assert [t.get_text() for t in ax.get_yticklabels()] == order


def test_a_datetime_x_gets_a_date_axis():
    import matplotlib.dates as mdates

    weather = vk.load_dataset("seattle_weather")
    ax = vk.scatter(weather, x="date", y="temp_max", hue="weather")
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    drawn = vk.plotted_data(ax)
    assert pd.api.types.is_datetime64_any_dtype(drawn["x"]) and len(drawn) == len(weather)
    offsets = np.concatenate([c.get_offsets() for c in points(ax)])
    assert np.allclose(np.sort(offsets[:, 0]), np.sort(mdates.date2num(weather["date"])))
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "2013" in labels and not any("00:00" in label for label in labels)


def test_tz_aware_dates_are_placed_by_their_instants_and_labelled_in_their_zone():
    import matplotlib.dates as mdates

    # the two 01:30 of the autumn fall-back night in Seattle are an hour apart
    stamps = pd.date_range("2015-11-01 07:00", periods=6, freq="30min", tz="UTC").tz_convert("US/Pacific")
    ax = vk.scatter(x=stamps, y=np.arange(6.0))
    xs = points(ax)[0].get_offsets()[:, 0]
    assert np.allclose(np.diff(xs), 1 / 48)  # evenly spaced: instants, not wall times
    assert str(ax.xaxis.get_major_formatter()._tz) == "US/Pacific"
    assert str(vk.plotted_data(ax)["x"].dt.tz) == "US/Pacific"
    assert isinstance(ax.xaxis.get_major_locator(), mdates.AutoDateLocator)


def test_sizes_sets_the_range_of_marker_areas(penguins):
    ax = vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", size="body_mass_g", sizes=(10, 100))
    drawn = vk.plotted_data(ax)
    mass = drawn["size"].astype(float)
    assert drawn["area"].min() == pytest.approx(10) and drawn["area"].max() == pytest.approx(100)
    expected = 10 + (mass - mass.min()) / (mass.max() - mass.min()) * 90
    assert np.allclose(drawn["area"], expected)
    assert np.allclose(np.sort(points(ax)[0].get_sizes()), np.sort(expected))


def test_axis_values_of_several_kinds_or_too_many_levels_are_refused_by_name():
    with pytest.raises(VizkitTypeError, match=r"`x` must be one kind of values: numbers, dates or categories.*"
                                              r"column 'a' mixing text \('p'\) with int values \(3\)"):
        vk.scatter(pd.DataFrame({"a": ["p", 3, "q"], "b": [1, 2, 3]}), x="a", y="b")
    many = pd.DataFrame({"a": [f"level {i}" for i in range(300)], "b": range(300)})
    with pytest.raises(VizkitValueError, match=r"`y` must be categories with at most 200 levels on an axis.*300 levels"):
        vk.scatter(many, x="b", y="a")
    assert plt.get_fignums() == []  # a refused call changes nothing


def test_facet_panels_put_a_level_in_the_same_row_when_a_panel_lacks_one():
    barley = _barley()
    barley = barley[~((barley["site"] == "Morris") & (barley["variety"] == "Trebi"))]  # Morris lacks Trebi
    vk.facet(barley, chart=vk.scatter, col="site", x="yield", y="variety", hue="year")
    varieties = list(barley["variety"].unique())
    for ax in plt.gcf().axes:
        drawn = vk.plotted_data(ax)
        if drawn is not None and len(drawn):
            assert (drawn["y_position"] == [varieties.index(v) for v in drawn["y"]]).all(), ax.get_title()


def test_auto_density_measures_the_axes_it_will_draw_on():
    """Without ax=, the current Axes of the current figure (the small one here), and nothing is created early."""
    airports = _airports()
    fig = plt.figure(figsize=(12, 9))
    big, small = fig.add_axes((0.05, 0.3, 0.9, 0.65)), fig.add_axes((0.05, 0.05, 0.12, 0.12))
    plt.sca(small)
    ax = vk.scatter(airports, x="longitude", y="latitude", density="auto")
    assert ax is small and vk.plotted_data(ax).attrs["density"] == "hexbin"  # a tiny panel: deep stacks
    ax = vk.scatter(airports, x="longitude", y="latitude", density="auto", ax=big)
    assert vk.plotted_data(ax).attrs["density"] == "alpha"
