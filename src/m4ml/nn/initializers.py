r"""Weight initializers: Glorot/Xavier and He, uniform and normal.

Each is ``init(rng, shape, dtype=numpy.float64) -> array``. The fans of a shape follow PyTorch:
a dense kernel ``(fan_in, fan_out)`` as m4ml stores it; a convolution kernel
``(out_channels, in_channels, kh, kw)`` has ``fan_in = in_channels kh kw`` and
``fan_out = out_channels kh kw``.
"""

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from m4ml._core.hints import NDArray, Seed
from m4ml._core.random import check_rng

__all__ = ["compute_fans", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "zeros"]


def compute_fans(shape: Sequence[int]) -> tuple[int, int]:
    """Return ``(fan_in, fan_out)`` of a kernel shape (dense ``(in, out)``, conv ``(out, in, *k)``).

    Raises
    ------
    ValueError
        A shape with fewer than two axes.

    Examples
    --------
    >>> compute_fans((64, 10)), compute_fans((8, 3, 3, 3))
    ((64, 10), (27, 72))
    """
    shape = tuple(int(s) for s in shape)
    if len(shape) < 2:
        raise ValueError(f"shape must have at least two axes to define fans, got {shape}")
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _draw(rng, shape, dtype, std, uniform):
    rng = check_rng(rng)
    if uniform:
        bound = np.sqrt(3.0) * std  # Var U(-a, a) = a^2 / 3
        return rng.uniform(-bound, bound, size=shape).astype(dtype)
    return (std * rng.standard_normal(size=shape)).astype(dtype)


def glorot_uniform(
    rng: Seed, shape: tuple[int, ...], dtype: DTypeLike = np.float64, gain: float = 1.0
) -> NDArray[Any]:
    r"""Glorot/Xavier uniform: :math:`U(-a, a)`, :math:`a = g\sqrt{6/(n_\text{in} + n_\text{out})}`.

    Notes
    -----
    Variance :math:`2g^2/(n_\text{in} + n_\text{out})`, the compromise between keeping the
    forward activations' variance (:math:`1/n_\text{in}`) and the backward gradients'
    (:math:`1/n_\text{out}`) for a linear or tanh unit (Glorot & Bengio, 2010).

    Examples
    --------
    >>> W = glorot_uniform(0, (64, 10))
    >>> W.shape, bool(np.abs(W).max() <= np.sqrt(6 / 74))
    ((64, 10), True)
    """
    fan_in, fan_out = compute_fans(shape)
    return _draw(rng, shape, dtype, gain * np.sqrt(2.0 / (fan_in + fan_out)), True)


def glorot_normal(
    rng: Seed, shape: tuple[int, ...], dtype: DTypeLike = np.float64, gain: float = 1.0
) -> NDArray[Any]:
    r"""Glorot/Xavier normal: :math:`N(0, \sigma^2)` with
    :math:`\sigma^2 = 2g^2/(n_\text{in}+n_\text{out})`.

    Examples
    --------
    >>> glorot_normal(0, (3, 2)).shape
    (3, 2)
    """
    fan_in, fan_out = compute_fans(shape)
    return _draw(rng, shape, dtype, gain * np.sqrt(2.0 / (fan_in + fan_out)), False)


def he_uniform(rng: Seed, shape: tuple[int, ...], dtype: DTypeLike = np.float64) -> NDArray[Any]:
    r"""He/Kaiming uniform: :math:`U(-a, a)`, :math:`a = \sqrt{6/n_\text{in}}`.

    Notes
    -----
    Variance :math:`2/n_\text{in}`: a ReLU zeroes half its inputs, so twice the Glorot forward
    variance keeps the activations' scale constant through depth (He et al., 2015).

    Examples
    --------
    >>> bool(np.abs(he_uniform(1, (50, 5))).max() <= np.sqrt(6 / 50))
    True
    """
    fan_in, _ = compute_fans(shape)
    return _draw(rng, shape, dtype, np.sqrt(2.0 / fan_in), True)


def he_normal(rng: Seed, shape: tuple[int, ...], dtype: DTypeLike = np.float64) -> NDArray[Any]:
    r"""He/Kaiming normal: :math:`N(0, 2/n_\text{in})`.

    Examples
    --------
    >>> he_normal(0, (4, 3, 3, 3)).shape
    (4, 3, 3, 3)
    """
    fan_in, _ = compute_fans(shape)
    return _draw(rng, shape, dtype, np.sqrt(2.0 / fan_in), False)


def zeros(rng: Seed, shape: tuple[int, ...], dtype: DTypeLike = np.float64) -> NDArray[Any]:
    """All zeros (the default bias initializer); ``rng`` is ignored.

    Examples
    --------
    >>> zeros(None, (2,))
    array([0., 0.])
    """
    return np.zeros(shape, dtype=dtype)
