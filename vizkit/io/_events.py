"""One TensorBoard event file, read fast and exactly (needs the ``tensorboard`` extra).

An event file is a sequence of tfrecords: a little-endian uint64 length, the
masked CRC32C of those 8 bytes, the serialized ``Event``, the masked CRC32C of
the event. :func:`read_event_file` reads the whole file at once, follows the
lengths, checks both CRCs of every record with ``google_crc32c`` (Google's
maintained C library, hardware-accelerated, Apache-2.0; tensorboard's own
reader computes them in pure Python, most of tbparse's time), parses each
event with tensorboard's protobuf classes (protobuf's C implementation) and
collects every scalar into arrays, tag by tag: about seven times faster than
tbparse on a sweep (``benchmarks/bench_read_tensorboard.py``).

What it returns is what tensorboard's ``EventAccumulator`` (and tbparse, which
uses it) return for the same file, value for value:

- ``simple_value`` scalars (torch's and tensorboardX's ``SummaryWriter``,
  TF1): the float32 stored in the file, as the float64 that holds it exactly
  (``EventAccumulator``'s ``ScalarEvent.value``);
- tensor-valued scalars (``tf.summary.scalar``, ``add_scalar(new_style=True)``):
  a one-element tensor of a tag whose ``scalars`` plugin metadata was seen in
  the file (TF2 writes it with a tag's first value only). float32 tensors
  become the float64 that holds them exactly, as
  ``tensor_util.make_ndarray(t).item()`` (tbparse) does; float64 ones stay as
  they are; other numeric dtypes go through ``make_ndarray`` itself. A
  ``scalars`` tensor that is not one number is counted in
  ``other["tensor"]``.

Unlike ``EventAccumulator``, nothing is purged: a ``SessionLog.START`` record
(a TF1 restart, after which ``EventAccumulator`` drops the values logged at
later steps before it) is counted in ``other["session_start"]`` and every
value is kept, in file order; the caller decides which attempt wins.

Damage stops reading where it starts, as tensorboard's record reader does:
the records before it are kept and ``problem`` names the byte offset of the
first record that is cut short or fails its CRC.
"""

from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vizkit._core import bad_value, missing_dependency

__all__ = ["EventFile", "read_event_file"]

_LFS_POINTER = b"version https://git-lfs.github.com/spec/"
_LENGTH = struct.Struct("<Q")
_DT_FLOAT, _DT_DOUBLE = 1, 2  # tensorboard.compat.proto.types_pb2
_DECODERS = {(_DT_FLOAT, 4): struct.Struct("<f").unpack, (_DT_DOUBLE, 8): struct.Struct("<d").unpack}
# What a summary value that is not a scalar holds, by its oneof field or plugin name.
_VALUE_KINDS = {"histo": "histogram", "image": "image", "audio": "audio"}
_PLUGIN_KINDS = {"histograms": "histogram", "images": "image", "audio": "audio", "text": "text",
                 "pr_curves": "pr_curve", "hparams": "hparams", "scalars": "tensor", "graph_keras_model": "graph"}
_EVENT_KINDS = {"graph_def": "graph", "meta_graph_def": "graph", "tagged_run_metadata": "run_metadata"}


@dataclass
class EventFile:
    """What one event file holds: its scalars, hyper-parameters, other summaries and damage.

    ``scalars`` maps a tag to ``(steps, wall_times, values)`` (int64, float64,
    float64 arrays, in file order); ``hparams`` holds the hparams plugin's
    ``session_start_info`` (name -> float, str or bool); ``other`` counts the
    summaries that are not scalars by kind (``"histogram"``, ``"image"``,
    ``"audio"``, ``"text"``, ``"graph"``, ``"pr_curve"``, ``"tensor"``,
    ``"hparams"``, a plugin's name, ...); ``problem`` says why the file was not
    read to its end, or is None.
    """

    path: Path
    scalars: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    hparams: dict[str, object] = field(default_factory=dict)
    other: dict[str, int] = field(default_factory=dict)
    problem: str | None = None


def _masked(crcs: list[int]) -> np.ndarray:
    """TFRecord's masked CRC32C of each CRC: rotated right by 15 bits, plus a constant."""
    crc = np.array(crcs, dtype=np.uint64)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _stored_crcs(data: bytes, offsets: list[int], shift: int) -> np.ndarray:
    """The little-endian uint32 at ``offset + shift`` of ``data``, for each offset."""
    at = np.array(offsets, dtype=np.int64)[:, None] + (shift + np.arange(4))
    return np.frombuffer(data, dtype=np.uint8)[at].view("<u4").ravel().astype(np.uint64)


def _frame(data: bytes) -> tuple[list[int], list[bytes], str | None]:
    """The offset and the event bytes of every whole, CRC-checked record, and what stopped the reading.

    The lengths are followed first, then both CRCs of every record are
    computed (``google_crc32c``) and checked at once; reading stops at the
    first record that fails, as tensorboard's reader does.
    """
    import google_crc32c

    length_of = _LENGTH.unpack_from
    size, offset, starts, ends = len(data), 0, [], []
    while offset < size:
        end = offset + 12 + length_of(data, offset)[0] if size - offset >= 12 else size
        if end + 4 > size:
            break
        starts.append(offset)
        ends.append(end)
        offset = end + 4
    crc = google_crc32c.value
    events = [data[start + 12:end] for start, end in zip(starts, ends)]
    length_ok = _masked([crc(data[start:start + 8]) for start in starts]) == _stored_crcs(data, starts, 8)
    event_ok = _masked([crc(event) for event in events]) == _stored_crcs(data, ends, 0)
    bad = np.flatnonzero(~(length_ok & event_ok))
    if bad.size:  # a damaged length sends the framing astray after it: its record is the first bad one
        first = int(bad[0])
        return starts[:first], events[:first], f"bad CRC at byte {starts[first]}"
    problem = None
    if offset < size:  # cut short, or a damaged length that points past the end
        damaged = size - offset >= 12 and _masked([crc(data[offset:offset + 8])])[0] != _stored_crcs(
            data, [offset], 8)[0]
        problem = f"{'bad CRC' if damaged else 'truncated record'} at byte {offset}"
    return starts, events, problem


class _Collector:
    """Scalars, hyper-parameters and counts of other summaries, gathered event by event.

    ``_read_events`` appends the common scalars to ``columns`` itself (the
    tags in ``simple`` and ``tensors``); everything else comes here.
    """

    def __init__(self):
        self.columns: dict[str, tuple[list, list, list]] = {}  # tag -> (steps, wall times, values)
        self.simple: set[str] = set()  # tags seen with a simple_value
        self.tensors: set[str] = set()  # tags seen with a scalar tensor of the scalars plugin
        self.plugins: dict[str, str] = {}  # tag -> plugin name of its first metadata
        self.pending: dict[str, list] = {}  # tensors of tags whose plugin is not known yet
        self.hparams: dict[str, object] = {}
        self.other: Counter = Counter()

    def metadata(self, tag: str, metadata) -> None:
        plugin = self.plugins[tag] = metadata.plugin_data.plugin_name
        if plugin == "hparams":
            self._hparams(metadata.plugin_data.content)

    def _hparams(self, content: bytes) -> None:
        from google.protobuf import json_format
        from google.protobuf.message import DecodeError
        from tensorboard.plugins.hparams import plugin_data_pb2

        try:
            data = plugin_data_pb2.HParamsPluginData.FromString(content)
        except DecodeError:
            return
        if data.WhichOneof("data") != "session_start_info":
            return
        for name, value in data.session_start_info.hparams.items():
            kind = value.WhichOneof("kind")
            self.hparams[name] = getattr(value, kind) if kind in ("number_value", "string_value", "bool_value") \
                else json_format.MessageToDict(value)

    def not_summary(self, event) -> None:
        from tensorboard.compat.proto import event_pb2

        what = event.WhichOneof("what")
        if what == "session_log" and event.session_log.status == event_pb2.SessionLog.START:
            self.other["session_start"] += 1
        elif what in _EVENT_KINDS:
            self.other[_EVENT_KINDS[what]] += 1

    def value(self, tag: str, step: int, wall_time: float, value) -> None:
        """One summary value that the hot loop did not take."""
        kind = value.WhichOneof("value")
        if kind == "simple_value":
            self.simple.add(tag)
            self._append(tag, step, wall_time, value.simple_value)
        elif kind == "tensor":
            self._tensor(tag, step, wall_time, value.tensor)
        elif kind is not None:
            self.other[_VALUE_KINDS.get(kind, kind)] += 1
        elif self.plugins.get(tag) == "hparams":  # torch's add_hparams: metadata only
            self.other["hparams"] += 1

    def _tensor(self, tag: str, step: int, wall_time: float, tensor) -> None:
        plugin = self.plugins.get(tag)
        if plugin is None:
            self.pending.setdefault(tag, []).append((step, wall_time, tensor))
            return
        number = _tensor_number(tensor) if plugin == "scalars" else None
        if number is None:
            self.other[_PLUGIN_KINDS.get(plugin, plugin or "tensor")] += 1
        else:
            self.tensors.add(tag)
            self._append(tag, step, wall_time, number)

    def _append(self, tag: str, step: int, wall_time: float, number: float) -> None:
        columns = self.columns.get(tag)
        if columns is None:
            columns = self.columns[tag] = ([], [], [])
        columns[0].append(step)
        columns[1].append(wall_time)
        columns[2].append(number)

    def finish(self, path: Path, problem: str | None) -> EventFile:
        """The file's EventFile, with the tensors that came before their tag's metadata placed."""
        for tag, tensors in self.pending.items():
            plugin = self.plugins.get(tag, "")
            numbers = [_tensor_number(tensor) for _, _, tensor in tensors] if plugin == "scalars" else [None]
            if any(number is None for number in numbers):
                self.other[_PLUGIN_KINDS.get(plugin, plugin or "tensor")] += len(tensors)
                continue
            later = self.columns.pop(tag, ([], [], []))
            self.columns[tag] = ([step for step, _, _ in tensors] + later[0],
                                 [wall for _, wall, _ in tensors] + later[1], numbers + later[2])
        scalars = {tag: (np.array(steps, dtype=np.int64), np.array(walls, dtype=np.float64),
                         np.array(numbers, dtype=np.float64))
                   for tag, (steps, walls, numbers) in self.columns.items()}
        return EventFile(path, scalars, self.hparams, dict(self.other), problem)


def _tensor_number(tensor) -> float | None:
    """The one number a tensor holds, as ``make_ndarray(tensor).item()`` gives it; None if it is not one number.

    A shapeless float32 or float64 tensor (``tensor_content`` as TF2 writes it,
    or ``float_val`` as torch's ``new_style`` writes it) is read here, the
    float32 as the float64 that holds it exactly; any other goes through
    tensorboard's ``make_ndarray``.
    """
    if not tensor.tensor_shape.dim:
        dtype, content = tensor.dtype, tensor.tensor_content
        if content:
            decode = _DECODERS.get((dtype, len(content)))
            if decode is not None:
                return decode(content)[0]
        elif dtype == _DT_FLOAT and len(tensor.float_val) == 1:
            return tensor.float_val[0]
        elif dtype == _DT_DOUBLE and len(tensor.double_val) == 1:
            return tensor.double_val[0]
    from tensorboard.util import tensor_util

    try:
        array = tensor_util.make_ndarray(tensor)
    except (TypeError, ValueError, KeyError, AttributeError):  # a dtype or shape it cannot build
        return None
    if array.size != 1 or not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
        return None
    return float(array.reshape(-1)[0])


def _read_events(offsets: list[int], records: list[bytes], collector: _Collector) -> str | None:
    """Parse every record (found at ``offsets``) into ``collector``; what stopped the reading, or None.

    The loop is the reader's hot path, so it touches as few protobuf fields as
    it can: the ``simple_value`` of a tag seen with one before, and the number
    in a tensor of a tag seen as a ``scalars`` tensor before, are appended
    here; every other value goes to the collector.
    """
    from google.protobuf.message import DecodeError
    from tensorboard.compat.proto import event_pb2

    parse = event_pb2.Event.FromString
    plugins, columns, simple, tensors = collector.plugins, collector.columns, collector.simple, collector.tensors
    for offset, record in zip(offsets, records):
        try:
            event = parse(record)
        except DecodeError:
            return f"unreadable event at byte {offset}"
        values = event.summary.value
        if not values:
            collector.not_summary(event)
            continue
        step, wall_time = event.step, event.wall_time
        for value in values:
            tag = value.tag
            if tag not in plugins and value.HasField("metadata"):
                collector.metadata(tag, value.metadata)
            number = None
            if tag in tensors:
                number = _tensor_number(value.tensor)
            elif tag in simple and value.HasField("simple_value"):
                number = value.simple_value
            if number is None:
                collector.value(tag, step, wall_time, value)
            else:
                row = columns[tag]
                row[0].append(step)
                row[1].append(wall_time)
                row[2].append(number)
    return None


def read_event_file(path) -> EventFile:
    """Read one TensorBoard event file: every scalar, the hparams, what else it holds, and any damage.

    Parameters
    ----------
    path : str or Path
        An ``events.out.tfevents.*`` file.

    Returns
    -------
    EventFile
        ``scalars`` (tag -> steps, wall times, values), ``hparams``, ``other``
        (counts of non-scalar summaries by kind) and ``problem`` (None, or
        ``'empty file'``, ``'a Git LFS pointer'``, ``'truncated record at
        byte N'``, ``'bad CRC at byte N'``, ``'unreadable event at byte N'``;
        the records before the damage are kept).

    Examples
    --------
    >>> import tempfile
    >>> from torch.utils.tensorboard import SummaryWriter
    >>> folder = Path(tempfile.mkdtemp())
    >>> writer = SummaryWriter(folder)
    >>> for step in range(3):
    ...     writer.add_scalar("loss", 1.0 / (step + 1), step)
    >>> writer.close()
    >>> found = read_event_file(next(folder.glob("events.out.tfevents.*")))
    >>> steps, wall_times, values = found.scalars["loss"]
    >>> steps.tolist(), values.round(3).tolist(), found.problem
    ([0, 1, 2], [1.0, 0.5, 0.333], None)
    """
    try:
        import google_crc32c  # noqa: F401
        from tensorboard.compat.proto import event_pb2  # noqa: F401
    except ImportError as error:
        package = "google-crc32c" if "crc32c" in str(error) else "tensorboard"
        raise missing_dependency("Reading a TensorBoard event file", package, "tensorboard") from None
    path = Path(path)
    if not path.is_file():
        raise bad_value("path", "an existing TensorBoard event file (events.out.tfevents.*)", str(path),
                        got=f"{str(path)!r}, which {'is a folder' if path.is_dir() else 'does not exist'}")
    data = path.read_bytes()
    if not data:
        return EventFile(path, problem="empty file")
    if data.startswith(_LFS_POINTER):
        return EventFile(path, problem="a Git LFS pointer")
    offsets, records, problem = _frame(data)
    collector = _Collector()
    problem = _read_events(offsets, records, collector) or problem
    return collector.finish(path, problem)
