"""
Grouped bars with error bars
============================

Placing the bars of a second variable side by side puts every bar on the
same baseline, so values within a group compare as precisely as values
across groups. The 95% confidence interval of each mean is a seeded
bootstrap: the same call draws the same interval every time.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")

fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=100, layout="constrained")
vk.bar(penguins, x="species", y="flipper_length_mm", hue="sex", errorbar=("ci", 95), labels=True, ax=ax)
ax.set(title="Flipper length by species and sex (mean, 95% CI)", ylabel="Flipper length (mm)")
