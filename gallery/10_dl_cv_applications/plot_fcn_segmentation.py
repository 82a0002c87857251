"""
Semantic segmentation: a fully convolutional network labels every pixel
=======================================================================

A fully convolutional network gives a class score per pixel. Here the digit
classifier of the convolutionalization page, its head turned into
convolutions, an eleventh "background" score added and its 1/4-size score
maps upsampled back to the input, was trained on 64×64 canvases of two or
three MNIST digits, each pixel labelled with its digit where the ink is at
least 0.3 and background elsewhere (``training_runs/fcn_segmentation.py``).
``vk.segmentation`` draws a mask, or the argmax of the C×H×W logits, over
its image: a colour per class, the background left clear, and with the true
mask the intersection over union of each class.
"""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import vizkit as vk

vk.set_theme()
run = Path("../../training_runs/runs/fcn_segmentation")
probes = np.load(run / "probes.npz")
classes = ["background", *map(str, range(10))]

# %%
# Truth against prediction on held-out canvases
# ---------------------------------------------
# Left the true masks, right the network's prediction with each class's IoU
# on that canvas. The first prediction is drawn from the saved logits
# (11×64×64): ``vk.segmentation`` takes their argmax.

fig, axes = plt.subplots(3, 2, figsize=(8.4, 7.6), dpi=100, layout="constrained")
for row, (truth_ax, pred_ax) in enumerate(axes):
    image, truth = probes["images"][row], probes["truth"][row]
    prediction = probes["logits0"].astype(np.float32) if row == 0 else probes["pred"][row]
    vk.segmentation(image, truth, classes=classes, ax=truth_ax)
    vk.segmentation(image, prediction, classes=classes, truth=truth, ax=pred_ax)
    truth_ax.set_title(f"Canvas {row + 1}: true mask")
    pred_ax.set_title(f"Canvas {row + 1}: prediction")

# %%
# IoU per class over all held-out canvases
# ----------------------------------------
# Background pixels are the easy majority; the thin strokes of a digit are
# hard to get exactly right at a quarter of the resolution, and digits that
# look alike (4 and 9, 3 and 5) take each other's pixels.

iou = json.loads((run / "iou.json").read_text())
table = {"class": list(iou), "IoU": list(iou.values())}
fig, ax = plt.subplots(figsize=(7, 3.2), dpi=100, layout="constrained")
vk.bar(table, x="class", y="IoU", labels=True, ax=ax)
ax.set_title("Held-out IoU per class (scikit-learn's jaccard_score)")
