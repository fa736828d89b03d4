"""Tests of m4ml.stats.counts (binomtest, chisquare, chi2_contingency) against scipy.stats."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.stats.counts import binomtest, chi2_contingency, chisquare

ALTS = ("two-sided", "less", "greater")


@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("n", [1, 2, 7, 30, 400])
@pytest.mark.parametrize("p", [0.0, 0.02, 0.3, 0.5, 0.85, 1.0])
def test_binomtest_pvalue_matches_scipy(alternative, n, p):
    for k in sorted({0, 1, n // 3, n // 2, int(p * n), n - 1, n}):
        if not 0 <= k <= n:
            continue
        ours, ref = binomtest(k, n, p, alternative), ss.binomtest(k, n, p, alternative)
        assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10, abs=0), (k, n, p)
        assert ours.statistic == ref.statistic == k / n
        for method in ("wilson", "wilsoncc"):
            a = ours.confidence_interval(0.9, method=method)
            b = ref.proportion_ci(0.9, method=method)
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("alternative", ALTS)
def test_binomtest_exact_interval_is_beta_quantiles(alternative):
    k, n, level = 7, 40, 0.9
    res = binomtest(k, n, 0.5, alternative)
    lo, hi = res.confidence_interval(level)
    tail = (1 - level) / 2 if alternative == "two-sided" else 1 - level
    exp_lo = 0.0 if alternative == "less" else ss.beta.ppf(tail, k, n - k + 1)
    exp_hi = 1.0 if alternative == "greater" else ss.beta.isf(tail, k + 1, n - k)
    assert lo == pytest.approx(exp_lo, rel=1e-12)
    assert hi == pytest.approx(exp_hi, rel=1e-12)
    # scipy finds the same end points by root finding (to about 1e-10)
    ref = ss.binomtest(k, n, 0.5, alternative).proportion_ci(level)
    np.testing.assert_allclose((lo, hi), ref, rtol=1e-8)


def test_binomtest_tiny_pvalue():
    ours, ref = binomtest(95, 100, 0.2), ss.binomtest(95, 100, 0.2)
    assert ref.pvalue < 1e-50
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)


@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_chisquare_matches_scipy(rng, ddof):
    obs = rng.integers(1, 40, size=(7, 3)).astype(float)
    exp = rng.uniform(1, 3, size=(7, 3))
    exp *= obs.sum(axis=0) / exp.sum(axis=0)
    for f_exp in (None, exp):
        ours, ref = chisquare(obs, f_exp, ddof=ddof), ss.chisquare(obs, f_exp, ddof=ddof)
        np.testing.assert_allclose(ours.statistic, ref.statistic, rtol=1e-12)
        np.testing.assert_allclose(ours.pvalue, ref.pvalue, rtol=1e-10)
        assert ours.df == 6 - ddof
    ours, ref = chisquare(obs.T, axis=1), ss.chisquare(obs.T, axis=1)
    np.testing.assert_allclose(ours.pvalue, ref.pvalue, rtol=1e-10)


TABLES = [
    [[12, 5], [7, 15]],
    [[1, 2], [3, 40]],
    [[10, 20, 30], [6, 9, 17]],
    [[5, 5], [5, 5]],
    [[3, 4, 5]],
    [[[2, 3], [4, 1]], [[5, 2], [3, 6]]],
]


@pytest.mark.parametrize("table", TABLES, ids=range(len(TABLES)))
@pytest.mark.parametrize("correction", [True, False])
def test_chi2_contingency_matches_scipy(table, correction):
    ours, ref = chi2_contingency(table, correction), ss.chi2_contingency(table, correction)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12, abs=1e-14)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert ours.dof == ours.df == ref.dof
    np.testing.assert_allclose(ours.expected_freq, ref.expected_freq, rtol=1e-13)


def test_yates_changes_only_2x2():
    t = [[12, 5], [7, 15]]
    assert chi2_contingency(t).statistic < chi2_contingency(t, correction=False).statistic
    t3 = [[10, 20, 30], [6, 9, 17]]
    assert chi2_contingency(t3).statistic == chi2_contingency(t3, correction=False).statistic


def test_bad_input():
    with pytest.raises(ValueError, match="0 <= k <= n"):
        binomtest(5, 3)
    with pytest.raises(ValueError, match="non-negative integer"):
        binomtest(2.5, 10)
    with pytest.raises(ValueError, match="p must be a probability"):
        binomtest(2, 10, p=1.5)
    with pytest.raises(ValueError, match="method must be"):
        binomtest(2, 10).confidence_interval(method="wald")
    with pytest.raises(ValueError, match="non-negative counts"):
        chisquare([3, -1, 4])
    with pytest.raises(ValueError, match="same total"):
        chisquare([3, 1, 4], [1, 1, 1])
    with pytest.raises(ValueError, match="positive expected"):
        chisquare([3, 1, 4], [4, 4, 0])
    with pytest.raises(ValueError, match="empty"):
        chisquare([])
    with pytest.raises(ValueError, match="at least 1"):
        chisquare([3, 4], ddof=1)
    with pytest.raises(ValueError, match="sums to zero"):
        chisquare([0, 0, 0])
    with pytest.raises(ValueError, match="zero row or column"):
        chi2_contingency([[0, 0], [3, 4]])
    with pytest.raises(ValueError, match="zero row or column"):
        chi2_contingency([[0, 5], [0, 4]])
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        chi2_contingency([1, 2, 3])
    with pytest.raises(ValueError, match="non-negative counts"):
        chi2_contingency([[1, -2], [3, 4]])
    with pytest.raises(ValueError, match="NaN"):
        chi2_contingency([[1, np.nan], [3, 4]])


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 60), st.data(), st.floats(0.01, 0.99))
def test_binomtest_tails_bracket_two_sided(n, data, p):
    k = data.draw(st.integers(0, n))
    less, greater = binomtest(k, n, p, "less").pvalue, binomtest(k, n, p, "greater").pvalue
    two = binomtest(k, n, p).pvalue
    assert less + greater >= 1.0 - 1e-12  # both include P(X = k)
    # the two-sided p-value sums the observed tail and the equally improbable far tail
    assert min(less, greater) - 1e-12 <= two <= 1.0
    assert two == pytest.approx(ss.binomtest(k, n, p).pvalue, rel=1e-10)


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 4), st.integers(2, 4), st.data())
def test_chi2_contingency_transpose_and_scale(r, c, data):
    table = np.array(data.draw(st.lists(st.integers(1, 30), min_size=r * c, max_size=r * c)))
    table = table.reshape(r, c).astype(float)
    res, tr = chi2_contingency(table), chi2_contingency(table.T)
    assert res.statistic == pytest.approx(tr.statistic, rel=1e-12, abs=1e-12)
    assert res.pvalue == pytest.approx(tr.pvalue, rel=1e-10)
    np.testing.assert_allclose(res.expected_freq.sum(axis=0), table.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(res.expected_freq.sum(axis=1), table.sum(axis=1), rtol=1e-12)
    # without the continuity correction, doubling every count doubles the statistic
    plain, doubled = chi2_contingency(table, False), chi2_contingency(2 * table, False)
    assert doubled.statistic == pytest.approx(2 * plain.statistic, rel=1e-12, abs=1e-12)
