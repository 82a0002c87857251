"""
Overplotting: alpha, hexbin and 2-D density
===========================================

Past a few thousand points a scatter plot turns into an ink blot: points
hide each other, and the dense core looks no darker than the sparse edge. A
density view shows how many points fall where instead: translucent points,
counts per hexagon, or a smoothed 2-D density drawn as contours.
``density="auto"`` picks from how deeply the markers would stack on the
Axes, not from how many there are: plain points where they hardly overlap,
translucent points whose alpha lets the typical stack reach 80% ink, hexagons
where even that would leave single points invisible. It records its choice in
``vk.plotted_data(ax).attrs``. The data are generated (seeded):
three clusters of unequal size and spread, like a 2-D embedding of a
network's features.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import vizkit as vk

vk.set_theme()
rng = np.random.default_rng(7)
clusters = [(40_000, (0.0, 0.0), 1.0), (15_000, (2.6, 1.4), 0.45), (5_000, (-1.6, 2.2), 0.3)]
points = pd.DataFrame(np.concatenate([rng.normal(centre, spread, size=(n, 2)) for n, centre, spread in clusters]),
                      columns=["dim_1", "dim_2"])
sample = points.sample(20_000, random_state=0)

# %%
# The same clusters four ways, on the same limits. Plain points show one blob;
# each density view shows three clusters, the two small ones much tighter
# than the big one. A sample of 4 000 points stacks about five deep in the
# middle: translucent points. All 60 000 would need an alpha too faint for
# a lone point to show: hexagons.
fig, axes = plt.subplots(2, 2, figsize=(10, 8), dpi=100, layout="constrained")
vk.scatter(points, x="dim_1", y="dim_2", ax=axes[0, 0])
axes[0, 0].set_title(f"plain points, n = {len(points):,}")
few = points.sample(4_000, random_state=0)
vk.scatter(few, x="dim_1", y="dim_2", density="auto", ax=axes[0, 1])
axes[0, 1].set_title(f"auto, n = {len(few):,}: alpha {vk.plotted_data(axes[0, 1]).attrs['alpha']:.2f}")
vk.scatter(points, x="dim_1", y="dim_2", density="auto", ax=axes[1, 0])
axes[1, 0].set_title(f"auto, n = {len(points):,}: {vk.plotted_data(axes[1, 0]).attrs['density']}")
vk.scatter(sample, x="dim_1", y="dim_2", density="kde", ax=axes[1, 1])
axes[1, 1].set_title(f"kde, n = {len(sample):,}")
for ax in axes.flat:
    ax.set(xlim=(-4.5, 5), ylim=(-4.5, 4.5))
