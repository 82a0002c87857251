"""
Stacked bars
============

Stacking shows a total and its parts at once: the height of each bar is the
island's whole count, and each segment one species' share of it. Only the
bottom segment sits on a common baseline, so stacks compare totals well and
inner parts less well; labels in each segment give the exact numbers.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")

fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=100, layout="constrained")
vk.bar(penguins, x="island", hue="species", layout="stacked", labels=True, ax=ax)
ax.set_title("Penguins per island, by species")
