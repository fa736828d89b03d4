"""Tests of m4ml.stats.resampling: permutation_test and bootstrap_ci against scipy.stats."""

import math

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hst

from m4ml.stats._resampling_utils import linear_quantile, percentile_of_score
from m4ml.stats._results import ConfidenceInterval, TestResult
from m4ml.stats.resampling import BootstrapResult, bootstrap_ci, permutation_test

ALTS = ("two-sided", "less", "greater")


def mean_diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def covariance(x, y, axis=-1):
    xc = x - x.mean(axis=axis, keepdims=True)
    yc = y - y.mean(axis=axis, keepdims=True)
    return np.mean(xc * yc, axis=axis)


def spread_of_means(*samples, axis=-1):
    return np.var([np.mean(s, axis=axis) for s in samples], axis=0)


def _n_permutations(ptype, sizes):
    if ptype == "independent":
        return math.factorial(sum(sizes)) // math.prod(math.factorial(n) for n in sizes)
    if ptype == "pairings":
        return math.factorial(sizes[0]) ** len(sizes)
    return math.factorial(max(len(sizes), 2)) ** sizes[0]  # samples (one sample: sign flips)


def _same_test(res, ref, exact):
    assert isinstance(res, TestResult)
    np.testing.assert_allclose(res.statistic, ref.statistic, rtol=1e-13)
    np.testing.assert_allclose(res.pvalue, ref.pvalue, rtol=1e-13)
    assert res.exact == exact
    ours, theirs = np.sort(res.null_distribution, axis=0), np.sort(ref.null_distribution, axis=0)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- permutation_test vs scipy
CASES = [
    ("independent", mean_diff, (5, 4)),
    ("independent", spread_of_means, (3, 2, 3)),
    ("pairings", covariance, (5, 5)),
    ("samples", lambda x, axis=-1: np.mean(x, axis=axis), (8,)),
    ("samples", mean_diff, (7, 7)),
    ("samples", spread_of_means, (5, 5, 5)),
]


@pytest.mark.parametrize(("ptype", "stat", "sizes"), CASES)
@pytest.mark.parametrize("n_resamples", [np.inf, 9999, 60])
def test_permutation_test_matches_scipy(ptype, stat, sizes, n_resamples):
    rng = np.random.default_rng(sum(sizes))
    data = [rng.standard_normal(n) + 0.3 * k for k, n in enumerate(sizes)]
    for alternative in ALTS:
        kw = {"permutation_type": ptype, "alternative": alternative, "rng": 11}
        res = permutation_test(data, stat, n_resamples=n_resamples, **kw)
        ref = st.permutation_test(data, stat, n_resamples=n_resamples, **kw)
        # exact enumeration when every permutation fits; otherwise scipy's random stream
        _same_test(res, ref, exact=_n_permutations(ptype, sizes) <= n_resamples)
        assert res.alternative == alternative


def test_exact_counts_and_monte_carlo_agree_within_their_error():
    rng = np.random.default_rng(5)
    x, y = rng.standard_normal(7) + 0.8, rng.standard_normal(6)
    exact = permutation_test((x, y), mean_diff, alternative="greater")
    assert exact.exact and exact.n_resamples == math.comb(13, 7)
    mc = permutation_test((x, y), mean_diff, alternative="greater", n_resamples=1500, rng=2)
    assert not mc.exact and mc.n_resamples == 1500
    se = math.sqrt(exact.pvalue * (1 - exact.pvalue) / 1500)
    assert abs(mc.pvalue - exact.pvalue) < 4 * se


def test_non_vectorized_statistic_and_batches_give_the_same_answer():
    rng = np.random.default_rng(8)
    x, y = rng.standard_normal(9), rng.standard_normal(8)
    full = permutation_test((x, y), mean_diff, n_resamples=500, rng=3)
    plain = permutation_test((x, y), lambda a, b: a.mean() - b.mean(), n_resamples=500, rng=3)
    batched = permutation_test((x, y), mean_diff, n_resamples=500, batch=64, rng=3)
    for other in (plain, batched):
        np.testing.assert_allclose(other.null_distribution, full.null_distribution, rtol=1e-13)
        assert other.pvalue == full.pvalue


@pytest.mark.parametrize(
    ("ptype", "stat", "sizes"),
    [("independent", spread_of_means, (3, 3, 2)), ("pairings", covariance, (4, 4)), CASES[4]],
)
def test_exact_enumeration_in_batches_is_complete(ptype, stat, sizes):
    rng = np.random.default_rng(1)
    data = [rng.standard_normal(n) for n in sizes]
    whole = permutation_test(data, stat, permutation_type=ptype, n_resamples=np.inf)
    parts = permutation_test(data, stat, permutation_type=ptype, n_resamples=np.inf, batch=7)
    assert whole.exact and parts.exact
    assert whole.n_resamples == parts.n_resamples == _n_permutations(ptype, sizes)
    assert parts.null_distribution.shape == (whole.n_resamples,)
    np.testing.assert_array_equal(parts.null_distribution, whole.null_distribution)
    assert parts.pvalue == whole.pvalue


def test_permutation_test_along_an_axis_matches_scipy():
    rng = np.random.default_rng(9)
    x, y = rng.standard_normal((3, 6)), rng.standard_normal((3, 5)) + 0.5
    res = permutation_test((x, y), mean_diff, axis=1, n_resamples=300, rng=4)
    ref = st.permutation_test((x, y), mean_diff, axis=1, n_resamples=300, rng=4)
    assert res.pvalue.shape == (3,)
    _same_test(res, ref, exact=False)


def test_random_permutation_pvalue_is_never_zero():
    x, y = np.arange(10.0) + 100, np.arange(10.0)
    res = permutation_test((x, y), mean_diff, n_resamples=99, alternative="greater", rng=0)
    assert res.pvalue == pytest.approx(1 / 100)


@settings(max_examples=25, deadline=None)
@given(
    hst.lists(hst.integers(-4, 4), min_size=2, max_size=5),
    hst.lists(hst.integers(-4, 4), min_size=2, max_size=5),
)
def test_two_sided_pvalue_is_twice_the_smaller_tail(a, b):
    res = {alt: permutation_test((a, b), mean_diff, alternative=alt) for alt in ALTS}
    assert res["two-sided"].pvalue == pytest.approx(
        min(1.0, 2 * min(res["less"].pvalue, res["greater"].pvalue))
    )
    assert all(0.0 < r.pvalue <= 1.0 for r in res.values())
    assert res["less"].pvalue + res["greater"].pvalue >= 1.0  # the observed value is in both


@pytest.mark.parametrize(
    ("data", "kwargs", "err", "match"),
    [
        (([1.0, 2.0],), {}, ValueError, "at least two samples"),
        (([1.0, 2.0], [1.0, 3.0, 4.0]), {"permutation_type": "pairings"}, ValueError, "equal"),
        (([1.0, 2.0], [1.0]), {}, ValueError, "data\\[1\\] has 1 observation"),
        (([1.0, np.nan], [1.0, 2.0]), {}, ValueError, "NaN"),
        (([1.0, 2.0], [3.0, 4.0]), {"alternative": "up"}, ValueError, "alternative"),
        (([1.0, 2.0], [3.0, 4.0]), {"permutation_type": "rows"}, ValueError, "permutation_type"),
        (([1.0, 2.0], [3.0, 4.0]), {"n_resamples": 0}, ValueError, "n_resamples"),
        (([1.0, 2.0], [3.0, 4.0]), {"batch": 2.5}, ValueError, "batch"),
        (([1.0, 2.0], [3.0, 4.0]), {"vectorized": "yes"}, ValueError, "vectorized"),
        (np.ones((2, 3)), {}, TypeError, "tuple or list of samples"),
    ],
)
def test_permutation_test_bad_input(data, kwargs, err, match):
    with pytest.raises(err, match=match):
        permutation_test(data, mean_diff, **kwargs)


def test_permutation_test_rejects_a_non_callable_statistic():
    with pytest.raises(TypeError, match="statistic must be callable"):
        permutation_test(([1.0, 2.0], [3.0, 4.0]), "mean")


def test_a_statistic_that_is_nan_on_the_data_is_an_error():
    def log_of_mean(x, axis=-1):
        with np.errstate(invalid="ignore"):
            return np.log(np.mean(x, axis=axis))

    def log_ratio(x, y, axis=-1):
        return log_of_mean(x, axis) - log_of_mean(y, axis)

    with pytest.raises(ValueError, match="statistic returned NaN"):
        permutation_test(([-1.0, -2.0], [-3.0, -4.0]), log_ratio)
    with pytest.raises(ValueError, match="statistic returned NaN"):
        bootstrap_ci(log_of_mean, [-1.0, -2.0, -3.0])


# ---------------------------------------------------------------- bootstrap_ci
@pytest.mark.parametrize("method", ["percentile", "basic", "BCa"])
@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("layout", ["one", "two", "paired", "axis"])
def test_bootstrap_matches_scipy_given_the_same_resamples(method, alternative, layout):
    rng = np.random.default_rng(12)
    x, y = rng.exponential(size=24), rng.standard_normal(24)
    data, stat, kw = {
        "one": ((x,), lambda a, axis=-1: np.std(a, axis=axis), {}),
        "two": ((x, y[:17]), mean_diff, {}),
        "paired": ((x, y), covariance, {"paired": True}),
        "axis": ((x.reshape(3, 8),), lambda a, axis=-1: np.mean(a, axis=axis), {"axis": 1}),
    }[layout]
    kw |= {"method": method, "alternative": alternative, "n_resamples": 999, "rng": 7}
    res = bootstrap_ci(stat, data, **kw)
    ref = st.bootstrap(data, stat, **kw)
    assert isinstance(res, BootstrapResult)
    assert isinstance(res.confidence_interval, ConfidenceInterval)
    np.testing.assert_allclose(res.bootstrap_distribution, ref.bootstrap_distribution, rtol=1e-13)
    np.testing.assert_allclose(res.confidence_interval, ref.confidence_interval, rtol=1e-12)
    np.testing.assert_allclose(res.standard_error, ref.standard_error, rtol=1e-12)


def test_bootstrap_one_sample_forms_and_non_vectorized_statistic():
    x = np.random.default_rng(3).standard_normal(15)
    a = bootstrap_ci(np.median, x, n_resamples=400, rng=1)  # ndarray: one sample
    b = bootstrap_ci(lambda v: float(np.median(v)), list(x), n_resamples=400, rng=1)
    c = bootstrap_ci(np.median, (x,), n_resamples=400, batch=37, rng=1)
    ref = st.bootstrap((x,), np.median, n_resamples=400, rng=1)
    for res in (a, b, c):
        np.testing.assert_allclose(res.confidence_interval, ref.confidence_interval, rtol=1e-12)


def test_interval_formulas_on_a_fixed_bootstrap_distribution():
    rng = np.random.default_rng(4)
    boot = rng.standard_normal((3, 501))
    q = np.array([0.025, 0.5, 0.9871])
    np.testing.assert_allclose(
        linear_quantile(boot, q), [np.quantile(b, v) for b, v in zip(boot, q)], rtol=1e-14
    )
    tied = np.array([1.0, 2.0, 2.0, 3.0, 5.0])
    assert percentile_of_score(tied, 2.0) == pytest.approx(
        st.percentileofscore(tied, 2.0, kind="mean") / 100
    )
    assert np.isnan(linear_quantile(boot[0], np.nan))


def test_bootstrap_coverage_is_near_nominal():
    rng = np.random.default_rng(2026)
    datasets = rng.exponential(size=(300, 40))  # true mean 1, skewed
    for method, (lo_ok, hi_ok) in {
        "percentile": (0.87, 0.98),
        "basic": (0.85, 0.98),
        "bca": (0.89, 0.99),
    }.items():
        ci = bootstrap_ci(
            np.mean, datasets, axis=1, method=method, n_resamples=600, rng=5
        ).confidence_interval
        coverage = np.mean((ci.low <= 1.0) & (1.0 <= ci.high))
        assert lo_ok <= coverage <= hi_ok, (method, coverage)


def test_bca_warns_on_a_degenerate_distribution():
    with pytest.warns(RuntimeWarning, match="BCa interval is undefined"):
        res = bootstrap_ci(np.mean, np.full(10, 2.0), n_resamples=50, rng=0)
    assert np.isnan(res.confidence_interval.low)
    per = bootstrap_ci(np.mean, np.full(10, 2.0), method="percentile", n_resamples=50, rng=0)
    assert per.confidence_interval == (2.0, 2.0) and per.standard_error == 0.0


@settings(max_examples=25, deadline=None)
@given(hst.lists(hst.floats(-100, 100), min_size=2, max_size=20), hst.floats(0.5, 0.99))
def test_percentile_and_basic_intervals_mirror_each_other_about_the_estimate(x, level):
    kw = {"confidence_level": level, "n_resamples": 200, "rng": 3}
    per = bootstrap_ci(np.mean, np.array(x), method="percentile", **kw).confidence_interval
    basic = bootstrap_ci(np.mean, np.array(x), method="basic", **kw).confidence_interval
    theta = np.mean(x)
    assert basic.low == pytest.approx(2 * theta - per.high, abs=1e-9)
    assert basic.high == pytest.approx(2 * theta - per.low, abs=1e-9)
    assert per.low <= per.high


@pytest.mark.parametrize(
    ("data", "kwargs", "err", "match"),
    [
        ([], {}, ValueError, "data\\[0\\] has 0 observation"),
        ([1.0, np.inf], {}, ValueError, "NaN or infinity"),
        ([1.0, 2.0], {"method": "studentized"}, ValueError, "method must be"),
        ([1.0, 2.0], {"confidence_level": 1.5}, ValueError, "confidence_level"),
        ([1.0, 2.0], {"alternative": "above"}, ValueError, "alternative"),
        ([1.0, 2.0], {"n_resamples": -3}, ValueError, "n_resamples"),
        ([1.0, 2.0], {"n_resamples": np.inf}, ValueError, "finite"),
        (([1.0, 2.0], [1.0]), {"paired": True}, ValueError, "equal size"),
        ([1.0, 2.0], {"paired": 1}, TypeError, "paired"),
    ],
)
def test_bootstrap_bad_input(data, kwargs, err, match):
    with pytest.raises(err, match=match):
        bootstrap_ci(np.mean, data, **kwargs)
