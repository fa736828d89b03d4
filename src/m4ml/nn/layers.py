r"""Layers as pure functions over parameter pytrees (the style of JAX's stax / Equinox).

A layer object holds only hyper-parameters. It has

* ``init(rng, input_shape) -> (params, state)`` — ``input_shape`` is the shape of *one*
  example (no batch axis); ``params`` are the trained arrays (a dict, or a list for
  :class:`Sequential`), ``state`` what is not trained by gradients (BatchNorm's running
  statistics; an empty dict for the other layers);
* ``apply(params, state, x, *, train=False, rng=None) -> (y, new_state)`` — ``x`` has a leading
  batch axis; nothing is modified in place, so the functions stay pure and
  :func:`m4ml.autodiff.grad` differentiates ``apply`` with respect to ``params``;
* ``output_shape(input_shape)`` — the per-example output shape.

There is no backward pass anywhere in :mod:`m4ml.nn`: gradients come from :mod:`m4ml.autodiff`.
"""

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import m4ml.numpy as mnp
from m4ml._core.hints import ArrayLike, FloatArray, PyTree, Seed
from m4ml._core.random import check_rng
from m4ml.autodiff import primal
from m4ml.nn import activations as _act
from m4ml.nn.initializers import glorot_uniform, zeros

__all__ = ["Activation", "Dense", "Dropout", "Flatten", "Layer", "Sequential"]


def _shape(input_shape, name="input_shape"):
    try:
        shape = tuple(int(s) for s in np.atleast_1d(input_shape))
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a tuple of ints, got {input_shape!r}") from None
    if any(s < 1 for s in shape):
        raise ValueError(f"{name} must have positive sizes, got {shape}")
    return shape


class Layer:
    """Base class: hyper-parameters only; see the module docstring for the protocol."""

    def init(self, rng: Seed, input_shape: tuple[int, ...]) -> tuple[PyTree, PyTree]:
        _shape(input_shape)
        return {}, {}

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return _shape(input_shape)

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        raise NotImplementedError

    def __call__(self, params, state, x, *, train=False, rng=None):
        return self.apply(params, state, x, train=train, rng=rng)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class Dense(Layer):
    r"""Fully connected layer :math:`y = xW + b` over the last axis.

    Parameters
    ----------
    units : int
        Output features :math:`n_\text{out}`.
    use_bias : bool
    kernel_init, bias_init : callable
        ``init(rng, shape)`` (default Glorot uniform and zeros).

    Notes
    -----
    ``params = {"W": (n_in, n_out), "b": (n_out,)}``. Reverse mode gives
    :math:`\bar W = x^\top \bar y`, :math:`\bar b = \sum_\text{batch}\bar y`,
    :math:`\bar x = \bar y W^\top` — derived by :mod:`m4ml.autodiff` from ``x @ W + b``.

    Examples
    --------
    >>> layer = Dense(3)
    >>> params, state = layer.init(0, (4,))
    >>> y, _ = layer.apply(params, state, np.ones((2, 4)))
    >>> y.shape
    (2, 3)
    """

    def __init__(
        self,
        units: int,
        *,
        use_bias: bool = True,
        kernel_init: Callable[..., Any] = glorot_uniform,
        bias_init: Callable[..., Any] = zeros,
    ):
        if int(units) < 1:
            raise ValueError(f"units must be a positive integer, got {units!r}")
        self.units = int(units)
        self.use_bias = bool(use_bias)
        self.kernel_init = kernel_init
        self.bias_init = bias_init

    def init(self, rng: Seed, input_shape: tuple[int, ...]) -> tuple[PyTree, PyTree]:
        shape = _shape(input_shape)
        rng = check_rng(rng)
        params = {"W": self.kernel_init(rng, (shape[-1], self.units))}
        if self.use_bias:
            params["b"] = self.bias_init(rng, (self.units,))
        return params, {}

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return (*_shape(input_shape)[:-1], self.units)

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        y = x @ params["W"]
        if self.use_bias:
            y = y + params["b"]
        return y, state


_ACTIVATIONS = {
    "relu": _act.relu,
    "leaky_relu": _act.leaky_relu,
    "gelu": _act.gelu,
    "tanh": _act.tanh,
    "sigmoid": _act.sigmoid,
    "logistic": _act.sigmoid,
    "softmax": _act.softmax,
    "log_softmax": _act.log_softmax,
    "identity": _act.identity,
}


class Activation(Layer):
    """A parameter-free layer applying ``fn`` (a function or a name: relu, leaky_relu, gelu,
    tanh, sigmoid/logistic, softmax, log_softmax, identity).

    Raises
    ------
    ValueError
        An unknown activation name.

    Examples
    --------
    >>> Activation("relu").apply({}, {}, np.array([[-1.0, 2.0]]))[0]
    array([[0., 2.]])
    """

    def __init__(self, fn: Callable[[ArrayLike], Any] | str):
        if isinstance(fn, str):
            if fn not in _ACTIVATIONS:
                raise ValueError(f"unknown activation {fn!r}; use one of {sorted(_ACTIVATIONS)}")
            fn = _ACTIVATIONS[fn]
        if not callable(fn):
            raise TypeError(f"fn must be a callable or an activation name, got {fn!r}")
        self.fn = fn

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        return self.fn(x), state


class Flatten(Layer):
    """Flatten every axis but the batch axis: ``(N, d1, d2, ...) -> (N, d1 d2 ...)``.

    Examples
    --------
    >>> Flatten().apply({}, {}, np.zeros((2, 3, 4)))[0].shape
    (2, 12)
    """

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return (math.prod(_shape(input_shape)),)

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        return mnp.reshape(x, (x.shape[0], -1)), state


class Dropout(Layer):
    r"""Inverted dropout: in training, zero each unit with probability ``rate`` and scale the
    survivors by :math:`1/(1-p)`; at evaluation (``train=False``) the identity.

    Parameters
    ----------
    rate : float in [0, 1)

    Raises
    ------
    ValueError
        ``rate`` outside [0, 1), or ``train=True`` without an ``rng`` (the mask must be
        reproducible, so the caller passes the randomness explicitly).

    Notes
    -----
    :math:`y = x \odot m / (1-p)` with :math:`m_i \sim \text{Bernoulli}(1-p)`, so
    :math:`\mathbb E[y] = x` and evaluation needs no rescaling.

    Examples
    --------
    >>> d = Dropout(0.5)
    >>> d.apply({}, {}, np.ones((1, 4)))[0]            # evaluation: identity
    array([[1., 1., 1., 1.]])
    >>> y, _ = d.apply({}, {}, np.ones((1, 4)), train=True, rng=0)
    >>> sorted(set(y.ravel().tolist())) in ([0.0, 2.0], [0.0], [2.0])
    True
    """

    def __init__(self, rate: float):
        rate = float(rate)
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"rate must be in [0, 1), got {rate}")
        self.rate = rate

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        if not train or self.rate == 0.0:
            return x, state
        if rng is None:
            raise ValueError("Dropout.apply(train=True) needs an rng for the mask")
        rng = check_rng(rng)
        keep = rng.random(np.shape(primal(x))) >= self.rate
        return x * (keep / (1.0 - self.rate)), state


class Sequential(Layer):
    """A chain of layers; ``params`` and ``state`` are lists with one entry per layer.

    In training, each layer gets its own child generator spawned from ``rng``.

    Examples
    --------
    >>> net = Sequential(Dense(8), Activation("relu"), Dense(2))
    >>> params, state = net.init(0, (3,))
    >>> net.apply(params, state, np.zeros((5, 3)))[0].shape
    (5, 2)
    >>> net.output_shape((3,))
    (2,)
    """

    def __init__(self, *layers: Layer | Sequence[Layer]):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for layer in layers:
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential takes m4ml.nn layers, got {layer!r}")
        self.layers = tuple(layers)

    def init(self, rng: Seed, input_shape: tuple[int, ...]) -> tuple[PyTree, PyTree]:
        rng = check_rng(rng)
        shape = _shape(input_shape)
        params, state = [], []
        for layer in self.layers:
            p, s = layer.init(rng, shape)
            params.append(p)
            state.append(s)
            shape = layer.output_shape(shape)
        return params, state

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        shape = _shape(input_shape)
        for layer in self.layers:
            shape = layer.output_shape(shape)
        return shape

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        if len(params) != len(self.layers) or len(state) != len(self.layers):
            raise ValueError(
                f"params and state need one entry per layer ({len(self.layers)}), got "
                f"{len(params)} and {len(state)}"
            )
        rngs = [None] * len(self.layers)
        if train and rng is not None:
            rngs = check_rng(rng).spawn(len(self.layers))
        new_state = []
        for layer, p, s, r in zip(self.layers, params, state, rngs):
            x, s = layer.apply(p, s, x, train=train, rng=r)
            new_state.append(s)
        return x, new_state
