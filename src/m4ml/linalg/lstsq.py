"""Linear least squares :math:`\\min_x \\|Ax - b\\|_2` by column-equilibrated, pivoted QR."""

import math

import numpy as np

from m4ml._core import LinAlgError, as_float_array, as_matrix_stack
from m4ml.linalg.householder import _reflector

__all__ = ["lstsq"]

_EPS = np.finfo(np.float64).eps
_TOL3Z = math.sqrt(_EPS)  # when a downdated column norm has lost half its digits, recompute it


def _column_norms(A):
    """2-norms of the columns of ``A``, safe from overflow and underflow."""
    amax = np.abs(A).max(axis=0) if A.shape[0] else np.zeros(A.shape[1])
    safe = np.where(amax > 0, amax, 1.0)
    S = A / safe
    return amax * np.sqrt(np.einsum("ij,ij->j", S, S))


def _qrcp(W):
    """Householder QR with column pivoting of ``A = W.T``, in place (transposed layout).

    At step ``j`` the remaining column of largest norm is swapped into place, then reflected.
    The norms of the other columns are downdated,
    :math:`\\nu_l \\leftarrow \\nu_l \\sqrt{1 - (r_{jl}/\\nu_l)^2}`, and recomputed from scratch
    when cancellation has cost half the digits (LAPACK Working Note 176's safeguard).

    Returns ``tau`` and ``perm`` (``A[:, perm] = Q R``); ``R``'s diagonal is non-increasing.
    """
    n, m = W.shape
    k = min(m, n)
    tau = np.zeros(k)
    perm = np.arange(n)
    norms = np.sqrt(np.einsum("ij,ij->i", W, W))
    ref = norms.copy()
    for j in range(k):
        p = j + int(np.argmax(norms[j:]))
        if p != j:
            W[[j, p]] = W[[p, j]]
            perm[[j, p]] = perm[[p, j]]
            norms[[j, p]] = norms[[p, j]]
            ref[[j, p]] = ref[[p, j]]
        x = W[j, j:]
        t = tau[j] = _reflector(x)
        if j + 1 == n:
            break
        rest = W[j + 1 :, j:]
        if t != 0.0:
            v = x.copy()
            v[0] = 1.0
            w = rest @ v
            w *= t
            rest -= w[:, None] * v
        nu = norms[j + 1 :]
        live = nu > 0
        ratio = np.divide(rest[:, 0], nu, out=np.zeros_like(nu), where=live)
        shrink = np.maximum(0.0, 1.0 - ratio * ratio)
        lost = live & (shrink * (nu / np.where(live, ref[j + 1 :], 1.0)) ** 2 <= _TOL3Z)
        nu *= np.sqrt(shrink)
        if lost.any():
            idx = np.flatnonzero(lost)
            tail = rest[idx, 1:]
            nu[idx] = np.sqrt(np.einsum("ij,ij->i", tail, tail))
            ref[j + 1 :][idx] = nu[idx]
    return tau, perm


def _apply_qt(W, tau, B):
    """Overwrite ``B`` (m x K) with :math:`Q^T B`, using the reflectors stored in ``W``."""
    for j, t in enumerate(tau):
        if t == 0.0:
            continue
        v = W[j, j:].copy()
        v[0] = 1.0
        Bj = B[j:]
        Bj -= np.outer(v, t * (v @ Bj))
    return B


def _solve_upper(U, B):
    """Back substitution :math:`U^{-1} B` for a non-singular upper triangular ``U`` (r x r)."""
    X = np.array(B, dtype=np.float64)
    for i in range(U.shape[0] - 1, -1, -1):
        if i + 1 < U.shape[0]:
            X[i] -= U[i, i + 1 :] @ X[i + 1 :]
        X[i] /= U[i, i]
    return X


def _check_rtol(rtol, m, n):
    if rtol is None:
        return max(m, n) * _EPS
    if isinstance(rtol, bool) or not isinstance(rtol, (int, float, np.integer, np.floating)):
        raise TypeError(f"rtol must be a real number or None, got {type(rtol).__name__}")
    rtol = float(rtol)
    if not (math.isfinite(rtol) and rtol >= 0):
        raise ValueError(f"rtol must be a finite number >= 0 (or None), got {rtol}")
    return rtol


def _validate(A, b):
    a = as_matrix_stack(A, "A")
    if a.ndim != 2:
        raise LinAlgError(f"A must be a 2-D matrix (m, n), got shape {a.shape}")
    bb = as_float_array(b, "b", min_ndim=1, max_ndim=2)
    if bb.shape[0] != a.shape[0]:
        raise LinAlgError(
            f"A and b have incompatible shapes {a.shape} and {bb.shape}: b needs "
            f"{a.shape[0]} rows, one per row (equation) of A"
        )
    return a, bb


def _solve(a, B, rtol):
    """Minimum-norm least-squares solution for 2-D ``a`` (m x n) and ``B`` (m x K).

    Returns ``(X, rank)``; see :func:`lstsq` for the method.
    """
    m, n = a.shape
    K = B.shape[1]
    if m == 0 or n == 0:
        return np.zeros((n, K)), 0
    d = _column_norms(a)
    d[d == 0] = 1.0  # a zero column stays zero; its unknown gets the minimum-norm value 0
    W = np.array(a.T / d[:, None], order="C")  # rows: unit-norm columns of A D^{-1}
    tau, perm = _qrcp(W)
    k = tau.size
    diag = np.abs(np.diagonal(W[:k, :k]))
    cut = rtol * diag[0]
    rank = int(np.argmax(np.append(diag, 0.0) <= cut))  # pivots are non-increasing
    if rank == 0:
        return np.zeros((n, K)), 0
    C = _apply_qt(W, tau, np.array(B, dtype=np.float64))[:rank]
    R = np.triu(W[:, :rank].T)  # rank x n: [R11 R12] of the permuted, scaled matrix
    if rank == n:
        Y = _solve_upper(R[:, :n], C)
        X = np.empty((n, K))
        X[perm] = Y
        return X / d[:, None], rank
    # Rank-deficient (or wide): the truncated system is R P^T D x = C. Its minimum-norm
    # solution lies in the row space, x = N z with N = D P R^T (n x rank). With N = Q_N R_N,
    # R_N^T Q_N^T x = C gives x = Q_N R_N^{-T} C.
    from m4ml.linalg.qr import qr

    N = np.empty((n, rank))
    N[perm] = R.T
    N *= d[:, None]
    Qn, Rn = qr(N)
    Z = _solve_upper(Rn[:, ::-1][::-1].T.copy(), C[::-1])[::-1]  # forward substitution
    return Qn @ Z, rank


def lstsq(A, b, rtol=None):
    """Least-squares solution of :math:`Ax = b`: the :math:`x` minimizing :math:`\\|b - Ax\\|_2`.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Coefficient matrix; any shape (over-, under- or exactly determined).
    b : array_like, shape (m,) or (m, k)
        Right-hand side(s); each column is solved independently.
    rtol : float, optional
        Relative rank cut-off: directions of the column-scaled matrix whose pivot
        :math:`|r_{jj}|` is :math:`\\le` ``rtol`` :math:`\\cdot |r_{11}|` are treated as zero.
        Default ``max(m, n) * eps``.

    Returns
    -------
    x : ndarray, shape (n,) or (n, k)
        The least-squares solution; of minimum 2-norm among all solutions when ``rank < n``.
    residuals : ndarray, shape (1,), (k,) or (0,)
        Squared 2-norm of each column of :math:`b - Ax` when ``rank == n < m``; otherwise an
        empty array (as in NumPy).
    rank : int
        Numerical rank of the column-scaled matrix :math:`A D^{-1}` (see Notes).
    s : ndarray, shape (min(m, n),)
        Singular values of ``A`` (of ``A`` itself, not the scaled matrix), from
        :func:`m4ml.linalg.svd.svdvals`.

    Raises
    ------
    LinAlgError
        ``A`` is not 2-D, or ``b`` does not have one row per row of ``A``.
    ValueError
        NaN/inf in ``A`` or ``b``, ``b`` with more than 2 dimensions, or a negative ``rtol``.
    TypeError
        Complex or non-numeric input, or a non-real ``rtol``.

    Notes
    -----
    1. *Equilibrate*: scale every column to unit 2-norm, :math:`A_s = A D^{-1}` with
       :math:`D = \\mathrm{diag}(\\|a_j\\|_2)` (zero columns are left alone). The solution of
       :math:`A_s y = b` gives :math:`x = D^{-1} y`. This removes the artificial
       ill-conditioning of badly scaled columns (polynomial terms :math:`x^{10}` next to
       :math:`1`); by van der Sluis' theorem it brings :math:`\\kappa(A_s)` within a factor
       :math:`\\sqrt n` of the best achievable by any column scaling.
    2. *Rank-revealing QR*: Householder QR with column pivoting (Businger & Golub),
       :math:`A_s P = QR` with :math:`|r_{11}| \\ge |r_{22}| \\ge \\cdots`. The rank is
       :math:`r = \\#\\{j : |r_{jj}| > \\mathrm{rtol}\\,|r_{11}|\\}` — the numerical rank of the
       **column-scaled** matrix, which can exceed that of ``A`` judged by its singular values
       ``s`` when the columns have very different scales (it is the scale-invariant notion).
    3. *Solve*: with :math:`c = Q^T b`, if :math:`r = n` then :math:`y = R^{-1} c_{1:n}` (back
       substitution), :math:`x = D^{-1} P y`. If :math:`r < n`, the trailing block is dropped and
       the minimum-norm :math:`x` of the truncated problem :math:`[R_{11}\\;R_{12}] P^T D x =
       c_{1:r}` is found in the row space: with :math:`N = D P [R_{11}\\;R_{12}]^T = Q_N R_N`,
       :math:`x = Q_N R_N^{-T} c_{1:r}` (a complete orthogonal decomposition).

    Cost: :math:`2mn^2 - \\tfrac23 n^3` flops for the pivoted QR (matrix–vector products, one
    column at a time), :math:`4mnk` for :math:`Q^T b`, :math:`n^2 k` for the solve, and the
    singular values. Stability: Householder QR least squares is backward stable (Higham,
    Thm. 20.3); the forward error is about :math:`\\varepsilon(\\kappa + \\kappa^2
    \\|r\\|/(\\|A\\|\\|x\\|))` with :math:`\\kappa = \\kappa(A_s)`, never the
    :math:`\\varepsilon\\kappa^2` of the normal equations.

    References
    ----------
    .. [1] P. Businger and G. H. Golub, "Linear least squares solutions by Householder
       transformations", Numer. Math. 7, 1965.
    .. [2] A. van der Sluis, "Condition numbers and equilibration of matrices", Numer. Math.
       14, 1969.
    .. [3] Z. Drmač and Z. Bujanović, "On the failure of rank-revealing QR factorization
       software — a case study", ACM TOMS 35, 2008 (LAPACK Working Note 176).
    .. [4] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., ch. 20, 2002.
    .. [5] Å. Björck, *Numerical Methods for Least Squares Problems*, SIAM, 1996.

    Examples
    --------
    Fit a line :math:`y = c_0 + c_1 t` through four points:

    >>> import numpy as np
    >>> from m4ml.linalg.lstsq import lstsq
    >>> t = np.array([0.0, 1.0, 2.0, 3.0])
    >>> y = np.array([1.0, 3.1, 4.9, 7.0])
    >>> A = np.column_stack([np.ones_like(t), t])
    >>> x, residuals, rank, s = lstsq(A, y)
    >>> np.round(x, 4), np.round(residuals, 4), rank
    (array([1.03, 1.98]), array([0.018]), 2)

    A rank-deficient system gets the minimum-norm solution:

    >>> x, residuals, rank, s = lstsq([[1.0, 1.0], [1.0, 1.0]], [2.0, 2.0])
    >>> np.round(x, 12), residuals.shape, rank
    (array([1., 1.]), (0,), 1)
    """
    a, bb = _validate(A, b)
    m, n = a.shape
    tol = _check_rtol(rtol, m, n)
    from m4ml.linalg.svd import svdvals  # lazy: the SVD module is optional at import time

    B = bb[:, None] if bb.ndim == 1 else bb
    X, rank = _solve(a, B, tol)
    if rank == n and m > n:
        resid = B - a @ X
        residuals = np.einsum("ij,ij->j", resid, resid)
    else:
        residuals = np.empty(0)
    s = svdvals(a) if min(m, n) else np.zeros(0)
    x = X[:, 0] if bb.ndim == 1 else X
    return x, residuals, rank, s
