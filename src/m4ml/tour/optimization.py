"""The optimization part of the tour: each optimum beside a closed form or a certificate."""

import numpy as np

from m4ml import optim


def _rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def _rosenbrock_grad(x):
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


def optimization_checks():
    """Yield (label, value, check label, check value, agree) for m4ml.optim."""
    res = optim.minimize(_rosenbrock, np.array([-1.2, 1.0]), method="BFGS")
    yield (
        "minimize(Rosenbrock, BFGS) from (-1.2, 1)",
        res.x,
        "the minimum (1, 1)",
        [1.0, 1.0],
        bool(np.allclose(res.x, 1.0, atol=1e-5)),
    )

    # Adam on a strictly convex quadratic: its fixed point is the solution of H x = -g
    H, g = np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([1.0, -1.0])
    opt, x = optim.Adam(learning_rate=0.05), np.zeros(2)
    state = opt.init(x)
    for _ in range(3000):
        x, state = opt.step(x, H @ x + g, state)
    exact = np.array([-3.0, 4.0]) / 5.0  # H^{-1}(-g) by Cramer's rule
    yield (
        "Adam on ½xᵀHx + gᵀx, 3000 steps",
        x,
        "H⁻¹(-g) by Cramer's rule",
        exact,
        bool(np.allclose(x, exact, atol=1e-6)),
    )

    # a QP with inequality constraints: the optimum and the duality gap certificate
    P, q = 2 * np.eye(2), np.array([-2.0, -5.0])
    G = np.array([[1.0, 2.0], [-1.0, 2.0], [-1.0, -2.0], [1.0, -2.0]])
    h = np.array([6.0, 2.0, 2.0, 2.0])
    qp = optim.solve_qp(P, q, G, h)
    yield (
        "solve_qp: x*",
        qp.x,
        "projection onto -x+2y ≤ 2",
        [1.4, 1.7],
        bool(np.allclose(qp.x, [1.4, 1.7], atol=1e-8)),
    )
    gap = optim.duality_gap(P, q, G, h, x=qp.x, z=qp.z)
    yield "duality gap primal - dual", gap, "strong duality: 0", 0.0, bool(abs(gap) < 1e-7)

    lag = optim.lagrange(
        lambda v: v[0] + v[1], [lambda v: v[0] ** 2 + v[1] ** 2 - 1], np.array([-0.5, -0.5])
    )
    yield (
        "lagrange: min x+y on the unit circle",
        lag.fun,
        "-√2",
        -np.sqrt(2),
        bool(abs(lag.fun + np.sqrt(2)) < 1e-9),
    )

    lp = optim.linprog(
        np.array([-1.0, -2.0]), A_ub=np.array([[1.0, 1.0], [1.0, -1.0]]), b_ub=[4.0, 2.0]
    )
    yield (
        "linprog: max x + 2y, x+y ≤ 4",
        -lp.fun,
        "vertex (0, 4): 8",
        8.0,
        bool(abs(lp.fun + 8.0) < 1e-8),
    )

    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 5))
    y = X @ np.array([3.0, 0.0, -2.0, 0.0, 0.5]) + 0.1 * rng.standard_normal(60)
    alpha = 0.1
    w = optim.coordinate_descent(X, y, alpha=alpha, fit_intercept=False, tol=1e-12).x
    # KKT of the lasso: |x_j^T r| / n <= alpha, with equality (and matching sign) on the support
    corr = X.T @ (y - X @ w) / len(y)
    kkt = float(np.max(np.abs(corr[w != 0] - alpha * np.sign(w[w != 0])), initial=0.0))
    yield (
        "lasso by coordinate descent: KKT residual",
        kkt,
        "subgradient optimality: 0",
        0.0,
        (kkt < 1e-6 and bool(np.all(np.abs(corr[w == 0]) <= alpha + 1e-9))),
    )
