"""vizkit.torch.decode_lattice: the decoder's images at the stated latent coordinates, its mode kept."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from scipy.stats import norm  # noqa: E402

import vizkit.torch as vt  # noqa: E402
from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402


def _decoder(side=6):
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, side * side),
                               torch.nn.Sigmoid())


def test_the_lattice_is_at_the_priors_quantiles_and_each_tile_is_the_decoder_there():
    decoder = _decoder()
    lattice = vt.decode_lattice(decoder, 15)
    expected = norm.ppf(np.linspace(0.05, 0.95, 15))                 # Kingma & Welling's lattice: N(0, 1) quantiles
    np.testing.assert_allclose(lattice.x, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(lattice.y, expected[::-1], rtol=1e-12, atol=1e-12)  # top row at the largest z2
    assert lattice.images.shape == (15, 15, 6, 6) and lattice.images.dtype == np.float32
    for row, col in [(0, 0), (3, 11), (14, 7)]:
        point = torch.tensor([[lattice.x[col], lattice.y[row]]], dtype=torch.float32)
        np.testing.assert_allclose(lattice.images[row, col], decoder(point).detach().reshape(6, 6), atol=1e-6)


def test_given_coordinates_are_used_as_given_and_the_mode_is_restored():
    decoder = _decoder().train()
    lattice = vt.decode_lattice(decoder, coords=([2.0, -1.0, 0.5], [0.0, 3.0]))
    assert decoder.training
    assert lattice.x.tolist() == [-1.0, 0.5, 2.0] and lattice.y.tolist() == [3.0, 0.0]
    assert lattice.images.shape == (2, 3, 6, 6)
    square = vt.decode_lattice(decoder, coords=np.linspace(-4, 4, 4))  # a wider prior's range, both axes
    assert square.x.tolist() == square.y[::-1].tolist()


def test_non_square_images_need_their_shape():
    decoder = torch.nn.Linear(2, 12)
    assert vt.decode_lattice(decoder, 3, image_shape=(3, 4)).images.shape == (3, 3, 3, 4)
    with pytest.raises(VizkitValueError, match="image_shape"):
        vt.decode_lattice(decoder, 3)


def test_bad_input_names_the_argument():
    decoder = _decoder()
    with pytest.raises(VizkitTypeError, match="decoder"):
        vt.decode_lattice(lambda z: z)
    with pytest.raises(VizkitValueError, match="quantiles"):
        vt.decode_lattice(decoder, quantiles=(0.9, 0.1))
    with pytest.raises(VizkitValueError, match="quantiles"):
        vt.decode_lattice(decoder, quantiles=(0.0, 0.5))
    with pytest.raises(VizkitValueError, match="n"):
        vt.decode_lattice(decoder, 1)
    with pytest.raises(VizkitValueError, match="coords"):
        vt.decode_lattice(decoder, coords=[0.0, np.nan])
    with pytest.raises(VizkitValueError, match="image_shape"):
        vt.decode_lattice(decoder, 3, image_shape=(5, 5))
