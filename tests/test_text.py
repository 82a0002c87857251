"""Text helpers: tick formats and rotation only when labels would overlap."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.text import compact_number


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
