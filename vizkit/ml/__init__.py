"""Charts of training: they take a ``read_runs`` frame (or any long frame with
the same columns), so they also serve logs written by other tools."""

from vizkit.ml.generalization_gap import gap
from vizkit.ml.learning_curves import curves
from vizkit.ml.run_dashboard import dashboard

__all__ = ["curves", "dashboard", "gap"]
