"""vizkit.torch.recurrent_trace: the gates and states it recomputes give back what nn.RNN, nn.LSTM and nn.GRU return."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import fuzz_settings
from vizkit.errors import VizkitError

torch = pytest.importorskip("torch")
import vizkit.torch as vt  # noqa: E402



@pytest.fixture(autouse=True)
def one_thread():
    """One thread: oneDNN's LSTM kernel with two OpenMP threads on a busy machine takes seconds instead of ms."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


MODULES = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU, "RNN_TANH": torch.nn.RNN, "RNN_RELU": torch.nn.RNN}


def _module(kind, *, seed=0, **kwargs):
    torch.manual_seed(seed)
    if kind == "RNN_RELU":
        kwargs["nonlinearity"] = "relu"
    return MODULES[kind](**{"input_size": 3, "hidden_size": 5, **kwargs})


def _returned(module, x, hx=None):
    with torch.no_grad():
        output, state = module(x, hx)
    return (output, *state) if isinstance(state, tuple) else (output, state)


@pytest.mark.parametrize("kind", list(MODULES))
@pytest.mark.parametrize("batch_first", [True, False])
def test_recomputed_states_equal_the_modules_output_two_layers_bidirectional(kind, batch_first):
    module = _module(kind, num_layers=2, bidirectional=True, batch_first=batch_first)
    x = torch.randn(4, 9, 3) if batch_first else torch.randn(9, 4, 3)
    trace = vt.recurrent_trace(module, x)
    returned = _returned(module, x)
    recomputed = (trace.output, trace.h_n) + ((trace.c_n,) if kind == "LSTM" else ())
    for mine, theirs in zip(recomputed, returned, strict=True):  # float32 kernel against float64 steps
        assert mine.shape == tuple(theirs.shape)
        np.testing.assert_allclose(mine, theirs.numpy(), rtol=0, atol=1e-6)
    assert trace.max_error < 1e-6
    assert trace.directions == ("forward", "reverse") and trace.num_layers == 2
    # the output is the last layer's forward and reverse hidden states side by side, in input order
    top = np.concatenate([trace.get("h", direction=d) for d in trace.directions], axis=-1)
    np.testing.assert_array_equal(top, trace.output if batch_first else trace.output.swapaxes(0, 1))
    assert all(value.shape[:2] == (4, 9) for value in trace.arrays.values())  # batch first, whatever the module's


@pytest.mark.parametrize("kind", list(MODULES))
def test_in_float64_the_recomputation_is_exact_to_rounding(kind):
    module = _module(kind, num_layers=2, bidirectional=True, batch_first=True).double()
    x = torch.randn(2, 12, 3, dtype=torch.float64)
    trace = vt.recurrent_trace(module, x)
    assert trace.max_error < 1e-12
    np.testing.assert_allclose(trace.output, _returned(module, x)[0].numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind", list(MODULES))
def test_gates_lie_in_zero_one_and_states_in_their_ranges(kind):
    module = _module(kind, num_layers=2, batch_first=True)
    trace = vt.recurrent_trace(module, 3 * torch.randn(3, 20, 3))
    assert list(trace.names) == {"LSTM": ["i", "f", "g", "o", "c", "h"], "GRU": ["r", "z", "n", "h"]}.get(kind, ["h"])
    for (layer, direction, name), value in trace.arrays.items():
        if name in trace.gates:
            assert 0 <= value.min() and value.max() <= 1, name
        elif name in ("g", "n") or (name == "h" and kind != "RNN_RELU"):
            assert -1 <= value.min() and value.max() <= 1, name
    if kind == "LSTM":  # c_t = f_t c_{t-1} + i_t g_t, h_t = o_t tanh(c_t), step by step
        i, f, g, o, c, h = (trace.get(name, layer=0) for name in "ifgoch")
        previous = np.concatenate([np.zeros_like(c[:, :1]), c[:, :-1]], axis=1)
        np.testing.assert_allclose(c, f * previous + i * g, atol=1e-12)
        np.testing.assert_allclose(h, o * np.tanh(c), atol=1e-12)


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
def test_initial_state_unbatched_input_no_bias_and_projection():
    lstm = _module("LSTM", num_layers=2, proj_size=2, bias=False)
    h0, c0 = torch.randn(2, 1, 2), torch.randn(2, 1, 5)
    x = torch.randn(6, 1, 3)
    trace = vt.recurrent_trace(lstm, x, (h0, c0))
    for mine, theirs in zip((trace.output, trace.h_n, trace.c_n), _returned(lstm, x, (h0, c0)), strict=True):
        np.testing.assert_allclose(mine, theirs.numpy(), atol=1e-6)
    assert trace.get("h").shape == (1, 6, 2) and trace.get("c").shape == (1, 6, 5)
    gru = _module("GRU", batch_first=True)
    sequence = torch.randn(7, 3)  # one unbatched sequence
    unbatched = vt.recurrent_trace(gru, sequence, torch.randn(1, 5))
    assert unbatched.output.shape == (7, 5) and unbatched.h_n.shape == (1, 5) and unbatched.max_error < 1e-6
    assert unbatched.get("z").shape == (1, 7, 5)
    np.testing.assert_allclose(vt.recurrent_trace(gru, sequence.numpy()).output,  # an array works too
                               vt.recurrent_trace(gru, sequence).output)


def test_dropout_warns_that_the_trace_is_of_eval_mode_and_the_module_keeps_its_mode():
    module = _module("GRU", num_layers=2, dropout=0.5).train()
    with pytest.warns(UserWarning, match="eval mode"):
        trace = vt.recurrent_trace(module, torch.randn(5, 2, 3))
    assert module.training and trace.max_error < 1e-6  # equals what the module gives in eval mode


@fuzz_settings(16)
@given(kind=st.sampled_from(list(MODULES)), input_size=st.integers(1, 4), hidden=st.integers(1, 4),
       layers=st.integers(1, 3), bidirectional=st.booleans(), batch_first=st.booleans(), bias=st.booleans(),
       batch=st.integers(1, 3), steps=st.integers(1, 6))
def test_any_size_recomputes_the_output(kind, input_size, hidden, layers, bidirectional, batch_first, bias,
                                        batch, steps):
    module = _module(kind, input_size=input_size, hidden_size=hidden, num_layers=layers, bias=bias,
                     bidirectional=bidirectional, batch_first=batch_first)
    x = torch.randn((batch, steps, input_size) if batch_first else (steps, batch, input_size))
    trace = vt.recurrent_trace(module, x)
    np.testing.assert_allclose(trace.output, _returned(module, x)[0].numpy(), atol=1e-6)
    assert len(trace.arrays) == layers * (2 if bidirectional else 1) * len(trace.names)
    assert all(0 <= trace.arrays[key].min() and trace.arrays[key].max() <= 1
               for key in trace.arrays if key[2] in trace.gates)


@pytest.mark.parametrize("bad", [torch.nn.Linear(3, 5), torch.nn.LSTMCell(3, 5), "lstm"])
def test_a_module_that_is_not_a_recurrent_layer_is_refused(bad):
    with pytest.raises(VizkitError, match="`rnn_module` must be an nn.RNN, nn.LSTM or nn.GRU"):
        vt.recurrent_trace(bad, torch.randn(2, 4, 3))


def test_a_model_around_one_recurrent_layer_is_refused_naming_that_layer():
    model = torch.nn.Sequential(torch.nn.Embedding(20, 8), torch.nn.LSTM(8, 6, batch_first=True))
    with pytest.raises(VizkitError, match=r"got a Sequential\. The model holds '1': pass that layer"):
        vt.recurrent_trace(model, torch.randint(0, 20, (3, 12)))


def test_wrong_inputs_name_the_argument():
    lstm = _module("LSTM", batch_first=True)
    with pytest.raises(VizkitError, match=r"`x` must be a \(batch, time, features\).*input_size = 3.*\(2, 4, 4\)"):
        vt.recurrent_trace(lstm, torch.randn(2, 4, 4))
    with pytest.raises(VizkitError, match="`x` must be"):
        vt.recurrent_trace(lstm, torch.randn(3))
    with pytest.raises(VizkitError, match="`x` must be a tensor"):
        vt.recurrent_trace(lstm, [["a", "b", "c"]])
    with pytest.raises(VizkitError, match="`hx` must be a tuple"):
        vt.recurrent_trace(lstm, torch.randn(2, 4, 3), torch.zeros(1, 2, 5))
    with pytest.raises(VizkitError, match=r"`hx` must be a tensor of shape \(1, 2, 5\)"):
        vt.recurrent_trace(lstm, torch.randn(2, 4, 3), (torch.zeros(1, 3, 5), torch.zeros(1, 2, 5)))
    packed = torch.nn.utils.rnn.pack_sequence([torch.randn(4, 3), torch.randn(2, 3)])
    with pytest.raises(VizkitError, match="PackedSequence"):
        vt.recurrent_trace(lstm, packed)
    trace = vt.recurrent_trace(lstm, torch.randn(2, 4, 3))
    with pytest.raises(VizkitError, match="`name` must be one of"):
        trace.get("z")
    with pytest.raises(VizkitError, match="`direction` must be one of"):
        trace.get("h", direction="reverse")
    with pytest.raises(VizkitError, match="`layer` must be"):
        trace.get("h", layer=1)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_a_module_on_the_gpu_is_traced_on_the_cpu_and_compared_with_its_own_kernel():
    module = _module("LSTM", num_layers=2, bidirectional=True, batch_first=True).double().cuda()  # cuDNN, no TF32
    x = torch.randn(3, 10, 3, dtype=torch.float64, device="cuda")
    trace = vt.recurrent_trace(module, x)
    assert trace.max_error < 1e-10
    np.testing.assert_allclose(trace.output, _returned(module, x)[0].cpu().numpy(), atol=1e-10)
