"""An autoencoder's reconstructions under the originals they came from: two rows of tiles on one Axes."""

from __future__ import annotations

import math

import numpy as np

from vizkit._core import bad_type, bad_value
from vizkit._core.display import Display
from vizkit.ml._image_mosaic import centres, draw_mosaic, grey_tiles, labels_inside, value_range

__all__ = ["ReconstructionsDisplay", "reconstructions"]

_IMAGES = "N grey images: an array of (N, H, W), or (N, H·W) of square images"
MAX_PAIRS = 40


def _images(argument: str, value) -> np.ndarray:
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
    array = np.asarray(value)
    if array.ndim == 4 and array.shape[1] == 1:  # N × 1 × H × W, channels first
        array = array[:, 0]
    if array.ndim == 2:
        side = math.isqrt(array.shape[1])
        if side * side != array.shape[1]:
            raise bad_value(argument, _IMAGES, value, got=f"an array of shape {array.shape} (rows of "
                                                          f"{array.shape[1]} values are not square images)")
        array = array.reshape(len(array), side, side)
    return grey_tiles(argument, array, _IMAGES, 3)


class ReconstructionsDisplay(Display):
    """Originals and their reconstructions: ``from_images`` pairs and scores them, ``plot`` draws two rows.

    Attributes
    ----------
    originals_, reconstructions_ : numpy.ndarray of shape (N, H, W)
        The tiles of the top and bottom rows.
    pairs_ : pandas.DataFrame
        One row per pair: ``index``, ``label`` (if given), ``mse`` (mean
        squared error per pixel, on the 0-1 scale for images in 0-1 or
        0-255); what :func:`vizkit.plotted_data` gives.
    mse_ : float
        The mean of ``pairs_["mse"]``.
    vmin_, vmax_ : float
        The colour scale both rows share.

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import ReconstructionsDisplay
    >>> found = ReconstructionsDisplay.from_images(np.ones((3, 4, 4)), np.full((3, 4, 4), 0.5))
    >>> found.pairs_["mse"].tolist(), found.mse_
    ([0.25, 0.25, 0.25], 0.25)
    """

    _chart = "reconstructions"

    def __init__(self, originals, reconstructions, labels):
        import pandas as pd

        self.originals_, self.reconstructions_ = originals, reconstructions
        both = np.concatenate([originals, reconstructions])
        self.vmin_, self.vmax_ = value_range(both)
        unit = 255.0 if both.dtype.kind in "iu" and self.vmax_ == 255.0 else 1.0
        error = ((originals.astype(float) - reconstructions.astype(float)) / unit) ** 2
        self.pairs_ = pd.DataFrame({"index": range(len(originals)),
                                    **({} if labels is None else {"label": labels}),
                                    "mse": error.reshape(len(error), -1).mean(1)})
        self.mse_ = float(self.pairs_["mse"].mean())

    @classmethod
    def from_images(cls, originals, reconstructions, *, labels=None):
        """Check and pair the images; draw nothing. See :func:`reconstructions`."""
        originals = _images("originals", originals)
        reconstructions = _images("reconstructions", reconstructions)
        if originals.shape != reconstructions.shape:
            raise bad_value("reconstructions", f"one image per original, of the same size ({originals.shape})",
                            None, got=f"an array of shape {reconstructions.shape}")
        if len(originals) > MAX_PAIRS:
            raise bad_value("originals", f"at most {MAX_PAIRS} images (two rows of tiles)", None,
                            got=f"{len(originals)} images", hint=f"Draw a part, e.g. originals[:{MAX_PAIRS // 4}].")
        if labels is not None:
            if isinstance(labels, (str, bytes)) or not hasattr(labels, "__len__") or len(labels) != len(originals):
                raise bad_value("labels", f"one label per image ({len(originals)})", labels)
            labels = [lab.item() if hasattr(lab, "item") else lab for lab in labels]
        return cls(originals, reconstructions, labels)

    def _draw(self, ax, *, cmap="gray", row_labels=("original", "reconstruction")):
        n, height, width = self.originals_.shape
        image = draw_mosaic(ax, np.stack([self.originals_, self.reconstructions_]), cmap=cmap,
                            vmin=self.vmin_, vmax=self.vmax_)
        ax.set_yticks(centres(2, height), list(row_labels))
        if "label" in self.pairs_:
            ax.set_xticks(centres(n, width), [str(lab) for lab in self.pairs_["label"]])
        else:
            ax.set_xticks([])
        labels_inside(ax)
        return {"image": image}

    def plot(self, ax=None, *, cmap="gray", row_labels=("original", "reconstruction")):
        """Draw the two rows on ``ax``; return ``self`` (see :func:`reconstructions`)."""
        from vizkit.colors import _cmap_for

        if isinstance(cmap, str):
            _cmap_for("cmap", cmap)
        elif not hasattr(cmap, "with_extremes"):
            raise bad_type("cmap", "a colormap name or a Colormap", cmap)
        if (not isinstance(row_labels, (tuple, list)) or len(row_labels) != 2
                or not all(isinstance(t, str) for t in row_labels)):
            raise bad_type("row_labels", "a (top, bottom) pair of str", row_labels)
        return super().plot(ax, cmap=cmap, row_labels=tuple(row_labels))

    def _plotted_data(self):
        return self.pairs_


def reconstructions(originals, reconstructions, *, labels=None, cmap="gray",
                    row_labels=("original", "reconstruction"), ax=None):
    """Draw each original above its reconstruction, two rows of tiles on one Axes, and score the pairs.

    Parameters
    ----------
    originals, reconstructions : array of (N, H, W), (N, 1, H, W) or (N, H·W)
        The inputs and what the autoencoder made of them, in the same order
        (arrays or tensors; floats in 0-1 and integers in 0-255 are drawn on
        that scale, both rows on one scale). At most 40 pairs.
    labels : sequence, optional
        A label per pair, written under its column (the digit).
    cmap : str or Colormap
        Default ``"gray"``.
    row_labels : (str, str)
        The rows' names, written left of them.
    ax : Axes, optional

    Returns
    -------
    ReconstructionsDisplay
        ``.pairs_`` (index, label, mse per pair, also ``vk.plotted_data(ax)``),
        ``.mse_``, ``.ax_``.

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> digits = np.random.default_rng(0).random((4, 28, 28))
    >>> shown = vk.reconstructions(digits, digits.clip(0.2, 0.8), labels=[3, 1, 4, 1])
    >>> [t.get_text() for t in shown.ax_.get_yticklabels()], round(shown.mse_, 4)
    (['original', 'reconstruction'], 0.0053)
    >>> import matplotlib.pyplot as plt; plt.close(shown.figure_)
    """
    display = ReconstructionsDisplay.from_images(originals, reconstructions, labels=labels)
    return display.plot(ax, cmap=cmap, row_labels=row_labels)
