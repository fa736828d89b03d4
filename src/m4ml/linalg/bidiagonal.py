"""Golub–Kahan bidiagonalization by blocked Householder reflections (the first stage of the SVD).

Private module: :func:`m4ml.linalg.svd.svd` is the public entry point.

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

import numpy as np

_NB = 32  # panel width


def _reflector(x):
    """Overwrite ``x`` with the Householder vector for ``x`` (``x[0] = 1``); return beta, tau.

    ``(I - tau v v^T) x_old = beta e_1``. ``tau = 0`` (identity) when ``x[1:]`` is zero.
    """
    alpha = float(x[0])
    tail = x[1:]
    sigma = float(tail @ tail)
    if sigma == 0.0:
        x[0] = 1.0
        return alpha, 0.0
    beta = -math.copysign(math.sqrt(alpha * alpha + sigma), alpha)
    tail /= alpha - beta
    x[0] = 1.0
    return beta, (beta - alpha) / beta


def bidiagonalize(A):
    """Reduce a tall matrix to upper bidiagonal form, ``A = Q B P^T``.

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
