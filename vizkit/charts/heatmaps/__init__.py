"""Heatmaps: ``heatmap`` (a matrix of values as coloured cells) and its Display, ``HeatmapDisplay``."""

from vizkit.charts.heatmaps.heatmapplot import HeatmapDisplay, heatmap

__all__ = ["HeatmapDisplay", "heatmap"]
