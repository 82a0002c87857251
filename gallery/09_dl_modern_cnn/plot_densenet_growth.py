"""
DenseNet's channel growth: concatenation adds 32 channels a layer, 1 × 1 transitions halve them
===============================================================================================

In a dense block every layer reads the concatenation of the block's input
and of every earlier layer's output, and adds ``growth_rate`` new channels
(32 in DenseNet-121) to it. The channels a layer reads therefore climb by 32
per layer: 64 → 256 over the first block's six layers, 128 → 512 over the
second's twelve. Between blocks a transition layer (batch norm, a 1 × 1
convolution, 2 × 2 average pooling) halves both the channels and the map
size, so the next block starts from half as many channels.

Each marker is one dense layer of ``vizkit.torch.models.densenet121``, read
off the built modules (on the meta device: nothing is allocated): the
channels its first batch norm sees. Each step down is a transition's 1 × 1
convolution, labelled with its input and output channels. The layers stay
narrow (each adds only 32 maps, through a 1 × 1 bottleneck of 128), which is
how DenseNet-121 has 121 weight layers and only 8 million parameters.
"""

import matplotlib.pyplot as plt
import pandas as pd
import torch

import vizkit as vk
from vizkit.torch.models import DenseBlock, Transition, densenet121

vk.set_theme()

with torch.device("meta"):
    model = densenet121()

rows, transitions, layer = [], [], 0
for name, module in model.features.named_children():
    if isinstance(module, DenseBlock):
        block = f"block {name.removeprefix('denseblock')}"
        for dense_layer in module.values():
            layer += 1
            rows.append({"layer": layer, "channels": dense_layer.norm1.num_features, "block": block})
        layer += 1
        rows.append({"layer": layer, "channels": dense_layer.norm1.num_features + dense_layer.conv2.out_channels,
                     "block": block})                                # the block's output: its input and every new map
    elif isinstance(module, Transition):
        transitions.append((layer, module.conv.in_channels, module.conv.out_channels))
table = pd.DataFrame(rows)

fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
vk.line(table, x="layer", y="channels", hue="block", ax=ax)
for at, c_in, c_out in transitions:
    ax.annotate("", xy=(at + 1, c_out), xytext=(at, c_in),
                arrowprops={"arrowstyle": "->", "color": vk.themes.muted_ink(ax), "linewidth": 1})
    ax.annotate(f"1 × 1 conv\n{c_in} → {c_out}", xy=(at + 1, c_out), xytext=(0, -10), textcoords="offset points",
                ha="center", va="top", fontsize="small", color=vk.themes.muted_ink(ax))
ax.set_xlabel("Dense layer (in order, the blocks' outputs included)")
ax.set_ylabel("Channels")
ax.set_title("DenseNet-121: 32 more channels a layer, halved by each transition")
plt.show()
