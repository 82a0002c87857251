"""training_runs/rnn_memory.py and rnn_mnist_rows.py: they run end to end (quick mode); their committed runs are small."""

import json

import pandas as pd
import pytest

torch = pytest.importorskip("torch")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402

MEMORY = ROOT / "training_runs" / "runs" / "rnn_memory"
ROWS = ROOT / "training_runs" / "runs" / "rnn_mnist_rows"


def test_the_memory_experiments_write_gradients_reach_and_errors(tmp_path):
    out = quick_train_here("rnn_memory.py", tmp_path / "memory")
    gradients = pd.read_csv(out / "hidden_gradients.csv")
    assert set(gradients["model"]) == {"RNN", "LSTM", "GRU"}
    assert gradients.groupby(["model", "stage"]).size().eq(30).all()          # every step, both stages
    reach = pd.read_csv(out / "memory_reach.csv")
    assert reach.groupby("model").size().eq(40).all()
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["AR", "GRU", "LSTM", "RNN", "RNN-series"]


def test_the_committed_memory_run_is_small_and_logged():
    assert sum(p.stat().st_size for p in MEMORY.rglob("*") if p.is_file()) < 150_000
    val = vk.read_runs([str(MEMORY / kind) for kind in ("RNN", "LSTM", "GRU")]).query("split == 'val'")
    accuracy = val.set_index("run")["value"]
    assert accuracy["RNN"] < 0.6 and accuracy["LSTM"] > 0.9 and accuracy["GRU"] > 0.9   # only the gated nets remember


@pytest.mark.parametrize("kind, gates", [("RNN", 1), ("GRU", 3), ("LSTM", 4)])
def test_the_row_readers_parameter_counts_follow_the_formulas(kind, gates):
    """Per layer gates·h·(i + h + 2) with both biases, plus the head's 10·(h + 1); the summary agrees."""
    import importlib.util

    import vizkit.torch as vt

    spec = importlib.util.spec_from_file_location("rnn_mnist_rows", ROOT / "training_runs" / "rnn_mnist_rows.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    h, i = 48, 28
    model = module.RowReader(kind, h)
    table = vt.summary(model, (784,)).table.set_index("layer")["params"]
    assert table["rnn"] == gates * h * (i + h + 2) and table["fc"] == 10 * (h + 1)
    assert sum(p.numel() for p in model.parameters()) == gates * h * (i + h + 2) + 10 * (h + 1)


@pytest.mark.skipif(not ROWS.exists(), reason="the run is not there yet (python training_runs/rnn_mnist_rows.py)")
def test_the_committed_row_runs_hold_their_counts_and_learn():
    runs = vk.read_runs(str(ROWS / "*"))
    assert sorted(runs["run"].unique()) == ["GRU", "LSTM", "RNN"]
    for kind, gates in (("RNN", 1), ("GRU", 3), ("LSTM", 4)):
        meta = json.loads((ROWS / kind / "meta.json").read_text())
        assert meta["status"] == "finished" and meta["config"]["recurrent_params"] == gates * 48 * (28 + 48 + 2)
    final = runs.query("split == 'val' and metric == 'acc' and epoch == epoch.max()").set_index("run")["value"]
    assert final["LSTM"] > 0.9 and final["GRU"] > 0.85 and final["RNN"] < final["GRU"]
    assert sum(p.stat().st_size for p in ROWS.rglob("*") if p.is_file()) < 300_000


def test_quick_row_readers_log_one_epoch_each_with_their_counts(tmp_path):
    out = quick_train_here("rnn_mnist_rows.py", tmp_path / "rows")
    runs = vk.read_runs(str(out / "*"))
    assert sorted(runs["run"].unique()) == ["GRU", "LSTM", "RNN"]
    assert set(runs.query("split == 'val'")["epoch"]) == {0}
    counts = runs.groupby("run")["recurrent_params"].first()
    assert counts.to_dict() == {kind: gates * 48 * (28 + 48 + 2) for kind, gates in (("RNN", 1), ("GRU", 3), ("LSTM", 4))}
    layers = pd.read_json(out / "parameters.json")                   # the page's parameter chart, torch-free
    assert layers.groupby("model")["params"].sum().to_dict() == runs.groupby("run")["params"].first().to_dict()
