"""Metropolis-Hastings and chain diagnostics (m4ml.stats.mcmc)."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import lfilter

from m4ml._core import LinAlgError
from m4ml.stats.bayes import BetaBinomial
from m4ml.stats.mcmc import (
    autocorrelation_function,
    effective_sample_size,
    metropolis_hastings,
)


def _ar1(phi, n, seed):
    e = np.random.default_rng(seed).standard_normal(n)
    return lfilter([1.0], [1.0, -phi], e)


def _reference_ess(x):
    """Geyer's initial monotone sequence, written out with direct sums and a Python loop."""
    n = len(x)
    c = x - x.mean()
    acov = np.array([np.dot(c[: n - t], c[t:]) / n for t in range(n)])
    rho = acov / acov[0]
    total, previous = 0.0, np.inf
    for k in range(n // 2):
        gamma = rho[2 * k] + rho[2 * k + 1]
        if gamma <= 0:
            break
        previous = min(previous, gamma)
        total += previous
    return n / max(2 * total - 1, 1 / np.log10(n))


def test_autocorrelation_matches_direct_sums(rng):
    x = rng.standard_normal((300, 2)).cumsum(axis=0)
    rho = autocorrelation_function(x)
    for j in range(2):
        c = x[:, j] - x[:, j].mean()
        direct = np.array([np.dot(c[: 300 - t], c[t:]) for t in range(300)]) / np.dot(c, c)
        np.testing.assert_allclose(rho[:, j], direct, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.9, -0.3])
def test_ess_matches_reference_computation_on_ar1(phi):
    x = _ar1(phi, 3000, seed=11)
    np.testing.assert_allclose(effective_sample_size(x), _reference_ess(x), rtol=1e-10)


@pytest.mark.parametrize("phi", [0.5, 0.9, -0.3])
def test_ess_recovers_the_ar1_autocorrelation_time(phi):
    n = 200_000
    x = _ar1(phi, n, seed=3)
    expected = n * (1 - phi) / (1 + phi)
    np.testing.assert_allclose(effective_sample_size(x), expected, rtol=0.08)


def test_ess_per_column_and_constant_chain():
    x = np.column_stack([_ar1(0.9, 4000, 1), _ar1(0.0, 4000, 2), np.ones(4000)])
    ess = effective_sample_size(x)
    assert ess.shape == (3,)
    np.testing.assert_allclose(ess[:2], [_reference_ess(x[:, 0]), _reference_ess(x[:, 1])])
    assert ess[0] < ess[1] and ess[2] == 1.0


@settings(max_examples=25, deadline=None)
@given(st.integers(4, 60), st.integers(0, 2**32 - 1))
def test_ess_property_matches_reference(n, seed):
    x = np.random.default_rng(seed).standard_normal(n)
    np.testing.assert_allclose(effective_sample_size(x), _reference_ess(x), rtol=1e-9)


def test_ess_errors():
    with pytest.raises(ValueError, match="at least 4 draws"):
        effective_sample_size([1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        effective_sample_size([1.0, 2.0, np.nan, 3.0, 4.0])


# --------------------------------------------------------------------------- Metropolis-Hastings
def test_mh_recovers_a_beta_posterior_mean_within_3_mcse():
    data = [1] * 7 + [0] * 13
    model = BetaBinomial(2, 2).update(data)
    a, b = model.a, model.b

    def log_post(theta):
        if not 0 < theta < 1:
            return -np.inf
        return (a - 1) * np.log(theta) + (b - 1) * np.log1p(-theta)

    res = metropolis_hastings(log_post, 0.5, 20000, 0.2, rng=7, burn_in=500)
    assert res.samples.shape == (20000,)
    assert abs(res.mean() - model.posterior_mean()) < 3 * res.mcse
    assert 0.2 < res.acceptance_rate < 0.8
    assert ss.kstest(res.samples[::20], ss.beta(a, b).cdf).pvalue > 1e-3


def test_mh_correlated_gaussian_with_covariance_proposal():
    mean = np.array([1.0, -2.0])
    cov = np.array([[1.0, 0.8], [0.8, 1.0]])
    prec = np.linalg.inv(cov)

    def log_density(x):
        d = x - mean
        return -0.5 * d @ prec @ d

    res = metropolis_hastings(log_density, [0.0, 0.0], 20000, 2.4**2 / 2 * cov, rng=3)
    assert res.samples.shape == (20000, 2) and res.effective_sample_size.shape == (2,)
    assert np.all(np.abs(res.mean() - mean) < 3 * res.mcse)
    np.testing.assert_allclose(np.cov(res.samples.T), cov, atol=0.1)
    np.testing.assert_allclose(
        res.log_density[:200], [log_density(s) for s in res.samples[:200]], rtol=1e-14
    )


def test_mh_acceptance_rate_responds_to_the_step_size():
    def target(x):
        return -0.5 * x * x

    small = metropolis_hastings(target, 0.0, 2000, 0.01, rng=0, burn_in=0)
    large = metropolis_hastings(target, 0.0, 2000, 50.0, rng=0, burn_in=0)
    assert small.acceptance_rate > 0.99 and large.acceptance_rate < 0.1
    assert small.effective_sample_size < 50


def test_mh_is_reproducible_and_thins():
    def target(x):
        return -0.5 * np.sum(x * x)

    a = metropolis_hastings(target, [0.0, 0.0, 0.0], 300, [0.5, 1.0, 2.0], rng=9, thin=3)
    b = metropolis_hastings(target, [0.0, 0.0, 0.0], 300, [0.5, 1.0, 2.0], rng=9, thin=3)
    c = metropolis_hastings(target, [0.0, 0.0, 0.0], 900, [0.5, 1.0, 2.0], rng=9, thin=1)
    np.testing.assert_array_equal(a.samples, b.samples)
    np.testing.assert_array_equal(a.samples, c.samples[2::3])
    assert "MCMCResult(n_samples=300" in repr(a)


def test_mh_errors():
    def target(x):
        return -0.5 * x * x

    with pytest.raises(TypeError, match="callable"):
        metropolis_hastings(3.0, 0.0, 10)
    with pytest.raises(ValueError, match="zero density"):
        metropolis_hastings(lambda x: -np.inf, 0.0, 10)
    with pytest.raises(ValueError, match="returned nan"):
        metropolis_hastings(lambda x: np.nan, 0.0, 10)
    with pytest.raises(ValueError, match="n_samples must be >= 1"):
        metropolis_hastings(target, 0.0, 0)
    with pytest.raises(ValueError, match="thin must be >= 1"):
        metropolis_hastings(target, 0.0, 10, thin=0)
    with pytest.raises(ValueError, match="proposal_scale must be positive"):
        metropolis_hastings(target, 0.0, 10, -1.0)
    with pytest.raises(ValueError, match="shape"):
        metropolis_hastings(lambda x: 0.0, [0.0, 0.0], 10, [1.0, 1.0, 1.0])
    with pytest.raises(TypeError, match="real scalar"):
        metropolis_hastings(lambda x: np.zeros(3), [0.0, 0.0], 10)
    with pytest.raises(LinAlgError, match="positive definite"):
        metropolis_hastings(lambda x: 0.0, [0.0, 0.0], 10, [[1.0, 2.0], [2.0, 1.0]])
