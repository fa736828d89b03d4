"""Gram–Schmidt orthogonalization: classical, modified, and re-orthogonalized ("twice is enough").

The teaching QR factorizations ``qr(A, method="mgs" | "cgs")`` live here as private helpers;
:func:`gram_schmidt` is the robust public tool for building an orthonormal basis of a span.
"""

import math
from typing import NamedTuple

import numpy as np

from m4ml._core import LinAlgError, as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike

__all__ = ["GramSchmidtResult", "gram_schmidt"]

_EPS = np.finfo(np.float64).eps


class GramSchmidtResult(NamedTuple):
    """Result of :func:`gram_schmidt`.

    Attributes
    ----------
    basis : ndarray, shape (m, r)
        Orthonormal columns spanning the (numerical) column space of the input.
    dropped : ndarray of int, shape (k - r,)
        Indices of the input columns found linearly dependent on the columns before them.
    """

    basis: np.ndarray
    dropped: np.ndarray


def _max_norm(Xt):
    """Largest row norm of ``Xt`` (the largest column norm of ``X``), safe from over/underflow."""
    if Xt.size == 0:
        return 0.0
    amax = float(np.abs(Xt).max())
    if amax == 0.0:
        return 0.0
    Y = Xt / amax
    return amax * math.sqrt(float(np.einsum("ij,ij->i", Y, Y).max()))


def _rescale(Xt):
    """Divide ``Xt`` in place by powers of two (exact) so its largest column norm is about 1.

    Returns the exponent ``e`` of the scale removed (``X = 2**e * Xt``).

    Gram–Schmidt is scale invariant, so working with columns of norm at most about 1 keeps
    sums of squares away from overflow and underflow for any input scale. Two steps: first by
    the largest entry (so the norms are finite even for entries near 1e308), then by the
    largest norm; ``ldexp`` never forms a reciprocal, which could overflow for subnormal input.
    """
    if Xt.size == 0:
        return 0
    amax = float(np.abs(Xt).max())
    if amax == 0.0:
        return 0
    e1 = math.frexp(amax)[1]
    np.ldexp(Xt, -e1, out=Xt)
    e2 = math.frexp(_max_norm(Xt))[1]
    np.ldexp(Xt, -e2, out=Xt)
    return e1 + e2


def _unscale(R, exponent, method):
    """``R * 2**exponent``, or a ValueError where that leaves the float64 range."""
    with overflow_guard(f"qr(method={method!r}): R for input of this magnitude"):
        return np.ldexp(R, exponent)


def _rank_threshold(Xt):
    """``max(m, n) * eps * max column norm``: below it a column counts as dependent."""
    n, m = Xt.shape
    return max(m, n) * _EPS * _max_norm(Xt)


def _check_full_rank(rjj, j, threshold, method):
    if not rjj > threshold:
        raise LinAlgError(
            f"A is numerically rank deficient: column {j} is (nearly) a combination of the "
            f"columns before it, so method={method!r} cannot normalise it; use "
            "method='householder' (or gram_schmidt to drop dependent columns)"
        )


def _check_tall(a, method):
    m, n = a.shape
    if m < n:
        raise LinAlgError(
            f"method={method!r} needs m >= n (full column rank), got a {m}x{n} matrix; use "
            "method='householder' for wide matrices"
        )


def _mgs_qr(a):
    """Modified Gram–Schmidt QR (teaching version, no re-orthogonalization), ``m >= n``.

    Right-looking form: as soon as :math:`q_j` is known, its component is removed from every
    later column, :math:`a_l \\leftarrow a_l - (q_j^T a_l) q_j` — one matrix–vector product per
    column. Loss of orthogonality :math:`O(\\varepsilon\\kappa(A))`.
    """
    _check_tall(a, "mgs")
    Vt = np.array(a.T, order="C")
    n = Vt.shape[0]
    exponent = _rescale(Vt)
    threshold = _rank_threshold(Vt)
    R = np.zeros((n, n))
    for j in range(n):
        v = Vt[j]
        rjj = math.sqrt(float(v @ v))
        _check_full_rank(rjj, j, threshold, "mgs")
        v *= 1.0 / rjj
        R[j, j] = rjj
        if j + 1 < n:
            rest = Vt[j + 1 :]
            r = rest @ v
            R[j, j + 1 :] = r
            rest -= r[:, None] * v
    return Vt.T, _unscale(R, exponent, "mgs")


def _cgs_qr(a):
    """Classical Gram–Schmidt QR (teaching version, no re-orthogonalization), ``m >= n``.

    Column :math:`j` is projected against all earlier :math:`q_i` at once,
    :math:`r_{:j,j} = Q_{:,:j}^T a_j`, :math:`v = a_j - Q_{:,:j} r_{:j,j}`. Loss of
    orthogonality :math:`O(\\varepsilon\\kappa(A)^2)`.
    """
    _check_tall(a, "cgs")
    At = np.array(a.T, order="C")
    n, m = At.shape
    exponent = _rescale(At)
    threshold = _rank_threshold(At)
    Qt = np.zeros((n, m))
    R = np.zeros((n, n))
    for j in range(n):
        r = Qt[:j] @ At[j]
        v = At[j] - r @ Qt[:j]
        rjj = math.sqrt(float(v @ v))
        _check_full_rank(rjj, j, threshold, "cgs")
        R[:j, j] = r
        R[j, j] = rjj
        Qt[j] = v / rjj
    return Qt.T, _unscale(R, exponent, "cgs")


def gram_schmidt(
    vectors: ArrayLike, modified: bool = True, tol: float | None = None
) -> GramSchmidtResult:
    """Orthonormal basis of the span of the columns of ``vectors``, dropping dependent columns.

    Parameters
    ----------
    vectors : array_like, shape (m, k)
        The vectors to orthogonalize, as columns, in order.
    modified : bool, optional
        ``True`` (default): modified Gram–Schmidt (subtract the projections on the basis vectors
        one at a time). ``False``: classical Gram–Schmidt (all projections at once, as a
        matrix–vector product). Either way every vector is orthogonalized twice.
    tol : float, optional
        Relative tolerance. Column ``j`` is dropped when the norm of what is left of it after
        orthogonalization is ``<= tol * max_i ||vectors[:, i]||``. Default ``max(m, k) * eps``.

    Returns
    -------
    GramSchmidtResult
        ``basis`` (``m x r`` with orthonormal columns, :math:`r \\le \\min(m, k)`) and
        ``dropped`` (indices of the dropped columns, ascending).

    Raises
    ------
    ValueError
        ``vectors`` is not 2-D, holds NaN/inf, or ``tol`` is negative or not finite.
    TypeError
        Complex or non-numeric input, or a non-real ``tol``.

    Notes
    -----
    Column :math:`a_j` is orthogonalized against the basis :math:`Q = [q_1, \\dots, q_r]` built so
    far,

    .. math:: v = (I - QQ^T) a_j, \\qquad q_{r+1} = v / \\|v\\|_2,

    and dropped instead if :math:`\\|v\\|_2 \\le \\mathrm{tol}\\cdot\\max_i\\|a_i\\|_2`. In floating
    point one pass leaves :math:`\\|Q^TQ - I\\|` of order :math:`\\varepsilon\\kappa` (modified)
    or :math:`\\varepsilon\\kappa^2` (classical), where :math:`\\kappa` is the condition number of
    the kept columns. Repeating the projection once more ("twice is enough", Kahan & Parlett;
    Giraud et al. 2005) restores orthogonality to :math:`O(\\varepsilon)` for any numerically
    independent set, so both variants here run two passes. Cost: :math:`4mkr` flops; the
    classical variant runs them as matrix–vector products, the modified one as :math:`O(kr)`
    vector operations (slower in Python, kept for teaching).

    References
    ----------
    .. [1] Å. Björck, "Solving linear least squares problems by Gram–Schmidt
       orthogonalization", BIT 7, 1967.
    .. [2] B. N. Parlett, *The Symmetric Eigenvalue Problem*, §6.9 ("twice is enough"), 1980.
    .. [3] L. Giraud, J. Langou, M. Rozložník, J. van den Eshof, "Rounding error analysis of
       the classical Gram–Schmidt orthogonalization process", Numer. Math. 101, 2005.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.gram_schmidt import gram_schmidt
    >>> V = np.array([[1.0, 2.0, 1.0], [1.0, 2.0, 0.0], [0.0, 0.0, 1.0]])
    >>> basis, dropped = gram_schmidt(V)
    >>> basis.shape, dropped
    ((3, 2), array([1]))
    >>> np.round(basis, 4)
    array([[ 0.7071,  0.4082],
           [ 0.7071, -0.4082],
           [ 0.    ,  0.8165]])
    >>> np.allclose(basis.T @ basis, np.eye(2))
    True
    """
    X = as_float_array(vectors, "vectors", min_ndim=2, max_ndim=2)
    m, k = X.shape
    if tol is None:
        tol = max(m, k) * _EPS
    else:
        if isinstance(tol, bool) or not isinstance(tol, (int, float, np.integer, np.floating)):
            raise TypeError(f"tol must be a real number, got {type(tol).__name__}")
        tol = float(tol)
        if not (math.isfinite(tol) and tol >= 0):
            raise ValueError(f"tol must be a finite number >= 0, got {tol}")
    Xt = np.array(X.T, order="C")
    _rescale(Xt)
    threshold = tol * _max_norm(Xt)
    Qt = np.empty((min(m, k), m))
    r = 0
    dropped = []
    for j in range(k):
        v = Xt[j]
        for _ in range(2):
            if modified:
                for i in range(r):
                    q = Qt[i]
                    v -= float(q @ v) * q
            elif r:
                v -= (Qt[:r] @ v) @ Qt[:r]
        norm = math.sqrt(float(v @ v))
        if norm <= threshold or r == m:
            dropped.append(j)
            continue
        Qt[r] = v / norm
        r += 1
    return GramSchmidtResult(Qt[:r].T.copy(), np.array(dropped, dtype=np.intp))
