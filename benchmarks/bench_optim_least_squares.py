"""least_squares and curve_fit vs scipy.optimize on the same problems and Jacobians.

Two workloads: a 2000-point, 3-parameter exponential fit (trust-region reflective, the
Jacobian a callable handed to both), and NIST's Thurber problem from start 2 (7 parameters,
rational model; Levenberg–Marquardt). Both libraries stop on the same tolerances; the
workloads return the final cost, which must agree to 1e-10 relative before timing.
"""

import numpy as np

from benchmarks.workload import Workload

TOL = {"ftol": 1e-12, "xtol": 1e-12, "gtol": 1e-12}


def _exp_setup():
    rng = np.random.default_rng(0)
    t = np.linspace(0.0, 5.0, 2000)
    y = 2.5 * np.exp(-1.3 * t) + 0.5 + 0.01 * rng.standard_normal(t.size)

    def res(p):
        return p[0] * np.exp(-p[1] * t) + p[2] - y

    def jac(p):
        e = np.exp(-p[1] * t)
        return np.column_stack([e, -p[0] * t * e, np.ones_like(t)])

    return res, jac


def _thurber_setup():
    from tests.optim.nist_nonlinear import load

    p = load("Thurber")
    from m4ml.autodiff import jacfwd

    J = jacfwd(p.residuals)
    return p.residuals_np, lambda b: np.asarray(J(np.asarray(b, float)), float), p.starts[1]


def _ours(res, jac, x0=(1.0, 1.0, 0.0), method="trf"):
    from m4ml.optim.least_squares import least_squares

    out = least_squares(res, np.asarray(x0, float), jac=jac, method=method, **TOL)
    return np.array([out.cost])


def _scipy(res, jac, x0=(1.0, 1.0, 0.0), method="trf"):
    from scipy.optimize import least_squares

    out = least_squares(res, np.asarray(x0, float), jac=jac, method=method, **TOL)
    return np.array([out.cost])


WORKLOADS = [
    Workload(
        name="least_squares trf, exponential fit 2000 points",
        group="optim",
        setup=_exp_setup,
        m4ml=_ours,
        reference=_scipy,
        reference_name="scipy.optimize.least_squares(method='trf')",
        repeats=5,
    ),
    Workload(
        name="least_squares lm, NIST Thurber (start 2)",
        group="optim",
        setup=_thurber_setup,
        m4ml=lambda r, j, x0: _ours(r, j, x0, "lm"),
        reference=lambda r, j, x0: _scipy(r, j, x0, "lm"),
        reference_name="scipy.optimize.least_squares(method='lm')",
        repeats=5,
    ),
]
