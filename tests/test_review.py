"""vk.lint finds each fault on a figure broken on purpose (and nothing else); vk.describe is alt text."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk
from tests.image.gallery import SCRIPTS, run_script
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


def test_lint_ignore_marks_a_deliberate_bad_example():
    fig = faint_text()
    fig.axes[0].texts[0].set_gid(vk.review.IGNORE)
    assert vk.lint(fig) == []


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_every_gallery_figure_lints_clean(script):
    for figure in run_script(script):
        findings = vk.lint(figure)
        assert findings == [], [str(f) for f in findings]


def test_describe_a_bar_chart():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
    vk.bar(vk.load_dataset("penguins"), x="species", ax=ax)
    ax.set_title("Penguins", loc="left")
    text = vk.describe(ax)
    assert text.startswith("Bar chart titled 'Penguins'. x axis 'species' with categories Adelie, Gentoo, Chinstrap")
    assert "series 1 (min 68, max 152, last 68)" in text
    assert vk.describe(ax) == text  # deterministic


def test_describe_lines_names_each_series():
    fig, ax = plt.subplots()
    vk.line(vk.load_dataset("stocks"), x="date", y="price", hue="symbol", ax=ax)
    text = vk.describe(ax)
    assert text.startswith("Line chart. x axis 'date' from 1999-") and "5 series:" in text
    goog = vk.load_dataset("stocks").query("symbol == 'GOOG'")["price"]
    assert f"GOOG (min {goog.min():.3g}, max {goog.max():.3g}, last {goog.iloc[-1]:.3g})" in text


def test_describe_and_lint_check_their_input():
    with pytest.raises(vk.errors.VizkitTypeError, match="`ax` must be a Matplotlib Axes"):
        vk.describe("ax")
    with pytest.raises(vk.errors.VizkitTypeError, match="`fig` must be a Matplotlib Figure"):
        vk.lint(plt.subplots()[1])
    with pytest.raises(vk.errors.VizkitValueError, match="`rules` must be a list of rule ids among"):
        vk.lint(plt.figure(), rules=["nope"])
