"""Cholesky factorization of symmetric positive definite matrices, and solves with it.

Read top-down: :func:`_cholesky_unblocked` is the textbook algorithm, column by column, written
for a whole stack of matrices at once (the path for stacks of small matrices, and the oracle the
fast path is tested against); :func:`_potrf` is the recursive version for large matrices, whose
leaves are the same column-by-column elimination on one panel; then the public functions.
"""

import functools
import math

import numpy as np

from m4ml._core import LinAlgError, as_float_array, as_square_stack
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.stack import flatten, map_stack, mT
from m4ml._core.validation import keeps_float32
from m4ml.linalg.triangular import solve_triangular

__all__ = ["cho_solve", "cholesky"]

# Stacks of matrices up to this order use the unblocked kernel, vectorized over the stack.
_UNBLOCKED_MAX = 64
# Panels at most this wide are factored column by column.
_LEAF = 32  # tuned at n = 500: 8-16 pay more per-leaf overhead, 32-80 are alike
# ``A`` counts as symmetric when max|A - A^T| <= _SYM_TOL * max|A|.
_SYM_TOL = 1e3 * np.finfo(np.float64).eps


def _not_pd(order):
    return LinAlgError(
        f"matrix is not positive definite: the leading minor of order {order} is not "
        "positive, so no Cholesky factor exists (for a semidefinite matrix add a small "
        "multiple of the identity, or use eigh)"
    )


def _cholesky_unblocked(A):
    r"""Textbook (right-looking) Cholesky of every panel ``A (B, m, w)``, ``m >= w``, in place.

    The top ``w x w`` block of each panel is a diagonal block of a symmetric matrix (only its
    lower triangle is read) and the rows below it are the block column under it; for a square
    matrix, ``m = w``. For :math:`j = 0, \dots, w - 1`: :math:`\ell_{jj} = \sqrt{a_{jj}}`,
    :math:`\ell_{ij} = a_{ij} / \ell_{jj}` for :math:`i > j`, then :math:`a_{il} \leftarrow
    a_{il} - \ell_{ij} \ell_{lj}` for :math:`i, l > j`, :math:`l < w` (the Schur complement).
    On return the panel holds :math:`L` with zeros above the diagonal. Returns, per matrix,
    the order of the first leading minor that is not positive (0 if there is none); such a
    matrix is carried along with a unit pivot so that the others finish.
    """
    B, _, w = A.shape
    failed = np.zeros(B, dtype=np.intp)
    for j in range(w):
        d = A[:, j, j].copy()
        if not (d > 0.0).all():
            failed = np.where((failed == 0) & ~(d > 0.0), j + 1, failed)
            d[~(d > 0.0)] = 1.0
        col = A[:, j:, j]
        col /= np.sqrt(d)[:, None]
        A[:, j + 1 :, j + 1 :] -= col[:, 1:, None] * col[:, None, 1 : w - j]
    A[:, :w, :w][:, ~np.tri(w, dtype=bool)] = 0.0
    return failed


def _cholesky_blocked(A, nb=16):
    r"""Right-looking blocked Cholesky of every matrix of ``A (B, n, n)``, in place.

    For each panel of ``nb`` columns: factor it (diagonal block and the block column below,
    :math:`L_{11}` and :math:`L_{21}` at once) with :func:`_cholesky_unblocked`, then subtract
    :math:`L_{21} L_{21}^\top` from the trailing matrix with one matrix product over the
    stack. Returns the order of the first failing leading minor per matrix (0: none).
    """
    B, n, _ = A.shape
    failed = np.zeros(B, dtype=np.intp)
    with np.errstate(over="ignore", invalid="ignore"):  # a failed matrix may fill with garbage
        for j0 in range(0, n, nb):
            j1 = min(j0 + nb, n)
            panel = np.ascontiguousarray(A[:, j0:, j0:j1])  # contiguous: faster column steps
            f = _cholesky_unblocked(panel)
            A[:, j0:, j0:j1] = panel
            failed = np.where((failed == 0) & (f > 0), f + j0, failed)
            if j1 < n:
                L21 = A[:, j1:, j0:j1]
                A[:, j1:, j1:] -= L21 @ mT(L21)
                A[:, j0:j1, j1:] = 0.0
    return failed


@functools.cache
def _strict_lower_mask(w):
    """Boolean ``w x w`` mask of the entries below the diagonal (cached: leaves reuse it)."""
    return np.tri(w, w, -1, dtype=bool)


def _potrf_leaf(P, offset):
    """Factor a tall panel ``P`` (m x w, m >= w) in place, left-looking, column by column."""
    w = P.shape[1]
    T = P.T.copy()  # row j of T is column j of the panel: contiguous
    for j in range(w):
        col = T[j, j:]
        if j:  # l_{j:, j} = a_{j:, j} - L_{j:, :j} l_{j, :j}^T
            col -= T[:j, j] @ T[:j, j:]
        d = float(col[0])
        if not d > 0.0:
            raise _not_pd(offset + j + 1)
        col /= math.sqrt(d)
    T[:, :w][_strict_lower_mask(w)] = 0.0  # the strict upper triangle of the diagonal block
    P[...] = T.T


def _potrf(P, offset=0):
    r"""Recursive Cholesky of the tall panel ``P`` (m x n, m >= n), in place.

    The top n x n block of ``P`` is a diagonal block of the matrix (only its lower triangle
    is read) and the rows below it become the corresponding block of :math:`L`. Split the
    columns in halves: factor the left half (a tall panel itself, so its rows below the
    diagonal come out as :math:`L_{21}` without a triangular solve), subtract
    :math:`L_{21} L_{21}^\top` from the right half with one product, factor the right half.
    """
    n = P.shape[1]
    if n <= _LEAF:
        return _potrf_leaf(P, offset)
    h = n // 2
    _potrf(P[:, :h], offset)
    P[h:, h:] -= P[h:, :h] @ P[h:n, :h].T
    P[:h, h:] = 0.0
    return _potrf(P[h:, h:], offset + h)


def _check_symmetric(A):
    if A.shape[-1] < 2 or (A == np.swapaxes(A, -1, -2)).all():  # exactly symmetric: done
        return
    diff = A - np.swapaxes(A, -1, -2)
    axes = (-2, -1)
    asym = np.maximum(diff.max(axis=axes), -diff.min(axis=axes))
    scale = np.maximum(A.max(axis=axes), -A.min(axis=axes))
    bad = asym > _SYM_TOL * scale
    if bad.any():
        worst = float((asym / np.where(scale > 0, scale, 1.0)).max())
        raise LinAlgError(
            f"matrix is not symmetric (max|A - A^T| / max|A| = {worst:.2e} > {_SYM_TOL:.1e}); "
            "Cholesky needs a symmetric matrix: symmetrize with (A + A.T) / 2 if the asymmetry "
            "is rounding error"
        )


@keeps_float32("a")
def cholesky(a: ArrayLike, upper: bool = False) -> FloatArray:
    r"""Cholesky factor of a symmetric positive definite matrix: :math:`A = L L^\top`.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Symmetric positive definite matrix or stack of them.
    upper : bool, default False
        Return the upper factor :math:`U = L^\top` (:math:`A = U^\top U`) instead.

    Returns
    -------
    L : ndarray, shape (..., n, n)
        Lower-triangular factor with positive diagonal (upper if ``upper``), zeros elsewhere.

    Raises
    ------
    LinAlgError
        ``a`` is not square, not symmetric (see Notes for the tolerance), or not positive
        definite; the message names the order of the first leading minor that is not
        positive.
    ValueError
        NaN or infinity in ``a``.
    TypeError
        Complex or non-numeric input, or a non-bool ``upper``.

    Notes
    -----
    Comparing entries of :math:`A = L L^\top` column by column gives

    .. math:: \ell_{jj} = \Bigl(a_{jj} - \sum_{k<j} \ell_{jk}^2\Bigr)^{1/2}, \qquad
              \ell_{ij} = \Bigl(a_{ij} - \sum_{k<j} \ell_{ik}\ell_{jk}\Bigr) / \ell_{jj},
              \quad i > j.

    The quantity under the square root at step :math:`j` is the ratio of the leading
    principal minors of orders :math:`j` and :math:`j - 1`, so it is positive for every
    :math:`j` exactly when :math:`A` is positive definite (Sylvester's criterion); the first
    one that is not is reported. Stacks of matrices of order up to 64 are factored exactly
    so for the whole stack at once (panels of 16 columns column by column, the trailing
    updates as batched matrix products). Single and larger matrices are factored
    recursively on tall
    panels (the columns of :math:`L` from the diagonal down): factor the left half of the
    columns, which yields :math:`L_{11}` and :math:`L_{21}` together, subtract
    :math:`L_{21} L_{21}^\top` from the right half with one matrix product, and recurse on
    it; panels of at most 32 columns are factored left-looking, column by column, so all but
    a thin layer of the work is matrix multiplication. :math:`\tfrac13 n^3` flops,
    half of LU, and no pivoting is needed: Cholesky is backward stable,
    :math:`L L^\top = A + \Delta A` with :math:`|\Delta A| \le c_n u\, |L||L^\top|`
    (Higham 2002, Thm. 10.3), and it runs to completion whenever :math:`\kappa_2(A)` is below
    about :math:`1/(n u)`.

    Only the lower triangle is used for the factorization. ``a`` is first checked for
    symmetry: :math:`\max|A - A^\top| \le 10^3 \epsilon \max|A|` with :math:`\epsilon =
    2^{-52}`, which accepts rounding-level asymmetry (e.g. from ``X.T @ X``) and rejects
    anything larger.

    References
    ----------
    .. [1] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., SIAM,
       2002, ch. 10.
    .. [2] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, sec. 4.2.
    .. [3] F. G. Gustavson and I. Jonsson, "Minimal-storage high-performance Cholesky
       factorization via blocking and recursion", IBM J. Res. Dev. 44(6), 2000.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.cholesky import cholesky
    >>> A = np.array([[4.0, 2.0], [2.0, 5.0]])
    >>> L = cholesky(A)
    >>> np.round(L, 12)
    array([[2., 0.],
           [1., 2.]])
    >>> np.allclose(L @ L.T, A)
    True
    >>> np.round(cholesky(A, upper=True), 12)
    array([[2., 1.],
           [0., 2.]])
    """
    if not isinstance(upper, (bool, np.bool_)):
        raise TypeError(f"upper must be True or False, got {upper!r}")
    A = as_square_stack(a, "a")
    _check_symmetric(A)
    L = np.array(A, order="C", copy=True)
    n = L.shape[-1]
    if L.ndim > 2 and n <= _UNBLOCKED_MAX and np.prod(L.shape[:-2]) > 1:
        flat, _ = flatten(L)
        failed = _cholesky_blocked(flat)
        if failed.any():
            raise _not_pd(int(failed[np.flatnonzero(failed)[0]]))
    else:
        map_stack(_potrf, L)
    return np.swapaxes(L, -1, -2).copy() if upper else L


def cho_solve(c_and_lower: tuple[ArrayLike, bool] | ArrayLike, b: ArrayLike) -> FloatArray:
    r"""Solve :math:`A x = b` given the Cholesky factor of :math:`A`.

    Parameters
    ----------
    c_and_lower : tuple (c, lower) or ndarray
        The factor ``c`` of shape (..., n, n) and a flag saying whether it is lower
        (:math:`A = c\,c^\top`) or upper (:math:`A = c^\top c`), as in
        ``scipy.linalg.cho_solve``; a bare array is taken as the lower factor returned by
        :func:`cholesky`. Only that triangle of ``c`` is read.
    b : array_like, shape (n,) or (..., n, k)
        Right-hand side; a vector only when ``b.ndim == 1``.

    Returns
    -------
    x : ndarray, shape of ``b`` (broadcast against the stack of ``c``)

    Raises
    ------
    LinAlgError
        ``c`` is not square, has a zero diagonal entry, or the solution overflows.
    ValueError
        NaN/inf input or mismatched shapes.
    TypeError
        Complex input or a malformed ``c_and_lower``.

    Notes
    -----
    Two triangular solves, :math:`L y = b` then :math:`L^\top x = y`, :math:`2 n^2` flops per
    right-hand side. The error is about :math:`\kappa(A) u`, as for any backward stable
    solver.

    References
    ----------
    .. [1] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, sec. 4.2.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.cholesky import cholesky, cho_solve
    >>> A = np.array([[4.0, 2.0], [2.0, 5.0]])
    >>> np.round(cho_solve(cholesky(A), [10.0, 13.0]), 12)
    array([1.5, 2. ])
    >>> np.round(cho_solve((cholesky(A, upper=True), False), [10.0, 13.0]), 12)
    array([1.5, 2. ])
    """
    if isinstance(c_and_lower, tuple):
        if len(c_and_lower) != 2 or not isinstance(c_and_lower[1], (bool, np.bool_)):
            raise TypeError("c_and_lower must be (c, lower) with lower True or False")
        c, lower = c_and_lower
    else:
        c, lower = c_and_lower, True
    C = as_square_stack(c, "c")
    b = as_float_array(b, "b", min_ndim=1)
    vector = b.ndim == 1
    B = b[:, None] if vector else b
    n = C.shape[-1]
    if B.shape[-2] != n:
        what = "length" if vector else "number of rows (axis -2)"
        raise ValueError(f"b has {what} {B.shape[-2]} but c is {n} x {n}; they must match")
    y = solve_triangular(C, B, lower=lower, trans=not lower)
    x = solve_triangular(C, y, lower=lower, trans=lower)
    return x[..., 0] if vector else x
