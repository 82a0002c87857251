"""
Filters and feature maps of a trained CNN
=========================================

A convolution layer is a stack of small kernels; what it learned is in
those kernels and in the maps they make of an image. The small CNN of
``training_runs/cnn_feature_maps.py`` (two 5×5 convolutions, 8 and 16
channels, each followed by ReLU and 2×2 max pooling) trained for 5 epochs
on 4 000 MNIST digits (96 % held-out accuracy after the last epoch). ``vizkit.torch.FeatureMaps``
ran four held-out digits through it after every epoch and saved the maps
of both convolutions after their ReLU (``relu1``, ``relu2``) beside the run, as npz files that
``vizkit.io.read_feature_maps`` reads back without torch.
"""

import matplotlib.pyplot as plt
import numpy as np

import vizkit as vk

vk.set_theme()

RUN = "../../training_runs/runs/cnn_feature_maps"

# %%
# The first layer's filters after training
# ----------------------------------------
# ``vk.filters`` draws a weight of shape (Cout, Cin, K, K) as a tile per
# kernel. On one diverging scale centred at 0, blue weights subtract and
# orange ones add: most kernels are edge and stroke detectors, a bright
# band beside a dark one, at different angles. (A first layer on colour
# images, Cin = 3, is drawn as one RGB tile per filter.)

weight = vk.io.read_arrays(RUN, "conv1_weight").popitem()[1]["weight"]
vk.filters(weight, scale="shared", title="conv1: 8 kernels of 5×5 after 5 epochs", ncols=4, tile_size=1.0)

# %%
# Feature maps of one digit, layer by layer
# -----------------------------------------
# ``vk.feature_maps`` draws a tile per channel for one probe image (here the
# 4), each on its own range so its pattern shows (dark: strong answers, light:
# none, which ReLU set to 0). The first layer's maps (28×28) still look like
# the digit, each lighting up the strokes and edges of one direction; the
# second layer sees the pooled 14×14 maps and answers to combinations of
# them: coarser, more abstract, fewer pixels lit.

vk.feature_maps(RUN, image=2)

# %%
# One layer's maps over the epochs
# --------------------------------
# ``over="epoch"`` puts a row per saved epoch and one shared scale: the
# first 8 channels of the second layer on the same 4. The patterns settle after the
# first epoch; later epochs mostly sharpen and strengthen them. Two of the
# eight channels stay silent for this digit: ReLU keeps nothing of them.

vk.feature_maps(RUN, layers="relu2", image=2, over="epoch", max_channels=8)

plt.show()
