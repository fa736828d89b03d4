"""Real Schur form by the Francis implicit double-shift QR iteration."""

import math

import numpy as np

from m4ml._core import LinAlgError, as_square_stack
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.stack import map_stack
from m4ml.linalg.hessenberg import _reduce_inplace

_EPS = float(np.finfo(np.float64).eps)
_TINY = float(np.finfo(np.float64).tiny)
ITERATIONS_PER_EIGENVALUE = 30


def _givens(x, y):
    """``(cs, sn, r)`` with ``cs * x + sn * y = r``, ``-sn * x + cs * y = 0``, ``cs^2 + sn^2 = 1``.

    Computed on ``(x, y) / max(|x|, |y|)`` so that subnormal or huge inputs keep the rotation
    orthogonal to working precision.
    """
    m = max(abs(x), abs(y))
    if m == 0.0:
        return 1.0, 0.0, 0.0
    xs, ys = x / m, y / m
    r = math.hypot(xs, ys)
    return xs / r, ys / r, r * m


def _standardize_2x2(a, b, c, d):
    """Rotation that puts the 2x2 block ``[[a, b], [c, d]]`` into standard form.

    Returns ``(cs, sn, (a', b', c', d'))`` with ``G = [[cs, -sn], [sn, cs]]`` and
    ``G^T [[a, b], [c, d]] G = [[a', b'], [c', d']]``, where either ``c' == 0`` (two real
    eigenvalues ``a'``, ``d'``) or ``a' == d'`` and ``b' c' < 0`` (the complex pair
    ``a' +- i sqrt(-b' c')``).
    """
    if c == 0.0:
        return 1.0, 0.0, (a, b, c, d)
    if b == 0.0:  # swap the two rows and columns
        return 0.0, 1.0, (d, -c, 0.0, a)
    p = 0.5 * (a - d)
    if p == 0.0 and (b > 0.0) != (c > 0.0):
        return 1.0, 0.0, (a, b, c, d)
    scale = max(abs(p), abs(b), abs(c))
    ps, bs, cs_ = p / scale, b / scale, c / scale
    disc = ps * ps + bs * cs_  # (p^2 + bc) / scale^2: the eigenvalues are real iff >= 0
    if disc >= 0.0:
        # lambda1 = d + z with z = p + sign(p) sqrt(p^2 + bc): no cancellation; the eigenvector
        # for lambda1 is (z, c), and lambda2 = d - bc / z.
        z = ps + math.copysign(math.sqrt(disc), ps)
        z *= scale
        cs, sn, _ = _givens(z, c)
        return cs, sn, (d + z, b - c, 0.0, d - (b / z) * c)
    # Complex pair: rotate by theta with tan(2 theta) = -p / m, m = (b + c) / 2, which equalises
    # the diagonal (the antisymmetric part b - c is invariant under a rotation).
    m = 0.5 * (b + c)
    sgn = 1.0 if m >= 0.0 else -1.0
    cos2, sin2, _ = _givens(abs(m), -p * sgn)
    cs = math.sqrt(0.5 * (1.0 + cos2))
    sn = sin2 / (2.0 * cs)
    g = np.array([[cs, -sn], [sn, cs]])
    blk = g.T @ np.array([[a, b], [c, d]]) @ g
    mid = 0.5 * (a + d)
    b2, c2 = float(blk[0, 1]), float(blk[1, 0])
    if (
        b2 == 0.0 or c2 == 0.0 or (b2 > 0.0) == (c2 > 0.0)
    ):  # rounding made the pair real (a nearly double real eigenvalue)
        cs2, sn2, new = _standardize_2x2(mid, b2, c2, mid)
        return cs * cs2 - sn * sn2, sn * cs2 + cs * sn2, new
    return cs, sn, (mid, b2, c2, mid)


def _block_eigenvalues(a, b, c, d):
    """Eigenvalues of a standardized 2x2 block, positive imaginary part first."""
    if c == 0.0:
        return (a, 0.0), (d, 0.0)
    w = math.sqrt(abs(b)) * math.sqrt(abs(c))
    return (a, w), (a, -w)


def _deflation_point(h, lo, i, smlnum, relative=True):
    """Largest ``l`` in ``lo..i`` whose subdiagonal ``h[l, l-1]`` is negligible (``lo`` if none).

    Negligible means the standard test
    :math:`|h_{k,k-1}| \\le \\varepsilon (|h_{kk}| + |h_{k-1,k-1}|)` and, in addition, the
    test of Ahues and Tisseur on the 2x2 window, which compares the product
    :math:`|h_{k,k-1} h_{k-1,k}|` (invariant under diagonal scaling) with
    :math:`\\varepsilon |h_{kk}| |h_{k-1,k-1} - h_{kk}|`. The second test keeps the iteration
    from deflating an entry that is small only because balancing scaled its row down; its
    neighbour above the diagonal is then large, and the pair still matters. With
    ``relative=False`` only the standard test applies (normwise backward stable: for a matrix
    that is not balanced, the second test can ask for more relative accuracy in a tiny
    eigenvalue than the arithmetic at the matrix's norm delivers, and the iteration stalls).
    """
    if i == lo:
        return lo
    diag = h.diagonal()
    sub = np.abs(h.diagonal(-1)[lo:i])
    ad = np.abs(diag[lo : i + 1])
    hits = np.flatnonzero(sub <= np.maximum(_EPS * (ad[:-1] + ad[1:]), smlnum))
    for j in hits[::-1]:
        k = lo + int(j) + 1
        below = float(sub[j])
        if below <= smlnum or not relative:
            return k
        above = abs(float(h[k - 1, k]))
        ab, ba = max(below, above), min(below, above)
        hkk = float(diag[k])
        gap = abs(float(diag[k - 1]) - hkk)
        aa, bb = max(abs(hkk), gap), min(abs(hkk), gap)
        total = aa + ab
        if ba * (ab / total) <= max(smlnum, _EPS * (bb * (aa / total))):
            return k
    return lo


def _francis_qr(h, z, lo, hi, want_t, relative=True):
    """Francis double-shift QR iteration on the Hessenberg matrix ``h``, in place.

    Only the window ``lo..hi`` is iterated (outside it ``h`` is already triangular). With
    ``want_t`` the transformations are applied to the full rows and columns of ``h`` so that it
    ends in real Schur form; ``z`` (or None) accumulates them. ``relative`` selects the
    deflation test (see :func:`_deflation_point`). Returns ``(wr, wi)``.
    """
    n = h.shape[0]
    wr = h.diagonal().copy()
    wi = np.zeros(n)
    nh = hi - lo + 1
    smlnum = _TINY * (max(nh, 1) / _EPS)
    max_iter = ITERATIONS_PER_EIGENVALUE * max(nh, 1)
    total = 0
    stalled = 0
    i = hi
    while i >= lo:
        l_ = _deflation_point(h, lo, i, smlnum, relative)
        if l_ > lo:
            h[l_, l_ - 1] = 0.0
        if l_ == i:  # a 1x1 block has converged
            wr[i] = h[i, i]
            i -= 1
            stalled = 0
            continue
        if l_ == i - 1:  # a 2x2 block: standardize it and read off its eigenvalues
            k = i - 1
            cs, sn, new = _standardize_2x2(h[k, k], h[k, i], h[i, k], h[i, i])
            h[k, k], h[k, i], h[i, k], h[i, i] = new
            if want_t and sn != 0.0:
                g = np.array([[cs, -sn], [sn, cs]])
                h[k : i + 1, i + 1 :] = g.T @ h[k : i + 1, i + 1 :]
                h[:k, k : i + 1] = h[:k, k : i + 1] @ g
            if z is not None and sn != 0.0:
                z[:, k : i + 1] = z[:, k : i + 1] @ np.array([[cs, -sn], [sn, cs]])
            (wr[k], wi[k]), (wr[i], wi[i]) = _block_eigenvalues(*new)
            i -= 2
            stalled = 0
            continue
        if total >= max_iter:
            raise LinAlgError(
                f"the QR iteration did not converge after {total} iterations "
                f"({ITERATIONS_PER_EIGENVALUE} per eigenvalue); {i - lo + 1} eigenvalues remain "
                "unconverged. The matrix may be too badly scaled: try rescaling it"
            )
        total += 1
        stalled += 1
        _francis_step(h, z, l_, i, stalled, want_t)
    return wr, wi


def _eig2(a, b, c, d):
    """Eigenvalues of ``[[a, b], [c, d]]`` as ``(re1, im1, re2, im2)``, without overflow."""
    p = 0.5 * (a - d)
    scale = max(abs(p), abs(b), abs(c))
    if scale == 0.0:
        return a, 0.0, d, 0.0
    ps, bs, cs = p / scale, b / scale, c / scale
    disc = ps * ps + bs * cs
    if disc >= 0.0:
        z = (ps + math.copysign(math.sqrt(disc), ps)) * scale  # no cancellation
        if z == 0.0:
            return d, 0.0, d, 0.0
        return d + z, 0.0, d - (b / z) * c, 0.0
    im = math.sqrt(-disc) * scale
    return d + p, im, d + p, -im


def _shifts(h, l_, i, stalled):
    """The two shifts as ``(re, im)``, a complex pair ``re +- i im`` or a double real shift.

    Normally the eigenvalues of the trailing 2x2 block (Wilkinson's double shift); when both are
    real, the one closer to ``h[i, i]`` is used twice. After 10, 20, ... iterations without a
    deflation an exceptional pair built from the sizes of the last subdiagonal entries (at the
    top and the bottom of the window in turn) breaks possible cycles.
    """
    if stalled % 10 == 0:
        if stalled % 20 == 10:
            ex, base = abs(h[l_ + 1, l_]) + abs(h[l_ + 2, l_ + 1]), h[l_, l_]
        else:
            ex, base = abs(h[i, i - 1]) + abs(h[i - 1, i - 2]), h[i, i]
        a = base + 0.75 * ex
        re1, im1, re2, _ = _eig2(a, -0.4375 * ex, ex, a)
    else:
        re1, im1, re2, _ = _eig2(h[i - 1, i - 1], h[i - 1, i], h[i, i - 1], h[i, i])
    if im1 != 0.0:
        return re1, abs(im1)
    hii = h[i, i]
    return (re1 if abs(re1 - hii) <= abs(re2 - hii) else re2), 0.0


def _reflector3(x, y, w):
    """3x3 Householder matrix P with P @ (x, y, w) = (beta, 0, 0); None if already so."""
    scale = abs(x) + abs(y) + abs(w)
    if scale == 0.0 or (y == 0.0 and w == 0.0):
        return None
    x, y, w = x / scale, y / scale, w / scale
    beta = -math.copysign(math.sqrt(x * x + y * y + w * w), x)
    tau = (beta - x) / beta
    v1, v2 = y / (x - beta), w / (x - beta)
    tv1, tv2 = tau * v1, tau * v2
    return np.array(
        [
            [1.0 - tau, -tv1, -tv2],
            [-tv1, 1.0 - tv1 * v1, -tv1 * v2],
            [-tv2, -tv2 * v1, 1.0 - tv2 * v2],
        ]
    ), beta * scale


def _francis_step(h, z, l_, i, stalled, want_t):
    """One implicit double-shift QR step (a bulge chase) on the active block ``l_..i``."""
    n = h.shape[0]
    c_end = n if want_t else i + 1  # columns touched by the left transformations
    r_beg = 0 if want_t else l_  # first row touched by the right transformations
    re, im = _shifts(h, l_, i, stalled)
    h00, h01, h10 = h[l_, l_], h[l_, l_ + 1], h[l_ + 1, l_]
    h11, h21 = h[l_ + 1, l_ + 1], h[l_ + 2, l_ + 1]
    # First column of (H - sigma1 I)(H - sigma2 I), sigma = re +- i im: three nonzeros. The
    # (1,1) entry is formed as a product, (h00 - re)^2 + im^2, which avoids cancellation;
    # everything is divided by sc (only the direction matters) against overflow.
    sc = abs(h00 - re) + im + abs(h10)
    if sc == 0.0:
        sc = 1.0
    g = h10 / sc
    x = g * h01 + (h00 - re) * ((h00 - re) / sc) + im * (im / sc)
    y = g * (h00 + h11 - 2.0 * re)
    w = g * h21
    for k in range(l_, i - 1):
        if k > l_:
            x, y, w = h[k, k - 1], h[k + 1, k - 1], h[k + 2, k - 1]
        refl = _reflector3(x, y, w)
        if refl is None:
            continue
        p, beta = refl
        c0 = k
        if k > l_:
            h[k, k - 1] = beta
            h[k + 1, k - 1] = 0.0
            h[k + 2, k - 1] = 0.0
        h[k : k + 3, c0:c_end] = p @ h[k : k + 3, c0:c_end]
        r_end = min(k + 4, i + 1)
        h[r_beg:r_end, k : k + 3] = h[r_beg:r_end, k : k + 3] @ p
        if z is not None:
            z[:, k : k + 3] = z[:, k : k + 3] @ p
    # Final 2x2 rotation on rows/columns i-1, i.
    k = i - 1
    x, y = h[k, k - 1], h[i, k - 1]
    if y != 0.0:
        cs, sn, r = _givens(x, y)
        g = np.array([[cs, sn], [-sn, cs]])  # g @ (x, y) = (r, 0)
        h[k, k - 1], h[i, k - 1] = r, 0.0
        h[k : i + 1, k:c_end] = g @ h[k : i + 1, k:c_end]
        h[r_beg : i + 1, k : i + 1] = h[r_beg : i + 1, k : i + 1] @ g.T
        if z is not None:
            z[:, k : i + 1] = z[:, k : i + 1] @ g.T


def _unit_exponent(a):
    """The exponent ``k`` of the power of two just above ``max|a|`` (0 for a zero matrix).

    ``np.ldexp(a, -k)`` is exact and brings the entries to at most 1 in size, so that the tests
    for negligible entries and the shift formulas neither underflow nor overflow. Kept as an
    exponent: ``2**k`` itself overflows when ``max|a|`` is near the largest float.
    """
    amax = float(np.abs(a).max()) if a.size else 0.0
    return math.frexp(amax)[1] if amax > 0.0 else 0


def _schur_inplace(h, z, want_t):
    """Hessenberg-reduce and iterate the square matrix ``h`` in place (``z``: identity or None)."""
    n = h.shape[0]
    k = _unit_exponent(h)
    h[...] = np.ldexp(h, -k)
    _reduce_inplace(h, 0, n - 1, z)
    wr, wi = _francis_qr(h, z, 0, n - 1, want_t)
    if want_t and n > 2:
        h[np.tril_indices(n, -2)] = 0.0
    with np.errstate(over="ignore"):
        h[...] = np.ldexp(h, k)
    if not np.isfinite(h).all():
        raise LinAlgError(
            "the Schur form of a overflows float64 (an entry of T exceeds 1.8e308); "
            "scale a down and scale T back"
        )
    return np.ldexp(wr, k), np.ldexp(wi, k)


def schur(a: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Real Schur decomposition :math:`A = Z T Z^T`.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Real square matrix or stack of matrices.

    Returns
    -------
    T : ndarray, shape (..., n, n)
        Quasi-upper-triangular: upper triangular except for 2x2 diagonal blocks
        ``[[a, b], [c, a]]`` with :math:`bc < 0`, one per complex-conjugate eigenvalue pair
        :math:`a \\pm i\\sqrt{-bc}`. The 1x1 blocks are the real eigenvalues.
    Z : ndarray, shape (..., n, n)
        Orthogonal Schur vectors.

    Raises
    ------
    LinAlgError
        If ``a`` is not square, or the QR iteration does not converge within 30 iterations per
        eigenvalue (the count is named in the message).
    TypeError
        Complex or non-numeric input.
    ValueError
        NaN or infinity in ``a``.

    Notes
    -----
    After the Hessenberg reduction :math:`H = Q^T A Q`, each Francis step uses the two
    eigenvalues :math:`\\sigma_{1,2}` of the trailing 2x2 block as shifts without complex
    arithmetic: the first column of :math:`M = H^2 - sH + tI` (:math:`s = \\sigma_1 + \\sigma_2`,
    :math:`t = \\sigma_1 \\sigma_2`) has three nonzeros, a 3x3 Householder reflector maps it to
    :math:`e_1`, and the resulting bulge is chased down the subdiagonal by further 3x3
    reflectors (implicit Q theorem: the result equals the QR step on :math:`M`). A subdiagonal
    entry is set to zero when

    .. math:: |h_{k,k-1}| \\le \\varepsilon (|h_{kk}| + |h_{k-1,k-1}|),

    (and the scaling-invariant refinement of Ahues and Tisseur holds), splitting the
    problem. After 10 and 20 iterations without a deflation an *exceptional*
    shift (built from the size of the last subdiagonals) breaks cycles. Converged 2x2 blocks are
    rotated into standard form. Cost: about :math:`10 n^3` flops for :math:`T` alone,
    :math:`25 n^3` with :math:`Z`; each bulge step is a few small NumPy calls, so for moderate
    :math:`n` the Python overhead dominates. Backward stable:
    :math:`Z T Z^T = A + E` with :math:`\\lVert E \\rVert = O(\\varepsilon \\lVert A\\rVert)`.

    References
    ----------
    J. G. F. Francis, "The QR transformation, parts I and II", The Computer Journal 4 (1961-62).
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Section 7.5
    (Algorithm 7.5.1, 7.5.2).
    M. Ahues and F. Tisseur, "A new deflation criterion for the QR algorithm", LAPACK Working
    Note 122 (1997).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.schur import schur
    >>> A = np.array([[0.0, -2.0, 1.0], [1.0, 0.0, 3.0], [0.0, 0.0, 5.0]])
    >>> T, Z = schur(A)
    >>> np.allclose(Z @ T @ Z.T, A), np.allclose(Z.T @ Z, np.eye(3))
    (True, True)
    >>> float(np.round(T[0, 0], 12)), float(np.round(T[0, 1] * T[1, 0], 12))
    (0.0, -2.0)
    """
    arr = as_square_stack(a, "a", copy=True)
    zs = np.broadcast_to(np.eye(arr.shape[-1]), arr.shape).copy()

    def kernel(t, z):  # in place on one matrix of the stack and its Schur vectors
        _schur_inplace(t, z, want_t=True)

    map_stack(kernel, arr, zs)
    return arr, zs
