"""read_idx reads IDX files (the MNIST format) the tests write; frame_loaders splits a dataset frame."""

import gzip
import re

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import vizkit as vk
from vizkit.errors import ColumnNotFoundError, VizkitTypeError, VizkitValueError
from vizkit.torch.data import frame_loaders, read_idx

CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D, np.float64: 0x0E}


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of ``array``, written out by hand from the format's description."""
    header = bytes([0, 0, CODES[array.dtype.type], array.ndim])
    header += b"".join(size.to_bytes(4, "big") for size in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.mark.parametrize("dtype", list(CODES))
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 28, 28), (2, 1, 3, 2)])
def test_every_type_and_rank_round_trips(tmp_path, rng, dtype, shape):
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        array = rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)
    else:
        array = rng.normal(scale=1e3, size=shape).astype(dtype)
    path = tmp_path / "data-idx"
    path.write_bytes(idx_bytes(array))
    read = read_idx(path)
    assert read.dtype == dtype and read.dtype.isnative and read.shape == shape
    np.testing.assert_array_equal(read, array)
    read[(0,) * len(shape)] = 0                                   # writable, detached from the file bytes


def test_gzip_files_are_read_whatever_their_name(tmp_path):
    labels = np.array([5, 0, 4, 1, 9], dtype=np.uint8)
    gz = tmp_path / "t10k-labels-idx1-ubyte.gz"
    gz.write_bytes(gzip.compress(idx_bytes(labels)))
    renamed = tmp_path / "labels.idx"
    renamed.write_bytes(gz.read_bytes())
    for path in (gz, renamed, str(gz)):
        np.testing.assert_array_equal(read_idx(path), labels)


def test_an_mnist_shaped_image_file(tmp_path):
    images = np.zeros((3, 28, 28), dtype=np.uint8)
    images[:, 10:18, 12:16] = 255
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(idx_bytes(images)))
    read = read_idx(path)
    assert read.shape == (3, 28, 28) and read.dtype == np.uint8 and read.sum() == images.sum()
    assert bytes(path.read_bytes()[:2]) == b"\x1f\x8b"


def write(tmp_path, data: bytes, name="broken-idx"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_truncated_file_names_the_path_and_the_missing_bytes(tmp_path):
    data = idx_bytes(np.arange(12, dtype=np.int32).reshape(3, 4))
    path = write(tmp_path, data[:-5])
    with pytest.raises(VizkitValueError, match=rf"`path` must be an IDX file \(the MNIST format\); got '{re.escape(str(path))}', "
                                               r"truncated: shape \(3, 4\) of int32 needs 48 bytes of data, the file has 43"):
        read_idx(path)


def test_a_truncated_header(tmp_path):
    path = write(tmp_path, bytes([0, 0, 0x08, 3]) + (60000).to_bytes(4, "big"))
    with pytest.raises(VizkitValueError, match=r"truncated in its header: 3 dimensions need 16 bytes, the file has 8"):
        read_idx(path)
    with pytest.raises(VizkitValueError, match=r"only 2 bytes long"):
        read_idx(write(tmp_path, b"\x00\x00", "tiny"))


def test_a_file_that_is_not_idx(tmp_path):
    path = write(tmp_path, b"P5\n28 28\n255\n" + bytes(784), "digit.pgm")
    with pytest.raises(VizkitValueError, match=rf"got '{re.escape(str(path))}', whose magic number is 0x50350a32; IDX files start with 0x0000"):
        read_idx(path)
    with pytest.raises(VizkitValueError, match=r"magic number is 0x00000701"):  # an unknown type code
        read_idx(write(tmp_path, bytes([0, 0, 0x07, 1, 0, 0, 0, 0]), "unknown-type"))


def test_bytes_after_the_data(tmp_path):
    path = write(tmp_path, idx_bytes(np.arange(4, dtype=np.uint8)) + b"\x00\x00")
    with pytest.raises(VizkitValueError, match=r"with 2 bytes after the data of shape \(4,\)"):
        read_idx(path)


def test_a_broken_gzip_stream(tmp_path):
    compressed = gzip.compress(idx_bytes(np.arange(1000, dtype=np.int16)))
    path = write(tmp_path, compressed[: len(compressed) // 2], "cut.gz")
    with pytest.raises(VizkitValueError, match=rf"got '{re.escape(str(path))}', a broken gzip stream"):
        read_idx(path)


def test_missing_file_and_bad_argument(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "absent-idx1-ubyte")
    with pytest.raises(VizkitTypeError, match=r"`path` must be a file path \(str or Path\); got 3 \(int\)"):
        read_idx(3)


def test_frame_loaders_split_by_label_and_scale_to_one():
    mnist = vk.load_dataset("mnist")
    train, val = frame_loaders(mnist, val_size=0.2, batch_size=100, seed=0)
    assert len(train.dataset) == 4000 and len(val.dataset) == 1000
    val_labels = val.dataset.tensors[1]
    assert torch.bincount(val_labels).tolist() == [100] * 10          # stratified
    inputs, labels = next(iter(train))
    assert inputs.shape == (100, 784) and inputs.dtype == torch.float32 and labels.dtype == torch.int64
    assert float(inputs.min()) >= 0 and float(train.dataset.tensors[0].max()) == 1.0
    again = frame_loaders(mnist, val_size=0.2, batch_size=100, seed=0)[1]
    assert torch.equal(again.dataset.tensors[0], val.dataset.tensors[0])   # the same split for the same seed
    other = frame_loaders(mnist, val_size=0.2, batch_size=100, seed=1)[1]
    assert not torch.equal(other.dataset.tensors[0], val.dataset.tensors[0])


def test_frame_loaders_shuffle_with_torchs_seed():
    digits = vk.load_dataset("digits")
    train, _ = frame_loaders(digits, val_size=100, batch_size=32, scale=16)
    torch.manual_seed(3)
    first = next(iter(train))[1]
    torch.manual_seed(3)
    assert torch.equal(next(iter(train))[1], first)
    assert float(train.dataset.tensors[0].max()) == 1.0


def test_frame_loaders_name_a_missing_label():
    with pytest.raises(ColumnNotFoundError, match=r"`label` names a column that is not in `data`: 'target'"):
        frame_loaders(vk.load_dataset("digits"), label="target")
