"""Blocked Householder QR kernels (private building blocks of :func:`m4ml.linalg.qr.qr`).

Storage convention. The kernels work on ``W = A.T`` (a C-contiguous ``n x m`` array), so that a
column of ``A`` is a contiguous row of ``W``. After :func:`_factor`, row ``j`` of ``W`` holds

* ``R[: j + 1, j]`` in ``W[j, : j + 1]`` (on and left of the diagonal of ``W``), and
* the essential part of the ``j``-th Householder vector ``v_j`` (``v_j[j] = 1`` implied,
  ``v_j[:j] = 0``) in ``W[j, j + 1 :]``,

which is the transpose of LAPACK's ``geqrf`` layout. ``tau[j]`` is the scalar of the reflector
:math:`H_j = I - \\tau_j v_j v_j^T`, and :math:`Q = H_0 H_1 \\cdots H_{k-1}`.

Blocking. A panel of ``nb`` columns is factored one column at a time (a handful of NumPy calls
per column); its reflectors are then aggregated in compact WY form
:math:`H_j \\cdots H_{j+nb-1} = I - V T V^T` (Schreiber & Van Loan, 1989) with ``T`` upper
triangular, and applied to the trailing columns with three matrix products, so that all but
:math:`O(m n \\cdot nb)` of the :math:`2mn^2 - 2n^3/3` flops run in BLAS-3 ``@``.
"""

import math

import numpy as np

_TINY = np.finfo(np.float64).tiny
_BIG = 1e150
_SMALL = 1e-150


def _block_size(m, n):
    """Panel width: wide enough for efficient matmuls, narrow enough for cheap panels."""
    k = min(m, n)
    if k <= 48:
        return max(k, 1)
    return 32


def _reflector(x):
    """Overwrite ``x`` with ``[beta, v[1:]]`` and return ``tau`` so that ``H x = beta e_1``.

    :math:`\\beta = -\\mathrm{sign}(x_0)\\|x\\|_2` and
    :math:`v = (x - \\beta e_1) / (x_0 - \\beta)`, so :math:`|x_0 - \\beta| \\ge \\|x\\|`
    (no cancellation, no tiny divisor) and :math:`\\tau = (\\beta - x_0)/\\beta \\in [1, 2]`.
    A zero tail gives ``tau = 0`` (``H = I``): no division by a zero norm. The sign of
    ``beta`` is made non-negative afterwards by :func:`_positive_diagonal`.
    """
    x0 = float(x[0])
    tail = x[1:]
    sigma = float(tail @ tail)
    if sigma == 0.0 and not tail.any():
        return 0.0
    if _SMALL < x0 * x0 + sigma < _BIG:
        scale = 1.0
    else:  # rescale so that squaring neither overflows nor underflows
        scale = float(np.abs(x).max())
        x0 = x0 / scale
        tail /= scale
        sigma = float(tail @ tail)
    beta = -math.copysign(math.sqrt(x0 * x0 + sigma), x0)
    tail *= 1.0 / (x0 - beta)
    x[0] = beta * scale
    return (beta - x0) / beta


def _positive_diagonal(Q, R):
    """Flip the signs of rows of ``R`` (and columns of ``Q``) so that ``diag(R) >= 0``."""
    k = min(R.shape)
    d = np.where(np.diagonal(R)[:k] < 0, -1.0, 1.0)
    R[:k] *= d[:, None]
    R += 0.0  # turn the -0.0 of negated zeros into +0.0
    if Q is not None:
        Q[:, :k] *= d


def _panel(P, tau):
    """Unblocked Householder QR of the panel ``P`` (transposed layout, ``nb x p``), in place."""
    nb = P.shape[0]
    for jj in range(nb):
        x = P[jj, jj:]
        t = _reflector(x)
        tau[jj] = t
        if t != 0.0 and jj + 1 < nb:
            rest = P[jj + 1 :, jj:]
            beta = x[0]
            x[0] = 1.0  # x is now the full reflector vector v
            w = rest @ x
            w *= t
            rest -= w[:, None] * x
            x[0] = beta


def _wy(P, tau):
    """Return ``(Vt, T)``: the reflectors of a factored panel as rows, and the WY factor ``T``.

    ``H_0 H_1 \\cdots H_{nb-1} = I - V T V^T`` with ``V = Vt.T``; ``T`` is built by the
    recurrence :math:`T_{:j, j} = -\\tau_j T_{:j,:j} V_{:, :j}^T v_j`, :math:`T_{jj} = \\tau_j`.
    """
    nb = P.shape[0]
    Vt = P.copy()
    head = Vt[:, :nb]  # R sits on and left of the diagonal here: replace it by [1; 0]
    head[np.tri(nb, dtype=bool)] = 0.0
    head[np.diag_indices(nb)] = 1.0
    G = Vt @ Vt.T
    T = np.zeros((nb, nb))
    for j in range(nb):
        T[j, j] = tau[j]
        if j:
            T[:j, j] = (-tau[j]) * (T[:j, :j] @ G[:j, j])
    return Vt, T


def _factor(W, store_wy=True):
    """Blocked Householder QR of ``A = W.T`` in place; return ``tau`` and the WY blocks.

    Returns
    -------
    tau : ndarray, shape (k,)
    blocks : list of (j, Vt, T)
        One entry per panel starting at column ``j`` (empty if ``store_wy`` is false).
    """
    n, m = W.shape
    k = min(m, n)
    nb = _block_size(m, n)
    tau = np.zeros(k)
    blocks = []
    # An overflowing sum of squares is rescaled in _reflector; if R itself overflows, qr raises.
    with np.errstate(over="ignore", invalid="ignore"):
        _factor_loop(W, k, nb, tau, blocks, store_wy)
    return tau, blocks


def _factor_loop(W, k, nb, tau, blocks, store_wy):
    n = W.shape[0]
    for j in range(0, k, nb):
        jb = min(nb, k - j)
        P = W[j : j + jb, j:]
        _panel(P, tau[j : j + jb])
        trailing = j + jb < n
        if trailing or store_wy:
            Vt, T = _wy(P, tau[j : j + jb])
            if trailing:
                W2 = W[j + jb :, j:]
                # Q_b^T A2 = A2 - V T^T V^T A2, transposed: W2 - (W2 V) T V^T
                W2 -= ((W2 @ Vt.T) @ T) @ Vt
            if store_wy:
                blocks.append((j, Vt, T))


def _form_q(blocks, m, ncols):
    """Return ``Q[:, :ncols]`` for ``Q = H_0 \\cdots H_{k-1}``, as the transpose ``Qt`` (ncols x m).

    Backward accumulation: start from the identity and apply the blocks last to first; block
    ``b`` starting at column ``j`` only touches rows and columns ``j:`` of ``Q``.
    """
    Qt = np.zeros((ncols, m))
    idx = np.arange(min(ncols, m))
    Qt[idx, idx] = 1.0
    for j, Vt, T in reversed(blocks):
        S = Qt[j:, j:]
        S -= ((S @ Vt.T) @ T.T) @ Vt
    return Qt
