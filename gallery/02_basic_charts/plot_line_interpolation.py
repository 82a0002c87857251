"""
Interpolation: how a line joins sparse points
=============================================

Between two measurements a line makes a claim about values nobody measured.
``interpolate="linear"`` claims a steady change, ``"step"`` that a value holds
until the next one (a monthly total, a learning rate schedule), ``"spline"``
a smooth curve, which can overshoot: below zero millimetres of rain here.
``"pchip"`` is smooth too but monotone between neighbours, so it never goes
beyond them. The measured points stay marked. ``smooth="lowess"`` instead
fits a local regression through many noisy points.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
weather = vk.load_dataset("seattle_weather")
year = weather[weather["date"].dt.year == 2015].copy()
year["month"] = year["date"].dt.month
rain = year.groupby("month", as_index=False)["precipitation"].sum()

# %%
# Monthly rainfall in Seattle, 2015, joined four ways.
fig, axes = plt.subplots(2, 2, figsize=(8.0, 5.0), dpi=100, layout="constrained", sharex=True, sharey=True)
for ax, method in zip(axes.flat, ["linear", "step", "spline", "pchip"], strict=True):
    vk.line(rain, x="month", y="precipitation", interpolate=method, ax=ax)
    ax.axhline(0, color=vk.colors.INK_MUTED, linewidth=0.8, zorder=1)
    ax.set_title(f"interpolate={method!r}", loc="left", fontsize="medium")
    ax.set(xlabel=None, ylabel=None)
    ax.set_xticks([1, 4, 7, 10], ["Jan", "Apr", "Jul", "Oct"])
fig.supylabel("Rain per month (mm)", fontsize="medium")

# %%
# A lowess curve through Apple's monthly share price (statsmodels' lowess,
# each local fit over 24 months).
stocks = vk.load_dataset("stocks")
apple = stocks[stocks["symbol"] == "AAPL"]
fig, ax = plt.subplots(figsize=(7.2, 3.4), dpi=100, layout="constrained")
vk.line(apple, x="date", y="price", smooth="lowess", window=24, ax=ax)
ax.set(title="Apple's share price with a lowess curve", ylabel="Price (USD)", xlabel=None)
