"""Gates and states of a recurrent layer over time: a heatmap of units × time steps per gate or state, the input above.

Torch-free: it draws what ``vizkit.torch.recurrent_trace`` recomputed (read
by duck typing, without importing torch) or any arrays of (time, units).
Each panel is a :class:`~vizkit.charts.heatmaps.HeatmapDisplay`: sigmoid
gates on a sequential scale fixed to [0, 1], states on a diverging scale
centred at 0 (at least [-1, 1], wider when an LSTM's cell state leaves it).
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.axes import attach_data
from vizkit._core.display import Display
from vizkit.charts.heatmaps import HeatmapDisplay
from vizkit.themes import ink, muted_ink

__all__ = ["GatesDisplay", "gates"]

_WIDTH = 7.2  # inches
_SCALES = ("gate", "state", "positive")  # [0, 1]; diverging around 0; a ReLU's [0, max]


class _PanelDisplay(HeatmapDisplay):
    """One gate's or state's heatmap; what it drew says which one."""

    _chart = "gates"
    name = ""

    def _plotted_data(self):
        table = super()._plotted_data().copy()
        table.insert(0, "name", self.name)
        table["unit"], table["step"] = table["i"], table["j"]
        return table


def _series(argument: str, value) -> np.ndarray:
    """A (time, units) float array, read from numpy, lists or a tensor (without importing torch)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
    array = np.asarray(value)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.dtype.kind not in "iuf" or 0 in array.shape:
        raise bad_value(argument, "a (time, units) array of numbers", value,
                        got=f"an array of shape {array.shape} ({array.dtype})")
    if not np.isfinite(array).all():
        raise bad_value(argument, "finite values", value, got=f"{int((~np.isfinite(array)).sum())} NaN or inf")
    return array.astype(np.float64)


def _check_tokens(tokens, steps: int):
    if tokens is None:
        return None
    if isinstance(tokens, str) or not hasattr(tokens, "__len__"):
        raise bad_type("tokens", "a list of labels, one per time step", tokens)
    if len(tokens) != steps:
        raise bad_value("tokens", f"one label per time step ({steps})", tokens, got=f"{len(tokens)} labels")
    return [str(token) for token in tokens]


def _check_mark(mark, steps: int) -> list[int]:
    if mark is None:
        return []
    marks = [mark] if isinstance(mark, (int, np.integer)) else mark
    if not isinstance(marks, (list, tuple, np.ndarray)):
        raise bad_type("mark", "a time step or a list of them", mark)
    return [check_number("mark", t, integer=True, low=0, high=steps - 1) for t in marks]


def _row_height(units: int) -> float:
    """Inches per unit: room for every unit's label up to 12 units, thinner rows (and labels) above."""
    return 0.2 if units <= 12 else 0.13


def _panel(name: str, label: str, values: np.ndarray, scale: str) -> _PanelDisplay:
    """The heatmap of one (time, units) array, drawn units × time."""
    matrix = values.T
    if scale == "gate":
        display = _PanelDisplay.from_array(matrix, vmin=0, vmax=1, label="gate")
    elif scale == "positive":
        display = _PanelDisplay.from_array(matrix, vmin=0, vmax=max(float(matrix.max()), 1e-12), label="state")
    else:
        reach = max(1.0, float(np.abs(matrix).max()))
        display = _PanelDisplay.from_array(matrix, center=0, vmin=-reach, vmax=reach, label="state")
    display.name, display.label = name, label
    return display


class GatesDisplay(Display):
    """Gates and states of one sequence over time, with its input: ``from_trace`` or ``from_arrays``, then ``plot``.

    Attributes
    ----------
    panels_ : list of str
        The names drawn, top to bottom (below the input).
    steps_, units_ : int
        Time steps, and units of the widest panel.
    table_ : pandas.DataFrame
        One row per drawn cell: ``name``, ``unit``, ``step``, ``value``.
    input_ : numpy.ndarray or None
        The input drawn above, (time, features).
    tokens_ : list of str or None
    mark_ : list of int
        Time steps outlined in every panel.
    axes_ : ndarray of Axes
        After :meth:`plot`: the input's Axes (when drawn), then one per panel.
    heatmaps_ : list of HeatmapDisplay
        After :meth:`plot`: each panel's heatmap (its cells, colour scale and colour bar).

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import GatesDisplay
    >>> rng = np.random.default_rng(0)
    >>> found = GatesDisplay.from_arrays({"f": rng.random((10, 4)), "h": np.tanh(rng.normal(size=(10, 4)))},
    ...                                  gate_names=["f"], input=rng.normal(size=10))
    >>> found.panels_, found.steps_, found.units_
    (['f', 'h'], 10, 4)
    """

    _chart = "gates"
    axes_ = None
    heatmaps_: list = []

    def __init__(self, panels, *, input=None, tokens=None, mark=()):
        import pandas as pd

        self.panels = panels  # [_PanelDisplay], top to bottom
        self.panels_ = [panel.name for panel in panels]
        self.steps_ = panels[0].shape_[1]
        self.units_ = max(panel.shape_[0] for panel in panels)
        self.input_, self.tokens_, self.mark_ = input, tokens, list(mark)
        self.table_ = pd.concat([pd.DataFrame({"name": panel.name, "unit": panel.table["i"].to_numpy(),
                                               "step": panel.table["j"].to_numpy(),
                                               "value": panel.table["value"].to_numpy()}) for panel in panels],
                                ignore_index=True)

    @classmethod
    def from_arrays(cls, arrays, *, gate_names=(), labels=None, input=None, tokens=None, mark=None, scales=None):
        """Check and compute the panels of a dict ``name -> (time, units)`` array; draw nothing.

        ``gate_names`` are drawn on [0, 1], the others as states around 0;
        ``labels`` maps a name to the text beside its panel (default the name).
        See :func:`gates` for ``input``, ``tokens`` and ``mark``.
        """
        if not isinstance(arrays, dict) or not arrays:
            raise bad_type("arrays", "a dict of name -> (time, units) array, at least one", arrays)
        series = {str(name): _series(f"arrays[{name!r}]", value) for name, value in arrays.items()}
        steps = {value.shape[0] for value in series.values()}
        if len(steps) != 1:
            raise bad_value("arrays", "arrays of one length in time", arrays,
                            got=", ".join(f"{name}: {value.shape[0]} steps" for name, value in series.items()))
        (steps,) = steps
        gate_names = [str(name) for name in ([gate_names] if isinstance(gate_names, str) else gate_names)]
        for name in gate_names:
            if name not in series:
                raise bad_value("gate_names", f"names of `arrays` ({list(series)})", name)
            values = series[name]
            if values.min() < 0 or values.max() > 1:
                raise bad_value(f"arrays[{name!r}]", "gate values in [0, 1] (it is in `gate_names`)", None,
                                got=f"values from {values.min():.3g} to {values.max():.3g}")
        labels = {} if labels is None else dict(labels)
        scales = {} if scales is None else dict(scales)
        panels = [_panel(name, str(labels.get(name, name)), values,
                         scales.get(name, "gate" if name in gate_names else "state"))
                  for name, values in series.items()]
        drawn_input = None if input is None else _series("input", input)
        if drawn_input is not None and drawn_input.shape[0] != steps:
            raise bad_value("input", f"one value (or row) per time step ({steps})", input,
                            got=f"{drawn_input.shape[0]} steps")
        return cls(panels, input=drawn_input, tokens=_check_tokens(tokens, steps), mark=_check_mark(mark, steps))

    @classmethod
    def from_trace(cls, trace, *, sequence=0, layer=-1, direction="forward", names=None, input="trace",
                   tokens=None, mark=None):
        """The panels of one sequence of a ``vizkit.torch.recurrent_trace`` result; draw nothing.

        See :func:`gates` for the arguments.
        """
        if not all(hasattr(trace, name) for name in ("kind", "arrays", "names", "gates", "get", "input")):
            raise bad_type("trace", "what vizkit.torch.recurrent_trace returns (a RecurrentTrace)", trace)
        known = trace.names
        names = list(known) if names is None else [names] if isinstance(names, str) else list(names)
        for name in names:
            if name not in known:
                raise bad_value("names", f"names of the {trace.kind} trace ({list(known)})", name)
        batch = trace.input.shape[0]
        sequence = check_number("sequence", sequence, integer=True, low=0, high=batch - 1)
        arrays = {name: trace.get(name, layer=layer, direction=direction)[sequence] for name in names}
        scales = {"h": "positive"} if trace.kind == "RNN_RELU" else {}
        drawn_input = trace.input[sequence] if isinstance(input, str) and input == "trace" else input
        return cls.from_arrays(arrays, gate_names=[n for n in names if n in trace.gates], scales=scales,
                               labels={n: f"{known[n]} {n}" for n in names}, input=drawn_input, tokens=tokens,
                               mark=mark)

    def plot(self, *, figure=None):
        """Draw the input on top, then a heatmap per panel on one time axis; return ``self``."""
        import matplotlib.pyplot as plt
        from matplotlib import patheffects

        has_input = self.input_ is not None or self.tokens_ is not None
        heights = [0.35 + _row_height(panel.shape_[0]) * panel.shape_[0] for panel in self.panels]
        if has_input:
            heights.insert(0, 0.9 if self.input_ is not None else 0.3)
        if figure is None:
            figure = plt.figure(figsize=(_WIDTH, sum(heights) + 0.5), layout="constrained")
        axes = np.atleast_1d(figure.subplots(len(heights), 1, height_ratios=heights, squeeze=False)[:, 0])
        if has_input:
            self._draw_input(axes[0])
        self.heatmaps_ = []
        for ax, panel in zip(axes[int(has_input):], self.panels, strict=True):
            panel.plot(ax=ax)
            ax.set_ylabel(f"{panel.label}\nunit", rotation=0, ha="right", va="center", labelpad=10, parse_math=False)
            self.heatmaps_.append(panel)
        for ax in axes:
            halo = [patheffects.withStroke(linewidth=3.2, foreground=ax.get_facecolor())]  # seen on dark cells too
            for t in self.mark_:
                ax.axvspan(t - 0.5, t + 0.5, fill=False, edgecolor=ink(ax), linewidth=1.2, zorder=3,
                           path_effects=halo)
            ax.set_xlim(-0.5, self.steps_ - 0.5)
        for ax in axes[:-1]:
            ax.tick_params(axis="x", labelbottom=False)
        axes[-1].set_xlabel("time step t")
        self.axes_, self.ax_, self.figure_ = axes, axes[-1], figure
        return self

    def _draw_input(self, ax) -> None:
        import pandas as pd

        steps = np.arange(self.steps_)
        table = pd.DataFrame({"step": steps})
        if self.input_ is not None and self.input_.shape[1] > 1:
            HeatmapDisplay.from_array(self.input_.T, center=0 if self.input_.min() < 0 else None,
                                      label="input").plot(ax=ax)
            table = table.assign(**{f"x{k}": self.input_[:, k] for k in range(self.input_.shape[1])})
            ax.set_ylabel("input x\nfeature", rotation=0, ha="right", va="center")
        elif self.input_ is not None:
            ax.plot(steps, self.input_[:, 0], color=ink(ax), marker="o", markersize=3, linewidth=1)
            ax.axhline(0, color=muted_ink(ax), linewidth=0.6, zorder=0)
            ax.set_ylabel("input x", rotation=0, ha="right", va="center")
            table["x"] = self.input_[:, 0]
        ax.tick_params(axis="x", length=0)
        if self.tokens_ is not None:  # over the input, or alone in a strip: one label per step
            on_top = self.input_ is not None
            for t, token in zip(steps, self.tokens_, strict=True):
                ax.text(t, 1.02 if on_top else 0.5, token, transform=ax.get_xaxis_transform(), ha="center",
                        va="bottom" if on_top else "center", color=ink(ax), parse_math=False, clip_on=False)
            if not on_top:
                ax.set_yticks([])
                ax.grid(False)
                ax.set_ylabel("input", rotation=0, ha="right", va="center")
                for spine in ax.spines.values():
                    spine.set_visible(False)
            table["token"] = self.tokens_
        attach_data(ax, table, chart="gates-input")

    def _plotted_data(self):
        return self.table_


def gates(trace, *, sequence=0, layer=-1, direction="forward", names=None, input="trace", tokens=None, mark=None,
          gate_names=(), figure=None):
    """Draw a recurrent layer's gates and states over time as heatmaps, with the input sequence above.

    One panel per gate or state, top to bottom, each a heatmap of units
    (rows) × time steps (columns) on one shared time axis: sigmoid gates on
    a sequential scale fixed to [0, 1] (dark = open), states on a diverging
    scale centred at 0, at least [-1, 1] (an LSTM's cell state may leave it:
    the scale then widens symmetrically). Above them the input: a line for
    one feature, a heatmap of features × time for several, or the tokens as
    labels for categorical input.

    Parameters
    ----------
    trace : RecurrentTrace or dict
        What :func:`vizkit.torch.recurrent_trace` returned, or a dict
        ``name -> (time, units)`` array of one sequence (``gate_names`` then
        says which are gates).
    sequence : int
        Which sequence of the traced batch.
    layer, direction : int, str
        Which layer (default the last) and direction (``"forward"`` or
        ``"reverse"``) of the trace.
    names : list of str, optional
        The gates and states to draw, in order (default all of the trace:
        ``i, f, g, o, c, h`` for an LSTM, ``r, z, n, h`` for a GRU; or all
        keys of a dict). ``sequence``, ``layer`` and ``direction`` apply to
        a trace only: a dict holds one sequence already.
    input : "trace", array or None
        What to draw above: the traced input (default), another (time,)
        or (time, features) array (e.g. only the feature a student should
        read), or None for nothing.
    tokens : list of str, optional
        One label per step (words, characters), written over the input.
    mark : int or list of int, optional
        Time steps to outline in every panel (a marker, a cue).
    gate_names : list of str
        For a dict ``trace``: the names drawn as gates on [0, 1].
    figure : Figure or SubFigure, optional
        Where to draw; default a new figure with constrained layout.

    Returns
    -------
    GatesDisplay
        ``.axes_`` (input first), ``.heatmaps_`` (one per panel),
        ``.table_``; ``vk.plotted_data(ax)`` of a panel gives its cells
        (``name, unit, step, value, color``), of the input its values.

    See Also
    --------
    vizkit.torch.recurrent_trace : the gates and states of nn.RNN, nn.LSTM, nn.GRU.

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> rng = np.random.default_rng(0)
    >>> shown = vk.gates({"z": rng.random((12, 3)), "h": np.tanh(rng.normal(size=(12, 3)))}, gate_names=["z"],
    ...                  input=rng.normal(size=12), mark=4)
    >>> cells = vk.plotted_data(shown.axes_[1])
    >>> cells["name"].iloc[0], len(cells)
    ('z', 36)
    >>> import matplotlib.pyplot as plt; plt.close(shown.figure_)
    """
    if isinstance(trace, dict):
        if names is not None:
            names = [names] if isinstance(names, str) else list(names)
            for name in names:
                if name not in trace:
                    raise bad_value("names", f"keys of `trace` ({list(trace)})", name)
            trace = {name: trace[name] for name in names}
        display = GatesDisplay.from_arrays(trace, gate_names=gate_names,
                                           input=None if isinstance(input, str) and input == "trace" else input,
                                           tokens=tokens, mark=mark)
    else:
        display = GatesDisplay.from_trace(trace, sequence=sequence, layer=layer, direction=direction, names=names,
                                          input=input, tokens=tokens, mark=mark)
    return display.plot(figure=figure)
