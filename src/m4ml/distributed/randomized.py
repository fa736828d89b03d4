r"""Randomized truncated SVD of a tall matrix held in row blocks (Halko, Martinsson & Tropp).

The in-memory :func:`m4ml.linalg.randomized_svd`, with every product involving the tall
:math:`A` (:math:`m \times n`, :math:`m` large) done by Dask over the row blocks and every
orthonormalization of a tall sketch done by TSQR:

.. math::
    Y_0 = A\Omega, \quad Q_0 = \operatorname{tsqr}(Y_0).Q, \qquad
    \text{then } q \text{ times: } \;
    \tilde Q = \operatorname{qr}(A^\top Q).Q, \quad Q = \operatorname{tsqr}(A\tilde Q).Q,

and finally :math:`B = Q^\top A = \tilde U\Sigma V^\top`, :math:`U = Q\tilde U`. The products
:math:`A\Omega` and :math:`A\tilde Q` are lazy block-by-block products (each block of
:math:`Q` is recomputed from its block of :math:`A` when needed, so nothing of size
:math:`m` is stored); :math:`A^\top Q` and :math:`Q^\top A` are sums over row blocks of
:math:`A_i^\top Q_i`, reduced by Dask to :math:`n \times \ell` NumPy matrices, on which
m4ml's own QR and SVD run. Each power iteration costs two passes over the data.

Because :func:`m4ml.linalg.qr` fixes the signs (non-negative diagonal of :math:`R`), TSQR's
:math:`Q` is the in-memory Householder :math:`Q` of the same sketch up to rounding; from the
same random test matrix :math:`\Omega` (the same ``rng``) the result equals the in-memory
one to rounding, amplified only by the conditioning of the sketch.
"""

import numpy as np

from m4ml._core import check_positive_int, check_rng
from m4ml._core.hints import ArrayLike, Seed
from m4ml.distributed._blocks import as_rows, check_block, is_dask
from m4ml.distributed.tsqr import tsqr
from m4ml.linalg import RandomizedSVDResult, qr, svd

__all__ = ["randomized_svd"]


def _computed(x):
    return x.compute() if is_dask(x) else x


def randomized_svd(
    A: ArrayLike, k: int, n_oversamples: int = 10, n_iter: int = 4, rng: Seed = None
) -> RandomizedSVDResult:
    r"""The ``k`` leading singular triplets of a tall matrix by random projection, over blocks.

    Parameters
    ----------
    A : dask.array.Array or array_like, shape (m, n)
        Observations in rows, any row chunks (one-row and empty chunks too); all columns are
        put in one chunk.
    k : int
        Number of singular triplets, ``1 <= k <= min(m, n)``.
    n_oversamples : int, default 10
        Extra random directions :math:`p`; the sketch has
        :math:`\ell = \min(k + p, m, n)` columns.
    n_iter : int, default 4
        Power iterations :math:`q`, each re-orthonormalized (TSQR on the tall side).
    rng : None, int or numpy.random.Generator
        Source of the Gaussian test matrix :math:`\Omega` (:math:`n \times \ell`), drawn
        exactly as :func:`m4ml.linalg.randomized_svd` draws it.

    Returns
    -------
    RandomizedSVDResult
        ``(U, s, Vt)``: ``U`` (:math:`m \times k`) a lazy Dask array with ``A``'s row chunks
        for Dask input (NumPy for NumPy input), ``s`` and ``Vt`` NumPy.

    Raises
    ------
    ValueError
        ``k`` outside ``[1, min(m, n)]``, negative ``n_oversamples``/``n_iter``, ``A`` not
        2-D, or NaN/infinity in a block.
    TypeError
        Non-integer ``k``, ``n_oversamples`` or ``n_iter``; a bad ``rng``.

    Notes
    -----
    Stage A: :math:`Q = \operatorname{orth}((AA^\top)^q A\Omega)`, orthonormalized after every
    product; stage B: the exact SVD of :math:`B = Q^\top A` (module docstring). The expected
    error bound of Halko, Martinsson & Tropp (2011, Cor. 10.10) is the in-memory one
    (:func:`m4ml.linalg.randomized_svd`). Cost: :math:`2q + 2` passes over ``A``.

    References
    ----------
    N. Halko, P.-G. Martinsson and J. A. Tropp, "Finding structure with randomness",
    SIAM Review 53 (2011), Algorithms 4.4 and 5.1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> A = rng.standard_normal((200, 3)) @ rng.standard_normal((3, 8))  # rank 3
    >>> U, s, Vt = randomized_svd(A, 3, rng=0)
    >>> np.allclose((U * s) @ Vt, A)
    True
    """
    a = as_rows(A, "A")
    ndim = A.ndim if hasattr(A, "ndim") else np.ndim(A)
    if ndim != 2:
        raise ValueError(f"A must be a 2-D matrix, got {ndim} dimensions")
    m, n = a.shape
    k = check_positive_int(k, "k")
    if k > min(m, n):
        raise ValueError(f"k must satisfy 1 <= k <= min(m, n) = {min(m, n)}, got k = {k}")
    p = check_positive_int(n_oversamples, "n_oversamples", minimum=0)
    q = check_positive_int(n_iter, "n_iter", minimum=0)
    gen = check_rng(rng)
    ell = min(k + p, m, n)
    # Dask input is validated block by block on every pass
    a = a.map_blocks(check_block, "A", dtype=np.float64) if is_dask(a) else check_block(a, "A")
    Q = tsqr(a @ gen.standard_normal((n, ell)), compute_q=True)[0]
    for _ in range(q):
        Q_small = qr(_computed(a.T @ Q), mode="reduced")[0]
        Q = tsqr(a @ Q_small, compute_q=True)[0]
    Ub, s, Vt = svd(_computed(Q.T @ a), full_matrices=False)
    return RandomizedSVDResult(Q @ Ub[:, :k], s[:k], Vt[:k])
