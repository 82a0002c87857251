"""vizkit._core.display.Display: the base every chart with findings follows (from_* computes, plot draws)."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import vizkit as vk
from vizkit._core.display import Display
from vizkit.errors import VizkitTypeError


class RangeDisplay(Display):
    """A Display of a series' range: the smallest study of the pattern."""

    _chart = "range"

    def __init__(self, low, high):
        self.low_, self.high_ = low, high

    @classmethod
    def from_values(cls, values):
        return cls(min(values), max(values))

    def _draw(self, ax, *, color="C1"):
        return {"span": ax.axhspan(self.low_, self.high_, color=color)}

    def _plotted_data(self):
        return pd.DataFrame({"low": [self.low_], "high": [self.high_]})


def test_findings_come_before_and_without_drawing():
    display = RangeDisplay.from_values([3, 1, 2])
    assert (display.low_, display.high_) == (1, 3)
    assert display.ax_ is None and display.figure_ is None and display.artists_ == {}
    assert repr(display) == "RangeDisplay(low_=1, high_=3)"


def test_plot_draws_on_the_current_axes_keeps_the_data_and_returns_itself():
    fig, ax = plt.subplots()
    display = RangeDisplay.from_values([3, 1, 2])
    assert display.plot(color="C2") is display
    assert display.ax_ is ax and display.figure_ is fig and display.artists_["span"] in ax.patches
    assert vk.plotted_data(ax).to_dict("records") == [{"low": 1, "high": 3}]
    other = plt.subplots()[1]
    assert display.plot(ax=other).ax_ is other  # plot again elsewhere: the attributes name the newest


def test_plot_checks_ax_and_a_subclass_must_draw():
    with pytest.raises(VizkitTypeError, match=r"`ax`"):
        RangeDisplay(0, 1).plot(ax="left")
    with pytest.raises(NotImplementedError, match=r"Display must implement _draw"):
        Display().plot(ax=plt.subplots()[1])
