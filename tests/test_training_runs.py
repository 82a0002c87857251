"""training_runs/mlp_mnist.py: it runs end to end (quick mode), is seeded, and its committed logs are small."""

import json
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk
from tests.training_scripts import ROOT, quick_train


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory):
    return quick_train("mlp_mnist.py", tmp_path_factory.mktemp("quick") / "mlp")


def test_quick_mode_writes_one_finished_run_per_seed(quick_runs):
    out = quick_runs
    assert sorted(p.name for p in out.iterdir()) == ["seed0", "seed1"]
    assert not out.with_name("mlp.partial").exists()
    runs = vk.read_runs(str(out / "*"))
    assert sorted(runs["run"].unique()) == ["mlp-seed0", "mlp-seed1"]
    for seed in (0, 1):
        meta = json.loads((out / f"seed{seed}" / "meta.json").read_text())
        assert meta["status"] == "finished"
        assert meta["config"]["seed"] == seed and meta["config"]["lr"] == 0.1 and meta["config"]["hidden"] == "256-128"
    one = runs.query("run == 'mlp-seed0'")
    assert set(map(tuple, one[["split", "metric"]].drop_duplicates().values)) == {
        ("train", "loss"), ("train", "acc"), ("train", "lr"), ("train", "momentum"), ("val", "loss"), ("val", "acc")}
    steps_per_epoch = 800 // 128 + 1                                   # 1 000 rows, 80 % for training
    assert one.query("split == 'train' and metric == 'loss'")["step"].tolist() == list(range(2 * steps_per_epoch))
    assert one.query("split == 'val' and metric == 'loss'")["step"].tolist() == [steps_per_epoch - 1, 2 * steps_per_epoch - 1]


def test_the_same_seed_gives_the_same_numbers(quick_runs, tmp_path):
    first = vk.read_runs(str(quick_runs / "*"))
    second = vk.read_runs(str(quick_train("mlp_mnist.py", tmp_path / "again", by_env=True) / "*"))  # the env var selects quick mode too
    columns = ["run", "step", "split", "metric", "value"]
    assert first[columns].equals(second[columns])
    by_seed = first.query("split == 'val' and metric == 'loss'").groupby("run")["value"].apply(list)
    assert by_seed["mlp-seed0"] != by_seed["mlp-seed1"]                 # seeds differ


COMMITTED = ROOT / "training_runs" / "runs" / "mlp_mnist"


@pytest.mark.skipif(not COMMITTED.exists(), reason="the MLP runs are not there yet (python training_runs/mlp_mnist.py)")
def test_the_committed_runs_are_small_and_show_overfitting():
    size = sum(path.stat().st_size for path in COMMITTED.rglob("*") if path.is_file())
    assert size < 300_000
    runs = vk.read_runs(str(COMMITTED / "*"))
    assert sorted(runs["run"].unique()) == ["mlp-seed0", "mlp-seed1", "mlp-seed2"]
    assert all(info["status"] == "finished" for info in runs.attrs["runs"].values())
    val = runs.query("split == 'val' and metric == 'loss'")
    for name, losses in val.groupby("run"):
        losses = losses.set_index("epoch")["value"]
        best = losses.idxmin()
        assert best < losses.index.max() - 5, name                    # the validation loss turns up ...
        assert losses.iloc[-1] > losses.min() * 1.05, name            # ... clearly, by the last epoch
    train = runs.query("split == 'train' and metric == 'loss'")
    assert train.groupby("epoch")["value"].mean().iloc[-1] < 0.01      # while training loss goes to ~0
