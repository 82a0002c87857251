"""vizkit for PyTorch: a run log that takes tensors, callbacks, ``fit()`` and a live plot.

The only part of vizkit that imports torch (``pip install 'vizkit[torch]'``).

>>> import tempfile
>>> import torch
>>> import vizkit.torch as vt
>>> with vt.Run(tempfile.mkdtemp()) as run:          # a hand-written loop needs nothing more
...     for step in range(3):
...         loss = torch.tensor(1.0 / (step + 1))      # stays on its device until a flush
...         run.log(step=step, loss=loss)
"""

from __future__ import annotations

from vizkit._core.errors import missing_dependency
from vizkit._core.lazy import lazy_exports

try:
    import torch as _torch  # noqa: F401
except ImportError:
    raise missing_dependency("vizkit.torch", "torch", "torch") from None

_EXPORTS = {
    "Run": "vizkit.torch.run",
    "Callback": "vizkit.torch.callbacks",
    "TrainState": "vizkit.torch.callbacks",
    "MetricLogger": "vizkit.torch.callbacks",
    "EarlyStopping": "vizkit.torch.callbacks",
    "LRLogger": "vizkit.torch.callbacks",
    "LayerStats": "vizkit.torch.callbacks",
    "FeatureMaps": "vizkit.torch.callbacks.activation_capture",
    "AttentionMaps": "vizkit.torch.callbacks.attention_capture",
    "SampleLogger": "vizkit.torch.callbacks.sample_logger",
    "lr_find": "vizkit.torch.range_test",
    "fit": "vizkit.torch.loop",
    "evaluate": "vizkit.torch.loop",
    "accuracy": "vizkit.torch.loop",
    "LivePlot": "vizkit.torch.live",
    "optimizer_paths": "vizkit.torch.optimization",
    "tune_lr": "vizkit.torch.optimization",
    "linear_gd": "vizkit.torch.optimization",
    "loss_landscape": "vizkit.torch.landscapes",
    "interpolate": "vizkit.torch.landscapes",
    "trajectory_landscape": "vizkit.torch.landscapes",
    "smooth_labels": "vizkit.torch.regularizers",
    "mixup": "vizkit.torch.regularizers",
    "Mixup": "vizkit.torch.regularizers",
    "Augment": "vizkit.torch.regularizers",
    "AugmentParams": "vizkit.torch.regularizers",
    "add_noise": "vizkit.torch.regularizers",
    "transform_batches": "vizkit.torch.regularizers",
    "TorchEstimator": "vizkit.torch.estimator",
    "summary": "vizkit.torch.model_summary",
    "ModelSummary": "vizkit.torch.model_summary",
    "grad_cam": "vizkit.torch.class_activation",
    "yolo_encode": "vizkit.torch.yolo_targets",
    "yolo_decode": "vizkit.torch.yolo_targets",
    "convolutionalize": "vizkit.torch.convolutionalization",
    "recurrent_trace": "vizkit.torch.recurrent_steps",
    "RecurrentTrace": "vizkit.torch.recurrent_steps",
    "hidden_state_gradients": "vizkit.torch.recurrent_gradients",
    "lag_sensitivity": "vizkit.torch.recurrent_gradients",
    "decode_lattice": "vizkit.torch.latent_lattice",
    "LatentLattice": "vizkit.torch.latent_lattice",
    "ddpm_loss": "vizkit.torch.diffusion",
    "ddpm_sample": "vizkit.torch.diffusion",
    "DDPMSamples": "vizkit.torch.diffusion",
    "autoregressive_sample": "vizkit.torch.autoregressive",
    "PixelSamples": "vizkit.torch.autoregressive",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports("vizkit.torch", _EXPORTS, submodules=("models",))
