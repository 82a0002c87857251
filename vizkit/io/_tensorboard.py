"""TensorBoard event folders as vizkit runs (needs the ``tensorboard`` package).

Every scalar is read (size guidance 0: no sampling), whether written as a
scalar summary (``SummaryWriter.add_scalar``) or as a one-value tensor with
the ``scalars`` plugin (``add_scalar(..., new_style=True)``,
``tf.summary.scalar``). ``SummaryWriter.add_scalars(main_tag, {key: v})``
writes ``main_tag`` into a subfolder ``<main_tag>_<key>``; Keras' TensorBoard
callback writes ``train/`` and ``validation/`` subfolders. The tag-to-split
rules are :func:`vizkit.io._frame.split_metric`'s.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from vizkit._core import missing_dependency
from vizkit.io._csvlogs import read_hparams
from vizkit.io._frame import SPLITS, RunData, lightning_names, make_series, split_metric

_EVENTS = "events.out.tfevents."


def _accumulator_module():
    try:
        from tensorboard.backend.event_processing import event_accumulator
    except ImportError:
        raise missing_dependency("Reading a TensorBoard folder", "tensorboard", "tensorboard") from None
    return event_accumulator


def _scalars(source: str) -> tuple[dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], float]:
    """{tag: (steps, values, wall times)} of one event folder or file, and its first event's time."""
    event_accumulator = _accumulator_module()
    from tensorboard.util import tensor_util

    guidance = {event_accumulator.SCALARS: 0, event_accumulator.TENSORS: 0, event_accumulator.IMAGES: 1,
                event_accumulator.AUDIO: 1, event_accumulator.HISTOGRAMS: 1, event_accumulator.COMPRESSED_HISTOGRAMS: 1}
    accumulator = event_accumulator.EventAccumulator(source, size_guidance=guidance)
    accumulator.Reload()
    tags = accumulator.Tags()
    found = {}
    for tag in tags.get("scalars", []):
        events = accumulator.Scalars(tag)
        found[tag] = (np.array([e.step for e in events], dtype=np.int64),
                      np.array([e.value for e in events], dtype=np.float64),
                      np.array([e.wall_time for e in events], dtype=np.float64))
    for tag in tags.get("tensors", []):
        if accumulator.SummaryMetadata(tag).plugin_data.plugin_name != "scalars":
            continue
        events = accumulator.Tensors(tag)
        arrays = [tensor_util.make_ndarray(e.tensor_proto) for e in events]
        if not all(np.size(a) == 1 and np.issubdtype(np.asarray(a).dtype, np.number) for a in arrays):
            continue
        found[tag] = (np.array([e.step for e in events], dtype=np.int64),
                      np.array([float(np.asarray(a).reshape(-1)[0]) for a in arrays], dtype=np.float64),
                      np.array([e.wall_time for e in events], dtype=np.float64))
    try:
        first = accumulator.FirstEventTimestamp()
    except ValueError:  # no events at all
        first = np.inf
    return found, first


def _has_events(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return any(entry.is_file() and entry.name.startswith(_EVENTS) for entry in entries)


def _name(tag: str, folder: str | None) -> tuple[str | None, str]:
    """(split from the folder or None, the name to split further) of a tag found in ``folder``."""
    if folder is None:
        return None, tag
    prefix = tag.replace("/", "_") + "_"
    if folder.startswith(prefix):  # add_scalars(main_tag=tag, {key: ...}) -> <tag>_<key>/
        key = folder[len(prefix):]
        return (SPLITS[key.lower()], tag) if key.lower() in SPLITS else (None, f"{tag}/{key}")
    if folder.lower() in SPLITS:
        return SPLITS[folder.lower()], tag
    return None, f"{folder}/{tag}"


def read_tensorboard(path: Path) -> RunData:
    """A TensorBoard event folder (with its subfolders of events) or one event file."""
    _accumulator_module()
    if path.is_file():
        sources, folder = [(str(path), None)], path.parent
    else:
        folder = path
        sources = [(str(path), None)] if _has_events(path) else []
        with os.scandir(path) as entries:
            children = sorted((entry.name, entry.path) for entry in entries if entry.is_dir())
        sources += [(child, name) for name, child in children if _has_events(Path(child))]

    found = []  # (split from folder or None, name, steps, values, times)
    start = np.inf
    for source, label in sources:
        scalars, first = _scalars(source)
        start = min(start, first)
        for tag, arrays in scalars.items():
            found.append((*_name(tag, label), *arrays))

    epochs = [item for item in found if item[0] is None and item[1] == "epoch"]
    found = [item for item in found if not (item[0] is None and item[1] == "epoch")]
    epoch_steps = epoch_values = None
    if epochs:
        steps = np.concatenate([e[2] for e in epochs])
        values = np.concatenate([e[3] for e in epochs])
        order = np.argsort(steps, kind="stable")
        epoch_steps, epoch_values = steps[order], values[order]

    renamed = lightning_names(name for _, name, *_ in found)
    series = []
    for split, name, steps, values, times in found:
        if split is None:
            split, metric = split_metric(renamed[name])
        else:
            inner, metric = split_metric(renamed[name], default="")
            metric = metric if inner in ("", split) else renamed[name]
        epoch = epoch_na = None
        if epoch_steps is not None:
            index = np.searchsorted(epoch_steps, steps, side="right") - 1
            epoch_na = index < 0
            epoch = np.where(epoch_na, 0, np.round(epoch_values[np.maximum(index, 0)])).astype(np.int64)
        series.append(make_series(split, metric, steps, values, time=times - start, epoch=epoch, epoch_na=epoch_na))
    config = read_hparams(folder / "hparams.yaml")
    return RunData(folder.name, path, "tensorboard", None, config, series)
