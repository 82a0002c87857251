"""DL lecture 5, five modern architectures: parameters, depth and mult-adds at 224 x 224, one row per model.

No training: ``vizkit.torch.models.architecture_table`` builds AlexNet, VGG-11/16/19,
GoogLeNet, ResNet-18/34/50 and DenseNet-121 on the meta device, counts their
parameters and weight layers, traces their depth and counts the mult-adds of
one 224 x 224 image with ``torch.utils.flop_counter``; the table goes to
``architectures.csv`` (columns ``model, family, year, parameters,
weight_layers, depth, mult_adds``), which the gallery's architecture page draws
without importing torch.

Run it from the repository root::

    python training_runs/architectures.py                    # a few seconds, writes RUN_DIR
    python training_runs/architectures.py --quick --out /tmp/arch   # AlexNet and ResNet-18 only

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _experiment import command_line, written_whole  # noqa: E402
from vizkit.torch.models import architecture_table  # noqa: E402

RUN_DIR = "training_runs/runs/architectures"
ROOT = Path(__file__).resolve().parents[1]


def main(out=None, *, quick=False, progress=True):
    table = architecture_table(["AlexNet", "ResNet-18"] if quick else None)
    with written_whole(Path(out) if out else ROOT / RUN_DIR) as folder:
        folder.mkdir(parents=True)
        table.to_csv(folder / "architectures.csv", index=False)
    if progress:
        print(table.to_string(index=False))


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="AlexNet and ResNet-18 only")
