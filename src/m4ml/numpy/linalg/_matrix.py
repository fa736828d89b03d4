"""Differentiable determinants, inverses, solves, Cholesky and the pseudo-inverse.

Values from :mod:`m4ml.linalg`; rules in :mod:`m4ml.autodiff.rules_linalg` (Giles 2008).
"""

import numpy as _np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff import rules_linalg as _rl
from m4ml.autodiff.core import primal as _primal
from m4ml.autodiff.core import shape_of as _shape
from m4ml.autodiff.rules_shape import swapaxes as _swapaxes
from m4ml.autodiff.tracer import Array
from m4ml.linalg import LinAlgError, SlogdetResult


def _square(a, name):
    s = _shape(a)
    if len(s) < 2 or s[-1] != s[-2]:
        raise LinAlgError(f"{name} needs a square matrix (or a stack of them), got shape {s}")


def det(a: ArrayLike) -> Array:
    """Determinant of a square matrix (or stack), differentiable.

    Parameters
    ----------
    a : array_like or traced value, shape (..., n, n)

    Returns
    -------
    ndarray or traced value, shape (...)

    Raises
    ------
    LinAlgError
        ``a`` is not square.

    Notes
    -----
    Jacobi's formula :math:`d\\det A = \\det A\\,\\operatorname{tr}(A^{-1} dA)`, so
    :math:`\\nabla \\det A = \\det(A) A^{-\\top}` (Giles 2008). Needs :math:`A` invertible.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.autodiff import grad
    >>> grad(det)(np.array([[2.0, 1.0], [1.0, 3.0]]))
    array([[ 3., -1.],
           [-1.,  2.]])
    """
    _square(a, "det")
    return _rl.det_p(a)


def slogdet(a: ArrayLike) -> SlogdetResult:
    """Sign and log of the absolute determinant, ``(sign, logabsdet)``.

    Parameters
    ----------
    a : array_like or traced value, shape (..., n, n)

    Returns
    -------
    SlogdetResult
        ``sign`` (plain array, no derivative) and ``logabsdet`` (differentiable).

    Raises
    ------
    LinAlgError
        ``a`` is not square.

    Notes
    -----
    :math:`\\nabla \\log\\lvert\\det A\\rvert = A^{-\\top}`.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.autodiff import grad
    >>> grad(lambda m: slogdet(m)[1])(np.diag([2.0, 4.0]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    _square(a, "slogdet")
    sign = _np.sign(_np.asarray(_primal(det(_primal(a)))))
    return SlogdetResult(sign, _rl.logabsdet_p(a))


def inv(a: ArrayLike) -> Array:
    """Inverse of a square matrix (or stack), differentiable.

    Parameters
    ----------
    a : array_like or traced value, shape (..., n, n)

    Returns
    -------
    ndarray or traced value, shape (..., n, n)

    Raises
    ------
    LinAlgError
        ``a`` is not square, or singular.

    Notes
    -----
    :math:`d(A^{-1}) = -A^{-1}\\, dA\\, A^{-1}`;
    VJP :math:`\\bar A = -A^{-\\top} \\bar C A^{-\\top}`.

    Examples
    --------
    >>> import numpy as np
    >>> inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    _square(a, "inv")
    return _rl.inv_p(a)


def solve(a: ArrayLike, b: ArrayLike) -> Array:
    """Solution of :math:`Ax = b`, differentiable in ``a`` and ``b``.

    Parameters
    ----------
    a : array_like or traced value, shape (..., n, n)
    b : array_like or traced value, shape (n,) or (..., n, k)
        One right-hand side (1-D) or a matrix of them (NumPy 2 convention).

    Returns
    -------
    ndarray or traced value
        ``x`` shaped like ``b``.

    Raises
    ------
    LinAlgError
        ``a`` is not square, or singular.

    Notes
    -----
    :math:`\\bar b = A^{-\\top}\\bar x` and :math:`\\bar A = -\\bar b\\, x^\\top`.

    Examples
    --------
    >>> import numpy as np
    >>> solve(np.array([[2.0, 0.0], [0.0, 4.0]]), np.array([1.0, 1.0]))
    array([0.5 , 0.25])
    """
    _square(a, "solve")
    return _rl.solve_p(a, b)


def cholesky(a: ArrayLike, upper: bool = False) -> Array:
    """Cholesky factor of a symmetric positive definite matrix (or stack), differentiable.

    Parameters
    ----------
    a : array_like or traced value, shape (..., n, n)
        Symmetric positive definite.
    upper : bool
        Return :math:`L^\\top` instead of :math:`L`.

    Returns
    -------
    ndarray or traced value
        Lower triangular :math:`L` with :math:`A = LL^\\top` (or its transpose).

    Raises
    ------
    LinAlgError
        Not square, not symmetric or not positive definite.

    Notes
    -----
    :math:`dL = L\\,\\Phi(L^{-1}\\,\\mathrm{sym}(dA)\\,L^{-\\top})`,
    :math:`\\Phi` = lower triangle with the diagonal halved; the VJP returns a symmetric cotangent.

    Examples
    --------
    >>> import numpy as np
    >>> cholesky(np.array([[4.0, 2.0], [2.0, 5.0]]))
    array([[2., 0.],
           [1., 2.]])
    """
    _square(a, "cholesky")
    low = _rl.cholesky_p(a)
    return _swapaxes(low, -1, -2) if upper else low


def pinv(a: ArrayLike) -> Array:
    """Moore--Penrose pseudo-inverse, differentiable where the rank is locally constant.

    Parameters
    ----------
    a : array_like or traced value, shape (..., m, n)

    Returns
    -------
    ndarray or traced value, shape (..., n, m)

    Raises
    ------
    LinAlgError
        ``a`` has fewer than two dimensions.

    Notes
    -----
    Golub & Pereyra (1973): :math:`dA^+ = -A^+ dA\\,A^+ + A^+A^{+\\top} dA^\\top (I - AA^+)
    + (I - A^+A)\\,dA^\\top A^{+\\top}A^+`.

    Examples
    --------
    >>> import numpy as np
    >>> pinv(np.array([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]]))
    array([[1. , 0. , 0. ],
           [0. , 0.5, 0. ]])
    """
    s = _shape(a)
    if len(s) < 2:
        raise LinAlgError(f"pinv needs a matrix (or a stack), got shape {s}")
    return _rl.pinv_p(a)
