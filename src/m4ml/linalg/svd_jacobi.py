"""One-sided Jacobi SVD of a batch of small bidiagonal blocks (the leaves of the bidiagonal D&C).

Private module used by :mod:`m4ml.linalg.bdsvd`.

Each leaf is an ``m x (m + sqre)`` upper bidiagonal block ``B`` (``sqre`` is 0 or 1). It is
padded with zero rows to a square ``N x N`` matrix ``B'`` and its columns are orthogonalized by
plane rotations from the right (Hestenes 1958; Demmel & Veselić 1992): for a column pair
:math:`(b_p, b_q)` with :math:`\\alpha = \\lVert b_p \\rVert^2`,
:math:`\\beta = \\lVert b_q \\rVert^2`, :math:`\\gamma = b_p^T b_q`,

.. math::

    \\zeta = \\frac{\\beta - \\alpha}{2\\gamma},\\quad
    t = \\frac{\\operatorname{sign}\\zeta}{|\\zeta| + \\sqrt{1 + \\zeta^2}},\\quad
    c = \\frac{1}{\\sqrt{1 + t^2}},\\ s = c t

zeroes :math:`\\gamma`. A round-robin ordering rotates ``N / 2`` disjoint pairs at once, and all
leaves of the batch move together, so one sweep costs ``N - 1`` vectorized steps. At convergence
:math:`B' W = U \\Sigma` with ``W`` the accumulated rotations (orthogonal to rounding, null
vector included); ``U`` comes from the normalized columns, re-orthogonalized (twice, in order of
decreasing singular value, random directions standing in for zero singular values) so that it is
orthonormal even when ``B`` is rank deficient. One-sided Jacobi is backward stable and, on
bidiagonal matrices, accurate in the small singular values as well.
"""

import itertools
import warnings

import numpy as np

from m4ml._core import ConvergenceWarning

_EPS = np.finfo(float).eps
_MAXSWEEPS = 40


def _tournament(N):
    """Round-robin schedule on ``N`` (even) columns stored so that round ``r`` pairs positions
    ``k`` and ``N/2 + k``: the initial arrangement and, per round, the gather that moves the
    columns into the next round's positions (circle method)."""
    h = N // 2
    players = list(range(N))
    arrangements = []
    for _ in range(N):
        arrangements.append(players[:h] + players[h:][::-1])
        players = [players[0], players[-1], *players[1:-1]]
    moves = []
    for cur, nxt in itertools.pairwise(arrangements):
        where = {pl: i for i, pl in enumerate(cur)}
        moves.append(np.array([where[pl] for pl in nxt]))
    return np.array(arrangements[0]), moves


def leaf_svds(blocks, want_u=True):
    """SVDs of bidiagonal blocks ``[(d, e, sqre), ...]`` -> ``[(U, s, W), ...]``.

    ``U`` is ``m x m``, ``s`` has ``m`` entries (descending), ``W`` is
    ``(m + sqre) x (m + sqre)`` with ``B W[:, :m] = U diag(s)`` and, if ``sqre``, ``B W[:, m] = 0``.
    """
    L = len(blocks)
    ms = np.array([d.shape[0] for d, _, _ in blocks])
    cols = np.array([d.shape[0] + sq for d, _, sq in blocks])
    N = int(cols.max())
    N += N % 2
    E = np.zeros((L, 2 * N, N))  # [B'; J]: rotations act on columns of both halves
    for k, (d, e, _) in enumerate(blocks):
        m = d.shape[0]
        E[k, np.arange(m), np.arange(m)] = d
        E[k, np.arange(e.shape[0]), np.arange(1, e.shape[0] + 1)] = e
    E[:, N:, :] = np.eye(N)
    scale = np.abs(E[:, :N]).max(axis=(1, 2))
    scale[scale == 0] = 1.0
    E[:, :N] /= scale[:, None, None]
    tol = N * _EPS
    floor = N * _EPS * _EPS  # columns below eps * sqrt(N) * max|B| count as zero
    # One row per column of [B'; J], in tournament positions: pairs are (k, h + k).
    h = N // 2
    ids, moves = _tournament(N)
    F = np.ascontiguousarray(E.transpose(0, 2, 1)[:, ids])
    for _ in range(_MAXSWEEPS):
        rotated = False
        for move in moves:
            P, Q = F[:, :h], F[:, h:]
            Pt, Qt = P[:, :, :N], Q[:, :, :N]
            a = np.einsum("lkr,lkr->lk", Pt, Pt)
            b = np.einsum("lkr,lkr->lk", Qt, Qt)
            g = np.einsum("lkr,lkr->lk", Pt, Qt)
            rot = (np.abs(g) > tol * np.sqrt(a * b)) & (a > floor) & (b > floor)
            if rot.any():
                rotated = True
                with np.errstate(all="ignore"):
                    zeta = (b - a) / (2.0 * g)
                    t = np.copysign(1.0, zeta) / (np.abs(zeta) + np.hypot(1.0, zeta))
                t = np.where(rot & np.isfinite(t), t, 0.0)
                c = 1.0 / np.sqrt(1.0 + t * t)
                s = (c * t)[:, :, None]
                c = c[:, :, None]
                F = np.concatenate([c * P - s * Q, s * P + c * Q], axis=1)
            F = F[:, move]
            ids = ids[move]
        if not rotated:
            break
    else:
        warnings.warn(
            f"one-sided Jacobi did not converge in {_MAXSWEEPS} sweeps",
            ConvergenceWarning,
            stacklevel=2,
        )
    E = F[:, np.argsort(ids)].transpose(0, 2, 1)
    top = E[:, :N]
    J = E[:, N:]
    norms = np.sqrt(np.einsum("lrk,lrk->lk", top, top))
    # Real columns first, by decreasing norm; padding last.
    key = np.where(np.arange(N)[None, :] < cols[:, None], norms, -1.0)
    order = np.argsort(-key, axis=1, kind="stable")
    norms = np.take_along_axis(norms, order, axis=1)
    top = np.take_along_axis(top, order[:, None, :], axis=2)
    J = np.take_along_axis(J, order[:, None, :], axis=2)
    U = _orthonormal_columns(top, norms, ms) if want_u else None
    out = []
    for k in range(L):
        m, c = ms[k], cols[k]
        Uk = U[k, :m, :m].copy() if want_u else None
        out.append((Uk, norms[k, :m] * scale[k], J[k, :c, :c].copy()))
    return out


def _orthonormal_columns(top, norms, ms):
    """Normalized columns of ``top`` made orthonormal by classical Gram–Schmidt, twice."""
    L, N, _ = top.shape
    P = int(ms.max())
    rows_ok = np.arange(N)[None, :] < ms[:, None]  # (L, N)
    small = norms[:, :P] <= N * _EPS * np.maximum(norms[:, :1], np.finfo(float).tiny)
    with np.errstate(divide="ignore", invalid="ignore"):
        X = top[:, :, :P] / norms[:, None, :P]
    if small.any():
        noise = np.random.default_rng(0).standard_normal((L, N, P))
        X = np.where(small[:, None, :], noise, X)
    X = np.where(rows_ok[:, :, None], X, 0.0)
    Q = np.zeros((L, N, P))
    for j in range(P):
        x = X[:, :, j]
        for _ in range(2):
            if j:
                x = x - np.einsum(
                    "lnk,lk->ln", Q[:, :, :j], np.einsum("lnk,ln->lk", Q[:, :, :j], x)
                )
            nrm = np.sqrt((x * x).sum(axis=1))
            x = x / np.where(nrm > 0, nrm, 1.0)[:, None]
        valid = (j < ms)[:, None]
        Q[:, :, j] = np.where(valid, x, 0.0)
    return Q
