"""Matrix basics: transpose, trace and integer powers."""

import numbers

import numpy as np

from m4ml._core import as_matrix_stack, as_square_stack, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray

__all__ = ["matrix_power", "trace", "transpose"]


def transpose(a: ArrayLike) -> FloatArray:
    r"""Transpose of a matrix, or of each matrix in a stack: swap the last two axes.

    Parameters
    ----------
    a : array_like, shape (..., m, n)
        Matrix or stack of matrices.

    Returns
    -------
    at : ndarray, shape (..., n, m)
        :math:`(A^\top)_{ij} = a_{ji}`, as a view of the float64 input when no conversion
        was needed (like ``numpy.linalg.matrix_transpose``).

    Raises
    ------
    LinAlgError
        ``a`` has fewer than two dimensions (a 1-D vector has no row/column orientation).
    ValueError
        NaN or infinity in ``a``.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    No arithmetic and :math:`O(1)` cost: only the strides are swapped. The transpose
    satisfies :math:`(AB)^\top = B^\top A^\top` and :math:`\langle A x, y\rangle =
    \langle x, A^\top y\rangle`.

    References
    ----------
    .. [1] G. Strang, *Introduction to Linear Algebra*, 5th ed., 2016, sec. 2.7.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.matrices import transpose
    >>> transpose([[1, 2, 3], [4, 5, 6]])
    array([[1., 4.],
           [2., 5.],
           [3., 6.]])
    >>> transpose(np.zeros((5, 2, 3))).shape
    (5, 3, 2)
    """
    return np.swapaxes(as_matrix_stack(a, "a"), -1, -2)


@overflow_guard("trace")
def trace(a: ArrayLike, offset: int = 0) -> float | FloatArray:
    r"""Sum of the diagonal of a matrix, or of each matrix in a stack.

    Parameters
    ----------
    a : array_like, shape (..., m, n)
        Matrix or stack of matrices (need not be square).
    offset : int, default 0
        Which diagonal: 0 the main one, positive above it, negative below it.

    Returns
    -------
    tr : float or ndarray, shape (...)
        :math:`\operatorname{tr} A = \sum_i a_{i,\,i+\text{offset}}` (0.0 for an empty
        diagonal).

    Raises
    ------
    LinAlgError
        ``a`` has fewer than two dimensions.
    ValueError
        NaN or infinity in ``a``.
    TypeError
        Complex or non-numeric ``a``, or a non-integer ``offset``.

    Notes
    -----
    :math:`\min(m, n)` additions. The trace is linear, invariant under cyclic permutations
    (:math:`\operatorname{tr}(AB) = \operatorname{tr}(BA)`) and therefore under similarity,
    and for square matrices equals the sum of the eigenvalues.

    References
    ----------
    .. [1] R. A. Horn and C. R. Johnson, *Matrix Analysis*, 2nd ed., 2013, sec. 1.2.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.matrices import trace
    >>> print(float(trace([[1.0, 2.0], [3.0, 4.0]])))
    5.0
    >>> print(float(trace([[1.0, 2.0], [3.0, 4.0]], offset=1)))
    2.0
    >>> trace(np.stack([np.eye(3), 2 * np.eye(3)]))
    array([3., 6.])
    """
    if isinstance(offset, bool) or not isinstance(offset, numbers.Integral):
        raise TypeError(f"offset must be an integer, got {type(offset).__name__}")
    A = as_matrix_stack(a, "a")
    result = np.diagonal(A, offset=int(offset), axis1=-2, axis2=-1).sum(axis=-1)
    return result[()] if result.ndim == 0 else result


def matrix_power(a: ArrayLike, n: int) -> FloatArray:
    r"""Raise a square matrix (or each matrix in a stack) to the integer power ``n``.

    Parameters
    ----------
    a : array_like, shape (..., m, m)
        Square matrix or stack of them.
    n : int
        Exponent: positive, zero (the identity) or negative (powers of the inverse).

    Returns
    -------
    an : ndarray, shape (..., m, m)
        :math:`A^n`, float64.

    Raises
    ------
    LinAlgError
        ``a`` is not square, or ``n < 0`` and ``a`` is singular.
    OverflowError
        An entry of the result exceeds the float64 range.
    ValueError
        NaN or infinity in ``a``.
    TypeError
        Complex or non-numeric ``a``, or a non-integer ``n``.

    Notes
    -----
    Repeated squaring: writing :math:`n = \sum_k b_k 2^k` in binary,

    .. math:: A^n = \prod_{k:\, b_k = 1} A^{2^k}, \qquad A^{2^{k+1}} = (A^{2^k})^2,

    which takes at most :math:`2\lfloor \log_2 n \rfloor` matrix products
    (:math:`O(m^3 \log n)` flops) instead of :math:`n - 1`. For :math:`n < 0`,
    :math:`A^{n} = (A^{-1})^{|n|}` with the inverse from :func:`m4ml.linalg.solve.inv`. The
    rounding error of each product is about :math:`m u \|A^{2^k}\|`, so the relative error
    can grow with :math:`\|A\|^n / \|A^n\|` (large when :math:`A` is far from normal).

    References
    ----------
    .. [1] D. E. Knuth, *The Art of Computer Programming*, vol. 2, 3rd ed., 1997, sec. 4.6.3.
    .. [2] N. J. Higham, *Functions of Matrices*, SIAM, 2008, ch. 4.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.matrices import matrix_power
    >>> F = np.array([[1, 1], [1, 0]])
    >>> matrix_power(F, 10)  # Fibonacci numbers
    array([[89., 55.],
           [55., 34.]])
    >>> matrix_power(F, 0)
    array([[1., 0.],
           [0., 1.]])
    >>> np.round(matrix_power([[2.0, 0.0], [0.0, 4.0]], -2), 12)
    array([[0.25  , 0.    ],
           [0.    , 0.0625]])
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"exponent n must be an integer, got {type(n).__name__}")
    n = int(n)
    A = as_square_stack(a, "a")
    if n == 0:
        return np.broadcast_to(np.eye(A.shape[-1]), A.shape).copy()
    if n < 0:
        from m4ml.linalg.solve import inv

        A = inv(A)
        n = -n
    result = None
    square = A
    with np.errstate(over="ignore", invalid="ignore"):
        while True:
            if n & 1:
                result = square.copy() if result is None else result @ square
            n >>= 1
            if not n:
                break
            square = square @ square
    if not np.isfinite(result).all():
        raise OverflowError(
            "matrix_power overflowed: entries of A**n exceed the float64 range "
            "(about 1.8e308); scale A down or use a smaller exponent"
        )
    return result
