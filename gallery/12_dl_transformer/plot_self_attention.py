"""
Self-attention from Q, K and V, and why a layer has several heads
=================================================================

Self-attention lets every token of a sequence gather information from the
others. Each token's embedding ``x`` is projected three ways: a query
``q = x W_Q`` (what it looks for), a key ``k = x W_K`` (what it offers) and
a value ``v = x W_V`` (what it passes on). The score of query *i* for key *j*
is ``q_i · k_j / √d``; a softmax over each row turns the scores into weights
that sum to 1; the token's output is the weighted sum of the values. Below,
each step on a six-word sentence, then a tiny transformer whose two heads
learned to look at different tokens.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch

import vizkit as vk
from vizkit.io import read_arrays
from vizkit.torch import AttentionMaps

vk.set_theme()
torch.set_num_threads(1)

# %%
# Embeddings, queries, keys and values
# ------------------------------------
# Four numbers per token (random but fixed embeddings) and one attention head
# of ``nn.MultiheadAttention`` with width 4. Its ``in_proj_weight`` holds
# W_Q, W_K and W_V stacked; each matrix maps every token to 4 new numbers.

tokens = ["my", "cat", "sat", "on", "the", "mat"]
torch.manual_seed(3)
x = torch.randn(1, len(tokens), 4).round(decimals=1)
head = torch.nn.MultiheadAttention(embed_dim=4, num_heads=1, bias=False, batch_first=True)
w_q, w_k, w_v = head.in_proj_weight.detach().chunk(3)
q, k, v = (x[0] @ w.T for w in (w_q, w_k, w_v))

dims = [f"d{i}" for i in range(4)]
steps = {"X: the embeddings": x[0], "Q = X W_Q": q, "K = X W_K": k, "V = X W_V": v}
fig, axes = plt.subplots(1, 4, figsize=(9, 2.9), layout="constrained")
for ax, (title, matrix) in zip(axes, steps.items()):
    vk.heatmap(pd.DataFrame(matrix.numpy(), index=tokens, columns=dims), center=0, vmin=-2.5, vmax=2.5,
               annot=True, fmt=".1f", cbar=False, ax=ax)
    ax.set_title(title, loc="left")
for ax in axes[1:]:
    ax.tick_params(labelleft=False)

# %%
# Scores, softmax, weighted sum
# -----------------------------
# Every query against every key: a 6 × 6 table of scores, scaled by √4 = 2 so
# their spread does not grow with the width. The softmax of each row gives the
# attention weights (each row sums to 1; the strongest key of each query is
# outlined), and the output of each token is its row of weights times V: a mix
# of the values of the tokens it attends to. ``vizkit.torch.AttentionMaps``
# captures the same weights from the module itself.

scores = q @ k.T / 2.0
weights = torch.softmax(scores, dim=-1)
output = weights @ v
maps = AttentionMaps(head).capture(x, x, x)
print(f"largest difference from the module's own weights: {abs(maps.weights[''][0, 0] - weights.numpy()).max():.1e}")

fig, axes = plt.subplots(1, 3, figsize=(9.5, 3.3), layout="constrained", width_ratios=[1, 1.3, 0.9])
vk.heatmap(pd.DataFrame(scores.numpy(), index=tokens, columns=tokens), center=0, annot=True, fmt=".1f",
           cbar=False, ax=axes[0])
axes[0].set_title("scores = Q Kᵀ / √4", loc="left")
vk.attention({"softmax": weights[None]}, tokens=tokens, layer=0, head=0, ax=axes[1])
vk.heatmap(pd.DataFrame(output.numpy(), index=tokens, columns=dims), center=0, vmin=-2.5, vmax=2.5, annot=True,
           fmt=".1f", cbar=False, ax=axes[2])
axes[2].set_title("Z = weights · V", loc="left")

# %%
# Two heads, two relations
# ------------------------
# One softmax gives each query one weighted average: a head can look sharply
# at one token, or blur over several. A task that needs two different tokens
# at once is solved by two heads. ``training_runs/attention_heads.py`` trained
# a one-layer causal transformer with two heads to output, at every position,
# (first digit + previous digit) mod 10. ``AttentionMaps`` saved both heads'
# weights on the digits of pi every 25 steps. After the first step (top row)
# both heads spread over the digits they may see (the causal mask hides the
# future, hatched); after 350 steps (bottom row) head 0 looks at the first
# digit and head 1 at the previous one, and the task is solved (validation
# accuracy 100 %). ``heads_`` says the same in numbers: the key each head
# picks most often, the offset from the query, and how sharp it is (entropy).

captures = read_arrays("../../training_runs/runs/attention_heads", "attention_maps")
first, last = min(captures), max(captures)
layer = "encoder.layers.0.self_attn"
rows = {f"step {first}": captures[first][f"weights.{layer}"], f"step {last}": captures[last][f"weights.{layer}"]}
masked = {name: captures[last][f"masked.{layer}"] for name in rows}
pi = list("3141592653")
shown = vk.ml.AttentionDisplay.from_arrays(rows, masked=masked, tokens=pi)
shown.plot()
print(shown.heads_.round(2).to_string(index=False))
