"""Golub–Kahan bidiagonalization by blocked Householder reflections (the first stage of the SVD).

Public: :func:`bidiagonalize`; :func:`m4ml.linalg.svd.svd` calls the in-place kernel.

A tall matrix :math:`A \\in \\mathbb{R}^{m \\times n}` (:math:`m \\ge n`) is reduced to upper
bidiagonal form :math:`A = Q B P^T` by alternating Householder reflections from the left (zeroing
a column below the diagonal) and from the right (zeroing a row beyond the superdiagonal). The
reflections are grouped in panels of ``_NB`` columns: inside a panel the trailing matrix is not
touched, the reflections' effect being carried by two tall matrices :math:`X, Y` so that the
current matrix is :math:`A - U Y^T - X V^T = A - Z W^T` with :math:`Z = [U\\ X]`,
:math:`W = [Y\\ V]`; at the end of the panel this is applied with one matrix product
(Dongarra, Sorensen & Hammarling 1989). Half of the
:math:`\\tfrac{8}{3}n^3`-type flop count then runs in matrix–matrix products, the other half in
matrix–vector products against the trailing matrix.

The orthogonal factors are never formed: :func:`apply_q` and :func:`apply_p` apply them to a
block of vectors with the compact WY representation :math:`H_1 \\cdots H_b = I - V T V^T`
(Schreiber & Van Loan 1989), again in matrix products.
"""

import math
from typing import NamedTuple

import numpy as np

from m4ml._core import LinAlgError, as_matrix_stack
from m4ml._core.hints import ArrayLike
from m4ml.linalg.householder import _reflector as _householder

__all__ = ["BidiagonalResult", "bidiagonalize"]

_NB = 32  # panel width


def _reflector(x):
    """Overwrite ``x`` with the Householder vector for ``x`` (``x[0] = 1``); return beta, tau.

    ``(I - tau v v^T) x_old = beta e_1``; ``tau = 0`` (identity) when ``x[1:]`` is zero. The
    shared kernel :func:`m4ml.linalg.householder._reflector` scales ``x`` by its largest entry
    whenever a square could overflow or underflow (as LAPACK's ``dlarfg``/``dnrm2``), so a
    column of entries near 1e-160 gets a reflector orthogonal to working precision.
    """
    tau = _householder(x)
    beta = float(x[0])
    x[0] = 1.0
    return beta, tau


def _bidiagonalize(A):
    """Kernel of :func:`bidiagonalize`: reduce the tall ``A`` in place, ``A = Q B P^T``.

    Parameters
    ----------
    A : ndarray, shape (m, n), m >= n
        Overwritten with the Householder vectors (columns below the diagonal for ``Q``, rows
        right of the superdiagonal for ``P``).

    Returns
    -------
    d : ndarray, shape (n,)
        Diagonal of ``B``.
    e : ndarray, shape (n - 1,)
        Superdiagonal of ``B``.
    tauq, taup : ndarray
        Householder coefficients of the left (``n``) and right (``n - 1``) reflections.
    """
    a = A
    m, n = a.shape
    d = np.zeros(n)
    e = np.zeros(max(n - 1, 0))
    tauq = np.zeros(n)
    taup = np.zeros(max(n - 1, 0))
    for s in range(0, n, _NB):
        b = min(_NB, n - s)
        # Column 2k of Z holds u_k and column 2k + 1 holds x_k; column 2k of W holds y_k and
        # column 2k + 1 holds v_k, so that the current matrix is  A - Z W^T  (one product).
        Z = np.zeros((m, 2 * b))
        W = np.zeros((n, 2 * b))
        for i in range(b):
            g = s + i
            j = 2 * i
            col = a[g:, g]
            if i:
                col -= Z[g:, :j] @ W[g, :j]
            d[g], tauq[g] = _reflector(col)
            Z[g:, j] = col
            if g == n - 1:
                break
            u = Z[g:, j]
            y = u @ a[g:, g + 1 :]
            if i:
                y -= W[g + 1 :, :j] @ (u @ Z[g:, :j])
            W[g + 1 :, j] = tauq[g] * y
            row = a[g, g + 1 :]
            row -= W[g + 1 :, : j + 1] @ Z[g, : j + 1]
            e[g], taup[g] = _reflector(row)
            W[g + 1 :, j + 1] = row
            v = W[g + 1 :, j + 1]
            x = a[g + 1 :, g + 1 :] @ v
            x -= Z[g + 1 :, : j + 1] @ (v @ W[g + 1 :, : j + 1])
            Z[g + 1 :, j + 1] = taup[g] * x
        t = s + b
        if t < n:
            a[t:, t:] -= Z[t:] @ W[t:].T
    return d, e, tauq, taup


class BidiagonalResult(NamedTuple):
    """Result of :func:`bidiagonalize`: ``A = Q @ B @ P.T`` with ``B`` upper bidiagonal."""

    d: np.ndarray
    """Diagonal of ``B``, shape ``(n,)``."""
    e: np.ndarray
    """Superdiagonal of ``B``, shape ``(n - 1,)``."""
    Q: np.ndarray
    """Orthonormal columns, shape ``(m, n)`` (``None`` when ``compute_qp`` is false)."""
    P: np.ndarray
    """Orthogonal, shape ``(n, n)`` (``None`` when ``compute_qp`` is false)."""


def bidiagonalize(A: ArrayLike, compute_qp: bool = True) -> BidiagonalResult:
    """Reduce a tall matrix to upper bidiagonal form, ``A = Q B P^T`` (Golub–Kahan).

    Parameters
    ----------
    A : array_like, shape (m, n), m >= n
        Real matrix; not modified. (For a wide matrix, bidiagonalize ``A.T``.)
    compute_qp : bool, default True
        Also form ``Q`` and ``P`` (otherwise they are returned as None).

    Returns
    -------
    BidiagonalResult
        ``(d, e, Q, P)``: the diagonal and superdiagonal of ``B``, ``Q`` with orthonormal
        columns (``m x n``) and ``P`` orthogonal (``n x n``).

    Raises
    ------
    LinAlgError
        If ``A`` is not 2-D.
    ValueError
        If ``A`` is wide (``m < n``), holds NaN or infinity, or ``compute_qp`` is not a bool.
    TypeError
        If ``A`` is complex or not numeric.

    Notes
    -----
    Alternating Householder reflections from the left, :math:`H_k`, zeroing column
    :math:`k` below the diagonal, and from the right, :math:`G_k`, zeroing row :math:`k`
    beyond the superdiagonal:

    .. math:: H_{n-1} \\cdots H_0 \\, A \\, G_0 \\cdots G_{n-3} = B,\\qquad
              Q = H_0 \\cdots H_{n-1},\\ P = G_0 \\cdots G_{n-3}.

    Each reflector :math:`I - \\tau v v^T` maps :math:`x` to :math:`\\beta e_1`,
    :math:`\\beta = -\\operatorname{sign}(x_0)\\lVert x \\rVert`, with the norm computed on
    :math:`x / \\max_i |x_i|` whenever a square could leave the normal range. The panels of
    32 columns are blocked as in Dongarra, Sorensen and Hammarling (half of the
    :math:`4mn^2 - \\tfrac43 n^3` flops in matrix products). The input is scaled by a power
    of two first (exact). Backward stable: :math:`Q B P^T = A + E`,
    :math:`\\lVert E \\rVert = O(\\varepsilon \\lVert A \\rVert)`. It is the first stage of
    :func:`m4ml.linalg.svd.svd`.

    References
    ----------
    G. H. Golub and W. Kahan, "Calculating the singular values and pseudo-inverse of a
    matrix", SIAM J. Numer. Anal. B 2 (1965). G. H. Golub and C. F. Van Loan, *Matrix
    Computations*, 4th ed., 5.4.8.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.bidiagonal import bidiagonalize
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> d, e, Q, P = bidiagonalize(A)
    >>> B = np.diag(d) + np.diag(e, 1)
    >>> np.allclose(Q @ B @ P.T, A), np.allclose(Q.T @ Q, np.eye(2))
    (True, True)
    """
    if not isinstance(compute_qp, (bool, np.bool_)):
        raise ValueError(f"compute_qp must be a bool, got {compute_qp!r}")
    a = as_matrix_stack(A, "A", copy=True)
    if a.ndim != 2:
        raise LinAlgError(f"A must be a single 2-D matrix, got shape {a.shape}")
    m, n = a.shape
    if m < n:
        raise ValueError(f"A must be tall (m >= n), got shape {a.shape}; bidiagonalize A.T instead")
    big = float(np.abs(a).max()) if a.size else 0.0
    k = -math.frexp(big)[1] if big else 0  # scale by 2**k: exact
    a = np.ldexp(a, k)
    d, e, tauq, taup = _bidiagonalize(a)
    d, e = np.ldexp(d, -k), np.ldexp(e, -k)
    if not compute_qp:
        return BidiagonalResult(d, e, None, None)
    Q = apply_q(a, tauq, np.eye(m)[:, :n].copy())
    P = apply_p(a, taup, np.eye(n))
    return BidiagonalResult(d, e, Q, P)


def _t_factor(V, tau):
    """Upper triangular ``T`` with ``H_1 ... H_b = I - V T V^T`` (forward accumulation)."""
    b = tau.shape[0]
    G = V.T @ V
    T = np.zeros((b, b))
    for i in range(b):
        T[i, i] = tau[i]
        if i:
            T[:i, i] = -tau[i] * (T[:i, :i] @ G[:i, i])
    return T


def _apply_blocks(vectors, tau, C, offset):
    """Apply ``H_0 H_1 ... H_{k-1}`` to ``C`` in place; block ``j`` acts on rows ``j+offset:``.

    ``vectors(s, t)`` returns the unit lower-trapezoidal matrix of reflectors ``s..t-1`` on rows
    ``s + offset:``.
    """
    k = tau.shape[0]
    starts = list(range(0, k, _NB))
    for s in reversed(starts):
        t = min(s + _NB, k)
        V = vectors(s, t)
        T = _t_factor(V, tau[s:t])
        rows = C[s + offset :]
        rows -= V @ (T @ (V.T @ rows))
    return C


def apply_q(a, tauq, C):
    """Return ``Q C`` (``C`` has ``m`` rows) for the reflectors stored by :func:`bidiagonalize`."""

    def vectors(s, t):
        V = np.tril(a[s:, s:t], -1)
        V[np.arange(t - s), np.arange(t - s)] = 1.0
        return V

    return _apply_blocks(vectors, tauq, C, 0)


def apply_p(a, taup, C):
    """Return ``P C`` (``C`` has ``n`` rows) for the reflectors stored by :func:`bidiagonalize`."""

    def vectors(s, t):
        V = np.triu(a[s:t, s + 1 :], 0).T.copy()
        V[np.arange(t - s), np.arange(t - s)] = 1.0
        return V

    return _apply_blocks(vectors, taup, C, 1)
