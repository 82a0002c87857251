"""
Categorical, sequential and diverging colour
============================================

Colour answers one of three questions. *Which group?* wants distinct hues
of similar weight (categorical). *How much?* wants one hue from light to
dark (sequential). *How far above or below a reference?* wants two hues
meeting at a neutral middle (diverging), and that middle must sit at the
reference: ``center=`` puts it there.
"""

import matplotlib.pyplot as plt
import numpy as np

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")
wine = vk.load_dataset("wine")
diabetes = vk.load_dataset("diabetes")
slope, intercept = np.polyfit(diabetes["bmi"], diabetes["progression"], 1)
diabetes["residual"] = diabetes["progression"] - (slope * diabetes["bmi"] + intercept)

fig, axes = plt.subplots(1, 3, figsize=(13, 3.9), dpi=100, layout="constrained")
vk.scatter(penguins, x="flipper_length_mm", y="body_mass_g", hue="species", ax=axes[0])
axes[0].set_title("Categorical: which species?")
vk.scatter(wine, x="flavanoids", y="od280_od315", hue="alcohol", ax=axes[1])
axes[1].set_title("Sequential: how much alcohol?")
vk.scatter(diabetes, x="bmi", y="progression", hue="residual", center=0, ax=axes[2])
axes[2].set_title("Diverging: above or below the fit?")
