"""
Redundant encoding
==================

Past about eight groups, colours start to look alike, and to a reader
with a colour-vision deficiency, sooner. vizkit then varies a second
channel too (line styles and markers, hatches, marker shapes), so every
group stays unique without colour. It turns on by itself past 8 levels;
``redundant=True`` asks for it earlier.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import vizkit as vk

vk.set_theme()
rng = np.random.default_rng(11)
steps = np.arange(0, 40)
runs = pd.DataFrame({"step": np.tile(steps, 11), "learning rate": np.repeat(np.geomspace(3e-4, 3e-1, 11), 40)})
runs["loss"] = np.exp(-runs["step"] * np.sqrt(runs["learning rate"]) / 2) + rng.normal(0, 0.01, len(runs))
rates = runs["learning rate"].map(lambda v: f"{v:.0e}")  # labels, kept in the order of the rates
runs["learning rate"] = pd.Categorical(rates, categories=list(dict.fromkeys(rates)))
weather = vk.load_dataset("seattle_weather")

fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2), dpi=100, layout="constrained")
vk.line(runs, x="step", y="loss", hue="learning rate", ax=left)
vk.legend(left, where="outside right")
left.set_title("11 runs: line styles, then markers")
vk.bar(weather, x=weather["date"].dt.year, hue="weather", layout="percent", redundant=True, ax=right)
right.set(title="5 weather types, hatched on request", xlabel="Year")
