r"""Box-constrained minimization: projected L-BFGS, ``minimize(method="projected-lbfgs")``.

It used to be called ``"lbfgs-b"`` (still accepted, with a DeprecationWarning), but it is *not*
Byrd–Lu–Nocedal–Zhu L-BFGS-B (no generalized Cauchy point, no subspace minimization of the
compact representation), so ``minimize`` does not accept SciPy's ``"L-BFGS-B"`` for it. It is
the simpler two-metric projection method (Bertsekas 1982) with an L-BFGS metric on the free
variables:

1. the *binding* set :math:`A_k` holds the variables within
   :math:`\epsilon_k = \min(10^{-3}, \|x - P(x - \nabla f)\|_\infty)` of a bound whose gradient
   pushes outward; they take a scaled steepest-descent step :math:`-\gamma_k g_i` (which the
   projection clips onto the bound);
2. the other variables move along the L-BFGS direction computed from the stored pairs
   restricted to them (:math:`\gamma_k = s^\top y / y^\top y` on the newest pair);
3. a backtracking search along the projected path :math:`x(\alpha) = P(x + \alpha p)` accepts
   the first :math:`\alpha` with
   :math:`f(x(\alpha)) \le f(x) + c_1 \nabla f(x)^\top (x(\alpha) - x)`.

:math:`P` clips to the box, so every iterate satisfies the bounds exactly. Convergence is
declared when the projected gradient :math:`\|x - P(x - \nabla f(x))\|_\infty \le` ``gtol``.
"""

import numpy as np

from m4ml._core import as_float_array
from m4ml.optim.methods_quasi_newton import _MAX_STALLS, _start


def parse_bounds(bounds, n):
    """Return float arrays ``(lower, upper)`` of length ``n`` (infinite where unbounded)."""
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        lo = np.broadcast_to(np.asarray(bounds.lb, dtype=float), (n,)).copy()
        hi = np.broadcast_to(np.asarray(bounds.ub, dtype=float), (n,)).copy()
    else:
        pairs = list(bounds)
        if len(pairs) != n:
            raise ValueError(f"bounds must have one (low, high) pair per variable: {n}, got "
                             f"{len(pairs)}")  # fmt: skip
        try:
            lo = np.array([-np.inf if b[0] is None else b[0] for b in pairs], dtype=float)
            hi = np.array([np.inf if b[1] is None else b[1] for b in pairs], dtype=float)
        except (TypeError, IndexError, ValueError):
            raise ValueError("bounds must be a sequence of (low, high) pairs") from None
    as_float_array(lo, "lower bounds", finite=False)
    if np.isnan(lo).any() or np.isnan(hi).any():
        raise ValueError("bounds contain NaN")
    if (lo > hi).any():
        i = int(np.argmax(lo > hi))
        raise ValueError(f"infeasible bounds: low > high for variable {i} ({lo[i]} > {hi[i]})")
    return lo, hi


def projected_lbfgs(obj, x, rec, max_iter, lower, upper, gtol=1e-5, ftol=0.0, memory=10, c1=1e-4):
    r"""Projected L-BFGS for :math:`\min f(x)` subject to :math:`l \le x \le u` (see module)."""
    S, Y = [], []
    f, g = _start(obj, x, rec)

    def proj_grad(x, g):
        return x - np.clip(x - g, lower, upper)

    pg = proj_grad(x, g)
    rec.grad_norm[-1] = float(np.max(np.abs(pg), initial=0.0))
    first, stalls = True, 0
    while np.max(np.abs(pg), initial=0.0) > gtol:
        if rec.nit >= max_iter:
            return rec.result(x, f, g, obj, 1)
        eps = min(1e-3, float(np.max(np.abs(pg))))
        binding = ((x <= lower + eps) & (g > 0)) | ((x >= upper - eps) & (g < 0))
        free = ~binding
        q = np.where(free, g, 0.0)
        a = np.empty(len(S))
        for i in range(len(S) - 1, -1, -1):  # two-loop recursion on the free variables
            sf, yf = S[i] * free, Y[i] * free
            sy = float(sf @ yf)
            a[i] = float(sf @ q) / sy if sy > 0 else 0.0
            q -= a[i] * yf
        gamma = 1.0
        if S:
            sf, yf = S[-1] * free, Y[-1] * free
            yy = float(yf @ yf)
            if yy > 0 and float(sf @ yf) > 0:
                gamma = float(sf @ yf) / yy
                q *= gamma
        for i in range(len(S)):
            sf, yf = S[i] * free, Y[i] * free
            sy = float(sf @ yf)
            if sy > 0:
                q += (a[i] - float(yf @ q) / sy) * sf
        p = -q
        p[binding] = -gamma * g[binding]  # scaled gradient step, then clipped onto the bound
        if not float(g @ p) < 0 or first:
            p = -np.where(free, g, 0.0)
            if not float(g @ p) < 0:
                p = -g
            S.clear(), Y.clear()
        alpha = 1.0 / max(np.sqrt(float(p @ p)), 1e-300) if first else 1.0
        accepted = False
        for _ in range(60):
            xn = np.clip(x + alpha * p, lower, upper)
            step = xn - x
            fn, gn = obj.fun_and_grad(xn)
            slope = float(g @ step)
            if np.isfinite(fn) and (
                fn <= f + c1 * slope
                # f flat to rounding: read the decrease from the slope (approximate Wolfe)
                or (fn <= f + 1e-12 * abs(f) and float(gn @ step) <= (2 * c1 - 1) * slope)
            ):
                accepted = True
                break
            alpha *= 0.5 if not np.isfinite(fn) else 0.3
        if not accepted or not np.any(step):
            if first:
                return rec.result(x, f, g, obj, 2)
            first = True
            S.clear(), Y.clear()
            continue
        s, y = step, gn - g
        if float(s @ y) > 1e-10 * np.sqrt(float(s @ s) * float(y @ y)):
            S.append(s), Y.append(y)
            if len(S) > memory:
                S.pop(0), Y.pop(0)
        f_old = f
        x, f, g = xn, fn, gn
        pg = proj_grad(x, g)
        rec.nit += 1
        first = False
        if rec.record(x, f, np.max(np.abs(pg), initial=0.0)):
            return rec.result(x, f, g, obj, 3)
        if ftol > 0 and (f_old - f) <= ftol * max(abs(f_old), abs(f), 1.0):
            return rec.result(x, f, g, obj, 0)
        stalls = stalls + 1 if f_old - f <= 1e-12 * abs(f_old) else 0
        if stalls >= _MAX_STALLS:
            return rec.result(x, f, g, obj, 2)
    return rec.result(x, f, g, obj, 0)
