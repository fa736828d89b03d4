r"""Tall-skinny QR (TSQR) and the SVD of a tall-skinny matrix, block by block.

Stack the row blocks :math:`A = [A_1; A_2; \dots; A_b]` and factor each block,
:math:`A_i = Q_i R_i`. Then

.. math::
    A = \operatorname{diag}(Q_1, \dots, Q_b)\begin{bmatrix} R_1 \\ \vdots \\ R_b\end{bmatrix}
      = \operatorname{diag}(Q_1, \dots, Q_b)\, Q_2 R,
    \qquad \begin{bmatrix} R_1 \\ \vdots \\ R_b\end{bmatrix} = Q_2 R,

and :math:`\operatorname{diag}(Q_i) Q_2` has orthonormal columns, so :math:`R` is the R factor
of :math:`A` (the *R-factor identity*). Only the small :math:`R_i` (at most :math:`p \times p`)
travel; the merge :math:`(R_a, R_b) \mapsto \operatorname{qr}([R_a; R_b]).R` runs as a binary
tree. :func:`m4ml.linalg.qr` makes every diagonal of :math:`R` non-negative, so for full column
rank :math:`R` is unique and equals the in-memory factor. :math:`R^\top R = A^\top A` without
ever forming :math:`A^\top A` (no squared condition number).

References
----------
Demmel, J., Grigori, L., Hoemmen, M. and Langou, J. (2012). Communication-optimal parallel and
sequential QR and LU factorizations. SIAM J. Sci. Comput. 34(1), A206-A239.
"""

from typing import Any

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.distributed._blocks import as_rows, check_block, is_dask, map_reduce
from m4ml.linalg import SVDResult, qr
from m4ml.linalg import svd as _svd

__all__ = ["merge_r", "r_factor", "svd", "tsqr"]


def r_factor(block, name="A"):
    """The R factor of one block (``min(m_i, p) x p``; an empty block gives ``0 x p``)."""
    b = check_block(block, name)
    if b.shape[0] == 0:
        return np.zeros((0, b.shape[1]))
    return qr(b, mode="r")


def merge_r(r_a, r_b):
    r"""The R factor of two stacked R factors, :math:`\operatorname{qr}([R_a; R_b]).R`.

    Examples
    --------
    >>> A = np.array([[3.0, 1.0], [4.0, 2.0], [0.0, 5.0]])
    >>> np.allclose(merge_r(r_factor(A[:1]), r_factor(A[1:])), r_factor(A))
    True
    """
    stacked = np.vstack([r_a, r_b])
    return stacked if stacked.shape[0] == 0 else qr(stacked, mode="r")


def tsqr(A: ArrayLike, compute_q: bool = False) -> FloatArray | tuple[Any, FloatArray]:
    r"""QR of a tall-skinny matrix by TSQR: m4ml's QR on each row block, then on the R's.

    Parameters
    ----------
    A : dask.array.Array or array_like, shape (n, p)
        Observations in rows, any row chunks (one-row and empty chunks included).
    compute_q : bool
        Also return :math:`Q`: for Dask input a lazy Dask array with ``A``'s row chunks,
        :math:`Q_{[i]} = Q_i\, Q_2[\text{rows of } R_i]` (each block's QR is recomputed
        when ``Q`` is, so nothing of size :math:`n` is kept in memory).

    Returns
    -------
    R : ndarray, shape (min(n, p), p)
        Upper triangular with non-negative diagonal; alone unless ``compute_q``.
    (Q, R) : tuple
        With ``compute_q``; ``Q`` has shape ``(n, min(n, p))``.

    Raises
    ------
    ValueError
        NaN or infinity in a block.

    Notes
    -----
    The R-factor identity (module docstring). ``R`` alone is merged as a binary tree; with
    ``compute_q`` the block R's are stacked once (one level), so each block's share of
    :math:`Q_2` is a contiguous slice.

    Examples
    --------
    >>> A = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    >>> Q, R = tsqr(A, compute_q=True)
    >>> np.allclose(Q @ R, A), np.allclose(Q.T @ Q, np.eye(2))
    (True, True)
    """
    a = as_rows(A, "A")
    if not compute_q:
        return map_reduce(r_factor, merge_r, a)
    if not is_dask(a):
        Q, R = qr(check_block(a, "A"))
        return Q, R
    import dask

    rs = dask.compute(*[dask.delayed(r_factor)(b) for b in a.to_delayed()[:, 0]])
    sizes = [r.shape[0] for r in rs]
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    Q2, R = qr(np.vstack(rs))
    k = Q2.shape[1]

    def q_block(block, block_id=None):
        i = block_id[0]
        b = np.asarray(block, dtype=np.float64)
        if b.shape[0] == 0:
            return np.zeros((0, k))
        return qr(b).Q @ Q2[offsets[i] : offsets[i + 1]]

    Q = a.map_blocks(q_block, chunks=(a.chunks[0], (k,)), dtype=np.float64)
    return Q, R


def svd(A: ArrayLike, compute_uv: bool = True) -> SVDResult | FloatArray:
    r"""Thin SVD of a tall-skinny matrix: TSQR, then m4ml's SVD of the small :math:`R`.

    Parameters
    ----------
    A : dask.array.Array or array_like, shape (n, p), n >= p
    compute_uv : bool
        Return ``(U, S, Vh)`` (default) or the singular values only.

    Returns
    -------
    SVDResult or ndarray
        ``U`` (lazy Dask for Dask input, ``n x k``), ``S`` and ``Vh`` NumPy; ``A = U diag(S)
        Vh`` with :math:`k = \min(n, p)`.

    Raises
    ------
    ValueError
        NaN or infinity in a block.

    Notes
    -----
    :math:`A = QR` and :math:`R = U_R \Sigma V^\top` give :math:`A = (QU_R)\Sigma V^\top`; the
    singular values of :math:`A` are those of :math:`R`.

    Examples
    --------
    >>> svd(np.array([[3.0, 0.0], [0.0, 4.0], [0.0, 0.0]]), compute_uv=False).tolist()
    [4.0, 3.0]
    """
    if not compute_uv:
        return _svd(tsqr(A), compute_uv=False)
    Q, R = tsqr(A, compute_q=True)
    U_r, s, Vh = _svd(R, full_matrices=False)
    return SVDResult(Q @ U_r, s, Vh)
