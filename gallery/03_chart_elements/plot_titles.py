"""
Title, subtitle and caption
===========================

A chart's title states the finding, the subtitle says what is plotted, and a
caption credits the source. ``vk.titles`` aligns all three with the left
edge of the Axes, where the eye starts reading, and leaves layout enough room
that none of them touches tick labels or the legend.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")

fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=100, layout="constrained")
vk.bar(penguins, x="island", hue="species", layout="stacked", ax=ax)
vk.titles(ax, "Biscoe holds half of all penguins", subtitle="Penguins counted on each island, by species",
          caption="Source: Palmer Station LTER, via the palmerpenguins package")
