"""The secular equation of a broken-arrow matrix: all its singular values at once, and vectors.

Private module used by the divide-and-conquer bidiagonal SVD (:mod:`m4ml.linalg.bdsvd`).

The matrix is

.. math::

    M = \\begin{pmatrix} z_0 & z_1 & \\cdots & z_{K-1} \\\\
                         & d_1 & & \\\\ & & \\ddots & \\\\ & & & d_{K-1} \\end{pmatrix},
    \\qquad 0 = d_0 < d_1 < \\cdots < d_{K-1},\\ z_j \\ne 0,

so that :math:`M^T M = D^2 + z z^T`. Its singular values are the roots of the secular equation

.. math::

    f(\\sigma) = 1 + \\sum_j \\frac{z_j^2}{(d_j - \\sigma)(d_j + \\sigma)} = 0,

one in each interval :math:`(d_i, d_{i+1})` and one in
:math:`(d_{K-1}, \\sqrt{d_{K-1}^2 + \\lVert z \\rVert^2})`. Each root is stored as an offset
:math:`t = \\sigma^2 - d_p^2` from the nearer pole :math:`d_p`, so that every difference
:math:`d_j^2 - \\sigma^2 = (d_j - d_p)(d_j + d_p) - t` is computed to full relative accuracy
(Gu & Eisenstat 1995; Li 1993). All roots are iterated together, vectorized: the two-pole
rational model of Bunch, Nielsen & Sorensen (fixed weights), safeguarded by bisection.

The singular vectors are
:math:`v_i \\propto \\big(\\hat z_j / (d_j^2 - \\sigma_i^2)\\big)_j` and
:math:`u_i \\propto \\big(-1, d_j \\hat z_j / (d_j^2 - \\sigma_i^2)\\big)`, where :math:`\\hat z`
is recomputed from the computed roots by Löwner's formula,

.. math::

    \\hat z_j^2 = \\frac{\\prod_i (\\sigma_i^2 - d_j^2)}{\\prod_{l \\ne j} (d_l^2 - d_j^2)},

which makes the computed :math:`\\sigma_i` the exact singular values of a nearby broken arrow,
hence the vectors numerically orthogonal without any re-orthogonalization.
"""

import numpy as np

_EPS = np.finfo(float).eps
_MAXITER = 80


def _diff(d, p, t):
    """``d_j^2 - sigma_i^2`` for roots ``sigma_i^2 = d_{p_i}^2 + t_i`` (shape (len(p), len(d)))."""
    dp = d[p][:, None]
    return (d[None, :] - dp) * (d[None, :] + dp) - t[:, None]


def secular_roots(d, z):
    """Solve the secular equation for all ``K`` roots.

    Returns ``p`` (origin pole of each root), ``t`` (``sigma^2 - d_p^2``) and ``sigma``.
    """
    K = d.shape[0]
    z2 = z * z
    idx = np.arange(K)
    # Brackets in the squared variable, relative to pole i, then choose the nearer pole.
    p = idx.copy()
    lo = np.zeros(K)
    hi = np.empty(K)
    hi[-1] = z2.sum()
    if K > 1:
        gap = (d[1:] - d[:-1]) * (d[1:] + d[:-1])
        mid = 0.5 * gap
        g_mid = 1.0 + (z2[None, :] / _diff(d, idx[:-1], mid)).sum(axis=1)
        right = g_mid < 0  # root beyond the midpoint: measure from pole i + 1
        p[:-1] = np.where(right, idx[:-1] + 1, idx[:-1])
        lo[:-1] = np.where(right, -mid, 0.0)
        hi[:-1] = np.where(right, 0.0, mid)
    t = 0.5 * (lo + hi)
    left = idx[None, :] <= idx[:, None]  # poles j <= i belong to psi
    active = np.arange(K)
    for _ in range(_MAXITER):
        if active.size == 0:
            break
        pa, ta, ia = p[active], t[active], active
        D = _diff(d, pa, ta)
        terms = z2[None, :] / D
        dterms = terms / D
        lmask = left[ia]
        psi = np.where(lmask, terms, 0.0).sum(axis=1)
        dpsi = np.where(lmask, dterms, 0.0).sum(axis=1)
        phi = terms.sum(axis=1) - psi
        dphi = dterms.sum(axis=1) - dpsi
        g = 1.0 + psi + phi
        bound = np.abs(terms).sum(axis=1) + 1.0
        neg = g < 0
        lo[ia] = np.where(neg, ta, lo[ia])
        hi[ia] = np.where(neg, hi[ia], ta)
        done = np.abs(g) <= 8.0 * K * _EPS * bound
        # Two-pole rational model  C + q / (A - x) + s / (Bp - x)  matching value and slope.
        A = D[np.arange(ia.size), ia] + ta  # pole i relative to the origin pole
        last = ia == K - 1
        inext = np.minimum(ia + 1, K - 1)
        Bp = np.where(last, 0.0, D[np.arange(ia.size), inext] + ta)
        q = dpsi * (A - ta) ** 2
        s = np.where(last, 0.0, dphi * (Bp - ta) ** 2)
        C = 1.0 + psi - dpsi * (A - ta) + np.where(last, 0.0, phi - dphi * (Bp - ta))
        with np.errstate(all="ignore"):
            Bq = C * (A + Bp) + q + s
            c0 = C * A * Bp + q * Bp + s * A
            disc = np.sqrt(np.maximum(Bq * Bq - 4.0 * C * c0, 0.0))
            x = np.where(last, A + q / C, 2.0 * c0 / (Bq + disc))
        lo_a, hi_a = lo[ia], hi[ia]
        ok = np.isfinite(x) & (x > lo_a) & (x < hi_a)
        x = np.where(ok, x, 0.5 * (lo_a + hi_a))
        width = hi_a - lo_a
        done |= width <= 4.0 * _EPS * np.maximum(np.abs(lo_a), np.abs(hi_a))
        done |= np.abs(x - ta) <= 2.0 * _EPS * np.abs(x)
        t[ia] = np.where(done & ~(np.abs(x - ta) <= 2.0 * _EPS * np.abs(x)), ta, x)
        active = ia[~done]
    dp = d[p]
    sigma = np.sqrt(dp * dp + t)
    return p, t, sigma


def secular_vectors(d, z, p, t, want_u=True):
    """Left and right singular vectors (columns) of the broken arrow, via Löwner's ``z``.

    Returns ``U, V`` (``U`` is ``None`` when not ``want_u``).
    """
    K = d.shape[0]
    D = _diff(d, p, t)  # D[i, j] = d_j^2 - sigma_i^2
    if K > 1:
        dd = (d[:, None] - d[None, :]) * (d[:, None] + d[None, :])  # dd[l, j] = d_l^2 - d_j^2
        den = np.ones((K, K))
        i = np.arange(K)[:, None]
        j = np.arange(K)[None, :]
        below = np.broadcast_to(i < j, (K, K))
        den[below] = np.broadcast_to(dd, (K, K))[below]
        shifted = np.vstack([dd[1:], np.ones((1, K))])
        mid = (i >= j) & (i < K - 1)
        den[mid] = shifted[mid]
        with np.errstate(all="ignore"):
            zhat2 = np.prod(-D / den, axis=0)
            if not np.all(np.isfinite(zhat2)):
                zhat2 = np.exp(np.log(np.abs(-D / den)).sum(axis=0))
        zhat = np.copysign(np.sqrt(np.abs(zhat2)), z)
    else:
        zhat = z.copy()
    V = zhat[None, :] / D  # V[i, j] = v_i[j], unnormalized: then u_i = M v_i / sigma_i
    Um = None
    if want_u:
        Um = V * d[None, :]
        Um[:, 0] = -1.0
        Um /= np.sqrt((Um * Um).sum(axis=1))[:, None]
        Um = Um.T
    V /= np.sqrt((V * V).sum(axis=1))[:, None]
    return Um, V.T
