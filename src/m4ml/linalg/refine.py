"""Iterative refinement of least-squares solutions with doubled-precision residuals (private).

Used by :func:`m4ml.linalg.lstsq.lstsq` for full-column-rank problems. Residuals are
accumulated with error-free transformations (Dekker's TwoProduct, Knuth's TwoSum), so they are
as accurate as if computed in twice the working precision and then rounded — portably, in
float64 NumPy, with no ``longdouble``.
"""

import numpy as np

_SPLIT = 134217729.0  # 2**27 + 1: Veltkamp's splitting constant for float64
_EPS = np.finfo(np.float64).eps
_STOP = 0.01 * np.sqrt(_EPS)


def _split(a):
    """Veltkamp's split ``a = hi + lo`` with ``hi`` holding the upper 26 bits (exact)."""
    c = _SPLIT * a
    hi = c - (c - a)
    return hi, a - hi


def _sum2(P, err, axis):
    """Sum ``P`` along ``axis`` in about twice the working precision; ``err`` adds extra terms.

    Pairwise TwoSum tree: each level adds neighbours, :math:`s = a + b`, and keeps their exact
    rounding errors :math:`(a - (s - b')) + (b - b')`, :math:`b' = s - a`, which are summed in
    ordinary precision (Ogita, Rump & Oishi's Sum2).
    """
    P = np.moveaxis(P, axis, 0)
    if P.shape[0] == 0:
        return err
    while P.shape[0] > 1:
        if P.shape[0] % 2:
            P = np.concatenate([P, np.zeros_like(P[:1])])
        a, b = P[0::2], P[1::2]
        s = a + b
        bb = s - a
        err = err + ((a - (s - bb)) + (b - bb)).sum(axis=0)
        P = s
    return P[0] + err


class _Doubled:
    """``A`` with its Veltkamp split cached, for doubled-precision products with vectors."""

    def __init__(self, A):
        self.A = A
        self.hi, self.lo = _split(A)

    def _products(self, v, axis):
        """Exact products ``A * v`` (broadcast along ``axis``) as ``p + e`` (Dekker 1971)."""
        shape = (1, -1) if axis == 1 else (-1, 1)
        v = v.reshape(shape)
        vh, vl = _split(v)
        p = self.A * v
        e = ((self.hi * vh - p) + self.hi * vl + self.lo * vh) + self.lo * vl
        return p, e

    def residual(self, z, b, r):
        """:math:`b - r - Az`, rounded once from (about) doubled precision."""
        p, e = self._products(z, axis=1)
        terms = np.concatenate([b[:, None], -r[:, None], -p], axis=1)
        return _sum2(terms, -e.sum(axis=1), axis=1)

    def gradient(self, r):
        """:math:`-A^T r`, rounded once from (about) doubled precision."""
        p, e = self._products(r, axis=0)
        return -_sum2(p, e.sum(axis=0), axis=0)


def refine(A, b, z, solve_r, solve_rt, apply_qt, apply_q, max_iter=4):
    """Refine the least-squares solution ``z`` of :math:`\\min\\|Az - b\\|` (full column rank).

    Björck's refinement of the augmented system
    :math:`\\begin{pmatrix} I & A \\\\ A^T & 0\\end{pmatrix}\\begin{pmatrix} r \\\\ z\\end{pmatrix}
    = \\begin{pmatrix} b \\\\ 0\\end{pmatrix}`: with residuals
    :math:`f = b - r - Az`, :math:`g = -A^T r` computed in doubled precision and
    :math:`A = Q\\binom{R}{0}`, the corrections are :math:`h = R^{-T} g`,
    :math:`d = Q^T f`, :math:`\\delta z = R^{-1}(d_{1:n} - h)`,
    :math:`\\delta r = Q\\binom{h}{d_{n+1:m}}`. Each step gains about
    :math:`-\\log_{10}(\\varepsilon\\kappa(A))` digits until ``z`` is correctly rounded, for
    small and large residuals alike (Björck 1967), provided :math:`\\varepsilon\\kappa(A) < 1`.
    Stops when the correction no longer shrinks (keeping the best iterate), or once it is below
    :math:`10^{-2}\\sqrt{\\varepsilon}` relative, when the error left is below
    :math:`\\varepsilon`: usually after one step.
    """
    D = _Doubled(A)
    r = b - A @ z
    n = z.size
    last = np.inf
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(max_iter):
            f = D.residual(z, b, r)
            g = D.gradient(r)
            h = solve_rt(g)
            d = apply_qt(f)
            dz = solve_r(d[:n] - h)
            size = float(np.abs(dz).max())
            if not np.isfinite(size) or size >= last:
                break  # not contracting (eps * kappa too large): keep the current iterate
            d[:n] = h
            z = z + dz
            r = r + apply_q(d)
            last = size
            # A step contracts the error by about eps*kappa, which is below the relative size
            # delta of the first correction; so once delta <= sqrt(eps)/100 the error left is
            # below delta^2 ~ eps and another (costly) step would change nothing.
            if size <= _STOP * float(np.abs(z).max()):
                break
    return z
