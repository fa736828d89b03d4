"""Eigenvalues and eigenvectors of real symmetric matrices: ``eigh`` and ``eigvalsh``.

The route: Householder reduction to tridiagonal form (:mod:`m4ml.linalg.tridiagonal`),
the tridiagonal eigenproblem by divide and conquer (:mod:`m4ml.linalg.tridiag_eigen`), and the
back-transformation of the eigenvectors with compact-WY blocks.
"""

import math
from typing import Literal

import numpy as np

from m4ml._core import LinAlgError, as_square_stack
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.stack import map_stack
from m4ml._core.validation import keeps_float32
from m4ml.linalg.sym_jacobi import _jacobi
from m4ml.linalg.tridiag_eigen import EighResult, _eigh_tridiagonal, eigh_tridiagonal
from m4ml.linalg.tridiagonal import _tridiagonalize_one, apply_q

__all__ = ["EighResult", "eigh", "eigh_tridiagonal", "eigvalsh"]


def _check_uplo(UPLO):
    if not isinstance(UPLO, str) or UPLO.upper() not in ("L", "U"):
        raise ValueError(f"UPLO must be 'L' or 'U', got {UPLO!r}")
    return UPLO.upper()


def _symmetric_from(a, uplo):
    """The symmetric matrix whose lower (``'L'``) or upper (``'U'``) triangle is ``a``'s."""
    tri = np.tril(a) if uplo == "L" else np.triu(a)
    strict = np.tril(a, -1) if uplo == "L" else np.triu(a, 1)
    return tri + np.swapaxes(strict, -1, -2)


def _eigh_one(a, vectors):
    """Eigen-decomposition of one symmetric matrix (the full symmetric ``a`` is overwritten)."""
    n = a.shape[0]
    big = float(np.abs(a).max()) if n else 0.0
    if big == 0.0:
        return np.zeros(n), (np.eye(n) if vectors else None)
    k = -math.frexp(big)[1]  # scale by 2**k: exact, and safe even for subnormal input
    a = np.ldexp(a, k)
    d, e, blocks = _tridiagonalize_one(a, vectors)
    w, z = _eigh_tridiagonal(d, e, vectors)
    return np.ldexp(w, -k), (apply_q(blocks, z) if vectors else None)


_SMALL = 32  # up to this order, a stack goes through one batched Jacobi iteration (a single
# matrix takes the tridiagonal route, which ends in the textbook QR kernel at this size)


def _eigh_small_stack(a, vectors):
    """Eigenpairs of a stack (B, n, n) of small symmetric matrices by batched Jacobi."""
    B, n, _ = a.shape
    big = np.abs(a).max(axis=(1, 2))
    k = -np.frexp(big)[1]  # scale each matrix by 2**k (exact); 0 for a zero matrix
    m = n + n % 2  # the parallel ordering needs an even order: pad with a decoupled zero
    work = np.zeros((B, m, m))
    work[:, :n, :n] = np.ldexp(a, k[:, None, None])
    w, V = _jacobi(work)
    w, V = w[:, :n], V[:, :n, :n]  # the padding stays exactly decoupled
    order = np.argsort(w, axis=1, kind="stable")
    w = np.ldexp(np.take_along_axis(w, order, axis=1), -k[:, None])
    return w, (np.take_along_axis(V, order[:, None, :], axis=2) if vectors else None)


def _run(A, UPLO, vectors):
    uplo = _check_uplo(UPLO)
    a = as_square_stack(A, "A")
    n = a.shape[-1]
    stack = a.shape[:-2]
    flat = a.reshape((math.prod(stack), n, n))
    if 0 < n <= _SMALL and flat.shape[0] > 1:
        w, v = _eigh_small_stack(_symmetric_from(flat, uplo), vectors)
    elif vectors:
        w, v = map_stack(lambda m: _eigh_one(_symmetric_from(m, uplo), True), flat)
    else:
        w, v = map_stack(lambda m: _eigh_one(_symmetric_from(m, uplo), False)[0], flat), None
    if not np.isfinite(w).all() or (vectors and not np.isfinite(v).all()):
        raise LinAlgError(
            "the symmetric eigensolver produced non-finite values; the input is finite, so "
            "this is a bug: please report it with the matrix"
        )
    w = w.reshape((*stack, n))
    return w, (v.reshape((*stack, n, n)) if vectors else None)


@keeps_float32("A")
def eigh(A: ArrayLike, UPLO: Literal["L", "U"] = "L") -> EighResult:
    """Eigenvalues and eigenvectors of a real symmetric matrix (or a stack of them).

    Parameters
    ----------
    A : array_like, shape (..., n, n)
        Symmetric matrices. Only the triangle named by ``UPLO`` is read; the other one is
        assumed to mirror it and is ignored (as in ``numpy.linalg.eigh``), so a non-symmetric
        input is treated as the symmetric matrix with that triangle.
    UPLO : {'L', 'U'}
        Use the lower (default) or upper triangle.

    Returns
    -------
    EighResult
        Named tuple ``(eigenvalues, eigenvectors)``: ``eigenvalues`` of shape ``(..., n)`` in
        ascending order and ``eigenvectors`` of shape ``(..., n, n)`` whose column
        ``[..., :, i]`` is the unit eigenvector for ``eigenvalues[..., i]``; the columns are
        orthonormal.

    Raises
    ------
    LinAlgError
        If ``A`` is not (a stack of) square matrices, or an iteration fails (never observed).
    ValueError
        If ``A`` holds NaN or infinity, or ``UPLO`` is not ``'L'`` or ``'U'``.
    TypeError
        If ``A`` is complex or non-numeric.

    Notes
    -----
    A symmetric :math:`A` has the spectral decomposition :math:`A = V \\Lambda V^T` with
    :math:`V` orthogonal and :math:`\\Lambda` real diagonal. It is computed in three steps:

    1. :math:`A = Q T Q^T`, :math:`T` tridiagonal, by blocked Householder reflections
       (:func:`m4ml.linalg.tridiagonal.tridiagonalize`), :math:`\\tfrac43 n^3` flops;
    2. :math:`T = Z \\Lambda Z^T` by divide and conquer
       (:func:`m4ml.linalg.tridiag_eigen.eigh_tridiagonal`), at most
       :math:`\\tfrac43 n^3` flops, much less when many eigenvalues deflate;
    3. :math:`V = QZ`, applying :math:`Q`'s compact-WY blocks, :math:`2n^3` flops.

    A stack of matrices of order :math:`n \\le 32` takes another route (a single such matrix
    keeps the three steps, step 2 being the textbook implicit QR for :math:`n \\le 16`): the
    whole stack goes through one cyclic Jacobi iteration, vectorized over the stack, rotating
    :math:`n/2` disjoint pairs of every matrix per step, :math:`A \\leftarrow J^T A J`,
    until the off-diagonal part is below :math:`\\epsilon \\|A\\|_F` (Golub and Van Loan,
    section 8.5); Jacobi is backward stable and orthogonal to working precision too, and
    many small problems cost a few vector operations instead of a Python loop.

    The matrix is first scaled by a power of 2 so that its largest entry is about 1 (exact, and
    undone on the eigenvalues), so entries as large as 1e300 or as small as 1e-300 neither
    overflow nor underflow. Each step is backward stable: the computed pairs are exact for
    :math:`A + E` with :math:`\\|E\\| = O(n \\epsilon \\|A\\|)`, hence (Weyl) each eigenvalue
    has absolute error :math:`O(n \\epsilon \\|A\\|)`; an eigenvector's error grows as
    :math:`\\epsilon \\|A\\| / \\mathrm{gap}`, but the computed vectors are orthonormal to
    working precision even for repeated eigenvalues.

    References
    ----------
    .. [1] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., Johns Hopkins,
       2013, chapter 8.
    .. [2] J. W. Demmel, *Applied Numerical Linear Algebra*, SIAM, 1997, chapter 5.
    .. [3] M. Gu and S. C. Eisenstat, "A divide-and-conquer algorithm for the symmetric
       tridiagonal eigenproblem", *SIAM J. Matrix Anal. Appl.* 16 (1995), 172-191.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.eigh import eigh
    >>> A = np.array([[2.0, 1.0], [1.0, 2.0]])
    >>> w, V = eigh(A)
    >>> np.round(w, 12)
    array([1., 3.])
    >>> np.allclose(A @ V, V * w), np.allclose(V.T @ V, np.eye(2))
    (True, True)

    Only the named triangle is read:

    >>> B = np.array([[1.0, 100.0], [2.0, 1.0]])
    >>> np.round(eigh(B).eigenvalues, 12), np.round(eigh(B, UPLO="U").eigenvalues, 12)
    (array([-1.,  3.]), array([-99., 101.]))
    """
    w, v = _run(A, UPLO, True)
    return EighResult(w, v)


@keeps_float32("A")
def eigvalsh(A: ArrayLike, UPLO: Literal["L", "U"] = "L") -> FloatArray:
    """Eigenvalues of a real symmetric matrix (or a stack of them), without eigenvectors.

    Parameters
    ----------
    A : array_like, shape (..., n, n)
        Symmetric matrices; only the triangle named by ``UPLO`` is read.
    UPLO : {'L', 'U'}
        Use the lower (default) or upper triangle.

    Returns
    -------
    ndarray, shape (..., n)
        The eigenvalues in ascending order.

    Raises
    ------
    LinAlgError
        If ``A`` is not (a stack of) square matrices.
    ValueError
        If ``A`` holds NaN or infinity, or ``UPLO`` is not ``'L'`` or ``'U'``.
    TypeError
        If ``A`` is complex or non-numeric.

    Notes
    -----
    The same route as :func:`eigh` without any eigenvector matrix: the Householder reflectors
    are not kept, and the divide and conquer carries only the first and last rows of each
    subproblem's eigenvector matrix (all a merge needs, since
    :math:`z = (\\text{last row of } Q_1, \\text{first row of } Q_2)`). Cost
    :math:`\\tfrac43 n^3` flops for the reduction plus :math:`O(n^2)`. Stacks of matrices of
    order at most 32 go through the batched Jacobi iteration of :func:`eigh`.

    References
    ----------
    .. [1] J. W. Demmel, *Applied Numerical Linear Algebra*, SIAM, 1997, section 5.3.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.eigh import eigvalsh
    >>> np.round(eigvalsh([[2.0, -1.0, 0.0], [-1.0, 2.0, -1.0], [0.0, -1.0, 2.0]]), 6)
    array([0.585786, 2.      , 3.414214])
    """
    return _run(A, UPLO, False)[0]
