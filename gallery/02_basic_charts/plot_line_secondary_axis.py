"""
One quantity in two units: a secondary axis
===========================================

When readers think in different units, label the same axis twice instead of
converting the data: ``vk.secondary_axis`` adds an axis whose ticks are the
primary values passed through a conversion. It first checks that the two
functions undo each other across the axis' limits (a forgotten factor 5/9
would otherwise label every tick wrong, silently), and raises an error that
shows a value where they do not.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
weather = vk.load_dataset("seattle_weather")
weather["month"] = weather["date"].dt.month
months = ["Jan", "Mar", "May", "Jul", "Sep", "Nov"]


def celsius_to_fahrenheit(celsius):
    return celsius * 9 / 5 + 32


def fahrenheit_to_celsius(fahrenheit):
    return (fahrenheit - 32) * 5 / 9


# %%
# Daily highs and lows by month in °C, labelled in °F on the right. Any
# monotonic conversion works the same way (``which="x"`` for the top axis).
long = weather.melt(id_vars="month", value_vars=["temp_max", "temp_min"], var_name="measure",
                    value_name="temperature")
long["measure"] = long["measure"].map({"temp_max": "daily high", "temp_min": "daily low"})
fig, ax = plt.subplots(figsize=(7.2, 3.6), dpi=100, layout="constrained")
vk.line(long, x="month", y="temperature", hue="measure", band="sd", ax=ax)
ax.set_xticks([1, 3, 5, 7, 9, 11], months)
ax.set(title="Seattle temperatures, mean ± 1 sd per month", ylabel="°C", xlabel=None)
vk.secondary_axis(ax, functions=(celsius_to_fahrenheit, fahrenheit_to_celsius), label="°F")
