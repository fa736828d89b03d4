"""Vector and matrix norms, scaled so that they neither overflow nor underflow."""

import numbers
from typing import Literal

import numpy as np
from numpy.exceptions import AxisError

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.validation import keeps_float32

__all__ = ["norm"]


def _axis(axis, ndim, name="axis"):
    """Normalize one axis index; numpy's AxisError if it is not an int in range."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise AxisError(int(axis), ndim, msg_prefix=name)
    return int(axis) % ndim


def _two_norm(x, axes, keepdims):
    """Euclidean norm over ``axes``, scaled by the largest entry so it cannot overflow."""
    big = np.abs(x).max(axis=axes, keepdims=True) if x.size else np.zeros([1] * x.ndim)
    safe = np.where(big > 0, big, 1.0)
    scaled = x / safe
    result = np.sqrt(np.sum(scaled * scaled, axis=axes, keepdims=True)) * big
    return result if keepdims else np.squeeze(result, axis=axes)


def _vector_norm(x, ord, axis, keepdims):
    if isinstance(ord, str):
        raise ValueError(f"invalid norm order {ord!r} for vectors; use a number or inf")
    absx = np.abs(x)
    if x.shape[axis] == 0:
        if ord in (np.inf, -np.inf):
            raise ValueError(f"the {ord} norm of an empty vector is undefined")
        return absx.sum(axis=axis, keepdims=keepdims)
    if ord is None or ord == 2:
        return _two_norm(x, (axis,), keepdims)
    if ord == np.inf:
        return absx.max(axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return absx.min(axis=axis, keepdims=keepdims)
    if ord == 0:
        return (x != 0).sum(axis=axis, keepdims=keepdims).astype(np.float64)
    if ord == 1:
        return absx.sum(axis=axis, keepdims=keepdims)
    p = float(ord)
    if p > 0:  # (sum |x_i|^p)^(1/p) = m (sum (|x_i|/m)^p)^(1/p), m = max |x_i|
        big = absx.max(axis=axis, keepdims=True)
        safe = np.where(big > 0, big, 1.0)
        r = np.sum((absx / safe) ** p, axis=axis, keepdims=True) ** (1.0 / p) * big
        return r if keepdims else np.squeeze(r, axis=axis)
    with np.errstate(divide="ignore"):  # a zero entry makes a negative-order "norm" 0
        return np.sum(absx**p, axis=axis, keepdims=keepdims) ** (1.0 / p)


def _matrix_norm(x, ord, axes, keepdims):
    row, col = axes
    if ord is None or ord == "fro":
        return _two_norm(x, axes, keepdims)
    if ord in ("nuc", 2, -2):
        from m4ml.linalg.svd import svdvals

        s = svdvals(np.moveaxis(x, (row, col), (-2, -1)))
        if ord == "nuc":
            r = s.sum(axis=-1)
        elif s.shape[-1] == 0:
            raise ValueError("the 2-norm of an empty matrix is undefined")
        else:
            r = s[..., 0] if ord == 2 else s[..., -1]
    elif ord in (1, -1, np.inf, -np.inf):
        if x.shape[row] == 0 or x.shape[col] == 0:
            raise ValueError(f"the {ord} norm of an empty matrix is undefined")
        sum_axis, reduce_axis = (row, col) if ord in (1, -1) else (col, row)
        sums = np.abs(x).sum(axis=sum_axis, keepdims=True)
        r = (
            sums.max(axis=reduce_axis, keepdims=True)
            if ord > 0
            else sums.min(axis=reduce_axis, keepdims=True)
        )
        r = np.squeeze(r, axis=axes)
    else:
        raise ValueError(
            f"invalid norm order {ord!r} for matrices; use 'fro', 'nuc', 1, -1, 2, -2, inf or -inf"
        )
    if keepdims:
        r = np.expand_dims(r, axis=tuple(sorted(axes)))
    return r


@keeps_float32("x")
def norm(
    x: ArrayLike,
    ord: float | Literal["fro", "nuc"] | None = None,
    axis: int | tuple[int, int] | None = None,
    keepdims: bool = False,
) -> float | FloatArray:
    r"""Vector or matrix norm, with the semantics of ``numpy.linalg.norm``.

    Parameters
    ----------
    x : array_like
        Input. With ``axis=None`` it must be 1-D or 2-D unless ``ord`` is None (then the
        2-norm of all entries is returned, whatever the shape).
    ord : {None, 'fro', 'nuc', int, float, inf, -inf}, optional
        Vector norms: None or 2 (Euclidean), 1, ``inf`` (max), ``-inf`` (min), 0 (number of
        nonzeros), any other ``p`` (:math:`(\sum|x_i|^p)^{1/p}`). Matrix norms: None or
        'fro' (Frobenius), 'nuc' (sum of singular values), 1 / -1 (max / min column sum),
        inf / -inf (max / min row sum), 2 / -2 (largest / smallest singular value).
    axis : None, int or 2-tuple of ints, optional
        An int: vector norms along that axis. A 2-tuple: matrix norms over those axes.
        None: the whole 1-D or 2-D array.
    keepdims : bool, default False
        Keep the reduced axes with length one.

    Returns
    -------
    float or ndarray
        The norm(s).

    Raises
    ------
    ValueError
        Invalid ``ord`` for the kind of norm, bad or duplicate axes, an array of more than
        two dimensions with ``axis=None`` and ``ord`` given, max/min norms of empty input,
        or NaN/inf.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    The Euclidean and Frobenius norms are computed as

    .. math:: \|x\|_2 = m \Bigl(\sum_i (x_i / m)^2\Bigr)^{1/2}, \qquad m = \max_i |x_i|,

    so no square overflows or underflows: the naive :math:`\sqrt{\sum x_i^2}` returns
    ``inf`` for entries of :math:`10^{200}` and 0 for entries of :math:`10^{-200}`. The same
    scaling is used for other :math:`p > 0`. Cost :math:`O(n)`, plus the SVD
    (:math:`O(mn \min(m, n))`, via :func:`m4ml.linalg.svd.svdvals`) for the matrix norms
    ``2``, ``-2`` and ``'nuc'``. The induced norms are :math:`\|A\|_1 = \max_j \sum_i
    |a_{ij}|`, :math:`\|A\|_\infty = \max_i \sum_j |a_{ij}|`, :math:`\|A\|_2 = \sigma_1`.
    Results are accurate to a few units in the last place.

    References
    ----------
    .. [1] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, sec. 2.2-2.3.
    .. [2] J. L. Blue, "A portable Fortran program to find the Euclidean norm of a vector",
       ACM Trans. Math. Software 4(1), 1978.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.vectors import norm
    >>> print(float(norm([3.0, 4.0])))
    5.0
    >>> print(f"{norm([1e200, 1e200]):.6e}")  # the naive formula overflows to inf
    1.414214e+200
    >>> A = np.array([[1.0, -2.0], [3.0, 4.0]])
    >>> print(float(norm(A, 1)), float(norm(A, np.inf)))
    6.0 7.0
    >>> norm(A, axis=1)
    array([2.23606798, 5.        ])
    """
    x = as_float_array(x, "x")
    return _norm(x, ord, axis, keepdims)


def _norm(x, ord, axis, keepdims):
    if not isinstance(keepdims, (bool, np.bool_)):
        raise TypeError(f"keepdims must be True or False, got {keepdims!r}")
    if axis is None:
        if ord is None:
            axes = tuple(range(x.ndim))
            r = _two_norm(x, axes, keepdims) if x.ndim else np.abs(x)
            return r[()] if np.ndim(r) == 0 else r
        if x.ndim not in (1, 2):
            raise ValueError(
                f"with ord={ord!r} and axis=None, x must be 1-D or 2-D (got {x.ndim}-D); "
                "pass axis to choose vector or matrix norms"
            )
        axis = tuple(range(x.ndim))
    if isinstance(axis, tuple) and len(axis) == 1:
        axis = axis[0]
    if isinstance(axis, tuple):
        if len(axis) != 2:
            raise ValueError(f"axis must be an int or a pair of ints, got {axis!r}")
        axes = (_axis(axis[0], x.ndim), _axis(axis[1], x.ndim))
        if axes[0] == axes[1]:
            raise ValueError(f"duplicate axes given: {axis!r}")
        r = _matrix_norm(x, ord, axes, keepdims)
    else:
        if x.ndim == 0:
            raise ValueError("x must have at least one dimension for a vector norm")
        r = _vector_norm(x, ord, _axis(axis, x.ndim), keepdims)
    return r[()] if np.ndim(r) == 0 else r
