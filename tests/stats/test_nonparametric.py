"""Tests of m4ml.stats.nonparametric (and the KS distributions in m4ml.stats._kolmogorov)."""

import itertools
import math

import numpy as np
import pytest
import scipy.special as sc
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hst

from m4ml.stats._kolmogorov import (
    kolmogorov_limit_sf,
    kolmogorov_n_sf,
    ks_2samp_exact_sf,
    smirnov_sf,
)
from m4ml.stats._results import TestResult
from m4ml.stats.nonparametric import _u_pmf, ks_1samp, ks_2samp, mannwhitneyu

RTOL = 1e-10
ALTS = ("two-sided", "less", "greater")


# ---------------------------------------------------------------- the KS distributions
def _scipy_kstwo_is_approximate(n, d):
    """Where scipy's kstwo uses Pelz-Good or 2*smirnov for n > 140 and m4ml the exact matrix."""
    t, nd2 = n * d, n * d * d
    return 140 < n <= 1000 and 1 < t < n - 1 and d < 0.5 and nd2 <= 4 and n * d**1.5 > 1.4


@pytest.mark.parametrize("n", [1, 2, 3, 7, 20, 100, 140, 141, 500, 1000, 3000, 20000, 200000])
def test_one_sample_distributions_match_scipy_over_a_grid_with_tails(n):
    d = np.r_[1e-4, 0.002, 0.01, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.7, 0.99]
    d = np.r_[d, 0.6 / n, 0.9 / n, 1.5 / n, 1.0 - 0.5 / n, np.sqrt([0.5, 1.5, 3.0, 5.0]) / n**0.5]
    d = d[d < 1.0]
    mine_1 = np.array([smirnov_sf(n, v) for v in d])
    mine_2 = np.array([kolmogorov_n_sf(n, v) for v in d])
    np.testing.assert_allclose(mine_1, sc.smirnov(n, d), rtol=RTOL, atol=1e-300)
    loose = np.array([_scipy_kstwo_is_approximate(n, v) for v in d])
    ref_2 = st.kstwo.sf(d, n)
    np.testing.assert_allclose(mine_2[~loose], ref_2[~loose], rtol=RTOL, atol=1e-300)
    np.testing.assert_allclose(mine_2[loose], ref_2[loose], rtol=3e-5)
    assert np.all(mine_2 >= mine_1 - 1e-15)  # two-sided exceedance is at least as likely
    assert np.all(mine_2 <= 2 * mine_1 * (1 + 1e-12))  # ... and at most twice as likely


def test_exact_matrix_where_scipy_approximates_keeps_the_union_bound():
    n, d = 141, 0.11538245
    ours, one_sided, theirs = kolmogorov_n_sf(n, d), smirnov_sf(n, d), st.kstwo.sf(d, n)
    assert ours <= 2 * one_sided < theirs  # scipy's Pelz-Good value breaks P <= 2 P+
    assert ours == pytest.approx(theirs, rel=3e-5)


@pytest.mark.parametrize("n", [3, 40, 140, 141, 1000, 1001, 30_000])
def test_one_sample_sf_decreases_smoothly_across_the_method_switches(n):
    # a fine grid through every switch (t = 1, nd^2 = 0.75, 2.2, 4, 18, nd^1.5 = 1.4, d = 1/2)
    d = np.unique(np.r_[np.geomspace(0.3 / n, 0.999, 400), 1.4 ** (2 / 3) / n ** (2 / 3)])
    two = np.array([kolmogorov_n_sf(n, v) for v in d])
    one = np.array([smirnov_sf(n, v) for v in d])
    assert np.all(np.diff(two) <= 1e-12) and np.all(np.diff(one) <= 1e-12)
    assert np.all(one <= two + 1e-15)  # max(P+, P-) <= P
    if n <= 1000:  # P <= 2 P+ (beyond, the Pelz-Good series can overshoot by ~1e-6 relative)
        assert np.all(two <= 2 * one * (1 + 1e-10))


def test_two_sided_sf_reaches_far_tails_where_pdf_underflows():
    assert kolmogorov_n_sf(1000, 0.5) == pytest.approx(st.kstwo.sf(0.5, 1000), rel=RTOL)
    assert 0.0 < kolmogorov_n_sf(1000, 0.5) < 1e-200


def test_limit_distribution_matches_scipy_kolmogorov():
    y = np.r_[0.05, np.linspace(0.2, 6.0, 60)]
    np.testing.assert_allclose(kolmogorov_limit_sf(y), sc.kolmogorov(y), rtol=RTOL, atol=1e-300)
    assert kolmogorov_limit_sf(0.0) == 1.0


def _brute_force_ks2(n1, n2, h, two_sided):
    """P(D >= h/lcm) by enumerating every placement of the first sample among N slots."""
    g = math.gcd(n1, n2)
    count = 0
    combos = list(itertools.combinations(range(n1 + n2), n1))
    for positions in combos:
        is_x = np.zeros(n1 + n2, bool)
        is_x[list(positions)] = True
        i = np.cumsum(is_x)
        j = np.cumsum(~is_x)
        v = (i * n2 - j * n1) / g
        count += (np.abs(v) >= h).any() if two_sided else (v >= h).any()
    return count / len(combos)


@pytest.mark.parametrize(("n1", "n2"), [(1, 1), (3, 4), (4, 4), (2, 6), (5, 3)])
@pytest.mark.parametrize("two_sided", [True, False])
def test_two_sample_lattice_count_matches_brute_force(n1, n2, two_sided):
    lcm = n1 * n2 // math.gcd(n1, n2)
    for h in range(0, lcm + 1):
        expected = 1.0 if h == 0 else _brute_force_ks2(n1, n2, h, two_sided)
        assert ks_2samp_exact_sf(n1, n2, h, two_sided) == pytest.approx(expected, rel=1e-13)


# ---------------------------------------------------------------- ks_1samp
def _check_same(res, ref, rtol=RTOL, atol=0.0):
    assert isinstance(res, TestResult)
    assert res.statistic == pytest.approx(float(ref.statistic), rel=RTOL)
    assert res.pvalue == pytest.approx(float(ref.pvalue), rel=rtol, abs=atol)
    assert res.statistic_location == float(ref.statistic_location)
    assert res.statistic_sign == int(ref.statistic_sign)


@pytest.mark.parametrize("n", [1, 2, 5, 30, 150, 1200])
@pytest.mark.parametrize("shift", [0.0, 0.15, 0.5])
@pytest.mark.parametrize("method", ["auto", "exact", "asymp"])
def test_ks_1samp_matches_scipy(n, shift, method):
    rng = np.random.default_rng(n * 7 + int(shift * 100))
    x = rng.standard_normal(n) + shift
    for alternative in ALTS:
        res = ks_1samp(x, sc.ndtr, alternative=alternative, method=method)
        ref = st.ks_1samp(x, st.norm.cdf, alternative=alternative, method=method)
        approx = (
            alternative == "two-sided"
            and method != "asymp"
            and _scipy_kstwo_is_approximate(n, res.statistic)
        )
        _check_same(res, ref, rtol=3e-5 if approx else RTOL)
        assert res.alternative == alternative


def test_ks_1samp_accepts_a_distribution_object_and_args():
    x = np.array([0.1, 0.25, 0.3, 0.6, 0.95])
    res = ks_1samp(x, st.uniform(0, 1))
    ref = st.ks_1samp(x, st.uniform.cdf)
    _check_same(res, ref)
    res = ks_1samp(x, st.expon.cdf, args=(0.0, 0.5))
    _check_same(res, st.ks_1samp(x, st.expon.cdf, args=(0.0, 0.5)))
    stat, p = res
    assert (stat, p) == (res.statistic, res.pvalue)


def test_ks_1samp_far_tail_pvalue():
    x = np.linspace(0.5, 3.0, 60)  # far from a standard normal
    res = ks_1samp(x, sc.ndtr)
    ref = st.ks_1samp(x, st.norm.cdf)
    assert res.pvalue < 1e-20
    _check_same(res, ref)


def test_ks_1samp_pvalues_are_uniform_under_the_null():
    rng = np.random.default_rng(3)
    p = np.array([ks_1samp(rng.random(25), lambda t: t).pvalue for _ in range(400)])
    assert st.kstest(p, "uniform").pvalue > 0.01


@pytest.mark.parametrize(
    ("kwargs", "err", "match"),
    [
        ({"x": []}, ValueError, "x is empty"),
        ({"x": [0.1, np.nan]}, ValueError, "NaN"),
        ({"alternative": "both"}, ValueError, "alternative must be one of"),
        ({"method": "approx"}, ValueError, "method must be one of"),
        ({"cdf": 3.0}, TypeError, "cdf must be a callable"),
        ({"cdf": lambda t: 2 * t}, ValueError, r"probabilities in \[0, 1\]"),
        ({"cdf": lambda t: t[:1]}, ValueError, "one per observation"),
        ({"x": [[0.1, 0.2]]}, ValueError, "at most 1 dimension"),
    ],
)
def test_ks_1samp_bad_input(kwargs, err, match):
    args = {"x": [0.2, 0.7, 0.4], "cdf": lambda t: t} | kwargs
    with pytest.raises(err, match=match):
        ks_1samp(**args)


# ---------------------------------------------------------------- ks_2samp
@pytest.mark.parametrize(
    ("n1", "n2"), [(1, 1), (1, 5), (6, 6), (8, 13), (40, 25), (101, 99), (300, 240)]
)
@pytest.mark.parametrize("method", ["auto", "exact", "asymp"])
@pytest.mark.parametrize("ties", [False, True])
def test_ks_2samp_matches_scipy(n1, n2, method, ties):
    rng = np.random.default_rng(n1 * 1000 + n2)
    x = rng.standard_normal(n1)
    y = rng.standard_normal(n2) + 0.4
    if ties:
        x, y = np.round(x * 2), np.round(y * 2)
    for alternative in ALTS:
        res = ks_2samp(x, y, alternative=alternative, method=method)
        if (n1, n2, method) == (1, 1, "asymp"):  # scipy: NaN (effective size rounds to 0)
            assert 0.0 <= res.pvalue <= 1.0 and res.statistic in (0.0, 1.0)
            continue
        ref = st.ks_2samp(x, y, alternative=alternative, method=method)
        # scipy's two-sided exact value is 1 - P(inside): absolute accuracy near 1e-16 only
        _check_same(res, ref, atol=1e-14)
        assert res.method == ("exact" if method == "auto" else method)


def test_ks_2samp_auto_switches_to_asymptotic_above_10000():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal(10001), rng.standard_normal(30)
    res = ks_2samp(x, y)
    assert res.method == "asymp"
    _check_same(res, st.ks_2samp(x, y))


def test_ks_2samp_small_pvalue_relative_accuracy_against_brute_force():
    x, y = np.arange(6.0), np.arange(6.0) + 10.0  # completely separated: D = 1
    expected = 2.0 / math.comb(12, 6)  # only the two extreme orderings reach D = 1
    assert ks_2samp(x, y).pvalue == pytest.approx(expected, rel=1e-13)
    greater = ks_2samp(x, y, alternative="greater")  # x's ecdf lies above y's
    assert greater.pvalue == pytest.approx(expected / 2, rel=1e-13)
    assert ks_2samp(x, y, alternative="less").pvalue == 1.0


@settings(max_examples=25, deadline=None)
@given(
    hst.lists(hst.integers(-5, 5), min_size=1, max_size=12),
    hst.lists(hst.integers(-5, 5), min_size=1, max_size=12),
)
def test_ks_2samp_swapping_samples_swaps_the_one_sided_alternatives(a, b):
    two = ks_2samp(a, b)
    assert ks_2samp(b, a).statistic == pytest.approx(two.statistic)
    assert ks_2samp(b, a).pvalue == pytest.approx(two.pvalue, rel=1e-12)
    less, greater = ks_2samp(a, b, alternative="less"), ks_2samp(b, a, alternative="greater")
    assert less.statistic == pytest.approx(greater.statistic)
    assert less.pvalue == pytest.approx(greater.pvalue, rel=1e-12)
    assert 0.0 <= two.statistic <= 1.0 and 0.0 <= two.pvalue <= 1.0


@pytest.mark.parametrize(
    ("x", "y", "kwargs", "match"),
    [
        ([], [1.0], {}, "x is empty"),
        ([1.0], [], {}, "y is empty"),
        ([1.0, np.inf], [1.0], {}, "NaN or infinity"),
        ([1.0], [2.0], {"alternative": "bigger"}, "alternative"),
        ([1.0], [2.0], {"method": "fast"}, "method must be one of"),
    ],
)
def test_ks_2samp_bad_input(x, y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ks_2samp(x, y, **kwargs)


# ---------------------------------------------------------------- mannwhitneyu
def _brute_force_u_pmf(m, n):
    counts = np.zeros(m * n + 1)
    for positions in itertools.combinations(range(m + n), m):
        ranks = np.array(positions) + 1
        counts[int(ranks.sum() - m * (m + 1) // 2)] += 1
    return counts / counts.sum()


@pytest.mark.parametrize(("m", "n"), [(1, 1), (2, 3), (4, 4), (3, 7), (6, 5)])
def test_u_null_distribution_matches_enumeration(m, n):
    pmf = _u_pmf(m, n)
    np.testing.assert_allclose(pmf, _brute_force_u_pmf(m, n), rtol=1e-13)
    np.testing.assert_allclose(pmf, pmf[::-1], rtol=1e-13)  # symmetric about mn/2


@pytest.mark.parametrize(("n1", "n2"), [(1, 1), (3, 5), (8, 20), (12, 2), (15, 17)])
@pytest.mark.parametrize("method", ["auto", "exact", "asymptotic"])
@pytest.mark.parametrize("continuity", [True, False])
def test_mannwhitneyu_without_ties_matches_scipy(n1, n2, method, continuity):
    rng = np.random.default_rng(n1 * 31 + n2)
    x, y = rng.standard_normal(n1) + 0.7, rng.standard_normal(n2)
    for alternative in ALTS:
        kw = {"alternative": alternative, "method": method, "use_continuity": continuity}
        res, ref = mannwhitneyu(x, y, **kw), st.mannwhitneyu(x, y, **kw)
        assert res.statistic == pytest.approx(float(ref.statistic), rel=RTOL)
        assert res.pvalue == pytest.approx(float(ref.pvalue), rel=RTOL)
        small = min(n1, n2) <= 8
        assert res.method == ("exact" if small else "asymptotic") if method == "auto" else method


@pytest.mark.parametrize(("n1", "n2"), [(4, 6), (9, 12), (40, 35)])
@pytest.mark.parametrize("method", ["auto", "exact", "asymptotic"])
def test_mannwhitneyu_with_ties_matches_scipy(n1, n2, method):
    rng = np.random.default_rng(n1 + n2)
    x, y = rng.integers(0, 6, n1), rng.integers(1, 7, n2)
    for alternative in ALTS:
        for continuity in (True, False):
            kw = {"alternative": alternative, "method": method, "use_continuity": continuity}
            res, ref = mannwhitneyu(x, y, **kw), st.mannwhitneyu(x, y, **kw)
            assert res.statistic == pytest.approx(float(ref.statistic), rel=RTOL)
            assert res.pvalue == pytest.approx(float(ref.pvalue), rel=RTOL)
    assert mannwhitneyu(x, y).method == "asymptotic"


def test_mannwhitneyu_exact_tail_and_all_tied():
    res = mannwhitneyu(np.arange(7.0) + 100, np.arange(7.0))
    assert res.statistic == 49.0
    assert res.pvalue == pytest.approx(2 / math.comb(14, 7), rel=1e-13)
    same = mannwhitneyu([3.0, 3.0, 3.0], [3.0, 3.0], method="asymptotic")
    assert same.statistic == 3.0 and same.pvalue == 1.0


@settings(max_examples=25, deadline=None)
@given(
    hst.lists(hst.integers(0, 9), min_size=1, max_size=10),
    hst.lists(hst.integers(0, 9), min_size=1, max_size=10),
)
def test_mannwhitneyu_u_counts_pairs_and_swap_symmetry(a, b):
    res = mannwhitneyu(a, b)
    pairs = sum((ai > bj) + 0.5 * (ai == bj) for ai in a for bj in b)
    assert res.statistic == pytest.approx(pairs)
    swapped = mannwhitneyu(b, a)
    assert swapped.statistic == pytest.approx(len(a) * len(b) - res.statistic)
    assert swapped.pvalue == pytest.approx(res.pvalue, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "err", "match"),
    [
        ({"x": []}, ValueError, "x is empty"),
        ({"y": [np.nan]}, ValueError, "NaN"),
        ({"alternative": "up"}, ValueError, "alternative"),
        ({"method": "permutation"}, ValueError, "method must be one of"),
        ({"use_continuity": "yes"}, TypeError, "use_continuity"),
    ],
)
def test_mannwhitneyu_bad_input(kwargs, err, match):
    args = {"x": [1.0, 2.0], "y": [0.5, 3.0]} | kwargs
    with pytest.raises(err, match=match):
        mannwhitneyu(**args)
