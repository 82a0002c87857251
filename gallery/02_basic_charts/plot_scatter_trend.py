"""
Trend lines and correlation
===========================

A trend line says in one stroke what the cloud of points suggests, and a
correlation coefficient puts a number on it. ``trend="ols"`` fits a straight
line with the 95% confidence band of its mean, ``trend="lowess"`` follows a
curve without assuming its shape, and ``stats=`` writes Pearson's r (linear
association) or Spearman's ρ (any monotonic one) with its p-value and n in
the corner that covers the fewest points. With a hue, each group gets its own
line, and the number in the box is *pooled* over the groups; its fit is drawn
too, dashed grey, because a pooled trend can point the other way from every
group's trend.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")
diabetes = vk.load_dataset("diabetes")

# %%
# Left: disease progression grows with body-mass index, r = 0.59. Right:
# pooled over species, longer bills look shallower (the dashed line, ρ < 0),
# yet within each species longer bills are deeper (Simpson's paradox).
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), dpi=100, layout="constrained")
vk.scatter(diabetes, x="bmi", y="progression", trend="ols", stats="pearson", ax=left)
left.set_title("Diabetes: progression and BMI")
vk.scatter(penguins, x="bill_length_mm", y="bill_depth_mm", hue="species", trend="ols", stats="spearman",
           ax=right)
right.set_title("Penguins: rising per species, falling pooled")

# %%
# A curved relation: the cholesterol/HDL ratio falls steeply at low HDL and
# flattens out. A lowess trend follows the bend; Spearman's ρ measures the
# monotonic association that a straight line would understate.
fig, ax = plt.subplots(figsize=(7.2, 4.2), dpi=100, layout="constrained")
vk.scatter(diabetes, x="hdl", y="chol_hdl_ratio", trend="lowess", stats="spearman", ax=ax)
ax.set_title("Diabetes: cholesterol/HDL ratio against HDL")
