"""Conjugate models (m4ml.stats.bayes): closed-form posteriors, predictives vs scipy, errors."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from m4ml.stats.bayes import (
    BetaBinomial,
    DirichletMultinomial,
    GammaPoisson,
    NormalInverseGamma,
    NormalKnownVariance,
)
from m4ml.stats.bayes_normal import NormalInverseGammaDistribution

RTOL = 1e-12


def _close(actual, expected, rtol=RTOL, atol=0.0):
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


# --------------------------------------------------------------------------- Beta-Binomial
def test_beta_binomial_closed_form_and_scipy(rng):
    data = rng.random(57) < 0.3
    s = int(data.sum())
    model = BetaBinomial(2.0, 3.5).update(data)
    assert (model.a, model.b) == (2.0 + s, 3.5 + 57 - s)
    ref = ss.beta(2.0 + s, 3.5 + 57 - s)
    x = np.array([1e-6, 0.05, 0.2, 0.3, 0.5, 0.9, 0.999])
    post = model.posterior
    _close(post.pdf(x), ref.pdf(x))
    _close(post.cdf(x), ref.cdf(x))
    _close(post.sf(x), ref.sf(x))
    _close(model.posterior_mean(), ref.mean())
    _close(model.map_estimate(), (model.a - 1) / (model.a + model.b - 2))
    _close(model.credible_interval(0.9), ref.interval(0.9))
    pred, pref = model.posterior_predictive(10), ss.betabinom(10, model.a, model.b)
    k = np.arange(11)
    _close(pred.pmf(k), pref.pmf(k))
    _close(pred.cdf(k), pref.cdf(k))


def test_beta_binomial_hpd_interval_mass_and_density():
    model = BetaBinomial(1, 1).update([1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    low, high = model.credible_interval(0.95, kind="hpd")
    ref = ss.beta(model.a, model.b)
    assert abs(ref.cdf(high) - ref.cdf(low) - 0.95) < 1e-12
    _close(ref.pdf(low), ref.pdf(high), rtol=1e-9)
    et = ref.interval(0.95)
    assert high - low < et[1] - et[0]


def test_beta_binomial_map_on_boundary_and_flat():
    assert BetaBinomial(1, 1).update([0, 0, 0]).map_estimate() == 0.0
    assert BetaBinomial(0.5, 2).map_estimate() == 0.0
    assert BetaBinomial(3, 0.5).map_estimate() == 1.0
    with pytest.raises(ValueError, match="no unique mode"):
        BetaBinomial(1, 1).map_estimate()
    with pytest.raises(ValueError, match="no unique mode"):
        BetaBinomial(0.5, 0.5).map_estimate()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 1), max_size=30), st.lists(st.integers(0, 1), max_size=30))
def test_beta_binomial_sequential_equals_batch(first, second):
    prior = BetaBinomial(0.7, 1.3)
    assert prior.update(first).update(second) == prior.update(first + second)


def test_beta_binomial_empty_update_and_bools():
    prior = BetaBinomial(2, 2)
    assert prior.update([]) == prior
    assert prior.update(np.array([True, False, True])) == BetaBinomial(4, 3)


@pytest.mark.parametrize(
    ("args", "match"), [((-1.0, 1.0), "a must be > 0"), ((1.0, 0.0), "b must be > 0")]
)
def test_beta_binomial_rejects_bad_hyperparameters(args, match):
    with pytest.raises(ValueError, match=match):
        BetaBinomial(*args)


def test_beta_binomial_rejects_non_binary_outcomes():
    with pytest.raises(ValueError, match="0/1 outcomes"):
        BetaBinomial().update([0, 1, 2])
    with pytest.raises(ValueError, match="NaN"):
        BetaBinomial().update([0, np.nan])
    with pytest.raises(TypeError, match="a must be a real number"):
        BetaBinomial("1", 1)


# --------------------------------------------------------------------------- Gamma-Poisson
def test_gamma_poisson_closed_form_and_scipy(rng):
    counts = rng.poisson(3.2, size=40)
    model = GammaPoisson(2.0, 0.5).update(counts)
    assert (model.shape, model.rate) == (2.0 + counts.sum(), 40.5)
    ref = ss.gamma(model.shape, scale=1 / model.rate)
    x = np.array([1.0, 2.5, 3.2, 4.0, 8.0])
    _close(model.posterior.pdf(x), ref.pdf(x))
    _close(model.posterior.cdf(x), ref.cdf(x))
    _close(model.posterior.sf(x), ref.sf(x))
    _close(model.posterior_mean(), ref.mean())
    _close(model.map_estimate(), (model.shape - 1) / model.rate)
    _close(model.credible_interval(0.99), ref.interval(0.99))
    pred = model.posterior_predictive()
    pref = ss.nbinom(model.shape, model.rate / (model.rate + 1))
    k = np.arange(25)
    _close(pred.pmf(k), pref.pmf(k), rtol=1e-11)
    _close(pred.cdf(k), pref.cdf(k))
    low, high = model.credible_interval(0.95, kind="hpd")
    assert abs(ref.cdf(high) - ref.cdf(low) - 0.95) < 1e-12
    _close(ref.logpdf(low), ref.logpdf(high), rtol=1e-9)


def test_gamma_poisson_map_with_small_shape_and_errors():
    assert GammaPoisson(0.5, 1.0).map_estimate() == 0.0
    with pytest.raises(ValueError, match="non-negative integer counts"):
        GammaPoisson(1, 1).update([1, -2])
    with pytest.raises(ValueError, match="non-negative integer counts"):
        GammaPoisson(1, 1).update([1.5])
    with pytest.raises(ValueError, match="rate must be > 0"):
        GammaPoisson(1, -1)


# --------------------------------------------------------------------------- normal, known variance
def test_normal_known_variance_closed_form(rng):
    x = rng.normal(1.5, 2.0, size=25)
    model = NormalKnownVariance(0.0, 3.0, 2.0).update(x)
    prec = 1 / 9 + 25 / 4
    _close(model.tau0, np.sqrt(1 / prec))
    _close(model.mu0, (x.sum() / 4) / prec)
    grid = np.linspace(0, 3, 7)
    _close(model.posterior.pdf(grid), ss.norm(model.mu0, model.tau0).pdf(grid))
    pref = ss.norm(model.mu0, np.sqrt(1 / prec + 4))
    _close(model.posterior_predictive().cdf(grid), pref.cdf(grid))
    _close(model.credible_interval(0.95, kind="hpd"), ss.norm(model.mu0, model.tau0).interval(0.95))
    assert model.map_estimate() == model.posterior_mean() == model.mu0


def test_normal_known_variance_errors():
    with pytest.raises(ValueError, match="tau0 must be > 0"):
        NormalKnownVariance(0, 0, 1)
    with pytest.raises(ValueError, match="sigma must be > 0"):
        NormalKnownVariance(0, 1, -1)
    with pytest.raises(ValueError, match="NaN or infinity"):
        NormalKnownVariance(0, 1, 1).update([1.0, np.inf])


# --------------------------------------------------------------------------- normal-inverse-gamma
def _nig_by_sufficient_statistics(mu0, k0, a0, b0, x):
    """The textbook form with raw sums (independent of the implementation's two-pass form)."""
    n = len(x)
    kn = k0 + n
    mun = (k0 * mu0 + np.sum(x)) / kn
    bn = b0 + 0.5 * (np.sum(x**2) + k0 * mu0**2 - kn * mun**2)
    return mun, kn, a0 + n / 2, bn


def test_normal_inverse_gamma_closed_form_and_scipy(rng):
    x = rng.normal(-1.0, 0.7, size=30)
    model = NormalInverseGamma(0.5, 2.0, 3.0, 1.5).update(x)
    expected = _nig_by_sufficient_statistics(0.5, 2.0, 3.0, 1.5, x)
    _close([model.mu0, model.kappa0, model.alpha0, model.beta0], expected, rtol=1e-13)
    mu, kappa, alpha, beta = expected
    joint = ss.normal_inverse_gamma(mu, kappa, alpha, beta)
    xs, s2 = np.meshgrid(np.linspace(-1.5, -0.5, 5), np.linspace(0.2, 1.0, 4))
    _close(model.posterior.logpdf(xs, s2), joint.logpdf(xs, s2))
    _close(model.posterior.mean(), joint.mean())
    _close(model.posterior.var(), joint.var())
    t_ref = ss.t(2 * alpha, mu, np.sqrt(beta / (alpha * kappa)))
    ig_ref = ss.invgamma(alpha, scale=beta)
    grid = np.linspace(-1.5, -0.5, 9)
    _close(model.posterior.marginal_mean.cdf(grid), t_ref.cdf(grid))
    _close(model.posterior.marginal_variance.pdf(grid + 2), ig_ref.pdf(grid + 2))
    _close(model.credible_interval(0.9), t_ref.interval(0.9))
    _close(model.credible_interval(0.9, parameter="variance"), ig_ref.interval(0.9))
    pref = ss.t(2 * alpha, mu, np.sqrt(beta * (kappa + 1) / (alpha * kappa)))
    _close(model.posterior_predictive().logpdf(grid), pref.logpdf(grid))
    _close(model.map_estimate(), (mu, beta / (alpha + 1.5)))


def test_normal_inverse_gamma_marginal_mean_is_the_joint_integrated():
    d = NormalInverseGammaDistribution(0.3, 2.0, 2.5, 1.2)
    x = 0.9
    integral, _ = quad(lambda s2: d.pdf(x, s2), 0.0, np.inf, epsabs=0.0, epsrel=1e-12)
    _close(d.marginal_mean.pdf([x])[0], integral, rtol=1e-10)


def test_normal_inverse_gamma_variance_hpd_and_joint_sampling():
    model = NormalInverseGamma(0.0, 1.0, 2.0, 2.0).update([0.3, -0.2, 1.1, 0.4])
    low, high = model.credible_interval(0.9, kind="hpd", parameter="variance")
    ig = model.posterior.marginal_variance
    assert abs(ig.cdf(high) - ig.cdf(low) - 0.9) < 1e-12
    _close(ig.logpdf(low), ig.logpdf(high), rtol=1e-9)
    mu, s2 = model.posterior.sample(20000, rng=2)
    assert ss.kstest(s2, ss.invgamma(model.alpha0, scale=model.beta0).cdf).pvalue > 1e-3
    t_ref = ss.t(2 * model.alpha0, model.mu0, np.sqrt(model.beta0 / (model.alpha0 * model.kappa0)))
    assert ss.kstest(mu, t_ref.cdf).pvalue > 1e-3


def test_normal_inverse_gamma_is_stable_for_large_offsets(rng):
    x = 1e9 + rng.normal(0.0, 1.0, size=1000)
    model = NormalInverseGamma(1e9, 1e-6, 1.0, 1.0).update(x)
    ss_exact = np.sum((x - x.mean()) ** 2)
    # beta_n ~ beta0 + SS/2 (the prior term is negligible here)
    _close(model.beta0, 1.0 + ss_exact / 2 + 1e-6 * 1000 * (x.mean() - 1e9) ** 2 / 2 / model.kappa0)
    assert abs(model.beta0 / 500 - 1) < 0.2


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(-100, 100), min_size=0, max_size=12),
    st.lists(st.floats(-100, 100), min_size=0, max_size=12),
)
def test_normal_inverse_gamma_sequential_equals_batch(first, second):
    prior = NormalInverseGamma(1.0, 0.5, 2.0, 3.0)
    a = prior.update(first).update(second)
    b = prior.update(first + second)
    _close([a.mu0, a.kappa0, a.alpha0, a.beta0], [b.mu0, b.kappa0, b.alpha0, b.beta0], 1e-9, 1e-9)


def test_normal_inverse_gamma_errors():
    with pytest.raises(ValueError, match="kappa0 must be > 0"):
        NormalInverseGamma(0, 0, 1, 1)
    with pytest.raises(ValueError, match="beta0 must be > 0"):
        NormalInverseGamma(0, 1, 1, -2)
    with pytest.raises(ValueError, match="parameter must be"):
        NormalInverseGamma(0, 1, 1, 1).credible_interval(0.9, parameter="sd")


# --------------------------------------------------------------------------- Dirichlet-multinomial
def test_dirichlet_multinomial_closed_form_and_scipy():
    model = DirichletMultinomial([1.0, 2.0, 0.5]).update([[3, 0, 1], [2, 4, 0]])
    _close(model.alpha, [6.0, 6.0, 1.5])
    theta = np.array([[0.4, 0.4, 0.2], [0.1, 0.6, 0.3]])
    _close(model.posterior.logpdf(theta), ss.dirichlet([6.0, 6.0, 1.5]).logpdf(theta.T))
    _close(model.posterior_mean(), ss.dirichlet([6.0, 6.0, 1.5]).mean())
    _close(model.map_estimate(), np.array([5.0, 5.0, 0.5]) / 10.5)
    low, high = model.credible_interval(0.9)
    for i, a in enumerate(model.alpha):
        _close([low[i], high[i]], ss.beta(a, 13.5 - a).interval(0.9))
    pred = model.posterior_predictive(5)
    ref = ss.dirichlet_multinomial(model.alpha, 5)
    x = np.array([[5, 0, 0], [2, 2, 1], [0, 4, 1]])
    _close(pred.pmf(x), ref.pmf(x))
    hlow, hhigh = model.credible_interval(0.9, kind="hpd")
    marg = ss.beta(model.alpha, 13.5 - model.alpha)
    _close(marg.cdf(hhigh) - marg.cdf(hlow), np.full(3, 0.9), rtol=1e-11)


def test_dirichlet_multinomial_errors():
    with pytest.raises(ValueError, match="positive numbers"):
        DirichletMultinomial([1.0, -1.0])
    with pytest.raises(ValueError, match=r"shape \(2,\) or \(m, 2\)"):
        DirichletMultinomial([1.0, 1.0]).update([1, 2, 3])
    with pytest.raises(ValueError, match="non-negative integer counts"):
        DirichletMultinomial([1.0, 1.0]).update([1, -2])
    with pytest.raises(ValueError, match="no unique interior mode"):
        DirichletMultinomial([0.5, 3.0]).map_estimate()


def test_models_are_immutable_and_print():
    prior = DirichletMultinomial([1.0, 1.0])
    post = prior.update([2, 3])
    assert prior.alpha.tolist() == [1.0, 1.0] and post is not prior
    with pytest.raises(ValueError):
        prior.alpha[0] = 5.0
    assert repr(GammaPoisson(1, 2)) == "GammaPoisson(shape=1.0, rate=2.0)"
    model = BetaBinomial(2, 3)
    with pytest.raises(AttributeError, match="immutable"):
        model.a = 5.0
    assert model.a == 2.0


# --------------------------------------------------------------------------- evidence
def _chain_rule_evidence(model, observations, logp):
    """log p(x) = sum_i log p(x_i | x_<i): one-step predictives, updating in turn."""
    total = 0.0
    for x in observations:
        total += logp(model, x)
        model = model.update([x])
    return total


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 1), max_size=15), st.floats(0.2, 5.0), st.floats(0.2, 5.0))
def test_beta_binomial_evidence_is_the_product_of_predictives(data, a, b):
    model = BetaBinomial(a, b)
    chain = _chain_rule_evidence(model, data, lambda m, x: m.posterior_predictive(1).logpmf(x))
    _close(model.log_marginal_likelihood(data), chain, rtol=1e-10, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=10), st.floats(0.2, 5.0), st.floats(0.2, 5.0))
def test_gamma_poisson_evidence_is_the_product_of_predictives(data, shape, rate):
    model = GammaPoisson(shape, rate)
    chain = _chain_rule_evidence(model, data, lambda m, x: m.posterior_predictive().logpmf(x))
    _close(model.log_marginal_likelihood(data), chain, rtol=1e-10, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-20, 20), max_size=10))
def test_normal_models_evidence_is_the_product_of_predictives(data):
    for model in (NormalKnownVariance(1.0, 2.0, 1.5), NormalInverseGamma(0.5, 2.0, 3.0, 1.5)):
        chain = _chain_rule_evidence(
            model, data, lambda m, x: m.posterior_predictive().logpdf([x])[0]
        )
        _close(model.log_marginal_likelihood(data), chain, rtol=1e-10, atol=1e-10)


def test_evidence_against_scipy_joint_marginals(rng):
    x = rng.normal(0.7, 1.3, size=6)
    known = NormalKnownVariance(0.2, 0.9, 1.3)
    cov = 1.3**2 * np.eye(6) + 0.9**2 * np.ones((6, 6))
    _close(known.log_marginal_likelihood(x), ss.multivariate_normal(np.full(6, 0.2), cov).logpdf(x))
    nig = NormalInverseGamma(0.2, 0.5, 2.5, 1.7)
    shape = 1.7 / 2.5 * (np.eye(6) + np.ones((6, 6)) / 0.5)
    ref = ss.multivariate_t(np.full(6, 0.2), shape, df=5.0).logpdf(x)
    _close(nig.log_marginal_likelihood(x), ref)
    counts = [3, 0, 2]
    dm = DirichletMultinomial([0.5, 1.0, 2.0])
    # the sequence probability is the Dirichlet-multinomial pmf over the multinomial coefficient
    log_coef = np.log(10.0)  # 5! / (3! 0! 2!)
    ref = ss.dirichlet_multinomial([0.5, 1.0, 2.0], 5).logpmf(counts) - log_coef
    _close(dm.log_marginal_likelihood(counts), ref)
    assert BetaBinomial(2, 3).log_marginal_likelihood([]) == 0.0
