"""
ResNet's skip connection: output = F(x) + x, on real activations
================================================================

A residual block computes F(x) with two 3 × 3 convolutions and batch
normalization, then adds its input back before the last ReLU:
ReLU(F(x) + x). A plain block outputs ReLU(F(x)) alone. Here sixteen basic blocks
(``vizkit.torch.models.BasicBlock``, three channels, freshly initialised and
seeded, in eval mode) are chained on a photograph (scikit-learn's china.jpg,
96 × 64), once as plain blocks and once as residual blocks, with the same
weights. Each tile shows the mean over the three channels, scaled on its own.

The plain chain scrambles the picture within a few blocks: each block has to
carry the whole signal through its convolutions. The residual chain keeps the
picture recognisable after sixteen blocks, because the identity path passes x
through unchanged and each block only adds a correction. The same path carries
gradients backwards, which is why 50 and 152 layers train (the plain-against-
residual training run of this section shows that side). The numbers over the
tiles are the correlation of each map with the input.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_sample_image

import vizkit as vk
from vizkit.torch.models import BasicBlock

vk.set_theme()

photo = load_sample_image("china.jpg")[::6, ::6][:64, :96].astype(np.float32) / 255
x = torch.from_numpy(photo).permute(2, 0, 1)[None]
x = (x - x.mean(dim=(2, 3), keepdim=True)) / x.std(dim=(2, 3), keepdim=True)

torch.manual_seed(0)
blocks = [BasicBlock(3, 3).eval() for _ in range(16)]
shown = (1, 4, 16)


def chain(residual: bool) -> dict:
    maps, h = {}, x
    with torch.no_grad():
        for depth, block in enumerate(blocks, start=1):
            h = block(h) if residual else block.relu(block.residual(h))
            if depth in shown:
                maps[depth] = h[0].mean(0).numpy()
    return maps


def correlation(a, b) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


inputs = x[0].mean(0).numpy()
tiles, titles = [], []
for name, residual in (("plain", False), ("residual", True)):
    maps = chain(residual)
    tiles.append(inputs)
    titles.append(f"input x ({name})")
    for depth in shown:
        tiles.append(maps[depth])
        titles.append(f"{depth} block{'s' if depth > 1 else ''}: r = {correlation(maps[depth], inputs):.2f}")

grid = vk.image_grid(np.stack(tiles), titles=titles, ncols=4, norm="each", cmap="gray",
                     title="Top: plain blocks, ReLU(F(x)). Bottom: residual, ReLU(F(x) + x)")
plt.show()
