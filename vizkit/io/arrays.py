"""Arrays saved with a run (``RunWriter.log_array``): ``arrays/<name>-step<step>.npz``, no pickle."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from vizkit._core.errors import bad_value

__all__ = ["read_arrays"]

_FILE = re.compile(r"^(?P<name>.+)-step(?P<step>\d+)\.npz$")


def read_arrays(path, name: str) -> dict[int, dict[str, np.ndarray]]:
    """The arrays a run saved under ``name``, as ``{step: {key: array}}`` in step order.

    Parameters
    ----------
    path : str or Path
        The run folder.
    name : str
        The name given to ``log_array``.

    Raises
    ------
    ValueError
        When the run saved no arrays under ``name`` (the message lists the names it has).

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from vizkit.io import RunWriter, read_arrays
    >>> with RunWriter(tempfile.mkdtemp()) as run:
    ...     _ = run.log_array("conv1", step=10, maps=np.ones((2, 3, 3)))
    ...     found = read_arrays(run.path, "conv1")
    >>> {step: arrays["maps"].shape for step, arrays in found.items()}
    {10: (2, 3, 3)}
    """
    folder = Path(path) / "arrays"
    found: dict[int, dict[str, np.ndarray]] = {}
    names = set()
    for file in sorted(folder.glob("*.npz")) if folder.is_dir() else []:
        match = _FILE.match(file.name)
        if not match:
            continue
        names.add(match["name"])
        if match["name"] == name:
            with np.load(file, allow_pickle=False) as archive:
                found[int(match["step"])] = {key: archive[key] for key in archive.files}
    if not found:
        listed = ", ".join(repr(n) for n in sorted(names)) or "none"
        raise bad_value("name", f"the name of arrays saved in {str(path)!r} (saved: {listed})", name)
    return dict(sorted(found.items()))
