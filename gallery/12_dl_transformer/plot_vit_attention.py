"""
Where the class token looks: attention maps and attention rollout
==================================================================

A ViT classifies from one token: the class token, which has no patch of its
own and gathers what it needs by attention. Its row of each attention matrix,
49 weights over the patches (and one on itself), can be laid over the image:
where the class token looked, in each head of each block.

``training_runs/vit_mnist.py`` trained the assignment's ViT (7 × 7 patches of
4 × 4 pixels, 3 blocks of 4 heads, 92.6 % held-out accuracy) and saved, for a
held-out 0, 2, 4 and 7, every block's attention weights per head, captured
by ``vizkit.torch.AttentionMaps`` (the same weights that ``model(x,
return_attention=True)`` returns): ``(blocks, digits, heads, 50, 50)``,
token 0 the class token. This page reads them back without torch.
"""

import matplotlib.pyplot as plt
import numpy as np

import vizkit as vk
from vizkit.ml import attention_rollout

vk.set_theme()

RUN = "../../training_runs/runs/vit_mnist"
probe = vk.io.read_arrays(RUN, "attention").popitem()[1]
weights = probe["weights"].astype(np.float64)  # saved as float16: each row sums to 1 within 1e-3
images = probe["images"].astype(np.float32)

# %%
# Every head of every block
# -------------------------
# ``vk.cls_attention`` draws a row per block: the class token's attention in
# each head, their mean, and the rollout through that block, each patch's
# weight on its 4 × 4 pixels over the held-out 7 (each map scaled to its own
# maximum). In the first block the four heads already look at different
# patches of the stroke: the bar, its left end, the foot of the stem. By the
# last block heads 2 and 4 hold almost all their weight on one patch of the
# stem, while head 1 spreads its weight over the whole image.

vk.cls_attention(images[3], weights, sample=3)

# %%
# Attention rollout: through all the blocks at once
# -------------------------------------------------
# One block's map says little about the whole model, because each block also
# passes its input on through the residual connection, and the tokens a block
# attends to are already mixtures of patches. Attention rollout (Abnar &
# Zuidema, 2020) follows both paths: per block, the mean of the heads plus
# the identity (the residual path), each row renormalised to sum to 1, then
# the blocks multiplied together. ``vizkit.ml.attention_rollout`` computes it
# torch-free; row 0 without its first entry is the class token's share of
# each patch. For all four digits the rollout sits on and beside the
# strokes, on the parts that tell the digit apart (the 7's bar and its
# bend, the 4's open left side), and the blank corners get almost nothing.

rollout = attention_rollout(weights)[:, 0, 1:].reshape(-1, 7, 7)  # (digits, 7, 7)
fig, axes = plt.subplots(1, 4, figsize=(9.6, 2.9), layout="constrained")
for ax, image, heat, label, guess in zip(axes, images, rollout, probe["labels"], probe["predicted"]):
    vk.overlay(image, np.kron(heat, np.ones((4, 4))), alpha=0.6, ax=ax, label="share of the class token")
    ax.set_title(f"a {label}, predicted {guess}")
fig.suptitle("Attention rollout of the class token through the 3 blocks", x=0.01, ha="left")

plt.show()
