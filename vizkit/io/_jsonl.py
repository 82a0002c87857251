"""vizkit's own run folder: ``metrics.jsonl`` parsed fast, and safely when damaged.

The fast path hands the whole file to ``pyarrow.json`` (multi-threaded; it
unifies a schema across blocks, so a metric that first appears megabytes
into the file is kept). When Arrow refuses the file, the lines are parsed in
pieces, halving a piece that fails until it is a few dozen lines long; those
are read one by one with :mod:`json`, so every invalid line is found, named
by file and line number, and skipped, and the rest is kept.

Steps and epochs are read as exact integers (int64): a piece whose ``step``
or ``epoch`` column Arrow does not read exactly (a ``true``, a ``5.7``, a
number past 2**53 among floats) is read line by line, and each record whose
step or epoch is not an integer is named in a warning. Names that are not valid Unicode text (a lone surrogate, invalid
UTF-8) are read with the bad characters escaped (``'lo\\udcffss'``), with
a warning.

A torn last line (a writer killed mid-``write``) is cut off before parsing.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from datetime import datetime
from pathlib import Path

import numpy as np

from vizkit._core.errors import user_warning as warn
from vizkit.io._frame import DEFAULT_SPLIT, LoggedSeries, RunData, latest_attempts

RESERVED = ("step", "epoch", "split", "time")
_LEAF_LINES = 64  # a failing piece this small is read line by line
_FIRST_PIECES = 16  # the first split after Arrow refuses the whole file
_MAX_LINE_WARNINGS = 20
_INT64 = (-(2**63), 2**63 - 1)  # a step or epoch outside int64 is not one
_FLOAT_EXACT = 2.0**53  # a whole float below this is the integer it was written as


@dataclasses.dataclass
class Wide:
    """Records as columns, in file order (one row per line that parsed)."""

    step: np.ndarray  # int64
    has_step: np.ndarray  # bool
    epoch: np.ndarray  # int64
    has_epoch: np.ndarray  # bool
    split: np.ndarray  # int32 codes into splits
    splits: list[str]
    time: np.ndarray  # float64, Unix seconds, NaN where absent
    marker: np.ndarray  # bool: an {"_attempt": k} line
    metrics: dict[str, tuple[np.ndarray, np.ndarray]]  # name -> (float64 values, bool present)

    def __len__(self) -> int:
        return len(self.step)


def _empty_wide() -> Wide:
    i, b, f = np.empty(0, np.int64), np.empty(0, bool), np.empty(0, np.float64)
    return Wide(i, b, i, b, np.empty(0, np.int32), [], f, b, {})


def _nonfinite(text) -> float | None:
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return None if math.isfinite(number) else number


class _Skipped:
    """Warns once per (file, metric) about values that are not numbers."""

    def __init__(self, file: str):
        self.file, self.seen = file, set()

    def __call__(self, name: str, kind: str) -> None:
        if name not in self.seen:
            self.seen.add(name)
            warn(f"metric {name!r} in {self.file} holds {kind} values, not numbers; they are skipped.")


# ---------------------------------------------------------------- Arrow table -> Wide
class _ArrowColumns:
    """The columns of one Arrow table read as numbers: float64 with NaN for null, and a present mask."""

    def __init__(self, table, skipped: _Skipped):
        self.table, self.skipped = table, skipped
        self.n, self.names = table.num_rows, table.column_names

    @staticmethod
    def valid(column) -> np.ndarray:
        import pyarrow.compute as pc

        return pc.is_valid(column).to_numpy(zero_copy_only=False)

    def numbers(self, name: str):
        """(float64 values with NaN for null, present mask), or None for non-numbers."""
        import pyarrow as pa
        import pyarrow.compute as pc

        column = self.table.column(name)
        kind = column.type
        if pa.types.is_null(kind):
            return np.full(self.n, np.nan), np.zeros(self.n, dtype=bool)
        if pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind):
            return pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), self.valid(column)
        return None

    def integers(self, name: str):
        """(int64 values, present mask) of ``step`` or ``epoch``, exactly: no float on the way.

        The column is int64, all null, or doubles that are whole numbers below
        2**53 (so exact): :func:`_exact_integers` sends other tables line by line.
        """
        import pyarrow.compute as pc

        if name not in self.names:
            return np.zeros(self.n, dtype=np.int64), np.zeros(self.n, dtype=bool)
        column = self.table.column(name)
        present = self.valid(column)
        if not present.any():
            return np.zeros(self.n, dtype=np.int64), present
        return pc.fill_null(column, 0).to_numpy(zero_copy_only=False).astype(np.int64, copy=False), present

    def time(self) -> np.ndarray:
        found = self.numbers("time") if "time" in self.names else None
        return np.full(self.n, np.nan) if found is None else found[0]

    def splits(self) -> tuple[np.ndarray, list[str]]:
        """Each row's split code and the split names; a missing split is :data:`DEFAULT_SPLIT`."""
        import pyarrow as pa
        import pyarrow.compute as pc

        splits: list[str] = []
        codes = np.zeros(self.n, dtype=np.int32)
        if "split" in self.names and not pa.types.is_null(self.table.column("split").type):
            column = self.table.column("split")
            if not pa.types.is_string(column.type):
                column = pc.cast(column, pa.string())
            encoded = column.combine_chunks().dictionary_encode()
            splits = encoded.dictionary.to_pylist()
            codes = encoded.indices.to_numpy(zero_copy_only=False)
            codes = np.where(self.valid(encoded.indices), codes, -1).astype(np.int32)
        if not splits or (codes < 0).any():
            if DEFAULT_SPLIT not in splits:
                splits.append(DEFAULT_SPLIT)
            codes[codes < 0] = splits.index(DEFAULT_SPLIT)
        return codes, splits

    def metrics(self) -> dict:
        """``{name: (values, present)}`` of every metric column, NaN/inf written as text put back."""
        metrics = {}
        for name in self.names:
            if name in RESERVED or name.startswith("_"):
                continue
            found = self.numbers(name)
            if found is None:
                self.skipped(name, str(self.table.column(name).type))
            else:
                metrics[name] = found
        self._put_back_nonfinite(metrics)
        return metrics

    def _put_back_nonfinite(self, metrics: dict) -> None:
        """NaN and inf are logged as text in the ``_nonfinite`` struct (JSON has no such numbers)."""
        import pyarrow as pa

        if "_nonfinite" not in self.names or not pa.types.is_struct(self.table.column("_nonfinite").type):
            return
        column = self.table.column("_nonfinite").combine_chunks()
        for index in range(column.type.num_fields):
            field = column.field(index)
            rows = np.flatnonzero(self.valid(field) & self.valid(column))
            if not len(rows):
                continue
            name = column.type.field(index).name
            values, present = metrics.get(name, (np.full(self.n, np.nan), np.zeros(self.n, dtype=bool)))
            values, present = np.array(values), np.array(present)  # Arrow's arrays may be read-only
            metrics[name] = values, present
            for row, text in zip(rows, field.take(rows).to_pylist()):
                number = _nonfinite(text)
                if number is not None:
                    values[row], present[row] = number, True


def _exact_integers(table) -> bool:
    """Whether every ``step`` and ``epoch`` of ``table`` is an integer Arrow read exactly.

    An int64 column is; a double column is when each value is a whole number
    below 2**53 (``5.0``, as some writers put it; a ``5.7``, or a JSON
    integer past 2**53 that Arrow rounded to a double, is not).
    """
    import pyarrow as pa

    for name in ("step", "epoch"):
        if name not in table.column_names:
            continue
        column = table.column(name)
        if pa.types.is_int64(column.type) or pa.types.is_null(column.type):
            continue
        if not pa.types.is_floating(column.type):
            return False
        values = column.drop_null().to_numpy()
        if not (np.abs(values) < _FLOAT_EXACT).all() or (values != np.round(values)).any():
            return False
    return True


def _wide_from_table(table, skipped: _Skipped) -> Wide:
    columns = _ArrowColumns(table, skipped)
    step, has_step = columns.integers("step")
    epoch, has_epoch = columns.integers("epoch")
    codes, splits = columns.splits()
    marker = columns.valid(table.column("_attempt")) if "_attempt" in columns.names else np.zeros(columns.n, bool)
    return Wide(step, has_step, epoch, has_epoch, codes, splits, columns.time(), marker, columns.metrics())


# ---------------------------------------------------------------- dicts -> Wide (the slow, careful path)
def _wide_from_records(records: list[dict], skipped: _Skipped) -> Wide:
    n = len(records)
    step, has_step = np.zeros(n, np.int64), np.zeros(n, bool)
    epoch, has_epoch = np.zeros(n, np.int64), np.zeros(n, bool)
    time, marker = np.full(n, np.nan), np.zeros(n, bool)
    splits: list[str] = []
    codes = np.zeros(n, np.int32)
    metrics: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def number(value):
        if isinstance(value, bool):
            return float(value)
        return float(value) if isinstance(value, (int, float)) else None

    for row, record in enumerate(records):
        for key, target, flag in (("step", step, has_step), ("epoch", epoch, has_epoch)):
            value = record.get(key)
            value = _integer(value)
            if value is not None:
                target[row], flag[row] = value, True
        value = number(record.get("time"))
        time[row] = np.nan if value is None else value
        split = record.get("split")
        split = DEFAULT_SPLIT if split is None else str(split)
        if split not in splits:
            splits.append(split)
        codes[row] = splits.index(split)
        marker[row] = record.get("_attempt") is not None
        nonfinite = record.get("_nonfinite") if isinstance(record.get("_nonfinite"), dict) else {}
        for key, value in record.items():
            if key in RESERVED or key.startswith("_"):
                continue
            if value is None:
                value = _nonfinite(nonfinite.get(key))
            else:
                converted = number(value)
                if converted is None:
                    skipped(key, type(value).__name__)
                    continue
                value = converted
            if value is None:
                continue
            values, present = metrics.setdefault(key, (np.full(n, np.nan), np.zeros(n, dtype=bool)))
            values[row], present[row] = value, True
    return Wide(step, has_step, epoch, has_epoch, codes, splits, time, marker, metrics)


def _integer(value) -> int | None:
    """A JSON step or epoch as an int: an int64, or a whole float below 2**53 (``5.0``); else None."""
    if type(value) is int:
        return value if _INT64[0] <= value <= _INT64[1] else None
    if type(value) is float and abs(value) < _FLOAT_EXACT and value.is_integer():
        return int(value)
    return None


def _loads(text: bytes):
    """One JSON line; invalid UTF-8 is read with its bad bytes as lone surrogates (escaped later)."""
    try:
        return json.loads(text)
    except UnicodeDecodeError:
        return json.loads(text.decode("utf-8", "surrogateescape"))


def _unicode(text: str) -> str:
    """``text``, with any lone surrogate (no UTF-8 form) written as its escape: 'lo\\udcffss'."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


class _Careful:
    """Checks each record of the line-by-line path and keeps what to warn about, by file line."""

    def __init__(self, file: str):
        self.file = file
        self.notes: list[tuple[int, str]] = []  # (line, what happened), in file order per piece
        self.escaped: set[str] = set()

    def record(self, record: dict, line: int) -> dict | None:
        """The record to read (names made valid text), or None to skip it."""
        step = record.get("step")
        if step is not None and _integer(step) is None:
            self.notes.append((line, f"skipped a record whose `step` is {_shown(step)}, not an integer "
                                     "(int64); its values are not read"))
            return None
        epoch = record.get("epoch")
        if epoch is not None and _integer(epoch) is None:
            self.notes.append((line, f"read a record without its `epoch`, {_shown(epoch)}, which is not an "
                                     "integer (int64)"))
            record = {key: value for key, value in record.items() if key != "epoch"}
        names = [key for key in record if _unicode(key) is not key]
        split = record.get("split")
        if isinstance(split, str) and _unicode(split) is not split:
            names.append(split)
            record = dict(record, split=_unicode(split))
        if names:
            for name in names:
                if name not in self.escaped:
                    self.escaped.add(name)
                    self.notes.append((line, f"read the name `{_unicode(name)}` with its invalid characters "
                                             "escaped (it holds a lone surrogate or bytes that are not UTF-8)"))
            record = {_unicode(key): value for key, value in record.items()}
        return record

    def warn(self) -> None:
        notes = sorted(self.notes)
        for line, what in notes[:_MAX_LINE_WARNINGS]:
            warn(f"{self.file}, line {line}: {what}.")
        if len(notes) > _MAX_LINE_WARNINGS:
            warn(f"{self.file}: {len(notes) - _MAX_LINE_WARNINGS} more lines skipped or read in part "
                 f"(lines {notes[_MAX_LINE_WARNINGS][0]} to {notes[-1][0]}).")


def _shown(value) -> str:
    text = json.dumps(value) if isinstance(value, (bool, int, float, type(None))) else repr(value)
    return f"{text[:40]}{'...' if len(text) > 40 else ''} (a JSON {_JSON_KIND.get(type(value), 'value')})"


_JSON_KIND = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}


def _concat(pieces: list[Wide]) -> Wide:
    pieces = [p for p in pieces if len(p)]
    if not pieces:
        return _empty_wide()
    if len(pieces) == 1:
        return pieces[0]
    splits: list[str] = []
    codes = []
    for piece in pieces:
        for split in piece.splits:
            if split not in splits:
                splits.append(split)
        lookup = np.array([splits.index(split) for split in piece.splits], dtype=np.int32)
        codes.append(lookup[piece.split])
    names = list(dict.fromkeys(name for piece in pieces for name in piece.metrics))
    metrics = {}
    for name in names:
        values = [p.metrics[name][0] if name in p.metrics else np.full(len(p), np.nan) for p in pieces]
        present = [p.metrics[name][1] if name in p.metrics else np.zeros(len(p), bool) for p in pieces]
        metrics[name] = (np.concatenate(values), np.concatenate(present))

    def cat(field):
        return np.concatenate([getattr(p, field) for p in pieces])

    return Wide(cat("step"), cat("has_step"), cat("epoch"), cat("has_epoch"), np.concatenate(codes), splits,
                cat("time"), cat("marker"), metrics)


# ---------------------------------------------------------------- bytes -> Wide
def parse_lines(data: bytes, file: str, *, first_line: int = 1) -> Wide:
    """Parse complete lines (``data`` ends with a newline); warn about each invalid one.

    ``first_line`` is the line number of ``data``'s first line in ``file``,
    for the warnings of a reader that started mid-file.
    """
    import pyarrow as pa
    import pyarrow.json as pj

    skipped = _Skipped(file)
    if not data or data.isspace():
        return _empty_wide()
    options = pj.ParseOptions(newlines_in_values=False)

    def fast(chunk: bytes) -> Wide | None:
        """Arrow's reading of ``chunk``, or None when it must be read line by line."""
        try:
            table = pj.read_json(pa.BufferReader(chunk), parse_options=options)
            return _wide_from_table(table, skipped) if _exact_integers(table) else None
        except (pa.ArrowInvalid, UnicodeDecodeError):  # invalid JSON or UTF-8, a lone surrogate, ...
            return None

    whole = fast(data)
    if whole is not None:
        return whole

    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    if not len(ends) or ends[-1] != len(data) - 1:
        ends = np.append(ends, len(data))
    starts = np.concatenate([[0], ends[:-1] + 1])
    pieces: list[Wide] = []
    careful = _Careful(file)

    def leaf(lo: int, hi: int) -> None:
        records = []
        for line in range(lo, hi):
            text = data[starts[line]:ends[line]]
            if not text.strip():
                continue
            try:
                record = _loads(text)
            except ValueError as error:
                careful.notes.append((first_line + line, "skipped a line that is not a JSON record "
                                                         f"({str(error).split(':')[0]})"))
                continue
            if not isinstance(record, dict):
                careful.notes.append((first_line + line, "skipped a line that is not a JSON record "
                                                         f"(a JSON {type(record).__name__}, not an object)"))
                continue
            record = careful.record(record, first_line + line)
            if record is not None:
                records.append(record)
        pieces.append(_wide_from_records(records, skipped))

    def piece(lo: int, hi: int) -> None:
        if hi - lo <= _LEAF_LINES:
            leaf(lo, hi)
            return
        read = fast(data[starts[lo]:ends[hi - 1] + 1])
        if read is None:
            middle = (lo + hi) // 2
            piece(lo, middle)
            piece(middle, hi)
        else:
            pieces.append(read)

    bounds = np.linspace(0, len(ends), _FIRST_PIECES + 1).astype(int)
    for lo, hi in itertools.pairwise(bounds):
        if hi > lo:
            piece(lo, hi)
    careful.warn()
    return _concat(pieces)


def parse_file(data: bytes, file: str) -> Wide:
    """Parse a whole ``metrics.jsonl``; a torn last line is cut off with a warning."""
    cut = data.rfind(b"\n") + 1
    tail = data[cut:]
    if tail.strip():
        try:
            complete = isinstance(json.loads(tail), dict)
        except ValueError:
            complete = False
        if complete:  # a whole record without its newline (written by hand): keep it
            data = data + b"\n"
        else:
            line = data.count(b"\n", 0, cut) + 1
            warn(f"{file}, line {line}: skipped the torn last line (the run was probably killed "
                 f"while writing it).")
            data = data[:cut]
    return parse_lines(data, file)


# ---------------------------------------------------------------- Wide -> series
def kept_rows(wide: Wide) -> np.ndarray:
    """Records to keep: those with a step, less any superseded by a later attempt.

    When attempt ``k`` (a ``{"_attempt": k}`` marker) starts with step ``s``,
    every record of an earlier attempt with step ``>= s`` is dropped.
    """
    data = wide.has_step & ~wide.marker
    if not wide.marker.any():
        return data
    return latest_attempts(wide.step, np.cumsum(wide.marker), data)


def first_time(wide: Wide) -> float | None:
    """The earliest record time (the first record's, in a log written in time order)."""
    known = wide.time[np.isfinite(wide.time)]
    return float(known.min()) if len(known) else None


def series_of(wide: Wide, start: float | None) -> list[LoggedSeries]:
    """One :class:`LoggedSeries` per (split, metric) of the kept records; time relative to ``start``."""
    keep = kept_rows(wide)
    time = wide.time - (np.nan if start is None else start)
    series = []
    for code, split in enumerate(wide.splits):
        rows = np.flatnonzero(keep & (wide.split == code))
        if not len(rows):
            continue
        for name, (values, present) in wide.metrics.items():
            picked = rows[present[rows]]
            if len(picked):
                series.append(LoggedSeries(split, name, wide.step[picked], values[picked], time[picked],
                                     wide.epoch[picked], ~wide.has_epoch[picked]))
    return series


# ---------------------------------------------------------------- the run folder
def read_meta(folder: Path) -> dict:
    path = folder / "meta.json"
    if not path.is_file():
        return {}
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        warn(f"{path} is not readable JSON ({error}); the run's name, status and config are unknown.")
        return {}
    if not isinstance(meta, dict):
        return {}
    try:
        json.dumps(meta, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # e.g. a name taken from a folder name that is not UTF-8
        warn(f"{path} holds text that is not valid Unicode (a lone surrogate); it is read with those "
             "characters escaped.")
        meta = _unicode_all(meta)
    return meta


def _unicode_all(value):
    """Parsed JSON ``value`` with every str made valid text by :func:`_unicode`."""
    if isinstance(value, str):
        return _unicode(value)
    if isinstance(value, dict):
        return {_unicode(str(key)): _unicode_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unicode_all(item) for item in value]
    return value


def start_time(meta: dict) -> float | None:
    """meta ``start_time`` (ISO 8601 or Unix seconds) as Unix seconds, or None."""
    value = meta.get("start_time")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).timestamp()
        except ValueError:
            return None
    return None


def run_info(folder: Path, meta: dict) -> dict:
    config = meta.get("config")
    return {"name": _unicode(str(meta.get("name") or folder.name)), "status": meta.get("status"),
            "config": config if isinstance(config, dict) else {}}


def read_vizkit(folder: Path) -> RunData:
    """The :class:`RunData` of a vizkit run folder."""
    meta = read_meta(folder)
    file = folder / "metrics.jsonl"
    wide = parse_file(file.read_bytes(), str(file)) if file.is_file() else _empty_wide()
    start = start_time(meta)
    if start is None:
        start = first_time(wide)
    info = run_info(folder, meta)
    return RunData(info["name"], folder, "vizkit", info["status"], info["config"], series_of(wide, start))


def missing_log(folder: Path) -> str | None:
    """Why a vizkit run folder has no records to read although it should, or None.

    The writer creates ``metrics.jsonl`` before ``meta.json``, so a run that
    is over (meta.json ``status`` other than ``running``) without it lost it,
    e.g. in a copy that left ``*.jsonl`` out. A running run may not have
    written yet: that is no problem.
    """
    if (folder / "metrics.jsonl").is_file() or not (folder / "meta.json").is_file():
        return None
    status = read_meta(folder).get("status")
    if status == "running":
        return None
    said = f"says the run is {status!r}" if isinstance(status, str) else "has no status"
    return (f"{folder / 'metrics.jsonl'} does not exist (its meta.json {said}), so no records came back; "
            "a copy of the run may have left it out (a .gitignore of *.jsonl?)")
