"""YOLO v1's training target (Redmon et al., 2016): boxes and labels to an S×S×(B·5+C) tensor, and back."""

from __future__ import annotations

import numpy as np
import torch

from vizkit._core.errors import bad_type, bad_value, user_warning
from vizkit._core.grid_cells import (
    check_boxes,
    check_grid,
    check_image_size,
    check_labels,
    responsible_cells,
)
from vizkit._core.validate import check_number

__all__ = ["yolo_encode", "yolo_decode"]


def yolo_encode(boxes, labels, *, S: int = 7, B: int = 2, C: int = 20, image_size: tuple[int, int],
                dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """YOLO v1's target for one image: an S×S×(B·5+C) tensor (7×7×30 by default).

    The image is cut into S×S cells; the cell holding a box's centre is
    responsible for it (row ``⌊cy·S/H⌋``, column ``⌊cx·S/W⌋``; a centre on the
    far edge belongs to the last cell). That cell's first box slot holds
    ``(x, y, w, h, confidence)``: ``(x, y)`` the centre relative to the cell
    (0-1 across it), ``(w, h)`` the size relative to the image, confidence 1;
    its last C numbers are the one-hot class. The other B − 1 slots and every
    other cell stay 0. A cell holds one object: a second box whose centre falls
    in a cell already taken is left out, with a warning.

    Parameters
    ----------
    boxes : array-like or tensor
        K×4 corners in pixels, ``(x_min, y_min, x_max, y_max)``, x to the
        right and y down.
    labels : array-like of int
        K class indices in ``[0, C)``.
    S, B, C : int
        Cells per side, boxes per cell, classes (the paper's 7, 2, 20).
    image_size : (int, int)
        The image's ``(H, W)`` in pixels.
    dtype : torch.dtype
        The target's dtype (float64 keeps a round trip exact to 1e-6 pixel).

    Returns
    -------
    torch.Tensor
        S×S×(B·5+C).

    Examples
    --------
    >>> import vizkit.torch as vt
    >>> target = vt.yolo_encode([[50, 100, 150, 300]], [3], image_size=(448, 448))
    >>> tuple(target.shape), target[3, 1, :5].tolist(), int(target[3, 1, 10:].argmax())
    ((7, 7, 30), [0.5625, 0.125, 0.2232142835855484, 0.4464285671710968, 1.0], 3)
    """
    S, image_size = check_grid(S), check_image_size(image_size)
    B, C = check_number("B", B, integer=True, low=1), check_number("C", C, integer=True, low=1)
    boxes = check_boxes(boxes, image_size)
    labels = check_labels(labels, len(boxes), C)
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise bad_type("dtype", "a floating torch.dtype (torch.float32, torch.float64)", dtype)
    height, width = image_size
    rows, cols = responsible_cells(boxes, S, image_size)
    target = np.zeros((S, S, B * 5 + C))
    owner: dict[tuple[int, int], int] = {}
    for i, ((x0, y0, x1, y1), label, row, col) in enumerate(zip(boxes, labels, rows, cols)):
        if (row, col) in owner:
            user_warning(f"boxes[{i}] has its centre in cell (row {row}, column {col}), which boxes[{owner[row, col]}] "
                         "already holds; YOLO v1 gives each cell one object, so it is left out of the target.")
            continue
        owner[row, col] = i
        x, y = (x0 + x1) / 2 * S / width - col, (y0 + y1) / 2 * S / height - row
        target[row, col, :5] = x, y, (x1 - x0) / width, (y1 - y0) / height, 1.0
        target[row, col, B * 5 + label] = 1.0
    return torch.as_tensor(target, dtype=dtype)


def yolo_decode(target, *, B: int = 2, image_size: tuple[int, int], threshold: float = 0.5):
    """The boxes of a YOLO v1 target or prediction (S×S×(B·5+C)): the inverse of :func:`yolo_encode`.

    In each cell, the slot with the highest confidence gives a box when that
    confidence is at least ``threshold``; its class is the cell's largest class
    score. Boxes come in cell order (row by row). S and C are read from the
    shape. No non-maximum suppression: a target has none to suppress.

    Parameters
    ----------
    target : torch.Tensor or array-like
        S×S×(B·5+C).
    B : int
        Boxes per cell.
    image_size : (int, int)
        The image's ``(H, W)`` in pixels.
    threshold : float
        The lowest confidence kept.

    Returns
    -------
    boxes : numpy.ndarray
        K×4 corners in pixels, ``(x_min, y_min, x_max, y_max)``.
    labels : numpy.ndarray
        K class indices.
    confidences : numpy.ndarray
        K confidences.

    Examples
    --------
    >>> import vizkit.torch as vt
    >>> target = vt.yolo_encode([[50, 100, 150, 300]], [3], image_size=(448, 448), dtype=torch.float64)
    >>> boxes, labels, confidences = vt.yolo_decode(target, image_size=(448, 448))
    >>> boxes.round(6).tolist(), labels.tolist(), confidences.tolist()
    ([[50.0, 100.0, 150.0, 300.0]], [3], [1.0])
    """
    image_size = check_image_size(image_size)
    B = check_number("B", B, integer=True, low=1)
    threshold = check_number("threshold", threshold)
    array = target.detach().cpu().numpy() if isinstance(target, torch.Tensor) else np.asarray(target)
    if array.ndim != 3 or array.shape[0] != array.shape[1] or array.shape[2] <= 5 * B or array.dtype.kind not in "iuf":
        raise bad_value("target", f"an S×S×(B·5+C) array of numbers with B={B} and C >= 1", target,
                        got=f"shape {array.shape}")
    S, height, width = array.shape[0], *image_size
    slots = array[..., :5 * B].reshape(S, S, B, 5)
    best = slots[..., 4].argmax(axis=-1)
    chosen = np.take_along_axis(slots, best[..., None, None], axis=2)[:, :, 0]  # S×S×5
    rows, cols = np.nonzero(chosen[..., 4] >= threshold)
    x, y, w, h, confidence = chosen[rows, cols].T
    cx, cy = (cols + x) * width / S, (rows + y) * height / S
    boxes = np.stack([cx - w * width / 2, cy - h * height / 2, cx + w * width / 2, cy + h * height / 2], axis=1)
    labels = array[rows, cols, 5 * B:].argmax(axis=-1).astype(np.int64)
    return boxes.reshape(-1, 4), labels, confidence.astype(np.float64)
