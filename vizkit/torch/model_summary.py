"""A model's layers in one table: output shapes, kernels, parameters counted once, mult-adds.

:func:`summary` runs one forward pass of a batch of one example (zeros of
``input_size``, on the model's device: the meta device works, so a VGG is
summarised without allocating its weights) with a forward hook on every
module, and returns a :class:`ModelSummary`: one row per call of a leaf
module (or of a module with parameters of its own), in the order the forward
pass calls them.

What it gets right where torchinfo 1.8.0 does not:

- a parameter is counted once, by tensor identity, at the first row that
  holds it: a ``Linear`` head tied to an ``Embedding`` counts 0 and names
  the layer it shares with (torchinfo counts the tied matrix twice), and a
  module called several times (one ``ReLU`` in three blocks) has a row per
  call but its parameters once;
- the totals are the model's own unique parameters
  (``model.parameters()``), never a sum of rows;
- mult-adds come from :class:`torch.utils.flop_counter.FlopCounterMode`
  (torch's own count of convolutions, matrix products and attention), per
  call of each module: FLOPs / 2. Bias additions, activations, pooling and
  normalisation count 0 there, as in the usual "MACs" of a convolution
  (6·28·28·(5·5·3) = 352 800 for ``Conv2d(3, 6, 5)`` on 32×32); so do
  kernels the counter does not know (the fused kernel of a CPU ``LSTM``).

The table is torch-free (ints, tuples, strings), so :func:`vizkit.param_counts`
draws it without importing torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import torch
from torch import nn
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

from vizkit._core import bad_type, bad_value

__all__ = ["ModelSummary", "summary"]

#: The table's columns, in order (``vizkit.param_counts`` reads ``layer, type, params, weight_shape, bias,
#: shared_with``).
COLUMNS = ["layer", "type", "depth", "output_shape", "kernel", "weight_shape", "bias",
           "params", "trainable", "shared_with", "mult_adds"]


@dataclass
class ModelSummary:
    """What :func:`summary` found: a table of layers and the model's totals.

    Attributes
    ----------
    table : DataFrame
        One row per call of a leaf module (or of a module with parameters of
        its own), in call order: ``layer`` (qualified name, ``features.0``),
        ``type`` (class name), ``depth`` (dots in the name + 1),
        ``output_shape`` (tuple, one example: no batch dimension; the first
        tensor when the module returns several), ``kernel`` (tuple, for
        convolutions and pooling; else None), ``weight_shape`` (tuple of the
        ``weight`` parameter, or None), ``bias`` (whether the module has a
        ``bias`` parameter), ``params`` (the parameters first counted at this
        row: a shared or tied tensor counts at its first row only),
        ``trainable`` (those of ``params`` with ``requires_grad``),
        ``shared_with`` (the first layer that counted a tensor this module
        also holds, else None), ``mult_adds`` (FLOPs / 2 of this call alone,
        from ``torch.utils.flop_counter``).
    total_params, trainable_params : int
        The model's unique parameters (``model.parameters()``, by identity),
        all and those with ``requires_grad``.
    mult_adds : int
        FLOPs / 2 of the whole forward pass for one example (includes what
        functional calls outside modules did).
    input_size : tuple
        One example's shape (or a list of them, one per input).
    output_shape : tuple
        The model's output for one example (the first tensor it returns).
    model_name : str
    """

    table: pd.DataFrame
    total_params: int
    trainable_params: int
    mult_adds: int
    input_size: tuple
    output_shape: tuple
    model_name: str = "model"
    notes: list = field(default_factory=list)

    @property
    def non_trainable_params(self) -> int:
        """Parameters with ``requires_grad=False`` (frozen)."""
        return self.total_params - self.trainable_params

    def _rows(self) -> list[list[str]]:
        rows = []
        for r in self.table.itertuples(index=False):
            params = f"{r.params:,}" + (f" (shared with {r.shared_with})" if r.shared_with else "")
            rows.append([f"{r.layer} ({r.type})", _shape_text(r.output_shape),
                         "×".join(map(str, r.kernel)) if r.kernel else "", params, f"{r.mult_adds:,}"])
        return rows

    def _footer(self) -> list[str]:
        return [f"Total params: {self.total_params:,} (counted once each)",
                f"Trainable params: {self.trainable_params:,}",
                f"Non-trainable params: {self.non_trainable_params:,}",
                f"Mult-adds per example: {self.mult_adds:,} (FLOPs / 2, torch.utils.flop_counter)",
                f"Input {_shape_text(self.input_size)} -> output {_shape_text(self.output_shape)}",
                *self.notes]

    def __str__(self) -> str:
        header = ["Layer (type)", "Output shape", "Kernel", "Params", "Mult-adds"]
        rows = self._rows()
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        right = {3, 4}

        def line(cells):
            return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                             for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

        rule = "=" * len(line(header))
        return "\n".join([f"{self.model_name}", rule, line(header), "-" * len(rule),
                          *map(line, rows), rule, *self._footer()])

    def __repr__(self) -> str:
        return (f"ModelSummary({self.model_name}: {len(self.table)} rows, total_params={self.total_params:,}, "
                f"trainable={self.trainable_params:,}, mult_adds={self.mult_adds:,})")

    def _repr_html_(self) -> str:
        from html import escape

        head = "".join(f"<th>{escape(h)}</th>" for h in ["Layer (type)", "Output shape", "Kernel", "Params",
                                                        "Mult-adds"])
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in self._rows())
        foot = "<br>".join(escape(t) for t in self._footer())
        return (f"<div><b>{escape(self.model_name)}</b><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table><p>{foot}</p></div>")


def _shape_text(shape) -> str:
    if shape is None:
        return ""
    if shape and isinstance(shape[0], tuple):
        return ", ".join(_shape_text(s) for s in shape)
    return "[" + ", ".join(map(str, shape)) + "]"


def _check_sizes(input_size) -> list[tuple]:
    """``input_size`` as a list of shapes (one per input), each a tuple of positive ints."""
    expected = "one example's shape (a tuple of positive ints, no batch dimension) or a list of them"
    if isinstance(input_size, (int, torch.Size)) and not isinstance(input_size, bool):
        input_size = (input_size,) if isinstance(input_size, int) else tuple(input_size)
    if not isinstance(input_size, (tuple, list)) or not input_size:
        raise bad_type("input_size", expected, input_size)
    shapes = list(input_size) if all(isinstance(s, (tuple, list, torch.Size)) for s in input_size) \
        else [input_size]
    for shape in shapes:
        if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in shape):
            raise bad_value("input_size", expected, input_size)
    return [tuple(shape) for shape in shapes]


def _device_of(model, device):
    first = next(model.parameters(), None)
    first = next(model.buffers(), None) if first is None else first
    here = first.device if first is not None else torch.device("cpu")
    if device is None:
        return here
    try:
        device = torch.device(device)
    except (RuntimeError, TypeError):
        raise bad_value("device", "a torch device ('cpu', 'cuda', 'meta')", device) from None
    if first is not None and device.type != here.type:
        raise bad_value("device", f"the model's device ({here})", device,
                        hint=f"Move the model first (model.to({str(device)!r})), or build it on the meta device "
                             "(with torch.device('meta'): ...) to summarise it without allocating.")
    return device


def _first_tensor(output):
    if isinstance(output, torch.Tensor):
        return output
    if isinstance(output, (tuple, list)):
        for item in output:
            found = _first_tensor(item)
            if found is not None:
                return found
    if isinstance(output, dict):
        return _first_tensor(list(output.values()))
    return None


def _kernel(module):
    size = getattr(module, "kernel_size", None)
    if size is None:
        return None
    if isinstance(size, int):
        dims = next((int(d) for d in "123" if type(module).__name__.endswith(f"{d}d")), 1)
        return (size,) * dims
    return tuple(int(s) for s in size)


class _Recorder:
    """Forward hooks that write a row per module call and its share of the flop count."""

    def __init__(self, model, counter):
        self.names = {module: name for name, module in model.named_modules()}
        self.counter, self.rows, self.stack, self.owner, self.called = counter, [], [], {}, set()

    def pre(self, module, _args):
        self.called.add(module)
        self.stack.append([self.counter.get_total_flops(), 0, module])

    def post(self, module, _args, output):
        start, inner, _ = self.stack.pop()
        flops = self.counter.get_total_flops() - start
        if self.stack:
            self.stack[-1][1] += flops
        own = list(module.parameters(recurse=False))
        if list(module.children()) and not own:
            return  # a container: its leaves have the rows
        self.rows.append(self._row(module, own, output, (flops - inner) // 2))

    def _row(self, module, own, output, mult_adds) -> dict:
        name = self.names.get(module, "") or type(module).__name__
        params = trainable = 0
        shared = None
        for p in own:
            if id(p) in self.owner:
                shared = shared or (self.owner[id(p)] if self.owner[id(p)] != name else None)
                continue
            self.owner[id(p)] = name
            params += p.numel()
            trainable += p.numel() if p.requires_grad else 0
        tensor = _first_tensor(output)
        weight, bias = getattr(module, "weight", None), getattr(module, "bias", None)
        if isinstance(module, nn.RNNBase):  # its first layer's input weights (gates·h × i); `bias` is a flag there
            weight, bias = module.weight_ih_l0, module.bias_ih_l0 if module.bias else None
        return {"layer": name, "type": type(module).__name__, "depth": name.count(".") + 1,
                "output_shape": tuple(tensor.shape[1:]) if tensor is not None and tensor.dim() else None,
                "kernel": _kernel(module),
                "weight_shape": tuple(weight.shape) if isinstance(weight, nn.Parameter) else None,
                "bias": isinstance(bias, nn.Parameter), "params": params, "trainable": trainable,
                "shared_with": shared, "mult_adds": int(mult_adds)}


def summary(model, input_size, *, dtype=None, device=None):
    """Summarise ``model``'s layers for one example of ``input_size``: shapes, kernels, parameters, mult-adds.

    Parameters
    ----------
    model : torch.nn.Module
        Left as it was: its train/eval flags are restored and no hook stays.
        A model built on the meta device (``with torch.device("meta"): ...``)
        is summarised without allocating its weights.
    input_size : tuple of int, or list of tuples
        One example's shape, without the batch dimension (``(3, 32, 32)``);
        a list of shapes for a model with several inputs. The forward pass
        runs a batch of one example of zeros.
    dtype : torch.dtype, optional
        The input's dtype; default the model's first floating parameter's
        (else float32). Use ``torch.long`` for token ids (an ``Embedding``).
    device : str or torch.device, optional
        Default the model's device; must be the model's when given.

    Returns
    -------
    ModelSummary
        ``.table`` (one row per module call; see :class:`ModelSummary`),
        ``.total_params``, ``.trainable_params``, ``.mult_adds`` (FLOPs / 2
        per example), ``.input_size``, ``.output_shape``; ``print`` it for a
        table, or draw ``.table`` with :func:`vizkit.param_counts`.

    Examples
    --------
    The convolution of the CIFAR-10 tutorial: 5·5·3·6 + 6 parameters, and
    6·28·28 outputs of 5·5·3 mult-adds each:

    >>> import torch
    >>> from vizkit.torch import summary
    >>> found = summary(torch.nn.Conv2d(3, 6, 5), (3, 32, 32))
    >>> found.total_params, found.mult_adds, found.output_shape
    (456, 352800, (6, 28, 28))

    A head tied to its embedding counts once (torchinfo 1.8.0 says 1 600):

    >>> embed, head = torch.nn.Embedding(100, 8), torch.nn.Linear(8, 100, bias=False)
    >>> head.weight = embed.weight
    >>> found = summary(torch.nn.Sequential(embed, head), (5,), dtype=torch.long)
    >>> found.total_params, found.table["params"].tolist(), found.table["shared_with"].tolist()
    (800, [800, 0], [None, '0'])
    """
    if not isinstance(model, nn.Module):
        raise bad_type("model", "a torch.nn.Module", model)
    shapes = _check_sizes(input_size)
    device = _device_of(model, device)
    if dtype is None:
        dtype = next((p.dtype for p in model.parameters() if p.is_floating_point()), torch.float32)
    elif not isinstance(dtype, torch.dtype):
        raise bad_type("dtype", "a torch.dtype (torch.float32, torch.long, ...)", dtype)
    inputs = [torch.zeros((1, *shape), dtype=dtype, device=device) for shape in shapes]
    counter = FlopCounterMode(display=False)
    recorder = _Recorder(model, counter)
    modes = {module: module.training for module in model.modules()}
    handles = [h for module in model.modules()
               for h in (module.register_forward_pre_hook(recorder.pre),
                         module.register_forward_hook(recorder.post))]
    fastpath = torch.backends.mha.get_fastpath_enabled()
    try:
        model.eval()
        # MultiheadAttention's fused fast path (eval, no grad) and the fused CPU attention kernels are invisible
        # to the flop counter: while counting, attention runs as plain matrix products
        torch.backends.mha.set_fastpath_enabled(False)
        with torch.no_grad(), sdpa_kernel(SDPBackend.MATH), counter:
            output = model(*inputs)
    except Exception as error:
        where = recorder.names.get(recorder.stack[-1][2], "") if recorder.stack else ""
        layer = f"{where} ({type(recorder.stack[-1][2]).__name__})" if where else "the model's forward"
        raise bad_value("input_size", "a shape the model's forward pass takes (one example, no batch dimension)",
                        input_size, hint=f"{layer} failed on it: {type(error).__name__}: {error}") from error
    finally:
        torch.backends.mha.set_fastpath_enabled(fastpath)
        for handle in handles:
            handle.remove()
        for module, mode in modes.items():
            module.training = mode
    return _result(model, recorder, counter, shapes, output)


def _result(model, recorder, counter, shapes, output) -> ModelSummary:
    params = list(model.parameters())  # unique by identity
    table = pd.DataFrame(recorder.rows, columns=COLUMNS)
    table["shared_with"] = pd.Series([row["shared_with"] for row in recorder.rows], dtype=object)  # None, not NaN
    total = sum(p.numel() for p in params)
    notes = []
    unused = total - int(table["params"].sum())
    if unused:
        names = [name for name, module in model.named_modules()
                 if module not in recorder.called and any(True for _ in module.parameters(recurse=False))]
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        notes.append(f"Parameters of modules the forward pass did not call: {unused:,} ({shown}; a parent may use "
                     "their weights directly, as MultiheadAttention does with out_proj)")
    tensor = _first_tensor(output)
    return ModelSummary(
        table=table, total_params=total,
        trainable_params=sum(p.numel() for p in params if p.requires_grad),
        mult_adds=int(counter.get_total_flops() // 2),
        input_size=shapes[0] if len(shapes) == 1 else tuple(shapes),
        output_shape=tuple(tensor.shape[1:]) if tensor is not None else (),
        model_name=type(model).__name__, notes=notes)
