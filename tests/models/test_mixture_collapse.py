"""GaussianMixture where components collapse: the exact M-step (a one-point scatter is 0, not
rounding residue) and E-steps near a mean that is large against the standard deviation."""

import warnings
from fractions import Fraction

import numpy as np
import pytest

from m4ml._core.errors import ConvergenceWarning
from m4ml.models import GaussianMixture
from m4ml.models.mixture_gaussian import (
    estimate_gaussian_parameters,
    estimate_log_gaussian_prob,
    precision_cholesky,
)
from tests.models.test_mixture import COV, three_blobs

# explore profile seed 108: test_lower_bound_never_decreases(seed=1029, k=3, "diag",
# "k-means++", reg_covar=0). The EM state at iteration 19 of that run (before the fix): five
# iterations later component 1 holds one point (row 93) and the bound fell by 6.9e-5.
START = {
    "weights_init": [0.03971841509946786, 0.011245229196046617, 0.9490363557044855],
    "means_init": [
        [1.2207238862407608, 0.483820959523717],
        [-0.1856395706405808, -0.9329177864145743],
        [1.0956906713099392, -3.5176681256957014],
    ],
    "precisions_init": [
        [0.7736078787569628, 13.16555381522613],
        [1037.7164632732838, 0.524724854520864],
        [0.4296583319609553, 0.5833507081811832],
    ],
}


def _fit(reg_covar, max_iter):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianMixture(
            3, covariance_type="diag", reg_covar=reg_covar, tol=0.0, max_iter=max_iter, **START
        ).fit(three_blobs(1029))


def test_lower_bound_never_decreases_partial_diag_collapse():
    """The scatter of the collapsed component was 9.7e-61 then 1.2e-60 (the residue of the
    mean's refinement step; exactly 0 from those responsibilities) and the bound moved by
    0.5 (ln(1.1765/0.9723) + ln(0.2941/0.3500)) / 120 = -6.9e-5 with it."""
    X = three_blobs(1029)
    before = _fit(0.0, 5)  # the five iterations before the collapse
    assert np.all(np.diff(before.lower_bounds_) > 0)
    # reg_covar=0: the M-step that sees the collapse has scatter 0, as exact arithmetic
    with pytest.raises(ValueError, match="ill-defined empirical covariance"):
        _fit(0.0, 30)
    # the smallest regularization runs through it: variance exactly reg_covar, mean the point
    gm = _fit(1e-300, 30)
    bounds = np.array(gm.lower_bounds_)
    assert np.all(np.diff(bounds) >= -1e-14 * np.abs(bounds[1:]))  # measured -1.3e-15
    assert bounds[-1] - bounds[0] > 5.0  # the collapsed component: ~690 / 120 per dimension
    np.testing.assert_array_equal(gm.covariances_[1], [1e-300, 1e-300])
    np.testing.assert_array_equal(gm.means_[1], X[93])


def _exact_scatter(X, r, mean):
    """sum_i r_i (x_i - mean)^2 per column, in rational arithmetic."""
    return [
        sum(Fraction(float(a)) * (Fraction(float(x)) - Fraction(float(m))) ** 2
            for a, x in zip(r, X[:, j], strict=True))
        for j, m in enumerate(mean)
    ]  # fmt: skip


@pytest.mark.parametrize("cov", COV)
def test_one_point_component_has_scatter_zero(cov):
    """Responsibility on one row (the rest underflowed to 0): the mean is that row and the
    covariance exactly 0 (it was ~1e-60, the rounding residue of the mean's refinement)."""
    X = three_blobs(1029)
    resp = np.zeros((X.shape[0], 1))
    resp[93] = 0.9999948764256361  # measured at the collapse
    _, means, c = estimate_gaussian_parameters(X, resp, 0.0, cov)
    np.testing.assert_array_equal(means[0], X[93])
    assert not np.any(c)
    _, _, c = estimate_gaussian_parameters(X, resp, 1e-300, cov)
    if cov in ("full", "tied"):
        c = np.diagonal(c, axis1=-2, axis2=-1)
    np.testing.assert_array_equal(c, 1e-300)


def test_tiny_responsibilities_give_the_exact_scatter():
    """One point at ~1, the others at 1e-200: the variance is sum r (x - mu)^2 / N, ~1e-198,
    to 1e-12 relative (a rounding residue of 1e-60 swamped it)."""
    X = three_blobs(1029)
    r = np.full(X.shape[0], 1e-200)
    r[93] = 0.99999
    nk, means, var = estimate_gaussian_parameters(X, r[:, None], 0.0, "diag")
    exact = [float(e / Fraction(float(nk[0]))) for e in _exact_scatter(X, r, means[0])]
    np.testing.assert_allclose(var[0], exact, rtol=1e-12)
    assert 1e-200 < var.min() < 1e-196


def _exact_log_density(x, mean, P):
    """log N(x; mean, (P P^T)^-1) with the Mahalanobis term in rational arithmetic."""
    d = len(x)
    dev = [Fraction(float(a)) - Fraction(float(m)) for a, m in zip(x, mean, strict=True)]
    y = [sum(dev[a] * Fraction(float(P[a, b])) for a in range(d)) for b in range(d)]
    maha = float(sum(v * v for v in y))
    return -0.5 * (d * np.log(2 * np.pi) + maha) + np.log(np.abs(np.diag(P))).sum()


@pytest.mark.parametrize("cov", COV)
@pytest.mark.parametrize("sigma", [1e-4, 1e-10])
def test_log_density_near_a_mean_large_against_sigma(cov, sigma):
    """|mu| / sigma = 3e10: X P - mu P cancelled to an absolute error of 1e-5 in log N for
    "full" and "tied" (diag/spherical were guarded); now 1e-14, from the deviations. The
    second component (unit covariance except for "tied") keeps the one-product path."""
    rng = np.random.default_rng(0)
    mean = np.array([[3.0, -2.0], [0.5, 0.25]])
    L = sigma * np.array([[1.0, 0.0], [0.5, 1.0]])
    covariance = {
        "full": np.stack([L @ L.T, np.eye(2)]),
        "tied": L @ L.T,
        "diag": np.array([[1.0, 2.0], [1.0, 1.0]]) * [[sigma**2], [1.0]],
        "spherical": np.array([sigma**2, 1.0]),
    }[cov]
    pc = precision_cholesky(covariance, cov)
    X = np.vstack([mean[0] + rng.standard_normal((40, 2)) * sigma, rng.standard_normal((5, 2))])
    got = estimate_log_gaussian_prob(X, mean, pc, cov)
    for k in range(2):
        P = {
            "full": pc[k] if cov == "full" else None,
            "tied": pc,
            "diag": np.diag(pc[k]) if cov == "diag" else None,
            "spherical": pc[k] * np.eye(2),
        }[cov]
        ref = np.array([_exact_log_density(x, mean[k], P) for x in X])
        near = np.abs(ref) < 1e3  # the far points' huge log densities: relative
        atol = 1e-13 * np.abs(ref[near]).max(initial=1.0)
        np.testing.assert_allclose(got[near, k], ref[near], rtol=0, atol=atol)
        np.testing.assert_allclose(got[~near, k], ref[~near], rtol=1e-13)
