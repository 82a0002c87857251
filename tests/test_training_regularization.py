"""training_runs/regularization.py: nine methods from the same weights, seeded, its stops and snapshots in the log."""

import json
import sys

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk
from tests.training_scripts import ROOT, quick_train_here
from vizkit.io import read_arrays

sys.path.insert(0, str(ROOT / "training_runs"))
from _experiment import state_hash  # noqa: E402

METHODS = ["none", "early_stopping", "weight_decay", "augmentation", "input_noise", "label_smoothing", "mixup",
           "dropout", "batch_norm"]


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory):
    # in this process: the quick runs take about a second, a fresh interpreter's torch import many more
    # (the command line all scripts share is run by the other scripts' tests)
    return quick_train_here("regularization.py", tmp_path_factory.mktemp("quick") / "reg")


def configs(folder):
    return {path.parent.name: json.loads(path.read_text())["config"] for path in sorted(folder.glob("*/meta.json"))}


def test_quick_mode_writes_one_finished_run_per_method_with_epoch_records(quick_runs):
    assert sorted(p.name for p in quick_runs.iterdir()) == sorted(f"{m}-seed0" for m in METHODS)
    runs = vk.read_runs(str(quick_runs / "*"))
    assert all(info["status"] == "finished" for info in runs.attrs["runs"].values())
    for name, config in configs(quick_runs).items():
        assert config["method"] == name.split("-seed")[0] and config["epochs"] == 2 and config["train_size"] == 200
    one = runs.query("run == 'mixup-seed0'")
    steps = 200 // 50                                                    # 200 training images, batches of 50
    for split in ("train", "val"):                                       # one record per epoch, at its last step
        rows = one.query(f"split == '{split}' and metric == 'loss'")
        assert rows["step"].tolist() == [steps - 1, 2 * steps - 1] and rows["epoch"].tolist() == [0, 1]
    assert set(one["metric"]) == {"loss", "acc"}


def test_one_seed_gives_every_method_the_same_linear_weights(quick_runs):
    module = _script()
    found = configs(quick_runs)
    torch.manual_seed(0)
    plain = module.make_mlp("128-128")
    hashes = {name.split("-seed")[0]: config["init_sha256"] for name, config in found.items()}
    assert {hashes[m] for m in METHODS if m != "batch_norm"} == {state_hash(plain)}   # dropout has no parameters
    torch.manual_seed(0)
    with_bn = module.make_mlp("128-128", batch_norm=True)
    assert hashes["batch_norm"] == state_hash(with_bn) != hashes["none"]
    for layer in ("fc1", "fc2", "out"):                                    # its linear layers start the same
        assert torch.equal(getattr(with_bn, layer).weight, getattr(plain, layer).weight)


def test_the_methods_record_their_settings_stop_and_snapshots(quick_runs):
    found = configs(quick_runs)
    assert found["label_smoothing-seed0"]["settings"] == {"epsilon": 0.1}
    assert found["mixup-seed0"]["settings"] == {"alpha": 0.4}
    assert "accuracy against the hard label" in found["mixup-seed0"]["train_metrics"]
    recorded = found["early_stopping-seed0"]["early_stopping"]             # EarlyStopping wrote it into the run
    assert recorded["patience"] == 5 and recorded["monitor"] == "val_loss" and recorded["stopped_epoch"] is None
    for method in ("none", "weight_decay"):
        saved = read_arrays(quick_runs / f"{method}-seed0", "fc1_sample")
        assert sorted(saved) == [0, 7]                                     # before training, after epoch 2 of 2 (step 7)
        assert {a["w"].dtype.name for a in saved.values()} == {"float16"} and saved[0]["w"].shape == (2048,)
    assert not (quick_runs / "dropout-seed0" / "arrays").exists()
    first = {m: read_arrays(quick_runs / f"{m}-seed0", "fc1_sample")[0]["w"] for m in ("none", "weight_decay")}
    assert (first["none"] == first["weight_decay"]).all()                  # the same weights, the same sample


def test_the_same_seed_gives_the_same_numbers(quick_runs, tmp_path):
    first = vk.read_runs(str(quick_runs / "*"))
    second = vk.read_runs(str(quick_train_here("regularization.py", tmp_path / "again") / "*"))
    columns = ["run", "step", "split", "metric", "value"]
    assert first[columns].equals(second[columns])


def _script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("regularization_script", ROOT / "training_runs" / "regularization.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMMITTED = ROOT / "training_runs" / "runs" / "regularization"


@pytest.mark.skipif(not COMMITTED.exists(), reason="the runs are not there yet (python training_runs/regularization.py)")
def test_the_committed_runs_are_small_and_show_what_the_lecture_says():
    size = sum(path.stat().st_size for path in COMMITTED.rglob("*") if path.is_file())
    assert size < 350_000
    runs = vk.read_runs(str(COMMITTED / "*"))
    assert sorted(runs["run"].unique()) == sorted(f"{m}-seed{s}" for m in METHODS for s in (0, 1, 2))
    assert all(info["status"] == "finished" for info in runs.attrs["runs"].values())
    found = vk.ml.GapSummaryDisplay.from_runs(runs, by="method", metric="acc")
    none_val = runs.query("method == 'none' and split == 'val' and metric == 'loss'")
    assert (none_val.groupby("run")["value"].idxmin().map(none_val["epoch"]) < 15).all()   # overfits early
    assert found.best_group_ == "augmentation" and found.gap_["augmentation"] < found.gap_["none"] / 3
    assert found.gap_["dropout"] < found.gap_["none"] / 2
    for seed in (0, 1, 2):                                               # stopped early, as it recorded
        config = runs.attrs["runs"][f"early_stopping-seed{seed}"]["config"]["early_stopping"]
        logged = runs.query(f"run == 'early_stopping-seed{seed}'")["epoch"].max()
        assert config["stopped_epoch"] == logged < 29 and config["stopped_epoch"] - config["best_epoch"] == 5
