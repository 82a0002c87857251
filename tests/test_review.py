"""vk.lint finds each fault on a figure broken on purpose (and nothing else); vk.describe is alt text."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk
from tests.image.gallery import SCRIPTS, assert_lints_clean, images_compared, run_script
from vizkit.elements.review import RULES


def _clean(ax):
    ax.set(xlabel="x", ylabel="y")


def overlap():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    ax.plot([0, 1], [0, 1])
    ax.text(0.5, 0.5, "first note here", transform=ax.transAxes)
    ax.text(0.52, 0.51, "second note here", transform=ax.transAxes)
    return fig


def clipped():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    ax.plot([0, 1], [0, 1])
    fig.text(0.9, 0.5, "a note that runs off the page")
    return fig


def legend_on_data():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.full(50, 0.9), label="high", color="#1f77b4")
    ax.plot(x, x * 0.2, label="low", color="#d62728")
    ax.legend(loc="upper center")
    return fig


def faint_text():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    ax.plot([0, 1], [0, 1])
    ax.text(0.1, 0.8, "barely there", color="#dddddd", transform=ax.transAxes)
    return fig


def many_colours():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    colors = vk.palette("vizkit") + ["black"]
    for k, color in enumerate(colors):
        ax.plot([0, 1], [k, k + 1], color=color)
    return fig


def rainbow():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    ax.imshow(np.arange(100).reshape(10, 10), cmap="jet")
    return fig


def bars_not_from_zero():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    ax.bar(["a", "b", "c"], [100, 102, 104])
    ax.set_ylim(98, 105)
    return fig


def unlabelled_secondary():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    ax.plot([0, 30], [0, 30])
    ax.set_ylabel("°C")
    ax.secondary_yaxis("right", functions=(lambda c: c * 9 / 5 + 32, lambda f: (f - 32) * 5 / 9))
    return fig


def faint_marks():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    ax.plot([0, 1], [0, 1], color="#ffa90e")  # 1.9:1 on white: a thin line that barely shows
    _clean(ax)
    return fig


FIXTURES = {
    "text-overlap": overlap, "text-clipped": clipped, "legend-covers-data": legend_on_data,
    "low-contrast-text": faint_text, "too-many-colors": many_colours, "rainbow-colormap": rainbow,
    "bar-axis-excludes-zero": bars_not_from_zero, "unlabelled-secondary-axis": unlabelled_secondary,
    "low-contrast-marks": faint_marks,
}


def test_every_rule_has_a_fixture():
    assert set(FIXTURES) == set(RULES)


@pytest.mark.parametrize("rule", FIXTURES)
def test_each_broken_fixture_triggers_exactly_its_rule(rule):
    findings = vk.lint(FIXTURES[rule]())
    assert {f.rule for f in findings} == {rule}, [str(f) for f in findings]
    assert all(f.message and f.artist is not None for f in findings)


def test_fixing_the_fault_clears_the_finding():
    fig = bars_not_from_zero()
    fig.axes[0].set_ylim(0, 110)
    assert vk.lint(fig) == []
    fig = unlabelled_secondary()
    fig.axes[0].child_axes[0].set_ylabel("°F")
    assert vk.lint(fig) == []


def test_rotated_tick_labels_that_clear_each_other_are_not_overlaps():
    fig, ax = plt.subplots(figsize=(3, 3), dpi=100, layout="constrained")
    ax.bar([f"a long name {i}" for i in range(6)], range(1, 7))
    vk.format_axis(ax, rotate="auto")
    assert vk.lint(fig, rules=["text-overlap", "text-clipped"]) == []


def test_text_over_an_outline_only_or_see_through_box_is_read_on_what_shows_through():
    """A white label inside an outlined (unfilled) rectangle on a black image is fine; over a half-transparent
    white box it sits on grey; over a solid white box it is unreadable."""
    from matplotlib.patches import Rectangle

    def label_in(**box):
        fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
        _clean(ax)
        ax.imshow(np.zeros((4, 4)), cmap="gray", vmin=0, vmax=1)
        ax.add_patch(Rectangle((0.5, 0.5), 2, 2, edgecolor="#d67a00", **box))
        ax.text(1.5, 1.5, "label", color="white", ha="center", va="center")
        return [f.rule for f in vk.lint(fig, rules=["low-contrast-text"])]

    assert label_in(fill=False) == []
    assert label_in(facecolor=(1, 1, 1, 0)) == []
    assert label_in(facecolor=(1, 1, 1, 0.3)) == []
    assert label_in(facecolor="white") == ["low-contrast-text"]
    plt.close("all")


def test_lint_ignore_marks_a_deliberate_bad_example():
    fig = faint_text()
    fig.axes[0].texts[0].set_gid(vk.review.IGNORE)
    assert vk.lint(fig) == []


@pytest.mark.skipif(images_compared(), reason="each page is linted by its image test (tests/image/test_gallery.py)")
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_every_gallery_figure_lints_clean(script):
    assert_lints_clean(run_script(script))


def test_describe_a_bar_chart_gives_each_bar_its_value():
    penguins = vk.load_dataset("penguins")
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    vk.bar(penguins, x="species", ax=ax)
    ax.set_title("Penguins", loc="left")
    text = vk.describe(ax)
    assert text.startswith("Bar chart titled 'Penguins'. x axis 'Species' with categories Adelie, Gentoo, Chinstrap")
    counts = penguins["species"].value_counts()
    assert f"1 series: Count (Adelie {counts['Adelie']}, Gentoo {counts['Gentoo']}, Chinstrap {counts['Chinstrap']})" in text
    assert vk.describe(ax) == text  # deterministic
    plt.close(fig)


def test_describe_lines_names_each_series_and_gives_data_ranges_not_view_limits():
    stocks = vk.load_dataset("stocks")
    fig, ax = plt.subplots()
    vk.line(stocks, x="date", y="price", hue="symbol", ax=ax)
    ax.set_ylim(-100, 1000)  # the view is wider than the data
    text = vk.describe(ax)
    first, last = stocks["date"].min().date().isoformat(), stocks["date"].max().date().isoformat()
    assert text.startswith(f"Line chart. x axis 'Date', data from {first} to {last}; y axis 'Price', data from "
                           f"{stocks['price'].min():.3g} to {stocks['price'].max():.3g}. 5 series:")
    goog = stocks.query("symbol == 'GOOG'")["price"]
    assert f"GOOG (min {goog.min():.3g}, max {goog.max():.3g}, last {goog.iloc[-1]:.3g})" in text
    assert "series 1" not in text and "-100" not in text
    plt.close(fig)


def test_describe_groups_the_grey_context_of_a_highlight_and_says_what_it_means():
    stocks = vk.load_dataset("stocks")
    fig, ax = plt.subplots()
    vk.line(stocks, x="date", y="price", hue="symbol", highlight="AAPL", ax=ax)
    text = vk.describe(ax)
    others = stocks.query("symbol != 'AAPL'")
    assert (f"other (4 lines: {', '.join(sorted(others['symbol'].unique()))}; "
            f"min {others['price'].min():.3g}, max {others['price'].max():.3g})") in text
    assert text.index("AAPL (") < text.index("other (")  # the highlighted series first
    assert text.endswith("AAPL is highlighted in colour; the other 4 lines are grey context.")
    plt.close(fig)


def test_describe_a_highlighted_bar_chart_and_scatter():
    penguins = vk.load_dataset("penguins")
    fig, (left, right) = plt.subplots(1, 2)
    vk.bar(penguins, x="island", hue="species", highlight="Gentoo", ax=left)
    vk.scatter(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="species", highlight="Gentoo", ax=right)
    single = plt.figure().add_subplot()
    vk.bar(penguins, x="species", y="body_mass_g", highlight="Gentoo", ax=single)
    assert vk.describe(single).endswith("Gentoo is highlighted in colour; the other 2 bars are grey context.")
    bars = vk.describe(left)
    assert bars.startswith("Bar chart. x axis 'Island' with categories ")
    gentoo = penguins.query("species == 'Gentoo'").groupby("island").size()
    assert f"Gentoo (Biscoe {gentoo['Biscoe']})" in bars  # Gentoo live on Biscoe only
    assert bars.endswith("Gentoo is highlighted in colour; the other 2 bar groups are grey context.")
    points = vk.describe(right)
    drawn = penguins.dropna(subset=["flipper_length_mm", "bill_depth_mm"])
    assert f"Gentoo ({(drawn['species'] == 'Gentoo').sum()} points" in points
    assert f"other (1 point group; {(drawn['species'] != 'Gentoo').sum()} points, y from" in points
    assert points.endswith("Gentoo is highlighted in colour; the other point group is grey context.")
    plt.close("all")


def test_describe_tells_series_of_one_legend_entry_apart():
    penguins = vk.load_dataset("penguins").dropna(subset=["bill_length_mm", "bill_depth_mm", "sex"])
    fig, (left, right) = plt.subplots(1, 2)
    vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", style="sex", ax=left)
    text = vk.describe(left)
    for (species, sex), group in penguins.groupby(["species", "sex"]):
        assert f"{species}, {sex} ({len(group)} points" in text
    steps = np.arange(50)
    raw = np.exp(-steps / 20) + 0.05 * np.sin(steps)
    right.plot(steps, raw, color="C0", alpha=0.3, label="_raw")  # a faint raw layer under its smoothed line
    right.plot(steps, np.exp(-steps / 20), color="C0", label="_smooth")
    right.legend(handles=[plt.Line2D([], [], color="C0", label="train")])
    text = vk.describe(right)
    assert "2 series: train, raw (min " in text and "; train, smooth (min " in text
    plt.close(fig)


def test_describe_a_grey_series_alone_is_a_series_not_context():
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [3, 1, 2], color="grey", label="baseline")
    assert "1 series: baseline (min 1, max 3, last 2)." in vk.describe(ax)
    plt.close(fig)


def test_describe_names_train_and_val_bands_and_reference_lines():
    epochs = np.arange(1, 11)
    train, val = 1 / epochs, 1 / epochs + 0.2
    fig, ax = plt.subplots()
    ax.plot(epochs, train, label="train")
    ax.plot(epochs, val, label="val")
    ax.fill_between(epochs, val - 0.05, val + 0.05, color=ax.lines[1].get_color(), alpha=0.2, label="val ± 1 sd")
    ax.legend()
    vk.refline(ax, y=0.3, label="target")
    vk.refspan(ax, x=(1, 3), label="warm-up")
    ax.set(xlabel="epoch", ylabel="loss")
    text = vk.describe(ax)
    assert "2 series: train (min 0.1, max 1, last 0.1); val (min 0.3, max 1.2, last 0.3)." in text
    assert "A shaded band around val (val ± 1 sd) spans 0.25 to 1.25." in text
    assert "Reference line at y = 0.3 labelled 'target'." in text
    assert "Shaded span from x = 1 to 3 labelled 'warm-up'." in text
    assert "x axis 'epoch', data from 1 to 10" in text  # the span and the line are not data
    plt.close(fig)


def test_describe_a_scatter_names_its_hue_groups_from_the_legend():
    penguins = vk.load_dataset("penguins").dropna(subset=["bill_length_mm", "bill_depth_mm"])
    fig, ax = plt.subplots()
    vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", ax=ax)
    text = vk.describe(ax)
    for species, group in penguins.groupby("species", sort=False):
        assert (f"{species} ({len(group)} points, x from {group['bill_length_mm'].min():.3g} to "
                f"{group['bill_length_mm'].max():.3g}") in text
    plt.close(fig)


def test_describe_a_strip_plot_names_its_category_axis_by_levels_not_positions():
    penguins = vk.load_dataset("penguins").dropna(subset=["body_mass_g"])
    fig, ax = plt.subplots()
    vk.scatter(penguins, x="species", y="body_mass_g", ax=ax)
    text = vk.describe(ax)
    assert "x axis 'Species' with categories Adelie, Gentoo, Chinstrap" in text
    assert f"({len(penguins)} points, y from 2700 to 6300)" in text  # no "x from 0 to 2": positions mean nothing
    plt.close(fig)


def test_describe_and_lint_check_their_input():
    with pytest.raises(vk.errors.VizkitTypeError, match="`ax` must be a Matplotlib Axes"):
        vk.describe("ax")
    with pytest.raises(vk.errors.VizkitTypeError, match="`fig` must be a Matplotlib Figure"):
        vk.lint(plt.subplots()[1])
    with pytest.raises(vk.errors.VizkitValueError, match="`rules` must be a list of rule ids among"):
        vk.lint(plt.figure(), rules=["nope"])


def test_a_log_axis_tick_just_outside_the_view_is_not_a_clipped_text():
    # the locator keeps a tick at 1e-7 below a view from 5e-6: Matplotlib does not draw it, lint must not
    # read it (a linear slack of 1e-9 of the range, 0.02 here, took it as inside)
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    ax.plot([0, 20], [1e7, 1e-5])
    ax.set(yscale="log", ylim=(4.85e-6, 2.1e7), title="Log axis")
    fig.canvas.draw()
    assert 1e-7 in ax.yaxis.get_majorticklocs()
    assert [f for f in vk.lint(fig) if f.rule == "text-clipped"] == []
