"""Lasso / elastic net by coordinate descent and the lasso by FISTA vs scikit-learn, and SQP vs
scipy's SLSQP on a small nonlinear program (HS071)."""

import numpy as np

from benchmarks.workload import Workload

TOL = 1e-8


def _lasso_data(n=2000, p=50, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:8] = rng.uniform(1.0, 3.0, 8)
    y = X @ w + 0.5 * rng.standard_normal(n)
    return X, y


def _ours_cd(X, y, alpha, l1_ratio):
    from m4ml.optim.coordinate_descent import coordinate_descent

    return coordinate_descent(X, y, alpha=alpha, l1_ratio=l1_ratio, tol=TOL).x


def _sklearn_cd(X, y, alpha, l1_ratio):
    from sklearn.linear_model import ElasticNet

    return ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=TOL).fit(X, y).coef_


def _ours_path(X, y):
    from m4ml.optim.coordinate_descent import lasso_path

    return lasso_path(X, y, n_alphas=50, tol=TOL)[1]


def _sklearn_path(X, y):
    from sklearn.linear_model import lasso_path

    alphas = np.abs(X.T @ y).max() / len(y) * np.logspace(0, -3, 50)
    return lasso_path(X, y, alphas=alphas, tol=TOL)[1]


def _fista(X, y, alpha):
    from m4ml.optim.proximal import proximal_gradient

    n = len(y)
    return proximal_gradient(
        lambda w: 0.5 * np.sum((X @ w - y) ** 2) / n,
        np.zeros(X.shape[1]),
        jac=lambda w: X.T @ (X @ w - y) / n,
        alpha=alpha,
        tol=1e-8,
    ).x


def _sklearn_lasso(X, y, alpha):
    from sklearn.linear_model import Lasso

    return Lasso(alpha=alpha, fit_intercept=False, tol=TOL).fit(X, y).coef_


def _hs071():
    def f(x):
        return x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2]

    def grad(x):
        return np.array(
            [
                x[3] * (2 * x[0] + x[1] + x[2]),
                x[0] * x[3],
                x[0] * x[3] + 1.0,
                x[0] * (x[0] + x[1] + x[2]),
            ]
        )

    cons = [
        {
            "type": "ineq",
            "fun": lambda x: x[0] * x[1] * x[2] * x[3] - 25.0,
            "jac": lambda x: np.array(
                [x[1] * x[2] * x[3], x[0] * x[2] * x[3], x[0] * x[1] * x[3], x[0] * x[1] * x[2]]
            ),
        },
        {"type": "eq", "fun": lambda x: x @ x - 40.0, "jac": lambda x: 2 * x},
    ]
    return f, grad, cons, np.array([1.0, 5.0, 5.0, 1.0])


def _ours_sqp(f, grad, cons, x0):
    from m4ml.optim.constrained import minimize_constrained

    return minimize_constrained(f, x0, jac=grad, constraints=cons, bounds=[(1, 5)] * 4).fun


def _slsqp(f, grad, cons, x0):
    from scipy.optimize import minimize

    return minimize(
        f, x0, jac=grad, constraints=cons, bounds=[(1, 5)] * 4, method="SLSQP",
        options={"ftol": 1e-10},
    ).fun  # fmt: skip


WORKLOADS = [
    Workload(
        name="lasso CD 2000x50, alpha=0.1",
        group="optim",
        setup=lambda: (*_lasso_data(), 0.1, 1.0),
        m4ml=_ours_cd,
        reference=_sklearn_cd,
        reference_name="sklearn.linear_model.ElasticNet(l1_ratio=1)",
        repeats=5,
    ),
    Workload(
        name="elastic net CD 2000x50, alpha=0.1, l1_ratio=0.5",
        group="optim",
        setup=lambda: (*_lasso_data(), 0.1, 0.5),
        m4ml=_ours_cd,
        reference=_sklearn_cd,
        reference_name="sklearn.linear_model.ElasticNet",
        repeats=5,
    ),
    Workload(
        name="lasso path 2000x50, 50 alphas",
        group="optim",
        setup=lambda: _lasso_data(),
        m4ml=_ours_path,
        reference=_sklearn_path,
        reference_name="sklearn.linear_model.lasso_path",
        target=2.0,
        repeats=5,
    ),
    Workload(
        name="lasso FISTA 2000x50, alpha=0.1",
        group="optim",
        setup=lambda: (*_lasso_data(), 0.1),
        m4ml=_fista,
        reference=_sklearn_lasso,
        reference_name="sklearn.linear_model.Lasso (coordinate descent)",
        repeats=5,
    ),
    Workload(
        name="SQP on HS071 (4 variables, bounds)",
        group="optim",
        setup=_hs071,
        m4ml=_ours_sqp,
        reference=_slsqp,
        reference_name="scipy.optimize.minimize(method='SLSQP')",
        repeats=5,
    ),
]
