"""Samples a generative model drew at chosen epochs: a row per epoch, a column per sample, one grey scale."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.display import Display
from vizkit.charts.images import MAX_IMAGES, ImageGridDisplay
from vizkit.io.arrays import read_arrays

__all__ = ["SamplesOverTrainingDisplay", "samples_over_training"]

_RUN = "a run folder (str or Path) or a run that writes one (vizkit.torch.Run, vizkit.io.RunWriter)"
_SAMPLES = "N samples as an (N, H, W) grey stack, or (N, C, H, W) / (N, H, W, C) with C 1 or 3"
MAX_ROWS = 10  # epochs drawn when none are chosen: this many, evenly spaced, the first and last kept


class _TilesDisplay(ImageGridDisplay):
    _chart = "samples_over_training"


class SamplesOverTrainingDisplay(Display):
    """Samples logged at some epochs, chosen and checked by ``from_run`` / ``from_arrays``; ``plot`` draws the grid.

    Attributes
    ----------
    epochs_ : list of int
        The rows, in training order: the epochs (or, for arrays logged without
        an epoch, the steps) whose samples are drawn.
    over_ : {'epoch', 'step'}
        What the rows are labelled by.
    samples_ : numpy.ndarray
        What is drawn: (rows, n, ...) samples, the first ``n`` of each capture.
    tiles_ : pandas.DataFrame
        One row per tile: ``epoch``, ``step``, ``sample``, ``min``, ``max``.
    grid_ : ImageGridDisplay
        After :meth:`plot`: the image grid drawn (``.axes_``, ``.vmin_``, ``.vmax_``).
    figure_ : Figure or None

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import SamplesOverTrainingDisplay
    >>> rng = np.random.default_rng(0)
    >>> found = SamplesOverTrainingDisplay.from_arrays({e: rng.random((16, 8, 8)) for e in range(0, 30, 2)}, n=4)
    >>> found.epochs_, found.samples_.shape
    ([0, 4, 6, 10, 12, 16, 18, 22, 24, 28], (10, 4, 8, 8))
    """

    _chart = "samples_over_training"
    grid_ = None

    def __init__(self, samples, tiles, epochs, over):
        self.samples_ = samples
        self.tiles_ = tiles
        self.epochs_ = list(epochs)
        self.over_ = over

    @classmethod
    def from_run(cls, run, *, name="samples", key=None, epochs=None, n=8):
        """Read the samples a run saved with ``log_array(name, ...)``; draw nothing."""
        path = _run_folder(run)
        found = read_arrays(path, name)  # an unknown name: the error lists the names the run has
        key = _check_key(key, found, name)
        steps = list(found)
        if all("epoch" in arrays for arrays in found.values()):
            labels, over = [int(found[s]["epoch"]) for s in steps], "epoch"
        else:
            labels, over = steps, "step"
        if len(set(labels)) < len(labels):  # a resumed run logged an epoch twice: its later capture wins
            kept = {label: i for i, label in enumerate(labels)}
            steps, labels = [steps[i] for i in sorted(kept.values())], [labels[i] for i in sorted(kept.values())]
        captures = {label: (step, found[step][key]) for label, step in zip(labels, steps, strict=True)}
        return cls._choose(captures, epochs, n, over, argument=f"{name}/{key}")

    @classmethod
    def from_arrays(cls, arrays, *, epochs=None, n=8):
        """Samples given as ``{epoch: (N, H, W) array}``; draw nothing. See :func:`samples_over_training`."""
        if not isinstance(arrays, dict) or not arrays:
            raise bad_type("arrays", f"a non-empty dict of epoch -> samples ({_SAMPLES})", arrays)
        captures = {}
        for epoch, value in arrays.items():
            if isinstance(epoch, (bool, np.bool_)) or not isinstance(epoch, (int, np.integer)):
                raise bad_type("arrays", "a dict keyed by epoch numbers (int)", arrays, got=f"a key {epoch!r}")
            captures[int(epoch)] = (-1, value)
        return cls._choose(dict(sorted(captures.items())), epochs, n, "epoch", argument="arrays")

    @classmethod
    def _choose(cls, captures, epochs, n, over, *, argument):
        import pandas as pd

        chosen = _check_epochs(epochs, list(captures), over)
        n = check_number("n", n, integer=True, low=1)
        if len(chosen) * n > MAX_IMAGES:
            raise bad_value("n", f"at most {MAX_IMAGES // len(chosen)} samples per row for {len(chosen)} rows "
                            f"(a grid of at most {MAX_IMAGES} tiles)", n)
        rows, table = [], []
        for label in chosen:
            step, value = captures[label]
            stack = _samples(f"{argument}[{over} {label}]", value)
            if n > len(stack):
                raise bad_value("n", f"at most the {len(stack)} samples logged at {over} {label}", n)
            if rows and stack.shape[1:] != rows[0].shape[1:]:
                raise bad_value(argument, f"samples of one shape at every {over}", None,
                                got=f"{stack.shape[1:]} at {over} {label} after {rows[0].shape[1:]}")
            rows.append(stack[:n])
            for i, sample in enumerate(stack[:n]):
                table.append({"epoch": label if over == "epoch" else None, "step": step if over == "epoch" else label,
                              "sample": i, "min": float(sample.min()), "max": float(sample.max())})
        return cls(np.stack(rows), pd.DataFrame(table), chosen, over)

    def plot(self, *, cmap="gray", norm="shared", colorbar=False, tile_size=None, title=None, figure=None):
        """Draw a row per epoch, a column per sample; return ``self`` (see :func:`samples_over_training`)."""
        import pandas as pd

        rows, n = self.samples_.shape[:2]
        titles = [f"{self.over_} {label}" if i == 0 else "" for label in self.epochs_ for i in range(n)]
        grid = _TilesDisplay.from_images(list(self.samples_.reshape(rows * n, *self.samples_.shape[2:])),
                                         titles=titles, norm=norm)
        grid.tiles_ = pd.concat([self.tiles_, grid.tiles_], axis=1)  # a tile's plotted_data: its epoch beside its scale
        grid.plot(ncols=n, title=title, cmap=cmap, colorbar=colorbar, tile_size=tile_size, figure=figure)
        self.grid_, self.figure_ = grid, grid.figure_
        return self


def _run_folder(run) -> Path:
    path = getattr(run, "path", run)  # a Run or RunWriter: its folder
    if not isinstance(path, (str, Path)):
        hint = ("Samples held in memory: SamplesOverTrainingDisplay.from_arrays({epoch: samples}).plot()."
                if isinstance(run, dict) else "")
        raise bad_type("run", _RUN, run, got=f"a {type(run).__name__}", hint=hint)
    if not Path(path).is_dir():
        raise bad_value("run", _RUN, str(path), got=f"{str(path)!r}, which is not a folder")
    return Path(path)


def _check_key(key, found: dict, name: str) -> str:
    keys = [k for k in next(iter(found.values())) if k != "epoch"]
    if key is None and "images" in keys:
        key = "images"
    if key is None:
        if len(keys) != 1:
            raise bad_value("key", f"the array of {name!r} that holds the samples (it saved {keys})", None)
        return keys[0]
    for step, arrays in found.items():
        if key not in arrays:
            listed = [k for k in arrays if k != "epoch"]
            raise bad_value("key", f"an array saved under {name!r} (at step {step}: {listed})", key)
    return key


def _check_epochs(epochs, logged: list[int], over: str) -> list[int]:
    if epochs is None:
        if len(logged) <= MAX_ROWS:
            return logged
        picked = np.unique(np.linspace(0, len(logged) - 1, MAX_ROWS).round().astype(int))
        return [logged[i] for i in picked]
    if isinstance(epochs, (int, np.integer)) and not isinstance(epochs, (bool, np.bool_)):
        epochs = [epochs]
    if not isinstance(epochs, (list, tuple, range, np.ndarray)) or len(epochs) == 0:
        raise bad_type("epochs", f"a list of the {over}s to draw, or None (up to {MAX_ROWS} of them, evenly spaced)", epochs)
    chosen = []
    for value in epochs:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise bad_type("epochs", f"a list of {over} numbers (int)", epochs, got=f"{value!r} among them")
        if int(value) not in logged:
            raise bad_value("epochs", f"{over}s with logged samples ({', '.join(map(str, logged))})", epochs,
                            got=f"{over} {value!r} among them")
        if int(value) in chosen:
            raise bad_value("epochs", f"each {over} once", epochs, got=f"{over} {value} twice")
        chosen.append(int(value))
    return sorted(chosen)


def _samples(argument: str, value) -> np.ndarray:
    """One capture as an (N, ...) stack of images, each as ``image_grid`` reads one."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor, read without importing torch
        value = value.detach().cpu()
    array = np.asarray(value)
    if array.dtype.kind not in "iuf" or array.ndim not in (3, 4) or 0 in array.shape:
        hint = (" Flat samples: reshape them first, e.g. x.reshape(-1, 28, 28)." if array.ndim == 2 else "")
        raise bad_value(argument, _SAMPLES, None, got=f"an array of shape {array.shape} ({array.dtype})", hint=hint)
    return array.astype(np.float32) if array.dtype == np.float16 else array


def samples_over_training(run, *, name="samples", key=None, epochs=None, n=8, cmap="gray", norm="shared",
                          colorbar=False, tile_size=None, title=None, figure=None):
    """Draw the samples a generative model logged over training: a row per epoch, a column per sample.

    Any run that saves its samples with ``run.log_array(name, step=..., epoch=np.int64(epoch), images=x)``
    (:class:`vizkit.torch.Run` or :class:`vizkit.io.RunWriter`) gets this view: generate from one
    fixed noise batch at each chosen epoch, so a column follows one noise vector through training.

    Parameters
    ----------
    run : str, Path, Run or RunWriter
        The run folder (its ``arrays/<name>-step<step>.npz``, read by :func:`vizkit.io.read_arrays`).
    name : str
        The name given to ``log_array`` (default ``"samples"``); an unknown one is refused with the
        names the run saved.
    key : str, optional
        The array in each file that holds the samples; default ``images`` when there is one, else
        the only one besides ``epoch``.
    epochs : list of int, optional
        The epochs to draw, as logged (the ``epoch`` array saved beside the samples; a run whose arrays
        carry none is read by step, and rows are labelled "step N"). Default every logged epoch, or
        10 of them evenly spaced (the first and the last kept) when there are more.
    n : int
        Samples per row: the first ``n`` of each capture (8).
    cmap, norm, colorbar, tile_size, title, figure
        As in :func:`vizkit.image_grid`; ``norm="shared"`` (the default) puts every tile on one grey
        scale, so epochs compare.

    Returns
    -------
    SamplesOverTrainingDisplay
        ``.epochs_``, ``.samples_`` (what is drawn: rows × n samples), ``.tiles_``, ``.grid_`` (the
        :class:`~vizkit.charts.images.ImageGridDisplay`: ``.axes_[row, col]``), ``.figure_``;
        ``vk.plotted_data(ax)`` of a tile gives its epoch, step, sample, min and max.

    Examples
    --------
    >>> import tempfile, numpy as np, vizkit as vk
    >>> from vizkit.io import RunWriter
    >>> digits = vk.load_dataset("digits").filter(like="pixel").to_numpy().reshape(-1, 8, 8) / 16
    >>> with RunWriter(tempfile.mkdtemp()) as run:
    ...     for epoch in range(3):
    ...         _ = run.log_array("samples", step=epoch, epoch=np.int64(epoch), images=digits[:6] * (epoch + 1))
    >>> shown = vk.samples_over_training(run.path, n=6)
    >>> shown.epochs_, shown.grid_.axes_.shape, shown.grid_.axes_[1, 0].get_title()
    ([0, 1, 2], (3, 6), 'epoch 1')
    >>> import matplotlib.pyplot as plt; plt.close(shown.figure_)
    """
    display = SamplesOverTrainingDisplay.from_run(run, name=name, key=key, epochs=epochs, n=n)
    return display.plot(cmap=cmap, norm=norm, colorbar=colorbar, tile_size=tile_size, title=title, figure=figure)
