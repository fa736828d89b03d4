"""Linear systems and inverses from the LU factorization: solve and inv."""

import numpy as np

from m4ml._core import as_float_array, as_square_stack
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.validation import keeps_float32
from m4ml.linalg.condition import _check_and_warn
from m4ml.linalg.lu import _factor, _solve_factored

__all__ = ["inv", "solve"]


@keeps_float32("a", "b")
def solve(a: ArrayLike, b: ArrayLike) -> FloatArray:
    r"""Solve the linear system :math:`A x = b` for square, nonsingular ``A``.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Coefficient matrix or stack of them.
    b : array_like, shape (n,) or (..., n, k)
        Right-hand side. As in NumPy 2.x, ``b`` is treated as a vector only when
        ``b.ndim == 1``; otherwise its last two axes are ``k`` right-hand-side columns and its
        leading axes broadcast against those of ``a``.

    Returns
    -------
    x : ndarray, shape (..., n) or (..., n, k)
        The solution.

    Raises
    ------
    LinAlgError
        ``a`` is not square, or is singular (an exact zero pivot in its LU factorization, or
        a solution that overflows), or the elimination overflowed.
    ValueError
        NaN/inf input, or ``b`` whose rows do not match ``a``.
    TypeError
        Complex or non-numeric input.

    Warns
    -----
    LinAlgWarning
        The matrix is singular to working precision: the reciprocal condition number
        estimated from the LU factors (:func:`m4ml.linalg.cond_estimate`) is below eps, as
        SciPy warns. The estimate runs only when the pivots of :math:`U` spread over more
        than :math:`1/\sqrt{\varepsilon}`, so well-conditioned systems pay nothing for it.

    Notes
    -----
    Gaussian elimination with partial pivoting, :math:`\Pi A = L U` (see
    :func:`m4ml.linalg.lu.lu`), then forward and back substitution,

    .. math:: L y = \Pi b, \qquad U x = y,

    for :math:`\tfrac23 n^3 + 2 n^2 k` flops. The computed :math:`\hat x` is the exact
    solution of :math:`(A + \Delta A)\hat x = b` with :math:`\|\Delta A\| \lesssim n\rho u
    \|A\|` (:math:`\rho` the growth factor, small in practice), so the relative error of
    :math:`\hat x` is about :math:`\kappa(A) u`. Nearly singular matrices do not raise, as in
    NumPy: the result is then dominated by rounding, and a :class:`LinAlgWarning` says so when
    :math:`\kappa_1(A) > 1/\varepsilon`; check :func:`m4ml.linalg.cond_estimate` (or the
    residual) when accuracy matters, and prefer least squares for rank-deficient systems.
    Never form :math:`A^{-1} b` with :func:`inv`; it is slower and less accurate.

    References
    ----------
    .. [1] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, sec. 3.4.
    .. [2] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., 2002,
       ch. 9.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.solve import solve
    >>> A = np.array([[3.0, 1.0], [1.0, 2.0]])
    >>> np.round(solve(A, [9.0, 8.0]), 12)
    array([2., 3.])
    >>> solve(np.stack([A, 2 * A]), np.ones((2, 2, 3))).shape
    (2, 2, 3)
    """
    A = as_square_stack(a, "a")
    b = as_float_array(b, "b", min_ndim=1)
    LU, _, perms = _factor(A)
    x = _solve_factored(LU, perms, b)
    _check_and_warn(A, LU, perms)
    return x


@keeps_float32("a")
def inv(a: ArrayLike) -> FloatArray:
    r"""Inverse of a square nonsingular matrix (or of each matrix in a stack).

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Square matrix or stack of them.

    Returns
    -------
    ainv : ndarray, shape (..., n, n)
        :math:`A^{-1}`, with ``a @ ainv`` close to the identity.

    Raises
    ------
    LinAlgError
        ``a`` is not square, or is singular (exact zero pivot, or an inverse that overflows),
        or the elimination overflowed.
    ValueError
        NaN or infinity in ``a``.
    TypeError
        Complex or non-numeric input.

    Warns
    -----
    LinAlgWarning
        The matrix is singular to working precision (estimated reciprocal condition number
        below eps), as in :func:`solve`.

    Notes
    -----
    Solves :math:`A X = I` column by column from one LU factorization,
    :math:`X = U^{-1} L^{-1} \Pi`, for :math:`\tfrac23 n^3 + 2n^3` flops (the triangular
    solves run as matrix products). Each column has relative error about
    :math:`\kappa(A) u`. Nearly singular matrices do not raise (as in NumPy); the inverse is
    then huge and inaccurate, so check the condition number. To solve a system use
    :func:`solve` instead of multiplying by the inverse.

    References
    ----------
    .. [1] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., 2002,
       ch. 14.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.solve import inv
    >>> np.round(inv([[4.0, 7.0], [2.0, 6.0]]), 12)
    array([[ 0.6, -0.7],
           [-0.2,  0.4]])
    >>> A = np.array([[2.0, 1.0], [1.0, 3.0]])
    >>> np.allclose(A @ inv(A), np.eye(2))
    True
    """
    A = as_square_stack(a, "a")
    LU, _, perms = _factor(A)
    x = _solve_factored(LU, perms, np.eye(A.shape[-1]))
    _check_and_warn(A, LU, perms)
    return x
