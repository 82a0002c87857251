"""Following a live run: new records within a second of their flush, none twice, none lost.

The two-process tests start a child that trains (logs) at its own pace while
this process follows the folder, as a notebook would follow a script.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
import warnings

import pandas as pd
import pytest

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.io import RunFollower, RunWriter

CHILD_TIMEOUT = 60


def append(folder, text: str) -> None:
    with open(folder / "metrics.jsonl", "a") as handle:
        handle.write(text)


def start_child(code: str, folder) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def follow_child(child, folder, *, poll):
    """Follow ``folder`` until the child's run finishes; (frame, wall time it arrived) pairs."""
    while not (folder / "meta.json").exists():  # the child creates the run
        assert child.poll() is None, child.communicate()
        time.sleep(0.01)
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a half-written line must never be read as a bad one
        for frame in vk.follow_run(folder, poll=poll, timeout=CHILD_TIMEOUT):
            seen.append((frame, time.time()))
    _, err = child.communicate(timeout=CHILD_TIMEOUT)
    assert child.returncode == 0, err
    return seen


def test_read_new_returns_what_was_flushed_since_the_last_call(tmp_path):
    writer = RunWriter(tmp_path / "run", config={"lr": 0.1}, flush_every=1)
    follower = vk.follow_run(tmp_path / "run")
    assert isinstance(follower, RunFollower)
    assert len(follower.read_new()) == 0
    writer.log(step=0, loss=1.0, acc=0.5)
    writer.log(step=0, split="val", loss=1.2)
    first = follower.read_new()
    assert first[["split", "metric", "step", "value"]].values.tolist() == [
        ["train", "acc", 0, 0.5], ["train", "loss", 0, 1.0], ["val", "loss", 0, 1.2]]
    assert list(first.columns) == list(vk.read_run(tmp_path / "run").columns)
    assert (first["lr"] == 0.1).all() and first.attrs["runs"]["run"]["status"] == "running"
    assert len(follower.read_new()) == 0  # nothing twice
    writer.log(step=1, loss=0.9)
    assert follower.read_new()[["step", "value"]].values.tolist() == [[1, 0.9]]
    writer.close()
    assert follower.status == "finished"


def test_the_frames_add_up_to_read_run(tmp_path):
    writer = RunWriter(tmp_path / "run", flush_every=7, flush_secs=None)
    follower = vk.follow_run(tmp_path / "run")
    frames = []
    for step in range(100):
        writer.log(step=step, epoch=step // 10, loss=1.0 / (step + 1))
        if step % 10 == 9:
            writer.log(step=step, epoch=step // 10, split="val", loss=2.0 / (step + 1), acc=0.5)
        if step % 13 == 0:
            frames.append(follower.read_new())
    writer.close()
    frames += list(follower)
    together = pd.concat(frames).sort_values(["run", "split", "metric", "step"], kind="stable")
    pd.testing.assert_frame_equal(together.reset_index(drop=True), vk.read_run(tmp_path / "run"),
                                  check_like=False)


def test_an_incomplete_last_line_is_held_back_until_its_newline(tmp_path):
    (tmp_path / "run").mkdir()
    folder = tmp_path / "run"
    follower = vk.follow_run(folder)
    line = json.dumps({"step": 0, "time": 100.0, "loss": 0.5}) + "\n"
    second = json.dumps({"step": 1, "time": 101.5, "loss": 0.4}) + "\n"
    append(folder, line + second[:17])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert follower.read_new()["step"].tolist() == [0]
        offset = follower.offset
        assert offset == len(line)
        assert len(follower.read_new()) == 0 and follower.offset == offset  # half a line: wait
        append(folder, second[17:])
        frame = follower.read_new()
    assert frame["step"].tolist() == [1] and frame["value"].tolist() == [0.4]
    assert frame["time"].tolist() == [1.5]  # since the first record the follower saw


def test_a_bad_line_is_warned_about_with_its_line_number_in_the_file(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    follower = vk.follow_run(folder)
    append(folder, "".join(json.dumps({"step": s, "loss": 1.0}) + "\n" for s in range(3)))
    assert len(follower.read_new()) == 3
    append(folder, '{"step": 3, "lo\n' + json.dumps({"step": 4, "loss": 1.0}) + "\n")
    with pytest.warns(UserWarning, match=r"metrics\.jsonl, line 4: skipped a line"):
        assert follower.read_new()["step"].tolist() == [4]


def test_iteration_stops_when_the_run_finishes_or_after_the_timeout(tmp_path):
    with RunWriter(tmp_path / "done") as writer:
        writer.log(step=0, loss=1.0)
    assert [frame["step"].tolist() for frame in vk.follow_run(tmp_path / "done", poll=0.01)] == [[0]]

    killed = RunWriter(tmp_path / "killed", flush_every=1)  # never closed: stays "running"
    killed.log(step=0, loss=1.0)
    start = time.monotonic()
    frames = list(vk.follow_run(tmp_path / "killed", poll=0.01, timeout=0.3))
    assert [frame["step"].tolist() for frame in frames] == [[0]]
    assert 0.3 <= time.monotonic() - start < 2


def test_follow_run_names_a_bad_argument(tmp_path):
    with pytest.raises(VizkitValueError, match=r"`path` must be an existing vizkit run folder; got '.*nope', which "
                                               r"does not exist"):
        vk.follow_run(tmp_path / "nope")
    keras = tmp_path / "log.csv"
    keras.write_text("epoch,loss\n0,1.0\n")
    with pytest.raises(VizkitValueError, match=r"which is not a folder"):
        vk.follow_run(keras)
    (tmp_path / "lightning").mkdir()
    (tmp_path / "lightning" / "metrics.csv").write_text("step,loss\n0,1.0\n")
    with pytest.raises(VizkitValueError, match=r"a lightning-csv log\. Use vizkit\.read_run\(\)"):
        vk.follow_run(tmp_path / "lightning")
    with pytest.raises(VizkitValueError, match=r"`poll` must be a number > 0"):
        vk.follow_run(tmp_path, poll=0)
    with pytest.raises(VizkitTypeError, match=r"`timeout` must be a number > 0"):
        vk.follow_run(tmp_path, timeout="1")


# ---------------------------------------------------------------- two processes
WRITER_CHILD = """
    import random, sys, time
    from vizkit.io import RunWriter

    random.seed(1)
    with RunWriter(sys.argv[1], flush_every=1, flush_secs=None) as run:
        time.sleep(0.3)
        for step in range(300):
            run.log(step=step, loss=1.0 / (step + 1), sent=time.time())  # flushed inside this call
            time.sleep(random.choice([0, 0, 0.001, 0.01, 0.05]))
            if step % 100 == 99:
                time.sleep(0.6)  # a pause, as at an epoch's validation
"""


def test_a_parent_sees_every_record_a_child_writes_within_a_second_of_its_flush(tmp_path):
    folder = tmp_path / "run"
    seen = follow_child(start_child(WRITER_CHILD, folder), folder, poll=0.2)
    sent = pd.concat([frame[frame["metric"] == "sent"].assign(arrived=arrived) for frame, arrived in seen])
    assert sorted(sent["step"]) == list(range(300))  # none lost, none twice
    latency = sent["arrived"] - sent["value"]
    assert latency.min() >= 0 and latency.max() < 1.0, latency.describe()
    assert len(seen) > 3  # it saw the run grow, not only the finished file


APPEND_CHILD = """
    import json, os, random, sys, time

    random.seed(2)
    folder = sys.argv[1]
    os.makedirs(folder)
    with open(os.path.join(folder, "meta.json.tmp"), "w") as handle:
        json.dump({"name": "raw", "status": "running"}, handle)
    os.replace(os.path.join(folder, "meta.json.tmp"), os.path.join(folder, "meta.json"))
    fd = os.open(os.path.join(folder, "metrics.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    step = 0
    for batch in range(60):
        now = time.time()
        lines = "".join(json.dumps({"step": step + i, "time": now, "sent": now}) + "\\n" for i in range(5))
        data = lines.encode()
        cut = random.randrange(1, len(data))  # a flush that lands in two writes, mid-line
        os.write(fd, data[:cut])
        time.sleep(random.choice([0, 0.002, 0.02]))
        os.write(fd, data[cut:])
        step += 5
        time.sleep(random.choice([0, 0.01, 0.05]))
    os.close(fd)
    with open(os.path.join(folder, "meta.json.tmp"), "w") as handle:
        json.dump({"name": "raw", "status": "finished"}, handle)
    os.replace(os.path.join(folder, "meta.json.tmp"), os.path.join(folder, "meta.json"))
"""


def test_lines_written_in_two_pieces_by_another_process_are_read_whole_once(tmp_path):
    folder = tmp_path / "run"
    seen = follow_child(start_child(APPEND_CHILD, folder), folder, poll=0.05)
    sent = pd.concat([frame.assign(arrived=arrived) for frame, arrived in seen])
    assert sorted(sent["step"]) == list(range(300))
    latency = sent["arrived"] - sent["value"]
    assert latency.min() >= 0 and latency.max() < 1.0, latency.describe()
    start = sent["value"].min()  # no start_time in meta: time counts from the first record
    assert (sent["time"] - (sent["value"] - start)).abs().max() < 1e-6
