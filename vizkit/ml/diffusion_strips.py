"""Diffusion as strips of images: one image noised step by step (forward), or samples denoised from noise (reverse).

:class:`DiffusionStripDisplay` holds the frames and a table of them:
``from_image`` noises one image with a schedule (q(x_t | x_0), one draw of
epsilon for every t, so the strip shows x_0 fading into that noise);
``from_frames`` takes frames someone saved, such as the x_t that
:func:`vizkit.torch.ddpm_sample` keeps on its way from x_T to x_0. Both
draw with :func:`vizkit.image_grid`: a column per step, a row per sample.
:func:`diffusion_forward` and :func:`diffusion_reverse` are the one calls.
Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.display import Display
from vizkit.charts.images import ImageGridDisplay

__all__ = ["DiffusionStripDisplay", "diffusion_forward", "diffusion_reverse"]

_TITLES = {"forward": r"Forward: $x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1 - \bar\alpha_t}\,\epsilon$, one $\epsilon$ for every $t$",
           "reverse": r"Reverse: from $x_T \sim \mathcal{N}(0, I)$ to $x_0$, denoised step by step"}


class _StripGrid(ImageGridDisplay):
    _chart = "diffusion_strip"


def _array(argument: str, value) -> np.ndarray:
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor, read without importing torch
        value = value.detach().cpu()
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise bad_type(argument, "an array of numbers", value) from None
    if not np.isfinite(array).all():
        raise bad_value(argument, "finite numbers", value, got="NaN or infinite values")
    return array


def _steps(t, count: int | None, T: int | None) -> list[int]:  # noqa: N803
    try:
        steps = [int(s) for s in t]
    except (TypeError, ValueError):
        raise bad_type("t", "a list of int steps", t) from None
    if any(s != v for s, v in zip(steps, t, strict=True)) or not steps:
        raise bad_type("t", "a non-empty list of int steps", t)
    if count is not None and len(steps) != count:
        raise bad_value("t", f"one step per frame ({count})", t, got=f"{len(steps)} steps")
    if min(steps) < 0 or (T is not None and max(steps) > T):
        raise bad_value("t", "steps from 0" + (f" to T={T}" if T is not None else ""), t)
    return steps


class DiffusionStripDisplay(Display):
    """Frames of a diffusion process, a column per step t and a row per sample.

    Parameters
    ----------
    frames : ndarray
        (steps, samples, H, W): what is drawn.
    table : DataFrame
        One row per frame: ``sample``, ``t``, ``alpha_bar`` (NaN when no
        schedule was given), ``mean``, ``std``, ``min``, ``max`` and, forward,
        ``corr`` (the correlation of x_t with x_0).
    direction : {'forward', 'reverse'}

    Attributes
    ----------
    t_ : list of int
        The steps, in drawing order (left to right).
    direction_ : str

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import DiffusionStripDisplay, noise_schedule
    >>> image = np.tile(np.linspace(-1, 1, 32), (32, 1))
    >>> found = DiffusionStripDisplay.from_image(image, noise_schedule(), t=[0, 100, 1000])
    >>> found.table["corr"].abs().round(1).tolist()
    [1.0, 0.9, 0.0]
    """

    _chart = "diffusion_strip"
    grid_ = None

    def __init__(self, frames, table, direction):
        self.frames = frames
        self.table = table
        self.direction_ = direction
        self.t_ = [int(t) for t in table.loc[table["sample"] == 0, "t"]]

    @classmethod
    def from_image(cls, image, schedule, *, t=None, seed=0):
        """Noise ``image`` (H×W) to each step of ``t`` with one draw of epsilon; draw nothing."""
        if not (hasattr(schedule, "forward") and hasattr(schedule, "alpha_bar_at")):
            raise bad_type("schedule", "a vizkit.ml.NoiseSchedule (vizkit.ml.noise_schedule(...))", schedule)
        x0 = _array("image", image)
        if x0.ndim != 2 or min(x0.shape) < 1:
            raise bad_value("image", "one grey image, H×W", image, got=f"an array of shape {x0.shape}")
        T = schedule.T  # noqa: N806
        steps = _steps([0, T // 20, T // 10, T // 4, T // 2, 3 * T // 4, T] if t is None else t, None, T)
        seed = check_number("seed", seed, integer=True, low=0)
        frames = schedule.forward(x0, steps, seed=seed)[:, None]
        table = _table(frames, steps, schedule)
        table["corr"] = [_corr(frame[0], x0) for frame in frames]
        return cls(frames, table, "forward")

    @classmethod
    def from_frames(cls, frames, *, t, schedule=None):
        """Frames saved along the reverse process: (steps, H, W) or (steps, samples, H, W), with their steps ``t``."""
        array = _array("frames", frames)
        if array.ndim == 5 and array.shape[2] == 1:  # (steps, samples, 1, H, W) as torch keeps images
            array = array[:, :, 0]
        if array.ndim == 3:
            array = array[:, None]
        if array.ndim != 4 or 0 in array.shape:
            raise bad_value("frames", "frames of shape (steps, H, W) or (steps, samples, H, W)", frames,
                            got=f"an array of shape {array.shape}")
        steps = _steps(t, array.shape[0], getattr(schedule, "T", None))
        return cls(array, _table(array, steps, schedule), "reverse")

    def plot(self, *, samples=None, norm=(-1, 1), cmap="gray", title=True, tile_size=None, figure=None):
        """Draw a column per step and a row per sample (``samples``: which rows, default all); return ``self``."""
        rows = _check_samples(samples, self.frames.shape[1])
        if not isinstance(title, (bool, str)):
            raise bad_type("title", "True (the process's own), False or a str", title)
        images, titles, picked = [], [], []
        for row, sample in enumerate(rows):
            for k, step in enumerate(self.t_):
                images.append(self.frames[k, sample])
                picked.append(self.table.index[(self.table["sample"] == sample) & (self.table["t"] == step)][0])
                titles.append(_tile_title(self.table.loc[picked[-1]]) if row == 0 else "")
        grid = _StripGrid.from_images(images, titles=titles, norm=norm)
        grid.tiles_ = pd.concat([self.table.loc[picked].reset_index(drop=True), grid.tiles_], axis=1)
        heading = _TITLES[self.direction_] if title is True else (title or None)
        grid.plot(ncols=len(self.t_), title=heading, cmap=cmap, tile_size=tile_size, figure=figure)
        self.grid_, self.figure_ = grid, grid.figure_
        self.artists_ = grid.artists_
        return self

    def _plotted_data(self):
        return self.table


def _table(frames: np.ndarray, steps: list[int], schedule) -> pd.DataFrame:
    bar = schedule.alpha_bar_at(steps) if schedule is not None else np.full(len(steps), np.nan)
    rows = [{"sample": n, "t": step, "alpha_bar": float(bar[k]), "mean": float(frames[k, n].mean()),
             "std": float(frames[k, n].std()), "min": float(frames[k, n].min()), "max": float(frames[k, n].max())}
            for n in range(frames.shape[1]) for k, step in enumerate(steps)]
    return pd.DataFrame(rows)


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def _tile_title(row) -> str:
    if np.isnan(row["alpha_bar"]):
        return f"t = {int(row['t'])}"
    return f"t = {int(row['t'])}\nᾱ = {row['alpha_bar']:.2g}"


def _check_samples(samples, count: int) -> list[int]:
    if samples is None:
        return list(range(count))
    if isinstance(samples, (int, np.integer)):
        samples = [samples]
    if not isinstance(samples, (list, tuple, range)) or not samples:
        raise bad_type("samples", "an int or a list of ints (rows of the frames)", samples)
    for sample in samples:
        if not isinstance(sample, (int, np.integer)) or not 0 <= sample < count:
            raise bad_value("samples", f"indices from 0 to {count - 1}", samples)
    return [int(s) for s in samples]


def diffusion_forward(image, schedule=None, *, t=None, seed=0, norm=(-1, 1), cmap="gray", title=True, tile_size=None,
                      figure=None):
    """Draw one image noised by a diffusion schedule's forward process, a tile per chosen step t.

    Every tile is x_t = sqrt(alpha-bar_t) x_0 + sqrt(1 - alpha-bar_t) epsilon
    with the same epsilon, so the strip shows the image fading into one
    noise; each tile's title gives t and alpha-bar_t.

    Parameters
    ----------
    image : array
        x_0: one grey image, H×W, in the range the model sees (DDPM: -1 to 1).
    schedule : NoiseSchedule, optional
        From :func:`vizkit.ml.noise_schedule`; default DDPM's linear schedule.
    t : list of int, optional
        The steps to draw, 0 (x_0) to T; default 0, T/20, T/10, T/4, T/2, 3T/4, T.
    seed : int
        The seed of epsilon.
    norm : (vmin, vmax), 'shared' or 'each'
        The colour scale (:func:`vizkit.image_grid`); default -1 to 1, x_0's
        range, so the noise clips as it does when such a sample is shown.
    cmap : str or Colormap
        ``"gray"``; ``"gray_r"`` for dark digits on white.
    title : bool or str
        True: the formula above the strip; a str of your own; False: none.
    tile_size : float, optional
    figure : Figure or SubFigure, optional

    Returns
    -------
    DiffusionStripDisplay
        ``table`` (per step: alpha-bar, std, correlation with x_0), ``t_``,
        ``grid_`` (the ImageGridDisplay) and ``figure_``; ``vk.plotted_data``
        of a tile gives its row.

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> from vizkit.ml import noise_schedule
    >>> image = np.tile(np.linspace(-1, 1, 8), (8, 1))
    >>> strip = vk.diffusion_forward(image, noise_schedule(), t=[0, 250, 1000])
    >>> [t.get_text() for t in strip.artists_["titles"]]
    ['t = 0\\nᾱ = 1', 't = 250\\nᾱ = 0.52', 't = 1000\\nᾱ = 4e-05']
    >>> import matplotlib.pyplot as plt; plt.close(strip.figure_)
    """
    if schedule is None:
        from vizkit.ml.diffusion_noise import noise_schedule

        schedule = noise_schedule("linear")
    display = DiffusionStripDisplay.from_image(image, schedule, t=t, seed=seed)
    return display.plot(norm=norm, cmap=cmap, title=title, tile_size=tile_size, figure=figure)


def diffusion_reverse(frames, *, t, schedule=None, samples=None, norm=(-1, 1), cmap="gray", title=True,
                      tile_size=None, figure=None):
    """Draw the reverse process: samples from pure noise x_T to x_0, a column per kept step t.

    Parameters
    ----------
    frames : array or tensor
        (steps, H, W), (steps, samples, H, W) or (steps, samples, 1, H, W):
        x_t at the kept steps, such as ``ddpm_sample(...).frames`` reshaped
        to images.
    t : list of int
        The step of each frame (``ddpm_sample(...).t``: T first, 0 last).
    schedule : NoiseSchedule, optional
        Adds alpha-bar_t to the titles and the table.
    samples : int or list of int, optional
        Which samples (rows) to draw; default all.
    norm, cmap, title, tile_size, figure
        As in :func:`diffusion_forward`.

    Returns
    -------
    DiffusionStripDisplay

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> frames = np.stack([np.full((2, 8, 8), value) for value in (0.9, 0.5, 0.1)])  # 3 steps of 2 samples
    >>> strip = vk.diffusion_reverse(frames, t=[1000, 500, 0])
    >>> strip.grid_.axes_.shape, strip.table.query("sample == 1")["mean"].round(2).tolist()
    ((2, 3), [0.9, 0.5, 0.1])
    >>> import matplotlib.pyplot as plt; plt.close(strip.figure_)
    """
    display = DiffusionStripDisplay.from_frames(frames, t=t, schedule=schedule)
    return display.plot(samples=samples, norm=norm, cmap=cmap, title=title, tile_size=tile_size, figure=figure)
