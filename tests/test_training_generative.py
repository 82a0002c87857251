"""training_runs/vae_mnist.py and aae_mnist.py: quick mode logs what the pages draw; the KL term is torch's."""

import importlib.util
import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402

RUNS = ROOT / "training_runs" / "runs"


def _script(name):
    spec = importlib.util.spec_from_file_location(f"training_script_{name}", ROOT / "training_runs" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_kl_term_is_torchs_kl_divergence_of_the_two_gaussians():
    vae = _script("vae_mnist")
    generator = torch.Generator().manual_seed(0)
    mu, logvar = torch.randn(64, 2, generator=generator) * 2, torch.randn(64, 2, generator=generator)
    q = torch.distributions.Normal(mu, torch.exp(0.5 * logvar))
    prior = torch.distributions.Normal(torch.zeros(2), torch.ones(2))
    expected = torch.distributions.kl_divergence(q, prior).sum(dim=1)
    torch.testing.assert_close(vae.kl_term(mu, logvar), expected, rtol=1e-6, atol=1e-6)
    assert float(vae.kl_term(torch.zeros(1, 2), torch.zeros(1, 2))) == 0.0   # q equal to the prior costs nothing


def test_vae_quick_mode_logs_both_terms_and_their_sum_and_the_arrays(tmp_path):
    out = quick_train_here("vae_mnist.py", tmp_path / "vae")
    run = vk.read_run(out)
    table = run.pivot_table(index=["split", "epoch"], columns="metric", values="value")
    assert sorted(table.columns) == ["kl", "loss", "reconstruction"]
    assert table.index.tolist() == [("train", 1), ("val", 1)]
    np.testing.assert_allclose(table["loss"], table["reconstruction"] + table["kl"])
    latent = vk.io.read_arrays(out, "latent")
    assert sorted(latent) == [0, 1] and latent[1]["mu"].shape == (100, 2) and latent[1]["label"].shape == (100,)
    lattice = vk.io.read_arrays(out, "lattice")[1]
    assert lattice["images"].shape == (15, 15, 28, 28) and lattice["images"].dtype == np.uint8
    pairs = vk.io.read_arrays(out, "reconstructions")[1]
    assert pairs["original"].shape == pairs["reconstruction"].shape == (10, 28, 28)
    assert pairs["label"].tolist() == list(range(10))


def test_aae_quick_mode_logs_the_three_losses_and_the_codes(tmp_path):
    out = quick_train_here("aae_mnist.py", tmp_path / "aae")
    run = vk.read_run(out)
    metrics = set(map(tuple, run[["split", "metric"]].drop_duplicates().values))
    assert metrics == {("train", "reconstruction"), ("train", "discriminator"), ("train", "generator"),
                       ("val", "reconstruction")}
    codes = vk.io.read_arrays(out, "latent")
    assert sorted(codes) == [0, 1] and codes[0]["z"].shape == (100, 2) and codes[0]["z"].dtype == np.float16


def test_the_same_seed_gives_the_same_losses_and_codes(tmp_path):
    first, second = (quick_train_here("aae_mnist.py", tmp_path / name) for name in ("one", "two"))
    columns = ["step", "split", "metric", "value"]
    assert vk.read_run(first)[columns].equals(vk.read_run(second)[columns])
    codes = [vk.io.read_arrays(folder, "latent")[1]["z"] for folder in (first, second)]
    np.testing.assert_array_equal(*codes)


def test_the_aae_prior_is_the_stated_mixture():
    aae = _script("aae_mnist")
    torch.manual_seed(0)
    samples = aae.sample_prior(aae.CONFIG, 20_000)
    means = aae.prior_means(aae.CONFIG)
    np.testing.assert_allclose(means.norm(dim=1), 4.0, rtol=1e-6)
    nearest = torch.cdist(samples, means).argmin(dim=1)
    assert torch.bincount(nearest).min() > 1_800                                   # ten equal components
    offsets = samples - means[nearest]
    np.testing.assert_allclose(offsets.std(dim=0), [0.5, 0.5], rtol=0.03)


@pytest.mark.skipif(not (RUNS / "vae_mnist").exists() or not (RUNS / "aae_mnist").exists(),
                    reason="the runs are not there yet (python training_runs/vae_mnist.py, aae_mnist.py)")
def test_the_committed_runs_are_small_and_learned():
    for name in ("vae_mnist", "aae_mnist"):
        files = [p for p in (RUNS / name).rglob("*") if p.is_file()]
        assert sum(p.stat().st_size for p in files) < 300_000, name
    vae = vk.read_run(RUNS / "vae_mnist").query("split == 'val' and metric == 'loss'")["value"]
    assert vae.iloc[-1] < 0.85 * vae.iloc[0]
    config = json.loads((RUNS / "aae_mnist" / "meta.json").read_text())["config"]
    assert sorted(vk.io.read_arrays(RUNS / "aae_mnist", "latent")) == config["latent_epochs"] == [0, 1, 3, 10, 30]
