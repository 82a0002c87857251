"""
Parameters and mult-adds per layer: the CIFAR-10 tutorial net
=============================================================

A convolution's parameters do not depend on the image: each of its ``Cout``
filters has K·K·Cin weights and one bias, so ``Conv2d(3, 6, 5)`` (six 5×5
filters over three colour channels) has 5·5·3·6 + 6 = 456 parameters, on a
32×32 image as on a 1000×1000 one. A linear layer has in·out + out.

``vizkit.torch.summary(model, input_size)`` runs one example through the
model with a hook on every module and gives a row per layer: its output
shape, its kernel, its parameters (each tensor counted once, even when two
layers share it) and its mult-adds (from ``torch.utils.flop_counter``).
``vk.param_counts`` draws the parameters with the formula that counts them.
The net is the one of PyTorch's "Training a classifier" tutorial.
"""

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import torch
from torch import nn
from torch.nn import functional as F

import vizkit as vk
from vizkit.torch import summary

vk.set_theme()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


with torch.device("meta"):  # shapes and counts need no weights: nothing is allocated
    net = Net()
found = summary(net, (3, 32, 32))
print(found)
layers = found.table[found.table["params"] > 0]
convs = layers["type"] == "Conv2d"
print(f"convolutions: {layers.loc[convs, 'params'].sum() / found.total_params:.0%} of the parameters, "
      f"{layers.loc[convs, 'mult_adds'].sum() / found.mult_adds:.0%} of the mult-adds; "
      f"fc1: {layers['params'].max() / found.total_params:.0%} of the parameters")

# %%
# Each 5×5 convolution without padding takes 4 pixels off each side
# (⌊(32 − 5 + 0)/1⌋ + 1 = 28), each 2×2 pooling halves the map: 3×32×32 →
# 6×28×28 → 6×14×14 → 16×10×10 → 16×5×5, and the 16·5·5 = 400 values feed
# the first linear layer. Left, the parameters; right, the mult-adds of one
# image. The two convolutions hold 5 % of the parameters but do 91 % of the
# multiplications, because every weight is used at every position of the
# map; ``fc1`` is the reverse: 78 % of the parameters, each used once.

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), dpi=100, layout="constrained")
vk.param_counts(found, ax=left)
vk.bar(layers, x="layer", y="mult_adds", orient="h", labels=True, ax=right)
right.xaxis.set_major_locator(MaxNLocator(4))
right.set(xlabel="Mult-adds per 32×32 image", ylabel="", ylim=left.get_ylim())
right.tick_params(labelleft=False)  # the same layers, in the same rows as on the left
right.set_title(f"Mult-adds: {found.mult_adds:,} per image", loc="left")

plt.show()
