"""training_runs/fcn_segmentation.py: seeded canvases, an FCN built from the convolutionalized classifier, a small committed run."""

import importlib.util
import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("mlxtend")

import vizkit as vk  # noqa: E402
from tests.training_scripts import ROOT, quick_train_here  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "fcn_segmentation"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("fcn_segmentation_script", ROOT / "training_runs" / "fcn_segmentation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_canvases_are_seeded_and_label_each_digits_ink(script):
    images = np.zeros((3, 28, 28), np.float32)
    images[:, 10:18, 10:18] = [[[0.2]], [[0.6]], [[1.0]]]              # three square "digits": faint, mid, bright
    labels = np.array([4, 7, 9])
    canvases, masks = script.make_canvases(images, labels, 20, seed=3)
    again = script.make_canvases(images, labels, 20, seed=3)
    assert np.array_equal(canvases, again[0]) and np.array_equal(masks, again[1])
    assert canvases.shape == masks.shape == (20, 64, 64)
    assert set(np.unique(masks)) <= {0, 8, 10}                         # the faint square is under the ink threshold
    np.testing.assert_array_equal(masks > 0, canvases >= script.INK)   # labelled exactly where the ink is


def test_the_fcn_starts_as_the_convolutionalized_classifier(script):
    torch.manual_seed(0)
    classifier = script.make_classifier().eval()
    fcn = script.make_fcn(classifier).eval()
    canvas, digit = torch.rand(2, 1, 64, 64), torch.rand(2, 1, 28, 28)
    with torch.no_grad():
        coarse = fcn.coarse(digit)
        logits = classifier(digit)
        assert fcn.coarse(canvas).shape == (2, 11, 16, 16) and fcn(canvas).shape == (2, 11, 64, 64)
    # on a 28×28 input the centre of the 7×7 map sees the whole digit: the classifier's logits, after the background
    np.testing.assert_allclose(coarse[:, 1:, 3, 3].numpy(), logits.numpy(), atol=1e-5)
    assert torch.equal(coarse[:, 0], torch.zeros_like(coarse[:, 0]))


def test_quick_mode_writes_the_log_the_weights_and_the_probes(tmp_path):
    out = quick_train_here("fcn_segmentation.py", tmp_path / "fcn")
    run = vk.read_run(str(out))
    assert set(run["metric"]) == {"classifier_loss", "classifier_acc", "fcn_loss", "fcn_pixel_acc", "fcn_miou"}
    probes = np.load(out / "probes.npz")
    assert probes["images"].shape == probes["truth"].shape == probes["pred"].shape == (6, 64, 64)
    agree = probes["logits0"].astype(np.float32).argmax(0) == probes["pred"][0]
    assert agree.mean() > 0.99                                         # all but float16 rounding's near-ties
    assert list(json.loads((out / "iou.json").read_text())) == ["background", *map(str, range(10))]


@pytest.mark.skipif(not COMMITTED.exists(), reason="run python training_runs/fcn_segmentation.py first")
def test_the_committed_run_is_small_and_segments_the_digits():
    size = sum(path.stat().st_size for path in COMMITTED.rglob("*") if path.is_file())
    assert size < 300_000
    iou = json.loads((COMMITTED / "iou.json").read_text())
    assert iou["background"] > 0.95 and np.mean(list(iou.values())) > 0.4
    weights = np.load(COMMITTED / "classifier.npz")
    assert all(w.dtype == np.float16 for w in weights.values())
    assert sum(w.size for w in weights.values()) == 26_698
