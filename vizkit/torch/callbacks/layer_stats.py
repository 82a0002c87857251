"""``LayerStats``: per layer, the weight norm, the gradient norm and the update/weight ratio, without a sync per step."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from vizkit._core.errors import bad_value
from vizkit._core.validate import check_choice, check_number
from vizkit.torch.callbacks.base import Callback, check_run

__all__ = ["LAYER_ORDER", "LayerStats", "STATISTICS"]

#: The metrics :class:`LayerStats` logs, each as ``"<statistic>/<layer>"`` in split ``"train"``.
STATISTICS = ("weight_norm", "grad_norm", "update_ratio")
#: The run's config key that holds the layers in model order (``read_run`` sorts metrics by name).
LAYER_ORDER = "layer_order"


@dataclass
class _Layers:
    """The trained parameters, the layer each belongs to, and the device buffers the norms go into."""

    names: list  # the layers, in model order
    params: list  # the parameters that require grad, in model order
    group: torch.Tensor | None  # per parameter, the index of its layer (None: one layer per parameter)
    before: list  # per parameter, a copy of its value before the logged step
    squares: torch.Tensor  # (4, n_params): |theta|^2, |grad|^2, |theta before|^2, |delta|^2 of the logged step


def _layers(model, by: str) -> _Layers:
    named = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    if not named:
        raise bad_value("model", "a model with parameters that require grad", model,
                        got="a model whose parameters are all frozen (or that has none)")
    params = [p for _, p in named]
    if by == "parameter":
        names, group = [name for name, _ in named], None
    else:
        owners = [name.rpartition(".")[0] or "(model)" for name, _ in named]
        names = list(dict.fromkeys(owners))
        group = torch.tensor([names.index(owner) for owner in owners], device=params[0].device)
    squares = torch.zeros(4, len(params), device=params[0].device, dtype=torch.float32)
    return _Layers(names, params, group, [torch.empty_like(p) for p in params], squares)


class LayerStats(Callback):
    """Log, per layer, the weight norm, the gradient norm and the update/weight ratio every ``every`` steps.

    At every ``every``-th optimizer step ``s`` (``s % every == 0``; steps count
    from 0) three metrics per layer go to split ``"train"`` of the run:

    - ``"weight_norm/<layer>"``: ‖θ‖, the L2 norm of the layer's parameters
      after step ``s``;
    - ``"grad_norm/<layer>"``: ‖∇θ‖, the L2 norm of the gradients step ``s``
      used (a parameter without a gradient counts as 0);
    - ``"update_ratio/<layer>"``: ‖Δθ‖ / ‖θ‖, the norm of what step ``s``
      changed over the norm of the parameters before it (the rule of thumb
      says about 1e-3 for a healthy learning rate).

    A layer is a named parameter (``"0.weight"``, ``"0.bias"``) with
    ``by="parameter"``, or a module's own parameters taken together
    (``"0"``, the norm of weight and bias as one vector) with
    ``by="module"``; layers are in the model's order, frozen parameters left
    out; their order is kept in the run's config as ``"layer_order"``
    (:func:`vizkit.read_run` lists metrics by name). The norms are computed on the training device into a preallocated
    tensor and handed to the run as tensors, which converts them at its
    next flush: logging adds no host-device synchronisation. To measure the
    update, the parameters are copied (on the device) after the step before
    each logged step, so the callback holds one extra copy of the model's
    trained parameters. :func:`vizkit.ml.layer_stats` charts the log.

    Parameters
    ----------
    run : vizkit.torch.Run, optional
        Default: the run of ``fit(run=...)`` or of a :class:`MetricLogger`.
    every : int
        Log at every ``every``-th step.
    by : {"parameter", "module"}
        What a layer is.

    Examples
    --------
    >>> import tempfile, torch, vizkit as vk
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from vizkit.torch import LayerStats, Run, fit
    >>> _ = torch.manual_seed(0)
    >>> data = DataLoader(TensorDataset(torch.randn(64, 3), torch.randn(64, 1)), batch_size=16)
    >>> model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    >>> run = Run(tempfile.mkdtemp())
    >>> _ = fit(model, data, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
    ...         loss_fn=torch.nn.functional.mse_loss, epochs=2, callbacks=[LayerStats(every=2)], run=run,
    ...         progress=False)
    >>> logged = vk.read_run(run.path).query("metric.str.startswith('grad_norm/')")
    >>> logged["metric"].unique().tolist(), logged["step"].unique().tolist()
    (['grad_norm/0.bias', 'grad_norm/0.weight', 'grad_norm/2.bias', 'grad_norm/2.weight'], [0, 2, 4, 6])
    >>> logged["layer_order"].iloc[0]                         # the layers in model order
    ('0.weight', '0.bias', '2.weight', '2.bias')
    """

    def __init__(self, run=None, *, every=10, by="parameter"):
        if run is not None:
            check_run("run", run)
        self.run = run
        self.every = check_number("every", every, integer=True, low=1)
        self.by = check_choice("by", by, ["parameter", "module"])
        self._target = None
        self._layers: _Layers | None = None
        self._copied = False  # the parameters were copied before the step about to be logged

    def on_fit_start(self, state):
        self._target = self.run if self.run is not None else state.run
        if self._target is None:
            raise bad_value("run", "a Run to log to", None,
                            hint="pass LayerStats(run), fit(..., run=run), or put a MetricLogger(run) in the callbacks")
        if not isinstance(state.model, torch.nn.Module):
            raise bad_value("model", "a torch.nn.Module in the training state", state.model)
        self._layers = _layers(state.model, self.by)
        config = getattr(self._target, "config", None)
        if isinstance(config, dict) and config.get(LAYER_ORDER) is None:
            config[LAYER_ORDER] = list(self._layers.names)  # read_run sorts metrics; charts read the order here
        self._copied = False
        self._copy_if_next_is_logged(state.step)

    def _copy_if_next_is_logged(self, step: int) -> None:
        self._copied = (step + 1) % self.every == 0
        if self._copied:
            with torch.no_grad():
                torch._foreach_copy_(self._layers.before, self._layers.params)

    def on_batch_end(self, state, logs):
        if self._layers is None:
            return
        if state.step % self.every == 0 and self._copied:
            self._target.log(step=state.step, epoch=state.epoch, split="train", **self._measure())
        self._copy_if_next_is_logged(state.step)

    def _measure(self) -> dict:
        """The three statistics per layer, as 0-dim tensors on the device (nothing is copied to the host)."""
        layers = self._layers
        squares = layers.squares
        with torch.no_grad():
            grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in layers.params]
            torch.stack(torch._foreach_norm(layers.params), out=squares[0])
            torch.stack(torch._foreach_norm(grads), out=squares[1])
            torch.stack(torch._foreach_norm(layers.before), out=squares[2])
            torch._foreach_sub_(layers.before, layers.params)  # the copy now holds -delta
            torch.stack(torch._foreach_norm(layers.before), out=squares[3])
            squares.square_()
            if layers.group is not None:  # sum the squares of each module's parameters
                summed = torch.zeros(4, len(layers.names), device=squares.device, dtype=squares.dtype)
                squares = summed.index_add_(1, layers.group, squares)
            norms = squares.sqrt()
            stats = torch.stack([norms[0], norms[1], norms[3] / norms[2]])
        return {f"{statistic}/{name}": stats[i, j]
                for i, statistic in enumerate(STATISTICS) for j, name in enumerate(layers.names)}

    def on_fit_end(self, state):
        self._layers = None  # free the copy of the parameters

    def on_exception(self, state, error):
        self._layers = None
