"""
Five modern CNN families on one chart: parameters, mult-adds and depth
======================================================================

AlexNet (2012), VGG (2014), GoogLeNet (2014), ResNet (2015) and DenseNet
(2016), as torchvision builds them (``vizkit.torch.models``, plain torch). Each
model is a marker: its parameters up the chart, the multiply-adds of one
224 × 224 image along it, and its depth (weight layers on the longest path from
input to output: 8 for AlexNet, 50 for ResNet-50, 121 for DenseNet-121) as the
marker's area. The members of a family are joined.

The chart tells the lecture's story: VGG went deeper with 3 × 3 convolutions
and paid for it in both directions (138 million parameters, 15.5 billion
mult-adds for VGG-16, most of the parameters in its fully connected head);
GoogLeNet's 1 × 1 bottlenecks and global pooling cut the parameters twenty-fold
at a tenth of the compute; ResNet's skip connections let depth grow to 50 layers
for a fifth of VGG's parameters, and DenseNet reaches 121 layers with 8 million
parameters by reusing every earlier feature map.

The numbers come from ``vizkit.torch.models.architecture_table()``: the models
are built on the meta device (nothing allocated) and their mult-adds counted by
``torch.utils.flop_counter``; ``training_runs/architectures.py`` wrote them to a
CSV once, so this page needs no torch.
"""

import matplotlib.pyplot as plt
import pandas as pd

import vizkit as vk

vk.set_theme()

table = pd.read_csv("../../training_runs/runs/architectures/architectures.csv")
fig, ax = plt.subplots(figsize=(7.5, 5), layout="constrained")
vk.architectures(table, ax=ax)
ax.set_title("Five CNN families: parameters against compute")
plt.show()
