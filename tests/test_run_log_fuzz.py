"""Property test of the run log: read_run returns exactly the records log() acknowledged.

Random attempts of one run (resumed with or without an explicit restart step),
random records (names of any text, lone surrogates included, which log()
must refuse; very wide lines; steps and epochs near 2**53 and 2**63; NaN and
inf values), random flush points, and random damage between attempts (a torn
line, a power cut's NUL tail). The expected frame is built from the
acknowledged records with the supersession rule of docs/run_format.md.
``make test`` tries a few derandomized examples; ``make fuzz`` many random ones.
"""

from __future__ import annotations

import json
import math
import warnings

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from tests.fuzzing import fuzz_settings
from vizkit.errors import VizkitError
from vizkit.io import RunWriter

SURROGATE = "\udcff"
RESERVED = {"step", "epoch", "split", "time"}

names = st.one_of(
    st.sampled_from(["loss", "acc", "val/loss", "lr", "loss 😀", "acc" + SURROGATE, "ĉu"]),
    st.text(min_size=1, max_size=8).filter(lambda name: name not in RESERVED and not name.startswith("_")),
    st.integers(1, 120_000).map(lambda width: "wide_" + "w" * width),  # one name makes a line up to 120 KB
)
values = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(2**60), 2**60))
records = st.fixed_dictionaries({
    "gap": st.integers(1, 3),  # steps grow by this much
    "epoch": st.one_of(st.none(), st.integers(0, 5), st.integers(2**53 - 2, 2**53 + 2), st.just(2**63 - 1)),
    "split": st.sampled_from(["train", "val", "test", "v" + SURROGATE]),
    "metrics": st.dictionaries(names, values, min_size=1, max_size=4),
    "flush": st.booleans(),
})
attempts = st.lists(st.fixed_dictionaries({
    "restart": st.one_of(st.none(), st.integers(0, 8)),  # None: the step after the last on disk; k: k steps back
    "flush_every": st.sampled_from([1, 2, 1000]),
    "records": st.lists(records, max_size=6),
    "damage": st.sampled_from([b"", b"", b'{"step": 3, "split": "tr', b"\0" * 100, b"\0" * 70_000, b"\0" * 140_000]),
}), min_size=1, max_size=3)


def _log_attempts(folder, first_step, plan) -> list[tuple[int, int, dict]]:
    """Write the attempts of ``plan``; return the acknowledged records as (attempt, step, record)."""
    acknowledged, step = [], first_step - 1
    for number, attempt in enumerate(plan):
        with RunWriter(folder, resume=number > 0, flush_every=attempt["flush_every"], flush_secs=None) as run:
            if number:
                assert run.step == step  # resume found the last step on disk, whatever came after it
            step = max(first_step - 1, step - (attempt["restart"] or 0))
            for record in attempt["records"]:
                step += record["gap"]
                refused = not all(_unicode(text) for text in [record["split"], *record["metrics"]])
                try:
                    run.log(step=step, epoch=record["epoch"], split=record["split"], **record["metrics"])
                except VizkitError as error:
                    assert refused and "valid Unicode text" in str(error)
                    step = run.step
                    continue
                assert not refused
                acknowledged.append((number, step, record))
                if record["flush"]:
                    run.flush()
        step = run.step
        if attempt["damage"]:
            with open(folder / "metrics.jsonl", "ab") as handle:
                handle.write(attempt["damage"])
    return acknowledged


def _expected(acknowledged) -> dict:
    """{(split, metric, step): (value, epoch)} after later attempts supersede earlier ones from their first step."""
    first = {}
    for attempt, step, _ in acknowledged:
        first.setdefault(attempt, step)
    expected = {}
    for attempt, step, record in acknowledged:
        if all(step < start for later, start in first.items() if later > attempt):
            for metric, value in record["metrics"].items():
                expected[(record["split"], metric, step)] = (float(value), record["epoch"])
    return expected


def _unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@fuzz_settings(10)
@given(first_step=st.sampled_from([0, 2**53 - 3, 2**63 - 80]), plan=attempts)
def test_fuzz_read_run_returns_exactly_the_acknowledged_records(tmp_path_factory, first_step, plan):
    folder = tmp_path_factory.mktemp("run")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-finite values and damaged lines are warned about; not checked here
        expected = _expected(_log_attempts(folder, first_step, plan))
        frames = [vk.read_run(folder), vk.follow_run(folder).read_new()]
    for frame in frames:
        got = {(row.split, row.metric, row.step): (row.value, None if pd.isna(row.epoch) else row.epoch)
               for row in frame.itertuples()}
        assert len(got) == len(frame) and got.keys() == expected.keys()
        for key, (value, epoch) in expected.items():
            assert _same(got[key][0], value) and got[key][1] == epoch, (key, got[key], (value, epoch))


# ---------------------------------------------------------------- files written by hand or by other programs
# names of any text, some ending in a lone surrogate (written as a JSON escape, as json.dumps does)
_plain = st.text(st.characters(exclude_characters="\\"), min_size=1, max_size=6)
text = st.one_of(_plain, st.builds(str.__add__, _plain, st.sampled_from(["\udcff", "\ud800", "\udfff"])))
json_values = st.one_of(st.none(), st.booleans(), st.integers(-(2**64), 2**64), st.floats(allow_nan=False),
                        st.text(max_size=3))
hand_records = st.lists(st.fixed_dictionaries(
    {"step": st.one_of(st.integers(0, 5), st.integers(2**53 - 1, 2**53 + 1), st.just(2**63 - 1), json_values)},
    optional={"epoch": st.one_of(st.integers(2**53, 2**53 + 1), json_values), "split": st.one_of(st.none(), text),
              "metrics": st.dictionaries(text.filter(lambda n: n not in RESERVED and not n.startswith("_")),
                                         st.one_of(st.integers(-(2**53), 2**53), st.floats(allow_nan=False,
                                                                                           allow_infinity=False)),
                                         max_size=3)}), max_size=12)


def _escaped(name: str) -> str:
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _integer(value) -> int | None:
    """What the reader takes as a step or epoch: an int64, or a whole float below 2**53 (5.0); else None."""
    if type(value) is int:
        return value if -(2**63) <= value < 2**63 else None
    return int(value) if type(value) is float and abs(value) < 2**53 and value.is_integer() else None


@fuzz_settings(15)
@given(lines=hand_records)
def test_fuzz_a_hand_written_log_reads_every_int64_step_and_names_every_skipped_line(tmp_path_factory, lines):
    folder = tmp_path_factory.mktemp("hand")
    records = [{key: value for key, value in line.items() if key != "metrics"} | line.get("metrics", {})
               for line in lines]
    (folder / "metrics.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records))
    expected, skipped = [], []
    for number, record in enumerate(records, start=1):
        step = _integer(record["step"])
        if record["step"] is not None and step is None:
            skipped.append(number)
        if step is None:
            continue
        split = "train" if record.get("split") is None else _escaped(record["split"])
        epoch = _integer(record.get("epoch"))
        for metric, value in record.items():
            if metric not in RESERVED:
                expected.append((split, _escaped(metric), step, epoch, float(value)))
    for read in (vk.read_run, lambda path: vk.follow_run(path).read_new()):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = read(folder)
        got = [(row.split, row.metric, int(row.step), None if pd.isna(row.epoch) else int(row.epoch), float(row.value))
               for row in frame.itertuples()]
        assert sorted(got, key=repr) == sorted(expected, key=repr)
        named = " ".join(str(w.message) for w in caught)
        if len(caught) < 20:  # past 20 lines the reader sums up the rest in one warning
            assert all(f"line {number}: skipped a record whose `step`" in named for number in skipped)
