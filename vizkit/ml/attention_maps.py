"""Attention weights as heatmaps: a layers × heads grid with token labels, or one head with its strongest links."""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.axes import attach_data, target_ax
from vizkit._core.display import Display
from vizkit._core.errors import bad_choice

__all__ = ["AttentionDisplay", "attention"]

_SOURCE = ("a vizkit.torch.AttentionMaps capture, one saved capture (vizkit.io.read_arrays(run, "
           "'attention_maps')[step]), a dict of layer -> (batch, heads, queries, keys) arrays, or one array")
_MASKS = ("auto", "causal")
_LABEL = "attention weight"


def _source(maps) -> tuple[dict, dict]:
    """Any accepted source as ({layer: weights}, {layer: masked or None}), arrays as given (not yet checked)."""
    if hasattr(maps, "weights") and isinstance(maps.weights, dict):  # vizkit.torch.AttentionMaps, duck-typed
        return dict(maps.weights), dict(getattr(maps, "masked", {}) or {})
    if isinstance(maps, dict):
        if any(str(key).startswith("weights.") for key in maps):  # a saved capture (read_arrays)
            weights = {k[len("weights."):]: v for k, v in maps.items() if str(k).startswith("weights.")}
            masked = {k[len("masked."):]: v for k, v in maps.items() if str(k).startswith("masked.")}
            return weights, masked
        return {str(k): v for k, v in maps.items()}, {}
    if hasattr(maps, "shape") or hasattr(maps, "__array__") or isinstance(maps, list):
        return {"attention": maps}, {}
    raise bad_type("maps", _SOURCE, maps)


def _weights(argument: str, value) -> np.ndarray:
    """(batch, heads, queries, keys) float64 from a 2-D, 3-D or 4-D array (tensors read without torch)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
    array = np.asarray(value)
    if array.dtype.kind not in "iuf" or array.ndim not in (2, 3, 4) or 0 in array.shape:
        raise bad_value(argument, "attention weights of shape (batch, heads, queries, keys), (heads, queries, "
                        "keys) or (queries, keys)", value, got=f"an array of shape {array.shape} ({array.dtype})")
    array = array.astype(np.float64).reshape((1,) * (4 - array.ndim) + array.shape)
    if np.nanmin(array) < -1e-6 or np.nanmax(array) > 1 + 1e-6:
        raise bad_value(argument, "weights in [0, 1] (softmax outputs)", value,
                        got=f"values from {np.nanmin(array):.3g} to {np.nanmax(array):.3g}")
    return array


def _labels(argument: str, labels, n: int) -> list[str]:
    if labels is None:
        return [str(i) for i in range(n)]
    if isinstance(labels, str) or not hasattr(labels, "__len__"):
        raise bad_type(argument, f"a list of {n} token labels", labels)
    if len(labels) != n:
        raise bad_value(argument, f"{n} labels (one per {'query' if argument == 'tokens' else 'key'})", labels,
                        got=f"{len(labels)} labels")
    return [str(label) for label in labels]


def _mask(mask, masked, shape) -> np.ndarray:
    """Where attention was forbidden: (queries, keys) bool for the chosen example."""
    queries, keys = shape
    if mask is None or mask is False:
        return np.zeros(shape, bool)
    if isinstance(mask, str):
        if mask not in _MASKS:
            raise bad_choice("mask", mask, _MASKS)
        if mask == "causal":
            return np.triu(np.ones(shape, bool), k=1 + keys - queries)
        return np.zeros(shape, bool) if masked is None else masked
    array = np.asarray(mask)
    if array.dtype != bool or array.shape != shape:
        raise bad_value("mask", f"'auto', 'causal', None or a boolean array of shape {shape} (True = masked)",
                        mask, got=f"an array of shape {array.shape} ({array.dtype})")
    return array


def _pick(argument: str, chosen, known: list, kind: str) -> list:
    if chosen is None:
        return list(known)
    if isinstance(chosen, (str, int, np.integer)):
        chosen = [chosen]
    if not isinstance(chosen, (list, tuple, range)) or not chosen:
        raise bad_type(argument, f"a {kind} or a list of them", chosen)
    for item in chosen:
        if item not in known:
            raise bad_choice(argument, item, known)
    return list(chosen)


class AttentionDisplay(Display):
    """Attention weights of one example, per layer and head: ``from_maps`` / ``from_arrays`` compute, ``plot`` draws.

    Attributes
    ----------
    cells_ : pandas.DataFrame
        One row per (layer, head, query, key): ``query_token``, ``key_token``,
        ``weight`` (NaN where masked or padding), ``masked`` and ``top`` (among
        the ``top_k`` strongest keys of its query).
    heads_ : pandas.DataFrame
        One row per (layer, head): ``entropy`` (mean over queries, nats; low =
        sharp), ``offset`` (the key − query offset the strongest link has most
        often: -1 looks at the previous token) and ``share`` (of the queries
        whose strongest link has that offset); ``key`` and ``key_share``: the
        same for the key's position (0: the first token).
    layers_, heads : list
        The layers and heads chosen, in drawing order.
    tokens_, key_tokens_ : list of str
    axes_ : numpy.ndarray of Axes
        After :meth:`plot`: (layers, heads) for the grid, (1, 1) for one head.

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import AttentionDisplay
    >>> weights = np.tril(np.ones((4, 4)))                       # each query spreads over the keys it may see
    >>> weights /= weights.sum(axis=1, keepdims=True)
    >>> found = AttentionDisplay.from_arrays({"layer 0": weights[None]}, tokens=list("abcd"), mask="causal")
    >>> found.cells_.query("query == 1")["weight"].tolist()
    [0.5, 0.5, nan, nan]
    >>> round(float(found.heads_["entropy"].iloc[0]), 3)              # (log 1 + log 2 + log 3 + log 4) / 4
    0.795
    """

    _chart = "attention"
    axes_ = None

    def __init__(self, cells, heads, *, tokens, key_tokens, top_k):
        self.cells_ = cells
        self.heads_ = heads
        self.layers_ = list(dict.fromkeys(cells["layer"]))
        self.heads = sorted(set(cells["head"]))
        self.tokens_, self.key_tokens_ = tokens, key_tokens
        self.top_k = top_k

    @classmethod
    def from_maps(cls, maps, *, tokens=None, key_tokens=None, layers=None, heads=None, example=0, mask="auto",
                  top_k=1):
        """From a capture (``AttentionMaps``, a saved one, or arrays); draw nothing. See :func:`attention`."""
        weights, masked = _source(maps)
        if not weights:
            raise bad_value("maps", "at least one layer", maps, got="no layers (was a capture run?)")
        return cls._compute(weights, masked, tokens=tokens, key_tokens=key_tokens, layers=layers, heads=heads,
                            example=example, mask=mask, top_k=top_k)

    @classmethod
    def from_arrays(cls, weights, *, masked=None, tokens=None, key_tokens=None, layers=None, heads=None, example=0,
                    mask="auto", top_k=1):
        """From ``{layer: (batch, heads, queries, keys)}`` (or one array) and optional ``{layer: masked}``."""
        found, _ = _source(weights if isinstance(weights, dict) else {"attention": weights})
        if masked is not None and not isinstance(masked, dict):
            masked = dict.fromkeys(found, masked)
        return cls._compute(found, masked or {}, tokens=tokens, key_tokens=key_tokens, layers=layers, heads=heads,
                            example=example, mask=mask, top_k=top_k)

    @classmethod
    def _compute(cls, weights, masked, *, tokens, key_tokens, layers, heads, example, mask, top_k):
        import pandas as pd

        layers = _pick("layers", layers, list(weights), "layer name")
        arrays = {name: _weights(f"maps[{name!r}]", weights[name]) for name in layers}
        batch, n_heads, queries, keys = arrays[layers[0]].shape
        for name, array in arrays.items():
            if array.shape[1:] != (n_heads, queries, keys) or array.shape[0] != batch:
                raise bad_value("maps", f"layers of one shape ({batch}, {n_heads}, {queries}, {keys})", name,
                                got=f"{array.shape} for {name!r}")
        example = check_number("example", example, integer=True, low=0, high=batch - 1)
        heads = _pick("heads", heads, list(range(n_heads)), "head index")
        top_k = check_number("top_k", top_k, integer=True, low=1, high=keys)
        tokens = _labels("tokens", tokens, queries)
        key_tokens = tokens if key_tokens is None and keys == queries else _labels("key_tokens", key_tokens, keys)
        frames, summaries = [], []
        for name in layers:
            saved = masked.get(name)
            saved = None if saved is None else np.asarray(saved, bool).reshape(-1, queries, keys)[example]
            hidden = _mask(mask, saved, (queries, keys))
            for head in heads:
                frame, summary = _cells(arrays[name][example, head], hidden, top_k)
                frames.append(frame.assign(layer=name, head=head))
                summaries.append({"layer": name, "head": head, **summary})
        cells = pd.concat(frames, ignore_index=True)
        cells["query_token"] = np.asarray(tokens, object)[cells["query"]]
        cells["key_token"] = np.asarray(key_tokens, object)[cells["key"]]
        cells = cells[["layer", "head", "query", "key", "query_token", "key_token", "weight", "masked", "top"]]
        return cls(cells, pd.DataFrame(summaries), tokens=tokens, key_tokens=key_tokens, top_k=top_k)

    # -- drawing -----------------------------------------------------------
    def plot(self, layer=None, head=None, *, cmap="vizkit_seq", figure=None, ax=None):
        """Draw the layers × heads grid, or with ``layer`` and ``head`` one head with its top links; return self."""
        import matplotlib.pyplot as plt

        from vizkit.colors import cmap as colormap

        colors = colormap(cmap)
        vmax = float(np.nanmax(self.cells_["weight"])) if self.cells_["weight"].notna().any() else 1.0
        if layer is not None or head is not None:
            layer = self._layer(layer)
            head = _pick("head", self.heads[0] if head is None else head, self.heads, "head index")[0]
            ax = target_ax(ax)
            image = self._panel(ax, layer, head, colors, vmax, outline=True)
            ax.set_title(f"{layer}, head {head}\n{_top(self.top_k)} outlined", loc="left")
            _ticks(ax, self.tokens_, self.key_tokens_, left=True, bottom=True)
            ax.set_ylabel("query")
            ax.set_xlabel("key")
            colorbar = ax.figure.colorbar(image, ax=ax, label=_LABEL, fraction=0.05, pad=0.03)
            colorbar.outline.set_visible(False)
            self.axes_, self.ax_, self.figure_ = np.array([[ax]]), ax, ax.figure
            return self
        side = float(np.clip(0.2 * len(self.tokens_) + 0.5, 1.5, 3.0))
        side = max(1.5, min(side, 10.0 / len(self.heads)))  # many heads: smaller panels, a page wide at most
        if figure is None:
            figure = plt.figure(figsize=(side * len(self.heads) + 1.6, side * len(self.layers_) + 0.6),
                                layout="constrained")
            figure.get_layout_engine().set(w_pad=0.1)  # room for the two-line row labels at every draw
        axes = figure.subplots(len(self.layers_), len(self.heads), squeeze=False)
        for i, name in enumerate(self.layers_):
            for j, h in enumerate(self.heads):
                image = self._panel(axes[i, j], name, h, colors, vmax, outline=False)
                _ticks(axes[i, j], self.tokens_, self.key_tokens_, left=j == 0, bottom=i == len(self.layers_) - 1,
                       room=side * 0.85)
                if i == 0:
                    axes[i, j].set_title(f"head {h}")
            axes[i, 0].set_ylabel(f"{name}\nquery")
        for a in axes[-1]:
            a.set_xlabel("key")
        colorbar = figure.colorbar(image, ax=axes.ravel().tolist(), label=_LABEL, shrink=min(1.0, 0.3 + 0.25 *
                                   len(self.layers_)), aspect=25)
        colorbar.outline.set_visible(False)
        self.axes_, self.ax_, self.figure_ = axes, axes[0, 0], figure
        return self

    def _layer(self, layer):
        if layer is None:
            return self.layers_[0]
        if isinstance(layer, (int, np.integer)) and not isinstance(layer, bool) and layer not in self.layers_:
            if not -len(self.layers_) <= layer < len(self.layers_):
                raise bad_value("layer", f"a layer name or an index below {len(self.layers_)}", layer)
            return self.layers_[layer]
        return _pick("layer", layer, self.layers_, "layer name")[0]

    def _panel(self, ax, layer, head, colors, vmax, *, outline):
        """One head's heatmap: masked cells hatched, the top links outlined; its cells become plotted_data."""
        from matplotlib.colors import Normalize

        from vizkit.colors import context_grey, face_color, palette

        cells = self.cells_[(self.cells_["layer"] == layer) & (self.cells_["head"] == head)]
        shape = (len(self.tokens_), len(self.key_tokens_))
        weights = cells["weight"].to_numpy().reshape(shape)
        masked = cells["masked"].to_numpy().reshape(shape)
        image = ax.imshow(np.ma.masked_invalid(weights), cmap=colors.with_extremes(bad=(0, 0, 0, 0)),
                          norm=Normalize(0, vmax), aspect="equal", interpolation="nearest")
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.tick_params(length=0)
        _cells_patches(ax, np.argwhere(masked), facecolor=face_color(ax), edgecolor=context_grey(face_color(ax)),
                       hatch="////", linewidth=0)
        if outline:
            _cells_patches(ax, np.argwhere(cells["top"].to_numpy().reshape(shape)), facecolor="none",
                           edgecolor=palette(None, 2)[1], linewidth=2)
        attach_data(ax, cells.reset_index(drop=True), chart=self._chart)
        return image


def _top(k: int) -> str:
    return "each row's top key" if k == 1 else f"each row's top {k} keys"


def _cells(weights: np.ndarray, hidden: np.ndarray, top_k: int):
    """One head's rows of cells_ and its summary: masked cells NaN, the top_k keys of each query marked."""
    import pandas as pd

    queries, keys = weights.shape
    shown = np.where(hidden, np.nan, weights)
    ranked = np.argsort(-np.nan_to_num(shown, nan=-1.0), axis=1, kind="stable")[:, :top_k]
    top = np.zeros(shown.shape, bool)
    np.put_along_axis(top, ranked, True, axis=1)
    top &= ~np.isnan(shown)
    q, k = np.indices(shown.shape)
    frame = pd.DataFrame({"query": q.ravel(), "key": k.ravel(), "weight": shown.ravel(), "masked": hidden.ravel(),
                          "top": top.ravel()})
    rows = ~np.isnan(shown).all(axis=1)
    if not rows.any():
        return frame, {"entropy": np.nan, "offset": 0, "share": np.nan, "key": 0, "key_share": np.nan}
    p = np.nan_to_num(shown[rows])
    entropy = float(np.mean(-np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0), axis=1)))
    offset, share = _mode(ranked[rows, 0] - np.arange(queries)[rows])
    key, key_share = _mode(ranked[rows, 0])
    return frame, {"entropy": entropy, "offset": offset, "share": share, "key": key, "key_share": key_share}


def _mode(values: np.ndarray) -> tuple[int, float]:
    """The most frequent value (the smallest of ties) and its share."""
    found, counts = np.unique(values, return_counts=True)
    return int(found[counts.argmax()]), float(counts.max() / len(values))


def _cells_patches(ax, cells, **style):
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    if len(cells):
        ax.add_collection(PatchCollection([Rectangle((j - 0.5, i - 0.5), 1, 1) for i, j in cells], **style))


def _ticks(ax, tokens, key_tokens, *, left: bool, bottom: bool, room: float | None = None):
    """Token labels on the left column and the bottom row; every n-th when a line each does not fit.

    ``room`` is the panel's side in inches (default: what the Axes has now).
    """
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    if room is None:
        box = ax.get_position()
        room = min(box.height * ax.figure.get_figheight(), box.width * ax.figure.get_figwidth())
    size = FontProperties(size=mpl.rcParams["ytick.labelsize"]).get_size_in_points()
    fits = max(1, int(0.9 * 72 * room / (1.25 * size)))
    step = max(1, -(-max(len(tokens), len(key_tokens)) // fits))
    ax.set_yticks(range(0, len(tokens), step), tokens[::step])
    rotate = max(map(len, key_tokens)) > 2 or len(key_tokens) > 12
    ax.set_xticks(range(0, len(key_tokens), step), key_tokens[::step], rotation=90 if rotate else 0)
    ax.tick_params(labelleft=left, labelbottom=bottom)


def attention(maps, *, tokens=None, key_tokens=None, layers=None, heads=None, example=0, mask="auto", top_k=1,
              layer=None, head=None, cmap="vizkit_seq", figure=None, ax=None):
    """Draw attention weights: a layers × heads grid of heatmaps, or one head with its strongest links outlined.

    Rows are queries, columns keys, each row a softmax (it sums to 1); one
    colour scale for every panel, with its colour bar. Masked cells (a causal
    mask, padding) are hatched, not drawn as 0.

    Parameters
    ----------
    maps : AttentionMaps, saved capture, dict or array
        What :class:`vizkit.torch.AttentionMaps` captured (the object, or one
        step of ``vizkit.io.read_arrays(run, "attention_maps")``), a dict of
        layer -> (batch, heads, queries, keys) arrays, or one array. Torch
        tensors are read without importing torch.
    tokens, key_tokens : list of str, optional
        The query and key labels (``key_tokens`` default to ``tokens`` for self-attention).
    layers : str or list of str, optional
        Which layers (rows of the grid); default all.
    heads : int or list of int, optional
        Which heads (columns); default all.
    example : int
        Which example of the batch.
    mask : {'auto', 'causal'}, None or bool array (queries, keys)
        ``"auto"``: what the capture recorded as masked (nothing for plain
        arrays); ``"causal"``: every key after its query.
    top_k : int
        How many of each query's strongest keys count as its links (outlined in the one-head view).
    layer, head : str or int, optional
        Given either, draw that one head (``layer`` by name or index) on ``ax``.
    cmap : str or Colormap
    figure, ax : Figure or Axes, optional
        Where the grid, or the one head, is drawn.

    Returns
    -------
    AttentionDisplay
        ``.cells_`` (what every panel drew: ``vk.plotted_data(ax)`` of a
        panel gives its rows), ``.heads_`` (entropy and the typical offset
        per head), ``.axes_``, ``.figure_``.

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> previous = np.eye(4, k=-1); previous[0, 0] = 1      # a head that looks at the token before
    >>> shown = vk.attention({"block 0": previous[None]}, tokens=["<s>", "a", "b", "c"], mask="causal")
    >>> shown.heads_["offset"].tolist(), shown.axes_.shape
    ([-1], (1, 1))
    >>> vk.plotted_data(shown.axes_[0, 0]).query("top")["key_token"].tolist()
    ['<s>', '<s>', 'a', 'b']
    >>> import matplotlib.pyplot as plt; plt.close(shown.figure_)
    """
    display = AttentionDisplay.from_maps(maps, tokens=tokens, key_tokens=key_tokens, layers=layers, heads=heads,
                                         example=example, mask=mask, top_k=top_k)
    return display.plot(layer, head, cmap=cmap, figure=figure, ax=ax)
