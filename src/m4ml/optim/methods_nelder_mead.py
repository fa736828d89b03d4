r"""The Nelder–Mead downhill simplex method: ``minimize(method="nelder-mead")``.

A derivative-free method: it keeps :math:`n + 1` points (a simplex) and their values, and at
each iteration replaces the worst point :math:`x_{n+1}` by a better one on the line through it
and the centroid :math:`\bar x` of the others, trying in turn

* reflection :math:`x_r = \bar x + \rho(\bar x - x_{n+1})`,
* expansion :math:`x_e = \bar x + \rho\chi(\bar x - x_{n+1})` (if :math:`x_r` is the new best),
* outside contraction :math:`x_c = \bar x + \psi\rho(\bar x - x_{n+1})` or inside contraction
  :math:`x_{cc} = \bar x - \psi(\bar x - x_{n+1})`,

and when none of these helps it shrinks the simplex towards the best point,
:math:`x_i \leftarrow x_1 + \sigma(x_i - x_1)`. The standard coefficients are
:math:`(\rho, \chi, \psi, \sigma) = (1, 2, \tfrac12, \tfrac12)`; ``adaptive=True`` uses Gao and
Han's dimension-dependent ones :math:`(1, 1 + 2/n, \tfrac34 - \tfrac1{2n}, 1 - \tfrac1n)`,
which keep the method from stalling in high dimension. Like SciPy's implementation the run
stops when both :math:`\max_i \|x_i - x_1\|_\infty \le` ``xatol`` and
:math:`\max_i |f(x_i) - f(x_1)| \le` ``fatol``. Cost: one or two evaluations per iteration
(:math:`n` for a shrink), no derivatives; convergence is slow (linear at best) and not
guaranteed (McKinnon's counterexample), so it suits small, noisy or non-smooth problems.

References: J. A. Nelder and R. Mead, "A simplex method for function minimization", The
Computer Journal 7(4), 1965; F. Gao and L. Han, "Implementing the Nelder-Mead simplex algorithm
with adaptive parameters", Comput. Optim. Appl. 51, 2012; J. C. Lagarias et al., "Convergence
properties of the Nelder–Mead simplex method in low dimensions", SIAM J. Optim. 9(1), 1998.
"""

import numbers

import numpy as np

__all__ = ["nelder_mead"]


def _initial_simplex(x0, initial_simplex):
    n = x0.size
    if initial_simplex is not None:
        sim = np.array(initial_simplex, dtype=float)
        if sim.shape != (n + 1, n) or not np.isfinite(sim).all():
            raise ValueError(f"initial_simplex must be a finite ({n + 1}, {n}) array")
        return sim
    # each vertex moves one coordinate by 5 % (or by 0.00025 where it is zero)
    sim = np.tile(x0, (n + 1, 1))
    step = np.where(x0 != 0, 0.05 * x0, 0.00025)
    sim[1:] += np.diag(step)
    return sim


def _check_tol(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return float(value)


def nelder_mead(obj, x, rec, max_iter, lower, upper, xatol=1e-4, fatol=1e-4, adaptive=False,
                maxfev=None, initial_simplex=None):  # fmt: skip
    """Run Nelder–Mead from ``x`` (see the module); vertices are clipped into the box."""
    xatol, fatol = _check_tol(xatol, "xatol"), _check_tol(fatol, "fatol")
    n = x.size
    if adaptive:
        rho, chi, psi, sigma = 1.0, 1.0 + 2.0 / n, 0.75 - 1.0 / (2.0 * n), 1.0 - 1.0 / n
    else:
        rho, chi, psi, sigma = 1.0, 2.0, 0.5, 0.5
    maxfev = max_iter * (n + 1) if maxfev is None else int(maxfev)
    clip = np.isfinite(lower).any() or np.isfinite(upper).any()

    def evaluate(p):
        return obj.fun(np.clip(p, lower, upper) if clip else p)

    sim = _initial_simplex(x, initial_simplex)
    if clip:
        sim = np.clip(sim, lower, upper)
    fsim = np.array([evaluate(p) for p in sim])
    if not np.isfinite(fsim[0]):
        raise ValueError("fun returned NaN or inf at x0: start elsewhere")
    order = np.argsort(fsim, kind="stable")
    sim, fsim = sim[order], fsim[order]
    rec.record(sim[0], fsim[0], np.nan)
    status = 1
    while True:
        if (
            np.max(np.abs(sim[1:] - sim[0]), initial=0.0) <= xatol
            and np.max(np.abs(fsim[1:] - fsim[0]), initial=0.0) <= fatol
        ):
            status = 0
            break
        if rec.nit >= max_iter or obj.nfev >= maxfev:
            break
        centroid = sim[:-1].mean(axis=0)
        worst = sim[-1]
        xr = centroid + rho * (centroid - worst)
        fr = evaluate(xr)
        shrink = False
        if fr < fsim[0]:
            xe = centroid + rho * chi * (centroid - worst)
            fe = evaluate(xe)
            new, fnew = (xe, fe) if fe < fr else (xr, fr)
        elif fr < fsim[-2]:
            new, fnew = xr, fr
        elif fr < fsim[-1]:
            xc = centroid + psi * rho * (centroid - worst)
            fc = evaluate(xc)
            new, fnew, shrink = xc, fc, not fc <= fr
        else:
            xcc = centroid - psi * (centroid - worst)
            fcc = evaluate(xcc)
            new, fnew, shrink = xcc, fcc, not fcc < fsim[-1]
        if shrink:
            sim[1:] = sim[0] + sigma * (sim[1:] - sim[0])
            fsim[1:] = [evaluate(p) for p in sim[1:]]
        else:
            sim[-1], fsim[-1] = new, fnew
        order = np.argsort(fsim, kind="stable")
        sim, fsim = sim[order], fsim[order]
        rec.nit += 1
        if rec.record(sim[0], fsim[0], np.nan):
            status = 3
            break
    best = np.clip(sim[0], lower, upper) if clip else sim[0].copy()
    message = None
    if status == 1:
        message = (
            f"Maximum number of function evaluations ({maxfev}) has been exceeded."
            if obj.nfev >= maxfev
            else f"Maximum number of iterations ({max_iter}) has been exceeded."
        )
    res = rec.result(best, fsim[0], None, obj, status, message)
    res.final_simplex = (sim, fsim)
    return res
