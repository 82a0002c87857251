"""vizkit: charts that look right by default, and training runs that chart themselves.

>>> import vizkit as vk
>>> vk.palette()[:1]
[(0.176..., 0.274..., 0.909...)]

Importing vizkit is cheap and changes nothing: each public name loads its
module on first use (PEP 562), no rcParams are touched, and torch is only
ever imported by ``import vizkit.torch``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vizkit._core.lazy import lazy_exports
from vizkit._version import __version__

# public name -> module that defines it
_EXPORTS = {
    "plotted_data": "vizkit._core.axes",
    "bar": "vizkit.charts.bars",
    "line": "vizkit.charts.lines.lineplot",
    "dual_axis": "vizkit.charts.lines.lineplot",
    "secondary_axis": "vizkit.charts.lines.lineplot",
    "scatter": "vizkit.charts.scatter.scatterplot",
    "facet": "vizkit.charts.facets",
    "hist": "vizkit.charts.distributions.histogram",
    "kde": "vizkit.charts.distributions.density",
    "ecdf": "vizkit.charts.distributions.cumulative",
    "box": "vizkit.charts.distributions.boxes",
    "violin": "vizkit.charts.distributions.violins",
    "ridgeline": "vizkit.charts.distributions.ridgelines",
    "heatmap": "vizkit.charts.heatmaps.heatmapplot",
    "confusion_matrix": "vizkit.charts.confusion",
    "mosaic": "vizkit.charts.facets",
    "inset": "vizkit.charts.facets",
    "image_grid": "vizkit.charts.images",
    "overlay": "vizkit.charts.heat_overlay",
    "yolo_grid": "vizkit.charts.detection_grid",
    "filters": "vizkit.charts.kernels",
    "timeline": "vizkit.charts.timeline",
    "convolution": "vizkit.charts.sliding_window",
    "segmentation": "vizkit.charts.segmentation_map",
    "patch_grid": "vizkit.charts.image_patches",
    "format_axis": "vizkit.elements.text",
    "titles": "vizkit.elements.text",
    "annotate": "vizkit.elements.text",
    "note": "vizkit.elements.text",
    "grid": "vizkit.elements.guides",
    "lint": "vizkit.elements.review",
    "describe": "vizkit.elements.review",
    "legend": "vizkit.elements.legends",
    "refline": "vizkit.elements.guides",
    "refspan": "vizkit.elements.guides",
    "anatomy": "vizkit.elements.figure_anatomy",
    "set_theme": "vizkit.themes",
    "theme": "vizkit.themes",
    "palette": "vizkit.colors",
    "palette_names": "vizkit.colors",
    "cmap": "vizkit.colors",
    "highlight_palette": "vizkit.colors",
    "contrast_ratio": "vizkit.colors",
    "text_color_on": "vizkit.colors",
    "readable_color": "vizkit.colors",
    "simulate_cvd": "vizkit.colors",
    "check_cvd": "vizkit.colors",
    "set_colors": "vizkit.colors",
    "swatches": "vizkit.charts.swatches",
    "load_dataset": "vizkit.datasets",
    "dataset_names": "vizkit.datasets",
    "read_run": "vizkit.io.readers",
    "read_runs": "vizkit.io.readers",
    "follow_run": "vizkit.io.follow",
    "curves": "vizkit.ml.learning_curves",
    "gap": "vizkit.ml.generalization_gap",
    "dashboard": "vizkit.ml.run_dashboard",
    "loss_surface": "vizkit.ml.surface_paths",
    "landscape": "vizkit.ml.loss_landscape",
    "lr_finder": "vizkit.ml.lr_range_test",
    "layer_stats": "vizkit.ml.layer_statistics",
    "function_fits": "vizkit.ml.function_fit",
    "cv_scores": "vizkit.ml.cross_validation",
    "cv_folds": "vizkit.ml.cv_fold_diagram",
    # the chart; the decomposition of one model is vizkit.ml.bias_variance
    "bias_variance": "vizkit.ml.bias_variance_tradeoff",
    "gap_summary": "vizkit.ml.generalization_summary",
    "curve_grid": "vizkit.ml.curve_facets",
    "early_stopping": "vizkit.ml.patience_window",
    "weight_ridges": "vizkit.ml.weight_histograms",
    "bootstrap": "vizkit.ml.bootstrap_distribution",
    "bootstrap_632": "vizkit.ml.bootstrap_error",
    "ensemble_curve": "vizkit.ml.ensemble_growth",
    "decision_regions": "vizkit.ml.decision_surface",
    "feature_maps": "vizkit.ml.activation_maps",
    "attention": "vizkit.ml.attention_maps",
    "samples_over_training": "vizkit.ml.sample_progress",
    "learning_curve": "vizkit.ml.score_curves",
    "validation_curve": "vizkit.ml.score_curves",
    "param_counts": "vizkit.ml.parameter_counts",
    "architectures": "vizkit.ml.architecture_chart",
    # the chart; the numbers are vizkit.ml.receptive_field
    "receptive_field": "vizkit.ml.receptive_field_growth",
    "position_similarity": "vizkit.ml.position_embedding_similarity",
    "cls_attention": "vizkit.ml.class_token_attention",
    "gates": "vizkit.ml.gate_heatmaps",
    "hidden_gradients": "vizkit.ml.gradients_through_time",
    "memory_reach": "vizkit.ml.lag_sensitivity",
    "latent_grid": "vizkit.ml.latent_traversal",
    "reconstructions": "vizkit.ml.reconstruction_pairs",
    "latent_over_training": "vizkit.ml.latent_snapshots",
    "diffusion_schedule": "vizkit.ml.schedule_curve",
    "diffusion_forward": "vizkit.ml.diffusion_strips",
    "diffusion_reverse": "vizkit.ml.diffusion_strips",
    "pixel_order": "vizkit.ml.pixel_generation",
    "pixel_steps": "vizkit.ml.pixel_generation",
}
# public submodule name -> module (docs/architecture.md): the packages of each layer,
# and the names the chart modules had before they moved into charts/ and elements/
_SUBMODULES = {
    name: f"vizkit.{name}"
    for name in ("charts", "colors", "datasets", "elements", "errors", "io", "ml", "styles", "themes")
} | {
    "bars": "vizkit.charts.bars",
    "lines": "vizkit.charts.lines",
    "scatterplots": "vizkit.charts.scatter",
    "facets": "vizkit.charts.facets",
    "palettes": "vizkit.charts.swatches",
    "text": "vizkit.elements.text",
    "legends": "vizkit.elements.legends",
    "guides": "vizkit.elements.guides",
    "review": "vizkit.elements.review",
}

__all__ = sorted(_EXPORTS) + sorted(_SUBMODULES)


__getattr__, __dir__ = lazy_exports("vizkit", _EXPORTS, _SUBMODULES)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from vizkit import (
        charts,
        colors,
        datasets,
        elements,
        errors,
        io,
        ml,
        styles,
        themes,
    )
    from vizkit._core.axes import plotted_data
    from vizkit.charts import bars, facets, lines
    from vizkit.charts import scatter as scatterplots
    from vizkit.charts import swatches as palettes
    from vizkit.charts.bars import bar
    from vizkit.charts.distributions.boxes import box
    from vizkit.charts.distributions.cumulative import ecdf
    from vizkit.charts.distributions.density import kde
    from vizkit.charts.distributions.histogram import hist
    from vizkit.charts.distributions.ridgelines import ridgeline
    from vizkit.charts.distributions.violins import violin
    from vizkit.charts.confusion import confusion_matrix
    from vizkit.charts.facets import facet, inset, mosaic
    from vizkit.charts.heatmaps.heatmapplot import heatmap
    from vizkit.charts.images import image_grid
    from vizkit.charts.heat_overlay import overlay
    from vizkit.charts.detection_grid import yolo_grid
    from vizkit.charts.kernels import filters
    from vizkit.charts.lines.lineplot import dual_axis, line, secondary_axis
    from vizkit.charts.scatter.scatterplot import scatter
    from vizkit.charts.swatches import swatches
    from vizkit.charts.timeline import timeline
    from vizkit.charts.segmentation_map import segmentation
    from vizkit.colors import (
        check_cvd,
        cmap,
        contrast_ratio,
        highlight_palette,
        palette,
        palette_names,
        readable_color,
        set_colors,
        simulate_cvd,
        text_color_on,
    )
    from vizkit.datasets import dataset_names, load_dataset
    from vizkit.elements import guides, legends, review, text
    from vizkit.elements.figure_anatomy import anatomy
    from vizkit.elements.guides import grid, refline, refspan
    from vizkit.elements.legends import legend
    from vizkit.elements.review import describe, lint
    from vizkit.elements.text import annotate, format_axis, note, titles
    from vizkit.io.follow import follow_run
    from vizkit.io.readers import read_run, read_runs
    from vizkit.ml.bias_variance_tradeoff import bias_variance
    from vizkit.ml.generalization_gap import gap
    from vizkit.ml.curve_facets import curve_grid
    from vizkit.ml.generalization_summary import gap_summary
    from vizkit.ml.patience_window import early_stopping
    from vizkit.ml.weight_histograms import weight_ridges
    from vizkit.ml.learning_curves import curves
    from vizkit.ml.loss_landscape import landscape
    from vizkit.ml.run_dashboard import dashboard
    from vizkit.ml.surface_paths import loss_surface
    from vizkit.ml.latent_traversal import latent_grid
    from vizkit.ml.reconstruction_pairs import reconstructions
    from vizkit.ml.latent_snapshots import latent_over_training
    from vizkit.themes import set_theme, theme
