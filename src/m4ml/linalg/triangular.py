"""Triangular solves: forward and back substitution, blocked so the work runs in matmuls."""

import numpy as np

from m4ml._core import LinAlgError, as_float_array, as_square_stack
from m4ml._core.hints import ArrayLike, FloatArray

__all__ = ["solve_triangular"]

# Below this order the solve is done row by row; above it, the matrix is split in two and the
# off-diagonal block is applied with one matrix product.
_LEAF = 16


def _solve_unit_lower_inplace(L, X):
    r"""Overwrite ``X`` with :math:`L^{-1} X` for unit lower-triangular ``L`` (stacks allowed).

    Only the strictly lower triangle of ``L`` is read. Recursive splitting

    .. math::
        \begin{pmatrix} L_{11} & 0 \\ L_{21} & L_{22} \end{pmatrix}
        \begin{pmatrix} X_1 \\ X_2 \end{pmatrix} = \begin{pmatrix} B_1 \\ B_2 \end{pmatrix}
        \;\Rightarrow\; X_1 = L_{11}^{-1} B_1,\; X_2 = L_{22}^{-1}(B_2 - L_{21} X_1)

    puts all but :math:`O(n \cdot \text{leaf} \cdot k)` of the flops in the product
    :math:`L_{21} X_1`.
    """
    n = L.shape[-1]
    if n <= _LEAF:
        for i in range(1, n):
            X[..., i : i + 1, :] -= L[..., i : i + 1, :i] @ X[..., :i, :]
        return X
    h = n // 2
    _solve_unit_lower_inplace(L[..., :h, :h], X[..., :h, :])
    X[..., h:, :] -= L[..., h:, :h] @ X[..., :h, :]
    _solve_unit_lower_inplace(L[..., h:, h:], X[..., h:, :])
    return X


def _trsm(T, B, *, lower, unit):
    """Return ``T^{-1} B`` for validated ``T (..., n, n)`` and ``B (..., n, k)``; no checks.

    An upper-triangular system is turned into a lower one by reversing the order of the
    unknowns and of the equations; a non-unit diagonal is divided out of the rows first
    (:math:`T = D T'` with :math:`T'` unit triangular, so :math:`T' X = D^{-1} B`).
    """
    if not lower:
        T = T[..., ::-1, ::-1]
        B = B[..., ::-1, :]
    full = np.broadcast_shapes(T.shape[:-2], B.shape[:-2]) + B.shape[-2:]
    if unit:
        L = np.ascontiguousarray(T)
    else:
        d = np.diagonal(T, axis1=-2, axis2=-1)[..., :, None]
        L = T / d
        B = B / d
    X = np.array(np.broadcast_to(B, full), order="C")
    _solve_unit_lower_inplace(L, X)
    return X if lower else X[..., ::-1, :]


def solve_triangular(
    T: ArrayLike, b: ArrayLike, lower: bool = True, trans: bool = False, unit_diagonal: bool = False
) -> FloatArray:
    r"""Solve :math:`T x = b` (or :math:`T^\top x = b`) for triangular ``T``.

    Parameters
    ----------
    T : array_like, shape (..., n, n)
        Triangular matrix or stack of them. Only the triangle named by ``lower`` is read (and
        not its diagonal when ``unit_diagonal``); the other triangle may hold anything finite,
        e.g. the other factor of a compact LU.
    b : array_like, shape (n,) or (..., n, k)
        Right-hand side. As in NumPy 2.x, ``b`` is a vector only when ``b.ndim == 1``;
        otherwise its last two axes are a matrix of ``k`` right-hand sides and its leading
        axes broadcast against those of ``T``.
    lower : bool, default True
        ``T`` is lower triangular (forward substitution); ``False`` for upper (back
        substitution).
    trans : bool, default False
        Solve :math:`T^\top x = b` instead.
    unit_diagonal : bool, default False
        Assume ones on the diagonal without reading it.

    Returns
    -------
    x : ndarray, shape (n,) or (..., n, k)
        The solution, float64.

    Raises
    ------
    LinAlgError
        ``T`` is not square, has a zero on its diagonal (the message names the index), or the
        solution overflows (``T`` singular to working precision).
    ValueError
        NaN/inf input, or ``b`` whose length does not match ``T``.
    TypeError
        Complex or non-numeric input, or non-bool flags.

    Notes
    -----
    Forward substitution computes, for :math:`i = 1, \dots, n`,

    .. math:: x_i = \Bigl(b_i - \sum_{j<i} t_{ij} x_j\Bigr) / t_{ii}.

    It is done recursively: with :math:`T` split into halves, :math:`x_1 = T_{11}^{-1} b_1`,
    then :math:`x_2 = T_{22}^{-1}(b_2 - T_{21} x_1)`, so that for ``k`` right-hand sides all
    but a thin layer of the :math:`n^2 k` flops are matrix products (BLAS level 3). Upper
    triangular systems are solved as lower ones in reversed order. Substitution is backward
    stable: the computed :math:`\hat x` solves :math:`(T + \Delta T)\hat x = b` with
    :math:`|\Delta T| \le n u |T|` componentwise (Higham 2002, Thm. 8.5), so the forward error
    is governed by the condition number of ``T``, which can be huge even when the diagonal is
    not small.

    References
    ----------
    .. [1] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., SIAM, 2002,
       ch. 8.
    .. [2] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, sec. 3.1.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.triangular import solve_triangular
    >>> T = np.array([[2.0, 0.0], [1.0, 4.0]])
    >>> x = solve_triangular(T, [2.0, 9.0])
    >>> np.round(x, 12)
    array([1., 2.])
    >>> np.round(solve_triangular(T, [2.0, 9.0], trans=True), 12)
    array([-0.125,  2.25 ])
    >>> np.allclose(T @ solve_triangular(T, np.eye(2)), np.eye(2))
    True
    """
    for flag, name in ((lower, "lower"), (trans, "trans"), (unit_diagonal, "unit_diagonal")):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {flag!r}")
    T = as_square_stack(T, "T")
    b = as_float_array(b, "b", min_ndim=1)
    n = T.shape[-1]
    vector = b.ndim == 1
    B = b[:, None] if vector else b
    if B.shape[-2] != n:
        what = "length" if vector else "number of rows (axis -2)"
        raise ValueError(f"b has {what} {B.shape[-2]} but T is {n} x {n}; they must match")
    if vector and T.ndim > 2:
        B = np.broadcast_to(B, T.shape[:-2] + B.shape)
    elif not vector:
        try:
            np.broadcast_shapes(T.shape[:-2], B.shape[:-2])
        except ValueError:
            raise ValueError(
                f"stack shapes of T {T.shape[:-2]} and b {B.shape[:-2]} do not broadcast"
            ) from None
    if not unit_diagonal and n:
        zero = np.flatnonzero(
            (np.diagonal(T, axis1=-2, axis2=-1) == 0).any(axis=tuple(range(T.ndim - 2)))
        )
        if zero.size:
            raise LinAlgError(
                f"T is singular: diagonal entry {int(zero[0])} is zero; a triangular system "
                "with a zero pivot has no unique solution (use lstsq for a least-squares one)"
            )
    if trans:
        T = np.swapaxes(T, -1, -2)
    low = lower != trans
    with np.errstate(over="ignore", invalid="ignore"):
        X = _trsm(T, B, lower=low, unit=unit_diagonal)
    if not np.isfinite(X).all():
        raise LinAlgError(
            "the solution overflowed: T is singular to working precision "
            "(tiny diagonal entries relative to the rest); check its condition number"
        )
    return X[..., 0] if vector else X
