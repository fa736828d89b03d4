r"""The SVM dual handed to a general QP solver — the teaching counterpart of the SMO solver.

:func:`svm_dual_qp` writes the C-SVC dual of :mod:`m4ml.models.svc` in the standard form of
:func:`m4ml.optim.solve_qp`,

.. math::

    \min_\alpha \tfrac12\alpha^\top Q\alpha - \mathbf 1^\top\alpha \quad\text{s.t.}\quad
    \begin{bmatrix}-I\\ I\end{bmatrix}\alpha \le \begin{bmatrix}0\\ C\end{bmatrix},\quad
    y^\top\alpha = 0,

and solves it by a primal--dual interior-point method: :math:`O(n^3)` per iteration on the
dense :math:`n\times n` matrix :math:`Q`, so only for small problems, where it shows the same
optimum the specialised solver reaches (compare ``SVC(...)._dual_objective``). The QP's
multipliers are the Lagrange multipliers of the box: :math:`z_{lo,i} > 0` exactly when
:math:`\alpha_i = 0` is active, :math:`z_{hi,i} > 0` when :math:`\alpha_i = C_i` is, and the
multiplier of :math:`y^\top\alpha = 0` is the threshold :math:`\rho` (up to sign).
"""

import numpy as np

from m4ml._core import overflow_guard
from m4ml._core.hints import ArrayLike
from m4ml._core.validation import as_float_array
from m4ml.optim import solve_qp

__all__ = ["SVMDualQPResult", "svm_dual_qp"]


class SVMDualQPResult:
    """``alpha``, ``rho``, ``objective``, ``support`` (indices with alpha > tol) and the QP's
    own result ``qp``."""

    def __init__(self, alpha, rho, objective, support, qp):
        self.alpha, self.rho, self.objective, self.support, self.qp = (
            alpha,
            rho,
            objective,
            support,
            qp,
        )


@overflow_guard("svm_dual_qp")
def svm_dual_qp(
    K: ArrayLike, y: ArrayLike, C: float | ArrayLike, *, tol: float = 1e-10
) -> SVMDualQPResult:
    r"""Solve the C-SVC dual for the Gram matrix ``K`` with :func:`m4ml.optim.solve_qp`.

    Parameters
    ----------
    K : array_like of shape (n, n)
        Kernel matrix of the training samples.
    y : array_like of shape (n,)
        Labels in {-1, +1}.
    C : float or array_like of shape (n,)
        Box bounds.
    tol : float
        Tolerance of the interior-point method.

    Returns
    -------
    SVMDualQPResult
        ``rho`` is the average of :math:`y_iG_i` over the free multipliers (as SMO computes it),
        so the decision function is :math:`\sum_i\alpha_iy_iK(x_i, x) - \rho`.

    Raises
    ------
    ValueError
        Labels other than +-1, or mismatched shapes.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-1.0], [1.0]])
    >>> res = svm_dual_qp(X @ X.T, np.array([-1.0, 1.0]), 10.0)
    >>> np.round(res.alpha, 6).tolist(), round(res.rho, 6)
    ([0.5, 0.5], 0.0)
    """
    K = as_float_array(K, "K", min_ndim=2, max_ndim=2)
    y = as_float_array(y, "y", min_ndim=1, max_ndim=1)
    n = y.shape[0]
    if K.shape != (n, n):
        raise ValueError(f"K must have shape ({n}, {n}) to match y, got {K.shape}")
    if not np.all(np.abs(y) == 1):
        raise ValueError("y must hold labels -1 and +1")
    C = np.broadcast_to(np.asarray(C, dtype=np.float64), (n,))
    Q = (y[:, None] * y[None, :]) * K
    Q = (Q + Q.T) / 2.0
    G = np.vstack([-np.eye(n), np.eye(n)])
    h = np.concatenate([np.zeros(n), C])
    res = solve_qp(Q, -np.ones(n), G, h, y[None, :], np.zeros(1), tol=tol)
    alpha = np.clip(res.x, 0.0, C)
    grad = Q @ alpha - 1.0
    scale = float(C.max())
    free = (alpha > 1e-6 * scale) & (alpha < C - 1e-6 * scale)
    yG = y * grad
    rho = float(yG[free].mean()) if free.any() else float(-res.y[0])
    objective = 0.5 * float(alpha @ Q @ alpha) - float(alpha.sum())
    support = np.flatnonzero(alpha > 1e-6 * scale)
    return SVMDualQPResult(alpha, rho, objective, support, res)
