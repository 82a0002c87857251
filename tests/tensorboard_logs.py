"""TensorBoard logs as other tools write them, for the reader tests.

Where the tool installs here, it writes the fixture itself: torch's
``SummaryWriter``, tensorboardX's ``SummaryWriter``, Lightning's
``TensorBoardLogger``. TensorFlow and Keras are not installed, so their
layouts are written with tensorboard's own writer and protobuf classes the
way TF2 writes them (``tensorflow/core/summary/summary_file_writer.cc``):
a ``.v2`` event file per writer, a scalar as a 0-d float32 tensor in
``tensor_content`` with the ``scalars`` plugin's metadata on a tag's first
event only, and the hparams plugin's summaries from
``tensorboard.plugins.hparams.summary_v2`` (what ``hp.hparams`` and
``hp.hparams_config`` write).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


# ---------------------------------------------------------------- TF2 writers (protobuf)
class TF2Writer:
    """One ``tf.summary.create_file_writer(folder)``: scalars and raw summaries, as TF2 writes them."""

    def __init__(self, folder, *, wall_time=1_764_000_000.0):
        from tensorboard.summary.writer.event_file_writer import EventFileWriter

        Path(folder).mkdir(parents=True, exist_ok=True)
        self.writer = EventFileWriter(str(folder), filename_suffix=".v2")
        self.wall_time = wall_time
        self.seen: set[str] = set()

    def _event(self, step, summary):
        from tensorboard.compat.proto import event_pb2

        self.wall_time += 0.01
        self.writer.add_event(event_pb2.Event(wall_time=self.wall_time, step=int(step), summary=summary))

    def scalar(self, tag, value, step):
        """``tf.summary.scalar``: a float32 0-d tensor; the ``scalars`` metadata on the tag's first event."""
        from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

        tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_shape=tensor_shape_pb2.TensorShapeProto(),
                                        tensor_content=np.float32(value).tobytes())
        value_pb = summary_pb2.Summary.Value(tag=tag, tensor=tensor)
        if tag not in self.seen:
            self.seen.add(tag)
            value_pb.metadata.plugin_data.plugin_name = "scalars"
        self._event(step, summary_pb2.Summary(value=[value_pb]))

    def string(self, tag, text, step, plugin):
        """A string tensor with a plugin (Keras' ``keras`` model summary: plugin ``graph_keras_model``)."""
        from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

        tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, tensor_shape=tensor_shape_pb2.TensorShapeProto(),
                                        string_val=[text.encode()])
        value_pb = summary_pb2.Summary.Value(tag=tag, tensor=tensor)
        value_pb.metadata.plugin_data.plugin_name = plugin
        value_pb.metadata.plugin_data.content = b"1"
        self._event(step, summary_pb2.Summary(value=[value_pb]))

    def raw(self, summary, step=0):
        """``tf.summary.experimental.write_raw_pb``: a ready Summary (the hparams plugin's)."""
        self._event(step, summary)

    def close(self):
        self.writer.close()


def tf2_hparams_sweep(root, sessions):
    """The TF2 hparams tutorial: ``hp.hparams_config`` at the root, one folder per session.

    ``sessions`` maps a folder name to ``(hparams, {metric: [values per step]})``.
    """
    from tensorboard.plugins.hparams import summary_v2 as hp

    names = sorted({name for hparams, _ in sessions.values() for name in hparams})
    metrics = sorted({metric for _, series in sessions.values() for metric in series})
    writer = TF2Writer(root)
    writer.raw(hp.hparams_config_pb([hp.HParam(name) for name in names],
                                    [hp.Metric(metric) for metric in metrics]))
    writer.close()
    for folder, (hparams, series) in sessions.items():
        writer = TF2Writer(Path(root) / folder)
        writer.raw(hp.hparams_pb(hparams, trial_id=folder))
        for metric, values in series.items():
            for step, value in enumerate(values):
                writer.scalar(metric, value, step)
        writer.close()
    return Path(root)


def keras_tensorboard(logdir, epochs, *, steps_per_epoch=10, update_freq="epoch"):
    """What ``keras.callbacks.TensorBoard(logdir, update_freq=...)`` writes during ``fit(validation_data=...)``.

    ``keras/src/callbacks/tensorboard.py``: ``train/`` gets the model summary
    (tag ``keras``) at step 0, with ``update_freq="batch"`` ``batch_<name>``
    (the epoch's running mean) at the global batch count (from 1), and
    ``epoch_<name>`` (``loss``, ``accuracy``, ``learning_rate``) at
    ``step=epoch``; ``validation/`` gets ``evaluation_<name>_vs_iterations``
    at the optimizer's iteration count (``on_test_end``), then
    ``epoch_<name>`` without the ``val_`` prefix at ``step=epoch``.
    ``epochs`` is a list of Keras ``logs`` dicts.
    """
    logdir = Path(logdir)
    train, validation = TF2Writer(logdir / "train"), TF2Writer(logdir / "validation")
    train.string("keras", '{"class_name": "Sequential"}', 0, "graph_keras_model")
    for epoch, logs in enumerate(epochs):
        iterations = (epoch + 1) * steps_per_epoch
        if update_freq == "batch":
            for batch in range(1, steps_per_epoch + 1):
                running_mean = logs["loss"] + 0.01 * (steps_per_epoch - batch)
                train.scalar("batch_loss", running_mean, epoch * steps_per_epoch + batch)
        for name, value in logs.items():
            if name.startswith("val_"):
                validation.scalar(f"evaluation_{name[4:]}_vs_iterations", value, iterations)
        for name, value in logs.items():
            if not name.startswith("val_"):
                train.scalar(f"epoch_{name}", value, epoch)
        for name, value in logs.items():
            if name.startswith("val_"):
                validation.scalar(f"epoch_{name[4:]}", value, epoch)
    train.close()
    validation.close()
    return logdir


# ---------------------------------------------------------------- torch, tensorboardX, Lightning
def hand_loop(folder, *, epochs=3, steps_per_epoch=22, markers="close", seed=0):
    """A hand-written loop with torch's SummaryWriter: ``Loss/train`` every step, ``Loss/val`` per epoch.

    ``markers="close"`` logs ``add_scalar("epoch", e, step)`` after each
    epoch's last step; ``"open"`` at each epoch's first step. Returns the
    logged train losses as ``{epoch: [values]}``.
    """
    from torch.utils.tensorboard import SummaryWriter

    rng = np.random.default_rng(seed)
    logged: dict[int, list[float]] = {}
    with SummaryWriter(str(folder)) as writer:
        step = 0
        for epoch in range(epochs):
            for batch in range(steps_per_epoch):
                if markers == "open" and batch == 0:
                    writer.add_scalar("epoch", epoch, step)
                loss = float(np.float32(2.3 - 0.5 * epoch - 0.01 * batch + 0.05 * rng.standard_normal()))
                writer.add_scalar("Loss/train", loss, step)
                logged.setdefault(epoch, []).append(loss)
                step += 1
            writer.add_scalar("Loss/val", 2.2 - 0.4 * epoch, step - 1)
            if markers == "close":
                writer.add_scalar("epoch", epoch, step - 1)
    return logged
