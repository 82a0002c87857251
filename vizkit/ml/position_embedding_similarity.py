"""What a ViT's learned positional embeddings encode: each patch position's cosine similarity with every other."""

from __future__ import annotations

import math

import numpy as np

from vizkit._core import bad_type, bad_value
from vizkit._core.display import Display

__all__ = ["PositionSimilarityDisplay", "position_similarity"]

_EMBEDDINGS = "positional embeddings of shape (T, dim) or (1, T, dim), e.g. model.pos_embed"


def _check_embeddings(embeddings) -> np.ndarray:
    if hasattr(embeddings, "detach") and hasattr(embeddings, "cpu"):  # a torch tensor, without importing torch
        embeddings = embeddings.detach().cpu().float()
    try:
        array = np.asarray(embeddings)
    except (TypeError, ValueError):
        raise bad_type("embeddings", _EMBEDDINGS, embeddings) from None
    if array.ndim == 3 and array.shape[0] == 1:
        array = array[0]
    if array.ndim != 2 or array.dtype.kind not in "iuf" or 0 in array.shape:
        raise bad_value("embeddings", _EMBEDDINGS, embeddings, got=f"a {array.dtype} array of shape {array.shape}")
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise bad_value("embeddings", "finite numbers", embeddings,
                        got=f"{int((~np.isfinite(array)).sum())} NaN or infinite values")
    return array


def _check_grid(grid, tokens: int, embeddings) -> tuple[tuple[int, int], int]:
    """The patch grid (rows, cols) and how many leading tokens are not patches (the class token: 0 or 1)."""
    if grid is None:
        for skip in (0, 1):
            side = math.isqrt(tokens - skip)
            if side * side == tokens - skip and side > 0:
                return (side, side), skip
        raise bad_value("embeddings", "a square number of patch positions, with or without one class token "
                        "in front (49 or 50 for 7 × 7 patches)", embeddings, got=f"{tokens} positions",
                        hint="Pass grid=(rows, cols) for a grid that is not square.")
    if isinstance(grid, (int, np.integer)) and not isinstance(grid, bool):
        grid = (grid, grid)
    if not (isinstance(grid, (tuple, list)) and len(grid) == 2
            and all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n > 0 for n in grid)):
        raise bad_type("grid", "the patch grid as (rows, cols) of positive ints, or one int for a square", grid)
    rows, cols = int(grid[0]), int(grid[1])
    if tokens - rows * cols not in (0, 1):
        raise bad_value("grid", f"{rows} × {cols} = {rows * cols} patches, with {tokens} positions given "
                        f"({rows * cols} or {rows * cols + 1} with the class token)", grid)
    return (rows, cols), tokens - rows * cols


class PositionSimilarityDisplay(Display):
    """Cosine similarity of every patch position's embedding with every other, as the ViT paper's figure 7.

    ``from_embeddings`` computes, ``plot(ax)`` draws a rows × cols grid of
    small rows × cols heatmaps as one image (:meth:`mosaic`): tile (r, c)
    colours every position by its similarity with position (r, c).

    Attributes
    ----------
    similarity_ : numpy.ndarray of shape (P, P)
        Cosine similarities of the P patch positions (reading order), the
        class token left out; scikit-learn's ``cosine_similarity``.
    grid_ : (int, int)
        Patch rows and columns.
    class_token_ : bool
        Whether a leading class-token position was left out.
    by_distance_ : pandas.DataFrame
        The mean similarity of position pairs by their grid distance
        (Chebyshev: 1 = the eight neighbours), ``distance``, ``mean``, ``pairs``:
        positions that learned their place have it fall with distance.
    table : pandas.DataFrame
        One row per pair: ``query``, ``query_row``, ``query_col``, ``key``,
        ``key_row``, ``key_col``, ``similarity`` (1-based rows and columns).

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import PositionSimilarityDisplay
    >>> rows, cols = np.meshgrid(np.arange(3), np.arange(3), indexing="ij")
    >>> angle = np.stack([rows.ravel(), cols.ravel()], 1) * 0.6            # 3 × 3 positions on a smooth code
    >>> embeddings = np.concatenate([np.cos(angle), np.sin(angle)], 1)
    >>> found = PositionSimilarityDisplay.from_embeddings(embeddings)
    >>> found.grid_, found.class_token_, found.by_distance_["mean"].round(2).tolist()
    ((3, 3), False, [1.0, 0.88, 0.6])
    """

    _chart = "position_similarity"

    def __init__(self, similarity, grid, class_token):
        import pandas as pd

        self.similarity_ = similarity
        self.grid_ = grid
        self.class_token_ = class_token
        rows, cols = np.divmod(np.arange(grid[0] * grid[1]), grid[1])
        query, key = (a.ravel() for a in np.meshgrid(np.arange(len(rows)), np.arange(len(rows)), indexing="ij"))
        self.table = pd.DataFrame({"query": query, "query_row": rows[query] + 1, "query_col": cols[query] + 1,
                                   "key": key, "key_row": rows[key] + 1, "key_col": cols[key] + 1,
                                   "similarity": similarity.ravel()})
        distance = np.maximum(abs(rows[query] - rows[key]), abs(cols[query] - cols[key]))
        self.by_distance_ = (self.table.assign(distance=distance).groupby("distance")["similarity"]
                             .agg(mean="mean", pairs="size").reset_index())

    @classmethod
    def from_embeddings(cls, embeddings, *, grid=None):
        """Compute the similarities; draw nothing. See :func:`position_similarity` for the arguments."""
        from sklearn.metrics.pairwise import cosine_similarity

        array = _check_embeddings(embeddings)
        grid, skip = _check_grid(grid, len(array), embeddings)
        return cls(cosine_similarity(array[skip:]), grid, bool(skip))

    def mosaic(self) -> np.ndarray:
        """The drawn image: tile (r, c) at rows ``r·(rows+1)`` on, columns ``c·(cols+1)`` on; NaN in the gaps."""
        rows, cols = self.grid_
        out = np.full((rows * (rows + 1) - 1, cols * (cols + 1) - 1), np.nan)
        for q, values in enumerate(self.similarity_):
            r, c = divmod(q, cols)
            out[r * (rows + 1):r * (rows + 1) + rows, c * (cols + 1):c * (cols + 1) + cols] = values.reshape(rows, cols)
        return out

    def _draw(self, ax, *, cmap="vizkit_div") -> dict:
        from matplotlib.colors import Normalize

        from vizkit.charts.images import _check_cmap
        from vizkit.colors import colorbar_beside

        colormap = _check_cmap(cmap)
        rows, cols = self.grid_
        image = ax.imshow(np.ma.masked_invalid(self.mosaic()), cmap=colormap, norm=Normalize(-1, 1),
                          interpolation="nearest")
        ax.set_xticks(np.arange(cols) * (cols + 1) + (cols - 1) / 2, [str(c + 1) for c in range(cols)])
        ax.set_yticks(np.arange(rows) * (rows + 1) + (rows - 1) / 2, [str(r + 1) for r in range(rows)])
        ax.tick_params(length=0)
        ax.grid(False)
        ax.spines[:].set_visible(False)
        ax.set_xlabel("Input patch column")
        ax.set_ylabel("Input patch row")
        bar = colorbar_beside(ax, colormap, Normalize(-1, 1), "Cosine similarity")
        return {"image": image, "colorbar": bar}

    def _plotted_data(self):
        return self.table


def position_similarity(embeddings, *, grid=None, cmap="vizkit_div", ax=None):
    """Draw how similar each patch position's learned embedding is to every other's (ViT, Dosovitskiy et al. 2021).

    A grid of small heatmaps, one per patch position in its place: tile
    (r, c) colours every position by the cosine similarity of its
    embedding with the embedding of position (r, c). A ViT whose positions
    learned the 2-D layout shows a bright spot around each tile's own
    position, often with its row and column brighter than the rest.

    Parameters
    ----------
    embeddings : array-like or tensor
        ``(T, dim)`` or ``(1, T, dim)``, first the class token's position if
        there is one (``model.pos_embed``); torch is never imported.
    grid : (int, int) or int, optional
        The patch grid; default the square of side ``sqrt(T)``, or of
        ``sqrt(T - 1)`` after leaving out a leading class token.
    cmap : str or Colormap
        A diverging colormap: the colour bar spans -1 to 1.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    PositionSimilarityDisplay
        ``.similarity_``, ``.by_distance_``, ``.ax_``, ``.figure_``;
        ``vk.plotted_data(ax)`` is ``.table``, one row per pair of positions.

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> embeddings = np.random.default_rng(0).normal(size=(17, 8))      # a class token and 4 × 4 positions
    >>> shown = vk.position_similarity(embeddings)
    >>> shown.similarity_.shape, shown.ax_.images[0].get_array().shape        # 4 tiles of 4 and 3 gaps a side
    ((16, 16), (19, 19))
    >>> vk.plotted_data(shown.ax_).query("query == 6")[["query_row", "query_col"]].iloc[0].tolist()
    [2, 3]
    >>> import matplotlib.pyplot as plt; plt.close(shown.figure_)
    """
    return PositionSimilarityDisplay.from_embeddings(embeddings, grid=grid).plot(ax=ax, cmap=cmap)
