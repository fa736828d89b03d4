"""Evidence maximization for Bayesian linear regression against scikit-learn's BayesianRidge."""

import numpy as np
import pytest
from sklearn.linear_model import BayesianRidge

from m4ml.stats.bayes_linear import bayesian_linear_regression


@pytest.mark.parametrize(
    ("n", "p", "kw"),
    [
        (60, 4, {}),
        (8, 12, {}),
        (40, 40, {}),
        (50, 5, {"fit_intercept": False}),
        (70, 6, {"alpha_init": 2.0, "lambda_init": 0.5, "tol": 1e-8}),
        (45, 3, {"alpha_1": 1.0, "lambda_2": 3.0}),
    ],
)
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn(n, p, kw, weighted, rng):
    X = rng.normal(size=(n, p)) + 3.0  # uncentred on purpose
    y = X @ rng.normal(size=p) + 5.0 + rng.normal(size=n)
    sw = rng.uniform(0.2, 3.0, size=n) if weighted else None
    ours = bayesian_linear_regression(X, y, sample_weight=sw, compute_score=True, **kw)
    ref = BayesianRidge(compute_score=True, **kw).fit(X, y, sample_weight=sw)
    assert ours.n_iter == ref.n_iter_
    np.testing.assert_allclose(ours.coef, ref.coef_, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(ours.intercept, ref.intercept_, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose([ours.alpha, ours.lambda_], [ref.alpha_, ref.lambda_], rtol=1e-8)
    np.testing.assert_allclose(ours.sigma, ref.sigma_, rtol=1e-8, atol=1e-12)
    # scikit-learn's last score pairs the final precisions with the previous iterate's
    # coefficients; ours uses the final posterior mean, so compare the others
    np.testing.assert_allclose(ours.scores[:-1], ref.scores_[:-1], rtol=1e-9)
    np.testing.assert_allclose(ours.scores[-1], ref.scores_[-1], rtol=1e-6)


def test_evidence_increases_and_recovers_noise(rng):
    X = rng.normal(size=(2000, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3 * rng.normal(size=2000)
    fit = bayesian_linear_regression(X, y, compute_score=True, tol=1e-12)
    assert np.all(np.diff(fit.scores) >= -1e-9 * np.abs(fit.scores[:-1]))
    assert abs(1 / np.sqrt(fit.alpha) - 0.3) < 0.02  # noise sd within sampling error
    # the posterior covariance is the inverse of alpha X^T X + lambda I (centred X)
    Xc = X - X.mean(axis=0)
    np.testing.assert_allclose(
        fit.sigma @ (fit.alpha * Xc.T @ Xc + fit.lambda_ * np.eye(3)), np.eye(3), atol=1e-10
    )


def test_bad_input():
    with pytest.raises(ValueError, match="rows"):
        bayesian_linear_regression(np.ones((3, 2)), np.ones(4))
    with pytest.raises(ValueError, match=r"NaN|nan|finite"):
        bayesian_linear_regression(np.array([[np.nan], [1.0]]), np.ones(2))
    with pytest.raises(ValueError, match="sample_weight"):
        bayesian_linear_regression(np.ones((3, 1)), np.ones(3), sample_weight=[1.0, -1.0, 1.0])
    with pytest.raises(ValueError, match="max_iter"):
        bayesian_linear_regression(np.ones((3, 1)), np.ones(3), max_iter=0)
