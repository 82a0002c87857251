"""
Two quantities, two y axes
==========================

Temperature and rainfall share a time axis but no unit, so each gets its own
y axis, coloured like its line so that no one reads rain against degrees.
``vk.dual_axis`` draws both, puts them in one legend, and gives the two axes
the same number of nice ticks at the same heights, so one set of gridlines
serves both. Use it sparingly: two scales invite comparing heights that mean
nothing, and small multiples (one panel per quantity) are often clearer.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
weather = vk.load_dataset("seattle_weather")
weather["month"] = weather["date"].dt.to_period("M").dt.to_timestamp()
monthly = weather.groupby("month", as_index=False).agg(
    high=("temp_max", "mean"), rain=("precipitation", "sum"))
monthly = monthly.rename(columns={"high": "Mean daily high (°C)", "rain": "Rain per month (mm)"})

# %%
fig, ax = plt.subplots(figsize=(7.2, 3.6), dpi=100, layout="constrained")
left, right = vk.dual_axis(monthly, x="month", left="Mean daily high (°C)", right="Rain per month (mm)", ax=ax)
left.set(title="Seattle: warm months are dry", xlabel=None)
