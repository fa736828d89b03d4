"""nan_policy: "raise" (m4ml's default), "omit" and "propagate" against scipy.stats."""

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st

from m4ml import stats

A = np.array([2.1, np.nan, 3.4, 1.9, 5.0, 4.2, np.nan, 3.3])
B = np.array([1.0, 2.5, np.nan, 2.2, 4.1, 3.9, 2.0, 1.5])
CASES = [
    ("mean", lambda f, p: f(A, nan_policy=p), lambda: np.nanmean(A)),
    ("std", lambda f, p: f(A, ddof=1, nan_policy=p), lambda: np.nanstd(A, ddof=1)),
    ("skewness", lambda f, p: f(A, nan_policy=p), lambda: st.skew(A, nan_policy="omit")),
    ("median", lambda f, p: f(A, nan_policy=p), lambda: np.nanmedian(A)),
    (
        "ttest_ind",
        lambda f, p: f(A, B, nan_policy=p).pvalue,
        lambda: st.ttest_ind(A, B, nan_policy="omit").pvalue,
    ),
    (
        "ttest_rel",
        lambda f, p: f(A, B, nan_policy=p).pvalue,
        lambda: st.ttest_rel(A, B, nan_policy="omit").pvalue,
    ),
    (
        "pearsonr",
        lambda f, p: f(A, B, nan_policy=p).statistic,
        lambda: st.pearsonr(*(v[~np.isnan(A) & ~np.isnan(B)] for v in (A, B))).statistic,
    ),
    (
        "mannwhitneyu",
        lambda f, p: f(A, B, nan_policy=p).pvalue,
        lambda: st.mannwhitneyu(A, B, nan_policy="omit").pvalue,
    ),
    (
        "f_oneway",
        lambda f, p: f(A, B, A + 1.0, nan_policy=p).pvalue,
        lambda: st.f_oneway(*(v[~np.isnan(v)] for v in (A, B, A + 1.0))).pvalue,
    ),
]


@pytest.mark.parametrize(("name", "call", "ref"), CASES, ids=[c[0] for c in CASES])
def test_omit_agrees_with_scipy_and_raise_names_the_sample(name, call, ref):
    f = getattr(stats, name)
    assert call(f, "omit") == pytest.approx(ref(), rel=1e-10)
    with pytest.raises(ValueError, match="contains NaN; pass nan_policy='omit'"):
        call(f, "raise")
    assert np.isnan(call(f, "propagate"))


def test_default_is_raise_and_pandas_series_work_with_omit():
    series = pd.Series(A)
    with pytest.raises(ValueError, match="x contains NaN"):
        stats.mean(series)
    assert stats.mean(series, nan_policy="omit") == pytest.approx(series.mean(), rel=1e-15)


def test_per_slice_omit_and_propagate_along_an_axis():
    x = np.array([[1.0, 2.0, np.nan], [4.0, np.nan, 6.0], [7.0, 8.0, 9.5], [1.5, 2.5, 3.5]])
    np.testing.assert_allclose(stats.mean(x, axis=0, nan_policy="omit"), np.nanmean(x, axis=0))
    prop = stats.mean(x, axis=0, nan_policy="propagate")
    assert np.isnan(prop[1]) and np.isnan(prop[2]) and prop[0] == pytest.approx(3.375)
    res = stats.ttest_1samp(x, 1.0, axis=0, nan_policy="omit")
    ref = st.ttest_1samp(x, 1.0, axis=0, nan_policy="omit")
    np.testing.assert_allclose(res.statistic, ref.statistic, rtol=1e-12)
    np.testing.assert_allclose(res.df, ref.df)
    low, high = res.confidence_interval(0.9)
    ref_low, ref_high = ref.confidence_interval(0.9)
    np.testing.assert_allclose(low, ref_low, rtol=1e-12)
    np.testing.assert_allclose(high, ref_high, rtol=1e-12)
    q = stats.quantile(x, [0.25, 0.75], axis=0, nan_policy="omit")
    np.testing.assert_allclose(q, np.nanquantile(x, [0.25, 0.75], axis=0))


def test_infinity_is_rejected_under_every_policy_and_bad_policy_names():
    for policy in ("raise", "omit", "propagate"):
        with pytest.raises(ValueError, match="infinity"):
            stats.mean([1.0, np.inf, np.nan], nan_policy=policy)
    with pytest.raises(ValueError, match="nan_policy must be one of"):
        stats.mean([1.0, 2.0], nan_policy="ignore")


def test_signature_and_docstring_show_nan_policy():
    import inspect

    assert "nan_policy" in inspect.signature(stats.ttest_ind).parameters
    assert 'nan_policy : {"raise", "omit", "propagate"}' in stats.ttest_ind.__doc__
