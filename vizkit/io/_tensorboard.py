"""TensorBoard event folders as vizkit runs: which folders are one run, and what each tag means.

A run is a folder of event files with the sub-folders other tools add to it:

- ``SummaryWriter.add_scalars(main_tag, {key: v})`` writes each key into a
  sub-folder: torch ``<main_tag with / as _>_<key>/``, tensorboardX
  ``<main_tag>/<key>/`` (two or more levels deep), each holding the tag
  ``main_tag`` (tensorboardX replaces characters outside ``[-/\\w.]`` with
  ``_``). The series is ``<main_tag>/<key>``, split by :func:`split_metric`.
- Keras' ``TensorBoard`` callback writes ``train/`` and ``validation/``:
  ``epoch_<name>`` at ``step = epoch`` becomes ``<name>`` of that split with
  its epoch; ``evaluation_<name>_vs_iterations`` (the validation at the
  optimizer's iteration count) becomes ``<name>_vs_iterations``;
  ``batch_<name>`` keeps its name; both take their epoch from the iteration
  at which each epoch's validation was logged.
- ``add_hparams`` writes a ``<timestamp>/`` sub-folder with the hparams
  plugin's session and its metric scalars: it joins its parent run.

A sub-folder holding an hparams session of its own (a TF2 hparams sweep:
``hp.hparams_config`` at the root, one folder per session) is a run of its
own; the root is a run only when it logged scalars itself. The hparams of a
session become config, unless a ``hparams.yaml`` lies beside the events
(Lightning writes both; the YAML keeps the types and the nesting).

Several event files in one folder whose steps overlap (a script run twice
into the same folder, a resumed run) are attempts, as vizkit's own resume:
each file, in the order written, replaces the earlier files' records from
its first step on, with a warning. An ``epoch`` scalar fills the epoch
column (see :func:`_epochs`); Lightning's placeholder ``hp_metric`` of -1 is
dropped.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import numpy as np

from vizkit._core.errors import user_warning as warn
from vizkit.io._csvlogs import read_hparams
from vizkit.io._events import EventFile, read_event_file
from vizkit.io._frame import SPLITS, RunData, lightning_names, make_series, split_metric

_EVENTS = "events.out.tfevents."
_TIMESTAMP = re.compile(r"\d{9,}(\.\d+)?")  # add_hparams' default run_name: str(time.time())
_TBX_INVALID = re.compile(r"[^-/\w.]")  # tensorboardX's _clean_tag
_PLACEHOLDER = ("hp_metric", -1.0)  # Lightning's TensorBoardLogger(default_hp_metric=True), at step 0
_PROBLEMS = {"empty file": "empty (0 bytes)", "a Git LFS pointer": "a Git LFS pointer"}


# ---------------------------------------------------------------- which folders are one run
def _event_folders(root: Path) -> dict[Path, list[Path]]:
    """Every folder at or under ``root`` holding event files -> its event files, by name."""
    found = {}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        events = sorted(name for name in files if name.startswith(_EVENTS))
        if events:
            found[Path(folder)] = [Path(folder) / name for name in events]
    return found


def _written_order(file: Path) -> list:
    """Event files in the order written: their names ``<timestamp>.<host>.<pid>.<count>`` with numbers as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", file.name)]


@dataclasses.dataclass
class _Folder:
    path: Path
    files: list[EventFile]

    @property
    def hparams(self) -> dict:
        return {name: value for file in self.files for name, value in file.hparams.items()}


def _is_session(folder: _Folder, root: Path) -> bool:
    """A sub-folder with an hparams session of its own (not add_hparams' ``<timestamp>/``)."""
    return folder.path != root and bool(folder.hparams) and not _TIMESTAMP.fullmatch(folder.path.name)


# ---------------------------------------------------------------- what a tag means
def _part_name(tag: str, relative: str | None) -> tuple[str | None, str, str]:
    """(split given by the folder or None, name to split further, what the steps count) of ``tag`` in ``relative``.

    The steps count ``"step"``s, except in Keras' split folders: ``epoch_*``
    is logged at ``step=epoch``, ``batch_*`` and ``evaluation_*`` at the
    optimizer's ``"iteration"``.
    """
    if relative is None or _TIMESTAMP.fullmatch(relative):
        return None, tag, "step"
    if relative.lower() in SPLITS:  # Keras' train/ and validation/
        split = SPLITS[relative.lower()]
        if tag.startswith("epoch_"):
            return split, tag[len("epoch_"):], "epoch"
        if tag.startswith("evaluation_") and tag.endswith("_vs_iterations"):
            return split, tag[len("evaluation_"):], "iteration"
        return split, tag, "iteration" if tag.startswith("batch_") else "step"
    parent, _, key = relative.rpartition("/")
    torch_prefix = tag.replace("/", "_") + "_"
    if (parent and _TBX_INVALID.sub("_", parent).lstrip("/") == tag) or (not parent and key.startswith(torch_prefix)):
        key = key if parent else key[len(torch_prefix):]  # add_scalars: tensorboardX, then torch
        return (SPLITS[key.lower()], tag, "step") if key.lower() in SPLITS else (None, f"{tag}/{key}", "step")
    return None, f"{relative}/{tag}", "step"


def _scalars(file: EventFile) -> dict:
    """The scalars of one event file, without Lightning's placeholder ``hp_metric`` of -1."""
    scalars = dict(file.scalars)
    if _PLACEHOLDER[0] in scalars:
        steps, times, values = scalars.pop(_PLACEHOLDER[0])
        keep = values != _PLACEHOLDER[1]
        if keep.any():  # a real hp_metric, logged by the user
            scalars[_PLACEHOLDER[0]] = (steps[keep], times[keep], values[keep])
    return scalars


def _attempts(folder: _Folder) -> dict:
    """The scalars of one folder, its event files read as attempts: later files win from their first step."""
    files = [scalars for file in sorted(folder.files, key=lambda f: _written_order(f.path))
             if (scalars := _scalars(file))]
    merged: dict = {}
    replaced = 0
    for scalars in files:
        first = min(int(steps.min()) for steps, _, _ in scalars.values())
        for tag, (steps, times, values) in merged.items():
            keep = steps < first
            replaced += int((~keep).sum())
            merged[tag] = (steps[keep], times[keep], values[keep])
        for tag, arrays in scalars.items():
            old = merged.get(tag)
            merged[tag] = arrays if old is None else tuple(np.concatenate(pair) for pair in zip(old, arrays))
    if replaced:
        warn(f"{folder.path} holds {len(files)} event files whose steps overlap (a script run twice into one "
             f"folder, or a resumed run): they are read as attempts of one run, each file replacing the earlier "
             f"files' records from its first step on ({replaced} records replaced). Give each run its own "
             f"folder to read them as separate runs.")
    return merged


# ---------------------------------------------------------------- epochs
def _epochs(steps: np.ndarray, marker_steps: np.ndarray, marker_values: np.ndarray, closing: bool):
    """(epoch, epoch_na) of ``steps`` from ``epoch`` markers (sorted by step).

    A step with a marker takes its value. Opening markers (logged at an
    epoch's first step) label the steps up to the next marker; closing
    markers (logged at an epoch's last step) label the steps since the
    previous one, and steps after the last marker belong to the next epoch,
    still running.
    """
    if closing:
        index = np.searchsorted(marker_steps, steps, side="left")
        after = index >= len(marker_steps)
        epoch = np.where(after, marker_values[-1] + 1, marker_values[np.minimum(index, len(marker_steps) - 1)])
        return epoch.astype(np.int64), np.zeros(len(steps), dtype=bool)
    index = np.searchsorted(marker_steps, steps, side="right") - 1
    before = index < 0
    return np.where(before, 0, marker_values[np.maximum(index, 0)]).astype(np.int64), before


# ---------------------------------------------------------------- one run
class _Tag(NamedTuple):
    """One tag of a run as found: the split its folder gives (or None), its name, and its values."""

    split: str | None
    name: str
    counts: str  # what the steps count: "step", or Keras' "epoch" or "iteration" (see _part_name)
    steps: np.ndarray
    times: np.ndarray
    values: np.ndarray


def _tags(owner: Path, folders: list[_Folder]) -> list[_Tag]:
    """Every tag of the run at ``owner``, named after the folder it is in."""
    found = []
    for folder in folders:
        relative = None if folder.path == owner else folder.path.relative_to(owner).as_posix()
        for tag, (steps, times, values) in _attempts(folder).items():
            if len(steps):
                found.append(_Tag(*_part_name(tag, relative), steps, times, values))
    return found


def _epoch_markers(markers: list[_Tag], tags: list[_Tag]):
    """(sorted marker steps, their epochs, closing?) of a run's ``epoch`` scalars.

    Markers close their epochs when a step is logged before the first marker
    (the first epoch's steps came before its marker); otherwise they open them.
    """
    steps = np.concatenate([marker.steps for marker in markers])
    order = np.argsort(steps, kind="stable")
    values = np.round(np.concatenate([marker.values for marker in markers]))[order]
    first_logged = min((int(tag.steps.min()) for tag in tags if tag.counts == "step"), default=None)
    return steps[order], values, first_logged is not None and first_logged < steps[order][0]


def _keras_epoch_ends(tags: list[_Tag]):
    """(iterations, epochs) where Keras' epochs end, for its per-iteration series; None when unknown.

    Keras logs the validation after each epoch twice: ``epoch_<name>`` at
    ``step=epoch`` and ``evaluation_<name>_vs_iterations`` at the iteration
    count. When there is one of each per epoch, the iterations are closing
    epoch markers.
    """
    evaluations = [tag for tag in tags if tag.counts == "iteration" and tag.name.endswith("_vs_iterations")]
    if not evaluations:
        return None
    per_epoch = [tag for tag in tags if tag.counts == "epoch" and tag.split == evaluations[0].split]
    ends, epochs = np.unique(evaluations[0].steps), np.unique(per_epoch[0].steps) if per_epoch else None
    return (ends, epochs, True) if epochs is not None and len(ends) == len(epochs) else None


def _run(owner: Path, folders: list[_Folder]) -> RunData:
    tags = _tags(owner, folders)
    markers = [tag for tag in tags if tag.split is None and tag.name == "epoch"]
    tags = [tag for tag in tags if not (tag.split is None and tag.name == "epoch")]
    epoch_markers = _epoch_markers(markers, tags) if markers else None
    keras_ends = _keras_epoch_ends(tags)
    start = min((float(tag.times.min()) for tag in tags + markers), default=0.0)
    renamed = lightning_names(tag.name for tag in tags if tag.split is None)
    series = []
    for tag in tags:
        if tag.split is None:
            split, metric = split_metric(renamed[tag.name])
        else:
            inner, metric = split_metric(tag.name, default="")
            split, metric = tag.split, (metric if inner in ("", tag.split) else tag.name)
        epoch = epoch_na = None
        if tag.counts == "epoch":
            epoch = tag.steps
        elif tag.counts == "iteration" and keras_ends is not None:
            epoch, epoch_na = _epochs(tag.steps, *keras_ends)
        elif tag.counts == "step" and epoch_markers is not None:
            epoch, epoch_na = _epochs(tag.steps, *epoch_markers)
        series.append(make_series(split, metric, tag.steps, tag.values, time=tag.times - start, epoch=epoch,
                                  epoch_na=epoch_na))
    config = read_hparams(owner / "hparams.yaml")  # Lightning's, typed and nested; its plugin copy is flattened
    if not config:
        config = {name: value for folder in folders for name, value in folder.hparams.items()}
    return RunData(owner.name, owner, "tensorboard", None, config, series)


def _why_empty(folders: list[_Folder]) -> str:
    """Why folders with event files gave no scalars, naming the files."""
    files = [file for folder in folders for file in folder.files]
    damaged = [f"{file.path} is {_PROBLEMS.get(file.problem, f'damaged ({file.problem})')}"
               for file in files if file.problem and not file.scalars]
    other = Counter()
    for file in files:
        other.update(file.other)
    parts = damaged[:]
    if other:
        kinds = ", ".join(f"{kind} ({count})" for kind, count in sorted(other.items()))
        parts.append(f"its event files hold only other summaries ({kinds})")
    if not parts:
        parts.append("its event files hold no summaries")
    hint = " (fetch it with `git lfs pull`)" if any(file.problem == "a Git LFS pointer" for file in files) else ""
    return f"{folders[0].path} holds no scalars: " + "; ".join(parts) + hint


@dataclasses.dataclass
class TensorBoardRead:
    """The runs under one path, and why folders holding event files gave none."""

    runs: list[RunData]
    unread: list[str]


def read_tensorboard(path: Path) -> TensorBoardRead:
    """The runs of a TensorBoard folder (sessions of a sweep are runs of their own) or of one event file."""
    if path.is_file():
        root, paths = path.parent, {path.parent: [path]}
    else:
        root, paths = path, _event_folders(path)
    folders = [_Folder(folder, [read_event_file(file) for file in files]) for folder, files in paths.items()]
    for folder in folders:
        for file in folder.files:
            if file.problem and file.scalars:
                warn(f"{file.path} is damaged ({file.problem}); the records before the damage are read.")

    owners = [root] + [folder.path for folder in folders if _is_session(folder, root)]
    groups: dict[Path, list[_Folder]] = {owner: [] for owner in owners}
    for folder in folders:
        owner = max((o for o in owners if folder.path == o or o in folder.path.parents), key=lambda o: len(o.parts))
        groups[owner].append(folder)

    runs, unread = [], []
    for owner, members in groups.items():
        run = _run(owner, members) if members else None
        if run is not None and run.series:
            runs.append(run)
        elif members and not (owner == root and len(groups) > 1):  # a sweep's root: its config, no run
            unread.append(_why_empty(members))
    return TensorBoardRead(runs, unread)
