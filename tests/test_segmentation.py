"""vk.segmentation: a class per pixel over its image, the argmax of logits, a legend per class with scikit-learn's IoU."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import jaccard_score

import vizkit as vk
from vizkit.charts.segmentation_map import SegmentationDisplay
from tests.fuzzing import fuzz_settings
from vizkit.errors import VizkitError

CLASSES = ["background", *map(str, range(10))]


@pytest.fixture(scope="module")
def canvas():
    """Three MNIST digits on a 56×56 canvas, the true mask (digit + 1 where the ink is >= 0.3), and noisy logits."""
    frame = vk.load_dataset("mnist")
    digits = frame.drop(columns="label").to_numpy(np.float32).reshape(-1, 28, 28) / 255
    image, truth = np.zeros((56, 56), np.float32), np.zeros((56, 56), np.int64)
    for index, (top, left) in zip((0, 501, 1002), ((0, 0), (0, 28), (28, 14))):
        image[top:top + 28, left:left + 28] = digits[index]
        truth[top:top + 28, left:left + 28][digits[index] >= 0.3] = frame["label"].iloc[index] + 1
    rng = np.random.default_rng(0)
    logits = 3 * np.eye(11)[truth].transpose(2, 0, 1) + rng.normal(0, 1.2, (11, 56, 56))   # mostly right
    return image, truth, logits


def test_the_drawn_label_image_is_the_argmax_of_the_logits(canvas):
    image, truth, logits = canvas
    display = SegmentationDisplay.from_predictions(image, logits, classes=CLASSES).plot()
    np.testing.assert_array_equal(display.artists_["labels"].get_array(), logits.argmax(axis=0))
    np.testing.assert_array_equal(display.artists_["image"].get_array(), image)
    np.testing.assert_array_equal(display.labels_, logits.argmax(axis=0))
    plt.close("all")


def test_iou_per_class_is_scikit_learns_jaccard_score(canvas):
    image, truth, logits = canvas
    ax = vk.segmentation(image, logits, classes=CLASSES, truth=truth)
    table = vk.plotted_data(ax)
    pred = logits.argmax(axis=0)
    expected = jaccard_score(truth.ravel(), pred.ravel(), labels=range(11), average=None, zero_division=0)
    present = np.isin(range(11), np.union1d(truth, pred))
    np.testing.assert_allclose(table["iou"].to_numpy()[present], expected[present])
    assert table["iou"][~present].isna().all()                       # a class in neither mask has no IoU
    assert table["pixels"].tolist() == np.bincount(pred.ravel(), minlength=11).tolist()
    assert table["true_pixels"].tolist() == np.bincount(truth.ravel(), minlength=11).tolist()
    plt.close("all")


def test_the_legend_names_each_class_present_with_its_iou_and_the_mean(canvas):
    image, truth, _ = canvas
    pred = truth.copy()
    pred[:4] = truth.max()                                            # the top rows taken for the last digit
    display = SegmentationDisplay.from_predictions(image, pred, classes=CLASSES, truth=truth).plot()
    legend = display.artists_["legend"]
    names = [CLASSES[i] for i in np.unique(truth)]
    texts = [t.get_text() for t in legend.get_texts()]
    assert [t.split("  ")[0] for t in texts] == names
    assert texts == [f"{name}  IoU {display.iou_[name]:.2f}" for name in names]
    assert legend.get_title().get_text() == f"mean IoU {display.mean_iou_:.2f}"
    assert display.mean_iou_ == pytest.approx(display.iou_.dropna().mean())
    plt.close("all")


def test_the_background_is_left_clear_and_each_other_class_has_its_own_colour(canvas):
    image, truth, _ = canvas
    display = SegmentationDisplay.from_predictions(image, truth, classes=CLASSES).plot()
    colormap = display.artists_["labels"].get_cmap()
    assert colormap(0)[3] == 0                                        # class 0: transparent
    colours = {colormap(i)[:3] for i in range(1, 11)}
    assert len(colours) == 10
    assert display.artists_["legend"].get_title().get_text() == ""   # no truth: no IoU
    assert display.iou_ is None and display.mean_iou_ is None
    plt.close("all")


@pytest.mark.parametrize("change, match", [
    (lambda i, m, t: (i, np.where(m == 3, 11, m), t), "unknown class index 11"),
    (lambda i, m, t: (i, np.eye(11)[m].transpose(2, 0, 1)[:5], t), "one channel per class"),
    (lambda i, m, t: (i[:28], m, t), r"image's height and width \(28, 56\)"),
    (lambda i, m, t: (i, m, t[:, :28]), "`truth`.*height and width"),
    (lambda i, m, t: (i, m + 0.5, t), "whole-number class indices"),
    (lambda i, m, t: (i, m[None, None], t), "shape"),
])
def test_bad_masks_get_an_error_naming_the_argument_and_draw_nothing(canvas, change, match):
    image, truth, _ = canvas
    image, mask, truth = change(image, truth.copy(), truth)
    fig, ax = plt.subplots()
    with pytest.raises(VizkitError, match=match):
        vk.segmentation(image, mask, classes=CLASSES, truth=truth, ax=ax)
    assert not ax.images and ax.get_legend() is None
    plt.close(fig)


def test_bad_classes_and_options_are_named(canvas):
    image, truth, _ = canvas
    with pytest.raises(VizkitError, match="classes.*distinct"):
        vk.segmentation(image, truth, classes=["a"] * 11)
    with pytest.raises(VizkitError, match="classes"):
        vk.segmentation(image, truth, classes="digits")
    with pytest.raises(VizkitError, match="background"):
        vk.segmentation(image, truth, classes=CLASSES, background=11)
    with pytest.raises(VizkitError, match="legend"):
        vk.segmentation(image, truth, classes=CLASSES, legend="yes")
    plt.close("all")


@fuzz_settings(20)
@given(data=st.data())
def test_property_labels_are_the_argmax_and_iou_is_scikit_learns(data):
    n_classes = data.draw(st.integers(1, 6), label="classes")
    height, width = data.draw(st.integers(1, 9), label="height"), data.draw(st.integers(1, 9), label="width")
    logits = data.draw(arrays(np.float64, (n_classes, height, width), elements=st.floats(-5, 5)), label="logits")
    truth = data.draw(arrays(np.int64, (height, width), elements=st.integers(0, n_classes - 1)), label="truth")
    names = [f"c{i}" for i in range(n_classes)]
    found = SegmentationDisplay.from_predictions(np.zeros((height, width)), logits, classes=names, truth=truth)
    np.testing.assert_array_equal(found.labels_, logits.argmax(axis=0))
    pred = logits.argmax(axis=0)
    expected = jaccard_score(truth.ravel(), pred.ravel(), labels=range(n_classes), average=None, zero_division=0)
    present = np.isin(range(n_classes), np.union1d(truth, pred))
    np.testing.assert_allclose(found.iou_.to_numpy()[present], expected[present])
    assert found.iou_[~present].isna().all()
    assert found.table_["pixels"].sum() == height * width


def test_a_mask_of_the_background_class_alone_draws_it_clear():
    ax = vk.segmentation(np.zeros((3, 3)), np.zeros((3, 3), int), classes=["background"], truth=np.zeros((3, 3), int))
    assert vk.plotted_data(ax)[["class", "pixels", "iou"]].values.tolist() == [["background", 9, 1.0]]
    plt.close("all")
