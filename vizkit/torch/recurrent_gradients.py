"""Gradients through time: how much of the loss reaches each hidden state, and which inputs a prediction reads.

Lecture 7's long-term dependencies, measured. :func:`hidden_state_gradients`
runs an ``nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` one step at a time, carrying its
state, so every hidden state h_t is a tensor of the graph, and asks autograd
for ∂loss/∂h_t: the total derivative, through the loss's direct use of h_t
and through every later step (backpropagation through time). A plain RNN's
gradient shrinks by a factor at every step back; an LSTM's cell and a GRU's
update gate can pass it on unchanged. :func:`lag_sensitivity` is the
input-side view: |∂ŷ/∂x_{t-s}| over the lag s, which past inputs a
prediction depends on (a window-k autoregressive model: only the last k).

Both return NumPy arrays for the torch-free charts ``vk.hidden_gradients``
and ``vk.memory_reach``.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from vizkit._core.errors import bad_type, bad_value

__all__ = ["hidden_state_gradients", "lag_sensitivity"]


def _check_rnn(rnn) -> nn.RNNBase:
    if not isinstance(rnn, nn.RNNBase):
        raise bad_type("rnn", "an nn.RNN, nn.LSTM or nn.GRU", rnn)
    if rnn.bidirectional or getattr(rnn, "proj_size", 0):
        raise bad_value("rnn", "a one-directional recurrent layer without projections (a backward direction's "
                               "h_t depends on later inputs: its gradient over t tells another story)", rnn,
                        got=f"bidirectional={rnn.bidirectional}, proj_size={getattr(rnn, 'proj_size', 0)}")
    return rnn


def _check_sequences(x, rnn: nn.RNNBase) -> torch.Tensor:
    layout = "N×T×features" if rnn.batch_first else "T×N×features"
    if not isinstance(x, torch.Tensor):
        raise bad_type("x", f"a float tensor of {layout} (the layer's batch_first={rnn.batch_first})", x)
    if x.ndim != 3 or not x.is_floating_point() or 0 in x.shape or x.shape[2] != rnn.input_size:
        raise bad_value("x", f"a float tensor of {layout} with {rnn.input_size} features (the layer's input_size)",
                        x, got=f"a {x.dtype} tensor of shape {tuple(x.shape)}")
    return x


def hidden_state_gradients(rnn, x, loss) -> np.ndarray:
    """The norm of ∂loss/∂h_t for every step t: how much gradient reaches each hidden state of ``rnn``.

    ``rnn`` is run on ``x`` one step at a time from a zero state, carrying
    its state (h, and c for an LSTM), so h_t, the last layer's hidden state
    after step t, is a node of the graph; ``loss`` receives the hidden states
    stacked as ``rnn(x)[0]`` would give them and returns a scalar.
    ``torch.autograd.grad`` then gives the total derivative ∂loss/∂h_t
    (an LSTM's cell state c_t held fixed): what backpropagation through time
    hands to step t from the loss and from every later step.

    Parameters
    ----------
    rnn : nn.RNN, nn.LSTM or nn.GRU
        One direction, any number of layers, ``batch_first`` either way.
    x : Tensor
        Sequences, N×T×features (``batch_first=True``) or T×N×features.
    loss : callable
        ``loss(outputs) -> scalar tensor``, ``outputs`` shaped as
        ``rnn(x)[0]``; e.g. a head on the last step and a cross-entropy.

    Returns
    -------
    ndarray of shape (T,)
        ‖∂loss/∂h_t‖ (over the batch and the hidden units), t = 0 … T-1.
        The module's parameters get no ``.grad``.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch import hidden_state_gradients
    >>> _ = torch.manual_seed(0)
    >>> rnn = torch.nn.RNN(1, 8, batch_first=True)
    >>> x = torch.randn(4, 30, 1)
    >>> norms = hidden_state_gradients(rnn, x, lambda out: out[:, -1].sum())
    >>> norms.shape, bool(norms[0] < 1e-3 * norms[-1])   # the plain RNN's gradient vanishes toward t = 0
    ((30,), True)
    """
    rnn = _check_rnn(rnn)
    x = _check_sequences(x, rnn)
    if not callable(loss):
        raise bad_type("loss", "a function of the stacked hidden states (shaped as rnn(x)[0]) returning a scalar", loss)
    dim = 1 if rnn.batch_first else 0
    hidden, state = [], None
    with torch.enable_grad():
        for step in x.unbind(dim):
            _, state = rnn(step.unsqueeze(dim), state)
            h = state[0] if isinstance(state, tuple) else state   # layers × N × H; the next step reads this tensor
            hidden.append(h)
        outputs = torch.stack([h[-1] for h in hidden], dim=dim)
        value = loss(outputs)
        if not isinstance(value, torch.Tensor) or value.numel() != 1 or not value.requires_grad:
            raise bad_value("loss", "a function returning a scalar tensor computed from the hidden states", loss,
                            got=f"{type(value).__name__} {tuple(getattr(value, 'shape', ()))}")
        grads = torch.autograd.grad(value.reshape(()), hidden, allow_unused=True)
    return np.array([0.0 if g is None else float(g[-1].norm()) for g in grads])


def lag_sensitivity(model, x, *, at: int = -1) -> np.ndarray:
    """Mean |∂ŷ/∂x_{t-s}| over the lag s: how strongly a prediction at step t depends on each earlier input.

    Parameters
    ----------
    model : callable
        Maps N×T×features sequences to predictions: N×T or N×T×outputs (one
        per step; ``at`` chooses the step t) or N or N×outputs (one per
        sequence, made after the last step).
    x : Tensor
        Float N×T×features sequences.
    at : int, default -1
        The step whose prediction is differentiated (negative counts from the end).

    Returns
    -------
    ndarray of shape (t + 1,)
        Entry s is the mean over the batch of Σ|∂ŷ_t/∂x_{t-s}| (summed over
        outputs and features): s = 0 is the input at step t itself.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch import lag_sensitivity
    >>> window = torch.nn.Conv1d(1, 1, kernel_size=3)        # reads the last 3 inputs
    >>> model = lambda x: window(torch.nn.functional.pad(x.transpose(1, 2), (2, 0))).squeeze(1)
    >>> reach = lag_sensitivity(model, torch.randn(5, 10, 1))
    >>> reach.shape, int((reach > 0).sum())
    ((10,), 3)
    """
    if not callable(model):
        raise bad_type("model", "a module or function from N×T×features sequences to predictions", model)
    if not isinstance(x, torch.Tensor) or x.ndim != 3 or not x.is_floating_point() or 0 in x.shape:
        raise bad_value("x", "a float tensor of N×T×features sequences", x,
                        got=f"{type(x).__name__} {tuple(getattr(x, 'shape', ()))}")
    steps = x.shape[1]
    if not isinstance(at, (int, np.integer)) or isinstance(at, bool) or not -steps <= at < steps:
        raise bad_value("at", f"a step of the sequences, -{steps} to {steps - 1}", at)
    at = int(at) % steps
    with torch.enable_grad():
        inputs = x.detach().clone().requires_grad_(True)
        predictions = model(inputs)
        if not isinstance(predictions, torch.Tensor) or predictions.ndim == 0 or predictions.shape[0] != x.shape[0]:
            raise bad_value("model", "a model whose output has one row per sequence", model,
                            got=f"an output of {tuple(getattr(predictions, 'shape', ()))}")
        if predictions.ndim >= 2 and predictions.shape[1] == steps:
            predictions = predictions[:, at]
        elif at != steps - 1:
            raise bad_value("at", "-1 (the model gives one prediction per sequence, after its last step)", at)
        per_example = predictions.reshape(len(predictions), -1)
        # each example's outputs depend on its own inputs only: one backward pass per output column
        total = torch.zeros_like(inputs)
        for column in per_example.unbind(1):
            grad, = torch.autograd.grad(column.sum(), inputs, retain_graph=True)
            total += grad.abs()
    reach = total[:, : at + 1].sum(2).mean(0).flip(0)
    return reach.detach().numpy().astype(float)
