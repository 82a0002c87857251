"""
A run written by TensorBoard, read back
=======================================

``vk.read_run`` also reads what other tools write: TensorBoard event folders
(``pip install 'vizkit[tensorboard]'``), Lightning's and Keras' CSV logs. Here
the MLP run is replayed through TensorBoard's own ``SummaryWriter``, with
the usual ``"loss/train"``-style tags, into a temporary folder; read back, the
tags become splits and metrics, and the same chart draws it: the values equal
the vizkit log's to TensorBoard's float32 precision.
"""

import tempfile

import matplotlib.pyplot as plt
from torch.utils.tensorboard import SummaryWriter

import vizkit as vk

vk.set_theme()
original = vk.read_run("../../training_runs/runs/mlp_mnist/seed0")

folder = tempfile.mkdtemp()
with SummaryWriter(folder) as writer:
    for row in original.query("metric in ['loss', 'acc']").itertuples():
        writer.add_scalar(f"{row.metric}/{row.split}", row.value, global_step=row.step)
from_tensorboard = vk.read_run(folder)

# %%
# The run as TensorBoard stored it: tags ``loss/train`` and ``loss/val``.
fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(9.6, 3.6), dpi=100, layout="constrained")
vk.curves(from_tensorboard, metric="loss", smooth=10, ax=loss_ax)
vk.curves(from_tensorboard, metric="acc", smooth=10, ax=acc_ax)
loss_ax.set(title="Loss, from TensorBoard event files", ylabel="Cross-entropy", yscale="log")
acc_ax.set(title="Accuracy, from the same files", ylabel="Accuracy")
