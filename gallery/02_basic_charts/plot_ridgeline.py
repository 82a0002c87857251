"""
Ridgeline: a distribution per month
===================================

When a distribution moves along an ordered variable (months, epochs, layers),
one density per level stacked with some overlap shows the drift, the spread
and the tails in one picture: TensorBoard's histogram view of weights per
epoch is this chart. Every ridge is on the same scale, so a taller ridge is a
more concentrated distribution, and the colours follow the order (light to
dark), because the levels are ordered, not just different.
"""

import matplotlib.pyplot as plt
import pandas as pd

import vizkit as vk

vk.set_theme()
weather = vk.load_dataset("seattle_weather")
weather["month"] = pd.Categorical(pd.to_datetime(weather["date"]).dt.strftime("%b"),
                                  categories=pd.date_range("2020-01-01", periods=12, freq="MS").strftime("%b"))

# %%
# Seattle's daily highs, 2012-2015: summer days spread over 15-35 °C, winter
# days crowd around 8 °C.
fig, ax = plt.subplots(figsize=(7.2, 5.4), dpi=100, layout="constrained")
vk.ridgeline(weather, x="temp_max", by="month", ax=ax)
ax.set(title="Daily maximum temperature in Seattle, by month", xlabel="daily maximum (°C)", ylabel="")

# %%
# The same months as histograms over shared bins: nothing smoothed, each
# ridge's bars a density so that months with fewer days compare fairly.
fig, ax = plt.subplots(figsize=(7.2, 5.4), dpi=100, layout="constrained")
vk.ridgeline(weather, x="temp_max", by="month", kind="hist", bins=30, overlap=0.5, ax=ax)
ax.set(title="The same, as histograms", xlabel="daily maximum (°C)", ylabel="")
