"""YOLO v1's grid over an image: the S×S cells, each box, its centre and the cell responsible for it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.axes import attach_data, target_ax
from vizkit._core.grid_cells import check_boxes, check_grid, check_labels, responsible_cells
from vizkit._core.labels import plain
from vizkit.charts.images import _one_image

__all__ = ["yolo_grid"]


def _table(boxes: np.ndarray, labels, names, S: int, size: tuple[int, int]) -> pd.DataFrame:
    rows, cols = responsible_cells(boxes, S, size)
    table = pd.DataFrame(boxes, columns=["x_min", "y_min", "x_max", "y_max"])
    table["cx"], table["cy"] = (table.x_min + table.x_max) / 2, (table.y_min + table.y_max) / 2
    table["row"], table["column"] = rows, cols
    table["label"] = labels if labels is not None else pd.array([pd.NA] * len(boxes), dtype="Int64")
    table["name"] = [names[k] if names is not None else (f"class {k}" if labels is not None else f"box {i}")
                     for i, k in enumerate(labels if labels is not None else range(len(boxes)))]
    table["kept"] = ~pd.Series(list(zip(rows, cols))).duplicated().to_numpy()  # one object per cell
    return table


def _check_names(class_names, labels) -> list | None:
    if class_names is None:
        return None
    if labels is None:
        raise bad_value("class_names", "None when `labels` is None (names are looked up by label)", class_names)
    if isinstance(class_names, str) or not hasattr(class_names, "__len__"):
        raise bad_type("class_names", "a list of names, indexed by label", class_names)
    if len(labels) and labels.max() >= len(class_names):
        raise bad_value("class_names", f"a name for every label up to {labels.max()}", class_names,
                        got=f"{len(class_names)} names")
    return [str(name) for name in class_names]


def _draw(ax, image: np.ndarray, table: pd.DataFrame, S: int) -> None:
    import matplotlib.patches as mpatches

    from vizkit.colors import palette, text_color_on

    height, width = image.shape[:2]
    ax.imshow(image, extent=(0, width, height, 0), cmap="gray" if image.ndim == 2 else None, interpolation="nearest")
    for k in range(1, S):
        ax.axvline(k * width / S, color="white", lw=0.8, alpha=0.7)
        ax.axhline(k * height / S, color="white", lw=0.8, alpha=0.7)
    colors = palette(None, max(len(table), 1)) if len(table) <= 10 else palette("tab20", len(table))
    cell_w, cell_h = width / S, height / S
    for color, box in zip(colors, table.itertuples()):
        ax.add_patch(mpatches.Rectangle((box.column * cell_w, box.row * cell_h), cell_w, cell_h, facecolor=color,
                                        alpha=0.45 if box.kept else 0.0, edgecolor=color, lw=1.5, hatch=None))
        ax.add_patch(mpatches.Rectangle((box.x_min, box.y_min), box.x_max - box.x_min, box.y_max - box.y_min,
                                        fill=False, edgecolor=color, lw=2, linestyle="-" if box.kept else "--"))
        ax.plot(box.cx, box.cy, "o", color=color, markeredgecolor="white", markersize=7)
        text = f"{box.name}: cell ({box.row}, {box.column})" + ("" if box.kept else ", cell taken: left out")
        ax.text(box.x_min, box.y_min, plain(text), ha="left", va="bottom" if box.y_min > 0.06 * height else "top",
                fontsize="small", color=text_color_on(color),
                bbox={"boxstyle": "square,pad=0.15", "facecolor": color, "edgecolor": "none"})
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[:].set_visible(False)


def yolo_grid(image, boxes, labels=None, *, S: int = 7, B: int = 2, C: int = 20, class_names=None, ax=None):
    """Draw YOLO v1's S×S grid over ``image``: each box, its centre and the cell responsible for it.

    The cell that holds a box's centre (row ``⌊cy·S/H⌋``, column
    ``⌊cx·S/W⌋``) is filled in the box's colour: it alone predicts that box
    in the S×S×(B·5+C) target (``vizkit.torch.yolo_encode``), whose shape
    the x-axis label gives. A box whose centre falls in a cell another box
    already holds is dashed and labelled "left out", as the encoder leaves it.

    Parameters
    ----------
    image : array-like, tensor or PIL image
        H×W×3 in RGB order, H×W grey, or C×H×W.
    boxes : array-like
        K×4 corners in pixels, ``(x_min, y_min, x_max, y_max)``, y down.
    labels : array-like of int, optional
        K class indices in ``[0, C)``.
    S, B, C : int
        Cells per side, boxes per cell, classes (for the target's shape).
    class_names : list of str, optional
        Names indexed by label.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``vk.plotted_data(ax)`` has one row per box: corners, centre, ``row``
        and ``column`` of its cell, label, name and ``kept``; ``attrs["shape"]``
        is the target's shape.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> ax = vk.yolo_grid(np.zeros((448, 448, 3)), [[50, 100, 150, 300]], [3], S=7, ax=ax)
    >>> vk.plotted_data(ax)[["cx", "cy", "row", "column"]].to_dict("records")
    [{'cx': 100.0, 'cy': 200.0, 'row': 3, 'column': 1}]
    >>> ax.get_xlabel()
    'YOLO target: 7×7×30 = S×S×(B·5+C), S = 7, B = 2, C = 20'
    >>> plt.close(fig)
    """
    picture = _one_image("image", image)
    if picture.ndim == 3 and picture.shape[-1] == 4:
        picture = picture[..., :3]
    S = check_grid(S)
    B, C = check_number("B", B, integer=True, low=1), check_number("C", C, integer=True, low=1)
    size = picture.shape[:2]
    checked = check_boxes(boxes, size)
    labels = None if labels is None else check_labels(labels, len(checked), C)
    table = _table(checked, labels, _check_names(class_names, labels), S, size)
    table.attrs["shape"] = (S, S, B * 5 + C)
    ax = target_ax(ax)
    _draw(ax, picture, table, S)
    ax.set_xlabel(f"YOLO target: {S}×{S}×{B * 5 + C} = S×S×(B·5+C), S = {S}, B = {B}, C = {C}")
    attach_data(ax, table, chart="yolo_grid")
    return ax
