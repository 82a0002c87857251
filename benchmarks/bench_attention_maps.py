"""Attention maps during training: the same fit() loop with and without ``AttentionMaps`` at its default interval.

A small transformer (token embedding of 12 symbols, two encoder layers of
width 32 with 4 heads, a mean-pooled linear head) trains for ``EPOCHS``
epochs of ``STEPS`` batches of 32 random sequences of 16 tokens (the label:
whether the first token appears again), once plainly and once with
``AttentionMaps(model, probe=4 sequences)`` at its default interval (every
epoch), which at each capture wraps the two encoder layers, runs the probe
in eval mode without gradients, recomputes the per-head weights, unwraps and
writes one npz. Steps between captures run nothing of it.

Ratio = with / without, the median of per-round ratios (interleaved rounds
after a warm-up, one torch thread, CPU time of the process). Goal: at most 1.05.
"""

from __future__ import annotations

from _capture_overhead import fit_seconds, overhead_row, print_rows

EPOCHS = 2
STEPS = 100
BATCH, LENGTH, SYMBOLS = 32, 16, 12
ROUNDS = 5


def _setup():
    import torch

    generator = torch.Generator().manual_seed(0)
    x = torch.randint(SYMBOLS, (STEPS * BATCH, LENGTH), generator=generator)
    y = (x[:, 1:] == x[:, :1]).any(dim=1).long()
    data = torch.utils.data.TensorDataset(x, y)
    return torch.utils.data.DataLoader(data, batch_size=BATCH), x[:4]


def _model():
    import torch
    from torch import nn

    class Tiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(SYMBOLS, 32)
            self.position = nn.Parameter(torch.randn(LENGTH, 32) * 0.1)
            layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
            self.head = nn.Linear(32, 2)

        def forward(self, tokens):
            return self.head(self.encoder(self.embed(tokens) + self.position).mean(dim=1))

    torch.manual_seed(0)
    return Tiny()


def _train(loader, probe, capture: bool) -> float:
    import torch

    from vizkit.torch import AttentionMaps

    model = _model()
    callbacks = [AttentionMaps(model, probe=probe)] if capture else []
    return fit_seconds(model, loader, torch.optim.Adam(model.parameters(), lr=1e-3), epochs=EPOCHS, callbacks=callbacks)


def run() -> list[dict]:
    loader, probe = _setup()
    return overhead_row("AttentionMaps every epoch (its default)", lambda capture: _train(loader, probe, capture), rounds=ROUNDS)


if __name__ == "__main__":
    print_rows(run())
