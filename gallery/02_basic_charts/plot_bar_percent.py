"""
Percentage bars
===============

When the totals differ a lot, stacking to 100% compares the *mix* instead:
every bar is one island and every segment a species' share of its penguins.
The shares of a bar sum to exactly 100%, and the value axis reads in percent.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")

fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=100, layout="constrained")
vk.bar(penguins, x="island", hue="species", layout="percent", labels=".0%", ax=ax)
ax.set_title("Species mix on each island")
