"""vk.anatomy: every part of a drawn chart named, each callout pointing at the part as drawn."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.transforms import Bbox

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError


@pytest.fixture
def stocks_chart():
    stocks = vk.load_dataset("stocks")
    fig, ax = plt.subplots(figsize=(11, 5), dpi=100)
    vk.line(stocks[stocks["symbol"].isin(["AAPL", "MSFT"])], x="date", y="price", hue="symbol", ax=ax)
    ax.set_title("Two stocks")
    yield ax
    plt.close(fig)


def _pixels(found, part):
    figure = found.figure_
    row = found.parts_.set_index("part").loc[part]
    return row["x"] * figure.bbox.width, row["y"] * figure.bbox.height


def _inside(point, box, pad=1.0):
    return box.x0 - pad <= point[0] <= box.x1 + pad and box.y0 - pad <= point[1] <= box.y1 + pad


def test_a_line_chart_has_every_part_named_with_the_code_that_reaches_it(stocks_chart):
    found = vk.anatomy(stocks_chart)
    parts = dict(zip(found.parts_["part"], found.parts_["reach"], strict=True))
    assert {"Figure", "Axes", "Title", "x axis", "y axis", "x label", "y label", "Legend", "Line",
            "Spine", "Tick label"} <= set(parts)
    assert parts["Legend"] == "ax.get_legend()" and parts["y axis"] == "ax.yaxis"
    assert parts["Line"] == "ax.lines[0]"


def test_each_callout_points_at_its_part_as_drawn(stocks_chart):
    ax = stocks_chart
    found = vk.anatomy(ax)
    ax.figure.canvas.draw()
    assert _inside(_pixels(found, "Title"), ax.title.get_window_extent()) or \
        _inside(_pixels(found, "Title"), ax._left_title.get_window_extent())
    assert _inside(_pixels(found, "Legend"), ax.get_legend().get_window_extent())
    assert _inside(_pixels(found, "x label"), ax.xaxis.label.get_window_extent())
    assert _inside(_pixels(found, "Axes"), ax.get_window_extent())
    line = ax.lines[0]
    vertices = line.get_transform().transform(line.get_xydata())
    assert np.hypot(*(vertices - _pixels(found, "Line")).T).min() < 1.0  # on a vertex of the line
    label = [t for t in ax.get_xticklabels() if _inside(_pixels(found, "Tick label"), t.get_window_extent())]
    assert len(label) == 1 and label[0].get_text()


def test_bars_markers_areas_and_texts_of_a_hand_made_chart_are_found():
    fig, ax = plt.subplots(figsize=(11, 5), dpi=100)
    x = np.arange(10.0)
    bars = ax.bar(x, x + 1)
    ax.scatter(x, x + 3, label="points")
    area = ax.fill_between(x, x + 4, x + 6, alpha=0.3)
    ax.text(1, 9, "a note")
    found = vk.anatomy(ax)
    parts = found.parts_.set_index("part")
    assert parts.loc["Bar", "kind"] == "Rectangle" and parts.loc["Markers", "kind"] == "PathCollection"
    assert parts.loc["Area", "reach"] == f"ax.collections[{ax.collections.index(area)}]"
    fig.canvas.draw()
    bar = bars[int(parts.loc["Bar", "reach"].split("[")[1].rstrip("]"))]
    assert _inside(_pixels(found, "Bar"), bar.get_window_extent())
    polygon = area.get_paths()[0].transformed(area.get_transform())
    assert polygon.contains_point(_pixels(found, "Area"))
    assert _inside(_pixels(found, "Text"), ax.texts[0].get_window_extent())
    plt.close(fig)


def test_callouts_sit_beside_the_chart_apart_from_each_other_and_inside_the_figure(stocks_chart):
    ax = stocks_chart
    found = vk.anatomy(ax)
    figure = found.figure_
    renderer = figure.canvas.get_renderer()
    texts = [t.get_window_extent(renderer) for t in figure.texts]
    assert len(texts) == 2 * len(found.parts_)  # a name and the code, per part
    callouts = [Bbox.union(texts[i:i + 2]) for i in range(0, len(texts), 2)]
    chart = ax.get_tightbbox(renderer)
    for i, box in enumerate(callouts):
        assert _inside((box.x0, box.y0), figure.bbox) and _inside((box.x1, box.y1), figure.bbox)
        assert not box.overlaps(chart)
        assert not any(box.overlaps(other) for other in callouts[i + 1:])


def test_parts_are_found_without_drawing_callouts(stocks_chart):
    from vizkit.elements.figure_anatomy import AnatomyDisplay

    found = AnatomyDisplay.from_axes(stocks_chart)
    assert found.ax_ is None and not stocks_chart.figure.texts
    assert found.parts_["x"].between(0, 1).all() and found.parts_["y"].between(0, 1).all()


def test_room_false_keeps_the_axes_where_they_are(stocks_chart):
    before = stocks_chart.get_position().bounds
    vk.anatomy(stocks_chart, room=False)
    assert stocks_chart.get_position().bounds == pytest.approx(before)


@pytest.mark.parametrize(("kwargs", "error", "argument"), [
    ({"ax": "not an axes"}, VizkitTypeError, "`ax`"),
    ({"room": "yes"}, VizkitTypeError, "`room`"),
    ({"fontsize": -3}, VizkitValueError, "`fontsize`"),
])
def test_bad_arguments_are_named(stocks_chart, kwargs, error, argument):
    arguments = {"ax": stocks_chart} | kwargs
    with pytest.raises(error, match=argument):
        vk.anatomy(**arguments)


def test_a_figure_too_narrow_for_the_callouts_says_how_to_make_room():
    fig, ax = plt.subplots(figsize=(3, 3), dpi=100)
    ax.plot([0, 1], [0, 1], label="a line")
    ax.legend()
    with pytest.raises(VizkitValueError, match="wider"):
        vk.anatomy(ax)
    plt.close(fig)
