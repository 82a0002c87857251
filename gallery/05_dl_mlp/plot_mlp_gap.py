"""
The generalization gap: where validation stops improving
========================================================

Training loss keeps falling as long as the network can memorise its
training set; validation loss tells whether that still helps on new data.
``vk.gap`` draws both per epoch (the training values averaged over each
epoch's batches), shades the gap between them, marks the best validation
epoch and the onset of overfitting: the first epoch from which validation
stays worse than its best while training keeps improving. Early stopping with
a patience of 3 epochs would have stopped about there.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
run = vk.read_run("../../training_runs/runs/mlp_mnist/seed0")

fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(9.6, 3.8), dpi=100, layout="constrained")
vk.gap(run, metric="loss", ax=loss_ax)
vk.gap(run, metric="acc", ax=acc_ax)
loss_ax.set(title="Loss: the gap opens after the best epoch", ylabel="Cross-entropy")
acc_ax.set(title="Accuracy: training reaches 100%", ylabel="Accuracy")
