r"""Nonlinear programs with equality and inequality constraints by sequential quadratic
programming (SQP): a convex QP subproblem per iteration, solved by :func:`m4ml.optim.qp.solve_qp`.
"""

import numpy as np

from m4ml._core import as_float_array, check_positive_int
from m4ml.optim._derivatives import Objective
from m4ml.optim._result import OptimizeResult
from m4ml.optim.methods_bounds import parse_bounds
from m4ml.optim.qp import solve_qp

__all__ = ["minimize_constrained"]


class _Constraint:
    """One scipy-style constraint dict: values and Jacobian rows (autodiff or differences)."""

    def __init__(self, spec, k, x0):
        if not isinstance(spec, dict) or "type" not in spec or "fun" not in spec:
            raise ValueError(
                f"constraints[{k}] must be a dict with keys 'type' ('eq' or 'ineq') and 'fun'"
            )
        if spec["type"] not in ("eq", "ineq"):
            raise ValueError(
                f"constraints[{k}]['type'] must be 'eq' or 'ineq', got {spec['type']!r}"
            )
        if not callable(spec["fun"]):
            raise TypeError(f"constraints[{k}]['fun'] is not callable")
        self.kind, self.fun, self.jac = spec["type"], spec["fun"], spec.get("jac")
        self.args = tuple(spec.get("args", ()))
        if self.jac is not None and not callable(self.jac):
            raise TypeError(f"constraints[{k}]['jac'] must be callable")
        v = self.value(x0)
        if not np.isfinite(v).all():
            raise ValueError(f"constraints[{k}]['fun'] is not finite at x0")
        self.size = v.size
        if self.jac is None:
            try:
                from m4ml.autodiff import jacobian

                self._ad = jacobian(lambda x: self.fun(x, *self.args))
                np.asarray(self._ad(x0), dtype=float).reshape(self.size, x0.size)
            except Exception:  # not traceable: central differences
                self._ad = None

    def value(self, x):
        return np.asarray(self.fun(x, *self.args), dtype=float).reshape(-1)

    def jacobian(self, x):
        n = x.size
        if self.jac is not None:
            return np.asarray(self.jac(x, *self.args), dtype=float).reshape(self.size, n)
        if self._ad is not None:
            return np.asarray(self._ad(x), dtype=float).reshape(self.size, n)
        h = np.finfo(float).eps ** (1 / 3) * np.maximum(1.0, np.abs(x))
        J = np.empty((self.size, n))
        for i in range(n):  # one pair of evaluations per coordinate
            e = np.zeros(n)
            e[i] = h[i]
            J[:, i] = (self.value(x + e) - self.value(x - e)) / (2 * h[i])
        return J


def _evaluate(cons, lo, hi, x):
    """Stacked equality values/Jacobian and inequality (>= 0) values/Jacobian, bounds last."""
    n = x.size
    parts = {"eq": ([np.empty(0)], [np.empty((0, n))]), "ineq": ([np.empty(0)], [np.empty((0, n))])}
    for c in cons:
        parts[c.kind][0].append(c.value(x))
        parts[c.kind][1].append(c.jacobian(x))
    eye = np.eye(n)
    fl, fh = np.isfinite(lo), np.isfinite(hi)
    parts["ineq"][0].extend([x[fl] - lo[fl], hi[fh] - x[fh]])
    parts["ineq"][1].extend([eye[fl], -eye[fh]])
    ce, je = np.concatenate(parts["eq"][0]), np.vstack(parts["eq"][1])
    ci, ji = np.concatenate(parts["ineq"][0]), np.vstack(parts["ineq"][1])
    return ce, je, ci, ji


def _values(cons, lo, hi, x):
    """Equality and inequality (>= 0) values only, bounds last (for the line search)."""
    eq = [np.empty(0)] + [c.value(x) for c in cons if c.kind == "eq"]
    fl, fh = np.isfinite(lo), np.isfinite(hi)
    ineq = [np.empty(0)] + [c.value(x) for c in cons if c.kind == "ineq"]
    return np.concatenate(eq), np.concatenate([*ineq, x[fl] - lo[fl], hi[fh] - x[fh]])


def _kkt(g, ce, je, ci, ji, lam, mu):
    r"""KKT residuals (stationarity, feasibility, complementarity) at x, lambda, mu."""
    scale = max(1.0, float(np.abs(g).max(initial=0.0)))
    return {
        "stationarity": float(np.abs(g - je.T @ lam - ji.T @ mu).max(initial=0.0)) / scale,
        "feasibility": max(
            float(np.abs(ce).max(initial=0.0)), float(np.maximum(-ci, 0.0).max(initial=0.0))
        ),
        "complementarity": max(
            float(np.abs(mu * ci).max(initial=0.0)), float(np.maximum(-mu, 0.0).max(initial=0.0))
        ),
    }


def _split(cons, lam, mu):
    """Per-constraint multiplier arrays in the order given; the rest of mu are the bounds'."""
    out, ie, ii = [], 0, 0
    for c in cons:
        if c.kind == "eq":
            out.append(lam[ie : ie + c.size])
            ie += c.size
        else:
            out.append(mu[ii : ii + c.size])
            ii += c.size
    return out, mu[ii:]


def minimize_constrained(
    fun, x0, *, jac=None, constraints=(), bounds=None, tol=1e-8, max_iter=200, callback=None,
    method="auto",
):  # fmt: skip
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
        L-BFGS(-B) inner solves by :func:`m4ml.optim.minimize.minimize` (``max_iter`` then counts
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
    if isinstance(constraints, dict):
        constraints = [constraints]
    cons = [_Constraint(c, k, x) for k, c in enumerate(constraints or ())]
    if method == "augmented-lagrangian":
        from m4ml.optim.augmented_lagrangian import augmented_lagrangian

        helpers = (_values, _evaluate, _kkt, _split)
        return augmented_lagrangian(
            obj, x, cons, lo, hi, tol, min(max_iter, 100), callback, helpers
        )
    return _sqp(obj, x, cons, lo, hi, tol, max_iter, callback)


def _qp_step(B, g, ce, je, ci, ji, tol):
    """The SQP direction and multipliers; a least-infeasibility step if the QP is infeasible."""
    res = solve_qp(B, g, G=-ji, h=ci, A=je, b=-ce, tol=min(1e-11, 0.1 * tol))
    if res.status == "optimal":
        return res.x, -res.y, res.z, False
    # elastic subproblem: min 1/2 d'd + M (sum t) s.t. -t <= c_E + J_E d <= t, c_I + J_I d >= -t
    n, me, mi = g.size, ce.size, ci.size
    k = me + mi
    P = np.zeros((n + k, n + k))
    P[:n, :n] = 1e-6 * np.eye(n)
    q = np.concatenate([np.zeros(n), np.ones(k)])
    eye_e = np.eye(me, k)
    eye_i = np.eye(mi, k, me)
    G = np.vstack(
        [
            np.hstack([je, -eye_e]),
            np.hstack([-je, -eye_e]),
            np.hstack([-ji, -eye_i]),
            np.hstack([np.zeros((k, n)), -np.eye(k)]),
        ]
    )
    h = np.concatenate([-ce, ce, ci, np.zeros(k)])
    el = solve_qp(P, q, G=G, h=h, tol=1e-9)
    if el.status != "optimal":
        return None, None, None, True
    return el.x[:n], np.zeros(me), np.zeros(mi), True


def _sqp(obj, x, cons, lo, hi, tol, max_iter, callback):
    f, g = obj.fun_and_grad(x)
    if not np.isfinite(f):
        raise ValueError("fun is not finite at x0")
    ce, je, ci, ji = _evaluate(cons, lo, hi, x)
    lam, mu = np.zeros(ce.size), np.zeros(ci.size)
    B = np.eye(x.size)
    nu = 1.0
    hist_f, hist_v = [f], []
    status, nit, kkt = 1, 0, None
    message = None
    for it in range(max_iter + 1):
        nit = it
        viol = float(np.abs(ce).sum() + np.maximum(-ci, 0.0).sum())
        hist_v.append(viol)
        if it > 0:
            kkt = _kkt(g, ce, je, ci, ji, lam, mu)
            if max(kkt.values()) <= tol:
                status = 0
                break
        if it == max_iter:
            break
        d, lam_new, mu_new, elastic = _qp_step(B, g, ce, je, ci, ji, tol)
        if d is None or (elastic and np.abs(d).max() <= 1e-12 * max(1.0, np.abs(x).max())):
            status = 4
            message = (
                "The constraints appear infeasible: the linearized constraints have no "
                f"solution and no step reduces the violation (total violation {viol:.3g})."
            )
            break
        if not elastic:
            kkt_qp = _kkt(g, ce, je, ci, ji, lam_new, mu_new)  # the QP's multipliers at x
            if max(kkt_qp.values()) <= tol:
                lam, mu, kkt, status = lam_new, mu_new, kkt_qp, 0
                break
            nu = max(nu, 1.1 * float(np.abs(np.concatenate([lam_new, mu_new])).max(initial=0.0)))
        phi0 = f + nu * viol
        dphi = (g @ d - nu * viol) if not elastic else -viol
        base = phi0 if not elastic else viol

        def merit(xt, nu=nu, elastic=elastic):
            with np.errstate(all="ignore"):
                ft = obj.fun(xt)
                cet, cit = _values(cons, lo, hi, xt)
            vt = float(np.abs(cet).sum() + np.maximum(-cit, 0.0).sum())
            m = (ft + nu * vt) if not elastic else vt
            return m if np.isfinite(m) else np.inf, cet, cit

        t, accepted = 1.0, False
        m1, cet, cit = merit(x + d)
        if m1 <= base + 1e-4 * min(dphi, 0.0) + 1e-14 * abs(base):
            xt, accepted = x + d, True
        elif not elastic:  # second-order correction against the Maratos effect
            d2 = _qp_step(B, g, cet - je @ d, je, cit - ji @ d, ji, tol)[0]
            if d2 is not None and merit(x + d2)[0] <= base + 1e-4 * min(dphi, 0.0):
                xt, accepted = x + d2, True
        slack = 1e-14 * abs(base) if not elastic else -1e-9 * base  # elastic: real progress
        while not accepted and t > (1e-12 if not elastic else 1e-4):
            t *= 0.5
            if merit(x + t * d)[0] <= base + 1e-4 * t * min(dphi, 0.0) + slack:
                xt, accepted = x + t * d, True
        if not accepted:
            status = 2 if not elastic else 4
            if elastic:
                message = (
                    "The constraints appear infeasible: the linearized constraints have no "
                    f"solution and the violation ({viol:.3g}) cannot be reduced further."
                )
            break
        cet, jet, cit, jit = _evaluate(cons, lo, hi, xt)
        ft, gt = obj.fun_and_grad(xt)
        if not elastic:
            lam = lam + (lam_new - lam)  # full multiplier step (the QP's multipliers)
            mu = mu_new
        gl_old = g - je.T @ lam - ji.T @ mu
        gl_new = gt - jet.T @ lam - jit.T @ mu
        s, yv = xt - x, gl_new - gl_old
        Bs = B @ s
        sBs = s @ Bs
        if sBs > 1e-300 and np.isfinite(yv).all():
            if it == 0 and s @ yv > 0:  # scale the first matrix to the curvature seen
                B = (yv @ yv) / (s @ yv) * np.eye(x.size)
                Bs, sBs = B @ s, s @ (B @ s)
            theta = 1.0 if s @ yv >= 0.2 * sBs else 0.8 * sBs / (sBs - s @ yv)
            r = theta * yv + (1 - theta) * Bs
            B = B - np.outer(Bs, Bs) / sBs + np.outer(r, r) / (s @ r)
            B = 0.5 * (B + B.T)
        x, f, g, ce, je, ci, ji = xt, ft, gt, cet, jet, cit, jit
        hist_f.append(f)
        if callback is not None and callback(np.array(x, copy=True)) is True:
            status = 3
            break
    if kkt is None or status != 0:
        kkt = _kkt(g, ce, je, ci, ji, lam, mu)
    if status not in (0, 4) and kkt["feasibility"] > max(tol, 1e-6):
        message = (
            f"Stopped with the constraints violated by {kkt['feasibility']:.3g}: the problem may "
            "be infeasible, or the start too far from a feasible point."
        )
    messages = {
        0: "Optimization terminated successfully (KKT residuals below tol).",
        1: f"The iteration limit ({max_iter}) was reached.",
        2: "The line search on the l1 merit function could not make progress.",
        3: "Stopped by the callback.",
    }
    per_constraint, bound_mult = _split(cons, lam, mu)
    return OptimizeResult(
        x=x,
        fun=float(f),
        jac=g,
        multipliers=per_constraint,
        bound_multipliers=bound_mult,
        kkt=kkt,
        nit=nit,
        nfev=obj.nfev,
        njev=obj.njev,
        success=status == 0,
        status=status,
        message=message or messages[status],
        history={"fun": np.array(hist_f), "feasibility": np.array(hist_v)},
    )
