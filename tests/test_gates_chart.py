"""vk.gates: each panel draws its gate or state as units × time, on the scale of its kind, with the input above."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from tests.fuzzing import fuzz_settings
from vizkit.errors import VizkitError
from vizkit.ml import GatesDisplay


def _arrays(steps=12, units=3, seed=0):
    rng = np.random.default_rng(seed)
    return {"z": rng.random((steps, units)), "h": np.tanh(2 * rng.normal(size=(steps, units)))}


def test_each_panel_draws_its_array_units_by_time_on_its_scale():
    arrays = _arrays()
    shown = vk.gates(arrays, gate_names=["z"], input=np.arange(12.0), mark=[3, 7])
    assert shown.panels_ == ["z", "h"] and len(shown.axes_) == 3
    for ax, name in zip(shown.axes_[1:], ["z", "h"], strict=True):
        cells = vk.plotted_data(ax)
        assert set(cells["name"]) == {name}
        drawn = cells.pivot(index="unit", columns="step", values="value").to_numpy()
        np.testing.assert_array_equal(drawn, arrays[name].T)  # rows are units, columns time steps
        assert np.array_equal(ax.images[0].get_array(), arrays[name].T)
    gate, state = shown.heatmaps_
    assert (gate.vmin_, gate.vmax_, gate.center_) == (0.0, 1.0, None)       # sequential, fixed to [0, 1]
    assert (state.vmin_, state.vmax_, state.center_) == (-1.0, 1.0, 0)     # diverging around 0
    assert [h.artists_["colorbar"].ax.get_ylabel() for h in shown.heatmaps_] == ["gate", "state"]
    drawn_input = vk.plotted_data(shown.axes_[0])
    np.testing.assert_array_equal(drawn_input["x"], np.arange(12.0))
    np.testing.assert_array_equal(shown.axes_[0].lines[0].get_ydata(), np.arange(12.0))
    outlined = [p for p in shown.axes_[2].patches if not p.get_fill()]
    assert sorted(round(p.get_x() + 0.5) for p in outlined) == [3, 7]
    assert all(ax.get_xlim() == (-0.5, 11.5) for ax in shown.axes_)       # one time axis
    assert shown.axes_[-1].get_xlabel() == "time step t"
    assert vk.lint(shown.figure_) == []
    plt.close(shown.figure_)


def test_a_state_beyond_one_widens_the_scale_symmetrically_and_tokens_label_the_steps():
    cell = np.linspace(-0.5, 2.5, 10)[:, None]  # an LSTM's cell state is not bounded by 1
    shown = vk.gates({"c": cell}, tokens=list("((a)b)((c)"))
    assert (shown.heatmaps_[0].vmin_, shown.heatmaps_[0].vmax_) == (-2.5, 2.5)
    assert vk.plotted_data(shown.axes_[0])["token"].tolist() == list("((a)b)((c)")
    assert vk.gates({**_arrays(10), "c": cell}, names=["c", "z"]).panels_ == ["c", "z"]  # chosen, in that order
    assert [t.get_text() for t in shown.axes_[0].texts] == list("((a)b)((c)")
    plt.close(shown.figure_)


def test_from_trace_picks_one_sequence_layer_and_direction():
    torch = pytest.importorskip("torch")
    import vizkit.torch as vt

    torch.manual_seed(0)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # oneDNN's kernels with two OpenMP threads on a busy machine take seconds
    gru = torch.nn.GRU(2, 4, num_layers=2, bidirectional=True, batch_first=True)
    trace = vt.recurrent_trace(gru, torch.randn(3, 6, 2))
    found = GatesDisplay.from_trace(trace, sequence=2, layer=0, direction="reverse", names=["z", "h"])
    for name in ("z", "h"):
        drawn = found.table_.query("name == @name").pivot(index="unit", columns="step", values="value")
        np.testing.assert_array_equal(drawn.to_numpy(), trace.get(name, layer=0, direction="reverse")[2].T)
    np.testing.assert_array_equal(found.input_, trace.input[2])
    assert [p.label for p in found.panels] == ["update gate z", "hidden state h"]
    assert [p.vmax_ for p in found.panels] == [1.0, 1.0]
    relu = vt.recurrent_trace(torch.nn.RNN(2, 3, nonlinearity="relu"), torch.randn(5, 1, 2))
    positive = GatesDisplay.from_trace(relu).panels[0]
    assert positive.vmin_ == 0 and positive.center_ is None  # a ReLU state is not centred on 0
    torch.set_num_threads(threads)


@fuzz_settings(6)
@given(steps=st.integers(1, 30), units=st.integers(1, 12), features=st.integers(1, 3), seed=st.integers(0, 99))
def test_any_size_draws_every_cell(steps, units, features, seed):
    arrays = _arrays(steps, units, seed)
    shown = vk.gates(arrays, gate_names="z", input=np.random.default_rng(seed).normal(size=(steps, features)))
    assert len(shown.table_) == 2 * steps * units
    assert len(vk.plotted_data(shown.axes_[1])) == steps * units
    plt.close(shown.figure_)


def test_bad_input_names_the_argument():
    arrays = _arrays()
    with pytest.raises(VizkitError, match="`trace` must be what vizkit.torch.recurrent_trace returns"):
        vk.gates(np.zeros((3, 4)))
    with pytest.raises(VizkitError, match="`arrays` must be arrays of one length in time"):
        vk.gates({"a": np.zeros((3, 2)), "b": np.zeros((4, 2))})
    with pytest.raises(VizkitError, match=r"`arrays\['h'\]` must be gate values in \[0, 1\]"):
        vk.gates(arrays, gate_names=["h"])
    with pytest.raises(VizkitError, match="`gate_names` must be names of `arrays`"):
        vk.gates(arrays, gate_names=["f"])
    with pytest.raises(VizkitError, match=r"`arrays\['z'\]` must be finite values"):
        vk.gates({"z": np.full((3, 2), np.nan)})
    with pytest.raises(VizkitError, match=r"`input` must be one value \(or row\) per time step \(12\)"):
        vk.gates(arrays, input=np.zeros(5))
    with pytest.raises(VizkitError, match=r"`tokens` must be one label per time step \(12\)"):
        vk.gates(arrays, tokens=["a"])
    with pytest.raises(VizkitError, match="`names` must be keys of `trace`"):
        vk.gates(arrays, names=["f"])
    with pytest.raises(VizkitError, match="`mark` must be"):
        vk.gates(arrays, mark=12)
    assert plt.get_fignums() == []  # a refused call draws nothing
