"""One-sided Jacobi SVD of a batch of small matrices, all at once.

Private module: :func:`leaf_svds` solves the leaves of the bidiagonal divide and conquer
(:mod:`m4ml.linalg.bdsvd`); :func:`jacobi_svd_stack` serves :func:`m4ml.linalg.svd.svd` for
stacks of small dense matrices.

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


def _rotate(top):
    """Orthogonalize the columns of each ``top[l]`` (``R x N``, ``N`` even) by rotations.

    Returns the rotated columns and the accumulated rotations ``J`` (``N x N``), with
    ``top_in @ J = top_out``.
    """
    L, R, N = top.shape
    tol = N * _EPS
    floor = N * _EPS * _EPS  # columns below eps * sqrt(N) * max|B| count as zero
    # One row per column of [B; J], in tournament positions: pairs are (k, h + k).
    h = N // 2
    ids, moves = _tournament(N)
    F = np.concatenate([top.transpose(0, 2, 1), np.broadcast_to(np.eye(N), (L, N, N))], axis=2)
    F = F[:, ids]
    for _ in range(_MAXSWEEPS):
        rotated = False
        for move in moves:
            P, Q = F[:, :h], F[:, h:]
            Pt, Qt = P[:, :, :R], Q[:, :, :R]
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
            stacklevel=3,
        )
    E = F[:, np.argsort(ids)].transpose(0, 2, 1)
    return E[:, :R], E[:, R:]


def _column_norms(top):
    """2-norms of the columns of each matrix, scaled by the column's largest entry (dnrm2's
    idea), so a column of 1e-300 entries gets its norm instead of an underflowed 0."""
    big = np.abs(top).max(axis=1)
    safe = np.where(big > 0, big, 1.0)
    scaled = top / safe[:, None, :]
    return np.sqrt(np.einsum("lrk,lrk->lk", scaled, scaled)) * big


def _sorted(top, J, cols):
    """Columns by decreasing norm, the ``cols[l]`` real ones first, padding last."""
    N = top.shape[2]
    norms = _column_norms(top)
    key = np.where(np.arange(N)[None, :] < cols[:, None], norms, -1.0)
    order = np.argsort(-key, axis=1, kind="stable")
    norms = np.take_along_axis(norms, order, axis=1)
    top = np.take_along_axis(top, order[:, None, :], axis=2)
    J = np.take_along_axis(J, order[:, None, :], axis=2)
    return top, norms, J


def _scaled(top):
    scale = np.abs(top).max(axis=(1, 2)) if top.size else np.ones(top.shape[0])
    scale = np.where(scale == 0, 1.0, scale)
    return top / scale[:, None, None], scale


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
    top = np.zeros((L, N, N))  # each block padded with zero rows and columns
    for k, (d, e, _) in enumerate(blocks):
        m = d.shape[0]
        top[k, np.arange(m), np.arange(m)] = d
        top[k, np.arange(e.shape[0]), np.arange(1, e.shape[0] + 1)] = e
    top, scale = _scaled(top)
    top, norms, J = _sorted(*_rotate(top), cols)
    U = _orthonormal_columns(top, norms, ms, ms, int(ms.max())) if want_u else None
    out = []
    for k in range(L):
        m, c = ms[k], cols[k]
        Uk = U[k, :m, :m].copy() if want_u else None
        out.append((Uk, norms[k, :m] * scale[k], J[k, :c, :c].copy()))
    return out


def jacobi_svd_stack(A, full_matrices=False, compute_uv=True):
    """SVD of a stack ``A`` of shape ``(L, m, n)`` with ``m >= n``, all matrices at once.

    Returns ``U`` (``L x m x k``, ``k = m`` if ``full_matrices`` else ``n``), ``s``
    (``L x n``, descending) and ``Vh`` (``L x n x n``); just ``s`` if not ``compute_uv``.
    Meant for stacks of small matrices, where one vectorized Jacobi beats a loop.
    """
    L, m, n = A.shape
    N = n + n % 2
    top = np.zeros((L, m, N))
    top[:, :, :n] = A
    top, scale = _scaled(top)
    top, norms, J = _sorted(*_rotate(top), np.full(L, n))
    s = norms[:, :n] * scale[:, None]
    if not compute_uv:
        return s
    k = m if full_matrices else n
    U = _orthonormal_columns(top, norms, np.full(L, m), np.full(L, k), k)
    return U, s, np.swapaxes(J[:, :n, :n], 1, 2)


def _orthonormal_columns(top, norms, rows, cols, P):
    """``P`` orthonormal columns from the normalized columns of ``top`` (Gram–Schmidt, twice).

    Matrix ``l`` uses its first ``rows[l]`` rows and ``cols[l]`` columns (the rest are zero);
    negligible or missing columns are replaced by random directions, which the Gram–Schmidt
    turns into an orthonormal completion.
    """
    L, R, avail = top.shape
    X = np.zeros((L, R, P))
    nrm = np.zeros((L, P))
    w = min(avail, P)
    X[:, :, :w] = top[:, :, :w]
    nrm[:, :w] = norms[:, :w]
    small = nrm <= R * _EPS * np.maximum(nrm[:, :1], np.finfo(float).tiny)
    with np.errstate(divide="ignore", invalid="ignore"):
        X = X / nrm[:, None, :]
    if small.any():
        noise = np.random.default_rng(0).standard_normal((L, R, P))
        X = np.where(small[:, None, :], noise, X)
    X = np.where((np.arange(R)[None, :] < rows[:, None])[:, :, None], X, 0.0)
    Q = np.zeros((L, R, P))
    for j in range(P):
        x = X[:, :, j]
        for _ in range(2):
            if j:
                x = x - np.einsum(
                    "lnk,lk->ln", Q[:, :, :j], np.einsum("lnk,ln->lk", Q[:, :, :j], x)
                )
            nx = np.sqrt((x * x).sum(axis=1))
            x = x / np.where(nx > 0, nx, 1.0)[:, None]
        Q[:, :, j] = np.where((j < cols)[:, None], x, 0.0)
    return Q
