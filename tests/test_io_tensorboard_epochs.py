"""A TensorBoard ``epoch`` scalar labels every step with the epoch it was trained in.

The loops are hand-written with torch's ``SummaryWriter`` (tests/tensorboard_logs.py):
``Loss/train`` every step, ``Loss/val`` and ``epoch`` once per epoch, the
marker either after the epoch's last step (closing) or at its first (opening).
"""

from __future__ import annotations

import numpy as np
import pytest

import vizkit as vk

from .tensorboard_logs import hand_loop

pytest.importorskip("tensorboard")
pytest.importorskip("torch.utils.tensorboard")


def train_loss(frame):
    return frame[(frame["metric"] == "Loss") & (frame["split"] == "train")]


@pytest.mark.parametrize("markers", ["close", "open"])
def test_every_step_gets_the_epoch_it_was_trained_in(tmp_path, markers):
    logged = hand_loop(tmp_path / "run", epochs=3, steps_per_epoch=22, markers=markers)
    frame = vk.read_run(tmp_path / "run")
    rows = train_loss(frame)
    assert rows["step"].tolist() == list(range(66))
    assert rows["epoch"].tolist() == [step // 22 for step in range(66)]  # steps 0-21: epoch 0, ...
    means = rows.groupby("epoch")["value"].mean()
    np.testing.assert_allclose(means.to_numpy(), [np.mean(logged[e]) for e in range(3)], rtol=1e-6)
    val = frame[frame["split"] == "val"]
    assert val["epoch"].tolist() == [0, 1, 2] and val["step"].tolist() == [21, 43, 65]


def test_gap_averages_the_steps_of_each_epoch_as_logged(tmp_path):
    """The report: an end-of-epoch marker filled forward gave a train mean of 2.098 for 2.293 logged."""
    logged = hand_loop(tmp_path / "run", markers="close")
    table = vk.plotted_data(vk.gap(vk.read_run(tmp_path / "run"), metric="Loss"))
    np.testing.assert_allclose(table["train"].to_numpy(), [np.mean(logged[e]) for e in range(3)], rtol=1e-6)
    np.testing.assert_allclose(table["val"].to_numpy(), [2.2, 1.8, 1.4], rtol=1e-6)


def test_steps_after_the_last_closing_marker_belong_to_the_epoch_still_running(tmp_path):
    from torch.utils.tensorboard import SummaryWriter

    with SummaryWriter(str(tmp_path / "run")) as writer:  # killed 3 steps into epoch 2
        for step in range(13):
            writer.add_scalar("loss", 1.0, step)
            if step in (4, 9):
                writer.add_scalar("epoch", step // 5, step)
    rows = vk.read_run(tmp_path / "run")
    assert rows["epoch"].tolist() == [0] * 5 + [1] * 5 + [2] * 3


def test_lightning_markers_on_every_logged_step_give_that_steps_epoch(tmp_path):
    loggers = pytest.importorskip("lightning.pytorch.loggers")
    logger = loggers.TensorBoardLogger(str(tmp_path), name="tb", default_hp_metric=False)
    for step in range(6):  # Lightning logs `epoch` with every metrics dict
        logger.log_metrics({"train_loss": 1.0 - 0.1 * step, "epoch": step // 3}, step=step)
        if step % 3 == 2:
            logger.log_metrics({"val_loss": 1.5, "epoch": step // 3}, step=step)
    logger.finalize("success")
    frame = vk.read_run(tmp_path / "tb" / "version_0")
    assert frame[frame["split"] == "train"]["epoch"].tolist() == [0, 0, 0, 1, 1, 1]
    assert frame[frame["split"] == "val"]["epoch"].tolist() == [0, 1]
