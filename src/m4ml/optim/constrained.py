r"""Nonlinear programs with equality and inequality constraints: the public entry point.

:func:`minimize_constrained` validates the problem, builds the shared constraint plumbing
(:mod:`m4ml.optim._constraints`) and hands it to one worker: sequential quadratic programming
(:mod:`m4ml.optim.sqp`) or the augmented Lagrangian (:mod:`m4ml.optim.augmented_lagrangian`).
No worker calls back into this module or into :func:`m4ml.optim.minimize`.
"""

from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from m4ml._core import as_float_array, check_positive_int
from m4ml._core.hints import ArrayLike, FloatArray, HasBounds
from m4ml.optim._constraints import parse_constraints
from m4ml.optim._derivatives import Objective
from m4ml.optim._result import OptimizeResult
from m4ml.optim.augmented_lagrangian import augmented_lagrangian
from m4ml.optim.methods_bounds import parse_bounds
from m4ml.optim.sqp import sqp

__all__ = ["minimize_constrained"]


def minimize_constrained(
    fun: Callable[[FloatArray], float],
    x0: ArrayLike,
    *,
    jac: Callable[[FloatArray], ArrayLike] | None = None,
    constraints: dict[str, Any] | Sequence[dict[str, Any]] = (),
    bounds: Sequence[tuple[float | None, float | None]] | HasBounds | None = None,
    tol: float = 1e-8,
    max_iter: int = 200,
    callback: Callable[..., Any] | None = None,
    method: Literal["auto", "sqp", "augmented-lagrangian"] = "auto",
) -> OptimizeResult:
    r"""Minimize :math:`f(x)` subject to equality and inequality constraints (SQP).

    .. math:: \min_x f(x) \quad\text{s.t.}\quad c_i(x) = 0\ (i \in E),\quad
              c_i(x) \ge 0\ (i \in I),\quad \ell \le x \le u

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    x0 : array_like, shape (n,)
        Starting point (need not be feasible).
    jac : callable, optional
        Gradient of ``fun``; default :mod:`m4ml.autodiff`, else central differences.
    constraints : dict or sequence of dicts
        scipy's format: ``{"type": "eq" | "ineq", "fun": c, "jac": optional, "args": ()}`` with
        ``"ineq"`` meaning :math:`c(x) \ge 0`; ``c`` may return a scalar or an array.
    bounds : sequence of (low, high) or an object with ``lb``/``ub``, optional
        Box bounds (``None`` / infinite for a free side), handled as linear inequalities.
    tol : float, default 1e-8
        Tolerance on the KKT residuals (stationarity relative to :math:`\max(1,
        \|\nabla f\|_\infty)`, feasibility, complementarity).
    max_iter : int, default 200
    callback : callable, optional
        ``callback(xk)`` after each iteration; returning ``True`` stops (status 3).
    method : {"auto", "sqp", "augmented-lagrangian"}
        ``"auto"`` is SQP. ``"augmented-lagrangian"`` is the method of multipliers with
        L-BFGS (projected L-BFGS with bounds) inner solves (``max_iter`` then counts
        outer iterations, at most 100; the result also has the final ``penalty``
        :math:`\rho`); it needs no QP solver and suits many variables with few constraints.

    Returns
    -------
    OptimizeResult
        ``x``, ``fun``, ``jac``, ``multipliers`` (one array per constraint, in the order
        given: :math:`\lambda` for equalities, :math:`\mu \ge 0` for inequalities),
        ``bound_multipliers`` (lower bounds first, then upper, finite ones only), ``kkt``
        (``"stationarity"``, ``"feasibility"``, ``"complementarity"``), ``nit``, ``nfev``,
        ``njev``, ``success``, ``status`` (0 converged, 1 iteration limit, 2 no progress in the
        line search, 3 callback, 4 infeasible), ``message``, ``history`` (``"fun"`` and
        ``"feasibility"`` per iterate).

    Raises
    ------
    ValueError
        A malformed constraint, bad ``x0``/``bounds``/``tol``/``method``, or a function that is
        not finite at ``x0``.
    TypeError
        ``fun``, ``jac`` or a constraint function is not callable.

    Notes
    -----
    With :math:`\mathcal L = f - \lambda^\top c_E - \mu^\top c_I`, each iteration solves the QP

    .. math:: \min_d \tfrac12 d^\top B d + \nabla f^\top d \quad\text{s.t.}\quad
              c_E + J_E d = 0,\quad c_I + J_I d \ge 0,

    whose multipliers are the new :math:`(\lambda, \mu)`. :math:`B` is a damped BFGS
    approximation of :math:`\nabla^2_{xx}\mathcal L` (Powell's damping keeps it positive
    definite, so the QP is convex). The step length comes from backtracking on the
    :math:`\ell_1` merit function :math:`\phi(x) = f + \nu(\|c_E\|_1 + \|\max(0, -c_I)\|_1)`
    with :math:`\nu` above the largest multiplier, for which :math:`d` is a descent direction.
    When the linearized constraints have no solution the iteration moves to a point of least
    infeasibility (a QP minimizing the violation); if that point is still infeasible the
    problem is reported infeasible (``status`` 4). Cost per iteration: one QP of size
    :math:`n` with :math:`|E|` equalities and :math:`|I|` inequalities, and one evaluation of
    every derivative. Convergence is superlinear near a solution satisfying the second-order
    sufficient conditions and strict complementarity.

    References
    ----------
    .. [1] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006,
       ch. 18 (SQP, merit functions, damped BFGS: Procedure 18.2).
    .. [2] M. J. D. Powell, "A fast algorithm for nonlinearly constrained optimization
       calculations", Lecture Notes in Mathematics 630, 1978.

    Examples
    --------
    Rosenbrock's function on the unit disk:

    >>> import numpy as np
    >>> import m4ml.numpy as mnp
    >>> rosen = lambda x: 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
    >>> disk = {"type": "ineq", "fun": lambda x: 1 - x[0] ** 2 - x[1] ** 2}
    >>> res = minimize_constrained(rosen, [0.0, 0.0], constraints=[disk])
    >>> res.success, np.round(res.x, 4).tolist(), round(float(res.multipliers[0][0]), 4)
    (True, [0.7864, 0.6177], 0.1215)
    """
    if method not in ("auto", "sqp", "augmented-lagrangian"):
        raise ValueError(f"method must be 'auto', 'sqp' or 'augmented-lagrangian', got {method!r}")
    x = as_float_array(x0, "x0", copy=True).reshape(-1)
    if x.size == 0:
        raise ValueError("x0 must have at least one entry")
    obj = Objective(fun, x, jac=jac)
    if not (np.isscalar(tol) and np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    max_iter = check_positive_int(max_iter, "max_iter")
    n = x.size
    if bounds is None:
        lo, hi = np.full(n, -np.inf), np.full(n, np.inf)
    else:
        lo, hi = parse_bounds(bounds, n)
    cons = parse_constraints(constraints, x)
    if method == "augmented-lagrangian":
        return augmented_lagrangian(obj, x, cons, lo, hi, tol, min(max_iter, 100), callback)
    return sqp(obj, x, cons, lo, hi, tol, max_iter, callback)
