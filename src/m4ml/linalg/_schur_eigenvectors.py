r"""Eigenvectors of a real Schur form by guarded back substitution (LAPACK's dtrevc).

For each diagonal block of the quasi-triangular ``T`` (1x1: a real eigenvalue, 2x2: a complex
pair), :math:`(T - \\lambda I) y = 0` is solved from the bottom up, vectorized over all
eigenvectors at once. Pivots below :math:`\varepsilon |\\lambda|` are perturbed to that size, and
a column is scaled down before a division that would push it past ``_BIG``, so the result
stays finite for any finite ``T``. :func:`m4ml.linalg.eig` maps these vectors back through the
Schur and balancing transformations.
"""

import numpy as np

_EPS = float(np.finfo(np.float64).eps)
_SAFE_MIN = float(np.finfo(np.float64).tiny) / _EPS
# eigenvector columns are rescaled when an entry grows past this; with |T| ~ 2**450 (eig.py's
# _WORK_EXP) the products T @ y in the back substitution stay far from overflow
_BIG = 1e150


def _blocks(t):
    """Start index and size (1 or 2) of each diagonal block of the quasi-triangular ``t``."""
    n = t.shape[0]
    pair = np.zeros(n + 1, dtype=bool)
    pair[: max(n - 1, 0)] = t.diagonal(-1) != 0
    starts, sizes = [], []
    k = 0
    while k < n:
        size = 2 if pair[k] else 1
        starts.append(k)
        sizes.append(size)
        k += size
    return starts, sizes


def _guard(y, a0, rhs, mag, pmin, factor=1.0):
    """Scale columns ``a0:`` of ``y`` (and ``rhs``) down where ``mag * factor / pmin`` > BIG.

    ``mag`` is the size of the right-hand side, ``factor >= 1`` the growth of a 2x2 block's
    solve, ``pmin`` the smallest pivot. A column's direction is all that matters, so shrinking
    it before the division keeps the quotient finite (LAPACK's dlaln2 does the same with its
    scale factor). The product ``mag * factor`` and the combined scale factor are never
    formed: either can overflow or underflow (to an inf, or a 0 that zeroes the column).
    """
    lim = _BIG * pmin
    over = mag > lim / factor
    if over.any():
        m = np.where(over, mag, 1.0)
        f = np.where(over, factor, 1.0)
        keep = np.where(over, lim, 1.0)
        # y / f / m * lim: each partial result stays below BIG / lim * BIG, far from overflow
        y[:, a0:] = ((y[:, a0:] / f) / m) * keep
        rhs = ((rhs / f) / m) * keep
    return rhs


def _quasi_triangular_eigenvectors(t):
    """Eigenvectors of a real Schur form ``t``, one column per 1x1 block or per 2x2 block.

    Returns ``(y, starts, sizes, lam)``: ``y[:, j]`` is the eigenvector of ``t`` for the
    eigenvalue ``lam[j]`` of block ``j`` (for a 2x2 block, the one with positive imaginary part;
    its conjugate belongs to the conjugate eigenvalue). Back substitution runs over the blocks
    from the bottom up, vectorized over all eigenvectors at once; a pivot ``t_jj - lambda``
    smaller than ``eps * max|t|`` is replaced by that size, and columns that grow past 1e200
    are rescaled.
    """
    n = t.shape[0]
    starts, sizes = _blocks(t)
    complex_out = 2 in sizes
    dtype = np.complex128 if complex_out else np.float64
    r = len(starts)
    lam = np.zeros(r, dtype=dtype)
    y = np.zeros((n, r), dtype=dtype)
    for j, (k, size) in enumerate(zip(starts, sizes, strict=True)):
        if size == 1:
            lam[j] = t[k, k]
            y[k, j] = 1.0
            continue
        a, b, c = t[k, k], t[k, k + 1], t[k + 1, k]
        w = np.sqrt(abs(b)) * np.sqrt(abs(c))
        lam[j] = complex(a, w)
        # (B - lambda I) x = 0 for B = [[a, b], [c, a]]: x = (1, i w / b) or (i w / c, 1).
        if abs(b) >= abs(c):
            y[k, j], y[k + 1, j] = 1.0, 1j * w / b
        else:
            y[k, j], y[k + 1, j] = 1j * w / c, 1.0
    # As LAPACK's dtrevc: a pivot is perturbed only below eps |lambda| (not eps ||T||), so an
    # eigenvalue far below the norm, isolated by balancing, keeps an accurate eigenvector.
    smin_all = np.maximum(_EPS * np.abs(lam), _SAFE_MIN)
    pos = np.asarray(starts)
    for k, size in zip(reversed(starts), reversed(sizes), strict=True):
        end = k + size
        a0 = int(np.searchsorted(pos, end))  # eigenvectors whose block lies below this one
        if a0 == r:
            continue
        rhs = -(t[k:end, end:] @ y[end:, a0:])
        lv = lam[a0:]
        smin = smin_all[a0:]
        if size == 1:
            piv = t[k, k] - lv
            piv = np.where(np.abs(piv) < smin, np.where(piv.real < 0, -smin, smin), piv)
            rhs = _guard(y, a0, rhs, np.abs(rhs[0]), np.abs(piv))
            y[k, a0:] = rhs[0] / piv
        else:
            # Solve in the block's own eigenbasis B = W diag(mu+, mu-) W^{-1}, so that a tiny
            # mu - lambda (a repeated pair) is perturbed like a 1x1 pivot.
            a, b, c = t[k, k], t[k, k + 1], t[k + 1, k]
            w = np.sqrt(abs(b)) * np.sqrt(abs(c))
            dp = complex(a, w) - lv
            dm = complex(a, -w) - lv
            dp = np.where(np.abs(dp) < smin, smin, dp)
            dm = np.where(np.abs(dm) < smin, smin, dm)
            inv_s = max(abs(b), abs(c)) / w  # 1 / |s| below, >= 1
            mag = np.abs(rhs).max(axis=0)
            rhs = _guard(y, a0, rhs, mag, np.minimum(np.abs(dp), np.abs(dm)), inv_s)
            if abs(b) >= abs(c):  # u+- = (1, +-s)
                s = 1j * w / b
                alpha, beta = 0.5 * (rhs[0] + rhs[1] / s), 0.5 * (rhs[0] - rhs[1] / s)
                y[k, a0:] = alpha / dp + beta / dm
                y[k + 1, a0:] = s * (alpha / dp - beta / dm)
            else:  # u+- = (+-s, 1)
                s = 1j * w / c
                alpha, beta = 0.5 * (rhs[1] + rhs[0] / s), 0.5 * (rhs[1] - rhs[0] / s)
                y[k, a0:] = s * (alpha / dp - beta / dm)
                y[k + 1, a0:] = alpha / dp + beta / dm
        grown = np.abs(y[k:end, a0:]).max(axis=0)
        big = np.flatnonzero(grown > _BIG)
        if big.size:
            cols = a0 + big
            y[:, cols] /= grown[big]
    return y, starts, sizes, lam
