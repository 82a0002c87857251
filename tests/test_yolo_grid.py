"""YOLO v1's target (vizkit.torch.yolo_encode / yolo_decode) and its grid chart (vk.yolo_grid)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk
from vizkit._core.grid_cells import responsible_cells
from vizkit.errors import VizkitError

torch = pytest.importorskip("torch")
import vizkit.torch as vt  # noqa: E402

H, W = 300, 400  # a non-square image: rows follow H, columns W


def _boxes_in_distinct_cells(S, n, seed):
    """n boxes of random sizes whose centres lie in n different cells, inside an H×W image."""
    rng = np.random.default_rng(seed)
    cells = rng.choice(S * S, size=n, replace=False)
    cy = (cells // S + rng.random(n)) * H / S
    cx = (cells % S + rng.random(n)) * W / S
    half_w = rng.random(n) * np.minimum(cx, W - cx)
    half_h = rng.random(n) * np.minimum(cy, H - cy)
    return np.stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h], axis=1), rng.integers(0, 20, n)


def test_the_default_target_is_7x7x30_with_the_box_in_its_responsible_cell():
    target = vt.yolo_encode([[100, 60, 300, 240]], [7], image_size=(H, W))  # centre (200, 150)
    assert tuple(target.shape) == (7, 7, 30) and target.dtype == torch.float32
    row, col = 150 * 7 // H, 200 * 7 // W  # ⌊cy·S/H⌋ = 3, ⌊cx·S/W⌋ = 3
    assert torch.nonzero(target[..., 4]).tolist() == [[row, col]]
    x, y, w, h, confidence = target[row, col, :5].tolist()
    assert (x, y) == pytest.approx((200 * 7 / W - col, 150 * 7 / H - row))  # relative to the cell
    assert (w, h, confidence) == pytest.approx((200 / W, 180 / H, 1))      # relative to the image
    assert target[row, col, 5:10].sum() == 0                               # the second slot stays empty
    assert target[row, col, 10:].tolist() == [float(k == 7) for k in range(20)]
    assert target.sum() == pytest.approx(sum(target[row, col].tolist()))  # nothing elsewhere
    assert tuple(vt.yolo_encode([[0, 0, 10, 10]], [0], S=13, B=3, C=80, image_size=(H, W)).shape) == (13, 13, 95)


@pytest.mark.parametrize(("S", "seed"), [(7, 0), (7, 1), (4, 2), (13, 3)])
def test_decode_inverts_encode_for_boxes_in_distinct_cells(S, seed):
    boxes, labels = _boxes_in_distinct_cells(S, min(S * S, 10), seed)
    order = np.lexsort(responsible_cells(boxes, S, (H, W))[::-1])  # decode gives cells row by row
    for dtype, tolerance in ((torch.float64, 1e-6), (torch.float32, 1e-3)):
        target = vt.yolo_encode(boxes, labels, S=S, image_size=(H, W), dtype=dtype)
        decoded, got_labels, confidences = vt.yolo_decode(target, image_size=(H, W))
        np.testing.assert_allclose(decoded, boxes[order], atol=tolerance, rtol=0)
        np.testing.assert_array_equal(got_labels, labels[order])
        np.testing.assert_array_equal(confidences, 1.0)


@pytest.mark.parametrize(("cx", "cy", "cell"), [
    (0, 0, (0, 0)),
    (W / 7 - 1e-9, H / 7 - 1e-9, (0, 0)),
    (W / 7, H / 7, (1, 1)),           # on a line: the cell to its right and below
    (W / 2, H / 2, (3, 3)),
    (W, H / 2, (3, 6)),               # cx = W exactly: the last column, not an eighth one
    (W / 2, H, (6, 3)),
    (W, H, (6, 6)),
])
def test_the_responsible_cell_is_floor_of_centre_times_S_over_size(cx, cy, cell):
    assert tuple(int(v[0]) for v in responsible_cells(np.array([[cx, cy, cx, cy]]), 7, (H, W))) == cell


def test_the_encoder_and_the_chart_agree_on_cells_at_the_edges():
    boxes = np.array([[W - 20, H - 10, W, H], [0, 0, 10, 6], [W - 2, 0, W, H]], dtype=float)
    target = vt.yolo_encode(boxes, [1, 2, 3], image_size=(H, W))
    fig, ax = plt.subplots()
    table = vk.plotted_data(vk.yolo_grid(np.zeros((H, W)), boxes, [1, 2, 3], ax=ax))
    cells = list(zip(table["row"], table["column"]))
    assert cells == [(6, 6), (0, 0), (3, 6)]
    assert sorted(map(tuple, torch.nonzero(target[..., 4]).tolist())) == sorted(cells)
    plt.close(fig)


def test_two_boxes_in_one_cell_keep_the_first_with_a_warning_in_the_target_and_on_the_chart():
    boxes = [[10, 10, 50, 50], [20, 20, 40, 40]]
    with pytest.warns(UserWarning, match=r"boxes\[1\].*boxes\[0\]"):
        target = vt.yolo_encode(boxes, [0, 1], image_size=(H, W))
    assert int(target[..., 4].sum()) == 1 and int(target[..., 10:].argmax(-1).max()) == 0
    fig, ax = plt.subplots()
    table = vk.plotted_data(vk.yolo_grid(np.zeros((H, W, 3)), boxes, [0, 1], ax=ax))
    assert table["kept"].tolist() == [True, False]
    assert "left out" in ax.texts[1].get_text()
    plt.close(fig)


def test_yolo_grid_draws_each_box_its_centre_its_cell_and_the_target_shape():
    image = np.random.default_rng(0).integers(0, 255, (H, W, 3), dtype=np.uint8)
    boxes, labels = _boxes_in_distinct_cells(7, 3, 4)
    fig, ax = plt.subplots()
    vk.yolo_grid(image, boxes, labels, class_names=[f"c{k}" for k in range(20)], ax=ax)
    table = vk.plotted_data(ax)
    np.testing.assert_array_equal(table[["x_min", "y_min", "x_max", "y_max"]].to_numpy(), boxes)
    assert table["name"].tolist() == [f"c{k}" for k in labels] and table.attrs["shape"] == (7, 7, 30)
    assert len(ax.patches) == 2 * 3 and len(ax.lines) == 6 + 6 + 3  # cells and boxes; 6+6 grid lines, 3 centres
    cell = ax.patches[0]
    assert (cell.get_x(), cell.get_y()) == pytest.approx((table.column[0] * W / 7, table.row[0] * H / 7))
    assert [line.get_xydata()[0].tolist() for line in ax.lines[12:]] == table[["cx", "cy"]].to_numpy().tolist()
    assert "7×7×30" in ax.get_xlabel()
    assert np.array_equal(ax.images[0].get_array(), image)  # drawn as given: RGB, not reordered
    plt.close(fig)


def test_yolo_grid_without_labels_names_the_boxes_and_takes_a_channels_first_tensor():
    image = torch.rand(3, H, W)  # C×H×W, as torch keeps images
    fig, ax = plt.subplots()
    table = vk.plotted_data(vk.yolo_grid(image, [[10, 10, 60, 40], [200, 100, 390, 290]], S=4, B=1, C=2, ax=ax))
    assert table["name"].tolist() == ["box 0", "box 1"] and table["label"].isna().all()
    assert table[["row", "column"]].to_numpy().tolist() == [[0, 0], [2, 2]] and table.attrs["shape"] == (4, 4, 7)
    assert ax.images[0].get_array().shape == (H, W, 3)
    plt.close(fig)


@pytest.mark.parametrize(("call", "argument"), [
    (lambda: vt.yolo_encode([[0, 0, W + 1, 10]], [0], image_size=(H, W)), r"boxes\[0\]"),
    (lambda: vt.yolo_encode([[10, 0, 5, 10]], [0], image_size=(H, W)), r"boxes\[0\]"),
    (lambda: vt.yolo_encode([[0, 0, 5]], [0], image_size=(H, W)), "boxes"),
    (lambda: vt.yolo_encode([[0, 0, 5, 5]], [20], image_size=(H, W)), "labels"),
    (lambda: vt.yolo_encode([[0, 0, 5, 5]], [0, 1], image_size=(H, W)), "labels"),
    (lambda: vt.yolo_encode([[0, 0, 5, 5]], [0], S=0, image_size=(H, W)), "S"),
    (lambda: vt.yolo_encode([[0, 0, 5, 5]], [0], image_size=H), "image_size"),
    (lambda: vt.yolo_decode(torch.zeros(7, 7, 10), image_size=(H, W)), "target"),
    (lambda: vt.yolo_decode(torch.zeros(7, 6, 30), image_size=(H, W)), "target"),
    (lambda: vk.yolo_grid(np.zeros((H, W)), [[0, 0, 5, 5]], [3], class_names=["a"]), "class_names"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(VizkitError, match=f"`{argument}"):
        call()
    plt.close("all")


# ----------------------------------------------------------------------------- properties
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzzing import fuzz_settings  # noqa: E402


@fuzz_settings(40)
@given(S=st.integers(1, 16), height=st.integers(8, 900), width=st.integers(8, 900), n=st.integers(1, 6),
       seed=st.integers(0, 2**16))
def test_round_trip_and_cell_rule_hold_for_any_grid_and_image_size(S, height, width, n, seed):
    rng = np.random.default_rng(seed)
    n = min(n, S * S)
    cells = rng.choice(S * S, size=n, replace=False)
    cy, cx = (cells // S + rng.uniform(0.01, 0.99, n)) * height / S, (cells % S + rng.uniform(0.01, 0.99, n)) * width / S
    half_w, half_h = rng.random(n) * np.minimum(cx, width - cx), rng.random(n) * np.minimum(cy, height - cy)
    boxes = np.stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h], axis=1)
    keep = (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])
    boxes, labels = boxes[keep], rng.integers(0, 5, keep.sum())
    rows, cols = responsible_cells(boxes, S, (height, width))
    centres = (boxes[:, :2] + boxes[:, 2:]) / 2
    assert (rows == np.floor(centres[:, 1] * S / height)).all() and (cols == np.floor(centres[:, 0] * S / width)).all()
    target = vt.yolo_encode(boxes, labels, S=S, B=1, C=5, image_size=(height, width), dtype=torch.float64)
    decoded, got, _ = vt.yolo_decode(target, B=1, image_size=(height, width))
    order = np.lexsort((cols, rows))
    np.testing.assert_allclose(decoded, boxes[order], atol=1e-6, rtol=0)
    np.testing.assert_array_equal(got, labels[order])
