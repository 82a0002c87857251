"""Read training runs into one long DataFrame: vizkit's own, TensorBoard, Lightning and Keras logs.

``read_run(path)`` reads one run, ``read_runs(paths_or_glob)`` several; both
return the frame docs/run_format.md describes, so the charts of
:mod:`vizkit.ml` serve every tool's logs alike.
"""

from __future__ import annotations

import csv
import glob
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePath

import pandas as pd

from vizkit._core import bad_type, bad_value
from vizkit._core.errors import user_warning as warn
from vizkit.io._frame import SPLITS, RunData, to_frame

__all__ = ["read_run", "read_runs"]

_EVENTS = "events.out.tfevents."
_EXPECTED = ("a vizkit run folder (meta.json, metrics.jsonl), a TensorBoard folder (events.out.tfevents.* files), "
             "a Lightning CSVLogger folder (metrics.csv) or a Keras CSVLogger file (CSV with an 'epoch' column)")
_GLOB_CHARS = "*?["


# ---------------------------------------------------------------- what a path is
def _has_events(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(entry.is_file() and entry.name.startswith(_EVENTS) for entry in entries)
    except OSError:
        return False


def _csv_header(path: Path) -> list[str] | None:
    """The header fields of a small-looking CSV file, or None when it is not one."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            line = handle.readline(65536)
    except (OSError, UnicodeDecodeError):
        return None
    if not line.strip():
        return None
    try:
        dialect = csv.Sniffer().sniff(line, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [field.strip() for field in next(csv.reader([line], dialect))]


def _csv_source(file: Path) -> tuple[str, Path] | None:
    """The kind of a CSV log, from its header: Lightning's has ``step``, Keras' starts with ``epoch``."""
    header = _csv_header(file)
    if header and "step" in header:
        return "lightning-csv", file.parent if file.name == "metrics.csv" else file
    if header and header[0] == "epoch":
        return "keras-csv", file
    return None


def _source(path: Path) -> tuple[str, Path] | None:
    """``(source, run path)`` of a path that is a run, else None. A folder reads as the log file it holds."""
    if path.is_dir():
        if (path / "metrics.jsonl").is_file() or (path / "meta.json").is_file():
            return "vizkit", path
        if (path / "metrics.csv").is_file():
            return _csv_source(path / "metrics.csv")
        if _has_events(path):
            return "tensorboard", path
        try:
            with os.scandir(path) as entries:
                children = [entry for entry in entries if entry.is_dir()]
        except OSError:
            children = []
        if any(entry.name.lower() in SPLITS and _has_events(Path(entry.path)) for entry in children):
            return "tensorboard", path  # e.g. Keras' TensorBoard callback: logdir/train, logdir/validation
        return None
    if path.is_file():
        if path.name in ("metrics.jsonl", "meta.json"):
            return "vizkit", path.parent
        if path.name.startswith(_EVENTS):
            return "tensorboard", path
        return _csv_source(path)
    return None


def _find_runs(root: Path) -> list[tuple[str, Path]]:
    """Runs at or under ``root``, in path order, not looking inside a run."""
    found = _source(root)
    if found:
        return [found]
    runs = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        here = Path(folder)
        if here != root and (found := _source(here)):
            runs.append(found)
            subfolders.clear()
            continue
        for name in sorted(files):
            if name.lower().endswith((".csv", ".log")) and (found := _source(here / name)) and found[0] == "keras-csv":
                runs.append(found)
    return runs


def _read(source: str, path: Path) -> tuple[list[RunData], list[str]]:
    """The runs found at ``path`` (a TensorBoard folder may hold several), and why parts of it held no values."""
    if source == "vizkit":
        from vizkit.io._jsonl import missing_log, read_vizkit

        why = missing_log(path)  # a finished run without its metrics.jsonl; one with no records yet is a run
        return ([], [why]) if why else ([read_vizkit(path)], [])
    if source == "tensorboard":
        from vizkit.io._tensorboard import read_tensorboard

        found = read_tensorboard(path)
        return found.runs, found.unread
    from vizkit.io._csvlogs import read_keras_csv, read_lightning_csv

    run = read_lightning_csv(path) if source == "lightning-csv" else read_keras_csv(path)
    if any(len(item.step) for item in run.series):
        return [run], []
    file = path / "metrics.csv" if path.is_dir() else path
    return [], [f"{file}: no values to read: no row holds a number in a metric column"
                + (" with a step" if source == "lightning-csv" else "")]


def _as_path(argument: str, value) -> Path:
    if isinstance(value, (str, os.PathLike)):
        return Path(value)
    raise bad_type(argument, "a path (str or os.PathLike)", value)


def _not_a_run(argument: str, path: Path) -> Exception:
    if not path.exists():
        return bad_value(argument, f"an existing path: {_EXPECTED}", str(path), got=f"{str(path)!r}, which does not exist")
    csv_file = path / "metrics.csv" if path.is_dir() else path
    header = _csv_header(csv_file) if csv_file.is_file() and csv_file.suffix.lower() in (".csv", ".log") else None
    if header:
        columns = ", ".join(repr(name) for name in header[:8]) + (", ..." if len(header) > 8 else "")
        return bad_value(argument, _EXPECTED, str(path),
                         got=f"{str(csv_file)!r}, a CSV with neither a 'step' column (Lightning's CSVLogger) nor "
                             f"'epoch' as its first column (Keras' CSVLogger); its columns: {columns}")
    return bad_value(argument, _EXPECTED, str(path), got=f"{str(path)!r}, which is none of these")


# ---------------------------------------------------------------- names
def _unique_names(runs: list[RunData]) -> None:
    """Rename runs that share a name after their path relative to the runs' common folder."""
    counts = Counter(run.name for run in runs)
    clashing = [run for run in runs if counts[run.name] > 1]
    if not clashing:
        return
    paths = [run.path.resolve() for run in runs]
    common = Path(os.path.commonpath(paths)) if len(paths) > 1 else paths[0].parent
    for run in clashing:
        relative = PurePath(os.path.relpath(run.path.resolve(), common)).as_posix()
        run.name = relative if relative != "." else run.path.resolve().as_posix()
    counts = Counter(run.name for run in runs)
    seen: Counter = Counter()
    for run in runs:
        if counts[run.name] > 1:  # a meta name equal to another run's path: number them
            seen[run.name] += 1
            run.name = f"{run.name} ({seen[run.name]})"


# ---------------------------------------------------------------- public
def read_run(path) -> pd.DataFrame:
    """Read one training run into a long DataFrame: one row per logged value.

    Reads vizkit's own run folders and, so their users get the same charts,
    TensorBoard event folders, Lightning ``CSVLogger`` folders and Keras
    ``CSVLogger`` files.

    Parameters
    ----------
    path : str or os.PathLike
        One of:

        - a vizkit run folder (``meta.json``, ``metrics.jsonl``; docs/run_format.md),
          or its ``metrics.jsonl``;
        - a TensorBoard folder: ``events.out.tfevents.*`` files, with the
          sub-folders ``add_scalars`` and ``add_hparams`` write, or split
          sub-folders (``train/``, ``validation/``) as Keras' TensorBoard
          callback writes; or one event file (read as its folder would be).
          Needs the ``tensorboard`` package;
        - a Lightning ``CSVLogger`` version folder (``metrics.csv``, ``hparams.yaml``);
        - a Keras ``CSVLogger`` file (a CSV whose first column is ``epoch``).
          A folder holding a ``metrics.csv`` reads as that file does.

    Returns
    -------
    pandas.DataFrame
        Columns ``run`` (str), ``step`` (int64), ``epoch`` (Int64, ``<NA>``
        when not logged), ``split`` (str), ``metric`` (str), ``value``
        (float64, NaN/inf restored), ``time`` (float64, seconds since the run
        started; NaN when the source has no clock), then one column per
        config key (nested keys joined with ``.``; a key that is also one of
        these column names becomes ``config.<key>``). Rows are sorted by
        ``run, split, metric, step``. ``attrs["runs"]`` maps the run's name to
        its ``path``, ``status``, ``config`` and ``source`` (``"vizkit"``,
        ``"tensorboard"``, ``"lightning-csv"``, ``"keras-csv"``);
        ``attrs["nonfinite"]`` lists ``(run, split, metric, step)`` of every
        non-finite value.

    Raises
    ------
    VizkitValueError
        When ``path`` does not exist or is none of the above; when it holds
        several runs (the sessions of a sweep); when it holds nothing to read
        (event files with no scalars, a Git LFS pointer or an empty file in
        place of an event file, a CSV with no values): the message names
        the files and what they hold.
    VizkitTypeError
        When ``path`` is not a path.
    MissingDependencyError
        For a TensorBoard folder without the ``tensorboard`` package
        (``pip install 'vizkit[tensorboard]'``).

    Warns
    -----
    UserWarning
        For each line of ``metrics.jsonl`` that is not a JSON record (file and
        line number): a torn last line left by a killed writer, or a torn line
        a resumed run ended with a newline. The rest of the file is read.
        For a TensorBoard folder whose event files overlap (read as attempts),
        and for a damaged event file (the records before the damage are read).

    Notes
    -----
    vizkit runs: the run is meta ``name`` (else the folder name); ``time``
    counts from meta ``start_time`` (else the first record); when a resumed
    attempt starts at step ``s``, earlier attempts' records from step ``s``
    on are dropped, so each step comes once, from the latest attempt.

    Other tools' names become a split and a metric: a split name as a ``/``
    component or as the first or last ``_`` word gives the split
    (``loss/train``, ``train/loss``, ``Loss/val``, ``val_acc``), spelled as
    vizkit does (``training`` -> ``train``, ``valid``/``validation`` ->
    ``val``, ``testing`` -> ``test``, ``evaluation`` -> ``eval``); the rest is
    the metric. A name with no split in it (``lr``) is ``train``.

    - TensorBoard: every scalar, including those written as tensors
      (``add_scalar(..., new_style=True)``, ``tf.summary.scalar``). An
      ``add_scalars`` sub-folder (torch ``<main tag>_<key>/``, tensorboardX
      ``<main tag>/<key>/``) gives the split from ``<key>`` when it is a
      split name (else the metric is ``<main tag>/<key>``). Keras'
      ``train/`` and ``validation/`` give their split, and ``epoch_loss``
      there is ``loss`` with its epoch (the step). A scalar tagged ``epoch``
      fills the ``epoch`` column instead of being a metric: each step gets
      the epoch it belongs to, whether the markers open or close their
      epochs (docs/run_format.md). Lightning's placeholder ``hp_metric`` of
      -1 is dropped. ``time`` is wall time since the first scalar; config
      comes from the hparams plugin's session and from a ``hparams.yaml``
      beside the events (Lightning's ``TensorBoardLogger``). The run is the
      folder name; in a sweep (a sub-folder per hparams session) each
      session is a run. Event files of one folder whose steps overlap are
      attempts: each replaces the earlier ones from its first step on (with
      a warning), as a resumed vizkit run does.
    - Lightning CSV: ``name_step``/``name_epoch`` pairs (``on_step`` and
      ``on_epoch`` together) give the metric ``name`` per step and
      ``name_epoch`` per epoch. Config comes from ``hparams.yaml`` (with
      PyYAML, which Lightning installs; without it, no config). No ``time``.
      The run is the version folder's name (``version_0``).
    - Keras CSV: one row per epoch, so ``step`` is the epoch number as Keras
      writes it (from 0) and so is ``epoch``; ``val_*`` columns are ``val``,
      the others ``train``. No ``time``. The run is the file's stem.

    See Also
    --------
    read_runs : several runs in one frame.
    follow_run : the records of a live run as they are flushed.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> import vizkit as vk
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "mlp"
    >>> folder.mkdir()
    >>> lines = [{"step": 0, "epoch": 0, "time": 100.0, "loss": 2.3, "acc": 0.1},
    ...          {"step": 1, "epoch": 0, "time": 100.5, "loss": 1.9, "acc": 0.3},
    ...          {"step": 1, "epoch": 0, "split": "val", "time": 101.0, "loss": 2.0}]
    >>> _ = (folder / "metrics.jsonl").write_text("".join(json.dumps(r) + "\\n" for r in lines))
    >>> vk.read_run(folder)
       run  step  epoch split metric  value  time
    0  mlp     0      0 train    acc    0.1   0.0
    1  mlp     1      0 train    acc    0.3   0.5
    2  mlp     0      0 train   loss    2.3   0.0
    3  mlp     1      0 train   loss    1.9   0.5
    4  mlp     1      0   val   loss    2.0   1.0
    """
    path = _as_path("path", path)
    found = _source(path)
    if found is None:
        error = _not_a_run("path", path)
        if path.is_dir() and (inside := _find_runs(path)):
            error = bad_value("path", "one run folder", str(path),
                              got=f"{str(path)!r}, a folder holding {len(inside)} runs",
                              hint="Use vizkit.read_runs() to read them all.")
        raise error
    runs, unread = _read(*found)
    if not runs:
        raise bad_value("path", "a run with values to read", str(path), got=f"{str(path)!r}, where " + "; ".join(unread))
    if len(runs) > 1:
        raise bad_value("path", "one run folder", str(path),
                        got=f"{str(path)!r}, a folder holding {len(runs)} runs (sessions of a sweep)",
                        hint="Use vizkit.read_runs() to read them all.")
    for why in unread:
        warn(f"{why}.")
    return to_frame(runs)


def read_runs(paths_or_glob) -> pd.DataFrame:
    """Read several training runs into one long DataFrame (see :func:`read_run`).

    Parameters
    ----------
    paths_or_glob : str, os.PathLike or iterable of them
        A glob pattern (``"runs/mlp-seed*"``; ``**`` recurses), a run, a
        folder holding runs (searched recursively; not inside a run), or a
        list of any of these. Every kind :func:`read_run` reads may be mixed.

    Returns
    -------
    pandas.DataFrame
        The frame of :func:`read_run` with every run, sorted by ``run,
        split, metric, step``; config columns are the union of the runs'
        keys (missing where a run lacks one). Run names are unique: runs that
        share a name (two ``version_0`` folders, two ``meta`` names) are named
        by their path relative to the runs' common folder
        (``"exp_a/version_0"``).

    Raises
    ------
    VizkitValueError
        When a glob matches no run, or a path (not a glob) is not a run or a
        folder holding runs.

    Warns
    -----
    UserWarning
        For each folder or file found that gives no values (event files with
        no scalars, a Git LFS pointer, an empty event file, a CSV with no
        values), naming it and what it holds; the other runs are read.
    VizkitTypeError
        When ``paths_or_glob`` is not a path, a pattern, or a list of them.

    See Also
    --------
    read_run : one run, and what each source gives.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> import vizkit as vk
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for seed in (0, 1):
    ...     folder = root / f"seed{seed}"
    ...     folder.mkdir()
    ...     meta = {"name": f"mlp-seed{seed}", "status": "finished", "config": {"seed": seed}}
    ...     _ = (folder / "meta.json").write_text(json.dumps(meta))
    ...     _ = (folder / "metrics.jsonl").write_text(json.dumps({"step": 0, "loss": 2.0 + seed}) + "\\n")
    >>> runs = vk.read_runs(str(root / "seed*"))
    >>> runs[["run", "step", "metric", "value", "seed"]]
             run  step metric  value  seed
    0  mlp-seed0     0   loss    2.0     0
    1  mlp-seed1     0   loss    3.0     1
    >>> sorted(runs.attrs["runs"])
    ['mlp-seed0', 'mlp-seed1']
    """
    argument = "paths_or_glob"
    if isinstance(paths_or_glob, (str, os.PathLike)):
        items = [paths_or_glob]
    elif isinstance(paths_or_glob, Iterable):
        items = list(paths_or_glob)
        if not items:
            raise bad_value(argument, "a glob pattern, a path, or a non-empty list of them", paths_or_glob)
    else:
        raise bad_type(argument, "a glob pattern, a path, or a list of them", paths_or_glob)

    found: list[tuple[str, Path]] = []
    for item in items:
        path = _as_path(argument, item)
        text = str(item)
        if isinstance(item, str) and not path.exists() and any(c in text for c in _GLOB_CHARS):
            matches = sorted(glob.glob(text, recursive=True))
            runs = [run for match in matches for run in _find_runs(Path(match))]
            if not runs:
                raise bad_value(argument, f"a pattern matching at least one run: {_EXPECTED}", text,
                                got=f"{text!r}, which matches {len(matches)} paths and no run")
            found += runs
            continue
        runs = _find_runs(path) if path.is_dir() else ([_source(path)] if _source(path) else [])
        if not runs:
            raise _not_a_run(argument, path)
        found += runs

    unique = list(dict.fromkeys((source, Path(os.path.abspath(run))) for source, run in found))
    runs = []
    for source, path in unique:
        read, unread = _read(source, path)
        runs += read
        for why in unread:
            warn(f"{why}.")
    _unique_names(runs)
    return to_frame(runs)
