"""logsumexp and log_softmax (a smooth maximum and its log-probabilities) and cumsum.

:math:`y = \\log\\sum_i e^{x_i}` has :math:`\\partial y/\\partial x_i = e^{x_i - y}` (the
softmax), computed from the saved result so no exponential overflows. The running sum
:math:`y_k = \\sum_{i \\le k} x_i` is linear: its JVP is the running sum of the tangent and its
VJP the reversed running sum of the cotangent.
"""

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff.core import Primitive, ndim_of, shape_of
from m4ml.autodiff.rules_elementwise import exp, multiply, subtract
from m4ml.autodiff.rules_reduce import _axes, _expand, _kept_shape, _neg_axes, _norm_axis, sum_p
from m4ml.autodiff.rules_shape import getitem_p, pack_sequence, reshape_p
from m4ml.autodiff.tracer import Array


# -- logsumexp --------------------------------------------------------------------------------
def _logsumexp_impl(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0).astype(m.dtype)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


logsumexp_p = Primitive(_logsumexp_impl, "logsumexp")


def _softmax(ans, x, axis, keepdims):
    a = ans if keepdims else reshape_p(ans, _kept_shape(shape_of(x), _axes(axis, ndim_of(x))))
    return exp(subtract(x, a))


def _logsumexp_vjp(g, ans, x, axis=None, keepdims=False):
    g, _ = _expand(g, ans, x, axis, keepdims)
    return multiply(g, _softmax(ans, x, axis, keepdims))


def _logsumexp_jvp(t, ans, x, axis=None, keepdims=False):
    w = _softmax(ans, x, axis, keepdims)
    return sum_p(multiply(t, w), axis=_neg_axes(axis, ndim_of(x)), keepdims=keepdims)


logsumexp_p.defvjp(_logsumexp_vjp)
logsumexp_p.defjvp(_logsumexp_jvp)


def logsumexp(
    a: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False
) -> Array:
    """:math:`\\log \\sum_i e^{a_i}` over ``axis``, computed stably (shifted by the maximum).

    Parameters
    ----------
    a : array_like or traced value
        Input array.
    axis : None, int or tuple of int
        Axes to reduce (all by default); negative values count from the end.
    keepdims : bool
        Keep the reduced axes with length one.

    Returns
    -------
    ndarray or traced value
        The reduction, as NumPy's function returns it (traced under a transform).

    Notes
    -----
    :math:`y = m + \\log\\sum_i e^{a_i - m}` with :math:`m = \\max_i a_i` never overflows; the
    derivative is the softmax :math:`\\partial y/\\partial a_i = e^{a_i - y}`.

    Examples
    --------
    >>> float(logsumexp(np.array([1000.0, 1000.0])))
    1000.6931471805599
    """
    a = pack_sequence(a)
    return logsumexp_p(a, axis=_norm_axis(axis), keepdims=keepdims)


# -- cumsum -----------------------------------------------------------------------------------
def _cumsum_impl(x, axis):
    return np.cumsum(x, axis=axis)


cumsum_p = Primitive(_cumsum_impl, "cumsum", keep_args=False, keep_ans=False)


def _negative_axis(axis, nd):
    return axis if axis < 0 else axis - nd


def _reverse(g, axis):
    return getitem_p(g, (Ellipsis, slice(None, None, -1)) + (slice(None),) * (-axis - 1))


def _cumsum_vjp(g, ans, x, axis):
    axis = _negative_axis(axis, ndim_of(x))
    return _reverse(cumsum_p(_reverse(g, axis), axis), axis)


cumsum_p.defvjp(_cumsum_vjp)
cumsum_p.defjvp(lambda t, ans, x, axis: cumsum_p(t, _negative_axis(axis, ndim_of(x))))


def cumsum(a: ArrayLike, axis: int | None = None) -> Array:
    """Cumulative sum along ``axis`` (over the flattened array when ``axis`` is None).

    Parameters
    ----------
    a : array_like or traced value
    axis : int or None

    Returns
    -------
    ndarray or traced value

    Notes
    -----
    Linear; the VJP is the reversed cumulative sum of the cotangent,
    :math:`\\bar a_i = \\sum_{j \\ge i} \\bar y_j`.

    Examples
    --------
    >>> from m4ml.autodiff import grad
    >>> grad(lambda x: sum(cumsum(x)))(np.ones(3))
    array([3., 2., 1.])
    """
    a = pack_sequence(a)
    if axis is None:
        a = reshape_p(a, (-1,))
        axis = 0
    return cumsum_p(a, int(axis) % ndim_of(a))


def log_softmax(a, axis=-1):
    """:math:`a - \\operatorname{logsumexp}(a)` along ``axis`` (not a NumPy function)."""
    return subtract(a, logsumexp(a, axis=axis, keepdims=True))
