"""Weights over epochs, one ridge per saved snapshot, runs side by side on a shared weight axis.

:func:`weight_ridges` reads the weight snapshots that runs saved with
``run.log_array`` (:func:`vizkit.io.read_arrays`), names each snapshot by the
epoch it ended (from the run's records: the last step of each epoch; a
snapshot at step 0 before any epoch ended is ``"start"``) and draws each run as
a :func:`vizkit.ridgeline` of histograms over the same bins, the runs side by
side with one weight axis, so weight decay's pull towards zero reads across.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type, bad_value
from vizkit._core.labels import plain
from vizkit.ml import _runs

__all__ = ["weight_ridges"]

#: The label of a snapshot taken before the first epoch ended.
START = "start"


def weight_ridges(runs, *, name, key=None, by="run", bins=60, overlap=0.8, axes=None):
    """Draw saved weight snapshots as one ridge per epoch, one panel per run, on a shared weight axis.

    Parameters
    ----------
    runs : DataFrame
        A runs frame of :func:`vizkit.read_runs` (its ``attrs["runs"]`` gives
        each run's folder), holding the runs to draw, in the order given.
    name : str
        The name the snapshots were saved under (``run.log_array(name, ...)``).
    key : str, optional
        The array in each snapshot; default its only one.
    by : str, default "run"
        What titles each panel: ``"run"`` or a config column (``"method"``).
    bins : int, default 60
        The number of histogram bins, shared by every ridge of every panel
        (over the range of all the weights drawn).
    overlap : float, default 0.8
        How far the tallest ridge reaches into the ones above it, as in
        :func:`vizkit.ridgeline`.
    axes : sequence of matplotlib.axes.Axes, optional
        One per run; default a new figure with the panels side by side,
        sharing the weight axis.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        One panel per run; ``vizkit.plotted_data(ax)`` is the ridgeline's
        table (``by`` holds the epoch labels), and its ``.attrs["weights"]``
        one row per snapshot: ``run``, ``epoch`` (the label), ``step``, ``n``,
        ``mean``, ``std``, ``abs_mean`` and ``near_zero`` (the share of
        weights within 1e-3 of zero).

    Raises
    ------
    vizkit.errors.VizkitValueError
        A run without a folder in ``runs.attrs["runs"]``, no snapshots under
        ``name`` (the message lists the names saved), ``key`` not in them.

    See Also
    --------
    ridgeline : one distribution per level, stacked.
    vizkit.io.read_arrays : the snapshots of one run.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt, numpy as np, vizkit as vk
    >>> from vizkit.io import RunWriter
    >>> rng = np.random.default_rng(0)
    >>> folder = tempfile.mkdtemp()
    >>> with RunWriter(folder + "/decay", config={"method": "decay"}) as run:
    ...     _ = run.log_array("w", step=0, w=rng.uniform(-1, 1, 500))          # before training
    ...     for epoch in range(2):                                                # 10 steps an epoch
    ...         run.log(step=10 * epoch + 9, epoch=epoch, loss=1.0)
    ...         _ = run.log_array("w", step=10 * epoch + 9, w=rng.uniform(-1, 1, 500) / (epoch + 2))
    >>> axes = vk.weight_ridges(vk.read_runs(folder + "/*"), name="w", by="method")
    >>> vk.plotted_data(axes[0]).attrs["weights"][["epoch", "n"]].values.tolist()
    [['start', 500], ['0', 500], ['1', 500]]
    >>> plt.close(axes[0].figure)
    """
    runs = _runs.check_runs(runs)
    by = _runs.check_group(runs, by)
    names = list(dict.fromkeys(runs["run"]))
    snapshots = {run: _snapshots(runs, run, name, key) for run in names}
    values = np.concatenate([frame["weight"].to_numpy() for frame, _ in snapshots.values()])
    edges = np.histogram_bin_edges(values[np.isfinite(values)], bins=bins)
    axes = _axes(axes, len(names))
    for ax, run in zip(axes, names):
        _draw_one(ax, runs, run, by, snapshots[run], edges, overlap)
    for ax in axes[1:]:
        ax.set_ylabel("")
    return axes


def _snapshots(runs, run, name, key):
    """One run's snapshots as a long frame (``epoch`` label, ``weight``) and one row of numbers per snapshot."""
    import pandas as pd

    from vizkit.io.arrays import read_arrays

    path = runs.attrs.get("runs", {}).get(run, {}).get("path")
    if path is None:
        raise bad_value("runs", "a frame of vizkit.read_runs (its attrs name each run's folder)", "runs",
                        got=f"no folder for run {run!r}")
    found = read_arrays(path, name)
    last_steps = _epoch_ends(runs[runs["run"] == run])
    frames, rows = [], []
    for step, arrays in found.items():
        if key is None and len(arrays) != 1:
            raise bad_value("key", f"one of the arrays saved under {name!r} ({', '.join(map(repr, arrays))})", key)
        chosen = next(iter(arrays)) if key is None else key
        if chosen not in arrays:
            raise bad_value("key", f"one of the arrays saved under {name!r} ({', '.join(map(repr, arrays))})", key)
        weights = np.asarray(arrays[chosen], dtype=float).ravel()
        label = str(last_steps[step]) if step in last_steps else START if step == 0 else f"step {step}"
        frames.append(pd.DataFrame({"epoch": label, "weight": weights}))
        finite = weights[np.isfinite(weights)]
        rows.append({"run": run, "epoch": label, "step": step, "n": len(finite), "mean": finite.mean(),
                     "std": finite.std(), "abs_mean": np.abs(finite).mean(),
                     "near_zero": float(np.mean(np.abs(finite) <= 1e-3))})
    labels = [row["epoch"] for row in rows]
    frame = pd.concat(frames, ignore_index=True)
    frame["epoch"] = pd.Categorical(frame["epoch"], categories=labels, ordered=True)
    return frame, pd.DataFrame(rows)


def _epoch_ends(one):
    """Step -> epoch for the last step of each epoch the run logged."""
    if "epoch" not in one.columns:
        return {}
    ends = one.dropna(subset=["epoch"]).groupby("epoch")["step"].max()
    return {int(step): int(epoch) for epoch, step in ends.items()}


def _axes(axes, n):
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, n, sharex=True, figsize=(3.6 * n + 0.8, 5.0), layout="constrained", squeeze=False)
        return axes[0]
    from matplotlib.axes import Axes

    axes = [axes] if isinstance(axes, Axes) else list(axes) if hasattr(axes, "__iter__") else [axes]
    if len(axes) != n or not all(isinstance(ax, Axes) for ax in axes):
        raise bad_type("axes", f"{n} Matplotlib Axes (one per run)", axes)
    return np.asarray(axes, dtype=object)


def _draw_one(ax, runs, run, by, snapshot, edges, overlap):
    """One run's ridgeline of histograms over ``edges``, titled by its ``by`` value."""
    from vizkit._core.axes import _DATA_ATTR
    from vizkit.charts.distributions.ridgelines import ridgeline

    frame, numbers = snapshot
    ridgeline(frame, x="weight", by="epoch", kind="hist", bins=edges, overlap=overlap, ax=ax)
    title = run if by == "run" else runs.loc[runs["run"] == run, by].iloc[0]
    ax.set_title(plain(str(title)), loc="left", fontsize="medium")
    ax.set_xlabel("Weight")
    ax.set_ylabel("Epoch")
    getattr(ax, _DATA_ATTR)[-1][1].attrs["weights"] = numbers     # beside the ridgeline's own table
