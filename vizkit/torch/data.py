"""Data for the lectures: a reader of IDX files (the MNIST format) and loaders from a tidy frame."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from vizkit._core.errors import bad_type, bad_value, missing_column, missing_dependency
from vizkit._core.validate import check_number

__all__ = ["frame_loaders", "read_idx"]

# The IDX type codes (third byte of the magic number) and their big-endian dtypes.
IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_GZIP_MAGIC = b"\x1f\x8b"


def _idx_error(path, problem: str):
    return bad_value("path", "an IDX file (the MNIST format)", path, got=f"{str(path)!r}, {problem}")


def read_idx(path) -> np.ndarray:
    """Read an IDX file (the format of the MNIST files), gzip-compressed or not.

    An IDX file starts with a magic number: two zero bytes, a type code
    (``0x08`` unsigned byte, ``0x09`` signed byte, ``0x0B`` int16, ``0x0C``
    int32, ``0x0D`` float32, ``0x0E`` float64) and the number of dimensions;
    then each dimension as a big-endian 32-bit int; then the values,
    big-endian, in C order. A file that starts with the gzip magic bytes is
    decompressed first, whatever its name.

    Parameters
    ----------
    path : str or Path
        E.g. ``train-images-idx3-ubyte.gz``.

    Returns
    -------
    numpy.ndarray
        Native byte order, writable; ``(60000, 28, 28)`` ``uint8`` for the
        MNIST training images, ``(60000,)`` for their labels.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    VizkitValueError
        For a file that is not IDX, is truncated, has bytes after the data
        or is a broken gzip stream; the message names the file and what is wrong.

    Examples
    --------
    >>> import gzip, os, tempfile
    >>> import numpy as np
    >>> from vizkit.torch.data import read_idx
    >>> path = os.path.join(tempfile.mkdtemp(), "labels-idx1-ubyte.gz")
    >>> with gzip.open(path, "wb") as handle:   # magic: 0, 0, type 0x08, 1 dimension; 3 labels
    ...     _ = handle.write(bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big") + bytes([7, 2, 1]))
    >>> read_idx(path)
    array([7, 2, 1], dtype=uint8)
    """
    if not isinstance(path, (str, os.PathLike)):
        raise bad_type("path", "a file path (str or Path)", path)
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == _GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise _idx_error(path, f"a broken gzip stream ({error})") from None
    if len(raw) < 4:
        raise _idx_error(path, f"only {len(raw)} bytes long; an IDX header has at least 4")
    zero, code, ndim = raw[:2], raw[2], raw[3]
    if zero != b"\x00\x00" or code not in IDX_DTYPES:
        raise _idx_error(path, f"whose magic number is 0x{raw[:4].hex()}; IDX files start with 0x0000, "
                               f"a type code ({', '.join(f'0x{c:02x}' for c in IDX_DTYPES)}) and the number of dimensions")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise _idx_error(path, f"truncated in its header: {ndim} dimensions need {header} bytes, the file has {len(raw)}")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(IDX_DTYPES[code])
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(raw) - header
    if found < expected:
        raise _idx_error(path, f"truncated: shape {shape} of {dtype.newbyteorder('=').name} needs {expected} bytes "
                               f"of data, the file has {found}")
    if found > expected:
        raise _idx_error(path, f"with {found - expected} bytes after the data of shape {shape}")
    values = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return values.astype(dtype.newbyteorder("="), copy=True)


def frame_loaders(frame, *, label="label", val_size=0.2, batch_size=128, scale=None, seed=0):
    """Split a frame of pixel columns and a label into train and validation DataLoaders.

    Made for ``vizkit.load_dataset("mnist")`` and ``load_dataset("digits")``:
    every column but ``label`` is an input feature. The split is stratified
    by label (scikit-learn's ``train_test_split``) and seeded by ``seed``, so
    runs that differ only in their model seed see the same validation rows.
    The training loader reshuffles every epoch with torch's global generator:
    ``torch.manual_seed`` makes the batches reproducible.

    Parameters
    ----------
    frame : pandas.DataFrame
    label : str
        The target column (integer classes).
    val_size : float or int
        Share (``0 < val_size < 1``) or number of rows held out for validation.
    batch_size : int
        Training batch size (validation uses batches of up to 1024 rows).
    scale : float, optional
        Inputs are divided by it; default: the largest pixel value, so
        inputs lie in [0, 1] (255 for MNIST, 16 for digits).
    seed : int
        Seed of the split.

    Returns
    -------
    (DataLoader, DataLoader)
        Batches of ``(float32 inputs of shape (batch, n_features), int64 labels)``.

    Examples
    --------
    >>> import vizkit as vk
    >>> from vizkit.torch.data import frame_loaders
    >>> train, val = frame_loaders(vk.load_dataset("digits"), val_size=0.25, batch_size=64)
    >>> len(train.dataset), len(val.dataset)
    (1347, 450)
    >>> inputs, labels = next(iter(train))
    >>> tuple(inputs.shape), inputs.dtype, float(inputs.max()) <= 1.0
    ((64, 64), torch.float32, True)
    """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    try:
        from sklearn.model_selection import train_test_split
    except ImportError:
        raise missing_dependency("frame_loaders()", "scikit-learn", "data") from None
    if label not in frame.columns:
        raise missing_column("label", label, frame.columns)
    batch_size = check_number("batch_size", batch_size, integer=True, low=1)
    features = frame.drop(columns=label).to_numpy(dtype=np.float32, copy=True)
    targets = frame[label].to_numpy(dtype=np.int64)
    scale = float(features.max()) if scale is None else check_number("scale", scale, low=0, low_open=True)
    features /= scale or 1.0
    x_train, x_val, y_train, y_val = train_test_split(features, targets, test_size=val_size,
                                                      stratify=targets, random_state=seed)
    train = DataLoader(TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train)),
                       batch_size=batch_size, shuffle=True)
    val = DataLoader(TensorDataset(torch.from_numpy(x_val), torch.from_numpy(y_val)), batch_size=1024)
    return train, val
