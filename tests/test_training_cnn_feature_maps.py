"""training_runs/cnn_feature_maps.py: quick mode runs and saves npz maps; the committed run is small and complete."""

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "cnn_feature_maps"


def test_quick_mode_saves_both_layers_maps_of_the_four_probe_digits(tmp_path):
    record = vk.io.read_feature_maps(quick_train_here("cnn_feature_maps.py", tmp_path / "run"))
    assert record.layers == ["relu1", "relu2"] and record.epochs.tolist() == [0]
    assert record.maps["relu1"].shape == (1, 4, 8, 28, 28) and record.maps["relu2"].shape == (1, 4, 16, 14, 14)
    assert record.maps["relu1"].dtype == np.float16 and (record.maps["relu1"] >= 0).all()  # after ReLU


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/cnn_feature_maps.py)")
def test_the_committed_run_is_small_and_has_every_epoch():
    files = list((COMMITTED / "arrays").glob("*.npz"))
    assert sum(p.stat().st_size for p in files) < 300_000
    for file in files:
        np.load(file, allow_pickle=False).close()  # plain arrays, no pickle
    record = vk.io.read_feature_maps(COMMITTED)
    assert record.epochs.tolist() == [0, 1, 2, 3, 4]
    weight = vk.io.read_arrays(COMMITTED, "conv1_weight").popitem()[1]["weight"]
    assert weight.shape == (8, 1, 5, 5)
    run = vk.read_run(COMMITTED)
    assert run.query("split == 'val' and metric == 'acc'")["value"].iloc[-1] > 0.9
