"""Charts of training: they take a ``read_runs`` frame (or any long frame with
the same columns), so they also serve logs written by other tools."""

from vizkit.ml.curves import curves
from vizkit.ml.dashboard import dashboard
from vizkit.ml.gap import gap

__all__ = ["curves", "dashboard", "gap"]
