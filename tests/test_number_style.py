"""One number style: thousands as 1,234 in tick labels and value labels alike; percents as 95%."""

import re

import matplotlib.pyplot as plt
import pandas as pd

import vizkit as vk


def _ticks(axis):
    return [t.get_text() for t in axis.get_majorticklabels() if t.get_text()]


def test_bar_ticks_use_the_value_labels_thousands_separator():
    penguins = vk.load_dataset("penguins")
    fig, ax = plt.subplots()
    vk.bar(penguins, x="species", y="body_mass_g", labels=True, ax=ax)
    fig.canvas.draw()
    values = [t.get_text() for t in ax.texts if t.get_text()]
    assert all(re.fullmatch(r"\d,\d{3}", v) for v in values), values  # 3,701 ...
    assert "4,000" in _ticks(ax.yaxis) and not any(re.search(r"\d{4}", t) for t in _ticks(ax.yaxis))


def test_line_and_scatter_values_grouped_but_an_x_of_years_is_not():
    data = pd.DataFrame({"year": range(2001, 2018), "passengers": [12_000 + 900 * i for i in range(17)]})
    fig, (left, right) = plt.subplots(1, 2)
    vk.line(data, x="year", y="passengers", ax=left)
    vk.scatter(data, x="year", y="passengers", ax=right)
    fig.canvas.draw()
    for ax in (left, right):
        assert "16,000" in _ticks(ax.yaxis)
        assert not any("," in t for t in _ticks(ax.xaxis))  # 2005, not 2,005


def test_a_formatter_the_user_chose_is_kept_and_small_numbers_are_untouched():
    fig, ax = plt.subplots()
    vk.format_axis(ax, y="{x:.0f} units")
    vk.line({"x": [0, 1], "y": [0, 5000]}, x="x", y="y", ax=ax)
    fig.canvas.draw()
    assert "5000 units" in _ticks(ax.yaxis)
    fig2, ax2 = plt.subplots()
    vk.line({"x": [0, 1], "y": [0.12341, 0.12345]}, x="x", y="y", ax=ax2)
    fig2.canvas.draw()
    assert not any("," in t for t in _ticks(ax2.yaxis))


def test_percents_are_written_without_a_space():
    penguins = vk.load_dataset("penguins")
    fig, ax = plt.subplots()
    vk.bar(penguins, x="island", hue="species", layout="percent", ax=ax)
    fig.canvas.draw()
    assert "100%" in _ticks(ax.yaxis)
    fig2, ax2 = plt.subplots()
    vk.format_axis(ax2, y="percent")
    assert ax2.yaxis.get_major_formatter()(0.25, 0) == "25%"
