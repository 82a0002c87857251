"""training_runs/optimizer_race.py: seven optimizers, one MLP, the same initial weights; seeded, small, charted."""

import json

import numpy as np
import pytest

pytest.importorskip("torch")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train, quick_train_here  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "optimizer_race"
SEVEN = ["SGD", "Momentum", "Nesterov", "Adagrad", "Adadelta", "RMSprop", "Adam"]


def configs(folder):
    return {p.name: json.loads((p / "meta.json").read_text())["config"] for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return quick_train("optimizer_race.py", tmp_path_factory.mktemp("race") / "race")


def test_every_optimizer_starts_from_the_same_weights_with_its_tuned_lr_in_the_config(quick):
    found = configs(quick)
    assert sorted(found) == sorted(f"{name.lower()}-seed{seed}" for name in SEVEN for seed in (0, 1))
    assert len({config["init_sha256"] for config in found.values()}) == 1          # one start for all 14 runs
    for name, config in found.items():
        assert config["optimizer"].lower() == name.split("-")[0]
        assert config["lr"] in (0.003162, 0.03162, 0.3162)                         # the quick grid
    assert found["nesterov-seed0"]["nesterov"] is True and found["momentum-seed0"]["momentum"] == 0.9
    start = vk.function_fits(vk.read_runs(str(quick / "*")), target=np.sin, steps=[0])
    assert start.rmse_[0].nunique() == 1                                           # the same function before training
    import matplotlib.pyplot as plt
    plt.close(start.figure_)


def test_the_same_seed_gives_the_same_numbers(quick, tmp_path):
    again = quick_train_here("optimizer_race.py", tmp_path / "again")
    columns = ["run", "step", "split", "metric", "value"]
    assert vk.read_runs(str(quick / "*"))[columns].equals(vk.read_runs(str(again / "*"))[columns])
    first = vk.io.read_arrays(quick / "adam-seed1", "fit")
    second = vk.io.read_arrays(again / "adam-seed1", "fit")
    assert list(first) == list(second) and all(np.array_equal(first[s]["y"], second[s]["y"]) for s in first)


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/optimizer_race.py)")
def test_the_committed_race_is_small_complete_and_every_optimizer_learned():
    assert sum(p.stat().st_size for p in COMMITTED.rglob("*") if p.is_file()) < 300_000
    runs = vk.read_runs(str(COMMITTED / "*"))
    assert all(info["status"] == "finished" for info in runs.attrs["runs"].values())
    assert sorted(runs["optimizer"].unique()) == sorted(SEVEN)
    assert runs.groupby("optimizer")["seed"].nunique().eq(3).all()
    assert runs.groupby("optimizer")["lr"].nunique().eq(1).all()                    # one tuned lr per optimizer
    assert len({c["init_sha256"] for c in configs(COMMITTED).values()}) == 1
    fits = vk.function_fits(runs, target=lambda x: np.sin(x) + 0.3 * np.sin(3 * x))
    assert fits.steps_ == [0, 20, 80, 320]
    assert (fits.rmse_[320] < fits.rmse_[0] / 3).all()                              # every method learned the shape
    assert fits.rmse_[320].idxmax() == "SGD"                                        # and plain SGD is last
    import matplotlib.pyplot as plt
    plt.close(fits.figure_)
