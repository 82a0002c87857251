"""Guides: gridlines behind the data, reference lines and spans with readable labels."""

import matplotlib
import matplotlib.dates
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


def test_a_refused_guide_draws_nothing():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 2])
    with pytest.raises(VizkitTypeError, match="`label` must be a string or None"):
        vk.refline(ax, y=1, label=5)
    with pytest.raises(VizkitTypeError, match="`label` must be a string or None"):
        vk.refspan(ax, x=(0.2, 0.4), label=["warm-up"])
    with pytest.raises(VizkitValueError, match="`linestyl` must be a Matplotlib Line2D property.*'linestyle'"):
        vk.refline(ax, y=1, linestyl=":")
    assert len(ax.lines) == 1 and not ax.patches and not ax.texts


def test_a_log_axis_refuses_guides_it_cannot_show():
    fig, ax = plt.subplots()
    ax.plot([1, 10, 100], [1, 1000, 10])
    ax.set_yscale("log")
    with pytest.raises(VizkitValueError, match=r"`y` must be a value > 0 \(the y axis is logarithmic: it cannot show 0\)"):
        vk.refline(ax, y=0)
    with pytest.raises(VizkitValueError, match=r"`y\[0\]` must be a value > 0"):
        vk.refspan(ax, y=(-5, 50))
    with pytest.raises(VizkitValueError, match=r"`xy\[1\]` must be a value > 0"):
        vk.annotate(ax, "floor", (10, -1))
    assert len(ax.lines) == 1 and not ax.patches and not ax.texts
    vk.refline(ax, y=100, label="target")  # a positive value is drawn as usual
    assert ax.lines[-1].get_ydata() == [100, 100]


def test_guides_and_annotations_take_date_strings_and_dates_on_a_date_axis():
    import datetime

    weather = vk.load_dataset("seattle_weather")
    fig, ax = plt.subplots()
    ax.plot(weather["date"], weather["temp_max"])
    line = vk.refline(ax, x="2014-03-01", label="spring")
    span = vk.refspan(ax, x=(datetime.date(2013, 6, 1), "2013-09-01"))
    note = vk.annotate(ax, "hot day", ("2015-06-28", 30))
    expected = matplotlib.dates.date2num(datetime.datetime(2014, 3, 1))
    assert line.get_xdata() == [expected, expected]
    assert matplotlib.dates.num2date(span.get_x()).date() == datetime.date(2013, 6, 1)
    assert note.xy[0] == matplotlib.dates.date2num(datetime.datetime(2015, 6, 28))
    with pytest.raises(VizkitValueError, match=r"`x` must be a date such as '2014-03-01'"):
        vk.refline(ax, x="next spring")
