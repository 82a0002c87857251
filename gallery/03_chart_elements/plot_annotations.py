"""
Annotations and notes
=====================

Text that points at a data point (an arrow from the words to the point)
explains *that* point; a note anchored in a corner explains the whole
chart. Both read on any background, because they sit on a box of the Axes
face.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
stocks = vk.load_dataset("stocks")
goog = stocks[stocks["symbol"] == "GOOG"]
peak = goog.loc[goog["price"].idxmax()]

fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=100, layout="constrained")
vk.line(goog, x="date", y="price", ax=ax)
vk.annotate(ax, f"peak: ${peak['price']:.0f}", (peak["date"], peak["price"]), xytext=(-60, -10), box=True)
vk.note(ax, "Monthly closing prices\nof Google shares", loc="lower right")
vk.titles(ax, "Google's price before and after 2008")
