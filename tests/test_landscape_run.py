"""training_runs/landscape_mlp.py: it runs end to end (quick mode), is seeded, and its committed checkpoints are small."""

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("sklearn")

import vizkit as vk
from tests.training_scripts import ROOT, quick_train, quick_train_here

COMMITTED = ROOT / "training_runs" / "runs" / "landscape_mlp"


def test_quick_mode_saves_a_checkpoint_per_epoch_and_the_same_numbers_twice(tmp_path):
    first, second = quick_train("landscape_mlp.py", tmp_path / "a"), quick_train_here("landscape_mlp.py", tmp_path / "b")
    names = sorted(p.name for p in (first / "checkpoints").iterdir())
    assert names == ["epoch_00.npz", "epoch_01.npz", "epoch_02.npz", "epoch_03.npz"]
    for name in names:
        with np.load(first / "checkpoints" / name) as a, np.load(second / "checkpoints" / name) as b:
            assert a.files == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
            assert all(a[k].dtype == np.float32 and np.array_equal(a[k], b[k]) for k in a.files)
    with np.load(first / "checkpoints" / "epoch_00.npz") as start, np.load(first / "checkpoints" / "epoch_03.npz") as end:
        assert not np.array_equal(start["0.weight"], end["0.weight"])          # it trained
    runs = [vk.read_run(str(folder)) for folder in (first, second)]
    columns = ["step", "split", "metric", "value"]
    assert runs[0][columns].equals(runs[1][columns])


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/landscape_mlp.py)")
def test_the_committed_run_is_small_and_learned_the_digits():
    size = sum(path.stat().st_size for path in COMMITTED.rglob("*") if path.is_file())
    assert size < 300_000
    assert len(list((COMMITTED / "checkpoints").glob("epoch_*.npz"))) == 11
    val = vk.read_run(str(COMMITTED)).query("split == 'val' and metric == 'acc'")
    assert val["value"].iloc[-1] > 0.95
