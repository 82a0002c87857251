"""vk.heatmap: cells against the input, colour scales, annotations that read, masks, labels that never collide."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from matplotlib.colors import Normalize, to_hex

import vizkit as vk
from tests.fuzzing import fuzz_settings
from vizkit.charts.heatmaps import HeatmapDisplay
from vizkit._core.room import KeepInside
from vizkit.errors import ColumnNotFoundError, VizkitError, VizkitTypeError, VizkitValueError


@pytest.fixture
def corr():
    numbers = vk.load_dataset("penguins")[["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]]
    return numbers.corr()


@pytest.fixture
def weather():
    """Mean daily high per month (rows) and year (columns) in Seattle, 2012-2015: long and wide."""
    data = vk.load_dataset("seattle_weather")
    data = data.assign(month=data["date"].dt.month, year=data["date"].dt.year)
    long = data.groupby(["month", "year"], as_index=False)["temp_max"].mean()
    return long, long.pivot(index="month", columns="year", values="temp_max")


def image(ax):
    (drawn,) = ax.images
    return drawn


# ---------------------------------------------------------------- what is drawn is the input


def test_a_wide_frame_draws_one_cell_per_value_in_its_order(corr):
    ax = vk.heatmap(corr)
    cells = vk.plotted_data(ax)
    assert len(cells) == corr.size
    np.testing.assert_allclose(cells["value"].to_numpy().reshape(corr.shape), corr.to_numpy())
    assert cells["row"].tolist() == np.repeat(corr.index, 4).tolist()
    assert cells["col"].tolist() == np.tile(corr.columns, 4).tolist()
    np.testing.assert_allclose(image(ax).get_array(), corr.to_numpy())
    assert [t.get_text() for t in ax.get_yticklabels()] == corr.index.tolist()


def test_each_cells_colour_is_the_colormaps_colour_of_its_value(corr):
    ax = vk.heatmap(corr, cmap="viridis")
    cells = vk.plotted_data(ax)
    norm = Normalize(cells.attrs["vmin"], cells.attrs["vmax"])
    expected = [to_hex(c) for c in plt.get_cmap("viridis")(norm(cells["value"].to_numpy()))]
    assert cells["color"].tolist() == expected
    assert (cells.attrs["vmin"], cells.attrs["vmax"]) == pytest.approx((corr.min().min(), 1.0))


def test_long_data_pivots_to_the_same_matrix_as_the_wide_frame(weather):
    long, wide = weather
    ax_long = vk.heatmap(long, x="year", y="month", value="temp_max")
    cells = vk.plotted_data(ax_long)
    np.testing.assert_allclose(cells["value"].to_numpy().reshape(wide.shape), wide.to_numpy())
    assert ax_long.get_xlabel() == "year" and ax_long.get_ylabel() == "month"
    assert ax_long.child_axes[0].get_ylabel() == "temp_max"  # the colour bar says what colour means
    plt.close("all")
    ax_wide = vk.heatmap(wide)
    assert vk.plotted_data(ax_wide)["color"].tolist() == cells["color"].tolist()


def test_an_array_is_drawn_with_rows_top_to_bottom():
    digit = vk.load_dataset("digits").iloc[0, :64].to_numpy(dtype=float).reshape(8, 8)
    ax = vk.heatmap(digit, square=True)
    cells = vk.plotted_data(ax)
    assert cells["row"].tolist()[:9] == [0] * 8 + [1]
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # row 0 at the top
    assert ax.get_aspect() == 1.0


# ---------------------------------------------------------------- colour scales


def test_sequential_by_default_diverging_and_symmetric_around_center(corr):
    ax = vk.heatmap(corr)
    assert image(ax).get_cmap().name.startswith("vizkit_seq")
    plt.close("all")
    ax = vk.heatmap(corr, center=0)
    cells = vk.plotted_data(ax)
    assert image(ax).get_cmap().name.startswith("vizkit_div")
    assert cells.attrs["vmin"] == -cells.attrs["vmax"] == pytest.approx(-1.0)
    zero = HeatmapDisplay.from_array([[-0.5, 0.0, 2.0]], center=0)
    assert (zero.vmin_, zero.vmax_) == (-2.0, 2.0)
    middle = vk.cmap("vizkit_div")(0.5)
    assert zero.table["color"][1] == to_hex(middle)


def test_vmin_and_vmax_fix_the_scale_and_values_beyond_take_its_ends():
    display = HeatmapDisplay.from_array([[0.0, 5.0, 20.0]], vmin=0, vmax=10, cmap="Greys")
    assert display.table["color"].tolist() == [to_hex(c) for c in plt.get_cmap("Greys")([0.0, 0.5, 1.0])]


def test_a_colour_bar_beside_the_cells_and_none_on_request(corr):
    ax = vk.heatmap(corr, label="Pearson r")
    ax.figure.canvas.draw()
    (bar,) = ax.child_axes
    assert bar.get_ylabel() == "Pearson r"
    assert bar.get_position().height == pytest.approx(ax.get_position().height)
    plt.close("all")
    ax = vk.heatmap(corr, cbar=False)
    assert ax.figure.axes == [ax] and ax.child_axes == []


def test_no_grid_lines_cross_the_cells_even_when_the_theme_draws_grids(corr):
    with vk.theme():
        plt.rcParams["axes.grid"] = True
        ax = vk.heatmap(corr)
        ax.figure.canvas.draw()
    assert not any(line.get_visible() for line in ax.get_xgridlines() + ax.get_ygridlines())
    assert not any(spine.get_visible() for spine in ax.spines.values())


# ---------------------------------------------------------------- annotations


@pytest.mark.parametrize("cmap", [None, "viridis", "Greys", "RdBu_r", "vizkit_div"])
def test_every_annotation_reaches_4_5_to_1_on_its_cell(corr, cmap):
    ax = vk.heatmap(corr, annot=True, cmap=cmap, center=0 if cmap in ("RdBu_r", "vizkit_div") else None)
    texts = [t for t in ax.texts if t.get_text()]
    cells = vk.plotted_data(ax)
    assert len(texts) == corr.size
    for text, color in zip(texts, cells["color"], strict=True):
        assert vk.contrast_ratio(text.get_color(), color) >= 4.5, (text.get_text(), color)
    assert [t.get_text() for t in texts] == cells["annotation"].tolist()
    assert vk.lint(ax.figure, rules=["low-contrast-text"]) == []


def test_annotation_formats(weather):
    _, wide = weather
    ax = vk.heatmap(wide.round(), annot=True)
    assert vk.plotted_data(ax)["annotation"][0] == f"{wide.round().iloc[0, 0]:,.0f}"  # whole numbers stay whole
    plt.close("all")
    ax = vk.heatmap(wide / 100, annot=True, fmt=".0%")
    assert vk.plotted_data(ax)["annotation"][0] == f"{wide.iloc[0, 0] / 100:.0%}"
    plt.close("all")
    ax = vk.heatmap(wide, annot=True, fmt=lambda v: f"{v:.0f}°")
    assert vk.plotted_data(ax)["annotation"][0].endswith("°")


def test_annotations_shrink_to_fit_small_cells():
    values = np.arange(400, dtype=float).reshape(20, 20) * 12.5  # up to "4,988"
    fig, ax = plt.subplots(figsize=(8, 6))
    vk.heatmap(values, annot=True, ax=ax)
    fig.canvas.draw()
    sizes = {t.get_fontsize() for t in ax.texts}
    assert len(sizes) == 1 and 5 <= sizes.pop() < plt.rcParams["font.size"] * 0.9
    assert all(t.get_visible() for t in ax.texts) and vk.lint(fig, rules=["text-overlap"]) == []


# ---------------------------------------------------------------- masks and missing values


def test_a_mask_hides_cells_from_the_image_the_annotations_and_the_scale(corr):
    mask = np.triu(np.ones(corr.shape, dtype=bool), k=1)
    ax = vk.heatmap(corr, mask=mask, annot=True)
    cells = vk.plotted_data(ax)
    assert (cells["cell"] == "masked").to_numpy().reshape(corr.shape).tolist() == mask.tolist()
    assert np.ma.getmaskarray(image(ax).get_array()).tolist() == mask.tolist()
    assert cells.loc[cells["cell"] == "masked", "annotation"].eq("").all()
    assert cells.loc[cells["cell"] == "masked", "color"].isna().all()
    assert len([t for t in ax.texts if t.get_text()]) == (~mask).sum()
    assert cells.attrs["vmin"] == pytest.approx(corr.to_numpy()[~mask].min())


def test_nan_cells_are_drawn_empty_and_said_so():
    penguins = vk.load_dataset("penguins")
    means = penguins.groupby(["species", "island"], as_index=False)["body_mass_g"].mean()
    ax = vk.heatmap(means, x="island", y="species", value="body_mass_g", annot=True)
    cells = vk.plotted_data(ax)
    missing = cells[cells["cell"] == "missing"]
    assert set(zip(missing["row"], missing["col"])) == {("Chinstrap", "Biscoe"), ("Chinstrap", "Torgersen"),
                                                        ("Gentoo", "Dream"), ("Gentoo", "Torgersen")}
    assert missing["value"].isna().all() and missing["color"].isna().all() and missing["annotation"].eq("").all()
    assert cells.attrs["n_missing"] == 4
    assert len([t for t in ax.texts if t.get_text()]) == 5


# ---------------------------------------------------------------- labels


def shown_labels(axis):
    return [t for t in axis.get_majorticklabels() if t.get_text()]


def test_crowded_labels_are_thinned_or_turned_and_never_overlap():
    species = [f"species number {i} of a long list" for i in range(60)]
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(60, 60)), index=species, columns=species)
    fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
    vk.heatmap(frame, ax=ax)
    assert [f.rule for f in vk.lint(fig, rules=["text-overlap"])] == []
    assert 1 < len(shown_labels(ax.yaxis)) < 60
    assert {t.get_rotation() for t in shown_labels(ax.xaxis)} == {90.0}


def test_labels_that_fit_are_all_shown_flat(corr):
    fig, ax = plt.subplots(figsize=(12, 4), layout="constrained")
    corr.columns = ["bill", "depth", "flipper", "mass"]
    vk.heatmap(corr, ax=ax)
    fig.canvas.draw()
    assert [t.get_text() for t in shown_labels(ax.xaxis)] == ["bill", "depth", "flipper", "mass"]
    assert {t.get_rotation() for t in shown_labels(ax.xaxis)} == {0.0}


def test_labels_follow_the_axes_when_the_figure_is_resized():
    fig, ax = plt.subplots(figsize=(8, 8))
    vk.heatmap(np.zeros((100, 10)), ax=ax)
    fig.canvas.draw()
    tall = len(shown_labels(ax.yaxis))
    fig.set_size_inches(8, 3)
    fig.canvas.draw()
    assert len(shown_labels(ax.yaxis)) < tall


def test_a_million_cells_get_a_few_labels():
    fig, ax = plt.subplots(figsize=(8, 6))
    vk.heatmap(np.random.default_rng(0).normal(size=(1000, 1000)), ax=ax)
    fig.canvas.draw()
    assert 3 <= len(shown_labels(ax.yaxis)) <= 20 and 3 <= len(shown_labels(ax.xaxis)) <= 20
    assert vk.lint(fig, rules=["text-overlap"]) == []


def test_labels_from_data_are_never_mathtext():
    frame = pd.DataFrame([[1, 2]], index=["cost $ (USD) $"], columns=["$a$", "b"])
    ax = vk.heatmap(frame)
    ax.figure.canvas.draw()
    assert shown_labels(ax.yaxis)[0].get_text() == r"cost \$ (USD) \$"  # escaped: drawn as typed


# ---------------------------------------------------------------- the Display


def test_the_display_computes_without_drawing_and_draws_on_request(corr):
    display = HeatmapDisplay.from_frame(corr, annot=True)
    assert display.ax_ is None and plt.get_fignums() == []
    assert display.shape_ == (4, 4) and display.n_missing_ == display.n_masked_ == 0
    pd.testing.assert_frame_equal(display.matrix_, corr, check_names=False)
    fig, ax = plt.subplots()
    assert display.plot(ax=ax) is display and display.ax_ is ax
    assert set(display.artists_) == {"image", "colorbar", "annotations"}
    assert len(display.artists_["annotations"]) == 16


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("data, argument, error", [
    (np.arange(5), "2-D", VizkitValueError),
    (np.zeros((2, 2, 3)), "2-D", VizkitValueError),
    (np.zeros((0, 3)), "at least one row", VizkitValueError),
    ([["a", "b"], ["c", "d"]], "numbers", VizkitTypeError),
    ([[1, "b"], [2, 3]], "'b' at row 0, column 1", VizkitTypeError),
    ([[1, 2], [3]], "2-D", VizkitValueError),
    ([[1.0, np.inf]], "finite", VizkitValueError),
    ([[1.7e308, -1.7e308]], "range", VizkitValueError),
    ([[np.nan, np.nan]], "at least one finite cell", VizkitValueError),
    (np.zeros((3000, 3000)), "at most", VizkitValueError),
    ("abc", "2-D array", VizkitTypeError),
    (np.array([[1 + 2j]]), "numbers", VizkitTypeError),
])
def test_data_that_is_not_a_numeric_matrix_is_refused(data, argument, error):
    with pytest.raises(error, match="`data`") as raised:
        vk.heatmap(data)
    assert argument in str(raised.value)


def test_a_frame_with_a_text_column_names_it():
    with pytest.raises(VizkitTypeError, match=r"`data\['species'\]` must be a numeric column"):
        vk.heatmap(vk.load_dataset("penguins").head(5)[["bill_length_mm", "species"]])


@pytest.mark.parametrize("mask, message", [
    (np.zeros((2, 2), dtype=bool), r"shape \(4, 4\)"),
    (np.zeros((4, 4)) + 0.5, "boolean"),
    ("upper", "boolean"),
])
def test_a_mask_of_the_wrong_shape_or_type_is_refused(corr, mask, message):
    with pytest.raises(VizkitError, match=f"`mask`.*{message}"):
        vk.heatmap(corr, mask=mask)


def test_annotating_more_cells_than_can_be_read_is_refused():
    with pytest.raises(VizkitValueError, match="`annot` must be False for more than 2,500 cells") as raised:
        vk.heatmap(np.zeros((100, 100)), annot=True)
    assert "100 x 100 = 10,000 cells" in str(raised.value)


@pytest.mark.parametrize("kwargs, argument", [
    (dict(vmin=2, vmax=1), "vmax"), (dict(center="0"), "center"), (dict(cmap="viridiss"), "cmap"),
    (dict(annot="yes"), "annot"), (dict(fmt=".2q"), "fmt"), (dict(fmt=3), "fmt"), (dict(square=1), "square"),
    (dict(cbar=None), "cbar"), (dict(label=5), "label"), (dict(ax="ax"), "ax"),
])
def test_bad_options_name_their_argument_and_change_nothing(corr, kwargs, argument):
    fig, ax = plt.subplots()
    kwargs.setdefault("ax", ax)
    with pytest.raises(VizkitError, match=f"`{argument}`"):
        vk.heatmap(corr, **kwargs)
    assert not ax.images and fig.axes == [ax] and not ax.child_axes and not ax.texts


def test_long_data_errors_name_the_column():
    long = pd.DataFrame({"a": ["x", "x", "y"], "b": [1, 1, 2], "v": [0.1, 0.2, 0.3]})
    with pytest.raises(VizkitValueError, match="`value` must be one value per"):
        vk.heatmap(long, x="a", y="b", value="v")
    with pytest.raises(ColumnNotFoundError, match="`value` names a column that is not in `data`: 'vv'"):
        vk.heatmap(long, x="a", y="b", value="vv")
    with pytest.raises(VizkitValueError, match="`y` must be a column name"):
        vk.heatmap(long, x="a", value="v")
    with pytest.raises(VizkitTypeError, match=r"`value\['value'\]` must be a numeric column"):
        vk.heatmap(long.assign(b=[1, 2, 3], v=["p", "q", "r"]), x="a", y="b", value="v")


# ---------------------------------------------------------------- fuzzed input

_CELL = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64), st.integers(-10**20, 10**20),
                  st.booleans(), st.none(), st.text(max_size=2), st.decimals(allow_nan=True))


@fuzz_settings(60)
@given(values=st.lists(st.lists(_CELL, min_size=1, max_size=5), min_size=1, max_size=5),
       annot=st.booleans(), center=st.one_of(st.none(), st.floats(-5, 5)),
       masked=st.one_of(st.none(), hnp.arrays(bool, (2, 2))))
def test_fuzz_heatmap_draws_its_input_or_names_the_argument(values, annot, center, masked):
    try:
        ax = vk.heatmap(values, annot=annot, center=center, mask=masked)
    except VizkitError as error:
        assert "`" in str(error)
        return
    finally:
        plt.close("all")
    cells = vk.plotted_data(ax)
    array = np.array([[np.nan if v is None else float(v) for v in row] for row in values])
    np.testing.assert_allclose(cells["value"].to_numpy(dtype=float), array.ravel())


@fuzz_settings(40)
@given(kinds=st.lists(st.sampled_from(__import__("tests.test_fuzz_charts", fromlist=["KINDS"]).KINDS),
                      min_size=1, max_size=4),
       n=st.integers(1, 6), seed=st.integers(0, 3), annot=st.booleans())
def test_fuzz_heatmap_of_frames_with_the_column_types_users_have(kinds, n, seed, annot):
    from tests.test_fuzz_charts import column_of

    frame = pd.DataFrame({f"c{i}": column_of(kind, n, seed + i) for i, kind in enumerate(kinds)})
    try:
        ax = vk.heatmap(frame, annot=annot)
    except VizkitError as error:
        assert "`" in str(error)
        return
    finally:
        plt.close("all")
    cells = vk.plotted_data(ax)
    assert len(cells) == frame.size
    expected = frame.apply(lambda c: pd.to_numeric(c.astype(object), errors="coerce")).to_numpy(dtype=float)
    np.testing.assert_allclose(cells["value"].to_numpy(dtype=float), expected.ravel())


def test_lint_reads_the_cell_colour_behind_an_annotation():
    fig, ax = plt.subplots()
    ax.imshow([[0.0, 1.0]], cmap="Greys", vmin=0, vmax=1)
    ax.text(0, 0, "readable", color="black", ha="center")
    ax.text(1, 0, "lost", color="black", ha="center")  # black on the black cell
    assert [f.message for f in vk.lint(fig, rules=["low-contrast-text"])] == [
        "text 'lost' has contrast 1.0:1 (below 4.5:1)"]


def test_on_a_dark_face_high_values_stand_out_and_the_centre_sinks_in(corr):
    with vk.theme("dark"):
        face = plt.rcParams["axes.facecolor"]
        high = HeatmapDisplay.from_frame(corr).table["color"][0]  # the diagonal: 1.0, the highest value
        centre = HeatmapDisplay.from_array([[-1.0, 0.0, 1.0]], center=0).table["color"][1]
    assert vk.contrast_ratio(high, face) > 7
    assert vk.contrast_ratio(centre, face) < 1.5
    assert vk.contrast_ratio(HeatmapDisplay.from_frame(corr).table["color"][0], "white") > 7  # light face: dark


def test_the_plainest_call_keeps_labels_and_colour_bar_inside_the_figure(corr, tmp_path):
    fig, ax = plt.subplots(figsize=(5, 4))
    vk.heatmap(corr.rename(index=lambda r: f"a long row label: {r}"), label="Pearson correlation", ax=ax)
    fig.savefig(tmp_path / "plain.png")
    assert vk.lint(fig, rules=["text-clipped", "text-overlap"]) == []
    inside = ax.get_tightbbox()
    assert fig.bbox.x0 <= inside.x0 and inside.x1 <= fig.bbox.x1
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 4.5))  # no long labels: the colour bar's tick labels decide
    vk.heatmap(np.random.default_rng(0).normal(size=(1000, 1000)) / 4, center=0, ax=ax)
    fig.savefig(tmp_path / "wide.png")
    assert max(t.get_window_extent().x1 for t in ax.child_axes[0].get_yticklabels()) <= fig.bbox.x1
    constrained, ax2 = plt.subplots(figsize=(5, 4), layout="constrained")
    vk.heatmap(corr, ax=ax2)
    before = ax2.get_position(original=True).bounds
    assert KeepInside(None)(ax2, constrained.canvas.get_renderer()) is None
    assert ax2.get_position(original=True).bounds == before  # a layout engine makes room itself


def test_annotations_too_small_to_read_are_hidden_with_a_warning():
    fig, ax = plt.subplots(figsize=(4, 3))
    vk.heatmap(np.random.default_rng(0).normal(size=(50, 50)), annot=True, ax=ax)
    with pytest.warns(UserWarning, match="annotations are hidden: its cells are"):
        fig.canvas.draw()
    assert not any(t.get_visible() for t in ax.texts)
    assert vk.lint(fig, rules=["text-overlap"]) == []
    fig.set_size_inches(30, 24)  # room enough: they come back
    fig.canvas.draw()
    assert all(t.get_visible() for t in ax.texts)


def test_annotations_keep_4_5_to_1_after_their_colour_is_rounded_to_hex():
    # a 5×5 box-blur kernel: one value, drawn in the ramp's middle, where the text colour is searched for
    ax = vk.heatmap(np.ones((5, 5)), annot=True, cbar=False)
    assert vk.lint(ax.figure, rules=["low-contrast-text"]) == []
    plt.close(ax.figure)
