"""
Multiple bar plots
==================

Splitting one bar chart into a panel per group (small multiples) lets each
group be read on its own while a shared value axis keeps them comparable:
here, which species live on each island. ``vk.facet`` gives every panel the
same categories in the same places.
"""

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")

grid = vk.facet(penguins, chart=vk.bar, col="island", x="species", labels=True, height=2.8, aspect=1.2)
grid.figure.suptitle("Penguins counted on each island", x=0.02, ha="left", fontweight="bold")
