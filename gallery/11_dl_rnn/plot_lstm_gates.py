"""
Inside an LSTM: the gates that remember a value
===============================================

An LSTM keeps a cell state ``c`` that it changes only through its gates:
the forget gate ``f`` says how much of the old memory to keep, the input
gate ``i`` how much of the new candidate ``g`` to write, and the output gate
``o`` how much of the memory to show as the hidden state ``h``
(``c_t = f_t * c_{t-1} + i_t * g_t``, ``h_t = o_t * tanh(c_t)``). PyTorch's
``nn.LSTM`` runs all of this in one fused kernel and returns only ``h``;
``vizkit.torch.recurrent_trace`` replays it step by step from the module's
own weights and keeps every gate, and ``vk.gates`` draws them as heatmaps of
units × time under the input.

The network is small enough to read: 4 units that
``training_runs/lstm_gates.py`` trained on the *copy the marked value* task.
Each sequence has 30 steps of a random value in [-1, 1] and a marker flag
that is 1 at one step (between 2 and 9); after the last step the network must
say the value that stood at the marker, so it has to write that value into
its memory when the marker comes and keep it, untouched, through 20 or more
values that it must ignore (held-out error 8e-5, where saying the mean would
give 1/3).
"""

from pathlib import Path

import numpy as np
import torch
from torch import nn

import vizkit as vk
import vizkit.torch as vt

vk.set_theme()
torch.set_num_threads(1)
run = Path("../../training_runs/runs/lstm_gates")


def trained(cls, cell):
    """The run's recurrent layer: ``rnn.*`` of its weights.npz (the linear read-out is not needed here)."""
    layer = cls(input_size=2, hidden_size=4, batch_first=True)
    with np.load(run / cell / "weights.npz") as weights:
        layer.load_state_dict({name[4:]: torch.from_numpy(weights[name]) for name in weights.files
                               if name.startswith("rnn.")})
    return layer


with np.load(run / "probe.npz") as probe:  # four held-out sequences: (value, marker) at each of 30 steps
    x, target = torch.from_numpy(probe["x"]), probe["y"]
marker = int(x[0, :, 1].argmax())  # step 6 in the first sequence; its value is the target, 0.54

# %%
# One sequence, every gate
# ------------------------
# The value line on top, the marker's step outlined in every panel. Read the
# bottom row, unit 3: its **input gate** is shut (0.01 or less) at every step
# but the marker, where it opens fully (0.97) and writes the candidate ``g``
# (a scaled copy of the value, sign flipped: -0.45 for 0.54) into the cell. Its **forget gate** stays near 1
# (0.96 to 0.99) all along, so what was written is kept: the **cell state**
# of unit 3 steps to a new level at the marker and stays flat for the 23 steps
# after it, while the values go on jumping. Its output gate is open, and
# the hidden state carries the memory to the read-out at the last step.
# The other units do other work (unit 2's cell state runs away to -3.7, which
# is why the cell panel's scale is wider than [-1, 1] and unit 3 looks pale
# there; its hidden state, squashed by tanh, shows it plainly).

lstm = trained(nn.LSTM, "lstm")
trace = vt.recurrent_trace(lstm, x)
shown = vk.gates(trace, sequence=0, input=x[0, :, 0], mark=marker)
shown.figure_.suptitle(f"LSTM, 4 units: remember the value at the marker (step {marker})", x=0.01, ha="left")

# %%
# The same task, a GRU
# --------------------
# A GRU has no separate cell: its **update gate** ``z`` mixes the old hidden
# state with a new candidate ``n`` (``h_t = (1 - z_t) * n_t + z_t * h_{t-1}``),
# so ``z`` near 1 keeps and ``z`` near 0 overwrites. The GRU trained from the
# same seed learned the same trick in units 1 and 3: their ``z`` is 0.94 or
# more everywhere but at the marker, where it drops (to 0.04 and 0.26) and the
# new state is let in; their hidden states then stay flat to the end. (The recomputed states
# equal what the modules return to within ``trace.max_error``, about 3e-7 here.)

gru = trained(nn.GRU, "gru")
shown = vk.gates(vt.recurrent_trace(gru, x), sequence=0, input=x[0, :, 0], mark=marker)
shown.figure_.suptitle("GRU, 4 units: the update gate z keeps or overwrites", x=0.01, ha="left")
