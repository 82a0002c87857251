"""training_runs/plain_vs_residual.py: one start for both nets, logged gradient norms equal to p.grad.norm(), small logs."""

import json
import sys

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402
from vizkit.ml import LayerStatsDisplay  # noqa: E402

sys.path.insert(0, str(ROOT / "training_runs"))
import plain_vs_residual as experiment  # noqa: E402
from _experiment import state_hash  # noqa: E402

NAMES = ["input.weight", "input.bias", *(f"hidden.{i}.{p}" for i in range(20) for p in ("weight", "bias")),
         "output.weight", "output.bias"]


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory):
    return quick_train_here("plain_vs_residual.py", tmp_path_factory.mktemp("quick") / "pvr")


def configs(folder):
    return {path.parent.name: json.loads(path.read_text())["config"] for path in sorted(folder.glob("*/meta.json"))}


def test_quick_mode_writes_both_nets_from_the_same_start(quick_runs):
    assert sorted(p.name for p in quick_runs.iterdir()) == ["plain-seed0", "residual-seed0"]
    runs = vk.read_runs(str(quick_runs / "*"))
    assert all(info["status"] == "finished" for info in runs.attrs["runs"].values())
    found = configs(quick_runs)
    assert {name: c["architecture"] for name, c in found.items()} == {"plain-seed0": "plain",
                                                                      "residual-seed0": "residual"}
    torch.manual_seed(0)
    fresh = state_hash(experiment.DeepMLP(20, 32, residual=False))
    assert {c["init_sha256"] for c in found.values()} == {fresh}         # the same weights, the flag adds none
    steps_per_epoch = 800 // 128 + 1                                      # 1 000 rows, 80 % for training
    assert found["plain-seed0"]["layer_stats_every"] == steps_per_epoch
    assert found["plain-seed0"]["layer_order"] == NAMES
    grads = runs.query("run == 'plain-seed0' and metric == 'grad_norm/input.weight'")
    assert grads["step"].tolist() == [0, steps_per_epoch]                 # the first step of each epoch


def test_the_logged_gradient_norms_are_p_grad_norm_of_the_first_step(quick_runs):
    """Recompute the first step by hand: the same seed, model and first batch, one backward pass."""
    logged = vk.read_run(quick_runs / "plain-seed0").query("step == 0")
    logged = dict(zip(logged["metric"], logged["value"]))
    frame = vk.load_dataset("mnist").groupby("label").head(100)
    config = {**experiment.CONFIG, "epochs": 2}
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model, train, _ = experiment.start(frame, config, 0, "plain")
        inputs, labels = next(iter(train))
        torch.nn.functional.cross_entropy(model(inputs), labels).backward()
    finally:
        torch.set_num_threads(threads)
    expected = {name: p.grad.norm().item() for name, p in model.named_parameters()}
    got = {name: logged[f"grad_norm/{name}"] for name in expected}
    np.testing.assert_allclose(list(got.values()), list(expected.values()), rtol=1e-6)
    assert expected["input.weight"] < 1e-6 * expected["output.weight"]     # vanishing already at the first step


def test_the_heatmap_draws_the_logged_gradient_norms(quick_runs):
    run = vk.read_run(quick_runs / "plain-seed0")
    display = LayerStatsDisplay.from_runs(run, stat="grad_norm").plot()
    drawn = vk.plotted_data(display.ax_)
    logged = run[run["metric"].str.startswith("grad_norm/")].set_index(["metric", "step"])["value"].sort_index()
    got = drawn.assign(metric="grad_norm/" + drawn["layer"].astype(str)).set_index(["metric", "step"])["value"]
    assert got.sort_index().equals(logged.rename(None).sort_index().rename("value"))
    image = display.artists_["image"].get_array()                         # cells: log10 of the same values
    np.testing.assert_allclose(image, np.log10(drawn.pivot(index="layer", columns="step", values="value")))
    plt.close("all")


COMMITTED = ROOT / "training_runs" / "runs" / "plain_vs_residual"


@pytest.mark.skipif(not COMMITTED.exists(), reason="the runs are not there yet (python training_runs/plain_vs_residual.py)")
def test_the_committed_runs_show_the_plain_net_s_gradients_vanish():
    assert sum(p.stat().st_size for p in COMMITTED.rglob("*") if p.is_file()) < 400_000
    runs = vk.read_runs(str(COMMITTED / "*"))
    assert sorted(runs["run"].unique()) == [f"{a}-seed{s}" for a in ("plain", "residual") for s in (0, 1, 2)]
    assert all(info["status"] == "finished" for info in runs.attrs["runs"].values())
    found = configs(COMMITTED)
    for seed in (0, 1, 2):                                               # one start per seed, for both nets
        assert found[f"plain-seed{seed}"]["init_sha256"] == found[f"residual-seed{seed}"]["init_sha256"]
    assert {c["lr"] for c in found.values()} == {0.01}                    # each net's best of the same grid
    final = runs.query("split == 'val' and metric == 'acc' and epoch == 7").groupby("architecture")["value"]
    assert final.max()["plain"] < 0.15 and final.min()["residual"] > 0.85  # chance against learned
    for name, ratio in (("plain", (0, 1e-6)), ("residual", (0.1, 10))):
        typical = LayerStatsDisplay.from_runs(runs.query("architecture == @name"), stat="grad_norm").typical_
        assert ratio[0] < typical["input.weight"] / typical["output.weight"] < ratio[1], name
