"""
Dot plots, strip plots and dates
================================

``scatter`` puts numbers, dates or categories on either axis. A categorical
``y`` makes a dot plot: one labelled row per level, the first level on top,
as a table reads, and, with :func:`vizkit.facet`, Cleveland's barley trellis.
Levels keep a pandas Categorical's order, so sorting the levels by their
median makes the rows read from best to worst. A categorical ``x`` with
``jitter=`` spreads equal values apart (a strip plot), and a datetime ``x``
gets a date axis with concise labels.
"""

import matplotlib.pyplot as plt
import pandas as pd
from vega_datasets import data

import vizkit as vk

vk.set_theme()
barley = data.barley()

# %%
# The barley trellis: yield of ten varieties at six Minnesota sites, 1931 and
# 1932. Rows and panels are sorted by median yield. Everywhere 1931 yielded
# more than 1932, except at Morris, where the years look swapped: the
# anomaly Cleveland found by drawing exactly this.
for column in ("variety", "site"):
    order = barley.groupby(column)["yield"].median().sort_values(ascending=False).index
    barley[column] = pd.Categorical(barley[column], categories=order, ordered=True)
barley["year"] = barley["year"].astype(str)
vk.facet(barley, chart=vk.scatter, col="site", col_wrap=3, x="yield", y="variety", hue="year",
         titles="{value}", height=2.5, aspect=1.25)

# %%
# Left: daily highs in Seattle per kind of weather, a strip plot (each point
# shifted at random by up to 0.3 of the gap between levels, the same way at
# every run). Right: the same highs against the date: four summers.
weather = vk.load_dataset("seattle_weather")
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), dpi=100, layout="constrained",
                                  gridspec_kw={"width_ratios": [1, 1.4]})
vk.scatter(weather, x="weather", y="temp_max", jitter=0.3, s=10, alpha=0.5, ax=left)
left.set_title("Seattle: daily high by weather")
vk.scatter(weather, x="date", y="temp_max", s=10, ax=right)
right.set_title("Seattle: daily high, 2012-2015")
