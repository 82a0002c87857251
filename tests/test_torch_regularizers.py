"""Regularizers on batches: label smoothing, mixup, augmentation and noise equal their definitions."""

import pytest

torch = pytest.importorskip("torch")

import numpy as np
from torch.utils.data import DataLoader, TensorDataset

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.torch import Augment, Mixup, add_noise, fit, mixup, smooth_labels, transform_batches
from vizkit.torch.loop import evaluate
from vizkit.torch.regularizers import AugmentParams

cross_entropy = torch.nn.functional.cross_entropy


@pytest.fixture(scope="module")
def digits():
    """The first 64 digits (8×8, inputs in [0, 1]) as an (N, 1, 8, 8) batch and their labels."""
    frame = vk.load_dataset("digits").iloc[:64]
    images = torch.tensor(frame.drop(columns="label").to_numpy(), dtype=torch.float32).view(-1, 1, 8, 8) / 16
    return images, torch.tensor(frame["label"].to_numpy())


def seeded(seed=0):
    return torch.Generator().manual_seed(seed)


# ------------------------------------------------------------------ label smoothing
def test_smoothed_rows_are_one_minus_epsilon_onehot_plus_epsilon_over_k(digits):
    _, labels = digits
    rows = smooth_labels(labels, 10, 0.1)
    expected = torch.full((len(labels), 10), 0.01)
    expected[torch.arange(len(labels)), labels] = 0.91
    torch.testing.assert_close(rows, expected, rtol=0, atol=1e-7)
    torch.testing.assert_close(rows.sum(dim=1), torch.ones(len(labels)))
    assert torch.equal(smooth_labels(labels, 10, 0.0), torch.nn.functional.one_hot(labels, 10).float())


@pytest.mark.parametrize("epsilon", [0.0, 0.1, 0.3, 1.0])
def test_cross_entropy_on_smoothed_rows_is_torchs_label_smoothing(digits, epsilon):
    _, labels = digits
    logits = torch.randn(len(labels), 10, generator=seeded())
    ours = cross_entropy(logits, smooth_labels(labels, 10, epsilon))
    torchs = cross_entropy(logits, labels, label_smoothing=epsilon)
    assert abs(float(ours) - float(torchs)) < 1e-6


def test_smooth_labels_refuses_what_is_not_class_indices():
    with pytest.raises(VizkitValueError, match=r"`targets` must be class indices in 0 \.\. 2"):
        smooth_labels(torch.tensor([0, 3]), 3, 0.1)
    with pytest.raises(VizkitValueError, match="`targets` must be a 1-D tensor of integer class indices"):
        smooth_labels(torch.tensor([0.0, 1.0]), 3, 0.1)
    with pytest.raises(VizkitValueError, match="`epsilon` must be a number >= 0 and <= 1"):
        smooth_labels(torch.tensor([0, 1]), 3, 1.5)
    with pytest.raises(VizkitTypeError, match="`targets` must be a torch.Tensor"):
        smooth_labels([0, 1], 3, 0.1)


# ------------------------------------------------------------------ mixup
def test_mixup_is_lambda_x_plus_one_minus_lambda_partner(digits):
    images, labels = digits
    mixed = mixup(images, labels, alpha=0.4, num_classes=10, generator=seeded(3))
    assert isinstance(mixed, Mixup) and isinstance(mixed.lam, float) and 0 <= mixed.lam <= 1
    assert sorted(mixed.index.tolist()) == list(range(len(labels)))                # a permutation
    lam, index = mixed.lam, mixed.index
    torch.testing.assert_close(mixed.inputs, lam * images + (1 - lam) * images[index])
    onehot = torch.nn.functional.one_hot(labels, 10).float()
    torch.testing.assert_close(mixed.targets, lam * onehot + (1 - lam) * onehot[index])
    # same generator seed, same mix; the global generator is not touched
    state = torch.random.get_rng_state()
    again = mixup(images, labels, alpha=0.4, num_classes=10, generator=seeded(3))
    assert torch.equal(torch.random.get_rng_state(), state)
    assert again.lam == lam and torch.equal(again.index, index) and torch.equal(again.inputs, mixed.inputs)


def test_mixup_weights_follow_beta_alpha_alpha():
    from scipy import stats

    x, y = torch.zeros(4, 2), torch.tensor([0, 1, 0, 1])
    generator = seeded(0)
    lams = [mixup(x, y, alpha=0.2, num_classes=2, generator=generator).lam for _ in range(400)]
    assert stats.kstest(lams, stats.beta(0.2, 0.2).cdf).pvalue > 0.01
    assert np.mean(np.minimum(lams, 1 - np.array(lams)) < 0.1) > 0.5    # alpha 0.2: mostly one image


def test_mixup_mixes_soft_targets_as_they_are(digits):
    images, labels = digits
    soft = smooth_labels(labels, 10, 0.1)
    mixed = mixup(images, soft, alpha=1.0, num_classes=10, generator=seeded(1))
    torch.testing.assert_close(mixed.targets, mixed.lam * soft + (1 - mixed.lam) * soft[mixed.index])


def test_mixup_refuses_bad_arguments(digits):
    images, labels = digits
    with pytest.raises(VizkitValueError, match="`alpha` must be a number > 0"):
        mixup(images, labels, alpha=0, num_classes=10)
    with pytest.raises(VizkitValueError, match=r"`targets` must be one target per input \(64\); got 3 targets"):
        mixup(images, labels[:3], alpha=0.2, num_classes=10)
    with pytest.raises(VizkitTypeError, match="`generator` must be a torch.Generator"):
        mixup(images, labels, alpha=0.2, num_classes=10, generator=0)


# ------------------------------------------------------------------ augmentation
def test_augment_with_everything_off_returns_the_images_unchanged(digits):
    images, _ = digits
    assert torch.equal(Augment()(images, generator=seeded()), images)


def test_the_same_generator_seed_gives_the_same_batch(digits):
    images, _ = digits
    augment = Augment(flip=True, shift=2, rotate=15, noise=0.1)
    first, second = augment(images, generator=seeded(7)), augment(images, generator=seeded(7))
    assert torch.equal(first, second)
    assert not torch.equal(first, augment(images, generator=seeded(8)))


def test_shifts_equal_a_random_crop_of_the_zero_padded_image(digits):
    images, _ = digits
    augment = Augment(shift=2)
    params = augment.sample(len(images), generator=seeded(1))
    assert params.shift.abs().max() == 2 and (params.shift != 0).any()
    padded = torch.nn.functional.pad(images, (2, 2, 2, 2))
    crops = torch.stack([padded[i, :, 2 - dy: 10 - dy, 2 - dx: 10 - dx] for i, (dx, dy) in enumerate(params.shift.tolist())])
    torch.testing.assert_close(augment.apply(images, params), crops, rtol=0, atol=1e-5)


def test_flips_mirror_left_right_and_rotations_turn_counter_clockwise(digits):
    images, _ = digits
    flips = Augment(flip=True).sample(len(images), generator=seeded(2))
    assert 0 < int(flips.flip.sum()) < len(images)
    flipped = Augment(flip=True).apply(images, flips)
    expected = torch.where(flips.flip[:, None, None, None], images.flip(-1), images)
    torch.testing.assert_close(flipped, expected, rtol=0, atol=1e-5)
    quarter = AugmentParams(flip=torch.tensor([False]), shift=torch.zeros(1, 2, dtype=torch.int64),
                            angle=torch.tensor([90.0], dtype=torch.float64))
    torch.testing.assert_close(Augment(rotate=90).apply(images[:1], quarter), images[:1].rot90(1, dims=(2, 3)),
                               rtol=0, atol=1e-5)


def test_rotation_angles_stay_within_the_range(digits):
    images, _ = digits
    params = Augment(rotate=10).sample(200, generator=seeded(0))
    assert params.angle.abs().max() <= 10 and params.angle.std() > 4
    assert params.labels()[:1] != ["original"] and Augment().sample(1).labels() == ["original"]


def test_augment_refuses_what_is_not_a_batch_of_images(digits):
    images, _ = digits
    with pytest.raises(VizkitValueError, match=r"`images` must be a batch of images of shape \(N, C, H, W\); "
                                               r"got a tensor of shape \(64, 64\)"):
        Augment(flip=True)(images.view(64, 64))
    with pytest.raises(VizkitTypeError, match="`images` must be a floating-point tensor"):
        Augment(flip=True)(torch.zeros(2, 1, 8, 8, dtype=torch.uint8))
    with pytest.raises(VizkitValueError, match="`rotate` must be a number >= 0 and <= 180"):
        Augment(rotate=-5)


def test_add_noise_has_the_asked_standard_deviation():
    noisy = add_noise(torch.ones(20_000), 0.3, generator=seeded())
    assert abs(float((noisy - 1).std()) - 0.3) < 0.01 and abs(float(noisy.mean()) - 1) < 0.01
    assert torch.equal(add_noise(torch.ones(3), 0.0), torch.ones(3))


# ------------------------------------------------------------------ with fit
def test_fit_trains_on_transformed_batches_drawn_anew_each_epoch(digits):
    images, labels = digits
    loader = DataLoader(TensorDataset(images, labels), batch_size=16)
    augment, generator = Augment(shift=1, noise=0.05), seeded(0)
    seen = []

    def augmented(inputs, targets):
        inputs = augment(inputs, generator)
        seen.append(inputs)
        return inputs, smooth_labels(targets, 10, 0.1)

    batches = transform_batches(loader, augmented)
    assert len(batches) == len(loader) == 4
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 10))
    history = fit(model, batches, val_loader=loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.5),
                  loss_fn=cross_entropy, epochs=3, progress=False)
    assert len(seen) == 12 and not torch.equal(seen[0], seen[4])                   # new draws each epoch
    losses = history.query("split == 'train' and metric == 'loss'")["value"].to_numpy()
    assert losses[-1] < losses[0]
    last_val = history.query("split == 'val' and metric == 'loss'")["value"].iloc[-1]
    assert last_val == pytest.approx(evaluate(model, loader, loss_fn=cross_entropy)["val_loss"])


def test_transform_batches_refuses_a_one_shot_iterator_and_bad_batches(digits):
    images, labels = digits
    with pytest.raises(VizkitTypeError, match="`loader` must be a re-iterable loader"):
        transform_batches(iter([(images, labels)]), lambda x, y: (x, y))
    with pytest.raises(VizkitTypeError, match="`fn` must be a callable"):
        transform_batches([(images, labels)], None)
    with pytest.raises(VizkitValueError, match="`loader` must be a loader of \\(inputs, targets\\) pairs"):
        list(transform_batches([images], lambda x, y: (x, y)))


# ------------------------------------------------------------------ properties
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzzing import fuzz_settings  # noqa: E402
from vizkit.errors import VizkitError  # noqa: E402

anything = st.one_of(st.none(), st.booleans(), st.integers(-5, 300), st.floats(allow_nan=True, allow_infinity=True),
                     st.text(max_size=5), st.just([0, 1]), st.just(torch.zeros(2, 2)))


@fuzz_settings(40)
@given(k=st.integers(2, 20), epsilon=st.floats(0, 1), n=st.integers(0, 12), seed=st.integers(0, 2**16))
def test_any_smoothed_row_sums_to_one_with_the_two_values_of_its_definition(k, epsilon, n, seed):
    targets = torch.randint(0, k, (n,), generator=seeded(seed))
    rows = smooth_labels(targets, k, epsilon)
    assert rows.shape == (n, k)
    torch.testing.assert_close(rows.sum(dim=1), torch.ones(n))
    expected = torch.full((n, k), epsilon / k)
    expected[torch.arange(n), targets] = 1 - epsilon + epsilon / k
    torch.testing.assert_close(rows, expected)


@fuzz_settings(40)
@given(height=st.integers(2, 12), width=st.integers(2, 12), shift=st.integers(0, 4), seed=st.integers(0, 2**16))
def test_any_shift_is_a_crop_of_the_padded_image(height, width, shift, seed):
    images = torch.rand(3, 2, height, width, generator=seeded(seed))
    augment = Augment(shift=shift)
    params = augment.sample(3, generator=seeded(seed))
    padded = torch.nn.functional.pad(images, (shift,) * 4)
    crops = torch.stack([padded[i, :, shift - dy: shift - dy + height, shift - dx: shift - dx + width]
                         for i, (dx, dy) in enumerate(params.shift.tolist())])
    torch.testing.assert_close(augment.apply(images, params), crops, rtol=0, atol=1e-5)


@fuzz_settings(24)
@given(flip=anything, shift=anything, rotate=anything, noise=anything, epsilon=anything, k=anything)
def test_bad_arguments_get_a_vizkit_error_naming_them(flip, shift, rotate, noise, epsilon, k):
    for call in (lambda: Augment(flip=flip, shift=shift, rotate=rotate, noise=noise),
                 lambda: smooth_labels(torch.tensor([0, 1]), k, epsilon),
                 lambda: mixup(torch.zeros(2, 3), torch.tensor([0, 1]), alpha=rotate, num_classes=k)):
        try:
            call()
        except VizkitError as error:
            assert "`" in str(error), str(error)
