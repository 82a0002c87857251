"""Distributions of one numeric variable: histogram, KDE, ECDF, box, violin, and a ridgeline over an ordered variable.

One module per chart; ``_input`` holds what they all do first (the values per
hue level, missing rows dropped) and last (the hue legend), ``_estimate`` the
one density estimate, ``_categorical`` the categories of box and violin. Each
chart is a Display (``HistogramDisplay.from_data(...)`` computes without
drawing, ``.plot(ax)`` draws); ``vk.hist`` and the others are the one-call form.
Names load their module on first use (PEP 562), as in :mod:`vizkit`.
"""

from vizkit._core.lazy import lazy_exports

_EXPORTS = {
    "BoxDisplay": "vizkit.charts.distributions.boxes",
    "ECDFDisplay": "vizkit.charts.distributions.cumulative",
    "HistogramDisplay": "vizkit.charts.distributions.histogram",
    "KDEDisplay": "vizkit.charts.distributions.density",
    "RidgelineDisplay": "vizkit.charts.distributions.ridgelines",
    "ViolinDisplay": "vizkit.charts.distributions.violins",
    "box": "vizkit.charts.distributions.boxes",
    "ecdf": "vizkit.charts.distributions.cumulative",
    "hist": "vizkit.charts.distributions.histogram",
    "kde": "vizkit.charts.distributions.density",
    "ridgeline": "vizkit.charts.distributions.ridgelines",
    "violin": "vizkit.charts.distributions.violins",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports("vizkit.charts.distributions", _EXPORTS)
