import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression

import m4ml.numpy as mnp
from m4ml._core import ConvergenceWarning
from m4ml.optim.proximal import proximal_gradient


def _least_squares(rng, n=100, p=20, k=3):
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:k] = rng.uniform(1.0, 3.0, k) * rng.choice([-1, 1], k)
    y = X @ w + 0.1 * rng.standard_normal(n)

    def f(v):
        r = X @ v - y
        return 0.5 * (r @ r) / n

    def g(v):
        return X.T @ (X @ v - y) / n

    return X, y, f, g


@pytest.mark.parametrize("method", ["fista", "ista"])
def test_lasso_matches_sklearn_with_exact_zeros(rng, method):
    X, y, f, g = _least_squares(rng)
    res = proximal_gradient(f, np.zeros(20), jac=g, alpha=0.1, method=method, tol=1e-12)
    ref = Lasso(alpha=0.1, fit_intercept=False, tol=1e-14, max_iter=100000).fit(X, y)
    np.testing.assert_allclose(res.x, ref.coef_, atol=1e-10)
    np.testing.assert_array_equal(res.x == 0.0, ref.coef_ == 0.0)
    assert np.all(res.x[3:] == 0.0)  # exact zeros where the truth has them
    assert res.success and res.status == 0
    assert res.optimality < 1e-10


@pytest.mark.parametrize("l1_ratio", [0.3, 0.8])
def test_elastic_net_matches_sklearn(rng, l1_ratio):
    X, y, f, g = _least_squares(rng, n=60, p=10)
    res = proximal_gradient(f, np.zeros(10), jac=g, alpha=0.2, l1_ratio=l1_ratio, tol=1e-12)
    ref = ElasticNet(alpha=0.2, l1_ratio=l1_ratio, fit_intercept=False, tol=1e-14).fit(X, y)
    np.testing.assert_allclose(res.x, ref.coef_, atol=1e-10)
    pen = 0.2 * (l1_ratio * np.abs(res.x).sum() + 0.5 * (1 - l1_ratio) * res.x @ res.x)
    assert res.fun == pytest.approx(f(res.x) + pen, rel=1e-14)


def test_separable_closed_form_soft_threshold():
    b = np.array([3.0, 0.5, -2.0, -0.999, 1.0])
    res = proximal_gradient(lambda x: 0.5 * mnp.sum((x - b) ** 2), np.ones(5), alpha=1.0)
    assert res.x.tolist() == [2.0, 0.0, -1.0, 0.0, 0.0]


def test_autodiff_logistic_l1_matches_sklearn(rng):
    n, p = 200, 6
    X = rng.standard_normal((n, p))
    y = (X[:, 0] - 2 * X[:, 1] + 0.5 * rng.standard_normal(n) > 0).astype(float)
    s = 2 * y - 1

    def loss(w):
        return mnp.mean(mnp.logaddexp(0.0, -s * (X @ w)))

    C = 0.5
    res = proximal_gradient(loss, np.zeros(p), alpha=1.0 / (C * n), tol=1e-11)
    ref = LogisticRegression(
        l1_ratio=1.0, C=C, solver="liblinear", fit_intercept=False, tol=1e-12, max_iter=10000
    ).fit(X, y)
    np.testing.assert_allclose(res.x, ref.coef_.ravel(), atol=1e-5)
    assert res.optimality < 1e-10


def test_fista_faster_than_ista_and_restart_helps(rng):
    X = rng.standard_normal((80, 40)) @ np.diag(np.linspace(0.5, 3, 40))
    y = rng.standard_normal(80)

    def f(v):
        return 0.5 * np.sum((X @ v - y) ** 2) / 80

    def g(v):
        return X.T @ (X @ v - y) / 80

    kw = {"jac": g, "alpha": 0.01, "tol": 1e-9, "max_iter": 20000}
    ista = proximal_gradient(f, np.zeros(40), method="ista", **kw)
    fista = proximal_gradient(f, np.zeros(40), method="fista", restart=False, **kw)
    rfista = proximal_gradient(f, np.zeros(40), method="fista", **kw)
    assert rfista.nit < fista.nit < ista.nit
    np.testing.assert_allclose(rfista.x, ista.x, atol=1e-7)


def test_fixed_step_and_monotone_ista(rng):
    X, _, f, g = _least_squares(rng, n=50, p=8)
    L = np.linalg.eigvalsh(X.T @ X / 50).max()
    res = proximal_gradient(f, np.zeros(8), jac=g, alpha=0.05, method="ista", step=1 / L)
    assert res.step == pytest.approx(1 / L)
    assert np.all(np.diff(res.history["fun"]) <= 1e-15)  # ISTA with t <= 1/L is monotone
    assert res.fun == pytest.approx(res.history["fun"][-1], rel=1e-14)


def test_alpha_zero_is_gradient_descent(rng):
    X, y, f, g = _least_squares(rng, n=40, p=5)
    res = proximal_gradient(f, np.zeros(5), jac=g, alpha=0.0, tol=1e-12)
    np.testing.assert_allclose(res.x, np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-10)


def test_callback_stops_and_iteration_limit_warns(rng):
    _, _, f, g = _least_squares(rng)
    res = proximal_gradient(f, np.zeros(20), jac=g, alpha=0.1, callback=lambda x: True)
    assert res.status == 3 and res.nit == 1 and not res.success
    with pytest.warns(ConvergenceWarning, match="did not converge in 2 iterations"):
        res = proximal_gradient(f, np.zeros(20), jac=g, alpha=0.01, max_iter=2, tol=1e-14)
    assert res.status == 1


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), alpha=st.floats(1e-3, 2.0), rho=st.floats(0.0, 1.0))
def test_optimality_property(seed, alpha, rho):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((8, 4))
    c = rng.standard_normal(8)
    res = proximal_gradient(
        lambda x: 0.5 * np.sum((A @ x - c) ** 2),
        rng.standard_normal(4),
        jac=lambda x: A.T @ (A @ x - c),
        alpha=alpha,
        l1_ratio=rho,
        tol=1e-11,
    )
    assert res.optimality < 1e-9


@pytest.mark.parametrize(
    ("kwargs", "err", "match"),
    [
        ({"alpha": -1.0}, ValueError, "alpha must be >= 0"),
        ({"l1_ratio": 2.0}, ValueError, r"l1_ratio must lie in \[0, 1\]"),
        ({"method": "newton"}, ValueError, "method must be 'fista' or 'ista'"),
        ({"step": 0.0}, ValueError, "step must be a positive number"),
        ({"tol": -1.0}, ValueError, "tol must be > 0"),
        ({"jac": 3}, TypeError, "jac must be callable"),
        ({"max_iter": 0}, ValueError, "max_iter must be >= 1"),
    ],
)
def test_bad_arguments(kwargs, err, match):
    with pytest.raises(err, match=match):
        proximal_gradient(lambda x: mnp.sum(x**2), np.ones(2), **kwargs)


def test_bad_function_and_start():
    with pytest.raises(TypeError, match="fun must be callable"):
        proximal_gradient(3.0, np.ones(2))
    with pytest.raises(ValueError, match="x0 contains NaN"):
        proximal_gradient(lambda x: mnp.sum(x**2), [np.nan])
    with pytest.raises(ValueError, match="not finite at x0"):
        proximal_gradient(lambda x: np.inf, np.ones(2), jac=lambda x: x)


def test_penalized_mask_leaves_unpenalized_coordinates_free():
    """penalized=mask: masked-out coordinates (an intercept) take plain gradient steps."""
    b = np.array([3.0, 0.5, -2.0, 0.2])
    mask = np.array([True, True, True, False])
    res = proximal_gradient(
        lambda x: 0.5 * np.sum((x - b) ** 2), np.zeros(4), jac=lambda x: x - b,
        alpha=1.0, l1_ratio=0.5, penalized=mask, tol=1e-12,
    )  # fmt: skip
    # penalized: soft-threshold at 0.5 then shrink by 1/(1 + 0.5); free: b itself
    np.testing.assert_allclose(res.x, [2.5 / 1.5, 0.0, -1.5 / 1.5, 0.2], atol=1e-10)
    assert res.optimality < 1e-9
    with pytest.raises(ValueError, match="penalized"):
        proximal_gradient(lambda x: np.sum(x**2), np.zeros(3), jac=lambda x: 2 * x,
                          penalized=[True, False])  # fmt: skip
