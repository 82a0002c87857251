"""
The learning-rate finder: one short run picks the learning rate
===============================================================

The range test (Smith 2017, fastai's ``lr_find``) trains for at most 100
steps while the learning rate rises geometrically, here from 1e-5 to 10, and
records the loss of every batch. Too small a rate changes nothing, so the
loss stays flat; then it starts to fall; past some rate the steps overshoot
and the loss explodes, which ends the test. A good rate lies where the loss
falls fastest: ``vizkit.torch.lr_find`` smooths the loss (a centred rolling
median and mean, so the curve does not lag behind the rate) and suggests the
rate of its steepest descent. Afterwards the model and the optimizer are put
back exactly as they were, so training starts from the same weights.

The lecture-2 MLP on the MNIST subset, with SGD and momentum 0.9, gets a
suggestion of about 0.1: the rate ``training_runs/mlp_mnist.py`` trains with.
"""

import torch

import vizkit as vk
from vizkit.torch import lr_find
from vizkit.torch.data import frame_loaders

vk.set_theme()

torch.set_num_threads(1)  # the same numbers on every machine with this CPU type
torch.manual_seed(0)
train, _ = frame_loaders(vk.load_dataset("mnist"), val_size=0.2, batch_size=128, seed=0)
model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                            torch.nn.ReLU(), torch.nn.Linear(128, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

result = lr_find(model, torch.nn.functional.cross_entropy, train, optimizer=optimizer,
                 start_lr=1e-5, end_lr=10, steps=100)
print(f"suggested lr {result.suggested_lr:.2g} (steepest descent); "
      f"minimum at {result.min_lr:.2g}, a tenth of it {result.min10_lr:.2g}")

# %%
# The chart is torch-free: ``result`` holds plain numbers (``result.table``
# has one row per step), and ``vk.lr_finder`` also takes a frame with ``lr``
# and ``loss`` columns from a range test you ran yourself.

import matplotlib.pyplot as plt  # noqa: E402

fig, ax = plt.subplots(figsize=(7.2, 4.2), dpi=100, layout="constrained")
vk.lr_finder(result, ax=ax)
ax.set_title("Range test of the lecture-2 MLP (SGD, momentum 0.9)")
