"""vk.latent_grid, vk.reconstructions, vk.latent_over_training: what is drawn is the arrays and codes given."""

import json
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from scipy.stats import multivariate_normal

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.ml._image_mosaic import box

RUNS = Path(__file__).resolve().parents[1] / "training_runs" / "runs"
VAE, AAE = RUNS / "vae_mnist", RUNS / "aae_mnist"


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits

    found = load_digits()
    return found.images[:12] / 16, found.target[:12]


# ----------------------------------------------------------------------------- the decoded lattice
def test_each_tile_of_the_latent_grid_is_its_image_at_its_coordinates(digits):
    images = digits[0].reshape(3, 4, 8, 8)
    lattice = {"images": images, "x": [-1.5, -0.5, 0.5, 1.5], "y": [1.0, 0.0, -1.0]}
    grid = vk.latent_grid(lattice, tick_every=1)
    drawn = grid.ax_.images[0].get_array()
    for row, col in np.ndindex(3, 4):
        np.testing.assert_array_equal(drawn[box(row, col, 8, 8)], images[row, col])
    table = vk.plotted_data(grid.ax_)
    assert table[["z1", "z2"]].iloc[6].tolist() == [0.5, 0.0]      # row 1, column 2
    assert [t.get_text() for t in grid.ax_.get_xticklabels()] == ["−1.5", "−0.5", "0.5", "1.5"]
    assert [t.get_text() for t in grid.ax_.get_yticklabels()] == ["1", "0", "−1"]
    assert (grid.vmin_, grid.vmax_) == (0.0, 1.0)
    assert vk.lint(grid.figure_) == []


@pytest.mark.skipif(not VAE.exists(), reason="no committed VAE run (python training_runs/vae_mnist.py)")
def test_the_committed_lattice_is_at_the_priors_quantiles():
    from scipy.stats import norm

    lattice = vk.io.read_arrays(VAE, "lattice").popitem()[1]
    np.testing.assert_allclose(lattice["x"], norm.ppf(np.linspace(0.05, 0.95, 15)), atol=1e-12)
    grid = vk.latent_grid(lattice)
    np.testing.assert_array_equal(grid.ax_.images[0].get_array()[box(14, 0, 28, 28)], lattice["images"][14, 0])
    assert (grid.vmin_, grid.vmax_) == (0.0, 255.0)                   # uint8 tiles on their own scale


def test_bad_lattices_name_the_argument():
    good = np.zeros((2, 3, 4, 4))
    with pytest.raises(VizkitTypeError, match="lattice"):
        vk.latent_grid(good)
    with pytest.raises(VizkitValueError, match="lattice.x"):
        vk.latent_grid({"images": good, "x": [0, 1], "y": [1, 0]})
    with pytest.raises(VizkitValueError, match="lattice.y"):
        vk.latent_grid({"images": good, "x": [0, 1, 2], "y": [0, 1]})    # rows go down: y decreases
    with pytest.raises(VizkitValueError, match="lattice"):
        vk.latent_grid({"images": good, "x": [0, 1, 2]})
    with pytest.raises(VizkitValueError, match="tick_every"):
        vk.latent_grid({"images": good, "x": [0, 1, 2], "y": [1, 0]}, tick_every=0)


# ----------------------------------------------------------------------------- reconstructions
def test_reconstructions_draw_each_original_above_its_reconstruction(digits):
    images, labels = digits
    blurred = (images + np.roll(images, 1, axis=2)) / 2
    shown = vk.reconstructions(images.reshape(12, 64), blurred, labels=labels)   # flat rows of square images too
    drawn = shown.ax_.images[0].get_array()
    for i in range(12):
        np.testing.assert_array_equal(drawn[box(0, i, 8, 8)], images[i])
        np.testing.assert_array_equal(drawn[box(1, i, 8, 8)], blurred[i])
    pairs = vk.plotted_data(shown.ax_)
    np.testing.assert_allclose(pairs["mse"], ((images - blurred) ** 2).mean(axis=(1, 2)))
    assert pairs["label"].tolist() == labels.tolist()
    assert [t.get_text() for t in shown.ax_.get_xticklabels()] == [str(d) for d in labels]
    assert vk.lint(shown.figure_) == []


def test_reconstructions_refuse_pairs_that_do_not_match(digits):
    images, _ = digits
    with pytest.raises(VizkitValueError, match="reconstructions"):
        vk.reconstructions(images, images[:5])
    with pytest.raises(VizkitValueError, match="originals"):
        vk.reconstructions(np.zeros((4, 10)), np.zeros((4, 10)))        # 10 pixels are no square image
    with pytest.raises(VizkitValueError, match="labels"):
        vk.reconstructions(images, images, labels=[1, 2])
    with pytest.raises(VizkitValueError, match="originals"):
        vk.reconstructions(np.full((2, 4, 4), np.nan), np.zeros((2, 4, 4)))


# ----------------------------------------------------------------------------- latent against the prior
def _mixture(config):
    angles = 2 * np.pi * np.arange(config["prior_components"]) / config["prior_components"]
    means = config["prior_radius"] * np.column_stack([np.cos(angles), np.sin(angles)])
    var = config["prior_std"] ** 2                    # equal weights, isotropic components: the script's prior
    return lambda points: np.exp(-((points[:, None] - means) ** 2).sum(-1) / (2 * var)).mean(1) / (2 * np.pi * var)


@pytest.mark.skipif(not AAE.exists(), reason="no committed AAE run (python training_runs/aae_mnist.py)")
def test_latent_over_training_draws_the_logged_codes_on_one_scale():
    logged = vk.io.read_arrays(AAE, "latent")
    config = json.loads((AAE / "meta.json").read_text())["config"]
    shown = vk.latent_over_training(logged, labels="label", prior=_mixture(config), epochs=[1, 30])
    assert sorted(logged) == config["latent_epochs"]
    assert [int(ax.get_title(loc="left").split()[1]) for ax in shown.axes_] == [1, 30]
    for ax, epoch in zip(shown.axes_, [1, 30], strict=True):
        arrays = logged[epoch]
        drawn = np.concatenate([c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)])
        z = arrays["z"].astype(np.float64)
        order = np.lexsort(z.T)
        np.testing.assert_array_equal(drawn[np.lexsort(drawn.T)], z[order])       # every code, nothing else
        table = vk.plotted_data(ax)
        np.testing.assert_array_equal(table[["z1", "z2"]].to_numpy(), z)
        assert (table["epoch"] == epoch).all() and table["label"].tolist() == arrays["label"].tolist()
        assert ax.get_xlim() == shown.axes_[0].get_xlim() and ax.get_ylim() == shown.axes_[0].get_ylim()
    # (the gallery's AAE page draws this figure and lints it)


def test_the_priors_regions_and_the_share_inside_match_the_gaussian():
    # For N(0, I) in 2-D the region holding mass m ends where the density is (1 - m) / 2π.
    rng = np.random.default_rng(0)
    codes = {0: rng.normal(0, 0.2, (4000, 2)), 5: rng.normal(0, 1, (4000, 2)), 9: rng.normal(0, 3, (4000, 2))}
    found = vk.ml.LatentOverTrainingDisplay.from_codes(codes, prior=multivariate_normal(np.zeros(2)))
    for mass, level in found.levels_.items():
        assert level == pytest.approx((1 - mass) / (2 * np.pi), rel=0.03)
    share = found.table_.set_index("epoch")["in_region"]
    assert share[0] == 1.0 and share[5] == pytest.approx(0.9, abs=0.015) and share[9] < 0.3
    np.testing.assert_allclose(found.table_["std_z1"], [0.2, 1, 3], rtol=0.05)


def test_latent_over_training_bad_input_names_the_argument():
    codes = {1: np.zeros((5, 2)), 2: np.ones((5, 2))}
    with pytest.raises(VizkitTypeError, match="codes"):
        vk.latent_over_training(np.zeros((5, 2)))
    with pytest.raises(VizkitValueError, match="codes"):
        vk.latent_over_training({1: np.zeros((5, 3))})
    with pytest.raises(VizkitValueError, match="key"):
        vk.latent_over_training({1: {"a": np.zeros((5, 2)), "b": np.zeros((5, 2))}})
    with pytest.raises(VizkitValueError, match="labels"):
        vk.latent_over_training(codes, labels=[1, 2])
    with pytest.raises(VizkitValueError, match="epochs"):
        vk.latent_over_training(codes, epochs=[3])
    with pytest.raises(VizkitTypeError, match="prior"):
        vk.latent_over_training(codes, prior="gaussian")
    with pytest.raises(VizkitValueError, match="prior"):
        vk.latent_over_training(codes, prior=lambda p: -np.ones(len(p)))
    with pytest.raises(VizkitValueError, match="limits"):
        vk.latent_over_training(codes, limits=((1, 0), (0, 1)))
    with pytest.raises(VizkitValueError, match="prior"):                          # no mass anywhere near the codes
        vk.latent_over_training({1: np.full((5, 2), 1e4) + np.arange(5)[:, None]}, prior=multivariate_normal([0, 0]))
    with pytest.warns(UserWarning, match="50 % region"):                           # codes 1 000 times the prior
        vk.ml.LatentOverTrainingDisplay.from_codes({1: np.linspace(-1e3, 1e3, 10).reshape(5, 2)},
                                                   prior=multivariate_normal([0, 0]))


# ----------------------------------------------------------------------------- any input
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from tests.fuzzing import fuzz_settings  # noqa: E402
from vizkit.errors import VizkitError  # noqa: E402

_VALUES = st.one_of(st.floats(-1e6, 1e6), st.just(np.nan), st.just(np.inf))


@fuzz_settings(30)
@given(images=hnp.arrays(np.float64, hnp.array_shapes(min_dims=3, max_dims=5, min_side=0, max_side=4),
                         elements=_VALUES),
       noise=st.booleans())
def test_any_tiles_are_drawn_as_given_or_refused_with_a_vizkit_error(images, noise):
    """latent_grid and reconstructions draw every tile exactly, or raise a vizkit error and draw nothing."""
    shape = images.shape
    plt.close("all")                                  # a figure per example, each drawn on its own
    for draw in (lambda: vk.latent_grid({"images": images, "x": np.arange(shape[1] if len(shape) > 1 else 0),
                                         "y": -np.arange(shape[0])}),
                 lambda: vk.reconstructions(images, images + noise)):
        try:
            shown = draw()
        except VizkitError:
            assert plt.get_fignums() == []
            continue
        drawn = shown.ax_.images[0].get_array()
        if isinstance(shown, vk.ml.LatentGridDisplay):
            for row, col in np.ndindex(*shape[:2]):
                np.testing.assert_array_equal(drawn[box(row, col, *shape[2:])], images[row, col])
        else:
            n, height, width = shown.originals_.shape
            for i in range(n):
                np.testing.assert_array_equal(drawn[box(0, i, height, width)], shown.originals_[i])
                np.testing.assert_array_equal(drawn[box(1, i, height, width)], shown.originals_[i] + noise)
        plt.close("all")


@fuzz_settings(30)
@given(codes=st.dictionaries(st.integers(0, 50),
                             hnp.arrays(np.float64, st.tuples(st.integers(0, 20), st.integers(1, 3)), elements=_VALUES),
                             max_size=3))
def test_any_codes_are_placed_as_given_or_refused_with_a_vizkit_error(codes):
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "the prior's 50 % region", UserWarning)  # huge codes: a coarse grid
            warnings.simplefilter("error")                                          # and no other warning
            found = vk.ml.LatentOverTrainingDisplay.from_codes(codes, prior=multivariate_normal(np.zeros(2)))
    except VizkitError:
        return
    assert found.table_["epoch"].tolist() == sorted(codes)
    np.testing.assert_array_equal(found.points_[["z1", "z2"]].to_numpy(),
                                  np.concatenate([codes[e] for e in sorted(codes)]))
    assert found.table_["in_region"].between(0, 1).all()
