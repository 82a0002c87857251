"""YOLO's grid, shared by its target (``vizkit.torch.yolo_encode``) and its chart (``vk.yolo_grid``).

Boxes are corners in pixels, ``(x_min, y_min, x_max, y_max)``, x to the right and y down, inside an
image of ``(height, width)``; the cell responsible for a box is the one holding its centre:
row ``⌊cy·S/H⌋``, column ``⌊cx·S/W⌋``, where a centre on the image's right or bottom edge
(``cx = W``) belongs to the last cell.
"""

from __future__ import annotations

import numpy as np

from vizkit._core.errors import bad_type, bad_value
from vizkit._core.validate import check_number

_BOXES = "a K×4 array of boxes (x_min, y_min, x_max, y_max) in pixels"


def check_grid(S) -> int:
    return check_number("S", S, integer=True, low=1)


def check_image_size(image_size) -> tuple[int, int]:
    if not isinstance(image_size, (tuple, list)) or len(image_size) != 2:
        raise bad_type("image_size", "an (H, W) pair of pixel counts", image_size)
    return tuple(check_number(f"image_size[{i}]", v, integer=True, low=1) for i, v in enumerate(image_size))


def check_boxes(boxes, image_size: tuple[int, int]) -> np.ndarray:
    """``boxes`` as a float64 K×4 array, each with x_min < x_max and y_min < y_max inside the image."""
    if hasattr(boxes, "detach"):
        boxes = boxes.detach().cpu().numpy()
    try:
        array = np.asarray(boxes, dtype=np.float64)
    except (TypeError, ValueError):
        raise bad_type("boxes", _BOXES, boxes) from None
    if array.ndim == 1 and array.size == 4:
        array = array[None]
    if array.ndim != 2 or array.shape[1] != 4:
        raise bad_value("boxes", _BOXES, boxes, got=f"an array of shape {array.shape}")
    height, width = image_size
    for i, (x0, y0, x1, y1) in enumerate(array):
        if not np.isfinite([x0, y0, x1, y1]).all() or not (0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height):
            raise bad_value(f"boxes[{i}]", f"corners with 0 <= x_min < x_max <= {width} and 0 <= y_min < y_max "
                                           f"<= {height} (the image is {height}×{width})", [float(v) for v in (x0, y0, x1, y1)])
    return array


def check_labels(labels, n: int, C: int | None) -> np.ndarray:
    if hasattr(labels, "detach"):
        labels = labels.detach().cpu().numpy()
    array = np.atleast_1d(np.asarray(labels))
    within = f" in [0, {C - 1}]" if C is not None else " >= 0"
    expected = f"{n} class indices{within}, one per box"
    if array.shape != (n,) or (n and array.dtype.kind not in "iu"):
        raise bad_value("labels", expected, labels, got=f"an array of shape {array.shape} ({array.dtype})")
    if n and (array.min() < 0 or (C is not None and array.max() >= C)):
        raise bad_value("labels", expected, labels.tolist() if hasattr(labels, "tolist") else labels)
    return array.astype(np.int64)


def responsible_cells(boxes: np.ndarray, S: int, image_size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The row and column of the cell holding each box's centre (a centre on the far edge: the last cell)."""
    height, width = image_size
    cx, cy = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    rows = np.minimum(np.floor(cy * S / height), S - 1).astype(np.int64)
    cols = np.minimum(np.floor(cx * S / width), S - 1).astype(np.int64)
    return rows, cols
