"""Reading one TensorBoard event file fast: the same values as tensorboard's EventAccumulator, damage named.

Fixtures are written by the tools that write them: torch's ``SummaryWriter``
(``add_scalar``, ``add_scalars``, histograms, images, text, hparams) and, for
TF2's tensor-valued scalars (TensorFlow is not installed here), tensorboard's
own ``EventFileWriter`` with tensorboard's protobuf classes, laid out as TF2's
summary writer lays them out (a float32 scalar tensor in ``tensor_content``,
the ``scalars`` plugin metadata on a tag's first value only).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tensorboard")
pytest.importorskip("google_crc32c")

from tensorboard.backend.event_processing import event_accumulator  # noqa: E402
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2  # noqa: E402
from tensorboard.plugins.hparams import plugin_data_pb2  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402

from vizkit.io._events import EventFile, read_event_file  # noqa: E402

VALUES = [2.5, 0.1, -1e-8, 3.4e38, float("nan"), float("inf"), 1 / 3, 0.0]  # 0.1 and 1/3 are not float32


def event_file(folder: Path) -> Path:
    (path,) = folder.glob("events.out.tfevents.*")
    return path


def accumulated(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """What tensorboard's EventAccumulator reads as scalars: ``simple_value`` ones and ``scalars`` tensors."""
    accumulator = event_accumulator.EventAccumulator(str(path), size_guidance={event_accumulator.SCALARS: 0,
                                                                               event_accumulator.TENSORS: 0})
    accumulator.Reload()
    found = {tag: (np.array([e.step for e in events], dtype=np.int64),
                   np.array([e.wall_time for e in events], dtype=np.float64),
                   np.array([e.value for e in events], dtype=np.float64))
             for tag in accumulator.Tags()["scalars"] for events in [accumulator.Scalars(tag)]}
    for tag in accumulator.Tags()["tensors"]:
        events = accumulator.Tensors(tag)
        arrays = [tensor_util.make_ndarray(e.tensor_proto) for e in events]
        if accumulator.SummaryMetadata(tag).plugin_data.plugin_name == "scalars" and all(
                a.size == 1 and np.issubdtype(a.dtype, np.number) for a in arrays):  # one number each
            found[tag] = (np.array([e.step for e in events], dtype=np.int64),
                          np.array([e.wall_time for e in events], dtype=np.float64),
                          np.array([a.item() for a in arrays], dtype=np.float64))
    return found


def assert_same_scalars(found: EventFile, expected: dict) -> None:
    assert list(found.scalars) == list(expected)
    for tag, arrays in expected.items():
        for mine, theirs, dtype in zip(found.scalars[tag], arrays, (np.int64, np.float64, np.float64), strict=True):
            assert mine.dtype == dtype
            np.testing.assert_array_equal(mine, theirs, strict=True)  # bit for bit, NaN where NaN


def record_offsets(data: bytes) -> list[int]:
    """The byte offset of every tfrecord in ``data``, from the lengths alone."""
    offsets, offset = [], 0
    while offset < len(data):
        offsets.append(offset)
        offset += 16 + struct.unpack_from("<Q", data, offset)[0]
    return offsets


# ---------------------------------------------------------------- fixtures written by the tools
@pytest.fixture(scope="module")
def torch_run(tmp_path_factory) -> Path:
    """A torch SummaryWriter folder: scalars, add_scalars, a histogram, an image, text and hparams."""
    SummaryWriter = pytest.importorskip("torch.utils.tensorboard").SummaryWriter
    folder = tmp_path_factory.mktemp("torch-run")
    rng = np.random.default_rng(0)
    with SummaryWriter(str(folder)) as writer:
        for step, value in enumerate(VALUES):
            writer.add_scalar("loss/train", value, step)
            writer.add_scalar("lr", 0.1 * 0.5 ** step, step, new_style=True)  # a scalars-plugin tensor
            writer.add_scalars("acc", {"train": step / 10, "val": step / 11}, step)
        writer.add_histogram("weights", rng.standard_normal(100), 0)
        writer.add_histogram("weights", rng.standard_normal(100), 1)
        writer.add_image("sample", rng.uniform(size=(3, 4, 4)), 0)
        writer.add_text("note", "hello", 0)
        writer.add_hparams({"lr": 0.1, "optimizer": "adam", "bn": True}, {"hp/best": 0.5}, run_name="hp")
    return folder


@pytest.fixture(scope="module")
def tf2_file(tmp_path_factory) -> Path:
    """Tensor-valued scalars as TF2 writes them, by tensorboard's own EventFileWriter."""
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    folder = tmp_path_factory.mktemp("tf2-run")
    writer = EventFileWriter(str(folder))
    scalars = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))

    def add(step, tag, tensor, metadata=None):
        value = summary_pb2.Summary.Value(tag=tag, tensor=tensor, metadata=metadata)
        writer.add_event(event_pb2.Event(wall_time=1.7e9 + step / 7, step=step, summary=summary_pb2.Summary(
            value=[value])))

    scalar_shape = tensor_shape_pb2.TensorShapeProto()
    for step, value in enumerate(VALUES):
        first = scalars if step == 0 else None  # the metadata with a tag's first value only
        add(step, "epoch_loss", tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_shape=scalar_shape,
                                                       tensor_content=np.float32(value).tobytes()), first)
        add(step, "epoch_lr", tensor_pb2.TensorProto(dtype=types_pb2.DT_DOUBLE, tensor_shape=scalar_shape,
                                                     double_val=[value]), first)
        add(step, "float_val", tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, float_val=[value]), first)
        add(step, "late", tensor_util.make_tensor_proto(np.float32(value)), scalars if step == 2 else None)
    hparams = plugin_data_pb2.HParamsPluginData(session_start_info=plugin_data_pb2.SessionStartInfo())
    for name, kind, value in (("lr", "number_value", 0.001), ("optimizer", "string_value", "adam"),
                              ("augment", "bool_value", False)):
        setattr(hparams.session_start_info.hparams[name], kind, value)
    add(0, "_hparams_/session_start_info", tensor_util.make_tensor_proto(0.0),
        summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(
            plugin_name="hparams", content=hparams.SerializeToString())))
    text = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text"))
    add(0, "notes", tensor_util.make_tensor_proto("a note"), text)
    add(0, "vector", tensor_util.make_tensor_proto(np.ones(3, np.float32)), scalars)  # not one number
    writer.add_event(event_pb2.Event(step=0, graph_def=b"\x0a\x00"))
    writer.add_event(event_pb2.Event(step=3, session_log=event_pb2.SessionLog(status=event_pb2.SessionLog.START)))
    writer.close()
    return event_file(folder)


# ---------------------------------------------------------------- the same values as EventAccumulator
def test_torch_scalars_read_as_event_accumulator_reads_them(torch_run):
    path = event_file(torch_run)
    found = read_event_file(path)
    assert_same_scalars(found, accumulated(path))
    assert list(found.scalars) == ["loss/train", "lr"]
    assert found.scalars["loss/train"][2][1] == float(np.float32(0.1))  # the float32 in the file, held exactly
    assert found.problem is None and found.hparams == {}


def test_add_scalars_subfolders_read_as_event_accumulator_reads_them(torch_run):
    for key in ("train", "val"):
        path = event_file(torch_run / f"acc_{key}")
        found = read_event_file(path)
        assert_same_scalars(found, accumulated(path))
        assert list(found.scalars) == ["acc"] and len(found.scalars["acc"][0]) == len(VALUES)


def test_tensorboardx_scalars_read_as_event_accumulator_reads_them(tmp_path):
    SummaryWriter = pytest.importorskip("tensorboardX").SummaryWriter
    with SummaryWriter(str(tmp_path)) as writer:
        for step, value in enumerate(VALUES):
            writer.add_scalar("val/loss", value, step)
    found = read_event_file(event_file(tmp_path))
    assert_same_scalars(found, accumulated(event_file(tmp_path)))
    assert len(found.scalars["val/loss"][0]) == len(VALUES)


def test_other_summaries_are_counted_by_kind(torch_run):
    assert read_event_file(event_file(torch_run)).other == {"histogram": 2, "image": 1, "text": 1}


def test_add_hparams_gives_the_session_start_hparams(torch_run):
    (folder,) = [child for child in torch_run.iterdir() if child.name == "hp"]
    found = read_event_file(event_file(folder))
    assert found.hparams == {"lr": 0.1, "optimizer": "adam", "bn": True}
    assert found.other == {"hparams": 3}  # experiment, session start, session end
    assert_same_scalars(found, accumulated(event_file(folder)))


@pytest.mark.filterwarnings("ignore:The inplace keyword:Warning")  # tbparse's own pandas call
def test_tf2_tensor_scalars_read_as_event_accumulator_and_tbparse_read_them(tf2_file):
    found = read_event_file(tf2_file)
    assert_same_scalars(found, accumulated(tf2_file))
    assert sorted(found.scalars) == ["epoch_loss", "epoch_lr", "float_val", "late"]
    assert found.scalars["epoch_lr"][2][1] == 0.1  # a float64 tensor stays float64
    tbparse = pytest.importorskip("tbparse")
    frame = tbparse.SummaryReader(str(tf2_file), extra_columns={"wall_time"}).tensors
    for tag, (steps, wall_times, values) in found.scalars.items():
        rows = frame[frame["tag"] == tag]
        np.testing.assert_array_equal(steps, rows["step"].to_numpy(np.int64), strict=True)
        np.testing.assert_array_equal(wall_times, rows["wall_time"].to_numpy(np.float64), strict=True)
        np.testing.assert_array_equal(values, rows["value"].to_numpy(np.float64), strict=True)


def test_an_int64_scalar_tensor_reads_as_make_ndarray_gives_it(tmp_path):
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    writer = EventFileWriter(str(tmp_path))
    scalars = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))
    for step in range(3):
        value = summary_pb2.Summary.Value(tag="seen", tensor=tensor_util.make_tensor_proto(np.int64(2 ** 40 + step)),
                                          metadata=scalars if step == 0 else None)
        writer.add_event(event_pb2.Event(wall_time=1.7e9, step=step, summary=summary_pb2.Summary(value=[value])))
    writer.close()
    found = read_event_file(event_file(tmp_path))
    assert_same_scalars(found, accumulated(event_file(tmp_path)))
    assert found.scalars["seen"][2].tolist() == [2.0 ** 40, 2.0 ** 40 + 1, 2.0 ** 40 + 2]


def test_tf2_hparams_and_other_records_are_counted_and_a_restart_purges_nothing(tf2_file):
    found = read_event_file(tf2_file)
    assert found.hparams == {"lr": 0.001, "optimizer": "adam", "augment": False}
    assert found.other == {"hparams": 1, "text": 1, "tensor": 1, "graph": 1, "session_start": 1}
    assert len(found.scalars["epoch_loss"][0]) == len(VALUES)  # EventAccumulator's purge is the caller's choice


# ---------------------------------------------------------------- damage
@pytest.fixture
def torch_bytes(torch_run) -> bytes:
    return event_file(torch_run).read_bytes()


def test_a_truncated_last_record_is_named_and_the_records_before_it_kept(torch_bytes, tmp_path):
    last = record_offsets(torch_bytes)[-1]
    path = tmp_path / "events.out.tfevents.cut"
    path.write_bytes(torch_bytes[:last + 20])
    found = read_event_file(path)
    assert found.problem == f"truncated record at byte {last}"
    assert_same_scalars(found, accumulated(path))
    assert found.other == {"histogram": 2, "image": 1}  # the text was the last record


@pytest.mark.parametrize("where", ["length", "event", "event's CRC"])
def test_a_flipped_byte_is_a_bad_crc_at_its_record(torch_bytes, tmp_path, where):
    offsets = record_offsets(torch_bytes)
    middle = len(offsets) // 2
    damaged = offsets[middle]
    flip = {"length": damaged + 1, "event": damaged + 14, "event's CRC": offsets[middle + 1] - 1}[where]
    data = bytearray(torch_bytes)
    data[flip] ^= 0x40
    path = tmp_path / "events.out.tfevents.flipped"
    path.write_bytes(bytes(data))
    found = read_event_file(path)
    assert found.problem == f"bad CRC at byte {damaged}"
    whole = tmp_path / "events.out.tfevents.before"
    whole.write_bytes(torch_bytes[:damaged])
    assert_same_scalars(found, accumulated(whole))
    assert 0 < len(found.scalars["loss/train"][0]) < len(VALUES)


def test_an_empty_file_and_a_git_lfs_pointer_say_so(tmp_path):
    empty = tmp_path / "events.out.tfevents.empty"
    empty.write_bytes(b"")
    pointer = tmp_path / "events.out.tfevents.lfs"
    pointer.write_text("version https://git-lfs.github.com/spec/v1\n"
                       "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 1234567\n")
    for path, problem in ((empty, "empty file"), (pointer, "a Git LFS pointer")):
        found = read_event_file(path)
        assert (found.scalars, found.hparams, found.other, found.problem) == ({}, {}, {}, problem)
        assert found.path == path


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_a_path_that_is_not_a_file_is_refused_by_name(tmp_path, kind):
    from vizkit.errors import VizkitValueError

    path = tmp_path / "events.out.tfevents.gone" if kind == "missing" else tmp_path
    with pytest.raises(VizkitValueError, match="`path` must be an existing TensorBoard event file") as error:
        read_event_file(path)
    assert str(path) in str(error.value)
