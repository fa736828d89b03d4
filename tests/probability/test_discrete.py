import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from m4ml.probability.discrete import Bernoulli, Binomial, Geometric, Poisson
from tests.probability._compare import assert_rel, chisquare_pvalue

# probabilities that are not exact powers, so no quantile sits on a rounding tie
Q = np.concatenate(
    [
        np.logspace(-12.13, -1.07, 12),
        np.linspace(0.013, 0.987, 31),
        1 - np.logspace(-10.1, -1.1, 10),
    ]
)


def _check_methods(d, r, k, q, rtol=1e-12, entropy_rtol=1e-11, check_quantiles=True):
    names = ("pmf", "logpmf", "cdf", "sf")
    moments = ("mean", "var", "std")
    with np.errstate(divide="ignore", invalid="ignore"):  # scipy's geom(1) takes log1p(-1)
        ref = {name: getattr(r, name)(k) for name in names}
        ref.update({name: getattr(r, name)() for name in (*moments, "entropy")})
        ref_ppf, ref_isf = r.ppf(q), r.isf(q)
    for name in names:
        assert_rel(getattr(d, name)(k), ref[name], rtol=rtol, atol=1e-300)
    if check_quantiles:
        assert_rel(d.ppf(q), ref_ppf, rtol=0)
        assert_rel(d.isf(q), ref_isf, rtol=0)
    for name in moments:
        assert_rel(getattr(d, name)(), ref[name], rtol=1e-13, atol=1e-14)
    if check_quantiles:
        assert_rel(d.entropy(), ref["entropy"], rtol=entropy_rtol, atol=1e-14)


@pytest.mark.parametrize("n", [0, 1, 7, 60, 1000])
@pytest.mark.parametrize("p", [0.0, 1e-3, 0.3, 0.5, 0.97, 1.0])
def test_binomial_against_scipy(n, p):
    k = np.concatenate([np.arange(-2, n + 3), [0.5, n - 0.5]])
    _check_methods(Binomial(n, p), st.binom(n, p), k, Q)


@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 1.0])
def test_bernoulli_against_scipy(p):
    _check_methods(Bernoulli(p), st.bernoulli(p), np.array([-1.0, 0.0, 0.5, 1.0, 2.0]), Q)


@pytest.mark.parametrize("rate", [0.0, 1e-3, 0.7, 4.0, 80.0, 5000.0])
def test_poisson_against_scipy(rate):
    k = np.concatenate(
        [np.arange(-2, 20), np.floor(rate + np.sqrt(rate) * np.linspace(-8, 12, 41)), [2.5]]
    )
    # scipy's Poisson entropy at rate 5000 is off by 1.6e-11 (mpmath); m4ml's by 1.6e-12
    _check_methods(Poisson(rate), st.poisson(rate), k, Q, entropy_rtol=1e-10)


@pytest.mark.parametrize("p", [1e-4, 0.1, 0.5, 0.999, 1.0])
def test_geometric_against_scipy(p):
    k = np.concatenate([np.arange(-1, 30), [1.5, 1e3, 1e5]])
    # scipy's pmf(1e5) at p = 1e-4 is 1.1e-12 off (mpmath); m4ml's exp(xlog1py) is exact there
    # scipy's geom(1).ppf(q) and isf(q) are 0, off the support {1, 2, ...}, and its entropy is
    # nan: X = 1 surely, so the first k with cdf(k) >= q (or sf(k) <= q) is 1 and H = 0
    _check_methods(Geometric(p), st.geom(p), k, Q, rtol=2e-12, check_quantiles=p < 1)
    if p == 1:
        assert_rel(Geometric(p).ppf(Q), 1.0, rtol=0)
        assert_rel(Geometric(p).isf(Q), 1.0, rtol=0)
        assert Geometric(p).entropy() == 0.0


def test_far_tails():
    assert_rel(Binomial(1000, 0.01).sf(200), st.binom(1000, 0.01).sf(200))
    assert Binomial(1000, 0.01).sf(200) > 0
    assert_rel(Poisson(3.0).sf(150), st.poisson(3.0).sf(150))
    assert_rel(Geometric(0.5).sf(1000), 2.0**-1000)
    assert_rel(Poisson(2.0).logpmf(2000), st.poisson(2.0).logpmf(2000))  # pmf underflows


def test_array_parameters():
    d = Binomial([5, 10], [[0.2], [0.7]])
    assert d.batch_shape == (2, 2)
    assert_rel(d.cdf(3), st.binom.cdf(3, [5, 10], [[0.2], [0.7]]))
    assert_rel(d.ppf(0.4), st.binom.ppf(0.4, [5, 10], [[0.2], [0.7]]))
    assert_rel(d.entropy(), st.binom.entropy([5, 10], [[0.2], [0.7]]))
    assert_rel(
        Poisson([1.0, 30.0]).ppf([[0.1], [0.9]]), st.poisson.ppf([[0.1], [0.9]], [1.0, 30.0])
    )


def test_sampling_chi_square():
    cases = [
        (Binomial(20, 0.3), np.arange(21)),
        (Poisson(4.5), np.arange(30)),
        (Geometric(0.3), np.arange(1, 40)),
        (Bernoulli(0.3), np.arange(2)),
    ]
    for d, support in cases:
        x = d.sample(5000, rng=9)
        assert np.all(x == np.floor(x))
        assert chisquare_pvalue(x, support, d.pmf) > 0.01


def test_fit():
    rng = np.random.default_rng(1)
    assert_rel(Binomial.fit(rng.binomial(12, 0.4, 5000), 12).p, 0.4, rtol=0.03)
    assert_rel(Poisson.fit(rng.poisson(3.3, 5000)).rate, 3.3, rtol=0.03)
    x = rng.geometric(0.25, 5000)
    assert_rel(Geometric.fit(x).p, 1 / x.mean(), rtol=1e-15)
    assert_rel(Geometric.fit(x).p, 0.25, rtol=0.05)
    assert Bernoulli.fit([0, 1, 1, 1]).p == 0.75


@pytest.mark.parametrize(
    ("make", "err", "match"),
    [
        (lambda: Bernoulli(1.2), ValueError, "p must be <= 1"),
        (lambda: Binomial(-1, 0.5), ValueError, "n must be >= 0"),
        (lambda: Binomial(2.5, 0.5), ValueError, "n must be a non-negative integer"),
        (lambda: Poisson(-0.1), ValueError, "rate must be >= 0"),
        (lambda: Geometric(0.0), ValueError, "p must be > 0"),
        (lambda: Poisson(1.0).pmf([np.nan]), ValueError, "NaN"),
        (lambda: Bernoulli.fit([0, 2]), ValueError, "zeros and ones"),
        (lambda: Poisson.fit([1.5]), ValueError, "integer"),
        (lambda: Binomial.fit([1, 9], 5), ValueError, r"\[0, n\]"),
        (lambda: Geometric.fit([0]), ValueError, ">= 1"),
        (lambda: Poisson(1.0).ppf(2.0), ValueError, "probabilities"),
    ],
)
def test_errors(make, err, match):
    with pytest.raises(err, match=match):
        make()


@given(hs.integers(0, 50), hs.floats(0, 1), hs.floats(0, 1))
@settings(max_examples=25, deadline=None)
def test_binomial_ppf_is_generalized_inverse(n, p, q):
    d = Binomial(n, p)
    k = d.ppf(q)
    if 0 < q < 1:  # ppf(1) is the support end by convention (scipy), tested above
        assert d.cdf(k) >= q and (k == 0 or d.cdf(k - 1) < q)
    total = np.sum(d.pmf(np.arange(n + 1)))
    assert abs(total - 1) < 1e-12


def test_quantile_endpoints_are_the_support_ends():
    # the cdf rounds to 1 long before k = n (or infinity): ppf(1) and isf(0) are still the end
    for d, r in ((Binomial(1000, 0.01), st.binom(1000, 0.01)), (Poisson(3.0), st.poisson(3.0))):
        assert_rel(d.ppf([0.0, 1.0]), r.ppf([0.0, 1.0]), rtol=0)
        assert_rel(d.isf([0.0, 1.0]), r.isf([0.0, 1.0]), rtol=0)
    assert Geometric(0.3).ppf(1.0) == np.inf and Geometric(0.3).ppf(0.0) == 0.0


def test_binomial_pmf_saddle_point_accuracy():
    # Loader's form against exact rational arithmetic (math.comb), far into both tails
    from fractions import Fraction
    from math import comb

    n, p = 1000, Fraction(3, 10)
    k = np.arange(0, 1001, 23)
    exact = [float(comb(n, int(j)) * p ** int(j) * (1 - p) ** (n - int(j))) for j in k]
    exact = np.array(exact)
    ok = exact > 1e-300
    assert_rel(Binomial(n, 0.3).pmf(k[ok]), exact[ok], rtol=5e-13)


def test_binomial_subnormal_p():
    p = 2.225073858507e-311
    d = Binomial(2, p)
    assert_rel(d.logpmf(1), np.log(2.0) + np.log(p) + np.log1p(-p), rtol=1e-12)
    assert d.ppf(0.5) == 0.0 and d.pmf(0) == 1.0
