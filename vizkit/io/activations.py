"""Feature maps a run saved (``vizkit.torch.FeatureMaps``), read back without torch: ``read_feature_maps``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vizkit._core.errors import bad_value
from vizkit.io.arrays import read_arrays

__all__ = ["ARRAY_NAME", "FeatureMapRecord", "read_feature_maps"]

#: The ``log_array`` name of the captures: ``arrays/feature_maps-step<step>.npz``.
ARRAY_NAME = "feature_maps"
#: In each file: ``epoch`` (0-d), and one array per layer, ``maps.<layer>`` of shape (N, C, H, W).
PREFIX = "maps."


@dataclass
class FeatureMapRecord:
    """The feature maps of a probe batch, captured at some steps of a run.

    Attributes
    ----------
    maps : dict of str -> numpy.ndarray
        Per layer (in the order they were captured), an array of shape
        (captures, N, C, H, W): N probe images, C channels (every
        ``channel_stride``-th channel of the layer when strided).
    steps, epochs : numpy.ndarray
        The step and the epoch of each capture.
    """

    maps: dict = field(default_factory=dict)
    steps: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    epochs: np.ndarray = field(default_factory=lambda: np.zeros(0, int))

    @property
    def layers(self) -> list[str]:
        return list(self.maps)


def read_feature_maps(path) -> FeatureMapRecord:
    """The feature maps ``vizkit.torch.FeatureMaps`` saved in a run folder, as a :class:`FeatureMapRecord`.

    The files are plain ``.npz`` archives read with ``allow_pickle=False``.

    Parameters
    ----------
    path : str or Path
        The run folder (it holds ``arrays/feature_maps-step<step>.npz``).

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from vizkit.io import RunWriter, read_feature_maps
    >>> with RunWriter(tempfile.mkdtemp()) as run:
    ...     for epoch in range(2):
    ...         _ = run.log_array("feature_maps", step=10 * epoch, epoch=np.int64(epoch),
    ...                           **{"maps.conv1": np.ones((4, 6, 5, 5), np.float16)})
    >>> record = read_feature_maps(run.path)
    >>> record.layers, record.maps["conv1"].shape, record.epochs.tolist()
    (['conv1'], (2, 4, 6, 5, 5), [0, 1])
    """
    found = read_arrays(path, ARRAY_NAME)
    steps, epochs, maps = [], [], {}
    for step, arrays in found.items():
        layers = [key[len(PREFIX):] for key in arrays if key.startswith(PREFIX)]
        if maps and set(layers) != set(maps):
            raise bad_value("path", "captures of the same layers at every step", str(path),
                            got=f"layers {sorted(layers)} at step {step} after {sorted(maps)}")
        steps.append(step)
        epochs.append(int(arrays["epoch"]) if "epoch" in arrays else -1)
        for layer in layers:
            maps.setdefault(layer, []).append(arrays[PREFIX + layer])
    return FeatureMapRecord({layer: np.stack(arrays) for layer, arrays in maps.items()},
                            np.asarray(steps), np.asarray(epochs))
