"""The symmetric tridiagonal eigenproblem by divide and conquer.

Public: :func:`eigh_tridiagonal` (scipy.linalg's name). The machinery: Cuppen's tear of the
tridiagonal matrix into two halves plus a rank-one correction, recursively; small leaves solved
all at once by a batched Jacobi method; merges by deflation and the secular equation
(:mod:`m4ml.linalg.tridiag_secular`).
"""

import math
from typing import NamedTuple

import numpy as np

from m4ml._core import LinAlgError, as_float_array
from m4ml.linalg.tridiag_secular import secular_eigenvectors, secular_roots_batch

__all__ = ["EighResult", "eigh_tridiagonal"]

_EPS = np.finfo(np.float64).eps
_LEAF = 16  # largest subproblem solved directly (fastest by measurement)
_MAX_SWEEPS = 40


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


def eigh_tridiagonal(d, e, eigvals_only=False):
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
    w, v = _divide_and_conquer(np.ldexp(d, k), np.ldexp(e, k), vectors)
    return np.ldexp(w, -k), v
