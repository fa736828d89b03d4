r"""Convolution and pooling over images in NCHW layout (PyTorch's): ``x`` has shape
``(batch, channels, height, width)``.

All three layers gather the :math:`k_h k_w` shifted, strided views of the (padded) input —
im2col written as :math:`k_h k_w` slices stacked on a new axis — and then contract
(``einsum`` for :class:`Conv2D`) or reduce (max / mean for the pooling layers). The output size
along each spatial axis is :math:`\lfloor (n + 2p - k)/s \rfloor + 1`.
"""

from collections.abc import Callable
from typing import Any

import numpy as np

import m4ml.numpy as mnp
from m4ml._core.hints import ArrayLike, FloatArray, PyTree, Seed
from m4ml._core.random import check_rng
from m4ml.autodiff import primal
from m4ml.nn.initializers import he_uniform, zeros
from m4ml.nn.layers import Layer, _shape

__all__ = ["AvgPool2D", "Conv2D", "MaxPool2D"]


def _pair(value, name, minimum=1):
    if isinstance(value, (int, np.integer)):
        value = (value, value)
    try:
        a, b = (int(v) for v in value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}") from None
    if a < minimum or b < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {(a, b)}")
    return a, b


def _image_shape(input_shape):
    shape = _shape(input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (channels, height, width), got {shape}")
    return shape


def _out_size(n, k, s, p):
    out = (n + 2 * p - k) // s + 1
    if out < 1:
        raise ValueError(f"the window ({k}) is larger than the padded input ({n + 2 * p})")
    return out


def _pad_hw(x, ph, pw, fill):
    """Pad the two spatial axes with ``fill`` by concatenating constant borders."""
    n, c, h, w = x.shape
    dtype = primal(x).dtype if primal(x).dtype.kind == "f" else np.float64
    if ph:
        band = np.full((n, c, ph, w), fill, dtype=dtype)
        x = mnp.concatenate([band, x, band], axis=2)
    if pw:
        band = np.full((n, c, h + 2 * ph, pw), fill, dtype=dtype)
        x = mnp.concatenate([band, x, band], axis=3)
    return x


def _patches(x, kernel, stride, padding, fill=0.0):
    """Return ``(N, C, kh*kw, oh, ow)``: the kh*kw shifted, strided views of padded ``x``."""
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    if x.ndim != 4:
        raise ValueError(f"x must have shape (batch, channels, height, width), got {x.shape}")
    if ph or pw:
        x = _pad_hw(x, ph, pw, fill)
    oh = _out_size(x.shape[2], kh, sh, 0)
    ow = _out_size(x.shape[3], kw, sw, 0)
    views = [
        x[:, :, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]
        for i in range(kh)
        for j in range(kw)
    ]
    return mnp.stack(views, axis=2)


class Conv2D(Layer):
    r"""2-D convolution (cross-correlation, as in every deep-learning library).

    Parameters
    ----------
    filters : int
        Output channels :math:`C_\text{out}`.
    kernel_size, stride, padding : int or pair of ints
        Zero padding ``padding`` on each side.
    use_bias : bool
    kernel_init, bias_init : callable

    Notes
    -----
    ``params = {"W": (C_out, C_in, kh, kw), "b": (C_out,)}`` and

    .. math:: y_{n,o,i,j} = b_o + \sum_{c,u,v} W_{o,c,u,v}\, x_{n,c,\,s_h i + u,\,s_w j + v}

    over the padded input; computed as ``einsum("nckij,ock->noij", patches, W)``.

    Raises
    ------
    ValueError
        Non-positive sizes, a window larger than the padded input, or an input that is not
        ``(batch, channels, height, width)``.

    Examples
    --------
    >>> conv = Conv2D(4, 3, padding=1)
    >>> params, state = conv.init(0, (1, 8, 8))
    >>> conv.apply(params, state, np.zeros((2, 1, 8, 8)))[0].shape
    (2, 4, 8, 8)
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, int],
        *,
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        use_bias: bool = True,
        kernel_init: Callable[..., Any] = he_uniform,
        bias_init: Callable[..., Any] = zeros,
    ):
        if int(filters) < 1:
            raise ValueError(f"filters must be a positive integer, got {filters!r}")
        self.filters = int(filters)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.padding = _pair(padding, "padding", minimum=0)
        self.use_bias = bool(use_bias)
        self.kernel_init = kernel_init
        self.bias_init = bias_init

    def init(self, rng: Seed, input_shape: tuple[int, ...]) -> tuple[PyTree, PyTree]:
        c, _, _ = _image_shape(input_shape)
        self.output_shape(input_shape)
        rng = check_rng(rng)
        params = {"W": self.kernel_init(rng, (self.filters, c, *self.kernel_size))}
        if self.use_bias:
            params["b"] = self.bias_init(rng, (self.filters,))
        return params, {}

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        _, h, w = _image_shape(input_shape)
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        return (self.filters, _out_size(h, kh, sh, ph), _out_size(w, kw, sw, pw))

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        W = params["W"]
        cols = _patches(x, self.kernel_size, self.stride, self.padding)
        Wk = mnp.reshape(W, (W.shape[0], W.shape[1], -1))
        y = mnp.einsum("nckij,ock->noij", cols, Wk)
        if self.use_bias:
            y = y + mnp.reshape(params["b"], (1, -1, 1, 1))
        return y, state


class _Pool2D(Layer):
    def __init__(
        self,
        pool_size: int | tuple[int, int],
        *,
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
    ):
        self.pool_size = _pair(pool_size, "pool_size")
        self.stride = self.pool_size if stride is None else _pair(stride, "stride")
        self.padding = _pair(padding, "padding", minimum=0)
        if any(2 * p > k for p, k in zip(self.padding, self.pool_size)):
            raise ValueError(
                f"padding {self.padding} must be at most half the pool size {self.pool_size}"
            )

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        c, h, w = _image_shape(input_shape)
        (kh, kw), (sh, sw), (ph, pw) = self.pool_size, self.stride, self.padding
        return (c, _out_size(h, kh, sh, ph), _out_size(w, kw, sw, pw))


class MaxPool2D(_Pool2D):
    r"""Max pooling: :math:`y_{n,c,i,j} = \max_{u,v} x_{n,c,\,s_h i+u,\,s_w j+v}`.

    Padding is with :math:`-\infty` (never selected). The gradient flows to the maximum of
    each window (split evenly between exact ties).

    Parameters
    ----------
    pool_size, stride, padding : int or pair of ints
        ``stride`` defaults to ``pool_size``; ``padding`` at most half the pool size.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> MaxPool2D(2).apply({}, {}, x)[0]
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    """

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        cols = _patches(x, self.pool_size, self.stride, self.padding, fill=-np.inf)
        return mnp.max(cols, axis=2), state


class AvgPool2D(_Pool2D):
    r"""Average pooling: the mean of each window,
    :math:`y_{n,c,i,j} = \frac{1}{k_h k_w}\sum_{u,v} x_{n,c,\,s_h i+u,\,s_w j+v}`.

    Zero padding counts in the average (PyTorch's ``count_include_pad=True``).

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> AvgPool2D(2).apply({}, {}, x)[0]
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]])
    """

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        cols = _patches(x, self.pool_size, self.stride, self.padding)
        return mnp.mean(cols, axis=2), state
