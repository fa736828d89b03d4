"""Condition estimation from a factorization (Hager–Higham), and the ill-conditioning warning.

The 1-norm condition number :math:`\\kappa_1(A) = \\|A\\|_1 \\|A^{-1}\\|_1` tells how many digits
a solve can lose. :math:`\\|A\\|_1` is a column sum; :math:`\\|A^{-1}\\|_1` would need the inverse,
but a few solves with the factors already computed estimate it in :math:`O(n^2)` (LAPACK's
``gecon``/``trcon``). :func:`solve`, :func:`inv` and :func:`lstsq` use it to warn, as SciPy
does, when the answer is dominated by rounding.
"""

import sys
import warnings

import numpy as np

from m4ml._core import as_square_stack
from m4ml._core.errors import LinAlgWarning
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.stack import flatten, mT, unflatten
from m4ml.linalg.triangular import _trsm

__all__ = ["cond_estimate"]

_EPS = np.finfo(np.float64).eps
# The estimate runs only when the pivots of the triangular factor spread over more than this
# ratio (see _needs_estimate).
_PIVOT_RATIO = np.sqrt(_EPS)


def _sign(y):
    """Sign vector with sign(0) = +1, as the estimator needs a vector of +-1."""
    return np.where(y < 0.0, -1.0, 1.0)


def _inverse_norm1(solve, solve_t, B, n):
    r"""Hager–Higham estimate of :math:`\|M^{-1}\|_1` for a stack of ``B`` matrices of order n.

    ``solve(X)`` returns :math:`M^{-1} X` and ``solve_t(X)`` :math:`M^{-\top} X` for ``X`` of
    shape ``(B, n, 1)``. The 1-norm is a convex function maximised over the unit 1-ball at a
    vertex :math:`\pm e_j`; the estimator climbs towards one (Hager 1984): from :math:`y =
    M^{-1} x`, the subgradient :math:`z = M^{-\top} \mathrm{sign}(y)` points to the vertex
    :math:`e_j`, :math:`j = \arg\max |z_j|`, which is tried next; it stops when the signs
    repeat or the estimate stops growing (at most five steps). Higham's extra vector
    :math:`x_i = (-1)^i (1 + i/(n-1))` guards against the matrices that fool the climb.
    Every value is :math:`\|M^{-1} x\|_1 / \|x\|_1` for some :math:`x`, so the estimate is a
    lower bound, in practice within a factor 3 of the truth and usually exact.
    """
    rows = np.arange(B)
    y = solve(np.full((B, n, 1), 1.0 / n))
    est = np.abs(y).sum(axis=(1, 2))
    if n == 1:
        return est
    xi = _sign(y)
    j = np.abs(solve_t(xi))[:, :, 0].argmax(axis=1)
    active = np.ones(B, dtype=bool)
    for _ in range(4):
        x = np.zeros((B, n, 1))
        x[rows, j, 0] = 1.0
        y = solve(x)
        new = np.abs(y).sum(axis=(1, 2))
        xi_new = _sign(y)
        grew = active & (new > est)
        est = np.where(grew, new, est)
        active = grew & (xi_new != xi).any(axis=(1, 2))
        if not active.any():
            break
        xi = np.where(active[:, None, None], xi_new, xi)
        z = np.abs(solve_t(xi))[:, :, 0]
        j_new = z.argmax(axis=1)
        active &= z[rows, j_new] > z[rows, j]
        j = j_new
    i = np.arange(n)
    alt = np.where(i % 2, -1.0, 1.0) * (1.0 + i / (n - 1))
    y = solve(np.broadcast_to(alt[:, None], (B, n, 1)))
    return np.maximum(est, 2.0 * np.abs(y).sum(axis=(1, 2)) / (3.0 * n))


def _rcond_lu(A, LU, perms):
    """Reciprocal 1-norm condition estimate of each ``A (..., n, n)`` from its LU factors."""
    n = A.shape[-1]
    flat, batch = flatten(LU)
    P = perms.reshape(flat.shape[0], n)
    rows = np.arange(flat.shape[0])[:, None]
    Lt = mT(flat)

    def solve(X):  # A^{-1} X = U^{-1} L^{-1} P X
        Y = _trsm(flat, X[rows, P], lower=True, unit=True)
        return _trsm(flat, Y, lower=False, unit=False)

    def solve_t(X):  # A^{-T} X = P^T L^{-T} U^{-T} X
        Y = _trsm(Lt, _trsm(Lt, X, lower=True, unit=False), lower=False, unit=True)
        out = np.empty_like(Y)
        out[rows, P] = Y
        return out

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        inv_norm = _inverse_norm1(solve, solve_t, flat.shape[0], n)
        a_norm = np.abs(A).sum(axis=-2).max(axis=-1).reshape(-1)
        rcond = 1.0 / (a_norm * inv_norm)
    rcond = np.where(np.isfinite(rcond) & (inv_norm > 0), rcond, 0.0)
    return unflatten(rcond, batch) if batch else rcond[0]


def _rcond_triangular(R):
    """Reciprocal 1-norm condition estimate of the upper-triangular ``R (n, n)``."""
    n = R.shape[-1]
    T = R[None]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        inv_norm = _inverse_norm1(
            lambda X: _trsm(T, X, lower=False, unit=False),
            lambda X: _trsm(mT(T), X, lower=True, unit=False),
            1,
            n,
        )[0]
        rcond = 1.0 / (np.abs(np.triu(R)).sum(axis=0).max() * inv_norm)
    return float(rcond) if np.isfinite(rcond) and inv_norm > 0 else 0.0


def _needs_estimate(U):
    """Cheap screen: do the pivots of ``U (..., n, n)`` spread over more than 1/sqrt(eps)?

    For partial pivoting a tiny pivot relative to the largest is how ill-conditioning usually
    shows; only then is the estimate (a few extra triangular solves) worth its cost.
    """
    d = np.abs(np.diagonal(U, axis1=-2, axis2=-1))
    return U.shape[-1] > 0 and bool((d.min(axis=-1) <= _PIVOT_RATIO * d.max(axis=-1)).any())


def _caller_stacklevel():
    """The ``stacklevel`` at which a warning raised by our caller points outside m4ml."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("m4ml."):
        frame, level = frame.f_back, level + 1
    return level


def _warn_if_ill_conditioned(rcond, what="matrix"):
    """Warn (LinAlgWarning) when the smallest reciprocal condition number is below eps.

    The warning points at the user's line that called into m4ml, however deep the call.
    """
    worst = float(np.min(rcond))
    if worst < _EPS:
        stacklevel = _caller_stacklevel()
        warnings.warn(
            f"Ill-conditioned {what} (rcond={worst:.6g} < eps={_EPS:.3g}): the result may be "
            "dominated by rounding error and not accurate; check the residual, regularize, or "
            "use lstsq/pinv for a least-squares or minimum-norm answer",
            LinAlgWarning,
            stacklevel=stacklevel,
        )


def _check_and_warn(A, LU, perms):
    """Screen the pivots of a fresh LU of ``A`` and warn if the estimate says rcond < eps."""
    if _needs_estimate(LU):
        _warn_if_ill_conditioned(_rcond_lu(A, LU, perms))


def cond_estimate(a: ArrayLike, p: float = 1) -> float | FloatArray:
    r"""Estimate the condition number :math:`\kappa_p(A) = \|A\|_p \|A^{-1}\|_p`, p = 1 or inf.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Square matrix or stack of them.
    p : {1, inf}, default 1
        The norm: 1 (largest column sum) or ``numpy.inf`` (largest row sum).

    Returns
    -------
    kappa : float or ndarray, shape (...)
        The estimate, a lower bound of the true :math:`\kappa_p(A)` (usually equal to it,
        rarely below it by more than a factor of 3); ``inf`` for a matrix whose LU factor has
        an exact zero pivot. The reciprocal is LAPACK's ``rcond``.

    Raises
    ------
    LinAlgError
        ``a`` is not square or not at least 2-D, or the elimination overflowed.
    ValueError
        NaN or infinity in ``a``, or ``p`` not 1 or inf.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    From :math:`\Pi A = LU` (:func:`m4ml.linalg.lu.lu_factor`), :math:`\|A\|_1 = \max_j \sum_i
    |a_{ij}|` exactly and :math:`\|A^{-1}\|_1 = \max_{\|x\|_1 = 1} \|A^{-1} x\|_1` by the
    Hager–Higham estimator, which maximizes the convex function :math:`x \mapsto \|A^{-1}
    x\|_1` over the unit 1-ball by a gradient climb between its vertices :math:`\pm e_j`.
    Each step costs a solve with :math:`A` and one with :math:`A^\top` through the triangular
    factors, :math:`4n^2` flops; at most five steps and one extra test vector are used, so
    after the :math:`\tfrac23 n^3` of the factorization the estimate is :math:`O(n^2)`
    (LAPACK ``dgecon``). :math:`\kappa_\infty(A) = \kappa_1(A^\top)`. The relative error of a
    computed solution of :math:`Ax = b` is about :math:`\kappa(A)\,\varepsilon`; when
    :math:`1/\kappa_1 < \varepsilon` (:math:`2.2 \times 10^{-16}`), :func:`solve`,
    :func:`inv` and :func:`lstsq` warn with :class:`LinAlgWarning`. The estimate is computed
    for :math:`2^{-e}A` with :math:`2^e` near :math:`\max|a_{ij}|` (exact, and
    :math:`\kappa` is scale invariant), so subnormal or huge matrices get finite estimates;
    a singular matrix (an exact zero pivot) gives ``inf``, as ``numpy.linalg.cond`` does.

    References
    ----------
    .. [1] W. W. Hager, "Condition estimates", SIAM J. Sci. Stat. Comput. 5(2), 1984.
    .. [2] N. J. Higham, "FORTRAN codes for estimating the one-norm of a real or complex
       matrix, with applications to condition estimation", ACM TOMS 14(4), 1988.
    .. [3] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., 2002,
       ch. 15.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg import cond_estimate
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> print(round(float(cond_estimate(A)), 10), round(float(np.linalg.cond(A, 1)), 10))
    21.0 21.0
    >>> H = 1.0 / (np.arange(8)[:, None] + np.arange(8) + 1.0)  # Hilbert matrix
    >>> print(f"{float(cond_estimate(H)):.3e}")
    3.387e+10
    """
    from m4ml.linalg.lu import _factor

    if p not in (1, np.inf) or isinstance(p, bool):
        raise ValueError(f"p must be 1 or numpy.inf for the estimator, got {p!r}")
    A = as_square_stack(a, "a")
    if p == np.inf:
        A = mT(A)
    if A.shape[-1] == 0:
        out = np.zeros(A.shape[:-2])
        return out[()] if out.ndim == 0 else out
    # the condition number is scale invariant: scale each matrix by a power of two (exact) so
    # that neither A nor the estimate of its inverse's norm over- or underflows
    big = np.abs(A).max(axis=(-2, -1), keepdims=True)
    A = np.ldexp(A, -np.frexp(np.where(big > 0, big, 1.0))[1])
    LU, _, perms = _factor(A)
    singular = (np.diagonal(LU, axis1=-2, axis2=-1) == 0).any(axis=-1)
    safe = LU.copy()
    safe[singular] = np.eye(A.shape[-1])  # any nonsingular stand-in; the answer is inf anyway
    with np.errstate(divide="ignore"):
        kappa = np.where(singular, np.inf, 1.0 / _rcond_lu(A, safe, perms))
    return kappa[()] if kappa.ndim == 0 else kappa
