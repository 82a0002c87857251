"""
Grids, reference lines and spans
================================

Gridlines help read values, so they belong behind the data and lighter
than it. A reference line marks a threshold the data should be judged
against; a shaded span marks a period or an acceptable range. Each label
sits at the end of its line, on a box that keeps it readable over the data.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import vizkit as vk

vk.set_theme()
rng = np.random.default_rng(7)
epochs = np.arange(1, 61)
val_acc = 0.93 - 0.5 * np.exp(-epochs / 9) + rng.normal(0, 0.006, 60)
weather = vk.load_dataset("seattle_weather")

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), dpi=100, layout="constrained")
left.plot(epochs, val_acc)
vk.grid(left, which="both", axis="y")
vk.refline(left, y=0.9, label="target 90%")
vk.refspan(left, x=(1, 10), label="warm-up")
vk.format_axis(left, y="percent")
left.set(title="Validation accuracy", xlabel="Epoch", ylabel="Accuracy")

summer = weather[(weather["date"] >= "2015-05-01") & (weather["date"] < "2015-10-01")]
vk.line(summer, x="date", y="temp_max", ax=right)
vk.refspan(right, y=(18, 24), label="comfortable")
vk.refline(right, x=pd.Timestamp("2015-07-04"), label="4 July")
right.set(title="Seattle, summer 2015", ylabel="Daily high (°C)")
