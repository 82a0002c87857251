"""Text helpers: tick formats and rotation only when labels would overlap."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from vizkit.elements.text import compact_number
from vizkit.errors import VizkitTypeError, VizkitValueError


@pytest.mark.parametrize("value, expected", [
    (1_234_000, "1.2M"), (1_000, "1K"), (2_500_000_000, "2.5B"), (3_400_000, "3.4M"), (999, "999"),
    (999_950, "1M"), (-45_600, "-45.6K"), (0, "0"), (0.25, "0.25"), (12.5, "12.5"), (7e12, "7T"),
])
def test_compact_numbers(value, expected):
    assert compact_number(value) == expected


@given(st.floats(-1e15, 1e15, allow_nan=False))
def test_compact_numbers_never_end_in_point_zero_and_stay_close(value):
    text = compact_number(value)
    assert not text.endswith(".0") and ".0K" not in text and ".0M" not in text
    scale = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}.get(text[-1], 1)
    number = float(text.rstrip("KMBT")) * scale
    assert abs(number - value) <= max(0.051 * scale, abs(value) * 0.051 if abs(value) < 1 else 0.051 * scale)


@pytest.mark.parametrize("spec, value, expected", [
    ("percent", 0.25, "25%"), ("thousands", 1_234_567, "1,234,567"), ("thousands", 1234.5, "1,234.5"),
    ("si", 1200, "1.2k"), ("si", 0.005, "5m"), ("compact", 1_234_000, "1.2M"), ("{x:.1f} °C", 21.25, "21.2 °C"),
])
def test_format_axis_shorthands(spec, value, expected):
    fig, ax = plt.subplots()
    vk.format_axis(ax, y=spec)
    assert ax.yaxis.get_major_formatter()(value, 0) == expected


def test_date_format_is_concise():
    fig, ax = plt.subplots()
    dates = pd.date_range("2024-01-01", periods=90)
    ax.plot(dates, np.arange(90))
    vk.format_axis(ax, x="date")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "Feb" in labels and all(len(label) <= 5 for label in labels if label)


def _clear_of_each_other(ax):
    """Rotated labels are parallel strips: they clear when the tick spacing exceeds each strip's width."""
    import math

    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    centres = sorted(ax.transData.transform((t.get_position()[0], 0))[0] for t in labels)
    spacing = min(b - a for a, b in zip(centres, centres[1:], strict=False))
    height = max(t.get_window_extent().height if t.get_rotation() == 0 else
                 t.get_fontsize() * t.figure.dpi / 72 * 1.2 for t in labels)
    angle = labels[0].get_rotation()
    return spacing >= height / math.sin(math.radians(angle)) if angle else True


def test_rotation_happens_only_when_labels_would_overlap():
    fig, ax = plt.subplots(figsize=(6, 3), dpi=100)
    ax.bar(["a", "b", "c"], [1, 2, 3])
    vk.format_axis(ax, rotate="auto")
    fig.canvas.draw()
    assert all(t.get_rotation() == 0 for t in ax.get_xticklabels())
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.bar([f"a long name {i}" for i in range(5)], range(5))
    vk.format_axis(ax, rotate="auto")
    fig.canvas.draw()
    assert {t.get_rotation() for t in ax.get_xticklabels()} == {45}
    assert _clear_of_each_other(ax)
    fig, ax = plt.subplots(figsize=(3, 3), dpi=100)
    ax.bar([f"a long name {i}" for i in range(12)], range(12))
    vk.format_axis(ax, rotate="auto")
    fig.canvas.draw()
    assert {t.get_rotation() for t in ax.get_xticklabels()} == {90}
    assert _clear_of_each_other(ax)


def test_rotation_is_decided_again_at_each_draw():
    fig, ax = plt.subplots(figsize=(3, 3), dpi=100)
    ax.bar([f"category {i}" for i in range(5)], range(5))
    vk.format_axis(ax, rotate="auto")
    fig.canvas.draw()
    assert ax.get_xticklabels()[0].get_rotation() == 45
    fig.set_size_inches(12, 3)
    fig.canvas.draw()
    assert ax.get_xticklabels()[0].get_rotation() == 0


def test_format_axis_errors():
    fig, ax = plt.subplots()
    with pytest.raises(VizkitValueError, match=r"`y` must be one of 'percent', .* or a format string such as '\{x:.1f\}'; got 'percnt'.*Did you mean 'percent'"):
        vk.format_axis(ax, y="percnt")
    with pytest.raises(VizkitValueError, match=r"`x` must be one of .*; got '\{y\}'"):
        vk.format_axis(ax, x="{y}")
    with pytest.raises(VizkitTypeError, match="`y` must be one of"):
        vk.format_axis(ax, y=3)
    with pytest.raises(VizkitValueError, match="`rotate` must be one of 'auto'"):
        vk.format_axis(ax, rotate=True)


def _boxes(fig, *texts):
    fig.canvas.draw()
    return [t.get_window_extent() for t in texts]


def test_titles_on_an_axes_stack_without_overlap_and_align_left(penguins=None):
    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100, layout="constrained")
    vk.bar(vk.load_dataset("penguins"), x="island", hue="species", ax=ax)
    parts = vk.titles(ax, "Biscoe holds most penguins", subtitle="Penguins per island", caption="Source: palmerpenguins")
    title, subtitle, caption = _boxes(fig, parts["title"], parts["subtitle"], parts["caption"])
    frame, xaxis = ax.get_window_extent(), ax.xaxis.get_tightbbox()
    assert title.y0 >= subtitle.y1 - 0.5 and subtitle.y0 >= frame.y1  # title over subtitle over the Axes
    assert caption.y1 <= xaxis.y0 + 0.5  # caption under tick labels and x label
    for box in (title, subtitle, caption):
        assert abs(box.x0 - frame.x0) < 3  # aligned with the Axes' left edge
    figure = fig.bbox
    assert all(figure.contains(b.x0, b.y0) and figure.contains(b.x1, b.y1) for b in (title, subtitle, caption))
    assert parts["title"].get_text() == "Biscoe holds most penguins"


def test_titles_on_a_figure_sit_above_every_panel():
    grid = vk.facet(vk.load_dataset("penguins"), chart=vk.bar, col="island", x="species", height=2.5)
    parts = vk.titles(grid.figure, "Where each species lives", subtitle="Penguins per island", caption="Source")
    title, subtitle, caption = _boxes(grid.figure, parts["title"], parts["subtitle"], parts["caption"])
    panel_titles = [ax.title if ax.get_title() else ax._left_title for ax in grid]
    top_of_panels = max(t.get_window_extent().y1 for t in panel_titles)
    assert subtitle.y0 >= top_of_panels and title.y0 <= subtitle.y1 + 20 and caption.y1 <= min(
        ax.get_window_extent().y0 for ax in grid)


def test_figure_titles_lint_clean_and_a_real_overlap_under_a_blank_line_is_still_found():
    # The figure title ends with a blank line, the room its subtitle is drawn in: no overlap.
    fig, axes = plt.subplots(1, 2, figsize=(8, 3), dpi=100, layout="constrained")
    vk.titles(fig, "One series, three marks", subtitle="Monthly rainfall in Seattle, 2012-2015 (mm)")
    assert vk.lint(fig, rules=["text-overlap"]) == []
    # Written lines still count: a text drawn on the title's first line overlaps it.
    fig.text(0.02, fig.texts[0].get_position()[1], "on top of the title", va="top")
    assert [f.rule for f in vk.lint(fig, rules=["text-overlap"])] == ["text-overlap"]


@pytest.mark.parametrize("loc", ["left", "center", "right"])
def test_titles_alignment(loc):
    fig, ax = plt.subplots(figsize=(5, 3), dpi=100, layout="constrained")
    parts = vk.titles(ax, "Title", subtitle="subtitle", loc=loc)
    title, subtitle = _boxes(fig, parts["title"], parts["subtitle"])
    frame = ax.get_window_extent()
    edge = {"left": lambda b: b.x0 - frame.x0, "center": lambda b: (b.x0 + b.x1) / 2 - (frame.x0 + frame.x1) / 2,
            "right": lambda b: b.x1 - frame.x1}[loc]
    assert abs(edge(title)) < 3 and abs(edge(subtitle)) < 3


def test_annotate_and_note():
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.plot([0, 10], [0, 1])
    arrow = vk.annotate(ax, "here", (5, 0.5), xytext=(-20, 15), box=True)
    assert arrow.get_ha() == "right" and arrow.arrow_patch is not None
    assert vk.contrast_ratio(arrow.get_color(), arrow.get_bbox_patch().get_facecolor()) >= 4.5
    plain = vk.annotate(ax, "there", (2, 0.2), arrow=False)
    assert plain.arrow_patch is None and plain.get_bbox_patch() is None
    box = vk.note(ax, "n = 10", loc="lower right")
    fig.canvas.draw()
    inner = box.get_window_extent()
    frame = ax.get_window_extent()
    assert frame.x1 - 20 < inner.x1 <= frame.x1 and frame.y0 <= inner.y0 < frame.y0 + 20


def test_text_errors():
    fig, ax = plt.subplots()
    with pytest.raises(VizkitTypeError, match="`target` must be a Matplotlib Axes or Figure"):
        vk.titles("ax", "t")
    with pytest.raises(VizkitTypeError, match="`title` must be a string; got None"):
        vk.titles(ax, None)
    with pytest.raises(VizkitValueError, match="`loc` must be one of 'left', 'center', 'right'; got 'top'"):
        vk.titles(ax, "t", loc="top")
    with pytest.raises(VizkitTypeError, match=r"`xy` must be an \(x, y\) pair of numbers"):
        vk.annotate(ax, "t", 3)
    with pytest.raises(VizkitValueError, match="`loc` must be one of 'upper left'.*got 'top left'.*Did you mean 'upper left'"):
        vk.note(ax, "t", loc="top left")


@pytest.mark.parametrize("spec", ["{x.foo}", "{0[0]}", "{x[0]}", "{x:%Y}", "{pos.real.foo}"])
def test_format_strings_that_cannot_format_a_tick_are_refused_naming_the_axis(spec):
    fig, ax = plt.subplots()
    with pytest.raises(VizkitValueError, match=r"`y` must be one of .* or a format string such as '\{x:.1f\}'"):
        vk.format_axis(ax, y=spec)


def test_date_format_needs_an_axis_of_dates():
    fig, ax = plt.subplots()
    ax.plot([0, 10], [1e6, 2e6])
    with pytest.raises(VizkitValueError, match="`x` must be 'date' only on an axis of dates .*; got 'date' on an x "
                                               "axis that shows numbers"):
        vk.format_axis(ax, x="date")
    fig.canvas.draw()  # the axis was left as it was


def test_a_refused_format_changes_neither_axis():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    before = (ax.xaxis.get_major_formatter(), ax.yaxis.get_major_formatter(), len(ax.artists))
    for kwargs in ({"x": "percent", "y": "bogus"}, {"x": "thousands", "rotate": "always"}):
        with pytest.raises(VizkitValueError):
            vk.format_axis(ax, **kwargs)
    assert (ax.xaxis.get_major_formatter(), ax.yaxis.get_major_formatter(), len(ax.artists)) == before


@pytest.mark.parametrize("labels", ["{0[0]}", "{0.foo}", "{x.foo}"])
def test_bar_labels_that_cannot_format_a_value_are_refused(labels):
    with pytest.raises(VizkitValueError, match="`labels` must be True, False or a format"):
        vk.bar(vk.load_dataset("penguins"), x="species", labels=labels)
