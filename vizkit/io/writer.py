"""The run-log writer: whole JSON lines appended in batches, meta.json written atomically.

The on-disk format is docs/run_format.md. This module is torch-free;
``vizkit.torch.Run`` subclasses :class:`RunWriter` to accept tensors that
stay on their device until a flush.
"""

from __future__ import annotations

import atexit
import datetime as _dt
import errno
import json
import math
import os
import platform
import socket
import sys
import threading
import time
import weakref
from pathlib import Path

import numpy as np

from vizkit._core.errors import bad_type, bad_value, user_warning

__all__ = ["RunWriter"]

FORMAT = "vizkit-run/1"
RESERVED = frozenset({"step", "epoch", "split", "time"})
# Records kept in memory while the disk refuses writes; past this the oldest are dropped.
MAX_HELD_RECORDS = 1_000_000
_DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_NONFINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
_FLOAT64_RANGE = "a number within float64's range (about ±1.8e308; metric value)"
INT64_MAX = 2**63 - 1  # steps and epochs are int64 on the way back: larger ones are refused
_SCAN_BLOCK, _SCAN_MAX_BLOCK = 1 << 16, 1 << 24  # resume reads the log backwards in such blocks


def _now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")


def _write_json_atomic(path: Path, payload: dict) -> None:
    """Write ``payload`` to ``path`` so readers see the old file or the new one, never half."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=1, sort_keys=False, allow_nan=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _versions() -> dict:
    from vizkit._version import __version__

    versions = {"python": platform.python_version(), "vizkit": __version__, "numpy": np.__version__}
    for module in ("torch", "pandas", "matplotlib"):
        if module in sys.modules:  # only what the process already uses; importing torch here is not ours to do
            versions[module] = getattr(sys.modules[module], "__version__", "?")
    return versions


def _step_of(line: bytes) -> int | None:
    """The step of one complete line of the log, or None (a marker, damage, no int step)."""
    try:
        record = json.loads(line)
    except ValueError:  # damage, NUL bytes, invalid UTF-8 included
        return None
    step = record.get("step") if isinstance(record, dict) else None
    if type(step) is float and step.is_integer() and 0 <= step < 2**53:  # 5.0, as readers take it
        step = int(step)
    return step if type(step) is int and 0 <= step <= INT64_MAX else None


def _last_step(metrics: Path) -> tuple[int, bool]:
    """The last logged step of an existing log, and whether its last line is torn.

    The file is read backwards in blocks that double in size until a complete
    line holds a record with a step, so neither a last line of any width (a
    record of 3 000 per-class metrics) nor a long damaged tail (a power cut's
    NUL bytes) hides the steps before it. The bytes after the last newline are
    a torn line and never count.
    """
    try:
        handle = open(metrics, "rb")
    except FileNotFoundError:
        return -1, False
    with handle:
        position = handle.seek(0, os.SEEK_END)
        if position == 0:
            return -1, False
        handle.seek(position - 1)
        torn = handle.read(1) != b"\n"
        block, partial, started = _SCAN_BLOCK, b"", False
        while position > 0:
            start = max(0, position - block)
            handle.seek(start)
            chunk = handle.read(position - start)
            position, block = start, min(2 * block, _SCAN_MAX_BLOCK)
            if not started:  # still inside the torn tail: drop it
                cut = chunk.rfind(b"\n")
                if cut < 0:
                    continue
                chunk, started = chunk[:cut], True
            lines = (chunk + partial).split(b"\n")
            partial = lines[0]  # its start may lie further back
            for line in reversed(lines[1:]):
                step = _step_of(line)
                if step is not None:
                    return step, torn
        step = _step_of(partial) if started else None
        return (-1 if step is None else step), torn


def _check_text(argument: str, text: str) -> None:
    """Refuse a name holding a lone surrogate: it has no UTF-8 form, so no reader could name it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise bad_value(argument, "valid Unicode text", text,
                        hint=f"It holds the lone surrogate {text[error.start]!r}, which UTF-8 cannot encode "
                             "(often a file name decoded with errors='surrogateescape').") from None


class _Unhandled:
    """Remembers whether the interpreter is going down because of an uncaught exception."""

    seen = False
    installed = False

    @classmethod
    def install(cls) -> None:
        if cls.installed:
            return
        previous = sys.excepthook

        def hook(kind, value, traceback):
            cls.seen = True
            previous(kind, value, traceback)

        sys.excepthook = hook
        cls.installed = True


def _close_at_exit(reference: weakref.ref) -> None:
    writer = reference()
    if writer is not None and not writer.closed:
        writer.close(status="crashed" if _Unhandled.seen else "finished")


class RunWriter:
    """Write a run log: ``metrics.jsonl`` appended in whole lines, ``meta.json`` atomically.

    Records are buffered and written in one ``write()`` per flush, which
    happens every ``flush_every`` records, when ``flush_secs`` have passed
    since the oldest unwritten record (a background timer checks even while
    nothing is logged), at :meth:`flush` and at :meth:`close`. What a crash
    can lose: records logged after the last flush, so at most
    ``flush_secs`` seconds (default 1 s) of them. ``flush_every=1`` writes at
    every :meth:`log` call and loses nothing once ``log`` returns (add
    ``fsync=True`` to survive a power cut, not only a killed process).

    Parameters
    ----------
    path : str or Path
        The run folder; created if missing. It must not hold a run already,
        unless ``resume=True``.
    config : dict, optional
        Hyper-parameters, stored in ``meta.json`` (JSON-serialisable values);
        ``run.config`` as it is at :meth:`close` is stored again then.
    name : str, optional
        The run's name in charts; default: the folder name.
    resume : bool
        Continue the run in ``path`` as a new attempt. Records the new
        attempt logs from step ``s`` on supersede the earlier attempts'
        records at steps ``>= s`` when read back.
    flush_every : int
        Flush after this many buffered records.
    flush_secs : float or None
        Flush once the oldest buffered record is this many seconds old;
        ``None`` turns the timer off.
    fsync : bool
        Also ``fsync`` the log after every flush.

    Raises
    ------
    OSError
        At once, when ``path`` cannot be created or written.

    Examples
    --------
    >>> import tempfile, vizkit as vk
    >>> from vizkit.io import RunWriter
    >>> folder = tempfile.mkdtemp()
    >>> with RunWriter(folder, config={"lr": 0.1}) as run:
    ...     for step in range(3):
    ...         run.log(step=step, loss=1.0 / (step + 1))
    ...     run.log(step=2, epoch=0, split="val", loss=0.7)
    >>> vk.read_run(folder)[["step", "split", "metric", "value"]].to_string(index=False)
    ' step split metric    value\\n    0 train   loss 1.000000\\n    1 train   loss 0.500000\\n    2 train   loss 0.333333\\n    2   val   loss 0.700000'
    """

    def __init__(self, path, *, config=None, name=None, resume=False, flush_every=1000,
                 flush_secs=1.0, fsync=False):
        if not isinstance(path, (str, os.PathLike)):
            raise bad_type("path", "a folder path (str or Path)", path)
        if isinstance(flush_every, bool) or not isinstance(flush_every, (int, np.integer)):
            raise bad_type("flush_every", "a positive int", flush_every)
        if flush_every < 1:
            raise bad_value("flush_every", "a positive int", flush_every)
        if flush_secs is not None and (isinstance(flush_secs, bool) or not isinstance(flush_secs, (int, float))
                                       or not math.isfinite(flush_secs) or flush_secs <= 0):
            raise bad_value("flush_secs", "a positive number of seconds or None", flush_secs)
        if config is not None and not isinstance(config, dict):
            raise bad_type("config", "a dict of hyper-parameters", config)
        if name is not None and not isinstance(name, str):
            raise bad_type("name", "a str", name)
        if name:
            _check_text("name", name)
        self.path = Path(path)
        # a folder name that is not UTF-8 (decoded with surrogates) is named with those bytes escaped
        self.name = name or self.path.resolve().name.encode("utf-8", "backslashreplace").decode("utf-8")
        self.config = dict(config or {})
        self._flush_every = int(flush_every)
        self._flush_secs = flush_secs
        self._fsync = bool(fsync)
        self._pending: list = []
        self._held: list[str] = []  # serialised lines the disk refused, retried first
        self._dropped = 0
        self._disk_warned = False
        self._lock = threading.Lock()
        self._flush_lock = threading.RLock()
        self._names: dict[str, str] = {}  # metric name -> its JSON key text
        self._splits: dict[str, str] = {}
        self._nonfinite: dict[str, dict] = {}
        self._oldest = 0.0  # monotonic time of the oldest buffered record
        self.closed = False
        self._open(resume)
        self._timer = None
        if flush_secs is not None:
            self._stop = threading.Event()
            self._timer = threading.Thread(target=self._tick, args=(weakref.ref(self), self._stop, flush_secs),
                                           name=f"vizkit-flush-{self.name}", daemon=True)
            self._timer.start()
        _Unhandled.install()
        atexit.register(_close_at_exit, weakref.ref(self))

    # -- opening ---------------------------------------------------------
    def _open(self, resume: bool) -> None:
        metrics = self.path / "metrics.jsonl"
        meta_path = self.path / "meta.json"
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise type(error)(error.errno, f"`path` cannot be created as a run folder: {error.strerror}", str(self.path)) from None
        exists = metrics.exists() and metrics.stat().st_size > 0
        if exists and not resume:
            raise bad_value("path", "a new folder, or resume=True to continue the run in it",
                            str(self.path), hint="it already holds a run log (metrics.jsonl)")
        meta = {}
        if resume and meta_path.exists():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except ValueError:
                meta = {}
        self._step, torn = _last_step(metrics) if resume else (-1, False)
        try:
            self._fd = os.open(metrics, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as error:
            raise type(error)(error.errno, f"`path` is not writable for a run log: {error.strerror}", str(metrics)) from None
        self._size = os.fstat(self._fd).st_size
        attempts = list(meta.get("attempts", [])) if exists else []
        attempt = {"start_time": _now_iso(), "pid": os.getpid(), "host": socket.gethostname()}
        self._meta = {
            "format": FORMAT,
            "name": self.name,
            "status": "running",
            "config": self.config or meta.get("config", {}),
            "start_time": meta.get("start_time", attempt["start_time"]) if exists else attempt["start_time"],
            "end_time": None,
            "versions": _versions(),
            "attempts": attempts + [attempt],
            "nonfinite": meta.get("nonfinite", {}) if exists else {},
        }
        self._nonfinite = dict(self._meta["nonfinite"])
        try:
            _write_json_atomic(meta_path, self._meta)
        except (TypeError, ValueError) as error:
            os.close(self._fd)
            raise bad_value("config", "JSON-serialisable values (numbers, str, bool, None, lists, dicts)",
                            self.config, hint=str(error)) from None
        except OSError as error:
            os.close(self._fd)
            raise type(error)(error.errno, f"`path` is not writable for a run log: {error.strerror}", str(meta_path)) from None
        if exists:
            prefix = "\n" if torn else ""  # end a torn line so it stays one bad line; bytes before it are kept
            self._write_lines([prefix + json.dumps({"_attempt": len(attempts) + 1, "time": round(time.time(), 3)}) + "\n"])

    # -- logging ---------------------------------------------------------
    @property
    def step(self) -> int:
        """The last step logged (-1 before any)."""
        return self._step

    def log(self, step=None, epoch=None, split="train", **metrics) -> None:
        """Buffer one record: ``metrics`` at ``step`` (default: the last step + 1).

        Parameters
        ----------
        step : int, optional
            Global step; default: one more than the last logged step.
        epoch : int, optional
        split : str
            ``"train"``, ``"val"``, ``"test"``, ...
        **metrics : number
            Python or numpy numbers. NaN and inf are logged, flagged in the
            file and warned about once per metric; training goes on.

        Raises
        ------
        TypeError
            A metric that is not a number, naming it.
        """
        if self.closed:
            raise bad_value("log", "a call before close()", f"run {self.name!r} is closed")
        if step is None:
            step = self._step + 1
        if type(step) is not int or step >> 63:  # x >> 63 is 0 for exactly the ints 0 to 2**63 - 1
            step = self._check_int("step", step)
        if epoch is not None and (type(epoch) is not int or epoch >> 63):
            epoch = self._check_int("epoch", epoch)
        if split not in self._splits:
            self._remember_split(split)
        if not metrics:
            raise bad_value("metrics", "at least one metric keyword, e.g. log(loss=0.4)", "none")
        for key, value in metrics.items():
            if type(value) is not float:
                metrics[key] = self._check_value(key, value)
            if key not in self._names:
                self._remember_name(key)
        self._step = step
        now = time.monotonic()
        with self._lock:
            if not self._pending:
                self._oldest = now
            self._pending.append((step, epoch, split, time.time(), metrics))
            due = len(self._pending) >= self._flush_every
        if due or (self._flush_secs is not None and now - self._oldest >= self._flush_secs):
            self.flush()

    def _check_int(self, argument: str, value) -> int:
        """``step`` or ``epoch`` as an int every reader gets back exactly: 0 to 2**63 - 1 (int64)."""
        if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_, np.timedelta64)):
            value = int(value)
            if value < 0 or value > INT64_MAX:
                got = None if abs(value) < 10**30 else f"an int of {value.bit_length()} bits"
                raise bad_value(argument, "an int >= 0 and <= 2**63 - 1", value, got=got,
                                hint="Steps and epochs are read back as int64; a larger one could not be.")
            return value
        raise bad_type(argument, "an int", value)

    def _check_value(self, name: str, value):
        """A loggable value for metric ``name``: a float, or a deferred value a subclass resolves at flush."""
        if isinstance(value, (bool, np.bool_)):
            raise bad_type(name, "a number (metric value)", value, hint="booleans are not logged as metrics; log float(flag)")
        if isinstance(value, (int, np.integer)) and not isinstance(value, np.timedelta64):
            try:
                return float(value)
            except OverflowError:
                raise bad_value(name, _FLOAT64_RANGE, value, got=f"an int of {int(value).bit_length()} bits") from None
        if isinstance(value, (float, np.floating)):
            number = float(value)
            if number - number != 0.0 and np.isfinite(value):  # a long double past float64's range
                raise bad_value(name, _FLOAT64_RANGE, value)
            return number
        if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
            return self._check_value(name, value[()])
        hint = ("Durations and dates are not metrics; log seconds, e.g. delta / np.timedelta64(1, 's')."
                if isinstance(value, (np.timedelta64, np.datetime64)) else "")
        raise bad_type(name, "a number (metric value)", value, hint=hint)

    def _remember_name(self, key: str) -> None:
        if key in RESERVED or key.startswith("_"):
            raise bad_value(key, "a metric name that is not reserved",
                            key, hint="'step', 'epoch', 'split', 'time' and names starting with '_' belong to the log format")
        _check_text("metric name", key)
        self._names[key] = json.dumps(key)

    def _remember_split(self, split) -> None:
        if not isinstance(split, str) or not split:
            raise bad_type("split", "a non-empty str such as 'train' or 'val'", split)
        _check_text("split", split)
        self._splits[split] = json.dumps(split)

    # -- flushing --------------------------------------------------------
    def _resolve(self, records: list) -> list:
        """Turn deferred values into floats (subclasses: one batch per device). Plain writers have none."""
        return records

    def flush(self) -> None:
        """Write every buffered record now, as whole lines in one ``write()``."""
        with self._flush_lock:
            with self._lock:
                records, self._pending = self._pending, []
            if not records and not self._held:
                return
            try:
                lines = [self._line(*record) for record in self._resolve(records)]
            except BaseException:
                with self._lock:  # nothing log() accepted is lost: the next flush tries the batch again
                    self._pending[:0] = records
                raise
            self._write_lines(self._held + lines)

    def _line(self, step, epoch, split, stamp, metrics) -> str:
        names = self._names
        parts = [f'{{"step":{step},']
        if epoch is not None:
            parts.append(f'"epoch":{epoch},')
        parts.append(f'"split":{self._splits[split]},"time":{stamp:.3f}')
        flagged = None
        for key, value in metrics.items():
            if value - value == 0.0:  # finite
                parts.append(f",{names[key]}:{value!r}")
            else:
                parts.append(f",{names[key]}:null")
                flagged = flagged or {}
                flagged[key] = _NONFINITE[repr(value)]
                self._flag(key, split, step, value)
        if flagged:
            parts.append(',"_nonfinite":' + json.dumps(flagged))
        parts.append("}\n")
        return "".join(parts)

    def _flag(self, key: str, split: str, step: int, value: float) -> None:
        seen = self._nonfinite.setdefault(key, {"count": 0, "first_step": step})
        seen["count"] += 1
        if seen["count"] == 1:
            user_warning(f"run {self.name!r}: metric `{key}` ({split}) is {value} at step {step}; "
                          "it is logged and flagged as non-finite, and training goes on")

    def _write_lines(self, lines: list[str]) -> None:
        """Append ``lines`` whole, or leave the file exactly as it was and hold them for a retry."""
        if not lines:
            return
        data = "".join(lines).encode("utf-8")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view):]
            if self._fsync:
                os.fsync(self._fd)
        except OSError as error:
            try:
                os.ftruncate(self._fd, self._size)  # drop a partial batch: nothing torn, nothing earlier touched
            except OSError:
                pass
            self._hold(lines, error)
            return
        self._size += len(data)
        self._held = []

    def _hold(self, lines: list[str], error: OSError) -> None:
        self._held = lines[-MAX_HELD_RECORDS:]
        self._dropped += len(lines) - len(self._held)
        if not self._disk_warned:
            self._disk_warned = True
            kind = "the disk is full" if error.errno in _DISK_FULL else error.strerror
            user_warning(f"run {self.name!r}: cannot write {self.path / 'metrics.jsonl'} ({kind}); "
                          f"records are kept in memory (up to {MAX_HELD_RECORDS:,}) and retried at the next flush; "
                          "training goes on and nothing already written is changed")

    @staticmethod
    def _tick(reference: weakref.ref, stop: threading.Event, period: float) -> None:
        while not stop.wait(period / 4):
            writer = reference()
            if writer is None or writer.closed:
                return
            if writer._pending and time.monotonic() - writer._oldest >= period:
                try:
                    writer.flush()
                except Exception as error:  # never kill the process from a timer thread
                    user_warning(f"run {writer.name!r}: background flush failed: {error!r}")
            del writer

    # -- arrays ----------------------------------------------------------
    def log_array(self, name: str, step=None, **arrays) -> Path:
        """Save numeric arrays (feature maps, samples) for ``step`` as ``arrays/<name>-step<step>.npz``.

        The file is written atomically and holds no pickled objects; read it
        back with :func:`vizkit.io.read_arrays`.
        """
        if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
            raise bad_value("name", "a non-empty file-safe name such as 'conv1'", name)
        step = self._step if step is None else self._check_int("step", step)
        if not arrays:
            raise bad_value("arrays", "at least one array keyword, e.g. log_array('conv1', maps=x)", "none")
        converted = {}
        for key, value in arrays.items():
            array = np.asarray(self._array(key, value))
            if array.dtype.kind not in "biufc":
                raise bad_type(key, "a numeric array", value, hint=f"dtype {array.dtype} would need pickle")
            converted[key] = array
        folder = self.path / "arrays"
        folder.mkdir(exist_ok=True)
        target = folder / f"{name}-step{max(step, 0):09d}.npz"
        temp = folder / f".{target.name}.{os.getpid()}.tmp"
        with open(temp, "wb") as handle:
            np.savez_compressed(handle, **converted)
        os.replace(temp, target)
        return target

    def _array(self, key: str, value):
        return value

    # -- closing ---------------------------------------------------------
    def close(self, status: str = "finished") -> None:
        """Flush, record ``status`` (``finished`` or ``crashed``) in meta.json and close the log."""
        if status not in ("finished", "crashed"):
            raise bad_value("status", "'finished' or 'crashed'", status)
        if self.closed:
            return
        if self._timer is not None:
            self._stop.set()
        self.flush()
        self.closed = True
        if self._held:
            lost = len(self._held) + self._dropped
            user_warning(f"run {self.name!r}: {lost} records could not be written to {self.path / 'metrics.jsonl'}; "
                          "the file holds everything before them intact")
        os.close(self._fd)
        # keys added to run.config while it ran (LayerStats' layer order) are kept
        self._meta.update(status=status, end_time=_now_iso(), nonfinite=self._nonfinite,
                          config=self.config or self._meta["config"])
        try:
            _write_json_atomic(self.path / "meta.json", self._meta)
        except OSError as error:
            user_warning(f"run {self.name!r}: could not update meta.json ({error.strerror}); "
                          "the metrics are intact")

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        self.close(status="crashed" if kind is not None else "finished")
        return False

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"{type(self).__name__}({str(self.path)!r}, step={self._step}, {state})"
