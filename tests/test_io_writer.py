"""The run-log writer: the format on disk, flush policies, resume, bad input and a full disk."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
import warnings

import numpy as np
import pytest

import vizkit as vk
from vizkit.errors import VizkitError
from vizkit.io import RunWriter, read_arrays


def lines_of(run_dir):
    return (run_dir / "metrics.jsonl").read_text().splitlines()


def meta_of(run_dir):
    return json.loads((run_dir / "meta.json").read_text())


def test_a_run_is_a_folder_of_json_lines_and_meta(tmp_path):
    with RunWriter(tmp_path / "run", config={"lr": 0.01, "model": {"hidden": 64}}) as run:
        assert meta_of(run.path)["status"] == "running"
        run.log(step=0, epoch=0, loss=0.9, acc=np.float32(0.5))
        run.log(step=0, epoch=0, split="val", loss=1.1)
        run.log(loss=0.8)  # next step
    records = [json.loads(line) for line in lines_of(tmp_path / "run")]
    assert records[0] == {"step": 0, "epoch": 0, "split": "train", "time": records[0]["time"], "loss": 0.9, "acc": 0.5}
    assert records[1]["split"] == "val"
    assert records[2]["step"] == 1 and "epoch" not in records[2]
    meta = meta_of(tmp_path / "run")
    assert meta["format"] == "vizkit-run/1"
    assert meta["status"] == "finished" and meta["end_time"]
    assert meta["config"] == {"lr": 0.01, "model": {"hidden": 64}}
    assert meta["name"] == "run" and len(meta["attempts"]) == 1
    assert not list((tmp_path / "run").glob(".*tmp"))  # atomic writes leave no temp files


def test_an_exception_inside_the_run_marks_it_crashed(tmp_path):
    with pytest.raises(RuntimeError):
        with RunWriter(tmp_path) as run:
            run.log(loss=1.0)
            raise RuntimeError("diverged")
    assert meta_of(tmp_path)["status"] == "crashed"
    assert len(lines_of(tmp_path)) == 1  # what was logged before the exception is on disk


def test_non_finite_values_are_logged_flagged_and_warned_once(tmp_path):
    with pytest.warns(UserWarning, match=r"metric `loss` \(train\) is nan at step 1") as caught:
        with RunWriter(tmp_path) as run:
            run.log(loss=1.0)
            run.log(loss=float("nan"))
            run.log(loss=float("inf"))
            run.log(loss=-float("inf"), acc=0.5)
    assert len([w for w in caught if "non-finite" in str(w.message)]) == 1
    records = [json.loads(line) for line in lines_of(tmp_path)]  # strict JSON: no NaN tokens
    assert [r["_nonfinite"]["loss"] for r in records[1:]] == ["NaN", "Infinity", "-Infinity"]
    assert all(r["loss"] is None for r in records[1:])
    assert meta_of(tmp_path)["nonfinite"] == {"loss": {"count": 3, "first_step": 1}}
    frame = vk.read_run(tmp_path)
    values = frame.loc[frame.metric == "loss", "value"].tolist()
    assert values[0] == 1.0 and np.isnan(values[1]) and values[2:] == [np.inf, -np.inf]


@pytest.mark.parametrize("bad, message", [
    ("0.3", r"`loss` must be a number \(metric value\); got '0.3' \(str\)"),
    (True, r"`loss` must be a number"),
    ([0.1], r"`loss` must be a number"),
    (None, r"`loss` must be a number"),
    (np.timedelta64(5, "s"), r"`loss` must be a number \(metric value\); got np.timedelta64\(5,'s'\).*Durations"),
    (np.datetime64("2026-01-01"), r"`loss` must be a number \(metric value\).*dates"),
])
def test_a_non_numeric_metric_raises_a_type_error_naming_it(tmp_path, bad, message):
    with RunWriter(tmp_path) as run:
        with pytest.raises(VizkitError, match=message):
            run.log(loss=bad)
        run.log(loss=1.0)
    assert vk.read_run(tmp_path).value.tolist() == [1.0]  # nothing of the refused call was logged


@pytest.mark.parametrize("bad, message", [
    (10**400, r"`loss` must be a number within float64's range.*; got an int of 1329 bits"),
    (-(2**1024), r"`loss` must be a number within float64's range"),
    (np.longdouble(10) ** 400, r"`loss` must be a number within float64's range"),
])
def test_a_number_past_float64_is_refused_not_an_overflow_error(tmp_path, bad, message):
    with RunWriter(tmp_path) as run:
        with pytest.raises(VizkitError, match=message):
            run.log(loss=bad)


@pytest.mark.parametrize("kwargs, message", [
    ({"step": 1.5, "loss": 1.0}, r"`step` must be an int; got 1.5 \(float\)"),
    ({"step": -1, "loss": 1.0}, r"`step` must be an int >= 0 and <= 2\*\*63 - 1; got -1"),
    ({"step": 2**63, "loss": 1.0}, r"`step` must be an int >= 0 and <= 2\*\*63 - 1; got 9223372036854775808.*int64"),
    ({"step": np.uint64(2**64 - 1), "loss": 1.0}, r"`step` must be an int >= 0 and <= 2\*\*63 - 1"),
    ({"step": 10**5000, "loss": 1.0}, r"`step` must be an int >= 0 and <= 2\*\*63 - 1; got an int of 16610 bits"),
    ({"epoch": 2**64, "loss": 1.0}, r"`epoch` must be an int >= 0 and <= 2\*\*63 - 1"),
    ({"step": np.timedelta64(3), "loss": 1.0}, r"`step` must be an int; got np.timedelta64"),
    ({"split": "val\udcff", "loss": 1.0}, r"`split` must be valid Unicode text; got 'val\\udcff' \(str\).*surrogate"),
    ({"lo\ud800ss": 1.0}, r"`metric name` must be valid Unicode text; got 'lo\\ud800ss'.*surrogate"),
    ({"epoch": "1", "loss": 1.0}, r"`epoch` must be an int"),
    ({"split": "", "loss": 1.0}, r"`split` must be a non-empty str"),
    ({"time": 3.0}, r"`time` must be a metric name that is not reserved"),
    ({"_hidden": 3.0}, r"`_hidden` must be a metric name that is not reserved"),
    ({}, r"`metrics` must be at least one metric keyword"),
])
def test_bad_log_calls_name_the_argument(tmp_path, kwargs, message):
    with RunWriter(tmp_path) as run:
        with pytest.raises(VizkitError, match=message):
            run.log(**kwargs)


def test_bad_writer_arguments_fail_at_construction(tmp_path):
    with pytest.raises(TypeError, match=r"`flush_every` must be a positive int; got 0.5"):
        RunWriter(tmp_path / "a", flush_every=0.5)
    with pytest.raises(ValueError, match=r"`flush_secs` must be a positive number of seconds or None; got -1"):
        RunWriter(tmp_path / "b", flush_secs=-1)
    with pytest.raises(ValueError, match=r"`config` must be JSON-serialisable values"):
        RunWriter(tmp_path / "c", config={"loss_fn": object()})


def test_an_unwritable_path_fails_at_construction_not_at_the_first_flush(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError, match=r"`path` cannot be created as a run folder"):
        RunWriter(blocker / "run")


def test_a_folder_holding_a_run_needs_resume(tmp_path):
    with RunWriter(tmp_path) as run:
        run.log(loss=1.0)
    with pytest.raises(ValueError, match=r"`path` must be a new folder, or resume=True.*already holds a run log"):
        RunWriter(tmp_path)


def test_a_metric_that_first_appears_mid_run_never_rewrites_written_bytes(tmp_path):
    with RunWriter(tmp_path) as run:
        for step in range(100):
            run.log(step=step, loss=1.0 / (step + 1))
        run.flush()
        before = (tmp_path / "metrics.jsonl").read_bytes()
        run.log(step=100, loss=0.01, grad_norm=3.0)
    after = (tmp_path / "metrics.jsonl").read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    assert set(vk.read_run(tmp_path).metric) == {"loss", "grad_norm"}


def test_flush_every_one_writes_each_record_before_log_returns(tmp_path):
    with RunWriter(tmp_path, flush_every=1, flush_secs=None) as run:
        for step in range(5):
            run.log(step=step, loss=float(step))
            assert len(lines_of(tmp_path)) == step + 1


def test_the_default_policy_buffers_and_the_timer_flushes_within_its_period(tmp_path):
    with RunWriter(tmp_path, flush_secs=0.3) as run:
        run.log(loss=1.0)
        assert lines_of(tmp_path) == []  # buffered
        deadline = time.monotonic() + 2.0
        while not lines_of(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(lines_of(tmp_path)) == 1  # written by the timer, with no further log() call


def test_resume_supersedes_the_dead_attempts_records_from_the_restart_step(tmp_path):
    run = RunWriter(tmp_path, config={"lr": 0.1})
    for step in range(150):
        run.log(step=step, loss=1.0)
    run.flush()  # attempt 1 dies at step 149 without closing; its last checkpoint was step 100
    with RunWriter(tmp_path, resume=True) as again:
        assert again.step == 149
        for step in range(100, 120):
            again.log(step=step, loss=0.5)
    frame = vk.read_run(tmp_path)
    assert frame.step.tolist() == list(range(120))  # each step once; 120..149 of the dead attempt are gone
    assert (frame.set_index("step").value.loc[100:] == 0.5).all()
    assert (frame.set_index("step").value.loc[:99] == 1.0).all()
    meta = meta_of(tmp_path)
    assert len(meta["attempts"]) == 2 and meta["config"] == {"lr": 0.1}


def test_resume_after_a_torn_line_keeps_every_byte_and_the_reader_skips_the_torn_line(tmp_path):
    with RunWriter(tmp_path) as run:
        for step in range(10):
            run.log(step=step, loss=1.0)
    with open(tmp_path / "metrics.jsonl", "ab") as handle:
        handle.write(b'{"step":10,"split":"tr')  # a torn tail
    before = (tmp_path / "metrics.jsonl").read_bytes()
    with RunWriter(tmp_path, resume=True) as run:
        run.log(step=10, loss=0.5)
    assert (tmp_path / "metrics.jsonl").read_bytes().startswith(before)
    with pytest.warns(UserWarning, match=r"metrics.jsonl.*line 11"):
        frame = vk.read_run(tmp_path)
    assert frame.step.tolist() == list(range(11))


def test_arrays_are_saved_as_npz_without_pickle(tmp_path):
    with RunWriter(tmp_path) as run:
        run.log(step=3, loss=1.0)
        run.log_array("conv1", maps=np.arange(12.0).reshape(3, 4))
        run.log_array("conv1", step=7, maps=np.zeros((3, 4)))
        with pytest.raises(TypeError, match=r"`maps` must be a numeric array"):
            run.log_array("bad", maps=np.array([object()]))
    saved = read_arrays(tmp_path, "conv1")
    assert list(saved) == [3, 7] and saved[3]["maps"].shape == (3, 4)
    with pytest.raises(ValueError, match=r"saved: 'conv1'"):
        read_arrays(tmp_path, "conv2")


FULL_DISK_CHILD = textwrap.dedent("""
    import resource, signal, sys, warnings
    from vizkit.io import RunWriter
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # writes past the limit fail with EFBIG, like a full disk
    run = RunWriter(sys.argv[1], flush_every=50)     # meta.json is written before the limit applies
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for step in range(2_000):                    # ~100 kB of records: the "disk" fills up early
            run.log(step=step, loss=step / 7)
        run.flush()
    print(sum("cannot write" in str(w.message) for w in caught), "warnings;", "training went on to", run.step)
    """)


def test_a_full_disk_warns_once_training_goes_on_and_written_lines_stay_whole(tmp_path):
    result = subprocess.run([sys.executable, "-c", FULL_DISK_CHILD, str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 warnings; training went on to 1999"
    raw = (tmp_path / "metrics.jsonl").read_bytes()
    assert 0 < len(raw) <= 20_000 and raw.endswith(b"\n")  # partial batches were cut back: no torn line
    steps = [json.loads(line)["step"] for line in raw.splitlines()]
    assert steps == list(range(len(steps)))  # everything that was written is intact and in order
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clean file: the reader has nothing to warn about
        assert vk.read_run(tmp_path).step.tolist() == steps
