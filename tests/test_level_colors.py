"""One category, one colour (issue 12 §1 and §2): one hue rule for every chart, colours that follow the
level order, pinned colours, colour bars for numbers, colours chosen against the face, and lint's check
of data colours."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import same_color, to_rgb

import vizkit as vk
from vizkit._core.semantics import hue_kind
from vizkit.errors import VizkitTypeError, VizkitValueError

DARK_FACE = "#1c1e23"


@pytest.fixture
def penguins():
    return vk.load_dataset("penguins")


@pytest.fixture
def stocks():
    return vk.load_dataset("stocks")


@pytest.fixture(autouse=True)
def _unpinned():
    vk.set_colors()
    yield
    vk.set_colors()


def _ax():
    return plt.figure(layout="constrained").subplots()


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _line_colors(ax):
    """{label: colour} of the labelled lines of a line chart."""
    return {line.get_label(): line.get_color() for line in ax.lines if not line.get_label().startswith("_")}


def _bar_colors(ax):
    return {c.get_label(): c.patches[0].get_facecolor() for c in ax.containers if c.patches}


def _scatter_colors(ax):
    drawn = vk.plotted_data(ax)
    return dict(zip(drawn["hue"], drawn["color"], strict=False))


# ---------------------------------------------------------------- one rule for an integer hue


def test_the_hue_rule_integers_with_few_values_are_levels():
    assert hue_kind(pd.Series([2007, 2008, 2009, 2008])) == "categorical"
    assert hue_kind(pd.Series(np.arange(30) % 10, dtype="Int64")) == "categorical"  # digits
    assert hue_kind(pd.Series(np.arange(13))) == "numeric"  # past 12 levels: a quantity
    assert hue_kind(pd.Series([0.1, 0.01, 0.001])) == "numeric"
    assert hue_kind(pd.Series([714, 411, 259, 54, 26])) == "numeric"  # one count per row: a quantity
    assert hue_kind(pd.Series(["a", "b"])) == "categorical" and hue_kind(pd.Series([True, False])) == "categorical"
    ordered = pd.Categorical(["low", "high", "mid"], categories=["low", "mid", "high"], ordered=True)
    assert hue_kind(ordered) == "ordered" and hue_kind(pd.Categorical(["a", "b"])) == "categorical"


def test_an_integer_hue_shows_only_levels_that_exist_in_every_chart(penguins):
    """Scatter used to label a year hue "2007.5"; line and bar treated it as levels. Now all three agree."""
    scatter = vk.scatter(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="year", ax=_ax())
    line = vk.line(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="year", ax=_ax())
    bar = vk.bar(penguins, x="island", y="body_mass_g", hue="year", ax=_ax())
    for ax in (scatter, line, bar):
        assert _legend(ax) == ["2007", "2008", "2009"]
    colors = [_scatter_colors(scatter), _line_colors(line), _bar_colors(bar)]
    for year in (2007, 2008, 2009):
        assert same_color(colors[0][year], colors[1][str(year)]) and same_color(colors[1][str(year)],
                                                                               colors[2][str(year)])


def test_digits_are_levels_and_many_integers_a_quantity():
    digits = pd.DataFrame({"x": np.arange(50.0), "y": np.arange(50.0) % 7, "digit": np.arange(50) % 10})
    ax = vk.scatter(digits, x="x", y="y", hue="digit", ax=_ax())
    assert _legend(ax) == [str(d) for d in range(10)]  # never 2.5 or 7.5
    counts = digits.assign(digit=np.arange(50))
    ax = vk.scatter(counts, x="x", y="y", hue="digit", ax=_ax())
    assert ax.get_legend() is None and len(ax.child_axes) == 1  # 50 values: a colour bar


# ---------------------------------------------------------------- numbers and ordered levels


def test_a_numeric_hue_gets_a_colour_bar_not_legend_dots(penguins):
    ax = vk.scatter(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="body_mass_g", ax=_ax())
    assert ax.get_legend() is None
    (cax,) = ax.child_axes
    drawn = vk.plotted_data(ax)
    assert cax.get_ylim() == pytest.approx((drawn["hue"].min(), drawn["hue"].max()))
    assert cax.get_ylabel() == "Body mass (g)"
    assert vk.lint(ax.figure) == []


def test_a_numeric_hue_with_other_channels_keeps_their_legend_and_adds_the_bar(penguins):
    ax = vk.scatter(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="body_mass_g", size="bill_length_mm",
                    ax=_ax())
    assert _legend(ax)[:1] == ["40"] or "bill_length_mm" in [ax.get_legend().get_title().get_text()]
    (cax,) = ax.child_axes
    assert cax.get_position().height < ax.get_position().height  # under the legend, not beside it


def _lightness(colors):
    import colour

    return colour.XYZ_to_CAM02UCS(colour.sRGB_to_XYZ(np.array([to_rgb(c) for c in colors])))[:, 0]


@pytest.mark.parametrize("style", ["vizkit", "dark"])
def test_an_ordered_variable_gets_a_sequential_ramp_in_every_chart(style):
    """A learning rate (numbers) or an ordered Categorical: contrast with the face grows along the levels."""
    rng = np.random.default_rng(0)
    runs = pd.DataFrame([{"epoch": e, "lr": lr, "loss": np.exp(-e * lr) + rng.normal(0, 0.01)}
                         for lr in (0.001, 0.01, 0.1, 0.3) for e in range(10)])
    size = pd.Categorical(rng.choice(["small", "medium", "large"], 40), categories=["small", "medium", "large"],
                          ordered=True)
    with vk.theme(style):
        face = vk.colors.face_color()
        line = vk.line(runs, x="epoch", y="loss", hue="lr", ax=_ax())
        by_lr = [_line_colors(line)[str(lr)] for lr in (0.001, 0.01, 0.1, 0.3)]
        bar = vk.bar(runs.assign(size=size), x="epoch", y="loss", hue="size", ax=_ax())
        by_size = [_bar_colors(bar)[level] for level in ("small", "medium", "large")]
        scatter = vk.scatter(runs.assign(size=size), x="epoch", y="loss", hue="size", ax=_ax())
        by_point = [_scatter_colors(scatter)[level] for level in ("small", "medium", "large")]
    for colors in (by_lr, by_size, by_point):
        ratios = [vk.contrast_ratio(c, face) for c in colors]
        assert ratios == sorted(ratios) and ratios[0] >= 3  # low to high contrast, every one readable
    assert np.allclose([to_rgb(c) for c in by_size], [to_rgb(c) for c in by_point], atol=1 / 255)
    lightness = _lightness(by_lr)
    assert np.all(np.diff(lightness) < 0) if style == "vizkit" else np.all(np.diff(lightness) > 0)


def test_many_numeric_levels_of_a_line_chart_get_a_colour_bar():
    waves = pd.DataFrame([{"x": x, "epoch": e, "v": np.sin(x / 5) * e} for e in range(30) for x in range(20)])
    ax = vk.line(waves, x="x", y="v", hue="epoch", ax=_ax())
    assert ax.get_legend() is None and len(ax.child_axes) == 1
    assert vk.lint(ax.figure) == []  # 30 shades of one ramp, explained by the bar, are not 30 categories


# ---------------------------------------------------------------- a level keeps its colour


def test_colours_follow_the_level_order_whatever_the_row_order(stocks):
    shuffled = stocks.sample(frac=1, random_state=3)
    reversed_ = stocks.iloc[::-1]
    maps = [_line_colors(vk.line(d, x="date", y="price", hue="symbol", ax=_ax())) for d in (stocks, shuffled,
                                                                                             reversed_)]
    for symbol in stocks["symbol"].unique():
        assert same_color(maps[0][symbol], maps[1][symbol]) and same_color(maps[0][symbol], maps[2][symbol])
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    assert same_color(maps[0]["AAPL"], cycle[0])  # sorted: AAPL first, whichever row comes first


def test_a_level_keeps_its_colour_across_charts_and_subsets(stocks):
    """AAPL was blue in one figure and purple in another."""
    every = _line_colors(vk.line(stocks, x="date", y="price", hue="symbol", ax=_ax()))
    latest = stocks[stocks["date"] == stocks["date"].max()]
    bars = _bar_colors(vk.bar(latest, x="symbol", y="price", hue="symbol", ax=_ax()))
    points = _scatter_colors(vk.scatter(latest, x="price", y="price", hue="symbol", ax=_ax()))
    for symbol in latest["symbol"]:
        assert same_color(every[symbol], bars[symbol]) and same_color(every[symbol], points[symbol])


def test_a_categorical_keeps_its_own_order(penguins):
    ordered = penguins.assign(species=pd.Categorical(penguins["species"], categories=["Gentoo", "Adelie",
                                                                                      "Chinstrap"]))
    ax = vk.bar(ordered, x="island", y="body_mass_g", hue="species", ax=_ax())
    assert _legend(ax) == ["Gentoo", "Adelie", "Chinstrap"]
    assert same_color(_bar_colors(ax)["Gentoo"], plt.rcParams["axes.prop_cycle"].by_key()["color"][0])


def test_set_colors_pins_levels_in_every_chart_until_set_theme(penguins):
    vk.set_colors({"Adelie": "#000000"})
    scatter = _scatter_colors(vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", ax=_ax()))
    bar = _bar_colors(vk.bar(penguins, x="island", y="body_mass_g", hue="species", ax=_ax()))
    grid = vk.facet(penguins, chart=vk.scatter, col="island", x="bill_length_mm", y="bill_depth_mm", hue="species")
    assert same_color(scatter["Adelie"], "black") and same_color(bar["Adelie"], "black")
    assert all(same_color(_scatter_colors(ax).get("Adelie", "black"), "black") for ax in grid)
    assert not same_color(scatter["Chinstrap"], "black")  # the rest skip the pinned colour
    with plt.rc_context():
        vk.set_theme()
        assert vk.colors.pinned_colors() == {}


def test_colors_mapping_on_every_chart_and_through_facet(penguins):
    colors = {"Adelie": "#c10000", "Chinstrap": "#0a7047", "Gentoo": "#2d46e8"}
    vk.set_colors({"Adelie": "black"})  # the chart's own mapping wins
    charts = [
        _scatter_colors(vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", colors=colors,
                                   ax=_ax())),
        _bar_colors(vk.bar(penguins, x="island", y="body_mass_g", hue="species", colors=colors, ax=_ax())),
        _line_colors(vk.line(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", colors=colors,
                             ax=_ax())),
    ]
    for drawn in charts:
        assert all(same_color(drawn[level], color) for level, color in colors.items())
    grid = vk.facet(penguins, chart=vk.bar, col="sex", x="island", y="body_mass_g", hue="species", colors=colors)
    assert all(same_color(_bar_colors(ax)[level], colors[level]) for ax in grid for level in _bar_colors(ax))


def test_a_bad_colors_mapping_names_what_is_wrong_and_draws_nothing(penguins):
    fig, ax = plt.subplots()
    with pytest.raises(VizkitValueError, match=r"`colors` must be a dict with a colour for every level.*'Gentoo'"):
        vk.bar(penguins, x="island", y="body_mass_g", hue="species", colors={"Adelie": "red", "Chinstrap": "blue"},
               ax=ax)
    with pytest.raises(VizkitValueError, match=r"`colors\['Adelie'\]` must be a Matplotlib colour"):
        vk.line(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", ax=ax,
                colors={"Adelie": "nope", "Chinstrap": "red", "Gentoo": "blue"})
    with pytest.raises(VizkitTypeError, match="`colors` must be a dict of level -> colour"):
        vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", colors=["red"], ax=ax)
    with pytest.raises(VizkitValueError, match="`colors` must be None when `hue` is not"):
        vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", colors={"a": "red"}, ax=ax)
    with pytest.raises(VizkitTypeError, match="`colors` must be a dict"):
        vk.set_colors(["red"])
    with pytest.raises(VizkitValueError, match=r"`colors\['x'\]` must be a Matplotlib colour"):
        vk.set_colors({"x": "nope"})
    assert not ax.lines and not ax.patches and not ax.collections  # a refused call draws nothing


# ---------------------------------------------------------------- highlight


def test_a_highlighted_level_keeps_its_own_colour(penguins):
    """gallery highlight: Gentoo was blue in the bar panel and another colour in the scatter panel."""
    bar = vk.bar(penguins, x="species", y="body_mass_g", highlight="Gentoo", ax=_ax())
    scatter = vk.scatter(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="species", highlight="Gentoo",
                         ax=_ax())
    plain = vk.scatter(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="species", ax=_ax())
    gentoo = [bar.patches[list(vk.plotted_data(bar)["x"]).index("Gentoo")].get_facecolor(),
              _scatter_colors(scatter)["Gentoo"], _scatter_colors(plain)["Gentoo"]]
    assert same_color(gentoo[0], gentoo[1]) and same_color(gentoo[1], gentoo[2])


def test_the_grey_group_is_labelled_once_with_its_count(stocks):
    ax = vk.line(stocks, x="date", y="price", hue="symbol", highlight="AAPL", ax=_ax())
    assert _legend(ax) == ["AAPL", "other (4 lines)"]
    texts = vk.legend(ax, where="direct")
    assert [t.get_text() for t in texts] == ["AAPL", "other (4 lines)"]


def test_on_the_dark_face_the_grey_rest_recedes_behind_the_highlight(penguins):
    with vk.theme("dark"):
        ax = vk.bar(penguins, x="species", y="body_mass_g", highlight="Gentoo", ax=_ax())
    faces = {x: p.get_facecolor() for x, p in zip(vk.plotted_data(ax)["x"], ax.patches, strict=False)}
    face = ax.get_facecolor()
    assert vk.contrast_ratio(faces["Adelie"], face) < vk.contrast_ratio(faces["Gentoo"], face)
    assert same_color(faces["Adelie"], vk.colors.DARK_GREY)


# ---------------------------------------------------------------- the face, and lint


def test_on_the_dark_face_high_values_stand_out_instead_of_vanishing(penguins):
    with vk.theme("dark"):
        ax = vk.scatter(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="body_mass_g", ax=_ax())
        drawn = vk.plotted_data(ax)
        heaviest = drawn["color"].iloc[int(np.argmax(drawn["hue"].to_numpy()))]
        lightest = drawn["color"].iloc[int(np.argmin(drawn["hue"].to_numpy()))]
        assert vk.contrast_ratio(heaviest, DARK_FACE) > 10 and vk.contrast_ratio(lightest, DARK_FACE) >= 3
        assert vk.lint(ax.figure) == []


def test_lint_finds_data_colours_that_sink_into_the_face(penguins):
    with vk.theme("dark"):
        navy = vk.scatter(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="body_mass_g",
                          palette="vizkit_seq", ax=_ax())  # what the dark theme drew before: navy on navy
        (finding,) = [f for f in vk.lint(navy.figure) if f.rule == "low-contrast-marks"]
        assert "highest value" in finding.message and "#1c1e23" in finding.message
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1], color="#3f3f46")
        ax.bar([2, 3], [1, 1], color=["#2a2c31", "#cc2800"])
        found = [f for f in vk.lint(fig) if f.rule == "low-contrast-marks"]
        assert [type(f.artist).__name__ for f in found] == ["Line2D", "Rectangle"]
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color=vk.palette("petroff10")[1])  # the old default orange: 1.9:1 on white
    assert [f.rule for f in vk.lint(fig)] == ["low-contrast-marks"]
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color=vk.palette("petroff10")[1], alpha=0.3)  # faint on purpose: not a finding
    ax.plot([0, 1], [1, 0], color=vk.colors.GREY)  # the context grey: de-emphasised on purpose
    assert vk.lint(fig) == []


@pytest.mark.parametrize("style", ["vizkit", "dark"])
def test_default_charts_pass_the_contrast_rule_on_both_faces(style, penguins, stocks):
    with vk.theme(style):
        fig, axes = plt.subplots(1, 3, figsize=(12, 3), layout="constrained")
        vk.line(stocks, x="date", y="price", hue="symbol", ax=axes[0])
        vk.bar(penguins, x="island", y="body_mass_g", hue="species", ax=axes[1])
        vk.scatter(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="species", ax=axes[2])
        assert [f for f in vk.lint(fig) if f.rule == "low-contrast-marks"] == []


# ---------------------------------------------------------------- the raw layer of a smoothed line


def test_the_faint_raw_layer_of_a_smoothed_line_is_in_the_legend():
    rng = np.random.default_rng(1)
    runs = pd.DataFrame({"step": np.tile(np.arange(60), 2), "loss": rng.normal(1, 0.1, 120),
                         "split": np.repeat(["train", "val"], 60)})
    ax = vk.line(runs, x="step", y="loss", hue="split", smooth="ewm", window=9, ax=_ax())
    assert _legend(ax) == ["train", "val", "raw"]
    raw = ax.get_legend().legend_handles[-1]
    assert raw.get_linewidth() < ax.get_legend().legend_handles[0].get_linewidth()
    assert same_color(raw.get_color(), vk.themes.muted_ink(ax)) and raw.get_alpha() < 1  # the muted, faint ink
    single = vk.line(runs[runs["split"] == "train"], x="step", y="loss", smooth="ewm", window=9, ax=_ax())
    assert _legend(single) == ["Loss (smoothed)", "raw"]
    plain = vk.line(runs, x="step", y="loss", hue="split", ax=_ax())
    assert "raw" not in _legend(plain)


def test_a_numeric_hue_reads_the_same_in_every_panel():
    rng = np.random.default_rng(2)
    runs = pd.DataFrame([{"epoch": e, "lr": lr, "opt": opt, "loss": np.exp(-e * lr) + rng.normal(0, 0.01)}
                         for opt, lrs in (("sgd", (0.001, 0.01, 0.1)), ("adam", (0.01, 0.1, 0.3)))
                         for lr in lrs for e in range(10)])
    grid = vk.facet(runs, chart=vk.line, col="opt", x="epoch", y="loss", hue="lr")
    shared = [_line_colors(ax) for ax in grid]
    for lr in ("0.01", "0.1"):  # in both panels: one colour, though each panel has other rates
        assert same_color(shared[0][lr], shared[1][lr])
    assert runs["lr"].dtype == float  # the user's frame is left alone
    points = vk.facet(runs, chart=vk.scatter, col="opt", x="epoch", y="loss", hue="loss")
    norms = [next(c for c in ax.collections if c.get_array() is not None).norm for ax in points]
    assert norms[0].vmin == norms[1].vmin == runs["loss"].min() and norms[0].vmax == norms[1].vmax
    assert [len(ax.child_axes) for ax in points] == [0, 1]  # one scale, one colour bar, on the right


def test_no_ordered_levels_get_no_colours():
    # make test's fuzzing found it: an empty frame whose hue had ordered levels raised zip's error in hue_colors
    assert vk.colors.hue_colors([], ordered=True) == {}
