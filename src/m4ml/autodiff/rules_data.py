"""Functions of data: average, cov, percentile/quantile, interp, unique, bincount, logspace,
ldexp/frexp — written with the differentiable primitives, so their derivatives follow.

* ``average``: :math:`\\sum_i w_i a_i / \\sum_i w_i`, differentiable in ``a`` and ``w``;
* ``cov``: :math:`C = (X - \\bar X) W (X - \\bar X)^\\top / f` (NumPy's weights and ``ddof``);
* ``percentile``/``quantile`` (NumPy's default "linear" method): the sorted values at the
  neighbouring ranks :math:`\\lfloor h\\rfloor, \\lceil h\\rceil` of :math:`h = (n-1)q`,
  interpolated; the derivative flows to those two samples (and the ranks are constants);
* ``interp``: the piecewise-linear interpolant, differentiable in ``x`` (the slope of the
  segment), in ``fp`` and in ``xp``; flat outside ``[xp[0], xp[-1]]``;
* ``unique`` returns the first occurrence of each value (gathered, so it is differentiable);
  ``bincount`` with weights adds the weights into bins (a scatter-add).
"""

import numpy as np
from numpy.typing import DTypeLike

from m4ml._core.hints import ArrayLike
from m4ml.autodiff.core import ndim_of, primal, shape_of
from m4ml.autodiff.rules_arrange import normalize_axis
from m4ml.autodiff.rules_contract import matmul_p
from m4ml.autodiff.rules_elementwise import add as _add
from m4ml.autodiff.rules_elementwise import divide, multiply, power, subtract, where_p
from m4ml.autodiff.rules_extra import linspace
from m4ml.autodiff.rules_reduce import mean, sum
from m4ml.autodiff.rules_shape import (
    concatenate,
    getitem_p,
    index_update,
    moveaxis,
    reshape_p,
    sort,
)
from m4ml.autodiff.tracer import Array, Tracer


def average(
    a: ArrayLike,
    axis: int | tuple[int, ...] | None = None,
    weights: ArrayLike | None = None,
    returned: bool = False,
    keepdims: bool = False,
) -> Array | tuple[Array, Array]:
    """Weighted mean :math:`\\sum w_i a_i / \\sum w_i` (the plain mean without weights).

    Examples
    --------
    >>> import numpy as np
    >>> average(np.array([1.0, 3.0]), weights=np.array([3.0, 1.0]))
    np.float64(1.5)
    """
    if weights is None:
        avg = mean(a, axis, keepdims)
        n = int(np.prod(shape_of(a))) // max(int(np.prod(shape_of(avg))), 1)
        return (avg, np.full(shape_of(avg), float(n))) if returned else avg
    w = weights
    if ndim_of(w) != ndim_of(a):
        if axis is None or ndim_of(w) != 1:
            raise ValueError("average: weights must match a's shape, or be 1-D along axis")
        ax = normalize_axis(axis, ndim_of(a))
        shape = [1] * ndim_of(a)
        shape[ax] = shape_of(w)[0]
        w = reshape_p(w, tuple(shape))
    scl = sum(multiply(w, np.ones(shape_of(a))), axis, keepdims)
    if np.any(np.asarray(primal(scl)) == 0):
        raise ZeroDivisionError("average: the weights sum to zero, the average is undefined")
    avg = divide(sum(multiply(a, w), axis, keepdims), scl)
    return (avg, scl) if returned else avg


def cov(
    m: ArrayLike,
    y: ArrayLike | None = None,
    rowvar: bool = True,
    bias: bool = False,
    ddof: int | None = None,
    fweights: ArrayLike | None = None,
    aweights: ArrayLike | None = None,
) -> Array:
    """Covariance matrix of the variables in ``m`` (as :func:`numpy.cov`), differentiable.

    Examples
    --------
    >>> import numpy as np
    >>> cov(np.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    x = reshape_p(m, (1, -1)) if ndim_of(m) == 1 else m
    if not rowvar and ndim_of(x) == 2 and ndim_of(m) != 1:
        x = moveaxis(x, 0, 1)
    if y is not None:
        yy = reshape_p(y, (1, -1)) if ndim_of(y) == 1 else y
        if not rowvar and ndim_of(y) != 1:
            yy = moveaxis(yy, 0, 1)
        x = concatenate([x, yy], axis=0)
    n = shape_of(x)[1]
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    if fweights is not None:
        w = np.asarray(fweights, dtype=float)
    if aweights is not None:
        w = aweights if w is None else multiply(w, aweights)
    if w is None:
        avg = mean(x, axis=1, keepdims=True)
        fact = float(n - ddof)
        xc = subtract(x, avg)
        return _squeeze_cov(divide(matmul_p(xc, moveaxis(xc, 0, 1)), fact))
    v1 = sum(w)
    avg = divide(sum(multiply(x, w), axis=1, keepdims=True), v1)
    if aweights is None:
        fact = subtract(v1, float(ddof))
    else:
        fact = subtract(v1, divide(multiply(float(ddof), sum(multiply(w, aweights))), v1))
    xc = subtract(x, avg)
    return _squeeze_cov(divide(matmul_p(multiply(xc, w), moveaxis(xc, 0, 1)), fact))


def _squeeze_cov(c):
    return reshape_p(c, ()) if shape_of(c) == (1, 1) else c


def quantile(a: ArrayLike, q: ArrayLike, axis: int | None = None, keepdims: bool = False) -> Array:
    """The ``q``-quantiles of ``a`` (NumPy's default "linear" method), differentiable in ``a``.

    Examples
    --------
    >>> import numpy as np
    >>> quantile(np.array([1.0, 2.0, 4.0]), 0.75)
    np.float64(3.0)
    """
    qs = np.asarray(q, dtype=float)
    if np.any((qs < 0) | (qs > 1)) or not np.all(np.isfinite(qs)):
        raise ValueError(f"quantiles q must lie in [0, 1], got {q!r}")
    if axis is None:
        x, ax = reshape_p(a, (-1,)), 0
    else:
        x, ax = a, normalize_axis(axis, ndim_of(a))
    n = shape_of(x)[ax]
    if n == 0:
        raise ValueError("quantile of an empty array")
    s = moveaxis(sort(x, axis=ax), ax, -1)
    h = (n - 1) * qs
    lo = np.floor(h).astype(np.intp)
    hi = np.minimum(lo + 1, n - 1)
    frac = h - lo
    vlo, vhi = getitem_p(s, (Ellipsis, lo)), getitem_p(s, (Ellipsis, hi))
    out = _add(vlo, multiply(frac, subtract(vhi, vlo)))  # batch... x q
    if qs.ndim:
        out = moveaxis(out, -1, 0)
    if keepdims:
        kept = list(shape_of(a)) if axis is not None else [1] * ndim_of(a)
        if axis is not None:
            kept[ax] = 1
        out = reshape_p(out, qs.shape + tuple(kept))
    return out


def percentile(
    a: ArrayLike, q: ArrayLike, axis: int | None = None, keepdims: bool = False
) -> Array:
    """The ``q``-th percentiles (``q`` in [0, 100]): ``quantile(a, q / 100)``.

    Examples
    --------
    >>> import numpy as np
    >>> percentile(np.array([1.0, 2.0, 4.0]), 50)
    np.float64(2.0)
    """
    return quantile(a, np.asarray(q, dtype=float) / 100.0, axis, keepdims)


def interp(
    x: ArrayLike,
    xp: ArrayLike,
    fp: ArrayLike,
    left: float | None = None,
    right: float | None = None,
) -> Array:
    """Piecewise-linear interpolation through ``(xp, fp)`` (as :func:`numpy.interp`).

    Examples
    --------
    >>> import numpy as np
    >>> interp(np.array([0.5, 3.0]), np.array([0.0, 1.0, 2.0]), np.array([0.0, 10.0, 0.0]))
    array([5., 0.])
    """
    xv, xpv = np.asarray(primal(x)), np.asarray(primal(xp))
    if xpv.ndim != 1 or xpv.size < 1 or shape_of(fp) != xpv.shape:
        raise ValueError("interp: xp and fp must be 1-D sequences of the same length")
    if xpv.size == 1:
        return _add(multiply(x, 0.0), getitem_p(fp, 0))
    j = np.clip(np.searchsorted(xpv, xv, side="right") - 1, 0, xpv.size - 2)
    x0, x1 = getitem_p(xp, j), getitem_p(xp, j + 1)
    f0, f1 = getitem_p(fp, j), getitem_p(fp, j + 1)
    y = _add(f0, multiply(divide(subtract(f1, f0), subtract(x1, x0)), subtract(x, x0)))
    lval = getitem_p(fp, 0) if left is None else left
    rval = getitem_p(fp, -1) if right is None else right
    y = where_p(xv < xpv[0], _add(lval, multiply(y, 0.0)), y)
    return where_p(xv > xpv[-1], _add(rval, multiply(y, 0.0)), y)


def unique(
    ar: ArrayLike,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: int | None = None,
) -> Array | tuple[Array, ...]:
    """Sorted unique values (first occurrences, gathered: differentiable) and NumPy's extras.

    Examples
    --------
    >>> import numpy as np
    >>> unique(np.array([2.0, 1.0, 2.0]))
    array([1., 2.])
    """
    if not isinstance(ar, Tracer):
        return np.unique(ar, return_index, return_inverse, return_counts, axis=axis)
    v = primal(ar)
    res = np.unique(v, True, return_inverse, return_counts, axis=axis)
    idx = res[1]
    if axis is None:
        vals = getitem_p(reshape_p(ar, (-1,)), idx)
    else:
        ax = normalize_axis(axis, ndim_of(ar))
        vals = getitem_p(ar, (slice(None),) * ax + (idx,))
    extra = [r for r, want in zip(res[1:], (return_index, return_inverse, return_counts)) if want]
    return (vals, *extra) if extra else vals


def take(a: ArrayLike, indices: ArrayLike, axis: int | None = None) -> Array:
    """Elements of ``a`` at ``indices`` along ``axis`` (of the flat array by default).

    A gather, so differentiable in ``a`` (repeated indices add up in the VJP).
    """
    idx = np.asarray(primal(indices))
    if axis is None:
        return getitem_p(reshape_p(a, (-1,)), idx)
    ax = normalize_axis(axis, ndim_of(a))
    return getitem_p(a, (slice(None),) * ax + (idx,))


def union1d(ar1: ArrayLike, ar2: ArrayLike) -> Array:
    """Sorted unique values of both arrays (first occurrences gathered: differentiable)."""
    return unique(concatenate([reshape_p(ar1, (-1,)), reshape_p(ar2, (-1,))], axis=0))


def _gather_where(ar1, keep):
    vals, first = np.unique(np.asarray(primal(ar1)).ravel(), return_index=True)
    return getitem_p(reshape_p(ar1, (-1,)), first[keep(vals)])


def setdiff1d(ar1: ArrayLike, ar2: ArrayLike, assume_unique: bool = False) -> Array:
    """Sorted unique values of ``ar1`` not in ``ar2`` (gathered from ``ar1``)."""
    other = np.asarray(primal(ar2)).ravel()
    return _gather_where(ar1, lambda v: ~np.isin(v, other))


def intersect1d(ar1: ArrayLike, ar2: ArrayLike, assume_unique: bool = False) -> Array:
    """Sorted unique values present in both arrays (gathered from ``ar1``)."""
    other = np.asarray(primal(ar2)).ravel()
    return _gather_where(ar1, lambda v: np.isin(v, other))


def bincount(x: ArrayLike, weights: ArrayLike | None = None, minlength: int = 0) -> Array:
    """Occurrences of each non-negative integer; with ``weights``, their sums (differentiable)."""
    xi = np.asarray(primal(x))
    if not isinstance(weights, Tracer):
        return np.bincount(xi, weights, minlength)
    n = max(int(xi.max(initial=-1)) + 1, int(minlength))
    return index_update(np.zeros(n, dtype=weights.dtype), weights, xi, "add")


def logspace(
    start: ArrayLike,
    stop: ArrayLike,
    num: int = 50,
    endpoint: bool = True,
    base: float = 10.0,
    dtype: DTypeLike = None,
    axis: int = 0,
) -> Array:
    """``base ** linspace(start, stop)``, differentiable in the endpoints.

    Examples
    --------
    >>> import numpy as np
    >>> logspace(0.0, 2.0, 3)
    array([  1.,  10., 100.])
    """
    if not (isinstance(start, Tracer) or isinstance(stop, Tracer)):
        return np.logspace(start, stop, num, endpoint, base, dtype, axis)
    return power(base, linspace(start, stop, num, endpoint, axis=axis))


def ldexp(x1: ArrayLike, x2: ArrayLike) -> Array:
    """:math:`x_1 2^{x_2}` for integer exponents (differentiable in ``x1``)."""
    if not isinstance(x1, Tracer):
        return np.ldexp(x1, x2)
    return multiply(x1, np.ldexp(1.0, np.asarray(x2)))


def frexp(x: ArrayLike) -> tuple[Array, Array]:
    """Mantissa and exponent, :math:`x = m 2^e` with :math:`0.5 \\le |m| < 1`.

    The mantissa is differentiable (:math:`dm = 2^{-e} dx`, the exponent is constant).
    """
    if not isinstance(x, Tracer):
        return np.frexp(x)
    _, e = np.frexp(primal(x))
    return multiply(x, np.ldexp(1.0, -e)), e
