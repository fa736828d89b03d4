import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from m4ml.probability.normal import Normal
from tests.probability._compare import assert_rel, gof_pvalue

PARAMS = [(0.0, 1.0), (-3.0, 0.01), (1e3, 250.0), (2.5, 1e-8)]
Z = np.concatenate([-np.logspace(-3, 1.6, 30), [0.0], np.logspace(-3, 1.6, 30)])  # |z| to 40
Q = np.concatenate(
    [np.logspace(-300, -1, 40), np.linspace(0.02, 0.98, 49), 1 - np.logspace(-15, -1, 15)]
)


@pytest.mark.parametrize(("mu", "sigma"), PARAMS)
def test_against_scipy(mu, sigma):
    d, r = Normal(mu, sigma), st.norm(mu, sigma)
    x = mu + sigma * Z
    for name in ("pdf", "logpdf", "cdf", "sf", "logcdf", "logsf"):
        assert_rel(getattr(d, name)(x), getattr(r, name)(x), atol=1e-300 if name != "logpdf" else 0)
    assert_rel(d.ppf(Q), r.ppf(Q), atol=1e-15 * sigma)
    assert_rel(d.isf(Q), r.isf(Q), atol=1e-15 * sigma)
    for name in ("mean", "var", "std", "entropy", "median"):
        assert_rel(getattr(d, name)(), getattr(r, name)())
    assert_rel(d.interval(0.9), r.interval(0.9))


def test_far_tails_and_underflow():
    d = Normal()
    assert d.sf(35.0) > 0 and d.cdf(-35.0) > 0
    assert_rel(d.sf(35.0), st.norm.sf(35.0))
    assert_rel(d.logsf(40.0), st.norm.logsf(40.0))
    assert d.pdf(50.0) == 0.0  # underflows...
    assert_rel(d.logpdf(50.0), -1250.0 - 0.5 * np.log(2 * np.pi))  # ...but logpdf does not
    assert_rel(d.logcdf(-100.0), st.norm.logcdf(-100.0))
    assert d.ppf(0.0) == -np.inf and d.ppf(1.0) == np.inf


def test_broadcasting_and_scalar_output():
    d = Normal(np.array([0.0, 1.0, 2.0]), np.array([[1.0], [2.0]]))
    assert d.batch_shape == (2, 3)
    out = d.cdf(np.zeros((4, 1, 1)))
    assert out.shape == (4, 2, 3)
    assert_rel(out, st.norm.cdf(np.zeros((4, 1, 1)), [0.0, 1.0, 2.0], [[1.0], [2.0]]))
    assert isinstance(Normal().pdf(0.0), np.floating)
    assert d.mean().shape == (2, 3)


def test_sampling_gof_and_rvs_alias():
    d = Normal(2.0, 3.0)
    x = d.sample(4000, rng=1)
    assert x.shape == (4000,)
    assert gof_pvalue(x, d.cdf) > 0.01
    np.testing.assert_array_equal(d.rvs(size=5, random_state=7), d.sample(5, rng=7))
    assert np.ndim(d.sample(rng=0)) == 0
    assert d.sample((10, 2), rng=0).shape == (10, 2)


def test_fit_equals_scipy():
    x = np.random.default_rng(3).normal(1.5, 0.7, 5000)
    f = Normal.fit(x)
    mu, sigma = st.norm.fit(x)
    assert_rel([f.loc, f.scale], [mu, sigma], rtol=1e-13)
    assert abs(f.loc - 1.5) < 0.05 and abs(f.scale - 0.7) < 0.05


def test_repr():
    assert repr(Normal(1, 2)) == "Normal(mean=1.0, std=2.0)"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"std": 0.0}, "std must be > 0"), ({"std": -1.0}, "std"), ({"mean": np.nan}, "mean")],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Normal(**kwargs)


def test_bad_arguments():
    d = Normal()
    with pytest.raises(ValueError, match="NaN"):
        d.pdf([0.0, np.nan])
    with pytest.raises(ValueError, match=r"q must hold probabilities in \[0, 1\]"):
        d.ppf(1.5)
    with pytest.raises(TypeError, match="real numbers"):
        d.cdf("a")
    with pytest.raises(ValueError, match="at least two observations"):
        Normal.fit([])
    with pytest.raises(ValueError, match="size"):
        Normal([0.0, 1.0], 1.0).sample(3, rng=0)
    with pytest.raises(TypeError, match="rng"):
        d.sample(3, rng=1.5)


@given(
    hs.floats(-50, 50),
    hs.floats(0.1, 10),
    hs.floats(1e-6, 1 - 1e-6),
)
@settings(max_examples=25, deadline=None)
def test_ppf_inverts_cdf(mu, sigma, q):
    d = Normal(mu, sigma)
    assert abs(d.cdf(d.ppf(q)) - q) <= 1e-12 * max(q, 1e-3)
    assert abs(d.cdf(mu + sigma) + d.sf(mu + sigma) - 1.0) < 1e-15


def test_fit_explains_one_point_and_constant_data():
    with pytest.raises(ValueError, match=r"1 point.*cannot determine a standard deviation"):
        Normal.fit([1.0])
    with pytest.raises(ValueError, match="all observations are equal"):
        Normal.fit([2.0, 2.0, 2.0])


def test_fit_per_column_and_at_extreme_scales():
    data = np.array([[1.0, 10.0], [3.0, 30.0], [4.0, 20.0]])
    fitted = Normal.fit(data, axis=0)
    for j in range(2):
        mu, sigma = st.norm.fit(data[:, j])
        assert fitted.mean()[j] == pytest.approx(mu, rel=1e-14)
        assert fitted.std()[j] == pytest.approx(sigma, rel=1e-14)
    for s in (1e300, 1e-200):  # squares of the data over/underflow: the fit must not
        f = Normal.fit(data[:, 0] * s)
        assert f.std() / s == pytest.approx(st.norm.fit(data[:, 0])[1], rel=1e-14)
