"""The regularizer pages draw what the regularizers compute: target rows, a mixup pair, augmentations,
dropout masks and batch-normalized activations, each read back from the figure and recomputed here."""

import contextlib
import runpy

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import vizkit as vk
from tests.image.gallery import GALLERY
from vizkit.torch import Augment, smooth_labels

SECTION = GALLERY / "07_dl_generalization"


def run_page(name):
    """Run one gallery page as the gallery does; return its global names (the figures stay open)."""
    path = SECTION / name
    plt.close("all")
    with matplotlib.rc_context(), contextlib.chdir(path.parent):
        return runpy.run_path(str(path), run_name="__main__")


def tile(grid, i):
    """The pixels drawn in tile ``i`` of an image grid."""
    return np.asarray(grid.axes_.flat[i].images[0].get_array())


def test_label_smoothing_bars_are_the_smoothed_row_with_its_two_values_marked():
    page = run_page("plot_soft_targets.py")
    onehot_ax, smoothed_ax = page["axes"]
    label, K, epsilon = int(page["labels"][0]), page["K"], page["EPSILON"]
    drawn = vk.plotted_data(smoothed_ax).sort_values("x")["value"].to_numpy()
    expected = smooth_labels(torch.tensor([label]), K, epsilon)[0].numpy()
    np.testing.assert_allclose(drawn, expected, rtol=0, atol=1e-7)
    assert drawn[label] == pytest.approx(1 - epsilon + epsilon / K) and np.delete(drawn, label) == pytest.approx(epsilon / K)
    np.testing.assert_array_equal(vk.plotted_data(onehot_ax).sort_values("x")["value"], np.eye(K)[label])
    marks = sorted(line.get_ydata()[0] for line in smoothed_ax.get_lines())
    assert marks == pytest.approx([epsilon / K, 1 - epsilon + epsilon / K])
    notes = [text.get_text() for text in smoothed_ax.texts if "class" in text.get_text()]
    assert notes == ["true class: 1 − ε + ε/K = 0.91", "every other class: ε/K = 0.01"]

    # the mixup pair: the third tile is λ·a + (1 − λ)·b, the bars λ·onehot(a) + (1 − λ)·onehot(b)
    a, b, lam, pair = page["a"], page["b"], page["lam"], page["pair"]
    assert int(page["labels"][a]) != int(page["labels"][b]) and 0.05 < lam < 0.95
    image_a, image_b = tile(pair, 0), tile(pair, 1)
    np.testing.assert_array_equal(image_a, page["images"][a, 0].numpy())
    np.testing.assert_allclose(tile(pair, 2), lam * image_a + (1 - lam) * image_b, atol=1e-6)
    bars = vk.plotted_data(page["mixed_ax"]).sort_values("x")["value"].to_numpy()
    expected = lam * np.eye(K)[int(page["labels"][a])] + (1 - lam) * np.eye(K)[int(page["labels"][b])]
    np.testing.assert_allclose(bars, expected, atol=1e-6)
    assert vk.plotted_data(page["mixed_ax"])["label_drawn"].all()

    # λ over many batches: one ridge per α, each the density histogram of that α's draws from mixup
    draws, drawn = page["draws"], vk.plotted_data(page["ax"])
    assert sorted(drawn["by"].unique()) == [0.2, 1.0, 4.0] and (draws.groupby("α").size() == 400).all()
    edges = np.append(np.unique(drawn["value"]), drawn["end"].max())
    for alpha, ridge in drawn.groupby("by"):
        expected, _ = np.histogram(draws.loc[draws["α"] == alpha, "λ"], bins=edges, density=True)
        np.testing.assert_allclose(ridge.sort_values("value")["density"], expected)
    spread = draws.assign(far=(draws["λ"] - 0.5).abs()).groupby("α")["far"].mean()
    assert spread[0.2] > spread[1.0] > spread[4.0]                # small α: λ near 0 or 1


def test_each_augmented_tile_is_its_drawn_transform_of_the_digit():
    page = run_page("plot_augmentation.py")
    grid, params, image = page["grid"], page["params"], page["image"]
    titles = vk.plotted_data(grid.axes_.flat[0]).iloc[0]["title"]
    assert titles == "original"
    assert [vk.plotted_data(grid.axes_.flat[i]).iloc[0]["title"] for i in range(1, 12)] == params.labels()
    np.testing.assert_array_equal(tile(grid, 0), image[0, 0].numpy())
    # the same generator seed gives the same tiles; the draws stay within the asked ranges
    augment, n = page["augment"], page["N"]
    again = augment(image.expand(n, -1, -1, -1), torch.Generator().manual_seed(0))
    for i in range(n):
        np.testing.assert_allclose(tile(grid, i + 1), again[i, 0].numpy(), atol=1e-6)
    assert not params.flip.any() and params.shift.abs().max() <= 3 and params.angle.abs().max() <= 20
    flipped = page["flip_params"]
    assert 0 < int(flipped.flip.sum()) < len(flipped.flip)
    mirrored = Augment(flip=True).apply(image, flipped._replace(flip=torch.tensor([True]), shift=flipped.shift[:1] * 0,
                                                                angle=flipped.angle[:1] * 0))
    np.testing.assert_allclose(mirrored[0, 0].numpy(), image[0, 0].flip(-1).numpy(), atol=1e-5)


def test_dropout_masks_are_zeros_and_one_over_one_minus_p_and_batchnorm_standardizes():
    page = run_page("plot_dropout_batchnorm.py")
    p, passes = page["P"], page["PASSES"]
    cells = vk.plotted_data(page["mask_ax"])
    grid = cells.pivot(index="i", columns="j", values="value").to_numpy()
    assert set(np.unique(grid[:passes])) == {0.0, 1 / (1 - p)} and (grid[passes] == 1).all()
    torch.manual_seed(0)
    dropout = torch.nn.Dropout(p=p)
    expected = np.stack([dropout(torch.ones(1, grid.shape[1]))[0].numpy() for _ in range(passes)])
    np.testing.assert_array_equal(grid[:passes], expected)                 # the page's passes, from nn.Dropout
    assert set(cells["annotation"]) == {"0", "1", "2"}

    before, after = page["before"].numpy(), page["after"].numpy()
    standardized = (before - before.mean(0)) / np.sqrt(before.var(0) + 1e-5)     # biased variance, as in training
    np.testing.assert_allclose(after, standardized, atol=1e-5)
    assert np.ptp(before.mean(0)) > 5 and np.allclose(after.mean(0), 0, atol=1e-5)
    assert np.allclose(after.std(0), 1, atol=0.01)
    for ax, values in zip(page["axes"], (before, after)):
        drawn = vk.plotted_data(ax)
        assert drawn["group"].tolist() == [str(j + 1) for j in range(values.shape[1])]
        np.testing.assert_allclose(drawn["median"], np.median(values, axis=0), rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(drawn[["q1", "q3"]].to_numpy(), np.percentile(values, [25, 75], axis=0).T,
                                   rtol=1e-5, atol=1e-5)
