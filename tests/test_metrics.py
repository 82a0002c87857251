"""vizkit.io.metrics: one metric vocabulary, read alike by gap, curves/dashboard and EarlyStopping."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.io import HIGHER_IS_BETTER, LOWER_IS_BETTER, is_schedule, metric_direction
from vizkit.io.metrics import SCHEDULE_WORDS
from vizkit.ml import GapDisplay
from vizkit.ml._runs import metrics_in_order

#: How runs, loggers and Lightning decorate a metric's name; none of it changes the direction.
DECORATIONS = ("{}", "val_{}", "train/{}", "{}/val", "{}_epoch", "test_{}_step", "valid-{}", "epoch_{}",
               "VAL_{}", "{}/Train", "train.{}")
EXPECTED = {name: "min" for name in LOWER_IS_BETTER} | {name: "max" for name in HIGHER_IS_BETTER}


def decorated(name):
    return [form.format(name) for form in DECORATIONS] + [name.upper(), name.replace("_", "/")]


def test_the_two_lists_share_no_word():
    assert not set(LOWER_IS_BETTER) & set(HIGHER_IS_BETTER)
    assert all(name == name.lower() for name in EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_listed_name_reads_its_direction_with_any_prefix_or_suffix(name):
    assert {form: metric_direction(form) for form in decorated(name)} == dict.fromkeys(decorated(name),
                                                                                       EXPECTED[name])


@pytest.mark.parametrize("name, direction", [
    ("val_loss", "min"), ("loss/val", "min"), ("train_loss_step", "min"), ("valLoss", "min"), ("valloss", "min"),
    ("FID", "min"), ("val_ce", "min"), ("cross_entropy", "min"), ("MeanSquaredError", "min"),
    ("PSNR", "max"), ("val/SSIM", "max"), ("AUROC", "max"), ("BinaryF1Score", "max"), ("mIoU", "max"),
    ("mAP@50", "max"), ("mAP50-95", "max"), ("acc@1", "max"), ("top_5", "max"), ("bleu4", "max"), ("rougeL", "max"),
    ("dice_loss", "min"), ("iou_loss", "min"), ("top1_error", "min"), ("PSNRLoss", "min"),
    ("neg_mean_squared_error", "max"), ("neg_log_loss", "max"), ("negative_log_likelihood", "min"),
    ("totalloss", "min"), ("val/reconloss", "min"), ("val_losses", "min"), ("accuracies", "max"), ("episode_rewards", "max"), ("train_binary_logloss", "min"),
    ("categorical_crossentropy", "min"), ("sparse_categorical_accuracy", "max"), ("fps", None),
    ("precision", "max"), ("process", None), ("bitmap", None), ("lr", None), ("grad_norm", None),
    ("epoch", None), ("wobble", None), ("acc_vs_fid", None),
])
def test_names_are_read_word_by_word(name, direction):
    assert metric_direction(name) == direction


def test_a_name_must_be_a_string():
    with pytest.raises(VizkitTypeError, match=r"`name` must be a metric name"):
        metric_direction(3)


# ---------------------------------------------------------------- schedules
@pytest.mark.parametrize("name", sorted(SCHEDULE_WORDS))
def test_every_schedule_word_is_a_schedule_with_any_prefix_or_suffix(name):
    assert all(is_schedule(form) for form in decorated(name))


@pytest.mark.parametrize("name", [
    "lr", "lr-SGD", "lr/pg1", "lr-Adam/pg2", "lr-SGD-momentum", "lr-AdamW-weight_decay", "learning_rate",
    "train/learning_rate", "learningRate", "LearningRate", "optimizer/lr", "lr_epoch", "momentum", "weight_decay",
    "weightDecay", "beta1", "beta_2", "adam_beta1", "betas", "eps", "epsilon", "dampening",
])
def test_schedules_and_hyper_parameters_are_read_from_the_name(name):
    """PyTorch, Lightning's LearningRateMonitor ("lr-SGD", "lr-Adam/pg2"), Keras and HF name them so."""
    assert is_schedule(name)


@pytest.mark.parametrize("name", ["loss", "val_loss", "acc", "grad_norm", "lr_finder_loss", "epoch", "step",
                                  "hp_metric", "precision", "fid", "temperature", "throughput"])
def test_results_and_other_numbers_are_no_schedule(name):
    assert not is_schedule(name)


def test_is_schedule_needs_a_string():
    with pytest.raises(VizkitTypeError, match=r"`name` must be a metric name"):
        is_schedule(None)


def early_stopping():
    """``vizkit.torch.EarlyStopping``; the test skips where torch is not installed."""
    pytest.importorskip("torch")
    from vizkit.torch import EarlyStopping

    return EarlyStopping


def per_epoch(metric):
    train, val = [1.0, 0.6, 0.4, 0.3, 0.2], [1.1, 0.7, 0.5, 0.6, 0.7]
    return pd.DataFrame({"run": "r", "step": np.arange(10), "epoch": [1, 2, 3, 4, 5] * 2,
                         "split": ["train"] * 5 + ["val"] * 5, "metric": metric, "value": train + val})


def test_gap_early_stopping_and_the_panel_order_agree_on_every_listed_name():
    stopping = early_stopping()
    cases = [(form, EXPECTED[name]) for name in sorted(EXPECTED)
             for form in (name, f"val_{name}", f"{name.upper()}/train")]
    for form, direction in cases:
        assert stopping(form).mode == direction, form
        assert GapDisplay.from_runs(per_epoch(form), metric=form).mode == direction, form
    runs = pd.DataFrame({"run": "r", "step": 0, "split": "train", "metric": [form for form, _ in cases],
                         "value": 1.0})
    lower = sorted(form for form, direction in cases if direction == "min")
    higher = sorted(form for form, direction in cases if direction == "max")
    assert metrics_in_order(runs) == lower + higher  # curves and dashboard: losses first when logged together


@pytest.mark.parametrize("monitor, mode", [("val_fid", "min"), ("val_psnr", "max"), ("val_ssim", "max"),
                                           ("val_auroc", "max"), ("val_ce", "min"), ("loss/val", "min")])
def test_the_names_the_two_old_lists_disagreed_on_are_accepted_everywhere(monitor, mode):
    stopping = early_stopping()
    assert stopping(monitor).mode == mode
    runs = per_epoch(monitor)
    display = GapDisplay.from_runs(runs, metric=monitor)
    assert display.mode == mode
    assert display.best_epoch_ == (3 if mode == "min" else 1)  # the same values, read the other way
    both = pd.concat([runs, per_epoch("wobble")])
    titles = [ax.get_title() for ax in vk.ml.dashboard(both, figure=Figure()).axes]
    assert titles == ([monitor, "wobble"] if mode == "min" else sorted([monitor, "wobble"]))
    plt.close("all")


def test_every_reader_refuses_a_name_it_cannot_read_and_takes_a_mode():
    stopping = early_stopping()
    with pytest.raises(VizkitValueError, match=r"cannot tell whether a higher or a lower 'val_lr'"):
        stopping("val_lr")
    with pytest.raises(VizkitValueError, match=r"cannot tell from the name 'lr'"):
        GapDisplay.from_runs(per_epoch("lr"), metric="lr")
    assert GapDisplay.from_runs(per_epoch("lr"), metric="lr", mode="max").mode == "max"
