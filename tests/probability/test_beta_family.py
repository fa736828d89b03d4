import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from m4ml.probability.beta_family import Beta, StudentT
from tests.probability._compare import assert_rel, gof_pvalue

Q = np.concatenate(
    [np.logspace(-30, -1, 20), np.linspace(0.02, 0.98, 25), 1 - np.logspace(-12, -1, 10)]
)
AB = [0.2, 1.0, 2.5, 30.0, 400.0]


@pytest.mark.parametrize("a", AB)
@pytest.mark.parametrize("b", AB)
def test_beta_against_scipy(a, b):
    d, r = Beta(a, b), st.beta(a, b)
    x = np.concatenate(
        [np.logspace(-12, -1, 12), np.linspace(0.05, 0.95, 19), 1 - np.logspace(-12, -1, 12)]
    )
    x = np.concatenate([x, [0.0, 1.0, -0.5, 1.5]]) if a >= 1 and b >= 1 else x
    for name in ("logpdf", "pdf", "cdf", "sf"):
        assert_rel(getattr(d, name)(x), getattr(r, name)(x), atol=1e-300)
    for name in ("mean", "var", "entropy"):
        assert_rel(getattr(d, name)(), getattr(r, name)(), atol=1e-13)
    ok = (r.ppf(Q) > 1e-300) & (r.isf(Q) > 1e-300)
    assert_rel(d.ppf(Q[ok]), r.ppf(Q[ok]), atol=1e-300)
    assert_rel(d.isf(Q[ok]), r.isf(Q[ok]), atol=1e-300)


@pytest.mark.parametrize("df", [0.5, 1.0, 2.5, 10.0, 1000.0])
@pytest.mark.parametrize(("loc", "scale"), [(0.0, 1.0), (3.0, 0.25)])
def test_t_against_scipy(df, loc, scale):
    d, r = StudentT(df, loc, scale), st.t(df, loc, scale)
    x = loc + scale * np.concatenate([-np.logspace(-4, 2.5, 40), [0.0], np.logspace(-4, 2.5, 40)])
    for name in ("logpdf", "pdf", "cdf", "sf", "logcdf", "logsf"):
        assert_rel(getattr(d, name)(x), getattr(r, name)(x), atol=1e-300)
    q = Q[Q > 1e-15] if df < 1 else Q
    assert_rel(d.ppf(q), r.ppf(q))
    assert_rel(d.isf(q), r.isf(q))
    assert_rel(d.entropy(), r.entropy(), rtol=1e-11, atol=1e-12)
    assert_rel(d.mean(), r.mean()) if df > 1 else None
    if df > 2:
        assert_rel(d.var(), r.var())
    assert_rel(d.interval(0.95), r.interval(0.95))


def test_t_moments_undefined():
    assert np.isnan(StudentT(1.0).mean())
    assert StudentT(1.5).var() == np.inf and np.isnan(StudentT(0.8).var())


def test_t_extreme_tail_quantile():
    # t(1) is Cauchy: ppf(q) = tan(pi (q - 1/2)) ~ -1/(pi q) for tiny q
    q = np.array([1e-200, 1e-250])
    assert_rel(StudentT(1.0).ppf(q), -1.0 / (np.pi * q), rtol=1e-12)
    assert StudentT(5.0).ppf(0.0) == -np.inf and StudentT(5.0).isf(0.0) == np.inf


def test_sampling_gof():
    for d in (Beta(0.5, 2.0), StudentT(3.0, 1.0, 2.0)):
        assert gof_pvalue(d.sample(3000, rng=4), d.cdf) > 0.01
    assert StudentT([1.0, 5.0]).sample((4, 2), rng=0).shape == (4, 2)


def test_beta_fit_is_the_mle():
    x = np.random.default_rng(2).beta(2.0, 5.0, 20000)
    f = Beta.fit(x)
    a, b, _, _ = st.beta.fit(x, floc=0, fscale=1)
    assert_rel([f.a, f.b], [a, b], rtol=1e-5)
    assert abs(f.a - 2.0) < 0.1 and abs(f.b - 5.0) < 0.2


def test_t_fit_is_the_mle():
    x = 1.0 + 2.0 * np.random.default_rng(6).standard_t(4.0, 4000)
    f = StudentT.fit(x)
    assert abs(f.df - 4.0) < 1.0 and abs(f.loc - 1.0) < 0.15 and abs(f.scale - 2.0) < 0.15
    ours = np.sum(st.t.logpdf(x, f.df, f.loc, f.scale))
    ref = np.sum(st.t.logpdf(x, *st.t.fit(x)))
    assert ours >= ref - 1e-6


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Beta(0.0, 1.0), "a must be > 0"),
        (lambda: Beta(1.0, -1.0), "b must be > 0"),
        (lambda: StudentT(0.0), "df must be > 0"),
        (lambda: StudentT(1.0, scale=0.0), "scale must be > 0"),
        (lambda: StudentT(1.0, loc=np.inf), "loc"),
        (lambda: Beta.fit([0.2, 1.0]), "strictly between 0 and 1"),
        (lambda: StudentT.fit([1.0, 1.0, 1.0]), "not all equal"),
        (lambda: StudentT(2.0).cdf(np.nan), "NaN"),
    ],
)
def test_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@given(hs.floats(0.3, 200), hs.floats(1e-6, 1 - 1e-6))
@settings(max_examples=25, deadline=None)
def test_t_symmetry_and_roundtrip(df, q):
    d = StudentT(df)
    t = d.ppf(q)
    assert abs(d.cdf(t) - q) <= 1e-11 * min(q, 1 - q) + 1e-300
    assert d.cdf(-t) == pytest.approx(d.sf(t), rel=1e-14)
    assert d.isf(q) == pytest.approx(-t, rel=1e-14)


def test_t_cdf_large_df_all_three_forms():
    # df > 1000: t^2 <= 1, 1 < t^2 < df and t^2 >= df each take their own formula
    x = np.concatenate([-np.logspace(-6, 2.7, 60), np.logspace(-6, 2.7, 60)])
    for df in (1e5, 4e3):
        d, r = StudentT(df), st.t(df)
        assert_rel(d.cdf(x), r.cdf(x), atol=1e-300)
        assert_rel(d.sf(x), r.sf(x), atol=1e-300)
