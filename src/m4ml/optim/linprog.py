r"""Linear programs with scipy.optimize.linprog's conventions: interior point (default) or a
dense two-phase simplex for teaching; duals reported as HiGHS marginals."""

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from m4ml._core import as_float_array, check_positive_int, overflow_guard
from m4ml._core.hints import ArrayLike
from m4ml.optim._simplex import simplex_standard_form
from m4ml.optim.duality import kkt_residuals
from m4ml.optim.qp import solve_qp

__all__ = ["LinprogResult", "linprog"]

_STATUS = {"optimal": 0, "max_iter": 1, "infeasible": 2, "unbounded": 3}


class Marginals:
    """Residuals and sensitivities of one group of constraints (``ineqlin``, ``eqlin``, ...).

    Attributes
    ----------
    residual : ndarray
        Slack of each constraint (:math:`b - A x`, :math:`x - l` or :math:`u - x`).
    marginals : ndarray
        :math:`\\partial f^\\star / \\partial` (right-hand side or bound) of each constraint.
    """

    def __init__(self, residual, marginals):
        self.residual = residual
        self.marginals = marginals

    def __repr__(self):
        return f"Marginals(residual={self.residual!r}, marginals={self.marginals!r})"


class LinprogResult:
    """Solution of :func:`linprog`, with the attributes of scipy's HiGHS result.

    Attributes
    ----------
    x : ndarray or None
    fun : float or None
    slack, con : ndarray
        :math:`b_{ub} - A_{ub} x` and :math:`b_{eq} - A_{eq} x`.
    ineqlin, eqlin, lower, upper : Marginals
    kkt : KKTResiduals or None
        Residuals of the KKT conditions at ``x`` and the marginals, with the bounds written
        as rows of :math:`G x \\le h` (see :func:`m4ml.optim.duality.kkt_residuals`).
    status : int
        0 optimal, 1 iteration limit, 2 infeasible, 3 unbounded (scipy's codes).
    success : bool
    message : str
    nit : int
    """

    def __init__(self, **fields: Any):
        self.__dict__.update(fields)
        self.success = fields["status"] == 0

    def __repr__(self):
        return f"LinprogResult(status={self.status}, fun={self.fun!r}, x={self.x!r})"


def _bounds(bounds, n):
    """(lo, hi) arrays from scipy-style bounds: one pair for all, or a sequence of n pairs."""
    if bounds is None:
        return np.full(n, -np.inf), np.full(n, np.inf)
    try:
        arr = np.array(bounds, dtype=object)
    except ValueError:
        raise ValueError("bounds must be a (low, high) pair or a sequence of n pairs") from None
    if arr.shape == (2,):
        arr = np.tile(arr, (n, 1))
    if arr.shape != (n, 2):
        raise ValueError(f"bounds must be one (low, high) pair or {n} pairs, got shape {arr.shape}")
    try:
        lo = np.array([-np.inf if v is None else v for v in arr[:, 0]], dtype=float)
        hi = np.array([np.inf if v is None else v for v in arr[:, 1]], dtype=float)
    except (TypeError, ValueError):
        raise ValueError("bounds must hold numbers or None") from None
    if np.isnan(lo).any() or np.isnan(hi).any() or np.isposinf(lo).any() or np.isneginf(hi).any():
        raise ValueError("bounds must be finite numbers, None or -inf/inf on the open side")
    if np.any(lo > hi):
        j = int(np.argmax(lo > hi))
        raise ValueError(f"bounds of variable {j} are inconsistent: low {lo[j]} > high {hi[j]}")
    return lo, hi


def _matrix(M, v, n, mname, vname):
    if (M is None) != (v is None):
        raise ValueError(f"{mname} and {vname} must be given together")
    if M is None:
        return np.zeros((0, n)), np.zeros(0)
    M = as_float_array(M, mname, min_ndim=1, max_ndim=2)
    M = M.reshape(1, -1) if M.ndim == 1 else M
    v = np.atleast_1d(as_float_array(v, vname, max_ndim=1))
    if M.shape[1] != n or v.shape != (M.shape[0],):
        raise ValueError(
            f"{mname} must have shape (k, {n}) and {vname} shape (k,), got {M.shape} and {v.shape}"
        )
    return M, v


@overflow_guard("linprog")
def linprog(
    c: ArrayLike,
    A_ub: ArrayLike | None = None,
    b_ub: ArrayLike | None = None,
    A_eq: ArrayLike | None = None,
    b_eq: ArrayLike | None = None,
    bounds: tuple[float | None, float | None] | Sequence[tuple[float | None, float | None]] = (
        0,
        None,
    ),
    method: Literal["interior-point", "simplex"] = "interior-point",
    *,
    tol: float = 1e-9,
    maxiter: int | None = None,
) -> LinprogResult:
    r"""Minimize a linear objective subject to linear constraints and bounds.

    .. math:: \min_x c^\top x \quad\text{s.t.}\quad A_{ub} x \le b_{ub},\;
              A_{eq} x = b_{eq},\; l \le x \le u.

    Parameters
    ----------
    c : array_like, shape (n,)
    A_ub, b_ub : array_like, shape (m, n) and (m,), optional
    A_eq, b_eq : array_like, shape (p, n) and (p,), optional
    bounds : (low, high) or sequence of n (low, high), default (0, None)
        ``None`` (or an infinite value) marks an open side; ``bounds=None`` makes every
        variable free. As in ``scipy.optimize.linprog``.
    method : {"interior-point", "simplex"}
        Mehrotra's primal–dual interior point (:func:`m4ml.optim.qp.solve_qp` with
        :math:`P = 0`), or the dense two-phase simplex with Bland's rule.
    tol : float, default 1e-9
        Relative optimality tolerance of the interior point; pivot tolerance scale of the
        simplex.
    maxiter : int, optional
        Iteration limit (default 100 interior-point iterations, 50000 simplex pivots).

    Returns
    -------
    LinprogResult
        ``x``, ``fun``, ``slack``, ``con``, ``status`` (0 optimal, 1 iteration limit,
        2 infeasible, 3 unbounded), ``success``, ``message``, ``nit`` and the duals as HiGHS
        reports them: ``ineqlin.marginals`` (:math:`\le 0`), ``eqlin.marginals``,
        ``lower.marginals`` (:math:`\ge 0`), ``upper.marginals`` (:math:`\le 0`), the
        derivatives of the optimal value with respect to each right-hand side and bound.

    Raises
    ------
    ValueError
        Mismatched shapes, NaN/inf in the data, bad bounds or an unknown method.

    Notes
    -----
    The marginals satisfy the dual (KKT) conditions

    .. math:: c = A_{ub}^\top \lambda_{ub} + A_{eq}^\top \lambda_{eq} + \lambda_l + \lambda_u,
              \qquad \lambda_{ub}, \lambda_u \le 0 \le \lambda_l,

    with complementary slackness, and by strong duality :math:`f^\star = b_{ub}^\top
    \lambda_{ub} + b_{eq}^\top \lambda_{eq} + l^\top\lambda_l + u^\top\lambda_u` (over the
    finite bounds). The interior point writes the bounds as extra rows of :math:`G x \le h`
    and its multipliers :math:`z, y` give the marginals as :math:`-z` and :math:`-y`. The
    simplex moves between vertices; see :func:`m4ml.optim._simplex.simplex_standard_form`
    for its standard form, phases and anti-cycling rule. It is exponential in the worst case
    and :math:`O(m N)` per pivot on a dense tableau: a teaching method, correct on small
    problems; the interior point is the default.

    References
    ----------
    .. [1] G. B. Dantzig, *Linear Programming and Extensions*, Princeton, 1963.
    .. [2] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., 2006, ch. 13–14.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.optim.linprog import linprog
    >>> res = linprog([-1.0, -2.0], A_ub=[[1.0, 1.0], [1.0, -1.0]], b_ub=[4.0, 1.0])
    >>> res.status, np.round(res.x, 6), round(res.fun, 6)
    (0, array([0., 4.]), -8.0)
    >>> np.round(res.ineqlin.marginals, 6)
    array([-2., -0.])
    >>> np.round(linprog([-1.0, -2.0], [[1.0, 1.0]], [4.0], method="simplex").x, 6)
    array([0., 4.])
    """
    c = as_float_array(c, "c", min_ndim=1, max_ndim=1)
    n = c.shape[0]
    if n == 0:
        raise ValueError("c is empty: the problem has no variables")
    A_ub, b_ub = _matrix(A_ub, b_ub, n, "A_ub", "b_ub")
    A_eq, b_eq = _matrix(A_eq, b_eq, n, "A_eq", "b_eq")
    lo, hi = _bounds(bounds, n)
    if method not in ("interior-point", "simplex"):
        raise ValueError(f"method must be 'interior-point' or 'simplex', got {method!r}")
    if maxiter is not None:
        maxiter = check_positive_int(maxiter, "maxiter")
    if method == "simplex":
        status, x, lam_ub, lam_eq, nit, msg = simplex_standard_form(
            c, A_ub, b_ub, A_eq, b_eq, lo, hi, tol=tol, maxiter=maxiter or 50000
        )
    else:
        status, x, lam_ub, lam_eq, nit, msg = _interior(
            c, A_ub, b_ub, A_eq, b_eq, lo, hi, tol, maxiter or 100
        )
    return _result(c, A_ub, b_ub, A_eq, b_eq, lo, hi, status, x, lam_ub, lam_eq, nit, msg)


def _interior(c, A_ub, b_ub, A_eq, b_eq, lo, hi, tol, maxiter):
    n = c.shape[0]
    low, up = np.flatnonzero(np.isfinite(lo)), np.flatnonzero(np.isfinite(hi))
    eye = np.eye(n)
    G = np.vstack([A_ub, -eye[low], eye[up]])
    h = np.concatenate([b_ub, -lo[low], hi[up]])
    if A_eq.shape[0]:
        res = solve_qp(None, c, G, h, A_eq, b_eq, tol=tol, max_iter=maxiter)
    else:
        res = solve_qp(None, c, G, h, tol=tol, max_iter=maxiter)
    if res.x is None:
        return res.status, None, None, None, res.nit, res.message
    # an interior point approaches the bounds from inside up to the tolerance: put x exactly
    # on a bound it violates by rounding (the KKT residuals are computed after this)
    x = np.clip(res.x, lo, hi)
    return res.status, x, -res.z[: A_ub.shape[0]], -res.y, res.nit, res.message


def _result(c, A_ub, b_ub, A_eq, b_eq, lo, hi, status, x, lam_ub, lam_eq, nit, msg):
    code = _STATUS[status]
    if x is None:
        empty = Marginals(None, None)
        return LinprogResult(
            x=None, fun=None, slack=None, con=None, status=code, message=msg, nit=nit,
            ineqlin=empty, eqlin=empty, lower=empty, upper=empty, kkt=None,
        )  # fmt: skip
    # the bound marginals are what is left of c after the constraint rows:
    # c = A_ub' l_ub + A_eq' l_eq + l_lower + l_upper, split by sign onto the finite bounds
    r = c - A_ub.T @ lam_ub - A_eq.T @ lam_eq
    lower = np.where(np.isfinite(lo), np.maximum(r, 0.0), 0.0)
    upper = np.where(np.isfinite(hi), np.minimum(r, 0.0), 0.0)
    fixed_or_free = ~np.isfinite(lo) & ~np.isfinite(hi)
    lower[fixed_or_free] = upper[fixed_or_free] = 0.0
    low, up = np.isfinite(lo), np.isfinite(hi)
    eye = np.eye(c.shape[0])
    kkt = kkt_residuals(
        None,
        c,
        np.vstack([A_ub, -eye[low], eye[up]]),
        np.concatenate([b_ub, -lo[low], hi[up]]),
        A_eq,
        b_eq,
        x=x,
        z=np.concatenate([-lam_ub, lower[low], -upper[up]]),
        y=-lam_eq,
    )
    return LinprogResult(
        x=x,
        fun=float(c @ x),
        slack=b_ub - A_ub @ x,
        con=b_eq - A_eq @ x,
        status=code,
        message=msg,
        nit=nit,
        ineqlin=Marginals(b_ub - A_ub @ x, lam_ub),
        eqlin=Marginals(b_eq - A_eq @ x, lam_eq),
        lower=Marginals(x - lo, lower),
        upper=Marginals(hi - x, upper),
        kkt=kkt,
    )
