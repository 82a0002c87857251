"""Architectures on one chart: parameters against mult-adds (or depth), each marker as big as the model is deep.

:class:`ArchitecturesDisplay` draws a table with one row per model (the one
``vizkit.torch.models.architecture_table`` computes, or your own numbers):
parameters on a log y axis; mult-adds per image on a log x axis when the
table has them, else depth; the marker's area grows with depth; the members
of a family (VGG-11, -16, -19) joined by a thin line in the family's colour.
Torch-free: the table is numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import ticker

from vizkit._core.display import Display
from vizkit._core.errors import bad_type, bad_value, missing_column
from vizkit._core.labels import plain
from vizkit._core.validate import resolve_data
from vizkit.colors import hue_colors
from vizkit.elements.text import compact_number
from vizkit.themes import ink, muted_ink

__all__ = ["ArchitecturesDisplay", "architectures"]

REQUIRED = ("model", "family", "parameters", "depth")
#: Marker area (points squared) per weight layer of depth, and the smallest area.
AREA_PER_LAYER, MIN_AREA = 3.0, 25.0


class ArchitecturesDisplay(Display):
    """Parameters, depth and (when known) mult-adds of several architectures on one chart.

    Parameters
    ----------
    table : DataFrame
        One row per model: ``model``, ``family``, ``parameters``, ``depth``, and
        ``mult_adds`` (per image) when known.

    Attributes
    ----------
    largest_, smallest_ : str
        The models with the most and the fewest parameters.
    deepest_ : str
        The model with the greatest depth.
    x_ : str
        What the x axis shows: ``"mult_adds"`` when the table has them, else ``"depth"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from vizkit.ml import ArchitecturesDisplay
    >>> table = pd.DataFrame({"model": ["AlexNet", "ResNet-50"], "family": ["AlexNet", "ResNet"],
    ...                       "parameters": [61_100_840, 25_557_032], "depth": [8, 50],
    ...                       "mult_adds": [714_188_480, 4_089_184_256]})
    >>> found = ArchitecturesDisplay.from_table(table)
    >>> found.largest_, found.deepest_, found.x_
    ('AlexNet', 'ResNet-50', 'mult_adds')
    >>> ax = found.plot().ax_
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plt.close("all")
    """

    _chart = "architectures"

    def __init__(self, table: pd.DataFrame):
        self.table = table
        self.x_ = "mult_adds" if "mult_adds" in table else "depth"
        by_parameters = table.sort_values("parameters", kind="stable")
        self.largest_ = str(by_parameters["model"].iloc[-1])
        self.smallest_ = str(by_parameters["model"].iloc[0])
        self.deepest_ = str(table.sort_values("depth", kind="stable")["model"].iloc[-1])

    @classmethod
    def from_table(cls, data) -> ArchitecturesDisplay:
        """Check a table of architectures (see the class) and keep it; draws nothing."""
        frame = resolve_data(data)
        if frame is None:
            raise bad_type("data", "a table with one row per model", data)
        for column in REQUIRED:
            if column not in frame:
                raise missing_column("data", column, frame.columns)
        columns = [*REQUIRED, *(["mult_adds"] if "mult_adds" in frame else [])]
        table = frame[columns].reset_index(drop=True).copy()
        if table.empty:
            raise bad_value("data", "at least one model", data, got="an empty table")
        for column in columns[2:]:
            values = pd.to_numeric(table[column], errors="coerce")
            if values.isna().any() or (values <= 0).any():
                raise bad_value(f"data[{column!r}]", "positive numbers", table[column].tolist())
            table[column] = values
        table["model"] = table["model"].astype(str)
        table["family"] = table["family"].astype(str)
        table["size"] = np.maximum(MIN_AREA, AREA_PER_LAYER * table["depth"])
        table["label_above"] = _labels_above(table, "mult_adds" if "mult_adds" in table else "depth")
        return cls(table)

    def _draw(self, ax, *, palette=None) -> dict:
        table, x = self.table, self.x_
        families = list(dict.fromkeys(table["family"]))
        colors = hue_colors(families, palette=palette)
        artists = {"points": [], "lines": [], "labels": []}
        for family in families:
            rows = table[table["family"] == family].sort_values(x, kind="stable")
            color = colors[family]
            if len(rows) > 1:
                (line,) = ax.plot(rows[x], rows["parameters"], color=color, linewidth=1, alpha=0.6, zorder=1)
                artists["lines"].append(line)
            artists["points"].append(ax.scatter(rows[x], rows["parameters"], s=rows["size"], color=color,
                                                 edgecolors=ink(ax), linewidths=0.5, zorder=2, label=plain(family)))
        for row in table.itertuples():
            offset = (0, 0.6 * np.sqrt(row.size) + 3) if row.label_above else (0, -0.6 * np.sqrt(row.size) - 3)
            artists["labels"].append(ax.annotate(
                plain(row.model), (getattr(row, x), row.parameters), xytext=offset, textcoords="offset points",
                ha="center", va="bottom" if row.label_above else "top", fontsize="small", color=ink(ax)))
        ax.set_yscale("log")
        if x == "mult_adds" or table[x].max() / table[x].min() >= 10:
            ax.set_xscale("log")
        ax.margins(0.12, 0.18)
        for axis in (ax.yaxis, *((ax.xaxis,) if ax.get_xscale() == "log" else ())):
            axis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
            axis.set_major_formatter(ticker.FuncFormatter(lambda value, _pos=None: compact_number(value)))
            axis.set_minor_formatter(ticker.NullFormatter())
        ax.set_ylabel("Parameters")
        ax.set_xlabel("Mult-adds per image" if x == "mult_adds" else "Depth (weight layers on the longest path)")
        if x == "mult_adds":
            ax.text(0.01, 0.01, "marker area grows with depth (weight layers on the longest path)",
                    transform=ax.transAxes, fontsize="x-small", color=muted_ink(ax), va="bottom")
        return artists

    def _plotted_data(self):
        return self.table


def _labels_above(table: pd.DataFrame, x: str) -> np.ndarray:
    """Each label above its marker when its nearest neighbour (in log space) lies below it, else under."""
    points = np.log10(table[[x, "parameters"]].to_numpy(float))
    above = np.ones(len(points), dtype=bool)
    for index, point in enumerate(points):
        distances = np.hypot(*(points - point).T)
        distances[index] = np.inf
        if np.isfinite(distances.min()):
            above[index] = points[np.argmin(distances), 1] <= point[1]
    return above


def architectures(data, *, palette=None, ax=None):
    """Parameters against mult-adds (or depth) of several architectures, markers as big as the models are deep.

    Parameters
    ----------
    data : DataFrame
        One row per model: ``model``, ``family``, ``parameters``, ``depth`` and
        optionally ``mult_adds`` (per image): the table
        ``vizkit.torch.models.architecture_table()`` returns.
    palette : palette name or list of colours, optional
        A colour per family.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``vk.plotted_data(ax)`` is the table, with each marker's ``size``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> table = {"model": ["VGG-16", "ResNet-50"], "family": ["VGG", "ResNet"],
    ...          "parameters": [138_357_544, 25_557_032], "depth": [16, 50]}
    >>> ax = vk.architectures(table)               # no mult-adds: depth on the x axis
    >>> ax.get_xlabel()
    'Depth (weight layers on the longest path)'
    >>> plt.close("all")
    """
    return ArchitecturesDisplay.from_table(data).plot(ax=ax, palette=palette).ax_
