"""
Grad-CAM: where a CNN looked for a class
========================================

A classifier says *what*; a class-activation heatmap says *where*. Grad-CAM
(Selvaraju et al., 2017) takes one convolutional layer's feature maps
``A_k``, asks how much the class score ``y_c`` changes with each of them
(the gradient ∂y_c/∂A_k, averaged over the map's positions: one weight per
channel), and adds the maps up with those weights. The ReLU keeps only what
speaks *for* the class; the result, as coarse as the layer, is upsampled
bilinearly to the image and blended over it.

``vizkit.torch.grad_cam(model, layer, images, target)`` computes the maps
(hooks removed afterwards, the model left in its mode); ``vk.overlay(image,
heatmap)`` blends one over its image, in RGB, with a colour bar. The model
is a small CNN (two 3×3 convolutions, 20 490 parameters) that
``training_runs/gradcam_cnn.py`` trained on the MNIST subset for four
epochs (95 % held-out accuracy); the maps explain its second convolution
(32 channels at 14×14), on held-out digits it never trained on, which the
run saved beside its weights.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

import vizkit as vk
import vizkit.torch as vt

vk.set_theme()
torch.set_num_threads(1)
run = Path("../../training_runs/runs/gradcam_cnn")
cnn = nn.Sequential(  # training_runs/gradcam_cnn.py's model, without the Unflatten that fed it pixel columns
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 7 * 7, 10),
)
with np.load(run / "weights.npz") as weights:  # its keys count the Unflatten: "1.weight" is this "0.weight"
    cnn.load_state_dict({f"{int(name.split('.')[0]) - 1}.{name.split('.')[1]}": torch.from_numpy(weights[name])
                         for name in weights.files})
with np.load(run / "probe.npz") as probe:  # the first held-out image of each digit
    digits, labels = torch.from_numpy(probe["images"])[:, None], probe["labels"]
layer = cnn[3]  # the second convolution: 32 maps of 14×14

# %%
# Each held-out digit with the map of the class the model predicted (dark
# strokes on white, the heat in red). For the 0, the 7 and the 9 the heat
# sits on the strokes that make the digit; for the 2 and the 4 it sits
# largely *beside* them: the open top of the 4, where a 9 would close its
# loop, is evidence too. Each map is scaled to its own maximum; the colour
# bar gives the map's own units (the weighted activations).

shown = [0, 2, 4, 7, 9]
predicted = cnn(digits[shown]).argmax(1)
maps = vt.grad_cam(cnn, layer, digits[shown], target=predicted)
fig, axes = plt.subplots(1, 5, figsize=(11, 2.7), dpi=100, layout="constrained")
for ax, k, heat, guess in zip(axes, shown, maps, predicted):
    vk.overlay(1 - digits[k, 0].numpy(), heat, alpha=0.6, cmap="Reds", ax=ax, label="")  # dark strokes on white
    ax.set_title(f"a {labels[k]}, predicted {int(guess)}")
fig.suptitle("Grad-CAM of the predicted class, second convolution", x=0.01, ha="left")

# %%
# The target changes the map
# --------------------------
# The same held-out 4, explained for each of the ten classes in turn. The
# class it is (score 10.4) is found in the open top and the left of the 4;
# every other class is looked for on the strokes themselves, in the parts
# it shares with the 4. (A class with no evidence anywhere on the layer would
# have a map of zeros after the ReLU; ``vk.overlay`` draws such a map flat,
# with a note, instead of dividing by zero.)

four = digits[4:5]
scores = cnn(four)[0].detach()
fig, axes = plt.subplots(2, 5, figsize=(11, 5.0), dpi=100, layout="constrained")
for digit, ax in enumerate(axes.flat):
    heat = vt.grad_cam(cnn, layer, four, target=digit)[0]
    vk.overlay(1 - four[0, 0].numpy(), heat, alpha=0.6, cmap="Reds", ax=ax, colorbar=False)
    ax.set_title(f"class {digit} (score {float(scores[digit]):.1f})")
fig.suptitle("One 4, Grad-CAM for each class (each map scaled to its maximum)", x=0.01, ha="left")
