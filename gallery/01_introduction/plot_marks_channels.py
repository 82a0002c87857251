"""
Marks and channels
==================

Every chart is built from *marks*, the geometric things drawn (points,
lines, areas, bars), and *channels*, the visual properties of a mark that
carry a value: its position, its length, its size, its colour, its shape.
Choosing a chart is choosing a mark for each observation and a channel for
each variable. Channels are not read equally well: a position on a common
scale is judged most accurately, then length, then area; colour lightness
gives only a rough order, and shape has no order at all, so it suits a
category, never a quantity (Cleveland and McGill, 1984).
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
weather = vk.load_dataset("seattle_weather")

# %%
# Marks: the same 48 monthly rainfall totals of Seattle drawn as points, as a
# line and as an area. Points show each value on its own; a line says the
# values are ordered and joins them into a trend; an area fills down to zero,
# so it shows a quantity measured from a baseline (rain that accumulated).
monthly = (weather.set_index("date")["precipitation"].resample("MS").sum()
           .rename("rain_mm").reset_index())
monthly["year"] = monthly["date"].dt.year + (monthly["date"].dt.month - 1) / 12
fig, (points, line, area) = plt.subplots(1, 3, figsize=(12, 3.6), dpi=100, sharey=True, layout="constrained")
vk.scatter(monthly, x="year", y="rain_mm", ax=points)
points.set_title("Point: each value on its own")
vk.line(monthly, x="year", y="rain_mm", ax=line)
line.set_title("Line: an ordered trend")
area.fill_between(monthly["year"], monthly["rain_mm"], color=vk.palette()[0], alpha=0.35, linewidth=0)
vk.line(monthly, x="year", y="rain_mm", ax=area)
area.set_title("Area: an amount from zero")
area.set_ylim(bottom=0)
vk.titles(fig, "One series, three marks", subtitle="Monthly rainfall in Seattle, 2012-2015 (mm)")

# %%
# Channels: how many days of each kind of weather Seattle had in 2012-2015,
# five numbers drawn with four channels of a mark. Which ratio can you read?
# Sunny days outnumber foggy ones by 714 to 411: easy to judge from position
# and from length, harder from the area of a circle, and only roughly from the
# lightness of a colour. Shape (the last panel) carries the category itself.
counts = (weather["weather"].value_counts().rename_axis("weather").reset_index(name="days")
          .assign(slot=lambda t: range(len(t)), row=0.0))
fig, axes = plt.subplots(1, 5, figsize=(14, 3.4), dpi=100, layout="constrained")
vk.scatter(counts, x="slot", y="days", s=60, ax=axes[0])
axes[0].set_title("Position")
vk.bar(counts, x="weather", y="days", ax=axes[1])
axes[1].set_title("Length")
# Areas in proportion to the numbers (vk.scatter's ``size`` spreads the values over a range of
# areas, which suits a third variable on a scatter plot, not this comparison).
axes[2].scatter(counts["slot"], counts["row"], s=1000 * counts["days"] / counts["days"].max(),
                color=vk.palette()[0])
axes[2].set_title("Area")
vk.scatter(counts, x="slot", y="row", hue="days", s=500, ax=axes[3])
axes[3].set_title("Colour lightness")
vk.scatter(counts, x="slot", y="row", style="weather", s=160, ax=axes[4])
axes[4].set_title("Shape (a category)")
for ax in axes[[0, 2, 3, 4]]:
    ax.set_xticks(counts["slot"], counts["weather"])
    ax.set_xlabel("Weather")
    ax.set_xlim(-0.7, len(counts) - 0.3)
for ax in axes[2:]:
    ax.set_yticks([])
    ax.set_ylabel("")
    ax.set_ylim(-1, 1)
    if ax.get_legend() is not None:
        ax.get_legend().remove()
axes[0].set_ylim(bottom=0)
vk.titles(fig, "Five numbers, four channels, and a shape for the category",
          subtitle="Days of each weather in Seattle, 2012-2015: most accurate on the left, least on the right")
