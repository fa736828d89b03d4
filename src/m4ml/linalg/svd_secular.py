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

import warnings

import numpy as np

from m4ml._core import ConvergenceWarning

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
        T = z2[None, :] / _diff(d, idx[:-1], mid)
        g_mid = 1.0 + T.sum(axis=1)
        right = g_mid < 0  # root beyond the midpoint: measure from pole i + 1
        p[:-1] = np.where(right, idx[:-1] + 1, idx[:-1])
        lo[:-1] = np.where(right, -mid, 0.0)
        hi[:-1] = np.where(right, 0.0, mid)
        # Initial guess: the two nearest poles exact, the others frozen at the midpoint:
        # C + z_i^2 / (0 - x) + z_{i+1}^2 / (gap - x) = 0, a quadratic with one root in (0, gap).
        i = idx[:-1]
        qi, si = z2[:-1], z2[1:]
        C = g_mid - T[i, i] - T[i, i + 1]
        with np.errstate(all="ignore"):
            Bq = C * gap + qi + si
            x0 = 2.0 * qi * gap / (Bq + np.sqrt(np.maximum(Bq * Bq - 4.0 * C * qi * gap, 0.0)))
        t0 = np.where(right, x0 - gap, x0)
    t = 0.5 * (lo + hi)
    if K > 1:
        inside = np.isfinite(t0) & (t0 > lo[:-1]) & (t0 < hi[:-1])
        t[:-1] = np.where(inside, t0, t[:-1])
    DD = _diff(d, p, np.zeros(K))  # DD[i, j] = d_j^2 - d_{p_i}^2, exact to rounding
    A = DD[idx, idx]  # pole i and pole i + 1 relative to the origin of root i
    Bp = np.zeros(K)
    Bp[:-1] = DD[idx[:-1], idx[:-1] + 1]
    last = idx == K - 1
    active = idx
    for _ in range(_MAXITER):
        if active.size == 0:
            break
        ia, ta = active, t[active]
        R = 1.0 / ((DD if ia.size == K else DD[ia]) - ta[:, None])
        terms = z2[None, :] * R
        # psi sums the poles j <= i, phi the poles j > i: as the root lies strictly between
        # poles i and i + 1, these are exactly the negative and the positive terms.
        signed = terms * np.abs(R)  # z_j^2 / (D |D|): derivative of each term, with its sign
        psi = np.minimum(terms, 0.0).sum(axis=1)
        phi = terms.sum(axis=1) - psi
        dpsi = -np.minimum(signed, 0.0).sum(axis=1)
        dphi = signed.sum(axis=1) + dpsi
        g = 1.0 + psi + phi
        bound = 1.0 + phi - psi  # sum of |terms|: the size of the rounding error in g
        neg = g < 0
        lo[ia] = np.where(neg, ta, lo[ia])
        hi[ia] = np.where(neg, hi[ia], ta)
        done = np.abs(g) <= 8.0 * K * _EPS * bound
        # Two-pole rational model  C + q / (A - x) + s / (Bp - x)  matching value and slope.
        Aa, Ba, la = A[ia], Bp[ia], last[ia]
        q = dpsi * (Aa - ta) ** 2
        sw = np.where(la, 0.0, dphi * (Ba - ta) ** 2)
        C = 1.0 + psi - dpsi * (Aa - ta) + np.where(la, 0.0, phi - dphi * (Ba - ta))
        with np.errstate(all="ignore"):
            Bq = C * (Aa + Ba) + q + sw
            c0 = C * Aa * Ba + q * Ba + sw * Aa
            disc = np.sqrt(np.maximum(Bq * Bq - 4.0 * C * c0, 0.0))
            x = np.where(la, Aa + q / C, 2.0 * c0 / (Bq + disc))
        lo_a, hi_a = lo[ia], hi[ia]
        ok = np.isfinite(x) & (x > lo_a) & (x < hi_a)
        x = np.where(ok, x, 0.5 * (lo_a + hi_a))
        tiny_step = np.abs(x - ta) <= 2.0 * _EPS * np.abs(x)
        done |= (hi_a - lo_a) <= 4.0 * _EPS * np.maximum(np.abs(lo_a), np.abs(hi_a))
        t[ia] = np.where(done, ta, x)
        done |= tiny_step
        active = ia[~done]
    if active.size:
        warnings.warn(
            f"secular equation: {active.size} of {K} roots not converged in {_MAXITER} "
            "iterations; using the midpoint of their final bracket",
            ConvergenceWarning,
            stacklevel=2,
        )
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
        # Pair each root with a pole: sigma_i with d_i above the diagonal (i < j), with
        # d_{i+1} on and below it; the last root's factor stands alone.
        shifted = np.vstack([dd[1:], np.ones((1, K))])
        den = np.where(np.arange(K)[:, None] < np.arange(K)[None, :], dd, shifted)
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
