"""The long DataFrame every reader returns, and the naming rules they share.

Each reader turns its source into a :class:`RunData`: the run's name, path,
status, config and a list of :class:`LoggedSeries` (one split/metric pair each).
:func:`to_frame` lays any number of them out as the frame docs/run_format.md
describes: ``run, step, epoch, split, metric, value, time`` plus one column
per config key, sorted by ``run, split, metric, step``, with
``attrs["runs"]`` and ``attrs["nonfinite"]``.

String columns are built through Arrow dictionaries, so a million-row frame
costs milliseconds, not a Python object per row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ("run", "step", "epoch", "split", "metric", "value", "time")

# Spellings of a split in other tools' names -> the split vizkit uses.
SPLITS = {
    "train": "train", "training": "train",
    "val": "val", "valid": "val", "validation": "val",
    "test": "test", "testing": "test",
    "eval": "eval", "evaluation": "eval",
}
DEFAULT_SPLIT = "train"
#: What Lightning's TensorBoardLogger(default_hp_metric=True) logs before any real value: no metric.
HP_METRIC_PLACEHOLDER = ("hp_metric", -1.0)


@dataclasses.dataclass
class LoggedSeries:
    """One logged series of a run: the values of one metric in one split."""

    split: str
    metric: str
    step: np.ndarray  # int64
    value: np.ndarray  # float64
    time: np.ndarray  # float64, seconds since the run started (NaN: unknown)
    epoch: np.ndarray  # int64 (meaningless where epoch_na)
    epoch_na: np.ndarray  # bool


@dataclasses.dataclass
class RunData:
    """Everything a reader found in one run."""

    name: str
    path: Path
    source: str  # vizkit, tensorboard, lightning-csv, keras-csv
    status: str | None = None
    config: dict = dataclasses.field(default_factory=dict)
    series: list[LoggedSeries] = dataclasses.field(default_factory=list)


def make_series(split, metric, step, value, *, time=None, epoch=None, epoch_na=None) -> LoggedSeries:
    """A :class:`LoggedSeries` from array-likes; missing time is NaN, missing epoch is NA."""
    step = np.asarray(step, dtype=np.int64)
    n = len(step)
    value = np.asarray(value, dtype=np.float64)
    time = np.full(n, np.nan) if time is None else np.asarray(time, dtype=np.float64)
    if epoch is None:
        epoch, epoch_na = np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
    else:
        epoch = np.asarray(epoch, dtype=np.int64)
        epoch_na = np.zeros(n, dtype=bool) if epoch_na is None else np.asarray(epoch_na, dtype=bool)
    return LoggedSeries(split, metric, step, value, time, epoch, epoch_na)


# ---------------------------------------------------------------- names of other tools
def split_metric(name: str, *, default: str = DEFAULT_SPLIT) -> tuple[str, str]:
    """Split a logged name into ``(split, metric)``.

    A ``/``-separated component that is a split name gives the split
    (``"loss/train"``, ``"train/loss"``, ``"Loss/val"``); otherwise a split
    name as the first or last ``_``-separated word of a component does
    (``"val_loss"``, ``"metrics/val_acc"``, ``"loss_valid"``). Spellings are
    normalised by :data:`SPLITS` (``training`` -> ``train``, ``validation``
    -> ``val``). A name with no split in it belongs to ``default``.

    >>> split_metric("Loss/validation"), split_metric("val_accuracy"), split_metric("lr")
    (('val', 'Loss'), ('val', 'accuracy'), ('train', 'lr'))
    """
    parts = name.split("/")
    if len(parts) > 1:
        for i, part in enumerate(parts):
            split = SPLITS.get(part.lower())
            rest = parts[:i] + parts[i + 1:]
            if split and any(rest):
                return split, "/".join(rest)
    for i, part in enumerate(parts):
        words = part.split("_")
        if len(words) < 2:
            continue
        for split, rest in ((SPLITS.get(words[0].lower()), words[1:]), (SPLITS.get(words[-1].lower()), words[:-1])):
            if split and any(rest):
                return split, "/".join(parts[:i] + ["_".join(rest)] + parts[i + 1:])
    return default, name


def lightning_names(names: Iterable[str], *, cut_short: Iterable[str] = ()) -> dict[str, str]:
    """Undo Lightning's ``_step`` suffix: ``{"train_loss_step": "train_loss", ...}``.

    ``self.log("train_loss", on_step=True, on_epoch=True)`` logs
    ``train_loss_step`` at every logged step and ``train_loss_epoch`` at the
    end of each epoch; the per-step series is the metric itself (``loss``)
    and the per-epoch one keeps its suffix (``loss_epoch``). A ``_step`` name
    without its ``_epoch`` twin is left alone (``samples_per_step`` is a
    user's own name), unless it is in ``cut_short``: the reader saw that
    every value of it lies in an epoch that never ended, so Lightning had no
    chance to write the twin (a run stopped in its first epoch), and it is
    the same metric as in a run that finished.

    >>> lightning_names(["train_loss_step", "train_loss_epoch", "samples_per_step"])
    {'samples_per_step': 'samples_per_step', 'train_loss_epoch': 'train_loss_epoch', 'train_loss_step': 'train_loss'}
    >>> lightning_names(["train_loss_step"], cut_short=["train_loss_step"])
    {'train_loss_step': 'train_loss'}
    """
    names, cut_short = set(names), set(cut_short)
    renamed = {}
    for name in sorted(names):
        base = name[: -len("_step")] if name.endswith("_step") and len(name) > len("_step") else None
        lightnings = base is not None and base not in names and (base + "_epoch" in names or name in cut_short)
        renamed[name] = base if lightnings else name
    return renamed


def latest_attempts(position: np.ndarray, attempt: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Rows not superseded by a later attempt, as vizkit's own resume reads them.

    ``attempt`` numbers the attempts in file order (non-decreasing). When
    an attempt's first valid row is at ``position`` ``s`` (a step, or an
    epoch), every row of an earlier attempt at ``s`` or later is dropped.

    >>> latest_attempts(np.array([0, 1, 2, 1, 2]), np.array([0, 0, 0, 1, 1]), np.ones(5, bool)).tolist()
    [True, False, False, True, True]
    """
    rows = np.flatnonzero(valid)
    if not len(rows):
        return valid.copy()
    n = int(attempt.max()) + 1
    attempts, first = np.unique(attempt[rows], return_index=True)
    first_position = np.zeros(n, dtype=position.dtype)
    first_position[attempts] = position[rows[first]]
    logged = np.zeros(n, dtype=bool)
    logged[attempts] = True
    # the smallest first position of any later attempt that logged, and whether there is one: a flag,
    # not a sentinel (an int64 step of 2**63 - 1 is a step like any other)
    first_position[~logged] = first_position[attempts].max()
    cutoff = np.append(np.minimum.accumulate(first_position[::-1])[::-1][1:], 0)
    bounded = np.append(np.logical_or.accumulate(logged[::-1])[::-1][1:], False)
    return valid & ~(bounded[attempt] & (position >= cutoff[attempt]))


# ---------------------------------------------------------------- config
def flatten_config(config, prefix: str = "") -> dict:
    """Nested dicts joined with ``.``; lists become tuples (hashable, so groupable)."""
    flat = {}
    if not isinstance(config, Mapping):
        return flat
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten_config(value, prefix=f"{name}."))
        elif isinstance(value, (list, tuple)):
            flat[name] = tuple(value)
        else:
            flat[name] = value
    return flat


def _config_column(values: list):
    """The values of one config key (one per run), typed like them: ints stay ints (``Int64`` when
    a run lacks the key), tuples stay whole; anything else is typed as a pandas column would be."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in present):
        return pd.array(values, dtype="Int64") if len(present) < len(values) else np.array(values)
    if any(isinstance(v, tuple) for v in present):
        column = np.empty(len(values), dtype=object)
        column[:] = values
        return column
    return values


# ---------------------------------------------------------------- the frame
class NonFinite(list):
    """``attrs["nonfinite"]``: a list of ``(run, split, metric, step)`` tuples.

    pandas deep-copies ``attrs`` at every operation; the tuples are
    immutable, so a shallow copy is a deep one, and a diverged run with
    100 000 NaN values does not make every later operation slow.
    """

    def __deepcopy__(self, memo):
        return NonFinite(self)


def _merged(series: list[LoggedSeries]) -> list[LoggedSeries]:
    """One series per (split, metric), sorted by split then metric, each by step (stable)."""
    groups: dict[tuple[str, str], list[LoggedSeries]] = {}
    for item in series:
        groups.setdefault((item.split, item.metric), []).append(item)
    merged = []
    for (split, metric), items in sorted(groups.items()):
        if len(items) == 1:
            item = items[0]
        else:
            item = LoggedSeries(split, metric, *(np.concatenate([getattr(i, f) for i in items])
                                           for f in ("step", "value", "time", "epoch", "epoch_na")))
        if len(item.step) > 1 and (np.diff(item.step) < 0).any():
            order = np.argsort(item.step, kind="stable")
            item = LoggedSeries(split, metric, item.step[order], item.value[order], item.time[order],
                          item.epoch[order], item.epoch_na[order])
        merged.append(item)
    return merged


def _strings(codes: np.ndarray, names: list[str]) -> pd.Series:
    """A pandas ``str`` column from integer codes into ``names``, without Python objects per row."""
    import pyarrow as pa

    array = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()), pa.array(names, type=pa.string()))
    return pd.Series(pd.array(array.cast(pa.string()), dtype="str"))


def to_frame(runs: list[RunData]) -> pd.DataFrame:
    """The long frame of ``runs`` (names already unique), in the documented order."""
    runs = sorted(runs, key=lambda r: r.name)
    parts = {field: [] for field in ("step", "value", "time", "epoch", "epoch_na")}
    run_codes, split_codes, metric_codes = [], [], []
    splits: dict[str, int] = {}
    metrics: dict[str, int] = {}
    counts = []
    for index, run in enumerate(runs):
        total = 0
        for item in _merged(run.series):
            n = len(item.step)
            total += n
            for field, chunks in parts.items():
                chunks.append(getattr(item, field))
            run_codes.append(np.full(n, index, dtype=np.int32))
            split_codes.append(np.full(n, splits.setdefault(item.split, len(splits)), dtype=np.int32))
            metric_codes.append(np.full(n, metrics.setdefault(item.metric, len(metrics)), dtype=np.int32))
        counts.append(total)

    def joined(chunks, dtype):
        return np.concatenate(chunks) if chunks else np.empty(0, dtype=dtype)

    step = joined(parts["step"], np.int64)
    value = joined(parts["value"], np.float64)
    codes = {"run": joined(run_codes, np.int32), "split": joined(split_codes, np.int32),
             "metric": joined(metric_codes, np.int32)}
    frame = pd.DataFrame({
        "run": _strings(codes["run"], [r.name for r in runs]),
        "step": step,
        "epoch": pd.arrays.IntegerArray(joined(parts["epoch"], np.int64), joined(parts["epoch_na"], bool)),
        "split": _strings(codes["split"], list(splits)),
        "metric": _strings(codes["metric"], list(metrics)),
        "value": value,
        "time": joined(parts["time"], np.float64),
    }, copy=False)

    configs = [flatten_config(run.config) for run in runs]
    rows = np.repeat(np.arange(len(runs)), counts)
    keys = dict.fromkeys(key for config in configs for key in config)
    if keys:  # one small frame of one row per run, repeated once: a config of 10 000 keys costs one take
        per_run = pd.DataFrame({f"config.{key}" if key in COLUMNS else key:
                                _config_column([config.get(key) for config in configs]) for key in keys})
        frame = pd.concat([frame, per_run.take(rows).reset_index(drop=True)], axis=1)

    bad = np.flatnonzero(~np.isfinite(value))
    split_names, metric_names = list(splits), list(metrics)
    frame.attrs["runs"] = {run.name: {"path": str(run.path), "status": run.status, "config": run.config,
                                      "source": run.source} for run in runs}
    run_names = [run.name for run in runs]
    frame.attrs["nonfinite"] = NonFinite(
        (run_names[r], split_names[s], metric_names[m], int(t))
        for r, s, m, t in zip(codes["run"][bad], codes["split"][bad], codes["metric"][bad], step[bad]))
    return frame
