"""LU factorization with partial pivoting: the textbook kernel first, then the public functions.

:func:`_lu_unblocked` is Gaussian elimination with partial pivoting as a textbook writes it,
one column at a time; it is written for a whole stack of matrices at once (one Python step per
column serves every matrix), so it is also the fast path for small matrices and for stacks of
them. Large matrices go through the recursive, matmul-rich version in
:mod:`m4ml.linalg.lu_recursive`, which computes the same factors and is tested against this
kernel.
"""

from typing import Literal

import numpy as np

from m4ml._core import LinAlgError, as_float_array, as_matrix_stack
from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml._core.stack import flatten, map_stack, swap_rows, unflatten
from m4ml._core.validation import keeps_float32
from m4ml.linalg.lu_recursive import _getrf
from m4ml.linalg.triangular import _trsm

__all__ = ["lu", "lu_factor", "lu_solve"]

_OVERFLOW = (
    "the elimination overflowed: entries of the matrix are too close to the float64 "
    "limit (about 1.8e308); scale it down first (det(c A) = c**n det(A))"
)
# Stacks of matrices with min(m, n) up to this order are factored for the whole stack at once
# (_lu_blocked); single matrices and larger ones take the recursive path, one at a time.
_UNBLOCKED_MAX = 64


def _use_unblocked(shape):
    """True if a stack of this shape is best factored by the vectorized unblocked kernel."""
    return len(shape) > 2 and min(shape[-2:]) <= _UNBLOCKED_MAX and np.prod(shape[:-2]) > 1


def _lu_unblocked(A):
    r"""Textbook LU with partial pivoting of every matrix of ``A (B, m, n)``, in place.

    For :math:`j = 0, 1, \dots, \min(m, n) - 1`:

    1. pivot: :math:`r = \arg\max_{i \ge j} |a_{ij}|`, swap rows :math:`j` and :math:`r`;
    2. multipliers: :math:`\ell_{ij} = a_{ij} / a_{jj}` for :math:`i > j` (stored in place
       of the zeros they create; a column that is zero from the diagonal down is skipped);
    3. update: :math:`a_{il} \leftarrow a_{il} - \ell_{ij} a_{jl}` for :math:`i, l > j`.

    On return ``A`` holds :math:`U` on and above the diagonal and :math:`L` (unit diagonal
    implied) below it. Returns ``piv (B, k)``, the interchanges (row ``j`` was swapped with
    row ``piv[:, j]``), and ``perm (B, m)`` with ``A_original[b][perm[b]] = L[b] @ U[b]``.
    Each step is a few NumPy operations on the whole stack: the pivot search is an ``argmax``
    per matrix and the swap a gather/scatter (:func:`m4ml._core.stack.swap_rows`).
    """
    B, m, n = A.shape
    k = min(m, n)
    piv = np.empty((B, k), dtype=np.intp)
    perm = np.tile(np.arange(m), (B, 1))
    for j in range(k):
        r = j + np.abs(A[:, j:, j]).argmax(axis=1)
        piv[:, j] = r
        if (r != j).any():
            swap_rows(A, j, r)
            swap_rows(perm[:, :, None], j, r)
        if j + 1 < m:
            pivot = A[:, j, j]
            col = A[:, j + 1 :, j]
            col /= np.where(pivot == 0.0, 1.0, pivot)[:, None]  # a zero pivot: col is zero too
            A[:, j + 1 :, j + 1 :] -= col[:, :, None] * A[:, j : j + 1, j + 1 :]
    return piv, perm


def _lu_blocked(A, nb=16):
    r"""Right-looking blocked LU of every matrix of ``A (B, m, n)``, in place, on the kernel above.

    For each panel of ``nb`` columns: factor the tall panel (rows from its diagonal down) with
    :func:`_lu_unblocked`; apply its row interchanges to the columns on either side in one
    gather; then :math:`U_{12} = L_{11}^{-1} A_{12}` and the Schur complement
    :math:`A_{22} \leftarrow A_{22} - L_{21} U_{12}` as matrix products over the whole stack.
    The same factors and pivots as :func:`_lu_unblocked`, with the bulk of the work in ``@``.
    Returns ``(piv, perm)`` as that kernel does.
    """
    B, m, n = A.shape
    k = min(m, n)
    piv = np.empty((B, k), dtype=np.intp)
    perm = np.tile(np.arange(m), (B, 1))
    for j0 in range(0, k, nb):
        j1 = min(j0 + nb, k)
        panel = np.ascontiguousarray(A[:, j0:, j0:j1])  # contiguous: faster column steps
        p, q = _lu_unblocked(panel)
        A[:, j0:, j0:j1] = panel
        piv[:, j0:j1] = p + j0
        perm[:, j0:] = np.take_along_axis(perm[:, j0:], q, axis=1)
        for side in (A[:, j0:, :j0], A[:, j0:, j1:]):
            if side.size:
                side[...] = np.take_along_axis(side, q[:, :, None], axis=1)
        if j1 < n:
            A[:, j0:j1, j1:] = _trsm(A[:, j0:j1, j0:j1], A[:, j0:j1, j1:], lower=True, unit=True)
            A[:, j1:, j1:] -= A[:, j1:, j0:j1] @ A[:, j0:j1, j1:]
    return piv, perm


def _lu_stack(A):
    """LU of a validated stack ``A (..., m, n)``, in place, vectorized over the stack."""
    flat, batch = flatten(A)  # a view of a contiguous A: factored in place
    return tuple(unflatten(x, batch) for x in _lu_blocked(flat))


def _factor(A):
    """Factor a validated stack ``A (..., m, n)``: a new LU array, ``piv (..., k)``, ``perm``."""
    LU = np.array(A, dtype=np.float64, order="C", copy=True)
    with np.errstate(over="ignore", invalid="ignore"):
        if _use_unblocked(LU.shape):
            piv, perm = _lu_stack(LU)
        else:
            perm, piv = map_stack(lambda a: _getrf(a)[:2], LU)
    if not np.isfinite(LU).all():
        raise LinAlgError(_OVERFLOW)
    return LU, piv, perm


def _piv_to_perm(piv, m):
    """The permutation ``perm (..., m)`` made by applying the interchanges ``piv`` in order."""
    if piv.ndim == 1:  # one matrix: plain Python swaps are fastest
        perm = list(range(m))
        for i, j in enumerate(piv.tolist()):
            perm[i], perm[j] = perm[j], perm[i]
        return np.array(perm, dtype=np.intp)
    flat, batch = flatten(piv, 1)
    perm = np.tile(np.arange(m), (flat.shape[0], 1))
    for i in range(flat.shape[1]):
        swap_rows(perm[:, :, None], i, flat[:, i])
    return unflatten(perm, batch)


@keeps_float32("a")
def lu(a: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
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
    a_{jl}` for :math:`i, l > j`. Stacks of matrices with :math:`\min(m, n) \le 64` are
    eliminated exactly so for the whole stack at once (panels of 16 columns column by column,
    the trailing updates as batched matrix products). Single matrices
    and larger ones are factored recursively (Toledo 1997; :mod:`m4ml.linalg.lu_recursive`):
    factor the left half of the columns, apply its row interchanges to the right half in one
    gather, form
    :math:`U_{12} = L_{11}^{-1} A_{12}` and the Schur complement :math:`A_{22} - L_{21}
    U_{12}` with matrix products, and recurse on it, so almost all the work is matrix
    multiplication. Cost :math:`mn^2 - n^3/3` flops (:math:`\tfrac23 n^3` for square).
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
    LU, _, perms = _factor(A)
    L = np.tril(LU[..., :, :k], -1)
    idx = np.arange(k)
    L[..., idx, idx] = 1.0
    U = np.triu(LU[..., :k, :])
    P = np.zeros((*A.shape[:-2], m, m))
    np.put_along_axis(P, perms[..., :, None], 1.0, axis=-1)  # P^T has a 1 at (i, perm[i])
    return np.swapaxes(P, -1, -2).copy(), L, U


@keeps_float32("a")
def lu_factor(a: ArrayLike) -> tuple[FloatArray, NDArray[np.intp]]:
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
    LU, piv, _ = _factor(A)
    return LU, piv


def lu_solve(
    lu_and_piv: tuple[ArrayLike, ArrayLike], b: ArrayLike, trans: Literal[0, 1, 2] = 0
) -> FloatArray:
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
    perms = _piv_to_perm(piv, n)
    return _solve_factored(LU, perms, b, trans=bool(trans))


def _substitute(LU, x):
    r"""Textbook forward and back substitution for one vector, in place: ``x <- U^{-1} L^{-1} x``.

    :math:`y_i = x_i - \sum_{j<i} \ell_{ij} y_j` (unit :math:`L`), then :math:`x_i = (y_i -
    \sum_{j>i} u_{ij} x_j) / u_{ii}`; one dot product per row, :math:`2n^2` flops. For one
    right-hand side this beats the blocked solve: there is no matrix product to win.
    """
    n = x.shape[0]
    for i in range(1, n):
        x[i] -= LU[i, :i] @ x[:i]
    for i in range(n - 1, -1, -1):
        x[i] = (x[i] - LU[i, i + 1 :] @ x[i + 1 :]) / LU[i, i]
    return x


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
        if vector and not trans and LU.ndim == 2:  # one matrix, one right-hand side
            X = _substitute(LU, b[perms])[:, None]
        elif not trans:
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
