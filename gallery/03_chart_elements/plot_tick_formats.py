"""
Tick formats
============

Tick labels should read like the numbers people write: 25% rather than
0.25, 1.2M rather than 1200000 or 1.2e6, short dates rather than full
timestamps. ``vk.format_axis`` names each format once, and rotates long
category labels only when they would otherwise collide.
"""

import matplotlib.pyplot as plt
import numpy as np

import vizkit as vk

vk.set_theme()
weather = vk.load_dataset("seattle_weather")
rng = np.random.default_rng(3)
steps = np.arange(1, 101) * 25_000
# An accuracy stays in (0, 1): generated on the logit scale, noise included, then squashed.
accuracy = 1 / (1 + np.exp(-(-0.4 + 4.0 * (1 - np.exp(-steps / 6e5)) + rng.normal(0, 0.08, 100))))

fig, axes = plt.subplots(2, 2, figsize=(9, 6), dpi=100, layout="constrained")
axes[0, 0].plot(steps, accuracy)
vk.format_axis(axes[0, 0], x="compact", y="percent")
axes[0, 0].set(title="compact and percent", xlabel="Training step", ylabel="Accuracy")

axes[0, 1].plot(weather["date"], weather["temp_max"].rolling(30).mean())
vk.format_axis(axes[0, 1], x="date", y="{x:.0f} °C")
axes[0, 1].set(title="date and a format string", ylabel="30-day mean high")

axes[1, 0].plot(steps / 10, steps * 40.0)
vk.format_axis(axes[1, 0], x="thousands", y="si")
axes[1, 0].set(title="thousands and SI prefixes", xlabel="Batch", ylabel="Tokens seen")

vk.bar(weather.assign(month=weather["date"].dt.strftime("%B")), x="month", ax=axes[1, 1])
vk.format_axis(axes[1, 1], rotate="auto")
axes[1, 1].set(title="rotate='auto'", ylabel="Days")
