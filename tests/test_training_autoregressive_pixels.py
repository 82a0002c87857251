"""training_runs/autoregressive_pixels.py: quick mode saves partial images; the committed run is small and learned."""

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "autoregressive_pixels"


def _arrays(folder, name):
    return vk.io.read_arrays(folder, name).popitem()[1]


def test_quick_mode_saves_the_partial_images_in_raster_order(tmp_path):
    steps = _arrays(quick_train_here("autoregressive_pixels.py", tmp_path / "run"), "steps")
    frames = steps["frames"].astype(float)
    assert steps["steps"].tolist() == [0, 28, 56, 84, 98, 112, 140, 168, 196] and frames.shape == (9, 10, 14, 14)
    for k, count in enumerate(steps["steps"]):
        drawn = ~np.isnan(frames[k].reshape(10, -1))
        assert drawn[:, :count].all() and not drawn[:, count:].any()
    assert set(np.unique(frames[-1])) <= {0.0, 1.0}
    assert ((steps["probabilities"] >= 0) & (steps["probabilities"] <= 1)).all()


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/autoregressive_pixels.py)")
def test_the_committed_run_is_small_and_learned_far_more_than_coin_flips():
    assert sum(p.stat().st_size for p in COMMITTED.rglob("*") if p.is_file()) < 100_000
    val = vk.read_run(COMMITTED).query("split == 'val' and metric == 'loss'")["value"].to_numpy()
    assert len(val) == 30 and val[-1] < 45 < 196 and val[-1] < 0.7 * val[0]   # bits per 14×14 image
    samples = _arrays(COMMITTED, "samples")
    assert samples["samples"].shape == (40, 14, 14) and samples["samples"].dtype == np.uint8
    ink = samples["samples"].reshape(40, -1).mean(axis=1)
    assert (0.05 < ink).all() and (ink < 0.5).all()  # every sample has strokes, none is a blot
