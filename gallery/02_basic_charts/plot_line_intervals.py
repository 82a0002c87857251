"""
Intervals: the spread or the uncertainty around a line
======================================================

Four years of daily highs give about 120 values for each month, and a line
through their means says nothing about how they vary. ``band=`` shades an
interval around each line, computed from the values that share an ``x``:
``("ci", 95)`` is a bootstrap confidence interval of the mean (narrow: the
mean is well known), ``"sd"`` the spread of the days themselves, and
``"minmax"`` their full range. Training curves over several seeds read the
same way, one row per seed and step.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
weather = vk.load_dataset("seattle_weather")
weather["month"] = weather["date"].dt.month
months = ["Jan", "Apr", "Jul", "Oct"]

# %%
# The same daily highs, summarised three ways.
fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.2), dpi=100, layout="constrained", sharey=True)
for ax, band, title in zip(axes, [("ci", 95), "sd", "minmax"],
                           ["95% CI of the mean", "mean ± 1 sd", "min to max"], strict=True):
    vk.line(weather, x="month", y="temp_max", band=band, ax=ax)
    ax.set_title(f'band={band!r}\n{title}', loc="left", fontsize="medium")
    ax.set_xticks([1, 4, 7, 10], months)
    ax.set(xlabel=None, ylabel=None)
axes[0].set_ylabel("Daily high (°C)")

# %%
# One band per hue level: the daily highs and lows, each with the 95%
# confidence interval of its monthly mean.
long = weather.melt(id_vars="month", value_vars=["temp_max", "temp_min"], var_name="measure",
                    value_name="temperature")
long["measure"] = long["measure"].map({"temp_max": "daily high", "temp_min": "daily low"})
fig, ax = plt.subplots(figsize=(7.2, 3.4), dpi=100, layout="constrained")
vk.line(long, x="month", y="temperature", hue="measure", band=("ci", 95), ax=ax)
ax.set_xticks(range(1, 13), ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"])
ax.set(title="Monthly mean of daily highs and lows, 2012-2015", ylabel="Temperature (°C)", xlabel=None)
