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
