"""
Sparse lines and gaps: markers where they carry information
===========================================================

A line through a few points hides how few there are: with markers the reader
sees where the data are and where the line only connects them.
``markers="auto"`` turns them on for lines of at most 30 points and leaves
dense lines plain. Missing values (NaN) break a line, which is honest, but
plain Matplotlib then hides a value that has gaps on both sides: it has no
neighbour to draw a segment to. vizkit always draws such a lonely point.
"""

import matplotlib.pyplot as plt
import numpy as np

import vizkit as vk

vk.set_theme()
stocks = vk.load_dataset("stocks").sort_values(["symbol", "date"])  # the same colour per symbol in both panels
stocks["year"] = stocks["date"].dt.year

# %%
# Monthly prices (up to 123 points a line: no markers) and yearly means
# (11 points a line: markers).
yearly = stocks.groupby(["symbol", "year"], as_index=False)["price"].mean()
fig, axes = plt.subplots(1, 2, figsize=(9.6, 3.4), dpi=100, layout="constrained", sharey=True)
vk.line(stocks, x="date", y="price", hue="symbol", ax=axes[0])
vk.line(yearly, x="year", y="price", hue="symbol", ax=axes[1])
axes[0].set(title="Monthly closing price", xlabel=None, ylabel="Price (USD)")
axes[1].set(title="Yearly mean: few points, marked", xlabel=None, ylabel=None)
axes[0].get_legend().remove()
axes[1].legend(title="symbol", loc="upper left", ncols=2)

# %%
# IBM's price with two outages in the record (values set to NaN): the
# single month between them is lost by plain ``ax.plot`` and kept by
# ``vk.line``.
ibm = stocks[stocks["symbol"] == "IBM"].reset_index(drop=True).copy()
ibm.loc[[40, 41, 42, 44, 45, 46, 47, 90], "price"] = np.nan
fig, axes = plt.subplots(1, 2, figsize=(9.6, 3.0), dpi=100, layout="constrained", sharey=True)
axes[0].plot(ibm["date"], ibm["price"])
vk.line(ibm, x="date", y="price", ax=axes[1])
axes[0].set(title="ax.plot: the lone month is lost", ylabel="Price (USD)")
axes[1].set(title="vk.line: it is drawn", ylabel=None)
for ax in axes:
    ax.set_xlabel(None)
    for first, last in [(40, 42), (44, 47)]:  # the two outages
        ax.axvspan(ibm["date"][first], ibm["date"][last], color=vk.colors.GRID, zorder=0)
