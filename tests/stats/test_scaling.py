"""Moments of finite data near the overflow and underflow thresholds (issue: silent NaN / 0).

Every statistic below is computed on data scaled by a power of two ``s`` far outside the range
where squares are representable, and compared with the same statistic of the unscaled data
(scaled back exactly), so the reference is exact arithmetic on representable values.
"""

import warnings

import numpy as np
import pytest

from m4ml import stats

X = np.array([1.0, 2.0, 3.0, 4.0, 7.0, 2.5])
Y = np.array([2.0, 3.0, 5.0, 6.0, 9.0, 1.0, 4.0])
SCALES = [2.0**1000, 2.0**-700, 2.0**-1040, 1.0]


def _rel(s):
    """Results at subnormal scale carry only ~34 significant bits (spacing 2**-1074)."""
    return 1e-9 if s < 1e-300 else 1e-13


def test_mean_near_overflow_is_finite():
    # the sum of these finite values overflows; the mean does not
    assert stats.mean([1e308, 1.0, 1e308, 2.0, 3.0]) == pytest.approx(4e307, rel=1e-15)
    assert stats.mean([1.7e308, 1.7e308]) == 1.7e308


@pytest.mark.parametrize("s", SCALES)
def test_location_and_spread_scale_exactly(s):
    assert stats.mean(X * s) / s == pytest.approx(np.mean(X), rel=max(_rel(s), 1e-15))
    assert stats.std(X * s, ddof=1) / s == pytest.approx(np.std(X, ddof=1), rel=_rel(s))
    assert stats.skewness(X * s) == pytest.approx(stats.skewness(X), rel=_rel(s))
    assert stats.kurtosis(X * s) == pytest.approx(stats.kurtosis(X), rel=_rel(s))
    assert stats.autocorrelation(X * s) == pytest.approx(stats.autocorrelation(X), rel=_rel(s))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        d = stats.describe(X * s)
    assert d.skewness == pytest.approx(stats.skewness(X), rel=_rel(s))
    if s > 1e150:  # the variance field alone is beyond the float range: said, not hidden
        assert np.isinf(d.variance)
        assert any("variance exceeds the float64 range" in str(w.message) for w in caught)
    else:
        assert not caught
        if s > 1e-150:  # below, the variance itself underflows (correctly) towards 0
            assert d.variance / s**2 == pytest.approx(np.var(X, ddof=1), rel=1e-13)


def test_std_of_tiny_values_is_not_zero():
    assert stats.std(np.array([1.0, 3.0]) * 1e-200) == pytest.approx(1e-200, rel=1e-14)
    assert stats.std(np.array([1.0, 3.0]) * 1e300) == pytest.approx(1e300, rel=1e-14)


def test_variance_that_overflows_raises_with_advice():
    with pytest.raises(ValueError, match=r"overflows float64.*use std"):
        stats.var(X * 1e300)
    with pytest.raises(ValueError, match="covariance overflows"):
        stats.cov(np.vstack([X, X]) * 1e300)


@pytest.mark.parametrize("s", SCALES)
def test_tests_are_scale_free(s):
    ref = stats.ttest_ind(X, Y)
    res = stats.ttest_ind(X * s, Y * s)
    assert res.statistic == pytest.approx(ref.statistic, rel=_rel(s))
    welch = stats.ttest_ind(X * s, Y * s, equal_var=False)
    assert welch.pvalue == pytest.approx(stats.ttest_ind(X, Y, equal_var=False).pvalue, rel=_rel(s))
    assert stats.ttest_1samp(X * s, 0.0).statistic == pytest.approx(
        stats.ttest_1samp(X, 0.0).statistic, rel=_rel(s)
    )
    assert stats.ttest_rel(X * s, Y[:6] * s).pvalue == pytest.approx(
        stats.ttest_rel(X, Y[:6]).pvalue, rel=_rel(s)
    )
    low, high = stats.mean_ci(X * s)
    ref_low, ref_high = stats.mean_ci(X)
    assert (low / s, high / s) == pytest.approx((ref_low, ref_high), rel=_rel(s))
    assert stats.pearsonr(X * s, X**2 * s).statistic == pytest.approx(
        stats.pearsonr(X, X**2).statistic, rel=_rel(s)
    )
    assert stats.corrcoef(np.vstack([X, X**2]) * s)[0, 1] == pytest.approx(
        stats.corrcoef(np.vstack([X, X**2]))[0, 1], rel=_rel(s)
    )


@pytest.mark.parametrize("s", SCALES)
def test_anova_is_scale_free(s):
    ref = stats.f_oneway(X, Y, X + 1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = stats.f_oneway(X * s, Y * s, (X + 1.0) * s)
    rel = 1e-12 if s > 1e-300 else 1e-9
    assert res.statistic == pytest.approx(ref.statistic, rel=rel)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=rel)
    assert res.residual_std / s == pytest.approx(ref.residual_std, rel=rel)
    if s > 1e150:  # the sums of squares themselves exceed the float range: said, not hidden
        assert any("exceed the float64 range" in str(w.message) for w in caught)
        assert np.isinf(res.ss_within)
    elif s >= 1e-150:
        assert res.ss_within / s**2 == pytest.approx(ref.ss_within, rel=1e-12)
