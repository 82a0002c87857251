"""vk.samples_over_training: a row per epoch, a column per sample; every tile is the array the run logged."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.io import RunWriter
from tests.fuzzing import fuzz_settings
from vizkit.ml import SamplesOverTrainingDisplay


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _digits(count=10):
    frame = vk.load_dataset("digits")
    return frame.filter(like="pixel").to_numpy(np.float32).reshape(-1, 8, 8)[:count] / 16


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A run as a GAN script writes it: samples of ten digits, fading in over epochs 0, 2, 4, 6, as float16."""
    pixels = _digits()
    with RunWriter(tmp_path_factory.mktemp("gan")) as writer:
        for epoch in range(0, 8, 2):
            images = (pixels * (epoch + 1) / 7 * 2 - 1).astype(np.float16)  # in [-1, 1], as tanh gives them
            writer.log_array("samples", step=100 * epoch, epoch=np.int64(epoch), images=images)
            writer.log_array("real", step=100 * epoch, epoch=np.int64(epoch), images=pixels)
            writer.log(step=100 * epoch, epoch=epoch, loss=1.0)
    return writer.path


def test_every_tile_is_the_logged_sample_of_its_epoch_on_one_shared_scale(run):
    logged = vk.io.read_arrays(run, "samples")
    shown = vk.samples_over_training(run, n=5)
    assert shown.epochs_ == [0, 2, 4, 6] and shown.over_ == "epoch"
    axes = shown.grid_.axes_
    assert axes.shape == (4, 5)
    for r, step in enumerate(logged):
        assert axes[r, 0].get_title() == f"epoch {2 * r}" and axes[r, 1].get_title() == ""
        for c in range(5):
            np.testing.assert_array_equal(axes[r, c].images[0].get_array(), logged[step]["images"][c])
            row = vk.plotted_data(axes[r, c]).iloc[0]
            assert (row["epoch"], row["step"], row["sample"]) == (2 * r, step, c)
    every = np.stack([arrays["images"][:5] for arrays in logged.values()]).astype(np.float32)
    assert (shown.grid_.vmin_, shown.grid_.vmax_) == (every.min(), every.max())  # one grey scale for all
    assert {im.get_clim() for ax in shown.grid_ for im in ax.images} == {(every.min(), every.max())}
    assert vk.lint(shown.figure_) == []


def test_chosen_epochs_in_training_order_and_the_default_choice_of_ten(run):
    shown = vk.samples_over_training(run, epochs=[6, 0, 4], n=2)
    assert shown.epochs_ == [0, 4, 6] and shown.samples_.shape == (3, 2, 8, 8)
    assert [shown.grid_.axes_[r, 0].get_title() for r in range(3)] == ["epoch 0", "epoch 4", "epoch 6"]
    many = {epoch: np.full((3, 4, 4), epoch, float) for epoch in range(25)}
    found = SamplesOverTrainingDisplay.from_arrays(many, n=3)
    assert len(found.epochs_) == 10 and found.epochs_[0] == 0 and found.epochs_[-1] == 24
    assert [float(found.samples_[i, 0, 0, 0]) for i in range(10)] == found.epochs_  # each row its own epoch
    assert SamplesOverTrainingDisplay.from_arrays(many, epochs=7, n=1).epochs_ == [7]


def test_a_run_object_channels_first_samples_and_steps_without_epochs(tmp_path):
    pixels = _digits(4)
    with RunWriter(tmp_path / "run") as writer:
        for step in (5, 50):
            writer.log_array("fakes", step=step, x=pixels[:, None] * step, z=np.ones((4, 2)))  # (N, 1, H, W), no epoch
    with pytest.raises(VizkitValueError, match=r"`key`.*\['x', 'z'\]"):
        vk.samples_over_training(writer, name="fakes")
    shown = vk.samples_over_training(writer, name="fakes", key="x", n=4)
    assert shown.over_ == "step" and shown.epochs_ == [5, 50]
    assert shown.grid_.axes_[1, 0].get_title() == "step 50"
    np.testing.assert_array_equal(shown.grid_.axes_[1, 3].images[0].get_array(), pixels[3] * 50)


def test_bad_input_is_named(run, tmp_path):
    with pytest.raises(VizkitValueError, match=r"`name`.*saved: 'real', 'samples'.*'fake'"):
        vk.samples_over_training(run, name="fake")
    with pytest.raises(VizkitValueError, match=r"`epochs`.*0, 2, 4, 6\).*epoch 3"):
        vk.samples_over_training(run, epochs=[0, 3])
    with pytest.raises(VizkitValueError, match="`epochs`.*once"):
        vk.samples_over_training(run, epochs=[2, 2])
    with pytest.raises(VizkitTypeError, match="`epochs`"):
        vk.samples_over_training(run, epochs="last")
    with pytest.raises(VizkitValueError, match="`n`.*at most the 10 samples"):
        vk.samples_over_training(run, n=11)
    with pytest.raises(VizkitValueError, match="`key`.*'images'"):
        vk.samples_over_training(run, key="imgs")
    with pytest.raises(VizkitValueError, match="`run`.*not a folder"):
        vk.samples_over_training(tmp_path / "missing")
    with pytest.raises(VizkitTypeError, match="`run`"):
        vk.samples_over_training(42)
    with pytest.raises(VizkitTypeError, match=r"`run`.*got a dict\. Samples held in memory: .*from_arrays"):
        vk.samples_over_training({0: np.zeros((2, 4, 4))})
    with pytest.raises(VizkitValueError, match=r"`arrays.*\(N, H, W\).*reshape"):
        SamplesOverTrainingDisplay.from_arrays({0: np.zeros((4, 64))})
    with pytest.raises(VizkitValueError, match="`arrays`.*one shape"):
        SamplesOverTrainingDisplay.from_arrays({0: np.zeros((4, 8, 8)), 1: np.zeros((4, 6, 6))}, n=2)
    with pytest.raises(VizkitTypeError, match="`arrays`.*epoch numbers"):
        SamplesOverTrainingDisplay.from_arrays({"last": np.zeros((4, 8, 8))})


@fuzz_settings(40)
@given(epochs=st.lists(st.integers(0, 40), min_size=1, max_size=15, unique=True), data=st.data())
def test_each_row_holds_the_first_n_samples_of_its_epoch(epochs, data):
    arrays = {e: np.arange(6 * 3 * 2, dtype=float).reshape(6, 3, 2) + 100 * e for e in epochs}
    chosen = data.draw(st.none() | st.lists(st.sampled_from(epochs), min_size=1, unique=True))
    n = data.draw(st.integers(1, 6))
    found = SamplesOverTrainingDisplay.from_arrays(arrays, epochs=chosen, n=n)
    assert found.epochs_ == sorted(chosen if chosen is not None else found.epochs_)
    # chosen epochs are drawn, however many; by default at most 10, evenly spaced
    assert set(found.epochs_) <= set(epochs) and len(found.epochs_) == (len(chosen) if chosen else min(len(epochs), 10))
    for row, epoch in zip(found.samples_, found.epochs_, strict=True):
        np.testing.assert_array_equal(row, arrays[epoch][:n])
    assert found.tiles_["epoch"].tolist() == [e for e in found.epochs_ for _ in range(n)]
