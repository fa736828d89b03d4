"""Reductions (sum, mean, prod, max, min, var, std) with their rules (logsumexp and cumsum
are in :mod:`m4ml.autodiff.rules_accumulate`).

For :math:`y = \\sum_{i \\in A} x_i` the VJP broadcasts :math:`\\bar y` back over the reduced
axes :math:`A` and the JVP sums the tangent: :math:`\\dot y = \\sum_{i\\in A} \\dot x_i`. The other
reductions multiply by their local derivative first: :math:`\\partial y/\\partial x_i = y/x_i`
for ``prod`` (computed without dividing by zero), the indicator of the arg-max for ``max``
(ties share the cotangent equally).
Axes are normalised to negative numbers so the rules work unchanged with leading batch axes.
"""

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff.core import Primitive, _sum, ndim_of, shape_of
from m4ml.autodiff.rules_elementwise import (
    NONDIFF,
    divide,
    multiply,
    subtract,
    where_p,
)
from m4ml.autodiff.rules_shape import broadcast_to_p, pack_sequence, reshape_p
from m4ml.autodiff.tracer import Array

sum_p = _sum


def _axes(axis, nd):
    """The reduced axes as a sorted tuple of non-negative ints."""
    if axis is None:
        return tuple(range(nd))
    axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
    out = tuple(sorted(int(a) % nd for a in axes)) if nd else ()
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axis}")
    return out


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _expand(g, ans, x, axis, keepdims):
    """Reshape the cotangent ``g`` of a reduction to broadcast against ``x`` (batch first)."""
    nb = ndim_of(g) - ndim_of(ans)
    if keepdims:
        return g, nb
    kept = _kept_shape(shape_of(x), _axes(axis, ndim_of(x)))
    return reshape_p(g, shape_of(g)[:nb] + kept), nb


def _neg_axes(axis, nd):
    return tuple(a - nd for a in _axes(axis, nd))


def _sum_vjp(g, ans, x, axis=None, keepdims=False):
    g, nb = _expand(g, ans, x, axis, keepdims)
    return broadcast_to_p(g, shape_of(g)[:nb] + shape_of(x))


def _sum_jvp(t, ans, x, axis=None, keepdims=False):
    nd = ndim_of(x)
    return sum_p(t, axis=_neg_axes(axis, nd), keepdims=keepdims) if nd else t


sum_p.defvjp(_sum_vjp)
sum_p.defjvp(_sum_jvp)


def _norm_axis(axis):
    if axis is None or isinstance(axis, int | np.integer):
        return None if axis is None else int(axis)
    return tuple(int(a) for a in axis)


def sum(a: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    """Sum of the elements over ``axis`` (all of them by default).

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
    Linear: the VJP broadcasts the cotangent back over the reduced axes,
    :math:`\\bar a_i = \\bar y`, and the JVP sums the tangent.

    Examples
    --------
    >>> from m4ml.autodiff import grad
    >>> grad(lambda x: sum(x * x))(np.array([1.0, 2.0]))
    array([2., 4.])
    """
    a = pack_sequence(a)
    return sum_p(a, axis=_norm_axis(axis), keepdims=keepdims)


def _count(a, axis):
    s = shape_of(a)
    return int(np.prod([s[i] for i in _axes(axis, len(s))]))


def mean(a: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    """Arithmetic mean over ``axis``: ``sum(a, axis) / n``.

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
    :math:`\\partial \\bar a / \\partial a_i = 1/n`.

    Examples
    --------
    >>> mean(np.array([[1.0, 2.0], [3.0, 5.0]]), axis=0)
    array([2. , 3.5])
    """
    a = pack_sequence(a)
    return divide(sum(a, axis, keepdims), float(_count(a, axis)))


def var(
    a: ArrayLike, axis: int | tuple[int, ...] | None = None, ddof: int = 0, keepdims: bool = False
) -> Array:
    """Variance :math:`\\frac{1}{n - \\text{ddof}}\\sum (a - \\bar a)^2` over ``axis``.

    Parameters
    ----------
    a : array_like or traced value
        Input array.
    axis : None, int or tuple of int
        Axes to reduce (all by default).
    ddof : int
        Delta degrees of freedom (1 for the unbiased sample variance).
    keepdims : bool
        Keep the reduced axes with length one.

    Returns
    -------
    ndarray or traced value

    Notes
    -----
    Two passes (mean, then centred squares), composed of differentiable primitives:
    :math:`\\partial s^2/\\partial a_i = 2(a_i - \\bar a)/(n - \\text{ddof})`.

    Examples
    --------
    >>> var(np.array([1.0, 2.0, 3.0, 4.0]), ddof=1)
    np.float64(1.6666666666666667)
    """
    a = pack_sequence(a)
    centred = subtract(a, mean(a, axis, keepdims=True))
    n = _count(a, axis)
    return divide(sum(multiply(centred, centred), axis, keepdims), float(max(n - ddof, 0)))


def std(
    a: ArrayLike, axis: int | tuple[int, ...] | None = None, ddof: int = 0, keepdims: bool = False
) -> Array:
    """Standard deviation, the square root of :func:`var`.

    Parameters
    ----------
    a, axis, ddof, keepdims
        As for :func:`var`.

    Returns
    -------
    ndarray or traced value

    Notes
    -----
    :math:`\\partial s/\\partial a_i = (a_i - \\bar a)/((n - \\text{ddof})\\, s)`. Where
    :math:`s = 0` the derivative is 0: the true one when the standard deviation is identically 0
    (a single sample along ``axis``), the minimum-norm subgradient at a kink (equal samples).

    Examples
    --------
    >>> std(np.array([1.0, 3.0]))
    np.float64(1.0)
    """
    a = pack_sequence(a)
    return sqrt_kink_p(var(a, axis, ddof, keepdims))


def _sqrt_kink_impl(x):
    return np.sqrt(x)


sqrt_kink_p = Primitive(_sqrt_kink_impl, "sqrt", broadcasting=True, keep_args=False)
r"""``sqrt`` whose derivative at 0 is 0 (the minimum-norm subgradient), used by ``std``.

:math:`s = \sqrt{v}` has :math:`ds = dv / (2s)`; at :math:`s = 0` the variance :math:`v` is at its
minimum, where its own derivative vanishes. When :math:`s` is identically 0 (one sample) the true
derivative of ``std`` is 0, and at the kink of a genuinely non-smooth point (equal samples) 0 is
the minimum-norm subgradient, the convention of m4ml.numpy (``linalg.norm`` at 0 likewise)."""


def _sqrt_kink_rule(g, ans, x):
    pos = NONDIFF["greater"](ans, 0.0)
    return where_p(pos, divide(multiply(g, 0.5), where_p(pos, ans, 1.0)), 0.0)


sqrt_kink_p.defvjp(_sqrt_kink_rule)
sqrt_kink_p.defjvp(_sqrt_kink_rule)


# -- prod -------------------------------------------------------------------------------------
def _prod_impl(x, axis=None, keepdims=False):
    return np.prod(x, axis=axis, keepdims=keepdims)


prod_p = Primitive(_prod_impl, "prod", keep_ans=False)


def _prod_factor(x, axis):
    """:math:`\\prod_{j \\ne i} x_j` for every i, without dividing by zero.

    With no zero in the slice it is ``prod / x_i``; with exactly one zero ``x_z`` it is the
    product of the nonzero entries for ``i = z`` and ``x_z * prod_nz / x_i`` otherwise (0, but
    with the right derivative); with two or more zeros it is 0 (second derivatives there are
    not exact).
    """
    zero = NONDIFF["equal"](x, 0)
    safe = where_p(zero, 1.0, x)
    p = prod_p(safe, axis=axis, keepdims=True)
    count = np.sum(zero, axis=axis, keepdims=True)
    one = count == 1
    zsum = sum_p(where_p(zero, x, 0.0), axis=axis, keepdims=True)
    others = where_p(one, multiply(zsum, divide(p, safe)), 0.0)
    return where_p(count == 0, divide(p, safe), where_p(zero & one, p, others))


def _prod_rule(g, ans, x, axis=None, keepdims=False):
    g, _ = _expand(g, ans, x, axis, keepdims)
    return multiply(g, _prod_factor(x, axis))


def _prod_jvp(t, ans, x, axis=None, keepdims=False):
    return sum_p(
        multiply(t, _prod_factor(x, axis)), axis=_neg_axes(axis, ndim_of(x)), keepdims=keepdims
    )


prod_p.defvjp(_prod_rule)
prod_p.defjvp(_prod_jvp)


def prod(a: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    """Product of the elements over ``axis``.

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
    :math:`\\partial y / \\partial a_i = \\prod_{j \\ne i} a_j`, computed without dividing by
    :math:`a_i` (exact with zeros; second derivatives exact with at most one zero per slice).

    Examples
    --------
    >>> from m4ml.autodiff import grad
    >>> grad(prod)(np.array([2.0, 0.0, 3.0]))
    array([0., 6., 0.])
    """
    a = pack_sequence(a)
    return prod_p(a, axis=_norm_axis(axis), keepdims=keepdims)


# -- max / min --------------------------------------------------------------------------------
def _extreme(fun, name):
    def impl(x, axis=None, keepdims=False):
        return fun(x, axis=axis, keepdims=keepdims)

    p = Primitive(impl, name)

    def weights(ans, x, axis, keepdims):
        a = ans if keepdims else reshape_p(ans, _kept_shape(shape_of(x), _axes(axis, ndim_of(x))))
        hit = NONDIFF["equal"](x, a)
        return hit / np.sum(hit, axis=axis, keepdims=True)

    def vjp(g, ans, x, axis=None, keepdims=False):
        g, _ = _expand(g, ans, x, axis, keepdims)
        return multiply(g, weights(ans, x, axis, keepdims).astype(g.dtype))

    def jvp(t, ans, x, axis=None, keepdims=False):
        w = weights(ans, x, axis, keepdims).astype(t.dtype)
        return sum_p(multiply(t, w), axis=_neg_axes(axis, ndim_of(x)), keepdims=keepdims)

    p.defvjp(vjp)
    p.defjvp(jvp)
    return p


max_p = _extreme(np.max, "max")
min_p = _extreme(np.min, "min")


def max(a: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    """Largest element over ``axis``; tied maxima share the derivative equally.

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
    The derivative is the indicator of the arg-max divided by the number of ties.

    Examples
    --------
    >>> from m4ml.autodiff import grad
    >>> grad(max)(np.array([1.0, 3.0, 3.0]))
    array([0. , 0.5, 0.5])
    """
    a = pack_sequence(a)
    return max_p(a, axis=_norm_axis(axis), keepdims=keepdims)


def min(a: ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    """Smallest element over ``axis``; tied minima share the derivative equally.

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
    The derivative is the indicator of the arg-min divided by the number of ties.

    Examples
    --------
    >>> min(np.array([[1.0, -2.0], [0.5, 4.0]]), axis=1)
    array([-2. ,  0.5])
    """
    a = pack_sequence(a)
    return min_p(a, axis=_norm_axis(axis), keepdims=keepdims)


amax, amin = max, min
