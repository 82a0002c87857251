"""Scatter plots: hue/size/style channels, density views, trends and a stats box."""

from vizkit.charts.scatter.scatterplot import scatter

__all__ = ["scatter"]
