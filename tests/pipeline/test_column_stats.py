"""The NaN-aware column statistics behind the scalers and imputers, against NumPy."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml.pipeline._column_stats import (
    handle_zeros_in_scale,
    is_constant_feature,
    mean_and_m2,
    merge_moments,
    nan_median,
    nan_quantiles,
)

with_nan = arrays(
    np.float64,
    st.tuples(st.integers(1, 15), st.integers(1, 4)),
    elements=st.one_of(st.just(np.nan), st.floats(-1e6, 1e6)),
)


def _numpy(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices
        return fn(*args, **kw)


def _absmax(X):
    return np.where(np.isnan(X), 0.0, np.abs(X)).max(axis=0)


@settings(max_examples=80, deadline=None)
@given(X=with_nan, q=st.lists(st.floats(0, 1), min_size=1, max_size=4))
def test_quantiles_and_median_match_numpy(X, q):
    got, med = nan_quantiles(X, q, with_median=True)
    np.testing.assert_allclose(got, _numpy(np.nanquantile, X, q, axis=0), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(med, _numpy(np.nanmedian, X, axis=0), rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(nan_median(X), med)


@pytest.mark.parametrize("n", [1, 2, 5, 6])
def test_quantiles_without_nan_use_partial_sort(n, rng):
    X = rng.normal(size=(n, 3))
    q = [0.0, 0.1, 0.25, 0.5, 0.9, 1.0]
    np.testing.assert_allclose(nan_quantiles(X, q), np.quantile(X, q, axis=0), rtol=1e-13)
    np.testing.assert_allclose(nan_median(X), np.median(X, axis=0), rtol=1e-13)


@settings(max_examples=80, deadline=None)
@given(X=with_nan)
def test_moments_match_numpy(X):
    count, mean, m2 = mean_and_m2(X)
    np.testing.assert_array_equal(count, (~np.isnan(X)).sum(axis=0))
    np.testing.assert_allclose(mean, _numpy(np.nanmean, X, axis=0), rtol=1e-9, atol=1e-6)
    var = _numpy(np.nanvar, X, axis=0)
    scale = _absmax(X) ** 2 + 1.0
    ok = ~np.isnan(var)
    assert np.all(np.abs(m2[ok] / count[ok] - var[ok]) <= 1e-9 * scale[ok])
    np.testing.assert_array_equal(np.isnan(mean), count == 0)


@settings(max_examples=60, deadline=None)
@given(X=with_nan, cut=st.integers(0, 15))
def test_merging_two_batches_equals_one_pass(X, cut):
    a, b = X[:cut], X[cut:]
    merged = merge_moments(*mean_and_m2(a), *mean_and_m2(b)) if a.size and b.size else None
    if merged is None:
        return
    count, mean, m2 = mean_and_m2(X)
    np.testing.assert_array_equal(merged[0], count)
    scale = _absmax(X) + 1.0
    np.testing.assert_array_equal(np.isnan(merged[1]), np.isnan(mean))
    ok = ~np.isnan(mean)
    assert np.all(np.abs(merged[1] - mean)[ok] <= 1e-9 * scale[ok])
    assert np.all(np.abs(merged[2] - m2)[ok] <= 1e-8 * (count * scale**2)[ok])


def test_weighted_moments_equal_repetition(rng):
    X = rng.normal(size=(12, 3))
    X[2, 1] = np.nan
    w = rng.integers(1, 5, size=12).astype(float)
    count, mean, m2 = mean_and_m2(X, w)
    c2, mean2, m22 = mean_and_m2(np.repeat(X, w.astype(int), axis=0))
    np.testing.assert_allclose(count, c2)
    np.testing.assert_allclose(mean, mean2, rtol=1e-13)
    np.testing.assert_allclose(m2, m22, rtol=1e-12)


def test_constant_detection_and_zero_scales():
    X = np.full((1000, 1), 0.1)
    count, mean, m2 = mean_and_m2(X)
    assert is_constant_feature(m2 / count, mean, count).all()
    assert not is_constant_feature(np.array([1e-3]), np.array([0.1]), np.array([1000.0])).any()
    np.testing.assert_array_equal(handle_zeros_in_scale([0.0, 1e-20, 2.0]), [1.0, 1.0, 2.0])


def test_empty_input():
    assert np.isnan(nan_quantiles(np.empty((0, 2)), [0.5])).all()
    assert np.isnan(nan_median(np.empty((0, 3)))).all()
