"""m4ml.numpy.linalg: differentiable linear algebra (``mnp.linalg.det``, ...).

Values are computed by :mod:`m4ml.linalg`; derivative rules (forward and reverse, any order)
are in :mod:`m4ml.autodiff.rules_linalg` and :mod:`m4ml.autodiff.rules_decomp` (Giles 2008;
Townsend 2016). Names, arguments and results follow :mod:`numpy.linalg`.

Functions: det, slogdet, inv, solve, cholesky, eigh, svd, qr, pinv, norm.
"""

import numpy as _np

from m4ml.autodiff import rules_decomp as _rd
from m4ml.autodiff import rules_linalg as _rl
from m4ml.autodiff import rules_norm as _rn
from m4ml.autodiff.core import primal as _primal
from m4ml.autodiff.core import shape_of as _shape
from m4ml.autodiff.rules_arrange import normalize_axis as _axis
from m4ml.autodiff.rules_shape import pack_sequence as _pack
from m4ml.linalg import EighResult, LinAlgError, QRResult, SlogdetResult, SVDResult

__all__ = [
    "LinAlgError",
    "cholesky",
    "det",
    "eigh",
    "inv",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
]


def _square(a, name):
    s = _shape(a)
    if len(s) < 2 or s[-1] != s[-2]:
        raise LinAlgError(f"{name} needs a square matrix (or a stack of them), got shape {s}")


def det(a):
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


def slogdet(a):
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


def inv(a):
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


def solve(a, b):
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


def cholesky(a, upper=False):
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
    return _rl._T(low) if upper else low


def eigh(a, UPLO="L"):
    """Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix (or stack).

    Parameters
    ----------
    a : array_like or traced value, shape (..., n, n)
        Symmetric.
    UPLO : {"L", "U"}
        Accepted for NumPy compatibility.

    Returns
    -------
    EighResult
        ``eigenvalues`` (..., n) and ``eigenvectors`` (..., n, n), both differentiable.

    Raises
    ------
    LinAlgError
        ``a`` is not square.

    Notes
    -----
    :math:`dw = \\operatorname{diag}(V^\\top dA\\, V)`, :math:`dV = V(F \\circ V^\\top dA\\, V)`
    with :math:`F_{ij} = 1/(w_j - w_i)`; :math:`F_{ij}` is set to 0 between (near-)equal eigenvalues
    (exact for functions invariant to the basis of an eigenspace).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.autodiff import grad
    >>> grad(lambda m: eigh(m)[0][-1])(np.diag([1.0, 3.0]))
    array([[0., 0.],
           [0., 1.]])
    """
    _square(a, "eigh")
    p = _rl.eigh_p(a)
    return EighResult(*_rl._unpack(p))


def svd(a, full_matrices=False, compute_uv=True):
    """Reduced singular value decomposition ``(U, S, Vh)``, differentiable.

    Parameters
    ----------
    a : array_like or traced value, shape (..., m, n)
    full_matrices : bool
        Must be False (the extra columns of a full U/V are not unique, so not differentiable).
    compute_uv : bool
        False returns only the singular values.

    Returns
    -------
    SVDResult or ndarray
        ``U`` (..., m, k), ``S`` (..., k) descending, ``Vh`` (..., k, n), :math:`k = \\min(m, n)`.

    Raises
    ------
    ValueError
        ``full_matrices=True``.
    LinAlgError
        ``a`` has fewer than two dimensions.

    Notes
    -----
    :math:`ds = \\operatorname{diag}(U^\\top dA\\, V)`; the factor derivatives use
    :math:`1/(s_j^2 - s_i^2)` (Townsend 2016) and need distinct nonzero singular values.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.autodiff import grad
    >>> a = np.array([[3.0, 0.0], [0.0, 1.0]])
    >>> grad(lambda m: svd(m, compute_uv=False)[0])(a)
    array([[1., 0.],
           [0., 0.]])
    """
    if full_matrices:
        raise ValueError("m4ml.numpy.linalg.svd supports full_matrices=False only")
    s = _shape(a)
    if len(s) < 2:
        raise LinAlgError(f"svd needs a matrix (or a stack), got shape {s}")
    u, sv, vt = _rd.unpack_svd(_rd.svd_p(a), s[-2], s[-1])
    return SVDResult(u, sv, vt) if compute_uv else sv


def qr(a, mode="reduced"):
    """Reduced QR factorization ``(Q, R)``, differentiable for tall or square full-rank A.

    Parameters
    ----------
    a : array_like or traced value, shape (..., m, n)
    mode : {"reduced", "r"}

    Returns
    -------
    QRResult or ndarray
        ``Q`` (..., m, k) with orthonormal columns and upper triangular ``R`` (..., k, n).

    Raises
    ------
    ValueError
        Another ``mode``.
    LinAlgError
        ``a`` has fewer than two dimensions.

    Notes
    -----
    With :math:`X = Q^\\top dA\\,R^{-1}` and :math:`\\Omega` its skew part built from the strict
    lower triangle: :math:`dQ = Q(\\Omega - X) + dA\\,R^{-1}`, :math:`dR = (X - \\Omega)R`.

    Examples
    --------
    >>> import numpy as np
    >>> q, r = qr(np.array([[3.0, 1.0], [4.0, 2.0]]))
    >>> np.allclose(q @ r, [[3.0, 1.0], [4.0, 2.0]])
    True
    """
    if mode not in ("reduced", "r"):
        raise ValueError("m4ml.numpy.linalg.qr supports mode='reduced' or 'r'")
    s = _shape(a)
    if len(s) < 2:
        raise LinAlgError(f"qr needs a matrix (or a stack), got shape {s}")
    q, r = _rd.unpack_qr(_rd.qr_p(a), s[-2], s[-1])
    return r if mode == "r" else QRResult(q, r)


def pinv(a):
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


def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm (as :func:`numpy.linalg.norm`), one differentiable primitive.

    Parameters
    ----------
    x : array_like, traced value, or a list of traced values
    ord : None, number, "fro" or "nuc"
        Vector orders: None/2, 1, inf, -inf, 0, any other p; matrix orders: None/"fro", "nuc",
        1, -1, 2, -2, inf, -inf.
    axis : None, int or pair of int
        Vector norm along one axis or matrix norm over two (the whole array by default).
    keepdims : bool

    Returns
    -------
    ndarray or traced value

    Raises
    ------
    ValueError
        An unsupported order, repeated axes, or ``ord`` given for an input of more than two
        dimensions without ``axis``.
    AxisError
        An axis out of range.

    Notes
    -----
    The value is :func:`m4ml.linalg.norm` (scaled, so entries of :math:`10^{\\pm 200}` neither
    overflow nor underflow); the derivative is :math:`\\langle D(x), dx\rangle`, e.g.
    :math:`\nabla\\lVert x\rVert_2 = x/\\lVert x\rVert_2` (see
    :mod:`m4ml.autodiff.rules_norm`). At a non-differentiable point both modes return the
    minimum-norm subgradient: 0 for a norm at :math:`x = 0`, as PyTorch does.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.autodiff import grad
    >>> grad(norm)(np.array([3.0, 4.0]))
    array([0.6, 0.8])
    >>> grad(norm)(np.array([3e200, 4e200]))
    array([0.6, 0.8])
    >>> grad(norm)(np.zeros(2))
    array([0., 0.])
    """
    x = _pack(x)
    nd = len(_shape(x))
    if axis is None:
        if ord is None:
            return _rn.norm_p(x, ord=None, axes=tuple(range(nd)), kind="flat", keepdims=keepdims)
        if nd not in (1, 2):
            raise ValueError("norm with an ord needs a 1-D or 2-D input or an explicit axis")
        axis = tuple(range(nd))
    axes = (axis,) if isinstance(axis, int | _np.integer) else tuple(axis)
    axes = tuple(_axis(a, nd) for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"norm: duplicate axes in {axis}")
    if len(axes) not in (1, 2):
        raise ValueError(f"norm: axis must name 1 or 2 axes, got {axis}")
    kind = "vector" if len(axes) == 1 else "matrix"
    return _rn.norm_p(x, ord=ord, axes=axes, kind=kind, keepdims=keepdims)
