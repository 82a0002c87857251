"""How the receptive field grows with depth: stacks of layers compared, the weights each one costs.

:class:`ReceptiveFieldDisplay` computes :func:`vizkit.ml.receptive_field`
for each named stack and draws the field's side against depth, a line per
stack; each point can carry its field and its weights in units of C² (C
channels in and out), so the VGG argument reads off the chart: two 3×3
convolutions see 5×5 for 18C², one 5×5 convolution the same for 25C².
:func:`receptive_field` is the one call. Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_type
from vizkit._core.display import Display
from vizkit.ml.receptive_field_size import receptive_field as _field

__all__ = ["receptive_field", "ReceptiveFieldDisplay"]


class ReceptiveFieldDisplay(Display):
    """The receptive field of named stacks of layers, layer by layer.

    Parameters
    ----------
    table : DataFrame
        One row per layer of each stack: ``stack`` and the columns of
        :func:`vizkit.ml.receptive_field`.

    Attributes
    ----------
    fields_ : dict
        Stack name -> the field's side after its last layer.
    weights_ : dict
        Stack name -> its convolutions' weights in units of C².
    table : DataFrame
        What :func:`vizkit.plotted_data` gives.

    Examples
    --------
    >>> from vizkit.ml import ReceptiveFieldDisplay
    >>> found = ReceptiveFieldDisplay.from_layers({"two 3×3": [(3, 1)] * 2, "one 5×5": [(5, 1)]})
    >>> found.fields_, found.weights_
    ({'two 3×3': 5, 'one 5×5': 5}, {'two 3×3': 18, 'one 5×5': 25})
    """

    _chart = "receptive_field"

    def __init__(self, table: pd.DataFrame):
        self.table = table
        last = table.groupby("stack", sort=False).tail(1).set_index("stack")
        self.fields_ = {name: int(v) for name, v in last["field"].items()}
        self.weights_ = {name: int(v) for name, v in last["weights"].items()}

    @classmethod
    def from_layers(cls, stacks):
        """Compute the field of each stack (a dict: name -> layers, as :func:`vizkit.ml.receptive_field` takes).

        One stack alone (a list of layers or a torch module) is drawn under its class name, or "layers"."""
        if hasattr(stacks, "named_modules") or isinstance(stacks, (list, tuple)):
            stacks = {type(stacks).__name__ if hasattr(stacks, "named_modules") else "layers": stacks}
        if not isinstance(stacks, dict) or not stacks:
            raise bad_type("stacks", "a dict: name -> layers (a list of layers or a torch module), or one of those",
                           stacks)
        frames = []
        for name, layers in stacks.items():
            if not isinstance(name, str):
                raise bad_type("stacks", "str names (each stack's label)", name)
            frames.append(_field(layers).assign(stack=name))
        table = pd.concat(frames, ignore_index=True)
        return cls(table[["stack", *[c for c in table.columns if c != "stack"]]])

    def _draw(self, ax, *, labels=True) -> dict:
        from vizkit._core.labels import plain
        from vizkit._core.placement import Growth, Obstacles, place
        from vizkit.colors import face_color, palette, readable_color
        from vizkit.themes import ink

        if not isinstance(labels, (bool, np.bool_)):
            raise bad_type("labels", "True or False", labels)
        colors = palette(n=self.table["stack"].nunique())
        lines, texts = {}, []
        for color, (name, rows) in zip(colors, self.table.groupby("stack", sort=False), strict=True):
            line, = ax.plot(rows["layer"], rows["field"], marker="o", color=color, linewidth=2, label=plain(name))
            lines[name] = line
            if labels:
                text_color = readable_color(color, face_color(ax))  # 4.5:1 on the face, the line's hue
                for depth, field, weights in rows[["layer", "field", "weights"]].itertuples(index=False):
                    texts.append(ax.annotate(f"{field}×{field}, {weights}C²", (depth, field), xytext=(6, -2),
                                             textcoords="offset points", ha="left", va="top", color=text_color,
                                             parse_math=False))
        depth = int(self.table["layer"].max())
        ax.set_xticks(np.arange(1, depth + 1))
        ax.set_xlim(0.7, depth + (0.9 if labels else 0.3))
        ax.set_ylim(0, self.table["field"].max() * 1.12 + 1)
        ax.set_xlabel("Depth (layers)")
        ax.set_ylabel("Receptive field (input pixels a side)")
        legend = ax.legend(loc="upper left", frameon=False, labelcolor=ink(ax))
        points = np.column_stack([self.table["layer"], self.table["field"]]).astype(float)
        place(ax, legend, Obstacles(lines=list(lines.values()), points=points, margin_px=4.0),
              spots=("upper left", "upper center", "lower right", "center right", "center left"),
              growth=Growth(factor=1.1))
        return {"lines": lines, "labels": texts, "legend": legend}

    def _plotted_data(self):
        return self.table


def receptive_field(stacks, *, labels=True, ax=None):
    """Draw how the receptive field grows with depth: one line per stack of layers.

    Parameters
    ----------
    stacks : dict, list or torch module
        Name -> layers: ``(kernel, stride[, dilation])`` tuples, dicts, torch
        layers or a torch module (see :func:`vizkit.ml.receptive_field`); or
        one stack alone, named after its class (a module) or "layers".
    labels : bool, default True
        Write each point's field and its weights so far, in units of C²
        (C channels in and out, no bias), beside it.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    ReceptiveFieldDisplay
        ``fields_``, ``weights_``, ``table`` and ``ax_``;
        :func:`vizkit.plotted_data` gives one row per layer of each stack.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> drawn = vk.receptive_field({"3×3 convs": [(3, 1)] * 3, "one 7×7": [(7, 1)]})
    >>> drawn.weights_, [t.get_text() for t in drawn.artists_["labels"]][-2:]
    ({'3×3 convs': 27, 'one 7×7': 49}, ['7×7, 27C²', '7×7, 49C²'])
    >>> plt.close(drawn.figure_)
    """
    if not isinstance(labels, (bool, np.bool_)):
        raise bad_type("labels", "True or False", labels)
    return ReceptiveFieldDisplay.from_layers(stacks).plot(ax=ax, labels=labels)
