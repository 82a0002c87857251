"""DL lecture 3, under- and overfitting: learning and validation curves on scikit-learn's digits, fold by fold.

Five curves, each a scikit-learn computation through vizkit's Displays
(``LearningCurveDisplay`` / ``ValidationCurveDisplay.from_estimator``), their
every fold's training and validation accuracy written to ``scores.csv``
(columns ``curve, x, fold, split, score``) for the gallery to draw with
``from_scores``:

- ``learning_nb`` and ``learning_svc``: accuracy against the training-set
  size (10 % to 100 % of each training fold) for Gaussian naive Bayes (a
  simple model: high bias) and an RBF SVM with gamma 0.001 (a flexible one);
- ``svc_gamma``: the SVM against its gamma, 1e-6 to 1e-1 (the kernel's
  reach: wide, then narrow enough to memorise);
- ``mlp_hidden``: an MLP (``vizkit.torch.TorchEstimator``, one hidden ReLU
  layer, Adam, 30 epochs) against its hidden units, 1 to 256;
- ``mlp_weight_decay``: the 256-unit MLP against Adam's weight decay, 0 and
  1e-5 to 1 — trained on a fifth of the images, where it has room to overfit.

Every curve uses the same stratified 5-fold split of the 1 797 images (the
pixels as they come, 0 to 16, for the SVM and naive Bayes; scaled to [0, 1]
for the MLPs); the MLPs are seeded (``random_state=0``) and torch
runs on one thread, so the numbers repeat exactly.

Run it from the repository root::

    python training_runs/capacity_curves.py                  # about a minute on 2 CPU cores, writes RUN_DIR
    python training_runs/capacity_curves.py --quick --out /tmp/curves   # 200 images, 2 folds: a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.svm import SVC

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _experiment import command_line, deterministic, written_whole  # noqa: E402
from vizkit.ml import LearningCurveDisplay, ValidationCurveDisplay  # noqa: E402
from vizkit.torch import TorchEstimator  # noqa: E402

RUN_DIR = "training_runs/runs/capacity_curves"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {
    "dataset": "digits",
    "folds": 5,
    "train_sizes": [0.1, 0.325, 0.55, 0.775, 1.0],
    "svc_gamma": [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1],
    "hidden": [1, 2, 4, 8, 16, 32, 64, 128, 256],
    "weight_decay": [0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0],
    "weight_decay_rows": 360,
    "mlp": {"lr": 0.003, "epochs": 30, "batch_size": 32, "random_state": 0},
}
QUICK = {"rows": 200, "folds": 2, "hidden": [2, 16], "weight_decay": [0.0, 1e-2], "svc_gamma": [1e-4, 1e-2],
         "weight_decay_rows": 200, "mlp": {"lr": 0.003, "epochs": 1, "batch_size": 32, "random_state": 0}}


def curves(config, X, y):
    """``{name: Display}`` of the five curves, every one on the same folds."""
    cv = StratifiedKFold(config["folds"], shuffle=True, random_state=0)
    mlp = TorchEstimator(**config["mlp"])
    few = StratifiedKFold(config["folds"], shuffle=True, random_state=0)
    rows = _stratified_rows(y, config["weight_decay_rows"])
    return {
        "learning_nb": LearningCurveDisplay.from_estimator(GaussianNB(), X, y, train_sizes=config["train_sizes"],
                                                           cv=cv),
        "learning_svc": LearningCurveDisplay.from_estimator(SVC(gamma=0.001), X, y,
                                                            train_sizes=config["train_sizes"], cv=cv),
        "svc_gamma": ValidationCurveDisplay.from_estimator(SVC(), X, y, param_name="gamma",
                                                          param_range=config["svc_gamma"], cv=cv),
        "mlp_hidden": ValidationCurveDisplay.from_estimator(mlp, X / 16, y, param_name="module__hidden",
                                                           param_range=config["hidden"], cv=cv),
        "mlp_weight_decay": ValidationCurveDisplay.from_estimator(
            mlp.set_params(module__hidden=256), X[rows] / 16, y[rows], param_name="weight_decay",
            param_range=config["weight_decay"], cv=few),
    }


def _stratified_rows(y, n):
    """The first ``n`` rows of a seeded shuffle that keeps the classes' shares."""
    from sklearn.model_selection import train_test_split

    if n >= len(y):
        return np.arange(len(y))
    rows, _ = train_test_split(np.arange(len(y)), train_size=n, stratify=y, random_state=0)
    return np.sort(rows)


def main(out=None, *, quick=False, progress=True):
    """Compute the curves and write ``scores.csv`` and ``config.json`` to ``out`` (default ``RUN_DIR``)."""
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    X, y = load_digits(return_X_y=True)
    rows = config.get("rows", len(y))
    X, y = X[:rows], y[:rows]
    started = time.perf_counter()
    found = curves(config, X, y)
    with written_whole(Path(out) if out else ROOT / RUN_DIR) as folder:
        folder.mkdir(parents=True)
        frames = []
        for name, display in found.items():
            scores = display.scores.rename(columns={display.x: "x"})
            frames.append(scores.assign(curve=name)[["curve", "x", "fold", "split", "score"]])
            if progress:
                best = getattr(display, "best_param_", getattr(display, "best_train_size_", None))
                print(f"{name}: best {best} (validation {display.best_score_:.4f}, gap {display.gap_at_best_:.4f})")
        pd.concat(frames, ignore_index=True).to_csv(folder / "scores.csv", index=False, float_format="%.6g")
        (folder / "config.json").write_text(json.dumps({**config, "quick": quick}, indent=1) + "\n")
    if progress:
        print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="200 images, 2 folds, 1 epoch: a smoke test")
