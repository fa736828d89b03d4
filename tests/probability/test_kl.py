import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs
from scipy.integrate import quad

from m4ml.probability.beta_family import Beta, StudentT
from m4ml.probability.categorical import Categorical
from m4ml.probability.continuous_basic import Exponential
from m4ml.probability.discrete import Bernoulli, Binomial, Poisson
from m4ml.probability.gamma_family import ChiSquared, Gamma
from m4ml.probability.kl import kl_divergence
from m4ml.probability.multivariate import Dirichlet, MultivariateNormal
from m4ml.probability.normal import Normal
from tests.helpers import spd
from tests.probability._compare import assert_rel


def _kl_quad(p, q, lo, hi):
    f = lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x))  # noqa: E731
    return quad(f, lo, hi, epsabs=1e-13, epsrel=1e-11, limit=200)[0]


@pytest.mark.parametrize(
    ("p", "q", "lo", "hi"),
    [
        (Normal(0.0, 1.0), Normal(1.0, 2.0), -40, 40),
        (Normal(3.0, 0.5), Normal(-1.0, 0.7), -20, 30),
        (Exponential(2.0), Exponential(0.3), 0, 60),
        (Gamma(2.5, 1.5), Gamma(1.2, 0.4), 0, 80),
        (Gamma(0.7, 3.0), Gamma(3.0, 1.0), 0, 40),
        (Beta(2.0, 3.0), Beta(0.5, 0.5), 0, 1),
        (Beta(5.0, 1.5), Beta(2.0, 2.0), 0, 1),
    ],
)
def test_continuous_against_quadrature(p, q, lo, hi):
    assert_rel(kl_divergence(p, q), _kl_quad(p, q, lo, hi), rtol=1e-9)


def test_discrete_against_sums():
    k = np.arange(200)
    p, q = Poisson(3.5), Poisson(6.0)
    assert_rel(kl_divergence(p, q), np.sum(p.pmf(k) * (p.logpmf(k) - q.logpmf(k))), rtol=1e-13)
    a, b = np.array([0.2, 0.5, 0.3]), np.array([0.4, 0.4, 0.2])
    assert_rel(kl_divergence(Categorical(a), Categorical(b)), st.entropy(a, b), rtol=1e-14)
    assert_rel(
        kl_divergence(Bernoulli(0.3), Bernoulli(0.6)),
        st.entropy([0.7, 0.3], [0.4, 0.6]),
        rtol=1e-14,
    )


def test_infinite_and_zero_cases():
    assert kl_divergence(Bernoulli(0.5), Bernoulli(0.0)) == np.inf
    assert kl_divergence(Bernoulli(0.0), Bernoulli(0.5)) == pytest.approx(np.log(2.0), rel=1e-15)
    assert kl_divergence(Categorical([0.5, 0.5, 0.0]), Categorical([0.5, 0.0, 0.5])) == np.inf
    assert kl_divergence(Categorical([1.0, 0.0]), Categorical([0.5, 0.5])) == pytest.approx(
        np.log(2)
    )
    assert kl_divergence(Poisson(1.0), Poisson(0.0)) == np.inf
    assert kl_divergence(Poisson(0.0), Poisson(2.0)) == 2.0
    assert kl_divergence(Normal(1.0, 2.0), Normal(1.0, 2.0)) == 0.0


def test_broadcast_parameters():
    out = kl_divergence(Normal([0.0, 1.0], 1.0), Normal(0.0, [[1.0], [2.0]]))
    assert out.shape == (2, 2)
    assert_rel(out[1, 1], kl_divergence(Normal(1.0, 1.0), Normal(0.0, 2.0)), rtol=1e-15)


def test_mvn_against_dense_formula(rng):
    d = 6
    m1, m2 = rng.standard_normal(d), rng.standard_normal(d)
    s1, s2 = spd(d, rng), spd(d, rng)
    s1, s2 = (s1 + s1.T) / 2, (s2 + s2.T) / 2
    inv2 = np.linalg.inv(s2)
    ref = 0.5 * (
        np.trace(inv2 @ s1)
        + (m2 - m1) @ inv2 @ (m2 - m1)
        - d
        + np.linalg.slogdet(s2)[1]
        - np.linalg.slogdet(s1)[1]
    )
    got = kl_divergence(MultivariateNormal(m1, s1), MultivariateNormal(m2, s2))
    assert_rel(got, ref, rtol=1e-11)
    # the one-dimensional case equals the univariate formula
    one = kl_divergence(MultivariateNormal([0.5], [[4.0]]), MultivariateNormal([-1.0], [[0.25]]))
    assert_rel(one, kl_divergence(Normal(0.5, 2.0), Normal(-1.0, 0.5)), rtol=1e-14)


def test_dirichlet():
    two = kl_divergence(Dirichlet([2.0, 3.0]), Dirichlet([0.5, 4.0]))
    assert_rel(two, kl_divergence(Beta(2.0, 3.0), Beta(0.5, 4.0)), rtol=1e-12)
    p, q = Dirichlet([2.0, 3.0, 4.0]), Dirichlet([1.0, 1.0, 5.0])
    x = p.sample(200_000, rng=0)
    terms = p.logpdf(x) - q.logpdf(x)
    se = terms.std() / np.sqrt(terms.size)
    assert abs(kl_divergence(p, q) - terms.mean()) < 3 * se


@pytest.mark.parametrize(
    ("p", "q", "err", "match"),
    [
        (Normal(), Gamma(1.0), TypeError, "same family"),
        (StudentT(3.0), StudentT(4.0), TypeError, "no closed-form KL divergence for StudentT"),
        (ChiSquared(3.0), ChiSquared(4.0), TypeError, "ChiSquared"),
        (Categorical([0.5, 0.5]), Categorical([1.0]), ValueError, "categories differ"),
        (
            MultivariateNormal([0.0], 1.0),
            MultivariateNormal([0.0, 0.0], 1.0),
            ValueError,
            "dimensions",
        ),
        (Dirichlet([1.0, 1.0]), Dirichlet([1.0, 1.0, 1.0]), ValueError, "components differ"),
    ],
)
def test_errors(p, q, err, match):
    with pytest.raises(err, match=match):
        kl_divergence(p, q)


@given(hs.floats(0.1, 10), hs.floats(0.1, 10), hs.floats(0.1, 10), hs.floats(0.1, 10))
@settings(max_examples=25, deadline=None)
def test_gibbs_inequality(a1, b1, a2, b2):
    assert kl_divergence(Gamma(a1, b1), Gamma(a2, b2)) >= -1e-12
    assert kl_divergence(Beta(a1, b1), Beta(a2, b2)) >= -1e-12
    assert abs(kl_divergence(Beta(a1, b1), Beta(a1, b1))) < 1e-12


def test_binomial_same_n():
    p, q = Binomial(12, 0.3), Binomial(12, 0.55)
    k = np.arange(13)
    assert_rel(kl_divergence(p, q), np.sum(p.pmf(k) * (p.logpmf(k) - q.logpmf(k))), rtol=1e-13)
    with pytest.raises(ValueError, match="same number of trials"):
        kl_divergence(Binomial(5, 0.3), Binomial(6, 0.3))
