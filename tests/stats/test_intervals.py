"""Tests of m4ml.stats.intervals against closed forms, scipy and statsmodels' formulas."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtri

from m4ml.stats.intervals import mean_ci, proportion_ci

ALTS = ("two-sided", "less", "greater")


@pytest.mark.parametrize("alternative", ALTS)
def test_mean_ci_matches_scipy_t_interval(rng, alternative):
    x = rng.standard_normal((15, 3)) + 2
    ours = mean_ci(x, 0.9, alternative)
    ref = ss.ttest_1samp(x, 0.0, alternative=alternative).confidence_interval(0.9)
    np.testing.assert_allclose(ours.low, ref.low, rtol=1e-12)
    np.testing.assert_allclose(ours.high, ref.high, rtol=1e-12)


def test_mean_ci_closed_form(rng):
    x = rng.standard_normal(10)
    lo, hi = mean_ci(x)
    half = ss.t.ppf(0.975, 9) * x.std(ddof=1) / np.sqrt(10)
    assert (lo, hi) == pytest.approx((x.mean() - half, x.mean() + half), rel=1e-12)


def wald(k, n, z):
    p = k / n
    h = z * np.sqrt(p * (1 - p) / n)
    return max(0.0, p - h), min(1.0, p + h)


def wilson(k, n, z):
    p = k / n
    c = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    h = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return c - h, c + h


@pytest.mark.parametrize(("k", "n"), [(0, 10), (1, 10), (7, 20), (50, 50), (333, 1000)])
def test_proportion_ci_closed_forms(k, n):
    z = ndtri(0.975)
    got = proportion_ci(k, n, method="wald")
    assert got == pytest.approx(wald(k, n, z), rel=1e-12, abs=1e-15)
    lo, hi = wilson(k, n, z)
    lo, hi = (0.0 if k == 0 else lo), (1.0 if k == n else hi)
    assert proportion_ci(k, n) == pytest.approx((lo, hi), rel=1e-12, abs=1e-15)
    cp = proportion_ci(k, n, method="clopper-pearson")
    exp_lo = 0.0 if k == 0 else ss.beta.ppf(0.025, k, n - k + 1)
    exp_hi = 1.0 if k == n else ss.beta.ppf(0.975, k + 1, n - k)
    assert cp == pytest.approx((exp_lo, exp_hi), rel=1e-11, abs=1e-15)


@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("method", ["wilson", "wilsoncc"])
def test_proportion_ci_matches_scipy_binomtest(alternative, method):
    for k, n in [(0, 12), (3, 12), (12, 12), (40, 90)]:
        ours = proportion_ci(k, n, 0.8, method=method, alternative=alternative)
        ref = ss.binomtest(k, n, alternative=alternative).proportion_ci(0.8, method=method)
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-15)


def test_proportion_ci_vectorized():
    k, n = np.array([1, 5, 9]), np.array([10, 10, 10])
    lo, hi = proportion_ci(k, n)
    for i in range(3):
        assert (lo[i], hi[i]) == proportion_ci(int(k[i]), int(n[i]))


def test_bad_input():
    with pytest.raises(ValueError, match="at least 2"):
        mean_ci([1.0])
    with pytest.raises(ValueError, match="confidence_level"):
        mean_ci([1.0, 2.0], confidence_level=1.0)
    with pytest.raises(ValueError, match="alternative"):
        mean_ci([1.0, 2.0], alternative="both")
    with pytest.raises(ValueError, match="method must be one of"):
        proportion_ci(3, 10, method="jeffreys")
    with pytest.raises(ValueError, match="0 <= k <= n"):
        proportion_ci(-1, 10)
    with pytest.raises(ValueError, match="0 <= k <= n"):
        proportion_ci(3, 0)
    with pytest.raises(ValueError, match="non-negative integer"):
        proportion_ci(np.nan, 10)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 200),
    st.data(),
    st.floats(0.5, 0.99),
    st.sampled_from(["wilson", "wilsoncc", "clopper-pearson", "wald"]),
)
def test_proportion_ci_contains_estimate_and_nests(n, data, level, method):
    k = data.draw(st.integers(0, n))
    lo, hi = proportion_ci(k, n, level, method=method)
    assert 0.0 <= lo <= k / n + 1e-12 and k / n - 1e-12 <= hi <= 1.0
    lo2, hi2 = proportion_ci(k, n, min(0.999, level + 0.005), method=method)
    assert lo2 <= lo + 1e-12 and hi <= hi2 + 1e-12
