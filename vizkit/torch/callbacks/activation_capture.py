"""``FeatureMaps``: chosen layers' activations on a fixed probe batch, by forward hooks, only when a capture is due."""

from __future__ import annotations

import numpy as np
import torch

from vizkit._core.errors import bad_type, bad_value, closest, user_warning
from vizkit._core.validate import check_choice, check_number
from vizkit.io.activations import ARRAY_NAME, PREFIX
from vizkit.torch.callbacks.base import Callback, check_run

__all__ = ["FeatureMaps"]

_DTYPES = {"float16": torch.float16, "float32": torch.float32}


def _check_layers(model, layers) -> list[str]:
    modules = dict(model.named_modules())
    if layers is None:
        names = [name for name, m in modules.items() if isinstance(m, torch.nn.Conv2d)]
        if not names:
            raise bad_value("layers", "the names of the layers to capture (the model has no Conv2d)", None,
                            hint=f"Its modules: {', '.join(repr(n) for n in list(modules)[1:8])} ...")
        return names
    if isinstance(layers, str):
        layers = [layers]
    if not isinstance(layers, (list, tuple)) or not layers or not all(isinstance(n, str) for n in layers):
        raise bad_type("layers", "a list of module names, as model.named_modules() gives them", layers)
    for name in layers:
        if name not in modules or name == "":
            near = closest(name, [n for n in modules if n])
            raise bad_value("layers", "names of the model's sub-modules (model.named_modules())", name,
                            hint=f"Did you mean {near!r}?" if near else
                            f"Its modules: {', '.join(repr(n) for n in list(modules)[1:8])} ...")
    return list(dict.fromkeys(layers))


def _check_probe(probe):
    if isinstance(probe, (tuple, list)) and len(probe) == 2 and isinstance(probe[0], torch.Tensor):
        probe = probe[0]  # an (inputs, targets) batch
    if not isinstance(probe, torch.Tensor):
        raise bad_type("probe", "a batch of inputs (a tensor, or an (inputs, targets) pair)", probe)
    return probe.detach()


class FeatureMaps(Callback):
    """Capture chosen layers' outputs (feature maps) on a fixed probe batch, by forward hooks.

    As a context manager, the hooks live for the ``with`` block: with a
    ``probe``, entering runs it once (eval mode, no gradients); without one,
    the block's own forward passes are captured (the last one is kept).
    Either way ``maps_`` holds ``{layer: array (N, C, H, W)}`` afterwards and
    the hooks are removed on exit.

    As a :func:`~vizkit.torch.fit` callback, a capture is due every
    ``every`` epochs (``unit="epoch"``: at the end of epoch ``e`` when
    ``e % every == 0``) or steps (``unit="step"``: after step ``s`` when
    ``s % every == 0``). Only then are the hooks registered, the probe run in
    eval mode under ``torch.no_grad()`` (train mode restored after), the
    outputs copied to the host and the hooks removed: steps without a capture
    run no hook and never synchronise the device. Each capture is saved with
    the run as ``arrays/feature_maps-step<step>.npz`` (``np.savez``, no pickle;
    read it back with :func:`vizkit.io.read_feature_maps`, torch-free).

    Parameters
    ----------
    model : torch.nn.Module
    layers : list of str, optional
        Names of sub-modules (``model.named_modules()``); default every ``Conv2d``.
    probe : tensor or (inputs, targets), optional
        The fixed batch to capture on (moved to the model's device once).
        Needed for the callback.
    every : int
        Capture every ``every`` epochs or steps.
    unit : {"epoch", "step"}
    run : vizkit.torch.Run, optional
        Where captures are saved; default the run of ``fit(run=...)``.
    dtype : {"float16", "float32"}
        What the maps are stored as (float16 halves the files).
    channel_stride : int
        Keep every ``channel_stride``-th channel of each layer.
    max_bytes : int
        The most the saved captures of one fit may take (uncompressed). A fit
        whose planned captures need more is refused before training with the
        sizes and the ``channel_stride`` that would fit; with ``unit="step"``,
        where the number of captures is not known ahead, capturing stops with
        a warning when the budget is spent.

    Attributes
    ----------
    maps_ : dict of str -> numpy.ndarray
        The last capture, per layer: (N, C, H, W).
    bytes_ : int
        What the captures of this fit (or block) took so far.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch import FeatureMaps
    >>> _ = torch.manual_seed(0)
    >>> model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), torch.nn.Conv2d(4, 8, 3))
    >>> with FeatureMaps(model, layers=["0", "2"], probe=torch.randn(2, 1, 12, 12)) as maps:
    ...     pass
    >>> {name: array.shape for name, array in maps.maps_.items()}
    {'0': (2, 4, 10, 10), '2': (2, 8, 8, 8)}
    >>> len(model._forward_hooks), len(model[0]._forward_hooks)
    (0, 0)
    """

    def __init__(self, model, layers=None, *, probe=None, every=1, unit="epoch", run=None, dtype="float16",
                 channel_stride=1, max_bytes=64 * 2**20):
        if not isinstance(model, torch.nn.Module):
            raise bad_type("model", "a torch.nn.Module", model)
        self.model = model
        self.layers = _check_layers(model, layers)
        self.probe = None if probe is None else _check_probe(probe)
        self.every = check_number("every", every, integer=True, low=1)
        self.unit = check_choice("unit", unit, ["epoch", "step"])
        if run is not None:
            check_run("run", run)
        self.run = run
        self.dtype = _DTYPES[check_choice("dtype", dtype, list(_DTYPES))]
        self.channel_stride = check_number("channel_stride", channel_stride, integer=True, low=1)
        self.max_bytes = check_number("max_bytes", max_bytes, integer=True, low=1)
        self.maps_: dict[str, np.ndarray] = {}
        self.bytes_ = 0
        self._handles: list = []
        self._captured: dict[str, torch.Tensor] = {}
        self._target = None
        self._spent = False

    # -- hooks -------------------------------------------------------------
    def _hook(self, name):
        def hook(module, inputs, output):
            if not isinstance(output, torch.Tensor) or output.ndim < 2:
                raise bad_value("layers", "layers whose output is one tensor of (N, C, ...) maps", name,
                                got=f"an output of type {type(output).__name__}")
            self._captured[name] = output.detach()[:, ::self.channel_stride]
        return hook

    def _attach(self) -> None:
        modules = dict(self.model.named_modules())
        self._handles = [modules[name].register_forward_hook(self._hook(name)) for name in self.layers]

    def _detach(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def _to_host(self) -> dict[str, np.ndarray]:
        """The captured outputs as host arrays (the one device synchronisation of a capture)."""
        maps = {name: self._captured[name].to(self.dtype).cpu().numpy() for name in self.layers
                if name in self._captured}
        self._captured = {}
        return maps

    def capture(self) -> dict[str, np.ndarray]:
        """Run the probe once (eval mode, no gradients, train mode restored); return and keep ``maps_``."""
        if self.probe is None:
            raise bad_value("probe", "a probe batch to capture on", None,
                            hint="Pass FeatureMaps(model, layers, probe=x[:4]).")
        device = next((p.device for p in self.model.parameters()), self.probe.device)
        if self.probe.device != device:
            self.probe = self.probe.to(device)
        was_training = self.model.training
        self._attach()
        try:
            self.model.eval()
            with torch.no_grad():
                self.model(self.probe)
        finally:
            self._detach()
            self.model.train(was_training)
        self.maps_ = self._to_host()
        return self.maps_

    # -- context manager ---------------------------------------------------
    def __enter__(self):
        self.maps_, self._captured = {}, {}
        if self.probe is not None:
            self.capture()
        else:
            self._attach()
        return self

    def __exit__(self, *error):
        if self._handles:
            self._detach()
            self.maps_ = self._to_host()
        return False

    # -- callback ----------------------------------------------------------
    def on_fit_start(self, state):
        if self.probe is None:
            raise bad_value("probe", "a probe batch for FeatureMaps during fit", None,
                            hint="Pass FeatureMaps(model, layers, probe=x[:4]).")
        if state.model is not None and state.model is not self.model:
            raise bad_value("model", "the model fit() trains", self.model)
        self._target = self.run if self.run is not None else state.run
        if self._target is None:
            raise bad_value("run", "a Run to save the feature maps with", None,
                            hint="pass FeatureMaps(..., run=run) or fit(..., run=run)")
        self.bytes_, self._spent = 0, False
        self._check_budget(state)

    def _check_budget(self, state) -> None:
        """Refuse, before training, a fit whose planned captures do not fit ``max_bytes``."""
        one = sum(a.nbytes for a in self.capture().values())
        self.maps_ = {}
        captures = 1
        if self.unit == "epoch" and state.epochs is not None:
            captures = sum(1 for e in range(state.epoch, state.epochs) if e % self.every == 0)
        if one * max(captures, 1) > self.max_bytes:
            stride = self.channel_stride * -(-one * max(captures, 1) // self.max_bytes)
            raise bad_value("max_bytes", f"room for {max(captures, 1)} captures of {one:,} bytes "
                            f"({', '.join(self.layers)} on {len(self.probe)} probe images)", self.max_bytes,
                            hint=f"Capture less often (every=), fewer layers or probe images, pass "
                                 f"channel_stride={stride} (every {stride}th channel), or raise max_bytes.")

    def _due(self, index: int) -> bool:
        return index % self.every == 0 and not self._spent

    def on_batch_end(self, state, logs):
        if self.unit == "step" and self._due(state.step):
            self._save(state)

    def on_epoch_end(self, state, logs):
        if self.unit == "epoch" and self._due(state.epoch):
            self._save(state)

    def _save(self, state) -> None:
        maps = self.capture()
        size = sum(a.nbytes for a in maps.values())
        if self.bytes_ + size > self.max_bytes:
            self._spent = True
            user_warning(f"FeatureMaps: max_bytes={self.max_bytes:,} spent after {self.bytes_:,} bytes; no more "
                         f"captures from step {state.step} (pass a larger max_bytes, every= or channel_stride=).")
            return
        self.bytes_ += size
        self._target.log_array(ARRAY_NAME, step=state.step, epoch=np.int64(state.epoch),
                               **{PREFIX + name: array for name, array in maps.items()})

    def on_fit_end(self, state):
        self._detach()

    def on_exception(self, state, error):
        self._detach()
