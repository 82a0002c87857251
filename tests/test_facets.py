"""vk.facet: one panel per level, any vizkit chart, consistent categories and one legend."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import same_color

import vizkit as vk
from vizkit.errors import VizkitError, VizkitTypeError, VizkitValueError
from tests.fuzzing import fuzz_settings


@pytest.fixture
def penguins():
    return vk.load_dataset("penguins")


def test_multiple_bar_plot_one_panel_per_level(penguins):
    grid = vk.facet(penguins, chart=vk.bar, col="island", x="species")
    assert grid.axes.shape == (1, 3) and grid.figure is grid.axes[0, 0].figure
    assert [ax.get_title() for ax in grid] == ["Island = Torgersen", "Island = Biscoe", "Island = Dream"]
    for island, ax in grid.axes_dict.items():
        expected = penguins[penguins["island"] == island]["species"].value_counts()
        drawn = vk.plotted_data(ax).set_index("x")["value"].dropna()
        assert drawn.to_dict() == expected.to_dict()
    assert grid.data is not None and len(grid.data) == len(penguins)


def test_every_panel_has_the_same_categories_in_the_same_slots(penguins):
    grid = vk.facet(penguins, chart=vk.bar, col="island", x="species")
    for ax in grid:
        assert vk.plotted_data(ax)["x"].tolist() == ["Adelie", "Gentoo", "Chinstrap"]
    assert grid.axes[0, 0].get_shared_y_axes().joined(grid.axes[0, 0], grid.axes[0, 2])


def test_hue_colours_agree_across_panels_and_one_legend_remains(penguins):
    grid = vk.facet(penguins, chart=vk.bar, col="species", x="island", hue="sex")
    seen = {}
    for ax in grid:
        assert ax.get_legend() is None
        for container in ax.containers:  # one BarContainer per hue level, labelled with it
            color = container.patches[0].get_facecolor()
            assert same_color(seen.setdefault(container.get_label(), color), color)
    assert set(seen) == {"male", "female"} and not same_color(seen["male"], seen["female"])
    assert [t.get_text() for t in grid.legend.get_texts()] == ["female", "male"]
    assert grid.legend.get_title().get_text() == "Sex"


def test_row_and_col_grid_titles_and_labels(penguins):
    grid = vk.facet(penguins, chart=vk.bar, row="sex", col="island", x="species")
    assert grid.axes.shape == (2, 3)
    assert grid.axes[1, 2].get_title() == "Sex = female | Island = Dream"
    assert grid.axes[0, 0].get_xlabel() == "" and grid.axes[1, 0].get_xlabel() == "Species"
    assert grid.axes[1, 1].get_ylabel() == "" and grid.axes[1, 0].get_ylabel() == "Count"
    assert set(grid.axes_dict) == {(s, i) for s in ["male", "female"] for i in ["Torgersen", "Biscoe", "Dream"]}


def test_col_wrap_removes_unused_slots_and_keeps_tick_labels(penguins):
    grid = vk.facet(penguins, chart=vk.bar, col="species", col_wrap=2, x="island")
    assert grid.axes.shape == (2, 2) and grid.axes[1, 1] is None
    assert len(grid.figure.axes) == 3
    grid.figure.canvas.draw()
    assert any(t.get_text() for t in grid.axes[0, 1].get_xticklabels())  # nothing below it


def test_custom_titles_and_none(penguins):
    grid = vk.facet(penguins, chart=vk.bar, col="island", x="species", titles="{value}")
    assert grid.axes[0, 0].get_title() == "Torgersen"
    assert vk.facet(penguins, chart=vk.bar, col="island", x="species", titles=None).axes[0, 0].get_title() == ""


def test_empty_combinations_say_no_data(penguins):
    grid = vk.facet(penguins, chart=vk.bar, row="species", col="island", x="sex")
    texts = [t.get_text() for t in grid.axes_dict[("Gentoo", "Torgersen")].texts]
    assert texts == ["no data"]


def test_any_chart_taking_data_and_ax_works(penguins):
    def dots(data, *, ax, x, y):
        ax.plot(data[x], data[y], "o")
        return ax

    grid = vk.facet(penguins, chart=dots, col="species", x="bill_length_mm", y="bill_depth_mm")
    assert [len(ax.lines) for ax in grid] == [1, 1, 1]


def test_bad_input(penguins):
    with pytest.raises(VizkitTypeError, match="`chart` must be a chart function"):
        vk.facet(penguins, chart="bar", col="island")
    with pytest.raises(VizkitValueError, match="`chart` must be a function taking `data` and `ax`"):
        vk.facet(penguins, chart=len, col="island")
    with pytest.raises(VizkitValueError, match="`col` must be a column name"):
        vk.facet(penguins, chart=vk.bar, x="species")
    with pytest.raises(vk.errors.ColumnNotFoundError, match="`col` names a column that is not in `data`: 'islnd'"):
        vk.facet(penguins, chart=vk.bar, col="islnd", x="species")
    with pytest.raises(VizkitValueError, match="`col_wrap` must be None unless `col` is given without `row`"):
        vk.facet(penguins, chart=vk.bar, row="sex", col_wrap=2, x="species")
    with pytest.raises(VizkitValueError, match=r"`titles` must be a template using only .* with \{colum\}"):
        vk.facet(penguins, chart=vk.bar, col="island", x="species", titles="{colum}")
    with pytest.raises(VizkitTypeError, match="`data` must be a pandas DataFrame"):
        vk.facet(None, chart=vk.bar, col="island", x="species")
    with pytest.raises(VizkitValueError, match="`col` must be a variable with at most 64 levels"):
        vk.facet(pd.DataFrame({"c": np.arange(10_000), "x": "a"}), chart=vk.bar, col="c", x="x")


@fuzz_settings(60)
@given(n=st.integers(0, 30), col=st.sampled_from(["g", "v", "nope", None]), wrap=st.sampled_from([None, 1, 2, 0]),
       x=st.sampled_from(["c", "v"]), titles=st.sampled_from(["{col} = {value}", "{x}", None, 3]))
def test_fuzz_facet_gives_a_grid_or_a_vizkit_error(n, col, wrap, x, titles):
    rng = np.random.default_rng(n)
    df = pd.DataFrame({"g": rng.choice(["p", "q", None], n), "c": rng.choice(list("ab"), n), "v": rng.normal(size=n)})
    try:
        grid = vk.facet(df, chart=vk.bar, col=col, col_wrap=wrap, x=x, titles=titles)
    except VizkitError as error:
        assert "`" in str(error)
    else:
        assert len(list(grid)) == len(grid.col_names)
    finally:
        plt.close("all")


def test_margin_titles_name_each_column_and_row_once(penguins):
    grid = vk.facet(penguins, chart=vk.bar, row="sex", col="island", x="species", margin_titles=True)
    assert [ax.get_title() for ax in grid.axes[0]] == ["Island = Torgersen", "Island = Biscoe", "Island = Dream"]
    assert [ax.get_title() for ax in grid.axes[1]] == ["", "", ""]
    assert [t.get_text() for t in grid.axes[0, 2].texts] == ["Sex = male"]
    assert [t.get_text() for t in grid.axes[1, 2].texts] == ["Sex = female"]
    assert grid.axes[0, 2].texts[0].get_rotation() == 270 and not grid.axes[0, 0].texts


def test_mosaic_spans_ratios_and_letters():
    fig, axes = vk.mosaic("AAB;CCB", letters=True, width_ratios=[1, 1, 0.8])
    assert axes["A"].get_subplotspec().colspan == range(0, 2) and axes["B"].get_subplotspec().rowspan == range(0, 2)
    letters = {name: [t.get_text() for t in ax.texts] for name, ax in axes.items()}
    assert letters == {"A": ["(a)"], "B": ["(b)"], "C": ["(c)"]}
    fig2, nested = vk.mosaic([["left", "right"], ["bottom", "bottom"]], sharey=True)
    assert set(nested) == {"left", "right", "bottom"}
    with pytest.raises(VizkitValueError, match="`layout` must be a mosaic whose repeated names form rectangles"):
        vk.mosaic("AB;BA")
    with pytest.raises(VizkitTypeError, match="`layout` must be a mosaic string"):
        vk.mosaic(3)


def test_inset_zoom_copies_the_data_and_marks_the_region():
    fig, ax = plt.subplots()
    x = np.linspace(0, 10, 200)
    ax.plot(x, np.sin(x))
    ax.scatter([1, 2], [0.5, 0.6], color="red")
    ax.fill_between(x, -0.1, 0.1, alpha=0.3)
    ax.bar([5], [0.4])
    zoomed = vk.inset(ax, (0.6, 0.6, 0.35, 0.35), zoom=(0, 3, 0, 1))
    assert len(zoomed.lines) == 1 and np.array_equal(zoomed.lines[0].get_xdata(), x)
    assert len(zoomed.collections) == 2 and len(zoomed.patches) == 1
    assert zoomed.get_xlim() == (0, 3) and zoomed.get_ylim() == (0, 1)
    assert [type(c).__name__ for c in ax.get_children()].count("InsetIndicator") == 1
    plain = vk.inset(ax, (0.1, 0.1, 0.2, 0.2))
    assert not plain.lines


def test_inset_zoom_takes_dates_on_a_date_axis():
    fig, ax = plt.subplots()
    dates = pd.date_range("2024-01-01", periods=100)
    ax.plot(dates, np.arange(100))
    zoomed = vk.inset(ax, (0.5, 0.1, 0.4, 0.4), zoom=(pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-01"), 20, 70))
    low, high = zoomed.get_xlim()
    assert pd.Timestamp(mdates_num_to_date(low)).date().isoformat() == "2024-02-01"


def mdates_num_to_date(value):
    from matplotlib.dates import num2date

    return num2date(value).replace(tzinfo=None)


def test_inset_errors():
    fig, ax = plt.subplots()
    with pytest.raises(VizkitValueError, match="`bounds` must be .* fractions of the Axes in 0-1"):
        vk.inset(ax, (0.5, 0.5, 0.8, 0))
    with pytest.raises(VizkitValueError, match=r"`zoom` must be \(x0, x1, y0, y1\) with x0 < x1"):
        vk.inset(ax, (0.5, 0.5, 0.3, 0.3), zoom=(3, 1, 0, 1))
    with pytest.raises(VizkitTypeError, match="`bounds` must be a tuple of 4 numbers"):
        vk.inset(ax, (0.5, 0.5))


def test_context_highlight_draws_each_group_over_the_others_in_grey():
    stocks = vk.load_dataset("stocks")
    with vk.theme():
        grid = vk.facet(stocks, chart=vk.line, col="symbol", x="date", y="price", highlight="context")
    for symbol, ax in grid.axes_dict.items():
        coloured = [line for line in ax.get_lines() if not same_color(line.get_color(), vk.colors.GREY)]
        greys = [line for line in ax.get_lines() if same_color(line.get_color(), vk.colors.GREY)]
        assert len(coloured) == 1 and len(greys) == 4
        assert coloured[0].get_zorder() > max(g.get_zorder() for g in greys)
        assert ax.get_legend() is None and ax.get_title(loc="left") == f"Symbol = {symbol}"
    from matplotlib.colors import rgb_to_hsv, to_rgb

    goog = [line for line in grid.axes_dict["GOOG"].get_lines() if not same_color(line.get_color(), vk.colors.GREY)]
    assert rgb_to_hsv(to_rgb(goog[0].get_color()))[1] >= 0.3  # the palette's grey-green is swapped out


def test_context_highlight_errors(penguins):
    with pytest.raises(VizkitValueError, match="`highlight` must be 'context' with `col` or `row` alone"):
        vk.facet(penguins, chart=vk.bar, row="sex", col="island", x="species", highlight="context")
    with pytest.raises(VizkitValueError, match="`hue` must be None with highlight='context'"):
        vk.facet(penguins, chart=vk.bar, col="island", x="species", hue="sex", highlight="context")


def test_facet_keeps_dates_continuous():
    stocks = vk.load_dataset("stocks")
    grid = vk.facet(stocks, chart=vk.line, col="symbol", col_wrap=3, x="date", y="price")
    assert len(list(grid)) == 5


def test_facet_splits_nullable_columns_and_names_duplicate_ones():
    # Regression: a nullable `string` column with missing values made `col == level` an object mask
    # ("Cannot cast ufunc 'bitwise_and'"); duplicate column names raised a bare AttributeError.
    df = pd.DataFrame({"g": pd.array(["a", None, "b", "a"], dtype="string"), "x": ["u", "v", "u", "v"]})
    grid = vk.facet(df, chart=vk.bar, col="g", x="x")
    assert [vk.plotted_data(ax)["n"].sum() for ax in grid] == [2, 1]
    plt.close(grid.figure)
    twice = pd.DataFrame([[1, "u", "v"], [2, "v", "u"]], columns=["g", "x", "x"])
    with pytest.raises(vk.errors.VizkitValueError, match=r"`x` must be a name that appears once"):
        vk.facet(twice, chart=vk.bar, col="g", x="x")


def test_mosaic_letters_go_on_past_z():
    layout = [[f"p{r}{c}" for c in range(6)] for r in range(5)]  # 30 panels
    fig, axes = vk.mosaic(layout, letters=True)
    letters = [axes[f"p{r}{c}"].texts[0].get_text() for r in range(5) for c in range(6)]
    assert letters[:2] == ["(a)", "(b)"] and letters[25:] == ["(z)", "(aa)", "(ab)", "(ac)", "(ad)"]


def test_a_refused_zoom_leaves_no_inset_behind():
    fig, ax = plt.subplots()
    ax.plot([0, 10], [0, 5])
    for zoom in ((3, 1, 0, 1), (0, 1, 0), ("a", 1, 0, 1)):
        with pytest.raises((VizkitValueError, VizkitTypeError), match="`zoom"):
            vk.inset(ax, (0.5, 0.5, 0.3, 0.3), zoom=zoom)
    assert ax.child_axes == [] and len(fig.axes) == 1


# ---------------------------------------------------------------- many levels (issue 12)
def test_many_levels_wrap_past_a_readable_width_and_warn_past_a_readable_count():
    # barley: 6 sites x 10 varieties = 60 panels; without col_wrap the figure was 60 x 4.2 = 252 inches wide
    from vega_datasets import data

    barley = data.barley()
    barley["site_variety"] = barley["site"] + " / " + barley["variety"]
    with pytest.warns(UserWarning, match=r"facet draws 60 panels, one per level of `col` 'site_variety' "
                                         r"\(60 levels\).*Filter `data`.*`col_wrap`"):
        grid = vk.facet(barley, chart=vk.bar, col="site_variety", x="year", y="yield", height=1.5)
    width, _ = grid.figure.get_size_inches()
    assert width <= vk.charts.facets.MAX_FIGURE_WIDTH
    assert grid.axes.shape == (8, 8)  # 1.5 x 1.4 = 2.1 in a panel: 8 a row, 60 over 8 rows of 8
    assert len(grid.axes_dict) == 60 and sum(ax is not None for ax in grid.axes.flat) == 60
    drawn = vk.plotted_data(grid.axes_dict["Morris / Trebi"]).set_index("x")["value"]
    expected = barley[barley["site_variety"] == "Morris / Trebi"].groupby("year")["yield"].mean()
    assert drawn.to_dict() == pytest.approx(expected.to_dict())
    plt.close(grid.figure)


def test_a_few_levels_wrap_into_balanced_rows_without_a_warning():
    from vega_datasets import data

    barley = data.barley()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = vk.facet(barley, chart=vk.bar, col="variety", x="site", y="yield")  # 10 panels of 4.2 in
    assert grid.axes.shape == (3, 4) and grid.figure.get_size_inches()[0] == pytest.approx(16.8)
    plt.close(grid.figure)
    weather = vk.load_dataset("seattle_weather")
    grid = vk.facet(weather, chart=vk.bar, col="weather", x="weather", y="temp_max")  # 5 levels: 3 + 2
    assert grid.axes.shape == (2, 3) and grid.axes[1, 2] is None
    plt.close(grid.figure)


def test_an_explicit_col_wrap_and_four_panels_keep_one_row():
    stocks = vk.load_dataset("stocks")
    grid = vk.facet(stocks, chart=vk.line, col="symbol", col_wrap=5, x="date", y="price")
    assert grid.axes.shape == (1, 5)  # the user asked for it: 21 inches
    plt.close(grid.figure)
    grid = vk.facet(stocks[stocks["symbol"] != "GOOG"], chart=vk.line, col="symbol", x="date", y="price")
    assert grid.axes.shape == (1, 4)
    plt.close(grid.figure)


def test_a_row_by_col_grid_too_wide_to_wrap_warns_with_a_way_out():
    from vega_datasets import data

    barley = data.barley()
    with pytest.warns(UserWarning, match=r"facet draws 10 columns of panels, 42 inches wide.*Put the column "
                                         r"with more levels in `row`"):
        grid = vk.facet(barley, chart=vk.bar, row="year", col="variety", x="site", y="yield", height=1.5, aspect=2.8)
    assert grid.axes.shape == (2, 10)
    plt.close(grid.figure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = vk.facet(barley, chart=vk.bar, row="variety", col="year", x="site", y="yield", height=1.5)
    assert grid.axes.shape == (10, 2)
    plt.close(grid.figure)


def test_an_empty_frame_of_text_columns_gets_the_missing_column_named():
    # found by make fuzz: the y-levels check raised pandas' "Cannot perform reduction 'all' with string dtype"
    empty = pd.DataFrame({name: pd.Series([], dtype="string") for name in "abcde"})
    with pytest.raises(vk.errors.ColumnNotFoundError, match="`col` names a column that is not in `data`: 'missing'"):
        vk.facet(empty, chart=vk.line, col="missing", x="missing", y="d")
