"""Householder reduction of a symmetric matrix to tridiagonal form, and its back-transformation.

This is the first stage of the symmetric eigensolver :func:`m4ml.linalg.eigh.eigh`:
:math:`A = Q T Q^T` with :math:`Q` orthogonal and :math:`T` symmetric tridiagonal. The
eigenvalues of :math:`T` are those of :math:`A`, and an eigenvector :math:`z` of :math:`T` gives
the eigenvector :math:`Qz` of :math:`A`.
"""

import math
from typing import NamedTuple

import numpy as np

from m4ml._core import as_float_array, as_square_stack
from m4ml._core.hints import ArrayLike
from m4ml.linalg.householder import _reflector

__all__ = ["TridiagonalResult", "apply_q", "tridiagonalize"]

_PANEL = 32  # columns per panel of the blocked reduction


class TridiagonalResult(NamedTuple):
    """Result of :func:`tridiagonalize`: ``A = Q T Q^T`` with ``T = tridiag(e, d, e)``."""

    d: np.ndarray
    """Diagonal of ``T``, shape ``(n,)``."""
    e: np.ndarray
    """Sub- (and super-) diagonal of ``T``, shape ``(n - 1,)``."""
    reflectors: tuple
    """Compact-WY blocks ``(k0, V, T)`` with ``Q = prod_b (I - V_b T_b V_b^T)``; empty when
    ``compute_q`` is false."""


def _householder(x):
    """Return ``(v, tau, beta)`` with ``(I - tau v v^T) x = beta e_1`` and ``v[0] = 1``.

    The shared kernel :func:`m4ml.linalg.householder._reflector` scales ``x`` by its largest
    entry whenever a square could overflow or underflow, as LAPACK's ``dlarfg`` does.
    """
    v = x.copy()
    tau = _reflector(v)
    beta = float(v[0])
    v[0] = 1.0
    return v, tau, beta


def _wy_factor(V, taus):
    """Upper-triangular ``T`` with ``H_1 H_2 ... H_k = I - V T V^T`` (forward accumulation)."""
    k = len(taus)
    G = V.T @ V
    T = np.zeros((k, k))
    for j in range(k):
        T[j, j] = taus[j]
        if j:
            T[:j, j] = -taus[j] * (T[:j, :j] @ G[:j, j])
    return T


def _tridiagonalize_one(A, compute_q):
    """Reduce the symmetric matrix ``A`` (overwritten) to tridiagonal form, in place."""
    n = A.shape[0]
    d = np.empty(n)
    e = np.empty(max(n - 1, 0))
    blocks = []
    k0 = 0
    while k0 < n - 1:
        nb = min(_PANEL, n - 1 - k0)
        rows = n - k0 - 1  # the panel's reflectors act on rows k0+1 .. n-1
        # X = [v0 w0 v1 w1 ...] and Y = [w0 v0 w1 v1 ...], so that V W^T + W V^T = X Y^T and
        # the first j pairs are the leading 2j columns
        X = np.zeros((rows, 2 * nb))
        Y = np.zeros((rows, 2 * nb))
        taus = np.zeros(nb)
        for j in range(nb):
            k = k0 + j
            # row k (= column k by symmetry) with the panel's deferred updates
            row = A[k, k:] - X[j - 1 :, : 2 * j] @ Y[j - 1, : 2 * j] if j else A[k, k:].copy()
            d[k] = row[0]
            v, tau, beta = _householder(row[1:])
            e[k] = beta
            taus[j] = tau
            X[j:, 2 * j] = v
            Y[j:, 2 * j + 1] = v
            if tau == 0.0:
                continue  # w = 0: the reflector is the identity
            p = A[k + 1 :, k + 1 :] @ v
            if j:
                p -= X[j:, : 2 * j] @ (Y[j:, : 2 * j].T @ v)
            p *= tau
            p -= (0.5 * tau * float(p @ v)) * v  # w = tau A v - (tau^2 / 2)(v^T A v) v
            X[j:, 2 * j + 1] = p
            Y[j:, 2 * j] = p
        # rank-2*nb update of the trailing matrix with one matrix product
        M = X[nb - 1 :, 0::2] @ X[nb - 1 :, 1::2].T
        A[k0 + nb :, k0 + nb :] -= M + M.T
        if compute_q:
            V = np.ascontiguousarray(X[:, 0::2])
            blocks.append((k0 + 1, V, _wy_factor(V, taus)))
        k0 += nb
    if n:
        d[n - 1] = A[n - 1, n - 1]
    return d, e, tuple(blocks)


def tridiagonalize(A: ArrayLike, compute_q: bool = True) -> TridiagonalResult:
    """Reduce a symmetric matrix to tridiagonal form by Householder reflections.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Symmetric matrix; only its lower triangle is read.
    compute_q : bool
        Keep the reflectors (needed by :func:`apply_q`); ``False`` saves a little work.

    Returns
    -------
    TridiagonalResult
        ``(d, e, reflectors)``: the diagonal and off-diagonal of :math:`T` and the compact-WY
        blocks of :math:`Q`.

    Raises
    ------
    LinAlgError
        If ``A`` is not a square matrix.
    ValueError
        If ``A`` holds NaN or infinity, or is a stack rather than a single matrix.
    TypeError
        If ``A`` is complex.

    Notes
    -----
    Step :math:`k` chooses a Householder reflector :math:`H_k = I - \\tau v v^T` that zeroes
    column :math:`k` below its subdiagonal and applies it from both sides. With
    :math:`p = \\tau A v` and :math:`w = p - \\tfrac{\\tau}{2}(p^T v) v`, the two-sided update is
    the symmetric rank-2 correction

    .. math:: H_k A H_k = A - v w^T - w v^T .

    The blocked form (Dongarra, Sorensen and Hammarling) collects the pairs :math:`(v, w)` of a
    panel of 32 columns, applies them to each new panel column and matrix-vector product on the
    fly, and updates the trailing matrix once per panel, :math:`A \\leftarrow A - VW^T - WV^T`,
    with a matrix product. The matrix-vector products :math:`Av` remain (half of the
    :math:`\\tfrac{4}{3}n^3` flops), the rest runs in BLAS-3. :math:`Q = H_0 H_1 \\cdots H_{n-2}`
    is kept in compact-WY blocks :math:`I - V T V^T` (Schreiber and Van Loan).

    The matrix is scaled by a power of 2 to unit size first (exact), so that the squared
    norms in the reflectors neither overflow nor underflow. The reduction is backward
    stable: the computed :math:`T` is exactly tridiagonal for
    :math:`A + E` with :math:`\\|E\\| = O(n \\epsilon \\|A\\|)`.

    References
    ----------
    .. [1] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., Johns Hopkins,
       2013, sections 5.1 and 8.3.1.
    .. [2] J. J. Dongarra, D. C. Sorensen and S. J. Hammarling, "Block reduction of matrices to
       condensed forms for eigenvalue computations", *J. Comput. Appl. Math.* 27 (1989).
    .. [3] R. Schreiber and C. Van Loan, "A storage-efficient WY representation for products of
       Householder transformations", *SIAM J. Sci. Stat. Comput.* 10 (1989).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.tridiagonal import tridiagonalize, apply_q
    >>> A = np.array([[4.0, 1.0, 2.0], [1.0, 3.0, 0.0], [2.0, 0.0, 1.0]])
    >>> d, e, refl = tridiagonalize(A)
    >>> T = np.diag(d) + np.diag(e, 1) + np.diag(e, -1)
    >>> Q = apply_q(refl, np.eye(3))
    >>> np.allclose(Q @ T @ Q.T, A), np.allclose(Q.T @ Q, np.eye(3))
    (True, True)
    """
    a = as_square_stack(A, "A")
    if a.ndim != 2:
        raise ValueError(f"tridiagonalize takes a single matrix, got shape {a.shape}")
    a = np.tril(a) + np.tril(a, -1).T
    big = float(np.abs(a).max()) if a.size else 0.0
    # scale by a power of 2 (exact) so that squared norms neither overflow nor underflow
    k = -math.frexp(big)[1] if big else 0
    d, e, blocks = _tridiagonalize_one(np.ldexp(a, k), bool(compute_q))
    return TridiagonalResult(np.ldexp(d, -k), np.ldexp(e, -k), blocks)


def apply_q(reflectors, Z):
    """Return :math:`QZ` for the :math:`Q` of :func:`tridiagonalize`.

    Parameters
    ----------
    reflectors : tuple
        The ``reflectors`` field of a :class:`TridiagonalResult`.
    Z : ndarray, shape (n, k)
        Matrix to transform (for instance the eigenvectors of :math:`T`).

    Returns
    -------
    ndarray, shape (n, k)
        :math:`QZ`, a new array.

    Raises
    ------
    ValueError
        If ``Z`` is not a finite 2-D array with as many rows as :math:`Q` has columns.
    TypeError
        If ``Z`` is complex or non-numeric.

    Notes
    -----
    :math:`Q = Q_1 Q_2 \\cdots Q_b` with :math:`Q_i = I - V_i T_i V_i^T`; the blocks are
    applied right to left, :math:`Z \\leftarrow Z - V_i (T_i (V_i^T Z))`, each with two matrix
    products: about :math:`2n^2k` flops in all, in BLAS-3.

    References
    ----------
    .. [1] R. Schreiber and C. Van Loan, "A storage-efficient WY representation for products of
       Householder transformations", *SIAM J. Sci. Stat. Comput.* 10 (1989).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.tridiagonal import tridiagonalize, apply_q
    >>> A = np.array([[2.0, 1.0, 1.0], [1.0, 2.0, 1.0], [1.0, 1.0, 2.0]])
    >>> Q = apply_q(tridiagonalize(A).reflectors, np.eye(3))
    >>> np.allclose(Q.T @ Q, np.eye(3))
    True
    """
    Z = as_float_array(Z, "Z", min_ndim=2, max_ndim=2, copy=True)
    if reflectors and Z.shape[0] != reflectors[0][0] + reflectors[0][1].shape[0]:
        n = reflectors[0][0] + reflectors[0][1].shape[0]
        raise ValueError(f"Z must have {n} rows (the order of Q), got shape {Z.shape}")
    for start, V, T in reversed(reflectors):
        sub = Z[start:]
        sub -= V @ (T @ (V.T @ sub))
    return Z
