"""The symmetric tridiagonal eigenproblem: the textbook implicit QR, and divide and conquer.

Public: :func:`eigh_tridiagonal` (scipy.linalg's name). The file reads top-down: first the
textbook kernel, the implicit symmetric QR iteration with Wilkinson shifts (one matrix, one
Givens rotation at a time), which is the oracle of the tests and the path for the smallest
matrices; then the fast path, Cuppen's tear of the tridiagonal matrix into two halves plus a
rank-one correction, recursively, with small leaves solved all at once by a batched Jacobi
method (:mod:`m4ml.linalg.sym_jacobi`) and merges by deflation and the secular equation
(:mod:`m4ml.linalg.tridiag_secular`); last the public function.
"""

import math
from typing import NamedTuple

import numpy as np

from m4ml._core import LinAlgError, as_float_array
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.linalg.sym_jacobi import _jacobi
from m4ml.linalg.tridiag_secular import secular_eigenvectors, secular_roots_batch

__all__ = ["EighResult", "eigh_tridiagonal"]

_EPS = np.finfo(np.float64).eps
_SAFMIN = np.finfo(np.float64).tiny / _EPS
_LEAF = 16  # largest subproblem solved directly (fastest by measurement)
# up to this order the textbook QR kernel is faster than divide and conquer (measured); one
# threshold for both modes, so that eigvals_only returns exactly the eigenvalues of eigh
_QR_MAX = 16


class EighResult(NamedTuple):
    """Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix."""

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray


class _Merge(NamedTuple):
    """A merge set up as B (D + rho z z^T) B^T, D = diag(d) ascending, after deflation."""

    d: np.ndarray
    z: np.ndarray
    rho: float
    B: np.ndarray  # children's eigenvectors (rows of the first child on top), order of d
    keep: np.ndarray  # mask of the entries left for the secular equation
    side: np.ndarray  # column support: 0 top rows only, 1 bottom rows only, 2 both
    r1: int  # number of rows of the first child


def _givens(x, z):
    """``(c, s, r)`` with ``c x + s z = r``, ``-s x + c z = 0`` (``hypot`` never overflows)."""
    r = math.hypot(x, z)
    if r == 0.0:
        return 1.0, 0.0, 0.0
    return x / r, z / r, r


def _tridiagonal_qr(d, e, vectors=True):
    """Textbook kernel: implicit symmetric QR with Wilkinson shifts (Golub & Van Loan 8.3.3).

    One matrix, one rotation at a time, as a student would write it; it is the oracle the
    divide-and-conquer path is tested against. Returns the eigenvalues (ascending) and, if
    ``vectors``, the orthogonal ``Z`` with ``T = Z diag(w) Z^T``. Expects entries of moderate
    size (:func:`_eigh_tridiagonal` scales by a power of two first).

    A step on the unreduced block ``lo..hi`` takes the shift :math:`\\mu`, the eigenvalue of
    the trailing 2x2 block nearer to :math:`d_{hi}`, and a rotation :math:`G_{lo}` that zeroes
    the second entry of the first column of :math:`T - \\mu I`; applied as
    :math:`G^T T G` it creates a bulge below the subdiagonal, which rotations
    :math:`G_{lo+1}, \\dots` chase off the bottom. Each step equals one QR step on
    :math:`T - \\mu I` (implicit Q theorem); :math:`e_{hi-1} \\to 0` cubically. An
    off-diagonal with :math:`|e_i| \\le \\varepsilon \\max(|d_i| + |d_{i+1}|, \\lVert T
    \\rVert_{\\max})` is set to zero (the second term: a graded block, tiny at the top, would
    stall the chase from the top).
    """
    d = np.array(d, dtype=np.float64).tolist()
    e = np.array(e, dtype=np.float64).tolist()
    n = len(d)
    # the columns of Z as Python lists: a rotation of two columns is two list comprehensions,
    # cheaper than NumPy calls at the small orders this kernel serves
    Z = np.eye(n).tolist() if vectors else None
    # also negligible: below eps times the norm (a graded block can stall the chase otherwise)
    floor = max(_EPS * max([abs(x) for x in d + e] + [0.0]), _SAFMIN)
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
            raise LinAlgError(f"implicit QR did not converge in {30 * n} steps")
        # Wilkinson shift: mu = d_hi - e^2 / (delta + sign(delta) sqrt(delta^2 + e^2))
        delta = 0.5 * (d[hi - 1] - d[hi])
        b = e[hi - 1]
        den = delta + math.copysign(math.hypot(delta, b), delta)
        mu = d[hi] - b * (b / den)
        x, z = d[lo] - mu, e[lo]
        for k in range(lo, hi):
            c, s, r = _givens(x, z)
            if k > lo:
                e[k - 1] = r
            a, bk, dd = d[k], e[k], d[k + 1]
            d[k] = c * c * a + 2.0 * c * s * bk + s * s * dd
            d[k + 1] = s * s * a - 2.0 * c * s * bk + c * c * dd
            e[k] = c * s * (dd - a) + (c * c - s * s) * bk
            if k + 1 < hi:
                x, z = e[k], s * e[k + 1]  # the bulge at (k + 2, k)
                e[k + 1] *= c
            if vectors:
                zk, zk1 = Z[k], Z[k + 1]
                Z[k] = [c * p + s * q for p, q in zip(zk, zk1, strict=True)]
                Z[k + 1] = [c * q - s * p for p, q in zip(zk, zk1, strict=True)]
    w = np.array(d)
    order = np.argsort(w, kind="stable")
    return w[order], (np.array(Z).T[:, order] if vectors else None)


def _solve_leaves(d, e, leaves):
    """Eigenpairs of the tridiagonal leaves [(start, stop), ...], padded into one Jacobi stack."""
    m = max(b - a for a, b in leaves)
    m += m % 2
    A = np.zeros((len(leaves), m, m))
    for i, (a, b) in enumerate(leaves):
        k = b - a
        A[i, range(k), range(k)] = d[a:b]
        A[i, range(k - 1), range(1, k)] = e[a : b - 1]
        A[i, range(1, k), range(k - 1)] = e[a : b - 1]
    w, V = _jacobi(A)
    # padding rows/columns stay exactly decoupled: the real block is the leading k x k one
    return [(w[i, : b - a], V[i, : b - a, : b - a]) for i, (a, b) in enumerate(leaves)]


def _deflate(d, z, rho, B, side, tol):
    """Deflate D + rho z z^T (d ascending); return the mask of non-deflated entries.

    ``tol`` is 8 eps ||T|| for the whole matrix T, so a merge of tiny blocks inside a large
    matrix deflates as much as that matrix's backward error allows. Entries with
    |rho z_i| <= tol drop out (d_i is an eigenvalue, B's column its vector). For
    neighbours with close poles, a Givens rotation moves z_i into z_j; the off-diagonal
    (d_j - d_i) c s it creates is dropped when <= tol. d, z and B are updated in place, and
    ``side`` (0: column supported on the top block's rows, 1: bottom, 2: both) too.
    """
    tol = max(tol, 8.0 * _EPS * max(float(np.abs(d).max()), rho))
    keep = np.abs(rho * z) > tol
    dl, zl, kl = d.tolist(), z.tolist(), keep.tolist()
    prev = -1
    for j in range(len(dl)):
        if not kl[j]:
            continue
        if prev >= 0:
            r = math.hypot(zl[prev], zl[j])
            c, s = zl[j] / r, zl[prev] / r
            if abs((dl[j] - dl[prev]) * c * s) <= tol:
                bp, bj = B[:, prev].copy(), B[:, j].copy()
                B[:, prev] = c * bp - s * bj
                B[:, j] = s * bp + c * bj
                dp, dj = dl[prev], dl[j]
                dl[prev], dl[j] = c * c * dp + s * s * dj, s * s * dp + c * c * dj
                zl[prev], zl[j], kl[prev] = 0.0, r, False
                if side[prev] != side[j]:
                    side[prev] = side[j] = 2
        prev = j
    d[:] = dl
    z[:] = zl
    return np.array(kl, dtype=bool)


def _merge_prepare(w1, Q1, w2, Q2, beta, tol):
    """Set up [[T1, 0], [0, T2]] + |beta| u u^T = B (D + rho z z^T) B^T and deflate it.

    D holds the children's eigenvalues in ascending order and B their eigenvectors (the rows
    of Q1 on top of those of Q2), scattered straight into that order.
    """
    s = 1.0 if beta >= 0 else -1.0
    rho = 2.0 * abs(beta)
    k1, r1 = len(w1), Q1.shape[0]
    d = np.concatenate((w1, w2))
    order = np.argsort(d, kind="stable")
    pos = np.empty_like(order)
    pos[order] = np.arange(len(d))
    B = np.zeros((r1 + Q2.shape[0], len(d)))
    B[:r1, pos[:k1]] = Q1
    B[r1:, pos[k1:]] = Q2
    z = np.concatenate((Q1[-1], s * Q2[0]))[order] / math.sqrt(2.0)
    d = d[order]
    side = (order >= k1).astype(np.int8)
    keep = _deflate(d, z, rho, B, side, tol) if rho > 0 else np.zeros(len(d), dtype=bool)
    return _Merge(d, z, rho, B, keep, side, r1)


def _merge_finish(prepared, roots, rows_only, need_vectors):
    """Eigenpairs (unsorted) of the merged problem from its deflated part and secular roots."""
    d, z, rho, B, keep, side, r1 = prepared
    w = d.copy()
    if not keep.any():
        return w, (B[[0, -1]] if rows_only else B)
    if not need_vectors:
        w[keep] = d[keep][roots[0]] + roots[1]
        return w, None
    lam, U = secular_eigenvectors(d[keep], z[keep], rho, *roots)
    w[keep] = lam
    if rows_only:
        B[:, keep] = B[:, keep] @ U
        return w, B[[0, -1]]
    # the top rows of B vanish on the bottom block's columns and vice versa: skip those zeros
    kept = np.flatnonzero(keep)
    top, bottom = side[kept] != 1, side[kept] != 0
    new = np.empty((B.shape[0], len(kept)))
    new[:r1] = B[:r1, kept[top]] @ U[top]
    new[r1:] = B[r1:, kept[bottom]] @ U[bottom]
    B[:, kept] = new
    return w, B


def _divide_and_conquer(d, e, vectors):
    """Eigenvalues (ascending) and, if ``vectors``, eigenvectors of tridiag(e, d, e).

    The tree of tears is processed bottom-up one level (height) at a time, and the secular
    equations of all merges of a level are solved together.
    """
    n = len(d)
    tol = 8.0 * _EPS * (float(np.abs(d).max()) + 2.0 * float(np.abs(e).max(initial=0.0)))
    d = d.copy()
    leaves, levels = [], {}

    def tear(a, b):
        if b - a <= _LEAF:
            leaves.append((a, b))
            return (a, b, 0)
        mid = (a + b) // 2
        beta = float(e[mid - 1])
        d[mid - 1] -= abs(beta)
        d[mid] -= abs(beta)
        left, right = tear(a, mid), tear(mid, b)
        node = (a, b, 1 + max(left[2], right[2]))
        levels.setdefault(node[2], []).append((node, left, right, beta))
        return node

    root = tear(0, n)
    solved = {}
    for (a, b), (w, V) in zip(leaves, _solve_leaves(d, e, leaves), strict=True):
        solved[(a, b, 0)] = (w, V if vectors or (a, b) == (0, n) else V[[0, -1]])
    for height in sorted(levels):
        merges = levels[height]
        preps = [
            _merge_prepare(*solved.pop(left), *solved.pop(right), beta, tol)
            for _, left, right, beta in merges
        ]
        todo = [i for i, p in enumerate(preps) if p.keep.any()]
        roots = dict.fromkeys(range(len(preps)))
        if todo:
            problems = [(p.d[p.keep], p.z[p.keep], p.rho) for p in (preps[i] for i in todo)]
            roots.update(zip(todo, secular_roots_batch(problems), strict=True))
        for i, (node, *_) in enumerate(merges):
            top = node == root
            solved[node] = _merge_finish(preps[i], roots[i], not vectors, vectors or not top)
    w, Q = solved[root]
    order = np.argsort(w, kind="stable")
    return w[order], (Q[:, order] if vectors else None)


def eigh_tridiagonal(
    d: ArrayLike, e: ArrayLike, eigvals_only: bool = False
) -> FloatArray | EighResult:
    """Eigenvalues and eigenvectors of a real symmetric tridiagonal matrix.

    Parameters
    ----------
    d : array_like, shape (n,)
        Diagonal.
    e : array_like, shape (n - 1,)
        Off-diagonal (the sub- and superdiagonal are equal).
    eigvals_only : bool
        Compute only the eigenvalues (cheaper: no eigenvector matrix is formed).

    Returns
    -------
    ndarray or EighResult
        The eigenvalues in ascending order if ``eigvals_only``; otherwise
        ``EighResult(eigenvalues, eigenvectors)``, a tuple ``(w, v)`` with ``v[:, i]`` the
        unit eigenvector for ``w[i]``.

    Raises
    ------
    ValueError
        If ``d`` or ``e`` is not 1-D, their lengths do not match, or they hold NaN or inf.
    TypeError
        For complex or non-numeric input, or a non-bool ``eigvals_only``.
    LinAlgError
        If an iteration fails to converge (never observed).

    Notes
    -----
    Divide and conquer (Cuppen; Gu and Eisenstat). With :math:`\\beta = e_{m}` linking the two
    halves, :math:`u = e_m + \\operatorname{sign}(\\beta) e_{m+1}`,

    .. math:: T = \\begin{pmatrix} T_1' & 0 \\\\ 0 & T_2' \\end{pmatrix} + |\\beta| u u^T,

    where :math:`T_1', T_2'` are :math:`T`'s diagonal blocks with :math:`|\\beta|` subtracted
    from the two corner diagonal entries. Given :math:`T_i' = Q_i D_i Q_i^T` (recursively),
    :math:`T = Q (D + \\rho z z^T) Q^T` with :math:`Q = \\operatorname{diag}(Q_1, Q_2)`,
    :math:`z = Q^T u / \\sqrt 2` and :math:`\\rho = 2|\\beta|`. The eigenvalues of the rank-one
    update solve the secular equation
    (:func:`m4ml.linalg.tridiag_secular.secular_roots`); entries with
    negligible :math:`z_i` or nearly equal :math:`d_i` are first deflated exactly (Givens
    rotations), and the eigenvectors come from Löwner's recomputed :math:`\\hat z`, which keeps
    them orthogonal. The eigenvectors of :math:`T` are :math:`Q U`.

    Matrices of order at most 16 skip all this: the textbook
    implicit symmetric QR iteration with Wilkinson shifts (Golub and Van Loan, Algorithm
    8.3.3) is faster there, and it is the reference the divide and conquer is tested against.

    Leaves of at most 16 rows are solved together by a parallel-ordered Jacobi method, batched
    over leaves; the tree is then merged one level at a time, the secular equations of all
    merges of a level in one vectorized iteration
    (:func:`m4ml.linalg.tridiag_secular.secular_roots_batch`). The input is scaled by a power
    of 2 to unit size first (exact), so entries of any magnitude neither overflow nor
    underflow.

    Cost: :math:`O(n^2)` per level for the secular equations and :math:`\\tfrac43 n^3` flops in
    matrix products for the vectors (fewer with deflation); :math:`O(n^2)` in all without
    vectors (only the first and last rows of each :math:`Q_i` are carried). Backward stable:
    residuals and loss of orthogonality are :math:`O(n\\epsilon \\|T\\|)`.

    References
    ----------
    .. [1] J. J. M. Cuppen, "A divide and conquer method for the symmetric tridiagonal
       eigenproblem", *Numer. Math.* 36 (1981), 177-195.
    .. [2] M. Gu and S. C. Eisenstat, "A divide-and-conquer algorithm for the symmetric
       tridiagonal eigenproblem", *SIAM J. Matrix Anal. Appl.* 16 (1995), 172-191.
    .. [3] J. W. Demmel, *Applied Numerical Linear Algebra*, SIAM, 1997, section 5.3.3.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.tridiag_eigen import eigh_tridiagonal
    >>> w, v = eigh_tridiagonal([2.0, 2.0, 2.0], [-1.0, -1.0])
    >>> np.round(w, 6)
    array([0.585786, 2.      , 3.414214])
    >>> T = np.diag([2.0, 2.0, 2.0]) + np.diag([-1.0, -1.0], 1) + np.diag([-1.0, -1.0], -1)
    >>> np.allclose(T @ v, v * w), np.allclose(v.T @ v, np.eye(3))
    (True, True)
    """
    if not isinstance(eigvals_only, (bool, np.bool_)):
        raise TypeError(f"eigvals_only must be a bool, got {type(eigvals_only).__name__}")
    d = as_float_array(d, "d", min_ndim=1, max_ndim=1)
    e = as_float_array(e, "e", min_ndim=1, max_ndim=1)
    n = len(d)
    if len(e) != max(n - 1, 0):
        raise ValueError(f"e must have length len(d) - 1 = {max(n - 1, 0)}, got {len(e)}")
    if n == 0:
        w = np.zeros(0)
        return w if eigvals_only else EighResult(w, np.zeros((0, 0)))
    w, v = _eigh_tridiagonal(d, e, not eigvals_only)
    return w if eigvals_only else EighResult(w, v)


def _eigh_tridiagonal(d, e, vectors):
    """Validated core of :func:`eigh_tridiagonal`: scale, divide and conquer, unscale."""
    n = len(d)
    big = max(float(np.abs(d).max()), float(np.abs(e).max()) if len(e) else 0.0)
    if big == 0.0:
        return np.zeros(n), (np.eye(n) if vectors else None)
    k = -math.frexp(big)[1]  # scale by 2**k: exact, and safe even for subnormal input
    solver = _tridiagonal_qr if n <= _QR_MAX else _divide_and_conquer
    w, v = solver(np.ldexp(d, k), np.ldexp(e, k), vectors)
    return np.ldexp(w, -k), v
