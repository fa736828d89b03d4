"""What the singular values tell: pseudo-inverse, numerical rank and condition number."""

import numbers
from typing import Literal

import numpy as np

from m4ml._core import LinAlgError, as_float_array, as_matrix_stack
from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml._core.stack import map_stack
from m4ml._core.validation import keeps_float32
from m4ml.linalg.svd import svd, svdvals

__all__ = ["cond", "matrix_rank", "pinv"]

_EPS = np.finfo(float).eps


def _relative_tolerance(rtol, m, n, name="rtol"):
    """``rtol`` as a float array (default ``max(m, n) * eps``), checked finite and >= 0."""
    if rtol is None:
        return np.asarray(max(m, n) * _EPS)
    r = as_float_array(rtol, name)
    if np.any(r < 0):
        raise ValueError(f"{name} must be non-negative, got {rtol}")
    return r


_NOVALUE = object()  # marks an argument that was not passed (numpy's ``_NoValue``)


def _pinv_cutoff(rcond, rtol, m, n):
    """NumPy's rule for the relative cutoff of :func:`pinv` from ``rcond`` and ``rtol``."""
    if rcond is None:
        if rtol is _NOVALUE:
            return np.asarray(1e-15)
        if rtol is None:
            return np.asarray(max(m, n) * _EPS)
        return _relative_tolerance(rtol, m, n)
    if rtol is not _NOVALUE:
        raise ValueError("rtol and rcond can't both be set; pass only rtol (rcond is the old name)")
    r = as_float_array(rcond, "rcond")
    return np.maximum(r, 0.0)  # a negative rcond keeps every nonzero singular value


@keeps_float32("A")
def pinv(
    A: ArrayLike,
    rcond: ArrayLike | None = None,
    hermitian: bool = False,
    *,
    rtol: ArrayLike | None = _NOVALUE,
) -> FloatArray:
    """Moore–Penrose pseudo-inverse from the SVD.

    Parameters
    ----------
    A : array_like, shape (..., m, n)
        Real matrix or stack of matrices.
    rcond : float or array_like, optional
        Relative cutoff, numpy's older name for ``rtol``: singular values
        ``<= rcond * s_max`` are treated as zero. A negative value keeps every nonzero
        singular value (numpy would divide by an exact zero). Not together with ``rtol``.
    hermitian : bool, default False
        If True, ``A`` is symmetric (its lower triangle is read) and the SVD comes from the
        symmetric eigensolver (``svd(A, hermitian=True)``).
    rtol : float or array_like, optional, keyword-only
        Relative cutoff as ``rcond``; ``rtol=None`` means ``max(m, n) * eps``. When neither
        ``rcond`` nor ``rtol`` is given the cutoff is ``1e-15``, exactly as in
        ``numpy.linalg.pinv``. An array broadcasts over the stack.

    Returns
    -------
    ndarray, shape (..., n, m)
        :math:`A^+` (float32 for float32 input, as in NumPy).

    Raises
    ------
    LinAlgError
        If ``A`` has fewer than two dimensions, or :math:`A^+` overflows float64 (a kept
        singular value below about ``5.6e-309``, whose reciprocal is not a float).
    ValueError
        If ``A``, ``rcond`` or ``rtol`` contains NaN or infinity, ``rtol`` is negative, both
        ``rcond`` and ``rtol`` are given, or ``hermitian`` is true for a non-square ``A``.
    TypeError
        If ``A`` is complex or not numeric.

    Notes
    -----
    With :math:`A = U \\Sigma V^T`,

    .. math::

        A^+ = V \\Sigma^+ U^T, \\qquad
        \\Sigma^+_{ii} = \\begin{cases} 1/\\sigma_i & \\sigma_i > \\text{rtol}\\cdot\\sigma_1 \\\\
        0 & \\text{otherwise,} \\end{cases}

    the unique matrix with :math:`AA^+A = A`, :math:`A^+AA^+ = A^+` and :math:`AA^+`,
    :math:`A^+A` symmetric (Penrose 1955); :math:`x = A^+ b` is the minimum-norm least-squares
    solution. The cutoff discards directions that rounding alone could have produced, which
    would otherwise be amplified by :math:`1/\\sigma_i`. Cost: one SVD
    (:math:`O(mn\\min(m, n))`) plus a product of :math:`2mnk` flops.

    References
    ----------
    R. Penrose, "A generalized inverse for matrices", Proc. Cambridge Philos. Soc. 51 (1955).
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 5.5.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.pinv import pinv
    >>> A = np.array([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]])  # rank 1
    >>> np.round(pinv(A), 10)
    array([[0.04, 0.08, 0.  ],
           [0.08, 0.16, 0.  ]])
    >>> np.allclose(A @ pinv(A) @ A, A)
    True
    >>> np.round(pinv(np.diag([1.0, 1e-9]), rcond=1e-6), 6)  # 1e-9 is cut off
    array([[1., 0.],
           [0., 0.]])
    """
    a = as_matrix_stack(A, "A")
    m, n = a.shape[-2:]
    r = _pinv_cutoff(rcond, rtol, m, n)
    if a.size == 0:
        return np.zeros((*a.shape[:-2], n, m))
    U, S, Vh = svd(a, full_matrices=False, hermitian=bool(hermitian))
    cutoff = np.asarray(r)[..., None] * S[..., :1]
    keep = S > cutoff
    with np.errstate(over="ignore", invalid="ignore"):
        inv_s = np.divide(1.0, S, out=np.zeros_like(S), where=keep)
        X = np.swapaxes(Vh, -1, -2) @ (inv_s[..., :, None] * np.swapaxes(U, -1, -2))
    if not np.isfinite(X).all():
        smallest = float(np.min(S, where=keep, initial=np.inf))
        raise LinAlgError(
            f"the pseudo-inverse of A overflows float64: a kept singular value {smallest:.3g} "
            "has a reciprocal (or product) beyond 1.8e308; scale A up (pinv(c*A) = pinv(A)/c) "
            "or raise rtol to cut such singular values off"
        )
    return X


def matrix_rank(
    A: ArrayLike,
    tol: ArrayLike | None = None,
    hermitian: bool = False,
    *,
    rtol: ArrayLike | None = None,
) -> int | NDArray[np.intp]:
    """Numerical rank: the number of singular values above a threshold.

    Parameters
    ----------
    A : array_like, shape (..., m, n)
        Real matrix or stack of matrices (a 0-D or 1-D input has rank 1 unless all zero, as in
        numpy).
    tol : float or array_like, optional
        Absolute threshold; singular values ``<= tol`` count as zero.
    hermitian : bool, default False
        If True, ``A`` is symmetric (lower triangle read) and its singular values are the
        absolute eigenvalues from the symmetric eigensolver, as in ``numpy.linalg``.
    rtol : float or array_like, optional, keyword-only
        Relative threshold ``rtol * s_max`` (default ``max(m, n) * eps``). Not together with
        ``tol``.

    Returns
    -------
    int or ndarray of int
        Rank of each matrix.

    Raises
    ------
    ValueError
        If both ``tol`` and ``rtol`` are given, either is negative or not finite, or ``A``
        contains NaN or infinity.
    TypeError
        If ``A`` is complex or not numeric.

    Notes
    -----
    :math:`\\operatorname{rank}(A) = \\#\\{i : \\sigma_i > \\tau\\}` with
    :math:`\\tau = \\max(m, n)\\,\\varepsilon\\,\\sigma_1` by default: singular values are
    computed with absolute error of order :math:`\\varepsilon\\sigma_1`, so smaller ones are
    indistinguishable from zero. Counting pivots of an elimination instead is unreliable
    (it can miss near rank deficiency). Cost: one :func:`svdvals`.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 5.4.1.
    W. H. Press et al., *Numerical Recipes*, 3rd ed., 2.6 (the default tolerance).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.pinv import matrix_rank
    >>> matrix_rank(np.eye(4))
    4
    >>> matrix_rank([[1.0, 2.0], [2.0, 4.0]])
    1
    >>> matrix_rank(np.eye(3), tol=1.5)
    0
    >>> matrix_rank(np.diag([1.0, -1.0, 0.0]), hermitian=True)
    2
    """
    if tol is not None and rtol is not None:
        raise ValueError("tol and rtol can't both be set; give an absolute or a relative one")
    arr = as_float_array(A, "A")
    if arr.ndim < 2:
        return int(not np.all(arr == 0))
    m, n = arr.shape[-2:]
    S = svd(arr, compute_uv=False, hermitian=bool(hermitian))
    if tol is not None:
        t = _relative_tolerance(tol, m, n, "tol")[..., None]
    else:
        smax = S[..., :1] if S.shape[-1] else np.zeros((*S.shape[:-1], 1))
        t = _relative_tolerance(rtol, m, n)[..., None] * smax
    rank = np.count_nonzero(S > t, axis=-1)
    return int(rank) if rank.ndim == 0 else rank


_NORM_ORDERS = (None, 2, -2, 1, -1, np.inf, -np.inf, "fro", "nuc")


@keeps_float32("x")
def cond(x: ArrayLike, p: float | Literal["fro", "nuc"] | None = None) -> float | FloatArray:
    """Condition number of a matrix (or stack) in the norm ``p``.

    Parameters
    ----------
    x : array_like, shape (..., m, n)
        Real matrix or stack; square unless ``p`` is None, 2 or -2.
    p : {None, 2, -2, 1, -1, inf, -inf, 'fro', 'nuc'}, optional
        Norm order, as in numpy.linalg.cond. None and 2: :math:`\\sigma_1/\\sigma_k`;
        -2: :math:`\\sigma_k/\\sigma_1`; otherwise :math:`\\lVert A \\rVert_p
        \\lVert A^{-1} \\rVert_p`.

    Returns
    -------
    float or ndarray
        The condition number; ``inf`` for a singular matrix (``0`` for ``p = -2``, except
        ``inf`` for the zero matrix, as in numpy); float32 for float32 input.

    Raises
    ------
    LinAlgError
        If ``x`` is empty, or not square for a ``p`` that needs the inverse.
    ValueError
        If ``p`` is not one of the orders above, or ``x`` contains NaN or infinity.
    TypeError
        If ``x`` is complex or not numeric.

    Notes
    -----
    :math:`\\kappa_p(A) = \\lVert A \\rVert_p \\lVert A^{-1} \\rVert_p`; for the 2-norm
    :math:`\\kappa_2 = \\sigma_{\\max}/\\sigma_{\\min}` from the singular values (also defined
    for rectangular matrices). It bounds how much a relative perturbation of the data can be
    amplified in the solution of :math:`Ax = b`: roughly :math:`\\log_{10}\\kappa` digits are
    lost (Golub & Van Loan 2.6.2). The other orders use an explicit LU inverse
    (:math:`\\tfrac83 n^3` flops) and the matrix norm of :mod:`m4ml.linalg.vectors`; a matrix
    whose inverse does not exist gets ``inf``, like numpy.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2.6.2.
    N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., ch. 7.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.pinv import cond
    >>> float(np.round(cond(np.diag([10.0, 2.0, 0.5])), 10))
    20.0
    >>> float(cond(np.array([[1.0, 0.0], [0.0, 0.0]])))
    inf
    """
    valid = (
        p is None
        or (isinstance(p, str) and p in ("fro", "nuc"))
        or (isinstance(p, numbers.Real) and not isinstance(p, bool) and p in _NORM_ORDERS[1:7])
    )
    if not valid:
        raise ValueError(f"invalid norm order {p!r} for cond; use one of {_NORM_ORDERS}")
    a = as_matrix_stack(x, "x")
    if a.shape[-1] == 0 or a.shape[-2] == 0:
        raise LinAlgError("cond is not defined on empty matrices")
    if p is None or p == 2 or p == -2:
        S = svdvals(a)
        big, small = S[..., 0], S[..., -1]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = small / big if p == -2 else big / small
        r = np.where(np.isnan(r), np.inf, r)  # the zero matrix (0 / 0), as numpy
    else:
        r = _cond_via_inverse(a, p)
    return np.asarray(r, dtype=np.float64)[()]


def _cond_via_inverse(a, p):
    if a.shape[-1] != a.shape[-2]:
        raise LinAlgError(
            f"cond with p={p!r} needs square matrices (it uses the inverse), got shape "
            f"{a.shape}; use p=None or 2 for rectangular ones"
        )
    from m4ml.linalg.norms import norm
    from m4ml.linalg.solve import inv

    def one(mat):
        try:
            ainv = inv(mat)
        except LinAlgError:
            return np.inf
        with np.errstate(over="ignore", invalid="ignore"):
            r = float(norm(mat, p) * norm(ainv, p))
        return r if np.isfinite(r) else np.inf

    return np.asarray(map_stack(one, a), dtype=np.float64)
