"""vizkit.torch.ddpm_loss and ddpm_sample: with the exact denoiser of a known distribution, DDPM gives that distribution back."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from vizkit.errors import VizkitError  # noqa: E402
from vizkit.ml import noise_schedule  # noqa: E402
from vizkit.torch import ddpm_loss, ddpm_sample  # noqa: E402


def gaussian_denoiser(schedule, mean, std):
    """E[epsilon | x_t] when x_0 ~ N(mean, std²): the best noise prediction there is."""
    bar = torch.tensor(np.array(schedule.alpha_bar), dtype=torch.float32)

    def predict(x, t):
        b = bar[t - 1][:, None]
        return (1 - b).sqrt() * (x - b.sqrt() * mean) / (b * std**2 + 1 - b)
    return predict


def test_sampling_with_the_exact_denoiser_recovers_the_data_distribution():
    schedule = noise_schedule("linear", T=100, beta_start=1e-4, beta_end=0.1)
    out = ddpm_sample(gaussian_denoiser(schedule, 2.0, 0.5), schedule, (4000, 1), keep=[100, 50, 0],
                      generator=torch.Generator().manual_seed(0))
    assert out.t == [100, 50, 0]
    x_T = out.frames[0]
    assert float(x_T.mean()) == pytest.approx(0, abs=0.03) and float(x_T.std()) == pytest.approx(1, abs=0.02)
    assert torch.equal(out.frames[-1], out.samples)
    assert float(out.samples.mean()) == pytest.approx(2.0, abs=0.03)
    assert float(out.samples.std()) == pytest.approx(0.5, rel=0.05)


def test_the_loss_of_the_exact_denoiser_is_the_noise_it_cannot_know():
    schedule = noise_schedule(T=100)
    x0 = 2.0 + 0.5 * torch.randn(20_000, 1, generator=torch.Generator().manual_seed(1))
    best = ddpm_loss(gaussian_denoiser(schedule, 2.0, 0.5), x0, schedule, generator=torch.Generator().manual_seed(2))
    zero = ddpm_loss(lambda x, t: torch.zeros_like(x), x0, schedule, generator=torch.Generator().manual_seed(2))
    bar = schedule.alpha_bar
    assert float(zero) == pytest.approx(1.0, abs=0.03)  # E[epsilon²]
    # E[Var(epsilon | x_t)] over t ~ U{1..T}: alpha-bar sigma² / (alpha-bar sigma² + 1 - alpha-bar)
    assert float(best) == pytest.approx(np.mean(bar * 0.25 / (bar * 0.25 + 1 - bar)), abs=0.02)


def test_sampling_is_seeded_and_leaves_the_model_in_training_mode():
    net = torch.nn.Linear(4, 4)
    schedule = noise_schedule(T=20)

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = net
            self.modes = []

        def forward(self, x, t):
            self.modes.append(self.training)
            return self.net(x)
    model = Model().train()
    first = ddpm_sample(model, schedule, (3, 4), generator=torch.Generator().manual_seed(5))
    second = ddpm_sample(model, schedule, (3, 4), generator=torch.Generator().manual_seed(5))
    assert torch.equal(first.samples, second.samples) and first.frames.shape == (0, 3, 4)
    assert model.training and not any(model.modes) and len(model.modes) == 40


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"schedule": "linear"}, "schedule"),
    ({"shape": "big"}, "shape"),
    ({"shape": (0, 3)}, "shape"),
    ({"keep": [21]}, "keep"),
])
def test_bad_input_names_the_argument(kwargs, argument):
    call = {"model": lambda x, t: x, "schedule": noise_schedule(T=20), "shape": (2, 3), **kwargs}
    with pytest.raises(VizkitError, match=f"`{argument}"):
        ddpm_sample(call.pop("model"), call.pop("schedule"), call.pop("shape"), **call)
