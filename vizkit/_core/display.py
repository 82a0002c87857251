"""The Display pattern: compute a chart's result once, read its findings, draw it when asked.

Every chart that reports findings (a best epoch, an onset of overfitting, a
confusion matrix's errors, an optimizer race's winner) is a :class:`Display`,
as in scikit-learn (``sklearn.metrics.RocCurveDisplay``,
``sklearn.model_selection.LearningCurveDisplay``):

``__init__(...)``
    Stores a computed result and nothing else: no checking of raw data, no
    drawing. Its arguments are the result (a table, arrays, names), so a
    Display can be rebuilt from numbers saved earlier.
``from_<source>(...)`` classmethods (``from_runs``, ``from_estimator``, ...)
    Check the raw input, compute the result and return ``cls(...)``. They
    never draw and never touch pyplot, so a training script or a test reads
    the findings without a figure.
Findings
    Attributes whose names end in ``_`` (``best_epoch_``), set by
    ``__init__`` from the result: readable before and without drawing.
``plot(ax=None, **kw)``
    Draws the stored result on ``ax`` (default the current Axes), keeps what
    was drawn as ``plotted_data(ax)``, stores ``ax_``, ``figure_`` and
    ``artists_`` (a dict of the drawn Matplotlib artists by role) and returns
    the Display, so ``Display.from_x(...).plot().ax_`` is one line. ``plot``
    may be called again on other Axes; the attributes then name the newest.

A subclass implements ``_draw(ax, **kw) -> dict`` (draw from the stored
result only, return the artists by role) and, when the chart keeps a table
for :func:`vizkit.plotted_data`, ``_plotted_data() -> DataFrame``; it names
the chart in ``_chart``. The one-call function of the chart (``vk.gap``)
stays, as ``Display.from_x(...).plot(ax=ax).ax_``.
"""

from __future__ import annotations

from typing import ClassVar

from vizkit._core.axes import attach_data, target_ax

__all__ = ["Display"]


class Display:
    """Base of vizkit's Display objects: ``from_*`` computes, ``plot`` draws (see :mod:`vizkit._core.display`).

    Attributes
    ----------
    ax_ : matplotlib.axes.Axes or None
        Where :meth:`plot` drew last; None before.
    figure_ : matplotlib.figure.Figure or None
        The figure of ``ax_``.
    artists_ : dict
        What :meth:`plot` drew last, by role (``{"train": Line2D, ...}``);
        empty before.

    Examples
    --------
    A Display of a mean, drawn as a horizontal line:

    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from vizkit._core.display import Display
    >>> class MeanDisplay(Display):
    ...     _chart = "mean"
    ...     def __init__(self, mean):
    ...         self.mean_ = mean                        # a finding, readable without drawing
    ...     @classmethod
    ...     def from_values(cls, values):
    ...         return cls(sum(values) / len(values))     # compute; never draw
    ...     def _draw(self, ax):
    ...         return {"line": ax.axhline(self.mean_)}
    ...     def _plotted_data(self):
    ...         return pd.DataFrame({"mean": [self.mean_]})
    >>> display = MeanDisplay.from_values([1, 2, 6])
    >>> display.mean_, display.ax_
    (3.0, None)
    >>> fig, ax = plt.subplots()
    >>> display.plot(ax=ax).ax_ is ax, list(display.artists_)
    (True, ['line'])
    >>> plt.close(fig)
    """

    #: The chart's name in :func:`vizkit.plotted_data` (its ``chart`` column when charts share an Axes).
    _chart: ClassVar[str] = "display"
    ax_ = None
    figure_ = None
    artists_: ClassVar[dict] = {}

    def plot(self, ax=None, **kwargs):
        """Draw the stored result on ``ax`` (default the current Axes); return ``self``.

        Sets ``ax_``, ``figure_`` and ``artists_``; what was drawn is then in
        :func:`vizkit.plotted_data` of ``ax_``. Keyword arguments are the
        subclass' drawing options.
        """
        ax = target_ax(ax)
        artists = self._draw(ax, **kwargs)
        table = self._plotted_data()
        if table is not None:
            attach_data(ax, table, chart=self._chart)
        self.ax_, self.figure_, self.artists_ = ax, ax.figure, dict(artists or {})
        return self

    def _draw(self, ax, **kwargs) -> dict:
        """Draw the stored result on ``ax``; return the drawn artists by role."""
        raise NotImplementedError(f"{type(self).__name__} must implement _draw(ax, **kwargs)")

    def _plotted_data(self):
        """The table :func:`vizkit.plotted_data` gives for this chart, or None to keep none."""
        return None

    def __repr__(self) -> str:
        findings = ", ".join(f"{name}={value!r}" for name, value in vars(self).items()
                             if name.endswith("_") and not name.startswith("_")
                             and name not in ("ax_", "figure_", "artists_") and _short(value))
        return f"{type(self).__name__}({findings})"


def _short(value) -> bool:
    """Whether ``value`` reads well in a repr (a number, a name, None; not a table)."""
    return value is None or isinstance(value, (bool, int, float, str))
