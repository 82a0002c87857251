"""TensorBoard layouts other tools write: add_scalars folders, sweeps, Keras' callback, Lightning.

torch's and tensorboardX's ``SummaryWriter`` and Lightning's ``TensorBoardLogger``
write their own fixtures; the TF2 hparams sweep and the Keras callback's
layout are written with tensorboard's protobuf classes as TF2 writes them
(tests/tensorboard_logs.py).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk

from .tensorboard_logs import keras_tensorboard, tf2_hparams_sweep

pytest.importorskip("tensorboard")


def series(frame, split, metric, column="value"):
    return frame[(frame["split"] == split) & (frame["metric"] == metric)][column].tolist()


def pairs(frame):
    return sorted(map(tuple, frame[["split", "metric"]].drop_duplicates().values.tolist()))


# ---------------------------------------------------------------- add_scalars
@pytest.mark.parametrize("package", ["tensorboardX", "torch.utils.tensorboard"])
def test_add_scalars_folders_are_read_named_after_main_tag_and_key(tmp_path, package):
    SummaryWriter = pytest.importorskip(package).SummaryWriter
    writer = SummaryWriter(str(tmp_path / "run"))
    for step in range(4):
        writer.add_scalar("Loss/train", 1.0 / (step + 1), step)
        writer.add_scalars("tutorial/sin and cos", {"sin": np.sin(step), "cos": np.cos(step)}, step)
        writer.add_scalars("acc", {"train": 0.5, "val": 0.25}, step)
    writer.close()
    frame = vk.read_run(tmp_path / "run")
    tag = "tutorial/sin_and_cos" if package == "tensorboardX" else "tutorial/sin and cos"  # as each tool tags it
    assert pairs(frame) == [("train", "Loss"), ("train", "acc"), ("train", f"{tag}/cos"), ("train", f"{tag}/sin"),
                            ("val", "acc")]
    np.testing.assert_allclose(series(frame, "train", f"{tag}/sin"), np.sin(range(4)), rtol=1e-6)
    assert series(frame, "val", "acc") == [0.25] * 4
    assert series(frame, "train", "acc", "step") == [0, 1, 2, 3]
    assert len(frame) == 5 * 4  # no series lost


# ---------------------------------------------------------------- sweeps
SWEEP = {f"run-{i}": ({"lr": lr, "units": units, "optimizer": opt},
                      {"accuracy": [0.5 + 0.1 * i, 0.6 + 0.1 * i], "loss": [1.0 - 0.1 * i, 0.8 - 0.1 * i]})
         for i, (lr, units, opt) in enumerate([(0.1, 16, "adam"), (0.01, 16, "sgd"), (0.1, 32, "adam")])}


def test_a_tf2_hparams_sweep_is_one_run_per_session_with_its_hparams_as_config(tmp_path):
    root = tf2_hparams_sweep(tmp_path / "hparam_tuning", SWEEP)
    frame = vk.read_runs(root)
    assert frame["run"].unique().tolist() == ["run-0", "run-1", "run-2"]
    assert pairs(frame) == [("train", "accuracy"), ("train", "loss")]
    per_run = frame.groupby("run")[["lr", "units", "optimizer"]].first()
    assert per_run.to_dict("index") == {name: hparams for name, (hparams, _) in SWEEP.items()}
    np.testing.assert_allclose(series(frame[frame["run"] == "run-2"], "train", "accuracy"), [0.7, 0.8], rtol=1e-6)
    ax = vk.curves(frame, metric="accuracy", by="lr")
    assert sorted(vk.plotted_data(ax)["lr"].unique()) == [0.01, 0.1]


def test_reading_a_sweep_root_with_read_run_points_to_read_runs(tmp_path):
    root = tf2_hparams_sweep(tmp_path / "hparam_tuning", SWEEP)
    with pytest.raises(vk.errors.VizkitValueError, match=r"holding 3 runs .*Use vizkit\.read_runs\(\)"):
        vk.read_run(root)
    one = vk.read_run(root / "run-1")  # a session alone is a run
    assert set(one["run"]) == {"run-1"} and (one["lr"] == 0.01).all()


def test_add_hparams_joins_its_run_with_its_hparams_as_config(tmp_path):
    SummaryWriter = pytest.importorskip("torch.utils.tensorboard").SummaryWriter
    for lr in (0.05, 0.1):
        with SummaryWriter(str(tmp_path / "runs" / f"lr{lr}")) as writer:
            for step in range(3):
                writer.add_scalar("Loss/train", lr * step, step)
            writer.add_hparams({"lr": lr, "momentum": 0.9}, {"hparam/val_acc": 0.9})
    assert len(list((tmp_path / "runs" / "lr0.1").iterdir())) == 2  # the events and a <timestamp>/ folder
    frame = vk.read_runs(tmp_path / "runs")
    assert frame["run"].unique().tolist() == ["lr0.05", "lr0.1"]
    assert pairs(frame) == [("train", "Loss"), ("val", "hparam/acc")]  # no timestamp in a name
    assert frame.groupby("run")["lr"].first().tolist() == [0.05, 0.1]
    assert (frame["momentum"] == 0.9).all()
    assert len(vk.plotted_data(vk.curves(frame, metric="Loss", by="lr"))) == 6


# ---------------------------------------------------------------- Keras
EPOCHS = [{"loss": 1.0 - 0.2 * e, "accuracy": 0.5 + 0.1 * e, "learning_rate": 0.001,
           "val_loss": 1.1 - 0.15 * e, "val_accuracy": 0.45 + 0.1 * e} for e in range(4)]


def test_the_keras_tensorboard_layout_reads_as_metrics_per_split_with_epochs(tmp_path):
    logdir = keras_tensorboard(tmp_path / "logs" / "fit", EPOCHS)
    assert sorted(p.name for p in logdir.iterdir()) == ["train", "validation"]
    frame = vk.read_run(logdir)
    assert pairs(frame) == [("train", "accuracy"), ("train", "learning_rate"), ("train", "loss"),
                            ("val", "accuracy"), ("val", "accuracy_vs_iterations"), ("val", "loss"),
                            ("val", "loss_vs_iterations")]
    np.testing.assert_allclose(series(frame, "train", "loss"), [e["loss"] for e in EPOCHS], rtol=1e-6)
    np.testing.assert_allclose(series(frame, "val", "loss"), [e["val_loss"] for e in EPOCHS], rtol=1e-6)
    assert series(frame, "train", "loss", "epoch") == [0, 1, 2, 3] == series(frame, "val", "accuracy", "epoch")
    assert series(frame, "val", "loss_vs_iterations", "step") == [10, 20, 30, 40]  # the optimizer's iterations
    assert series(frame, "val", "loss_vs_iterations", "epoch") == [0, 1, 2, 3]


def test_keras_batch_logs_get_the_epoch_whose_validation_closes_them(tmp_path):
    frame = vk.read_run(keras_tensorboard(tmp_path / "fit", EPOCHS, steps_per_epoch=5, update_freq="batch"))
    assert series(frame, "train", "batch_loss", "step") == list(range(1, 21))  # Keras counts batches from 1
    assert series(frame, "train", "batch_loss", "epoch") == [step // 5 for step in range(20)]
    assert series(frame, "train", "loss", "step") == [0, 1, 2, 3]  # epoch_loss keeps step = epoch


def test_curves_draws_a_keras_tensorboard_run_with_the_defaults(tmp_path):
    frame = vk.read_run(keras_tensorboard(tmp_path / "fit", EPOCHS))
    by_step = vk.plotted_data(vk.curves(frame, ax=plt.figure().subplots()))
    assert sorted(by_step["split"].unique()) == ["train", "val"] and len(by_step) == 8
    by_epoch = vk.plotted_data(vk.curves(frame, x="epoch", ax=plt.figure().subplots()))
    train, val = (by_epoch[by_epoch["split"] == split] for split in ("train", "val"))
    np.testing.assert_allclose(val["y"], [e["val_loss"] for e in EPOCHS], rtol=1e-6)
    assert train["x"].tolist() == val["x"].tolist()  # each epoch's train and validation at one x


# ---------------------------------------------------------------- Lightning
def test_lightnings_placeholder_hp_metric_is_not_a_metric_and_its_hparams_come_once(tmp_path):
    loggers = pytest.importorskip("lightning.pytorch.loggers")
    logger = loggers.TensorBoardLogger(str(tmp_path), name="tb")  # default_hp_metric=True: hp_metric = -1
    logger.log_hyperparams({"lr": 0.003, "model": {"hidden": 32}})
    for step in range(3):
        logger.log_metrics({"train_loss": 1.0 - 0.1 * step, "epoch": 0}, step=step)
    logger.finalize("success")
    frame = vk.read_run(tmp_path / "tb" / "version_0")
    assert pairs(frame) == [("train", "loss")]
    assert list(frame.columns[7:]) == ["lr", "model.hidden"]  # hparams.yaml, not also the plugin's flat copy
    assert (frame["lr"] == 0.003).all() and (frame["model.hidden"] == 32).all()
    assert len(vk.dashboard(frame).axes) == 1
