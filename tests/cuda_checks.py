"""The check both CUDA tests of fit() share: nothing waits for the GPU between an epoch's first and last batch."""

import torch

from vizkit.torch import Callback, fit


class _NoSyncInsideAnEpoch(Callback):
    """Make any device synchronisation an error, except after an epoch's last batch."""

    def __init__(self, steps_per_epoch: int):
        self.steps_per_epoch = steps_per_epoch

    def on_batch_end(self, state, logs):
        last = (state.step + 1) % self.steps_per_epoch == 0
        torch.cuda.set_sync_debug_mode("default" if last else "error")


def fit_without_sync_inside_epochs(model, loader, *, callbacks, **fit_kwargs):
    """``fit`` with ``callbacks``, failing on the first synchronisation inside an epoch; the debug mode is reset after."""
    try:
        return fit(model, loader, callbacks=[*callbacks, _NoSyncInsideAnEpoch(len(loader))], progress=False,
                   **fit_kwargs)
    finally:
        torch.cuda.set_sync_debug_mode("default")
