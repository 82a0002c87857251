"""Charts of training: they take a ``read_runs`` frame (or any long frame with
the same columns), so they also serve logs written by other tools.

Names load their module on first use (PEP 562), as in :mod:`vizkit`.
"""

from vizkit._core.lazy import lazy_exports

_EXPORTS = {
    "GapDisplay": "vizkit.ml.generalization_gap",
    "BiasVariance": "vizkit.ml.bias_variance_decomposition",
    "BiasVarianceDisplay": "vizkit.ml.bias_variance_tradeoff",
    # the decomposition of one model; the chart of it against complexity is vizkit.bias_variance
    "bias_variance": "vizkit.ml.bias_variance_decomposition",
    "GapSummaryDisplay": "vizkit.ml.generalization_summary",
    "gap_summary": "vizkit.ml.generalization_summary",
    "curve_grid": "vizkit.ml.curve_facets",
    "EarlyStoppingDisplay": "vizkit.ml.patience_window",
    "early_stopping": "vizkit.ml.patience_window",
    "weight_ridges": "vizkit.ml.weight_histograms",
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
    "CVScoresDisplay": "vizkit.ml.cross_validation",
    "cv_scores": "vizkit.ml.cross_validation",
    "CVFoldsDisplay": "vizkit.ml.cv_fold_diagram",
    "cv_folds": "vizkit.ml.cv_fold_diagram",
    "dashboard": "vizkit.ml.run_dashboard",
    "gap": "vizkit.ml.generalization_gap",
    "landscape": "vizkit.ml.loss_landscape",
    "BootstrapDisplay": "vizkit.ml.bootstrap_distribution",
    "bootstrap": "vizkit.ml.bootstrap_distribution",
    "Bootstrap632Display": "vizkit.ml.bootstrap_error",
    "bootstrap_632": "vizkit.ml.bootstrap_error",
    "EnsembleCurveDisplay": "vizkit.ml.ensemble_growth",
    "ensemble_curve": "vizkit.ml.ensemble_growth",
    "DecisionRegionsDisplay": "vizkit.ml.decision_surface",
    "FeatureMapsDisplay": "vizkit.ml.activation_maps",
    "feature_maps": "vizkit.ml.activation_maps",
    "decision_regions": "vizkit.ml.decision_surface",
    "ParamCountsDisplay": "vizkit.ml.parameter_counts",
    "param_counts": "vizkit.ml.parameter_counts",
    "ArchitecturesDisplay": "vizkit.ml.architecture_chart",
    "architectures": "vizkit.ml.architecture_chart",
    # the numbers; the chart of them against depth is vizkit.receptive_field
    "receptive_field": "vizkit.ml.receptive_field_size",
    "ReceptiveFieldDisplay": "vizkit.ml.receptive_field_growth",
    "NoiseSchedule": "vizkit.ml.diffusion_noise",
    "noise_schedule": "vizkit.ml.diffusion_noise",
    "DiffusionScheduleDisplay": "vizkit.ml.schedule_curve",
    "diffusion_schedule": "vizkit.ml.schedule_curve",
    "DiffusionStripDisplay": "vizkit.ml.diffusion_strips",
    "diffusion_forward": "vizkit.ml.diffusion_strips",
    "diffusion_reverse": "vizkit.ml.diffusion_strips",
    "PixelOrderDisplay": "vizkit.ml.pixel_generation",
    "PixelStepsDisplay": "vizkit.ml.pixel_generation",
    "pixel_order": "vizkit.ml.pixel_generation",
    "pixel_steps": "vizkit.ml.pixel_generation",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports("vizkit.ml", _EXPORTS)
