"""vizkit._core.smoothing and ``smooth=`` of the charts of runs: TensorBoard's weight, the window, the checks."""

import math

import numpy as np
import pytest

from vizkit._core.smoothing import EMA_WINDOW_WEIGHT, ema, ema_window, halflife_of_weight
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.ml._runs import check_smooth


@pytest.mark.parametrize("weight, halflife", [(0.5, 1.0), (0.6, 1.357), (0.9, 6.579), (0.99, 68.968)])
def test_a_tensorboard_weight_is_the_half_life_whose_one_step_weight_it_is(weight, halflife):
    assert halflife_of_weight(weight) == pytest.approx(halflife, abs=1e-3)
    assert 0.5 ** (1 / halflife_of_weight(weight)) == pytest.approx(weight)


def test_ema_of_a_converted_weight_is_tensorboards_debiased_average(rng):
    values, weight = rng.normal(size=300), 0.95
    last, expected = 0.0, []
    for i, value in enumerate(values, start=1):  # TensorBoard's smoothing, as its dashboard computes it
        last = last * weight + (1 - weight) * value
        expected.append(last / (1 - weight ** i))
    np.testing.assert_allclose(ema(np.arange(300), values, halflife_of_weight(weight)), expected, rtol=1e-9)


@pytest.mark.parametrize("halflife", [0.3, 1, 5, 10, 37.5])
def test_the_window_holds_90_percent_of_the_weight(halflife):
    window = ema_window(halflife)
    share = 1 - 0.5 ** (window / halflife)  # the weight of the last `window` steps of an infinite series
    assert share >= EMA_WINDOW_WEIGHT - 1e-12
    assert window == 1 or 1 - 0.5 ** ((window - 1) / halflife) < EMA_WINDOW_WEIGHT


@pytest.mark.parametrize("smooth, halflife", [
    (None, None), (0, None), (0.0, None), (0.9, math.log(0.5) / math.log(0.9)), (0.6, math.log(0.5) / math.log(0.6)),
    (1, 1.0), (5, 5.0), (np.float32(10), 10.0), (np.int64(3), 3.0)])
def test_smooth_below_one_is_a_tensorboard_weight_and_from_one_a_half_life(smooth, halflife):
    assert check_smooth(smooth) == (pytest.approx(halflife) if halflife is not None else None)


@pytest.mark.parametrize("smooth, error", [(-0.5, VizkitValueError), (float("nan"), VizkitValueError),
                                           (float("inf"), VizkitValueError), ("0.9", VizkitTypeError),
                                           (True, VizkitTypeError), ([5], VizkitTypeError)])
def test_a_bad_smooth_names_both_forms(smooth, error):
    with pytest.raises(error, match=r"`smooth` must be None, a half-life in steps \(a number >= 1, e.g. 10\), "
                                    r"or TensorBoard's smoothing weight \(a number in \[0, 1\), e.g. 0.9"):
        check_smooth(smooth)
