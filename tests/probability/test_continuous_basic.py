import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from m4ml.probability.continuous import Exponential, Laplace, Uniform
from tests.probability._compare import assert_rel, gof_pvalue

Q = np.concatenate(
    [np.logspace(-300, -1, 30), np.linspace(0.02, 0.98, 25), 1 - np.logspace(-15, -1, 10)]
)
METHODS = ("logpdf", "pdf", "cdf", "sf", "logcdf", "logsf")


def _compare(d, r, x, atol_q=0.0):
    for name in METHODS:
        assert_rel(getattr(d, name)(x), getattr(r, name)(x), atol=1e-300)
    assert_rel(d.ppf(Q), r.ppf(Q), atol=atol_q)
    assert_rel(d.isf(Q), r.isf(Q), atol=atol_q)
    for name in ("mean", "var", "std", "entropy", "median"):
        assert_rel(getattr(d, name)(), getattr(r, name)(), atol=1e-15)


@pytest.mark.parametrize(("low", "high"), [(0.0, 1.0), (-3.0, 5.0), (1e6, 1e6 + 1e-3)])
def test_uniform_against_scipy(low, high):
    x = np.concatenate([low + (high - low) * np.linspace(-0.5, 1.5, 41), [-np.inf, np.inf]])
    d, r = Uniform(low, high), st.uniform(low, high - low)
    for name in ("pdf", "cdf", "sf"):
        assert_rel(getattr(d, name)(x), getattr(r, name)(x), rtol=1e-9)
    assert_rel(d.ppf(Q), r.ppf(Q), rtol=1e-12)
    assert_rel(d.isf(Q), r.isf(Q), rtol=1e-12, atol=1e-14 * abs(high))
    for name in ("mean", "var", "entropy"):
        assert_rel(getattr(d, name)(), getattr(r, name)(), rtol=1e-9)


@pytest.mark.parametrize("rate", [1e-3, 1.0, 250.0])
def test_exponential_against_scipy(rate):
    x = np.concatenate([np.logspace(-12, 2.8, 40) / rate, [0.0, -1.0, np.inf]])
    _compare(Exponential(rate), st.expon(scale=1 / rate), x)


@pytest.mark.parametrize(("loc", "scale"), [(0.0, 1.0), (-2.0, 0.3), (50.0, 7.0)])
def test_laplace_against_scipy(loc, scale):
    z = np.concatenate([-np.logspace(-10, 2.8, 30), [0.0], np.logspace(-10, 2.8, 30)])
    _compare(Laplace(loc, scale), st.laplace(loc, scale), loc + scale * z, atol_q=1e-14 * scale)


def test_tails():
    assert_rel(Exponential(1.0).cdf(1e-20), 1e-20)  # expm1, not 1 - exp
    assert_rel(Exponential(2.0).sf(300.0), np.exp(-600.0))
    assert_rel(Exponential(1.0).logsf(1000.0), -1000.0)
    assert_rel(Laplace().sf(700.0), 0.5 * np.exp(-700.0))
    assert Uniform(0, 1).pdf(2.0) == 0 and Uniform(0, 1).logpdf(-1.0) == -np.inf


def test_sampling_gof():
    for d in (Uniform(-1.0, 3.0), Exponential(0.5), Laplace(2.0, 0.5)):
        assert gof_pvalue(d.sample(3000, rng=12), d.cdf) > 0.01


def test_fit_equals_scipy():
    rng = np.random.default_rng(4)
    x = rng.laplace(1.0, 2.0, 5001)
    f = Laplace.fit(x)
    assert_rel([f.loc, f.scale], st.laplace.fit(x), rtol=1e-12)
    y = rng.exponential(1 / 3.0, 5000)
    assert_rel(1 / Exponential.fit(y).rate, st.expon.fit(y, floc=0)[1], rtol=1e-13)
    u = rng.uniform(-2.0, 5.0, 5000)
    fu = Uniform.fit(u)
    assert (fu.low, fu.high) == (u.min(), u.max())
    assert abs(fu.low + 2.0) < 0.01 and abs(fu.high - 5.0) < 0.01


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Uniform(1.0, 1.0), "high must be > low"),
        (lambda: Exponential(0.0), "rate must be > 0"),
        (lambda: Laplace(0.0, -1.0), "scale must be > 0"),
        (lambda: Exponential.fit([-1.0, 2.0]), "non-negative"),
        (lambda: Laplace.fit([3.0, 3.0]), "not all equal"),
        (lambda: Uniform.fit([1.0]), "at least 2"),
        (lambda: Laplace().interval(1.5), "confidence"),
    ],
)
def test_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@given(hs.floats(-10, 10), hs.floats(0.1, 10), hs.floats(1e-9, 1 - 1e-9))
@settings(max_examples=25, deadline=None)
def test_laplace_ppf_roundtrip(loc, scale, q):
    d = Laplace(loc, scale)
    assert abs(d.cdf(d.ppf(q)) - q) <= 1e-12 * min(q, 1 - q) * 10 + 1e-16
