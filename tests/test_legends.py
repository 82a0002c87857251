"""vk.legend: placement inside/outside, and direct labels at line ends for any lines."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import seaborn as sns
from matplotlib.colors import rgb_to_hsv, to_rgb

import vizkit as vk
from vizkit.errors import VizkitValueError


def _crowded(ax, n=4):
    x = np.arange(50.0)
    for k in range(n):
        y = 1 / (1 + 0.1 * (k + 1) * x)
        y[-3:] = np.nan if k == 0 else y[-3:]  # the first line ends early: its label goes at its last valid point
        ax.plot(x, y, label=f"lr={0.1 * (k + 1):.1f}")


def test_direct_labels_sit_at_last_valid_points_spaced_and_readable():
    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100, layout="constrained")
    _crowded(ax)
    texts = vk.legend(ax, where="direct")
    fig.canvas.draw()
    assert ax.get_legend() is None
    assert [t.get_text() for t in texts] == ["lr=0.1", "lr=0.2", "lr=0.3", "lr=0.4"]
    assert texts[0].xy[0] == 46 and texts[1].xy[0] == 49
    centres = sorted((t.get_window_extent().y0 + t.get_window_extent().y1) / 2 for t in texts)
    font_height = texts[0].get_fontsize() * fig.dpi / 72
    assert min(np.diff(centres)) >= font_height - 0.5
    for text, line in zip(texts, ax.get_lines(), strict=True):
        assert vk.contrast_ratio(text.get_color(), ax.get_facecolor()) >= 4.5
        assert abs(rgb_to_hsv(to_rgb(text.get_color()))[0] - rgb_to_hsv(to_rgb(line.get_color()))[0]) < 0.02


@pytest.mark.parametrize("maker", ["vizkit", "seaborn"])
def test_direct_labels_for_hue_charts(maker):
    stocks = vk.load_dataset("stocks")
    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100)
    if maker == "vizkit":
        vk.line(stocks, x="date", y="price", hue="symbol", ax=ax)
    else:
        sns.lineplot(stocks, x="date", y="price", hue="symbol", ax=ax)
    texts = vk.legend(ax, where="direct")
    assert sorted(t.get_text() for t in texts) == ["AAPL", "AMZN", "GOOG", "IBM", "MSFT"]
    goog = next(t for t in texts if t.get_text() == "GOOG")
    assert goog.xy[1] == pytest.approx(stocks[stocks.symbol == "GOOG"].price.iloc[-1])


def test_direct_labels_on_a_dark_face_are_lightened():
    with vk.theme(style="dark"):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1], color="#3f1f7a", label="deep purple")
        (text,) = vk.legend(ax, where="direct")
    assert vk.contrast_ratio(text.get_color(), ax.get_facecolor()) >= 4.5


def test_outside_placements():
    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100, layout="constrained")
    _crowded(ax)
    ax.set_xlabel("step")
    box = vk.legend(ax, where="outside bottom")
    fig.canvas.draw()
    assert box.get_window_extent().y1 <= ax.xaxis.get_tightbbox().y0
    right = vk.legend(ax, where="outside right")
    fig.canvas.draw()
    assert right.get_window_extent().x0 >= ax.get_window_extent().x1
    assert len([c for c in ax.get_children() if c.__class__.__name__ == "Legend"]) == 1


def test_best_keeps_the_title_of_an_existing_legend_and_none_removes_it():
    fig, ax = plt.subplots()
    vk.bar(vk.load_dataset("penguins"), x="island", hue="species", ax=ax)
    box = vk.legend(ax, where="best")
    assert box.get_title().get_text() == "Species" and len(box.get_texts()) == 3
    assert vk.legend(ax, where=None) is None and ax.get_legend() is None


def test_legend_errors():
    fig, ax = plt.subplots()
    with pytest.raises(VizkitValueError, match="`ax` must be an Axes with a legend or labelled artists"):
        vk.legend(ax)
    ax.bar(["a"], [1], label="bars")
    with pytest.raises(VizkitValueError, match="`where` must be 'direct' only for an Axes whose legend entries are lines"):
        vk.legend(ax, where="direct")
    with pytest.raises(VizkitValueError, match="`where` must be one of 'best', .*; got 'right'"):
        vk.legend(ax, where="right")
