"""SVD of an upper bidiagonal matrix: the textbook QR sweep, and divide and conquer.

Private module used by :func:`m4ml.linalg.svd.svd`. It reads top-down: first the textbook
kernel, the Golub–Kahan implicit-shift QR sweep (:func:`_bidiagonal_qr`, one rotation at a
time), which is the oracle the fast path is tested against; then the divide and conquer of
Gu & Eisenstat (1995), :func:`bdsvd`.

An ``m x (m + sqre)`` upper bidiagonal block (diagonal ``d``, superdiagonal ``e``) is split at a
middle row ``k``:

.. math::

    B = \\begin{pmatrix} B_1 & 0 \\\\ d_k e_{k}^T & e_k e_1^T \\\\ 0 & B_2 \\end{pmatrix},

with :math:`B_1` of size ``k x (k + 1)`` and :math:`B_2` of the parent's shape. With the SVDs
:math:`B_i = U_i (\\Sigma_i\\ 0) W_i^T` of the halves, the two null-space columns are rotated
into one, and what is left is a broken-arrow matrix

.. math::

    M = \\begin{pmatrix} z_0 & z^T \\\\ 0 & \\Sigma \\end{pmatrix},\\qquad
    z = (d_k\\, W_1[k, :],\\ e_k\\, W_2[0, :]),

solved by the secular equation (:mod:`m4ml.linalg.svd_secular`). Before that, *deflation*:
a component :math:`|z_j| \\le \\tau` is dropped (:math:`\\sigma = d_j` exactly), and two poles
closer than :math:`\\tau = 8\\varepsilon \\max(\\max_j d_j, \\max_j |z_j|)`
are merged by a plane rotation, each costing a perturbation below :math:`\\tau`. The singular
vectors of ``B`` are those of the halves times those of ``M``: matrix products, which is where
the :math:`O(m^3)` work goes. The leaves (at most ``_LEAF`` rows) are solved together by a
batched one-sided Jacobi (:mod:`m4ml.linalg.svd_jacobi`).
"""

import math

import numpy as np

from m4ml._core import LinAlgError
from m4ml.linalg.svd_jacobi import leaf_svds
from m4ml.linalg.svd_secular import secular_roots, secular_vectors

_EPS = np.finfo(float).eps
_SAFMIN = np.finfo(float).tiny / _EPS
_LEAF = 16
_QR_MAX = 16  # up to this order bdsvd uses the textbook QR sweep


def _givens(x, z):
    """``(c, s, r)`` with ``c x + s z = r`` and ``-s x + c z = 0`` (``hypot``: no overflow)."""
    r = math.hypot(x, z)
    if r == 0.0:
        return 1.0, 0.0, 0.0
    return x / r, z / r, r


def _rotate(M, i, j, c, s):
    """Columns ``(i, j)`` of the list-of-columns ``M`` become ``(c m_i + s m_j, c m_j - s m_i)``."""
    mi, mj = M[i], M[j]
    M[i] = [c * p + s * q for p, q in zip(mi, mj, strict=True)]
    M[j] = [c * q - s * p for p, q in zip(mi, mj, strict=True)]


def _smallest_estimate(d, e, lo, hi):
    """Demmel-Kahan estimate of the smallest singular value of the block ``lo..hi``.

    The recurrence :math:`\\mu_{k+1} = |d_{k+1}| \\, \\mu_k / (\\mu_k + |e_k|)`,
    :math:`\\mu_{lo} = |d_{lo}|`, and its minimum (LAPACK's ``dbdsqr`` uses it the same way).
    """
    mu = smin = abs(d[lo])
    for k in range(lo, hi):
        mu = abs(d[k + 1]) * (mu / (mu + abs(e[k])))
        smin = min(smin, mu)
    return smin


def _bidiagonal_qr(d, e):
    """Textbook kernel: the Golub–Kahan SVD step with a Wilkinson shift (Golub & Van Loan 8.6.2).

    One upper bidiagonal matrix (diagonal ``d``, superdiagonal ``e``), one Givens rotation at
    a time; the oracle the divide and conquer is tested against. Returns ``U, s, W`` with
    ``B = U diag(s) W^T``, ``s`` descending and non-negative.

    On an unreduced block ``lo..hi`` the step is the implicit symmetric QR step on
    :math:`B^T B` without forming it: the shift :math:`\\mu` is the eigenvalue of the
    trailing 2x2 block of :math:`B^T B` nearer to its last entry; a rotation from the right
    zeroes the second entry of :math:`(d_{lo}^2 - \\mu,\\ d_{lo} e_{lo})`, which puts a bulge
    below the diagonal; rotations alternately from the left and the right chase it off the
    bottom. A superdiagonal entry with :math:`|e_i| \\le \\varepsilon \\max(|d_i| + |d_{i+1}|,
    \\lVert B \\rVert_{\\max})` is set to zero. A zero diagonal entry inside the block would
    stall the shift: its row's superdiagonal is chased to the right by rotations from the
    left, which splits the block (for the last entry, its column is chased up by rotations
    from the right). When the block's smallest singular value (Demmel and Kahan's estimate)
    is below :math:`\\varepsilon \\lVert B \\rVert_{\\max}`, the step is unshifted
    (:math:`\\mu = 0`): a shift cannot resolve such a value, and a diagonal entry of, say,
    :math:`10^{-283}` next to 1 made the shifted step stall.
    """
    d = np.array(d, dtype=np.float64).tolist()
    e = np.array(e, dtype=np.float64).tolist()
    n = len(d)
    U = np.eye(n).tolist()  # columns, as lists
    W = np.eye(n).tolist()
    big = max([abs(x) for x in d + e] + [0.0])
    floor = max(_EPS * big, _SAFMIN)  # negligible superdiagonal, as in the symmetric kernel
    tiny = _SAFMIN  # a diagonal entry this small is taken as zero (tiny, not eps * |B|:
    # singular values far below the norm keep their digits)
    hi, steps = n - 1, 0
    while hi > 0:
        if abs(e[hi - 1]) <= max(_EPS * (abs(d[hi - 1]) + abs(d[hi])), floor):
            e[hi - 1] = 0.0
            hi -= 1
            continue
        lo = hi - 1
        while lo > 0 and abs(e[lo - 1]) > max(_EPS * (abs(d[lo - 1]) + abs(d[lo])), floor):
            lo -= 1
        steps += 1
        if steps > 30 * n:
            raise LinAlgError(f"the bidiagonal QR iteration did not converge in {30 * n} steps")
        zero = [k for k in range(lo, hi + 1) if abs(d[k]) <= tiny]
        if zero and zero[0] < hi:  # chase e[k] along row k to the right, from the left
            k = zero[0]
            d[k], f, e[k] = 0.0, e[k], 0.0
            for j in range(k + 1, hi + 1):
                c, s, d[j] = _givens(d[j], f)
                _rotate(U, j, k, c, s)
                if j < hi:
                    f, e[j] = -s * e[j], c * e[j]
            continue
        if zero:  # d[hi] = 0: chase e[hi - 1] up column hi, from the right
            d[hi], f, e[hi - 1] = 0.0, e[hi - 1], 0.0
            for j in range(hi - 1, lo - 1, -1):
                c, s, d[j] = _givens(d[j], f)
                _rotate(W, j, hi, c, s)
                if j > lo:
                    f, e[j - 1] = -s * e[j - 1], c * e[j - 1]
            continue
        if _smallest_estimate(d, e, lo, hi) <= _EPS * big:
            # zero shift (Demmel and Kahan): the block's smallest singular value lies below the
            # rounding level of any shift, where a shifted step stalls; the unshifted step
            # converges to it at the rate (sigma_min / sigma_next)^2, at once
            y, z = d[lo], e[lo]  # the direction of (d_lo^2, d_lo e_lo)
        else:  # Wilkinson shift from the trailing 2x2 block of B^T B
            a = d[hi - 1] ** 2 + (e[hi - 2] ** 2 if hi - 1 > lo else 0.0)
            b = d[hi - 1] * e[hi - 1]
            t = d[hi] ** 2 + e[hi - 1] ** 2
            delta = 0.5 * (a - t)
            den = delta + math.copysign(math.hypot(delta, b), delta)
            mu = t - b * (b / den) if den != 0.0 else t
            y, z = d[lo] * d[lo] - mu, d[lo] * e[lo]
        for k in range(lo, hi):
            c, s, r = _givens(y, z)  # from the right, columns k and k + 1
            if k > lo:
                e[k - 1] = r
            d[k], e[k] = c * d[k] + s * e[k], c * e[k] - s * d[k]
            y, z = d[k], s * d[k + 1]  # bulge at (k + 1, k)
            d[k + 1] *= c
            _rotate(W, k, k + 1, c, s)
            c, s, d[k] = _givens(y, z)  # from the left, rows k and k + 1
            e[k], d[k + 1] = c * e[k] + s * d[k + 1], c * d[k + 1] - s * e[k]
            if k + 1 < hi:
                y, z = e[k], s * e[k + 1]  # bulge at (k, k + 2)
                e[k + 1] *= c
            _rotate(U, k, k + 1, c, s)
    U, W, sv = np.array(U).T, np.array(W).T, np.array(d)
    W *= np.where(sv < 0, -1.0, 1.0)
    sv = np.abs(sv)
    order = np.argsort(-sv, kind="stable")
    return U[:, order], sv[order], W[:, order]


def _tree(lo, hi, sqre, leaves):
    """Split rows ``lo..hi-1``; return a nested tuple, collecting leaves in order."""
    m = hi - lo
    if m <= _LEAF:
        leaves.append((lo, hi, sqre))
        return ("leaf", len(leaves) - 1)
    k = lo + m // 2
    return ("node", k, _tree(lo, k, 1, leaves), _tree(k + 1, hi, sqre, leaves), sqre)


def bdsvd(d, e, compute_uv=True):
    """SVD of the square upper bidiagonal matrix with diagonal ``d`` and superdiagonal ``e``.

    Returns ``U, s, W`` with ``B = U diag(s) W^T``, ``s`` descending and non-negative; with
    ``compute_uv=False`` only ``s`` (the merges then track just the first and last rows of
    ``W``, which is all the secular equations need: :math:`O(n^2)` work instead of
    :math:`O(n^3)`).
    """
    n = d.shape[0]
    if n == 0:
        return (np.zeros((0, 0)), np.zeros(0), np.zeros((0, 0))) if compute_uv else np.zeros(0)
    scale = max(np.abs(d).max(), np.abs(e).max() if e.size else 0.0)
    if scale == 0:
        return (np.eye(n), np.zeros(n), np.eye(n)) if compute_uv else np.zeros(n)
    d = d / scale
    e = e / scale
    if n <= _QR_MAX:  # the textbook kernel is faster at this size (measured)
        U, s, W = _bidiagonal_qr(d, e)
        return (U, s * scale, W) if compute_uv else s * scale
    leaves = []
    tree = _tree(0, n, 0, leaves)
    blocks = [(d[lo:hi], e[lo : hi if sq else hi - 1], sq) for lo, hi, sq in leaves]
    solved = leaf_svds(blocks, want_u=compute_uv)
    if not compute_uv:
        solved = [(None, s, W[[0, -1]]) for _, s, W in solved]
    U, s, W = _solve(tree, d, e, solved)
    order = np.argsort(-s, kind="stable")
    if not compute_uv:
        return s[order] * scale
    return U[:, order], s[order] * scale, W[:, order]


def _solve(node, d, e, solved):
    if node[0] == "leaf":
        return solved[node[1]]
    _, k, left, right, sqre = node
    return _merge(d[k], e[k], _solve(left, d, e, solved), _solve(right, d, e, solved), sqre)


def _merge(dk, ek, left, right, sqre):
    """Combine the SVDs of the two halves and the middle row into the SVD of the block.

    With ``U1 is None`` (values only) ``W1`` and ``W2`` hold just their first and last rows,
    and so does the returned ``W``.
    """
    U1, s1, W1 = left
    U2, s2, W2 = right
    k, m2 = s1.shape[0], s2.shape[0]
    m = k + 1 + m2
    alpha = dk * W1[-1, k]
    z1 = dk * W1[-1, :k]
    z2 = ek * W2[0, :m2]
    beta = ek * W2[0, m2] if sqre else 0.0
    r = float(np.hypot(alpha, beta))
    c, s = (alpha / r, beta / r) if r > 0 else (1.0, 0.0)
    dd = np.concatenate([[0.0], s1, s2])
    zz = np.concatenate([[r], z1, z2])
    QU, QV, sigma = _broken_arrow_svd(dd, zz, want_u=U1 is not None)
    # Back to B's coordinates: rows of B are (block 1, middle row, block 2).
    top = np.zeros((W1.shape[0], m + sqre))
    bot = np.zeros((W2.shape[0], m + sqre))
    top[:, :m] = W1[:, :k] @ QV[1 : k + 1] + np.outer(c * W1[:, k], QV[0])
    bot[:, :m] = W2[:, :m2] @ QV[k + 1 :]
    if sqre:
        bot[:, :m] += np.outer(s * W2[:, m2], QV[0])
        top[:, m] = -s * W1[:, k]
        bot[:, m] = c * W2[:, m2]
    if U1 is None:
        return None, sigma, np.vstack([top[:1], bot[-1:]])
    Un = np.empty((m, m))
    Un[:k] = U1 @ QU[1 : k + 1]
    Un[k] = QU[0]
    Un[k + 1 :] = U2 @ QU[k + 1 :]
    return Un, sigma, np.vstack([top, bot])


def _broken_arrow_svd(d, z, want_u=True):
    """SVD of ``M = [[z0, z^T], [0, diag(d[1:])]]`` (``d[0] = 0``) with deflation.

    Returns ``QU, QV, sigma`` with ``M = QU diag(sigma) QV^T``.
    """
    tol = 8.0 * _EPS * max(np.abs(d).max(), np.abs(z).max())
    z = z.copy()
    d = d.copy()
    if abs(z[0]) <= tol:
        z[0] = tol
    order = np.concatenate([[0], 1 + np.argsort(d[1:], kind="stable")])
    d, z = d[order], z[order]
    rot_u, rot_v = [], []  # plane rotations (i, j, c, s) applied to coordinates
    deflated = np.abs(z) <= tol
    deflated[0] = False
    # Poles at (numerically) zero: rotate their z into z_0; sigma = 0 with u = e_j.
    for j in np.flatnonzero(~deflated & (d <= tol)):
        if j == 0:
            continue
        r = np.hypot(z[0], z[j])
        c, s = z[0] / r, z[j] / r
        rot_v.append((0, j, c, -s))
        z[0], z[j], d[j] = r, 0.0, 0.0
        deflated[j] = True
    # Close poles: rotate to zero the first of the pair; its sigma is d_j.
    live = np.flatnonzero(~deflated)
    close = np.flatnonzero(np.diff(d[live]) <= tol)
    for a in close:
        i, j = live[a], live[a + 1]
        if i == 0 or deflated[i]:
            continue
        r = np.hypot(z[i], z[j])
        c, s = z[j] / r, z[i] / r
        rot_u.append((i, j, c, s))
        rot_v.append((i, j, c, s))
        z[i], z[j] = 0.0, r
        deflated[i] = True
    live = np.flatnonzero(~deflated)
    dead = np.flatnonzero(deflated)
    p, t, sig = secular_roots(d[live], z[live])
    us, vs = secular_vectors(d[live], z[live], p, t, want_u=want_u)
    sigma = np.concatenate([sig, d[dead]])
    QV = _embed(vs, live, dead, rot_v, order)
    QU = _embed(us, live, dead, rot_u, order) if want_u else None
    return QU, QV, sigma


def _embed(vecs, live, dead, rotations, order):
    """Vectors of the deflated problem in the coordinates of the original broken arrow."""
    m = live.shape[0] + dead.shape[0]
    K = live.shape[0]
    Q = np.zeros((m, m))
    Q[np.ix_(live, np.arange(K))] = vecs
    Q[dead, np.arange(K, m)] = 1.0
    for i, j, c, s in reversed(rotations):
        Q[[i, j]] = [c * Q[i] + s * Q[j], -s * Q[i] + c * Q[j]]
    out = np.empty_like(Q)
    out[order] = Q  # undo the sort of the poles
    return out
