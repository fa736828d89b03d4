import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from m4ml._core import LinAlgError
from m4ml.probability.multivariate import Dirichlet, MultivariateNormal
from tests.helpers import spd
from tests.probability._compare import assert_rel, gof_pvalue


@pytest.mark.parametrize("d", [1, 2, 5, 30])
def test_mvn_against_scipy(d, rng):
    mean, cov = rng.standard_normal(d), spd(d, rng)
    cov = (cov + cov.T) / 2
    m, r = MultivariateNormal(mean, cov), st.multivariate_normal(mean, cov)
    x = mean + 3.0 * rng.standard_normal((4, 7, d))
    assert_rel(m.logpdf(x), r.logpdf(x), rtol=1e-12)
    assert_rel(m.pdf(x), r.pdf(x), rtol=1e-11, atol=1e-300)
    assert_rel(m.logpdf(x[0, 0]), r.logpdf(x[0, 0]), rtol=1e-12)
    assert_rel(m.entropy(), r.entropy(), rtol=1e-13)
    assert_rel(m.mean(), mean, rtol=0)
    assert_rel(m.var(), np.diag(cov), rtol=0)


def test_mvn_far_point_and_diagonal_forms():
    m = MultivariateNormal([0.0, 0.0], [3.0, 0.5])
    r = st.multivariate_normal([0.0, 0.0], np.diag([3.0, 0.5]))
    assert_rel(m.logpdf([[60.0, -40.0]]), r.logpdf([[60.0, -40.0]]), rtol=1e-13)  # pdf underflows
    assert m.pdf([60.0, -40.0]) == 0.0
    assert_rel(MultivariateNormal([1.0, 2.0], 2.0).cov, 2.0 * np.eye(2), rtol=0)


def test_mvn_sampling(rng):
    cov = np.array([[2.0, 0.8, 0.0], [0.8, 1.0, -0.3], [0.0, -0.3, 0.5]])
    m = MultivariateNormal([1.0, -1.0, 0.5], cov)
    x = m.sample(20000, rng=5)
    assert x.shape == (20000, 3)
    assert np.max(np.abs(np.cov(x.T) - cov)) < 0.06
    # every projection is normal: a' x ~ N(a' mu, a' S a)
    a = np.array([0.3, -1.0, 2.0])
    proj = st.norm(a @ m.loc, np.sqrt(a @ cov @ a))
    assert gof_pvalue(x[:5000] @ a, proj.cdf) > 0.01
    # the squared Mahalanobis distance is chi-squared with d degrees of freedom
    assert gof_pvalue(m.mahalanobis(x[:5000]), st.chi2(3).cdf) > 0.01
    assert m.sample(rng=1).shape == (3,) and m.sample((2, 4), rng=1).shape == (2, 4, 3)
    np.testing.assert_array_equal(m.rvs(4, random_state=3), m.sample(4, rng=3))


def test_mvn_fit():
    x = np.random.default_rng(1).multivariate_normal([1.0, 2.0], [[1.0, 0.3], [0.3, 0.5]], 5000)
    f = MultivariateNormal.fit(x)
    assert_rel(f.loc, x.mean(axis=0), rtol=1e-14)
    assert_rel(f.cov, np.cov(x.T, bias=True), rtol=1e-12)
    assert np.max(np.abs(f.cov - [[1.0, 0.3], [0.3, 0.5]])) < 0.05


@pytest.mark.parametrize(
    ("make", "err", "match"),
    [
        (lambda: MultivariateNormal([0, 0], [[1, 2], [2, 1]]), LinAlgError, "positive definite"),
        (lambda: MultivariateNormal([0, 0], [[1, 0.5], [0, 1]]), LinAlgError, "symmetric"),
        (lambda: MultivariateNormal([0, 0], np.eye(3)), ValueError, r"shape \(2, 2\)"),
        (lambda: MultivariateNormal([0, np.nan], np.eye(2)), ValueError, "mean"),
        (lambda: MultivariateNormal([0, 0], np.eye(2)).logpdf([1, 2, 3]), ValueError, "length 2"),
        (lambda: Dirichlet([1.0, 0.0]), ValueError, "alpha must be > 0"),
        (lambda: Dirichlet([1.0]), ValueError, "at least 2"),
        (lambda: Dirichlet.fit([[0.5, 0.5], [1.0, 0.0]]), ValueError, "positive entries"),
        (lambda: MultivariateNormal.fit(np.empty((0, 2))), ValueError, "at least one"),
    ],
)
def test_errors(make, err, match):
    with pytest.raises(err, match=match):
        make()


@pytest.mark.parametrize("alpha", [[1.0, 1.0], [0.5, 2.0, 3.0], [10.0, 20.0, 5.0, 1.5]])
def test_dirichlet_against_scipy(alpha, rng):
    d, r = Dirichlet(alpha), st.dirichlet(alpha)
    x = rng.dirichlet(alpha, 20)
    assert_rel(d.logpdf(x), r.logpdf(x.T), rtol=1e-12, atol=1e-14)
    assert_rel(d.pdf(x), r.pdf(x.T), rtol=1e-12)
    assert_rel(d.mean(), r.mean(), rtol=1e-15)
    assert_rel(d.var(), r.var(), rtol=1e-14)
    assert_rel(d.cov(), r.cov(), rtol=1e-14, atol=1e-16)
    assert_rel(d.entropy(), r.entropy(), rtol=1e-12, atol=1e-14)
    off = np.array([[0.5, 0.6] + [0.0] * (len(alpha) - 2), [-0.1, 1.1] + [0.0] * (len(alpha) - 2)])
    assert np.all(d.logpdf(off) == -np.inf)


def test_dirichlet_sampling_and_fit():
    d = Dirichlet([2.0, 5.0, 3.0])
    x = d.sample(20000, rng=4)
    assert x.shape == (20000, 3) and np.allclose(x.sum(axis=1), 1.0)
    # marginals are Beta(alpha_k, alpha_0 - alpha_k)
    assert gof_pvalue(x[:4000, 1], st.beta(5.0, 5.0).cdf) > 0.01
    f = Dirichlet.fit(x)
    assert np.max(np.abs(f.alpha / [2.0, 5.0, 3.0] - 1)) < 0.05
    # the fixed point is the MLE: the gradient of the log-likelihood vanishes there
    from scipy.special import digamma

    grad = digamma(f.alpha.sum()) - digamma(f.alpha) + np.log(x).mean(axis=0)
    assert np.max(np.abs(grad)) < 1e-9


@given(hs.lists(hs.floats(0.2, 20), min_size=2, max_size=5))
@settings(max_examples=25, deadline=None)
def test_dirichlet_two_components_is_beta(alpha):
    a = np.array(alpha[:2])
    x = np.array([0.3, 0.7])
    assert Dirichlet(a).logpdf(x) == pytest.approx(
        st.beta(a[0], a[1]).logpdf(0.3), rel=1e-12, abs=1e-13
    )
