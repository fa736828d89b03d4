"""Predictive distributions (m4ml.stats.predictive) against scipy.stats."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.stats.predictive import (
    BetaBinomialDistribution,
    DirichletMultinomialDistribution,
    NegativeBinomial,
)

RTOL = 1e-12


def _close(actual, expected, rtol=RTOL, atol=0.0):
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


# --------------------------------------------------------------------------- negative binomial
@pytest.mark.parametrize(("n", "p"), [(1.0, 0.5), (2.7, 0.3), (20.0, 0.9), (0.4, 0.05)])
def test_negative_binomial_matches_scipy(n, p):
    d, ref = NegativeBinomial(n, p), ss.nbinom(n, p)
    k = np.arange(-2.0, 80.0)
    _close(d.pmf(k), ref.pmf(k), rtol=1e-11)
    _close(d.logpmf(k[2:]), ref.logpmf(k[2:]), rtol=1e-12, atol=1e-12)
    _close(d.cdf(k), ref.cdf(k), rtol=1e-12)
    _close(d.sf(k), ref.sf(k), rtol=1e-11)
    q = np.array([0.0, 1e-6, 0.1, 0.5, 0.9, 0.999, 1.0])
    np.testing.assert_array_equal(d.ppf(q), ref.ppf(q))
    np.testing.assert_array_equal(d.isf(q), ref.isf(q))
    _close([d.mean(), d.var()], [ref.mean(), ref.var()])


def test_negative_binomial_far_tail_sf_keeps_digits():
    d, ref = NegativeBinomial(3.0, 0.5), ss.nbinom(3.0, 0.5)
    assert d.sf(200) < 1e-50
    _close(d.sf(200), ref.sf(200), rtol=1e-10)
    assert d.pmf(2.5) == 0.0 and d.logpmf(-1) == -np.inf


def test_negative_binomial_sampling_passes_chi_square():
    d = NegativeBinomial(2.5, 0.4)
    x = d.sample(20000, rng=3)
    edges = np.arange(0, 16)
    observed = np.array([np.sum(x == k) for k in edges[:-1]] + [np.sum(x >= 15)])
    expected = np.append(d.pmf(edges[:-1]), d.sf(14)) * x.size
    assert ss.chisquare(observed, expected).pvalue > 1e-3


def test_negative_binomial_is_the_gamma_poisson_mixture():
    # P(K=k) = int Poisson(k; lam) Gamma(lam; r, rate b) dlam, by quadrature
    r, b = 2.3, 1.7
    lam = np.linspace(1e-9, 40.0, 400001)
    k = 3
    integrand = ss.poisson(lam).pmf(k) * ss.gamma(r, scale=1 / b).pdf(lam)
    _close(NegativeBinomial(r, b / (b + 1)).pmf(k), np.trapezoid(integrand, lam), rtol=1e-8)


@pytest.mark.parametrize(("n", "p", "match"), [(0.0, 0.5, "n must be"), (1.0, 1.5, "p must be")])
def test_negative_binomial_rejects_bad_parameters(n, p, match):
    with pytest.raises(ValueError, match=match):
        NegativeBinomial(n, p)


# --------------------------------------------------------------------------- beta-binomial
@pytest.mark.parametrize(
    ("n", "a", "b"), [(0, 1.0, 1.0), (1, 0.5, 2.0), (30, 2.5, 0.7), (200, 40.0, 7.0)]
)
def test_beta_binomial_matches_scipy(n, a, b):
    d, ref = BetaBinomialDistribution(n, a, b), ss.betabinom(n, a, b)
    k = np.arange(-2.0, n + 3.0)
    _close(d.pmf(k), ref.pmf(k), rtol=1e-12)
    _close(d.cdf(k), ref.cdf(k), rtol=1e-12)
    # scipy's sf is 1 - cdf (it loses digits in the right tail); ours sums the tail, so the
    # reference is scipy's pmf summed over the tail
    tail = np.array([np.sum(ref.pmf(np.arange(j + 1, n + 1))) for j in k])
    _close(d.sf(k), tail, rtol=1e-11)
    q = np.array([0.0, 0.01, 0.3, 0.5, 0.77, 0.999, 1.0])
    np.testing.assert_array_equal(d.ppf(q), ref.ppf(q))
    _close([d.mean(), d.var(), d.entropy()], [ref.mean(), ref.var(), ref.entropy()])


def test_beta_binomial_right_tail_summed_in_the_tail():
    d = BetaBinomialDistribution(60, 1.0, 30.0)
    k = np.arange(61.0)
    exact_tail = np.array([np.sum(d.pmf(k[j + 1 :])) for j in range(61)])
    _close(d.sf(k), exact_tail, rtol=1e-13)
    assert 0 < d.sf(59) < 1e-20
    _close(d.sf(59), d.pmf(60), rtol=1e-15)


def test_beta_binomial_batched_parameters():
    d = BetaBinomialDistribution([3, 10], [1.0, 2.0], 2.0)
    _close(d.cdf([2.0, 2.0]), [ss.betabinom(3, 1, 2).cdf(2), ss.betabinom(10, 2, 2).cdf(2)])
    _close(d.sf(4.0), [0.0, ss.betabinom(10, 2, 2).sf(4)])


def test_beta_binomial_sampling_passes_chi_square():
    d = BetaBinomialDistribution(12, 2.0, 3.0)
    x = d.sample(20000, rng=5)
    observed = np.bincount(x.astype(int), minlength=13)
    assert ss.chisquare(observed, d.pmf(np.arange(13)) * x.size).pvalue > 1e-3


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 40),
    st.floats(0.1, 50.0),
    st.floats(0.1, 50.0),
)
def test_beta_binomial_mass_sums_to_one_and_cdf_plus_sf(n, a, b):
    d = BetaBinomialDistribution(n, a, b)
    k = np.arange(n + 1.0)
    assert abs(np.sum(d.pmf(k)) - 1.0) < 1e-12
    _close(d.cdf(k) + d.sf(k), np.ones(n + 1), rtol=1e-12)


def test_beta_binomial_rejects_bad_parameters():
    with pytest.raises(ValueError, match="n must be a non-negative integer"):
        BetaBinomialDistribution(2.5, 1.0, 1.0)
    with pytest.raises(ValueError, match="a must be"):
        BetaBinomialDistribution(3, -1.0, 1.0)


# --------------------------------------------------------------------------- Dirichlet-multinomial
def test_dirichlet_multinomial_matches_scipy():
    alpha, n = np.array([0.5, 2.0, 3.0, 1.2]), 9
    d, ref = DirichletMultinomialDistribution(n, alpha), ss.dirichlet_multinomial(alpha, n)
    x = np.array([[1, 2, 4, 2], [9, 0, 0, 0], [0, 3, 3, 3], [2, 2, 2, 3]])
    _close(d.pmf(x), ref.pmf(x))
    _close(d.logpmf(x), ref.logpmf(x))
    _close(d.mean(), ref.mean())
    _close(d.var(), ref.var())
    _close(d.cov(), ref.cov(), atol=1e-14)


def test_dirichlet_multinomial_support_and_sampling():
    d = DirichletMultinomialDistribution(4, [1.0, 2.0])
    assert d.pmf([1, 2]) == 0.0 and d.pmf([1.5, 2.5]) == 0.0
    # K = 2 is the beta-binomial
    _close(d.pmf([[k, 4 - k] for k in range(5)]), ss.betabinom(4, 1, 2).pmf(np.arange(5)))
    x = d.sample(20000, rng=1)
    assert x.shape == (20000, 2) and np.all(x.sum(axis=1) == 4)
    np.testing.assert_array_equal(d.rvs((3, 2), random_state=4), d.sample((3, 2), rng=4))
    assert d.sample(rng=0).shape == (2,)
    observed = np.bincount(x[:, 0].astype(int), minlength=5)
    assert ss.chisquare(observed, ss.betabinom(4, 1, 2).pmf(np.arange(5)) * 20000).pvalue > 1e-3


def test_dirichlet_multinomial_rejects_bad_input():
    with pytest.raises(ValueError, match="alpha must be"):
        DirichletMultinomialDistribution(3, [1.0, 0.0])
    with pytest.raises(ValueError, match="last axis"):
        DirichletMultinomialDistribution(3, [1.0, 1.0]).pmf([1, 1, 1])
