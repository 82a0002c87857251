"""Run logs without torch: the writer and the readers (docs/run_format.md).

``vizkit.torch.Run`` is a thin torch-aware layer over :class:`RunWriter`;
the readers also understand TensorBoard event folders and Lightning / Keras
CSV logs, so their users get the same charts. :mod:`vizkit.io.metrics` holds
the metric vocabulary (:func:`metric_direction`: is lower or higher better?).
"""

from __future__ import annotations

from vizkit._core.lazy import lazy_exports

_EXPORTS = {
    "RunWriter": "vizkit.io.writer",
    "read_arrays": "vizkit.io.arrays",
    "read_feature_maps": "vizkit.io.activations",
    "FeatureMapRecord": "vizkit.io.activations",
    "read_run": "vizkit.io.readers",
    "read_runs": "vizkit.io.readers",
    "follow_run": "vizkit.io.follow",
    "RunFollower": "vizkit.io.follow",
    "metric_direction": "vizkit.io.metrics",
    "is_schedule": "vizkit.io.metrics",
    "LOWER_IS_BETTER": "vizkit.io.metrics",
    "HIGHER_IS_BETTER": "vizkit.io.metrics",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports("vizkit.io", _EXPORTS)
