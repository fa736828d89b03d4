"""Ridge, Lasso, ElasticNet, their CV variants and BayesianRidge against scikit-learn."""

import warnings

import numpy as np
import pytest
from sklearn import linear_model as sk
from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning

from m4ml.models import (
    BayesianRidge,
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    LinearRegression,
    Ridge,
    RidgeCV,
)
from tests.models._data import REGRESSION_SETS, regression


def _close(ours, ref, rtol=1e-6):
    """Coefficients to ``rtol`` relative to the largest reference coefficient."""
    ref = np.asarray(ref)
    scale = max(np.abs(ref).max(), 1e-300)
    np.testing.assert_allclose(ours, ref, rtol=rtol, atol=rtol * scale)


@pytest.mark.parametrize("name", REGRESSION_SETS)
@pytest.mark.parametrize("solver", ["svd", "cholesky"])
def test_ridge_matches_sklearn(name, solver, rng):
    X, y = regression(name)
    sw = rng.uniform(0.5, 2.0, size=y.size)
    for alpha in (1e-3, 1.0, 100.0):
        for kw in ({}, {"sample_weight": sw}):
            ours = Ridge(alpha=alpha, solver=solver).fit(X, y, **kw)
            ref = sk.Ridge(alpha=alpha, solver="svd").fit(X, y, **kw)
            _close(ours.coef_, ref.coef_)
            _close(ours.intercept_, ref.intercept_)


def test_ridge_several_alphas_and_targets(rng):
    X, y = regression("diabetes")
    Y = np.column_stack([y, -2.0 * y + 1.0, y**0.5])
    alphas = np.array([0.01, 1.0, 30.0])
    ours = Ridge(alpha=alphas, solver="svd").fit(X, Y)
    ref = sk.Ridge(alpha=alphas).fit(X, Y)
    assert ours.coef_.shape == (3, X.shape[1]) and ours.intercept_.shape == (3,)
    _close(ours.coef_, ref.coef_)
    _close(ours.intercept_, ref.intercept_)
    for k in range(3):  # each target agrees with its own single-alpha fit
        _close(ours.coef_[k], Ridge(alpha=alphas[k]).fit(X, Y[:, k]).coef_, rtol=1e-9)
    with pytest.raises(ValueError, match="one per target"):
        Ridge(alpha=[1.0, 2.0]).fit(X, Y)


def test_ridge_wide_and_zero_alpha(rng):
    X = rng.normal(size=(10, 30))
    y = rng.normal(size=10)
    _close(Ridge(alpha=0.5).fit(X, y).coef_, sk.Ridge(alpha=0.5).fit(X, y).coef_, rtol=1e-9)
    # alpha=0 on a wide matrix: the minimum-norm interpolant, as LinearRegression
    _close(Ridge(alpha=0.0).fit(X, y).coef_, LinearRegression().fit(X, y).coef_, rtol=1e-8)


@pytest.mark.parametrize("name", ["diabetes", "penguins", "wine"])
@pytest.mark.parametrize("cv", [None, 5])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_cv_matches_sklearn(name, cv, weighted, rng):
    X, y = regression(name)
    sw = rng.uniform(0.5, 2.0, size=y.size) if weighted else None
    alphas = np.logspace(-4, 3, 15)
    ours = RidgeCV(alphas=alphas, cv=cv, store_cv_results=cv is None).fit(X, y, sample_weight=sw)
    ref = sk.RidgeCV(alphas=alphas, cv=cv, store_cv_results=cv is None).fit(X, y, sample_weight=sw)
    assert ours.alpha_ == ref.alpha_
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-9)
    _close(ours.coef_, ref.coef_)
    if cv is None:
        big = ref.cv_results_.max()
        np.testing.assert_allclose(ours.cv_results_, ref.cv_results_, rtol=1e-8, atol=1e-12 * big)


@pytest.mark.parametrize(
    "name",
    [
        n if n != "breast_cancer" else pytest.param(n, marks=pytest.mark.slow)
        for n in REGRESSION_SETS
    ],
)
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.1])
def test_enet_matches_sklearn_at_tight_tolerance(name, l1_ratio, rng):
    X, y = regression(name)
    sw = rng.uniform(0.5, 2.0, size=y.size)
    for alpha in (1e-3, 0.1):
        for kw in ({}, {"sample_weight": sw}):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SkConvergenceWarning)
                params = {"alpha": alpha, "l1_ratio": l1_ratio, "tol": 1e-15, "max_iter": 50000}
                ours = ElasticNet(**params).fit(X, y, **kw)
                ref = sk.ElasticNet(**params).fit(X, y, **kw)
            _close(ours.coef_, ref.coef_)
            _close(ours.intercept_, ref.intercept_)


def test_lasso_is_really_l1():
    """Anchors' bug: an 'L1' penalty implemented as L2 gives no exact zeros. Check the L1
    optimality conditions: |x_j^T r / n| <= alpha on zeros, = alpha sign(w_j) elsewhere."""
    X, y = regression("diabetes")
    alpha = 0.5
    reg = Lasso(alpha=alpha, tol=1e-14, max_iter=10000).fit(X, y)
    zero = reg.coef_ == 0.0
    assert 0 < zero.sum() < X.shape[1]  # exact zeros, and not all of them
    r = y - reg.predict(X)
    corr = X.T @ r / X.shape[0]
    assert np.all(np.abs(corr[zero]) <= alpha * (1 + 1e-8))
    np.testing.assert_allclose(corr[~zero], alpha * np.sign(reg.coef_[~zero]), rtol=1e-6)
    ridge_like = ElasticNet(alpha=alpha, l1_ratio=0.0).fit(X, y)
    assert not np.any(ridge_like.coef_ == 0.0)  # pure L2 shrinks but never zeroes


def test_uncentred_data_lasso_intercept():
    """Anchors' bug: penalizing uncentred data (the intercept absorbed into w)."""
    X, y = regression("diabetes")
    base = Lasso(alpha=0.1, tol=1e-12).fit(X, y)
    shifted = Lasso(alpha=0.1, tol=1e-12).fit(X + 100.0, y + 1e4)
    _close(shifted.coef_, base.coef_, rtol=1e-7)
    assert shifted.intercept_ == pytest.approx(base.intercept_ + 1e4 - 100 * base.coef_.sum())


def test_warm_start_and_multitarget(rng):
    X, y = regression("diabetes")
    reg = Lasso(alpha=0.3, warm_start=True, tol=1e-10).fit(X, y)
    first = reg.n_iter_
    reg.set_params(alpha=0.29).fit(X, y)
    cold = Lasso(alpha=0.29, tol=1e-10).fit(X, y)
    assert reg.n_iter_ <= max(first, cold.n_iter_)
    _close(reg.coef_, cold.coef_, rtol=1e-7)
    Y = np.column_stack([y, 2 * y])
    multi = ElasticNet(alpha=0.1, tol=1e-12).fit(X, Y)
    assert multi.coef_.shape == (2, X.shape[1])
    _close(multi.coef_[1], ElasticNet(alpha=0.1, tol=1e-12).fit(X, 2 * y).coef_, rtol=1e-8)
    _close(Lasso(alpha=0.0).fit(X, y).coef_, LinearRegression().fit(X, y).coef_, rtol=1e-9)


@pytest.mark.parametrize("name", ["diabetes", "penguins", "breast_cancer"])
@pytest.mark.parametrize("weighted", [False, True])
def test_lasso_cv_matches_sklearn(name, weighted, rng):
    X, y = regression(name)
    sw = rng.uniform(0.5, 2.0, size=y.size) if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = LassoCV(alphas=30, eps=1e-2, tol=1e-12, max_iter=20000).fit(X, y, sample_weight=sw)
        ref = sk.LassoCV(alphas=30, eps=1e-2, tol=1e-12, max_iter=20000).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-10)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-5)
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-10)
    _close(ours.coef_, ref.coef_, rtol=1e-5)


def test_enet_cv_several_ratios():
    X, y = regression("diabetes")
    ours = ElasticNetCV(l1_ratio=[0.2, 0.7, 1.0], alphas=20, tol=1e-12).fit(X, y)
    ref = sk.ElasticNetCV(l1_ratio=[0.2, 0.7, 1.0], alphas=20, tol=1e-12).fit(X, y)
    assert ours.mse_path_.shape == ref.mse_path_.shape == (3, 20, 5)
    assert (ours.alpha_, ours.l1_ratio_) == pytest.approx((ref.alpha_, ref.l1_ratio_))
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-5)


@pytest.mark.parametrize("name", REGRESSION_SETS)
def test_bayesian_ridge_matches_sklearn(name, rng):
    X, y = regression(name)
    sw = rng.uniform(0.5, 2.0, size=y.size)
    for kw in ({}, {"sample_weight": sw}):
        ours = BayesianRidge(compute_score=True).fit(X, y, **kw)
        ref = sk.BayesianRidge(compute_score=True).fit(X, y, **kw)
        _close(ours.coef_, ref.coef_, rtol=1e-8)
        assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-7)
        assert ours.lambda_ == pytest.approx(ref.lambda_, rel=1e-7)
        m, s = ours.predict(X[:20], return_std=True)
        m_ref, s_ref = ref.predict(X[:20], return_std=True)
        np.testing.assert_allclose(m, m_ref, rtol=1e-8)
        np.testing.assert_allclose(s, s_ref, rtol=1e-7)


def test_bayesian_ridge_std_reflects_distance():
    x = np.linspace(0, 1, 30)
    y = 2 * x + 0.05 * np.sin(40 * x)
    reg = BayesianRidge().fit(x[:, None], y)
    _, std = reg.predict(np.array([[0.5], [5.0], [50.0]]), return_std=True)
    assert std[0] < std[1] < std[2]
    assert std[0] >= 1 / np.sqrt(reg.alpha_)


def test_errors():
    with pytest.raises(ValueError, match="alpha"):
        Ridge(alpha=-1.0).fit([[1.0], [2.0]], [1.0, 2.0])
    with pytest.raises(ValueError, match="l1_ratio"):
        ElasticNet(l1_ratio=2.0).fit([[1.0], [2.0]], [1.0, 2.0])
    with pytest.raises(ValueError, match="alphas"):
        RidgeCV(alphas=[0.0, 1.0]).fit([[1.0], [2.0], [3.0]], [1.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="l1_ratio"):
        ElasticNetCV(l1_ratio=[0.0, 0.5]).fit(np.ones((10, 1)) * np.arange(10)[:, None],
                                              np.arange(10.0))  # fmt: skip
    with pytest.raises(ValueError, match=r"NaN|infinity"):
        Lasso().fit([[np.inf], [2.0]], [1.0, 2.0])
