"""A heatmap blended over the image it explains (Grad-CAM, saliency, attention): RGB, a colour bar, a note when flat."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.axes import attach_data, target_ax
from vizkit._core.labels import user_text
from vizkit.charts.images import _check_cmap, _one_image, _to_numpy

__all__ = ["overlay"]

_HEATMAP = "an h×w array of numbers (one map; a 1×h×w stack of one is accepted)"


def _rgb(image) -> np.ndarray:
    """``image`` as float RGB in [0, 1], H×W×3, channels in RGB order as given (never swapped to BGR)."""
    array = _one_image("image", image)
    if array.ndim == 3 and array.shape[-1] == 4:
        array = array[..., :3]  # the alpha channel is not part of what the heatmap explains
    low, high = float(array.min()), float(array.max())
    if array.dtype.kind in "iu":
        if low < 0 or high > 255:
            raise bad_value("image", "integer pixels in 0-255 (uint8)", image, got=f"values in [{low:g}, {high:g}]")
        array = array / 255.0
    elif low < 0 or high > 1:
        raise bad_value("image", "float pixels in [0, 1] (or uint8 pixels in 0-255)", image,
                        got=f"values in [{low:g}, {high:g}]",
                        hint="Undo the normalisation first (x * std + mean), or pass np.clip(x, 0, 1).")
    array = np.asarray(array, dtype=np.float64)
    return np.repeat(array[..., None], 3, axis=-1) if array.ndim == 2 else array


def _read_heatmap(heatmap, shape: tuple[int, int]) -> np.ndarray:
    array = _to_numpy("heatmap", heatmap, _HEATMAP)
    if array.ndim == 3 and array.shape[0] == 1:
        array = array[0]
    if array.ndim != 2 or 0 in array.shape or array.dtype.kind not in "biuf":
        raise bad_value("heatmap", _HEATMAP, heatmap, got=f"a {array.dtype} array of shape {array.shape}")
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise bad_value("heatmap", "finite values", heatmap,
                        got=f"{int(np.size(array) - np.isfinite(array).sum())} NaN or infinite values")
    (h, w), (height, width) = array.shape, shape
    if abs(h / w - height / width) > 0.1 * height / width:
        transposed = abs(w / h - height / width) <= 0.1 * height / width
        raise bad_value("heatmap", f"a map with the image's aspect ratio (the image is {height}×{width})", heatmap,
                        got=f"a {h}×{w} map",
                        hint="Is it transposed? Pass heatmap.T." if transposed else
                        "Compute it on this image (a model's map has the aspect ratio of the input it saw).")
    return array if (h, w) == (height, width) else _resize(array, shape)


def _resize(array: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Bilinear resize with pixel centres aligned (as torch's ``F.interpolate(..., align_corners=False)``)."""
    from scipy.ndimage import map_coordinates

    rows, cols = ((np.arange(n) + 0.5) * (m / n) - 0.5 for n, m in zip(shape, array.shape))
    grid = np.meshgrid(np.clip(rows, 0, None), np.clip(cols, 0, None), indexing="ij")
    return map_coordinates(array, grid, order=1, mode="nearest")


def _blend(rgb: np.ndarray, heat: np.ndarray, alpha: float, colormap) -> tuple[np.ndarray, np.ndarray, float]:
    """The drawn image ``(1 − alpha)·image + alpha·cmap(heat⁺ / max heat⁺)``, the scaled map and its maximum."""
    top = float(heat.max())
    scaled = np.clip(heat, 0, None) / top if top > 0 else np.zeros_like(heat)
    return (1 - alpha) * rgb + alpha * colormap(scaled)[..., :3], scaled, top


def _draw_note(ax, text: str) -> None:
    from vizkit.themes import ink

    note = ax.text(0.03, 0.97, text, transform=ax.transAxes, ha="left", va="top", fontsize="small", color=ink(ax),
                   bbox={"boxstyle": "round,pad=0.3", "facecolor": ax.get_facecolor(), "edgecolor": "none",
                         "alpha": 0.85})
    note.set_in_layout(False)  # inside the image: a layout engine must not shrink the Axes for it


def overlay(image, heatmap, *, alpha: float = 0.5, cmap="inferno", colorbar: bool = True, label: str = "heatmap",
            ax=None):
    """Draw ``heatmap`` blended over ``image``: where a model looked (Grad-CAM), with a colour bar.

    The map's positive part is scaled to [0, 1] by its maximum, coloured with
    ``cmap`` and blended: drawn pixel = ``(1 − alpha)·image + alpha·cmap(map)``.
    A map smaller than the image (a convolutional layer's h×w) is resized
    bilinearly. A map with nothing positive (all zero, or all negative) has
    nothing to highlight: it is drawn flat (``cmap(0)`` everywhere) with a
    note on the chart, not refused.

    Parameters
    ----------
    image : array-like, tensor or PIL image
        H×W×3 in RGB order (as Matplotlib, PIL and scikit-learn give it; an
        OpenCV image is BGR: pass ``image[..., ::-1]``), H×W grey, or C×H×W.
        uint8 pixels in 0-255 or floats in [0, 1].
    heatmap : array-like or tensor
        h×w, the image's size or smaller with its aspect ratio
        (``vizkit.torch.grad_cam(...)[i]``).
    alpha : float
        The heatmap's weight in the blend, in [0, 1].
    cmap : str or Colormap
        The heatmap's colours.
    colorbar : bool
        Draw the colour bar, in the heatmap's units, beside the Axes (not for
        a flat map, which has no scale to read).
    label : str
        The colour bar's label.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``vk.plotted_data(ax)`` has one row (size, alpha, the map's range, ``flat``);
        its ``attrs`` hold ``"heatmap"`` (scaled, at the image size) and ``"blend"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> image = np.zeros((8, 8, 3), dtype=np.uint8); image[..., 0] = 255      # red
    >>> heat = np.outer(np.hanning(4), np.hanning(4))                         # a 4×4 map, resized to 8×8
    >>> ax = vk.overlay(image, heat, alpha=0.4, ax=ax)
    >>> vk.plotted_data(ax)[["height", "width", "flat"]].to_dict("records")
    [{'height': 8, 'width': 8, 'flat': False}]
    >>> plt.close(fig)
    """
    rgb = _rgb(image)
    heat = _read_heatmap(heatmap, rgb.shape[:2])
    alpha = check_number("alpha", alpha, low=0, high=1)
    colormap = _check_cmap(cmap)
    if not isinstance(colorbar, bool):
        raise bad_type("colorbar", "True or False", colorbar)
    if not isinstance(label, str):
        raise bad_type("label", "a string", label)
    label = user_text(label)
    blend, scaled, top = _blend(rgb, heat, alpha, colormap)
    ax = target_ax(ax)
    ax.imshow(blend, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[:].set_visible(False)
    flat = top <= 0
    if flat:
        what = "all zero" if not heat.any() else "all negative" if top < 0 else "zero or negative"
        _draw_note(ax, f"heatmap {what}:\nnothing to highlight")
    if colorbar and not flat:  # a flat map has no scale to read: the note says so instead
        from matplotlib.colors import Normalize

        from vizkit.colors import colorbar_beside

        colorbar_beside(ax, colormap, Normalize(0, top), label)
    table = pd.DataFrame({"height": [rgb.shape[0]], "width": [rgb.shape[1]], "alpha": [alpha],
                          "heatmap_min": [float(heat.min())], "heatmap_max": [float(heat.max())], "flat": [flat]})
    table.attrs.update(heatmap=scaled, blend=blend)
    attach_data(ax, table, chart="overlay")
    return ax
