"""
Legend placement and direct labels
==================================

A legend makes the reader look away from the data and back. Outside the
Axes it covers nothing; under the x axis it leaves the full width to the
data; and for lines, a label at the end of each line removes the look-up
altogether. ``vk.legend`` does each for vizkit's, seaborn's and plain
Matplotlib lines.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
stocks = vk.load_dataset("stocks")

fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), dpi=100, layout="constrained", sharey=True)
for ax, where in zip(axes, ["outside right", "outside bottom", "direct"], strict=True):
    vk.line(stocks, x="date", y="price", hue="symbol", ax=ax)
    vk.legend(ax, where=where)
    ax.set_title(f"where={where!r}")
    vk.format_axis(ax, x="date")
