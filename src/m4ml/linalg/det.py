"""Determinants from the LU factorization: det and slogdet."""

from typing import NamedTuple

import numpy as np

from m4ml._core import LinAlgError, as_square_stack, check_finite
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.stack import map_stack
from m4ml._core.validation import keeps_float32
from m4ml.linalg.lu import _OVERFLOW, _lu_stack, _use_unblocked
from m4ml.linalg.lu_recursive import _getrf_diagonal

__all__ = ["SlogdetResult", "det", "slogdet"]


class SlogdetResult(NamedTuple):
    """Sign and natural log of the absolute value of a determinant (as ``numpy.linalg``)."""

    sign: np.ndarray
    logabsdet: np.ndarray


def _factor_diagonal(A):
    """Diagonal of :math:`U` and the swap counts for a validated square stack ``A (..., n, n)``.

    Only the diagonal is checked for overflow: every entry of :math:`U` above the diagonal in
    row :math:`j` is subtracted, times the multipliers, from the column below it, whose pivot
    is a later diagonal entry, so an overflow anywhere reaches the diagonal as inf or NaN
    (``0 * inf`` is NaN); a diagonal of finite numbers was computed without one.
    """
    W = np.array(A, dtype=np.float64, order="C", copy=True)

    def kernel(w):
        diag = np.empty(w.shape[-1])
        return diag, _getrf_diagonal(w, diag)

    with np.errstate(over="ignore", invalid="ignore"):
        if _use_unblocked(W.shape):
            piv, _ = _lu_stack(W)
            diag = np.diagonal(W, axis1=-2, axis2=-1)
            swaps = (piv != np.arange(W.shape[-1])).sum(axis=-1)
        else:
            diag, swaps = map_stack(kernel, W)
    if not np.isfinite(diag).all():
        raise LinAlgError(_OVERFLOW)
    return diag, swaps


def _lu_diagonal(a):
    """Validate and factor ``a``: the diagonal of U, permutation signs and a binary exponent.

    ``det(a) = sign * prod(diag) * 2**shift``. The shift is 0 unless the elimination
    overflowed; then ``a`` is refactored scaled by a power of two (exact), so that
    ``det(2**-e a) = 2**(-n e) det(a)``.
    """
    # NaN or inf is looked for only when the diagonal of U shows it could be there: a
    # non-finite entry reaches the diagonal as inf or NaN, unless an exact zero pivot stopped
    # its column from being eliminated. This saves a pass over ``a`` in the usual case.
    A = as_square_stack(a, "a", finite=False)
    try:
        diag, swaps = _factor_diagonal(A)
        shift = np.zeros(A.shape[:-2], dtype=np.int64)
        if (diag == 0).any():
            check_finite(A, "a")
    except LinAlgError:  # NaN or inf in ``a``, or entries near the overflow threshold
        check_finite(A, "a")
        e = np.frexp(np.abs(A).max(axis=(-2, -1)))[1]
        diag, swaps = _factor_diagonal(np.ldexp(A, -e[..., None, None]))
        shift = e.astype(np.int64) * A.shape[-1]
    perm_sign = np.where(swaps % 2 == 0, 1.0, -1.0)
    return diag, perm_sign, shift


@keeps_float32("a")
def det(a: ArrayLike) -> float | FloatArray:
    r"""Determinant of a square matrix or of each matrix in a stack.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Square matrix or stack of square matrices.

    Returns
    -------
    det : float or ndarray, shape (...)
        The determinant(s). A 2-D input gives a NumPy float scalar; ``det`` of a ``0 x 0``
        matrix is 1 (the empty product).

    Raises
    ------
    LinAlgError
        ``a`` is not square or not at least 2-D.
    ValueError
        NaN or infinity in ``a``.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    From the LU factorization :math:`\Pi A = L U` with partial pivoting,

    .. math:: \det A = \det(\Pi)^{-1} \det L \det U = (-1)^{s} \prod_{i=1}^{n} u_{ii},

    where :math:`s` is the number of row interchanges and :math:`\det L = 1`. Cost
    :math:`\tfrac23 n^3` flops (the factorization); the product adds :math:`n`. A singular
    matrix gives exactly 0.0 only when elimination meets an exact zero pivot; rounding
    usually leaves a tiny nonzero value instead, so test singularity with the condition
    number, not with ``det == 0``. The product can overflow to ``inf`` or underflow to 0 for
    large ``n`` even when the matrix is well conditioned (``det(0.1 * I_400)`` is
    :math:`10^{-400}`); use :func:`slogdet` then. If the elimination itself overflows
    (entries near :math:`1.8 \cdot 10^{308}`), the matrix is refactored after an exact
    scaling by a power of two, :math:`\det(2^{-e} A) = 2^{-ne} \det A`.

    References
    ----------
    .. [1] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, sec. 3.4.
    .. [2] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., 2002,
       sec. 14.6.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.det import det
    >>> print(round(float(det([[1.0, 2.0], [3.0, 4.0]])), 12))
    -2.0
    >>> np.round(det(np.stack([np.eye(3), 2 * np.eye(3)])), 12)
    array([1., 8.])
    >>> print(float(det([[1.0, 2.0], [2.0, 4.0]])))
    0.0
    """
    diag, perm_sign, shift = _lu_diagonal(a)
    with np.errstate(over="ignore", under="ignore"):
        value = np.ldexp(perm_sign * np.prod(diag, axis=-1), shift) + 0.0  # no -0.0
    return value[()] if value.ndim == 0 else value


@keeps_float32("a")
def slogdet(a: ArrayLike) -> SlogdetResult:
    r"""Sign and logarithm of the absolute value of the determinant.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Square matrix or stack of square matrices.

    Returns
    -------
    SlogdetResult
        Named tuple ``(sign, logabsdet)``: ``sign`` is 1.0, -1.0, or 0.0 for a singular
        matrix, and ``logabsdet`` is :math:`\log|\det A|` (``-inf`` when singular), so that
        ``det = sign * exp(logabsdet)``. Scalars for 2-D input, arrays of shape ``(...)`` for
        stacks.

    Raises
    ------
    LinAlgError
        ``a`` is not square or not at least 2-D.
    ValueError
        NaN or infinity in ``a``.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    With :math:`\Pi A = L U`,

    .. math:: \log|\det A| = \sum_{i=1}^n \log|u_{ii}|, \qquad
              \operatorname{sign} \det A = (-1)^{s} \prod_i \operatorname{sign} u_{ii},

    a sum of logarithms instead of a product, so it neither overflows nor underflows. Cost
    :math:`\tfrac23 n^3` flops. An exact zero pivot gives ``(0.0, -inf)``; for nearly
    singular matrices the value is finite but dominated by rounding in the smallest pivot.

    References
    ----------
    .. [1] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, sec. 3.4.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.det import slogdet
    >>> sign, logabsdet = slogdet([[1.0, 2.0], [3.0, 4.0]])
    >>> print(float(sign), round(float(logabsdet), 12))
    -1.0 0.69314718056
    >>> res = slogdet(0.1 * np.eye(400))
    >>> print(float(res.sign), round(float(res.logabsdet), 6))
    1.0 -921.034037
    """
    diag, perm_sign, shift = _lu_diagonal(a)
    with np.errstate(divide="ignore"):
        logabs = np.sum(np.log(np.abs(diag)), axis=-1) + shift * np.log(2.0)
    sign = perm_sign * np.prod(np.sign(diag), axis=-1)
    logabs = np.where(sign == 0, -np.inf, logabs)
    sign = sign + 0.0  # no -0.0 for a singular matrix
    if sign.ndim == 0:
        return SlogdetResult(sign[()], logabs[()])
    return SlogdetResult(sign, logabs)
