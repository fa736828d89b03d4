"""Behaviour every distribution inherits from m4ml.probability.base."""

import numpy as np
import pytest
import scipy.stats as st

from m4ml.probability.categorical import Categorical
from m4ml.probability.continuous import (
    Beta,
    ChiSquared,
    Exponential,
    Gamma,
    InverseGamma,
    Laplace,
    Normal,
    StudentT,
    Uniform,
)
from m4ml.probability.discrete import Bernoulli, Binomial, Geometric, Poisson
from tests.probability._compare import assert_rel

UNIVARIATE = [
    Normal(1.0, 2.0),
    Uniform(-1.0, 2.0),
    Exponential(3.0),
    Laplace(0.5, 2.0),
    Gamma(2.0, 3.0),
    ChiSquared(4.0),
    InverseGamma(3.0, 2.0),
    Beta(2.0, 5.0),
    StudentT(5.0, 1.0, 2.0),
    Bernoulli(0.3),
    Binomial(10, 0.4),
    Poisson(3.5),
    Geometric(0.25),
    Categorical([0.2, 0.3, 0.5]),
]
IDS = [type(d).__name__ for d in UNIVARIATE]


@pytest.mark.parametrize("d", UNIVARIATE, ids=IDS)
def test_derived_methods(d):
    assert_rel(d.std(), np.sqrt(d.var()), rtol=1e-15)
    assert_rel(d.median(), d.ppf(0.5), rtol=0)
    lo, hi = d.interval(0.9)
    assert_rel([lo, hi], [d.ppf(0.05), d.isf(0.05)], rtol=1e-13)
    assert lo <= hi
    x = d.ppf(np.array([0.1, 0.5, 0.9]))
    with np.errstate(divide="ignore"):
        assert_rel(d.logcdf(x), np.log(d.cdf(x)), rtol=1e-14)
        assert_rel(d.logsf(x), np.log(d.sf(x)), rtol=1e-14)


@pytest.mark.parametrize("d", UNIVARIATE, ids=IDS)
def test_sampling_shapes_and_seeds(d):
    a = d.sample((3, 4), rng=5)
    assert a.shape == (3, 4) and a.dtype == np.float64
    np.testing.assert_array_equal(a, d.sample((3, 4), rng=np.random.default_rng(5)))
    np.testing.assert_array_equal(d.rvs(size=(3, 4), random_state=5), a)
    assert np.ndim(d.sample(rng=0)) == 0
    lo, hi = d.support()
    assert np.all((a >= lo) & (a <= hi))
    assert d.sample(0, rng=0).shape == (0,)


@pytest.mark.parametrize("d", UNIVARIATE, ids=IDS)
def test_repr_names_the_arguments(d):
    text = repr(d)
    assert text.startswith(type(d).__name__ + "(")
    for arg, _ in d._param_names:
        assert f"{arg}=" in text


def test_batch_sampling_broadcasts_parameters():
    d = Gamma(np.array([0.5, 5.0, 50.0]), 1.0)
    x = d.sample((4000, 3), rng=2)
    assert_rel(x.mean(axis=0), [0.5, 5.0, 50.0], rtol=0.06)
    with pytest.raises(ValueError, match="does not broadcast"):
        d.sample((4000, 2), rng=2)
    with pytest.raises(ValueError, match="non-negative"):
        d.sample(-1, rng=2)


def test_base_log_tails_far_out():
    # logcdf/logsf come from whichever of cdf/sf is small, so both tails stay finite
    assert_rel(Gamma(3.0).logsf(200.0), st.gamma(3.0).logsf(200.0), rtol=1e-12)
    assert_rel(Beta(2.0, 3.0).logcdf(1e-100), st.beta(2.0, 3.0).logcdf(1e-100), rtol=1e-12)
    assert_rel(StudentT(3.0).logcdf(-1e50), st.t(3.0).logcdf(-1e50), rtol=1e-12)
    assert_rel(Poisson(2.0).logsf(60), st.poisson(2.0).logsf(60), rtol=1e-12)


@pytest.mark.parametrize("d", UNIVARIATE, ids=IDS)
def test_bad_probabilities_and_points(d):
    with pytest.raises(ValueError, match="probabilities"):
        d.ppf([0.5, np.nan])
    with pytest.raises(ValueError, match="probabilities"):
        d.isf(-0.5)
    with pytest.raises(ValueError, match="NaN"):
        d.cdf(np.nan)
    with pytest.raises(TypeError, match="complex"):
        d.sf(1j)


@pytest.mark.parametrize("d", UNIVARIATE, ids=IDS)
def test_infinite_points(d):
    x = np.array([-np.inf, np.inf])
    np.testing.assert_array_equal(d.cdf(x), [0.0, 1.0])
    np.testing.assert_array_equal(d.sf(x), [1.0, 0.0])
    logp = d.logpmf(x) if hasattr(d, "logpmf") else d.logpdf(x)
    np.testing.assert_array_equal(logp, [-np.inf, -np.inf])


SCALAR_CASES = [
    ("Normal", (0.0, 1.0), 0.3),
    ("Uniform", (0.0, 2.0), 0.3),
    ("Exponential", (2.0,), 0.3),
    ("Laplace", (0.0, 1.0), 0.3),
    ("Gamma", (2.0, 1.5), 0.3),
    ("ChiSquared", (3.0,), 0.3),
    ("InverseGamma", (3.0, 2.0), 0.3),
    ("Beta", (2.0, 3.0), 0.3),
    ("StudentT", (3.0, 0.5, 2.0), 0.3),
]


@pytest.mark.parametrize(("name", "params", "x"), SCALAR_CASES, ids=[c[0] for c in SCALAR_CASES])
def test_python_scalars_in_give_scalars_out(name, params, x):
    import m4ml.probability as pr

    dist = getattr(pr, name)(*params)
    for method in ("pdf", "logpdf", "cdf", "sf"):
        value = getattr(dist, method)(x)
        assert np.ndim(value) == 0, (name, method)
        np.testing.assert_allclose(value, getattr(dist, method)(np.array([x]))[0], rtol=1e-15)


def test_empty_parameter_arrays_are_refused_by_name():
    # regression: empty parameters failed inside NumPy broadcasting
    from m4ml.probability import Beta, Normal, Poisson

    for make, name in (
        (lambda: Normal(np.zeros(0), 1.0), "mean"),
        (lambda: Beta(1.0, []), "b"),
        (lambda: Poisson([]), "rate"),
    ):
        with pytest.raises(ValueError, match=f"{name} is empty"):
            make()
