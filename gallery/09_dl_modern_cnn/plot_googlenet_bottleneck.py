"""
GoogLeNet's 1 × 1 bottleneck: the parameters it saves in every inception module
===============================================================================

An inception module runs four branches side by side on the same input and
concatenates their outputs: a 1 × 1 convolution, a 3 × 3 one, a larger one and
a max pooling. Run on all of the input's channels, the larger kernels would
dominate the parameters (a K × K convolution from C_in to C_out has
K·K·C_in·C_out weights). GoogLeNet first squeezes the input with a 1 × 1
convolution: in module 3a, 192 channels down to 96 before the 3 × 3
convolution and to 16 before the other one.

The bars count the parameters of each of GoogLeNet's nine inception modules as
``vizkit.torch.models.googlenet`` builds them, and of the same modules with the
1 × 1 reductions removed (each larger convolution then reads every input
channel). Both are real ``nn.Module`` objects, built on the meta device, so the
counts come from ``p.numel()``, not from a formula. torchvision's "5 × 5" branch
has a 3 × 3 kernel (a slip its weights were trained with), so both versions use
3 × 3 there; with a true 5 × 5 the saving would be larger still.
"""

import matplotlib.pyplot as plt
import pandas as pd
import torch
from torch import nn

import vizkit as vk
from vizkit.torch.models import BasicConv2d, googlenet

vk.set_theme()

with torch.device("meta"):
    model = googlenet()


def n_parameters(module):
    return sum(p.numel() for p in module.parameters())


def without_reduction(inception):
    """The same module with each 1 × 1 reduction removed: the 3 × 3 convolutions read every input channel."""
    c_in = inception.branch1[0].in_channels
    return nn.ModuleList([
        inception.branch1,
        BasicConv2d(c_in, inception.branch2[1][0].out_channels, kernel_size=3, padding=1),
        BasicConv2d(c_in, inception.branch3[1][0].out_channels, kernel_size=3, padding=1),
        inception.branch4,
    ])


rows = []
with torch.device("meta"):
    for name, inception in model.named_children():
        if name.startswith("inception"):
            module = name.removeprefix("inception")
            rows.append({"module": module, "version": "with 1 × 1 reduction", "parameters": n_parameters(inception)})
            rows.append({"module": module, "version": "without", "parameters": n_parameters(without_reduction(inception))})
table = pd.DataFrame(rows)
totals = table.groupby("version", sort=False)["parameters"].sum()

fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
vk.bar(table, x="module", y="parameters", hue="version", ax=ax)
vk.format_axis(ax, y="compact")
ax.set_xlabel("Inception module")
ax.set_ylabel("Parameters")
ax.set_title(f"Inception modules: {totals['with 1 × 1 reduction'] / 1e6:.1f}M parameters with the 1 × 1 "
             f"bottleneck,\n{totals['without'] / 1e6:.1f}M without it")
plt.show()
