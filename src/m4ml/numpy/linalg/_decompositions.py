"""Differentiable matrix decompositions: eigh, eig, svd, qr.

Each is one primitive with several results (:mod:`m4ml.autodiff.rules_eig`,
:mod:`m4ml.autodiff.rules_decomp`); values from :mod:`m4ml.linalg`, signatures and result
types from :mod:`numpy.linalg`.
"""

from typing import Literal

from m4ml._core.hints import ArrayLike
from m4ml.autodiff import rules_decomp as _rd
from m4ml.autodiff import rules_eig as _re
from m4ml.autodiff.core import shape_of as _shape
from m4ml.autodiff.tracer import Array
from m4ml.autodiff.tracer import Tracer as _Tracer
from m4ml.linalg import EighResult, EigResult, LinAlgError, QRResult, SVDResult
from m4ml.linalg import eig as _eig
from m4ml.linalg import qr as _qr
from m4ml.linalg import svd as _svd


def _matrix(a, name, square=False):
    s = _shape(a)
    if len(s) < 2 or (square and s[-1] != s[-2]):
        what = "a square matrix" if square else "a matrix"
        raise LinAlgError(f"{name} needs {what} (or a stack of them), got shape {s}")
    return s


def eigh(a: ArrayLike, UPLO: Literal["L", "U"] = "L") -> EighResult:
    """Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix (or stack).

    Parameters
    ----------
    a : array_like or traced value, shape (..., n, n)
        Only the triangle named by ``UPLO`` is read (as NumPy and LAPACK do).
    UPLO : {"L", "U"}
        Read the lower or the upper triangle.

    Returns
    -------
    EighResult
        ``eigenvalues`` (..., n) and ``eigenvectors`` (..., n, n), both differentiable.

    Raises
    ------
    LinAlgError
        ``a`` is not square.
    ValueError
        ``UPLO`` is not "L" or "U".

    Notes
    -----
    :math:`dw = \\operatorname{diag}(V^\\top dS\\, V)`, :math:`dV = V(F \\circ V^\\top dS\\, V)`
    with :math:`F_{ij} = 1/(w_j - w_i)` and :math:`S` the symmetric matrix built from the read
    triangle. The gradient is that of the function as computed: it is zero on the triangle
    not read, and an off-diagonal entry of the read triangle carries the effect of both
    :math:`S_{ij}` and :math:`S_{ji}` (for a symmetric input, ``(g + g.T) / 2`` is the
    symmetric gradient). Close eigenvalues follow the :math:`1/(w_j - w_i)` terms down to
    rounding; at exactly repeated eigenvalues a basis-dependent function gets NaN in reverse
    mode (see :mod:`m4ml.autodiff.rules_eig`).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.autodiff import grad
    >>> grad(lambda m: eigh(m)[0][-1])(np.array([[1.0, 0.0], [0.0, 3.0]]))
    array([[0., 0.],
           [0., 1.]])
    >>> eigh(np.array([[1.0, 5.0], [0.0, 1.0]]), UPLO="U").eigenvalues
    array([-4.,  6.])
    """
    _matrix(a, "eigh", square=True)
    if not isinstance(UPLO, str) or UPLO.upper() not in ("L", "U"):
        raise ValueError(f"UPLO must be 'L' or 'U', got {UPLO!r}")
    return EighResult(*_re.eigh_p(a, UPLO.upper()))


def eig(a: ArrayLike) -> EigResult:
    """Eigenvalues and unit right eigenvectors of a general square matrix (or stack).

    Parameters
    ----------
    a : array_like or traced value, shape (..., n, n)

    Returns
    -------
    EigResult
        ``eigenvalues`` (..., n) and ``eigenvectors`` (..., n, n) as :func:`m4ml.linalg.eig`
        returns them (complex when the spectrum is).

    Raises
    ------
    LinAlgError
        ``a`` is not square.
    NotImplementedError
        Differentiating at a matrix with complex eigenvalues.

    Notes
    -----
    With :math:`P = V^{-1} dA\\, V`: :math:`d\\lambda = \\operatorname{diag}(P)` and
    :math:`dV = V(F\\circ P)` corrected to keep unit columns, :math:`F_{ij} = 1/(\\lambda_j -
    \\lambda_i)`. Needs distinct real eigenvalues. The gradient of one eigenvalue is
    :math:`y x^\\top / (y^\\top x)` with :math:`x, y` its right and left eigenvectors.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.autodiff import grad
    >>> grad(lambda m: eig(m)[0][1])(np.array([[2.0, 1.0], [0.0, 3.0]]))
    array([[0., 0.],
           [1., 1.]])
    """
    _matrix(a, "eig", square=True)
    if not isinstance(a, _Tracer):
        return _eig(a)
    return EigResult(*_re.eig_p(a))


def svd(
    a: ArrayLike, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False
) -> SVDResult | Array:
    """Singular value decomposition ``(U, S, Vh)`` (as :func:`numpy.linalg.svd`), differentiable.

    Parameters
    ----------
    a : array_like or traced value, shape (..., m, n)
    full_matrices : bool
        Full square ``U`` and ``Vh`` (NumPy's default) or the reduced ones. The extra
        columns of the full factors are not unique, so a traced non-square input needs
        ``full_matrices=False`` (square inputs work either way).
    compute_uv : bool
        False returns only the singular values.
    hermitian : bool
        Accepted for NumPy compatibility; the general algorithm is used.

    Returns
    -------
    SVDResult or ndarray
        ``U`` (..., m, k), ``S`` (..., k) descending, ``Vh`` (..., k, n), with
        :math:`k = \\min(m, n)` (or :math:`m` and :math:`n` for full factors).

    Raises
    ------
    LinAlgError
        ``a`` has fewer than two dimensions.
    NotImplementedError
        Differentiating full factors of a non-square matrix.

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
    s = _matrix(a, "svd")
    if not isinstance(a, _Tracer):
        if not compute_uv:
            return _rd.svd_p(a)[1]
        return SVDResult(*_svd(a, full_matrices=full_matrices))
    if full_matrices and compute_uv and s[-1] != s[-2]:
        raise NotImplementedError(
            "the derivative of svd with full_matrices=True is not defined for a non-square "
            "matrix (the extra singular vectors are not unique); pass full_matrices=False"
        )
    u, sv, vt = _rd.svd_p(a)
    return SVDResult(u, sv, vt) if compute_uv else sv


def qr(a: ArrayLike, mode: Literal["reduced", "complete", "r"] = "reduced") -> QRResult | Array:
    """QR factorization ``(Q, R)``, differentiable for tall or square full-rank A.

    Parameters
    ----------
    a : array_like or traced value, shape (..., m, n)
    mode : {"reduced", "complete", "r"}
        "complete" is available on plain arrays only (its extra columns are not unique).

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
    NotImplementedError
        Differentiating ``mode="complete"`` of a tall matrix, or a wide matrix.

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
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    s = _matrix(a, "qr")
    if mode == "complete":
        if not isinstance(a, _Tracer):
            return _qr(a, mode="complete")
        if s[-2] > s[-1]:
            raise NotImplementedError(
                "the derivative of qr with mode='complete' is not defined for a tall matrix; "
                "use mode='reduced'"
            )
    q, r = _rd.qr_p(a)
    return r if mode == "r" else QRResult(q, r)


def eigvalsh(a: ArrayLike, UPLO: Literal["L", "U"] = "L") -> Array:
    """Eigenvalues of a symmetric matrix (reads the ``UPLO`` triangle), differentiable.

    Examples
    --------
    >>> import numpy as np
    >>> eigvalsh(np.array([[2.0, 1.0], [1.0, 2.0]]))
    array([1., 3.])
    """
    return eigh(a, UPLO).eigenvalues


def eigvals(a: ArrayLike) -> Array:
    """Eigenvalues of a general square matrix (differentiable for a real spectrum).

    Examples
    --------
    >>> import numpy as np
    >>> eigvals(np.array([[2.0, 1.0], [0.0, 3.0]]))
    array([2., 3.])
    """
    return eig(a).eigenvalues
