"""Line charts: ``line`` (trends, bands, interpolation, decimation), ``dual_axis`` and ``secondary_axis``."""

from vizkit.charts.lines.lineplot import dual_axis, line, secondary_axis

__all__ = ["dual_axis", "line", "secondary_axis"]
