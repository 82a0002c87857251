"""vizkit.torch.SampleLogger: one fixed noise batch, the generator's images of it saved at the chosen epochs."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import vizkit as vk  # noqa: E402
from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402
from vizkit.torch import Run, SampleLogger, TrainState  # noqa: E402


def _generator():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.BatchNorm1d(16), torch.nn.Tanh(),
                               torch.nn.Unflatten(1, (4, 4)))


def test_a_hand_written_loop_saves_the_images_of_the_same_noise_at_the_chosen_epochs(tmp_path):
    generator = _generator()
    noise = torch.randn(6, 3)
    expected = {}
    with Run(tmp_path / "run") as run:
        samples = SampleLogger(generator, noise, epochs=[0, 2, 3], run=run, dtype="float32")
        for epoch in range(4):
            with torch.no_grad():
                generator[0].weight.add_(0.1)  # an epoch of "training"
            generator.train()
            if samples.log(step=5 * epoch + 4, epoch=epoch):
                generator.eval()
                expected[epoch] = generator(noise).detach().numpy()
                generator.train()
            assert generator.training  # its mode restored
    saved = vk.io.read_arrays(run.path, "samples")
    assert samples.epochs_ == [0, 2, 3] and list(saved) == [4, 14, 19]
    for arrays in saved.values():
        epoch = int(arrays["epoch"])
        np.testing.assert_array_equal(arrays["images"], expected[epoch])
        np.testing.assert_array_equal(arrays["noise"], noise.numpy())
    assert vk.samples_over_training(run.path, n=3).epochs_ == [0, 2, 3]


def test_as_a_fit_callback_every_other_epoch(tmp_path):
    generator = _generator()
    sampler = SampleLogger(lambda z: generator(z)[:, None], torch.randn(4, 3), every=2)  # (N, 1, H, W)
    with Run(tmp_path / "fit") as run:
        sampler.on_fit_start(TrainState(run=run, epochs=5))  # as fit() calls it, with fit(run=run)
        for epoch in range(5):
            sampler.on_epoch_end(TrainState(epoch=epoch, step=4 * epoch + 3, run=run), {"loss": 0.0})
    saved = vk.io.read_arrays(run.path, "samples")
    assert [int(a["epoch"]) for a in saved.values()] == [0, 2, 4] and list(saved) == [3, 11, 19]
    assert saved[19]["images"].dtype == np.float16 and saved[19]["images"].shape == (4, 1, 4, 4)
    with pytest.raises(VizkitValueError, match="`run`"):
        sampler.on_fit_start(TrainState())


def test_the_noise_is_fixed_and_bad_input_is_named(tmp_path):
    noise = torch.randn(4, 3)
    with Run(tmp_path / "run") as run:
        samples = SampleLogger(_generator(), noise, run=run)
        noise.add_(1.0)  # the caller's tensor changes: the logger kept its own copy
        samples.log(step=0, epoch=0)
        samples.noise.mul_(2.0)  # changed in place: refused, never a silently different batch
        with pytest.raises(VizkitValueError, match="`noise`.*fixed"):
            samples.log(step=1, epoch=1)
    with pytest.raises(VizkitTypeError, match="`sample_fn`"):
        SampleLogger("generator", noise)
    with pytest.raises(VizkitTypeError, match="`noise`"):
        SampleLogger(_generator(), np.zeros((4, 3)))
    with pytest.raises(VizkitValueError, match="`every`"):
        SampleLogger(_generator(), noise, every=0)
    with pytest.raises(VizkitTypeError, match="`epochs`"):
        SampleLogger(_generator(), noise, epochs=["last"])
    with pytest.raises(VizkitValueError, match="`run`"):
        SampleLogger(_generator(), noise).log(step=0, epoch=0)
