"""
The anatomy of a Matplotlib figure
==================================

Every vizkit chart draws on Matplotlib's objects and hands them back, so a
chart can be finished with plain Matplotlib. The model has three levels: the
**Figure** is the whole canvas; it holds one or more **Axes**, each a plotting
area with its own data coordinates; an Axes holds two **Axis** objects (the
ticks, tick labels and label of x and of y), the spines that frame it, a
title, a legend, and the **artists** that show the data: a ``Line2D`` per
line, a ``PathCollection`` for a set of markers, a ``Rectangle`` per bar.
``vk.anatomy(ax)`` names each part of a drawn chart and the code that reaches
it, pointing at the part as drawn.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
stocks = vk.load_dataset("stocks")

# %%
# A vizkit chart takes an ``ax`` (or makes one) and returns it; everything
# below is then reachable from that one object: ``ax.figure`` is the Figure,
# ``ax.xaxis`` the x Axis, ``ax.lines[0]`` the first line.
fig, ax = plt.subplots(figsize=(11, 5.2), dpi=100)
two = stocks[stocks["symbol"].isin(["AAPL", "MSFT"])]
ax = vk.line(two, x="date", y="price", hue="symbol", ax=ax)
ax.set_title("Apple and Microsoft, 2000-2010")
vk.anatomy(ax)

# %%
# The same parts on a bar chart with value labels: each bar is a
# ``Rectangle`` in ``ax.patches``, each value label a ``Text`` in
# ``ax.texts``.
penguins = vk.load_dataset("penguins")
fig, ax = plt.subplots(figsize=(11, 4.6), dpi=100)
vk.bar(penguins, x="species", y="body_mass_g", labels=True, ax=ax)
ax.set_title("Mean body mass of three penguin species")
vk.anatomy(ax)
