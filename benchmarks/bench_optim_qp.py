"""Constrained convex optimization: solve_qp vs scipy SLSQP / trust-constr, linprog vs HiGHS.

Accuracy compared at: solve_qp with its default tol=1e-9 (relative KKT residuals and gap),
SLSQP with ftol=1e-12 and trust-constr with gtol=xtol=1e-10; on this problem the three optimal
objectives agree to about 1e-10 relative.
"""

import numpy as np

from benchmarks.workload import Workload

N, M = 200, 400


def _dense_qp():
    rng = np.random.default_rng(0)
    B = rng.standard_normal((N, N))
    P = B @ B.T / N + 0.1 * np.eye(N)
    q = rng.standard_normal(N)
    G = rng.standard_normal((M, N))
    h = G @ rng.standard_normal(N) + rng.random(M)
    return P, q, G, h


def _lp():
    rng = np.random.default_rng(1)
    n, m, p = 200, 150, 30
    A_ub = rng.standard_normal((m, n))
    x0 = rng.random(n)
    b_ub = A_ub @ x0 + rng.random(m)
    A_eq = rng.standard_normal((p, n))
    return rng.standard_normal(n), A_ub, b_ub, A_eq, A_eq @ x0, (0.0, 3.0)


def _m4ml_qp(P, q, G, h):
    from m4ml.optim.qp import solve_qp

    return solve_qp(P, q, G, h).primal_objective


def _slsqp(P, q, G, h):
    from scipy.optimize import minimize

    return minimize(
        lambda x: 0.5 * x @ (P @ x) + q @ x,
        np.zeros(N),
        jac=lambda x: P @ x + q,
        method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda x: h - G @ x, "jac": lambda x: -G}],
        options={"ftol": 1e-12, "maxiter": 1000},
    ).fun


def _trust_constr(P, q, G, h):
    from scipy.optimize import LinearConstraint, minimize

    return minimize(
        lambda x: 0.5 * x @ (P @ x) + q @ x,
        np.zeros(N),
        jac=lambda x: P @ x + q,
        hess=lambda x: P,
        method="trust-constr",
        constraints=[LinearConstraint(G, -np.inf, h)],
        options={"gtol": 1e-10, "xtol": 1e-10, "maxiter": 5000},
    ).fun


def _m4ml_lp(*args, method="interior-point"):
    from m4ml.optim.linprog import linprog

    c, A_ub, b_ub, A_eq, b_eq, bounds = args
    return linprog(c, A_ub, b_ub, A_eq, b_eq, bounds=bounds, method=method).fun


def _highs(c, A_ub, b_ub, A_eq, b_eq, bounds):
    from scipy.optimize import linprog

    return linprog(c, A_ub, b_ub, A_eq, b_eq, bounds=bounds, method="highs").fun


WORKLOADS = [
    Workload(
        name=f"solve_qp dense {N} vars, {M} inequalities",
        group="optim",
        setup=_dense_qp,
        m4ml=_m4ml_qp,
        reference=_slsqp,
        reference_name="scipy.optimize.minimize(SLSQP, ftol=1e-12)",
        target=3.0,
        repeats=5,
    ),
    Workload(
        name=f"solve_qp dense {N} vars, {M} inequalities (vs trust-constr)",
        group="optim",
        setup=_dense_qp,
        m4ml=_m4ml_qp,
        reference=_trust_constr,
        reference_name="scipy.optimize.minimize(trust-constr, gtol=1e-10)",
        target=None,
        repeats=3,
    ),
    Workload(
        name="linprog interior point, 200 vars, 150 ineq + 30 eq, boxes",
        group="optim",
        setup=_lp,
        m4ml=_m4ml_lp,
        reference=_highs,
        reference_name="scipy.optimize.linprog(method='highs')",
        target=None,
        repeats=5,
    ),
]
