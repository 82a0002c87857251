"""
The live plot: one panel per metric
===================================

``vizkit.torch.LivePlot`` redraws the run while it trains: in Jupyter it
updates one output in place, in a script it rewrites a PNG (``live.png`` in
the run folder) atomically, so an image viewer never shows half a file. The
drawing happens in a separate process that follows the run log, so a refresh
costs the training loop only a flush. What it draws is ``vk.dashboard``: one
panel per logged metric, training and validation overlaid. The learning rate
and momentum never changed in this run, so each is one line of text under the
panels instead of a flat panel (a schedule that changes gets a panel, never
smoothed). This is the last frame of the MLP run, drawn from its log::

    from vizkit.torch import LivePlot, MetricLogger, Run, fit

    with Run("runs/mlp") as run:
        fit(model, train, val_loader=val, optimizer=optimizer, loss_fn=loss_fn, epochs=20,
            callbacks=[MetricLogger(run), LivePlot(every=50)])
"""

import vizkit as vk

vk.set_theme()
run = vk.read_run("../../training_runs/runs/mlp_mnist/seed0")
figure = vk.dashboard(run, smooth=10)
