r"""The augmented Lagrangian (method of multipliers) behind
``minimize_constrained(method="augmented-lagrangian")``.

Private: the public entry point is :func:`m4ml.optim.constrained.minimize_constrained`, which
validates the input and calls :func:`augmented_lagrangian` here.

For :math:`\min f` s.t. :math:`c_E(x) = 0`, :math:`c_I(x) \ge 0`, :math:`\ell \le x \le u`, the
Powell–Hestenes–Rockafellar augmented Lagrangian is

.. math:: L_\rho(x; \lambda, \mu) = f(x) - \lambda^\top c_E + \tfrac{\rho}{2}\|c_E\|^2
          + \tfrac{1}{2\rho}\sum_{i \in I}\left(\max(0, \mu_i - \rho c_i)^2 - \mu_i^2\right),

with gradient :math:`\nabla f - J_E^\top(\lambda - \rho c_E) - J_I^\top\max(0, \mu - \rho c_I)`.
Each outer iteration minimizes :math:`L_\rho` over the box by L-BFGS (projected L-BFGS when
there are bounds; the workers of :mod:`m4ml.optim.methods_quasi_newton` and
:mod:`m4ml.optim.methods_bounds`, called directly), then updates the multipliers by
:math:`\lambda \leftarrow \lambda - \rho c_E`, :math:`\mu \leftarrow \max(0, \mu - \rho c_I)`
(the first-order multiplier update, exact at the inner minimizer), and multiplies :math:`\rho`
by 10 when the violation did not fall to a quarter (up to ``RHO_MAX``). Accuracy is limited
by the inner line searches, which must decrease :math:`L_\rho` by more than its rounding:
KKT residuals of about :math:`10^{-7}`–:math:`10^{-9}` are typical, and the method stops with
``status`` 2 when it can get no further (SQP reaches tighter tolerances). Unlike a pure
penalty method, :math:`\rho` need not grow without bound: the multipliers absorb the
constraint forces.

References: J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006,
sec. 17.3–17.4; D. P. Bertsekas, *Constrained Optimization and Lagrange Multiplier Methods*,
Academic Press, 1982.
"""

import numpy as np

from m4ml.optim._constraints import evaluate, kkt_residual, split, values
from m4ml.optim._derivatives import Objective
from m4ml.optim._result import OptimizeResult, Recorder
from m4ml.optim.methods_bounds import projected_lbfgs
from m4ml.optim.methods_quasi_newton import lbfgs

__all__ = ["augmented_lagrangian"]

RHO_MAX = 1e8  # beyond this the inner problems are too ill-conditioned to help


def _violation(ce, ci):
    return max(float(np.abs(ce).max(initial=0.0)), float(np.maximum(-ci, 0.0).max(initial=0.0)))


def augmented_lagrangian(obj, x, cons, lo, hi, tol, max_iter, callback):
    """Run the method of multipliers from ``x`` (``cons``: :class:`~m4ml.optim._constraints.
    Constraint` objects; ``lo``, ``hi``: the box; ``max_iter``: outer iterations)."""
    n = x.size
    eq = [c for c in cons if c.kind == "eq"]
    ineq = [c for c in cons if c.kind == "ineq"]
    nfree = (np.full(n, -np.inf), np.full(n, np.inf))

    def stack(cs, x, jac):
        if not cs:
            return (np.empty(0), np.empty((0, n))) if jac else np.empty(0)
        v = np.concatenate([c.value(x) for c in cs])
        return (v, np.vstack([c.jacobian(x) for c in cs])) if jac else v

    lam = np.zeros(sum(c.size for c in eq))
    mu = np.zeros(sum(c.size for c in ineq))
    rho = 10.0
    box = not (np.all(np.isinf(lo)) and np.all(np.isinf(hi)))
    if box:
        x = np.clip(x, lo, hi)
    prev_viol = _violation(*values(cons, *nfree, x))
    status, nit, message, inner_tol = 1, 0, None, 1e-3
    hist_f, hist_v = [], []

    for it in range(1, max_iter + 1):
        nit = it

        def fun_grad(z, lam=lam, mu=mu, rho=rho):
            f, g = obj.fun_and_grad(z)
            ce, je = stack(eq, z, True)
            ci, ji = stack(ineq, z, True)
            shifted = np.maximum(0.0, mu - rho * ci)
            val = f - lam @ ce + 0.5 * rho * (ce @ ce) + (shifted @ shifted - mu @ mu) / (2 * rho)
            grad = g - je.T @ (lam - rho * ce) - ji.T @ shifted
            return val, grad

        inner_obj = Objective(fun_grad, x, jac=True)
        gtol = max(inner_tol, 1e-12)
        if box:
            inner = projected_lbfgs(inner_obj, x, Recorder(), 5000, lo, hi, gtol=gtol)
        else:
            inner = lbfgs(inner_obj, x, Recorder(), 5000, gtol=gtol)
        x = inner.x
        ce, ci = stack(eq, x, False), stack(ineq, x, False)
        lam = lam - rho * ce
        mu = np.maximum(0.0, mu - rho * ci)
        viol = _violation(ce, ci)
        f, g = obj.fun_and_grad(x)
        hist_f.append(f)
        hist_v.append(viol)
        # the full KKT residuals, the bounds' multipliers read off the gradient of L
        cea, jea, cia, jia = evaluate(cons, lo, hi, x)
        r = g - jea.T @ lam - (jia[: mu.size].T @ mu if mu.size else 0.0)
        fl, fh = np.isfinite(lo), np.isfinite(hi)
        at_lo = np.isclose(x, lo, rtol=0.0, atol=1e-12)
        at_hi = np.isclose(x, hi, rtol=0.0, atol=1e-12)
        nu_lo = np.where(at_lo, np.maximum(r, 0.0), 0.0)[fl]
        nu_hi = np.where(at_hi, np.maximum(-r, 0.0), 0.0)[fh]
        mu_all = np.concatenate([mu, nu_lo, nu_hi])
        kkt = kkt_residual(g, cea, jea, cia, jia, lam, mu_all)
        if callback is not None and callback(np.array(x, copy=True)) is True:
            status = 3
            break
        if max(kkt.values()) <= tol:
            status = 0
            break
        if inner.status == 2 and inner.nit == 0 and viol <= max(1e-6, tol):
            status = 2
            message = (
                "The inner L-BFGS solves stopped making progress at the rounding level of the "
                f"augmented Lagrangian (KKT residual {max(kkt.values()):.3g} > tol {tol:.3g}); "
                "use method='sqp' for tighter tolerances."
            )
            break
        if viol > 0.25 * prev_viol and viol > tol:
            if rho >= RHO_MAX and viol > max(1e-6, tol):
                status = 4
                message = (
                    f"The constraints appear infeasible: the violation stays at {viol:.3g} "
                    f"while the penalty grew to {rho:.3g}."
                )
                break
            rho = min(10.0 * rho, RHO_MAX)
        prev_viol = viol
        inner_tol = max(0.1 * inner_tol, 0.01 * tol)
    messages = {
        0: "Optimization terminated successfully (KKT residuals below tol).",
        1: f"The iteration limit ({max_iter} outer iterations) was reached.",
        3: "Stopped by the callback.",
    }
    per_constraint, bound_mult = split(cons, lam, mu_all)
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
        penalty=rho,
        success=status == 0,
        status=status,
        message=message or messages[status],
        history={"fun": np.array(hist_f), "feasibility": np.array(hist_v)},
    )
