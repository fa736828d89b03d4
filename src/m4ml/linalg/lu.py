"""LU factorization with partial pivoting, recursive so the O(n^3) work runs in matmuls."""

import functools

import numpy as np

from m4ml._core import LinAlgError, as_float_array, as_matrix_stack
from m4ml._core.stack import map_stack
from m4ml.linalg.triangular import _trsm

__all__ = ["lu", "lu_factor", "lu_solve"]

_OVERFLOW = (
    "the elimination overflowed: entries of the matrix are too close to the float64 "
    "limit (about 1.8e308); scale it down first (det(c A) = c**n det(A))"
)
# Panels at most this wide are factored by _getrf_leaf; wider ones are split in two.
_LEAF = 32
# Within a leaf, columns are eliminated one by one in blocks of at most this many.
_SUB = 16


@functools.cache
def _strict_lower_and_eye(w):
    """The ``w x w`` 0/1 mask of the strict lower triangle, and the identity (cached)."""
    mask = np.tri(w, w, -1)
    eye = np.eye(w)
    mask.flags.writeable = eye.flags.writeable = False
    return mask, eye


def _unit_lower_inverse(L):
    r"""Inverse of the unit lower-triangular ``I + N`` (``N`` strictly lower, ``w x w``).

    ``N`` is nilpotent, so :math:`(I + N)^{-1} = \sum_i (-N)^i
    = (I - N)(I + N^2)(I + N^4)\cdots`, which needs :math:`2 \log_2 w` small products.
    """
    w = L.shape[0]
    mask, eye = _strict_lower_and_eye(w)
    N = L * mask
    X = eye - N
    M = N
    span = 2
    while span < w:
        M = M @ M
        X += X @ M
        span *= 2
    return X


def _getrf_leaf(A, need_inv):
    """Factor a narrow panel ``A`` (m x w) in place, in column blocks of at most ``_SUB``.

    Within a block the columns are eliminated one at a time, each rank-1 update reaching only
    the block's later columns; the columns after the block then get :math:`U_{12} =
    L_{11}^{-1} A_{12}` and :math:`A_{22} - L_{21} U_{12}` as matrix products, so the
    per-column updates touch at most ``_SUB`` columns. Row interchanges are applied to the
    whole panel as they happen, as in the column-by-column algorithm.
    """
    m, w = A.shape
    k = min(m, w)
    P = A.T.copy()  # row j of P is column j of A: every column operation is contiguous
    mult = np.zeros(m)  # multipliers of the current column, zero on and above the pivot
    nonzero_from = m  # mult[:nonzero_from] is zero
    perm = list(range(m))
    swaps = 0
    inv = None  # inverse of the unit lower triangle of the blocks done so far
    for b0 in range(0, k, _SUB):
        b1 = min(b0 + _SUB, k)
        stop = w if b1 == k else b1  # the last block updates every later column itself
        for j in range(b0, b1):
            col = P[j]
            r = j + int(np.abs(col[j:]).argmax())
            if r != j:  # interchange rows j and r of A (columns of P)
                pj, pr = P[:, j], P[:, r]
                t = pj.copy()
                pj[...] = pr
                pr[...] = t
                perm[j], perm[r] = perm[r], perm[j]
                swaps += 1
            pivot = col[j]
            if pivot != 0.0 and j + 1 < m:  # a zero column below the pivot needs no elimination
                below = col[j + 1 :]
                below /= pivot
                if j + 1 < stop:  # rank-1 update of the block's later columns, whole rows
                    if nonzero_from == j:  # the usual case: only mult[j] is left over
                        mult[j] = 0.0
                    elif nonzero_from < j:  # columns were skipped (zero below their pivot)
                        mult[nonzero_from : j + 1] = 0.0
                    mult[j + 1 :] = below
                    nonzero_from = j + 1
                    later = P[j + 1 : stop]
                    later -= later[:, j : j + 1] * mult
        if stop < w or need_inv:
            block_inv = _unit_lower_inverse(P[b0:b1, b0:b1].T)
            if inv is None:
                inv = block_inv
            else:  # [[X, 0], [C, Y]] with Y the new block's inverse, C = -Y L_21 X
                grown = np.zeros((b1, b1))
                grown[:b0, :b0] = inv
                grown[b0:, b0:] = block_inv
                grown[b0:, :b0] = -block_inv @ (P[:b0, b0:b1].T @ inv)
                inv = grown
        if stop < w:  # U_12^T = A_12^T L_11^{-T}, then A_22^T -= U_12^T L_21^T
            U = P[b1:, b0:b1] @ block_inv.T
            P[b1:, b0:b1] = U
            P[b1:, b1:] -= U @ P[b0:b1, b1:]
    A[...] = P.T
    return np.array(perm, dtype=np.intp), swaps, inv if need_inv else None


def _solve_tree(tree, L, X):
    r"""Overwrite ``X`` with :math:`L^{-1} X`, ``L`` unit lower, following the LU recursion.

    ``tree`` mirrors how the columns of ``L`` were split: a leaf holds the explicit inverse of
    its small diagonal block (at most ``_LEAF`` wide), a node ``(h, left, right)`` is solved as
    :math:`X_1 = L_{11}^{-1} X_1`, :math:`X_2 \leftarrow X_2 - L_{21} X_1`,
    :math:`X_2 = L_{22}^{-1} X_2`, so the bulk of the work is the product :math:`L_{21} X_1`.
    """
    if isinstance(tree, np.ndarray):
        X[...] = tree @ X
        return
    h, left, right = tree
    _solve_tree(left, L[:h, :h], X[:h])
    X[h:] -= L[h:, :h] @ X[:h]
    _solve_tree(right, L[h:, h:], X[h:])


def _getrf(A, need_tree=False):
    r"""Recursive LU with partial pivoting of a 2-D array ``A`` (m x n), in place.

    On return ``A`` holds :math:`L` strictly below the diagonal (unit diagonal implied) and
    :math:`U` on and above it, with ``A_original[perm] = L @ U``. Returns ``perm``, the number
    of row interchanges (its parity is the sign of the permutation) and, if ``need_tree``, the
    recursion tree with the inverses of the leaf diagonal blocks of :math:`L`, used by
    :func:`_solve_tree` to apply :math:`L^{-1}` to other columns.
    """
    m, n = A.shape
    if n <= _LEAF:
        return _getrf_leaf(A, need_tree)
    if n > m:  # wide: factor the leading square block, then U_12 = L^{-1} P A_12
        perm, swaps, tree = _getrf(A[:, :m], True)
        rest = A[perm, m:]
        _solve_tree(tree, A[:, :m], rest)
        A[:, m:] = rest
        return perm, swaps, tree
    h = n // 2
    p1, s1, tree1 = _getrf(A[:, :h], True)
    right = A[p1, h:]  # apply the left half's interchanges to the right half in one go
    _solve_tree(tree1, A[:h, :h], right[:h])  # U_12 = L_11^{-1} A_12
    right[h:] -= A[h:, :h] @ right[:h]  # Schur complement A_22 - L_21 U_12
    A[:, h:] = right
    p2, s2, tree2 = _getrf(A[h:, h:], need_tree)
    A[h:, :h] = A[h:, :h][p2]
    perm = p1.copy()
    perm[h:] = p1[h:][p2]
    return perm, s1 + s2, (h, tree1, tree2) if need_tree else None


def _factor(A):
    """Factor a validated stack ``A (..., m, n)``: returns a new LU array, perms and swap counts."""
    LU = np.array(A, dtype=np.float64, order="C", copy=True)
    with np.errstate(over="ignore", invalid="ignore"):
        perms, swaps = map_stack(lambda a: _getrf(a)[:2], LU)
    if not np.isfinite(LU).all():
        raise LinAlgError(_OVERFLOW)
    return LU, perms, swaps


def _perm_to_piv(perm, k):
    """Row-interchange indices (LAPACK ``ipiv``, 0-based) equivalent to ``A[perm]``."""
    order = list(range(len(perm)))
    where = list(range(len(perm)))
    piv = np.empty(k, dtype=np.intp)
    for i in range(k):
        j = where[perm[i]]
        piv[i] = j
        order[i], order[j] = order[j], order[i]
        where[order[i]], where[order[j]] = i, j
    return piv


def _piv_to_perm(piv, m):
    """Inverse of :func:`_perm_to_piv`: apply the interchanges to ``0..m-1`` in order."""
    perm = list(range(m))
    for i, j in enumerate(piv.tolist()):
        perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm, dtype=np.intp)


def lu(a):
    r"""LU factorization with partial pivoting: :math:`A = P L U`.

    Parameters
    ----------
    a : array_like, shape (..., m, n)
        Matrix or stack of matrices; rectangular is allowed.

    Returns
    -------
    P : ndarray, shape (..., m, m)
        Permutation matrix.
    L : ndarray, shape (..., m, k)
        Unit lower-triangular (trapezoidal) factor, ``k = min(m, n)``, with
        :math:`|l_{ij}| \le 1`.
    U : ndarray, shape (..., k, n)
        Upper-triangular (trapezoidal) factor.

    Raises
    ------
    LinAlgError
        ``a`` is not at least 2-D, or the elimination overflowed (entries near the
        float64 limit).
    ValueError
        NaN or infinity in ``a``.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    Gaussian elimination with partial pivoting: at step :math:`j` the entry of largest
    magnitude in column :math:`j` on or below the diagonal is swapped into the pivot position,
    then :math:`\ell_{ij} = a_{ij} / a_{jj}` and :math:`a_{il} \leftarrow a_{il} - \ell_{ij}
    a_{jl}` for :math:`i, l > j`. It is organised recursively (Toledo 1997): factor the left
    half of the columns, apply its row interchanges to the right half in one gather, form
    :math:`U_{12} = L_{11}^{-1} A_{12}` and the Schur complement :math:`A_{22} - L_{21}
    U_{12}` with matrix products, and recurse on it; panels of at most 32 columns are
    eliminated column by column in blocks of 16, the columns after a block being updated
    by the same two products. Cost :math:`mn^2 - n^3/3` flops
    (:math:`\tfrac23 n^3` for square). The solve for :math:`U_{12}` follows the same
    recursion, and its leaves multiply by the explicit inverses of the at most 32 x 32 unit
    lower-triangular diagonal blocks (in practice well conditioned, as
    :math:`|\ell_{ij}| \le 1`).
    Partial pivoting is backward stable in practice: :math:`PA + \Delta A = LU` with
    :math:`\|\Delta A\| \lesssim n \rho u \|A\|`, where the growth factor :math:`\rho`
    is small except for contrived matrices (it can reach :math:`2^{n-1}`). A singular
    matrix factors without error and gives a zero on the diagonal of :math:`U`. Same
    convention as ``scipy.linalg.lu``.

    References
    ----------
    .. [1] S. Toledo, "Locality of reference in LU decomposition with partial pivoting",
       SIAM J. Matrix Anal. Appl. 18(4), 1997.
    .. [2] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, sec. 3.4.
    .. [3] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., 2002, ch. 9.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.lu import lu
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> P, L, U = lu(A)
    >>> P
    array([[0., 1.],
           [1., 0.]])
    >>> np.round(L, 12)
    array([[1.        , 0.        ],
           [0.33333333, 1.        ]])
    >>> np.allclose(P @ L @ U, A)
    True
    """
    A = as_matrix_stack(a, "a")
    m, n = A.shape[-2:]
    k = min(m, n)
    LU, perms, _ = _factor(A)
    L = np.tril(LU[..., :, :k], -1)
    idx = np.arange(k)
    L[..., idx, idx] = 1.0
    U = np.triu(LU[..., :k, :])
    P = np.zeros((*A.shape[:-2], m, m))
    np.put_along_axis(P, perms[..., :, None], 1.0, axis=-1)  # P^T has a 1 at (i, perm[i])
    return np.swapaxes(P, -1, -2).copy(), L, U


def lu_factor(a):
    r"""Compact LU factorization with partial pivoting, for :func:`lu_solve`.

    Parameters
    ----------
    a : array_like, shape (..., m, n)
        Matrix or stack of matrices (square for :func:`lu_solve`).

    Returns
    -------
    lu : ndarray, shape (..., m, n)
        :math:`U` on and above the diagonal, the multipliers of :math:`L` below it (its unit
        diagonal is not stored).
    piv : ndarray of int, shape (..., min(m, n))
        Row-interchange indices, 0-based, as in ``scipy.linalg.lu_factor`` (LAPACK ``ipiv``):
        during elimination row ``i`` was swapped with row ``piv[i]``, for ``i = 0, 1, ...`` in
        order. Applying these swaps in order to the rows of ``a`` gives ``L @ U``.

    Raises
    ------
    LinAlgError
        ``a`` is not at least 2-D, or the elimination overflowed (entries near the
        float64 limit).
    ValueError
        NaN or infinity in ``a``.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    The algorithm, cost (:math:`\tfrac23 n^3` flops) and stability are those of :func:`lu`.
    A singular matrix is factored without error; the zero appears on the diagonal of ``lu``.

    References
    ----------
    .. [1] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, sec. 3.4.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.lu import lu_factor, lu_solve
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> LU, piv = lu_factor(A)
    >>> piv
    array([1, 1])
    >>> np.round(lu_solve((LU, piv), [5.0, 6.0]), 12)
    array([-4. ,  4.5])
    """
    A = as_matrix_stack(a, "a")
    LU, perms, _ = _factor(A)
    k = min(A.shape[-2:])
    return LU, map_stack(lambda p: _perm_to_piv(p, k), perms, core_ndim=1)


def lu_solve(lu_and_piv, b, trans=0):
    r"""Solve :math:`A x = b` from the compact factorization returned by :func:`lu_factor`.

    Parameters
    ----------
    lu_and_piv : tuple (lu, piv)
        Output of :func:`lu_factor` for a square ``A`` of order ``n`` (or a stack).
    b : array_like, shape (n,) or (..., n, k)
        Right-hand side; a vector only when ``b.ndim == 1``.
    trans : {0, 1, 2}, default 0
        0 solves :math:`A x = b`, 1 (and 2, the same for real matrices) solves
        :math:`A^\top x = b`.

    Returns
    -------
    x : ndarray, shape of ``b`` (broadcast against the stack of ``lu``)

    Raises
    ------
    LinAlgError
        ``lu`` is not square, or ``A`` is singular (zero on the diagonal of :math:`U`).
    ValueError
        Bad ``piv``, mismatched ``b``, NaN/inf, or ``trans`` not in {0, 1, 2}.

    Notes
    -----
    With :math:`\Pi A = L U` (:math:`\Pi` the interchanges ``piv``), :math:`x = U^{-1}
    L^{-1} \Pi b`; for the transpose, :math:`x = \Pi^\top L^{-\top} U^{-\top} b`. Two
    triangular solves, :math:`2 n^2` flops per right-hand side.

    References
    ----------
    .. [1] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, sec. 3.4.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.lu import lu_factor, lu_solve
    >>> A = np.array([[4.0, 3.0], [6.0, 3.0]])
    >>> fac = lu_factor(A)
    >>> np.round(lu_solve(fac, [10.0, 12.0]), 12)
    array([1., 2.])
    >>> np.round(lu_solve(fac, [10.0, 12.0], trans=1), 12)
    array([ 7., -3.])
    """
    if not isinstance(lu_and_piv, tuple) or len(lu_and_piv) != 2:
        raise TypeError("lu_and_piv must be the tuple (lu, piv) returned by lu_factor")
    if trans not in (0, 1, 2) or isinstance(trans, bool):
        raise ValueError(f"trans must be 0, 1 or 2, got {trans!r}")
    LU = as_matrix_stack(lu_and_piv[0], "lu")
    n = LU.shape[-1]
    if LU.shape[-2] != n:
        raise LinAlgError(f"lu must be square to solve with it, got shape {LU.shape}")
    piv = np.asarray(lu_and_piv[1])
    if (
        piv.shape != LU.shape[:-1]
        or piv.dtype.kind not in "iu"
        or (piv.size and (piv.min() < 0 or piv.max() >= n))
    ):
        raise ValueError(
            f"piv must be integers in [0, {n}) of shape {LU.shape[:-1]}, as returned by lu_factor"
        )
    b = as_float_array(b, "b", min_ndim=1)
    perms = map_stack(lambda p: _piv_to_perm(p, n), piv, core_ndim=1)
    return _solve_factored(LU, perms, b, trans=bool(trans))


def _solve_factored(LU, perms, b, trans=False):
    """Solve with validated factors ``LU (..., n, n)``, ``perms (..., n)``; ``b`` float."""
    n = LU.shape[-1]
    vector = b.ndim == 1
    B = b[:, None] if vector else b
    if B.shape[-2] != n:
        what = "length" if vector else "number of rows (axis -2)"
        raise ValueError(f"b has {what} {B.shape[-2]} but the matrix is {n} x {n}")
    try:
        batch = np.broadcast_shapes(LU.shape[:-2], B.shape[:-2])
    except ValueError:
        raise ValueError(
            f"stack shapes of the matrix {LU.shape[:-2]} and b {B.shape[:-2]} do not broadcast"
        ) from None
    diag = np.diagonal(LU, axis1=-2, axis2=-1)
    if n and (diag == 0).any():
        raise LinAlgError(
            "singular matrix: U has an exact zero pivot, so A x = b has no unique solution; "
            "use lstsq for a least-squares solution"
        )
    B = np.broadcast_to(B, batch + B.shape[-2:])
    P = np.broadcast_to(perms, (*batch, n))
    with np.errstate(over="ignore", invalid="ignore"):
        if not trans:
            X = np.take_along_axis(B, P[..., :, None], axis=-2)
            X = _trsm(LU, X, lower=True, unit=True)
            X = _trsm(LU, X, lower=False, unit=False)
        else:
            LUt = np.swapaxes(LU, -1, -2)
            Y = _trsm(LUt, B, lower=True, unit=False)
            Y = _trsm(LUt, Y, lower=False, unit=True)
            X = np.empty_like(Y)
            np.put_along_axis(X, P[..., :, None], Y, axis=-2)
    if not np.isfinite(X).all():
        raise LinAlgError(
            "the solution overflowed: the matrix is singular to working precision; "
            "check its condition number (numpy.linalg.cond) or use lstsq"
        )
    return X[..., 0] if vector else X
