"""
Receptive fields: how much of the image one output pixel sees, and why VGG stacks 3×3 convolutions
==================================================================================================

An output pixel of a convolution depends on a K×K window of its input; a
second convolution on top sees K×K of those windows, so its pixels depend on
a larger patch of the image: the receptive field. Layer by layer, with the
strides so far multiplied into the jump j,

    r_l = r_{l−1} + (k_l − 1)·j_{l−1},

so stride and pooling make it grow faster, and dilation widens a kernel
without weights. ``vizkit.ml.receptive_field`` computes this for a list of
layers or a torch module; ``vk.receptive_field`` draws it against depth.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

import vizkit as vk
from vizkit.ml import receptive_field

vk.set_theme()

# %%
# The VGG argument
# ----------------
# Two stacked 3×3 convolutions see a 5×5 patch, as one 5×5 convolution
# does; with C channels in and out they have 2·9·C² = 18C² weights against
# 25C², and a non-linearity between them. Three see 7×7 for 27C² against 49C².
# Right: twelve layers of 3×3 convolutions grow the field by 2 pixels each;
# VGG's blocks (two 3×3 convolutions, then a 2×2 max pooling with stride 2)
# double the jump at every pooling; 3×3 kernels dilated 1, 2, 4, ... double
# the field at every layer without a single extra weight.

fig, (vgg, deep) = plt.subplots(1, 2, figsize=(9.6, 4.2), dpi=100, layout="constrained")
vk.receptive_field({"3×3 convs": [(3, 1)] * 3, "one 5×5 conv": [(5, 1)], "one 7×7 conv": [(7, 1)]}, ax=vgg)
vgg.set_title("Same field, fewer weights", loc="left")
pool = {"kernel": 2, "stride": 2, "pool": True, "name": "2×2 max pool"}
deeper = vk.receptive_field({"3×3 convs": [(3, 1)] * 12,
                             "VGG blocks: two 3×3, a 2×2 pool": [(3, 1), (3, 1), pool] * 4,
                             "3×3 dilated 1, 2, 4, ...": [(3, 1, 2**i) for i in range(6)]},
                            labels=False, ax=deep)
deep.set_title("Stride, pooling and dilation grow it faster", loc="left")
print(deeper.fields_)

# %%
# Checked on a real network
# -------------------------
# The field is where the gradient of one output pixel reaches in the input.
# Each tile below is that gradient for the centre pixel of a small torch
# network (weights set to 1, a 21×21 input): one, two and three 3×3
# convolutions, a VGG block (two 3×3 and a 2×2 average pooling, then a 3×3),
# and a stride-2 3×3 under a 3×3, each cut to the same 13×13 pixels around
# it. The dark patch is exactly as wide as ``receptive_field(net)`` says
# (the script asserts it), and the pixels near its centre weigh most: more
# paths lead through them, so the effective field is smaller than the
# theoretical one. The stride-2 network sees its patch unevenly: the pixels
# that two overlapping windows share weigh twice.


def conv(k=3, stride=1):
    layer = nn.Conv2d(1, 1, k, stride=stride, bias=False)
    nn.init.constant_(layer.weight, 1.0)
    return layer


nets = {
    "one 3×3": nn.Sequential(conv()),
    "two 3×3": nn.Sequential(conv(), conv()),
    "three 3×3": nn.Sequential(conv(), conv(), conv()),
    "VGG block, then 3×3": nn.Sequential(conv(), conv(), nn.AvgPool2d(2), conv()),
    "3×3 stride 2, 3×3": nn.Sequential(conv(stride=2), conv()),
}
maps, titles = [], []
for name, net in nets.items():
    image = torch.ones(1, 1, 21, 21, requires_grad=True)
    out = net(image)
    out[0, 0, out.shape[2] // 2, out.shape[3] // 2].backward()
    gradient = image.grad[0, 0].numpy()
    rows, cols = np.nonzero(gradient)
    field = int(receptive_field(net)["field"].iloc[-1])
    assert np.ptp(rows) + 1 == np.ptp(cols) + 1 == field
    top, left = (rows.min() + rows.max()) // 2 - 6, (cols.min() + cols.max()) // 2 - 6
    maps.append(gradient[top:top + 13, left:left + 13])  # 13×13 pixels around the field
    titles.append(f"{name}: {field}×{field}")
vk.image_grid(maps, titles=titles, ncols=5, cmap="gray_r", norm="each", tile_size=1.6,
              title="Input gradient of one output pixel (darker: weighs more)")

plt.show()
