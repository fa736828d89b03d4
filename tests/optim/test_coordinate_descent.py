import sys

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import ElasticNet, Lasso
from sklearn.linear_model import enet_path as sk_enet_path

from m4ml._core import ConvergenceWarning
from m4ml.optim.coordinate_descent import coordinate_descent, enet_path, lasso_path


def _problem(rng, n=60, p=8, k=3, noise=0.1):
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[:k] = rng.uniform(1.0, 3.0, k) * rng.choice([-1, 1], k)
    y = X @ w + 2.0 + noise * rng.standard_normal(n)
    return X, y


def _kkt_violation(X, y, w, alpha, l1_ratio):
    """Max violation of the elastic-net KKT conditions (centered data, no intercept)."""
    n = X.shape[0]
    g = X.T @ (y - X @ w) / n - alpha * (1 - l1_ratio) * w
    nz = w != 0
    eq = np.abs(g[nz] - alpha * l1_ratio * np.sign(w[nz])).max(initial=0.0)
    ineq = np.maximum(np.abs(g[~nz]) - alpha * l1_ratio, 0.0).max(initial=0.0)
    return max(eq, ineq)


SKLEARN_QUIET = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@SKLEARN_QUIET
@pytest.mark.parametrize("alpha", [0.01, 0.1, 0.5])
def test_lasso_matches_sklearn(rng, alpha):
    X, y = _problem(rng)
    res = coordinate_descent(X, y, alpha=alpha, tol=1e-16, max_iter=10000)
    ref = Lasso(alpha=alpha, tol=1e-16, max_iter=100000).fit(X, y)
    np.testing.assert_allclose(res.x, ref.coef_, atol=1e-8)
    assert res.intercept == pytest.approx(ref.intercept_, abs=1e-8)
    assert res.success and res.status == 0
    assert res.dual_gap >= -1e-12


@SKLEARN_QUIET
@pytest.mark.parametrize("l1_ratio", [0.2, 0.5, 0.9])
def test_enet_matches_sklearn(rng, l1_ratio):
    X, y = _problem(rng, n=50, p=12)
    res = coordinate_descent(X, y, alpha=0.2, l1_ratio=l1_ratio, tol=1e-16, max_iter=10000)
    ref = ElasticNet(alpha=0.2, l1_ratio=l1_ratio, tol=1e-16, max_iter=100000).fit(X, y)
    np.testing.assert_allclose(res.x, ref.coef_, atol=1e-8)
    assert res.intercept == pytest.approx(ref.intercept_, abs=1e-8)


@SKLEARN_QUIET
def test_no_intercept_and_objective_value(rng):
    X, y = _problem(rng)
    res = coordinate_descent(X, y, alpha=0.1, l1_ratio=0.7, fit_intercept=False, tol=1e-16)
    ref = ElasticNet(alpha=0.1, l1_ratio=0.7, fit_intercept=False, tol=1e-16).fit(X, y)
    np.testing.assert_allclose(res.x, ref.coef_, atol=1e-8)
    n, w = X.shape[0], res.x
    obj = np.sum((y - X @ w) ** 2) / (2 * n) + 0.07 * np.abs(w).sum() + 0.5 * 0.1 * 0.3 * w @ w
    assert res.fun == pytest.approx(obj, rel=1e-14)
    assert res.intercept == 0.0


def test_exact_zeros_on_sparse_truth(rng):
    X, y = _problem(rng, n=200, p=20, k=3, noise=0.01)
    res = coordinate_descent(X, y, alpha=0.05, tol=1e-12)
    assert np.all(res.x[3:] == 0.0)  # exact zeros, not just small
    assert np.all(res.x[:3] != 0.0)


def test_alpha_above_alpha_max_gives_zero(rng):
    X, y = _problem(rng)
    Xc, yc = X - X.mean(0), y - y.mean()
    alpha_max = np.abs(Xc.T @ yc).max() / X.shape[0]
    assert np.all(coordinate_descent(X, y, alpha=alpha_max * 1.0001).x == 0.0)
    assert np.any(coordinate_descent(X, y, alpha=alpha_max * 0.99, tol=1e-12).x != 0.0)


def test_ridge_limit_closed_form(rng):
    X, y = _problem(rng, n=40, p=5)
    res = coordinate_descent(X, y, alpha=0.3, l1_ratio=0.0, fit_intercept=False, tol=1e-16)
    n = X.shape[0]
    w = np.linalg.solve(X.T @ X / n + 0.3 * np.eye(5), X.T @ y / n)
    np.testing.assert_allclose(res.x, w, atol=1e-9)


def test_warm_start_takes_fewer_sweeps(rng):
    X, y = _problem(rng)
    cold = coordinate_descent(X, y, alpha=0.05, tol=1e-12)
    warm = coordinate_descent(X, y, alpha=0.05, tol=1e-12, w0=cold.x)
    assert warm.nit <= 1 < cold.nit
    np.testing.assert_allclose(warm.x, cold.x, atol=1e-10)


@SKLEARN_QUIET
def test_duplicate_and_zero_columns(rng):
    X, y = _problem(rng, p=4)
    X = np.column_stack([X, X[:, 0], np.zeros(X.shape[0])])
    res = coordinate_descent(X, y, alpha=0.05, tol=1e-12)
    ref = Lasso(alpha=0.05, tol=1e-12).fit(X, y)
    assert res.x[5] == 0.0
    assert res.fun == pytest.approx(
        np.sum((y - X @ ref.coef_ - ref.intercept_) ** 2) / (2 * len(y))
        + 0.05 * np.abs(ref.coef_).sum(),
        rel=1e-9,
    )


def test_not_converged_warns(rng):
    X, y = _problem(rng, n=30, p=30)
    with pytest.warns(ConvergenceWarning, match="did not converge in 1 sweeps"):
        res = coordinate_descent(X, y, alpha=1e-4, max_iter=1, tol=1e-12)
    assert not res.success and res.status == 1


@SKLEARN_QUIET
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_path_matches_sklearn_and_kkt(rng, l1_ratio):
    X, y = _problem(rng, n=80, p=10)
    X, y = X - X.mean(0), y - y.mean()
    alphas, coefs, gaps = enet_path(X, y, l1_ratio=l1_ratio, n_alphas=20, tol=1e-20)
    ref_alphas, ref_coefs, _ = sk_enet_path(X, y, l1_ratio=l1_ratio, alphas=alphas, tol=1e-16)
    np.testing.assert_allclose(alphas, ref_alphas)
    np.testing.assert_allclose(coefs, ref_coefs, atol=1e-8)
    assert alphas[0] == pytest.approx(np.abs(X.T @ y).max() / (80 * l1_ratio), rel=1e-14)
    assert np.all(np.diff(alphas) < 0)
    assert np.all(coefs[:, 0] == 0.0)
    for k, a in enumerate(alphas):
        assert _kkt_violation(X, y, coefs[:, k], a, l1_ratio) < 1e-8
    assert np.all(gaps >= -1e-12)


@SKLEARN_QUIET
def test_lasso_path_fit_intercept_and_explicit_grid(rng):
    X, y = _problem(rng)
    alphas, coefs, _ = lasso_path(X, y, alphas=[0.01, 0.5, 0.1], fit_intercept=True, tol=1e-16)
    assert alphas.tolist() == [0.5, 0.1, 0.01]
    for k, a in enumerate(alphas):
        ref = Lasso(alpha=a, tol=1e-16, max_iter=100000).fit(X, y)
        np.testing.assert_allclose(coefs[:, k], ref.coef_, atol=1e-8)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    alpha=st.floats(1e-3, 1.0),
    l1_ratio=st.floats(0.05, 1.0),
)
# explore profile, seed 101: the soft threshold cancels most of rho, so the one active
# coordinate flipped by 15 eps of itself forever: 20000 sweeps and a ConvergenceWarning
@example(seed=2949667, alpha=0.7972579966743275, l1_ratio=0.7972579966743275)
def test_kkt_property(seed, alpha, l1_ratio):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((15, 6))
    y = rng.standard_normal(15)
    res = coordinate_descent(X, y, alpha=alpha, l1_ratio=l1_ratio, tol=1e-20, max_iter=20000)
    assert res.success  # stops where the coordinates stop changing beyond rounding
    Xc, yc = X - X.mean(0), y - y.mean()
    assert _kkt_violation(Xc, yc, res.x, alpha, l1_ratio) < 1e-7
    assert res.intercept == pytest.approx(y.mean() - X.mean(0) @ res.x, abs=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "err", "match"),
    [
        ({"alpha": -1.0}, ValueError, "alpha must be >= 0"),
        ({"l1_ratio": 1.5}, ValueError, r"l1_ratio must lie in \[0, 1\]"),
        ({"tol": 0.0}, ValueError, "tol must be > 0"),
        ({"alpha": np.nan}, ValueError, "alpha must be a finite number"),
        ({"max_iter": 0}, ValueError, "max_iter must be >= 1"),
        ({"w0": np.zeros(3)}, ValueError, r"w0 must have shape \(4,\)"),
    ],
)
def test_bad_arguments(kwargs, err, match):
    X, y = np.eye(4), np.ones(4)
    with pytest.raises(err, match=match):
        coordinate_descent(X, y, **kwargs)


def test_bad_data():
    with pytest.raises(ValueError, match="X has 3 rows but y has 2"):
        coordinate_descent(np.ones((3, 2)), np.ones(2))
    with pytest.raises(ValueError, match="X contains NaN"):
        coordinate_descent([[np.nan, 1.0]], [1.0])
    with pytest.raises(ValueError, match="pass an explicit alphas grid"):
        enet_path(np.eye(3), np.ones(3), l1_ratio=0.0)
    with pytest.raises(ValueError, match="eps must lie in"):
        lasso_path(np.eye(3), np.ones(3), eps=0.0)
    with pytest.raises(ValueError, match="alphas must be a non-empty"):
        lasso_path(np.eye(3), np.ones(3), alphas=[-1.0])


@SKLEARN_QUIET
@pytest.mark.parametrize(("n", "p"), [(20, 30), (40, 20), (100, 10)])
def test_wide_and_tall_designs_match_sklearn(rng, n, p):
    # p > n/2 updates the residual, n >= 2p the correlations X^T r (Gram): same answer
    X = rng.standard_normal((n, p))
    y = X[:, :3] @ np.array([1.5, -2.0, 1.0]) + 0.1 * rng.standard_normal(n)
    res = coordinate_descent(X, y, alpha=0.05, l1_ratio=0.8, tol=1e-20, max_iter=100000)
    ref = ElasticNet(alpha=0.05, l1_ratio=0.8, tol=1e-16, max_iter=1000000).fit(X, y)
    np.testing.assert_allclose(res.x, ref.coef_, atol=1e-8)
    assert res.success


def test_gram_and_residual_kernels_agree_on_a_path():
    # the Gram variant (n >= 2p) keeps X'r and reads the gap from p-vectors only; the
    # residual variant keeps r: both must land on the same path (and match scikit-learn)
    from sklearn.linear_model import lasso_path as sk_lasso_path

    rng = np.random.default_rng(3)
    X = rng.standard_normal((400, 20))
    y = X[:, :4] @ np.array([2.0, -1.0, 0.5, 3.0]) + 0.3 * rng.standard_normal(400)
    kern = sys.modules["m4ml.optim._cd_kernels"]
    alphas, gram_path, gaps = lasso_path(X, y, n_alphas=30, tol=1e-12)
    assert kern._use_gram(*X.shape)
    original = kern._use_gram
    try:
        sys.modules["m4ml.optim.coordinate_descent"]._use_gram = lambda n, p: False
        _, resid_path, _ = lasso_path(X, y, n_alphas=30, tol=1e-12)
    finally:
        sys.modules["m4ml.optim.coordinate_descent"]._use_gram = original
    np.testing.assert_allclose(gram_path, resid_path, atol=1e-9)
    _, ref, _ = sk_lasso_path(X, y, alphas=alphas, tol=1e-12, max_iter=100000)
    np.testing.assert_allclose(gram_path, ref, atol=1e-7)
    assert np.all(gaps <= 1e-12 * (y @ y) / 400 + 1e-15)


def test_huge_data_is_refused_before_the_sums_overflow():
    X = np.eye(3) * 1e300
    with pytest.raises(ValueError, match="X has entries up to 1e"):
        lasso_path(X, np.ones(3))
    with pytest.raises(ValueError, match="y has entries up to 1e"):
        coordinate_descent(np.eye(3), np.full(3, 1e300))
