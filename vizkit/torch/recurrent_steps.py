"""Inside a recurrent layer: every gate, cell state and hidden state of ``nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` over time.

:func:`recurrent_trace` recomputes the layer's forward pass from its own
parameters (``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}``,
``bias_hh_l{k}``, ``weight_hr_l{k}`` for an LSTM's projection, ``_reverse``
for the second direction) with PyTorch's equations, step by step in float64,
and keeps what the fused kernel never shows: the gates. The result,
:class:`RecurrentTrace`, holds numpy arrays only; ``vk.gates`` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from vizkit._core.errors import bad_type, bad_value, user_warning

__all__ = ["RecurrentTrace", "recurrent_trace"]

#: What each kind of layer keeps per step, in PyTorch's chunk order (gates first), then its states.
NAMES = {
    "RNN_TANH": {"h": "hidden state"},
    "RNN_RELU": {"h": "hidden state"},
    "LSTM": {"i": "input gate", "f": "forget gate", "g": "cell candidate", "o": "output gate",
             "c": "cell state", "h": "hidden state"},
    "GRU": {"r": "reset gate", "z": "update gate", "n": "new state", "h": "hidden state"},
}
#: The sigmoid gates (values in [0, 1]); the other names are states (tanh's [-1, 1], an LSTM's cell unbounded).
GATES = {"RNN_TANH": (), "RNN_RELU": (), "LSTM": ("i", "f", "o"), "GRU": ("r", "z")}
_MODULES = "an nn.RNN, nn.LSTM or nn.GRU (not a cell: nn.LSTMCell and the like hold one step)"


@dataclass(frozen=True, eq=False)
class RecurrentTrace:
    """What :func:`recurrent_trace` recomputed: per layer, direction and name, an array of (batch, time, units).

    Attributes
    ----------
    kind : str
        The module's ``mode``: ``"LSTM"``, ``"GRU"``, ``"RNN_TANH"`` or ``"RNN_RELU"``.
    arrays : dict
        ``(layer, direction, name) -> ndarray`` of shape (batch, time, units),
        float64, batch first whatever the module's layout, time in input
        order (the reverse direction's step for input position ``t`` sits at
        ``t``). ``layer`` counts from 0, ``direction`` is ``"forward"`` or
        ``"reverse"``, ``name`` one of :attr:`names`.
    names : dict
        The keys' names in order, gates first: ``{"i": "input gate", ...}``.
    gates : tuple of str
        Which names are sigmoid gates (values in [0, 1]).
    input : ndarray
        The input sequence, (batch, time, features), float64.
    output, h_n : ndarray
        The recomputed output and final hidden state, shaped as the module
        returns them (its ``batch_first`` layout; no batch axis for an
        unbatched input).
    c_n : ndarray or None
        The final cell state of an LSTM.
    num_layers : int
    directions : tuple of str
        ``("forward",)`` or ``("forward", "reverse")``.
    max_error : float
        The largest absolute difference between the recomputed output,
        ``h_n`` (and ``c_n``) and what the module itself returned on ``x``
        in eval mode: how far the trace can be trusted.
    """

    kind: str
    arrays: dict = field(repr=False)
    input: np.ndarray = field(repr=False)
    output: np.ndarray = field(repr=False)
    h_n: np.ndarray = field(repr=False)
    c_n: np.ndarray | None = field(repr=False)
    num_layers: int
    directions: tuple
    max_error: float

    @property
    def names(self) -> dict:
        return dict(NAMES[self.kind])

    @property
    def gates(self) -> tuple:
        return GATES[self.kind]

    def get(self, name: str, *, layer: int = -1, direction: str = "forward") -> np.ndarray:
        """The (batch, time, units) array of ``name`` in ``layer`` (default the last) and ``direction``."""
        if name not in NAMES[self.kind]:
            raise bad_value("name", f"one of {list(NAMES[self.kind])} for a {self.kind} trace", name)
        if not isinstance(layer, int) or not -self.num_layers <= layer < self.num_layers:
            raise bad_value("layer", f"a layer index from {-self.num_layers} to {self.num_layers - 1}", layer)
        if direction not in self.directions:
            raise bad_value("direction", f"one of {list(self.directions)}", direction)
        return self.arrays[layer % self.num_layers, direction, name]


def _check_module(rnn_module) -> torch.nn.RNNBase:
    if not isinstance(rnn_module, torch.nn.RNNBase) or getattr(rnn_module, "mode", None) not in NAMES:
        inside = [name for name, module in rnn_module.named_modules()
                  if isinstance(module, torch.nn.RNNBase)] if isinstance(rnn_module, torch.nn.Module) else []
        hint = (f"The model holds {', '.join(repr(n) for n in inside)}: pass that layer "
                "(model.get_submodule(name)) and the input it receives." if inside else "")
        raise bad_type("rnn_module", _MODULES, rnn_module, hint=hint,
                       got=f"a {type(rnn_module).__name__}" if isinstance(rnn_module, torch.nn.Module) else None)
    return rnn_module


def _check_input(module, x) -> tuple[torch.Tensor, bool]:
    """``x`` as a float64 (batch, time, features) tensor on the CPU, and whether it came without a batch axis."""
    if isinstance(x, torch.nn.utils.rnn.PackedSequence):
        raise bad_type("x", "a padded tensor (a PackedSequence is not traced: pad it with "
                            "torch.nn.utils.rnn.pad_packed_sequence)", x, got="a PackedSequence")
    if not isinstance(x, torch.Tensor):
        array = np.asarray(x)
        if array.dtype.kind not in "iuf":
            raise bad_type("x", "a tensor (or array) of numbers", x)
        x = torch.from_numpy(array.astype(np.float64))
    layout = "(batch, time, features)" if module.batch_first else "(time, batch, features)"
    expected = f"a {layout} or (time, features) tensor with features = input_size = {module.input_size}"
    if x.ndim not in (2, 3) or x.shape[-1] != module.input_size or 0 in x.shape[:-1]:
        raise bad_value("x", expected, x, got=f"a tensor of shape {tuple(x.shape)}")
    if x.is_complex():
        raise bad_type("x", "a real tensor", x, got=f"a {x.dtype} tensor")
    unbatched = x.ndim == 2
    x = x.detach().to("cpu", torch.float64)
    x = x[None] if unbatched else x if module.batch_first else x.transpose(0, 1)
    return x, unbatched


def _check_state(argument: str, value, shape: tuple, unbatched: bool) -> torch.Tensor:
    expected = (shape[0], shape[2]) if unbatched else shape
    if not isinstance(value, torch.Tensor):
        raise bad_type(argument, f"a tensor of shape {expected}", value)
    if tuple(value.shape) != expected:
        raise bad_value(argument, f"a tensor of shape {expected} (layers × directions, batch, units)", value,
                        got=f"a tensor of shape {tuple(value.shape)}")
    value = value.detach().to("cpu", torch.float64)
    return value[:, None] if unbatched else value


def _initial_state(module, hx, batch: int, unbatched: bool):
    """(h0, c0 or None), each (layers × directions, batch, units) in float64."""
    slots = module.num_layers * (2 if module.bidirectional else 1)
    h_units = module.proj_size or module.hidden_size  # an LSTM's projection sets the hidden state's size
    if hx is None:
        h0 = torch.zeros(slots, batch, h_units, dtype=torch.float64)
        c0 = torch.zeros(slots, batch, module.hidden_size, dtype=torch.float64) if module.mode == "LSTM" else None
        return h0, c0
    if module.mode == "LSTM":
        if not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise bad_type("hx", "a tuple (h0, c0) for an LSTM, or None for zeros", hx)
        return (_check_state("hx", hx[0], (slots, batch, h_units), unbatched),
                _check_state("hx", hx[1], (slots, batch, module.hidden_size), unbatched))
    return _check_state("hx", hx, (slots, batch, h_units), unbatched), None


def _weights(module, layer: int, suffix: str) -> dict:
    """The layer's parameters in float64 on the CPU; zero biases when the module has none."""
    def get(name):
        value = getattr(module, f"{name}_l{layer}{suffix}", None)
        return None if value is None else value.detach().to("cpu", torch.float64)

    w_ih, w_hh = get("weight_ih"), get("weight_hh")
    zeros = torch.zeros(w_ih.shape[0], dtype=torch.float64)
    b_ih, b_hh = (get("bias_ih"), get("bias_hh")) if module.bias else (zeros, zeros)
    return {"w_ih": w_ih, "w_hh": w_hh, "b_ih": b_ih, "b_hh": b_hh, "w_hr": get("weight_hr")}


def _step(kind: str, w: dict, x_proj: torch.Tensor, h: torch.Tensor, c):
    """One step of PyTorch's equations: (h, c, {name: value}) after input ``x_proj`` = W_ih x + b_ih."""
    h_proj = h @ w["w_hh"].T + w["b_hh"]
    if kind == "LSTM":
        i, f, g, o = (x_chunk + h_chunk for x_chunk, h_chunk in zip(x_proj.chunk(4, -1), h_proj.chunk(4, -1)))
        i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
        c = f * c + i * g
        h = o * torch.tanh(c)
        if w["w_hr"] is not None:
            h = h @ w["w_hr"].T
        return h, c, {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}
    if kind == "GRU":
        (x_r, x_z, x_n), (h_r, h_z, h_n) = x_proj.chunk(3, -1), h_proj.chunk(3, -1)
        r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
        n = torch.tanh(x_n + r * h_n)
        h = (1 - z) * n + z * h
        return h, None, {"r": r, "z": z, "n": n, "h": h}
    h = (torch.tanh if kind == "RNN_TANH" else torch.relu)(x_proj + h_proj)
    return h, None, {"h": h}


def _direction(kind: str, w: dict, x: torch.Tensor, h: torch.Tensor, c, reverse: bool):
    """Run one direction of one layer over (batch, time, features) ``x``; the per-name (batch, time, units) stacks."""
    x_proj = x @ w["w_ih"].T + w["b_ih"]
    steps = range(x.shape[1] - 1, -1, -1) if reverse else range(x.shape[1])
    kept = {name: [None] * x.shape[1] for name in NAMES[kind]}
    for t in steps:
        h, c, values = _step(kind, w, x_proj[:, t], h, c)
        for name, value in values.items():
            kept[name][t] = value
    return {name: torch.stack(values, 1) for name, values in kept.items()}, h, c


def _recompute(module, x, h0, c0):
    directions = ("forward", "reverse") if module.bidirectional else ("forward",)
    arrays, h_last, c_last, layer_input = {}, [], [], x
    for layer in range(module.num_layers):
        outputs = []
        for d, direction in enumerate(directions):
            slot = layer * len(directions) + d
            w = _weights(module, layer, "_reverse" if d else "")
            kept, h, c = _direction(module.mode, w, layer_input, h0[slot], None if c0 is None else c0[slot], d == 1)
            arrays.update({(layer, direction, name): value for name, value in kept.items()})
            outputs.append(kept["h"])
            h_last.append(h)
            c_last.append(c)
        layer_input = torch.cat(outputs, -1)  # eval mode: no dropout between layers
    c_n = torch.stack(c_last) if c0 is not None else None
    return arrays, layer_input, torch.stack(h_last), c_n, directions


def _module_outputs(module, x, hx):
    """What the module itself returns on ``x`` in eval mode, without gradients; its mode is restored."""
    training = module.training
    module.eval()
    try:
        with torch.no_grad():
            output, state = module(x, hx)
    finally:
        module.train(training)
    h_n, c_n = state if isinstance(state, tuple) else (state, None)
    return output, h_n, c_n


def _max_error(recomputed, returned) -> float:
    return max(float((torch.as_tensor(mine) - theirs.detach().to("cpu", torch.float64)).abs().max())
               for mine, theirs in zip(recomputed, returned, strict=True) if theirs is not None)


def recurrent_trace(rnn_module: torch.nn.Module, x, hx=None) -> RecurrentTrace:
    """Recompute every gate, cell state and hidden state of a recurrent layer over time, from its own weights.

    PyTorch runs ``nn.LSTM``, ``nn.GRU`` and ``nn.RNN`` as one fused kernel
    that returns only the hidden states. This function replays the forward
    pass step by step with the equations of PyTorch's documentation, from the
    module's parameters, in float64, and keeps every intermediate value:

    - LSTM (chunks of ``weight_ih`` in the order i, f, g, o):
      ``i, f, o = σ(W_i* x + b_i* + W_h* h + b_h*)``, ``g = tanh(...)``,
      ``c = f * c + i * g``, ``h = o * tanh(c)`` (times ``weight_hr`` when
      ``proj_size`` > 0);
    - GRU (chunks r, z, n): ``r, z = σ(...)``,
      ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``, ``h = (1 - z) * n + z * h``;
    - RNN: ``h = tanh(W_ih x + b_ih + W_hh h + b_hh)`` (or ReLU).

    Every layer and both directions of a bidirectional module are traced;
    layer ``k + 1`` reads the outputs of layer ``k`` (both directions
    concatenated). The trace is of the module in eval mode: dropout between
    layers (``dropout=``) is not applied, and a module in training mode with
    dropout gets a warning. The module is also run once on ``x`` (eval mode,
    no gradients, its mode restored) and ``max_error`` says how far the
    recomputed outputs lie from its own.

    Parameters
    ----------
    rnn_module : nn.RNN, nn.LSTM or nn.GRU
        Any number of layers, bidirectional or not, ``batch_first`` either
        way, with or without biases; an LSTM may have ``proj_size``.
    x : torch.Tensor or array
        The input in the module's layout: (batch, time, features) with
        ``batch_first=True``, (time, batch, features) without, or one
        unbatched (time, features) sequence. A probe batch: the loop over
        time is Python, fine for hundreds of steps, not for training.
    hx : torch.Tensor, (h0, c0) or None
        The initial state as the module takes it; None for zeros.

    Returns
    -------
    RecurrentTrace
        ``arrays[(layer, direction, name)]`` of (batch, time, units); the
        names (``"i", "f", "g", "o", "c", "h"`` for an LSTM, ``"r", "z",
        "n", "h"`` for a GRU, ``"h"`` for an RNN) with their meaning in
        ``names``; ``output``, ``h_n``, ``c_n`` as the module returns them.

    Examples
    --------
    >>> import torch
    >>> import vizkit.torch as vt
    >>> torch.manual_seed(0) and None
    >>> lstm = torch.nn.LSTM(input_size=3, hidden_size=4, batch_first=True)
    >>> trace = vt.recurrent_trace(lstm, torch.randn(2, 5, 3))
    >>> list(trace.names), trace.get("f").shape
    (['i', 'f', 'g', 'o', 'c', 'h'], (2, 5, 4))
    >>> trace.max_error < 1e-6
    True
    """
    module = _check_module(rnn_module)
    raw_x = x
    x, unbatched = _check_input(module, x)
    h0, c0 = _initial_state(module, hx, x.shape[0], unbatched)
    if module.training and module.dropout > 0 and module.num_layers > 1:
        user_warning(f"recurrent_trace traces the {module.mode} in eval mode: its dropout ({module.dropout:g}) "
                     "between layers is not applied, as in model.eval(); the trace is of the model that predicts.")
    arrays, top, h_n, c_n, directions = _recompute(module, x, h0, c0)
    output = top[0] if unbatched else top if module.batch_first else top.transpose(0, 1)
    h_n, c_n = (h_n[:, 0], None if c_n is None else c_n[:, 0]) if unbatched else (h_n, c_n)
    reference_x = raw_x if isinstance(raw_x, torch.Tensor) else torch.as_tensor(np.asarray(raw_x))
    first = next(module.parameters())
    reference_x = reference_x.to(first.device, first.dtype)
    returned = _module_outputs(module, reference_x, _module_hx(hx, first))
    error = _max_error((output, h_n, c_n), returned)
    return RecurrentTrace(
        kind=module.mode, arrays={key: value.numpy() for key, value in arrays.items()}, input=x.numpy(),
        output=output.numpy(), h_n=h_n.numpy(), c_n=None if c_n is None else c_n.numpy(),
        num_layers=module.num_layers, directions=directions, max_error=error)


def _module_hx(hx, like: torch.Tensor):
    if hx is None:
        return None
    if isinstance(hx, (tuple, list)):
        return tuple(value.detach().to(like.device, like.dtype) for value in hx)
    return hx.detach().to(like.device, like.dtype)
