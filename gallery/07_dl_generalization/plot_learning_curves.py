"""
Learning and validation curves: more data, or a different capacity?
===================================================================

A learning curve trains the same model on growing shares of the training
folds and scores each fit twice: on the examples it was trained on and on
the held-out fold. On scikit-learn's 8 × 8 digits, Gaussian naive Bayes (a
simple model: high bias) stays far from perfect even on its own training
examples, and its two curves meet low: more data will not help it. An RBF
support-vector machine fits its training examples almost perfectly from the
start, and its validation accuracy keeps climbing with every added example:
the gap that closes is variance, and more data is what closes it.

A validation curve varies the capacity instead. The SVM's ``gamma`` is the
inverse reach of its kernel: small values make every prediction an average
over many images (underfitting, both scores low), large ones let each
training image decide only its own neighbourhood (overfitting: training
accuracy 1, validation down to chance). The values span five decades, so the
x axis is logarithmic, chosen by the chart.

The fold scores come from ``training_runs/capacity_curves.py``, which calls
``LearningCurveDisplay.from_estimator(GaussianNB(), X, y, cv=...)`` and
``ValidationCurveDisplay.from_estimator(SVC(), X, y, param_name="gamma",
param_range=...)`` (scikit-learn's ``learning_curve`` and
``validation_curve`` inside) on the same stratified 5-fold split; here
``from_scores`` draws the saved numbers. In a notebook the one-call
``vk.learning_curve(GaussianNB(), X, y)`` computes and draws at once.
"""

import matplotlib.pyplot as plt
import pandas as pd

import vizkit as vk
from vizkit.ml import LearningCurveDisplay, ValidationCurveDisplay

vk.set_theme()
scores = pd.read_csv("../../training_runs/runs/capacity_curves/scores.csv")


def fold_scores(curve):
    """The x values and the (x, fold) training and validation scores of one saved curve."""
    part = scores[scores["curve"] == curve]
    train, val = (part[part["split"] == split].pivot(index="x", columns="fold", values="score")
                  for split in ("train", "val"))
    return train.index.to_numpy(), train.to_numpy(), val.to_numpy()


fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), dpi=100, layout="constrained", sharey=True)
for ax, (curve, title) in zip(axes, [("learning_nb", "Gaussian naive Bayes"),
                                     ("learning_svc", "RBF SVM, gamma 0.001")]):
    display = LearningCurveDisplay.from_scores(*fold_scores(curve), score_name="Accuracy").plot(ax=ax)
    ax.set_title(title)
    print(f"{title}: validation {display.best_score_:.3f} at {display.best_train_size_} examples, "
          f"gap {display.final_gap_:.3f}")
axes[1].set_ylabel("")

# %%
# The SVM against its gamma: the ring is the best validation accuracy, the
# dotted line under it the gap to training accuracy there.

fig, ax = plt.subplots(figsize=(7.2, 4.2), dpi=100, layout="constrained")
gamma = ValidationCurveDisplay.from_scores(*fold_scores("svc_gamma"), param_name="gamma",
                                           score_name="Accuracy").plot(ax=ax)
ax.set_title("RBF SVM on the digits")
print(f"best gamma {gamma.best_param_:g}: validation {gamma.best_score_:.3f}, gap {gamma.gap_at_best_:.3f}")

# %%
# A torch MLP's capacity: hidden units and weight decay
# -----------------------------------------------------
#
# The same curves for a neural network: ``vizkit.torch.TorchEstimator`` wraps
# a torch module (here one hidden ReLU layer, trained with Adam for 30 epochs
# through ``vizkit.torch.fit``) as a scikit-learn estimator, so scikit-learn's
# ``validation_curve`` refits it on every fold for every value, seeded, and
# the parameter is a constructor argument: ``module__hidden`` (the units of
# the hidden layer, passed to the module) or ``weight_decay`` (passed to the
# optimizer).
#
# Left: with one or two hidden units the network cannot separate ten digits
# (underfitting, both accuracies low); from about 16 units on the validation
# accuracy levels off near 0.97 while the training accuracy reaches 1, and the
# gap between them stays: within 30 epochs, more units never made validation
# worse. Right: the 256-unit network trained on a fifth of the images, against
# Adam's weight decay (an L2 penalty on the weights; 0 and 1e-5 to 1, drawn on
# a symmetric log axis so that 0 has a place). Up to 1e-2 the decay changes
# little (the best, 1e-4, is within the folds' spread of no decay at all); at
# 0.1 both accuracies fall together, and at 1 the network predicts one class
# for everything: a regularizer that is too strong underfits.
#
# ``training_runs/capacity_curves.py`` computes the scores (about a minute on
# two cores); this page draws what it saved with ``from_scores``.

fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), dpi=100, layout="constrained", sharey=True)
for ax, (curve, name, title) in zip(axes, [("mlp_hidden", "module__hidden", "1,437 training images per fold"),
                                           ("mlp_weight_decay", "weight_decay", "256 hidden units, 288 images")]):
    display = ValidationCurveDisplay.from_scores(*fold_scores(curve), param_name=name,
                                                 score_name="Accuracy").plot(ax=ax)
    ax.set_title(title)
    print(f"{name}: best {display.best_param_:g}, validation {display.best_score_:.3f}, "
          f"gap {display.gap_at_best_:.3f}")
axes[0].set_xlabel("Hidden units (log scale)")
axes[1].set_ylabel("")
