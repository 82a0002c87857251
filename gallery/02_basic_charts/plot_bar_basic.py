"""
Vertical and horizontal bars
============================

A bar's length encodes its value from a common zero, which makes bars the
most accurate way to compare amounts across categories. Vertical bars suit a
few short category names; horizontal bars leave room for long names and many
categories, read top to bottom. ``y=None`` counts rows.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")
weather = vk.load_dataset("seattle_weather")

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=100, layout="constrained")
vk.bar(penguins, x="species", y="body_mass_g", ax=left)
left.set(title="Mean body mass per species", ylabel="Body mass (g)")
vk.bar(weather, x="weather", orient="h", sort="desc", ax=right)
right.set(title="Seattle days by weather, 2012-2015", xlabel="Days")
