"""training_runs/layer_stats_mlp.py: it runs end to end (quick mode), is seeded, and its committed log is small."""

import pytest

pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train, quick_train_here  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "layer_stats_mlp"
LAYERS = ("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias")


def test_quick_mode_logs_every_statistic_of_every_layer_and_twice_the_same(tmp_path):
    first = vk.read_run(quick_train("layer_stats_mlp.py", tmp_path / "a"))
    steps_per_epoch = 800 // 128 + 1                                   # 1 000 rows, 80 % for training
    grads = first.query("metric == 'grad_norm/0.weight'")
    assert grads["step"].tolist() == list(range(0, 2 * steps_per_epoch, 4))
    assert first["layer_order"].iloc[0] == LAYERS
    assert {f"{s}/{n}" for s in ("weight_norm", "grad_norm", "update_ratio") for n in LAYERS} <= set(first["metric"])
    second = vk.read_run(quick_train_here("layer_stats_mlp.py", tmp_path / "b"))
    columns = ["step", "split", "metric", "value"]
    assert first[columns].equals(second[columns])


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/layer_stats_mlp.py)")
def test_the_committed_run_is_small_and_complete():
    assert sum(p.stat().st_size for p in COMMITTED.iterdir()) < 300_000
    run = vk.read_run(COMMITTED)
    assert run.attrs["runs"]["mlp-layer-stats"]["status"] == "finished"
    assert run.query("metric == 'update_ratio/4.bias'")["step"].tolist() == list(range(0, 320, 4))
