"""vk.image_grid: real images (MNIST, sklearn digits, sklearn's colour photos) as tiles, what was drawn, bad input."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import vizkit as vk
from tests.fuzzing import fuzz_settings
from vizkit.errors import VizkitError, VizkitTypeError, VizkitValueError


@pytest.fixture(scope="module")
def mnist():
    frame = vk.load_dataset("mnist")
    sample = frame.iloc[::125]  # 4 of each digit, 40 images
    return sample.filter(like="pixel").to_numpy().reshape(-1, 28, 28), sample["label"].to_numpy()


@pytest.fixture(scope="module")
def digits():
    frame = vk.load_dataset("digits")
    return frame.filter(like="pixel").to_numpy().reshape(-1, 8, 8)[:20], frame["label"].to_numpy()[:20]


@pytest.fixture(scope="module")
def photos():
    from sklearn.datasets import load_sample_images

    return load_sample_images().images  # china.jpg and flower.jpg, 427 x 640 x 3 uint8


def _drawn(grid):
    return [ax.images[0].get_array() for ax in grid]


def _disjoint(boxes):
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert min(a.x1, b.x1) <= max(a.x0, b.x0) or min(a.y1, b.y1) <= max(a.y0, b.y0)


def test_mnist_digits_with_their_labels_one_tile_each(mnist):
    images, labels = mnist
    grid = vk.image_grid(images, titles=labels)
    assert grid.axes_.shape == (6, 7)  # 40 tiles, near square, no empty column
    assert [ax.get_title() for ax in grid] == [str(label) for label in labels]
    for drawn, image in zip(_drawn(grid), images, strict=True):
        np.testing.assert_array_equal(drawn, image)
    tiles = grid.tiles_
    assert tiles["index"].tolist() == list(range(40)) and set(tiles["shape"]) == {(28, 28)}
    assert (tiles["vmin"] == images.min()).all() and (tiles["vmax"] == images.max()).all()  # one shared scale
    assert (grid.vmin_, grid.vmax_) == (0.0, 255.0)
    for ax in grid:
        assert ax.images[0].get_clim() == (0.0, 255.0) and ax.images[0].get_cmap().name == "gray"
        assert not ax.axison and not ax.get_xticks().size
    assert grid.axes_[5, 5] is None and grid.axes_[5, 6] is None  # slots past the 40th image
    assert vk.lint(grid.figure_) == []


def test_plotted_data_of_a_tile_is_its_row_with_its_place(mnist):
    images, labels = mnist
    grid = vk.image_grid(images[:10], titles=labels[:10], ncols=5)
    table = vk.plotted_data(grid.axes_[1, 3])
    assert table[["index", "title", "row", "col"]].iloc[0].tolist() == [8, str(labels[8]), 1, 3]
    assert table[["height", "width", "channels"]].iloc[0].tolist() == [28, 28, 1]
    assert len(table) == 1


def test_each_tile_its_own_scale_on_sklearn_digits(digits):
    images, _ = digits
    grid = vk.image_grid(images, norm="each", cmap="gray_r")
    for ax, image, (_, row) in zip(grid, images, grid.tiles_.iterrows(), strict=True):
        assert ax.images[0].get_clim() == (image.min(), image.max()) == (row["vmin"], row["vmax"])
        assert ax.images[0].get_cmap().name == "gray_r"
    assert grid.vmin_ is None and grid.vmax_ is None


def test_fixed_limits_and_a_shared_colour_bar(digits):
    images, _ = digits
    grid = vk.image_grid(images, norm=(0, 20), colorbar=True, cmap="vizkit_seq")
    assert grid.colorbar_ is not None and tuple(grid.colorbar_.mappable.get_clim()) == (0.0, 20.0)
    assert grid.colorbar_.cmap.name == "vizkit_seq"
    assert all(ax.images[0].get_clim() == (0.0, 20.0) for ax in grid)
    assert vk.lint(grid.figure_) == []


def test_colour_photos_are_drawn_as_given(photos):
    grid = vk.image_grid(photos, titles=["china", "flower"])
    assert grid.axes_.shape == (1, 2)
    for drawn, photo in zip(_drawn(grid), photos, strict=True):
        np.testing.assert_array_equal(drawn, photo)
    assert grid.tiles_[["channels", "vmin", "vmax"]].values.tolist() == [[3, 0, 255], [3, 0, 255]]
    width, height = grid.figure_.get_size_inches()
    assert 5 < width < 10 and height < width  # two landscape tiles side by side
    assert vk.lint(grid.figure_) == []


def test_scikit_image_samples_grey_and_colour_side_by_side():
    data = pytest.importorskip("skimage.data")
    camera, astronaut = data.camera(), data.astronaut()  # 512 x 512 uint8, 512 x 512 x 3 uint8
    grid = vk.image_grid([camera, astronaut], titles=["camera", "astronaut"])
    np.testing.assert_array_equal(_drawn(grid)[0], camera)
    np.testing.assert_array_equal(_drawn(grid)[1], astronaut)
    assert grid.tiles_["channels"].tolist() == [1, 3] and (grid.vmin_, grid.vmax_) == (camera.min(), camera.max())
    assert all(ax.images[0].get_interpolation() == "auto" for ax in grid)  # shown smaller than their pixels


def test_normalised_colour_tensors_are_mapped_back_to_0_1(photos):
    """A mean/std-normalised batch (values about -2..2) is mapped from its range, not clipped."""
    batch = np.stack(photos).astype(np.float32) / 255
    normalised = (batch - batch.mean()) / batch.std()
    grid = vk.image_grid(normalised)
    low, high = normalised.min(), normalised.max()
    for drawn, image in zip(_drawn(grid), normalised, strict=True):
        np.testing.assert_allclose(drawn, (image - low) / (high - low), atol=1e-6)
    assert grid.tiles_["vmin"].tolist() == pytest.approx([low] * 2)
    each = vk.image_grid(normalised, norm="each")
    for drawn, image in zip(_drawn(each), normalised, strict=True):
        assert drawn.min() == 0 and drawn.max() == pytest.approx(1)


def test_channels_first_and_stacks_of_every_layout(photos):
    photo = photos[1][::8, ::8]  # 54 x 80 x 3
    chw = np.moveaxis(photo, -1, 0)
    for images in ([chw], chw[None], photo[None], [photo[..., :1]], np.stack([photo[..., 0]] * 3)):
        grid = vk.image_grid(images)
        expected = photo[..., 0] if grid.tiles_["channels"][0] == 1 else photo
        np.testing.assert_array_equal(_drawn(grid)[0], expected)
        plt.close(grid.figure_)


def test_torch_tensors_with_grad_are_read_without_vizkit_importing_torch(mnist):
    torch = pytest.importorskip("torch")
    images, _ = mnist
    tensor = torch.tensor(images[:6, None] / 255.0, dtype=torch.float32, requires_grad=True)  # N x 1 x H x W
    grid = vk.image_grid(tensor)
    np.testing.assert_allclose(_drawn(grid)[2], images[2] / 255.0, rtol=1e-6)
    grid = vk.image_grid(list(tensor))  # a list of C x H x W tensors
    assert grid.tiles_["shape"][0] == (28, 28)


def test_anything_with_detach_cpu_and_array_is_a_tensor():
    class Tensor:  # a device tensor in all but name: np.asarray refuses it until it is detached and moved
        def __init__(self, values, on_cpu=False):
            self.values, self.on_cpu = values, on_cpu

        def detach(self):
            return self

        def cpu(self):
            return Tensor(self.values, on_cpu=True)

        def __array__(self, dtype=None, copy=None):
            if not self.on_cpu:
                raise TypeError("can't convert cuda:0 device type tensor to numpy")
            return np.asarray(self.values, dtype=dtype)

    grid = vk.image_grid([Tensor(np.eye(5))])
    np.testing.assert_array_equal(_drawn(grid)[0], np.eye(5))


def test_pil_images_and_boolean_masks():
    from PIL import Image

    picture = Image.fromarray(np.arange(48, dtype=np.uint8).reshape(6, 8))
    grid = vk.image_grid(picture)
    assert grid.tiles_["shape"][0] == (6, 8)
    mask = vk.image_grid([np.eye(6, dtype=bool)])
    assert (mask.vmin_, mask.vmax_) == (0.0, 1.0)


def test_images_of_different_shapes_share_a_grid_each_drawn_whole(mnist, digits):
    grid = vk.image_grid([mnist[0][0], digits[0][0], np.ones((10, 30))])
    assert grid.tiles_["shape"].tolist() == [(28, 28), (8, 8), (10, 30)]
    grid.figure_.canvas.draw()
    boxes = [ax.get_window_extent() for ax in grid]
    _disjoint(boxes)
    wide = boxes[2]
    assert wide.width / wide.height == pytest.approx(3, rel=0.05)  # its own aspect, not stretched


def test_256_tiles_are_a_readable_16_by_16_grid(mnist):
    images = np.concatenate([mnist[0]] * 7)[:256]
    grid = vk.image_grid(images)
    assert grid.axes_.shape == (16, 16)
    width, height = grid.figure_.get_size_inches()
    assert width <= 10 and grid.tiles_.shape[0] == 256
    grid.figure_.canvas.draw()
    boxes = [ax.get_window_extent() for ax in grid]
    assert min(box.width for box in boxes) / grid.figure_.dpi >= 0.499  # at least half an inch a tile
    _disjoint(boxes)


def test_long_titles_wrap_within_their_tile_and_nothing_overlaps(mnist):
    images, labels = mnist
    titles = [f"predicted {label}, true {label} with a long note" for label in labels[:12]]
    grid = vk.image_grid(images[:12], titles=titles, ncols=6)
    assert all(len(ax.get_title().split("\n")) <= 2 for ax in grid)
    assert vk.lint(grid.figure_) == []
    called = vk.image_grid(images[:3], titles=lambda i: f"sample {i}")
    assert [ax.get_title() for ax in called] == ["sample 0", "sample 1", "sample 2"]


def test_a_title_above_the_grid_in_room_kept_for_it(mnist):
    images, labels = mnist
    grid = vk.image_grid(images[:8], titles=labels[:8], title="Eight digits, $5 each", colorbar=True)
    heading = grid.artists_["title"]
    assert heading.get_text() == "Eight digits, $5 each" and heading.get_fontweight() == "bold"
    renderer = grid.figure_.canvas.get_renderer()
    below = heading.get_window_extent(renderer).y0
    assert all(ax.title.get_window_extent(renderer).y1 <= below for ax in grid)
    assert vk.lint(grid.figure_) == []
    assert not heading.get_parse_math()  # "$5" is a price, not math
    math = vk.image_grid(images[:2], title=r"Filters of $3\times3$ pixels").artists_["title"]
    assert math.get_parse_math() and math.get_text() == r"Filters of $3\times3$ pixels"


def test_titles_from_data_are_never_mathtext(mnist):
    grid = vk.image_grid(mnist[0][:2], titles=["cost $5 and $10", "$\\bad$"])
    grid.figure_.canvas.draw()  # an invalid mathtext would raise here
    assert [ax.get_title() for ax in grid] == ["cost $5 and $10", "$\\bad$"]


def test_draws_into_a_given_figure_or_subfigure(mnist):
    figure = plt.figure(figsize=(8, 4))
    left, right = figure.subfigures(1, 2)
    grid = vk.image_grid(mnist[0][:6], figure=right, titles=mnist[1][:6])
    assert grid.figure_ is right and all(ax.figure is right for ax in grid)
    figure.canvas.draw()
    half = figure.bbox.width / 2
    assert all(ax.get_window_extent().x0 >= half - 1 for ax in grid)
    assert vk.lint(figure) == []


def test_thousands_of_tiles_are_refused_with_how_to_draw_them(mnist):
    many = np.zeros((1200, 28, 28))
    with pytest.raises(VizkitValueError, match=r"1200 images.*images\[:400\].*max_images=1200"):
        vk.image_grid(many)
    assert vk.image_grid(many[:401], max_images=401).tiles_.shape[0] == 401


@pytest.mark.parametrize(("images", "match"), [
    (np.zeros(10), r"`images` must be .*shape \(10,\)"),
    (np.zeros((2, 2, 2, 2, 2)), r"shape \(2, 2, 2, 2, 2\)"),
    ([np.zeros((64, 28, 28))], r"`images\[0\]` must be H×W.*its 64 channels as 64 tiles"),
    (np.zeros((427, 640, 3)), r"looks like one colour image.*\[image\]"),
    ([np.zeros((5, 0))], r"`images\[0\]` must be an image with at least one pixel"),
    ([], "at least one image"),
])
def test_wrong_shapes_name_the_image_and_the_layouts_accepted(images, match):
    with pytest.raises(VizkitValueError, match=match):
        vk.image_grid(images)


@pytest.mark.parametrize(("images", "error", "match"), [
    ([np.array([["a", "b"], ["c", "d"]])], VizkitTypeError, r"`images\[0\]` must be an image of numbers"),
    ([np.ones((3, 3)) * 1j], VizkitTypeError, r"real numbers.*np.abs"),
    ([np.ones((3, 3)), np.where(np.eye(3), np.nan, 1.0)], VizkitValueError, r"`images\[1\]`.*3 NaN values among its 9"),
    ([np.full((2, 2), np.inf)], VizkitValueError, r"4 infinite values"),
    ([np.array([[1.7e308, -1.7e308]])], VizkitValueError, r"range a float can hold"),
    ("digits.png", VizkitTypeError, r"`images` must be a list of images"),
    (None, VizkitTypeError, r"`images` must be"),
    ([[[1, 2], [3]]], VizkitTypeError, r"`images\[0\]` must be an image"),
])
def test_values_that_are_not_an_image_are_refused(images, error, match):
    with pytest.raises(error, match=match):
        vk.image_grid(images)


def test_a_pixel_table_gets_a_hint_to_reshape():
    with pytest.raises(VizkitTypeError, match=r"reshape\(-1, height, width\)"):
        vk.image_grid(vk.load_dataset("digits").filter(like="pixel"))


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"titles": "digits"}, VizkitTypeError, r"`titles` must be a list with one title per image.*vk.titles"),
    ({"titles": ["a"]}, VizkitValueError, r"`titles` must be one title per image \(2\); got 1 titles"),
    ({"norm": "global"}, VizkitValueError, r"`norm` must be one of 'shared', 'each'"),
    ({"norm": (1, 0)}, VizkitValueError, r"vmin < vmax"),
    ({"norm": "each", "colorbar": True}, VizkitValueError, r"`colorbar`.*one colour scale.*norm='each'"),
    ({"colorbar": "yes"}, VizkitTypeError, r"`colorbar` must be True or False"),
    ({"cmap": "viridiss"}, VizkitValueError, r"`cmap`.*Did you mean 'viridis'"),
    ({"ncols": 0}, VizkitValueError, r"`ncols` must be an int >= 1"),
    ({"tile_size": -1}, VizkitValueError, r"`tile_size`"),
    ({"interpolation": "cubic"}, VizkitValueError, r"`interpolation`.*Did you mean 'bicubic'"),
    ({"figure": "fig"}, VizkitTypeError, r"`figure` must be a Matplotlib Figure"),
    ({"title": 5}, VizkitTypeError, r"`title` must be a str or None"),
    ({"max_images": 0}, VizkitValueError, r"`max_images`"),
])
def test_bad_arguments_are_named_and_a_refused_call_draws_nothing(kwargs, error, match):
    with pytest.raises(error, match=match):
        vk.image_grid(np.zeros((2, 4, 4)), **kwargs)
    assert plt.get_fignums() == []


def test_a_colour_bar_is_refused_for_colour_images(photos):
    with pytest.raises(VizkitValueError, match=r"`colorbar` must be False for colour images.*images 0, 1"):
        vk.image_grid(photos, colorbar=True)


def test_display_computes_without_drawing_then_plots(digits):
    display = vk.charts.images.ImageGridDisplay.from_images(digits[0], titles=digits[1])
    assert display.figure_ is None and plt.get_fignums() == [] and len(display.tiles_) == 20
    assert display.plot(ncols=10).axes_.shape == (2, 10)


def test_dark_theme_titles_read_on_the_dark_face(mnist):
    with vk.theme("dark"):
        grid = vk.image_grid(mnist[0][:4], titles=mnist[1][:4], colorbar=True)
        assert vk.lint(grid.figure_) == []


_DTYPES = st.sampled_from([np.uint8, np.int16, np.int64, np.float16, np.float32, np.float64, np.bool_])
_SHAPES = hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=6)


@fuzz_settings(60)
@given(arrays=st.lists(hnp.arrays(_DTYPES, _SHAPES), min_size=0, max_size=4),
       norm=st.sampled_from(["shared", "each", (0, 1)]), colorbar=st.booleans())
def test_any_arrays_draw_or_raise_a_vizkit_error(arrays, norm, colorbar):
    try:
        grid = vk.image_grid(arrays, norm=norm, colorbar=colorbar)
    except VizkitError:
        assert plt.get_fignums() == []
        return
    try:
        grid.figure_.canvas.draw()
        assert len(grid.tiles_) == len(arrays)
        assert all(np.isfinite(ax.images[0].get_array()).all() for ax in grid)
    finally:
        plt.close("all")
