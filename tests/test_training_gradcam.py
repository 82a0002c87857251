"""training_runs/gradcam_cnn.py: it runs end to end (quick mode), and its committed run is small and loads."""

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("mlxtend")

from tests.training_scripts import ROOT, quick_train_here  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "gradcam_cnn"


def _check_run(folder, epochs):
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["status"] == "finished" and meta["config"]["epochs"] == epochs
    with np.load(folder / "weights.npz") as weights:
        assert sum(weights[name].size for name in weights.files) == 20_490  # 160 + 4 640 + 15 690
        assert {weights[name].dtype for name in weights.files} == {np.dtype("float32")}
    with np.load(folder / "probe.npz") as probe:
        assert probe["images"].shape == (10, 28, 28) and probe["labels"].tolist() == list(range(10))
        assert 0 <= probe["images"].min() and probe["images"].max() <= 1


def test_quick_mode_writes_the_weights_and_one_held_out_image_per_digit(tmp_path):
    _check_run(quick_train_here("gradcam_cnn.py", tmp_path / "gradcam"), epochs=1)


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/gradcam_cnn.py)")
def test_the_committed_run_is_small():
    _check_run(COMMITTED, epochs=4)
    assert sum(path.stat().st_size for path in COMMITTED.rglob("*") if path.is_file()) < 200_000
