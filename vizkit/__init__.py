"""vizkit: charts that look right by default, and training runs that chart themselves.

>>> import vizkit as vk
>>> vk.palette()[:1]
[(0.247..., 0.564..., 0.854...)]

Importing vizkit is cheap and changes nothing: each public name loads its
module on first use (PEP 562), no rcParams are touched, and torch is only
ever imported by ``import vizkit.torch``.
"""

from __future__ import annotations

from vizkit._lazy import lazy_exports
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "plotted_data": "vizkit._core.axes",
    "bar": "vizkit.bars",
    "line": "vizkit.lines",
    "dual_axis": "vizkit.lines",
    "secondary_axis": "vizkit.lines",
    "scatter": "vizkit.scatterplots",
    "facet": "vizkit.facets",
    "mosaic": "vizkit.facets",
    "inset": "vizkit.facets",
    "format_axis": "vizkit.text",
    "titles": "vizkit.text",
    "annotate": "vizkit.text",
    "note": "vizkit.text",
    "grid": "vizkit.guides",
    "lint": "vizkit.review",
    "describe": "vizkit.review",
    "legend": "vizkit.legends",
    "refline": "vizkit.guides",
    "refspan": "vizkit.guides",
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
    "swatches": "vizkit.palettes",
    "load_dataset": "vizkit.datasets",
    "dataset_names": "vizkit.datasets",
    "read_run": "vizkit.io.readers",
    "read_runs": "vizkit.io.readers",
    "follow_run": "vizkit.io.follow",
    "curves": "vizkit.ml.curves",
    "gap": "vizkit.ml.gap",
    "dashboard": "vizkit.ml.dashboard",
}
_SUBMODULES = {"bars", "colors", "datasets", "errors", "facets", "guides", "io", "legends", "lines", "ml", "palettes", "review", "scatterplots", "styles", "text", "themes"}

__all__ = sorted(_EXPORTS) + sorted(_SUBMODULES)


__getattr__, __dir__ = lazy_exports("vizkit", _EXPORTS, _SUBMODULES)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from vizkit import bars, colors, datasets, errors, facets, guides, io, legends, lines, ml, palettes, review, scatterplots, styles, text, themes
    from vizkit._core.axes import plotted_data
    from vizkit.bars import bar
    from vizkit.facets import facet, inset, mosaic
    from vizkit.guides import grid, refline, refspan
    from vizkit.legends import legend
    from vizkit.review import describe, lint
    from vizkit.text import annotate, format_axis, note, titles
    from vizkit.lines import dual_axis, line, secondary_axis
    from vizkit.scatterplots import scatter
    from vizkit.colors import (
        check_cvd,
        cmap,
        contrast_ratio,
        highlight_palette,
        palette,
        palette_names,
        readable_color,
        simulate_cvd,
        text_color_on,
    )
    from vizkit.datasets import dataset_names, load_dataset
    from vizkit.io.follow import follow_run
    from vizkit.io.readers import read_run, read_runs
    from vizkit.ml.curves import curves
    from vizkit.ml.dashboard import dashboard
    from vizkit.ml.gap import gap
    from vizkit.palettes import swatches
    from vizkit.themes import set_theme, theme
