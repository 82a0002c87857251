"""Charts of training: they take a ``read_runs`` frame (or any long frame with
the same columns), so they also serve logs written by other tools.

Names load their module on first use (PEP 562), as in :mod:`vizkit`.
"""

from vizkit._core.lazy import lazy_exports

_EXPORTS = {
    "GapDisplay": "vizkit.ml.generalization_gap",
    "LRFinderDisplay": "vizkit.ml.lr_range_test",
    "LRFinderResult": "vizkit.ml.lr_range_test",
    "LayerStatsDisplay": "vizkit.ml.layer_statistics",
    "layer_stats": "vizkit.ml.layer_statistics",
    "lr_finder": "vizkit.ml.lr_range_test",
    "curves": "vizkit.ml.learning_curves",
    "dashboard": "vizkit.ml.run_dashboard",
    "gap": "vizkit.ml.generalization_gap",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports("vizkit.ml", _EXPORTS)
