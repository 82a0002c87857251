"""Parameters per layer as bars, each labelled with the formula that counts them.

:class:`ParamCountsDisplay` reads the table of ``vizkit.torch.summary`` (or
any DataFrame with its columns ``layer, type, params`` and, for formulas,
``weight_shape, bias, shared_with``), keeps the layers that hold parameters
(and those that share another layer's), in model order, and writes each
layer's count as the lecture derives it:

- a convolution: K·K·Cin·Cout + Cout (no "+ Cout" without a bias):
  ``Conv2d(3, 6, 5)`` is 5·5·3·6 + 6 = 456;
- a linear layer: in·out + out: ``Linear(400, 120)`` is 400·120 + 120 = 48,120;
- a normalisation layer with a scale and a shift: 2·C;
- an embedding: rows·dim;
- a one-layer RNN, GRU or LSTM: gates·h·(i + h + 2) (1, 3 or 4 gate blocks; "+ 2": both biases);
- anything else: the count itself; a tied or shared tensor: "shared with <layer>" (0, counted once).

A formula is only written when it gives the counted number (a module with
extra parameters of its own falls back to the count). Torch-free:
it never imports torch.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value
from vizkit._core.display import Display
from vizkit._core.labels import plain
from vizkit.themes import ink, muted_ink

__all__ = ["ParamCountsDisplay", "param_counts"]

#: The columns a table must have; ``weight_shape``, ``bias`` and ``shared_with`` are read when present.
REQUIRED = ["layer", "type", "params"]
#: Points between a bar's end and its label.
LABEL_GAP = 4.0


def _dot(*factors) -> str:
    return "·".join(str(int(f)) for f in factors)


def formula(layer_type: str, params: int, weight_shape=None, bias: bool = False, shared_with=None) -> str:
    """How a layer's ``params`` are counted, written as the lecture writes it; the count when no rule fits.

    >>> formula("Conv2d", 456, (6, 3, 5, 5), True)
    '5·5·3·6 + 6'
    >>> formula("Conv2d", 9408, (64, 3, 7, 7), False)
    '7·7·3·64'
    >>> formula("Linear", 48120, (120, 400), True)
    '400·120 + 120'
    >>> formula("BatchNorm2d", 128, (64,), True), formula("Embedding", 800, (100, 8)), formula("PReLU", 1)
    ('2·64', '100·8', '1')
    >>> formula("LSTM", 7936, (128, 28), True), formula("GRU", 5952, (96, 28), True), formula("RNN", 1984, (32, 28), True)
    ('4·32·(28 + 32 + 2)', '3·32·(28 + 32 + 2)', '32·(28 + 32 + 2)')
    >>> formula("Linear", 0, (100, 8), False, shared_with="embed")
    'shared with embed'
    """
    if shared_with is not None and not (isinstance(shared_with, float) and math.isnan(shared_with)) and not params:
        return f"shared with {shared_with}"
    shape = tuple(int(n) for n in weight_shape) if _is_shape(weight_shape) else None
    text, value = None, None
    if shape and layer_type.startswith("Conv") and len(shape) >= 3:
        cin, cout = (shape[0], shape[1]) if "Transpose" in layer_type else (shape[1], shape[0])
        text, value = _dot(*shape[2:], cin, cout), math.prod(shape)
        if bias:
            text, value = f"{text} + {cout}", value + cout
    elif shape and layer_type in ("Linear", "Bilinear", "LazyLinear") and len(shape) == 2:
        text, value = _dot(shape[1], shape[0]), math.prod(shape)
        if bias:
            text, value = f"{text} + {shape[0]}", value + shape[0]
    elif shape and layer_type in _GATES and len(shape) == 2 and shape[0] % _GATES[layer_type] == 0:
        gates, inputs = _GATES[layer_type], shape[1]   # one layer, one direction: weight_ih, weight_hh, 2 biases
        hidden = shape[0] // gates
        text = f"{gates}·{hidden}·({inputs} + {hidden}{' + 2' if bias else ''})".removeprefix("1·")
        value = gates * hidden * (inputs + hidden + (2 if bias else 0))
    elif shape and len(shape) == 1 and bias and "Norm" in layer_type:
        text, value = _dot(2, shape[0]), 2 * shape[0]
    elif shape and len(shape) == 2 and layer_type.startswith("Embedding") and not bias:
        text, value = _dot(*shape), math.prod(shape)
    return text if text is not None and value == int(params) else f"{int(params):,}"


#: Gate blocks of a recurrent layer: its weight_ih_l0 is (gates·hidden) × inputs.
_GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def _is_shape(value) -> bool:
    return isinstance(value, (tuple, list)) and len(value) > 0 and all(isinstance(n, (int, np.integer)) for n in value)


def _check_table(summary) -> tuple[pd.DataFrame, int | None]:
    """The layer table of ``summary`` (a ``ModelSummary`` or a DataFrame) and its model's total, if known."""
    table = getattr(summary, "table", summary)
    total = getattr(summary, "total_params", None)
    if not isinstance(table, pd.DataFrame):
        raise bad_type("summary", "what vizkit.torch.summary returns, or a DataFrame of its table", summary)
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise bad_value("summary", f"a table with the columns {', '.join(REQUIRED)} (vizkit.torch.summary's)",
                        summary, got=f"a table without {', '.join(missing)}")
    params = pd.to_numeric(table["params"], errors="coerce")
    if params.isna().any() or (params < 0).any() or (params != params.round()).any():
        raise bad_value("summary", "a table whose `params` are whole numbers >= 0", summary,
                        got=f"params {table['params'].tolist()[:6]}")
    return table, total


class ParamCountsDisplay(Display):
    """Parameters per layer in model order, each bar labelled with its formula.

    Parameters
    ----------
    table : DataFrame
        One row per drawn layer, in model order: ``layer``, ``type``,
        ``params`` and ``formula``.
    total : int
        The model's parameters (each tensor once).

    Attributes
    ----------
    total_params_ : int
    largest_ : str
        The layer with the most parameters.
    largest_share_ : float
        Its share of ``total_params_`` (0 to 1).

    Examples
    --------
    >>> import pandas as pd
    >>> from vizkit.ml import ParamCountsDisplay
    >>> table = pd.DataFrame({"layer": ["conv1", "pool", "fc"], "type": ["Conv2d", "MaxPool2d", "Linear"],
    ...                       "params": [456, 0, 11_770], "weight_shape": [(6, 3, 5, 5), None, (10, 1176)],
    ...                       "bias": [True, False, True]})
    >>> found = ParamCountsDisplay.from_summary(table)
    >>> found.table["formula"].tolist(), found.total_params_, found.largest_
    (['5·5·3·6 + 6', '1176·10 + 10'], 12226, 'fc')
    """

    _chart = "param_counts"

    def __init__(self, table, *, total: int):
        self.table = table
        self.total_params_ = int(total)
        top = table["params"].astype(float).idxmax() if len(table) else None
        self.largest_ = None if top is None else str(table.loc[top, "layer"])
        self.largest_share_ = (float(table.loc[top, "params"]) / total) if top is not None and total else 0.0

    @classmethod
    def from_summary(cls, summary):
        """Take the layers of a ``vizkit.torch.summary`` (or a DataFrame of its table) that hold parameters.

        Layers without parameters (activations, pooling, a second call of a
        reused module) are left out; a layer whose tensor is shared with an
        earlier one stays, as a zero bar that names it. Draws nothing.
        """
        table, total = _check_table(summary)
        shared = table["shared_with"] if "shared_with" in table.columns else pd.Series(None, index=table.index)
        shared = shared.where(shared.notna(), None).astype(object)
        keep = (table["params"] > 0) | shared.notna()
        rows = table[keep]
        if rows.empty:
            raise bad_value("summary", "the summary of a model with parameters", summary,
                            got=f"{len(table)} layers, none with parameters")
        weight = rows["weight_shape"] if "weight_shape" in rows.columns else pd.Series(None, index=rows.index)
        bias = rows["bias"] if "bias" in rows.columns else pd.Series(False, index=rows.index)
        formulas = [formula(str(t), int(p), w, bool(b), s)
                    for t, p, w, b, s in zip(rows["type"], rows["params"], weight, bias, shared[keep])]
        drawn = pd.DataFrame({"layer": rows["layer"].astype(str).to_numpy(), "type": rows["type"].astype(str).to_numpy(),
                              "params": rows["params"].astype(int).to_numpy(), "formula": formulas})
        return cls(drawn, total=int(total) if total is not None else int(drawn["params"].sum()))

    def plot(self, ax=None, *, log=False, title=True):
        """Draw on ``ax``: bars, or with ``log=True`` a dot per layer on a log axis (counts that span decades).

        Returns ``self``; ``artists_`` holds ``bars`` (or ``points``), ``labels`` and ``title``.
        """
        if not isinstance(log, bool):
            raise bad_type("log", "True or False", log)
        if not isinstance(title, (bool, str)):
            raise bad_type("title", "True, False or a title", title)
        return super().plot(ax, log=log, title=title)

    def _draw(self, ax, *, log, title) -> dict:
        from vizkit._core.axes import before_draw
        from vizkit.colors import palette

        table = self.table
        y = np.arange(len(table))
        values = table["params"].to_numpy(dtype=float)
        positive = values[values > 0]
        left = 10.0 ** math.floor(math.log10(positive.min())) if log and positive.size else 0.0 if not log else 1.0
        if log:  # a bar is read from 0, which a log axis does not have: a dot per layer (none for a shared 0)
            marks, = ax.plot(positive, y[values > 0], "o", color=palette()[0], markersize=7, linestyle="none")
        else:
            marks = ax.barh(y, values, color=palette()[0], height=0.7)
        gap = LABEL_GAP + (4.0 if log else 0.0)  # clear of a dot's radius
        labels = [ax.annotate(plain(_label(row)), (max(row.params, left), i), xytext=(gap, 0),
                              textcoords="offset points", va="center", ha="left", fontsize="small",
                              color=ink(ax) if row.params else muted_ink(ax))
                  for i, row in enumerate(table.itertuples(index=False))]
        ax.set_yticks(y, [plain(f"{row.layer} ({row.type})") for row in table.itertuples(index=False)])
        ax.set_ylim(len(table) - 0.5, -0.5)  # model order, first layer on top
        if log:
            ax.set_xscale("log")
        else:
            from matplotlib.ticker import MaxNLocator

            from vizkit._core.axes import group_thousands

            ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))  # grouped counts are wide
            group_thousands(ax.xaxis)
        ax.set_xlabel("Parameters" + (" (log scale)" if log else ""))
        ax.grid(axis="y", visible=False)
        heading = None
        if title:
            text = title if isinstance(title, str) else f"Parameters per layer: {self.total_params_:,} in all"
            heading = ax.set_title(plain(text) if title is True else text, loc="left")
        before_draw(ax, _fit_labels(labels, values, log, left, gap), key="param-labels")
        from vizkit._core.room import keep_inside

        keep_inside(ax)  # layer names on the left: the Axes shrinks when no layout engine makes room
        return {"bars" if not log else "points": marks, "labels": labels, "title": heading}

    def _plotted_data(self):
        table = self.table.copy()
        table.attrs.update(total_params=self.total_params_, largest=self.largest_)
        return table


def _label(row) -> str:
    count = f"{int(row.params):,}"
    return row.formula if row.formula in (count, ) or row.formula.startswith("shared") else f"{row.formula} = {count}"


def _fit_labels(labels, values, log, low, gap):
    """A before-draw job: the x limit grows until every label ends inside the Axes."""

    def fit(ax, renderer):
        width = ax.get_window_extent(renderer).width
        if not labels or width <= 0:
            return
        pixels = gap * ax.figure.dpi / 72
        ends = np.log10(np.maximum(values, low)) if log else np.maximum(values, 0.0)
        base = np.log10(low) if log else low
        needed = ends.max() if ends.max() > base else base + 1
        for end, text in zip(ends, labels):
            room = width - pixels - text.get_window_extent(renderer).width
            if room > 0.2 * width:
                needed = max(needed, base + (end - base) * width / room)
        high = 10 ** (needed * 1.02 - base * 0.02) if log else needed * 1.02
        ax.set_xlim(low, high)

    return fit


def param_counts(summary, *, log=False, title=True, ax=None):
    """Draw the parameters of each layer as horizontal bars, each labelled with its formula.

    Parameters
    ----------
    summary : ModelSummary or DataFrame
        What ``vizkit.torch.summary(model, input_size)`` returns, or its
        ``.table`` (any DataFrame with the columns ``layer, type, params``,
        and ``weight_shape, bias, shared_with`` for the formulas).
    log : bool
        A log x axis, for counts that span decades (a VGG's 100-million
        classifier beside its first 1 792-parameter convolution); each layer
        is then a dot, as a bar's length read from 0 has no meaning there.
    title : bool or str
        True: "Parameters per layer: <total> in all"; a string replaces it.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`vizkit.plotted_data` gives ``layer, type, params, formula``, one
        row per bar in model order; its ``attrs`` hold ``total_params``.

    See Also
    --------
    ParamCountsDisplay : the same chart with its findings (the total, the largest layer and its share).

    Examples
    --------
    >>> import matplotlib.pyplot as plt, pandas as pd, vizkit as vk
    >>> table = pd.DataFrame({"layer": ["conv1", "fc"], "type": ["Conv2d", "Linear"], "params": [456, 850],
    ...                       "weight_shape": [(6, 3, 5, 5), (10, 84)], "bias": [True, True]})
    >>> ax = vk.param_counts(table)
    >>> vk.plotted_data(ax)[["layer", "params", "formula"]].values.tolist()
    [['conv1', 456, '5·5·3·6 + 6'], ['fc', 850, '84·10 + 10']]
    >>> ax.get_title(loc="left")
    'Parameters per layer: 1,306 in all'
    >>> plt.close(ax.figure)
    """
    return ParamCountsDisplay.from_summary(summary).plot(ax=ax, log=log, title=title).ax_
