"""
Highlighting one category
=========================

Colour draws the eye only while few things have it. Keeping the category
the chart is about in colour and turning the rest one grey tells the reader
where to look, and the grey context still shows how that category compares.
The same ``highlight=`` works on bars, lines and scatter plots, and
``facet(..., highlight="context")`` gives every group its own panel against
all the others.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")
stocks = vk.load_dataset("stocks")

fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), dpi=100, layout="constrained")
vk.bar(penguins, x="species", y="body_mass_g", highlight="Gentoo", labels=True, ax=axes[0])
axes[0].set_title("Gentoo are the heaviest")
vk.line(stocks, x="date", y="price", hue="symbol", highlight="AAPL", ax=axes[1])
axes[1].set_title("Apple's climb after 2003")
vk.scatter(penguins, x="flipper_length_mm", y="bill_depth_mm", hue="species", highlight="Gentoo", ax=axes[2])
axes[2].set_title("Gentoo: long flippers, shallow bills")

# %%
# Every group in its own panel, in front of the others in grey.
grid = vk.facet(stocks, chart=vk.line, col="symbol", col_wrap=5, x="date", y="price", highlight="context",
                height=2.4, aspect=1.1)
