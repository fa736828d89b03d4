"""Randomized truncated SVD (Halko, Martinsson & Tropp 2011)."""

from typing import NamedTuple

import numpy as np

from m4ml._core import as_matrix_stack, check_positive_int, check_rng
from m4ml._core.hints import ArrayLike, Seed
from m4ml.linalg.svd import svd

__all__ = ["RandomizedSVDResult", "randomized_svd"]


class RandomizedSVDResult(NamedTuple):
    """Result of :func:`randomized_svd`: ``A ~= U @ (s[:, None] * Vt)``."""

    U: np.ndarray
    s: np.ndarray
    Vt: np.ndarray


def _orthonormal_basis(Y):
    """Orthonormal basis of the columns of ``Y`` (Householder QR, reduced ``Q``)."""
    from m4ml.linalg.qr import qr

    return qr(Y, mode="reduced")[0]


def randomized_svd(
    A: ArrayLike, k: int, n_oversamples: int = 10, n_iter: int = 4, rng: Seed = None
) -> RandomizedSVDResult:
    """Approximate the ``k`` leading singular triplets of ``A`` by random projection.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Real matrix.
    k : int
        Number of singular triplets wanted, ``1 <= k <= min(m, n)``.
    n_oversamples : int, default 10
        Extra random directions ``p``; the sketch has ``l = min(k + p, min(m, n))`` columns.
    n_iter : int, default 4
        Number of power (subspace) iterations ``q``, each re-orthonormalized by QR.
    rng : None, int or numpy.random.Generator
        Source of the Gaussian test matrix.

    Returns
    -------
    RandomizedSVDResult
        ``(U, s, Vt)`` with ``U`` of shape ``(m, k)`` (orthonormal columns), ``s`` of shape
        ``(k,)`` (descending) and ``Vt`` of shape ``(k, n)`` (orthonormal rows).

    Raises
    ------
    ValueError
        If ``k`` is outside ``[1, min(m, n)]``, ``n_oversamples`` or ``n_iter`` is negative,
        ``A`` is not 2-D, or ``A`` contains NaN or infinity.
    TypeError
        If ``k``, ``n_oversamples`` or ``n_iter`` is not an integer, ``rng`` is not a valid
        seed or generator, or ``A`` is complex.
    LinAlgError
        If ``A`` has fewer than two dimensions.

    Notes
    -----
    Stage A finds an orthonormal ``Q`` (``m x l``) whose range captures the top of the range
    of ``A``: with a Gaussian :math:`\\Omega \\in \\mathbb{R}^{n \\times l}`,

    .. math::

        Y = (A A^T)^q A \\Omega, \\qquad Q = \\operatorname{orth}(Y),

    orthonormalizing with QR after every product with :math:`A` or :math:`A^T` (the powers
    would otherwise collapse onto the leading singular vector in floating point). Stage B is
    exact on the small matrix :math:`B = Q^T A` (``l x n``): :math:`B = \\tilde U \\Sigma V^T`
    gives :math:`A \\approx (Q \\tilde U) \\Sigma V^T`. The expected error satisfies
    (Halko, Martinsson & Tropp 2011, Cor. 10.10)

    .. math::

        \\mathbb{E}\\lVert A - QQ^TA \\rVert \\le
        \\Big[1 + 4\\sqrt{\\tfrac{2\\min(m,n)}{k-1}}\\Big]^{1/(2q+1)} \\sigma_{k+1}
        \\quad (p = k),

    so each power iteration sharpens the decay :math:`(\\sigma_j/\\sigma_k)^{2q+1}` of the
    unwanted directions: with a spectral gap a few iterations give the leading singular values
    to many digits; on a slowly decaying spectrum the error is governed by
    :math:`\\sigma_{k+1}/\\sigma_k` and more iterations help only gradually. Cost:
    :math:`(4q + 4)\\,mnl` flops in matrix products plus :math:`O((m + n) l^2)` for the QRs
    and the small SVD, against :math:`O(mn\\min(m,n))` for a full SVD.

    References
    ----------
    N. Halko, P.-G. Martinsson and J. A. Tropp, "Finding structure with randomness:
    probabilistic algorithms for constructing approximate matrix decompositions", SIAM
    Review 53 (2011), Algorithms 4.4 and 5.1.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.randomized import randomized_svd
    >>> rng = np.random.default_rng(0)
    >>> A = rng.standard_normal((300, 4)) @ rng.standard_normal((4, 100))  # rank 4
    >>> U, s, Vt = randomized_svd(A, 4, rng=0)
    >>> U.shape, s.shape, Vt.shape
    ((300, 4), (4,), (4, 100))
    >>> np.allclose(U @ np.diag(s) @ Vt, A)
    True
    """
    a = as_matrix_stack(A, "A")
    if a.ndim != 2:
        raise ValueError(f"A must be a 2-D matrix, got shape {a.shape}")
    m, n = a.shape
    k = check_positive_int(k, "k")
    if k > min(m, n):
        raise ValueError(f"k must satisfy 1 <= k <= min(m, n) = {min(m, n)}, got k = {k}")
    p = check_positive_int(n_oversamples, "n_oversamples", minimum=0)
    q = check_positive_int(n_iter, "n_iter", minimum=0)
    gen = check_rng(rng)
    ell = min(k + p, m, n)
    Q = _orthonormal_basis(a @ gen.standard_normal((n, ell)))
    for _ in range(q):
        Q = _orthonormal_basis(a.T @ Q)
        Q = _orthonormal_basis(a @ Q)
    Ub, s, Vt = svd(Q.T @ a, full_matrices=False)
    return RandomizedSVDResult((Q @ Ub)[:, :k], s[:k], Vt[:k])
