"""
Distributions: histogram, density, ECDF, box and violin
=======================================================

A mean hides the shape of the values: two groups with the same mean can be
one narrow peak and two far-apart humps. Five charts show the shape, each
trading detail for readability differently. A histogram counts values per
bin (the bins are NumPy's, shared by every group); a density smooths the
counts into a curve (a Gaussian kernel, Scott's bandwidth); an ECDF draws
every value, with nothing binned or smoothed, so medians and tails read off
directly. A box plot reduces each group to five numbers and its outliers; a
violin shows each group's whole density, with its quartiles inside.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")

# %%
# Flipper length per species: stacked bars keep the total visible (the
# overall histogram is the outline), filled densities let the three shapes
# overlap. Gentoo's flippers are longer than almost every Adélie's.
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), dpi=100, layout="constrained")
vk.hist(penguins, x="flipper_length_mm", hue="species", multiple="stack", bins=20, ax=left)
left.set_title("Histogram: counts per bin, stacked")
vk.kde(penguins, x="flipper_length_mm", hue="species", fill=True, ax=right)
right.set_title("Density: the same values, smoothed")

# %%
# The ECDF answers "what share is below this?" without choosing a bin
# width or a bandwidth: half of the Chinstraps have bills longer than 49 mm,
# where the curve crosses 0.5.
fig, ax = plt.subplots(figsize=(7.2, 3.4), dpi=100, layout="constrained")
vk.ecdf(penguins, x="bill_length_mm", hue="species", ax=ax)
vk.refline(ax, y=0.5, label="median")
ax.set_title("ECDF: share of bills at or below each length")

# %%
# Body mass by species and sex: the box gives the quartiles, the whiskers
# and the outliers; the violin the full shape. Males are heavier in every
# species, and Gentoo are heavier than the other two.
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), dpi=100, layout="constrained")
vk.box(penguins, x="species", y="body_mass_g", hue="sex", ax=left)
left.set_title("Box plot: quartiles and outliers")
vk.violin(penguins, x="species", y="body_mass_g", hue="sex", ax=right)
right.set_title("Violin: the density, quartiles inside")
