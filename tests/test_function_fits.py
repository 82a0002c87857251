"""vk.function_fits: the fitted function at chosen steps against the target, a row per optimizer, a column per step."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.io import RunWriter
from vizkit.ml import FunctionFitDisplay

X = np.linspace(-np.pi, np.pi, 31)


def target(x):
    return np.sin(x) + 0.3 * np.sin(3 * x)


def saved_runs(folder, fits: dict) -> pd.DataFrame:
    """One run per (optimizer, seed) that saved ``fits[(optimizer, seed)][step]`` on X; read back with read_runs."""
    for (optimizer, seed), by_step in fits.items():
        with RunWriter(folder / f"{optimizer}-{seed}", config={"optimizer": optimizer, "seed": seed}) as run:
            run.log(step=0, loss=1.0)
            for step, y in by_step.items():
                run.log_array("fit", step=step, x=X, y=y)
    return vk.read_runs(str(folder / "*"))


@pytest.fixture
def race(tmp_path):
    fits = {("SGD", seed): {0: 0 * X, 50: 0.5 * target(X) + 0.1 * seed} for seed in (0, 1)}
    fits |= {("Adam", seed): {0: 0 * X, 50: target(X) + 0.01 * seed} for seed in (0, 1)}
    return saved_runs(tmp_path, fits)


def test_each_panel_draws_the_mean_of_the_seeds_their_range_and_the_target(race):
    display = vk.function_fits(race, target=target)
    assert display.axes_.shape == (2, 2)
    assert display.groups_ == ["Adam", "SGD"]                                # the order read_runs gives the runs
    row = 1
    ax = display.axes_[row, 1]
    fit = display.artists_[("SGD", 50)]["fit"]
    np.testing.assert_allclose(fit.get_ydata(), 0.5 * target(X) + 0.05)               # mean of seeds 0 and 1
    np.testing.assert_allclose(display.artists_[("SGD", 50)]["target"].get_ydata(), target(X))
    band = display.artists_[("SGD", 50)]["band"].get_paths()[0].vertices
    assert band[:, 1].min() == pytest.approx((0.5 * target(X)).min())
    assert band[:, 1].max() == pytest.approx((0.5 * target(X) + 0.1).max())
    drawn = vk.plotted_data(ax)
    assert set(drawn["group"]) == {"SGD"} and set(drawn["step"]) == {50} and set(drawn["runs"]) == {2}
    np.testing.assert_allclose(drawn["x"], X)
    assert [a.get_title() for a in display.axes_[0]] == ["start", "after 50 steps"]
    assert display.axes_[row, 0].get_ylabel() == "SGD"
    plt.close(display.figure_)


def test_rmse_is_that_of_the_mean_prediction_to_the_target(race):
    display = FunctionFitDisplay.from_runs(race, target=target)
    assert display.ax_ is None                                            # computed, not drawn
    expected = np.sqrt(np.mean((0.5 * target(X) + 0.05 - target(X)) ** 2))
    assert display.rmse_.loc["SGD", 50] == pytest.approx(expected)
    assert display.rmse_.loc["Adam", 0] == pytest.approx(np.sqrt(np.mean(target(X) ** 2)))
    assert display.rmse_.loc["Adam", 50] < display.rmse_.loc["SGD", 50]
    assert display.rmse_.index.name == "optimizer"
    shown = display.plot()
    assert [t.get_text() for t in shown.figure_.legends[0].get_texts()] == [
        "target", "fit: mean of the seeds", "range of the seeds"]
    assert shown.artists_[("SGD", 50)]["rmse"].get_text() == f"RMSE {expected:.2g}"
    plt.close(shown.figure_)


def test_steps_chooses_the_columns_and_names_the_saved_ones_when_wrong(race):
    display = vk.function_fits(race, target=target, steps=[50])
    assert display.axes_.shape == (2, 1) and display.steps_ == [50]
    plt.close(display.figure_)
    with pytest.raises(VizkitValueError, match=r"`steps`.*saved at \(0, 50\)"):
        FunctionFitDisplay.from_runs(race, target=target, steps=[20])


def test_a_frame_of_predictions_and_a_frame_target(tmp_path):
    frame = pd.DataFrame({"epoch": np.repeat([1, 2], X.size), "t": np.tile(X, 2), "pred": np.tile(np.sin(X), 2)})
    truth = pd.DataFrame({"t": X, "pred": np.sin(X)})
    display = FunctionFitDisplay.from_frame(frame, target=truth, x="t", y="pred", step="epoch")
    assert display.rmse_.to_numpy().tolist() == [[0.0, 0.0]]
    with pytest.raises(VizkitValueError, match=r"`target`.*'pred' for every 't'"):
        FunctionFitDisplay.from_frame(frame, target=truth.iloc[:-1], x="t", y="pred", step="epoch")


def test_bad_input_is_named(race, tmp_path):
    with pytest.raises(VizkitTypeError, match=r"`runs` must be what vizkit.read_runs returned"):
        vk.function_fits(pd.DataFrame({"x": [1]}), target=target)
    with pytest.raises(Exception, match=r"`by`.*'lr'"):
        vk.function_fits(race, target=target, by="lr")
    with pytest.raises(VizkitTypeError, match=r"`target` must be a function of x"):
        vk.function_fits(race, target=[1, 2, 3])
    with pytest.raises(VizkitValueError, match=r"`array`.*run '.*' has none.*saved: 'fit'"):
        vk.function_fits(race, target=target, array="predictions")
    short = saved_runs(tmp_path / "short", {("SGD", 0): {5: 0 * X[:-1]}})
    with pytest.raises(VizkitValueError, match=r"`array`.*same length.*step 5: 31 inputs, 30 predictions"):
        vk.function_fits(short, target=target)
    for seed, grid in enumerate([X, X + 0.01]):                            # two seeds on different inputs
        with RunWriter(tmp_path / "shifted" / f"s{seed}", config={"optimizer": "SGD"}) as run:
            run.log(step=0, loss=1.0)
            run.log_array("fit", step=5, x=grid, y=0 * grid)
    with pytest.raises(VizkitValueError, match=r"same inputs x in every run of a group"):
        vk.function_fits(vk.read_runs(str(tmp_path / "shifted" / "*")), target=target)
    assert not plt.get_fignums() or all(not plt.figure(n).axes for n in plt.get_fignums())   # nothing drawn


def test_a_categorical_by_column_orders_the_rows(race):
    race["optimizer"] = race["optimizer"].astype("category").cat.set_categories(["SGD", "Adam"])
    display = FunctionFitDisplay.from_runs(race, target=target)
    assert display.groups_ == ["SGD", "Adam"] and list(display.rmse_.index) == ["SGD", "Adam"]


def test_one_run_draws_no_band_and_says_fit(tmp_path):
    runs = saved_runs(tmp_path, {("Adam", 0): {0: 0 * X, 10: target(X)}})
    display = vk.function_fits(runs, target=target)
    assert display.artists_[("Adam", 10)]["band"] is None
    assert [t.get_text() for t in display.figure_.legends[0].get_texts()] == ["target", "fit"]
    plt.close(display.figure_)
