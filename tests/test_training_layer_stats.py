"""training_runs/layer_stats_mlp.py: it runs end to end (quick mode), is seeded, and its committed log is small."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "training_runs" / "layer_stats_mlp.py"
COMMITTED = ROOT / "training_runs" / "runs" / "layer_stats_mlp"
LAYERS = ("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias")


def quick_train(out: Path) -> Path:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--out", str(out), "--no-progress"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return out


def test_the_gallery_build_finds_its_run_dir():
    spec = importlib.util.spec_from_file_location("run_training", ROOT / "tools" / "run_training.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool._run_dir(SCRIPT) == COMMITTED


def test_quick_mode_logs_every_statistic_of_every_layer_and_twice_the_same(tmp_path):
    first = vk.read_run(quick_train(tmp_path / "a"))
    steps_per_epoch = 800 // 128 + 1                                   # 1 000 rows, 80 % for training
    grads = first.query("metric == 'grad_norm/0.weight'")
    assert grads["step"].tolist() == list(range(0, 2 * steps_per_epoch, 4))
    assert first["layer_order"].iloc[0] == LAYERS
    assert {f"{s}/{n}" for s in ("weight_norm", "grad_norm", "update_ratio") for n in LAYERS} <= set(first["metric"])
    second = vk.read_run(quick_train(tmp_path / "b"))
    columns = ["step", "split", "metric", "value"]
    assert first[columns].equals(second[columns])


@pytest.mark.skipif(not COMMITTED.exists(), reason="the run is not there yet (python training_runs/layer_stats_mlp.py)")
def test_the_committed_run_is_small_and_complete():
    assert sum(p.stat().st_size for p in COMMITTED.iterdir()) < 300_000
    run = vk.read_run(COMMITTED)
    assert run.attrs["runs"]["mlp-layer-stats"]["status"] == "finished"
    assert run.query("metric == 'update_ratio/4.bias'")["step"].tolist() == list(range(0, 320, 4))
