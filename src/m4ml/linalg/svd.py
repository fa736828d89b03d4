"""The singular value decomposition: :func:`svd` and :func:`svdvals`.

Three stages, each in its own module: Golub–Kahan bidiagonalization by blocked Householder
reflections (:mod:`m4ml.linalg.bidiagonal`), the SVD of the bidiagonal matrix by divide and
conquer (:mod:`m4ml.linalg.bdsvd`, :mod:`m4ml.linalg.svd_secular`,
:mod:`m4ml.linalg.svd_jacobi`), and the back-transformation of the singular vectors with
compact-WY blocks of reflectors.
"""

from typing import NamedTuple

import numpy as np

from m4ml._core import as_matrix_stack
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.stack import map_stack
from m4ml._core.validation import keeps_float32
from m4ml.linalg.bdsvd import bdsvd
from m4ml.linalg.bidiagonal import _bidiagonalize, apply_p, apply_q
from m4ml.linalg.svd_jacobi import jacobi_svd_stack

_QR_FIRST = 1.6  # m / n above which a QR factorization first pays off (as in LAPACK)
_STACK_MIN, _STACK_MAX_K = 2, 32  # stacks of small matrices (min(m, n) <= 32): batched Jacobi

__all__ = ["SVDResult", "svd", "svdvals"]


class SVDResult(NamedTuple):
    """Result of :func:`svd`: ``A = U @ (S[..., None] * Vh)`` (numpy's field names)."""

    U: np.ndarray
    S: np.ndarray
    Vh: np.ndarray


def _svd_tall(A, full_matrices, compute_uv):
    """SVD of one ``m x n`` matrix with ``m >= n`` (``A`` is overwritten)."""
    m, n = A.shape
    scale = np.abs(A).max() if A.size else 0.0
    if scale == 0.0:
        s = np.zeros(n)
        if not compute_uv:
            return s
        return np.eye(m, m if full_matrices else n), s, np.eye(n)
    A /= scale
    if m >= _QR_FIRST * n and n > 0:
        return _svd_qr_first(A, full_matrices, compute_uv, scale)
    d, e, tauq, taup = _bidiagonalize(A)
    if not compute_uv:
        return bdsvd(d, e, compute_uv=False) * scale
    Ub, s, W = bdsvd(d, e)
    k = m if full_matrices else n
    U = np.zeros((m, k))
    U[:n, :n] = Ub
    if k > n:
        U[n:, n:] = np.eye(m - n)
    U = apply_q(A, tauq, U)
    V = apply_p(A, taup, W)
    return U, s * scale, V.T


def _svd_qr_first(A, full_matrices, compute_uv, scale):
    """``A = QR`` first, then the SVD of the ``n x n`` triangle: cheaper when ``m >> n``."""
    from m4ml.linalg.qr import qr

    n = A.shape[1]
    if not compute_uv:
        return _svd_tall(qr(A, mode="r"), False, False) * scale
    Q, R = qr(A, mode="complete" if full_matrices else "reduced")
    Ur, s, Vh = _svd_tall(R[:n], False, True)
    U = Q[:, :n] @ Ur
    if full_matrices:
        U = np.hstack([U, Q[:, n:]])
    return U, s * scale, Vh


def _svd_one(A, full_matrices, compute_uv):
    m, n = A.shape
    if m >= n:
        return _svd_tall(A.copy(), full_matrices, compute_uv)
    out = _svd_tall(A.T.copy(), full_matrices, compute_uv)
    if not compute_uv:
        return out
    U, s, Vh = out
    return Vh.T, s, U.T


def _svd_small_stack(flat, batch, full_matrices, compute_uv):
    """Many small matrices: one batched one-sided Jacobi instead of a loop."""
    m, n = flat.shape[1:]
    wide = m < n
    out = jacobi_svd_stack(np.swapaxes(flat, 1, 2) if wide else flat, full_matrices, compute_uv)
    if not compute_uv:
        return out.reshape((*batch, min(m, n)))
    U, S, Vh = out
    if wide:
        U, Vh = np.swapaxes(Vh, 1, 2), np.swapaxes(U, 1, 2)
    return (
        U.reshape((*batch, *U.shape[1:])),
        S.reshape((*batch, S.shape[1])),
        Vh.reshape((*batch, *Vh.shape[1:])),
    )


@keeps_float32("A")
def svd(
    A: ArrayLike, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False
) -> SVDResult | FloatArray:
    """Singular value decomposition ``A = U diag(S) Vh``.

    Parameters
    ----------
    A : array_like, shape (..., m, n)
        Real matrix or stack of matrices.
    full_matrices : bool, default True
        If True (the default, as in ``numpy.linalg.svd``), ``U`` is ``m x m`` and ``Vh`` is
        ``n x n``; if False, the reduced shapes ``m x k`` and ``k x n`` with
        ``k = min(m, n)`` -- the factorization most applications want: ask for it.
    compute_uv : bool, default True
        If False, return only the singular values (as :func:`svdvals`).
    hermitian : bool, default False
        If True, ``A`` is taken to be symmetric (only its lower triangle is read, as
        ``numpy.linalg.svd`` does through ``eigh``) and the SVD comes from the symmetric
        eigendecomposition :math:`A = V \\Lambda V^T`: :math:`\\sigma_i = |\\lambda_i|`,
        :math:`u_i = v_i`, :math:`\\tilde v_i = \\operatorname{sign}(\\lambda_i) v_i`.

    Returns
    -------
    SVDResult or ndarray
        ``SVDResult(U, S, Vh)`` with ``U`` of shape ``(..., m, k)`` (or ``(..., m, m)``), ``S``
        of shape ``(..., k)`` sorted in descending order, non-negative, and ``Vh`` of shape
        ``(..., k, n)`` (or ``(..., n, n)``); just ``S`` when ``compute_uv`` is False.

    Raises
    ------
    LinAlgError
        If ``A`` has fewer than two dimensions.
    ValueError
        If ``A`` contains NaN or infinity.
    TypeError
        If ``A`` is complex or not numeric.
    ValueError
        If ``hermitian`` is true and ``A`` is not square.

    Notes
    -----
    Float32 input gives float32 results (computed in float64), as in NumPy.

    Every real matrix factors as :math:`A = U \\Sigma V^T` with :math:`U, V` orthogonal and
    :math:`\\Sigma` diagonal, :math:`\\sigma_1 \\ge \\dots \\ge \\sigma_k \\ge 0`. It is
    computed in three stages (for :math:`m \\ge n`; a wide matrix is transposed):

    1. Golub–Kahan bidiagonalization :math:`A = Q B P^T` with Householder reflections,
       blocked so that half of its :math:`4mn^2 - \\tfrac{4}{3}n^3` flops are matrix products.
    2. The SVD :math:`B = U_B \\Sigma W^T` of the bidiagonal by divide and conquer: split
       ``B`` at a middle row, solve the halves recursively, and glue them with the secular
       equation :math:`1 + \\sum_j z_j^2 / (d_j^2 - \\sigma^2) = 0`, whose roots are found
       all at once and whose vectors, built from Löwner's recomputed :math:`z`, are
       orthogonal to working precision (Gu & Eisenstat 1995). Small leaves are solved by a
       batched one-sided Jacobi. About :math:`\\tfrac{8}{3}n^3` flops, almost all in
       matrix products.
    3. :math:`U = Q U_B`, :math:`V = P W`, applying the reflectors in compact-WY blocks.

    When :math:`m \\ge 1.6\\,n`, the matrix is first factored :math:`A = QR`
    (:func:`m4ml.linalg.qr.qr`, blocked Householder) and the SVD of the ``n x n`` triangle
    :math:`R = U_R \\Sigma V^T` gives :math:`U = Q U_R`: :math:`2mn^2` flops of matrix
    products replace most of the slower bidiagonalization of the tall matrix.

    A stack of small matrices (``min(m, n) <= 32``) skips all this: one-sided Jacobi
    (Hestenes 1958) orthogonalizes the columns of every matrix of the stack at once, a
    vectorized rotation of ``n/2`` column pairs per step, instead of a Python loop over the
    stack.

    Every stage is orthogonal, so the result is backward stable: the computed factors are
    exact for :math:`A + E` with :math:`\\lVert E \\rVert \\approx \\varepsilon \\lVert A
    \\rVert`, the singular values carry an absolute error of order
    :math:`\\varepsilon \\lVert A \\rVert_2` (Weyl), and the vectors of a singular value
    separated from the others by a gap :math:`\\delta` are accurate to
    :math:`\\varepsilon \\lVert A \\rVert / \\delta`. The normal equations
    :math:`A^T A` are never formed (they would square the condition number). The input is
    scaled by its largest entry first, so no intermediate overflows or underflows.

    References
    ----------
    G. H. Golub and W. Kahan, "Calculating the singular values and pseudo-inverse of a
    matrix", SIAM J. Numer. Anal. B 2 (1965). M. Gu and S. C. Eisenstat, "A
    divide-and-conquer algorithm for the bidiagonal SVD", SIAM J. Matrix Anal. Appl. 16
    (1995). J. Dongarra, D. Sorensen and S. Hammarling, "Block reduction of matrices to
    condensed forms for eigenvalue computations", J. Comput. Appl. Math. 27 (1989).
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., ch. 8.6.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.svd import svd
    >>> A = np.array([[3.0, 0.0], [4.0, 5.0]])
    >>> U, S, Vh = svd(A)
    >>> np.round(S**2, 10)  # eigenvalues of A^T A: 45 and 5
    array([45.,  5.])
    >>> np.allclose(U @ np.diag(S) @ Vh, A)
    True
    >>> svd(np.ones((5, 3))).U.shape, svd(np.ones((5, 3)), full_matrices=False).U.shape
    ((5, 5), (5, 3))
    >>> np.round(svd([[2.0, 1.0], [1.0, -3.0]], hermitian=True).S, 6)
    array([3.192582, 2.192582])
    """
    a = as_matrix_stack(A, "A")
    full_matrices = bool(full_matrices)
    compute_uv = bool(compute_uv)
    out = _svd_hermitian(a, compute_uv) if hermitian else _svd_general(a, full_matrices, compute_uv)
    if not compute_uv:
        return out
    return SVDResult(*out)


def _svd_hermitian(a, compute_uv):
    """SVD of symmetric matrices from :func:`m4ml.linalg.eigh.eigh` (lower triangle read)."""
    from m4ml.linalg.eigh import eigh, eigvalsh

    if a.shape[-1] != a.shape[-2]:
        raise ValueError(f"hermitian=True needs square matrices, got shape {a.shape}")
    if not compute_uv:
        return np.flip(np.sort(np.abs(eigvalsh(a)), axis=-1), axis=-1)
    w, V = eigh(a)
    sign = np.copysign(1.0, w)
    order = np.flip(np.argsort(np.abs(w), axis=-1, kind="stable"), axis=-1)
    S = np.take_along_axis(np.abs(w), order, axis=-1)
    sign = np.take_along_axis(sign, order, axis=-1)
    U = np.take_along_axis(V, order[..., None, :], axis=-1)
    return U, S, np.swapaxes(U * sign[..., None, :], -1, -2)


def _svd_general(a, full_matrices, compute_uv):
    m, n = a.shape[-2:]
    k = min(m, n)
    batch = a.shape[:-2]
    flat = a.reshape((int(np.prod(batch)), m, n))
    if flat.shape[0] >= _STACK_MIN and 0 < k <= _STACK_MAX_K:
        return _svd_small_stack(flat, batch, full_matrices, compute_uv)
    return map_stack(lambda x: _svd_one(x, full_matrices, compute_uv), a)


def svdvals(A: ArrayLike) -> FloatArray:
    """Singular values of a matrix or stack, in descending order.

    Parameters
    ----------
    A : array_like, shape (..., m, n)
        Real matrix or stack of matrices.

    Returns
    -------
    ndarray, shape (..., min(m, n))
        The singular values :math:`\\sigma_1 \\ge \\dots \\ge \\sigma_k \\ge 0`.

    Raises
    ------
    LinAlgError
        If ``A`` has fewer than two dimensions.
    ValueError
        If ``A`` contains NaN or infinity.
    TypeError
        If ``A`` is complex or not numeric.

    Notes
    -----
    The same bidiagonalization and divide and conquer as :func:`svd`, but cheaper: the
    reflectors are never applied to vectors, and the merges of the divide and conquer carry
    only the first and last rows of the right singular vectors (all the secular equations
    need), :math:`O(n^2)` work instead of :math:`O(n^3)`. The cost is dominated by the
    bidiagonalization, :math:`4mn^2 - \\tfrac{4}{3}n^3` flops. The values have absolute error
    of order :math:`\\varepsilon \\lVert A \\rVert_2`.

    References
    ----------
    M. Gu and S. C. Eisenstat, "A divide-and-conquer algorithm for the bidiagonal SVD",
    SIAM J. Matrix Anal. Appl. 16 (1995).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.svd import svdvals
    >>> np.round(svdvals([[3.0, 0.0], [4.0, 5.0]]) ** 2, 10)
    array([45.,  5.])
    >>> svdvals(np.zeros((4, 2, 3))).shape
    (4, 2)
    """
    return svd(A, full_matrices=False, compute_uv=False)
