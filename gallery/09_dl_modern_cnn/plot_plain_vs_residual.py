"""
Plain vs residual: the same deep net with and without skip connections
======================================================================

ResNet's idea in its smallest form. A narrow deep MLP (784 -> 32, twenty
hidden layers 32 -> 32, 32 -> 10; ReLU; PyTorch's default initialisation, no
batch norm) learns the MNIST subset twice
(``training_runs/plain_vs_residual.py``): ``plain`` stacks the layers,
``h = layer(relu(h))``; ``residual`` adds a skip connection around each
hidden layer, ``h = h + layer(relu(h))``. Nothing else differs: for each of
three seeds both nets start from the same weights (their SHA-256 is in the
run configs), see the same batches and train with SGD and momentum 0.9 at the
learning rate that won the same grid of trials for each (0.01 for both).

``vk.curve_grid`` draws the loss of each architecture in its own panel on a
shared axis, the mean of the three seeds with a band of one standard
deviation. The plain net never leaves ln 10 ≈ 2.30, the loss of guessing one
class in ten (its validation accuracy stays at 0.10); the residual net
reaches a validation loss near 0.35 and an accuracy of 0.90 within a few
epochs.
"""

import matplotlib.pyplot as plt

import vizkit as vk
from vizkit.ml import LayerStatsDisplay

vk.set_theme()
runs = vk.read_runs("../../training_runs/runs/plain_vs_residual/*")
architectures = ["plain", "residual"]

grid = vk.curve_grid(runs, col="architecture", order=architectures, metric="loss", band="sd", height=2.8)
grid.figure.suptitle("Training and validation loss, mean of 3 seeds ± 1 sd", x=0.02, ha="left")
final = runs.query("split == 'val' and epoch == epoch.max()").pivot_table(
    index="architecture", columns="metric", values="value")
print(final.round(3))                                        # validation loss and accuracy after the last epoch

# %%
# Where the gradient goes
# -----------------------
# ``vizkit.torch.LayerStats`` logged ``p.grad.norm()`` of every parameter at
# the first step of each epoch (steps 0, 32, 64, ...). ``vk.layer_stats``
# draws them as a heatmap of layers (input at the top, output at the bottom)
# by steps, the geometric mean of the three seeds, here the weights only (the
# biases tell the same story). Both heatmaps get the same ``vmin`` and
# ``vmax``, so one colour is one gradient norm in both. PyTorch's default
# initialisation shrinks the signal at every plain layer, forwards and
# backwards: each layer passes back less than half of the gradient it
# receives, and twenty layers on the input layer gets a few 10⁻⁹, 10⁻⁷ times
# the output layer's (``vanishing_`` names the first six layers). The net's
# output hardly depends on the image, and the layers that could change that
# get no gradient. Around a skip connection the gradient arrives unchanged,
# plus what the layer adds: every layer of the residual net gets a gradient
# of the same order as the output layer's.

weights = runs[runs["metric"].str.startswith("grad_norm/") & runs["metric"].str.endswith(".weight")]
found = {name: LayerStatsDisplay.from_runs(weights.query("architecture == @name"), stat="grad_norm")
         for name in architectures}
vmin = min(display.table["value"].min() for display in found.values())
vmax = max(display.table["value"].max() for display in found.values())

fig, axes = plt.subplots(1, 2, figsize=(9, 4.6), dpi=100, layout="constrained")
for ax, (name, display) in zip(axes, found.items()):
    display.plot(ax=ax, vmin=vmin, vmax=vmax)
    ax.set_title(name)
axes[1].set_ylabel("")
axes[1].set_yticklabels([])
fig.suptitle("Gradient norm per layer, the same colour scale for both nets", x=0.02, ha="left")
for name, display in found.items():
    typical = display.typical_
    print(f"{name}: first/last layer {typical.iloc[0] / typical.iloc[-1]:.1e}; vanishing: {display.vanishing_}")
