"""Tests of m4ml.stats.parametric (z and t tests) against scipy.stats and statsmodels' formulas."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import ndtr, ndtri

from m4ml.stats.parametric import ttest_1samp, ttest_ind, ttest_rel, ztest

ALTS = ("two-sided", "less", "greater")
RTOL = 1e-10


def assert_result(ours, ref, df=True):
    np.testing.assert_allclose(ours.statistic, ref.statistic, rtol=RTOL)
    np.testing.assert_allclose(ours.pvalue, ref.pvalue, rtol=RTOL)
    if df:
        np.testing.assert_allclose(ours.df, ref.df, rtol=RTOL)


def assert_ci(ours, ref, level=0.9):
    a, b = ours.confidence_interval(level), ref.confidence_interval(level)
    np.testing.assert_allclose(a.low, b.low, rtol=RTOL)
    np.testing.assert_allclose(a.high, b.high, rtol=RTOL)


@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("axis", [0, 1, None])
def test_ttest_1samp(rng, alternative, axis):
    x = rng.standard_normal((12, 4)) + 0.3
    ours = ttest_1samp(x, 0.1, axis=axis, alternative=alternative)
    ref = ss.ttest_1samp(x, 0.1, axis=axis, alternative=alternative)
    assert_result(ours, ref)
    assert_ci(ours, ref)
    assert ours.alternative == alternative


@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_ind(rng, alternative, equal_var):
    a = rng.standard_normal((15, 3)) * 2 + 1
    b = rng.standard_normal((9, 3)) * 0.5
    ours = ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
    ref = ss.ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
    assert_result(ours, ref)
    assert_ci(ours, ref)


@pytest.mark.parametrize("alternative", ALTS)
def test_ttest_rel(rng, alternative):
    a = rng.standard_normal((20, 2))
    b = a + rng.standard_normal((20, 2)) * 0.3 + 0.1
    ours = ttest_rel(a, b, alternative=alternative)
    ref = ss.ttest_rel(a, b, alternative=alternative)
    assert_result(ours, ref)
    assert_ci(ours, ref)


def test_far_tail_pvalue(rng):
    x = rng.standard_normal(200) + 3.0
    ours, ref = ttest_1samp(x, 0.0), ss.ttest_1samp(x, 0.0)
    assert ref.pvalue < 1e-60
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=RTOL)


def test_large_offset_keeps_the_statistic():
    t = np.array([0.1, 0.3, 0.2, 0.4, 0.25, 0.35])
    shifted = ttest_1samp(1e9 + t, 1e9 + 0.2)
    assert shifted.statistic == pytest.approx(ss.ttest_1samp(t, 0.2).statistic, rel=1e-6)


@pytest.mark.parametrize("alternative", ALTS)
def test_ztest_known_sigma_closed_form(rng, alternative):
    x = rng.standard_normal(30) * 2 + 0.5
    res = ztest(x, value=0.2, sigma=2.0, alternative=alternative)
    z = (x.mean() - 0.2) / (2.0 / np.sqrt(30))
    p = {"two-sided": 2 * ndtr(-abs(z)), "less": ndtr(z), "greater": ndtr(-z)}[alternative]
    assert res.statistic == pytest.approx(z, rel=1e-12)
    assert res.pvalue == pytest.approx(p, rel=1e-12)
    lo, hi = res.confidence_interval(0.95)
    half = (ndtri(0.975) if alternative == "two-sided" else ndtri(0.95)) * 2 / np.sqrt(30)
    if alternative != "less":
        assert lo == pytest.approx(x.mean() - half, rel=1e-12)
    if alternative != "greater":
        assert hi == pytest.approx(x.mean() + half, rel=1e-12)


def test_ztest_statsmodels_formulas(rng):
    """statsmodels ztest: sample sd (ddof=1), pooled for two samples."""
    a, b = rng.standard_normal(25) + 0.4, rng.standard_normal(18)
    one = ztest(a)
    z = a.mean() / (a.std(ddof=1) / np.sqrt(25))
    assert one.statistic == pytest.approx(z, rel=1e-12)
    assert one.pvalue == pytest.approx(2 * ndtr(-abs(z)), rel=1e-12)
    two = ztest(a, b, value=0.1, alternative="greater")
    sp2 = ((24 * a.var(ddof=1)) + 17 * b.var(ddof=1)) / 41
    z2 = (a.mean() - b.mean() - 0.1) / np.sqrt(sp2 * (1 / 25 + 1 / 18))
    assert two.statistic == pytest.approx(z2, rel=1e-12)
    assert two.pvalue == pytest.approx(ndtr(-z2), rel=1e-12)
    known = ztest(a, b, sigma=(1.0, 2.0))
    zk = (a.mean() - b.mean()) / np.sqrt(1 / 25 + 4 / 18)
    assert known.statistic == pytest.approx(zk, rel=1e-12)


def test_unpacking(rng):
    x = rng.standard_normal(10)
    t, p = ttest_1samp(x)
    assert (t, p) == (ttest_1samp(x).statistic, ttest_1samp(x).pvalue)


# ---------------------------------------------------------------- bad input
def test_bad_input():
    with pytest.raises(ValueError, match="at least 2"):
        ttest_1samp([1.0])
    with pytest.raises(ValueError, match="empty"):
        ttest_ind([], [1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        ttest_ind([1.0, np.nan, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="same shape"):
        ttest_rel([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="alternative must be one of"):
        ttest_1samp([1.0, 2.0, 3.0], alternative="bigger")
    with pytest.raises(ValueError, match="zero variance"):
        ttest_1samp([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="sigma must be positive"):
        ztest([1.0, 2.0], sigma=-1.0)
    with pytest.raises(ValueError, match="matching shapes"):
        ttest_ind(np.ones((3, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="confidence_level"):
        ttest_1samp([1.0, 2.0, 4.0]).confidence_interval(95)


# ---------------------------------------------------------------- properties
samples = arrays(np.float64, st.integers(3, 15), elements=st.floats(-100, 100))


@settings(max_examples=25, deadline=None)
@given(samples, samples)
def test_swap_and_pvalue_identities(a, b):
    if np.ptp(a) < 1e-3 or np.ptp(b) < 1e-3:
        return
    for equal_var in (True, False):
        ab = ttest_ind(a, b, equal_var=equal_var)
        ba = ttest_ind(b, a, equal_var=equal_var)
        assert ab.statistic == pytest.approx(-ba.statistic, rel=1e-9, abs=1e-12)
        assert ab.pvalue == pytest.approx(ba.pvalue, rel=1e-9, abs=1e-300)
        less = ttest_ind(a, b, equal_var=equal_var, alternative="less").pvalue
        greater = ttest_ind(a, b, equal_var=equal_var, alternative="greater").pvalue
        assert less + greater == pytest.approx(1.0, rel=1e-9)
        assert ab.pvalue == pytest.approx(2 * min(less, greater), rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_ttest_rel_rejects_nonfinite_in_either_sample(bad):
    good = [1.0, 2.0, 3.5, 4.0]
    # NaN: the nan_policy message naming the sample; infinity: the finiteness check
    first = "a contains NaN" if np.isnan(bad) else "a or b contains NaN or infinity"
    second = "b contains NaN" if np.isnan(bad) else "a or b contains NaN or infinity"
    with pytest.raises(ValueError, match=first):
        ttest_rel([1.0, bad, 3.0, 4.0], good)
    with pytest.raises(ValueError, match=second):
        ttest_rel(good, [1.0, 2.0, bad, 4.0])
    with pytest.raises(ValueError, match=first):
        ttest_rel([1.0, bad, 3.0, 4.0], [1.0, bad, 3.0, 4.0])
