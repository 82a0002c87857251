"""Guides: gridlines behind the data, reference lines and spans with readable labels."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import same_color

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError


def test_grid_is_behind_the_data_and_minor_on_request():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    vk.grid(ax, which="both", axis="y")
    assert ax.get_axisbelow() is True
    fig.canvas.draw()
    major, minor = ax.yaxis.get_major_ticks()[0], ax.yaxis.get_minor_ticks()[0]
    assert major.gridline.get_visible() and minor.gridline.get_visible()
    assert minor.gridline.get_linewidth() < major.gridline.get_linewidth()
    assert not ax.xaxis.get_major_ticks()[0].gridline.get_visible()


def test_grid_major_only_turns_minor_gridlines_off():
    fig, ax = plt.subplots()
    vk.grid(ax, which="minor")
    vk.grid(ax, which="major", axis="x")
    fig.canvas.draw()
    assert ax.xaxis.get_major_ticks()[0].gridline.get_visible()
    assert not ax.xaxis.get_minor_ticks()[0].gridline.get_visible()


@pytest.mark.parametrize("style", ["vizkit", "dark"])
def test_refline_label_sits_at_the_line_end_readable_and_inside(style):
    with vk.theme(style=style):
        fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
        ax.plot([0, 10], [0, 1])
        line = vk.refline(ax, y=0.8, label="target")
    fig.canvas.draw()
    label = ax.texts[0]
    box, frame = label.get_window_extent(), ax.get_window_extent()
    assert frame.x1 - 8 < box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    assert abs(ax.transData.transform((0, 0.8))[1] - (box.y0 + box.y1) / 2) < 1.5
    assert vk.contrast_ratio(label.get_color(), label.get_bbox_patch().get_facecolor()) >= 4.5
    assert same_color(line.get_color(), label.get_color()) and line.get_linestyle() == "--"


def test_vertical_refline_and_kwargs_win():
    fig, ax = plt.subplots()
    line = vk.refline(ax, x=3, label="epoch 3", color="red", linestyle=":")
    assert line.get_xdata() == [3, 3] and same_color(line.get_color(), "red") and line.get_linestyle() == ":"
    assert ax.texts[0].get_va() == "top"


def test_refspan_is_behind_the_data_and_labelled():
    fig, ax = plt.subplots()
    (data_line,) = ax.plot([0, 10], [0, 1])
    span = vk.refspan(ax, x=(2, 4), label="warm-up")
    assert span.get_zorder() < data_line.get_zorder()
    assert ax.texts[0].get_text() == "warm-up"
    band = vk.refspan(ax, y=(0.2, 0.4))
    assert band.get_zorder() < data_line.get_zorder()


def test_guide_errors():
    fig, ax = plt.subplots()
    with pytest.raises(VizkitValueError, match=r"`x` must be given alone, or `y` alone \(one refline per call\); got x=1 and y=2"):
        vk.refline(ax, x=1, y=2)
    with pytest.raises(VizkitValueError, match="one refspan per call"):
        vk.refspan(ax)
    with pytest.raises(VizkitValueError, match=r"`x` must be a \(start, end\) pair with start < end"):
        vk.refspan(ax, x=(4, 2))
    with pytest.raises(VizkitTypeError, match=r"`y` must be a \(start, end\) pair of numbers"):
        vk.refspan(ax, y=3)
    with pytest.raises(VizkitTypeError, match="`y` must be a number"):
        vk.refline(ax, y="high")
    with pytest.raises(VizkitTypeError, match="`label` must be a string"):
        vk.refline(ax, y=1, label=3)
    with pytest.raises(VizkitValueError, match="`which` must be one of 'major', 'minor', 'both'"):
        vk.grid(ax, which="all")
    with pytest.raises(VizkitTypeError, match="`ax` must be a Matplotlib Axes"):
        vk.grid(None)


def test_refused_positions_leave_the_axis_units_alone():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    for call in (lambda: vk.refline(ax, x="abc"), lambda: vk.annotate(ax, "t", ("abc", 1)),
                 lambda: vk.inset(ax, (0.5, 0.5, 0.3, 0.3), zoom=("a", 1, 0, 1))):
        with pytest.raises(VizkitTypeError):
            call()
    assert ax.xaxis.get_converter() is None  # a stray string did not turn the axis categorical
