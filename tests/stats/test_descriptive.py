"""Tests of m4ml.stats.descriptive against NumPy/SciPy and NIST StRD univariate sets."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml.stats.descriptive import (
    autocorrelation,
    describe,
    kurtosis,
    mean,
    skewness,
    std,
    var,
)
from tests.stats.nist import UNIVARIATE, lre, read_univariate

# ---------------------------------------------------------------- NIST StRD certification
BARS = {  # (mean, std, lag-1 autocorrelation) minimum LRE, from the issue
    "NumAcc3": (14, 8, 10),
    "NumAcc4": (14, 8, 10),
}


@pytest.mark.parametrize("name", UNIVARIATE)
def test_nist_univariate_lre(name):
    y, cert = read_univariate(name)
    bar_mean, bar_sd, bar_r1 = BARS.get(name, (14, 13, 13))
    assert lre(mean(y), cert["mean"]) >= bar_mean
    assert lre(std(y, ddof=1), cert["std"]) >= bar_sd
    assert lre(autocorrelation(y), cert["r1"]) >= bar_r1


def test_one_pass_formula_fails_where_two_pass_holds():
    y, cert = read_univariate("NumAcc4")
    n = y.size
    naive = np.sqrt(np.abs(np.sum(y * y) - np.sum(y) ** 2 / n) / (n - 1))
    assert lre(naive, cert["std"]) < 3
    assert lre(std(y, ddof=1), cert["std"]) >= 8


# ---------------------------------------------------------------- references
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("ddof", [0, 1])
def test_mean_var_std_match_numpy(rng, axis, ddof):
    x = rng.standard_normal((7, 5)) * 3 + 1e6
    np.testing.assert_allclose(mean(x, axis=axis), np.mean(x, axis=axis), rtol=1e-14)
    np.testing.assert_allclose(
        var(x, axis=axis, ddof=ddof), np.var(x, axis=axis, ddof=ddof), rtol=1e-8
    )
    np.testing.assert_allclose(
        std(x, axis=axis, ddof=ddof), np.std(x, axis=axis, ddof=ddof), rtol=1e-8
    )


def test_mean_recovers_cancelled_digits():
    assert np.sum([0.1, 0.1, 0.1]) / 3 != 0.1
    assert mean([0.1, 0.1, 0.1]) == 0.1
    assert mean(np.full(1001, 0.1)) == 0.1


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("axis", [0, 1, None])
def test_skewness_kurtosis_match_scipy(rng, bias, axis):
    x = rng.gamma(2.0, size=(30, 4))
    np.testing.assert_allclose(
        skewness(x, axis=axis, bias=bias), ss.skew(x, axis=axis, bias=bias), rtol=1e-12
    )
    for fisher in (True, False):
        np.testing.assert_allclose(
            kurtosis(x, axis=axis, fisher=fisher, bias=bias),
            ss.kurtosis(x, axis=axis, fisher=fisher, bias=bias),
            rtol=1e-12,
        )


def test_autocorrelation_lags(rng):
    x = rng.standard_normal(50)
    d = x - x.mean()
    for lag in (1, 2, 7):
        expected = np.sum(d[lag:] * d[:-lag]) / np.sum(d * d)
        assert autocorrelation(x, lag=lag) == pytest.approx(expected, rel=1e-12)


def test_describe_matches_scipy(rng):
    x = rng.standard_normal((40, 3))
    ours, ref = describe(x), ss.describe(x)
    assert ours.nobs == ref.nobs
    np.testing.assert_allclose(ours.minmax, ref.minmax)
    for field in ("mean", "variance", "skewness", "kurtosis"):
        np.testing.assert_allclose(getattr(ours, field), getattr(ref, field), rtol=1e-12)
    np.testing.assert_allclose(ours.median, np.median(x, axis=0))


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("func", [mean, var, std, skewness, kurtosis, describe])
def test_empty_rejected(func):
    with pytest.raises(ValueError, match="empty"):
        func([])


@pytest.mark.parametrize("func", [mean, var, std, skewness, kurtosis, describe])
def test_nan_rejected(func):
    with pytest.raises(ValueError, match="NaN"):
        func([1.0, np.nan, 2.0])


def test_ddof_too_large():
    with pytest.raises(ValueError, match="ddof"):
        var([1.0], ddof=1)


def test_axis_out_of_range():
    with pytest.raises(ValueError, match="axis=2 is out of range"):
        mean(np.ones((2, 2)), axis=2)


@pytest.mark.parametrize("func", [skewness, kurtosis])
def test_constant_data_has_no_shape(func):
    with pytest.raises(ValueError, match="zero variance"):
        func([1e6, 1e6, 1e6, 1e6])


def test_bias_correction_needs_enough_points():
    with pytest.raises(ValueError, match="at least 3"):
        skewness([1.0, 2.0], bias=False)
    with pytest.raises(ValueError, match="at least 4"):
        kurtosis([1.0, 2.0, 4.0], bias=False)


def test_autocorrelation_bad_lag_and_constant():
    with pytest.raises(ValueError, match="lag"):
        autocorrelation([1.0, 2.0, 3.0], lag=3)
    with pytest.raises(ValueError, match="constant"):
        autocorrelation([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="at most 1"):
        autocorrelation(np.ones((2, 2)))


def test_strings_rejected():
    with pytest.raises(TypeError, match="real numbers"):
        mean(["a", "b"])


# ---------------------------------------------------------------- properties
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, st.integers(2, 30), elements=finite), finite, st.floats(0.1, 10))
def test_shift_and_scale(x, shift, scale):
    assume_spread = np.ptp(x) > 1e-3
    m, v = mean(x), var(x)
    assert mean(scale * x + shift) == pytest.approx(scale * m + shift, rel=1e-9, abs=1e-6)
    assert var(x + shift) == pytest.approx(v, rel=1e-6, abs=1e-6)
    assert var(scale * x) == pytest.approx(scale**2 * v, rel=1e-9, abs=1e-12)
    if assume_spread and var(x) > 1e-6:
        assert skewness(-x) == pytest.approx(-skewness(x), rel=1e-7, abs=1e-9)
