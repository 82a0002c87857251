"""
A fixed window against a recurrent state
========================================

An autoregressive model predicts the next value from a fixed window of the
last k values; an RNN from its state, which can hold anything it has seen.
Here the series is x_t = 0.8 x_{t-8} + 0.6 ε_t (variance 1): the next value
depends on the value 8 steps back, and nothing nearer helps. A linear
autoregressive model over the last 4 values and an ``nn.RNN`` with 32
hidden units both learn to predict every next value
(``training_runs/rnn_memory.py``, same seed, same batches).

``vizkit.torch.lag_sensitivity`` asks autograd for the size of ∂prediction/∂x of the
last prediction with respect to each earlier input, averaged over 512
held-out series, and ``vk.memory_reach`` draws it over how many steps back
the input lies. The window model cannot look past its shaded window: its
line is 0 beyond 4 steps, and inside the window there is nothing to use, so
its test MSE stays at the series' variance, 1.0. The RNN's state reaches
the value 8 steps back and leans on it almost alone; its MSE, 0.38, is near
0.36, the noise no model can predict.
"""

import matplotlib.pyplot as plt
import pandas as pd

import vizkit as vk
from vizkit.ml import MemoryReachDisplay

vk.set_theme()
folder = "../../training_runs/runs/rnn_memory"
reach = pd.read_csv(f"{folder}/memory_reach.csv").query("lag <= 16")
errors = pd.read_csv(f"{folder}/memory_errors.csv").set_index("model")["test_mse"].to_dict()

fig, ax = plt.subplots(figsize=(8, 4.2), dpi=100, layout="constrained")
found = MemoryReachDisplay.from_frame(reach, window=4, depends_on=8, errors=errors).plot(ax=ax)
ax.set_title("x_t = 0.8 x_(t-8) + 0.6 noise: which past values each model's prediction uses",
             loc="left", fontsize="medium")
print("peak lag:", found.peak_lag_, "reach:", found.reach_, "best:", found.best_)
