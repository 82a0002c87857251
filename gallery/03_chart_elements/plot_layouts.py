"""
Layouts: mosaic, spans, insets and small multiples
==================================================

A figure with several panels reads best when its layout matches the
argument: a wide panel for the main chart, narrow ones for details, letters
to refer to them in text. ``vk.mosaic`` draws the layout as a picture,
``vk.inset`` magnifies a region in place, and ``vk.facet`` names the rows
and columns of a grid once, in its margins.
"""

import pandas as pd

import vizkit as vk

vk.set_theme()
weather = vk.load_dataset("seattle_weather")
penguins = vk.load_dataset("penguins")

fig, axes = vk.mosaic("AAB;CCB", letters=True, figsize=(10, 5.6), width_ratios=[1, 1, 0.9])
vk.line(weather, x="date", y="temp_max", smooth="rolling", window=30, ax=axes["A"])
axes["A"].set(title="Daily high, 30-day mean", ylabel="°C")
# Room above the series for the inset, so that it hides none of the data it magnifies.
axes["A"].set_ylim(-5, 62)
axes["A"].set_yticks(range(0, 41, 10))  # ticks where the data are; the space above holds the inset
vk.inset(axes["A"], (0.42, 0.64, 0.34, 0.33), zoom=(pd.Timestamp("2015-06-01"), pd.Timestamp("2015-09-01"), 18, 36))
vk.bar(weather, x="weather", orient="h", sort="desc", ax=axes["B"])
axes["B"].set(title="Days by weather", xlabel="Days")
vk.bar(weather, x=weather["date"].dt.year, y="precipitation", estimator="sum", ax=axes["C"])
axes["C"].set(title="Rain per year", xlabel="Year", ylabel="Rain (mm)")

# %%
# A grid of small multiples, its rows and columns named once in the margins.
grid = vk.facet(penguins, chart=vk.bar, row="sex", col="island", x="species", margin_titles=True, height=2.2)
