"""
Scatter plots with hue, size and style
======================================

A scatter plot shows how two numbers vary together, one point per
observation; a third or fourth variable can ride on the same points as
colour (``hue``), marker area (``size``) or marker shape (``style``). Colour
is read first, so give it the variable that matters most; shape and size are
for a variable with few levels, or a rough order of magnitude. vizkit draws
one legend with a titled section per channel, outside the axes so it hides
no point, and ``highlight=`` greys everything but the group under discussion.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")

# %%
# Three species separate on bill length and depth; marker shape adds sex, and
# within every species males have the longer, deeper bills.
fig, ax = plt.subplots(figsize=(7.2, 4.4), dpi=100, layout="constrained")
vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", style="sex", ax=ax)
ax.set_title("Palmer penguins: bills by species and sex")

# %%
# A numeric hue takes a sequential colormap, read off a colour bar, and ``size`` scales marker areas
# linearly. Left: in 178 Italian wines, flavanoids and the OD280/OD315 ratio
# rise together, and the wines richest in both are also the strongest and the
# richest in proline. Right: the penguins again, Chinstraps highlighted and
# drawn on top; the other species keep their place in grey.
wine = vk.load_dataset("wine")
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), dpi=100, layout="constrained")
vk.scatter(wine, x="flavanoids", y="od280_od315", hue="alcohol", size="proline", ax=left)
left.set_title("Wine: colour and size on one cloud")
vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g", hue="species", highlight="Chinstrap", ax=right)
right.set_title("Penguins: Chinstrap in focus")
