r"""The fast path of LU with partial pivoting: recursive, so the O(n^3) work runs in matmuls.

This module computes exactly what the textbook kernel :func:`m4ml.linalg.lu._lu_unblocked`
computes (same pivots, same factors up to rounding; the tests hold one against the other), but
organised so that almost all the flops are matrix products (Toledo 1997):

* :func:`_getrf` splits the columns in halves: factor the left half, apply its row
  interchanges to the right half in one gather, form :math:`U_{12} = L_{11}^{-1} A_{12}`
  and the Schur complement :math:`A_{22} - L_{21} U_{12}`, and recurse on it;
* :func:`_solve_tree` applies :math:`L_{11}^{-1}` following the same recursion;
* :func:`_getrf_leaf` eliminates a panel of at most ``_LEAF`` columns.

Two speed devices live in the leaf, and only there; each is a rewriting of plain elimination,
not a different algorithm:

1. *Sub-blocking.* The panel is eliminated in column blocks of ``_SUB``: rank-1 updates reach
   only the block's own columns; the columns after it are updated with two products
   (:math:`U_{12} = L_{11}^{-1} A_{12}`, :math:`A_{22} \mathrel{-}= L_{21} U_{12}`), as in the
   recursion one level up.
2. *Explicit inverses of the small unit lower blocks*, by the nilpotent series
   (:func:`_unit_lower_inverse`): :math:`L_{11}^{-1}` of a block of at most 32 columns costs
   :math:`2\log_2 32` products instead of 32 substitution steps. The leaves of
   :func:`_solve_tree` multiply by them. It is safe because partial pivoting keeps
   :math:`|\ell_{ij}| \le 1`, so these small blocks are well conditioned in practice.

The work is done on 2-D arrays; stacks reach it through :func:`m4ml._core.stack.map_stack`.

References
----------
.. [1] S. Toledo, "Locality of reference in LU decomposition with partial pivoting",
   SIAM J. Matrix Anal. Appl. 18(4), 1997.
"""

import functools

import numpy as np

__all__ = []

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
    piv = list(range(k))
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
                piv[j] = r
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
    return np.array(perm, dtype=np.intp), np.array(piv, dtype=np.intp), inv if need_inv else None


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
    :math:`U` on and above it, with ``A_original[perm] = L @ U``. Returns ``perm``, the same
    permutation as the sequence of row interchanges ``piv`` (LAPACK's ``ipiv``: row ``i``
    swapped with row ``piv[i]``, in order) and, if ``need_tree``, the
    recursion tree with the inverses of the leaf diagonal blocks of :math:`L`, used by
    :func:`_solve_tree` to apply :math:`L^{-1}` to other columns.
    """
    m, n = A.shape
    if n <= _LEAF:
        return _getrf_leaf(A, need_tree)
    if n > m:  # wide: factor the leading square block, then U_12 = L^{-1} P A_12
        perm, piv, tree = _getrf(A[:, :m], True)
        rest = A[perm, m:]
        _solve_tree(tree, A[:, :m], rest)
        A[:, m:] = rest
        return perm, piv, tree
    h = n // 2
    p1, piv1, tree1 = _getrf(A[:, :h], True)
    right = A[p1, h:]  # apply the left half's interchanges to the right half in one go
    _solve_tree(tree1, A[:h, :h], right[:h])  # U_12 = L_11^{-1} A_12
    right[h:] -= A[h:, :h] @ right[:h]  # Schur complement A_22 - L_21 U_12
    A[:, h:] = right
    p2, piv2, tree2 = _getrf(A[h:, h:], need_tree)
    A[h:, :h] = A[h:, :h][p2]
    perm = p1.copy()
    perm[h:] = p1[h:][p2]
    piv = np.concatenate([piv1, piv2 + h])  # the right half's swaps act on rows h:
    return perm, piv, (h, tree1, tree2) if need_tree else None


def _getrf_diagonal(A, diag):
    r"""Row interchanges and diagonal of :math:`U` for the square ``A`` (overwritten): determinants.

    Writes the diagonal of :math:`U` into ``diag`` and returns the number of row interchanges.
    It follows :func:`_getrf` but keeps nothing it will not read again: the Schur complement
    is factored in the array where it was formed, so neither :math:`U_{12}` nor the
    reordering of :math:`L_{21}` is written back into ``A``.
    """
    n = A.shape[0]
    if n <= _LEAF:
        _, piv, _ = _getrf_leaf(A, False)
        diag[:] = A.diagonal()
        return int((piv != np.arange(n)).sum())
    h = n // 2
    p1, piv1, tree1 = _getrf(A[:, :h], True)
    s1 = int((piv1 != np.arange(h)).sum())
    diag[:h] = A.diagonal()[:h]
    right = A[p1, h:]  # the left half's interchanges applied to the right half
    _solve_tree(tree1, A[:h, :h], right[:h])  # U_12 = L_11^{-1} A_12
    schur = right[h:]
    schur -= A[h:, :h] @ right[:h]  # A_22 - L_21 U_12
    return s1 + _getrf_diagonal(schur, diag[h:])
