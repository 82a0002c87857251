"""How much gradient reaches each step of a recurrent network: ‖∂loss/∂h_t‖ over t, one line per model, log scale.

:class:`HiddenGradientsDisplay` draws what ``vizkit.torch.hidden_state_gradients``
measures (or any table of a gradient norm per model and time step): the
lecture's vanishing gradient through time. A plain RNN multiplies the
gradient by its recurrent Jacobian at every step back, so on a log axis its
line falls straight toward t = 0; an LSTM's cell state and a GRU's update
gate can carry it back unchanged. The finding ``reach_`` is, per model,
‖∂loss/∂h_0‖ / ‖∂loss/∂h_last‖; ``vanishing_`` names the models whose first
step gets less than :data:`VANISHING` of the last step's gradient.
Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value
from vizkit._core.display import Display
from vizkit._core.labels import plain
from vizkit._core.validate import tidy

__all__ = ["HiddenGradientsDisplay", "hidden_gradients"]

#: A model whose first step gets less than this share of the last step's gradient norm has a vanishing gradient.
VANISHING = 1e-3


def _check_order(order, levels: list) -> list:
    if order is None:
        return levels
    if not isinstance(order, (list, tuple)) or sorted(map(str, order)) != sorted(map(str, levels)):
        raise bad_value("order", f"a list of the models in `data` ({', '.join(map(repr, levels))})", order)
    return [str(level) for level in order]


class HiddenGradientsDisplay(Display):
    """‖∂loss/∂h_t‖ over the time step t, one line per model, on a log axis.

    Parameters
    ----------
    table : DataFrame
        ``model``, ``step`` and ``grad_norm``, sorted by model (in drawing
        order) and step.
    task : str or None
        What the models were asked to remember; drawn as the title.
    names : dict
        The axis labels of ``step`` and ``grad_norm``.

    Attributes
    ----------
    reach_ : dict
        Per model, ‖∂loss/∂h_first‖ / ‖∂loss/∂h_last‖: the share of the
        gradient that survives back to the first step.
    vanishing_ : list of str
        The models whose ``reach_`` is below :data:`VANISHING`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from vizkit.ml import HiddenGradientsDisplay
    >>> t = np.arange(30)
    >>> data = pd.DataFrame({"model": ["RNN"] * 30 + ["LSTM"] * 30, "step": np.r_[t, t],
    ...                      "grad_norm": np.r_[0.6 ** (29 - t), np.full(30, 0.5)]})
    >>> found = HiddenGradientsDisplay.from_frame(data)
    >>> found.vanishing_, round(found.reach_["LSTM"], 3)
    (['RNN'], 1.0)
    """

    _chart = "hidden_gradients"

    def __init__(self, table, *, task=None, names=None):
        self.table = table
        self.task = task
        self.names = dict(names or {})
        self.reach_ = {}
        for model, rows in table.groupby("model", sort=False):
            norms = rows["grad_norm"].to_numpy(dtype=float)
            self.reach_[str(model)] = float(norms[0] / norms[-1]) if norms[-1] > 0 else float("nan")
        self.vanishing_ = [model for model, share in self.reach_.items() if share < VANISHING]

    @classmethod
    def from_frame(cls, data, *, x="step", y="grad_norm", hue="model", order=None, task=None):
        """Check ``data`` (one row per model and step), keep it in drawing order; draws nothing."""
        table = tidy(data, required=("x", "y", "hue"), x=x, y=y, hue=hue)
        names = table.attrs["names"]
        if table.empty:
            raise bad_value("data", "a table with a gradient norm per model and step", data, got="no rows")
        steps = pd.to_numeric(table["x"], errors="coerce")
        norms = pd.to_numeric(table["y"], errors="coerce")
        if steps.isna().any():
            raise bad_value("x", "a column of time steps (numbers)", x, got=f"values {table['x'].tolist()[:5]}")
        if norms.isna().any() or not np.isfinite(norms).all() or (norms < 0).any():
            raise bad_value("y", "a column of gradient norms (finite numbers >= 0)", y,
                            got=f"values {table['y'].tolist()[:5]}")
        if (norms == 0).any():
            raise bad_value("y", "gradient norms > 0 (the axis is logarithmic; a step the loss never reaches is "
                                 "left out, not given a 0)", y, got=f"{int((norms == 0).sum())} zeros")
        models = table["hue"].astype(str)
        if (pd.DataFrame({"m": models, "s": steps}).duplicated()).any():
            raise bad_value("data", f"one row per model and step (`{hue}`, `{x}`)", data,
                            got="repeated rows: select one stage or run first")
        levels = _check_order(order, list(dict.fromkeys(models)))
        if task is not None and not isinstance(task, str):
            raise bad_type("task", "a sentence saying what the models must remember, or None", task)
        frame = pd.DataFrame({"model": pd.Categorical(models, levels, ordered=True), "step": steps.to_numpy(),
                              "grad_norm": norms.to_numpy(dtype=float)})
        frame = frame.sort_values(["model", "step"], ignore_index=True)
        frame["model"] = frame["model"].astype(str)
        return cls(frame, task=task, names={"x": names.get("x"), "y": names.get("y")})

    def plot(self, ax=None, *, palette=None, legend=True):
        """Draw one line per model on a log y axis; returns ``self`` (``artists_``: ``lines`` by model, ``legend``)."""
        if not isinstance(legend, bool):
            raise bad_type("legend", "True or False", legend)
        return super().plot(ax, palette=palette, legend=legend)

    def _draw(self, ax, *, palette, legend) -> dict:
        from vizkit.colors import hue_colors

        models = list(dict.fromkeys(self.table["model"]))
        colors = hue_colors(models, palette=palette)
        lines = {}
        for model, rows in self.table.groupby("model", sort=False):
            lines[model], = ax.plot(rows["step"], rows["grad_norm"], color=colors[model], linewidth=1.8,
                                    label=plain(model))
        ax.set_yscale("log")
        ax.set_xlabel("time step t (the loss is computed after the last step)")
        ax.set_ylabel(r"$\Vert\partial\,\mathrm{loss}\,/\,\partial h_t\Vert$ (log scale)")
        steps = self.table["step"]
        ax.set_xlim(steps.min(), steps.max())
        if self.task:
            ax.set_title(plain(self.task), loc="left", fontsize="medium")
        artists = {"lines": lines}
        if legend:
            artists["legend"] = ax.legend(loc="best", frameon=False)
        return artists

    def _plotted_data(self):
        return self.table.copy()


def hidden_gradients(data, *, x="step", y="grad_norm", hue="model", order=None, task=None, palette=None,
                     legend=True, ax=None):
    """Draw ‖∂loss/∂h_t‖ over t, one line per model, log scale: does the gradient reach the early steps?

    Parameters
    ----------
    data : DataFrame
        One row per model and time step, e.g. built from
        ``vizkit.torch.hidden_state_gradients`` of each model.
    x, y, hue : str, default "step", "grad_norm", "model"
        The columns of the time step, the gradient norm (> 0) and the model.
    order : list, optional
        The models' drawing (and colour) order.
    task : str, optional
        What the sequence task asks the models to remember, as the title.
    palette : optional
        Colours of the models (a palette name, a list or a dict).
    legend : bool, default True
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` holds ``model, step, grad_norm``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> import vizkit as vk
    >>> t = np.arange(20)
    >>> data = pd.DataFrame({"model": ["RNN"] * 20 + ["GRU"] * 20, "step": np.r_[t, t],
    ...                      "grad_norm": np.r_[0.5 ** (19 - t), 0.9 ** (19 - t)]})
    >>> ax = vk.hidden_gradients(data, task="label = the first input")
    >>> ax.get_yscale(), len(vk.plotted_data(ax))
    ('log', 40)
    """
    display = HiddenGradientsDisplay.from_frame(data, x=x, y=y, hue=hue, order=order, task=task)
    return display.plot(ax=ax, palette=palette, legend=legend).ax_
