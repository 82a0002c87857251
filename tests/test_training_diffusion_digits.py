"""training_runs/diffusion_digits.py: quick mode saves both strips; the committed run is small, learned, and complete."""

import numpy as np
import pytest

pytest.importorskip("torch")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402
from vizkit.ml import noise_schedule  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "diffusion_digits"


def _arrays(folder, name):
    return vk.io.read_arrays(folder, name).popitem()[1]


def test_quick_mode_saves_the_forward_and_reverse_strips(tmp_path):
    out = quick_train_here("diffusion_digits.py", tmp_path / "run")
    forward, reverse = _arrays(out, "forward"), _arrays(out, "reverse")
    assert forward["t"].tolist() == [0, 5, 25, 50] and forward["frames"].shape == (4, 8, 8)
    schedule = noise_schedule(T=50)  # the quick run's schedule: x_t is the schedule's forward process
    expected = schedule.forward(forward["x0"].astype(float), forward["t"], noise=forward["noise"].astype(float))
    np.testing.assert_allclose(forward["frames"], expected, atol=2e-3)
    assert reverse["t"].tolist() == [50, 25, 5, 0] and reverse["frames"].shape == (4, 10, 8, 8)
    assert _arrays(out, "samples")["samples"].shape == (10, 8, 8)


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/diffusion_digits.py)")
def test_the_committed_run_is_small_and_its_samples_came_from_noise():
    assert sum(p.stat().st_size for p in COMMITTED.rglob("*") if p.is_file()) < 100_000
    loss = vk.read_run(COMMITTED).query("metric == 'loss'")["value"].to_numpy()
    assert len(loss) == 80 and loss[-10:].mean() < 0.6 * loss[:3].mean()
    reverse = _arrays(COMMITTED, "reverse")
    assert reverse["t"].tolist() == [1000, 750, 500, 350, 250, 150, 100, 50, 0]
    frames = reverse["frames"].astype(float)
    assert frames[0].std() == pytest.approx(1, abs=0.1)  # x_T ~ N(0, I)
    samples = _arrays(COMMITTED, "samples")
    assert samples["samples"].shape == (40, 8, 8) and samples["labels"].tolist() == np.repeat(range(10), 4).tolist()
    # the samples have the data's range, mean and spread (the digits scaled to -1 ... 1)
    data = vk.load_dataset("digits").filter(like="pixel").to_numpy(float) / 8 - 1
    drawn = samples["samples"].astype(float)
    assert np.mean(np.abs(drawn) <= 1.5) > 0.97
    assert drawn.mean() == pytest.approx(data.mean(), abs=0.05) and drawn.std() == pytest.approx(data.std(), abs=0.05)
