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

import numpy as np
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


RESUMING_CHILD = textwrap.dedent("""
    import sys, time
    from vizkit.errors import VizkitError
    from vizkit.io import RunWriter
    folder, first, flush_every = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3])
    run = RunWriter(folder, resume=not first, flush_every=flush_every, flush_secs=0.05)
    refused = 0
    for bad in ({"lo\\udcffss": 1.0}, {"loss": 10**400}):  # refused at log(): nothing of them is written
        try:
            run.log(**bad)
        except VizkitError:
            refused += 1
    print("refused", refused, "from", run.step, flush=True)
    while True:
        for _ in range(20):
            step = START if run.step < 0 else run.step + 1  # after a resume: the step after the last on disk
            run.log(step=step, epoch=step // 1000, loss=step % 1000 / 7)
        run.log(step=run.step, split="val", **{NAME % i: run.step % 997 / 997 for i in range(1000)})  # ~100 KB
        run.flush()
        print(run.step, flush=True)  # everything up to here is on disk
        time.sleep(0.05)
    """).replace("START", str(2**53 - 10)).replace("NAME", repr("per_class_acc/%04d_" + "n" * 70))


def test_wide_lines_power_cut_tails_and_steps_past_2_53_survive_kills_and_resumes(tmp_path):
    """Three attempts of one run, each killed with SIGKILL, the file sometimes left with a power cut's NUL tail.

    Each attempt resumes after the last record on disk, whatever its width and whatever damage follows it; two
    followers read the run meanwhile (the second from the second attempt on). At the end read_run holds every
    acknowledged record once, exactly, and each follower saw each of them once.
    """
    rng = random.Random(11)
    followers, followed, acknowledged = [vk.follow_run(tmp_path)], {0: [], 1: []}, 0
    for attempt in range(3):
        if attempt == 1:
            followers.append(vk.follow_run(tmp_path))
        child = subprocess.Popen([sys.executable, "-c", RESUMING_CHILD, str(tmp_path), str(int(attempt == 0)),
                                  str(rng.choice([1, 64, 1000]))], stdout=subprocess.PIPE, text=True)
        refused, resumed_from = child.stdout.readline().split()[1::2]
        assert refused == "2"
        assert attempt == 0 or int(resumed_from) >= acknowledged  # resume never restarts before what was on disk
        acknowledged = max(acknowledged, int(child.stdout.readline()))  # the first flush: the child is logging
        deadline = time.monotonic() + rng.uniform(0.1, 0.5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the NUL line of an earlier power cut, named: checked below
            while time.monotonic() < deadline:
                for number, follower in enumerate(followers):
                    followed[number].append(follower.read_new())
                time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        remaining, _ = child.communicate(timeout=30)
        acknowledged = max([acknowledged, *(int(line) for line in remaining.split())])
        if rng.random() < 0.5:
            with open(tmp_path / "metrics.jsonl", "ab") as handle:  # a power cut: the size grew, the data never came
                handle.write(b"\0" * rng.randint(70_000, 150_000))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = vk.read_run(tmp_path)
        for number, follower in enumerate(followers):
            followed[number].append(follower.read_new())
    assert all("line" in str(w.message) for w in caught)  # only damage is warned about, by line
    loss = frame[frame.metric == "loss"]
    steps = loss.step.to_numpy()
    assert steps[0] == 2**53 - 10 and (np.diff(steps) == 1).all()  # exact int64 steps: no gap, nothing twice
    assert steps[-1] >= acknowledged > 2**53
    assert (loss.value.to_numpy() == (steps % 1000) / 7).all() and (loss.epoch.to_numpy() == steps // 1000).all()
    wide = frame[frame.split == "val"]
    assert wide.metric.nunique() == 1000 and (wide.value.to_numpy() == wide.step.to_numpy() % 997 / 997).all()
    assert "lo\udcffss" not in set(frame.metric)
    for parts in followed.values():
        seen = [(row.split, row.metric, row.step) for part in parts for row in part.itertuples()]
        assert len(seen) == len(set(seen)) == len(frame)  # each follower saw every record once
        assert sorted(seen) == sorted(zip(frame.split, frame.metric, frame.step))
