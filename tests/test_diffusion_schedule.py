"""vizkit.ml.noise_schedule: DDPM's anchors, the cosine schedule, and the forward process on real data."""

import numpy as np
import pytest

import vizkit as vk
from vizkit.errors import VizkitError
from vizkit.ml import NoiseSchedule, noise_schedule


def test_ddpm_linear_schedule_matches_the_papers_numbers():
    ddpm = noise_schedule("linear", T=1000, beta_start=1e-4, beta_end=0.02)
    assert ddpm.T == 1000 and ddpm.betas[0] == 1e-4 and ddpm.betas[-1] == pytest.approx(0.02)
    np.testing.assert_allclose(ddpm.alpha_bar_at([1, 500, 1000]), [0.9999, 7.8587e-2, 4.0358e-5], rtol=5e-5)
    assert ddpm.alpha_bar[0] == ddpm.alpha_bar_at(1) and ddpm.alpha_bar_at(0) == 1.0  # 1-based: alpha_bar[t - 1]
    np.testing.assert_allclose(ddpm.alphas, 1 - ddpm.betas)
    np.testing.assert_allclose(ddpm.alpha_bar, np.cumprod(1 - np.linspace(1e-4, 0.02, 1000)))


def test_cosine_schedule_follows_nichol_and_dhariwal():
    cosine = noise_schedule("cosine", T=1000)
    f = np.cos((np.arange(1001) / 1000 + 0.008) / 1.008 * np.pi / 2) ** 2
    unclipped = cosine.betas < 0.999
    np.testing.assert_allclose(cosine.alpha_bar[unclipped], (f[1:] / f[0])[unclipped], rtol=1e-9)
    assert cosine.betas.max() == 0.999 and np.all(np.diff(cosine.alpha_bar) < 0)
    linear = noise_schedule("linear")
    # the cosine schedule destroys information more slowly in the middle (its point)
    assert cosine.alpha_bar_at(500) > 0.45 > 0.1 > linear.alpha_bar_at(500)


@pytest.fixture(scope="module")
def standardised_digits():
    pixels = vk.load_dataset("digits").filter(like="pixel").to_numpy(float)
    pixels = pixels[:, pixels.std(axis=0) > 0]  # the always-blank corner pixels have no variance to keep
    return (pixels - pixels.mean(axis=0)) / pixels.std(axis=0)


@pytest.mark.parametrize("t", [1, 100, 250, 500, 1000])
def test_forward_samples_of_standardised_digits_have_the_variance_the_schedule_says(standardised_digits, t):
    x0 = standardised_digits
    schedule = noise_schedule("linear")
    bar = schedule.alpha_bar_at(t)
    xt = schedule.forward(x0, t, seed=t)
    noise_part = xt - np.sqrt(bar) * x0
    # what is added is noise of variance 1 - alpha_bar_t (within 2 % of 1, ~110 000 values)
    assert noise_part.var() == pytest.approx(1 - bar, rel=0.02, abs=2e-5)
    # DDPM preserves variance: alpha_bar_t * Var(x0) + (1 - alpha_bar_t) = 1 for standardised data
    assert xt.var() == pytest.approx(1.0, abs=0.02)
    # and x_t keeps a correlation of sqrt(alpha_bar_t) with x_0
    assert np.corrcoef(xt.ravel(), x0.ravel())[0, 1] == pytest.approx(np.sqrt(bar), abs=0.01)


def test_forward_takes_many_steps_and_one_noise():
    schedule = noise_schedule("linear", T=10, beta_start=0.1, beta_end=0.5)
    x0, noise = np.ones((2, 3)), np.full((2, 3), -1.0)
    strip = schedule.forward(x0, [0, 5, 10], noise=noise)
    assert strip.shape == (3, 2, 3)
    np.testing.assert_allclose(strip[0], x0)
    bar = schedule.alpha_bar[4]
    np.testing.assert_allclose(strip[1], np.sqrt(bar) - np.sqrt(1 - bar))
    assert schedule.table().columns.tolist() == ["t", "beta", "alpha", "alpha_bar", "signal", "noise"]
    np.testing.assert_allclose(schedule.table()["signal"] ** 2 + schedule.table()["noise"] ** 2, 1)


@pytest.mark.parametrize(("call", "argument"), [
    (lambda: noise_schedule("quadratic"), "kind"),
    (lambda: noise_schedule(T=0), "T"),
    (lambda: noise_schedule(beta_end=1.5), "beta_end"),
    (lambda: noise_schedule("cosine", s=-1), "s"),
    (lambda: NoiseSchedule.from_betas([0.1, 0.0]), "betas"),
    (lambda: noise_schedule(T=10).alpha_bar_at(11), "t"),
    (lambda: noise_schedule(T=10).alpha_bar_at(2.5), "t"),
    (lambda: noise_schedule(T=10).forward(np.ones(3), 1, noise=np.ones(4)), "noise"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(VizkitError, match=f"`{argument}"):
        call()


def test_the_users_betas_stay_writeable():
    betas = np.full(4, 0.1)
    schedule = NoiseSchedule.from_betas(betas)
    betas[0] = 0.5
    assert schedule.betas[0] == 0.1 and not schedule.betas.flags.writeable


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzzing import fuzz_settings  # noqa: E402


@fuzz_settings(40)
@given(betas=st.lists(st.floats(1e-6, 0.999), min_size=1, max_size=60), seed=st.integers(0, 2**16))
def test_any_schedule_shrinks_the_signal_and_keeps_the_two_factors_on_the_unit_circle(betas, seed):
    schedule = NoiseSchedule.from_betas(betas)
    bar = schedule.alpha_bar_at(np.arange(schedule.T + 1))
    assert bar[0] == 1 and np.all(np.diff(bar) < 0) and np.all(bar > 0)
    table = schedule.table()
    np.testing.assert_allclose(table["signal"] ** 2 + table["noise"] ** 2, 1)
    x0, noise = np.random.default_rng(seed).standard_normal((2, 5))
    t = int(np.random.default_rng(seed).integers(0, schedule.T + 1))
    np.testing.assert_allclose(schedule.forward(x0, t, noise=noise), np.sqrt(bar[t]) * x0 + np.sqrt(1 - bar[t]) * noise)
