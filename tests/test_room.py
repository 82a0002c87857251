"""Nothing vizkit draws is clipped in the plainest call: ``fig, ax = plt.subplots()``, a chart, ``savefig``.

Issue 12: a scatter or bar with ``hue`` saved its outside legend as "Origi / US / Eur".
"""

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk
from vizkit._core.room import KeepInside

pytestmark = pytest.mark.filterwarnings("ignore:`hue` level .* no line is drawn")  # a line per car weight


@pytest.fixture(scope="module")
def cars():
    vega = pytest.importorskip("vega_datasets")
    return vega.data.cars()


def _inside(box, figure, slack=0.5):
    frame = figure.bbox
    return (frame.x0 - slack <= box.x0 and box.x1 <= frame.x1 + slack
            and frame.y0 - slack <= box.y0 and box.y1 <= frame.y1 + slack)


def _guides(ax):
    """The legend and the colour bar (an inset beside the Axes) vizkit drew around ``ax``."""
    legend = [ax.get_legend()] if ax.get_legend() is not None else []
    return legend + list(ax.child_axes)


CHARTS = {
    "scatter, categorical hue": lambda d, ax: vk.scatter(d, x="Horsepower", y="Miles_per_Gallon", hue="Origin", ax=ax),
    "scatter, numeric hue": lambda d, ax: vk.scatter(d, x="Horsepower", y="Miles_per_Gallon", hue="Weight_in_lbs",
                                                     ax=ax),
    "bar": lambda d, ax: vk.bar(d, x="Cylinders", y="Horsepower", hue="Origin", ax=ax),
    "line, numeric hue": lambda d, ax: vk.line(d, x="Year", y="Horsepower", hue="Weight_in_lbs", ax=ax),
    "hist": lambda d, ax: vk.hist(d, x="Horsepower", hue="Origin", ax=ax),
    "kde": lambda d, ax: vk.kde(d, x="Horsepower", hue="Origin", ax=ax),
    "box": lambda d, ax: vk.box(d, x="Cylinders", y="Horsepower", hue="Origin", ax=ax),
    "violin": lambda d, ax: vk.violin(d, x="Cylinders", y="Horsepower", hue="Origin", ax=ax),
    "ecdf": lambda d, ax: vk.ecdf(d, x="Horsepower", hue="Origin", ax=ax),
    "heatmap": lambda d, ax: vk.heatmap(d.select_dtypes("number").corr(), label="Pearson correlation", ax=ax),
}


@pytest.mark.parametrize("chart", list(CHARTS))
def test_the_plainest_call_keeps_legend_and_colour_bar_inside_the_saved_figure(cars, chart):
    fig, ax = plt.subplots()  # Matplotlib's default margins, no layout engine
    CHARTS[chart](cars, ax)
    guides = _guides(ax)
    assert guides, "the chart drew no legend or colour bar beside the Axes"
    fig.savefig(io.BytesIO(), format="png")
    renderer = fig.canvas.get_renderer()
    for guide in guides:
        assert _inside(guide.get_window_extent(renderer), fig), f"{chart}: {guide} runs past the figure"
    assert _inside(ax.get_tightbbox(renderer), fig)  # tick labels and the colour bar's label too
    assert vk.lint(fig, rules=["text-clipped"]) == []
    plt.close(fig)


def test_the_legend_stays_inside_with_a_tight_bounding_box_as_jupyter_saves(cars):
    fig, ax = plt.subplots()
    vk.scatter(cars, x="Horsepower", y="Miles_per_Gallon", hue="Origin", ax=ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")  # what the inline backend does
    legend = ax.get_legend().get_window_extent()
    assert _inside(legend, fig)
    width = plt.imread(io.BytesIO(buffer.getvalue())).shape[1]
    assert width <= fig.bbox.width + 1  # nothing was added past the figure's right edge to show it
    plt.close(fig)


def test_the_axes_shrinks_only_as_much_as_needed_and_the_legend_is_unchanged(cars):
    fig, ax = plt.subplots()
    given = ax.get_position().bounds
    vk.bar(cars, x="Cylinders", y="Horsepower", hue="Origin", ax=ax)
    fig.canvas.draw()
    shrunk = ax.get_position()
    assert shrunk.x0 == pytest.approx(given[0]) and shrunk.y0 == pytest.approx(given[1])  # only the right edge
    assert 0.6 * given[2] < shrunk.width < given[2]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Europe", "Japan", "USA"]
    fig.canvas.draw()  # a second draw decides the same
    assert ax.get_position().bounds == pytest.approx(shrunk.bounds)
    plt.close(fig)


def test_a_layout_engine_makes_room_itself_and_the_axes_is_left_alone(cars):
    fig, ax = plt.subplots(layout="constrained")
    vk.scatter(cars, x="Horsepower", y="Miles_per_Gallon", hue="Origin", ax=ax)
    fig.savefig(io.BytesIO(), format="png")
    before = ax.get_position(original=True).bounds
    assert KeepInside()(ax, fig.canvas.get_renderer()) is None
    assert ax.get_position(original=True).bounds == before
    assert _inside(ax.get_legend().get_window_extent(), fig)
    plt.close(fig)


def test_an_axes_with_nothing_outside_keeps_the_place_it_was_given():
    fig, ax = plt.subplots()
    given = ax.get_position().bounds
    vk.scatter(x=np.arange(10.0), y=np.arange(10.0), ax=ax)
    fig.canvas.draw()
    assert ax.get_position().bounds == pytest.approx(given)
    plt.close(fig)


@pytest.mark.parametrize("chart", ["bar", "scatter", "line", "hist", "box"])
def test_axis_labels_stay_inside_with_large_text_and_no_hue(cars, chart):
    # Regression (issue 12): the README's bar of body mass, in the "talk" context, lost its x label "Species".
    draw = {"bar": lambda ax: vk.bar(cars, x="Origin", y="Horsepower", ax=ax),
            "scatter": lambda ax: vk.scatter(cars, x="Horsepower", y="Miles_per_Gallon", ax=ax),
            "line": lambda ax: vk.line(cars, x="Year", y="Horsepower", ax=ax),
            "hist": lambda ax: vk.hist(cars, x="Horsepower", ax=ax),
            "box": lambda ax: vk.box(cars, x="Origin", y="Horsepower", ax=ax)}[chart]
    with vk.theme(context="talk"):
        fig, ax = plt.subplots()
        draw(ax)
        fig.savefig(io.BytesIO(), format="png")
        assert _inside(ax.get_tightbbox(fig.canvas.get_renderer()), fig)
        assert vk.lint(fig, rules=["text-clipped"]) == []
    plt.close(fig)


def test_a_dual_axis_keeps_both_sides_labels_inside(cars):
    # The right Axes' label ("Acceleration") counts too; both Axes keep one position.
    with vk.theme(context="talk"):
        fig, ax = plt.subplots()
        left, right = vk.dual_axis(cars.sort_values("Year"), x="Year", left="Horsepower", right="Acceleration", ax=ax)
        fig.savefig(io.BytesIO(), format="png")
        renderer = fig.canvas.get_renderer()
        assert _inside(left.get_tightbbox(renderer), fig) and _inside(right.get_tightbbox(renderer), fig)
        assert left.get_position().bounds == pytest.approx(right.get_position().bounds)
        assert vk.lint(fig, rules=["text-clipped"]) == []
    plt.close(fig)
