"""Image grids: many images or arrays (samples, filters, feature maps) as tiles of one figure."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from vizkit._core import bad_choice, bad_type, bad_value, check_number
from vizkit._core.axes import attach_data
from vizkit._core.display import Display
from vizkit._core.labels import user_text

__all__ = ["image_grid", "ImageGridDisplay"]

MAX_IMAGES = 400
_NORMS = ("shared", "each")
_ONE_IMAGE = "H×W (grey), H×W×3 / H×W×4 (colour, channels last) or C×H×W with C 1 or 3 (channels first)"
_IMAGES = ("a list of images (arrays, tensors or PIL images), or an array of N×H×W, N×H×W×C or N×C×H×W "
           "(one H×W image alone is drawn as one tile)")
# Layout, in inches: the width the tiles fill by default, the bounds of a tile's sides, the gaps.
_WIDTH, _LONGEST, _SHORTEST = 7.2, 3.2, 0.5
_GAP, _MARGIN, _TITLE_PAD = 0.06, 0.05, 2.0  # _TITLE_PAD in points
_TITLE_LINES = 2


# ----------------------------------------------------------------------------- reading the images
def _to_numpy(argument: str, value, expected: str) -> np.ndarray:
    """``value`` as a NumPy array: arrays, lists, PIL images, and tensors (detached, on the CPU) without torch."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor, with grad or on a GPU
        value = value.detach().cpu()
    try:
        return np.asarray(value)
    except Exception as error:  # noqa: BLE001 - ragged lists, objects NumPy refuses: word it as vizkit does
        raise bad_type(argument, expected, value, hint=f"({type(error).__name__}: {error})") from None


def _numbers(argument: str, array: np.ndarray) -> np.ndarray:
    """``array`` with a dtype Matplotlib draws (booleans become 0/1), or an error naming the dtype."""
    kind = array.dtype.kind
    if kind == "O":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise bad_type(argument, f"an image of numbers ({_ONE_IMAGE})", array,
                           got=f"an array of Python objects, shape {array.shape}") from None
        kind = "f"
    if kind == "b":
        return array.astype(np.uint8)
    if kind == "c":
        raise bad_type(argument, "an image of real numbers", array, got=f"{array.dtype} values",
                       hint="Draw np.abs(x) (magnitude) or x.real first.")
    if kind not in "iuf":
        raise bad_type(argument, f"an image of numbers ({_ONE_IMAGE})", array, got=f"{array.dtype} values")
    if array.dtype == np.float16:  # Matplotlib's resampler has no float16
        array = array.astype(np.float32)
    return array


def _channels_last(argument: str, array: np.ndarray) -> np.ndarray:
    """A 2-D grey image or an H×W×3/4 colour image from any accepted layout, or an error naming the shape."""
    if array.ndim == 3:
        if array.shape[-1] not in (1, 3, 4):
            if array.shape[0] not in (1, 3):
                raise bad_value(argument, _ONE_IMAGE, array, got=f"an array of shape {array.shape}",
                                hint=f"To draw its {array.shape[0]} channels as {array.shape[0]} tiles, pass "
                                     "that array itself as `images`.")
            array = np.moveaxis(array, 0, -1)
        if array.shape[-1] == 1:
            array = array[..., 0]
    if array.ndim not in (2, 3):
        raise bad_value(argument, _ONE_IMAGE, array, got=f"an array of shape {array.shape}")
    if 0 in array.shape:
        raise bad_value(argument, "an image with at least one pixel", array, got=f"an array of shape {array.shape}")
    return array


def _one_image(argument: str, value) -> np.ndarray:
    array = _channels_last(argument, _numbers(argument, _to_numpy(argument, value, f"an image ({_ONE_IMAGE})")))
    if array.dtype.kind == "f":
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        if bad:
            nan = int(np.count_nonzero(np.isnan(array)))
            what = f"{nan} NaN" + (f" and {bad - nan} infinite" if bad > nan else "") if nan else f"{bad} infinite"
            raise bad_value(argument, "an image of finite numbers", array,
                            got=f"{what} values among its {array.size} (shape {array.shape})",
                            hint="Replace them first, e.g. with np.nan_to_num(x) or a value of your choice.")
    return array


def _check_count(n: int, max_images: int) -> None:
    if n == 0:
        raise bad_value("images", "at least one image", [], got="no images")
    if n > max_images:
        raise bad_value("images", f"at most `max_images`={max_images} images (a grid of more tiles is unreadable "
                                  "and slow to draw)", None, got=f"{n} images",
                        hint=f"Draw a part, e.g. images[:{max_images}], or pass max_images={n} to draw them all.")


def _read_images(images, max_images: int) -> list[np.ndarray]:
    """Each image as a 2-D grey or H×W×3/4 colour array, after every check."""
    import pandas as pd

    if isinstance(images, (pd.DataFrame, pd.Series)):
        raise bad_type("images", _IMAGES, images, hint="For a table of pixel columns (one image per row), reshape "
                       "its values: frame.to_numpy().reshape(-1, height, width).")
    if images is None or isinstance(images, (str, bytes, Mapping)):
        raise bad_type("images", _IMAGES, images)
    if isinstance(images, (list, tuple)) or type(images).__module__.startswith("PIL"):
        items = list(images) if isinstance(images, (list, tuple)) else [images]  # a PIL image is one image
    elif hasattr(images, "__array__") or hasattr(images, "__array_interface__") or hasattr(images, "shape"):
        items = _split_stack(_to_numpy("images", images, _IMAGES))
    elif isinstance(images, Iterable):
        items = list(images)
    else:
        raise bad_type("images", _IMAGES, images)
    _check_count(len(items), max_images)
    return [_one_image(f"images[{i}]", item) for i, item in enumerate(items)]


def _split_stack(stack: np.ndarray) -> list:
    """The images of one array: a 2-D array is one image, a 3-D or 4-D array a stack along its first axis."""
    if stack.ndim == 2:
        return [stack]
    if stack.ndim == 3 and stack.shape[-1] in (3, 4) and min(stack.shape[:2]) > 4:
        raise bad_value("images", "N×H×W as a 3-D array (a stack of grey images)", stack,
                        got=f"an array of shape {stack.shape}, which looks like one colour image",
                        hint="Pass it in a list, [image], or as image[None] (a stack of one).")
    if stack.ndim in (3, 4):
        return list(stack)
    raise bad_value("images", _IMAGES, stack, got=f"an array of shape {stack.shape}")


# ----------------------------------------------------------------------------- colour scales
def _check_norm(norm):
    if isinstance(norm, str):
        if norm not in _NORMS:
            raise bad_choice("norm", norm, _NORMS, suffix=" or a (vmin, vmax) pair")
        return norm
    if not isinstance(norm, (tuple, list)) or len(norm) != 2:
        raise bad_type("norm", "'shared', 'each' or a (vmin, vmax) pair of numbers", norm)
    low, high = (check_number(f"norm[{i}]", v) for i, v in enumerate(norm))
    if not low < high:
        raise bad_value("norm", "a (vmin, vmax) pair with vmin < vmax", norm)
    return (low, high)


def _natural(array: np.ndarray) -> tuple[float, float] | None:
    """The range a colour image is drawn in as given (0-255 for integers, 0-1 for floats), if it fits there."""
    low, high = (0.0, 255.0) if array.dtype.kind in "iu" else (0.0, 1.0)
    return (low, high) if array.min() >= low and array.max() <= high else None


def _limits(arrays: list[np.ndarray], channels=slice(None)) -> tuple[float, float]:
    """Smallest and largest value over ``arrays`` (their colour channels), refusing a span no float holds."""
    low = min(float(a[..., channels].min()) if a.ndim == 3 else float(a.min()) for a in arrays)
    high = max(float(a[..., channels].max()) if a.ndim == 3 else float(a.max()) for a in arrays)
    if not math.isfinite(high - low):
        raise bad_value("images", "values whose range a float can hold", None,
                        got=f"values from {low:g} to {high:g}")
    return low, high


def _rescaled(array: np.ndarray, low: float, high: float) -> np.ndarray:
    """A colour image mapped linearly from [low, high] to [0, 1]; an alpha channel keeps its own scale."""
    span = (high - low) or 1.0
    out = np.clip((array[..., :3].astype(np.float64) - low) / span, 0, 1)
    if array.shape[-1] == 4:
        alpha = array[..., 3:].astype(np.float64) / (255.0 if array.dtype.kind in "iu" else 1.0)
        out = np.concatenate([out, np.clip(alpha, 0, 1)], axis=-1)
    return out.astype(np.float32)


def _scales(arrays: list[np.ndarray], norm) -> tuple[list, list]:
    """(vmin, vmax) of each tile and the array drawn for it (colour images mapped to 0-1 where needed)."""
    grey = [a for a in arrays if a.ndim == 2]
    colour = [a for a in arrays if a.ndim == 3]
    shared_grey = _limits(grey) if grey and norm == "shared" else None
    as_given = norm != "each" and not isinstance(norm, tuple) and all(_natural(a) for a in colour)
    shared_colour = _limits(colour, slice(0, 3)) if colour and norm == "shared" and not as_given else None
    limits, drawn = [], []
    for array in arrays:
        if isinstance(norm, tuple):
            scale = norm
        elif array.ndim == 2:
            scale = shared_grey or _limits([array])
        elif as_given or (norm == "each" and _natural(array)):
            scale = _natural(array)
        else:
            scale = shared_colour or _limits([array], slice(0, 3))
        limits.append(scale)
        if array.ndim == 3 and scale != _natural(array):
            array = _rescaled(array, *scale)
        elif array.ndim == 3 and array.dtype.kind in "iu":
            array = array.astype(np.uint8)
        drawn.append(array)
    return limits, drawn


# ----------------------------------------------------------------------------- titles
def _check_titles(titles, n: int) -> list[str]:
    if titles is None:
        return [""] * n
    if isinstance(titles, (str, bytes)):
        raise bad_type("titles", "a list with one title per image, or a function of the image's index", titles,
                       hint="For one title above the grid, use vk.titles(grid.figure_, ...).")
    if callable(titles):
        texts = [titles(i) for i in range(n)]
    elif isinstance(titles, Iterable):
        texts = list(titles)
        if len(texts) != n:
            raise bad_value("titles", f"one title per image ({n})", titles, got=f"{len(texts)} titles")
    else:
        raise bad_type("titles", "a list with one title per image, or a function of the image's index", titles)
    return ["" if t is None else str(t) for t in texts]


class _Measure:
    """Widths of texts in points at one font size, cached (titles repeat: labels of a few classes)."""

    def __init__(self, size: float):
        from matplotlib.font_manager import FontProperties

        self.size = size
        self.font = FontProperties(size=size)
        self.cache: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        if text not in self.cache:
            from matplotlib.textpath import text_to_path

            self.cache[text] = text_to_path.get_text_width_height_descent(text, self.font, ismath=False)[0]
        return self.cache[text]


def _wrap(text: str, width: float, measure: _Measure) -> list[str]:
    """``text`` in at most two lines of at most ``width`` points, by words, the rest shortened with '…'."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for word in part.split(" "):
            trial = f"{line} {word}" if line else word
            if line and measure(trial) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    lines = [line for line in lines if line.strip()] or [""]
    if len(lines) > _TITLE_LINES:
        lines = lines[:_TITLE_LINES - 1] + [" ".join(lines[_TITLE_LINES - 1:])]
    return [_shorten(line, width, measure) for line in lines]


def _shorten(line: str, width: float, measure: _Measure) -> str:
    if measure(line) <= width:
        return line
    while len(line) > 1 and measure(line + "…") > width:
        line = line[:-1]
    return line.rstrip() + "…"


# ----------------------------------------------------------------------------- layout
@dataclass(frozen=True)
class _Geometry:
    """Where each tile goes, in inches: cells of one size in rows and columns, titles above, a colour bar right."""

    nrows: int
    ncols: int
    cell: tuple[float, float]  # width, height of a tile's image box
    title: float               # height of the title room above each tile
    bar: float                 # width of the colour bar's room (0 without one)
    head: float = 0.0          # height of the grid's own title above all tiles (0 without one)

    @property
    def fixed(self) -> tuple[float, float]:
        """The width and height that do not scale with the cells: margins, gaps, titles, colour bar."""
        return (2 * _MARGIN + (self.ncols - 1) * _GAP + self.bar,
                2 * _MARGIN + (self.nrows - 1) * _GAP + self.nrows * self.title + self.head)

    @property
    def size(self) -> tuple[float, float]:
        fixed_w, fixed_h = self.fixed
        return fixed_w + self.ncols * self.cell[0], fixed_h + self.nrows * self.cell[1]

    def fit(self, width: float, height: float) -> _Geometry:
        """The same grid with cells scaled to fill a given figure (a Figure or SubFigure of that size)."""
        fixed_w, fixed_h = self.fixed
        scale = min((width - fixed_w) / (self.ncols * self.cell[0]), (height - fixed_h) / (self.nrows * self.cell[1]))
        if scale <= 0:
            raise bad_value("figure", f"a figure large enough for {self.nrows}×{self.ncols} tiles", None,
                            got=f"one of {width:.2f}×{height:.2f} in")
        return replace(self, cell=(self.cell[0] * scale, self.cell[1] * scale))

    def tile(self, row: int, col: int, width: float, height: float) -> list[float]:
        """``[left, bottom, width, height]`` of a tile's image box, as fractions of a ``width``×``height`` figure."""
        used_w, _ = self.size  # at the top, centred across, when the figure is larger than the grid
        x = (width - used_w) / 2 + _MARGIN + col * (self.cell[0] + _GAP)
        top = height - _MARGIN - self.head - row * (self.cell[1] + self.title + _GAP) - self.title
        return [x / width, (top - self.cell[1]) / height, self.cell[0] / width, self.cell[1] / height]

    def colorbar(self, width: float, height: float, label: float) -> list[float]:
        """The colour bar's box beside the tiles, short of their ends by half a ``label`` height (inches)."""
        used_w, used_h = self.size
        x = (width - used_w) / 2 + used_w - self.bar + 0.1
        bottom = height - used_h + _MARGIN + label / 2
        return [x / width, bottom / height, 0.14 / width,
                (used_h - 2 * _MARGIN - self.head - self.title - label) / height]

    def corner(self, width: float, height: float) -> tuple[float, float]:
        """The top-left corner of the grid (where its title starts), as fractions of the figure."""
        return ((width - self.size[0]) / 2 + _MARGIN) / width, (height - _MARGIN) / height


def _shape(n: int, ncols, aspect: float) -> tuple[int, int]:
    """Rows and columns: ``ncols`` if given, else a grid near square on the page (cells ``aspect`` wide per high)."""
    if ncols is not None:
        ncols = min(ncols, n)
        return -(-n // ncols), ncols
    nrows = -(-n // min(n, max(1, math.ceil(math.sqrt(n / aspect)))))
    return nrows, -(-n // nrows)  # no empty column


def _cell(ncols: int, aspect: float, tile_size) -> tuple[float, float]:
    """A tile's image box in inches: ``tile_size`` on its longer side, else the grid ~7.2 in wide, sides in bounds."""
    if tile_size is not None:
        return (tile_size, tile_size / aspect) if aspect >= 1 else (tile_size * aspect, tile_size)
    width = _WIDTH / ncols
    height = width / aspect
    scale = min(1.0, _LONGEST / max(width, height))
    scale = max(scale, _SHORTEST / min(width, height))
    return width * scale, height * scale


# ----------------------------------------------------------------------------- the Display
class ImageGridDisplay(Display):
    """Images as tiles of one figure: ``from_images`` reads and scales them, ``plot`` lays them out and draws.

    Parameters
    ----------
    images : list of numpy.ndarray
        The arrays to draw, one per tile: 2-D (grey, drawn with a colormap)
        or H×W×3/4 (colour, uint8 in 0-255 or floats in 0-1).
    tiles : pandas.DataFrame
        One row per image: ``index``, ``title``, ``shape`` (as given),
        ``height``, ``width``, ``channels``, ``vmin``, ``vmax``.
    norm : {'shared', 'each', 'fixed'}
        How the colour scales were chosen.

    Attributes
    ----------
    tiles_ : pandas.DataFrame
        The tiles, as above (what :func:`vizkit.plotted_data` gives for each tile's Axes,
        plus its ``row`` and ``col`` in the grid).
    vmin_, vmax_ : float or None
        The one colour scale of the grey tiles (None with ``norm="each"``).
    figure_ : matplotlib.figure.Figure or None
        After :meth:`plot`: the figure (or SubFigure) drawn on.
    axes_ : numpy.ndarray of Axes, shape (nrows, ncols)
        After :meth:`plot`: the tiles in reading order; slots past the last image hold None.
    colorbar_ : matplotlib.colorbar.Colorbar or None
        After :meth:`plot`: the shared colour bar, if drawn.

    Examples
    --------
    Read and scale the images without drawing (in a training script, say), then draw:

    >>> import numpy as np
    >>> from vizkit.charts.images import ImageGridDisplay
    >>> maps = np.random.default_rng(0).random((6, 12, 12)) * [[[1]], [[2]], [[3]], [[4]], [[5]], [[6]]]
    >>> found = ImageGridDisplay.from_images(maps, norm="each")
    >>> found.tiles_["vmax"].round(1).tolist(), found.figure_
    ([1.0, 2.0, 3.0, 4.0, 4.9, 6.0], None)
    >>> found.plot(ncols=6).axes_.shape
    (1, 6)
    >>> import matplotlib.pyplot as plt; plt.close(found.figure_)
    """

    _chart = "image_grid"
    axes_ = None
    colorbar_ = None

    def __init__(self, images, tiles, *, norm):
        self.images = list(images)
        self.tiles_ = tiles
        self.norm_ = norm
        grey = tiles[tiles["channels"] == 1]
        one_scale = norm != "each" and len(grey) and grey["vmin"].nunique() == 1 and grey["vmax"].nunique() == 1
        self.vmin_ = float(grey["vmin"].iloc[0]) if one_scale else None
        self.vmax_ = float(grey["vmax"].iloc[0]) if one_scale else None

    @classmethod
    def from_images(cls, images, *, titles=None, norm="shared", max_images=MAX_IMAGES):
        """Read, check and scale the images; draw nothing. See :func:`image_grid` for the arguments."""
        import pandas as pd

        max_images = check_number("max_images", max_images, integer=True, low=1)
        norm = _check_norm(norm)
        given = _read_images(images, max_images)
        texts = _check_titles(titles, len(given))
        limits, drawn = _scales(given, norm)
        tiles = pd.DataFrame({
            "index": range(len(given)), "title": texts, "shape": [tuple(a.shape) for a in given],
            "height": [a.shape[0] for a in given], "width": [a.shape[1] for a in given],
            "channels": [1 if a.ndim == 2 else a.shape[2] for a in given],
            "vmin": [float(low) for low, _ in limits], "vmax": [float(high) for _, high in limits]})
        return cls(drawn, tiles, norm="fixed" if isinstance(norm, tuple) else norm)

    def __iter__(self):
        """The tiles' Axes, in reading order."""
        return (ax for ax in ([] if self.axes_ is None else self.axes_.flat) if ax is not None)

    def plot(self, *, ncols=None, title=None, cmap="gray", colorbar=False, tile_size=None, interpolation=None,
             figure=None):
        """Lay the tiles out and draw them; return ``self`` (see :func:`image_grid` for the arguments)."""
        ncols = check_number("ncols", ncols, integer=True, low=1, allow_none=True)
        tile_size = check_number("tile_size", tile_size, low=0, low_open=True, allow_none=True)
        colormap = _check_cmap(cmap)
        interpolation = _check_interpolation(interpolation)
        self._check_colorbar(colorbar)
        figure = _check_figure(figure)
        if title is not None and not isinstance(title, str):
            raise bad_type("title", "a str or None", title)
        math = bool(title) and "$" in title and user_text(title) == title  # the user's text: math when valid
        layout, titles, head = self._layout(ncols, tile_size, colorbar, title, figure, math)
        if figure is None:
            import matplotlib.pyplot as plt

            figure = plt.figure(figsize=layout.size, layout="none")
        self._draw_tiles(figure, layout, colormap, interpolation, ["\n".join(t) for t in titles])
        heading = None
        if head:
            x, y = layout.corner(*_figure_size(figure))
            heading = figure.text(x, y, "\n".join(head), ha="left", va="top", fontsize=_head_size(), fontweight="bold",
                                  parse_math=math)
        self.colorbar_ = self._draw_colorbar(figure, layout, colormap) if colorbar else None
        self.figure_ = figure
        self.artists_ = {"images": [ax.images[0] for ax in self], "titles": [ax.title for ax in self],
                         "title": heading, "colorbar": self.colorbar_}
        return self

    def _layout(self, ncols, tile_size, colorbar, title, figure, math):
        """The grid's geometry, each tile's title and the grid's title in lines wrapped to the room they get."""
        aspect = min(max(float(self.tiles_["width"].max() / self.tiles_["height"].max()), 0.2), 5.0)
        nrows, ncols = _shape(len(self.images), ncols, aspect)
        measure, big = _Measure(_title_size()), _Measure(_head_size())
        layout = _Geometry(nrows, ncols, _cell(ncols, aspect, tile_size), 0.0,
                           _colorbar_room(self, measure) if colorbar else 0.0)
        size = None if figure is None else _figure_size(figure)
        titles, head = [], []
        for _ in range(2):  # texts wrap to the cells' width; their room then shrinks the cells of a given figure
            if size is not None:
                layout = layout.fit(*size)
            titles = [_wrap(t, layout.cell[0] * 72, measure) if t else [] for t in self.tiles_["title"]]
            head = ([title] if math else _wrap(title, (layout.size[0] - 2 * _MARGIN) * 72, big)) if title else []
            lines = max(len(t) for t in titles)
            layout = replace(layout, title=(lines * measure.size * 1.25 + _TITLE_PAD) / 72 if lines else 0.0,
                             head=(len(head) * big.size * 1.25 + 4) / 72 if head else 0.0)
        return (layout.fit(*size) if size is not None else layout), titles, head

    def _check_colorbar(self, colorbar) -> None:
        if not isinstance(colorbar, (bool, np.bool_)):
            raise bad_type("colorbar", "True or False", colorbar)
        if not colorbar:
            return
        colour = self.tiles_.loc[self.tiles_["channels"] > 1, "index"].tolist()
        if colour:
            listed = ", ".join(map(str, colour[:5])) + (", ..." if len(colour) > 5 else "")
            raise bad_value("colorbar", "False for colour images (a colour bar explains a colormap on grey images)",
                            colorbar, got=f"True with {len(colour)} colour images (images {listed})")
        if self.vmin_ is None:
            raise bad_value("colorbar", "False unless every tile shares one colour scale (norm='shared' or a "
                            "(vmin, vmax) pair)", colorbar, got=f"True with norm={self.norm_!r}",
                            hint="Pass norm='shared' to read all tiles against one colour bar.")

    def _draw_tiles(self, figure, layout: _Geometry, colormap, interpolation, titles) -> None:
        from matplotlib.colors import Normalize

        width, height = _figure_size(figure)
        shared = None if self.vmin_ is None else Normalize(self.vmin_, self.vmax_)
        axes = np.full((layout.nrows, layout.ncols), None, dtype=object)
        dpi = figure.dpi
        table = self.tiles_.assign(row=[i // layout.ncols for i in range(len(self.images))],
                                   col=[i % layout.ncols for i in range(len(self.images))])
        for i, (image, row) in enumerate(zip(self.images, table.itertuples(index=False), strict=True)):
            ax = figure.add_axes(layout.tile(row.row, row.col, width, height))
            ax.set(xticks=[], yticks=[])  # no tick labels kept on a hidden axis (lint would measure them)
            ax.set_axis_off()
            grey = image.ndim == 2
            upscaled = layout.cell[0] * dpi >= image.shape[1] and layout.cell[1] * dpi >= image.shape[0]
            ax.imshow(image, cmap=colormap if grey else None,
                      norm=(shared or Normalize(row.vmin, row.vmax)) if grey else None,
                      interpolation=interpolation or ("nearest" if upscaled else "auto"))
            if titles[i]:
                ax.set_title(titles[i], fontsize=_title_size(), fontweight="normal", loc="center",
                             pad=_TITLE_PAD, parse_math=False)
            attach_data(ax, table.iloc[[i]].reset_index(drop=True), chart=self._chart)
            axes[row.row, row.col] = ax
        self.axes_ = axes

    def _draw_colorbar(self, figure, layout: _Geometry, colormap):
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import Normalize

        width, height = _figure_size(figure)
        cax = figure.add_axes(layout.colorbar(width, height, 1.2 * _title_size() / 72))
        mappable = ScalarMappable(Normalize(self.vmin_, self.vmax_), colormap)
        bar = figure.colorbar(mappable, cax=cax)
        ticks, labels = _colorbar_ticks(self.vmin_, self.vmax_)
        bar.set_ticks(ticks, labels=labels)
        bar.ax.tick_params(labelsize=_title_size())  # the size their room was measured at
        bar.outline.set_visible(False)
        return bar

    def _plotted_data(self):
        return self.tiles_


def _title_size() -> float:
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    return max(8.0, FontProperties(size=mpl.rcParams["xtick.labelsize"]).get_size_in_points())


def _head_size() -> float:
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=mpl.rcParams["figure.titlesize"]).get_size_in_points()


def _colorbar_ticks(vmin: float, vmax: float) -> tuple[list[float], list[str]]:
    """The colour bar's ticks and their labels, fixed here so the room measured for them is the room they take."""
    from matplotlib.ticker import MaxNLocator

    ticks = [float(t) for t in MaxNLocator(6).tick_values(vmin, vmax) if vmin <= t <= vmax] or [vmin]
    return ticks, [f"{t:g}".replace("-", "\N{MINUS SIGN}") for t in ticks]


def _colorbar_room(display: ImageGridDisplay, measure: _Measure) -> float:
    """Inches right of the tiles for the colour bar: a gap, the bar, its ticks and their longest label."""
    _, labels = _colorbar_ticks(display.vmin_, display.vmax_)
    return 0.1 + 0.14 + (4 + 4 + max(measure(label) for label in labels)) / 72 + 0.05


def _check_cmap(cmap):
    from matplotlib.colors import Colormap

    from vizkit.colors import _cmap_for

    return cmap if isinstance(cmap, Colormap) else _cmap_for("cmap", cmap)


def _check_interpolation(interpolation):
    if interpolation is None:
        return None
    from matplotlib.image import interpolations_names

    if not isinstance(interpolation, str) or interpolation not in interpolations_names:
        raise bad_choice("interpolation", interpolation, sorted(interpolations_names), suffix=" or None (automatic)")
    return interpolation


def _check_figure(figure):
    from matplotlib.figure import FigureBase

    if figure is not None and not isinstance(figure, FigureBase):
        raise bad_type("figure", "a Matplotlib Figure or SubFigure, or None (a new figure)", figure)
    return figure


def _figure_size(figure) -> tuple[float, float]:
    """Width and height in inches of a Figure, or of a SubFigure's region."""
    from matplotlib.figure import Figure

    if isinstance(figure, Figure):
        return tuple(float(v) for v in figure.get_size_inches())
    return figure.bbox.width / figure.dpi, figure.bbox.height / figure.dpi


# ----------------------------------------------------------------------------- the one call
def image_grid(images, *, ncols=None, titles=None, title=None, norm="shared", cmap="gray", colorbar=False,
               tile_size=None, interpolation=None, max_images=MAX_IMAGES, figure=None):
    """Draw images or arrays as a grid of tiles: samples, filters, feature maps, reconstructions.

    Parameters
    ----------
    images : list of arrays, or an array
        Each image is H×W (grey: drawn with ``cmap``), H×W×3 or H×W×4
        (colour: uint8 in 0-255 or floats in 0-1), or C×H×W with C 1 or 3
        (channels first, as torch keeps them). A 3-D array is a stack of N
        grey images, a 4-D array a stack of N×H×W×C or N×C×H×W images; one
        2-D array is one tile. Torch tensors (on any device, with grad or
        not), PIL images and anything NumPy converts are accepted; torch is
        never imported. Images of different shapes may share a grid: each is
        drawn whole, as large as its cell allows. NaN, infinite, complex or
        non-numeric values are refused, naming the image.
    ncols : int, optional
        Tiles per row; default a grid near square on the page.
    titles : list or callable, optional
        One title per image (None for none), e.g. the labels, or a function
        of the image's index (``lambda i: f"{y[i]}"``). Titles are shown as
        typed, never parsed as mathtext, wrapped to the tile's width in at
        most two lines.
    title : str, optional
        A title above the whole grid, in room kept for it (the grid has no
        layout engine, so a later ``suptitle`` would cover the top row);
        mathtext when it is valid mathtext, else shown as typed.
    norm : {'shared', 'each'} or (vmin, vmax)
        The colour scale of grey images: one over all of them (``"shared"``,
        so tiles compare), each tile its own minimum to maximum (``"each"``,
        so every tile shows its detail), or fixed limits. Colour images are
        drawn as given when their values are in 0-255 (integers) or 0-1
        (floats); otherwise (a normalised tensor) they are mapped linearly
        from the shared (or their own, with ``"each"``) minimum and maximum
        to 0-1, or from ``(vmin, vmax)``.
    cmap : str or Colormap
        The colormap of grey images (a vizkit palette or ramp, or any
        Matplotlib colormap); default ``"gray"``.
    colorbar : bool
        A colour bar right of the grid, for grey images on one scale (not
        with ``norm="each"`` or colour images: an error says why).
    tile_size : float, optional
        The longer side of a tile in inches; default so the grid is about
        7.2 in wide with tiles between 0.5 and 3.2 in.
    interpolation : str, optional
        Matplotlib's ``imshow`` interpolation; default ``"nearest"`` when a
        tile is shown larger than its pixels (they stay crisp squares),
        ``"auto"`` (antialiased) when smaller.
    max_images : int
        At most this many images (400): thousands of tiles are unreadable and
        slow; the error says how many arrived and how to draw them.
    figure : Figure or SubFigure, optional
        Draw into it (the tiles fill it); default a new figure sized for the
        tiles.

    Returns
    -------
    ImageGridDisplay
        ``.figure_``, ``.axes_`` (2-D array of tile Axes, None past the last
        image), ``.colorbar_``, ``.tiles_`` (one row per tile: ``index``,
        ``title``, ``shape``, ``height``, ``width``, ``channels``, ``vmin``,
        ``vmax``); iterating gives the tiles' Axes, and
        ``vk.plotted_data(ax)`` of a tile is its row with ``row`` and ``col``.

    Examples
    --------
    >>> import vizkit as vk
    >>> digits = vk.load_dataset("digits")
    >>> pixels = digits.filter(like="pixel").to_numpy().reshape(-1, 8, 8)[:12]
    >>> grid = vk.image_grid(pixels, titles=digits["label"][:12], cmap="gray_r")
    >>> grid.axes_.shape, grid.vmin_, grid.vmax_
    ((3, 4), 0.0, 16.0)
    >>> tile = vk.plotted_data(grid.axes_[0, 1]).iloc[0]
    >>> tile["title"], tile["shape"], int(tile["row"]), int(tile["col"])
    ('1', (8, 8), 0, 1)
    >>> import matplotlib.pyplot as plt; plt.close(grid.figure_)
    """
    display = ImageGridDisplay.from_images(images, titles=titles, norm=norm, max_images=max_images)
    return display.plot(ncols=ncols, title=title, cmap=cmap, colorbar=colorbar, tile_size=tile_size,
                        interpolation=interpolation, figure=figure)
