"""Charts of training: they take a ``read_runs`` frame (or any long frame with
the same columns), so they also serve logs written by other tools.

Names load their module on first use (PEP 562), as in :mod:`vizkit`.
"""

from vizkit._core.lazy import lazy_exports

_EXPORTS = {
    "GapDisplay": "vizkit.ml.generalization_gap",
    "LossSurfaceDisplay": "vizkit.ml.surface_paths",
    "SURFACES": "vizkit.ml.surfaces",
    "Surface": "vizkit.ml.surfaces",
    "loss_surface": "vizkit.ml.surface_paths",
    "mse_surface": "vizkit.ml.surfaces",
    "Landscape": "vizkit.ml.loss_landscape",
    "LandscapeDisplay": "vizkit.ml.loss_landscape",
    "LRFinderDisplay": "vizkit.ml.lr_range_test",
    "LRFinderResult": "vizkit.ml.lr_range_test",
    "FunctionFitDisplay": "vizkit.ml.function_fit",
    "function_fits": "vizkit.ml.function_fit",
    "LayerStatsDisplay": "vizkit.ml.layer_statistics",
    "layer_stats": "vizkit.ml.layer_statistics",
    "lr_finder": "vizkit.ml.lr_range_test",
    "LearningCurveDisplay": "vizkit.ml.score_curves",
    "ValidationCurveDisplay": "vizkit.ml.score_curves",
    "learning_curve": "vizkit.ml.score_curves",
    "validation_curve": "vizkit.ml.score_curves",
    "curves": "vizkit.ml.learning_curves",
    "dashboard": "vizkit.ml.run_dashboard",
    "gap": "vizkit.ml.generalization_gap",
    "landscape": "vizkit.ml.loss_landscape",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports("vizkit.ml", _EXPORTS)
