"""
YOLO's grid: which cell answers for which object
================================================

YOLO v1 (Redmon et al., 2016) reads detection as one regression. The image
is cut into S×S cells; the cell that holds an object's centre is
*responsible* for it: row ⌊cy·S/H⌋, column ⌊cx·S/W⌋. Each cell predicts B
boxes, each as (x, y, w, h, confidence), with (x, y) the centre relative
to the cell and (w, h) relative to the image, and C class scores: the
network's output, and its training target, is an S×S×(B·5+C) tensor,
7×7×30 for the paper's 20 Pascal VOC classes.

``vizkit.torch.yolo_encode(boxes, labels, S=, B=, C=, image_size=)`` builds
that target and ``yolo_decode`` reads the boxes back;
``vk.yolo_grid(image, boxes, labels, S=)`` draws the grid over the image,
each box, its centre and the cell responsible for it, and the target's shape.
The photo is scikit-learn's ``china.jpg`` (the Summer Palace, 427×640);
the four boxes and their three classes were placed by hand for this page,
not found by a detector.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_sample_image

import vizkit as vk
import vizkit.torch as vt

vk.set_theme()
image = load_sample_image("china.jpg")  # 427 × 640 × 3, RGB
classes = ["tower", "tree", "island"]
boxes = np.array([            # (x_min, y_min, x_max, y_max) in pixels, placed by hand
    [60, 25, 370, 410],       # the Tower of Buddhist Incense
    [545, 135, 640, 427],     # the tree on the right
    [0, 140, 75, 290],        # the tree on the left
    [420, 222, 500, 245],     # the island in the lake
])
labels = [0, 1, 1, 2]
S, B, C = 7, 2, len(classes)

target = vt.yolo_encode(boxes, labels, S=S, B=B, C=C, image_size=image.shape[:2], dtype=torch.float64)
decoded, decoded_labels, _ = vt.yolo_decode(target, B=B, image_size=image.shape[:2])
print(tuple(target.shape), "responsible cells:", torch.nonzero(target[..., 4]).tolist())
print("decoded boxes equal the boxes:", np.allclose(np.sort(decoded, axis=0), np.sort(boxes, axis=0)))

fig, ax = plt.subplots(figsize=(8.4, 6.0), dpi=100, layout="constrained")
vk.yolo_grid(image, boxes, labels, S=S, B=B, C=C, class_names=classes, ax=ax)
ax.set_title("YOLO v1 grid, S = 7: each object belongs to the cell holding its centre", loc="left")

# %%
# The tower's box covers most of the image, yet one cell, row 3 and column
# 2, answers for it: the cell under its centre. The island is small, but its
# centre decides as much: row 3, column 5. Everything else in the target is
# zero: 45 of the 49 cells say "no object", which is why the paper weights
# their confidence loss down (λ_noobj = 0.5) and the box loss up (λ_coord = 5).
#
# The target itself: the confidence of each cell's first box slot (1 where an
# object's centre falls, 0 elsewhere), the same 7×7 grid as the photo.

fig, ax = plt.subplots(figsize=(5.0, 4.2), dpi=100, layout="constrained")
vk.heatmap(target[..., 4].numpy(), annot=True, fmt=".0f", square=True, cmap="Greys", vmin=-0.08, vmax=1, cbar=False,
           ax=ax)  # vmin below 0: the empty cells stay visible in light grey
ax.set_xlabel("column")
ax.set_ylabel("row")
ax.set_title(f"Confidence, target[..., 4] ({S}×{S}×{B * 5 + C})", loc="left")
