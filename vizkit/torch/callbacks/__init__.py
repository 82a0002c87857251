"""Callbacks for :func:`vizkit.torch.fit`: a tiny hook surface and a small training state.

A callback overrides the hooks it needs; the base class defines every hook as
a no-op. :func:`~vizkit.torch.fit` calls them in this order::

    on_fit_start(state)
    for each epoch:
        on_epoch_start(state)
        for each batch:  on_batch_end(state, logs)        # logs: this batch, device tensors
        on_validation_end(state, logs)                     # logs: "val_<metric>", with a val_loader
        on_epoch_end(state, logs)                          # logs: epoch means and "val_<metric>", floats
    on_fit_end(state)                                      # or, when anything raised:
    on_exception(state, error)                             # then the error propagates

Names of logged values
----------------------
Batch logs hold ``"loss"`` and one key per entry of ``fit(metrics=...)``
(``"acc"``, ...). Validation logs hold the same names prefixed with
``"val_"``. Epoch logs hold both: ``"loss"`` (the mean over the epoch's
batches) and ``"val_loss"``. In the run log a key ``"val_<metric>"`` is
metric ``<metric>`` of split ``"val"``; any other key is a metric of split
``"train"``. So ``EarlyStopping(monitor="val_loss")`` watches the rows
``split == "val", metric == "loss"`` of :func:`vizkit.read_run`.

Steps and epochs count from 0: ``state.step`` is the global index of the last
optimizer step taken (``-1`` before the first), ``state.epoch`` the index of
the current epoch. Validation is logged at the step that ended its epoch.
"""

from vizkit.torch.callbacks.base import Callback, TrainState
from vizkit.torch.callbacks.early_stopping import EarlyStopping
from vizkit.torch.callbacks.layer_stats import LayerStats
from vizkit.torch.callbacks.lr_logger import LRLogger
from vizkit.torch.callbacks.metric_logger import MetricLogger

__all__ = ["Callback", "EarlyStopping", "LayerStats", "LRLogger", "MetricLogger", "TrainState"]
