"""The result object of :func:`m4ml.optim.qp.solve_qp` (private module; the class is public)."""

from dataclasses import dataclass

import numpy as np

from m4ml.optim.duality import KKTResiduals


@dataclass(frozen=True, eq=False)
class QPResult:
    r"""Solution of a convex quadratic program and its certificate of optimality.

    Attributes
    ----------
    x : ndarray, shape (n,) or None
        Primal solution (``None`` when infeasible or unbounded).
    z : ndarray, shape (m,) or None
        Multipliers of :math:`G x \le h` (non-negative).
    y : ndarray, shape (p,) or None
        Multipliers of :math:`A x = b`.
    s : ndarray, shape (m,) or None
        Slacks :math:`h - G x`.
    primal_objective, dual_objective : float
        :math:`f(x)` and the dual function :math:`g(z, y)`; ``inf`` (infeasible) or ``-inf``
        (unbounded) for the failures.
    duality_gap : float
        ``primal_objective - dual_objective`` (NaN when there is no solution).
    kkt : KKTResiduals or None
        Residuals of the KKT conditions at ``(x, z, y)``.
    nit : int
        Interior-point iterations (0 for an equality-only QP).
    status : str
        ``"optimal"``, ``"infeasible"``, ``"unbounded"`` or ``"max_iter"``.
    message : str
    certificate : tuple or ndarray or None
        ``(z, y)`` with :math:`z \ge 0`, :math:`G^\top z + A^\top y \approx 0`,
        :math:`h^\top z + b^\top y = -1` for an infeasible problem; a direction :math:`d` with
        :math:`P d \approx 0`, :math:`A d \approx 0`, :math:`G d \lesssim 0`,
        :math:`q^\top d = -1` for an unbounded one.
    """

    x: np.ndarray | None
    z: np.ndarray | None
    y: np.ndarray | None
    s: np.ndarray | None
    primal_objective: float
    dual_objective: float
    duality_gap: float
    kkt: KKTResiduals | None
    nit: int
    status: str
    message: str
    certificate: object = None

    @property
    def success(self) -> bool:
        """True when ``status == "optimal"``."""
        return self.status == "optimal"

    @property
    def fun(self) -> float:
        """The primal objective (scipy's name)."""
        return self.primal_objective
