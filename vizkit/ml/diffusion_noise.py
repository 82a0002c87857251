"""The noise schedule of a diffusion model (DDPM): beta_t, alpha_t and alpha-bar_t, and the forward process q(x_t | x_0).

Torch-free (NumPy). The steps are numbered from 1 to T, as in the DDPM
paper (Ho et al., 2020): ``schedule.betas[t - 1]`` is beta_t, and
``schedule.alpha_bar_at(t)`` reads alpha-bar_t with t from 0 (no noise,
alpha-bar_0 = 1) to T. :func:`vizkit.torch.ddpm_sample` runs the reverse
process on such a schedule; the charts of it are
:func:`vizkit.diffusion_schedule`, :func:`vizkit.diffusion_forward` and
:func:`vizkit.diffusion_reverse`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from vizkit._core import bad_choice, bad_type, bad_value, check_number

__all__ = ["NoiseSchedule", "noise_schedule"]

_KINDS = ("linear", "cosine")


@dataclass(frozen=True, eq=False)
class NoiseSchedule:
    """A diffusion noise schedule: ``betas``, ``alphas`` and ``alpha_bar``, arrays of length T for t = 1 ... T.

    Attributes
    ----------
    kind : str
        ``"linear"`` or ``"cosine"`` (or any name, for betas given by hand).
    betas : ndarray
        beta_t, the variance of the noise added at step t; ``betas[t - 1]``.
    alphas : ndarray
        alpha_t = 1 - beta_t.
    alpha_bar : ndarray
        alpha-bar_t = alpha_1 alpha_2 ... alpha_t: how much of x_0's
        variance is left in x_t. ``alpha_bar[t - 1]``.

    Examples
    --------
    >>> from vizkit.ml import NoiseSchedule
    >>> schedule = NoiseSchedule.from_betas([0.1, 0.2, 0.5])
    >>> schedule.T, schedule.alpha_bar.round(3).tolist(), schedule.alpha_bar_at([0, 3]).round(3).tolist()
    (3, [0.9, 0.72, 0.36], [1.0, 0.36])
    """

    kind: str
    betas: np.ndarray
    alphas: np.ndarray
    alpha_bar: np.ndarray

    @classmethod
    def from_betas(cls, betas, *, kind="custom") -> NoiseSchedule:
        """A schedule from beta_1 ... beta_T (each in (0, 1))."""
        try:
            betas = np.array(betas, dtype=np.float64)  # a copy: the user's array stays writeable
        except (TypeError, ValueError):
            raise bad_type("betas", "a 1-D array of numbers in (0, 1)", betas) from None
        if betas.ndim != 1 or betas.size == 0 or not np.all((betas > 0) & (betas < 1)):
            raise bad_value("betas", "a 1-D array of at least one number, each in (0, 1)", betas,
                            got=f"an array of shape {betas.shape} from {betas.min(initial=np.nan):g} to "
                                f"{betas.max(initial=np.nan):g}")
        alphas = 1.0 - betas
        alpha_bar = np.cumprod(alphas)
        for array in (betas, alphas, alpha_bar):
            array.setflags(write=False)
        return cls(str(kind), betas, alphas, alpha_bar)

    @property
    def T(self) -> int:  # noqa: N802 - the paper's name
        """The number of steps."""
        return int(self.betas.size)

    def alpha_bar_at(self, t) -> np.ndarray:
        """alpha-bar_t for integer t from 0 (alpha-bar_0 = 1: x_0 itself) to T; an array like ``t``."""
        steps = self._steps(t)
        return np.concatenate([[1.0], self.alpha_bar])[steps]

    def forward(self, x0, t, *, noise=None, seed=None) -> np.ndarray:
        """Sample x_t ~ q(x_t | x_0) = N(sqrt(alpha-bar_t) x_0, (1 - alpha-bar_t) I) for every t in ``t``.

        Parameters
        ----------
        x0 : array
            The clean data, any shape.
        t : int or sequence of int
            Steps from 0 to T.
        noise : array, optional
            epsilon, of ``x0``'s shape (the same for every t); default drawn
            from N(0, I) with ``seed``.
        seed : int, optional

        Returns
        -------
        ndarray
            ``(len(t), *x0.shape)``, or ``x0.shape`` for one int ``t``:
            sqrt(alpha-bar_t) x_0 + sqrt(1 - alpha-bar_t) epsilon.
        """
        x0 = np.asarray(x0, dtype=np.float64)
        if noise is None:
            noise = np.random.default_rng(seed).standard_normal(x0.shape)
        noise = np.asarray(noise, dtype=np.float64)
        if noise.shape != x0.shape:
            raise bad_value("noise", f"an array of x0's shape {x0.shape}", noise, got=f"shape {noise.shape}")
        bar = self.alpha_bar_at(t)
        scale = (slice(None),) + (None,) * x0.ndim
        out = np.sqrt(np.atleast_1d(bar))[scale] * x0 + np.sqrt(1 - np.atleast_1d(bar))[scale] * noise
        return out[0] if np.ndim(t) == 0 else out

    def table(self):
        """One row per step t = 1 ... T: ``t``, ``beta``, ``alpha``, ``alpha_bar``, ``signal`` and ``noise``.

        ``signal`` is sqrt(alpha-bar_t), the factor of x_0 in x_t; ``noise`` is
        sqrt(1 - alpha-bar_t), the factor of epsilon.
        """
        import pandas as pd

        return pd.DataFrame({"t": np.arange(1, self.T + 1), "beta": self.betas, "alpha": self.alphas,
                             "alpha_bar": self.alpha_bar, "signal": np.sqrt(self.alpha_bar),
                             "noise": np.sqrt(1 - self.alpha_bar)})

    def _steps(self, t) -> np.ndarray:
        steps = np.asarray(t)
        if steps.dtype.kind not in "iu" or steps.ndim > 1 or steps.size == 0:
            raise bad_type("t", f"an int or a 1-D sequence of ints from 0 to T={self.T}", t)
        if steps.min() < 0 or steps.max() > self.T:
            raise bad_value("t", f"steps from 0 to T={self.T} (1-based, 0 is x_0 itself)", t)
        return steps

    def __repr__(self) -> str:
        return (f"NoiseSchedule(kind={self.kind!r}, T={self.T}, beta {self.betas[0]:.4g} to {self.betas[-1]:.4g}, "
                f"alpha_bar_T={self.alpha_bar[-1]:.4g})")


def noise_schedule(kind="linear", *, T=1000, beta_start=1e-4, beta_end=0.02, s=0.008, max_beta=0.999):  # noqa: N803
    """The noise schedule of a diffusion model: DDPM's linear betas, or Nichol and Dhariwal's cosine alpha-bar.

    Steps are 1-based, as in the papers: ``betas[t - 1]`` is beta_t for
    t = 1 ... T, and ``alpha_bar[t - 1]`` = alpha-bar_t = prod over s <= t of
    (1 - beta_s). (``alpha_bar_at(0)`` is 1: x_0 itself.)

    Parameters
    ----------
    kind : {'linear', 'cosine'}
        ``"linear"``: beta_t from ``beta_start`` to ``beta_end`` in equal
        steps (Ho et al., 2020). ``"cosine"``: alpha-bar_t = f(t) / f(0) with
        f(t) = cos²((t/T + s) / (1 + s) · π/2), beta_t = 1 - alpha-bar_t /
        alpha-bar_{t-1} clipped at ``max_beta`` (Nichol and Dhariwal, 2021).
    T : int
        The number of steps (1000).
    beta_start, beta_end : float
        The linear schedule's first and last beta (1e-4 and 0.02, DDPM's).
    s : float
        The cosine schedule's offset (0.008), so beta_1 is not tiny.
    max_beta : float
        The cosine schedule's largest beta (0.999), so no step destroys
        everything.

    Returns
    -------
    NoiseSchedule
        ``betas``, ``alphas``, ``alpha_bar`` (length T), ``alpha_bar_at(t)``,
        ``forward(x0, t)`` (samples of q(x_t | x_0)) and ``table()``.

    Examples
    --------
    DDPM's schedule: after 1 step 99.99 % of the variance is signal, after
    500 steps 7.9 %, after all 1000 steps 0.004 %.

    >>> from vizkit.ml import noise_schedule
    >>> ddpm = noise_schedule("linear", T=1000, beta_start=1e-4, beta_end=0.02)
    >>> [float(f"{ddpm.alpha_bar_at(t):.5g}") for t in (1, 500, 1000)]
    [0.9999, 0.078587, 4.0358e-05]
    >>> round(float(noise_schedule("cosine").alpha_bar_at(500)), 4)
    0.4938
    """
    if kind not in _KINDS:
        raise bad_choice("kind", kind, _KINDS)
    T = check_number("T", T, integer=True, low=1)  # noqa: N806
    if kind == "linear":
        beta_start = check_number("beta_start", beta_start, low=0, high=1, low_open=True, high_open=True)
        beta_end = check_number("beta_end", beta_end, low=0, high=1, low_open=True, high_open=True)
        return NoiseSchedule.from_betas(np.linspace(beta_start, beta_end, T), kind="linear")
    s = check_number("s", s, low=0)
    max_beta = check_number("max_beta", max_beta, low=0, high=1, low_open=True, high_open=True)
    f = np.cos((np.arange(T + 1) / T + s) / (1 + s) * math.pi / 2) ** 2
    bar = f / f[0]
    return NoiseSchedule.from_betas(np.clip(1 - bar[1:] / bar[:-1], 0, max_beta), kind="cosine")
