"""Training curves of groups of runs, one panel per group on shared axes: :func:`curves` inside :func:`facet`."""

from __future__ import annotations

from vizkit._core import bad_type, bad_value
from vizkit.ml import _runs

__all__ = ["curve_grid"]


def curve_grid(runs, *, col, order=None, metric="loss", x="epoch", band="sd", col_wrap=None, sharey=True,
               height=2.6, aspect=1.3, titles="{value}", **curves_kws):
    """Draw one metric's training and validation curves, one panel per group of runs, on shared axes.

    Each panel is :func:`vizkit.curves` of the group's runs (splits by
    colour, the group's runs averaged with a band across them, e.g. seeds);
    :func:`vizkit.facet` lays the panels out, shares the axes and gathers
    one legend, so panels compare at a glance.

    Parameters
    ----------
    runs : DataFrame
        A runs frame (:func:`vizkit.read_runs`).
    col : str
        The config column whose levels get a panel each (``"method"``).
    order : list, optional
        The panels' order (every level once); default the column's level
        order (a Categorical's categories, numbers sorted, else as they come).
    metric, x, band
        As in :func:`vizkit.curves`; ``band="sd"`` shades mean ± one standard
        deviation across the group's runs, None draws every run.
    col_wrap : int, optional
        Panels per row; default as :func:`vizkit.facet` chooses.
    sharey : bool, default True
        Share the y axis (the x axis is always shared).
    height, aspect : float
        Size of each panel in inches, and its width / height.
    titles : str
        Panel titles, as in :func:`vizkit.facet` (default the level alone).
    **curves_kws
        Passed to :func:`vizkit.curves` (``smooth=``, ``palette=``, ...).

    Returns
    -------
    FacetGrid
        ``.figure``, ``.axes``, ``.axes_dict`` (level -> Axes);
        ``vizkit.plotted_data(ax)`` of each panel is what :func:`vizkit.curves`
        drew there.

    Raises
    ------
    vizkit.errors.ColumnNotFoundError
        ``col`` is not a column of ``runs``.
    vizkit.errors.VizkitValueError
        ``order`` does not list each level once; what :func:`vizkit.curves`
        refuses (an unknown metric, ...).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> import vizkit as vk
    >>> runs = pd.DataFrame({"run": ["a", "a", "b", "b", "c", "c", "d", "d"], "method": ["none"] * 4 + ["dropout"] * 4,
    ...                      "step": 0, "epoch": 0, "split": ["train", "val"] * 4, "metric": "loss",
    ...                      "value": [0.2, 0.5, 0.25, 0.55, 0.4, 0.45, 0.38, 0.44]})
    >>> grid = vk.curve_grid(runs, col="method", order=["none", "dropout"])
    >>> [ax.get_title() for ax in grid.axes.flat]
    ['none', 'dropout']
    >>> plt.close(grid.figure)
    """
    import pandas as pd

    from vizkit.charts.facets import facet
    from vizkit.ml.learning_curves import curves

    runs = _runs.check_runs(runs)
    col = _runs.check_group(runs, col, argument="col")
    present = list(pd.unique(runs[col]))
    if order is None:
        levels, _ = _runs.config_levels(runs.drop_duplicates("run")[col])
        order = [level for level in levels if level in present]
    elif isinstance(order, str) or not hasattr(order, "__iter__"):
        raise bad_type("order", f"a list of the {col!r} levels", order)
    order = list(order)
    if sorted(map(str, order)) != sorted(map(str, present)) or len(set(order)) != len(order):
        raise bad_value("order", f"each level of {col!r} once ({', '.join(map(repr, present))})", order)
    runs = runs.assign(**{col: pd.Categorical(runs[col], categories=order, ordered=True)})

    def panel(data=None, ax=None, **kws):
        return curves(data, ax=ax, **kws)

    return facet(runs, chart=panel, col=col, col_wrap=col_wrap, sharex=True, sharey=sharey, titles=titles,
                 height=height, aspect=aspect, metric=metric, x=x, band=band, **curves_kws)
