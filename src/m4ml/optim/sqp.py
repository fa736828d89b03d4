r"""Sequential quadratic programming: the worker behind ``minimize_constrained(method="sqp")``.

Each iteration solves a convex QP (:func:`m4ml.optim.qp.solve_qp`) in a damped-BFGS model of
the Lagrangian, steps along an :math:`\ell_1` merit function with a second-order correction,
and falls back to a least-infeasibility (elastic) QP when the linearized constraints are
inconsistent. The math is in :func:`m4ml.optim.constrained.minimize_constrained`'s Notes.
"""

import numpy as np

from m4ml.optim._constraints import evaluate, kkt_residual, split, values
from m4ml.optim._result import OptimizeResult
from m4ml.optim.qp import solve_qp

__all__ = ["sqp"]


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


def sqp(obj, x, cons, lo, hi, tol, max_iter, callback):
    """Run SQP from ``x`` (see :func:`m4ml.optim.constrained.minimize_constrained`)."""
    f, g = obj.fun_and_grad(x)
    if not np.isfinite(f):
        raise ValueError("fun is not finite at x0")
    ce, je, ci, ji = evaluate(cons, lo, hi, x)
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
            kkt = kkt_residual(g, ce, je, ci, ji, lam, mu)
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
            kkt_qp = kkt_residual(g, ce, je, ci, ji, lam_new, mu_new)  # the QP's multipliers at x
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
                cet, cit = values(cons, lo, hi, xt)
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
        cet, jet, cit, jit = evaluate(cons, lo, hi, xt)
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
        kkt = kkt_residual(g, ce, je, ci, ji, lam, mu)
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
    per_constraint, bound_mult = split(cons, lam, mu)
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
