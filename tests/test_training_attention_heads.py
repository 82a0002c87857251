"""training_runs/attention_heads.py: quick mode captures both heads; in the committed run the heads specialised."""

import numpy as np
import pytest

pytest.importorskip("torch")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402
from vizkit.ml import AttentionDisplay  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "attention_heads"
LAYER = "encoder.layers.0.self_attn"


def test_quick_mode_saves_both_heads_on_the_probe_under_the_causal_mask(tmp_path):
    captures = vk.io.read_arrays(quick_train_here("attention_heads.py", tmp_path / "run"), "attention_maps")
    assert sorted(captures) == [0, 5]  # every 5 steps of 10
    weights, masked = captures[5][f"weights.{LAYER}"], captures[5][f"masked.{LAYER}"]
    assert weights.shape == (4, 2, 10, 10) and weights.dtype == np.float16
    assert (masked == np.triu(np.ones((10, 10), bool), k=1)).all()
    assert (weights[..., masked[0]] == 0).all()


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/attention_heads.py)")
def test_the_committed_run_is_small_and_its_heads_look_at_the_first_and_the_previous_digit():
    assert sum(p.stat().st_size for p in COMMITTED.rglob("*") if p.is_file()) < 300_000
    captures = vk.io.read_arrays(COMMITTED, "attention_maps")
    heads = AttentionDisplay.from_maps(captures[max(captures)]).heads_
    assert heads.loc[0, "key"] == 0 and heads.loc[0, "key_share"] == 1  # head 0: the first digit
    assert heads.loc[1, "offset"] == -1 and heads.loc[1, "share"] >= 0.9  # head 1: the previous digit
    run = vk.read_run(COMMITTED)
    assert run.query("split == 'val' and metric == 'acc'")["value"].iloc[-1] > 0.99
