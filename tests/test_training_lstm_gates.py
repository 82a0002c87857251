"""training_runs/lstm_gates.py: it runs end to end (quick mode), and its committed run learned the task and is small."""

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "lstm_gates"
WEIGHTS = {"lstm": 4 * 4 * (2 + 4) + 2 * 4 * 4 + 4 + 1, "gru": 3 * 4 * (2 + 4) + 2 * 3 * 4 + 4 + 1}  # 137, 101


def _check_run(folder, steps):
    for cell, count in WEIGHTS.items():
        meta = json.loads((folder / cell / "meta.json").read_text())
        assert meta["status"] == "finished" and meta["config"]["cell"] == cell
        assert meta["config"]["train_steps"] == steps
        with np.load(folder / cell / "weights.npz") as weights:
            assert sum(weights[name].size for name in weights.files) == count
    with np.load(folder / "probe.npz") as probe:
        x, y = probe["x"], probe["y"]
    assert x.shape == (4, 30, 2) and (x[:, :, 1].sum(1) == 1).all()          # one marker per sequence
    np.testing.assert_array_equal(y, x[np.arange(4), x[:, :, 1].argmax(1), 0])  # the target: the value at the marker
    return vk.read_runs(str(folder / "*"))


def test_quick_mode_writes_both_models_and_the_probe_sequences(tmp_path):
    runs = _check_run(quick_train_here("lstm_gates.py", tmp_path / "gates"), steps=20)
    assert sorted(runs["run"].unique()) == ["gru-gates", "lstm-gates"]


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/lstm_gates.py)")
def test_the_committed_run_learned_to_remember_and_is_small():
    runs = _check_run(COMMITTED, steps=2500)
    final = runs.query("split == 'val' and metric == 'loss'").groupby("run")["value"].last()
    assert (final < 1e-3).all(), final                 # the no-memory answer (the mean) would score 1/3
    assert sum(path.stat().st_size for path in COMMITTED.rglob("*") if path.is_file()) < 100_000
