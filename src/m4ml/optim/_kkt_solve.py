r"""Regularized quasi-definite solves of the KKT systems of a convex QP (private).

The interior-point methods in :mod:`m4ml.optim.qp` and :mod:`m4ml.optim.linprog` solve, many
times, systems

.. math:: \begin{pmatrix} H & A^\top \\ A & 0 \end{pmatrix}
          \begin{pmatrix} u \\ v \end{pmatrix} = \begin{pmatrix} r_1 \\ r_2 \end{pmatrix}

with :math:`H` symmetric positive semidefinite. The matrix is factored with a small
regularization, :math:`\begin{pmatrix} H + \delta I & A^\top \\ A & -\delta I
\end{pmatrix}`, which is quasi-definite, hence factorable by two Cholesky factorizations
(of :math:`H + \delta I` and of the Schur complement :math:`A (H + \delta I)^{-1} A^\top +
\delta I`) for any :math:`H \succeq 0` and any :math:`A`, including rank-deficient ones;
iterative refinement against the unregularized matrix then removes the :math:`O(\delta)`
perturbation.
"""

import numpy as np

from m4ml._core import LinAlgError
from m4ml.linalg.cholesky import cholesky
from m4ml.linalg.triangular import solve_triangular

_REG = 1e-9


class KKTSolver:
    """Factor ``[[H, A^T], [A, 0]]`` (regularized) once; solve it for many right-hand sides."""

    def __init__(self, H, A, scale=1.0, reg=_REG):
        self.H, self.A = H, A
        Hs = 0.5 * (H + H.T)
        # dynamic regularization: when rounding makes H + delta I numerically indefinite (an
        # interior point near the end, where D spans 20 orders of magnitude), retry with a
        # 100x larger delta; refinement against the true matrix recovers the accuracy
        self.delta = reg * scale
        big = 1e-14 * float(np.max(np.abs(np.diag(Hs)), initial=0.0))
        for _ in range(6):
            try:
                self._factor(Hs)
                return
            except LinAlgError:
                self.delta = max(100.0 * self.delta, big)
        self._factor(Hs)

    def _factor(self, Hs):
        n, p = Hs.shape[0], self.A.shape[0]
        Hr = Hs.copy()
        Hr[np.diag_indices(n)] += self.delta
        # the inverses of the triangular factors, formed once with matrix right-hand sides
        # (BLAS-3), make every later solve two matrix-vector products
        self.Li = solve_triangular(cholesky(Hr), np.eye(n))
        if p:
            self.W = self.Li @ self.A.T  # L^{-1} A^T
            S = self.W.T @ self.W
            S = 0.5 * (S + S.T)
            S[np.diag_indices(p)] += self.delta
            self.Lsi = solve_triangular(cholesky(S), np.eye(p))

    def _solve_regularized(self, r1, r2):
        u = self.Li @ r1
        if self.A.shape[0] == 0:
            return self.Li.T @ u, np.zeros(0)
        v = self.Lsi.T @ (self.Lsi @ (self.W.T @ u - r2))
        return self.Li.T @ (u - self.W @ v), v

    def solve(self, r1, r2, steps=8):
        """Solve the unregularized system by the regularized factors plus refinement."""
        u, v = self._solve_regularized(r1, r2)
        scale = 1e-15 * (1.0 + max(np.abs(r1).max(initial=0.0), np.abs(r2).max(initial=0.0)))
        for _ in range(steps):
            e1 = r1 - self.H @ u - self.A.T @ v
            e2 = r2 - self.A @ u
            if max(np.abs(e1).max(initial=0.0), np.abs(e2).max(initial=0.0)) <= scale:
                break
            du, dv = self._solve_regularized(e1, e2)
            u, v = u + du, v + dv
        return u, v
