"""The run log never loses what it acknowledged (issue 11, section 4), and says what it refuses.

Each test writes a run with RunWriter (or damages one the way a crash or a
hand-written file would), then reads it back with read_run / follow_run and
compares with what was logged.
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import pandas as pd
import pytest

import vizkit as vk
from vizkit.errors import VizkitError
from vizkit.io import RunWriter


def caught_warnings(read, *args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read(*args)
    return result, [str(w.message) for w in caught]


def records_of(frame):
    """{(split, step): {metric: value}} of a read_run frame."""
    out = {}
    for row in frame.itertuples():
        out.setdefault((row.split, row.step), {})[row.metric] = row.value
    return out


# ---------------------------------------------------------------- 4.1 resume finds the last step
def test_resume_after_a_90_kb_last_record_continues_after_it(tmp_path):
    per_class = {f"acc_class_{i:04d}": float(v) for i, v in enumerate(np.random.default_rng(0).random(3000))}
    with RunWriter(tmp_path) as run:
        for step in range(99):
            run.log(step=step, loss=1.0 / (step + 1))
        run.log(step=99, split="val", **per_class)  # 3 000 per-class metrics: one ~100 KB line
    assert len((tmp_path / "metrics.jsonl").read_bytes().splitlines()[-1]) > 90_000
    with RunWriter(tmp_path, resume=True) as run:
        assert run.step == 99
        run.log(loss=0.5)  # the next step, 100
    frame = vk.read_run(tmp_path)
    got = records_of(frame)
    assert len(got) == 101
    assert got[("val", 99)] == per_class and got[("train", 100)] == {"loss": 0.5}
    assert [got[("train", s)]["loss"] for s in range(99)] == [1.0 / (s + 1) for s in range(99)]


def test_resume_after_a_power_cut_s_100_kib_nul_tail_continues_after_the_last_record(tmp_path):
    with RunWriter(tmp_path) as run:
        for step in range(209):
            run.log(step=step, loss=float(step))
    with open(tmp_path / "metrics.jsonl", "ab") as handle:
        handle.write(b"\0" * (100 * 1024))  # the file grew, its data never reached the disk
    with RunWriter(tmp_path, resume=True) as run:
        assert run.step == 208
        run.log(loss=209.0)
    frame, caught = caught_warnings(vk.read_run, tmp_path)
    assert frame.step.tolist() == list(range(210)) and frame.value.tolist() == [float(s) for s in range(210)]
    assert any("metrics.jsonl, line 210" in message for message in caught)  # the NUL line, named


def test_resume_of_a_log_holding_only_damage_starts_at_step_0_and_keeps_every_byte(tmp_path):
    (tmp_path / "metrics.jsonl").write_bytes(b'{"_attempt": 2}\nnot json\n' + b"\0" * 70_000)
    before = (tmp_path / "metrics.jsonl").read_bytes()
    with RunWriter(tmp_path, resume=True) as run:
        assert run.step == -1
        run.log(loss=1.0)
    assert (tmp_path / "metrics.jsonl").read_bytes().startswith(before)
    frame, _ = caught_warnings(vk.read_run, tmp_path)
    assert frame.step.tolist() == [0]


def test_resume_finds_a_step_behind_wide_lines_that_have_none(tmp_path):
    """Lines without a step (attempt markers, damage) wider than every block read at once."""
    with RunWriter(tmp_path) as run:
        run.log(step=7, loss=1.0)
    with open(tmp_path / "metrics.jsonl", "ab") as handle:
        handle.write(b"x" * 200_000 + b"\n" + b'{"_attempt": 2, "time": 1.0}\n' + b"y" * 70_000)
    with RunWriter(tmp_path, resume=True) as run:
        assert run.step == 7


# ---------------------------------------------------------------- 4.4 steps are int64, exactly
BIG = [2**53 - 1, 2**53, 2**53 + 1, 2**62 + 3, 2**63 - 2, 2**63 - 1]


def test_steps_and_epochs_beyond_2_53_read_back_exactly(tmp_path):
    with RunWriter(tmp_path) as run:
        for step in BIG:
            run.log(step=step, epoch=step, loss=1.0)
    frame = vk.read_run(tmp_path)
    assert frame.step.tolist() == BIG and frame.epoch.tolist() == BIG
    assert vk.follow_run(tmp_path).read_new().step.tolist() == BIG


def test_a_resume_after_step_2_63_minus_2_logs_2_63_minus_1_then_refuses_the_next(tmp_path):
    with RunWriter(tmp_path) as run:
        run.log(step=2**63 - 2, loss=1.0)
    with RunWriter(tmp_path, resume=True) as run:
        run.log(loss=2.0)
        with pytest.raises(VizkitError, match=r"`step` must be an int >= 0 and <= 2\*\*63 - 1"):
            run.log(loss=3.0)
    assert vk.read_run(tmp_path).step.tolist() == [2**63 - 2, 2**63 - 1]


def test_a_step_that_is_not_an_int64_in_the_file_is_skipped_with_a_warning_naming_file_and_line(tmp_path):
    lines = ['{"step": 0, "loss": 1.0}', '{"step": true, "loss": 2.0}', '{"step": 5.7, "loss": 3.0}',
             '{"step": 9223372036854775808, "loss": 4.0}', '{"step": "6", "loss": 5.0}',
             '{"step": 7, "epoch": 0.5, "loss": 6.0}', '{"step": 8.0, "epoch": 1.0, "loss": 7.0}']
    (tmp_path / "metrics.jsonl").write_text("\n".join(lines) + "\n")
    frame, caught = caught_warnings(vk.read_run, tmp_path)
    assert frame.step.tolist() == [0, 7, 8] and frame.value.tolist() == [1.0, 6.0, 7.0]  # 8.0 is step 8
    assert frame.epoch.tolist()[1:] == [pd.NA, 1]  # the epoch 0.5 is not read as 0
    for line, shown in [(2, "true"), (3, "5.7"), (4, "9223372036854775808"), (5, "'6'")]:
        assert any(f"metrics.jsonl, line {line}: skipped a record whose `step` is {shown}" in m for m in caught), line
    assert any("metrics.jsonl, line 6: read a record without its `epoch`, 0.5" in m for m in caught)
    follower = vk.follow_run(tmp_path)
    frame, caught_again = caught_warnings(follower.read_new)
    assert frame.step.tolist() == [0, 7, 8] and len(caught_again) == len(caught) == 5


# ---------------------------------------------------------------- 4.3 names without a UTF-8 form
SURROGATE_RUN = (b'{"step": 0, "split": "train", "loss": 1.0}\n'
                 b'{"step": 1, "split": "train", "lo\\udcffss": 2.0}\n'
                 b'{"step": 1, "split": "v\\ud800al", "loss": 3.0}\n'
                 b'{"step": 2, "split": "train", "acc\xff": 4.0}\n')  # invalid UTF-8, not an escape


@pytest.mark.parametrize("read", [vk.read_run, lambda path: vk.follow_run(path).read_new()],
                         ids=["read_run", "follow_run"])
def test_a_run_already_holding_lone_surrogates_is_read_with_the_names_escaped(tmp_path, read):
    (tmp_path / "metrics.jsonl").write_bytes(SURROGATE_RUN)
    frame, caught = caught_warnings(read, tmp_path)
    got = records_of(frame)
    assert got == {("train", 0): {"loss": 1.0}, ("train", 1): {"lo\\udcffss": 2.0},
                   ("v\\ud800al", 1): {"loss": 3.0}, ("train", 2): {"acc\\udcff": 4.0}}
    assert any("line 2: read the name `lo\\udcffss` with its invalid characters escaped" in m for m in caught)
    assert any("line 3: read the name `v\\ud800al`" in m for m in caught)
    assert any("line 4: read the name `acc\\udcff`" in m for m in caught)


def test_log_refuses_a_lone_surrogate_and_the_run_stays_readable(tmp_path):
    with RunWriter(tmp_path) as run:
        run.log(step=0, loss=1.0)
        with pytest.raises(VizkitError, match=r"`metric name` must be valid Unicode text"):
            run.log(step=1, **{"lo\udcffss": 2.0})
        with pytest.raises(VizkitError, match=r"`split` must be valid Unicode text"):
            run.log(step=1, split="v\ud800al", loss=2.0)
        run.log(step=1, **{"loss 😀": 3.0})  # a surrogate pair is a character: fine
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert records_of(vk.read_run(tmp_path)) == {("train", 0): {"loss": 1.0}, ("train", 1): {"loss 😀": 3.0}}


def test_a_run_in_a_folder_whose_name_is_not_utf8_is_written_and_read_with_the_byte_escaped(tmp_path):
    folder = tmp_path / os.fsdecode(b"run\xff")  # a name from another system's encoding
    with RunWriter(folder) as run:
        run.log(loss=1.0)
        with pytest.raises(VizkitError, match=r"`name` must be valid Unicode text"):
            RunWriter(tmp_path / "other", name="run\udcff")
    assert json.loads((folder / "meta.json").read_text())["name"] == "run\\udcff"
    assert vk.read_run(folder).run.tolist() == ["run\\udcff"]
    (folder / "meta.json").write_text(json.dumps({"name": "a\udcff", "status": "finished", "config": {"k": "v\ud800"}}))
    with pytest.warns(UserWarning, match=r"meta.json holds text that is not valid Unicode"):
        frame = vk.read_run(folder)
    assert frame.run.tolist() == ["a\\udcff"] and frame.k.tolist() == ["v\\ud800"]


# ---------------------------------------------------------------- 4.5 a finished run without its records
def _finished_without_metrics(folder):
    folder.mkdir()
    with RunWriter(folder) as run:
        run.log(loss=1.0)
    (folder / "metrics.jsonl").unlink()  # e.g. a copy that left *.jsonl behind


def test_read_run_of_a_finished_run_without_metrics_jsonl_names_the_file(tmp_path):
    _finished_without_metrics(tmp_path / "run")
    with pytest.raises(VizkitError, match=r"run/metrics\.jsonl does not exist \(its meta.json says the run is "
                                          r"'finished'\), so no records came back"):
        vk.read_run(tmp_path / "run")


def test_read_runs_warns_about_a_finished_run_without_metrics_jsonl_and_reads_the_others(tmp_path):
    _finished_without_metrics(tmp_path / "a")
    with RunWriter(tmp_path / "b") as run:
        run.log(loss=2.0)
    frame, caught = caught_warnings(vk.read_runs, tmp_path)
    assert frame.run.tolist() == ["b"]
    assert any("a/metrics.jsonl does not exist" in m and "so no records came back" in m for m in caught)


def test_a_running_run_that_has_not_written_yet_reads_as_empty_without_a_word(tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps({"format": "vizkit-run/1", "status": "running"}))
    frame, caught = caught_warnings(vk.read_run, tmp_path)
    assert len(frame) == 0 and caught == []


def test_whole_float_steps_below_2_53_are_read_as_the_integers_they_are(tmp_path):
    (tmp_path / "metrics.jsonl").write_text('{"step": 0.0, "epoch": 0, "loss": 1.0}\n{"step": 1.0, "loss": 2.0}\n'
                                            '{"step": 9007199254740993, "loss": 3.0}\n')
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = vk.read_run(tmp_path)
    assert frame.step.tolist() == [0, 1, 2**53 + 1] and frame.epoch.tolist()[0] == 0
    with open(tmp_path / "metrics.jsonl", "a") as handle:
        handle.write('{"step": 2.0, "loss": 4.0}\n')
    with RunWriter(tmp_path, resume=True) as run:  # resume takes the last step as readers do
        assert run.step == 2
