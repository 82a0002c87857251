"""vizkit.torch.hidden_state_gradients and lag_sensitivity: exact gradients through time, checked independently."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

import vizkit as vk  # noqa: E402
from vizkit.torch import hidden_state_gradients, lag_sensitivity  # noqa: E402


def _head_loss(head, y):
    return lambda out: nn.functional.cross_entropy(head(out[:, -1]), y) + 0.1 * out.pow(2).mean()


def _loss_after(rnn, x, loss, t, h_t, state_t, outputs_before):
    """The loss as a function of h_t: steps up to t fixed, h_t replaced, the rest run from it."""
    h = state_t[0].clone() if isinstance(state_t, tuple) else state_t.clone()
    h[-1] = h_t
    state = (h, state_t[1]) if isinstance(state_t, tuple) else h
    outputs = list(outputs_before) + [h_t]
    for step in x[:, t + 1:].unbind(1):
        _, state = rnn(step[:, None], state)
        outputs.append((state[0] if isinstance(state, tuple) else state)[-1])
    return loss(torch.stack(outputs, 1))


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_the_norms_match_central_finite_differences_of_the_loss_in_h_t(kind):
    """Two layers, float64: ⟨∂loss/∂h_t, v⟩ equals (loss(h_t + εv) − loss(h_t − εv)) / 2ε along v = the gradient's direction."""
    torch.manual_seed(0)
    rnn = getattr(nn, kind)(3, 5, num_layers=2, batch_first=True).double()
    head = nn.Linear(5, 2).double()
    x, y = torch.randn(4, 7, 3, dtype=torch.float64), torch.tensor([0, 1, 1, 0])
    loss = _head_loss(head, y)
    norms = hidden_state_gradients(rnn, x, loss)
    assert norms.shape == (7,) and (norms > 0).all()
    with torch.no_grad():
        state, outputs = None, []
        for t in range(7):
            _, state = rnn(x[:, t:t + 1], state)
            h_t = (state[0] if isinstance(state, tuple) else state)[-1]
            direction = torch.randn_like(h_t)
            eps = 1e-6
            slope = (_loss_after(rnn, x, loss, t, h_t + eps * direction, state, outputs)
                     - _loss_after(rnn, x, loss, t, h_t - eps * direction, state, outputs)) / (2 * eps)
            # the gradient itself, by autograd on the same function of h_t: its norm is what the function reports
            leaf = h_t.clone().requires_grad_(True)
            with torch.enable_grad():
                grad, = torch.autograd.grad(_loss_after(rnn, x, loss, t, leaf, state, outputs), leaf)
            assert float((grad * direction).sum()) == pytest.approx(float(slope), rel=1e-6, abs=1e-10)
            assert norms[t] == pytest.approx(float(grad.norm()), rel=1e-9)
            outputs.append(h_t)


def test_the_last_step_gets_only_the_direct_gradient_and_the_module_gets_no_grad():
    torch.manual_seed(1)
    rnn = nn.GRU(2, 4)                                          # T × N × features
    x = torch.randn(6, 3, 2)
    norms = hidden_state_gradients(rnn, x, lambda out: out[-1].sum())
    assert norms[-1] == pytest.approx(np.sqrt(3 * 4))           # ∂(Σ h_T)/∂h_T is all ones
    assert all(p.grad is None for p in rnn.parameters())
    with torch.no_grad():                                       # works under no_grad too
        again = hidden_state_gradients(rnn, x, lambda out: out[-1].sum())
    np.testing.assert_allclose(again, norms)


def test_the_stacked_states_equal_the_modules_own_output():
    torch.manual_seed(2)
    rnn = nn.LSTM(2, 4, num_layers=2, batch_first=True)
    x = torch.randn(3, 9, 2)
    seen = []
    hidden_state_gradients(rnn, x, lambda out: seen.append(out.detach()) or out.sum())
    np.testing.assert_allclose(seen[0].numpy(), rnn(x)[0].detach().numpy(), rtol=1e-6, atol=1e-6)


def test_a_plain_rnn_vanishes_where_a_kept_lstm_cell_does_not():
    torch.manual_seed(0)
    x = torch.randn(8, 40, 1)
    rnn, lstm = nn.RNN(1, 16, batch_first=True), nn.LSTM(1, 16, batch_first=True)
    with torch.no_grad():
        lstm.bias_hh_l0[16:32] += 6.0                           # forget gate ~1: the cell carries the gradient
    last = lambda out: out[:, -1].sum()  # noqa: E731
    plain, kept = hidden_state_gradients(rnn, x, last), hidden_state_gradients(lstm, x, last)
    assert plain[0] / plain[-1] < 1e-6 < 1e-2 < kept[0] / kept[-1]


def test_bad_input_is_named():
    rnn = nn.RNN(2, 3, batch_first=True)
    with pytest.raises(vk.errors.VizkitTypeError, match="`rnn`"):
        hidden_state_gradients(nn.Linear(2, 3), torch.randn(1, 4, 2), sum)
    with pytest.raises(vk.errors.VizkitValueError, match="bidirectional"):
        hidden_state_gradients(nn.GRU(2, 3, bidirectional=True), torch.randn(4, 1, 2), sum)
    with pytest.raises(vk.errors.VizkitValueError, match="2 features"):
        hidden_state_gradients(rnn, torch.randn(1, 4, 5), sum)
    with pytest.raises(vk.errors.VizkitValueError, match="`loss`"):
        hidden_state_gradients(rnn, torch.randn(1, 4, 2), lambda out: out)


def test_lag_sensitivity_is_a_linear_windows_weights_and_an_rnns_reach():
    torch.manual_seed(0)
    window = nn.Conv1d(1, 1, 3, bias=False)
    model = lambda x: window(nn.functional.pad(x.transpose(1, 2), (2, 0))).squeeze(1)  # noqa: E731
    reach = lag_sensitivity(model, torch.randn(4, 8, 1))
    expected = window.weight.detach().flatten().flip(0).abs().numpy()   # lag 0 is the last tap
    np.testing.assert_allclose(reach[:3], expected, rtol=1e-6)
    assert (reach[3:] == 0).all()
    rnn = nn.RNN(1, 4, batch_first=True)
    reach = lag_sensitivity(lambda x: rnn(x)[0][:, :, 0], torch.randn(4, 8, 1), at=5)
    assert reach.shape == (6,) and (reach > 0).all()                  # every earlier input, none after step 5
    with pytest.raises(vk.errors.VizkitValueError, match="`at`"):
        lag_sensitivity(model, torch.randn(4, 8, 1), at=8)
