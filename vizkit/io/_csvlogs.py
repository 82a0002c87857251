"""Lightning's and Keras' ``CSVLogger`` files as vizkit runs.

Lightning (``lightning.pytorch.loggers.CSVLogger``) writes a version folder
with ``metrics.csv`` (``epoch, step`` and one column per logged name; a row
holds either the step metrics or the epoch metrics of a step, the other
cells empty) and ``hparams.yaml``. Keras (``keras.callbacks.CSVLogger``)
writes one row per epoch: ``epoch`` (from 0, or from ``initial_epoch``)
then the sorted log keys (``accuracy, loss, val_accuracy, val_loss``),
``NA`` for a missing value; with ``append=True`` a new session appends its
rows to the same file without a second header.
"""

from __future__ import annotations

import base64
import csv
import functools
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from vizkit._core import bad_value
from vizkit._core.errors import user_warning as warn
from vizkit.io._frame import HP_METRIC_PLACEHOLDER, RunData, latest_attempts, lightning_names, make_series, split_metric

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


def _counter(table: pd.DataFrame, name: str, file: Path):
    """(values, present mask) of the ``step`` or ``epoch`` column; all absent without it."""
    found = _numbers(table[name], name, file) if name in table else None
    if found is None:
        return np.zeros(len(table)), np.zeros(len(table), dtype=bool)
    values, present = found
    present = present & np.isfinite(values)
    return np.where(present, values, 0), present


# ---------------------------------------------------------------- hparams.yaml
class _Text(str):
    """A tagged YAML value read as text (marked, so the reader can name its key)."""


_PYTHON_TAG = "tag:yaml.org,2002:python/"
_NUMPY_DTYPE = re.compile(r"[biuf]\d{1,2}")


def _as_text(loader, node) -> _Text:
    """Any tag safe loading does not know: the Python name it carries (``torch.nn.ReLU``), never the object.

    ``!!python/object/apply:torch.device [cpu]`` reads ``"torch.device(cpu)"``;
    a tag without a Python name reads as its scalar text.
    """
    import yaml

    tag = node.tag
    kind, _, name = tag[len(_PYTHON_TAG):].partition(":") if tag.startswith(_PYTHON_TAG) else ("", "", "")
    if not name:
        name = node.value if isinstance(node, yaml.ScalarNode) else tag
    elif kind == "object/apply" and isinstance(node, yaml.SequenceNode) and node.value \
            and all(isinstance(item, yaml.ScalarNode) for item in node.value):
        name = f"{name}({', '.join(item.value for item in node.value)})"
    return _Text(name)


def _numpy_scalar(loader, node):
    """``numpy.float64(0.01)`` as PyYAML dumps it (a dtype and the raw bytes): the number, without numpy's pickling."""
    try:
        dtype_node, data_node = node.value
        fields = {key.value: value for key, value in dtype_node.value}
        code = fields["args"].value[0].value
        order = fields["state"].value[1].value if "state" in fields else "|"
        if not _NUMPY_DTYPE.fullmatch(code) or order not in "<>|=":
            raise ValueError(code)
        dtype = np.dtype(code).newbyteorder("=" if order == "|" else order)
        return np.frombuffer(base64.b64decode(data_node.value), dtype=dtype, count=1)[0].item()
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        return _as_text(loader, node)


def _ordered_dict(loader, node):
    """``collections.OrderedDict`` as PyYAML dumps it (a list of pairs): a plain dict."""
    try:
        (pairs,) = loader.construct_sequence(node, deep=True)
        return {key: value for key, value in pairs}
    except (TypeError, ValueError):
        return _as_text(loader, node)


@functools.cache
def _hparams_loader():
    """PyYAML's safe loader (libyaml's when PyYAML has it) that reads Python-tagged values as data or text.

    Tuples, ``OrderedDict`` and numpy scalars hold plain data and read as it;
    every other tag (``!!python/name:``, ``!!python/object:``, a custom
    ``!Tag``) reads as the text of the name it carries. Nothing is imported,
    called or constructed beyond safe YAML.
    """
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    plain = {"tuple": lambda loader, node: tuple(loader.construct_sequence(node, deep=True)),
             "str": Loader.construct_yaml_str, "unicode": Loader.construct_yaml_str,
             "int": Loader.construct_yaml_int, "long": Loader.construct_yaml_int,
             "float": Loader.construct_yaml_float, "bool": Loader.construct_yaml_bool,
             "none": Loader.construct_yaml_null,
             "object/apply:collections.OrderedDict": _ordered_dict,
             "object/apply:numpy.core.multiarray.scalar": _numpy_scalar,
             "object/apply:numpy._core.multiarray.scalar": _numpy_scalar}
    for kind, construct in plain.items():
        Loader.add_constructor(_PYTHON_TAG + kind, construct)
    Loader.add_constructor(None, _as_text)
    return Loader


def _plain(value, key: str, tagged: dict[str, str], seen: dict[int, object]):
    """``value`` with every :class:`_Text` made a plain ``str``, noted in ``tagged`` under its key path.

    A YAML alias is one shared object: ``seen`` converts it once, so a file
    of nested aliases costs its size, not the size it expands to.
    """
    if isinstance(value, _Text):
        tagged.setdefault(key, str(value))
        return str(value)
    if not isinstance(value, (Mapping, list, tuple)):
        return value
    if id(value) not in seen:
        if isinstance(value, Mapping):
            seen[id(value)] = {k: _plain(v, f"{key}.{k}" if key else str(k), tagged, seen) for k, v in value.items()}
        else:
            seen[id(value)] = type(value)(_plain(v, f"{key}[{i}]", tagged, seen) for i, v in enumerate(value))
    return seen[id(value)]


def read_hparams(file: Path) -> dict:
    """``hparams.yaml`` as a dict; {} without the file or without PyYAML.

    Read with safe loading only: a value Lightning saved as a Python object
    (``!!python/name:torch.nn.CrossEntropyLoss``, ``!!python/object:...``)
    reads as the text of its name, with one warning naming its keys; tuples,
    ``OrderedDict`` and numpy scalars read as their plain values; every other
    key is kept.
    """
    if not file.is_file():
        return {}
    try:
        import yaml
    except ImportError:
        return {}
    try:
        loaded = yaml.load(file.read_bytes(), Loader=_hparams_loader())
    except (yaml.YAMLError, OSError, RecursionError) as error:
        warn(f"{file} could not be read as YAML ({type(error).__name__}); the run has no config.")
        return {}
    if not isinstance(loaded, Mapping):
        return {}
    tagged: dict[str, str] = {}
    config = _plain(loaded, "", tagged, {})
    if tagged:
        shown = ", ".join(f"{key}: {text!r}" for key, text in list(tagged.items())[:5])
        more = f" and {len(tagged) - 5} more" if len(tagged) > 5 else ""
        warn(f"{file}: {len(tagged)} value(s) are Python objects saved with YAML tags; each is read as the text of "
             f"the name it carries ({shown}{more}), nothing is constructed, and every other key is kept.")
    return config


# ---------------------------------------------------------------- Lightning
def _cut_short(columns: dict, epoch: np.ndarray, has_epoch: np.ndarray) -> list[str]:
    """The ``*_step`` columns without an ``*_epoch`` twin whose values all lie in an epoch that never ended.

    An epoch ended when a later epoch was logged after it, or when an
    ``*_epoch`` column (Lightning writes those at an epoch's end) has a
    value in it. A ``*_step`` name logged in an ended epoch without its twin
    is the user's own name, not Lightning's suffix.
    """
    if not has_epoch.any():  # no epochs (not a Lightning fit): no evidence either way
        return []
    last = epoch[has_epoch].max()
    last_ended = any((present & has_epoch & (epoch == last)).any()
                     for name, (_, present) in columns.items() if name.endswith("_epoch"))
    ended = has_epoch & ((epoch < last) | ((epoch == last) & last_ended))
    return [name for name, (_, present) in columns.items() if name.endswith("_step") and not (present & ended).any()]


def _test_epochs(columns: dict, splits: dict, epoch: np.ndarray, has_epoch: np.ndarray) -> np.ndarray:
    """Epochs with ``trainer.test()`` after ``fit()`` moved to the last trained epoch.

    Lightning logs the test metrics at ``current_epoch``, which after fit is
    one past the last trained epoch. A row holding only ``test`` values whose
    epoch is past every epoch of the train/val rows before it is read one
    epoch earlier; a test run with no training before it keeps its epoch.
    """
    test = np.zeros(len(epoch), dtype=bool)
    other = np.zeros(len(epoch), dtype=bool)
    for name, (_, present) in columns.items():
        if splits[name][0] == "test":
            test |= present
        else:
            other |= present
    test &= ~other & has_epoch
    if not test.any():
        return epoch
    trained = np.maximum.accumulate(np.where(other & has_epoch, epoch, -np.inf))
    moved = test & np.isfinite(trained) & (epoch > trained)
    return np.where(moved, epoch - 1, epoch)


def read_lightning_csv(path: Path) -> RunData:
    """A Lightning ``CSVLogger`` version folder (or its ``metrics.csv``)."""
    folder, file = (path, path / "metrics.csv") if path.is_dir() else (path.parent, path)
    table = _table(file)
    step, has_step = _counter(table, "step", file)
    epoch, has_epoch = _counter(table, "epoch", file)
    columns = {}
    for name in table.columns:
        if name not in ("step", "epoch") and (found := _numbers(table[name], name, file)) is not None:
            columns[name] = found
    if HP_METRIC_PLACEHOLDER[0] in columns:
        values, present = columns[HP_METRIC_PLACEHOLDER[0]]
        columns[HP_METRIC_PLACEHOLDER[0]] = values, present & (values != HP_METRIC_PLACEHOLDER[1])
    renamed = lightning_names(columns, cut_short=_cut_short(columns, epoch, has_epoch))
    splits = {name: split_metric(renamed[name]) for name in columns}
    epoch = _test_epochs(columns, splits, epoch, has_epoch)
    series = []
    for name, (values, present) in columns.items():
        rows = np.flatnonzero(present & has_step)
        if len(rows):
            series.append(make_series(*splits[name], step[rows], values[rows], epoch=epoch[rows],
                                      epoch_na=~has_epoch[rows]))
    config = read_hparams(folder / "hparams.yaml")
    return RunData(folder.name, folder, "lightning-csv", None, config, series)


# ---------------------------------------------------------------- Keras
def _sessions(epoch: np.ndarray, has_epoch: np.ndarray, file: Path) -> np.ndarray:
    """Rows to keep when ``CSVLogger(append=True)`` sessions share the file: the latest session of each epoch.

    Within a session the epoch grows by one per row; a row whose epoch is
    not past the row before starts a new session (a rerun from epoch 0, or
    a resume from an earlier ``initial_epoch``). Sessions are attempts, as in
    vizkit's own resume: a session starting at epoch ``e`` replaces every
    row of earlier sessions from epoch ``e`` on. One warning names the lines.
    """
    rows = np.flatnonzero(has_epoch)
    starts = rows[1:][np.diff(epoch[rows]) <= 0]
    if not len(starts):
        return has_epoch
    session = np.zeros(len(epoch), dtype=np.int64)
    session[starts] = 1
    keep = has_epoch & latest_attempts(epoch, np.cumsum(session), has_epoch)
    lines = ", ".join(f"line {row + 2} (epoch {epoch[row]:.0f} after {epoch[rows[rows < row][-1]]:.0f})"
                      for row in starts[:5]) + (f" and {len(starts) - 5} more" if len(starts) > 5 else "")
    warn(f"{file}: the epoch restarts at {lines}: each restart is a new session appended by "
         f"CSVLogger(append=True). Sessions are read as attempts of one run, as vizkit's own resume: a "
         f"session replaces the earlier sessions' rows from its first epoch on "
         f"({int((has_epoch & ~keep).sum())} of {len(rows)} rows replaced).")
    return keep


def read_keras_csv(path: Path) -> RunData:
    """A Keras ``CSVLogger`` file: one row per epoch, ``step`` = ``epoch``."""
    table = _table(path)
    epoch, has_epoch = _counter(table, "epoch", path)
    keep = _sessions(epoch, has_epoch, path)
    series = []
    for name in table.columns[1:]:
        found = _numbers(table[name], name, path)
        if found is None:
            continue
        values, present = found
        rows = np.flatnonzero(present & keep)
        split, metric = ("val", name[len("val_"):]) if name.startswith("val_") else ("train", name)
        series.append(make_series(split, metric, epoch[rows], values[rows], epoch=epoch[rows]))
    return RunData(path.stem, path, "keras-csv", None, {}, series)
