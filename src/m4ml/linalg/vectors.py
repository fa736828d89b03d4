"""Vectors: inner product, cross product, angles and orthogonal projections (norms: norms.py)."""

import numpy as np

from m4ml._core import LinAlgError, as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.linalg.norms import _axis, norm

__all__ = ["angle", "cross", "dot", "project"]


def _pair(a, b, axis, names=("a", "b")):
    """Validate two vector arrays, move ``axis`` last and broadcast the other axes."""
    a = as_float_array(a, names[0], min_ndim=1)
    b = as_float_array(b, names[1], min_ndim=1)
    a = np.moveaxis(a, _axis(axis, a.ndim), -1)
    b = np.moveaxis(b, _axis(axis, b.ndim), -1)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"vectors must have the same length along axis {axis}, got {a.shape[-1]} "
            f"and {b.shape[-1]}"
        )
    try:
        batch = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ValueError(
            f"the other axes of {names[0]} {a.shape[:-1]} and {names[1]} {b.shape[:-1]} do "
            "not broadcast"
        ) from None
    return a, b, batch


def dot(a: ArrayLike, b: ArrayLike, axis: int = -1) -> float | FloatArray:
    r"""Inner product :math:`\langle a, b\rangle = \sum_i a_i b_i` along one axis.

    Parameters
    ----------
    a, b : array_like
        Vectors, or stacks of vectors whose other axes broadcast (like
        ``numpy.linalg.vecdot``).
    axis : int, default -1
        The axis holding the vector components (in both inputs).

    Returns
    -------
    float or ndarray
        The inner products, with ``axis`` removed and the other axes broadcast.

    Raises
    ------
    ValueError
        Different lengths along ``axis``, non-broadcastable stacks, bad axis, NaN/inf, 0-D, or
        an inner product beyond the float64 range.
    TypeError
        Complex or non-numeric input, or a non-integer axis.

    Notes
    -----
    :math:`n` multiplications and :math:`n - 1` additions per pair, as one ``einsum``. The
    error is bounded by :math:`\gamma_n \sum_i |a_i b_i|` with :math:`\gamma_n \approx nu`
    (Higham 2002, sec. 3.1): relative accuracy is lost when the terms cancel, that is when
    :math:`a \perp b` nearly.

    References
    ----------
    .. [1] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., 2002,
       sec. 3.1.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.vectors import dot
    >>> print(float(dot([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])))
    32.0
    >>> dot(np.eye(3), [1.0, 2.0, 3.0])  # one vector against a stack of three
    array([1., 2., 3.])
    """
    a, b, _ = _pair(a, b, axis)
    with np.errstate(over="ignore", invalid="ignore"):
        result = np.einsum("...i,...i->...", a, b)
    if not np.isfinite(result).all():  # finite inputs whose products or sum leave float64
        raise ValueError(
            "dot: the inner product overflows float64 for vectors of this magnitude; rescale "
            "them (the angle between them, linalg.angle, is scale-free)"
        )
    return result[()] if np.ndim(result) == 0 else result


def cross(a: ArrayLike, b: ArrayLike, axis: int = -1) -> FloatArray:
    r"""Cross product of 3-vectors, :math:`a \times b`, broadcasting over stacks.

    Parameters
    ----------
    a, b : array_like
        Arrays with length 3 along ``axis``; the other axes broadcast.
    axis : int, default -1
        The axis holding the components, in the inputs and in the result.

    Returns
    -------
    ndarray
        :math:`(a_2 b_3 - a_3 b_2,\; a_3 b_1 - a_1 b_3,\; a_1 b_2 - a_2 b_1)`, with the
        components along ``axis``.

    Raises
    ------
    ValueError
        A length other than 3 along ``axis``, non-broadcastable stacks, NaN/inf, or a
        cross product beyond the float64 range.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    Six products and three subtractions per pair. A vector with an entry above
    :math:`2^{511}` is first scaled by a power of two (exactly) so that no product or
    difference overflows; the result is scaled back, and a result beyond the float64 range is
    a ValueError. :math:`a \times b \perp a, b` and
    :math:`\|a \times b\| = \|a\|\|b\|\sin\theta`; each component is a 2x2
    determinant, inaccurate (relatively) when :math:`a \parallel b` nearly.

    References
    ----------
    .. [1] G. Strang, *Introduction to Linear Algebra*, 5th ed., 2016, sec. 11.1.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.vectors import cross
    >>> cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
    array([0., 0., 1.])
    >>> cross(np.eye(3), [0.0, 0.0, 1.0])
    array([[ 0., -1.,  0.],
           [ 1.,  0.,  0.],
           [ 0.,  0.,  0.]])
    """
    a, b, batch = _pair(a, b, axis)
    if a.shape[-1] != 3:
        raise ValueError(
            f"cross product needs vectors of length 3 along axis {axis}, got length "
            f"{a.shape[-1]} (for 2-vectors use the 2x2 determinant a[0]*b[1] - a[1]*b[0])"
        )
    a, ea = _scale_down(a)
    b, eb = _scale_down(b)
    a1, a2, a3 = a[..., 0], a[..., 1], a[..., 2]
    b1, b2, b3 = b[..., 0], b[..., 1], b[..., 2]
    out = np.empty((*batch, 3))
    out[..., 0] = a2 * b3 - a3 * b2
    out[..., 1] = a3 * b1 - a1 * b3
    out[..., 2] = a1 * b2 - a2 * b1
    if ea is not None or eb is not None:
        shift = (0 if ea is None else ea) + (0 if eb is None else eb)
        with overflow_guard("cross(a, b): a x b of vectors this large"):
            out = np.ldexp(out, shift[..., None] if np.ndim(shift) else shift)
    ndim = max(np.ndim(a), np.ndim(b), len(batch) + 1)
    return np.moveaxis(out, -1, _axis(axis, ndim))


_BIG = 2.0**511  # entries up to this size multiply and subtract without overflow


def _scale_down(x):
    """Scale vectors (last axis) with an entry above ``_BIG`` by a power of two (exact).

    Returns ``(x', e)`` with ``x = x' * 2**e`` per vector, or ``(x, None)`` when no vector
    needs scaling (the common case costs one max).
    """
    m = np.abs(x).max(axis=-1) if x.size else np.zeros(x.shape[:-1])
    if not (m > _BIG).any():
        return x, None
    e = np.where(m > _BIG, np.frexp(m)[1], 0)
    return np.ldexp(x, -e[..., None]), e


def _unit(x, name):
    n = norm(x, axis=-1, keepdims=True)
    if (n == 0).any():
        raise ValueError(f"{name} contains a zero vector, whose direction is undefined")
    return x / n


def angle(u: ArrayLike, v: ArrayLike, axis: int = -1) -> float | FloatArray:
    r"""Angle between vectors, in radians in :math:`[0, \pi]`, computed stably.

    Parameters
    ----------
    u, v : array_like
        Vectors, or stacks whose other axes broadcast; same length along ``axis``.
    axis : int, default -1
        The axis holding the components.

    Returns
    -------
    float or ndarray
        The angle(s) :math:`\theta` with :math:`\cos\theta = \langle u, v\rangle /
        (\|u\|\|v\|)`.

    Raises
    ------
    ValueError
        A zero vector (no direction), mismatched lengths, NaN/inf.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    ``arccos`` of the cosine is inaccurate near 0 and :math:`\pi`, where the cosine is flat:
    an error of :math:`u` in :math:`\cos\theta` moves :math:`\theta \approx 10^{-8}` by
    about :math:`10^{-8}`. Kahan's formula with the unit vectors :math:`\hat u = u /
    \|u\|`, :math:`\hat v = v / \|v\|`,

    .. math:: \theta = 2 \operatorname{atan2}\bigl(\|\hat u - \hat v\|,\ \|\hat u +
              \hat v\|\bigr),

    is accurate to a few ulps over the whole range: the chord lengths are computed with
    small relative error and ``atan2`` is well conditioned. :math:`O(n)` flops.

    References
    ----------
    .. [1] W. Kahan, "How futile are mindless assessments of roundoff in floating-point
       computation?", 2006, sec. 12.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.vectors import angle
    >>> print(round(float(angle([1.0, 0.0], [0.0, 2.0])), 12))
    1.570796326795
    >>> print(float(angle([1.0, 0.0], [1.0, 1e-10])))  # arccos would give 0.0
    1e-10
    """
    a, b, _ = _pair(u, v, axis, ("u", "v"))
    if a.shape[-1] == 0:
        raise ValueError("the angle between empty vectors is undefined")
    uh, vh = _unit(a, "u"), _unit(b, "v")
    r = 2.0 * np.arctan2(norm(uh - vh, axis=-1), norm(uh + vh, axis=-1))
    return r[()] if np.ndim(r) == 0 else r


def project(u: ArrayLike, onto: ArrayLike) -> FloatArray:
    r"""Orthogonal projection of ``u`` onto a vector or onto the column space of a matrix.

    Parameters
    ----------
    u : array_like, shape (..., n)
        Vector(s) to project.
    onto : array_like, shape (..., n) or (n, k)
        A 1-D ``onto`` is a direction :math:`v` (broadcast against ``u``). A 2-D ``onto``
        is a matrix :math:`A` whose ``k`` columns span the target subspace; they must be
        linearly independent.

    Returns
    -------
    ndarray, shape of ``u`` (broadcast)
        The projection :math:`p`, the closest point of the line or subspace to ``u``; the
        residual :math:`u - p` is orthogonal to it.

    Raises
    ------
    ValueError
        ``onto`` is the zero vector, lengths do not match, or NaN/inf.
    LinAlgError
        The columns of a matrix ``onto`` are linearly dependent (to working precision).
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    Onto a vector: :math:`p = \frac{\langle u, v\rangle}{\langle v, v\rangle} v`, computed
    with :math:`\hat v = v / \|v\|` as :math:`\langle u, \hat v\rangle \hat v` (``2n``
    flops). Onto :math:`\operatorname{col}(A)`: the textbook :math:`A (A^\top A)^{-1} A^\top
    u` squares the condition number, so the reduced QR factorization :math:`A = QR`
    (Householder, :func:`m4ml.linalg.qr.qr`) is used instead, :math:`p = Q (Q^\top u)`, for
    :math:`2nk^2` flops plus :math:`4nk` per vector. The columns count as dependent when
    :math:`|r_{ii}| \le n \epsilon \max_j |r_{jj}|`.

    References
    ----------
    .. [1] G. Strang, *Introduction to Linear Algebra*, 5th ed., 2016, sec. 4.2.
    .. [2] L. N. Trefethen and D. Bau, *Numerical Linear Algebra*, SIAM, 1997, lecture 6.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.vectors import project
    >>> project([2.0, 3.0], [1.0, 0.0])
    array([2., 0.])
    >>> A = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])  # the xy-plane in R^3
    >>> np.round(project([1.0, 2.0, 3.0], A), 12)
    array([1., 2., 0.])
    """
    V = as_float_array(onto, "onto", min_ndim=1)
    if V.ndim == 2:
        x = as_float_array(u, "u", min_ndim=1)
        n, k = V.shape
        if x.shape[-1] != n:
            raise ValueError(f"u has length {x.shape[-1]} but onto has {n} rows")
        from m4ml.linalg.qr import qr

        Q, R = qr(V)
        d = np.abs(np.diagonal(R))
        if k and (d.max() == 0 or d.min() <= max(n, k) * np.finfo(float).eps * d.max()):
            raise LinAlgError(
                "the columns of onto are linearly dependent, so the projection onto their "
                "span is not defined by this basis; drop redundant columns (or use pinv)"
            )
        return (x @ Q) @ Q.T
    a, b, _ = _pair(u, V, -1, ("u", "onto"))
    vh = _unit(b, "onto")
    return np.sum(a * vh, axis=-1, keepdims=True) * vh
