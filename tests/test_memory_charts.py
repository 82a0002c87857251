"""vk.hidden_gradients and vk.memory_reach: what is drawn is the table given, the findings are computed from it."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import vizkit as vk
from tests.training_scripts import ROOT
from vizkit.ml import HiddenGradientsDisplay, MemoryReachDisplay

RUN = ROOT / "training_runs" / "runs" / "rnn_memory"


@pytest.fixture
def norms():
    return pd.read_csv(RUN / "hidden_gradients.csv")


def test_the_drawn_lines_are_the_committed_gradient_norms_and_the_rnn_vanishes(norms):
    trained = norms.query("stage == 'after training'")
    fig, ax = plt.subplots()
    found = HiddenGradientsDisplay.from_frame(trained, order=["RNN", "LSTM", "GRU"]).plot(ax=ax)
    assert ax.get_yscale() == "log"
    for model, line in found.artists_["lines"].items():
        rows = trained.query("model == @model").sort_values("step")
        np.testing.assert_array_equal(line.get_xdata(), rows["step"])
        np.testing.assert_array_equal(line.get_ydata(), rows["grad_norm"])
        assert found.reach_[model] == pytest.approx(rows["grad_norm"].iloc[0] / rows["grad_norm"].iloc[-1])
    assert found.vanishing_ == ["RNN"]                     # about a millionth reaches the first step
    assert found.reach_["RNN"] < 1e-5 and found.reach_["LSTM"] > 1 and found.reach_["GRU"] > 1
    drawn = vk.plotted_data(ax)
    assert len(drawn) == len(trained) and [t.get_text() for t in ax.get_legend().get_texts()] == ["RNN", "LSTM", "GRU"]
    plt.close(fig)


def test_the_task_is_the_title_and_bad_tables_are_refused(norms):
    ax = vk.hidden_gradients(norms.query("stage == 'initialisation'"), task="label = sign of the first value")
    assert ax.get_title(loc="left") == "label = sign of the first value"
    with pytest.raises(vk.errors.VizkitValueError, match="one row per model and step"):
        vk.hidden_gradients(norms)                          # two stages mixed
    with pytest.raises(vk.errors.VizkitValueError, match="logarithmic"):
        vk.hidden_gradients(norms.assign(grad_norm=0.0).query("stage == 'initialisation'"))
    with pytest.raises(vk.errors.VizkitValueError, match="`order`"):
        vk.hidden_gradients(norms.query("stage == 'initialisation'"), order=["RNN", "LSTM"])
    plt.close("all")


def test_memory_reach_draws_the_sensitivities_the_window_and_the_errors():
    reach = pd.read_csv(RUN / "memory_reach.csv")
    errors = pd.read_csv(RUN / "memory_errors.csv").set_index("model")["test_mse"].to_dict()
    fig, ax = plt.subplots()
    found = MemoryReachDisplay.from_frame(reach, window=4, depends_on=8, errors=errors).plot(ax=ax)
    for model, line in found.artists_["lines"].items():
        np.testing.assert_allclose(line.get_ydata(), reach.query("model == @model").sort_values("lag")["sensitivity"])
    ar = reach.query("model == 'AR, window 4'")
    assert (ar.query("lag > 4")["sensitivity"] == 0).all()  # nothing past the window reaches the AR model
    assert found.peak_lag_["RNN"] == 8 and found.reach_["AR, window 4"] <= 4 and found.best_ == "RNN"
    assert errors["AR, window 4"] > 0.95 and errors["RNN"] < 0.45   # the variance 1 against the noise floor 0.36
    window = found.artists_["window"].get_window_extent()                  # lags 1 to 4 shaded: 0.5 to 4.5
    np.testing.assert_allclose(ax.transData.inverted().transform(window)[:, 0], [0.5, 4.5])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"RNN: test MSE {errors['RNN']:.2f}" in labels and "AR window: the last 4 values" in labels
    assert found.artists_["depends_on"].get_xdata()[0] == 8
    with pytest.raises(vk.errors.VizkitValueError, match="`errors`"):
        vk.memory_reach(reach, errors={"CNN": 1.0})
    with pytest.raises(vk.errors.VizkitValueError, match="`window`"):
        vk.memory_reach(reach, window=0)
    plt.close(fig)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzzing import fuzz_settings  # noqa: E402


@fuzz_settings(20)
@given(st.lists(st.floats(1e-30, 1e30), min_size=2, max_size=12), st.integers(1, 3))
def test_any_positive_norms_are_drawn_as_given_and_reach_is_first_over_last(values, models):
    norms = np.array(values)
    data = pd.DataFrame({"model": np.repeat([f"m{i}" for i in range(models)], len(norms)),
                         "step": np.tile(np.arange(len(norms)), models), "grad_norm": np.tile(norms, models)})
    fig, ax = plt.subplots()
    found = HiddenGradientsDisplay.from_frame(data.sample(frac=1, random_state=0)).plot(ax=ax)  # any row order
    for line in found.artists_["lines"].values():
        np.testing.assert_array_equal(line.get_ydata(), norms)
    assert set(found.reach_.values()) == {norms[0] / norms[-1]}
    assert (found.vanishing_ != []) == (norms[0] / norms[-1] < 1e-3)
    plt.close(fig)
