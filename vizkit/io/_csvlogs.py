"""Lightning's and Keras' ``CSVLogger`` files as vizkit runs.

Lightning (``lightning.pytorch.loggers.CSVLogger``) writes a version folder
with ``metrics.csv`` (``epoch, step`` and one column per logged name; a row
holds either the step metrics or the epoch metrics of a step, the other
cells empty) and ``hparams.yaml``. Keras (``keras.callbacks.CSVLogger``)
writes one row per epoch: ``epoch`` (from 0) then the sorted log keys
(``accuracy, loss, val_accuracy, val_loss``), ``NA`` for a missing value.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from vizkit._core import bad_value
from vizkit._core.errors import user_warning as warn
from vizkit.io._frame import RunData, lightning_names, make_series, split_metric

_MISSING = ("", "NA")
_NAN_SPELLINGS = ("nan", "-nan", "+nan")


def _table(file: Path) -> pd.DataFrame:
    """Every cell as text (so an empty cell and a logged NaN stay apart)."""
    with open(file, encoding="utf-8", newline="") as handle:
        header = handle.readline()
    try:
        delimiter = csv.Sniffer().sniff(header, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    try:
        return pd.read_csv(file, sep=delimiter, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise bad_value("path", "a CSV log pandas can read", str(file),
                        got=f"{str(file)!r}: {str(error).strip()}") from None


def _numbers(texts: pd.Series, name: str, file: Path):
    """(float64 values, present mask) of a column, or None (with a warning) when it is not numeric."""
    texts = texts.str.strip()
    present = ~texts.isin(_MISSING)
    values = pd.to_numeric(texts.where(present), errors="coerce")
    failed = present & values.isna() & ~texts.str.lower().isin(_NAN_SPELLINGS)
    if failed.any():
        example = texts[failed].iloc[0]
        warn(f"column {name!r} of {file} holds values that are not numbers (such as {example!r}); it is skipped.")
        return None
    return values.to_numpy(dtype=np.float64), present.to_numpy()


def read_hparams(file: Path) -> dict:
    """``hparams.yaml`` as a dict; {} without the file or without PyYAML."""
    if not file.is_file():
        return {}
    try:
        import yaml
    except ImportError:
        return {}
    try:
        loaded = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as error:
        warn(f"{file} could not be read as plain YAML ({type(error).__name__}); the run has no config.")
        return {}
    return loaded if isinstance(loaded, dict) else {}


def read_lightning_csv(path: Path) -> RunData:
    """A Lightning ``CSVLogger`` version folder (or its ``metrics.csv``)."""
    folder, file = (path, path / "metrics.csv") if path.is_dir() else (path.parent, path)
    table = _table(file)
    step = _numbers(table["step"], "step", file) if "step" in table else None
    if step is None:
        step = (np.zeros(len(table)), np.zeros(len(table), dtype=bool))
    step_values, has_step = step
    epoch = _numbers(table["epoch"], "epoch", file) if "epoch" in table else None
    epoch_values, has_epoch = epoch if epoch is not None else (np.zeros(len(table)), np.zeros(len(table), bool))
    has_epoch = has_epoch & np.isfinite(epoch_values)
    epoch_values = np.where(has_epoch, epoch_values, 0)

    names = [name for name in table.columns if name not in ("step", "epoch")]
    renamed = lightning_names(names)
    series = []
    for name in names:
        found = _numbers(table[name], name, file)
        if found is None:
            continue
        values, present = found
        rows = np.flatnonzero(present & has_step)
        split, metric = split_metric(renamed[name])
        series.append(make_series(split, metric, step_values[rows], values[rows],
                                  epoch=epoch_values[rows], epoch_na=~has_epoch[rows]))
    config = read_hparams(folder / "hparams.yaml")
    return RunData(folder.name, folder, "lightning-csv", None, config, series)


def read_keras_csv(path: Path) -> RunData:
    """A Keras ``CSVLogger`` file: one row per epoch, ``step`` = ``epoch``."""
    table = _table(path)
    epoch = _numbers(table["epoch"], "epoch", path)
    epoch_values, has_epoch = epoch if epoch is not None else (np.zeros(len(table)), np.zeros(len(table), bool))
    has_epoch = has_epoch & np.isfinite(epoch_values)
    series = []
    for name in table.columns[1:]:
        found = _numbers(table[name], name, path)
        if found is None:
            continue
        values, present = found
        rows = np.flatnonzero(present & has_epoch)
        split, metric = ("val", name[len("val_"):]) if name.startswith("val_") else ("train", name)
        series.append(make_series(split, metric, epoch_values[rows], values[rows], epoch=epoch_values[rows]))
    return RunData(path.stem, path, "keras-csv", None, {}, series)
