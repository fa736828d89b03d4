"""Cyclic Jacobi for stacks of small symmetric matrices, vectorized across the stack.

Private module: the small-matrix path of :func:`m4ml.linalg.eigh.eigh` and the leaf solver of
the divide-and-conquer tridiagonal eigensolver (:mod:`m4ml.linalg.tridiag_eigen`).
"""

import numpy as np

from m4ml._core import LinAlgError

_EPS = np.finfo(np.float64).eps
_MAX_SWEEPS = 40


def _round_robin(m):
    """The m - 1 rounds of disjoint index pairs (p, q) that cover all pairs once (m even)."""
    players = list(range(m))
    rounds = []
    for _ in range(m - 1):
        p = np.array([min(players[i], players[m - 1 - i]) for i in range(m // 2)])
        q = np.array([max(players[i], players[m - 1 - i]) for i in range(m // 2)])
        rounds.append((p, q))
        players = [players[0], players[-1], *players[1:-1]]
    return rounds


def _jacobi(A):
    """Eigen-decompose a stack (L, m, m) of symmetric matrices by parallel cyclic Jacobi.

    Each round rotates m/2 disjoint pairs (p, q) of every matrix at once by the angle that
    annihilates a_pq, tan(2 theta) = 2 a_pq / (a_qq - a_pp) with |theta| <= pi/4 (Golub and
    Van Loan, section 8.5), applied as A <- J^T A J by batched matmul, until the off-diagonal
    part of every matrix is below eps times its norm. Returns the eigenvalues (unsorted) and
    the eigenvectors, as columns.
    """
    L, m, _ = A.shape
    V = np.broadcast_to(np.eye(m), A.shape).copy()
    if m == 1:
        return A[:, :, 0].copy(), V
    flat = A.reshape(L, m * m)
    scale = np.sqrt(np.einsum("ij,ij->i", flat, flat))  # Frobenius norm of each matrix
    plans = []
    for p, q in _round_robin(m):
        pq = np.concatenate((p * m + q, q * m + p))  # the annihilated pair, both triangles
        plans.append((p * (m + 1), q * (m + 1), p * m + q, pq, np.concatenate((p, q)) * (m + 1)))
    J = np.zeros((L, m, m))
    Jflat = J.reshape(L, m * m)
    diag = np.arange(m) * (m + 1)
    for _ in range(_MAX_SWEEPS):
        off = flat.copy()
        off[:, diag] = 0.0
        if np.all(np.sqrt(np.einsum("ij,ij->i", off, off)) <= _EPS * scale):
            return flat[:, diag].copy(), V
        for pp, qq, apq_at, pq, pqdiag in plans:
            apq, gap = flat[:, apq_at], flat[:, qq] - flat[:, pp]
            # theta in [-pi/4, pi/4]; a_qq = a_pp gives +-pi/4, a_pq = 0 gives 0
            theta = 0.5 * np.arctan2(np.where(gap >= 0, 2.0, -2.0) * apq, np.abs(gap))
            c, s = np.cos(theta), np.sin(theta)
            Jflat[:] = 0.0
            Jflat[:, pqdiag] = np.concatenate((c, c), axis=1)
            Jflat[:, pq] = np.concatenate((s, -s), axis=1)
            A = np.matmul(J.transpose(0, 2, 1), A) @ J
            flat = A.reshape(L, m * m)
            flat[:, pq] = 0.0  # annihilated (up to rounding, which is dropped)
            V = V @ J
    raise LinAlgError(f"Jacobi iteration did not converge in {_MAX_SWEEPS} sweeps")
