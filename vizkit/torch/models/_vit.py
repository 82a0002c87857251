"""A small Vision Transformer (Dosovitskiy et al., 2021): patches, a class token, learned positions, encoder blocks."""

from __future__ import annotations

import numbers

import torch
from torch import nn

from vizkit._core.errors import bad_type, bad_value
from vizkit.torch.models._checks import check_num_classes, on_meta

__all__ = ["EncoderBlock", "VisionTransformer", "patchify", "vit"]


def patchify(images: torch.Tensor, patch_size: int = 4) -> torch.Tensor:
    """Cut images into non-overlapping square patches, each flattened: the ViT's sequence of "words".

    Patches are numbered in reading order (left to right, then top to
    bottom): patch ``k`` covers rows ``(k // (W/p))·p`` to ``+p`` and columns
    ``(k % (W/p))·p`` to ``+p``. Each patch is flattened channel by channel,
    each channel row by row, so a grey patch is its ``p × p`` pixels read
    like text.

    Parameters
    ----------
    images : torch.Tensor of shape (N, C, H, W)
        H and W multiples of ``patch_size``.
    patch_size : int
        The side ``p`` of a patch in pixels.

    Returns
    -------
    torch.Tensor of shape (N, (H/p)·(W/p), C·p·p)
        A 28 × 28 MNIST digit with ``p = 4`` gives 7 × 7 = 49 patches of 16 pixels.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.models import patchify
    >>> image = torch.arange(16.0).reshape(1, 1, 4, 4)       # one 4 × 4 image, pixels 0 to 15
    >>> patchify(image, 2)                                   # four 2 × 2 patches in reading order
    tensor([[[ 0.,  1.,  4.,  5.],
             [ 2.,  3.,  6.,  7.],
             [ 8.,  9., 12., 13.],
             [10., 11., 14., 15.]]])
    """
    if not isinstance(images, torch.Tensor) or images.ndim != 4:
        raise bad_value("images", "a tensor of shape (N, C, H, W)", images,
                        got=f"shape {tuple(images.shape)}" if isinstance(images, torch.Tensor) else None)
    p = _check_patch_size(patch_size)
    n, c, h, w = images.shape
    if h % p or w % p:
        raise bad_value("patch_size", f"a divisor of the image's height and width ({h} × {w})", patch_size)
    patches = images.unfold(2, p, p).unfold(3, p, p)  # (N, C, H/p, W/p, p, p)
    return patches.permute(0, 2, 3, 1, 4, 5).reshape(n, (h // p) * (w // p), c * p * p)


def _check_patch_size(patch_size) -> int:
    if isinstance(patch_size, bool) or not isinstance(patch_size, numbers.Integral):
        raise bad_type("patch_size", "a patch side in pixels (an int)", patch_size)
    if patch_size < 1:
        raise bad_value("patch_size", "at least 1", patch_size)
    return int(patch_size)


class EncoderBlock(nn.Module):
    """One pre-norm transformer encoder block: ``x + attn(norm1(x))``, then ``x + mlp(norm2(x))``.

    The attention is an ``nn.MultiheadAttention`` (``batch_first=True``), so
    forward hooks and :class:`vizkit.torch.AttentionMaps` find it; the MLP is
    Linear-GELU-Linear, as in the ViT paper.
    """

    def __init__(self, dim: int, heads: int, mlp_dim: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_dim), nn.GELU(), nn.Dropout(dropout), nn.Linear(mlp_dim, dim),
                                 nn.Dropout(dropout))

    def forward(self, x: torch.Tensor, need_weights: bool = False):
        """``(N, T, dim) -> (N, T, dim)``; with ``need_weights`` also the attention weights, ``(N, heads, T, T)``."""
        h = self.norm1(x)
        out, weights = self.attn(h, h, h, need_weights=need_weights, average_attn_weights=False)
        x = x + out
        x = x + self.mlp(self.norm2(x))
        return (x, weights) if need_weights else x


class VisionTransformer(nn.Module):
    """A ViT classifier: patch embedding, class token, learned positional embeddings, ``depth`` encoder blocks.

    See :func:`vit` for the arguments and the parameter count.
    """

    def __init__(self, image_size: int = 28, patch_size: int = 4, in_channels: int = 1, num_classes: int = 10,
                 dim: int = 64, depth: int = 3, heads: int = 4, mlp_dim: int = 128, dropout: float = 0.0) -> None:
        super().__init__()
        self.patch_size = _check_patch_size(patch_size)
        if image_size % self.patch_size:
            raise bad_value("patch_size", f"a divisor of image_size ({image_size})", patch_size)
        if dim % heads:
            raise bad_value("heads", f"a divisor of dim ({dim}): each head gets dim / heads features", heads)
        self.image_size, self.in_channels = image_size, in_channels
        self.grid = image_size // self.patch_size  # patches per side
        self.patch_embed = nn.Linear(in_channels * self.patch_size ** 2, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, self.grid ** 2 + 1, dim))
        self.blocks = nn.ModuleList(EncoderBlock(dim, heads, mlp_dim, dropout) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, check_num_classes(num_classes))
        if not on_meta(self):
            nn.init.trunc_normal_(self.pos_embed, std=0.02)
            nn.init.trunc_normal_(self.cls_token, std=0.02)

    def forward(self, x: torch.Tensor, return_attention: bool = False):
        """Logits ``(N, num_classes)``; with ``return_attention`` also every block's weights.

        ``x`` is ``(N, C, H, W)`` or flat rows ``(N, C·H·W)`` (as
        :func:`vizkit.torch.data.frame_loaders` gives them). The weights are
        a list with one ``(N, heads, T, T)`` tensor per block, ``T`` = patches
        + 1, token 0 the class token; every row sums to 1 (heads not averaged).
        """
        if x.ndim == 2:
            x = x.reshape(len(x), self.in_channels, self.image_size, self.image_size)
        tokens = self.patch_embed(patchify(x, self.patch_size))
        tokens = torch.cat([self.cls_token.expand(len(x), -1, -1), tokens], dim=1) + self.pos_embed
        weights = []
        for block in self.blocks:
            if return_attention:
                tokens, w = block(tokens, need_weights=True)
                weights.append(w)
            else:
                tokens = block(tokens)
        logits = self.head(self.norm(tokens[:, 0]))
        return (logits, weights) if return_attention else logits


def vit(image_size: int = 28, patch_size: int = 4, *, in_channels: int = 1, num_classes: int = 10, dim: int = 64,
        depth: int = 3, heads: int = 4, mlp_dim: int = 128, dropout: float = 0.0) -> VisionTransformer:
    """A small Vision Transformer (Dosovitskiy et al., 2021), sized for MNIST by default.

    The image is cut into ``(image_size / patch_size)²`` patches
    (:func:`patchify`; 7 × 7 = 49 of 4 × 4 pixels by default), each patch
    mapped to ``dim`` features by one linear layer; a learned class token is
    put in front (token 0) and a learned positional embedding added to every
    token; ``depth`` pre-norm encoder blocks (:class:`EncoderBlock`: multi-head
    self-attention with ``heads`` heads, then a GELU MLP of ``mlp_dim``) follow,
    and a LayerNorm and a linear head read the class token.

    Parameters (with ``d = dim``, ``P = in_channels·patch_size²``, ``T`` tokens,
    ``m = mlp_dim``, ``L = depth``, ``K = num_classes``)::

        patch embedding   P·d + d
        class token       d
        positions         T·d
        per block         4·d (two LayerNorms) + 4·d² + 4·d (attention: Q, K, V, output) + 2·d·m + m + d (MLP)
        final norm, head  2·d + d·K + K

    105 546 for the defaults (d = 64, L = 3, m = 128, 50 tokens, 10 classes).

    Parameters
    ----------
    image_size : int
        The side of the (square) input images.
    patch_size : int
        The side of a patch; divides ``image_size``.
    in_channels, num_classes, dim, depth, heads, mlp_dim : int
        Input channels, outputs, token width, blocks, heads per block (divides ``dim``), the MLP's hidden width.
    dropout : float
        In the attention and after each MLP layer.

    Returns
    -------
    VisionTransformer
        ``model(x)`` gives logits; ``model(x, return_attention=True)`` gives
        ``(logits, [one (N, heads, T, T) tensor per block])``.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.models import vit
    >>> model = vit()
    >>> sum(p.numel() for p in model.parameters())
    105546
    >>> logits, weights = model(torch.zeros(2, 1, 28, 28), return_attention=True)
    >>> tuple(logits.shape), len(weights), tuple(weights[0].shape)
    ((2, 10), 3, (2, 4, 50, 50))
    """
    return VisionTransformer(image_size, patch_size, in_channels, num_classes, dim, depth, heads, mlp_dim, dropout)
