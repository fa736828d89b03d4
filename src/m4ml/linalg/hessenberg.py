"""Householder reduction of a square matrix to upper Hessenberg form."""

import math

import numpy as np

from m4ml._core import LinAlgError, as_square_stack
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.stack import map_stack
from m4ml.linalg.householder import _reflector as _householder


def _reduce_inplace(h, lo, hi, q=None):
    """Reduce ``h[lo:hi+1, lo:hi+1]`` to Hessenberg form in place, accumulating into ``q``.

    ``h`` must already be upper triangular outside the window (as after balancing); then the
    whole of ``h`` ends up upper Hessenberg. Each reflector :math:`P_k = I - \\tau v v^T`
    is applied from the left to rows ``k+1..hi`` (all columns to the right) and from the right to
    columns ``k+1..hi`` (rows ``0..hi``), and multiplied into ``q`` from the right when given, so
    that ``h_in = q h_out q^T`` holds if ``q`` started as the identity.
    """
    for k in range(lo, hi - 1):
        v = h[k + 1 : hi + 1, k].copy()
        # The shared reflector works on v / max|v| whenever a square could overflow or
        # underflow, so P stays orthogonal for subnormal or huge entries.
        tau = _householder(v)
        if tau == 0.0:
            continue
        h[k + 1, k] = v[0]
        h[k + 2 : hi + 1, k] = 0.0
        v[0] = 1.0
        rows = slice(k + 1, hi + 1)
        blk = h[rows, k + 1 :]
        blk -= np.outer(tau * v, v @ blk)
        blk = h[: hi + 1, rows]
        blk -= np.outer(blk @ v, tau * v)
        if q is not None:
            blk = q[lo : hi + 1, rows]
            blk -= np.outer(blk @ v, tau * v)


def _reduce_scaled(h, q=None):
    """:func:`_reduce_inplace` on ``h / 2**k`` (exact; ``max|h|`` about 1), scaled back after.

    The scaling keeps every product of the updates from overflowing; ``H`` itself can still
    overflow when scaled back, which :func:`hessenberg` reports.
    """
    n = h.shape[0]
    big = float(np.abs(h).max()) if h.size else 0.0
    k = math.frexp(big)[1] if big else 0
    h[...] = np.ldexp(h, -k)
    _reduce_inplace(h, 0, n - 1, q)
    with np.errstate(over="ignore"):
        h[...] = np.ldexp(h, k)


def hessenberg(a: ArrayLike, calc_q: bool = False) -> FloatArray | tuple[FloatArray, FloatArray]:
    """Reduce a square matrix to upper Hessenberg form by an orthogonal similarity.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Real square matrix or stack of matrices.
    calc_q : bool, optional
        Also return the orthogonal matrix :math:`Q` (default False).

    Returns
    -------
    H : ndarray, shape (..., n, n)
        Upper Hessenberg: ``H[i, j] == 0`` for ``i > j + 1``.
    Q : ndarray, shape (..., n, n)
        Orthogonal, with :math:`A = Q H Q^T`. Only when ``calc_q`` is true.

    Raises
    ------
    LinAlgError
        If ``a`` is not square or has fewer than two dimensions.
    TypeError
        Complex or non-numeric input.
    ValueError
        NaN or infinity in ``a``.

    Notes
    -----
    For :math:`k = 0, \\dots, n-3` a Householder reflector
    :math:`P_k = I - \\tau_k v_k v_k^T` (with :math:`v_k` zero in its first :math:`k+1`
    entries) maps column :math:`k` below the subdiagonal to zero; it is applied from both
    sides, :math:`A \\leftarrow P_k A P_k`, so the eigenvalues are preserved and

    .. math:: H = Q^T A Q, \\qquad Q = P_0 P_1 \\cdots P_{n-3}.

    Each step is two matrix-vector products and two rank-one updates (vectorized over the
    whole trailing block). Cost: :math:`\\tfrac{10}{3} n^3` flops for :math:`H`, another
    :math:`\\tfrac{4}{3} n^3` for :math:`Q`. Backward stable: the computed :math:`H` is the
    exact reduction of :math:`A + E` with :math:`\\lVert E \\rVert = O(\\varepsilon
    \\lVert A \\rVert)`. It is the first stage of :func:`m4ml.linalg.eig.eig`, making each QR
    iteration cost :math:`O(n^2)` instead of :math:`O(n^3)`.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., Johns Hopkins, 2013,
    Section 7.4.3 (Algorithm 7.4.2).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.hessenberg import hessenberg
    >>> A = np.array([[4.0, 1.0, 2.0, 3.0], [1.0, 3.0, 0.0, 1.0],
    ...               [2.0, 0.0, 2.0, 1.0], [3.0, 1.0, 1.0, 1.0]])
    >>> H, Q = hessenberg(A, calc_q=True)
    >>> np.allclose(np.tril(H, -2), 0), np.allclose(Q @ H @ Q.T, A)
    (True, True)
    >>> np.allclose(Q.T @ Q, np.eye(4))
    True
    """
    arr = as_square_stack(a, "a", copy=True)
    n = arr.shape[-1]
    qs = np.broadcast_to(np.eye(n), arr.shape).copy() if calc_q else None
    if calc_q:
        map_stack(_reduce_scaled, arr, qs)
    else:
        map_stack(_reduce_scaled, arr)
    if not np.isfinite(arr).all():
        raise LinAlgError(
            "the Hessenberg form of a overflows float64 (an entry exceeds 1.8e308); "
            "scale a down and scale H back"
        )
    if calc_q:
        return arr, qs
    return arr
