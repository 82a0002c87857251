"""
Trend: a faint raw series under its moving average
==================================================

A noisy series hides its trend, and a smoothed one hides its noise; drawing
both, the raw values faint and thin under a bold moving average, shows the
direction and how much to trust it. ``smooth="rolling"`` is a centred rolling
mean (no lag: the seasons of Seattle's daily highs peak where they really
do), ``smooth="ewm"`` the causal exponential average TensorBoard uses for
training curves. A curve of 200 000 logged steps is drawn from about two
points per pixel column, the minimum and the maximum of each, so every spike
of the raw loss stays visible.
"""

import matplotlib.pyplot as plt
import numpy as np

import vizkit as vk

vk.set_theme()
weather = vk.load_dataset("seattle_weather")

# %%
# Seattle's daily high temperature, four years, with a 30-day rolling mean.
fig, ax = plt.subplots(figsize=(7.2, 3.4), dpi=100, layout="constrained")
vk.line(weather, x="date", y="temp_max", smooth="rolling", window=30, ax=ax)
ax.set(title="Daily high in Seattle, with its 30-day rolling mean", ylabel="Daily high (°C)", xlabel=None)

# %%
# A training loss logged at every step (generated, seeded): the exponential
# moving average over 2 000 steps shows the trend, the faint raw curve the
# noise and the loss spikes.
rng = np.random.default_rng(7)
step = np.arange(200_000)
loss = 0.25 + 2.0 * np.exp(-step / 30_000) + 0.12 * rng.standard_normal(step.size) * np.exp(-step / 80_000)
spikes = rng.choice(step.size, 12, replace=False)
loss[spikes] += rng.uniform(0.6, 1.4, spikes.size)
fig, ax = plt.subplots(figsize=(7.2, 3.4), dpi=100, layout="constrained")
vk.line({"step": step, "loss": loss}, x="step", y="loss", smooth="ewm", window=2_000, ax=ax)
ax.set(title="Training loss per step, with its moving average")
