"""Crash safety: a child logs at full speed and is killed with SIGKILL at random moments.

Every record the child saw flushed before the kill must be read back, a torn
last line is skipped with a warning naming the file and line, and nothing
already written is ever rewritten (a metric that first appears mid-run included).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import pytest

import vizkit as vk

KILLS = 24

CHILD = textwrap.dedent("""
    import sys
    from vizkit.io import RunWriter
    run = RunWriter(sys.argv[1], flush_every=int(sys.argv[2]), flush_secs=0.05)
    step = 0
    while True:
        metrics = {"loss": 1.0 / (step + 1)}
        if step >= 3000:
            metrics["lr"] = 0.1  # a metric that first appears mid-run
        run.log(step=step, epoch=step // 1000, **metrics)
        if step % 997 == 0:
            run.flush()
            print(step, flush=True)  # everything up to `step` is on disk now
        step += 1
    """)


def _kill_once(run_dir, flush_every, delay):
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(run_dir), str(flush_every)],
                             stdout=subprocess.PIPE, text=True)
    flushed = int(child.stdout.readline())  # the first flush: the child is logging
    deadline = time.monotonic() + delay
    snapshots = []
    while time.monotonic() < deadline:
        snapshots.append((run_dir / "metrics.jsonl").read_bytes())
        time.sleep(delay / 4)
    child.send_signal(signal.SIGKILL)
    remaining, _ = child.communicate(timeout=30)
    reported = [int(line) for line in remaining.split()]
    return max([flushed, *reported]), snapshots


def test_records_flushed_before_sigkill_survive_and_written_bytes_never_change(tmp_path):
    rng = random.Random(6)
    torn = recovered = 0
    for attempt in range(KILLS):
        run_dir = tmp_path / f"kill{attempt}"
        flush_every = rng.choice([1, 64, 1000])
        last_flushed, snapshots = _kill_once(run_dir, flush_every, rng.uniform(0.02, 0.4))
        raw = (run_dir / "metrics.jsonl").read_bytes()
        for earlier in snapshots:  # appended only: every byte seen earlier is still there
            assert raw.startswith(earlier)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = vk.read_run(run_dir)
        if not raw.endswith(b"\n"):
            torn += 1
            assert any("metrics.jsonl" in str(w.message) and "line" in str(w.message) for w in caught)
        loss = frame[frame.metric == "loss"]
        steps = loss.step.to_numpy()
        assert steps[0] == 0 and (steps[1:] - steps[:-1] == 1).all()  # no gaps, nothing twice
        assert steps[-1] >= last_flushed, f"flushed step {last_flushed} lost (flush_every={flush_every})"
        assert (loss.value.to_numpy() == 1.0 / (steps + 1)).all()
        if steps[-1] >= 3000:
            assert frame[frame.metric == "lr"].step.min() == 3000
        recovered += len(steps)
        assert json.loads((run_dir / "meta.json").read_text())["status"] == "running"  # SIGKILL: no chance to close
    print(f"{KILLS} kills, {recovered} records read back, {torn} torn last lines")


def test_a_torn_last_line_is_skipped_with_a_warning_naming_file_and_line(tmp_path):
    with vk.io.RunWriter(tmp_path) as run:
        for step in range(3):
            run.log(step=step, loss=1.0)
    with open(tmp_path / "metrics.jsonl", "ab") as handle:
        handle.write(b'{"step": 3, "split": "train", "lo')
    with pytest.warns(UserWarning, match=r"metrics\.jsonl.*line 4"):
        frame = vk.read_run(tmp_path)
    assert frame.step.tolist() == [0, 1, 2]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX system")
def test_the_default_policy_loses_at_most_its_flush_period(tmp_path):
    """Default flush_secs=1: a record logged more than 1 s before the kill is on disk."""
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from vizkit.io import RunWriter
        run = RunWriter(sys.argv[1])          # the defaults: flush_every=1000, flush_secs=1.0
        run.log(step=0, loss=1.0)
        print("logged", flush=True)
        time.sleep(60)                        # no more log() calls: only the timer can flush
        """), str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "logged"
    time.sleep(1.5)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    assert vk.read_run(tmp_path).step.tolist() == [0]
